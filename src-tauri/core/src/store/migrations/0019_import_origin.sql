-- Records imported from a file that carries Liaison ids of another workspace (an export from another
-- laptop or database): the file's id → the record it became here (see import/matching.rs). Local to this
-- laptop like `import_mapping`, never written by an op and never synced: importing the same file again
-- finds the same records, and a JSON file's references by those ids name them.
CREATE TABLE import_origin (
    file_id BLOB PRIMARY KEY,
    id BLOB NOT NULL
) STRICT, WITHOUT ROWID;
