//! Which existing record a row is: by Liaison's id, else by an identifier (a partner's ROR, Erasmus code,
//! SCHAC or PIC; a contact's e-mail; an agreement's, a call's or a project's code; an application's
//! reference), else by its name (with the country, for a partner) folded for case and accents. A person
//! found by name alone is only the same person when nothing tells them apart (an e-mail each and none in
//! common, or different names in native script); several such people are told apart by title and
//! affiliation, else the row is ambiguous, never merged into one of them. Keys live in
//! a temporary table of the import's connection, so a file of a million rows is matched in flat memory;
//! records created by earlier rows of the same file are found too, and two rows that are the same record
//! are told apart from an update.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;
use crate::kinds::IdScheme;
use crate::text::fold;

use super::record::Kind;

/// What a row is, found from its id or keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// No record has its id or keys: the row creates one.
    New,
    /// The record it updates, and how it was found ("ROR 013q1eq08").
    Existing { id: Uuid, by: By },
    /// An earlier row of the file already is this record.
    SameAsRow { row: usize, by: By },
    /// More than one record has this key: the row does not say which.
    Ambiguous { count: usize, by: By },
}

/// How a row's record was found, to say to a user: a stable code with the values that word it (the app says
/// it in the reader's language, `import.by.<code>`) and in English (`text`, for the CLI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "ImportMatch")]
pub struct By {
    /// `id`, `identifier`, `name`, `name_in_country`, `email`, `code`, `title`, `reference`, `title_in_call`,
    /// `title_and_start` or `exchange`.
    pub code: String,
    #[ts(type = "Record<string, string>")]
    pub params: BTreeMap<String, String>,
    pub text: String,
}

impl By {
    fn new(code: &str, text: String, params: &[(&str, &str)]) -> By {
        debug_assert!(BY_CODES.contains(&code), "the code {code} is listed in BY_CODES");
        let params = params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        By { code: code.to_owned(), params, text }
    }

    /// Found by the file's Liaison id.
    pub fn id() -> By {
        By::new(BY_ID_CODE, BY_ID.to_owned(), &[])
    }
}

impl std::fmt::Display for By {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

const SEP: char = '\u{1f}';

/// How a record found by the file's Liaison id is said to have been found.
pub const BY_ID: &str = "its id";

/// The code of [`By::id`].
pub const BY_ID_CODE: &str = "id";

/// Every code of [`By`], for the app's translations (`import.by.<code>` in each language).
pub const BY_CODES: &[&str] = &[
    BY_ID_CODE,
    "identifier",
    "name",
    "name_in_country",
    "email",
    "code",
    "title",
    "reference",
    "title_in_call",
    "title_and_start",
    "exchange",
];

/// Identifier schemes that say which organisation a row is (Wikidata and ISNI are kept, not matched on).
const MATCHED_SCHEMES: [&str; 4] = ["ror", "erasmus", "schac", "pic"];

fn hex(id: Uuid) -> String {
    id.simple().to_string()
}

fn text<'v>(input: &'v Value, field: &str) -> Option<&'v str> {
    input.get(field).and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty())
}

