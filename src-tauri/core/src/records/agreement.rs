//! Agreements: two or more parties, a parent (framework → specific), validity and renewal terms, fields,
//! and per-direction cooperation conditions (places or months a year, levels, languages, years). Writes go
//! through [`Mutation`] and are validated first: nothing is written unless every field is valid. The list
//! and search rows are refreshed in the same transaction; an active agreement past its end date reads as
//! expired.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::kinds::{
    is_field, kept_or_known, AgreementKind, AgreementStatus, Cefr, Level, MobilityType, Zone,
};
use crate::label::{labels_at, Labels};
use crate::oplog::{id_key, id_value, optional_id, optional_text, Mutation, Wanted};
use crate::records::Listing;
use crate::search::index;
use crate::store;
use crate::store::Tx;
use crate::text::{clean, fold};
use crate::validate::{self, Report};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartyInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<Uuid>,
    /// Required; `None` only so that a form row left empty gets a field error.
    #[serde(default)]
    pub partner_id: Option<Uuid>,
    /// The unit (school, lab) of the organisation that carries the agreement, if any.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    #[serde(default)]
    pub role: Option<String>,
    /// The contact who signed for this party.
    #[serde(default)]
    pub signatory_id: Option<Uuid>,
    #[serde(default)]
    pub signed_date: Option<String>,
}

/// A language required by a condition, with its minimum CEFR level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LanguageLevel {
    /// BCP-47 tag.
    pub lang: String,
    pub cefr: Cefr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConditionInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<Uuid>,
    pub mobility: MobilityType,
    /// Must be one of the agreement's parties.
    #[serde(default)]
    pub sending_id: Option<Uuid>,
    /// Must be one of the agreement's parties.
    #[serde(default)]
    pub receiving_id: Option<Uuid>,
    /// Places per academic year.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub places: Option<i64>,
    /// Months of mobility per academic year (all places together).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub months: Option<i64>,
    #[serde(default)]
    pub levels: Vec<Level>,
    #[serde(default)]
    pub languages: Vec<LanguageLevel>,
    /// First academic year covered (2025 for 2025/2026).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub first_year: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub last_year: Option<i64>,
}

/// What a user gives to create or edit an agreement. `agreements show --json` output is accepted as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementInput {
    #[serde(default)]
    pub code: Option<String>,
    pub title: String,
    pub kind: AgreementKind,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    #[serde(default = "default_status")]
    pub status: AgreementStatus,
    #[serde(default)]
    pub signed_date: Option<String>,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub auto_renewal: bool,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub notice_months: Option<i64>,
    /// ISCED-F 2013 codes ("0731") or alliance fields ("health").
    #[serde(default)]
    pub fields: Vec<String>,
    pub parties: Vec<PartyInput>,
    #[serde(default)]
    pub conditions: Vec<ConditionInput>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_status() -> AgreementStatus {
    AgreementStatus::Negotiation
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Party {
    pub id: Uuid,
    pub partner_id: Option<Uuid>,
    /// `None` while the organisation has not arrived by sync ("pending sync").
    pub partner_name: Option<String>,
    /// The organisation's name for each UI language ([`crate::label::pick`]).
    pub partner_labels: Option<Labels>,
    pub country: Option<String>,
    pub zone: Option<Zone>,
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    /// The unit's name for each UI language.
    pub unit_labels: Option<Labels>,
    pub role: Option<String>,
    pub signatory_id: Option<Uuid>,
    pub signatory_name: Option<String>,
    pub signed_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Condition {
    pub id: Uuid,
    pub mobility: MobilityType,
    pub sending_id: Option<Uuid>,
    pub sending_name: Option<String>,
    /// The sending side's name for each UI language ([`crate::label::pick`]).
    pub sending_labels: Option<Labels>,
    pub receiving_id: Option<Uuid>,
    pub receiving_name: Option<String>,
    pub receiving_labels: Option<Labels>,
    #[ts(type = "number | null")]
    pub places: Option<i64>,
    #[ts(type = "number | null")]
    pub months: Option<i64>,
    pub levels: Vec<Level>,
    pub languages: Vec<LanguageLevel>,
    #[ts(type = "number | null")]
    pub first_year: Option<i64>,
    #[ts(type = "number | null")]
    pub last_year: Option<i64>,
}

/// Places used against a condition in one academic year (cancelled and withdrawn exchanges do not count).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConditionUse {
    pub condition_id: Uuid,
    #[ts(type = "number")]
    pub academic_year: i64,
    #[ts(type = "number")]
    pub used: i64,
    #[ts(type = "number | null")]
    pub places: Option<i64>,
}

/// Exchanges under an agreement in one academic year, by direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Balance {
    #[ts(type = "number")]
    pub academic_year: i64,
    #[ts(type = "number")]
    pub incoming: i64,
    #[ts(type = "number")]
    pub outgoing: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementLink {
    pub id: Uuid,
    pub title: String,
}

/// An agreement as read back: its input (parties and conditions with their ids) and what its page shows
/// beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Agreement {
    pub id: Uuid,
    /// Its `status` is the status as recorded (see `effective_status`).
    #[serde(flatten)]
    pub input: AgreementInput,
    /// `None` with a `parent_id` means the parent is deleted or has not arrived by sync.
    pub parent_title: Option<String>,
    /// As it stands today: an active agreement past its end date is expired.
    pub effective_status: AgreementStatus,
    /// The parties of `parties`, in their order, with the names of the organisations, units and signatories.
    pub parties_read: Vec<Party>,
    /// The conditions of `conditions`, in their order, with the names of the sending and receiving sides.
    pub conditions_read: Vec<Condition>,
    pub deleted: bool,
    /// Specific agreements under this one.
    pub children: Vec<AgreementLink>,
    pub usage: Vec<ConditionUse>,
    pub balance: Vec<Balance>,
}

