-- Documents attached to any record (a signed agreement's scan, a report). The file itself is stored once,
-- named by its SHA-256, under the app data directory's `documents/`; this synced row names it, so sync can
-- carry the blobs a peer lacks.
CREATE TABLE document (
    id BLOB PRIMARY KEY,
    owner_id BLOB,
    name TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    media_type TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX document_owner ON document (owner_id) WHERE deleted = 0;
CREATE INDEX document_sha ON document (sha256);
