//! The one write path to synced tables. A [`Mutation`] writes rows and, in the same transaction, appends one
//! op per changed column to the op log, with a gapless per-origin `seq` and one hybrid-logical-clock reading
//! per mutation. Because every write is logged, replaying the log rebuilds the synced tables exactly, and a
//! record's history (who, when, which field, old → new) is read back from it.

use std::collections::{BTreeSet, HashMap};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::{Clock, Hlc};
use crate::error::{Error, Result};

/// A synced table: its name, its columns besides `id`, and the column linking it to the record it belongs
/// to (`None` for a record's own table).
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub owner: Option<(&'static str, &'static str)>,
}

/// Every synced table. Ops naming anything else are refused.
pub const SYNCED_TABLES: &[TableSpec] = &[
    TableSpec {
        name: "partner",
        columns: &[
            "acronym",
            "kind",
            "parent_id",
            "country",
            "city",
            "zone",
            "website",
            "status",
            "notes",
            "created_at",
            "deleted",
        ],
        owner: None,
    },
    TableSpec {
        name: "partner_name",
        columns: &["partner_id", "value", "lang", "is_primary", "deleted"],
        owner: Some(("partner_id", "partner")),
    },
    TableSpec {
        name: "partner_identifier",
        columns: &["partner_id", "scheme", "value", "deleted"],
        owner: Some(("partner_id", "partner")),
    },
    TableSpec {
        name: "partner_tag",
        columns: &["partner_id", "value", "deleted"],
        owner: Some(("partner_id", "partner")),
    },
    TableSpec {
        name: "contact",
        columns: &["given_name", "family_name", "native_name", "title", "notes", "created_at", "deleted"],
        owner: None,
    },
    TableSpec {
        name: "contact_detail",
        columns: &["contact_id", "kind", "value", "label", "deleted"],
        owner: Some(("contact_id", "contact")),
    },
    TableSpec {
        name: "affiliation",
        columns: &["contact_id", "partner_id", "role", "start_date", "end_date", "deleted"],
        owner: Some(("contact_id", "contact")),
    },
];

pub fn table_spec(name: &str) -> Option<&'static TableSpec> {
    SYNCED_TABLES.iter().find(|t| t.name == name)
}

fn checked_column(spec: &TableSpec, column: &str) -> Result<&'static str> {
    spec.columns
        .iter()
        .copied()
        .find(|c| *c == column)
        .ok_or_else(|| unknown(&format!("{}.{column}", spec.name)))
}

fn unknown(what: &str) -> Error {
    Error::Database(rusqlite::Error::InvalidParameterName(format!("not a synced column: {what}")))
}

/// One logged column write.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub origin: String,
    pub seq: i64,
    /// Packed clock reading ([`Hlc::pack`]).
    pub hlc: i64,
    pub table: String,
    pub row_id: String,
    pub column: String,
    pub value: Value,
    /// The op this one superseded on the same field, as "hlc:origin", if any.
    pub prev: Option<String>,
}

/// A child row as the caller wants it: the id it named (if any), the key that identifies it among its
/// siblings when no id is given (a name's value and language, say), and its fields.
pub struct Wanted<'a> {
    pub id: Option<&'a str>,
    pub key: String,
    pub fields: Vec<(&'static str, Value)>,
}

/// A group of writes made as one user action: one clock reading, ops numbered from the replica's next `seq`.
/// Lives inside the caller's transaction, which commits or rolls back the data and the ops together.
pub struct Mutation<'c> {
    conn: &'c Connection,
    origin: String,
    hlc: i64,
    next_seq: i64,
}