/// Reads agreement JSON, naming the field of any type error.
pub fn input_from_json(json: &str) -> Result<AgreementInput> {
    crate::json::input_from_str(json, "an agreement", READ_ONLY)
}

/// The fields a read-back agreement adds beside its input: accepted in JSON input and ignored.
const READ_ONLY: &[&str] = &[
    "id",
    "parent_title",
    "effective_status",
    "parties_read",
    "conditions_read",
    "deleted",
    "children",
    "usage",
    "balance",
];

/// Validated, normalised input.
struct Clean {
    input: AgreementInput,
}

fn check(conn: &Connection, id: Option<Uuid>, input: &AgreementInput) -> Result<Clean> {
    let mut report = Report::default();
    crate::validate::texts(&mut report, input);
    kept_or_known(conn, &mut report, "kind", input.kind, ("agreement", "kind", id))?;
    kept_or_known(conn, &mut report, "status", input.status, ("agreement", "status", id))?;
    for (i, c) in input.conditions.iter().enumerate() {
        let field = format!("conditions[{i}].mobility");
        kept_or_known(conn, &mut report, &field, c.mobility, ("agreement_condition", "mobility", c.id))?;
    }
    let mut clean_input = input.clone();
    clean_input.code = clean(input.code.as_deref());
    clean_input.notes = clean(input.notes.as_deref());
    clean_input.title = input.title.trim().to_owned();
    if clean_input.title.is_empty() {
        report.add("title", "required", "an agreement needs a title");
    }
    let signed = validate::optional_date(&mut report, "signed_date", input.signed_date.as_deref());
    let start = validate::optional_date(&mut report, "start_date", input.start_date.as_deref());
    let end = validate::optional_date(&mut report, "end_date", input.end_date.as_deref());
    validate::in_order(&mut report, "end_date", "the agreement", start, end);
    clean_input.signed_date = signed.map(|d| d.to_string());
    clean_input.start_date = start.map(|d| d.to_string());
    clean_input.end_date = end.map(|d| d.to_string());
    if input.notice_months.is_some_and(|m| m < 0) {
        report.add("notice_months", "negative", "the notice period cannot be negative");
    }
    let mut fields = Vec::new();
    for (i, f) in input.fields.iter().enumerate() {
        let f = f.trim().to_lowercase();
        if !is_field(&f) {
            report.add(
                format!("fields[{i}]"),
                "field",
                format!(
                    "{} is not an ISCED-F code such as 0731 nor one of the alliance's fields",
                    validate::quote(&f)
                ),
            );
        } else if !fields.contains(&f) {
            fields.push(f);
        }
    }
    clean_input.fields = fields;

    let mut parties: Vec<Uuid> = Vec::new();
    for (i, p) in input.parties.iter().enumerate() {
        let Some(partner_id) = p.partner_id else {
            report.add(format!("parties[{i}].partner_id"), "required", "choose the organisation");
            continue;
        };
        if parties.contains(&partner_id) {
            report.add(
                format!("parties[{i}].partner_id"),
                "duplicate",
                "this organisation is already a party",
            );
        } else if !known_partner(conn, partner_id, id)? {
            report.add(
                format!("parties[{i}].partner_id"),
                "not_found",
                format!("no partner with id {partner_id}"),
            );
        }
        parties.push(partner_id);
        clean_input.parties[i].role = clean(p.role.as_deref());
        clean_input.parties[i].signed_date = validate::optional_date(
            &mut report,
            &format!("parties[{i}].signed_date"),
            p.signed_date.as_deref(),
        )
        .map(|d| d.to_string());
    }
    let distinct: HashSet<&Uuid> = parties.iter().collect();
    if distinct.len() < 2 && input.parties.iter().all(|p| p.partner_id.is_some()) {
        report.add("parties", "too_few", "an agreement needs at least two parties");
    }
    for (i, c) in input.conditions.iter().enumerate() {
        let at = |field: &str| format!("conditions[{i}].{field}");
        for (field, side) in [("sending_id", c.sending_id), ("receiving_id", c.receiving_id)] {
            match side {
                None => report.add(at(field), "required", "choose one of the parties"),
                Some(side) if !parties.contains(&side) => {
                    report.add(at(field), "not_a_party", "this organisation is not a party to the agreement")
                }
                Some(_) => {}
            }
        }
        if c.sending_id.is_some() && c.sending_id == c.receiving_id {
            report.add(
                at("receiving_id"),
                "same_side",
                "the sending and receiving organisations are the same",
            );
        }
        for (field, value) in [("places", c.places), ("months", c.months)] {
            if value.is_some_and(|v| v < 0) {
                report.add(at(field), "negative", format!("{field} cannot be negative"));
            }
        }
        validate::academic_year(&mut report, &at("first_year"), c.first_year);
        validate::academic_year(&mut report, &at("last_year"), c.last_year);
        if let (Some(first), Some(last)) = (c.first_year, c.last_year) {
            if last < first {
                report.add(at("last_year"), "end_before_start", "the last academic year is before the first");
            }
        }
        for (j, l) in c.languages.iter().enumerate() {
            if let Some(tag) = validate::language(&mut report, &at(&format!("languages[{j}].lang")), &l.lang)
            {
                clean_input.conditions[i].languages[j].lang = tag;
            }
        }
        let mut levels = c.levels.clone();
        levels.sort_by_key(|l| l.as_str());
        levels.dedup();
        clean_input.conditions[i].levels = levels;
    }
    if let Some(parent) = input.parent_id {
        let unchanged = match id {
            Some(id) => stored_parent(conn, id)? == Some(parent),
            None => false,
        };
        if Some(parent) == id {
            report.add("parent_id", "cycle", "an agreement cannot be its own parent");
        } else if !unchanged && !store::live(conn, "agreement", parent)? {
            report.add("parent_id", "not_found", format!("no agreement with id {parent}"));
        } else if let Some(id) = id {
            if ancestors(conn, parent)?.contains(&id) {
                report.add(
                    "parent_id",
                    "cycle",
                    "this parent is already one of the agreement's specific agreements",
                );
            }
        }
    }
    report.finish()?;
    Ok(Clean { input: clean_input })
}

