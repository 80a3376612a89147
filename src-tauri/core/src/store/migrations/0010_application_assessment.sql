-- Derived: each live application's assessment (eligibility, weighted score, thresholds, rank) and its place
-- in its call's ranking, kept current on every write and replay so that the application list filters,
-- sorts and pages in SQL instead of assessing every call on each read. Never synced; recomputed a call at
-- a time from the call's rules and criteria, its applications, their organisations and their reviews.
-- The migration's hook fills it for the applications already there.
CREATE TABLE application_assessment (
    application_id BLOB PRIMARY KEY,
    call_id BLOB NOT NULL,
    eligible INTEGER NOT NULL,
    -- JSON array of the rule checks that failed.
    failed TEXT NOT NULL,
    score REAL,
    below_threshold INTEGER NOT NULL,
    rank INTEGER,
    -- The zones of its organisations, space-separated: what the dashboard and the zone filter count.
    zones TEXT NOT NULL,
    -- Place in the call's ranking: ranked applications first by rank, then the others.
    position INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX application_assessment_call ON application_assessment (call_id, position);
