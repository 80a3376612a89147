-- The workspace's own identity, distinct from any replica's: every replica of one workspace shares it (a
-- laptop joining from a snapshot takes it), and sync refuses a file from another workspace, so two
-- unrelated workspaces can never be merged. Local state, like `replica_state`: never written by an op. A
-- workspace initialised before this step gets its id from this step's hook.
CREATE TABLE workspace (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id BLOB NOT NULL
) STRICT;

-- Ops, or the columns of ops, naming a table or column this version does not know (written by a newer
-- version of Liaison): kept, never refused, and applied once an upgrade knows the name (see oplog.rs,
-- `replay_quarantine`). One row per op, keyed like `op`: an op received twice is kept once. When the op's
-- table is known, the op's known columns are in `op` under the same key and only the unknown ones are here.
-- `tbl` is the table's name and `patch` the columns by name (codes are this version's, and these names have
-- none yet).
CREATE TABLE op_quarantine (
    origin INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id BLOB NOT NULL,
    patch BLOB NOT NULL,
    prev_hlc INTEGER,
    prev_origin INTEGER,
    PRIMARY KEY (origin, seq)
) STRICT, WITHOUT ROWID;