/// A live partner, or one this agreement already names (it may since be deleted or pending sync).
fn known_partner(conn: &Connection, partner_id: Uuid, agreement: Option<Uuid>) -> Result<bool> {
    if store::live(conn, "partner", partner_id)? {
        return Ok(true);
    }
    let Some(agreement) = agreement else { return Ok(false) };
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM agreement_party WHERE agreement_id = ?1 AND partner_id = ?2 AND deleted = 0",
        )?
        .exists(params![agreement, partner_id])?)
}

fn stored_parent(conn: &Connection, id: Uuid) -> Result<Option<Uuid>> {
    Ok(conn
        .prepare_cached("SELECT parent_id FROM agreement WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?
        .flatten())
}

fn ancestors(conn: &Connection, id: Uuid) -> Result<Vec<Uuid>> {
    let mut chain = vec![id];
    let mut current = id;
    while let Some(parent) = stored_parent(conn, current)? {
        if chain.contains(&parent) {
            break;
        }
        chain.push(parent);
        current = parent;
    }
    Ok(chain)
}

fn columns(c: &AgreementInput) -> Vec<(&'static str, Value)> {
    vec![
        ("code", optional_text(&c.code)),
        ("title", Value::Text(c.title.clone())),
        ("kind", Value::Text(c.kind.as_str().into())),
        ("parent_id", optional_id(c.parent_id)),
        ("status", Value::Text(c.status.as_str().into())),
        ("signed_date", optional_text(&c.signed_date)),
        ("start_date", optional_text(&c.start_date)),
        ("end_date", optional_text(&c.end_date)),
        ("auto_renewal", Value::Integer(i64::from(c.auto_renewal))),
        ("notice_months", c.notice_months.map_or(Value::Null, Value::Integer)),
        ("notes", optional_text(&c.notes)),
    ]
}

fn write_children(m: &mut Mutation, id: Uuid, c: &AgreementInput) -> Result<()> {
    let parties: Vec<Wanted> = c
        .parties
        .iter()
        .map(|p| Wanted {
            id: p.id,
            key: id_key(p.partner_id),
            fields: vec![
                ("partner_id", optional_id(p.partner_id)),
                ("unit_id", optional_id(p.unit_id)),
                ("role", optional_text(&p.role)),
                ("signatory_id", optional_id(p.signatory_id)),
                ("signed_date", optional_text(&p.signed_date)),
            ],
        })
        .collect();
    m.reconcile("agreement_party", "agreement_id", id, "coalesce(hex(partner_id), '')", &parties)?;
    let fields: Vec<Wanted> = c
        .fields
        .iter()
        .map(|f| Wanted { id: None, key: f.clone(), fields: vec![("code", Value::Text(f.clone()))] })
        .collect();
    m.reconcile("agreement_field", "agreement_id", id, "code", &fields)?;
    let conditions: Vec<Wanted> = c
        .conditions
        .iter()
        .map(|k| Wanted {
            id: k.id,
            key: format!(
                "{}\u{1f}{}\u{1f}{}",
                k.mobility.as_str(),
                id_key(k.sending_id),
                id_key(k.receiving_id)
            ),
            fields: vec![
                ("mobility", Value::Text(k.mobility.as_str().into())),
                ("sending_id", optional_id(k.sending_id)),
                ("receiving_id", optional_id(k.receiving_id)),
                ("places", k.places.map_or(Value::Null, Value::Integer)),
                ("months", k.months.map_or(Value::Null, Value::Integer)),
                ("levels", list_value(k.levels.iter().map(|l| l.as_str().to_owned()))),
                (
                    "languages",
                    list_value(k.languages.iter().map(|l| format!("{}:{}", l.lang, l.cefr.as_str()))),
                ),
                ("first_year", k.first_year.map_or(Value::Null, Value::Integer)),
                ("last_year", k.last_year.map_or(Value::Null, Value::Integer)),
            ],
        })
        .collect();
    m.reconcile(
        "agreement_condition",
        "agreement_id",
        id,
        "mobility || char(31) || coalesce(hex(sending_id), '') || char(31) || coalesce(hex(receiving_id), '')",
        &conditions,
    )
}

fn list_value(items: impl Iterator<Item = String>) -> Value {
    let joined = items.collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        Value::Null
    } else {
        Value::Text(joined)
    }
}

