//! Contacts: people with Latin-script and native-script names, e-mails, phones, languages and affiliations
//! to organisations over time. Same guarantees as partners: validated first, written through the op log,
//! derived rows refreshed in the same transaction.

use std::borrow::Cow;
use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::label::{labels_at, Labels};
use crate::oplog::{id_key, optional_id, optional_text, Mutation, Wanted};
use crate::records::Listing;
use crate::search::index;
use crate::store;
use crate::store::Tx;
use crate::text::{clean, fold};
use crate::validate::{self, Report};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AffiliationInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<Uuid>,
    /// Required; `None` only so that a form left without an organisation gets a field error.
    #[serde(default)]
    pub partner_id: Option<Uuid>,
    #[serde(default)]
    pub role: Option<String>,
    /// yyyy-mm-dd
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
}

/// What a user gives to create or edit a contact. `contacts show --json` output is accepted as is.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactInput {
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
    /// The name in the person's own script: 李伟, 田中 花子.
    #[serde(default)]
    pub native_name: Option<String>,
    /// Honorific or academic title: Prof., Dr.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    /// BCP-47 tags of the languages the person works in.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub affiliations: Vec<AffiliationInput>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Affiliation {
    pub id: Uuid,
    pub partner_id: Uuid,
    /// The organisation's primary name; `None` while it has not arrived by sync ("pending sync").
    pub partner_name: Option<String>,
    /// The organisation's name for each UI language ([`crate::label::pick`]).
    pub partner_labels: Option<Labels>,
    pub role: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// A contact as read back: its input (affiliations with their ids) and what the contact page shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contact {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: ContactInput,
    /// Display name: "Prof. Wei LI (李伟)".
    pub name: String,
    /// The affiliations of `affiliations`, in their order, with the organisations' names.
    pub affiliations_read: Vec<Affiliation>,
    pub created_at: Option<String>,
    pub deleted: bool,
}

pub fn input_from_json(json: &str) -> Result<ContactInput> {
    crate::json::input_from_str(json, "a contact", READ_ONLY)
}

/// The fields a read-back contact adds beside its input: accepted in JSON input and ignored.
const READ_ONLY: &[&str] = &["id", "name", "affiliations_read", "created_at", "deleted"];

struct Clean {
    given_name: Option<String>,
    family_name: Option<String>,
    native_name: Option<String>,
    title: Option<String>,
    emails: Vec<String>,
    phones: Vec<String>,
    languages: Vec<String>,
    affiliations: Vec<AffiliationInput>,
    notes: Option<String>,
}

