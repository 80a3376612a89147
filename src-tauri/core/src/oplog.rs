//! The one write path to synced tables. A [`Mutation`] writes rows and, in the same transaction, appends one
//! op per row it writes (the columns that changed, as a compact patch) to the op log, with a gapless
//! per-origin `seq` and one hybrid-logical-clock reading per mutation. Because every write is logged,
//! replaying the log rebuilds the synced tables exactly (column by column, last writer wins), and a
//! record's history (who, when, which field, old → new) is read back from it.
//!
//! Ops travel between versions: `apply` keeps (quarantines) what names a table or column this version does
//! not know instead of refusing the batch, `replay_quarantine` applies it once an upgrade knows the name, and
//! `all_ops` gives it back whole so it travels on. Table and column codes and the patch encoding are frozen
//! by golden tests (`tests/golden/`).

use std::collections::{BTreeSet, HashMap};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::{Clock, Hlc};
use crate::error::{Error, Result};
use crate::store::Tx;

pub mod conflict;
pub mod erasure;
pub mod wire;

/// A synced table: its name, its code in the op log, its columns besides `id`, and the column linking it to
/// the record it belongs to (`None` for a record's own table).
///
/// Frozen: ops store tables and columns by code (a column's code is its position in `columns`, from 1), so
/// codes are never reused or reordered; a new column goes at the end of its list, a new table gets a new
/// code.
pub struct TableSpec {
    pub name: &'static str,
    pub code: u8,
    pub columns: &'static [&'static str],
    pub owner: Option<(&'static str, &'static str)>,
}

/// Every synced table. Received ops naming anything else are quarantined (see [`apply`]).
pub const SYNCED_TABLES: &[TableSpec] = &[
    TableSpec {
        name: "partner",
        code: 1,
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
        code: 2,
        columns: &["partner_id", "value", "lang", "is_primary", "deleted"],
        owner: Some(("partner_id", "partner")),
    },
    TableSpec {
        name: "partner_identifier",
        code: 3,
        columns: &["partner_id", "scheme", "value", "deleted"],
        owner: Some(("partner_id", "partner")),
    },
    TableSpec {
        name: "partner_tag",
        code: 4,
        columns: &["partner_id", "value", "deleted"],
        owner: Some(("partner_id", "partner")),
    },
    TableSpec {
        name: "contact",
        code: 5,
        columns: &[
            "given_name",
            "family_name",
            "native_name",
            "title",
            "notes",
            "created_at",
            "deleted",
            "emails",
            "phones",
            "languages",
        ],
        owner: None,
    },
    // Code 6 (contact_detail) was retired before the first release: e-mails, phones and languages are
    // field groups of `contact`.
    TableSpec {
        name: "affiliation",
        code: 7,
        columns: &["contact_id", "partner_id", "role", "start_date", "end_date", "deleted"],
        owner: Some(("contact_id", "contact")),
    },
    TableSpec {
        name: "agreement",
        code: 8,
        columns: &[
            "code",
            "title",
            "kind",
            "parent_id",
            "status",
            "signed_date",
            "start_date",
            "end_date",
            "auto_renewal",
            "notice_months",
            "notes",
            "deleted",
        ],
        owner: None,
    },
    TableSpec {
        name: "agreement_party",
        code: 9,
        columns: &["agreement_id", "partner_id", "unit_id", "role", "signatory_id", "signed_date", "deleted"],
        owner: Some(("agreement_id", "agreement")),
    },
    TableSpec {
        name: "agreement_field",
        code: 10,
        columns: &["agreement_id", "code", "deleted"],
        owner: Some(("agreement_id", "agreement")),
    },
    TableSpec {
        name: "agreement_condition",
        code: 11,
        columns: &[
            "agreement_id",
            "mobility",
            "sending_id",
            "receiving_id",
            "places",
            "months",
            "levels",
            "languages",
            "first_year",
            "last_year",
            "deleted",
        ],
        owner: Some(("agreement_id", "agreement")),
    },
    TableSpec {
        name: "exchange",
        code: 12,
        columns: &[
            "person_id",
            "direction",
            "category",
            "programme",
            "home_id",
            "host_id",
            "unit_id",
            "agreement_id",
            "condition_id",
            "academic_year",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "level",
            "field",
            "language",
            "cefr",
            "funding",
            "amount",
            "currency",
            "status",
            "cohort",
            "notes",
            "deleted",
        ],
        owner: None,
    },
    TableSpec {
        name: "call",
        code: 13,
        columns: &[
            "code",
            "title",
            "programme",
            "funder_id",
            "opens_at",
            "deadline_at",
            "results_at",
            "time_zone",
            "budget",
            "max_award",
            "currency",
            "min_partners",
            "min_countries",
            "required_zones",
            "lyon_lead_required",
            "status",
            "notes",
            "deleted",
        ],
        owner: None,
    },
    TableSpec {
        name: "call_criterion",
        code: 14,
        columns: &["call_id", "name", "weight", "max_score", "threshold", "position", "deleted"],
        owner: Some(("call_id", "call")),
    },
    TableSpec {
        name: "application",
        code: 15,
        columns: &[
            "call_id",
            "reference",
            "acronym",
            "title",
            "pi_id",
            "lead_id",
            "requested",
            "cofunding",
            "duration_months",
            "status",
            "notes",
            "deleted",
        ],
        owner: None,
    },
    TableSpec {
        name: "application_partner",
        code: 16,
        columns: &["application_id", "partner_id", "role", "deleted"],
        owner: Some(("application_id", "application")),
    },
    TableSpec {
        name: "review",
        code: 17,
        columns: &["application_id", "reviewer_id", "scores", "comment", "deleted"],
        owner: Some(("application_id", "application")),
    },
    TableSpec {
        name: "project",
        code: 18,
        columns: &[
            "code",
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "budget",
            "currency",
            "fields",
            "notes",
            "deleted",
        ],
        owner: None,
    },
    TableSpec {
        name: "project_link",
        code: 19,
        columns: &["project_id", "kind", "target_id", "role", "deleted"],
        owner: Some(("project_id", "project")),
    },
    TableSpec {
        name: "event",
        code: 20,
        columns: &[
            "title",
            "kind",
            "start_date",
            "end_date",
            "online",
            "venue",
            "zone",
            "project_id",
            "registered",
            "attended",
            "notes",
            "deleted",
        ],
        owner: None,
    },
    TableSpec {
        name: "event_organiser",
        code: 21,
        columns: &["event_id", "partner_id", "deleted"],
        owner: Some(("event_id", "event")),
    },
    TableSpec {
        name: "document",
        code: 22,
        columns: &["owner_id", "name", "sha256", "size", "media_type", "deleted"],
        owner: None,
    },
    // The roster of replicas (see `sync::identity`): its row id is the replica's id.
    TableSpec {
        name: "roster",
        code: 23,
        columns: &["name", "public_key", "state", "until_seq", "deleted"],
        owner: None,
    },
    // Erasure tombstones (see `erasure`): the row id is the erased record's.
    TableSpec { name: "erasure", code: 24, columns: &["record", "deleted"], owner: None },
];

pub fn table_spec(name: &str) -> Option<&'static TableSpec> {
    SYNCED_TABLES.iter().find(|t| t.name == name)
}

fn table_by_code(code: i64) -> Result<&'static TableSpec> {
    SYNCED_TABLES
        .iter()
        .find(|t| i64::from(t.code) == code)
        .ok_or_else(|| corrupt(format!("table code {code}")))
}

