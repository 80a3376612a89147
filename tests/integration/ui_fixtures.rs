//! The UI's test fixtures: what the real core answers, on the demo workspace at a fixed date, to the calls the
//! app makes (first pages of every list, a few records, the dashboard, the rules…), written as JSON to
//! ui/src/test/fixtures. Vitest answers IPC from them, so UI tests see real answers and the UI keeps no fake
//! domain; `make test` fails when the committed fixtures differ from what this test writes.
//!
//! Ids are random UUIDv7s: each is replaced by a stable one in the order it first appears, so the files
//! only change when an answer does.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use liaison_core::dashboard::{self, DashboardQuery};
use liaison_core::label::UiLang;
use liaison_core::records::{agreement, application, call, contact, event, exchange, partner, project};
use liaison_core::{demo, oplog, reference, reminder, report, rules, search, workspace, write};
use liaison_tests::in_memory_db;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use uuid::Uuid;

/// The date the fixtures are taken on: the demo is loaded by the test clock's 2026-01-01.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date")
}

/// A list query as the UI sends it for a list's first page (no filter, the default sort), 40 rows kept.
fn first_page<Q: DeserializeOwned>() -> Q {
    serde_json::from_value(json!({ "descending": false, "offset": 0, "limit": 40 }))
        .expect("a first-page query is a valid query")
}

/// The dashboard's query as the UI sends it on 2026-01-01: the academic year under way.
fn dashboard_query() -> DashboardQuery {
    serde_json::from_value(json!({ "academic_year": 2025, "years": 10 })).expect("a valid dashboard query")
}

fn value<T: serde::Serialize>(answer: liaison_core::Result<T>, what: &str) -> Value {
    serde_json::to_value(answer.unwrap_or_else(|e| panic!("the core answers {what}: {e}")))
        .expect("answers serialise to JSON")
}

/// The ids of the first `n` rows of a list answer.
fn first_ids(page: &Value, n: usize) -> Vec<Uuid> {
    page["rows"]
        .as_array()
        .expect("a page has rows")
        .iter()
        .take(n)
        .map(|r| r["id"].as_str().and_then(|s| Uuid::parse_str(s).ok()).expect("rows have an id"))
        .collect()
}

/// Each distinct UUID in the text replaced by 00000000-0000-4000-8000-<n>, n counting first appearances.
struct StableIds(HashMap<String, String>);

impl StableIds {
    fn text(&mut self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            if i + 36 <= s.len() && s.is_char_boundary(i + 36) && Uuid::parse_str(&s[i..i + 36]).is_ok() {
                let next = self.0.len() + 1;
                let stable = self
                    .0
                    .entry(s[i..i + 36].to_ascii_lowercase())
                    .or_insert_with(|| format!("00000000-0000-4000-8000-{next:012}"));
                out.push_str(stable);
                i += 36;
            } else {
                let len = s[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&s[i..i + len]);
                i += len;
            }
        }
        out
    }

    fn value(&mut self, v: Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(&s)),
            Value::Array(items) => Value::Array(items.into_iter().map(|x| self.value(x)).collect()),
            Value::Object(fields) => {
                Value::Object(fields.into_iter().map(|(k, x)| (self.text(&k), self.value(x))).collect())
            }
            other => other,
        }
    }
}

/// Record answers keyed by id, for the `…_get`, `history` and `dependants` fixtures.
fn by_id(ids: &[Uuid], mut answer: impl FnMut(Uuid) -> Value) -> Value {
    Value::Object(ids.iter().map(|id| (id.to_string(), answer(*id))).collect::<Map<_, _>>())
}

