-- Derived: the name of each partner that a reader of each UI language sees (label::pick), with its primary
-- name beside it when written in another script; lists sort by it. Rebuilt with the partner's summary.
CREATE TABLE partner_label (
    partner_id BLOB NOT NULL,
    ui TEXT NOT NULL,
    name TEXT NOT NULL,
    lang TEXT NOT NULL,
    native TEXT,
    native_lang TEXT,
    sort_name TEXT NOT NULL,
    PRIMARY KEY (partner_id, ui)
) STRICT, WITHOUT ROWID;
CREATE INDEX partner_label_sort ON partner_label (ui, sort_name, partner_id);
