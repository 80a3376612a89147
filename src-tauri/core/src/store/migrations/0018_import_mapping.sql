-- Column mappings chosen by hand on import (see import/mapping_memory.rs), remembered for the next file with
-- the same headers: local to this laptop like `reminder_dismissal`, never written by an op and never synced.
-- Keyed by the record kind and a hash of the file's normalised header list; `mapping` is a JSON object of
-- header → field.
CREATE TABLE import_mapping (
    kind TEXT NOT NULL,
    headers_hash TEXT NOT NULL,
    headers TEXT NOT NULL,
    mapping TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (kind, headers_hash)
) STRICT, WITHOUT ROWID;
