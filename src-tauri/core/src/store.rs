//! Storage: where the database lives, the pragmas every connection sets, the schema migrations and the write
//! transaction ([`Tx`]). Guarantees: every connection is WAL + `synchronous=FULL` with a busy timeout;
//! migrations only add and run in one transaction; once `init` has run, the replica has an id and a name and
//! the workspace an id of its own (shared by its replicas, see `workspace_id`).
//! Imports no record module: what derived rows a migration fills is asked of the `backfill` it is given.

mod tx;

pub use tx::{ReplicaState, Settle, Touched, Tx};

use std::path::{Path, PathBuf};

use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use rusqlite_migration::{HookError, Migrations, M};
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};

/// Environment variable that overrides the database path (the CLI's `--db` overrides both).
pub const DB_ENV: &str = "LIAISON_DB";
/// The app's identifier: its data directory's name, the same for the app and the CLI.
pub const APP_ID: &str = "org.idexlyon.liaison";

/// Fills a derived table (named) from the synced tables: given to [`open`] by the crate's top, which knows the
/// records; a migration that adds derived data calls it.
pub type Backfill = fn(&Connection, &'static str) -> Result<()>;

/// The schema's steps, in order. Frozen: a step once released never changes; new steps go at the end.
pub fn migrations(backfill: Backfill) -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("store/migrations/0001_foundation.sql")),
        M::up(include_str!("store/migrations/0002_agreements_exchanges.sql")),
        M::up(include_str!("store/migrations/0003_calls.sql")),
        M::up(include_str!("store/migrations/0004_projects_events.sql")),
        M::up(include_str!("store/migrations/0005_exchange_counts.sql")),
        M::up(include_str!("store/migrations/0006_documents.sql")),
        M::up(include_str!("store/migrations/0007_exchange_list_index.sql")),
        M::up(include_str!("store/migrations/0008_exchange_counts_all_years.sql")),
        M::up(include_str!("store/migrations/0009_exchange_person_order.sql")),
        M::up_with_hook(
            include_str!("store/migrations/0010_application_assessment.sql"),
            move |tx: &Transaction| {
                backfill(tx, "application_assessment").map_err(|e| HookError::Hook(e.to_string()))
            },
        ),
        M::up(include_str!("store/migrations/0011_person_link_indexes.sql")),
        M::up_with_hook(
            include_str!("store/migrations/0012_workspace_quarantine.sql"),
            |tx: &Transaction| {
                if replica_id(tx).map_err(|e| HookError::Hook(e.to_string()))?.is_some() {
                    ensure_workspace(tx).map_err(|e| HookError::Hook(e.to_string()))?;
                }
                Ok(())
            },
        ),
        M::up(include_str!("store/migrations/0013_sync.sql")),
        M::up(include_str!("store/migrations/0014_conflicts.sql")),
        M::up(include_str!("store/migrations/0015_erasure.sql")),
        M::up_with_hook(include_str!("store/migrations/0016_partner_labels.sql"), move |tx: &Transaction| {
            backfill(tx, "partner_label").map_err(|e| HookError::Hook(e.to_string()))
        }),
        M::up(include_str!("store/migrations/0017_reminder_dismissals.sql")),
        M::up(include_str!("store/migrations/0018_import_mapping.sql")),
        M::up(include_str!("store/migrations/0019_import_origin.sql")),
    ])
}

/// Where the database lives: `$LIAISON_DB` if set, else `liaison.sqlite3` in the OS app-data directory.
pub fn default_path() -> PathBuf {
    if let Some(path) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join(APP_ID).join("liaison.sqlite3")
}

/// When [`open`] checks the file for damage (`PRAGMA quick_check`, which reads all of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Before anything is written: for a process that is going to write (the app, a writing CLI command).
    First,
    /// Only before a migration, the one write opening makes: reading a large file whole would cost a
    /// read-only command far more than its read.
    BeforeMigrating,
}

