-- Ids are UUIDs stored as 16-byte blobs (half the size of their text form, in every table and index).
-- This schema was reshaped before the first release (ids and op log as blobs); from the first release on,
-- migrations only add.

-- Local state of this replica: never synced.
CREATE TABLE replica_state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    replica_id BLOB NOT NULL,
    hlc_ms INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL
) STRICT;

-- Roster of replicas seen (this one included): who wrote an op. `num` is a local short number for the
-- replica, used in the op log instead of its 16-byte id; it never leaves this database.
CREATE TABLE replica (
    num INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- The op log: one row per row written by one mutation. Append-only; `seq` is gapless per origin. `hlc` is
-- the packed hybrid-logical-clock reading (wall ms << 16 | counter). `tbl` is the table's code and `patch`
-- the columns written, as codes and values (see oplog.rs, whose registry of codes is frozen: codes are only
-- ever added). A local insert's `patch` is NULL while the row is still exactly as inserted (its values are
-- the row's own: storing them twice would double the database); it is filled in before the row first
-- changes. `prev_hlc`/`prev_origin` name the op of the same row this write was made on top of.
CREATE TABLE op (
    origin INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL,
    tbl INTEGER NOT NULL,
    row_id BLOB NOT NULL,
    patch BLOB,
    prev_hlc INTEGER,
    prev_origin INTEGER,
    PRIMARY KEY (origin, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX op_row ON op (row_id, hlc);

-- Synced tables: no UNIQUE besides the primary key, no enforced foreign keys, `deleted` is a column. Small
-- tables read by id are WITHOUT ROWID: no second index on the id beside the rowid.
CREATE TABLE partner (
    id BLOB PRIMARY KEY,
    acronym TEXT,
    kind TEXT NOT NULL DEFAULT 'university',
    parent_id BLOB,
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
    id BLOB PRIMARY KEY,
    partner_id BLOB,
    value TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'und',
    is_primary INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX partner_name_partner ON partner_name (partner_id);

CREATE TABLE partner_identifier (
    id BLOB PRIMARY KEY,
    partner_id BLOB,
    scheme TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX partner_identifier_partner ON partner_identifier (partner_id);

CREATE TABLE partner_tag (
    id BLOB PRIMARY KEY,
    partner_id BLOB,
    value TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX partner_tag_partner ON partner_tag (partner_id);

CREATE TABLE contact (
    id BLOB PRIMARY KEY,
    given_name TEXT,
    family_name TEXT,
    native_name TEXT,
    title TEXT,
    notes TEXT,
    created_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    -- E-mails, phones and spoken languages: field groups, each a JSON array of strings (or NULL).
    emails TEXT,
    phones TEXT,
    languages TEXT
) STRICT, WITHOUT ROWID;


CREATE TABLE affiliation (
    id BLOB PRIMARY KEY,
    contact_id BLOB,
    partner_id BLOB,
    role TEXT,
    start_date TEXT,
    end_date TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX affiliation_contact ON affiliation (contact_id);
CREATE INDEX affiliation_partner ON affiliation (partner_id);

-- Derived tables: rebuilt from the synced ones after every write, never synced.
CREATE TABLE partner_summary (
    id BLOB PRIMARY KEY,
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
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    native_name TEXT,
    email TEXT,
    organisation TEXT,
    organisation_id BLOB,
    role TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_summary_name ON contact_summary (sort_name, id);

-- Search: `search_doc` maps a document number to its record. `search_long` is matched by trigrams
-- (substrings of 3+ characters, accents folded); `search_short` holds the words and the CJK character pairs,
-- for queries of one or two characters that trigrams cannot match. Both use `doc` as their rowid.
CREATE TABLE search_doc (
    doc INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id BLOB NOT NULL
) STRICT;
CREATE INDEX search_doc_entity ON search_doc (entity_id);
-- Both are contentless (the text lives in the records; only the index is kept), with deletes allowed.
CREATE VIRTUAL TABLE search_long USING fts5 (
    head, body, content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
);
CREATE VIRTUAL TABLE search_short USING fts5 (
    head, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
