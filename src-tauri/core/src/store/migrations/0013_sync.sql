-- Sync by file exchange (see sync.rs). This replica's Ed25519 signing key (32 secret bytes; made by `init`,
-- or on first use for a workspace made before this step) and the place it was last opened from, to notice a
-- database copied to another machine or path (see `sync::identity`).
ALTER TABLE replica_state ADD COLUMN signing_key BLOB;
ALTER TABLE replica_state ADD COLUMN instance TEXT;

-- The roster of replicas, synced like data (table code 23): a replica's own ops write its name and public
-- key; `state` is written by an approver ('approved', 'revoked', or NULL while waiting). A revoked replica's
-- ops above `until_seq` are refused.
CREATE TABLE roster (
    id BLOB PRIMARY KEY,
    name TEXT,
    public_key BLOB,
    state TEXT,
    until_seq INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

-- Per remote origin (by its local `replica.num`), the highest `seq` held with none missing below it: this
-- replica's version vector (its own entry is its highest `seq`). Written in the import's transaction.
CREATE TABLE sync_held (
    origin INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL
) STRICT;

-- What each peer last said it holds (the vector in the newest file received from it): a file for that peer
-- carries every op above it. `created_ms` is the sending time of the file the vector came from.
CREATE TABLE sync_peer (
    peer INTEGER PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    vector BLOB NOT NULL,
    last_received TEXT,
    last_sent TEXT
) STRICT;

-- Ranges of another origin's ops, as that origin signed them (`first_seq` to `last_seq`, whole): a relay
-- sends them on with the signature, so that no relay can forge or alter an op.
CREATE TABLE op_range (
    origin INTEGER NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    signature BLOB NOT NULL,
    PRIMARY KEY (origin, first_seq, last_seq)
) STRICT, WITHOUT ROWID;

-- Ops from replicas this one has not approved (yet): checked (signed by their origin) and kept, not applied,
-- until a user approves the origin's key; then applied like any received op. `op` is the op as it travels
-- (see sync/bundle.rs). One row per origin in `held_origin`, with the key to approve and whose file brought it.
CREATE TABLE held_origin (
    origin BLOB PRIMARY KEY,
    public_key BLOB NOT NULL,
    name TEXT NOT NULL,
    via TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
CREATE TABLE held_op (
    origin BLOB NOT NULL,
    seq INTEGER NOT NULL,
    op BLOB NOT NULL,
    PRIMARY KEY (origin, seq)
) STRICT, WITHOUT ROWID;

-- Every sync file written or read, and what came of it.
CREATE TABLE sync_file (
    num INTEGER PRIMARY KEY,
    bundle BLOB NOT NULL,
    direction TEXT NOT NULL,
    peer BLOB,
    peer_name TEXT,
    at TEXT NOT NULL,
    ops INTEGER NOT NULL,
    new_ops INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    result TEXT NOT NULL
) STRICT;
CREATE INDEX sync_file_bundle ON sync_file (bundle);