fn checked_column(spec: &TableSpec, column: &str) -> Result<&'static str> {
    spec.columns
        .iter()
        .copied()
        .find(|c| *c == column)
        .ok_or_else(|| unknown(&format!("{}.{column}", spec.name)))
}

fn column_code(spec: &TableSpec, column: &str) -> Result<u8> {
    spec.columns
        .iter()
        .position(|c| *c == column)
        .and_then(|i| u8::try_from(i + 1).ok())
        .ok_or_else(|| unknown(&format!("{}.{column}", spec.name)))
}

fn column_of_code(spec: &TableSpec, code: u8) -> Result<&'static str> {
    usize::from(code)
        .checked_sub(1)
        .and_then(|i| spec.columns.get(i))
        .copied()
        .ok_or_else(|| corrupt(format!("column code {code} of {}", spec.name)))
}

fn unknown(what: &str) -> Error {
    Error::Database(rusqlite::Error::InvalidParameterName(format!("not a synced column: {what}")))
}

fn corrupt(what: String) -> Error {
    Error::Corrupt(what)
}

/// One logged write of some columns of one row, by one mutation.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub origin: Uuid,
    pub seq: i64,
    /// Packed clock reading ([`Hlc::pack`]).
    pub hlc: i64,
    pub table: String,
    pub row_id: Uuid,
    /// The columns written and their new values, in the table's column order.
    pub patch: Vec<(String, Value)>,
    /// The ops of the same row this write was made on top of (clock reading, origin), latest first: the
    /// row's latest ops as its writer held them (one, unless concurrent writes had left several). Empty for
    /// an insert. A write supersedes its `prev` and everything they superseded; see [`conflict`].
    pub prev: Vec<(i64, Uuid)>,
}

/// A column value as stored in a patch. Frozen: stored ops are decoded with it.
#[derive(Serialize, Deserialize)]
enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// Encodes a patch as (column code, value) pairs with postcard: varints and raw bytes, a few bytes per
/// column beyond the value itself.
fn encode_patch(spec: &TableSpec, patch: &[(&str, &Value)]) -> Result<Vec<u8>> {
    let mut cells = Vec::with_capacity(patch.len());
    for (column, value) in patch {
        cells.push((column_code(spec, column)?, CellRef::of(value)));
    }
    postcard::to_allocvec(&cells).map_err(|e| corrupt(format!("cannot encode a patch: {e}")))
}

/// A [`Cell`] borrowing its value, to encode without copying it: the same variants in the same order, so
/// the same bytes.
#[derive(Serialize)]
#[serde(rename = "Cell")]
enum CellRef<'v> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'v str),
    /// A slice serializes as a sequence of bytes, as `Vec<u8>` does.
    Blob(&'v [u8]),
}

impl<'v> CellRef<'v> {
    fn of(value: &'v Value) -> Self {
        match value {
            Value::Null => CellRef::Null,
            Value::Integer(i) => CellRef::Integer(*i),
            Value::Real(f) => CellRef::Real(*f),
            Value::Text(s) => CellRef::Text(s),
            Value::Blob(b) => CellRef::Blob(b),
        }
    }
}

fn decode_patch(spec: &TableSpec, bytes: &[u8]) -> Result<Vec<(&'static str, Value)>> {
    let cells: Vec<(u8, Cell)> =
        postcard::from_bytes(bytes).map_err(|e| corrupt(format!("a patch of {}: {e}", spec.name)))?;
    cells.into_iter().map(|(code, cell)| Ok((column_of_code(spec, code)?, value_of(cell)))).collect()
}

fn cell_of(value: &Value) -> Cell {
    match value {
        Value::Null => Cell::Null,
        Value::Integer(i) => Cell::Integer(*i),
        Value::Real(f) => Cell::Real(*f),
        Value::Text(s) => Cell::Text(s.clone()),
        Value::Blob(b) => Cell::Blob(b.clone()),
    }
}

fn value_of(cell: Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Integer(i) => Value::Integer(i),
        Cell::Real(f) => Value::Real(f),
        Cell::Text(s) => Value::Text(s),
        Cell::Blob(b) => Value::Blob(b),
    }
}

/// Encodes a quarantined patch: (column name, value) pairs with postcard, names because this version has no
/// code for them. Frozen like [`encode_patch`]: quarantined ops wait in the database across versions.
fn encode_named(patch: &[(String, Value)]) -> Result<Vec<u8>> {
    let cells: Vec<(&str, Cell)> = patch.iter().map(|(c, v)| (c.as_str(), cell_of(v))).collect();
    postcard::to_allocvec(&cells).map_err(|e| corrupt(format!("cannot encode a quarantined patch: {e}")))
}

fn decode_named(bytes: &[u8]) -> Result<Vec<(String, Value)>> {
    let cells: Vec<(String, Cell)> =
        postcard::from_bytes(bytes).map_err(|e| corrupt(format!("a quarantined patch: {e}")))?;
    Ok(cells.into_iter().map(|(c, cell)| (c, value_of(cell))).collect())
}

/// Columns a version knows, by their static names, and the values to write.
type KnownPatch<'v> = Vec<(&'static str, &'v Value)>;

/// Splits a patch into the columns `spec` knows (by their static names, in the table's column order) and
/// the others (none known when there is no spec: the table itself is unknown).
fn split_known<'v>(
    spec: Option<&TableSpec>,
    patch: &'v [(String, Value)],
) -> (KnownPatch<'v>, Vec<(String, Value)>) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for (column, value) in patch {
        match spec.and_then(|s| s.columns.iter().position(|c| c == column).map(|i| (i, s.columns[i]))) {
            Some((i, name)) => known.push((i, name, value)),
            None => unknown.push((column.clone(), value.clone())),
        }
    }
    known.sort_by_key(|(i, _, _)| *i);
    (known.into_iter().map(|(_, c, v)| (c, v)).collect(), unknown)
}

/// A child row as the caller wants it: the id it named (if any), the key that identifies it among its
/// siblings when no id is given (a name's value and language, say), and its fields.
pub struct Wanted {
    pub id: Option<Uuid>,
    pub key: String,
    pub fields: Vec<(&'static str, Value)>,
}

/// A group of writes made as one user action: one clock reading, ops numbered from the replica's next `seq`.
/// Lives inside the caller's transaction, which commits or rolls back the data and the ops together.
pub struct Mutation<'c> {
    conn: &'c Tx<'c>,
    origin: i64,
    hlc: i64,
    next_seq: i64,
    /// The replica's state is held in memory by the transaction ([`hold`]): the next `seq` goes back there.
    held: bool,
    /// Records this mutation created, and the child tables reconciled under them since: a record just
    /// created has no child rows yet to look for.
    created: Vec<(Uuid, Vec<&'static str>)>,
}

/// Holds the replica's clock and op numbering in memory for the rest of the transaction, for a bulk write of
/// many records: each [`Mutation`] still gets its own clock reading and its ops the next seqs, exactly as
/// when written one by one, but `replica_state` and the op log's last `seq` are read once instead of for
/// every mutation, and the clock is written back once, by [`Tx::release`] or the commit. A caller that rolls
/// back to a savepoint puts back the state it had there ([`Tx::held`], [`Tx::hold`]).
pub fn hold(tx: &Tx) -> Result<()> {
    if tx.held().is_some() {
        return Ok(());
    }
    let (origin, hlc_ms, hlc_counter) = replica_clock(tx)?;
    let next_seq = next_seq(tx, origin)?;
    tx.hold(Some(crate::store::ReplicaState { origin, hlc_ms, hlc_counter, next_seq }));
    Ok(())
}

/// The replica's number and clock, from `replica_state`.
fn replica_clock(conn: &Connection) -> Result<(i64, i64, u32)> {
    conn.prepare_cached(
        "SELECT r.num, s.hlc_ms, s.hlc_counter FROM replica_state s JOIN replica r ON r.id = s.replica_id",
    )?
    .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()?
    .ok_or(Error::NotInitialised)
}

fn next_seq(conn: &Connection, origin: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM op WHERE origin = ?1")?
        .query_row(params![origin], |r| r.get(0))?)
}