fn check(conn: &Connection, id: Option<Uuid>, input: &ContactInput) -> Result<Clean> {
    let mut report = Report::default();
    crate::validate::texts(&mut report, input);
    let given_name = clean(input.given_name.as_deref());
    let family_name = clean(input.family_name.as_deref());
    let native_name = clean(input.native_name.as_deref());
    if given_name.is_none() && family_name.is_none() && native_name.is_none() {
        report.add("family_name", "required", "a contact needs a name (family, given or native)");
    }
    let mut seen = HashSet::new();
    let mut emails = Vec::new();
    for (i, e) in input.emails.iter().enumerate() {
        if let Some(e) = validate::email(&mut report, &format!("emails[{i}]"), e) {
            if seen.insert(e.to_lowercase()) {
                emails.push(e);
            }
        }
    }
    let mut phones = Vec::new();
    for (i, p) in input.phones.iter().enumerate() {
        if let Some(p) = validate::phone(&mut report, &format!("phones[{i}]"), p) {
            if !phones.contains(&p) {
                phones.push(p);
            }
        }
    }
    let mut languages = Vec::new();
    for (i, l) in input.languages.iter().enumerate() {
        if let Some(l) = validate::language(&mut report, &format!("languages[{i}]"), l) {
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
    }
    let mut affiliations = Vec::new();
    for (i, a) in input.affiliations.iter().enumerate() {
        let partner_id = a.partner_id;
        if let Some(partner_id) = partner_id {
            if !store::live(conn, "partner", partner_id)? && !affiliated(conn, id, partner_id)? {
                // An organisation already recorded may have been deleted or be pending sync: only a newly
                // chosen one must be a live partner.
                report.add(
                    format!("affiliations[{i}].partner_id"),
                    "not_found",
                    format!("no partner with id {partner_id}"),
                );
            }
        } else {
            report.add(format!("affiliations[{i}].partner_id"), "required", "choose the organisation");
        }
        let start = validate::optional_date(
            &mut report,
            &format!("affiliations[{i}].start_date"),
            a.start_date.as_deref(),
        );
        let end = validate::optional_date(
            &mut report,
            &format!("affiliations[{i}].end_date"),
            a.end_date.as_deref(),
        );
        validate::in_order(
            &mut report,
            &format!("affiliations[{i}].end_date"),
            "the affiliation",
            start,
            end,
        );
        affiliations.push(AffiliationInput {
            id: a.id,
            partner_id,
            role: clean(a.role.as_deref()),
            start_date: start.map(|d| d.to_string()),
            end_date: end.map(|d| d.to_string()),
        });
    }
    report.finish()?;
    Ok(Clean {
        given_name,
        family_name,
        native_name,
        title: clean(input.title.as_deref()),
        emails,
        phones,
        languages,
        affiliations,
        notes: clean(input.notes.as_deref()),
    })
}

fn affiliated(conn: &Connection, contact: Option<Uuid>, partner_id: Uuid) -> Result<bool> {
    let Some(contact) = contact else { return Ok(false) };
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM affiliation WHERE contact_id = ?1 AND partner_id = ?2 AND deleted = 0",
        )?
        .exists(params![contact, partner_id])?)
}

fn columns(c: &Clean) -> Vec<(&'static str, Value)> {
    vec![
        ("given_name", optional_text(&c.given_name)),
        ("family_name", optional_text(&c.family_name)),
        ("native_name", optional_text(&c.native_name)),
        ("title", optional_text(&c.title)),
        ("notes", optional_text(&c.notes)),
        ("emails", list_value(&c.emails)),
        ("phones", list_value(&c.phones)),
        ("languages", list_value(&c.languages)),
    ]
}

/// A person's e-mails, phones or languages: one field group each (a small list edited as a whole), stored
/// as a JSON array of strings, `NULL` when empty.
fn list_value(items: &[String]) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::Text(serde_json::to_string(items).unwrap_or_default())
    }
}