#[test]
fn the_ui_fixtures_are_what_the_core_answers_on_the_demo() {
    let (mut conn, clock) = in_memory_db();
    write(&mut conn, |tx| demo::load(tx, &clock)).expect("the demo loads");
    let c = &conn;
    let today = today();
    let mut files: Vec<(&str, Value)> = Vec::new();

    files.push(("rules", serde_json::to_value(rules::rules()).expect("rules serialise")));
    files.push(("workspace_status", value(workspace::status(c, "/home/office/liaison.sqlite"), "status")));

    let partners = value(partner::list(c, &first_page()), "partners_list");
    let contacts = value(contact::list(c, &first_page()), "contacts_list");
    let agreements = value(agreement::list(c, &first_page(), today), "agreements_list");
    let exchanges = value(exchange::list(c, &first_page()), "exchanges_list");
    let calls = value(call::list(c, &first_page()), "calls_list");
    let applications = value(application::list(c, &first_page()), "applications_list");
    let projects = value(project::list(c, &first_page()), "projects_list");
    let events = value(event::list(c, &first_page()), "events_list");

    let partner_ids = first_ids(&partners, 6);
    let contact_ids = first_ids(&contacts, 4);
    let agreement_ids = first_ids(&agreements, 4);
    let exchange_ids = first_ids(&exchanges, 4);
    let call_ids = first_ids(&calls, 4);
    // Every application of the demo (8): its calls' ranked, below-threshold and ineligible ones have a page.
    let application_ids = first_ids(&applications, 8);
    let project_ids = first_ids(&projects, 3);
    let event_ids = first_ids(&events, 3);
    let gets = [
        ("partner_get", by_id(&partner_ids, |id| value(partner::get(c, id), "partner_get"))),
        ("contact_get", by_id(&contact_ids, |id| value(contact::get(c, id), "contact_get"))),
        ("agreement_get", by_id(&agreement_ids, |id| value(agreement::get(c, id, today), "agreement_get"))),
        ("exchange_get", by_id(&exchange_ids, |id| value(exchange::get(c, id), "exchange_get"))),
        ("call_get", by_id(&call_ids, |id| value(call::get(c, id), "call_get"))),
        ("application_get", by_id(&application_ids, |id| value(application::get(c, id), "application_get"))),
        ("project_get", by_id(&project_ids, |id| value(project::get(c, id), "project_get"))),
        ("event_get", by_id(&event_ids, |id| value(event::get(c, id), "event_get"))),
    ];
    let records: Vec<Uuid> = [
        &partner_ids[..1],
        &contact_ids[..1],
        &agreement_ids[..1],
        &exchange_ids[..1],
        &call_ids[..1],
        &application_ids[..1],
        // A scored application (its reviews in its history).
        &application_ids[2..3],
        &project_ids[..1],
        &event_ids[..1],
    ]
    .concat();

    files.extend([
        ("partners_list", partners),
        ("contacts_list", contacts),
        ("agreements_list", agreements),
        ("exchanges_list", exchanges),
        ("calls_list", calls),
        ("applications_list", applications),
        ("projects_list", projects),
        ("events_list", events),
    ]);
    files.extend(gets);
    files.extend([
        ("partner_countries", value(partner::countries(c), "partner_countries")),
        ("exchange_cohorts", value(exchange::cohorts(c), "exchange_cohorts")),
        ("search", value(search::search_as(c, "lyon", 12, Some(UiLang::En)), "search")),
        ("history", by_id(&records, |id| value(oplog::history(c, id), "history"))),
        ("dependants", by_id(&records, |id| value(reference::dependants(c, id), "dependants"))),
        ("dashboard", value(dashboard::figures(c, &dashboard_query(), today), "dashboard")),
        ("reminders", value(reminder::upcoming(c, today, 90), "reminders")),
    ]);
    // The Reports page: the catalogue in both languages, and every report the core makes so far, unfiltered,
    // in English (a report not written yet answers an error and has no fixture).
    let catalogue = |lang| serde_json::to_value(report::catalogue(lang)).expect("the catalogue serialises");
    files.push(("report_catalogue", json!({ "en": catalogue(UiLang::En), "fr": catalogue(UiLang::Fr) })));
    let reports: Map<String, Value> = report::ReportKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let built = report::build(c, &report::ReportQuery::new(kind), today).ok()?;
            Some((kind.code().to_owned(), serde_json::to_value(built).expect("a report serialises")))
        })
        .collect();
    assert!(reports.contains_key("agreements"), "the agreement portfolio is made on the demo");
    files.push(("report_preview", Value::Object(reports)));

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/test/fixtures");
    std::fs::create_dir_all(&dir).expect("the fixtures directory can be made");
    let mut ids = StableIds(HashMap::new());
    for (name, answer) in files {
        let text = serde_json::to_string_pretty(&ids.value(answer)).expect("JSON") + "\n";
        let path = dir.join(format!("{name}.json"));
        // Written only when different, so an unchanged fixture keeps its timestamp.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).expect("the fixture can be written");
        }
    }
}
