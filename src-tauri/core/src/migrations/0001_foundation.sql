-- Local state of this replica: never synced.
CREATE TABLE replica_state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    replica_id TEXT NOT NULL,
    hlc_ms INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL
) STRICT;

-- Roster of replicas seen (this one included): who wrote an op.
CREATE TABLE replica (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- The op log: one row per column written. Append-only; `seq` is gapless per origin. `hlc` is the packed
-- hybrid-logical-clock reading (wall ms << 16 | counter); (hlc, origin, seq) orders every op.
-- `prev` names the op this one superseded on the same field as "hlc:origin".
CREATE TABLE op (
    origin TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT NOT NULL,
    value ANY,
    prev TEXT,
    PRIMARY KEY (origin, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX op_row ON op (row_id, col, hlc);

-- Synced tables: no UNIQUE besides the primary key, no enforced foreign keys, `deleted` is a column.
CREATE TABLE partner (
    id TEXT PRIMARY KEY,
    acronym TEXT,
    kind TEXT NOT NULL DEFAULT 'university',
    parent_id TEXT,
    country TEXT,
    city TEXT,
    zone TEXT NOT NULL DEFAULT 'other',
    website TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    notes TEXT,
    created_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX partner_parent ON partner (parent_id);

CREATE TABLE partner_name (
    id TEXT PRIMARY KEY,
    partner_id TEXT,
    value TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'und',
    is_primary INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX partner_name_partner ON partner_name (partner_id);

CREATE TABLE partner_identifier (
    id TEXT PRIMARY KEY,
    partner_id TEXT,
    scheme TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX partner_identifier_partner ON partner_identifier (partner_id);

CREATE TABLE partner_tag (
    id TEXT PRIMARY KEY,
    partner_id TEXT,
    value TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX partner_tag_partner ON partner_tag (partner_id);

CREATE TABLE contact (
    id TEXT PRIMARY KEY,
    given_name TEXT,
    family_name TEXT,
    native_name TEXT,
    title TEXT,
    notes TEXT,
    created_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;

-- E-mails, phones and spoken languages of a contact, one row each (`kind` says which).
CREATE TABLE contact_detail (
    id TEXT PRIMARY KEY,
    contact_id TEXT,
    kind TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '',
    label TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX contact_detail_contact ON contact_detail (contact_id);

CREATE TABLE affiliation (
    id TEXT PRIMARY KEY,
    contact_id TEXT,
    partner_id TEXT,
    role TEXT,
    start_date TEXT,
    end_date TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX affiliation_contact ON affiliation (contact_id);
CREATE INDEX affiliation_partner ON affiliation (partner_id);

-- Derived tables: rebuilt from the synced ones after every write, never synced.
CREATE TABLE partner_summary (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    acronym TEXT,
    kind TEXT NOT NULL,
    country TEXT,
    city TEXT,
    zone TEXT NOT NULL,
    status TEXT NOT NULL
) STRICT;
-- One index per sort order, each led by a filter column and carrying the other filter columns, so a
-- filtered page and its count read only the index.
CREATE INDEX partner_summary_name ON partner_summary (sort_name, id, zone, status, kind, country);
CREATE INDEX partner_summary_zone ON partner_summary (zone, sort_name, id, status, kind, country);
CREATE INDEX partner_summary_country ON partner_summary (country, sort_name, id, zone, status, kind);
CREATE INDEX partner_summary_kind ON partner_summary (kind, sort_name, id, zone, status, country);
CREATE INDEX partner_summary_status ON partner_summary (status, sort_name, id, zone, kind, country);
CREATE INDEX partner_summary_city ON partner_summary (city, sort_name, id, zone, status, kind, country);

CREATE TABLE contact_summary (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    native_name TEXT,
    email TEXT,
    organisation TEXT,
    organisation_id TEXT,
    role TEXT
) STRICT;
CREATE INDEX contact_summary_name ON contact_summary (sort_name, id);

-- Search: `search_doc` maps a document number to its record. `search_long` is matched by trigrams
-- (substrings of 3+ characters, accents folded); `search_short` holds the words and the CJK character pairs,
-- for queries of one or two characters that trigrams cannot match. Both use `doc` as their rowid.
CREATE TABLE search_doc (
    doc INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL
) STRICT;
CREATE INDEX search_doc_entity ON search_doc (entity_id);
CREATE VIRTUAL TABLE search_long USING fts5 (head, body, tokenize = 'trigram remove_diacritics 1');
CREATE VIRTUAL TABLE search_short USING fts5 (head, body, tokenize = 'unicode61 remove_diacritics 2');