impl<'c> Mutation<'c> {
    /// Starts a mutation: ticks the replica's clock and finds its next `seq`.
    pub fn begin(conn: &'c Tx<'c>, clock: &dyn Clock) -> Result<Self> {
        let now = clock.now().timestamp_millis();
        if let Some(mut state) = conn.held() {
            let hlc = Hlc { ms: state.hlc_ms, counter: state.hlc_counter }.tick(now);
            (state.hlc_ms, state.hlc_counter) = (hlc.ms, hlc.counter);
            conn.hold(Some(state));
            let (origin, next_seq) = (state.origin, state.next_seq);
            return Ok(Mutation { conn, hlc: hlc.pack(), origin, next_seq, held: true, created: Vec::new() });
        }
        let (origin, ms, counter) = replica_clock(conn)?;
        // `apply` keeps this state past every op received, so a local edit made after seeing a remote one wins.
        let hlc = Hlc { ms, counter }.tick(now);
        conn.prepare_cached("UPDATE replica_state SET hlc_ms = ?1, hlc_counter = ?2")?
            .execute(params![hlc.ms, hlc.counter])?;
        let next_seq = next_seq(conn, origin)?;
        Ok(Mutation { conn, hlc: hlc.pack(), origin, next_seq, held: false, created: Vec::new() })
    }

    /// The clock reading shared by this mutation's ops.
    pub fn hlc(&self) -> i64 {
        self.hlc
    }

    /// Creates a row and logs its non-null columns as one op (a replay creates the row from that op alone).
    pub fn insert(&mut self, table: &str, id: Uuid, values: &[(&str, Value)]) -> Result<()> {
        let spec = table_spec(table).ok_or_else(|| unknown(table))?;
        let mut columns = vec!["id"];
        let mut args: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(values.len() + 1);
        args.push(&id);
        for (column, value) in values {
            columns.push(checked_column(spec, column)?);
            args.push(value);
        }
        let placeholders = (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO {} ({}) VALUES ({placeholders})", spec.name, columns.join(", "));
        self.conn.prepare_cached(&sql)?.execute(args.as_slice())?;
        self.conn.touch(spec.name, id, []);
        if spec.owner.is_none() {
            self.created.push((id, Vec::new()));
        }
        // The values are the row's own until it first changes: `materialize` copies them into the op then.
        self.log(spec, id, None, &[])
    }

    /// Writes the given columns of an existing row, logging those whose value changes as one op. Returns
    /// how many changed.
    pub fn update(&mut self, table: &str, id: Uuid, values: &[(&str, Value)]) -> Result<usize> {
        self.write_columns(table, id, values, false)
    }

    /// Writes and logs the given columns even where the value does not change: a person's decision (a
    /// conflict settled by keeping the value shown) is an op above the ones it settles.
    pub fn rewrite(&mut self, table: &str, id: Uuid, values: &[(&str, Value)]) -> Result<usize> {
        self.write_columns(table, id, values, true)
    }

    fn write_columns(
        &mut self,
        table: &str,
        id: Uuid,
        values: &[(&str, Value)],
        force: bool,
    ) -> Result<usize> {
        let spec = table_spec(table).ok_or_else(|| unknown(table))?;
        if erasure::covers(self.conn, spec.name, id, &[])? {
            return Err(Error::Conflict(
                "this person was erased: the record can no longer be changed".into(),
            ));
        }
        let columns = values.iter().map(|(c, _)| checked_column(spec, c)).collect::<Result<Vec<_>>>()?;
        if columns.is_empty() {
            return Ok(0);
        }
        let current: Option<Vec<Value>> = self
            .conn
            .prepare_cached(&format!("SELECT {} FROM {} WHERE id = ?1", columns.join(", "), spec.name))?
            .query_row(params![id], |r| (0..columns.len()).map(|i| r.get(i)).collect())
            .optional()?;
        let Some(current) = current else {
            return Err(Error::NotFound { entity: spec.name, id: id.to_string() });
        };
        materialize(self.conn, spec, id)?;
        let changed: Vec<(&'static str, &Value, &Value)> = columns
            .iter()
            .zip(values)
            .zip(&current)
            .filter(|((_, (_, new)), old)| force || new != *old)
            .map(|((column, (_, new)), old)| (*column, new, old))
            .collect();
        if changed.is_empty() {
            return Ok(0);
        }
        self.conn.touch(spec.name, id, changed.iter().map(|(c, _, old)| (*c, (*old).clone())));
        let changed: Vec<(&str, &Value)> = changed.into_iter().map(|(c, new, _)| (c, new)).collect();
        let assignments =
            changed.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 2)).collect::<Vec<_>>();
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&id];
        args.extend(changed.iter().map(|(_, v)| *v as &dyn rusqlite::ToSql));
        self.conn
            .prepare_cached(&format!("UPDATE {} SET {} WHERE id = ?1", spec.name, assignments.join(", ")))?
            .execute(args.as_slice())?;
        let prev = conflict::frontier(self.conn, id)?;
        self.log(spec, id, Some(&changed), &prev)?;
        // A write on top of the row's one latest op saw everything: it can only settle conflicts.
        if prev.len() > 1 || conflict::open_on(self.conn, id)? {
            conflict::settle_row(self.conn, id)?;
        }
        Ok(changed.len())
    }

    /// Marks a row deleted, or undeleted; `NotFound` if the row does not exist.
    pub fn set_deleted(&mut self, table: &str, id: Uuid, deleted: bool) -> Result<()> {
        self.update(table, id, &[("deleted", Value::Integer(i64::from(deleted)))]).map(|_| ())
    }

    /// Makes the live rows of `table` owned by `owner` exactly `wanted`. Rows named by id are claimed first,
    /// then rows whose key (the SQL expression `key_sql` over the row) matches; the rest of `wanted` is
    /// inserted and unclaimed rows are marked deleted. Each existing row is written at most once.
    pub fn reconcile(
        &mut self,
        table: &str,
        owner_column: &str,
        owner: Uuid,
        key_sql: &str,
        wanted: &[Wanted],
    ) -> Result<()> {
        let spec = table_spec(table).ok_or_else(|| unknown(table))?;
        let owner_column = checked_column(spec, owner_column)?;
        let fresh = match self.created.iter_mut().find(|(id, _)| *id == owner) {
            Some((_, reconciled)) if !reconciled.contains(&spec.name) => {
                reconciled.push(spec.name);
                true
            }
            _ => false,
        };
        let existing: Vec<(Uuid, String)> = if fresh {
            Vec::new()
        } else {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT id, {key_sql} FROM {} WHERE {owner_column} = ?1 AND deleted = 0 ORDER BY id",
                spec.name
            ))?;
            let rows = stmt.query_map(params![owner], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut claimed: Vec<Option<Uuid>> = vec![None; wanted.len()];
        let mut taken = std::collections::HashSet::new();
        for (i, w) in wanted.iter().enumerate() {
            if let Some((row, _)) = w.id.and_then(|id| existing.iter().find(|(row, _)| *row == id)) {
                if taken.insert(*row) {
                    claimed[i] = Some(*row);
                }
            }
        }
        for (i, w) in wanted.iter().enumerate() {
            if claimed[i].is_none() {
                if let Some((row, _)) =
                    existing.iter().find(|(row, key)| *key == w.key && !taken.contains(row))
                {
                    taken.insert(*row);
                    claimed[i] = Some(*row);
                }
            }
        }
        for (w, row) in wanted.iter().zip(&claimed) {
            match row {
                Some(row) => {
                    self.update(spec.name, *row, &w.fields)?;
                }
                None => {
                    let mut fields = vec![(owner_column, Value::Blob(owner.as_bytes().to_vec()))];
                    fields.extend(w.fields.iter().cloned());
                    self.insert(spec.name, crate::store::new_id(), &fields)?;
                }
            }
        }
        for (row, _) in &existing {
            if !taken.contains(row) {
                self.set_deleted(spec.name, *row, true)?;
            }
        }
        Ok(())
    }

    /// Appends one op; `patch` is `None` for an insert whose values are the row's own (see `materialize`).
    fn log(
        &mut self,
        spec: &TableSpec,
        id: Uuid,
        patch: Option<&[(&str, &Value)]>,
        prev: &[(i64, i64)],
    ) -> Result<()> {
        let bytes = patch.map(|patch| encode_patch(spec, patch)).transpose()?;
        self.conn
            .prepare_cached(
                "INSERT INTO op (origin, seq, hlc, tbl, row_id, patch, prev_hlc, prev_origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                self.origin,
                self.next_seq,
                self.hlc,
                spec.code,
                id,
                bytes,
                prev.first().map(|p| p.0),
                prev.first().map(|p| p.1)
            ])?;
        conflict::keep_more_prev(self.conn, self.origin, self.next_seq, prev.get(1..).unwrap_or_default())?;
        self.next_seq += 1;
        if self.held {
            if let Some(state) = self.conn.held() {
                self.conn.hold(Some(crate::store::ReplicaState { next_seq: self.next_seq, ..state }));
            }
        }
        Ok(())
    }
}

