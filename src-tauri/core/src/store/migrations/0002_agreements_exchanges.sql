-- Agreements and exchanges (mobility). Synced tables follow 0001's rules: ids are 16-byte UUIDs, no UNIQUE
-- besides the primary key, no enforced foreign keys, `deleted` is a column. A record's creation time is
-- read from its UUIDv7 id, so these tables carry no `created_at`.

CREATE TABLE agreement (
    id BLOB PRIMARY KEY,
    code TEXT,
    title TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'framework',
    parent_id BLOB,
    status TEXT NOT NULL DEFAULT 'idea',
    signed_date TEXT,
    start_date TEXT,
    end_date TEXT,
    auto_renewal INTEGER NOT NULL DEFAULT 0,
    notice_months INTEGER,
    notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX agreement_parent ON agreement (parent_id) WHERE parent_id IS NOT NULL;

-- The parties: an organisation, optionally one of its units, its role and who signed for it, when.
CREATE TABLE agreement_party (
    id BLOB PRIMARY KEY,
    agreement_id BLOB,
    partner_id BLOB,
    unit_id BLOB,
    role TEXT,
    signatory_id BLOB,
    signed_date TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX agreement_party_agreement ON agreement_party (agreement_id);
CREATE INDEX agreement_party_partner ON agreement_party (partner_id, agreement_id);

-- Fields of study or cooperation: ISCED-F 2013 codes ("0731") or the alliance's own fields ("health").
CREATE TABLE agreement_field (
    id BLOB PRIMARY KEY,
    agreement_id BLOB,
    code TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX agreement_field_agreement ON agreement_field (agreement_id);

-- Cooperation conditions, one per direction and mobility type. `levels` ("eqf7 eqf8") and `languages`
-- ("en:B2 fr:B1") are field groups: they change together with the rest of the condition.
CREATE TABLE agreement_condition (
    id BLOB PRIMARY KEY,
    agreement_id BLOB,
    mobility TEXT NOT NULL DEFAULT 'student_study',
    sending_id BLOB,
    receiving_id BLOB,
    places INTEGER,
    months INTEGER,
    levels TEXT,
    languages TEXT,
    first_year INTEGER,
    last_year INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX agreement_condition_agreement ON agreement_condition (agreement_id);

-- Derived: one row per live agreement for the list (parties' names, zones and countries flattened).
CREATE TABLE agreement_summary (
    id BLOB PRIMARY KEY,
    code TEXT,
    title TEXT NOT NULL,
    sort_title TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    start_date TEXT,
    end_date TEXT,
    parties TEXT NOT NULL,
    zones TEXT NOT NULL,
    countries TEXT NOT NULL
) STRICT;
CREATE INDEX agreement_summary_title ON agreement_summary (sort_title, id);
CREATE INDEX agreement_summary_end ON agreement_summary (end_date, id);
CREATE INDEX agreement_summary_kind ON agreement_summary (kind, sort_title);
CREATE INDEX agreement_summary_status ON agreement_summary (status, end_date);

-- Exchanges: one person's mobility. `partner_id` is the organisation on the other side of the exchange
-- (home for an incoming one, host for an outgoing one), for the per-partner and per-zone views. `amount` is
-- in the currency's minor unit (cents). `academic_year` is the year it starts (2025 for 2025/2026).
CREATE TABLE exchange (
    id BLOB PRIMARY KEY,
    person_id BLOB,
    direction TEXT NOT NULL DEFAULT 'incoming',
    category TEXT NOT NULL DEFAULT 'student',
    programme TEXT NOT NULL DEFAULT 'agreement',
    home_id BLOB,
    host_id BLOB,
    unit_id BLOB,
    agreement_id BLOB,
    condition_id BLOB,
    academic_year INTEGER,
    planned_start TEXT,
    planned_end TEXT,
    actual_start TEXT,
    actual_end TEXT,
    level TEXT,
    field TEXT,
    language TEXT,
    cefr TEXT,
    funding TEXT,
    amount INTEGER,
    currency TEXT,
    status TEXT NOT NULL DEFAULT 'applied',
    cohort TEXT,
    notes TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    partner_id BLOB GENERATED ALWAYS AS (CASE direction WHEN 'outgoing' THEN host_id ELSE home_id END) VIRTUAL
) STRICT;
-- The list's default order (latest year first) and its filters; deleted rows are left out of every index.
CREATE INDEX exchange_year ON exchange (academic_year, planned_start) WHERE deleted = 0;
CREATE INDEX exchange_person ON exchange (person_id) WHERE deleted = 0;
CREATE INDEX exchange_agreement ON exchange (agreement_id, academic_year) WHERE deleted = 0;
CREATE INDEX exchange_partner ON exchange (partner_id, academic_year) WHERE deleted = 0;
CREATE INDEX exchange_cohort ON exchange (cohort, academic_year) WHERE deleted = 0 AND cohort IS NOT NULL;
