//! Search across every kind of record (partners, contacts, agreements, calls, applications, projects,
//! events; exchanges through their person and their cohort) by any name in any script, acronym, city or
//! identifier, ignoring case and accents. Terms of three or more characters are matched as substrings through
//! a trigram index; shorter terms (such as two-character Chinese or Japanese names) through a word index that
//! also holds every CJK character and character pair. Results are ranked by BM25, names weighing more than
//! the rest.

use rusqlite::types::Value;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;
use crate::label::UiLang;
use crate::text::fold;

pub mod index;

pub use index::{hits, matches, Entity, Hits, Matches};

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchHit {
    pub entity: Entity,
    pub id: Uuid,
    pub title: String,
    /// City and country for a partner; organisation for a contact; parties for an agreement; for a cohort,
    /// its number of exchanges in English (`count` gives the figure to word in another language).
    pub subtitle: Option<String>,
    /// How many exchanges a cohort groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub count: Option<i64>,
    /// A partner's title in the reader's language ([`search_as`]): its BCP-47 tag, and the primary name beside
    /// it when written in another script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub native: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub native_lang: Option<String>,
}

/// How many matches the global search ranks at most: the most recently indexed ones. Ranking costs about
/// 0.7 µs a match: a word found in nearly every record (`univ` among 100,000 universities) would take 70 ms
/// to rank in full, for a first page that cannot tell such matches apart anyway. Lists filtered by a search
/// are not capped.
const RANKED_AT_MOST: u32 = 10_000;

/// The best `limit` matches among every kind of record (among the [`RANKED_AT_MOST`] latest indexed), partners
/// by their primary names.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    search_as(conn, query, limit, None)
}

/// [`search`] for a reader of `lang`: partners titled by the name they read ([`crate::label::pick`]).
pub fn search_as(conn: &Connection, query: &str, limit: u32, lang: Option<UiLang>) -> Result<Vec<SearchHit>> {
    let Some(hits) = hits(conn, query)? else { return Ok(Vec::new()) };
    let ui = lang.map_or("", UiLang::as_str);
    let sql = format!(
        "WITH {}, found(doc, rank) AS (SELECT doc, rank FROM hits ORDER BY doc DESC LIMIT {RANKED_AT_MOST}),
              top(doc, rank) AS (SELECT doc, rank FROM found ORDER BY rank, doc LIMIT ?)
         SELECT d.entity, d.entity_id, coalesce(pl.name, p.name, c.name, a.title, k.title, x.title, j.title, e.title),
                CASE d.entity WHEN 'partner' THEN nullif(concat_ws(', ', p.city, p.country), '')
                              WHEN 'contact' THEN c.organisation
                              WHEN 'agreement' THEN nullif(a.parties, '')
                              WHEN 'call' THEN k.programme
                              WHEN 'application' THEN concat_ws(' — ', x.reference, x.acronym)
                              WHEN 'project' THEN j.code
                              ELSE concat_ws(' — ', e.start_date, e.venue) END,
                pl.lang, pl.native, pl.native_lang, cl.name, cl.native
         FROM top JOIN search_doc d ON d.doc = top.doc
         LEFT JOIN partner_summary p ON d.entity = 'partner' AND p.id = d.entity_id
         LEFT JOIN partner_label pl ON d.entity = 'partner' AND pl.partner_id = d.entity_id AND pl.ui = '{ui}'
         LEFT JOIN contact_summary c ON d.entity = 'contact' AND c.id = d.entity_id
         LEFT JOIN partner_label cl ON cl.partner_id = c.organisation_id AND cl.ui = '{ui}'
         LEFT JOIN agreement_summary a ON d.entity = 'agreement' AND a.id = d.entity_id
         LEFT JOIN call k ON d.entity = 'call' AND k.id = d.entity_id AND k.deleted = 0
         LEFT JOIN application x ON d.entity = 'application' AND x.id = d.entity_id AND x.deleted = 0
         LEFT JOIN project j ON d.entity = 'project' AND j.id = d.entity_id AND j.deleted = 0
         LEFT JOIN event e ON d.entity = 'event' AND e.id = d.entity_id AND e.deleted = 0
         WHERE coalesce(p.id, c.id, a.id, k.id, x.id, j.id, e.id) IS NOT NULL
         ORDER BY top.rank, top.doc",
        hits.cte
    );
    let mut args = hits.args;
    args.push(Value::Integer(limit.into()));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        let entity: String = r.get(0)?;
        Ok(SearchHit {
            entity: match entity.as_str() {
                "contact" => Entity::Contact,
                "agreement" => Entity::Agreement,
                "call" => Entity::Call,
                "application" => Entity::Application,
                "project" => Entity::Project,
                "event" => Entity::Event,
                _ => Entity::Partner,
            },
            id: r.get(1)?,
            title: r.get(2)?,
            // A person's organisation as the reader reads it, its own script beside.
            subtitle: match r.get::<_, Option<String>>(7)? {
                Some(name) => Some(
                    crate::label::Label { name, lang: String::new(), native: r.get(8)?, native_lang: None }
                        .text(),
                ),
                None => r.get(3)?,
            },
            count: None,
            lang: r.get(4)?,
            native: r.get(5)?,
            native_lang: r.get(6)?,
        })
    })?;
    let mut found: Vec<SearchHit> = rows.collect::<Result<_, _>>()?;
    // An agreement's parties as the reader reads them, each with its own script beside.
    if let Some(ui) = lang {
        for hit in found.iter_mut().filter(|h| h.entity == Entity::Agreement) {
            let parties = crate::records::agreement::party_labels(conn, hit.id)?;
            let names: Vec<String> = parties.iter().map(|l| l.get(ui).text()).collect();
            hit.subtitle = Some(names.join(" · ")).filter(|s| !s.is_empty());
        }
    }
    // Cohorts come right after the best hit: "tongji" shows Tongji University, then its yearly cohorts.
    let cohorts = cohorts(conn, query)?;
    if !cohorts.is_empty() {
        let at = found.len().min(1);
        found.splice(at..at, cohorts);
        found.truncate(limit as usize);
    }
    with_exchanges(conn, found, limit, ui)
}

