//! Contacts: their affiliations to partner organisations, names and dates checked, renames followed,
//! delete and restore.

use liaison_core::records::contact::{self, ContactQuery};
use liaison_core::{oplog, records::partner, write, Error};
use liaison_tests::{fudan, in_memory_db, person};

#[test]
fn a_contact_is_listed_with_its_organisation_and_shown_on_the_partner() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("partner");
    let c = write(&mut conn, |tx| contact::create(tx, &clock, &person("Li", "Wei", Some("李伟"), p.id)))
        .expect("contact");
    assert_eq!(c.name, "Wei LI (李伟)");
    assert_eq!(c.affiliations_read[0].partner_name.as_deref(), Some("复旦大学"));
    let page =
        contact::list(&conn, &ContactQuery { partner_id: Some(p.id), ..Default::default() }).expect("list");
    assert_eq!(page.rows[0].organisation.as_deref(), Some("复旦大学"));
    assert_eq!(partner::get(&conn, p.id).expect("partner").contacts[0].contact_id, c.id);
}

#[test]
fn an_affiliation_ending_before_it_starts_is_refused_with_nothing_written() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("partner");
    let before = oplog::dump_synced(&conn).expect("dump");
    let mut bad = person("Li", "Wei", None, p.id);
    bad.affiliations[0].end_date = Some("2019-01-01".into());
    bad.emails.push("not-an-email".into());
    let err = write(&mut conn, |tx| contact::create(tx, &clock, &bad)).expect_err("refused");
    let Error::Invalid(fields) = err else { panic!("expected field errors") };
    let codes: Vec<(&str, &str)> = fields.iter().map(|f| (f.field.as_str(), f.code.as_str())).collect();
    assert!(codes.contains(&("affiliations[0].end_date", "end_before_start")), "{codes:?}");
    assert!(codes.contains(&("emails[1]", "email")), "{codes:?}");
    assert_eq!(oplog::dump_synced(&conn).expect("dump"), before);
}

#[test]
fn a_contact_needs_a_name_and_a_known_organisation() {
    let (mut conn, clock) = in_memory_db();
    let mut bad = person("Li", "Wei", None, uuid::Uuid::now_v7());
    bad.family_name = None;
    bad.given_name = None;
    let err = write(&mut conn, |tx| contact::create(tx, &clock, &bad)).expect_err("refused");
    let Error::Invalid(fields) = err else { panic!("expected field errors") };
    let codes: Vec<&str> = fields.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["required", "not_found"]);
}

#[test]
fn renaming_a_partner_renames_it_on_its_contacts() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("partner");
    write(&mut conn, |tx| contact::create(tx, &clock, &person("Li", "Wei", None, p.id))).expect("contact");
    let mut renamed = fudan();
    renamed.names[0].value = "复旦大学（邯郸）".into();
    write(&mut conn, |tx| partner::update(tx, &clock, p.id, &renamed)).expect("renamed");
    let page = contact::list(&conn, &ContactQuery::default()).expect("list");
    assert_eq!(page.rows[0].organisation.as_deref(), Some("复旦大学（邯郸）"));
}

#[test]
fn deleting_and_restoring_a_contact() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("partner");
    let c = write(&mut conn, |tx| contact::create(tx, &clock, &person("Li", "Wei", None, p.id)))
        .expect("contact");
    write(&mut conn, |tx| contact::delete(tx, &clock, c.id)).expect("deleted");
    assert_eq!(contact::list(&conn, &ContactQuery::default()).expect("list").total, 0);
    assert!(
        partner::get(&conn, p.id).expect("p").contacts.is_empty(),
        "a deleted contact leaves the partner page"
    );
    write(&mut conn, |tx| contact::restore(tx, &clock, c.id)).expect("restored");
    assert_eq!(contact::list(&conn, &ContactQuery::default()).expect("list").total, 1);
}

#[test]
fn a_contact_of_a_deleted_organisation_can_still_be_edited() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("partner");
    let mut input = person("Li", "Wei", None, p.id);
    let c = write(&mut conn, |tx| contact::create(tx, &clock, &input)).expect("contact");
    write(&mut conn, |tx| partner::delete(tx, &clock, p.id)).expect("deleted");
    assert_eq!(contact::get(&conn, c.id).expect("c").affiliations_read[0].partner_name, None, "pending");
    input.phones.push("+86 21 6564 1234".into());
    write(&mut conn, |tx| contact::update(tx, &clock, c.id, &input)).expect("editable");
}

#[test]
fn a_contact_and_its_affiliations_name_the_organisation_for_each_ui_language() {
    let (mut conn, clock) = in_memory_db();
    let fudan_id = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("fudan").id;
    let id = write(&mut conn, |tx| contact::create(tx, &clock, &person("Li", "Wei", Some("李伟"), fudan_id)))
        .expect("contact")
        .id;
    let row = contact::list(&conn, &ContactQuery::default()).expect("list").rows.remove(0);
    let labels = row.organisation_labels.expect("the organisation's labels");
    assert_eq!(labels.fr.text(), "Fudan University (复旦大学)");
    assert_eq!(row.organisation.as_deref(), Some("复旦大学"), "the primary name is still there");
    let found = contact::list(&conn, &ContactQuery { search: Some("wei".into()), ..Default::default() })
        .expect("search")
        .rows;
    assert_eq!(found[0].organisation_labels.as_ref().map(|l| l.en.name.as_str()), Some("Fudan University"));
    let page = contact::get(&conn, id).expect("get");
    let affiliation = &page.affiliations_read[0];
    assert_eq!(
        affiliation.partner_labels.as_ref().map(|l| l.en.text()),
        Some("Fudan University (复旦大学)".into())
    );
}