/// Opens (creating if needed) the database file, sets the pragmas, checks it as `check` says and brings the
/// schema up to date. A damaged file is refused before anything is written to it.
pub fn open(path: &Path, backfill: Backfill, check: Check) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut conn = Connection::open(path)?;
    configure(&conn).map_err(|e| damage_or(e.into(), path))?;
    refuse_pre_release(&conn, path).map_err(|e| damage_or(e, path))?;
    let migrating = migrations(backfill).pending_migrations(&conn)? > 0;
    if check == Check::First || migrating {
        self::check(&conn, path)?;
    }
    migrate(&mut conn, backfill)?;
    // Refreshes the planner's statistics where they are stale, so filtered lists pick the right index.
    conn.execute_batch("PRAGMA optimize = 0x10002")?;
    Ok(conn)
}

/// Brings the schema up to date, when several processes open the same new or older file at once too: each
/// step takes the write lock as it begins (the others wait in line), and a process that finds, once it has
/// the lock, that another has just run the same steps starts again from the version it now reads.
fn migrate(conn: &mut Connection, backfill: Backfill) -> Result<()> {
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    let steps = migrations(backfill);
    let version =
        |conn: &Connection| -> Result<i64> { Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?) };
    let mut result = Ok(());
    for _ in 0..3 {
        let before = version(conn)?;
        result = steps.to_latest(conn);
        if result.is_ok() || version(conn)? == before {
            break;
        }
    }
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Deferred);
    Ok(result?)
}

/// Databases made by development builds before the schema took its released shape (text ids, one op per
/// column) cannot be migrated: say so rather than fail on the first query.
fn refuse_pre_release(conn: &Connection, path: &Path) -> Result<()> {
    let old: bool =
        conn.query_row("SELECT count(*) > 0 FROM pragma_table_info('op') WHERE name = 'col'", [], |r| {
            r.get(0)
        })?;
    if old {
        return Err(Error::Io(std::io::Error::other(format!(
            "{} was created by a development build of Liaison whose format is no longer supported; \
             move it aside and start again",
            path.display()
        ))));
    }
    Ok(())
}

/// `PRAGMA quick_check`: a damaged file is reported, with how to recover, before anything is written.
pub fn check(conn: &Connection, path: &Path) -> Result<()> {
    let check: String =
        conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| damage_or(e.into(), path))?;
    if check == "ok" {
        Ok(())
    } else {
        Err(Error::Damaged {
            path: path.display().to_string(),
            detail: check.split_whitespace().collect::<Vec<_>>().join(" "),
        })
    }
}

/// SQLite's own word that the file is damaged or not a database, said as [`Error::Damaged`].
fn damage_or(e: Error, path: &Path) -> Error {
    match &e {
        Error::Database(rusqlite::Error::SqliteFailure(f, detail))
            if matches!(f.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) =>
        {
            Error::Damaged {
                path: path.display().to_string(),
                detail: detail.clone().unwrap_or_else(|| f.to_string()),
            }
        }
        _ => e,
    }
}

/// Recomputes the planner's statistics after a bulk load (the demo, an import).
pub fn analyze(conn: &Connection) -> Result<()> {
    conn.execute_batch("ANALYZE")?;
    Ok(())
}

/// A list's sort and its SQL direction; without a sort asked, `default` in descending order (latest or
/// largest first).
pub(crate) fn sort_or<S>(sort: Option<S>, descending: bool, default: S) -> (S, &'static str) {
    match sort {
        Some(s) => (s, if descending { "DESC" } else { "ASC" }),
        None => (default, "DESC"),
    }
}

/// Whether `table` (a record table: partner, contact, agreement, …) has a live row `id`, not deleted.
pub fn live(conn: &Connection, table: &'static str, id: Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1 AND deleted = 0"))?
        .exists(params![id])?)
}

/// `NotFound` (naming the table's record) unless `table` has a live row `id`.
pub(crate) fn require_live(conn: &Connection, table: &'static str, id: Uuid) -> Result<()> {
    if live(conn, table, id)? {
        Ok(())
    } else {
        Err(Error::NotFound { entity: table, id: id.to_string() })
    }
}

/// A fresh database in memory, migrated, for tests and benchmarks.
pub fn open_in_memory(backfill: Backfill) -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrations(backfill).to_latest(&mut conn)?;
    Ok(conn)
}