/// The row's columns as an insert would have logged them: every non-null column but `deleted = 0`.
fn row_as_patch(conn: &Connection, spec: &TableSpec, id: Uuid) -> Result<Vec<(&'static str, Value)>> {
    let row: Option<Vec<Value>> = conn
        .prepare_cached(&format!("SELECT {} FROM {} WHERE id = ?1", spec.columns.join(", "), spec.name))?
        .query_row(params![id], |r| (0..spec.columns.len()).map(|i| r.get(i)).collect())
        .optional()?;
    Ok(spec
        .columns
        .iter()
        .copied()
        .zip(row.unwrap_or_default())
        .filter(|(c, v)| *v != Value::Null && !(*c == "deleted" && *v == Value::Integer(0)))
        .collect())
}

/// Before a row first changes, copies its values into its insert op (kept empty until then): the log then
/// holds them once the row no longer does. Every write to an existing synced row calls this first.
fn materialize(conn: &Connection, spec: &TableSpec, id: Uuid) -> Result<()> {
    let lazy: Option<(i64, i64)> = conn
        .prepare_cached(
            "SELECT origin, seq FROM op INDEXED BY op_row WHERE row_id = ?1 AND tbl = ?2 AND patch IS NULL",
        )?
        .query_row(params![id, spec.code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((origin, seq)) = lazy {
        let values = row_as_patch(conn, spec, id)?;
        let patch: Vec<(&str, &Value)> = values.iter().map(|(c, v)| (*c, v)).collect();
        conn.prepare_cached("UPDATE op SET patch = ?1 WHERE origin = ?2 AND seq = ?3")?.execute(params![
            encode_patch(spec, &patch)?,
            origin,
            seq
        ])?;
    }
    Ok(())
}

/// The reconcile key of a reference, as the SQL `coalesce(hex(column), '')` computes it from the row.
pub fn id_key(id: Option<Uuid>) -> String {
    id.map(|i| i.simple().to_string().to_uppercase()).unwrap_or_default()
}

/// A value for a column holding a record's id.
pub fn id_value(id: Uuid) -> Value {
    Value::Blob(id.as_bytes().to_vec())
}

/// An optional reference to a record as a column value (`NULL` when absent).
pub fn optional_id(id: Option<Uuid>) -> Value {
    id.map_or(Value::Null, id_value)
}

/// An optional text field as a column value (`NULL` when absent).
pub fn optional_text(value: &Option<String>) -> Value {
    value.clone().map_or(Value::Null, Value::Text)
}

const OP_COLUMNS: &str = "r.id, o.seq, o.hlc, o.tbl, o.row_id, o.patch, o.prev_hlc, p.id, o.origin
     FROM op o JOIN replica r ON r.num = o.origin LEFT JOIN replica p ON p.num = o.prev_origin";

/// [`OP_COLUMNS`] for the ops of one row (`WHERE o.row_id = …`). The index is named: statistics taken while
/// the log was small would otherwise have the planner scan the whole log for each row.
const ROW_OP_COLUMNS: &str = "r.id, o.seq, o.hlc, o.tbl, o.row_id, o.patch, o.prev_hlc, p.id, o.origin
     FROM op o INDEXED BY op_row JOIN replica r ON r.num = o.origin LEFT JOIN replica p ON p.num = o.prev_origin";

/// Every op in the log, in clock order, whole: with the quarantined ops and columns (see [`apply`]), so
/// that what this version cannot apply still travels on.
pub fn all_ops(conn: &Connection) -> Result<Vec<Op>> {
    let mut waiting: HashMap<(Uuid, i64), Op> = HashMap::new();
    for w in quarantined(conn)? {
        let op = Op {
            origin: w.origin,
            seq: w.seq,
            hlc: w.hlc,
            table: w.table,
            row_id: w.row_id,
            patch: decode_named(&w.patch)?,
            prev: conflict::prevs(conn, w.origin_num, w.seq, w.prev_hlc.zip(w.prev_origin))?,
        };
        waiting.insert((w.origin, w.seq), op);
    }
    let mut stmt = conn.prepare(&format!("SELECT {OP_COLUMNS} ORDER BY o.hlc, r.id, o.seq"))?;
    let rows = stmt.query_map([], raw_op)?;
    let mut ops = rows
        .map(|row| {
            let mut op = op_of(conn, row?)?;
            if let Some(rest) = waiting.remove(&(op.origin, op.seq)) {
                op.patch.extend(rest.patch);
            }
            Ok(op)
        })
        .collect::<Result<Vec<_>>>()?;
    if !waiting.is_empty() {
        ops.extend(waiting.into_values());
        ops.sort_by_key(|op| (op.hlc, op.origin, op.seq));
    }
    Ok(ops)
}

/// The ops of one origin with `seq` in `first..=last`, whole (quarantined columns and ops included), in
/// `seq` order, one at a time: what a sync file carries.
pub fn for_each_op_of(
    conn: &Connection,
    origin: Uuid,
    first: i64,
    last: i64,
    mut f: impl FnMut(Op) -> Result<()>,
) -> Result<()> {
    let Some(num) = conn
        .prepare_cached("SELECT num FROM replica WHERE id = ?1")?
        .query_row(params![origin], |r| r.get::<_, i64>(0))
        .optional()?
    else {
        return Ok(());
    };
    let mut waiting: std::collections::BTreeMap<i64, Op> = std::collections::BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT q.seq, q.hlc, q.tbl, q.row_id, q.patch, q.prev_hlc, p.id FROM op_quarantine q
             LEFT JOIN replica p ON p.num = q.prev_origin WHERE q.origin = ?1 AND q.seq BETWEEN ?2 AND ?3",
        )?;
        let rows = stmt.query_map(params![num, first, last], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Uuid>(3)?,
                r.get::<_, Vec<u8>>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<Uuid>>(6)?,
            ))
        })?;
        for row in rows {
            let (seq, hlc, table, row_id, patch, prev_hlc, prev_origin) = row?;
            let op = Op {
                origin,
                seq,
                hlc,
                table,
                row_id,
                patch: decode_named(&patch)?,
                prev: conflict::prevs(conn, num, seq, prev_hlc.zip(prev_origin))?,
            };
            waiting.insert(seq, op);
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OP_COLUMNS} WHERE o.origin = ?1 AND o.seq BETWEEN ?2 AND ?3 ORDER BY o.seq"
    ))?;
    let mut rows = stmt.query(params![num, first, last])?;
    while let Some(row) = rows.next()? {
        let mut op = op_of(conn, raw_op(row)?)?;
        while let Some(entry) = waiting.first_entry() {
            if *entry.key() >= op.seq {
                break;
            }
            f(entry.remove())?;
        }
        if let Some(rest) = waiting.remove(&op.seq) {
            op.patch.extend(rest.patch);
        }
        f(op)?;
    }
    for (_, op) in waiting {
        f(op)?;
    }
    Ok(())
}