fn list_of(text: Option<String>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

pub fn create(tx: &Tx, clock: &dyn Clock, input: &ContactInput) -> Result<Contact> {
    let id = add(tx, clock, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Creates a record without reading it back, for bulk writes (imports, generated data): its derived rows
/// are settled with the transaction's, once.
pub fn add(tx: &Tx, clock: &dyn Clock, input: &ContactInput) -> Result<Uuid> {
    let clean = check(tx, None, input)?;
    let id = store::new_id();
    let mut m = Mutation::begin(tx, clock)?;
    let mut columns = columns(&clean);
    columns.push(("created_at", Value::Text(clock.now().to_rfc3339())));
    m.insert("contact", id, &columns)?;
    write_children(&mut m, id, &clean)?;
    Ok(id)
}

pub fn update(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &ContactInput) -> Result<Contact> {
    replace(tx, clock, id, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Replaces a record's fields without reading it back, for bulk writes (re-imports).
pub fn replace(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &ContactInput) -> Result<()> {
    store::require_live(tx, "contact", id)?;
    let clean = check(tx, Some(id), input)?;
    let mut m = Mutation::begin(tx, clock)?;
    m.update("contact", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(())
}

pub fn delete(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    set_deleted(tx, clock, id, true)
}

pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    set_deleted(tx, clock, id, false)
}

/// Erases a person (GDPR Art. 17): their values are blanked here, in the history and in the ops, and the
/// erasure travels to every replica (see `oplog::erasure`). Run [`crate::store::checkpoint`] after the
/// commit so the file keeps no copy.
pub fn erase(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    crate::oplog::erasure::erase(tx, clock, "contact", id)
}

fn set_deleted(tx: &Tx, clock: &dyn Clock, id: Uuid, deleted: bool) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("contact", id, deleted)?;
    Ok(())
}

/// Writes affiliations the way `partner` writes names: by id, else by organisation.
fn write_children(m: &mut Mutation, id: Uuid, c: &Clean) -> Result<()> {
    let affiliations: Vec<Wanted> = c
        .affiliations
        .iter()
        .map(|a| Wanted {
            id: a.id,
            key: id_key(a.partner_id),
            fields: vec![
                ("partner_id", optional_id(a.partner_id)),
                ("role", optional_text(&a.role)),
                ("start_date", optional_text(&a.start_date)),
                ("end_date", optional_text(&a.end_date)),
            ],
        })
        .collect();
    m.reconcile("affiliation", "contact_id", id, "coalesce(hex(partner_id), '')", &affiliations)
}

/// The columns of a contact's own row its summary and search document show.
struct SummaryOwn {
    given_name: Option<String>,
    family_name: Option<String>,
    native_name: Option<String>,
    title: Option<String>,
    emails: Option<String>,
    phones: Option<String>,
}

/// A contact's own row, as stored.
struct OwnRow {
    given_name: Option<String>,
    family_name: Option<String>,
    native_name: Option<String>,
    title: Option<String>,
    notes: Option<String>,
    created_at: Option<String>,
    deleted: i64,
    emails: Option<String>,
    phones: Option<String>,
    languages: Option<String>,
}

fn own_row(conn: &Connection, id: Uuid) -> Result<Option<OwnRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT given_name, family_name, native_name, title, notes, created_at, deleted, emails, phones, languages
             FROM contact WHERE id = ?1",
        )?
        .query_row(params![id], |r| {
            Ok(OwnRow {
                given_name: r.get("given_name")?,
                family_name: r.get("family_name")?,
                native_name: r.get("native_name")?,
                title: r.get("title")?,
                notes: r.get("notes")?,
                created_at: r.get("created_at")?,
                deleted: r.get("deleted")?,
                emails: r.get("emails")?,
                phones: r.get("phones")?,
                languages: r.get("languages")?,
            })
        })
        .optional()?)
}

/// "Prof. Wei LI (李伟)": given name, family name in capitals, native script in brackets.
pub fn display_name(
    title: Option<&str>,
    given: Option<&str>,
    family: Option<&str>,
    native: Option<&str>,
) -> String {
    let mut name = String::new();
    for (i, part) in
        [title.map(Cow::Borrowed), given.map(Cow::Borrowed), family.map(|f| Cow::Owned(f.to_uppercase()))]
            .into_iter()
            .flatten()
            .enumerate()
    {
        if i > 0 {
            name.push(' ');
        }
        name.push_str(&part);
    }
    let latin = given.is_some() || family.is_some();
    match (latin, native) {
        (true, Some(n)) => {
            name.push_str(" (");
            name.push_str(n);
            name.push(')');
            name
        }
        (true, None) => name,
        (false, Some(n)) => n.to_owned(),
        (false, None) => String::new(),
    }
}

pub fn get(conn: &Connection, id: Uuid) -> Result<Contact> {
    let OwnRow {
        given_name,
        family_name,
        native_name,
        title,
        notes,
        created_at,
        deleted,
        emails,
        phones,
        languages,
    } = own_row(conn, id)?.ok_or_else(|| Error::NotFound { entity: "contact", id: id.to_string() })?;
    let (emails, phones, languages) = (list_of(emails), list_of(phones), list_of(languages));
    let affiliations = {
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.partner_id, s.name, a.role, a.start_date, a.end_date, len.name, len.lang, len.native, len.native_lang, lfr.name, lfr.lang, lfr.native, lfr.native_lang
             FROM affiliation a LEFT JOIN partner_summary s ON s.id = a.partner_id
             LEFT JOIN partner_label len ON len.partner_id = a.partner_id AND len.ui = 'en'
             LEFT JOIN partner_label lfr ON lfr.partner_id = a.partner_id AND lfr.ui = 'fr'
             WHERE a.contact_id = ?1 AND a.deleted = 0 AND a.partner_id IS NOT NULL
             ORDER BY a.end_date IS NOT NULL, a.start_date DESC, a.id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok(Affiliation {
                id: r.get(0)?,
                partner_id: r.get(1)?,
                partner_name: r.get(2)?,
                partner_labels: labels_at(r, 6)?,
                role: r.get(3)?,
                start_date: r.get(4)?,
                end_date: r.get(5)?,
            })
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    Ok(Contact {
        id,
        name: display_name(
            title.as_deref(),
            given_name.as_deref(),
            family_name.as_deref(),
            native_name.as_deref(),
        ),
        input: ContactInput {
            given_name,
            family_name,
            native_name,
            title,
            emails,
            phones,
            languages,
            affiliations: affiliations
                .iter()
                .map(|a| AffiliationInput {
                    id: Some(a.id),
                    partner_id: Some(a.partner_id),
                    role: a.role.clone(),
                    start_date: a.start_date.clone(),
                    end_date: a.end_date.clone(),
                })
                .collect(),
            notes,
        },
        affiliations_read: affiliations,
        created_at,
        deleted: deleted != 0,
    })
}

/// Rebuilds a contact's list summary and search document.
/// The contacts ever affiliated with a partner (their list rows show its name).
pub fn of_partner(conn: &Connection, partner: Uuid) -> Result<Vec<Uuid>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT contact_id FROM affiliation WHERE partner_id = ?1")?;
    let rows = stmt.query_map(params![partner], |r| r.get::<_, Option<Uuid>>(0))?;
    Ok(rows.filter_map(|r| r.transpose()).collect::<Result<_, _>>()?)
}

/// Rebuilds the people's list rows and search documents, or removes those of the people deleted or gone. One
/// read for all of them (reading person by person was a fifth of a new laptop's first import) of only what
/// the summary and the search document hold: the own columns the summary shows and the current affiliation
/// (the first in the record's own order whose organisation is known).
pub fn refresh(conn: &Connection, ids: &[Uuid]) -> Result<()> {
    let wanted: rusqlite::vtab::array::Array =
        std::rc::Rc::new(ids.iter().map(|id| Value::Blob(id.as_bytes().to_vec())).collect());
    let mut read = conn.prepare_cached(
        "SELECT c.id, c.given_name, c.family_name, c.native_name, c.title, c.emails, c.phones,
                a.partner_id, s.name, a.role
         FROM rarray(?1) w
         JOIN contact c ON c.id = w.value
         LEFT JOIN affiliation a ON a.id = (
             SELECT f.id FROM affiliation f JOIN partner_summary o ON o.id = f.partner_id
             WHERE f.contact_id = c.id AND f.deleted = 0 AND o.name IS NOT NULL
             ORDER BY f.end_date IS NOT NULL, f.start_date DESC, f.id LIMIT 1)
         LEFT JOIN partner_summary s ON s.id = a.partner_id
         WHERE c.deleted = 0",
    )?;
    let mut write = conn.prepare_cached(
        "INSERT OR REPLACE INTO contact_summary (id, name, sort_name, native_name, email, organisation, organisation_id, role)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut search = index::Writer::new(conn)?;
    let mut live: HashSet<Uuid> = HashSet::with_capacity(ids.len());
    let mut rows = read.query(params![wanted])?;
    while let Some(r) = rows.next()? {
        let id: Uuid = r.get(0)?;
        let own = SummaryOwn {
            given_name: r.get(1)?,
            family_name: r.get(2)?,
            native_name: r.get(3)?,
            title: r.get(4)?,
            emails: r.get(5)?,
            phones: r.get(6)?,
        };
        let current: Option<(Uuid, String, Option<String>)> = match (r.get(7)?, r.get(8)?) {
            (Some(partner), Some(name)) => Some((partner, name, r.get(9)?)),
            _ => None,
        };
        live.insert(id);
        let (emails, phones) = (list_of(own.emails), list_of(own.phones));
        let name = display_name(
            own.title.as_deref(),
            own.given_name.as_deref(),
            own.family_name.as_deref(),
            own.native_name.as_deref(),
        );
        let sort_key = fold(&format!(
            "{} {} {}",
            own.family_name.as_deref().unwrap_or(""),
            own.given_name.as_deref().unwrap_or(""),
            own.native_name.as_deref().unwrap_or("")
        ));
        write.execute(params![
            id,
            name,
            sort_key.trim(),
            own.native_name,
            emails.first(),
            current.as_ref().map(|c| &c.1),
            current.as_ref().map(|c| c.0),
            current.as_ref().and_then(|c| c.2.as_ref()),
        ])?;
        let head: Vec<&str> = [&own.given_name, &own.family_name, &own.native_name]
            .into_iter()
            .filter_map(|n| n.as_deref())
            .collect();
        // Organisations are found by their own names, not copied into every person's document: at half a
        // million people that copy would be a good part of the index.
        let mut body: Vec<String> = emails;
        body.extend(phones);
        search.put("contact", id, &head.join(" "), &body.join(" ; "), false)?;
    }
    drop(rows);
    let mut gone = conn.prepare_cached("DELETE FROM contact_summary WHERE id = ?1")?;
    for id in ids.iter().filter(|id| !live.contains(id)) {
        gone.execute(params![id])?;
        search.remove(*id)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ContactQuery {
    #[ts(optional)]
    pub search: Option<String>,
    /// Only people affiliated with this organisation.
    #[ts(optional)]
    pub partner_id: Option<Uuid>,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactRow {
    pub id: Uuid,
    pub name: String,
    pub native_name: Option<String>,
    pub email: Option<String>,
    pub organisation: Option<String>,
    pub organisation_id: Option<Uuid>,
    /// The organisation's name for each UI language ([`crate::label::pick`]).
    pub organisation_labels: Option<Labels>,
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<ContactRow>,
}

/// The whole list of [`list`] as one statement (its `offset` and `limit` aside).
pub fn listing(conn: &Connection, q: &ContactQuery) -> Result<Listing> {
    let mut args: Vec<Value> = Vec::new();
    let mut conditions: Vec<String> = Vec::new();
    let mut with = String::new();
    let mut from = "contact_summary s".to_owned();
    let mut order = format!("s.sort_name {0}, s.id {0}", if q.descending { "DESC" } else { "ASC" });
    if let Some(m) = index::matches(conn, q.search.as_deref(), "contact", "contact_summary", "s")? {
        (with, from) = (m.with, m.from);
        args.extend(m.args);
        conditions.push(m.condition);
        order = format!("hits.rank, {order}");
    }
    if let Some(partner_id) = q.partner_id {
        conditions.push(
            "s.id IN (SELECT contact_id FROM affiliation WHERE partner_id = ? AND deleted = 0)".to_owned(),
        );
        args.push(crate::oplog::id_value(partner_id));
    }
    let where_sql =
        if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let total: u32 = conn.query_row(
        &format!("{with}SELECT count(*) FROM {from} {where_sql}"),
        rusqlite::params_from_iter(&args),
        |r| r.get(0),
    )?;
    let sql = format!(
        "{with}SELECT s.id, s.name, s.native_name, s.email, s.organisation, s.organisation_id, s.role,
                len.name, len.lang, len.native, len.native_lang, lfr.name, lfr.lang, lfr.native, lfr.native_lang
         FROM {from} LEFT JOIN partner_label len ON len.partner_id = s.organisation_id AND len.ui = 'en'
             LEFT JOIN partner_label lfr ON lfr.partner_id = s.organisation_id AND lfr.ui = 'fr'
         {where_sql} ORDER BY {order}"
    );
    Ok(Listing { sql, args, total })
}

pub fn list(conn: &Connection, q: &ContactQuery) -> Result<ContactPage> {
    let listing = listing(conn, q)?;
    let total = listing.total;
    let (sql, args) = listing.page(q.limit, q.offset);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&args), |r| {
        Ok(ContactRow {
            id: r.get(0)?,
            name: r.get(1)?,
            native_name: r.get(2)?,
            email: r.get(3)?,
            organisation: r.get(4)?,
            organisation_id: r.get(5)?,
            organisation_labels: labels_at(r, 7)?,
            role: r.get(6)?,
        })
    })?;
    Ok(ContactPage { total, offset: q.offset, rows: rows.collect::<Result<_, _>>()? })
}