/// Readies a connection that only reads (the app's read pool, beside its one writer): the same pragmas and
/// functions as any connection, and `query_only`, so a read can never write. The file must already be open
/// and migrated by a writer.
pub fn prepare_reader(conn: &mut Connection) -> rusqlite::Result<()> {
    configure(conn)?;
    conn.pragma_update(None, "query_only", true)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL lets the app and the CLI share the file; FULL makes commits survive power loss in WAL mode. A
    // writer waits in line (up to ten minutes) while another process's long job holds the write lock: long
    // jobs commit in steps of seconds, or hold it only as long as the user lets them run.
    conn.busy_timeout(std::time::Duration::from_secs(600))?;
    // Room for every statement one write uses (sync and bulk writes touch every synced table with
    // several column sets): with rusqlite's default of 16 they evict each other and are parsed again.
    conn.set_prepared_statement_cache_capacity(256);
    // Switching a new file to WAL needs it to itself, and SQLite answers "busy" there without waiting: wait
    // in line here while another process opening it at the same moment does the same.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::DatabaseBusy && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => break other?,
        }
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA trusted_schema = OFF;
         PRAGMA secure_delete = ON;
         PRAGMA cache_size = -32000;",
    )?;
    // `fold(text)`: the accent- and case-insensitive sort key of the small lists (projects, events, calls,
    // applications), which keep no sort column of their own.
    conn.create_scalar_function(
        "fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|t| crate::text::fold(&t))),
    )?;
    // `rarray(?1)`: a list of ids bound as one argument, so that derived rows of thousands of records are
    // read by one statement (see `derive::settle`).
    rusqlite::vtab::array::load_module(conn)?;
    Ok(())
}

/// This replica's identity, as stored by `init`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replica {
    pub id: uuid::Uuid,
    pub name: String,
}

/// Gives the database a replica id, a name and (when it has none) a workspace id. Idempotent: a database
/// already initialised keeps its ids and takes the new name.
pub fn init(tx: &Connection, name: &str, clock: &dyn Clock) -> Result<Replica> {
    init_in(tx, name, None, clock)
}

/// [`init`] for a replica joining an existing workspace (from a snapshot file): the database takes the
/// workspace's id instead of making one. Refused once the database has a workspace.
pub fn join(tx: &Connection, name: &str, workspace: Uuid, clock: &dyn Clock) -> Result<Replica> {
    if workspace_id(tx)?.is_some() {
        return Err(Error::Conflict(
            "this database already holds a workspace: join from a new, empty database".into(),
        ));
    }
    init_in(tx, name, Some(workspace), clock)
}

fn init_in(tx: &Connection, name: &str, workspace: Option<Uuid>, clock: &dyn Clock) -> Result<Replica> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Invalid(vec![crate::error::FieldError {
            field: "name".into(),
            code: "required".into(),
            message: "a replica needs a name, such as \"Shanghai office\"".into(),
        }]));
    }
    let id = match replica_id(tx)? {
        Some(id) => id,
        None => {
            let id = uuid::Uuid::new_v4();
            tx.execute(
                "INSERT INTO replica_state (singleton, replica_id, hlc_ms, hlc_counter, signing_key)
                 VALUES (1, ?1, 0, 0, ?2)",
                params![id, new_signing_key()],
            )?;
            id
        }
    };
    if let Some(workspace) = workspace {
        tx.execute("INSERT INTO workspace (singleton, id) VALUES (1, ?1)", params![workspace])?;
    }
    ensure_workspace(tx)?;
    tx.execute(
        "INSERT INTO replica (id, name, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, created_at = coalesce(nullif(created_at, ''), excluded.created_at)",
        params![id, name, clock.now().to_rfc3339()],
    )?;
    Ok(Replica { id, name: name.to_owned() })
}

/// This replica, or `None` before `init`.
pub fn replica(conn: &Connection) -> Result<Option<Replica>> {
    Ok(conn
        .query_row(
            "SELECT s.replica_id, coalesce(r.name, '') FROM replica_state s
             LEFT JOIN replica r ON r.id = s.replica_id",
            [],
            |r| Ok(Replica { id: r.get(0)?, name: r.get(1)? }),
        )
        .optional()?)
}

