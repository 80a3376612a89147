-- Conflicts (see oplog/conflict.rs). A write names the ops of its row it was made on top of: the first in
-- `op.prev_hlc`/`prev_origin`, any others (after concurrent writes a row has several latest ops) here, so
-- that it supersedes them all.
CREATE TABLE op_prev (
    origin INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    prev_hlc INTEGER NOT NULL,
    prev_origin INTEGER NOT NULL,
    PRIMARY KEY (origin, seq, prev_hlc, prev_origin)
) STRICT, WITHOUT ROWID;

-- Open conflicts, derived from the ops alone (every replica holding the same ops lists the same): a value
-- written concurrently with the winning one (neither writer saw the other's write), or an edit made
-- concurrently with the row's deletion (`col` = 'deleted'). Ops are named by (clock reading, local origin
-- number). Recomputed for a row whenever ops of it arrive or it is written.
CREATE TABLE conflict (
    row_id BLOB NOT NULL,
    tbl INTEGER NOT NULL,
    col TEXT NOT NULL,
    winner_hlc INTEGER NOT NULL,
    winner_origin INTEGER NOT NULL,
    loser_hlc INTEGER NOT NULL,
    loser_origin INTEGER NOT NULL,
    PRIMARY KEY (row_id, col, loser_hlc, loser_origin)
) STRICT, WITHOUT ROWID;
