//! Bulk writes (`add`, no read-back): records that refer to records made earlier in the same transaction
//! pass validation, and once the transaction settles, lists, search and kept assessments are exactly what
//! one-by-one writes (`create`, read back each time) give.

use liaison_core::records::contact::{self, ContactQuery};
use liaison_core::records::partner::{self, PartnerQuery};
use liaison_core::search;
use liaison_tests::{in_memory_db, person, simple};

/// What a user sees of partners and contacts: list rows and a search.
fn seen(conn: &rusqlite::Connection) -> (Vec<String>, Vec<String>, usize) {
    let partners =
        partner::list(conn, &PartnerQuery { limit: 500, ..PartnerQuery::default() }).expect("partners");
    let contacts =
        contact::list(conn, &ContactQuery { limit: 500, ..ContactQuery::default() }).expect("contacts");
    let hits = search::search(conn, "bulk", 200).expect("search");
    (
        partners.rows.iter().map(|r| format!("{} {:?} {:?}", r.name, r.country, r.zone)).collect(),
        contacts.rows.iter().map(|r| format!("{} {:?}", r.name, r.organisation)).collect(),
        hits.len(),
    )
}

#[test]
fn partners_and_their_people_added_in_one_transaction_show_as_if_created_one_by_one() {
    let (mut bulk, clock) = in_memory_db();
    liaison_core::write(&mut bulk, |tx| {
        for i in 0..30 {
            let p = partner::add(tx, &clock, &simple(&format!("Bulk University {i}"), "en", "JP"))?;
            // The partner made a moment ago in this transaction is a valid affiliation already.
            contact::add(tx, &clock, &person(&format!("Bulk{i}"), "Aiko", None, p))?;
        }
        Ok(())
    })
    .expect("a bulk write of partners and their people");

    let (mut one_by_one, clock) = in_memory_db();
    liaison_core::write(&mut one_by_one, |tx| {
        for i in 0..30 {
            let p = partner::create(tx, &clock, &simple(&format!("Bulk University {i}"), "en", "JP"))?;
            contact::create(tx, &clock, &person(&format!("Bulk{i}"), "Aiko", None, p.id))?;
        }
        Ok(())
    })
    .expect("one-by-one writes");

    let (partners, contacts, hits) = seen(&bulk);
    assert_eq!(partners.len(), 30, "every partner has its list row");
    assert!(
        contacts.iter().all(|c| c.contains("Bulk University")),
        "each person's row names their organisation: {contacts:?}"
    );
    assert!(hits >= 30, "the search finds them ({hits})");
    assert_eq!(seen(&bulk), seen(&one_by_one), "bulk and one-by-one writes leave the same derived rows");
}

#[test]
fn a_bulk_write_that_fails_leaves_nothing_even_of_its_settled_rows() {
    let (mut conn, clock) = in_memory_db();
    let before = seen(&conn);
    let result = liaison_core::write(&mut conn, |tx| {
        partner::add(tx, &clock, &simple("Bulk University kept?", "en", "JP"))?;
        tx.settle()?;
        // A bad row later in the file: the whole write is refused.
        partner::add(tx, &clock, &simple("", "en", "JP"))
    });
    assert!(result.is_err(), "a partner without a name is refused");
    assert_eq!(seen(&conn), before, "nothing of the write was kept, derived rows included");
}

#[test]
fn people_deleted_or_moved_in_a_bulk_write_leave_the_rows_one_by_one_writes_leave() {
    // Derived rows of people are refreshed many at once when a transaction settles: the deleted ones must
    // leave every list and search, the moved ones show their new organisation, the rest stay as they were.
    fn write_all(bulk: bool) -> rusqlite::Connection {
        let (mut conn, clock) = in_memory_db();
        liaison_core::write(&mut conn, |tx| {
            let mut partners = Vec::new();
            let mut people = Vec::new();
            for i in 0..12 {
                let p = partner::add(tx, &clock, &simple(&format!("Bulk University {i}"), "en", "JP"))?;
                partners.push(p);
                people.push(contact::add(tx, &clock, &person(&format!("Bulk{i}"), "Aiko", None, p))?);
                if !bulk {
                    tx.settle()?;
                }
            }
            for i in [3, 7] {
                contact::delete(tx, &clock, people[i])?;
                if !bulk {
                    tx.settle()?;
                }
            }
            // Bulk5 moves to the last partner.
            contact::replace(tx, &clock, people[5], &person("Bulk5", "Aiko", None, partners[11]))?;
            Ok(())
        })
        .expect("write");
        conn
    }
    let (bulk, one_by_one) = (write_all(true), write_all(false));
    let (_, contacts, _) = seen(&bulk);
    assert_eq!(contacts.len(), 10, "the two deleted people are in no list: {contacts:?}");
    assert!(
        contacts.iter().any(|c| c.to_lowercase().contains("bulk5") && c.contains("Bulk University 11")),
        "the person who moved shows the new organisation: {contacts:?}"
    );
    for gone in ["Bulk3", "Bulk7"] {
        assert!(search::search(&bulk, gone, 20).expect("search").is_empty(), "{gone} is found by no search");
    }
    assert_eq!(seen(&bulk), seen(&one_by_one), "bulk and one-by-one writes leave the same derived rows");
}
