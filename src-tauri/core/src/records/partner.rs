//! Partners: organisations with names in several languages and scripts, identifiers, tags and a parent.
//! Writes go through [`Mutation`], so each is logged for sync; every input is validated first and nothing
//! is written unless it is valid. The derived list and search rows are refreshed in the same transaction.

use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::kinds::{kept_or_known, IdScheme, OrgKind, PartnerStatus, Zone};
use crate::label::{labels_at, Labels, UiLang};
use crate::oplog::{optional_id, optional_text, Mutation, Wanted};
use crate::records::Listing;
use crate::search::index;
use crate::store;
use crate::store::Tx;
use crate::text::{clean, fold};
use crate::validate::{self, Report};

/// A name as written to a partner: id of an existing name to keep it, none for a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NameInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<Uuid>,
    pub value: String,
    /// BCP-47 tag: `fr`, `en`, `zh-Hans`, `ja`, `pt-BR`.
    pub lang: String,
    #[serde(default)]
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IdentifierInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<Uuid>,
    pub scheme: IdScheme,
    pub value: String,
}

/// What a user gives to create or edit a partner. `partners show --json` output is accepted as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerInput {
    pub names: Vec<NameInput>,
    #[serde(default)]
    pub acronym: Option<String>,
    #[serde(default = "default_kind")]
    pub kind: OrgKind,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    /// Defaults to the country's zone.
    #[serde(default)]
    pub zone: Option<Zone>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default = "default_status")]
    pub status: PartnerStatus,
    #[serde(default)]
    pub identifiers: Vec<IdentifierInput>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_kind() -> OrgKind {
    OrgKind::University
}

fn default_status() -> PartnerStatus {
    PartnerStatus::Active
}