impl<'c> Mutation<'c> {
    /// Starts a mutation: ticks the replica's clock and finds its next `seq`.
    pub fn begin(conn: &'c Connection, clock: &dyn Clock) -> Result<Self> {
        let (origin, ms, counter): (String, i64, u32) = conn
            .query_row("SELECT replica_id, hlc_ms, hlc_counter FROM replica_state", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?
            .ok_or(Error::NotInitialised)?;
        // `apply` keeps this state past every op received, so a local edit made after seeing a remote one wins.
        let hlc = Hlc { ms, counter }.tick(clock.now().timestamp_millis());
        conn.execute("UPDATE replica_state SET hlc_ms = ?1, hlc_counter = ?2", params![hlc.ms, hlc.counter])?;
        let next_seq: i64 = conn.query_row(
            "SELECT coalesce(max(seq), 0) + 1 FROM op WHERE origin = ?1",
            params![origin],
            |r| r.get(0),
        )?;
        Ok(Mutation { conn, hlc: hlc.pack(), origin, next_seq })
    }

    /// The clock reading shared by this mutation's ops.
    pub fn hlc(&self) -> i64 {
        self.hlc
    }

    /// Creates a row. Every given column is logged, plus `deleted = 0`, so a replay recreates the row even
    /// when all its other columns are at their defaults.
    pub fn insert(&mut self, table: &str, id: &str, values: &[(&str, Value)]) -> Result<()> {
        let spec = table_spec(table).ok_or_else(|| unknown(table))?;
        let mut columns = vec!["id"];
        let mut args: Vec<&Value> = Vec::with_capacity(values.len() + 1);
        let id_value = Value::Text(id.to_owned());
        args.push(&id_value);
        for (column, value) in values {
            columns.push(checked_column(spec, column)?);
            args.push(value);
        }
        let placeholders = (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO {} ({}) VALUES ({placeholders})", spec.name, columns.join(", "));
        self.conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(args))?;
        if !values.iter().any(|(c, _)| *c == "deleted") {
            self.log(spec.name, id, "deleted", &Value::Integer(0), None)?;
        }
        for (column, value) in values {
            if *value != Value::Null {
                self.log(spec.name, id, column, value, None)?;
            }
        }
        Ok(())
    }

    /// Writes the given columns of an existing row, logging only those whose value changes. Returns how
    /// many changed.
    pub fn update(&mut self, table: &str, id: &str, values: &[(&str, Value)]) -> Result<usize> {
        let spec = table_spec(table).ok_or_else(|| unknown(table))?;
        let mut changed = 0;
        for (column, value) in values {
            let column = checked_column(spec, column)?;
            let current: Option<Value> = self
                .conn
                .prepare_cached(&format!("SELECT {column} FROM {} WHERE id = ?1", spec.name))?
                .query_row(params![id], |r| r.get(0))
                .optional()?;
            let Some(current) = current else {
                return Err(Error::NotFound { entity: spec.name, id: id.to_owned() });
            };
            if current == *value {
                continue;
            }
            self.conn
                .prepare_cached(&format!("UPDATE {} SET {column} = ?1 WHERE id = ?2", spec.name))?
                .execute(params![value, id])?;
            let prev: Option<String> = self
                .conn
                .prepare_cached(
                    "SELECT hlc || ':' || origin FROM op WHERE row_id = ?1 AND col = ?2
                     ORDER BY hlc DESC, origin DESC LIMIT 1",
                )?
                .query_row(params![id, column], |r| r.get(0))
                .optional()?;
            self.log(spec.name, id, column, value, prev.as_deref())?;
            changed += 1;
        }
        Ok(changed)
    }

    /// Marks a row deleted, or undeleted; `NotFound` if the row does not exist.
    pub fn set_deleted(&mut self, table: &str, id: &str, deleted: bool) -> Result<()> {
        self.update(table, id, &[("deleted", Value::Integer(i64::from(deleted)))]).map(|_| ())
    }

    /// Makes the live rows of `table` owned by `owner` exactly `wanted`. Rows named by id are claimed first,
    /// then rows whose key (the SQL expression `key_sql` over the row) matches; the rest of `wanted` is
    /// inserted and unclaimed rows are marked deleted. Each existing row is written at most once.
    pub fn reconcile(
        &mut self,
        table: &str,
        owner_column: &str,
        owner: &str,
        key_sql: &str,
        wanted: &[Wanted],
    ) -> Result<()> {
        let spec = table_spec(table).ok_or_else(|| unknown(table))?;
        let owner_column = checked_column(spec, owner_column)?;
        let existing: Vec<(String, String)> = {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT id, {key_sql} FROM {} WHERE {owner_column} = ?1 AND deleted = 0 ORDER BY id",
                spec.name
            ))?;
            let rows = stmt.query_map(params![owner], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut claimed: Vec<Option<&str>> = vec![None; wanted.len()];
        let mut taken = std::collections::HashSet::new();
        for (i, w) in wanted.iter().enumerate() {
            if let Some((row, _)) = w.id.and_then(|id| existing.iter().find(|(row, _)| row == id)) {
                if taken.insert(row.as_str()) {
                    claimed[i] = Some(row);
                }
            }
        }
        for (i, w) in wanted.iter().enumerate() {
            if claimed[i].is_none() {
                if let Some((row, _)) =
                    existing.iter().find(|(row, key)| *key == w.key && !taken.contains(row.as_str()))
                {
                    taken.insert(row.as_str());
                    claimed[i] = Some(row);
                }
            }
        }
        for (w, row) in wanted.iter().zip(&claimed) {
            match row {
                Some(row) => {
                    self.update(spec.name, row, &w.fields)?;
                }
                None => {
                    let mut fields = vec![(owner_column, Value::Text(owner.to_owned()))];
                    fields.extend(w.fields.iter().cloned());
                    self.insert(spec.name, &crate::db::new_id(), &fields)?;
                }
            }
        }
        for (row, _) in &existing {
            if !taken.contains(row.as_str()) {
                self.set_deleted(spec.name, row, true)?;
            }
        }
        Ok(())
    }

    fn log(&mut self, table: &str, id: &str, column: &str, value: &Value, prev: Option<&str>) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO op (origin, seq, hlc, tbl, row_id, col, value, prev)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![self.origin, self.next_seq, self.hlc, table, id, column, value, prev])?;
        self.next_seq += 1;
        Ok(())
    }
}

