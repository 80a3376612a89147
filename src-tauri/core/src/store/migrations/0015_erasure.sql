-- Erasure (GDPR Art. 17; see oplog/erasure.rs). A tombstone per erased record, synced (table code 24): it
-- names the record's kind, never its values. Once a replica holds it, the record and the rows it owns are
-- blank, their ops hold no values, and no op of them, later or older, is applied again.
CREATE TABLE erasure (
    id BLOB PRIMARY KEY,
    record TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

-- The SHA-256 of an op's wire form before an erasure blanked it: its origin's signature covers that hash,
-- so the blank op still travels, and checks, in place of the original.
CREATE TABLE op_erased (
    origin INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    sha256 BLOB NOT NULL,
    PRIMARY KEY (origin, seq)
) STRICT, WITHOUT ROWID;
