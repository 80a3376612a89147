-- Reminders dismissed on this laptop (see reminder.rs): each person's own list of what they have seen to,
-- so local state like `replica_state`, never written by an op and never synced. Keyed by the date the
-- reminder fell on: when that date moves (an agreement renewed to a later end), the reminder is a new one.
CREATE TABLE reminder_dismissal (
    record_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    due TEXT NOT NULL,
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (record_id, kind, due)
) STRICT, WITHOUT ROWID;