/// The local number of a replica in the op log, adding it to the roster of authors if it is new.
pub fn origin_num(conn: &Connection, id: Uuid) -> Result<i64> {
    replica_num(conn, id)
}

/// A stored op as read by [`OP_COLUMNS`], before its table and patch are decoded.
struct RawOp {
    origin: Uuid,
    seq: i64,
    hlc: i64,
    tbl: i64,
    row_id: Uuid,
    patch: Option<Vec<u8>>,
    prev_hlc: Option<i64>,
    prev_origin: Option<Uuid>,
    origin_num: i64,
}

fn raw_op(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawOp> {
    Ok(RawOp {
        origin: r.get(0)?,
        seq: r.get(1)?,
        hlc: r.get(2)?,
        tbl: r.get(3)?,
        row_id: r.get(4)?,
        patch: r.get(5)?,
        prev_hlc: r.get(6)?,
        prev_origin: r.get(7)?,
        origin_num: r.get(8)?,
    })
}

fn op_of(conn: &Connection, raw: RawOp) -> Result<Op> {
    let RawOp { origin, seq, hlc, tbl, row_id, patch, prev_hlc, prev_origin, origin_num } = raw;
    let spec = table_by_code(tbl)?;
    let patch = match patch {
        Some(bytes) => decode_patch(spec, &bytes)?,
        None => row_as_patch(conn, spec, row_id)?,
    };
    Ok(Op {
        origin,
        seq,
        hlc,
        table: spec.name.to_owned(),
        row_id,
        patch: patch.into_iter().map(|(c, v)| (c.to_owned(), v)).collect(),
        prev: conflict::prevs(conn, origin_num, seq, prev_hlc.zip(prev_origin))?,
    })
}

/// The local number of a replica, adding it to the roster (named by its id until its name arrives).
fn replica_num(conn: &Connection, id: Uuid) -> Result<i64> {
    if let Some(num) = conn
        .prepare_cached("SELECT num FROM replica WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?
    {
        return Ok(num);
    }
    conn.prepare_cached("INSERT INTO replica (id, name, created_at) VALUES (?1, ?2, '')")?
        .execute(params![id, id.to_string()])?;
    Ok(conn.last_insert_rowid())
}

/// Applies ops (from this replica's log or another's) to the synced tables, column by column, the latest
/// clock reading winning (`(hlc, origin, seq)` orders ops); ops already held are skipped. Ops, or columns of
/// ops, naming a table or column this version does not know (a newer version wrote them) are quarantined:
/// kept, not refused, and applied by [`replay_quarantine`] once an upgrade knows them. Every row written is
/// noted in the transaction, whose derived rows are settled once before it commits. Returns how many ops
/// were new.
pub fn apply(conn: &Tx, ops: &[Op]) -> Result<usize> {
    apply_with(conn, ops, SYNCED_TABLES)
}

/// Applies ops that arrive already blanked by an erasure, each with the hash of its original wire form (what
/// its origin signed). The caller checks that their rows are erased once its batch is done.
pub fn apply_erased(conn: &Tx, ops: &[(Op, [u8; 32])]) -> Result<usize> {
    let mut fresh = 0;
    for (op, original) in ops {
        let origin = replica_num(conn, op.origin)?;
        if conn
            .prepare_cached("SELECT 1 FROM op WHERE origin = ?1 AND seq = ?2")?
            .exists(params![origin, op.seq])?
        {
            continue;
        }
        erasure::keep_hash(conn, origin, op.seq, original)?;
        fresh += apply(conn, std::slice::from_ref(op))?;
    }
    Ok(fresh)
}

/// [`apply`] with a given registry of synced tables: tests play an older version with a registry that
/// lacks tables or trailing columns.
pub fn apply_with(conn: &Tx, ops: &[Op], tables: &[TableSpec]) -> Result<usize> {
    let mut fresh = 0;
    let mut newest = i64::MIN;
    let mut unsettled: BTreeSet<Uuid> = BTreeSet::new();
    // Looked up once per batch: origins are few, and most workspaces have erased no one.
    let mut nums: HashMap<Uuid, i64> = HashMap::new();
    let mut num = |o: Uuid| -> Result<i64> {
        if let Some(n) = nums.get(&o) {
            return Ok(*n);
        }
        let n = replica_num(conn, o)?;
        nums.insert(o, n);
        Ok(n)
    };
    let mut any_erased = conn.prepare_cached("SELECT 1 FROM erasure LIMIT 1")?.exists([])?;
    // Held for the batch rather than looked up by their text for each op.
    let mut new_rows = NewRows::new(conn);
    let mut log = conn.prepare_cached(
        "INSERT OR IGNORE INTO op (origin, seq, hlc, tbl, row_id, patch, prev_hlc, prev_origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for op in ops {
        // An op of an erased row is kept without its values, and never applied (see `erasure`).
        let covered = any_erased && erasure::covers(conn, &op.table, op.row_id, &op.patch)?;
        let original = if covered { Some(wire::hash_op(&wire::to_wire(op.clone()))?) } else { None };
        let blanked;
        let op = if covered {
            let mut copy = op.clone();
            erasure::blank(&mut copy);
            blanked = copy;
            &blanked
        } else {
            op
        };
        let spec = tables.iter().find(|t| t.name == op.table);
        let (known, unknown) = split_known(spec, &op.patch);
        let origin = num(op.origin)?;
        let mut prev = Vec::with_capacity(op.prev.len());
        for (hlc, o) in &op.prev {
            prev.push((*hlc, num(*o)?, *o));
        }
        // The latest first: it goes in the op's own columns, the others beside it.
        prev.sort_by_key(|p| std::cmp::Reverse((p.0, p.2)));
        let prev_origin = prev.first().map(|p| p.1);
        let more: Vec<(i64, i64)> = prev.iter().skip(1).map(|p| (p.0, p.1)).collect();
        let held = match spec {
            Some(spec) => {
                log.execute(params![
                    origin,
                    op.seq,
                    op.hlc,
                    spec.code,
                    op.row_id,
                    encode_patch(spec, &known)?,
                    prev.first().map(|p| p.0),
                    prev_origin
                ])? == 0
            }
            None => conn
                .prepare_cached("SELECT 1 FROM op WHERE origin = ?1 AND seq = ?2")?
                .exists(params![origin, op.seq])?,
        };
        if held {
            // The same number must mean the same change: two different ones are a database copied without
            // its copy noticing, or a forgery.
            let stored: Option<(i64, Uuid)> = conn
                .prepare_cached("SELECT hlc, row_id FROM op WHERE origin = ?1 AND seq = ?2")?
                .query_row(params![origin, op.seq], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if stored.is_some_and(|s| s != (op.hlc, op.row_id)) {
                return Err(Error::Bundle(format!(
                    "two different changes carry the same number ({}) from the laptop {}: a copy of its database \
                     is writing as it, or a file was forged; nothing was imported",
                    op.seq, op.origin
                )));
            }
            continue;
        }
        conflict::keep_more_prev(conn, origin, op.seq, &more)?;
        if let Some(original) = original {
            erasure::keep_hash(conn, origin, op.seq, &original)?;
        }
        if !unknown.is_empty() || spec.is_none() {
            let kept = conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO op_quarantine
                     (origin, seq, hlc, tbl, row_id, patch, prev_hlc, prev_origin)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    origin,
                    op.seq,
                    op.hlc,
                    op.table,
                    op.row_id,
                    encode_named(&unknown)?,
                    prev.first().map(|p| p.0),
                    prev_origin
                ])?;
            if kept == 0 {
                continue;
            }
        }
        fresh += 1;
        newest = newest.max(op.hlc);
        if covered {
            // The row exists here as it does everywhere the erasure was applied: blank, deleted.
            if let Some(spec) = spec {
                write_winning(conn, &mut new_rows, spec, (op.hlc, op.origin, op.seq), op.row_id, &known)?;
                erasure::blank_row(conn, spec, op.row_id)?;
            }
            continue;
        }
        let mut created = false;
        if let Some(spec) = spec.filter(|_| !known.is_empty()) {
            created =
                write_winning(conn, &mut new_rows, spec, (op.hlc, op.origin, op.seq), op.row_id, &known)?;
            if spec.name == "erasure" {
                erasure::absorb(conn, op.row_id)?;
                any_erased = true;
            }
        }
        // The first op of a new row cannot conflict; anything else may.
        if !created && (!op.prev.is_empty() || !inserted_alone(conn, op.row_id)?) {
            unsettled.insert(op.row_id);
        }
    }
    for row in unsettled {
        conflict::settle_row(conn, row)?;
    }
    if newest > i64::MIN {
        // Received ops move this replica's clock forward (a database without a replica yet has none).
        let seen = Hlc::unpack(newest);
        conn.execute(
            "UPDATE replica_state SET hlc_ms = ?1, hlc_counter = ?2 WHERE (hlc_ms, hlc_counter) < (?1, ?2)",
            params![seen.ms, seen.counter],
        )?;
    }
    Ok(fresh)
}

/// Whether the row has exactly one op (the insert just applied).
fn inserted_alone(conn: &Connection, row: Uuid) -> Result<bool> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM (SELECT 1 FROM op INDEXED BY op_row WHERE row_id = ?1 AND tbl <> 24 LIMIT 2)")?
        .query_row(params![row], |r| r.get(0))?;
    Ok(n <= 1)
}