/// A partner as read back: its input (names and identifiers with their ids, the zone always set) and what
/// the partner page shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Partner {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: PartnerInput,
    /// The primary name.
    pub name: String,
    /// The name a reader of each UI language sees, as its page's title.
    pub labels: Labels,
    /// The parent's primary name; `None` with a `parent_id` means the parent has not arrived by sync yet.
    pub parent_name: Option<String>,
    /// The parent's name for each UI language, when the parent is here.
    pub parent_labels: Option<Labels>,
    pub created_at: Option<String>,
    pub deleted: bool,
    /// Organisations whose parent this one is.
    pub units: Vec<PartnerLink>,
    /// People affiliated with this organisation.
    pub contacts: Vec<PartnerContact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerLink {
    pub id: Uuid,
    pub name: String,
    /// The name for each UI language ([`crate::label::pick`]).
    pub labels: Option<Labels>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerContact {
    pub contact_id: Uuid,
    pub name: String,
    pub role: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// Validated, normalised input.
struct Clean {
    names: Vec<(Option<Uuid>, String, String, bool)>,
    acronym: Option<String>,
    kind: OrgKind,
    parent_id: Option<Uuid>,
    country: Option<String>,
    city: Option<String>,
    zone: Zone,
    website: Option<String>,
    status: PartnerStatus,
    identifiers: Vec<(Option<Uuid>, IdScheme, String)>,
    tags: Vec<String>,
    notes: Option<String>,
}

/// Reads partner JSON, naming the field of any type error (`zone: unknown variant "mars"`).
pub fn input_from_json(json: &str) -> Result<PartnerInput> {
    crate::json::input_from_str(json, "a partner", READ_ONLY)
}

/// The fields a read-back partner adds beside its input: accepted in JSON input and ignored.
const READ_ONLY: &[&str] =
    &["id", "name", "labels", "parent_name", "parent_labels", "created_at", "deleted", "units", "contacts"];

fn check(conn: &Connection, id: Option<Uuid>, input: &PartnerInput) -> Result<Clean> {
    let mut report = Report::default();
    crate::validate::texts(&mut report, input);
    for (i, ident) in input.identifiers.iter().enumerate() {
        kept_or_known(
            conn,
            &mut report,
            &format!("identifiers[{i}].scheme"),
            ident.scheme,
            ("partner_identifier", "scheme", ident.id),
        )?;
    }
    kept_or_known(conn, &mut report, "kind", input.kind, ("partner", "kind", id))?;
    kept_or_known(conn, &mut report, "status", input.status, ("partner", "status", id))?;
    if let Some(zone) = input.zone {
        kept_or_known(conn, &mut report, "zone", zone, ("partner", "zone", id))?;
    }
    let mut names = Vec::new();
    let mut primaries = 0;
    for (i, name) in input.names.iter().enumerate() {
        let value = name.value.trim().to_owned();
        if value.is_empty() {
            report.add(format!("names[{i}].value"), "required", "a name cannot be empty");
        }
        let lang = validate::language(&mut report, &format!("names[{i}].lang"), &name.lang);
        primaries += usize::from(name.primary);
        names.push((name.id, value, lang.unwrap_or_default(), name.primary));
    }
    if names.is_empty() {
        report.add("names", "required", "a partner needs at least one name");
    } else if primaries == 0 {
        names[0].3 = true;
    } else if primaries > 1 {
        report.add("names", "one_primary", "only one name can be the primary name");
    }
    let acronym = clean(input.acronym.as_deref());
    if acronym.as_ref().is_some_and(|a| a.chars().count() > 32) {
        report.add("acronym", "too_long", "an acronym has at most 32 characters");
    }
    let country = clean(input.country.as_deref()).and_then(|c| validate::country(&mut report, "country", &c));
    let zone = input.zone.unwrap_or_else(|| country.as_deref().map_or(Zone::Other, Zone::of_country));
    let website = clean(input.website.as_deref()).and_then(|w| validate::website(&mut report, "website", &w));
    let mut identifiers = Vec::new();
    for (i, ident) in input.identifiers.iter().enumerate() {
        match ident.scheme.normalise(&ident.value) {
            Some(value) => {
                if !identifiers.iter().any(|(_, s, v)| *s == ident.scheme && *v == value) {
                    identifiers.push((ident.id, ident.scheme, value));
                }
            }
            None => report.add(
                format!("identifiers[{i}].value"),
                &format!("identifier_{}", ident.scheme.as_str()),
                format!(
                    "{} is not a valid {} identifier (example: {})",
                    validate::quote(ident.value.trim()),
                    ident.scheme.as_str().to_uppercase(),
                    ident.scheme.example()
                ),
            ),
        }
    }
    let mut seen = HashSet::new();
    let tags: Vec<String> =
        input.tags.iter().filter_map(|t| clean(Some(t))).filter(|t| seen.insert(fold(t))).collect();
    let parent_id = input.parent_id;
    if let Some(parent) = parent_id {
        // A parent already recorded may since have been deleted or not have arrived by sync yet: keeping
        // it is allowed (it shows as pending); only a new choice must name a live partner.
        let unchanged = match id {
            Some(id) => stored_parent(conn, id)? == Some(parent),
            None => false,
        };
        if Some(parent) == id {
            report.add("parent_id", "cycle", "an organisation cannot be its own parent");
        } else if !unchanged && !store::live(conn, "partner", parent)? {
            report.add("parent_id", "not_found", format!("no partner with id {parent}"));
        } else if let Some(id) = id {
            if ancestors(conn, parent)?.contains(&id) {
                report.add("parent_id", "cycle", "this parent is already one of the organisation's units");
            }
        }
    }
    report.finish()?;
    Ok(Clean {
        names,
        acronym,
        kind: input.kind,
        parent_id,
        country,
        city: clean(input.city.as_deref()),
        zone,
        website,
        status: input.status,
        identifiers,
        tags,
        notes: clean(input.notes.as_deref()),
    })
}

fn stored_parent(conn: &Connection, id: Uuid) -> Result<Option<Uuid>> {
    Ok(conn
        .prepare_cached("SELECT parent_id FROM partner WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// The chain of parents above `id`, nearest first; stops at a loop already in the data.
fn ancestors(conn: &Connection, id: Uuid) -> Result<Vec<Uuid>> {
    let mut chain = vec![id];
    let mut current = id;
    while let Some(parent) = conn
        .prepare_cached("SELECT parent_id FROM partner WHERE id = ?1")?
        .query_row(params![current], |r| r.get::<_, Option<Uuid>>(0))
        .optional()?
        .flatten()
    {
        if chain.contains(&parent) {
            break;
        }
        chain.push(parent);
        current = parent;
    }
    Ok(chain)
}

fn columns(c: &Clean) -> Vec<(&'static str, Value)> {
    vec![
        ("acronym", optional_text(&c.acronym)),
        ("kind", Value::Text(c.kind.as_str().into())),
        ("parent_id", optional_id(c.parent_id)),
        ("country", optional_text(&c.country)),
        ("city", optional_text(&c.city)),
        ("zone", Value::Text(c.zone.as_str().into())),
        ("website", optional_text(&c.website)),
        ("status", Value::Text(c.status.as_str().into())),
        ("notes", optional_text(&c.notes)),
    ]
}

/// Creates a partner and returns it as stored.
pub fn create(tx: &Tx, clock: &dyn Clock, input: &PartnerInput) -> Result<Partner> {
    let id = add(tx, clock, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Creates a record without reading it back, for bulk writes (imports, generated data): its derived rows
/// are settled with the transaction's, once.
pub fn add(tx: &Tx, clock: &dyn Clock, input: &PartnerInput) -> Result<Uuid> {
    let clean = check(tx, None, input)?;
    let id = store::new_id();
    let mut m = Mutation::begin(tx, clock)?;
    let mut columns = columns(&clean);
    columns.push(("created_at", Value::Text(clock.now().to_rfc3339())));
    m.insert("partner", id, &columns)?;
    write_children(&mut m, id, &clean)?;
    Ok(id)
}

/// Replaces a partner's fields with `input`; only the fields that change are logged.
pub fn update(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &PartnerInput) -> Result<Partner> {
    replace(tx, clock, id, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Replaces a record's fields without reading it back, for bulk writes (re-imports).
pub fn replace(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &PartnerInput) -> Result<()> {
    store::require_live(tx, "partner", id)?;
    let clean = check(tx, Some(id), input)?;
    let mut m = Mutation::begin(tx, clock)?;
    m.update("partner", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(())
}

/// Marks a partner deleted (its rows stay, so `restore` and sync can bring it back).
pub fn delete(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    set_deleted(tx, clock, id, true)
}

/// Undoes `delete`.
pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    set_deleted(tx, clock, id, false)
}

fn set_deleted(tx: &Tx, clock: &dyn Clock, id: Uuid, deleted: bool) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("partner", id, deleted)?;
    Ok(())
}

/// Writes names, identifiers and tags: rows given by id are updated, rows matching an existing one by
/// value are kept, new ones are inserted, and rows no longer present are marked deleted.
fn write_children(m: &mut Mutation, id: Uuid, c: &Clean) -> Result<()> {
    let names: Vec<Wanted> = c
        .names
        .iter()
        .map(|(given, value, lang, primary)| Wanted {
            id: *given,
            key: format!("{value}\u{1f}{lang}"),
            fields: vec![
                ("value", Value::Text(value.clone())),
                ("lang", Value::Text(lang.clone())),
                ("is_primary", Value::Integer(i64::from(*primary))),
            ],
        })
        .collect();
    m.reconcile("partner_name", "partner_id", id, "value || char(31) || lang", &names)?;
    let identifiers: Vec<Wanted> = c
        .identifiers
        .iter()
        .map(|(given, scheme, value)| Wanted {
            id: *given,
            key: format!("{}\u{1f}{value}", scheme.as_str()),
            fields: vec![
                ("scheme", Value::Text(scheme.as_str().into())),
                ("value", Value::Text(value.clone())),
            ],
        })
        .collect();
    m.reconcile("partner_identifier", "partner_id", id, "scheme || char(31) || value", &identifiers)?;
    let tags: Vec<Wanted> = c
        .tags
        .iter()
        .map(|tag| Wanted { id: None, key: tag.clone(), fields: vec![("value", Value::Text(tag.clone()))] })
        .collect();
    m.reconcile("partner_tag", "partner_id", id, "value", &tags)
}

/// A partner's input as stored (deleted ones too), without what its page shows beside it: what an import
/// lays a row over.
pub fn input(conn: &Connection, id: Uuid) -> Result<PartnerInput> {
    Ok(stored(conn, id)?.0)
}

/// A partner's input, creation time and deleted flag.
fn stored(conn: &Connection, id: Uuid) -> Result<(PartnerInput, Option<String>, bool)> {
    let row = conn
        .prepare_cached(
            "SELECT acronym, kind, parent_id, country, city, zone, website, status, notes, created_at, deleted
             FROM partner WHERE id = ?1",
        )?
        .query_row(params![id], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<Uuid>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, i64>(10)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "partner", id: id.to_string() })?;
    let names = names_of(conn, id)?;
    let identifiers = {
        let mut stmt = conn.prepare_cached(
            "SELECT id, scheme, value FROM partner_identifier WHERE partner_id = ?1 AND deleted = 0
             ORDER BY scheme, value",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        rows.map(|r| {
            r.map(|(id, scheme, value)| IdentifierInput {
                id: Some(id),
                scheme: IdScheme::from_stored(&scheme),
                value,
            })
        })
        .collect::<Result<Vec<_>, _>>()?
    };
    let tags = {
        let mut stmt = conn.prepare_cached(
            "SELECT value FROM partner_tag WHERE partner_id = ?1 AND deleted = 0 ORDER BY value",
        )?;
        let rows = stmt.query_map(params![id], |r| r.get::<_, String>(0))?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let input = PartnerInput {
        names,
        acronym: row.0,
        kind: OrgKind::from_stored(&row.1),
        parent_id: row.2,
        country: row.3,
        city: row.4,
        zone: Some(Zone::from_stored(&row.5)),
        website: row.6,
        status: PartnerStatus::from_stored(&row.7),
        identifiers,
        tags,
        notes: row.8,
    };
    Ok((input, row.9, row.10 != 0))
}

/// Reads a partner (deleted ones too, flagged, so the undo and history views can show them).
pub fn get(conn: &Connection, id: Uuid) -> Result<Partner> {
    let (input, created_at, deleted) = stored(conn, id)?;
    let parent_name = match &input.parent_id {
        Some(parent) => primary_name(conn, *parent)?,
        None => None,
    };
    let parent_labels = match (&input.parent_id, &parent_name) {
        (Some(parent), Some(_)) => Some(labels_of(&names_of(conn, *parent)?)),
        _ => None,
    };
    let units = {
        let mut stmt = conn.prepare_cached(
            "SELECT s.id, s.name, len.name, len.lang, len.native, len.native_lang,
                    lfr.name, lfr.lang, lfr.native, lfr.native_lang
             FROM partner p JOIN partner_summary s ON s.id = p.id
             LEFT JOIN partner_label len ON len.partner_id = s.id AND len.ui = 'en'
             LEFT JOIN partner_label lfr ON lfr.partner_id = s.id AND lfr.ui = 'fr'
             WHERE p.parent_id = ?1 ORDER BY s.sort_name",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok(PartnerLink { id: r.get(0)?, name: r.get(1)?, labels: labels_at(r, 2)? })
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let contacts = {
        let mut stmt = conn.prepare_cached(
            "SELECT a.contact_id, s.name, a.role, a.start_date, a.end_date
             FROM affiliation a JOIN contact_summary s ON s.id = a.contact_id
             WHERE a.partner_id = ?1 AND a.deleted = 0 ORDER BY s.sort_name",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok(PartnerContact {
                contact_id: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
                start_date: r.get(3)?,
                end_date: r.get(4)?,
            })
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let names = &input.names;
    Ok(Partner {
        id,
        name: names.iter().find(|n| n.primary).or(names.first()).map(|n| n.value.clone()).unwrap_or_default(),
        labels: labels_of(names),
        parent_labels,
        input,
        parent_name,
        created_at,
        deleted,
        units,
        contacts,
    })
}

fn names_of(conn: &Connection, id: Uuid) -> Result<Vec<NameInput>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, value, lang, is_primary FROM partner_name WHERE partner_id = ?1 AND deleted = 0
         ORDER BY is_primary DESC, id",
    )?;
    let rows = stmt.query_map(params![id], |r| {
        Ok(NameInput {
            id: Some(r.get(0)?),
            value: r.get(1)?,
            lang: r.get(2)?,
            primary: r.get::<_, i64>(3)? != 0,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn labels_of(names: &[NameInput]) -> Labels {
    let names: Vec<(&str, &str, bool)> =
        names.iter().map(|n| (n.value.as_str(), n.lang.as_str(), n.primary)).collect();
    Labels::of(&names)
}

/// The primary name of a live partner, `None` if it is unknown here or deleted.
pub fn primary_name(conn: &Connection, id: Uuid) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM partner_summary WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?)
}

/// Rebuilds a partner's own derived rows (list summary, search document), or removes them once it is
/// deleted. What else shows its name is refreshed by `derive`.
pub fn refresh(conn: &Connection, id: Uuid) -> Result<()> {
    conn.prepare_cached("DELETE FROM partner_summary WHERE id = ?1")?.execute(params![id])?;
    conn.prepare_cached("DELETE FROM partner_label WHERE partner_id = ?1")?.execute(params![id])?;
    let row = conn
        .prepare_cached(
            "SELECT acronym, kind, country, city, zone, status FROM partner WHERE id = ?1 AND deleted = 0",
        )?
        .query_row(params![id], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .optional()?;
    let Some((acronym, kind, country, city, zone, status)) = row else {
        return index::remove(conn, id);
    };
    let names = names_of(conn, id)?;
    let name =
        names.iter().find(|n| n.primary).or(names.first()).map(|n| n.value.clone()).unwrap_or_default();
    conn.prepare_cached(
        "INSERT INTO partner_summary (id, name, sort_name, acronym, kind, country, city, zone, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![id, name, fold(&name), acronym, kind, country, city, zone, status])?;
    put_labels(conn, id, &names)?;

    let mut head: Vec<String> = names.iter().map(|n| n.value.clone()).collect();
    head.extend(acronym);
    let mut body: Vec<String> = Vec::new();
    body.extend(city);
    body.extend(country);
    let mut stmt = conn.prepare_cached(
        "SELECT value FROM partner_identifier WHERE partner_id = ?1 AND deleted = 0
         UNION ALL SELECT value FROM partner_tag WHERE partner_id = ?1 AND deleted = 0",
    )?;
    for value in stmt.query_map(params![id], |r| r.get::<_, String>(0))? {
        body.push(value?);
    }
    index::put(conn, "partner", id, &head.join(" ; "), &body.join(" ; "), true)
}

fn put_labels(conn: &Connection, id: Uuid, names: &[NameInput]) -> Result<()> {
    let labels = labels_of(names);
    let mut stmt = conn.prepare_cached(
        "INSERT INTO partner_label (partner_id, ui, name, lang, native, native_lang, sort_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for ui in UiLang::ALL {
        let l = labels.get(ui);
        stmt.execute(params![id, ui.as_str(), l.name, l.lang, l.native, l.native_lang, l.sort_key()])?;
    }
    Ok(())
}

/// Fills `partner_label` for every live partner: for the migration that adds it.
pub fn relabel_all(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM partner_label", [])?;
    let ids: Vec<Uuid> = {
        let mut stmt = conn.prepare("SELECT id FROM partner_summary")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in ids {
        put_labels(conn, id, &names_of(conn, id)?)?;
    }
    Ok(())
}

/// Sort orders of the partner list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PartnerSort {
    #[default]
    Name,
    Country,
    City,
    Zone,
    Kind,
    Status,
}

/// A page of the partner list: filters, sort, search, window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct PartnerQuery {
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub zone: Option<Zone>,
    #[ts(optional)]
    pub country: Option<String>,
    #[ts(optional)]
    pub kind: Option<OrgKind>,
    #[ts(optional)]
    pub status: Option<PartnerStatus>,
    #[ts(optional)]
    pub sort: Option<PartnerSort>,
    pub descending: bool,
    pub offset: u32,
    /// At most 500; 100 when 0.
    pub limit: u32,
    /// The reader's language: rows show and sort by the name they read ([`crate::label::pick`]). Without
    /// it, the primary names.
    #[ts(optional)]
    pub lang: Option<UiLang>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerRow {
    pub id: Uuid,
    /// The name in the query's language (see [`PartnerQuery::lang`]).
    pub name: String,
    /// BCP-47 tag of `name`; empty for a primary name read without a language.
    pub lang: String,
    /// The primary name beside `name` when written in another script.
    pub native: Option<String>,
    pub native_lang: Option<String>,
    pub acronym: Option<String>,
    pub kind: OrgKind,
    pub country: Option<String>,
    pub city: Option<String>,
    pub zone: Zone,
    pub status: PartnerStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerPage {
    /// Rows matching the filters, all pages together.
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<PartnerRow>,
}

/// One page of live partners. With a search, rows come in relevance order; otherwise in the chosen sort.
pub fn list(conn: &Connection, q: &PartnerQuery) -> Result<PartnerPage> {
    let listing = listing(conn, q)?;
    let (sql, args) = listing.page(q.limit, q.offset);
    Ok(PartnerPage { total: listing.total, offset: q.offset, rows: query_rows(conn, &sql, &args)? })
}

/// The whole list of [`list`] as one statement (its `offset` and `limit` aside).
pub fn listing(conn: &Connection, q: &PartnerQuery) -> Result<Listing> {
    let mut filters: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut filter = |sql: &'static str, value: Value| {
        filters.push(sql);
        args.push(value);
    };
    if let Some(zone) = q.zone {
        filter("s.zone = ?", Value::Text(zone.as_str().into()));
    }
    if let Some(country) = clean(q.country.as_deref()) {
        filter("s.country = ?", Value::Text(country.to_ascii_uppercase()));
    }
    if let Some(kind) = q.kind {
        filter("s.kind = ?", Value::Text(kind.as_str().into()));
    }
    if let Some(status) = q.status {
        filter("s.status = ?", Value::Text(status.as_str().into()));
    }
    let search = clean(q.search.as_deref());
    let where_sql =
        if filters.is_empty() { String::new() } else { format!("WHERE {}", filters.join(" AND ")) };
    // With a language, the name shown and sorted by is the reader's (`partner_label`), else the primary.
    let (columns, label_join, sort_name) = match q.lang {
        Some(ui) => (
            "s.id, l.name, s.acronym, s.kind, s.country, s.city, s.zone, s.status, l.lang, l.native, l.native_lang",
            format!("JOIN partner_label l ON l.partner_id = s.id AND l.ui = '{}'", ui.as_str()),
            "l.sort_name",
        ),
        None => (
            "s.id, s.name, s.acronym, s.kind, s.country, s.city, s.zone, s.status, '', NULL, NULL",
            String::new(),
            "s.sort_name",
        ),
    };

    if let Some(hits) = search.as_deref().map(|q| index::hits(conn, q)).transpose()?.flatten() {
        let mut all_args = hits.args;
        all_args.extend(args);
        let from = format!(
            "WITH {} SELECT {{}} FROM hits JOIN search_doc d ON d.doc = hits.doc
             JOIN partner_summary s ON s.id = d.entity_id {label_join} {}",
            hits.cte,
            if where_sql.is_empty() {
                "WHERE d.entity = 'partner'".to_owned()
            } else {
                format!("{where_sql} AND d.entity = 'partner'")
            }
        );
        let total: u32 =
            conn.query_row(&from.replace("{}", "count(*)"), rusqlite::params_from_iter(&all_args), |r| {
                r.get(0)
            })?;
        let sql = format!("{} ORDER BY hits.rank, {sort_name}, s.id", from.replace("{}", columns));
        Ok(Listing { sql, args: all_args, total })
    } else {
        let total: u32 = conn.query_row(
            &format!("SELECT count(*) FROM partner_summary s {where_sql}"),
            rusqlite::params_from_iter(&args),
            |r| r.get(0),
        )?;
        let key = match q.sort.unwrap_or_default() {
            PartnerSort::Name => sort_name,
            PartnerSort::Country => "s.country",
            PartnerSort::City => "s.city",
            PartnerSort::Zone => "s.zone",
            PartnerSort::Kind => "s.kind",
            PartnerSort::Status => "s.status",
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = if key == sort_name {
            format!("{sort_name} {dir}, s.id {dir}")
        } else {
            format!("{key} {dir}, {sort_name} {dir}, s.id {dir}")
        };
        let sql =
            format!("SELECT {columns} FROM partner_summary s {label_join} {where_sql} ORDER BY {order}");
        Ok(Listing { sql, args, total })
    }
}

fn query_rows(conn: &Connection, sql: &str, args: &[Value]) -> Result<Vec<PartnerRow>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok(PartnerRow {
            id: r.get(0)?,
            name: r.get(1)?,
            acronym: r.get(2)?,
            kind: OrgKind::from_stored(&r.get::<_, String>(3)?),
            country: r.get(4)?,
            city: r.get(5)?,
            zone: Zone::from_stored(&r.get::<_, String>(6)?),
            status: PartnerStatus::from_stored(&r.get::<_, String>(7)?),
            lang: r.get(8)?,
            native: r.get(9)?,
            native_lang: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The countries of live partners, for the list's country filter.
pub fn countries(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT country FROM partner_summary WHERE country IS NOT NULL ORDER BY country",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
