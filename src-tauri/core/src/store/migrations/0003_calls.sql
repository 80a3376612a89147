-- Calls for projects and their applications. Synced tables follow 0001's rules. Amounts are in the
-- currency's minor unit (cents); dates with a time are RFC 3339 with their offset, and `time_zone` names
-- the call's zone (IANA) for display.

CREATE TABLE call (
    id BLOB PRIMARY KEY,
    code TEXT,
    title TEXT NOT NULL DEFAULT '',
    programme TEXT,
    funder_id BLOB,
    opens_at TEXT,
    deadline_at TEXT,
    results_at TEXT,
    time_zone TEXT,
    budget INTEGER,
    max_award INTEGER,
    currency TEXT,
    min_partners INTEGER,
    min_countries INTEGER,
    -- A JSON array of zones, every one of which must be among the applicants' zones.
    required_zones TEXT,
    lyon_lead_required INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'draft',
    notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX call_deadline ON call (deadline_at) WHERE deleted = 0;

-- Evaluation criteria: a weight, a maximum score and an optional threshold (a minimum average score).
CREATE TABLE call_criterion (
    id BLOB PRIMARY KEY,
    call_id BLOB,
    name TEXT NOT NULL DEFAULT '',
    weight REAL NOT NULL DEFAULT 1,
    max_score REAL NOT NULL DEFAULT 10,
    threshold REAL,
    position INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX call_criterion_call ON call_criterion (call_id);

CREATE TABLE application (
    id BLOB PRIMARY KEY,
    call_id BLOB,
    reference TEXT,
    acronym TEXT,
    title TEXT NOT NULL DEFAULT '',
    pi_id BLOB,
    lead_id BLOB,
    requested INTEGER,
    cofunding INTEGER,
    duration_months INTEGER,
    status TEXT NOT NULL DEFAULT 'draft',
    notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX application_call ON application (call_id) WHERE deleted = 0;
CREATE INDEX application_lead ON application (lead_id) WHERE deleted = 0;

-- Partner organisations of an application besides its lead.
CREATE TABLE application_partner (
    id BLOB PRIMARY KEY,
    application_id BLOB,
    partner_id BLOB,
    role TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX application_partner_application ON application_partner (application_id);
CREATE INDEX application_partner_partner ON application_partner (partner_id);

-- A reviewer's scores: `scores` is a field group, a JSON object from criterion id to score.
CREATE TABLE review (
    id BLOB PRIMARY KEY,
    application_id BLOB,
    reviewer_id BLOB,
    scores TEXT,
    comment TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX review_application ON review (application_id);

-- Derived: search rows for calls and applications are in search_doc; lists read the tables directly.