/// The statements that insert a new row, held for a batch of ops: a new laptop's first import inserts
/// every row it receives, and building and looking up each statement by its text was a visible part of it.
struct NewRows<'c> {
    conn: &'c Connection,
    /// By table code and set of columns (bit i for the table's column i).
    held: HashMap<(u8, u128), rusqlite::CachedStatement<'c>>,
}

impl<'c> NewRows<'c> {
    /// Ops from outside choose their column sets: the statements held stay few whatever they send.
    const MOST_HELD: usize = 64;

    fn new(conn: &'c Connection) -> Self {
        NewRows { conn, held: HashMap::new() }
    }

    /// Inserts a new row of `spec` with `patch`'s columns (in the table's order), or does nothing when the
    /// row exists. Returns whether it inserted.
    fn insert(&mut self, spec: &TableSpec, row_id: Uuid, patch: &[(&'static str, &Value)]) -> Result<bool> {
        let mut args: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(patch.len() + 1);
        args.push(&row_id);
        args.extend(patch.iter().map(|(_, v)| *v as &dyn rusqlite::ToSql));
        // The patch's columns come in the table's order: one walk finds their positions.
        let mut set: Option<u128> = Some(0);
        let mut at = 0;
        for (column, _) in patch {
            while at < spec.columns.len() && spec.columns[at] != *column {
                at += 1;
            }
            if at >= spec.columns.len().min(128) {
                set = None;
                break;
            }
            set = set.map(|s| s | 1 << at);
            at += 1;
        }
        let key = set.map(|s| (spec.code, s));
        let inserted = match key.and_then(|k| self.held.get_mut(&k)) {
            Some(stmt) => stmt.execute(args.as_slice())?,
            None => {
                let columns: Vec<&str> = patch.iter().map(|(c, _)| *c).collect();
                let mut stmt = self.conn.prepare_cached(&new_row_text(spec.name, &columns))?;
                let inserted = stmt.execute(args.as_slice())?;
                if let Some(key) = key.filter(|_| self.held.len() < Self::MOST_HELD) {
                    self.held.insert(key, stmt);
                }
                inserted
            }
        };
        Ok(inserted == 1)
    }
}

/// The insert of a new row of `table` with `columns` (after the id) that does nothing when the row exists.
fn new_row_text(table: &str, columns: &[&str]) -> String {
    // An op may bring no column this version knows (an erased row's op, a newer version's): the id alone.
    let mut names = vec!["id"];
    names.extend(columns.iter().copied());
    let placeholders = (1..=names.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    format!("INSERT INTO {table} ({}) VALUES ({placeholders}) ON CONFLICT (id) DO NOTHING", names.join(", "))
}

/// Writes the columns of one op, `(hlc, origin, seq)`, that no later op of the same row has written (the
/// op lost those), creating the row if it is new. Returns whether it created the row.
fn write_winning(
    conn: &Tx,
    new_rows: &mut NewRows<'_>,
    spec: &TableSpec,
    key: (i64, Uuid, i64),
    row_id: Uuid,
    patch: &[(&'static str, &Value)],
) -> Result<bool> {
    // A row not here yet has no other op applied: the op's values are all it has (most ops a new laptop
    // receives), and one insert writes them.
    if new_rows.insert(spec, row_id, patch)? {
        conn.touch(spec.name, row_id, []);
        return Ok(true);
    }
    let mut later_columns: BTreeSet<&'static str> = BTreeSet::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT r.id, o.seq, o.hlc, o.patch FROM op o INDEXED BY op_row JOIN replica r ON r.num = o.origin
             WHERE o.row_id = ?1 AND o.tbl = ?3 AND o.hlc >= ?2",
        )?;
        let rows = stmt.query_map(params![row_id, key.0, spec.code], |r| {
            Ok((
                r.get::<_, Uuid>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<Vec<u8>>>(3)?,
            ))
        })?;
        for row in rows {
            let (other_origin, other_seq, other_hlc, other_patch) = row?;
            if (other_hlc, other_origin, other_seq) > key {
                let written = match other_patch {
                    Some(bytes) => decode_patch(spec, &bytes)?,
                    None => row_as_patch(conn, spec, row_id)?,
                };
                later_columns.extend(written.into_iter().map(|(c, _)| c));
            }
        }
    }
    let winning: Vec<(&'static str, &Value)> =
        patch.iter().filter(|(c, _)| !later_columns.contains(c)).map(|(c, v)| (*c, *v)).collect();
    let mut columns = vec!["id"];
    columns.extend(winning.iter().map(|(c, _)| *c));
    let placeholders = (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let update = if winning.is_empty() {
        "NOTHING".to_owned()
    } else {
        let sets = winning.iter().map(|(c, _)| format!("{c} = excluded.{c}")).collect::<Vec<_>>();
        format!("UPDATE SET {}", sets.join(", "))
    };
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![&row_id];
    args.extend(winning.iter().map(|(_, v)| *v as &dyn rusqlite::ToSql));
    if !winning.is_empty() {
        materialize(conn, spec, row_id)?;
    }
    // The values the row had, so that derived rows kept by value (counts by group) leave the old one.
    let old: Vec<(&'static str, Value)> = if winning.is_empty() {
        Vec::new()
    } else {
        let names: Vec<&'static str> = winning.iter().map(|(c, _)| *c).collect();
        conn.prepare_cached(&format!("SELECT {} FROM {} WHERE id = ?1", names.join(", "), spec.name))?
            .query_row(params![row_id], |r| {
                names.iter().enumerate().map(|(i, c)| Ok((*c, r.get::<_, Value>(i)?))).collect()
            })
            .optional()?
            .unwrap_or_default()
    };
    conn.prepare_cached(&format!(
        "INSERT INTO {} ({}) VALUES ({placeholders}) ON CONFLICT (id) DO {update}",
        spec.name,
        columns.join(", ")
    ))?
    .execute(args.as_slice())?;
    conn.touch(spec.name, row_id, old);
    Ok(false)
}

/// A quarantined op (or the unknown columns of one), as stored.
struct Waiting {
    /// The origin's local number.
    origin_num: i64,
    origin: Uuid,
    seq: i64,
    hlc: i64,
    table: String,
    row_id: Uuid,
    /// The columns by name ([`encode_named`]).
    patch: Vec<u8>,
    prev_hlc: Option<i64>,
    prev_num: Option<i64>,
    prev_origin: Option<Uuid>,
}

/// Every quarantined op, in clock order.
fn quarantined(conn: &Connection) -> Result<Vec<Waiting>> {
    let mut stmt = conn.prepare(
        "SELECT q.origin, r.id, q.seq, q.hlc, q.tbl, q.row_id, q.patch, q.prev_hlc, q.prev_origin, p.id
         FROM op_quarantine q JOIN replica r ON r.num = q.origin LEFT JOIN replica p ON p.num = q.prev_origin
         ORDER BY q.hlc, r.id, q.seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Waiting {
            origin_num: r.get(0)?,
            origin: r.get(1)?,
            seq: r.get(2)?,
            hlc: r.get(3)?,
            table: r.get(4)?,
            row_id: r.get(5)?,
            patch: r.get(6)?,
            prev_hlc: r.get(7)?,
            prev_num: r.get(8)?,
            prev_origin: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether some quarantined op names a table or column this version knows (after an upgrade): a read,
/// so that opening a database whose quarantine still waits takes no write lock.
pub fn quarantine_known(conn: &Connection) -> Result<bool> {
    for w in quarantined(conn)? {
        let Some(spec) = table_spec(&w.table) else { continue };
        if !split_known(Some(spec), &decode_named(&w.patch)?).0.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Applies the quarantined ops, or columns, whose table and column this version now knows, in clock order
/// and by the same last-writer-wins rule as [`apply`]; each joins its op in the log (the op becomes whole
/// again) and leaves the quarantine. What is still unknown stays. Returns how many ops were applied.
pub fn replay_quarantine(conn: &Tx) -> Result<usize> {
    replay_quarantine_with(conn, SYNCED_TABLES)
}

/// [`replay_quarantine`] with a given registry: tests play the upgrade with it.
pub fn replay_quarantine_with(conn: &Tx, tables: &[TableSpec]) -> Result<usize> {
    let mut applied = 0;
    for w in quarantined(conn)? {
        let Waiting { origin_num, origin, seq, hlc, row_id, prev_hlc, prev_num, .. } = w;
        let Some(spec) = tables.iter().find(|t| t.name == w.table) else { continue };
        let patch = decode_named(&w.patch)?;
        let (known, unknown) = split_known(Some(spec), &patch);
        if known.is_empty() {
            continue;
        }
        let logged: Option<Option<Vec<u8>>> = conn
            .prepare_cached("SELECT patch FROM op WHERE origin = ?1 AND seq = ?2")?
            .query_row(params![origin_num, seq], |r| r.get(0))
            .optional()?;
        match logged {
            Some(bytes) => {
                let mut whole = match bytes {
                    Some(bytes) => decode_patch(spec, &bytes)?,
                    None => row_as_patch(conn, spec, row_id)?,
                };
                whole.extend(known.iter().map(|(c, v)| (*c, (*v).clone())));
                whole.sort_by_key(|(c, _)| spec.columns.iter().position(|x| x == c));
                let refs: Vec<(&str, &Value)> = whole.iter().map(|(c, v)| (*c, v)).collect();
                conn.prepare_cached("UPDATE op SET patch = ?1 WHERE origin = ?2 AND seq = ?3")?
                    .execute(params![encode_patch(spec, &refs)?, origin_num, seq])?;
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO op (origin, seq, hlc, tbl, row_id, patch, prev_hlc, prev_origin)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    origin_num,
                    seq,
                    hlc,
                    spec.code,
                    row_id,
                    encode_patch(spec, &known)?,
                    prev_hlc,
                    prev_num
                ])?;
            }
        }
        write_winning(conn, &mut NewRows::new(conn), spec, (hlc, origin, seq), row_id, &known)?;
        if unknown.is_empty() {
            conn.prepare_cached("DELETE FROM op_quarantine WHERE origin = ?1 AND seq = ?2")?
                .execute(params![origin_num, seq])?;
        } else {
            conn.prepare_cached("UPDATE op_quarantine SET patch = ?1 WHERE origin = ?2 AND seq = ?3")?
                .execute(params![encode_named(&unknown)?, origin_num, seq])?;
        }
        applied += 1;
    }
    Ok(applied)
}

/// A field as it was written in one change.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FieldChange {
    pub table: String,
    pub row_id: Uuid,
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
    pub origin: Uuid,
    /// The author replica's name ("Shanghai office"), or its id if the roster does not know it yet.
    pub author: String,
    pub changes: Vec<FieldChange>,
}

/// The history of a record and of the rows it owns (names, identifiers, e-mails…), oldest first.
pub fn history(conn: &Connection, id: Uuid) -> Result<Vec<HistoryEntry>> {
    let mut row_ids = vec![id];
    for spec in SYNCED_TABLES {
        if let Some((owner_column, _)) = spec.owner {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT id FROM {} WHERE {owner_column} = ?1", spec.name))?;
            let ids = stmt.query_map(params![id], |r| r.get::<_, Uuid>(0))?;
            for child in ids {
                row_ids.push(child?);
            }
        }
    }
    let names: HashMap<Uuid, String> = {
        let mut stmt = conn.prepare("SELECT id, name FROM replica")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut ops = Vec::new();
    {
        let mut stmt = conn.prepare_cached(&format!("SELECT {ROW_OP_COLUMNS} WHERE o.row_id = ?1"))?;
        for row_id in &row_ids {
            for raw in stmt.query_map(params![row_id], raw_op)? {
                ops.push(op_of(conn, raw?)?);
            }
        }
    }
    ops.sort_by_key(|op| (op.hlc, op.origin, op.seq));
    let mut last: HashMap<(Uuid, String), serde_json::Value> = HashMap::new();
    let mut entries: Vec<HistoryEntry> = Vec::new();
    for op in ops {
        let changes = op.patch.into_iter().map(|(column, value)| {
            let new = json_of(&value);
            let old =
                last.insert((op.row_id, column.clone()), new.clone()).unwrap_or(serde_json::Value::Null);
            FieldChange { table: op.table.clone(), row_id: op.row_id, column, old, new }
        });
        match entries.last_mut() {
            Some(entry) if entry.hlc == op.hlc && entry.origin == op.origin => entry.changes.extend(changes),
            _ => {
                let at = chrono::DateTime::from_timestamp_millis(Hlc::unpack(op.hlc).ms)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default();
                entries.push(HistoryEntry {
                    author: names.get(&op.origin).cloned().unwrap_or_else(|| op.origin.to_string()),
                    hlc: op.hlc,
                    at,
                    origin: op.origin,
                    changes: changes.collect(),
                })
            }
        }
    }
    Ok(entries)
}

/// A column value as JSON; a 16-byte blob is a record's id and shows as one.
pub fn json_of(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => serde_json::Value::from(*i),
        Value::Real(f) => serde_json::Value::from(*f),
        Value::Text(s) => serde_json::Value::from(s.as_str()),
        Value::Blob(b) => match Uuid::from_slice(b) {
            Ok(id) => serde_json::Value::from(id.to_string()),
            Err(_) => serde_json::Value::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry as `code table: column column …`, one table a line, in code order.
    fn registry_text(tables: &[TableSpec]) -> String {
        let mut tables: Vec<&TableSpec> = tables.iter().collect();
        tables.sort_by_key(|t| t.code);
        tables.iter().map(|t| format!("{} {}: {}\n", t.code, t.name, t.columns.join(" "))).collect()
    }

    #[test]
    fn a_new_row_is_inserted_from_an_op_with_no_known_column_and_from_one_with_some() {
        let conn = crate::open_in_memory().expect("db");
        let spec = table_spec("partner").expect("partner");
        let mut rows = NewRows::new(&conn);
        let (bare, named) = (Uuid::now_v7(), Uuid::now_v7());
        assert!(rows.insert(spec, bare, &[]).expect("insert with the id alone"), "a row with its id alone");
        let acronym = Value::Text("FDU".into());
        assert!(rows.insert(spec, named, &[("acronym", &acronym)]).expect("insert"), "a row with a column");
        assert!(
            !rows.insert(spec, named, &[("acronym", &acronym)]).expect("again"),
            "an existing row is left alone"
        );
        let acronyms: Vec<Option<String>> = [bare, named]
            .iter()
            .map(|id| {
                conn.query_row("SELECT acronym FROM partner WHERE id = ?1", params![id], |r| r.get(0))
                    .expect("row")
            })
            .collect();
        assert_eq!(acronyms, vec![None, Some("FDU".to_owned())]);
    }

    #[test]
    fn table_and_column_codes_are_frozen() {
        let frozen = include_str!("../tests/golden/op_codes.txt");
        let now = registry_text(SYNCED_TABLES);
        for line in frozen.lines() {
            let (head, columns) = line.split_once(": ").expect("golden line: `code table: columns`");
            let (code, name) = head.split_once(' ').expect("golden line: `code table`");
            let spec = table_spec(name).unwrap_or_else(|| {
                panic!("table {name} (code {code}) is in the frozen registry: codes are frozen, never remove a table")
            });
            assert_eq!(
                spec.code.to_string(),
                code,
                "table {name} changed its code: codes are frozen, stored and travelling ops name tables by code"
            );
            let frozen_columns: Vec<&str> = columns.split(' ').collect();
            assert!(
                spec.columns.starts_with(&frozen_columns),
                "the columns of {name} were reordered, renamed or removed: column codes are their positions and \
                 are frozen; a new column goes at the end"
            );
        }
        assert_eq!(
            now, frozen,
            "a table or column was added: add it at the end of its line (or a new line) in tests/golden/op_codes.txt"
        );
    }

    #[test]
    fn the_packed_clock_reading_is_frozen() {
        let hlc = Hlc { ms: 1_767_225_600_000, counter: 3 };
        assert_eq!(
            hlc.pack(),
            0x019b_76da_a800_0003,
            "ops carry `ms << 16 | counter`: the packing is frozen"
        );
        assert_eq!(Hlc::unpack(hlc.pack()), hlc);
    }

    #[test]
    fn every_table_code_is_distinct() {
        let codes: BTreeSet<u8> = SYNCED_TABLES.iter().map(|t| t.code).collect();
        assert_eq!(codes.len(), SYNCED_TABLES.len(), "two tables share a code");
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// One patch per kind of cell, and their bytes as stored in the op log and carried by sync.
    fn golden_patches() -> Vec<(&'static str, Vec<(&'static str, Value)>)> {
        let id = Uuid::from_u128(0x0192_3456_789a_7bcd_8ef0_1234_5678_9abc);
        vec![
            ("partner", vec![("acronym", Value::Null)]),
            ("partner", vec![("deleted", Value::Integer(1))]),
            ("partner", vec![("notes", Value::Integer(-300))]),
            ("call", vec![("budget", Value::Real(1.5))]),
            ("partner", vec![("city", Value::Text("上海".into()))]),
            ("partner", vec![("parent_id", id_value(id))]),
            (
                "exchange",
                vec![
                    ("person_id", id_value(id)),
                    ("status", Value::Text("ongoing".into())),
                    ("amount", Value::Real(1200.25)),
                    ("deleted", Value::Integer(0)),
                ],
            ),
        ]
    }

    fn patches_text() -> String {
        golden_patches()
            .into_iter()
            .map(|(table, patch)| {
                let spec = table_spec(table).expect("a synced table");
                let refs: Vec<(&str, &Value)> = patch.iter().map(|(c, v)| (*c, v)).collect();
                let bytes = encode_patch(spec, &refs).expect("encodes");
                let columns: Vec<&str> = patch.iter().map(|(c, _)| *c).collect();
                format!("{table} {}: {}\n", columns.join(" "), hex(&bytes))
            })
            .chain(std::iter::once({
                let named = vec![
                    ("motto".to_owned(), Value::Text("lux".into())),
                    ("rank".to_owned(), Value::Integer(2)),
                ];
                let bytes = encode_named(&named).expect("encodes");
                assert_eq!(
                    decode_named(&bytes).expect("decodes"),
                    named,
                    "a quarantined patch reads back as written"
                );
                format!("quarantined motto rank: {}\n", hex(&bytes))
            }))
            .collect()
    }

    #[test]
    fn the_encoding_of_patches_is_frozen() {
        for (table, patch) in golden_patches() {
            let spec = table_spec(table).expect("a synced table");
            let refs: Vec<(&str, &Value)> = patch.iter().map(|(c, v)| (*c, v)).collect();
            let bytes = encode_patch(spec, &refs).expect("encodes");
            assert_eq!(decode_patch(spec, &bytes).expect("decodes"), patch, "a patch reads back as written");
        }
        let now = patches_text();
        assert_eq!(
            now,
            include_str!("../tests/golden/op_patches.txt"),
            "the bytes of an encoded patch changed: the encoding is frozen (stored ops and other versions' \
             bundles are decoded with it); add a new cell kind at the end of `Cell` instead"
        );
    }
}