/// An optional text field as a column value (`NULL` when absent).
pub fn optional_text(value: &Option<String>) -> Value {
    value.clone().map_or(Value::Null, Value::Text)
}

/// Every op in the log, in the order they were made on each origin.
pub fn all_ops(conn: &Connection) -> Result<Vec<Op>> {
    let mut stmt = conn.prepare(
        "SELECT origin, seq, hlc, tbl, row_id, col, value, prev FROM op ORDER BY hlc, origin, seq",
    )?;
    let rows = stmt.query_map([], op_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn op_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Op> {
    Ok(Op {
        origin: r.get(0)?,
        seq: r.get(1)?,
        hlc: r.get(2)?,
        table: r.get(3)?,
        row_id: r.get(4)?,
        column: r.get(5)?,
        value: r.get(6)?,
        prev: r.get(7)?,
    })
}

/// Applies ops (from this replica's log or another's) to the synced tables, field by field, the latest
/// clock reading winning; ops already held are skipped. Derived tables are refreshed for every record
/// touched. Returns how many ops were new.
pub fn apply(conn: &Transaction, ops: &[Op]) -> Result<usize> {
    let mut touched: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let mut fresh = 0;
    let mut newest = i64::MIN;
    for op in ops {
        let spec = table_spec(&op.table).ok_or_else(|| unknown(&op.table))?;
        let column = checked_column(spec, &op.column)?;
        let inserted = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO op (origin, seq, hlc, tbl, row_id, col, value, prev)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![op.origin, op.seq, op.hlc, spec.name, op.row_id, column, op.value, op.prev])?;
        if inserted == 0 {
            continue;
        }
        fresh += 1;
        // The winner is the latest clock reading (origin breaks ties); within one mutation, the later op.
        let latest: Option<(i64, String, i64)> = conn
            .prepare_cached(
                "SELECT hlc, origin, seq FROM op WHERE row_id = ?1 AND col = ?2
                 ORDER BY hlc DESC, origin DESC, seq DESC LIMIT 1",
            )?
            .query_row(params![op.row_id, column], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        newest = newest.max(op.hlc);
        if latest == Some((op.hlc, op.origin.clone(), op.seq)) {
            conn.prepare_cached(&format!(
                "INSERT INTO {0} (id, {column}) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET {column} = excluded.{column}",
                spec.name
            ))?
            .execute(params![op.row_id, op.value])?;
        }
        touched.insert((spec.name, op.row_id.clone()));
    }
    if newest > i64::MIN {
        // Received ops move this replica's clock forward (a database without a replica yet has none).
        let seen = Hlc::unpack(newest);
        conn.execute(
            "UPDATE replica_state SET hlc_ms = ?1, hlc_counter = ?2 WHERE (hlc_ms, hlc_counter) < (?1, ?2)",
            params![seen.ms, seen.counter],
        )?;
    }
    let mut roots: BTreeSet<(&'static str, String)> = BTreeSet::new();
    for (table, row_id) in touched {
        let spec = table_spec(table).ok_or_else(|| unknown(table))?;
        match spec.owner {
            None => {
                roots.insert((spec.name, row_id));
            }
            Some((owner_column, owner_table)) => {
                let owner: Option<String> = conn
                    .query_row(
                        &format!("SELECT {owner_column} FROM {table} WHERE id = ?1"),
                        params![row_id],
                        |r| r.get(0),
                    )
                    .optional()?
                    .flatten();
                if let Some(owner) = owner {
                    roots.insert((owner_table, owner));
                }
            }
        }
    }
    for (table, id) in roots {
        match table {
            "partner" => crate::partner::refresh(conn, &id)?,
            "contact" => crate::contact::refresh(conn, &id)?,
            _ => {}
        }
    }
    Ok(fresh)
}

/// A field as it was written in one change.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FieldChange {
    pub table: String,
    pub row_id: String,
    pub column: String,
    #[ts(type = "unknown")]
    pub old: serde_json::Value,
    #[ts(type = "unknown")]
    pub new: serde_json::Value,
}

/// One change to a record: when, by which replica, and which fields went from what to what.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    /// Packed clock reading of the change (with `origin`, it identifies the change).
    #[ts(type = "number")]
    pub hlc: i64,
    /// RFC 3339 wall time of the change, as its author's clock read it.
    pub at: String,
    pub origin: String,
    /// The author replica's name ("Shanghai office"), or its id if the roster does not know it yet.
    pub author: String,
    pub changes: Vec<FieldChange>,
}

/// The history of a record and of the rows it owns (names, identifiers, e-mails…), oldest first.
pub fn history(conn: &Connection, id: &str) -> Result<Vec<HistoryEntry>> {
    let mut row_ids = vec![id.to_owned()];
    for spec in SYNCED_TABLES {
        if let Some((owner_column, _)) = spec.owner {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT id FROM {} WHERE {owner_column} = ?1", spec.name))?;
            let ids = stmt.query_map(params![id], |r| r.get::<_, String>(0))?;
            for child in ids {
                row_ids.push(child?);
            }
        }
    }
    let names: HashMap<String, String> = {
        let mut stmt = conn.prepare("SELECT id, name FROM replica")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut ops = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT origin, seq, hlc, tbl, row_id, col, value, prev FROM op WHERE row_id = ?1",
        )?;
        for row_id in &row_ids {
            for op in stmt.query_map(params![row_id], op_from_row)? {
                ops.push(op?);
            }
        }
    }
    ops.sort_by(|a, b| (a.hlc, &a.origin, a.seq).cmp(&(b.hlc, &b.origin, b.seq)));
    let mut last: HashMap<(String, String), serde_json::Value> = HashMap::new();
    let mut entries: Vec<HistoryEntry> = Vec::new();
    for op in ops {
        let new = json_of(&op.value);
        let old = last
            .insert((op.row_id.clone(), op.column.clone()), new.clone())
            .unwrap_or(serde_json::Value::Null);
        let change = FieldChange { table: op.table, row_id: op.row_id, column: op.column, old, new };
        match entries.last_mut() {
            Some(entry) if entry.hlc == op.hlc && entry.origin == op.origin => entry.changes.push(change),
            _ => {
                let at = chrono::DateTime::from_timestamp_millis(Hlc::unpack(op.hlc).ms)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default();
                entries.push(HistoryEntry {
                    author: names.get(&op.origin).cloned().unwrap_or_else(|| op.origin.clone()),
                    hlc: op.hlc,
                    at,
                    origin: op.origin,
                    changes: vec![change],
                })
            }
        }
    }
    Ok(entries)
}

pub fn json_of(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => serde_json::Value::from(*i),
        Value::Real(f) => serde_json::Value::from(*f),
        Value::Text(s) => serde_json::Value::from(s.as_str()),
        Value::Blob(b) => serde_json::Value::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
    }
}

/// A canonical dump of every synced table (rows sorted by id, every column), to compare two databases.
pub fn dump_synced(conn: &Connection) -> Result<Vec<(String, Vec<Vec<Value>>)>> {
    let mut out = Vec::new();
    for spec in SYNCED_TABLES {
        let sql = format!("SELECT id, {} FROM {} ORDER BY id", spec.columns.join(", "), spec.name);
        let mut stmt = conn.prepare(&sql)?;
        let width = spec.columns.len() + 1;
        let rows = stmt.query_map([], |r| (0..width).map(|i| r.get::<_, Value>(i)).collect())?;
        out.push((spec.name.to_owned(), rows.collect::<Result<_, _>>()?));
    }
    Ok(out)
}