/// The cohorts (at most five, latest academic year first) whose name holds every term of the query, case
/// and accents aside, with how many exchanges each groups. A cohort is a name shared by exchanges, not a
/// record: its hit's id is derived from the name, and the app opens the exchange list filtered to it.
fn cohorts(conn: &Connection, query: &str) -> Result<Vec<SearchHit>> {
    use sha2::{Digest, Sha256};
    const MOST: usize = 5;
    let terms: Vec<String> = query.split_whitespace().map(fold).collect();
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut latest = conn.prepare_cached(
        "SELECT max(academic_year) FROM exchange WHERE deleted = 0 AND cohort IS NOT NULL AND cohort = ?1",
    )?;
    let mut found: Vec<(Option<i64>, String)> = Vec::new();
    for name in crate::records::exchange::cohorts(conn)? {
        let folded = fold(&name);
        if terms.iter().all(|t| folded.contains(t.as_str())) {
            found.push((latest.query_row(params![name], |r| r.get(0))?, name));
        }
    }
    found.sort_by(|(a, x), (b, y)| b.cmp(a).then(x.cmp(y)));
    let mut count = conn.prepare_cached(
        "SELECT count(*) FROM exchange WHERE deleted = 0 AND cohort IS NOT NULL AND cohort = ?1",
    )?;
    let mut out = Vec::new();
    for (_, name) in found.into_iter().take(MOST) {
        let n: i64 = count.query_row(params![name], |r| r.get(0))?;
        let digest = Sha256::digest(name.as_bytes());
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        out.push(SearchHit {
            entity: Entity::Cohort,
            id: Uuid::from_bytes(id),
            subtitle: Some(if n == 1 { "1 exchange".to_owned() } else { format!("{n} exchanges") }),
            title: name,
            count: Some(n),
            lang: None,
            native: None,
            native_lang: None,
        });
    }
    Ok(out)
}

/// The hits with each person's latest exchanges after the person, in the places the other hits leave free:
/// exchanges have no name of their own and are found through their person. A partner's exchanges are
/// too many to list here; its page shows them.
fn with_exchanges(conn: &Connection, found: Vec<SearchHit>, limit: u32, ui: &str) -> Result<Vec<SearchHit>> {
    const PER_PERSON: u32 = 3;
    let limit = limit as usize;
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.academic_year, coalesce(hl.name, h.name), hl.native, coalesce(ol.name, o.name), ol.native
         FROM exchange e
         LEFT JOIN partner_summary h ON h.id = e.home_id
         LEFT JOIN partner_summary o ON o.id = e.host_id
         LEFT JOIN partner_label hl ON hl.partner_id = e.home_id AND hl.ui = ?3
         LEFT JOIN partner_label ol ON ol.partner_id = e.host_id AND ol.ui = ?3
         WHERE e.person_id = ?1 AND e.deleted = 0
         ORDER BY e.academic_year DESC, e.planned_start DESC, e.rowid DESC LIMIT ?2",
    )?;
    let total = found.len();
    let mut out = Vec::with_capacity(limit.max(total));
    for (i, hit) in found.into_iter().enumerate() {
        let person = (hit.entity == Entity::Contact).then(|| (hit.id, hit.title.clone()));
        out.push(hit);
        let Some((id, name)) = person else { continue };
        let free = limit.saturating_sub(out.len() + (total - i - 1));
        if free == 0 {
            continue;
        }
        let rows = stmt.query_map(params![id, PER_PERSON.min(free as u32), ui], |r| {
            let year: Option<i64> = r.get(1)?;
            // Each side as the reader reads it, its own script beside.
            let side = |at: usize| -> rusqlite::Result<Option<String>> {
                let Some(name) = r.get::<_, Option<String>>(at)? else { return Ok(None) };
                let native = r.get(at + 1)?;
                Ok(Some(crate::label::Label { name, lang: String::new(), native, native_lang: None }.text()))
            };
            let (home, host) = (side(2)?, side(4)?);
            let route = match (home, host) {
                (None, None) => None,
                (home, host) => Some(format!("{} → {}", home.unwrap_or_default(), host.unwrap_or_default())),
            };
            let subtitle = [year.map(crate::kinds::academic_year_label), route].into_iter().flatten();
            Ok(SearchHit {
                entity: Entity::Exchange,
                id: r.get(0)?,
                title: name.clone(),
                subtitle: Some(subtitle.collect::<Vec<_>>().join(" · ")).filter(|s| !s.is_empty()),
                count: None,
                lang: None,
                native: None,
                native_lang: None,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}