/// Creates an agreement and returns it as stored.
pub fn create(tx: &Tx, clock: &dyn Clock, input: &AgreementInput) -> Result<Agreement> {
    let id = add(tx, clock, input)?;
    tx.settle()?;
    get(tx, id, clock.now().date_naive())
}

/// Creates a record without reading it back, for bulk writes (imports, generated data): its derived rows
/// are settled with the transaction's, once.
pub fn add(tx: &Tx, clock: &dyn Clock, input: &AgreementInput) -> Result<Uuid> {
    let clean = check(tx, None, input)?;
    let id = store::new_id();
    let mut m = Mutation::begin(tx, clock)?;
    m.insert("agreement", id, &columns(&clean.input))?;
    write_children(&mut m, id, &clean.input)?;
    Ok(id)
}

/// Replaces an agreement's fields; parties, fields and conditions not given are removed.
pub fn update(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &AgreementInput) -> Result<Agreement> {
    replace(tx, clock, id, input)?;
    tx.settle()?;
    get(tx, id, clock.now().date_naive())
}

/// Replaces a record's fields without reading it back, for bulk writes (re-imports).
pub fn replace(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &AgreementInput) -> Result<()> {
    store::require_live(tx, "agreement", id)?;
    let clean = check(tx, Some(id), input)?;
    let mut m = Mutation::begin(tx, clock)?;
    m.update("agreement", id, &columns(&clean.input))?;
    write_children(&mut m, id, &clean.input)?;
    Ok(())
}

/// Marks an agreement deleted (it can be restored).
pub fn delete(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("agreement", id, true)?;
    Ok(())
}

pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("agreement", id, false)?;
    Ok(())
}

/// The status an agreement shows on `today`.
pub fn effective_status(
    status: AgreementStatus,
    end_date: Option<&str>,
    today: NaiveDate,
) -> AgreementStatus {
    let ended =
        end_date.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).is_some_and(|e| e < today);
    match status {
        AgreementStatus::Active | AgreementStatus::RenewalPending if ended => AgreementStatus::Expired,
        other => other,
    }
}

/// An agreement's own row, as stored.
struct OwnRow {
    code: Option<String>,
    title: String,
    kind: String,
    parent_id: Option<Uuid>,
    status: String,
    signed_date: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    auto_renewal: bool,
    notice_months: Option<i64>,
    notes: Option<String>,
    deleted: bool,
}

fn own_row(conn: &Connection, id: Uuid) -> Result<Option<OwnRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT code, title, kind, parent_id, status, signed_date, start_date, end_date, auto_renewal,
                    notice_months, notes, deleted FROM agreement WHERE id = ?1",
        )?
        .query_row(params![id], |r| {
            Ok(OwnRow {
                code: r.get("code")?,
                title: r.get("title")?,
                kind: r.get("kind")?,
                parent_id: r.get("parent_id")?,
                status: r.get("status")?,
                signed_date: r.get("signed_date")?,
                start_date: r.get("start_date")?,
                end_date: r.get("end_date")?,
                auto_renewal: r.get("auto_renewal")?,
                notice_months: r.get("notice_months")?,
                notes: r.get("notes")?,
                deleted: r.get("deleted")?,
            })
        })
        .optional()?)
}