fn scalar(input: &Value, field: &str) -> String {
    match input.get(field) {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn id_hex(input: &Value, field: &str) -> String {
    text(input, field).and_then(|t| Uuid::parse_str(t).ok()).map(hex).unwrap_or_default()
}

/// Keys of a row, each with how to say it to a user: (key, how).
pub type Keys = Vec<(String, By)>;

/// A row's keys: identifiers first (each with how to say it), then natural keys (name and country…). The
/// input is the record's normalised input, defaults filled in.
pub fn keys(kind: Kind, input: &Value) -> (Keys, Keys) {
    let mut ids = Vec::new();
    let mut natural = Vec::new();
    match kind {
        Kind::Partner => {
            for ident in input.get("identifiers").and_then(Value::as_array).into_iter().flatten() {
                let (Some(scheme), Some(value)) = (text(ident, "scheme"), text(ident, "value")) else {
                    continue;
                };
                if !MATCHED_SCHEMES.contains(&scheme) {
                    continue;
                }
                if let Some(value) = IdScheme::from_stored(scheme).normalise(value) {
                    let scheme_name = scheme.to_uppercase();
                    let by = By::new(
                        "identifier",
                        format!("{scheme_name} {value}"),
                        &[("scheme", &scheme_name), ("value", &value)],
                    );
                    ids.push((format!("{scheme}{SEP}{value}"), by));
                }
            }
            let country = text(input, "country").unwrap_or_default().to_uppercase();
            for name in input.get("names").and_then(Value::as_array).into_iter().flatten() {
                if let Some(value) = text(name, "value") {
                    natural.push((
                        format!("name{SEP}{country}{SEP}{}", fold(value)),
                        if country.is_empty() {
                            By::new("name", format!("name “{value}”"), &[("value", value)])
                        } else {
                            By::new(
                                "name_in_country",
                                format!("name “{value}” in {country}"),
                                &[("value", value), ("country", &country)],
                            )
                        },
                    ));
                }
            }
        }
        Kind::Contact => {
            for email in input.get("emails").and_then(Value::as_array).into_iter().flatten() {
                if let Some(email) = email.as_str().map(str::trim).filter(|e| !e.is_empty()) {
                    let by = By::new("email", format!("e-mail {email}"), &[("value", email)]);
                    ids.push((format!("email{SEP}{}", email.to_lowercase()), by));
                }
            }
            let name = format!("{} {}", scalar(input, "given_name"), scalar(input, "family_name"));
            if !name.trim().is_empty() {
                let name = name.trim();
                let by = By::new("name", format!("name “{name}”"), &[("value", name)]);
                natural.push((format!("name{SEP}{}", fold(name)), by));
            }
        }
        Kind::Agreement | Kind::Call | Kind::Project => {
            if let Some(code) = text(input, "code") {
                let by = By::new("code", format!("code {code}"), &[("value", code)]);
                ids.push((format!("code{SEP}{}", fold(code)), by));
            }
            if let Some(title) = text(input, "title") {
                let by = By::new("title", format!("title “{title}”"), &[("value", title)]);
                natural.push((format!("title{SEP}{}", fold(title)), by));
            }
        }
        Kind::Application => {
            if let Some(reference) = text(input, "reference") {
                let by = By::new("reference", format!("reference {reference}"), &[("value", reference)]);
                ids.push((format!("ref{SEP}{}", fold(reference)), by));
            }
            if let Some(title) = text(input, "title") {
                natural.push((
                    format!("title{SEP}{}{SEP}{}", id_hex(input, "call_id"), fold(title)),
                    By::new("title_in_call", format!("title “{title}” in its call"), &[("value", title)]),
                ));
            }
        }
        Kind::Event => {
            if let Some(title) = text(input, "title") {
                natural.push((
                    format!("title{SEP}{}{SEP}{}", fold(title), scalar(input, "start_date")),
                    By::new(
                        "title_and_start",
                        format!("title “{title}” and start date"),
                        &[("value", title)],
                    ),
                ));
            }
        }
        Kind::Exchange => {
            let person = id_hex(input, "person_id");
            if !person.is_empty() {
                natural.push((
                    [
                        "exchange".to_owned(),
                        person,
                        Some(scalar(input, "direction"))
                            .filter(|d| !d.is_empty())
                            .unwrap_or_else(|| "incoming".into()),
                        scalar(input, "academic_year"),
                        scalar(input, "planned_start"),
                        id_hex(input, "home_id"),
                        id_hex(input, "host_id"),
                    ]
                    .join(&SEP.to_string()),
                    By::new("exchange", "person, direction, year, start and organisations".to_owned(), &[]),
                ));
            }
        }
    }
    (ids, natural)
}

/// The keys of the records already here, in SQL: (key, id) of every live record of `kind`.
fn stored_keys_sql(kind: Kind) -> &'static str {
    match kind {
        Kind::Partner => {
            "SELECT i.scheme || char(31) || i.value, i.partner_id FROM partner_identifier i
               JOIN partner p ON p.id = i.partner_id
               WHERE i.deleted = 0 AND p.deleted = 0 AND i.scheme IN ('ror', 'erasmus', 'schac', 'pic')
             UNION ALL
             SELECT 'name' || char(31) || coalesce(p.country, '') || char(31) || fold(trim(n.value)), n.partner_id
               FROM partner_name n JOIN partner p ON p.id = n.partner_id WHERE n.deleted = 0 AND p.deleted = 0"
        }
        Kind::Contact => {
            "SELECT 'email' || char(31) || lower(trim(e.value)), c.id FROM contact c, json_each(c.emails) e
               WHERE c.deleted = 0 AND c.emails IS NOT NULL
             UNION ALL
             SELECT 'name' || char(31) || fold(trim(coalesce(given_name, '') || ' ' || coalesce(family_name, ''))), id
               FROM contact WHERE deleted = 0"
        }
        Kind::Agreement => {
            "SELECT 'code' || char(31) || fold(trim(code)), id FROM agreement WHERE deleted = 0 AND code IS NOT NULL
             UNION ALL SELECT 'title' || char(31) || fold(trim(title)), id FROM agreement WHERE deleted = 0"
        }
        Kind::Call => {
            "SELECT 'code' || char(31) || fold(trim(code)), id FROM call WHERE deleted = 0 AND code IS NOT NULL
             UNION ALL SELECT 'title' || char(31) || fold(trim(title)), id FROM call WHERE deleted = 0"
        }
        Kind::Project => {
            "SELECT 'code' || char(31) || fold(trim(code)), id FROM project WHERE deleted = 0 AND code IS NOT NULL
             UNION ALL SELECT 'title' || char(31) || fold(trim(title)), id FROM project WHERE deleted = 0"
        }
        Kind::Application => {
            "SELECT 'ref' || char(31) || fold(trim(reference)), id FROM application
               WHERE deleted = 0 AND reference IS NOT NULL
             UNION ALL SELECT 'title' || char(31) || coalesce(lower(hex(call_id)), '') || char(31) || fold(trim(title)), id
               FROM application WHERE deleted = 0"
        }
        Kind::Event => {
            "SELECT 'title' || char(31) || fold(trim(title)) || char(31) || coalesce(start_date, ''), id
               FROM event WHERE deleted = 0"
        }
        Kind::Exchange => {
            "SELECT 'exchange' || char(31) || lower(hex(person_id)) || char(31) || direction || char(31)
                    || coalesce(academic_year, '') || char(31) || coalesce(planned_start, '') || char(31)
                    || coalesce(lower(hex(home_id)), '') || char(31) || coalesce(lower(hex(host_id)), ''), id
               FROM exchange WHERE deleted = 0 AND person_id IS NOT NULL"
        }
    }
}

/// Creates the import's temporary tables, before its transaction: a schema changed inside a transaction
/// makes SQLite expire every prepared statement at each savepoint rolled back, i.e. at every unchanged row.
pub fn create_tables(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS import_key (key TEXT NOT NULL, id BLOB NOT NULL, PRIMARY KEY (key, id))
           WITHOUT ROWID;
         CREATE TEMP TABLE IF NOT EXISTS import_claim (id BLOB PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;
         CREATE TEMP TABLE IF NOT EXISTS import_org (key TEXT NOT NULL, id BLOB NOT NULL, PRIMARY KEY (key, id))
           WITHOUT ROWID;",
    )?;
    Ok(())
}

/// The matching state of one import, in the import's transaction (see the module's guarantee).
pub struct Matcher {
    kind: Kind,
    organisations: bool,
}

impl Matcher {
    /// Sets up the keys of every live record of `kind`, in the import's transaction; the tables must exist
    /// ([`create_tables`]).
    pub fn prepare(conn: &Connection, kind: Kind) -> Result<Matcher> {
        conn.execute_batch(
            "DELETE FROM temp.import_key; DELETE FROM temp.import_claim; DELETE FROM temp.import_org;",
        )?;
        conn.execute(
            &format!("INSERT OR IGNORE INTO temp.import_key (key, id) {}", stored_keys_sql(kind)),
            [],
        )?;
        Ok(Matcher { kind, organisations: false })
    }

    /// The record a row is: by `id` when the file gives one, else by its keys.
    pub fn find(&self, conn: &Connection, id: Option<Uuid>, input: &Value) -> Result<Found> {
        // An id that is no record here (a file from another workspace) is the record it became when the
        // file was imported before, else the keys decide.
        if let Some(id) = id {
            if crate::store::live(conn, self.kind.table(), id)? {
                return self.claimed_or(conn, id, By::id());
            }
            if let Some(local) = origin(conn, id)? {
                if crate::store::live(conn, self.kind.table(), local)? {
                    return self.claimed_or(conn, local, By::id());
                }
            }
        }
        let (ids, natural) = keys(self.kind, input);
        for (natural_group, group) in [(false, ids), (true, natural)] {
            let mut found: Vec<(Uuid, &By)> = Vec::new();
            for (key, said) in &group {
                let mut stmt = conn.prepare_cached("SELECT id FROM temp.import_key WHERE key = ?1")?;
                for id in stmt.query_map(params![key], |r| r.get::<_, Uuid>(0))? {
                    let id = id?;
                    if !found.iter().any(|(f, _)| *f == id) {
                        found.push((id, said));
                    }
                }
            }
            if natural_group && self.kind == Kind::Contact {
                found = people(conn, found, input)?;
            }
            match found.as_slice() {
                [] => continue,
                [(found, said)] => {
                    let claimed = self.claimed_or(conn, *found, (*said).clone())?;
                    // Two rows the file tells apart by their ids are two records, whatever their names.
                    if id.is_some() && natural_group && matches!(claimed, Found::SameAsRow { .. }) {
                        return Ok(Found::New);
                    }
                    return Ok(claimed);
                }
                [(_, said), ..] => return Ok(Found::Ambiguous { count: found.len(), by: (*said).clone() }),
            }
        }
        Ok(Found::New)
    }

    fn claimed_or(&self, conn: &Connection, id: Uuid, by: By) -> Result<Found> {
        let row: Option<i64> = conn
            .prepare_cached("SELECT row FROM temp.import_claim WHERE id = ?1")?
            .query_row(params![id], |r| r.get(0))
            .optional()?;
        Ok(match row {
            Some(row) => Found::SameAsRow { row: usize::try_from(row).unwrap_or_default(), by },
            None => Found::Existing { id, by },
        })
    }

    /// Notes that row `row` of the file is the record `id` (created or updated), with the keys it now has.
    pub fn claim(&self, conn: &Connection, row: usize, id: Uuid, input: &Value) -> Result<()> {
        conn.prepare_cached("INSERT OR REPLACE INTO temp.import_claim (id, row) VALUES (?1, ?2)")?
            .execute(params![id, i64::try_from(row).unwrap_or(i64::MAX)])?;
        let (ids, natural) = keys(self.kind, input);
        let mut stmt =
            conn.prepare_cached("INSERT OR IGNORE INTO temp.import_key (key, id) VALUES (?1, ?2)")?;
        for (key, _) in ids.iter().chain(&natural) {
            stmt.execute(params![key, id])?;
        }
        if self.kind == Kind::Partner && self.organisations {
            note_organisation(conn, id, input)?;
        }
        Ok(())
    }

    /// The live partners a row names by one of their names, their acronym or an identifier (case and
    /// accents aside).
    pub fn organisations(&mut self, conn: &Connection, named: &str) -> Result<Vec<Uuid>> {
        if !self.organisations {
            conn.execute(
                "INSERT OR IGNORE INTO temp.import_org (key, id)
                 SELECT fold(trim(n.value)), n.partner_id FROM partner_name n JOIN partner p ON p.id = n.partner_id
                   WHERE n.deleted = 0 AND p.deleted = 0
                 UNION ALL SELECT fold(trim(acronym)), id FROM partner WHERE deleted = 0 AND acronym IS NOT NULL
                 UNION ALL SELECT fold(i.value), i.partner_id FROM partner_identifier i JOIN partner p ON p.id = i.partner_id
                   WHERE i.deleted = 0 AND p.deleted = 0",
                [],
            )?;
            self.organisations = true;
        }
        let mut stmt = conn.prepare_cached("SELECT id FROM temp.import_org WHERE key = ?1")?;
        let mut ids: Vec<Uuid> = Vec::new();
        for key in organisation_keys(named) {
            for id in stmt.query_map(params![key], |r| r.get::<_, Uuid>(0))? {
                let id = id?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        Ok(ids)
    }

    /// Makes a partner created during the import (a missing organisation, a row of a partner file) findable
    /// by later rows' organisation names.
    pub fn note_organisation(&self, conn: &Connection, id: Uuid, input: &Value) -> Result<()> {
        if self.organisations {
            note_organisation(conn, id, input)?;
        }
        Ok(())
    }
}

/// The people found by a row's name who may be the row's person (see the module's rule), narrowed by title
/// and affiliation when there are several.
fn people<'s>(conn: &Connection, found: Vec<(Uuid, &'s By)>, input: &Value) -> Result<Vec<(Uuid, &'s By)>> {
    let emails: Vec<String> = input
        .get("emails")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    let native = text(input, "native_name").map(fold);
    let mut possible = Vec::new();
    for (id, said) in found {
        let stored: Option<(Option<String>, Option<String>)> = conn
            .prepare_cached("SELECT native_name, emails FROM contact WHERE id = ?1")?
            .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((their_native, their_emails)) = stored else { continue };
        let their_emails: Vec<String> = their_emails
            .and_then(|json| serde_json::from_str::<Vec<String>>(&json).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        if !emails.is_empty() && !their_emails.is_empty() && !emails.iter().any(|e| their_emails.contains(e))
        {
            continue;
        }
        let their_native = their_native.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(fold);
        if let (Some(ours), Some(theirs)) = (&native, &their_native) {
            if ours != theirs {
                continue;
            }
        }
        possible.push((id, said));
    }
    if possible.len() > 1 {
        let mut agreeing = Vec::new();
        for &(id, said) in &possible {
            if same_title_and_affiliation(conn, id, input)? {
                agreeing.push((id, said));
            }
        }
        if agreeing.len() == 1 {
            return Ok(agreeing);
        }
    }
    Ok(possible)
}

/// Whether the contact `id` has the row's title and one of its organisations, where the row gives them
/// (a row that gives neither tells no one apart).
fn same_title_and_affiliation(conn: &Connection, id: Uuid, input: &Value) -> Result<bool> {
    let title = text(input, "title").map(fold);
    let partners: Vec<Uuid> = input
        .get("affiliations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| text(a, "partner_id").and_then(|t| Uuid::parse_str(t).ok()))
        .collect();
    if title.is_none() && partners.is_empty() {
        return Ok(false);
    }
    if let Some(title) = title {
        let theirs: Option<String> = conn
            .prepare_cached("SELECT title FROM contact WHERE id = ?1")?
            .query_row(params![id], |r| r.get(0))
            .optional()?
            .flatten();
        if theirs.as_deref().map(|t| fold(t.trim())) != Some(title) {
            return Ok(false);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT 1 FROM affiliation WHERE contact_id = ?1 AND partner_id = ?2 AND deleted = 0 LIMIT 1",
    )?;
    for partner in &partners {
        if stmt.query_row(params![id, partner], |_| Ok(())).optional()?.is_some() {
            return Ok(true);
        }
    }
    Ok(partners.is_empty())
}

/// The record a file's id of another workspace became here, when imported before.
pub fn origin(conn: &Connection, file_id: Uuid) -> Result<Option<Uuid>> {
    Ok(conn
        .prepare_cached("SELECT id FROM import_origin WHERE file_id = ?1")?
        .query_row(params![file_id], |r| r.get(0))
        .optional()?)
}

/// Notes that the file's id `file_id` is the record `id` here.
pub fn note_origin(conn: &Connection, file_id: Uuid, id: Uuid) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO import_origin (file_id, id) VALUES (?1, ?2)")?
        .execute(params![file_id, id])?;
    Ok(())
}

fn note_organisation(conn: &Connection, id: Uuid, input: &Value) -> Result<()> {
    let mut stmt = conn.prepare_cached("INSERT OR IGNORE INTO temp.import_org (key, id) VALUES (?1, ?2)")?;
    for name in input.get("names").and_then(Value::as_array).into_iter().flatten() {
        if let Some(value) = text(name, "value") {
            stmt.execute(params![fold(value), id])?;
        }
    }
    if let Some(acronym) = text(input, "acronym") {
        stmt.execute(params![fold(acronym), id])?;
    }
    Ok(())
}

/// The forms a name given for an organisation is looked up by: itself, and the identifier it may be (a ROR
/// as a URL, say).
fn organisation_keys(named: &str) -> Vec<String> {
    let mut keys = vec![fold(named.trim())];
    for scheme in MATCHED_SCHEMES {
        if let Some(value) = IdScheme::from_stored(scheme).normalise(named) {
            let value = fold(&value);
            if !keys.contains(&value) {
                keys.push(value);
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_partners_keys_are_its_matched_identifiers_then_its_names_in_its_country() {
        let input = json!({
            "names": [{"value": "Université de Montréal", "lang": "fr"}], "country": "ca",
            "identifiers": [{"scheme": "ror", "value": "https://ror.org/0161xgx34"}, {"scheme": "wikidata", "value": "Q392189"}]
        });
        let (ids, natural) = keys(Kind::Partner, &input);
        assert_eq!(ids.len(), 1, "Wikidata is not matched on: {ids:?}");
        assert!(ids[0].0.ends_with("0161xgx34"), "the ROR is normalised: {ids:?}");
        assert_eq!(natural[0].0, format!("name{SEP}CA{SEP}universite de montreal"));
    }

    #[test]
    fn a_contact_is_found_by_e_mail_in_any_case() {
        let (ids, _) =
            keys(Kind::Contact, &json!({"emails": [" Li.Wei@Fudan.edu.cn "], "family_name": "Li"}));
        assert_eq!(ids[0].0, format!("email{SEP}li.wei@fudan.edu.cn"));
    }
}

#[cfg(test)]
mod people_tests {
    use serde_json::json;

    use super::*;
    use crate::clock::ManualClock;

    fn person(
        given: &str,
        family: &str,
        native: Option<&str>,
        emails: &[&str],
        title: Option<&str>,
    ) -> Value {
        json!({"given_name": given, "family_name": family, "native_name": native, "emails": emails, "title": title})
    }

    #[test]
    fn people_of_one_name_are_told_apart_by_e_mail_native_name_or_title_never_merged() {
        let mut conn = crate::open_in_memory().expect("db");
        let clock = ManualClock::default();
        crate::write(&mut conn, |tx| crate::store::init(tx, "Lyon", &clock).map(|_| ())).expect("init");
        create_tables(&conn).expect("tables");
        crate::write(&mut conn, |tx| {
            let professor = person("Fang", "Wu", Some("吴芳"), &["wufang@shutcm.edu.cn"], Some("Prof."));
            let student = person("Fang", "Wu", Some("吴芳"), &["fang.wu41@student.example.cn"], None);
            let representative = person("Min", "Zhou", Some("周敏"), &[], None);
            let professor = Kind::Contact.write(tx, &clock, None, &professor)?;
            let representative = Kind::Contact.write(tx, &clock, None, &representative)?;
            let matcher = Matcher::prepare(tx, Kind::Contact)?;
            // The student is the second row of the same file: another person, though same name and script.
            assert!(matches!(matcher.find(tx, None, &student)?, Found::New), "a new e-mail, a new person");
            let student_id = Kind::Contact.write(tx, &clock, None, &student)?;
            matcher.claim(tx, 2, student_id, &student)?;
            let found = |input: &Value| matcher.find(tx, None, input);
            assert_eq!(
                found(&person("Fang", "Wu", None, &["FANG.WU41@student.example.cn"], None))?,
                Found::SameAsRow {
                    row: 2,
                    by: By::new(
                        "email",
                        "e-mail FANG.WU41@student.example.cn".into(),
                        &[("value", "FANG.WU41@student.example.cn")]
                    )
                }
            );
            assert!(
                matches!(found(&person("Fang", "Wu", None, &[], None))?, Found::Ambiguous { count: 2, .. }),
                "a bare name that two people have says neither"
            );
            assert!(matches!(
                found(&person("Fang", "Wu", Some("吴芳"), &[], Some("prof."))),
                Ok(Found::Existing { id, .. }) if id == professor
            ));
            assert!(matches!(found(&person("Fang", "Wu", None, &["f.wu@other.cn"], None))?, Found::New));
            assert!(
                matches!(found(&person("Min", "Zhou", Some("周明"), &[], None))?, Found::New),
                "another name in native script is another person"
            );
            assert!(matches!(
                found(&person("Min", "Zhou", None, &["min.zhou@universite-lyon.fr"], None)),
                Ok(Found::Existing { id, .. }) if id == representative
            ));
            Ok(())
        })
        .expect("matched");
    }
    #[test]
    fn the_app_words_every_way_a_record_is_found_in_english_and_french() {
        for lang in ["en", "fr"] {
            let path = format!("{}/../../ui/src/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).expect("the app's translations");
            let json: Value = serde_json::from_str(&text).expect("JSON");
            for code in BY_CODES {
                let said = json["import"]["by"][code].as_str().unwrap_or_default();
                assert!(!said.is_empty(), "{path} has import.by.{code}");
            }
        }
    }
}
