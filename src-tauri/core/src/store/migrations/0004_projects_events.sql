-- Projects (flagship projects, joint labs, international research units, training programmes,
-- representative offices) and events (webinars, symposia, workshops, visits). Synced tables follow 0001's
-- rules. `budget` is in the currency's minor unit.

CREATE TABLE project (
    id BLOB PRIMARY KEY,
    code TEXT,
    title TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'flagship',
    status TEXT NOT NULL DEFAULT 'planned',
    start_date TEXT,
    end_date TEXT,
    budget INTEGER,
    currency TEXT,
    -- JSON array of fields (ISCED-F codes or the alliance's fields): a field group.
    fields TEXT,
    notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Partner organisations and agreements of a project: one row each (`kind` says which).
CREATE TABLE project_link (
    id BLOB PRIMARY KEY,
    project_id BLOB,
    kind TEXT NOT NULL DEFAULT 'partner',
    target_id BLOB,
    role TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX project_link_project ON project_link (project_id);
CREATE INDEX project_link_target ON project_link (target_id);

CREATE TABLE event (
    id BLOB PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'webinar',
    start_date TEXT,
    end_date TEXT,
    online INTEGER NOT NULL DEFAULT 0,
    venue TEXT,
    zone TEXT,
    project_id BLOB,
    registered INTEGER,
    attended INTEGER,
    notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX event_date ON event (start_date) WHERE deleted = 0;
CREATE INDEX event_project ON event (project_id) WHERE deleted = 0;

-- Organisers of an event (partner organisations).
CREATE TABLE event_organiser (
    id BLOB PRIMARY KEY,
    event_id BLOB,
    partner_id BLOB,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX event_organiser_event ON event_organiser (event_id);
CREATE INDEX event_organiser_partner ON event_organiser (partner_id);
