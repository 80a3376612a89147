//! Kept assessments: each call's applications' eligibility, score and rank, computed by `assessment` from
//! the stored data and kept in `application_assessment` so that lists filter, sort and page by them in SQL.
//! Recomputed a call at a time by `derive` whenever an application, its call or one of its organisations
//! changes.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::error::Result;
use crate::kinds::{ApplicationStatus, Zone};
use crate::records::application::assessment::{
    eligibility, rank, review, score_of, Assessment, Organisation, Review, Standing,
};
use crate::records::application::list::ApplicationRow;
use crate::records::call;

/// An application of the call as its assessment reads it.
struct Entry {
    id: Uuid,
    call_id: Option<Uuid>,
    reference: Option<String>,
    acronym: Option<String>,
    title: String,
    lead_name: Option<String>,
    status: String,
    lead_id: Option<Uuid>,
    requested: Option<i64>,
    currency: Option<String>,
}

/// Recomputes the kept assessments of a call's applications: all of them, since one application's score
/// moves the others' ranks. An application that moved here from another call leaves that call's rows
/// too; the call it left must be reassessed as well (see [`calls_of`]).
pub fn reassess(conn: &Connection, call_id: Uuid) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM application_assessment
         WHERE call_id = ?1 OR application_id IN (SELECT id FROM application WHERE call_id = ?1)",
    )?
    .execute(params![call_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO application_assessment
             (application_id, call_id, eligible, failed, score, below_threshold, rank, zones, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (position, (row, assessment)) in assessed(conn, call_id)?.into_iter().enumerate() {
        let zones: Vec<&str> = assessment.eligibility.zones.iter().map(|z| z.as_str()).collect();
        insert.execute(params![
            row.id,
            call_id,
            row.eligible,
            serde_json::to_string(&row.ineligible_because)?,
            row.score,
            row.below_threshold,
            row.rank,
            zones.join(" "),
            i64::try_from(position).unwrap_or(i64::MAX),
        ])?;
    }
    Ok(())
}

/// Recomputes every call's kept assessments (the migration that made them, and checks).
pub fn reassess_all(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM application_assessment", [])?;
    let calls: Vec<Uuid> = {
        let mut stmt = conn
            .prepare("SELECT DISTINCT call_id FROM application WHERE deleted = 0 AND call_id IS NOT NULL")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for call in calls {
        reassess(conn, call)?;
    }
    Ok(())
}

/// The calls with an application this organisation leads or joins.
pub fn calls_with_partner(conn: &Connection, partner_id: Uuid) -> Result<BTreeSet<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT call_id FROM application WHERE lead_id = ?1 AND deleted = 0 AND call_id IS NOT NULL
         UNION
         SELECT a.call_id FROM application_partner ap JOIN application a ON a.id = ap.application_id
         WHERE ap.partner_id = ?1 AND ap.deleted = 0 AND a.deleted = 0 AND a.call_id IS NOT NULL",
    )?;
    let rows = stmt.query_map(params![partner_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every live application of a call with its assessment, ranked ones first in rank order. The call's
/// partners, their countries and zones and its reviews are read once for all its applications.
fn assessed(conn: &Connection, call_id: Uuid) -> Result<Vec<(ApplicationRow, Assessment)>> {
    let rules = call::rules(conn, call_id)?.unwrap_or_default();
    let criteria = call::criteria(conn, call_id)?;
    let rows: Vec<Entry> = {
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.call_id, a.reference, a.acronym, a.title, p.name, a.status, a.lead_id, a.requested,
                    c.currency
             FROM application a LEFT JOIN partner_summary p ON p.id = a.lead_id LEFT JOIN call c ON c.id = a.call_id
             WHERE a.call_id = ?1 AND a.deleted = 0",
        )?;
        let rows = stmt.query_map(params![call_id], |r| {
            Ok(Entry {
                id: r.get("id")?,
                call_id: r.get("call_id")?,
                reference: r.get("reference")?,
                acronym: r.get("acronym")?,
                title: r.get("title")?,
                lead_name: r.get("name")?,
                status: r.get("status")?,
                lead_id: r.get("lead_id")?,
                requested: r.get("requested")?,
                currency: r.get("currency")?,
            })
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let mut partners: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT ap.application_id, ap.partner_id FROM application a
             JOIN application_partner ap ON ap.application_id = a.id
             WHERE a.call_id = ?1 AND a.deleted = 0 AND ap.deleted = 0 AND ap.partner_id IS NOT NULL
             ORDER BY ap.application_id, ap.id",
        )?;
        let rows = stmt.query_map(params![call_id], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, Uuid>(1)?)))?;
        for row in rows {
            let (application, partner) = row?;
            partners.entry(application).or_default().push(partner);
        }
    }
    let places: HashMap<Uuid, (Option<String>, Option<Zone>)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT p.id, p.country, p.zone FROM partner p WHERE p.id IN (
                 SELECT lead_id FROM application WHERE call_id = ?1 AND deleted = 0
                 UNION
                 SELECT ap.partner_id FROM application a JOIN application_partner ap ON ap.application_id = a.id
                 WHERE a.call_id = ?1 AND a.deleted = 0 AND ap.deleted = 0)",
        )?;
        let rows = stmt.query_map(params![call_id], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get::<_, Option<String>>(2)?.map(|z| Zone::from_stored(&z)))))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let mut reviews: HashMap<Uuid, Vec<Review>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT r.application_id, r.id, r.reviewer_id, r.scores, r.comment FROM application a
             JOIN review r ON r.application_id = a.id
             WHERE a.call_id = ?1 AND a.deleted = 0 AND r.deleted = 0 ORDER BY r.id",
        )?;
        let rows = stmt.query_map(params![call_id], |r| {
            Ok((r.get::<_, Uuid>(0)?, r.get(1)?, r.get(2)?, r.get::<_, Option<String>>(3)?, r.get(4)?))
        })?;
        for row in rows {
            let (application, id, reviewer_id, scores, comment) = row?;
            reviews.entry(application).or_default().push(review(
                id,
                reviewer_id,
                None,
                scores,
                comment,
                &criteria,
            ));
        }
    }
    let mut out = Vec::new();
    for Entry {
        id,
        call_id: call,
        reference,
        acronym,
        title,
        lead_name,
        status,
        lead_id,
        requested,
        currency,
    } in rows
    {
        let mut organisations: Vec<Organisation> = Vec::new();
        for o in lead_id.into_iter().chain(partners.remove(&id).unwrap_or_default()) {
            if !organisations.iter().any(|(seen, _, _)| *seen == o) {
                let (country, zone) = places.get(&o).cloned().unwrap_or((None, None));
                organisations.push((o, country, zone));
            }
        }
        let eligibility = eligibility(&rules, lead_id, &organisations);
        let (score, averages) = score_of(&criteria, &reviews.remove(&id).unwrap_or_default());
        let status = ApplicationStatus::from_stored(&status);
        let row = ApplicationRow {
            id,
            call_id: call,
            reference,
            acronym,
            title,
            lead_name,
            lead_labels: None,
            status,
            eligible: eligibility.eligible,
            ineligible_because: eligibility.checks.iter().filter(|c| !c.ok).cloned().collect(),
            score,
            below_threshold: averages.iter().any(|a| a.below_threshold),
            rank: None,
            requested,
            currency,
        };
        out.push((row, Assessment { eligibility, score, averages, rank: None }));
    }
    let standings: Vec<Standing> = out
        .iter()
        .map(|(row, _)| Standing {
            eligible: row.eligible,
            score: row.score,
            below_threshold: row.below_threshold,
            status: row.status,
            reference: row.reference.as_deref(),
            title: &row.title,
        })
        .collect();
    let ranking = rank(&standings);
    let mut slots: Vec<Option<(ApplicationRow, Assessment)>> = out.into_iter().map(Some).collect();
    let mut ranked = Vec::with_capacity(slots.len());
    for (index, rank) in ranking {
        if let Some((mut row, mut assessment)) = slots[index].take() {
            row.rank = rank;
            assessment.rank = rank;
            ranked.push((row, assessment));
        }
    }
    Ok(ranked)
}

/// The calls whose kept assessments an application's change touches: the one it is filed under and the
/// one it now belongs to (two when it moved).
pub fn calls_of(conn: &Connection, id: Uuid) -> Result<BTreeSet<Uuid>> {
    let before: Option<Uuid> = conn
        .prepare_cached("SELECT call_id FROM application_assessment WHERE application_id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?;
    let now: Option<Uuid> = conn
        .prepare_cached("SELECT call_id FROM application WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(before.into_iter().chain(now).collect())
}
