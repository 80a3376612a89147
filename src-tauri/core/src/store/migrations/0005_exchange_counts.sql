-- Derived: exchanges counted by partner, academic year, direction and status, kept current on every write
-- so that the dashboard reads a few thousand rows instead of a million. Never synced; rebuilt from
-- `exchange` by group whenever one of its exchanges changes.
CREATE TABLE exchange_count (
    partner_id BLOB NOT NULL,
    academic_year INTEGER NOT NULL,
    direction TEXT NOT NULL,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (partner_id, academic_year, direction, status)
) STRICT, WITHOUT ROWID;
CREATE INDEX exchange_count_year ON exchange_count (academic_year);

INSERT INTO exchange_count (partner_id, academic_year, direction, status, n)
SELECT partner_id, academic_year, direction, status, count(*) FROM exchange
WHERE deleted = 0 AND partner_id IS NOT NULL AND academic_year IS NOT NULL
GROUP BY partner_id, academic_year, direction, status;