/// Reads an agreement (deleted ones too, flagged) with its parties, conditions and their use.
pub fn get(conn: &Connection, id: Uuid, today: NaiveDate) -> Result<Agreement> {
    let Some(row) = own_row(conn, id)? else {
        return Err(Error::NotFound { entity: "agreement", id: id.to_string() });
    };
    let OwnRow {
        code,
        title,
        kind,
        parent_id,
        status,
        signed_date,
        start_date,
        end_date,
        auto_renewal,
        notice_months: notice,
        notes,
        deleted,
    } = row;
    let status = AgreementStatus::from_stored(&status);
    let parent_title = match parent_id {
        Some(parent) => conn
            .prepare_cached("SELECT title FROM agreement WHERE id = ?1 AND deleted = 0")?
            .query_row(params![parent], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let parties = {
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.partner_id, p.name, p.country, p.zone, a.unit_id, u.name, a.role, a.signatory_id,
                    c.name, a.signed_date, len.name, len.lang, len.native, len.native_lang, lfr.name, lfr.lang, lfr.native, lfr.native_lang,
                    uen.name, uen.lang, uen.native, uen.native_lang, ufr.name, ufr.lang, ufr.native, ufr.native_lang
             FROM agreement_party a
             LEFT JOIN partner_summary p ON p.id = a.partner_id
             LEFT JOIN partner_label len ON len.partner_id = a.partner_id AND len.ui = 'en'
             LEFT JOIN partner_label lfr ON lfr.partner_id = a.partner_id AND lfr.ui = 'fr'
             LEFT JOIN partner_summary u ON u.id = a.unit_id
             LEFT JOIN partner_label uen ON uen.partner_id = a.unit_id AND uen.ui = 'en'
             LEFT JOIN partner_label ufr ON ufr.partner_id = a.unit_id AND ufr.ui = 'fr'
             LEFT JOIN contact_summary c ON c.id = a.signatory_id
             WHERE a.agreement_id = ?1 AND a.deleted = 0 ORDER BY a.id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok(Party {
                id: r.get(0)?,
                partner_id: r.get(1)?,
                partner_name: r.get(2)?,
                partner_labels: labels_at(r, 11)?,
                country: r.get(3)?,
                zone: r.get::<_, Option<String>>(4)?.map(|z| Zone::from_stored(&z)),
                unit_id: r.get(5)?,
                unit_name: r.get(6)?,
                unit_labels: labels_at(r, 19)?,
                role: r.get(7)?,
                signatory_id: r.get(8)?,
                signatory_name: r.get(9)?,
                signed_date: r.get(10)?,
            })
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let conditions = {
        let mut stmt = conn.prepare_cached(
            "SELECT k.id, k.mobility, k.sending_id, s.name, k.receiving_id, r.name, k.places, k.months, k.levels,
                    k.languages, k.first_year, k.last_year,
                    sen.name, sen.lang, sen.native, sen.native_lang, sfr.name, sfr.lang, sfr.native, sfr.native_lang,
                    ren.name, ren.lang, ren.native, ren.native_lang, rfr.name, rfr.lang, rfr.native, rfr.native_lang
             FROM agreement_condition k
             LEFT JOIN partner_summary s ON s.id = k.sending_id
             LEFT JOIN partner_summary r ON r.id = k.receiving_id
             LEFT JOIN partner_label sen ON sen.partner_id = k.sending_id AND sen.ui = 'en'
             LEFT JOIN partner_label sfr ON sfr.partner_id = k.sending_id AND sfr.ui = 'fr'
             LEFT JOIN partner_label ren ON ren.partner_id = k.receiving_id AND ren.ui = 'en'
             LEFT JOIN partner_label rfr ON rfr.partner_id = k.receiving_id AND rfr.ui = 'fr'
             WHERE k.agreement_id = ?1 AND k.deleted = 0 ORDER BY k.id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            let levels: Option<String> = r.get(8)?;
            let languages: Option<String> = r.get(9)?;
            Ok(Condition {
                id: r.get(0)?,
                mobility: MobilityType::from_stored(&r.get::<_, String>(1)?),
                sending_id: r.get(2)?,
                sending_name: r.get(3)?,
                sending_labels: labels_at(r, 12)?,
                receiving_id: r.get(4)?,
                receiving_name: r.get(5)?,
                receiving_labels: labels_at(r, 20)?,
                places: r.get(6)?,
                months: r.get(7)?,
                levels: levels.iter().flat_map(|l| l.split(' ')).map(Level::from_stored).collect(),
                languages: languages
                    .iter()
                    .flat_map(|l| l.split(' '))
                    .filter_map(|l| {
                        let (lang, cefr) = l.split_once(':')?;
                        Some(LanguageLevel { lang: lang.to_owned(), cefr: Cefr::from_stored(cefr) })
                    })
                    .collect(),
                first_year: r.get(10)?,
                last_year: r.get(11)?,
            })
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let fields = {
        let mut stmt = conn.prepare_cached(
            "SELECT code FROM agreement_field WHERE agreement_id = ?1 AND deleted = 0 ORDER BY code",
        )?;
        let rows = stmt.query_map(params![id], |r| r.get::<_, String>(0))?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let children = {
        let mut stmt = conn.prepare_cached(
            "SELECT id, title FROM agreement WHERE parent_id = ?1 AND deleted = 0 ORDER BY title",
        )?;
        let rows = stmt.query_map(params![id], |r| Ok(AgreementLink { id: r.get(0)?, title: r.get(1)? }))?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let usage = {
        let mut stmt = conn.prepare_cached(
            "SELECT e.condition_id, e.academic_year, count(*), k.places
             FROM exchange e JOIN agreement_condition k ON k.id = e.condition_id
             WHERE e.agreement_id = ?1 AND e.deleted = 0 AND e.academic_year IS NOT NULL
               AND e.status NOT IN ('cancelled', 'withdrawn')
             GROUP BY e.condition_id, e.academic_year ORDER BY e.academic_year DESC, e.condition_id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok(ConditionUse {
                condition_id: r.get(0)?,
                academic_year: r.get(1)?,
                used: r.get(2)?,
                places: r.get(3)?,
            })
        })?;
        let mut usage = rows.collect::<Result<Vec<_>, _>>()?;
        // In a year with exchanges, every condition with places that covers the year has its line, unused
        // ones too ("0 of 4"): the places left in the other direction are what the office plans with.
        let years: std::collections::BTreeSet<i64> = usage.iter().map(|u| u.academic_year).collect();
        for year in years {
            for k in &conditions {
                let covers = k.first_year.is_none_or(|f| f <= year) && k.last_year.is_none_or(|l| year <= l);
                let listed = usage.iter().any(|u| u.condition_id == k.id && u.academic_year == year);
                if k.places.is_some() && covers && !listed {
                    usage.push(ConditionUse {
                        condition_id: k.id,
                        academic_year: year,
                        used: 0,
                        places: k.places,
                    });
                }
            }
        }
        usage.sort_by(|a, b| b.academic_year.cmp(&a.academic_year).then(a.condition_id.cmp(&b.condition_id)));
        usage
    };
    let balance = {
        let mut stmt = conn.prepare_cached(
            "SELECT academic_year, sum(direction = 'incoming'), sum(direction = 'outgoing') FROM exchange
             WHERE agreement_id = ?1 AND deleted = 0 AND academic_year IS NOT NULL
               AND status NOT IN ('cancelled', 'withdrawn')
             GROUP BY academic_year ORDER BY academic_year DESC",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok(Balance { academic_year: r.get(0)?, incoming: r.get(1)?, outgoing: r.get(2)? })
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    Ok(Agreement {
        id,
        effective_status: effective_status(status, end_date.as_deref(), today),
        input: AgreementInput {
            code,
            title,
            kind: AgreementKind::from_stored(&kind),
            parent_id,
            status,
            signed_date,
            start_date,
            end_date,
            auto_renewal,
            notice_months: notice,
            fields,
            parties: parties
                .iter()
                .map(|p| PartyInput {
                    id: Some(p.id),
                    partner_id: p.partner_id,
                    unit_id: p.unit_id,
                    role: p.role.clone(),
                    signatory_id: p.signatory_id,
                    signed_date: p.signed_date.clone(),
                })
                .collect(),
            conditions: conditions
                .iter()
                .map(|c| ConditionInput {
                    id: Some(c.id),
                    mobility: c.mobility,
                    sending_id: c.sending_id,
                    receiving_id: c.receiving_id,
                    places: c.places,
                    months: c.months,
                    levels: c.levels.clone(),
                    languages: c.languages.clone(),
                    first_year: c.first_year,
                    last_year: c.last_year,
                })
                .collect(),
            notes,
        },
        parent_title,
        parties_read: parties,
        conditions_read: conditions,
        deleted,
        children,
        usage,
        balance,
    })
}

/// The names of an agreement's live parties for each UI language, in the order of its list row's `parties`.
pub fn party_labels(conn: &Connection, id: Uuid) -> rusqlite::Result<Vec<Labels>> {
    let mut stmt = conn.prepare_cached(
        "SELECT len.name, len.lang, len.native, len.native_lang, lfr.name, lfr.lang, lfr.native, lfr.native_lang
         FROM agreement_party a
         JOIN partner_label len ON len.partner_id = a.partner_id AND len.ui = 'en'
         JOIN partner_label lfr ON lfr.partner_id = a.partner_id AND lfr.ui = 'fr'
         WHERE a.agreement_id = ?1 AND a.deleted = 0 ORDER BY a.id",
    )?;
    let rows = stmt.query_map(params![id], |r| labels_at(r, 0))?;
    rows.filter_map(|r| r.transpose()).collect()
}

/// What an agreement's list row is made of, besides its parties.
struct SummaryRow {
    code: Option<String>,
    title: String,
    kind: String,
    status: String,
    start_date: Option<String>,
    end_date: Option<String>,
}

/// The agreements a partner is a party to (their list rows show its name, zone and country).
pub fn of_partner(conn: &Connection, partner: Uuid) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT agreement_id FROM agreement_party WHERE partner_id = ?1 AND deleted = 0",
    )?;
    let rows = stmt.query_map(params![partner], |r| r.get::<_, Option<Uuid>>(0))?;
    Ok(rows.filter_map(|r| r.transpose()).collect::<Result<_, _>>()?)
}

/// Rebuilds the list and search rows of one agreement.
pub fn refresh(conn: &Connection, id: Uuid) -> Result<()> {
    conn.prepare_cached("DELETE FROM agreement_summary WHERE id = ?1")?.execute(params![id])?;
    let row: Option<SummaryRow> = conn
        .prepare_cached(
            "SELECT code, title, kind, status, start_date, end_date FROM agreement WHERE id = ?1 AND deleted = 0",
        )?
        .query_row(params![id], |r| {
            Ok(SummaryRow {
                code: r.get("code")?,
                title: r.get("title")?,
                kind: r.get("kind")?,
                status: r.get("status")?,
                start_date: r.get("start_date")?,
                end_date: r.get("end_date")?,
            })
        })
        .optional()?;
    let Some(SummaryRow { code, title, kind, status, start_date, end_date }) = row else {
        return index::remove(conn, id);
    };
    let (mut names, mut zones, mut countries) = (Vec::new(), BTreeSet::new(), BTreeSet::new());
    {
        let mut stmt = conn.prepare_cached(
            "SELECT p.name, p.zone, p.country FROM agreement_party a JOIN partner_summary p ON p.id = a.partner_id
             WHERE a.agreement_id = ?1 AND a.deleted = 0 ORDER BY a.id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
        })?;
        for row in rows {
            let (name, zone, country) = row?;
            names.push(name);
            zones.insert(zone);
            countries.extend(country);
        }
    }
    let parties = names.join(" · ");
    conn.prepare_cached(
        "INSERT INTO agreement_summary (id, code, title, sort_title, kind, status, start_date, end_date, parties,
                                        zones, countries)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        code,
        title,
        fold(&title),
        kind,
        status,
        start_date,
        end_date,
        parties,
        zones.into_iter().collect::<Vec<_>>().join(" "),
        countries.into_iter().collect::<Vec<_>>().join(" "),
    ])?;
    let head = [code.as_deref().unwrap_or(""), &title].join(" ; ");
    index::put(conn, "agreement", id, head.trim_start_matches(" ; "), &parties, true)
}

/// Sort orders of the agreement list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AgreementSort {
    #[default]
    Title,
    EndDate,
    StartDate,
    Kind,
    Status,
}

/// A page of the agreement list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct AgreementQuery {
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub kind: Option<AgreementKind>,
    /// The status as it stands today (an active agreement past its end date is expired).
    #[ts(optional)]
    pub status: Option<AgreementStatus>,
    #[ts(optional)]
    pub zone: Option<Zone>,
    /// Agreements this organisation is a party to.
    #[ts(optional)]
    pub partner_id: Option<Uuid>,
    /// Agreements this person signed for one of the parties.
    #[ts(optional)]
    pub signatory_id: Option<Uuid>,
    /// Only agreements in force today (active or up for renewal, started and not ended), as the dashboard
    /// counts them.
    #[ts(optional)]
    pub in_force: Option<bool>,
    #[ts(optional)]
    pub sort: Option<AgreementSort>,
    pub descending: bool,
    pub offset: u32,
    /// At most 500; 100 when 0.
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementRow {
    pub id: Uuid,
    pub code: Option<String>,
    pub title: String,
    pub kind: AgreementKind,
    pub status: AgreementStatus,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// The parties' primary names, as the list is searched by.
    pub parties: String,
    /// The parties' names for each UI language ([`crate::label::pick`]), in the order of `parties`.
    pub party_labels: Vec<Labels>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<AgreementRow>,
}

/// The condition on `agreement_summary s` of an agreement in force on a day (both `?` are that day,
/// yyyy-mm-dd): active or up for renewal, started and not ended. The dashboard counts these and its figure
/// opens the list with the same condition.
pub const IN_FORCE: &str =
    "s.status IN ('active', 'renewal_pending') AND (s.end_date IS NULL OR s.end_date >= ?)
     AND (s.start_date IS NULL OR s.start_date <= ?)";

/// The SQL of an agreement's status on a given day (`?` is today, yyyy-mm-dd).
pub(crate) const EFFECTIVE_STATUS: &str =
    "CASE WHEN s.status IN ('active', 'renewal_pending') AND s.end_date < ? THEN 'expired' ELSE s.status END";

/// The whole list of [`list`] as one statement (its `offset` and `limit` aside).
pub fn listing(conn: &Connection, q: &AgreementQuery, today: NaiveDate) -> Result<Listing> {
    let today = Value::Text(today.to_string());
    let mut conditions: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(kind) = q.kind {
        conditions.push("s.kind = ?".into());
        args.push(Value::Text(kind.as_str().into()));
    }
    if let Some(status) = q.status {
        conditions.push(format!("{EFFECTIVE_STATUS} = ?"));
        args.push(today.clone());
        args.push(Value::Text(status.as_str().into()));
    }
    if let Some(zone) = q.zone {
        conditions.push("(' ' || s.zones || ' ') LIKE ?".into());
        args.push(Value::Text(format!("% {} %", zone.as_str())));
    }
    if let Some(partner) = q.partner_id {
        conditions.push(
            "s.id IN (SELECT agreement_id FROM agreement_party WHERE partner_id = ? AND deleted = 0)".into(),
        );
        args.push(id_value(partner));
    }
    if let Some(signatory) = q.signatory_id {
        conditions.push(
            "s.id IN (SELECT agreement_id FROM agreement_party WHERE signatory_id = ? AND deleted = 0)"
                .into(),
        );
        args.push(id_value(signatory));
    }
    if q.in_force == Some(true) {
        conditions.push(format!("({IN_FORCE})"));
        args.push(today.clone());
        args.push(today.clone());
    }
    let dir = if q.descending { "DESC" } else { "ASC" };
    let mut order = match q.sort.unwrap_or_default() {
        AgreementSort::Title => format!("s.sort_title {dir}, s.id {dir}"),
        AgreementSort::EndDate => format!("s.end_date IS NULL, s.end_date {dir}, s.sort_title, s.id"),
        AgreementSort::StartDate => format!("s.start_date IS NULL, s.start_date {dir}, s.sort_title, s.id"),
        AgreementSort::Kind => format!("s.kind {dir}, s.sort_title, s.id"),
        AgreementSort::Status => format!("s.status {dir}, s.sort_title, s.id"),
    };
    let mut from = "agreement_summary s".to_owned();
    let mut with = String::new();
    let mut with_args = Vec::new();
    if let Some(m) = index::matches(conn, q.search.as_deref(), "agreement", "agreement_summary", "s")? {
        (with, with_args, from) = (m.with, m.args, m.from);
        conditions.push(m.condition);
        order = format!("hits.rank, {order}");
    }
    let where_sql =
        if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let mut all: Vec<Value> = with_args.clone();
    all.extend(args.iter().cloned());
    let total: u32 = conn.query_row(
        &format!("{with}SELECT count(*) FROM {from} {where_sql}"),
        rusqlite::params_from_iter(&all),
        |r| r.get(0),
    )?;
    // The page's own status column takes today's date before the filters' arguments.
    let mut all: Vec<Value> = with_args;
    all.push(today);
    all.extend(args);
    let sql = format!(
        "{with}SELECT s.id, s.code, s.title, s.kind, {EFFECTIVE_STATUS}, s.start_date, s.end_date, s.parties
         FROM {from} {where_sql} ORDER BY {order}"
    );
    Ok(Listing { sql, args: all, total })
}

/// One page of live agreements; with a search, in relevance order.
pub fn list(conn: &Connection, q: &AgreementQuery, today: NaiveDate) -> Result<AgreementPage> {
    let listing = listing(conn, q, today)?;
    let total = listing.total;
    let (sql, all) = listing.page(q.limit, q.offset);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&all), |r| {
        let id = r.get(0)?;
        Ok(AgreementRow {
            id,
            code: r.get(1)?,
            title: r.get(2)?,
            kind: AgreementKind::from_stored(&r.get::<_, String>(3)?),
            status: AgreementStatus::from_stored(&r.get::<_, String>(4)?),
            start_date: r.get(5)?,
            end_date: r.get(6)?,
            parties: r.get(7)?,
            party_labels: party_labels(conn, id)?,
        })
    })?;
    Ok(AgreementPage { total, offset: q.offset, rows: rows.collect::<Result<_, _>>()? })
}