/// The workspace's id: random, made once with the workspace, shared by all its replicas and distinct from
/// each replica's id. `None` before `init`.
pub fn workspace_id(conn: &Connection) -> Result<Option<Uuid>> {
    Ok(conn.query_row("SELECT id FROM workspace", [], |r| r.get(0)).optional()?)
}

fn ensure_workspace(conn: &Connection) -> Result<Uuid> {
    if let Some(id) = workspace_id(conn)? {
        return Ok(id);
    }
    let id = Uuid::new_v4();
    conn.execute("INSERT INTO workspace (singleton, id) VALUES (1, ?1)", params![id])?;
    Ok(id)
}

fn replica_id(conn: &Connection) -> Result<Option<uuid::Uuid>> {
    Ok(conn.query_row("SELECT replica_id FROM replica_state", [], |r| r.get(0)).optional()?)
}

/// Moves everything the write-ahead log holds into the database file and empties the log: after an
/// erasure, no copy of the erased values stays in the log (freed pages are zeroed: `secure_delete`).
pub fn checkpoint(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// A new Ed25519 secret key: 32 bytes from the operating system's random source.
pub fn new_signing_key() -> [u8; 32] {
    rand::random()
}

/// A new primary key: UUIDv7, time-ordered so new rows land at the end of indexes.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations(|_, _| Ok(())).validate().expect("every migration applies to an empty database");
    }

    #[test]
    fn init_keeps_the_replica_id_and_renames() {
        let mut conn = crate::open_in_memory().expect("db");
        let clock = crate::clock::ManualClock::new();
        let a = crate::write(&mut conn, |tx| init(tx, "Shanghai office", &clock)).expect("init");
        let b = crate::write(&mut conn, |tx| init(tx, "Lyon", &clock)).expect("re-init");
        assert_eq!(a.id, b.id, "a second init must not change the replica id");
        assert_eq!(replica(&conn).expect("read").map(|r| r.name), Some("Lyon".to_owned()));
    }

    #[test]
    fn a_workspace_has_an_id_of_its_own_made_once() {
        let clock = crate::clock::ManualClock::new();
        let mut one = crate::open_in_memory().expect("db");
        let mut two = crate::open_in_memory().expect("db");
        assert_eq!(workspace_id(&one).expect("read"), None, "no workspace id before init");
        let replica = crate::write(&mut one, |tx| init(tx, "Lyon", &clock)).expect("init");
        crate::write(&mut two, |tx| init(tx, "Lyon", &clock)).expect("init");
        let id = workspace_id(&one).expect("read").expect("init makes a workspace id");
        assert_ne!(id, replica.id, "the workspace id is not the replica id");
        assert_ne!(
            Some(id),
            workspace_id(&two).expect("read"),
            "two workspaces made apart must never look like one (sync would merge them)"
        );
        crate::write(&mut one, |tx| init(tx, "Shanghai", &clock)).expect("re-init");
        assert_eq!(workspace_id(&one).expect("read"), Some(id), "re-init keeps the workspace id");
    }

    #[test]
    fn a_workspace_made_before_workspace_ids_gets_one_when_migrated() {
        let mut conn = Connection::open_in_memory().expect("db");
        let steps = migrations(|_, _| Ok(()));
        steps.to_version(&mut conn, 11).expect("the schema before workspace ids");
        conn.execute(
            "INSERT INTO replica_state (singleton, replica_id, hlc_ms, hlc_counter) VALUES (1, ?1, 0, 0)",
            params![Uuid::new_v4()],
        )
        .expect("an initialised workspace");
        steps.to_latest(&mut conn).expect("migrates");
        assert!(workspace_id(&conn).expect("read").is_some(), "an existing workspace gets an id");

        let mut fresh = Connection::open_in_memory().expect("db");
        migrations(|_, _| Ok(())).to_latest(&mut fresh).expect("migrates");
        assert_eq!(
            workspace_id(&fresh).expect("read"),
            None,
            "a database not yet set up gets its id at init"
        );
    }
}
