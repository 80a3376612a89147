//! Projects: flagship projects, joint labs, international research units, training programmes and
//! representative offices, with their partner organisations, the agreements they rest on, fields, dates,
//! budget and status. Writes are validated first and go through [`Mutation`].

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::kinds::{is_field, kept_or_known, ProjectKind, ProjectStatus};
use crate::label::{labels_at, Labels};
use crate::oplog::{id_key, id_value, optional_id, optional_text, Mutation, Wanted};
use crate::records::Listing;
use crate::search::index;
use crate::store;
use crate::store::Tx;
use crate::text::clean;
use crate::validate::{self, Report};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProjectPartnerInput {
    #[serde(default)]
    pub partner_id: Option<Uuid>,
    #[serde(default)]
    pub role: Option<String>,
}

/// What a user gives to create or edit a project. `projects show --json` output is accepted as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProjectInput {
    #[serde(default)]
    pub code: Option<String>,
    pub title: String,
    pub kind: ProjectKind,
    #[serde(default = "default_status")]
    pub status: ProjectStatus,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    /// In the currency's minor unit.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub budget: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default)]
    pub partners: Vec<ProjectPartnerInput>,
    #[serde(default)]
    pub agreement_ids: Vec<Uuid>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_status() -> ProjectStatus {
    ProjectStatus::Planned
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Linked {
    pub id: Uuid,
    /// `None` while it has not arrived by sync, or once deleted.
    pub name: Option<String>,
    pub role: Option<String>,
    /// An organisation's name for each UI language ([`crate::label::pick`]); `None` for an agreement.
    pub labels: Option<Labels>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Project {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: ProjectInput,
    pub partners_read: Vec<Linked>,
    pub agreements_read: Vec<Linked>,
    pub deleted: bool,
}

pub fn input_from_json(json: &str) -> Result<ProjectInput> {
    crate::json::input_from_str(json, "a project", READ_ONLY)
}

/// The fields a read-back project adds beside its input: accepted in JSON input and ignored.
const READ_ONLY: &[&str] = &["id", "partners_read", "agreements_read", "deleted"];

fn check(conn: &Connection, id: Option<Uuid>, input: &ProjectInput) -> Result<ProjectInput> {
    let mut report = Report::default();
    crate::validate::texts(&mut report, input);
    kept_or_known(conn, &mut report, "kind", input.kind, ("project", "kind", id))?;
    kept_or_known(conn, &mut report, "status", input.status, ("project", "status", id))?;
    let mut c = input.clone();
    c.title = input.title.trim().to_owned();
    if c.title.is_empty() {
        report.add("title", "required", "a project needs a title");
    }
    c.code = clean(input.code.as_deref());
    c.notes = clean(input.notes.as_deref());
    let start = validate::optional_date(&mut report, "start_date", input.start_date.as_deref());
    let end = validate::optional_date(&mut report, "end_date", input.end_date.as_deref());
    validate::in_order(&mut report, "end_date", "the project", start, end);
    c.start_date = start.map(|d| d.to_string());
    c.end_date = end.map(|d| d.to_string());
    if input.budget.is_some_and(|b| b < 0) {
        report.add("budget", "negative", "the budget cannot be negative");
    }
    c.currency = validate::currency(&mut report, "currency", input.currency.as_deref());
    if input.budget.is_some() && c.currency.is_none() {
        report.add("currency", "required", "a budget needs its currency");
    }
    c.fields = Vec::new();
    for (i, f) in input.fields.iter().enumerate() {
        let f = f.trim().to_lowercase();
        if !is_field(&f) {
            report.add(
                format!("fields[{i}]"),
                "field",
                format!("{} is not an ISCED-F code nor an alliance field", validate::quote(&f)),
            );
        } else if !c.fields.contains(&f) {
            c.fields.push(f);
        }
    }
    let mut seen = Vec::new();
    for (i, p) in input.partners.iter().enumerate() {
        match p.partner_id {
            None => report.add(format!("partners[{i}].partner_id"), "required", "choose the organisation"),
            Some(id) if seen.contains(&id) => report.add(
                format!("partners[{i}].partner_id"),
                "duplicate",
                "this organisation is already listed",
            ),
            Some(id) if !store::live(conn, "partner", id)? => report.add(
                format!("partners[{i}].partner_id"),
                "not_found",
                format!("no partner with id {id}"),
            ),
            Some(id) => seen.push(id),
        }
        c.partners[i].role = clean(p.role.as_deref());
    }
    // The same agreement twice is one link (in the order first given).
    let mut linked = std::collections::HashSet::new();
    c.agreement_ids.retain(|id| linked.insert(*id));
    for (i, a) in input.agreement_ids.iter().enumerate() {
        if !conn
            .prepare_cached("SELECT 1 FROM agreement WHERE id = ?1 AND deleted = 0")?
            .exists(params![a])?
        {
            report.add(format!("agreement_ids[{i}]"), "not_found", format!("no agreement with id {a}"));
        }
    }
    report.finish()?;
    Ok(c)
}

fn columns(c: &ProjectInput) -> Vec<(&'static str, Value)> {
    vec![
        ("code", optional_text(&c.code)),
        ("title", Value::Text(c.title.clone())),
        ("kind", Value::Text(c.kind.as_str().into())),
        ("status", Value::Text(c.status.as_str().into())),
        ("start_date", optional_text(&c.start_date)),
        ("end_date", optional_text(&c.end_date)),
        ("budget", c.budget.map_or(Value::Null, Value::Integer)),
        ("currency", optional_text(&c.currency)),
        (
            "fields",
            if c.fields.is_empty() {
                Value::Null
            } else {
                Value::Text(serde_json::to_string(&c.fields).unwrap_or_default())
            },
        ),
        ("notes", optional_text(&c.notes)),
    ]
}

fn write_children(m: &mut Mutation, id: Uuid, c: &ProjectInput) -> Result<()> {
    let mut wanted: Vec<Wanted> = c
        .partners
        .iter()
        .filter_map(|p| p.partner_id.map(|pid| (pid, p)))
        .map(|(pid, p)| Wanted {
            id: None,
            key: format!("partner\u{1f}{}", id_key(Some(pid))),
            fields: vec![
                ("kind", Value::Text("partner".into())),
                ("target_id", id_value(pid)),
                ("role", optional_text(&p.role)),
            ],
        })
        .collect();
    wanted.extend(c.agreement_ids.iter().map(|a| Wanted {
        id: None,
        key: format!("agreement\u{1f}{}", id_key(Some(*a))),
        fields: vec![("kind", Value::Text("agreement".into())), ("target_id", id_value(*a))],
    }));
    m.reconcile("project_link", "project_id", id, "kind || char(31) || coalesce(hex(target_id), '')", &wanted)
}

pub fn create(tx: &Tx, clock: &dyn Clock, input: &ProjectInput) -> Result<Project> {
    let id = add(tx, clock, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Creates a record without reading it back, for bulk writes (imports, generated data): its derived rows
/// are settled with the transaction's, once.
pub fn add(tx: &Tx, clock: &dyn Clock, input: &ProjectInput) -> Result<Uuid> {
    let clean = check(tx, None, input)?;
    let id = store::new_id();
    let mut m = Mutation::begin(tx, clock)?;
    m.insert("project", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(id)
}

pub fn update(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &ProjectInput) -> Result<Project> {
    replace(tx, clock, id, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Replaces a record's fields without reading it back, for bulk writes (re-imports).
pub fn replace(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &ProjectInput) -> Result<()> {
    store::require_live(tx, "project", id)?;
    let clean = check(tx, Some(id), input)?;
    let mut m = Mutation::begin(tx, clock)?;
    m.update("project", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(())
}

pub fn delete(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("project", id, true)?;
    Ok(())
}

pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("project", id, false)?;
    Ok(())
}

pub fn refresh(conn: &Connection, id: Uuid) -> Result<()> {
    let row: Option<(Option<String>, String)> = conn
        .prepare_cached("SELECT code, title FROM project WHERE id = ?1 AND deleted = 0")?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => index::remove(conn, id),
        Some((code, title)) => {
            let partners =
                get(conn, id)?.partners_read.into_iter().filter_map(|p| p.name).collect::<Vec<_>>();
            let head =
                [code.as_deref(), Some(title.as_str())].into_iter().flatten().collect::<Vec<_>>().join(" ; ");
            index::put(conn, "project", id, &head, &partners.join(" ; "), true)
        }
    }
}

pub fn get(conn: &Connection, id: Uuid) -> Result<Project> {
    let row = conn
        .prepare_cached(
            "SELECT code, title, kind, status, start_date, end_date, budget, currency, fields, notes, deleted
             FROM project WHERE id = ?1",
        )?
        .query_row(params![id], |r| {
            let fields: Option<String> = r.get(8)?;
            Ok((
                ProjectInput {
                    code: r.get(0)?,
                    title: r.get(1)?,
                    kind: ProjectKind::from_stored(&r.get::<_, String>(2)?),
                    status: ProjectStatus::from_stored(&r.get::<_, String>(3)?),
                    start_date: r.get(4)?,
                    end_date: r.get(5)?,
                    budget: r.get(6)?,
                    currency: r.get(7)?,
                    fields: fields.and_then(|f| serde_json::from_str(&f).ok()).unwrap_or_default(),
                    partners: vec![],
                    agreement_ids: vec![],
                    notes: r.get(9)?,
                },
                r.get::<_, bool>(10)?,
            ))
        })
        .optional()?;
    let Some((mut input, deleted)) = row else {
        return Err(Error::NotFound { entity: "project", id: id.to_string() });
    };
    let links: Vec<(String, Linked)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT l.kind, l.target_id, coalesce(p.name, a.title), l.role, len.name, len.lang, len.native, len.native_lang, lfr.name, lfr.lang, lfr.native, lfr.native_lang FROM project_link l
             LEFT JOIN partner_summary p ON l.kind = 'partner' AND p.id = l.target_id
             LEFT JOIN partner_label len ON len.partner_id = p.id AND len.ui = 'en'
             LEFT JOIN partner_label lfr ON lfr.partner_id = p.id AND lfr.ui = 'fr'
             LEFT JOIN agreement_summary a ON l.kind = 'agreement' AND a.id = l.target_id
             WHERE l.project_id = ?1 AND l.deleted = 0 AND l.target_id IS NOT NULL ORDER BY l.id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok((
                r.get(0)?,
                Linked { id: r.get(1)?, name: r.get(2)?, role: r.get(3)?, labels: labels_at(r, 4)? },
            ))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let (partners_read, agreements_read): (Vec<_>, Vec<_>) =
        links.into_iter().partition(|(k, _)| k == "partner");
    let partners_read: Vec<Linked> = partners_read.into_iter().map(|(_, l)| l).collect();
    let agreements_read: Vec<Linked> = agreements_read.into_iter().map(|(_, l)| l).collect();
    input.partners = partners_read
        .iter()
        .map(|p| ProjectPartnerInput { partner_id: Some(p.id), role: p.role.clone() })
        .collect();
    input.agreement_ids = agreements_read.iter().map(|a| a.id).collect();
    Ok(Project { id, input, partners_read, agreements_read, deleted })
}

/// Sort orders of the project list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProjectSort {
    StartDate,
    Title,
    Kind,
    Status,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ProjectQuery {
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub kind: Option<ProjectKind>,
    #[ts(optional)]
    pub status: Option<ProjectStatus>,
    /// Projects this organisation takes part in.
    #[ts(optional)]
    pub partner_id: Option<Uuid>,
    /// Projects that rest on this agreement.
    #[ts(optional)]
    pub agreement_id: Option<Uuid>,
    /// Without one: latest start first.
    #[ts(optional)]
    pub sort: Option<ProjectSort>,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProjectRow {
    pub id: Uuid,
    pub code: Option<String>,
    pub title: String,
    pub kind: ProjectKind,
    pub status: ProjectStatus,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProjectPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<ProjectRow>,
}

/// Live projects in the order asked (latest start first by default; with a search, by relevance).
/// The whole list of [`list`] as one statement (its `offset` and `limit` aside).
pub fn listing(conn: &Connection, q: &ProjectQuery) -> Result<Listing> {
    let mut conditions = vec!["p.deleted = 0".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    let (sort, dir) = crate::store::sort_or(q.sort, q.descending, ProjectSort::StartDate);
    let order = match sort {
        ProjectSort::StartDate => format!("p.start_date IS NULL, p.start_date {dir}, fold(p.title), p.id"),
        ProjectSort::Title => format!("fold(p.title) {dir}, p.id"),
        ProjectSort::Kind => format!("{} {dir}, fold(p.title), p.id", ProjectKind::order_sql("p.kind")),
        ProjectSort::Status => format!("{} {dir}, fold(p.title), p.id", ProjectStatus::order_sql("p.status")),
    };
    let (mut with, mut from, mut order) = (String::new(), "project p".to_owned(), order);
    if let Some(m) = index::matches(conn, q.search.as_deref(), "project", "project", "p")? {
        (with, from) = (m.with, m.from);
        args.extend(m.args);
        conditions.push(m.condition);
        order = format!("hits.rank, {order}");
    }
    if let Some(k) = q.kind {
        conditions.push("p.kind = ?".into());
        args.push(Value::Text(k.as_str().into()));
    }
    if let Some(s) = q.status {
        conditions.push("p.status = ?".into());
        args.push(Value::Text(s.as_str().into()));
    }
    if let Some(partner) = q.partner_id {
        conditions.push(
            "p.id IN (SELECT project_id FROM project_link WHERE kind = 'partner' AND target_id = ? AND deleted = 0)".into(),
        );
        args.push(optional_id(Some(partner)));
    }
    if let Some(agreement) = q.agreement_id {
        conditions.push(
            "p.id IN (SELECT project_id FROM project_link WHERE kind = 'agreement' AND target_id = ? AND deleted = 0)".into(),
        );
        args.push(optional_id(Some(agreement)));
    }
    let where_sql = conditions.join(" AND ");
    let total: u32 = conn.query_row(
        &format!("{with}SELECT count(*) FROM {from} WHERE {where_sql}"),
        rusqlite::params_from_iter(&args),
        |r| r.get(0),
    )?;
    let sql = format!(
        "{with}SELECT p.id, p.code, p.title, p.kind, p.status, p.start_date, p.end_date FROM {from}
         WHERE {where_sql} ORDER BY {order}"
    );
    Ok(Listing { sql, args, total })
}

pub fn list(conn: &Connection, q: &ProjectQuery) -> Result<ProjectPage> {
    let listing = listing(conn, q)?;
    let total = listing.total;
    let (sql, args) = listing.page(q.limit, q.offset);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&args), |r| {
        Ok(ProjectRow {
            id: r.get(0)?,
            code: r.get(1)?,
            title: r.get(2)?,
            kind: ProjectKind::from_stored(&r.get::<_, String>(3)?),
            status: ProjectStatus::from_stored(&r.get::<_, String>(4)?),
            start_date: r.get(5)?,
            end_date: r.get(6)?,
        })
    })?;
    Ok(ProjectPage { total, offset: q.offset, rows: rows.collect::<Result<_, _>>()? })
}
