//! Data quality: probable duplicate organisations (the same identifier in the same scheme, the same name
//! once folded in any script, or similar names in the same country and city), partners missing the
//! identifiers their kind and country call for, and live records pointing to a deleted record or to one
//! this workspace does not hold. Each finding says why; fixing the data makes it vanish from the next
//! report. A zone or country keeps the findings about an organisation there: a pair when either partner
//! is, a record pointing elsewhere when the organisation it concerns is (deleted ones included).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;
use uuid::Uuid;

use super::scope::country_name;
use super::{Body, Context, Section, Value, ValueKind};
use crate::columns::vocab::Vocab;
use crate::error::Result;
use crate::text::fold;

/// Countries of the Erasmus+ programme (the EU's member states and the associated programme countries),
/// whose higher education institutions hold an Erasmus code.
const ERASMUS_COUNTRIES: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "MK", "RS", "TR",
];

/// Kinds of organisation ROR registers as a rule.
const ROR_KINDS: &[&str] = &["university", "school", "funder", "government_agency"];

/// Names at least this alike (Dice coefficient of their letter pairs) are similar.
const SIMILAR: f64 = 0.8;

/// A live partner as the report names it.
struct Partner {
    label: String,
    country: Option<String>,
    city: Option<String>,
    zone: String,
    kind: String,
    in_scope: bool,
}

/// The condition that the organisation whose id is the SQL expression `org` is in the zone and country,
/// read from the synced table so that a deleted organisation still has its place.
fn organisation_within(cx: &Context, org: &str) -> (String, Vec<Sql>) {
    let mut sql = vec!["1".to_owned()];
    let mut args = Vec::new();
    if let Some(zone) = cx.scope.zone {
        sql.push(format!("{org} IN (SELECT id FROM partner WHERE zone = ?)"));
        args.push(Sql::Text(zone.as_str().to_owned()));
    }
    if let Some(country) = &cx.scope.country {
        sql.push(format!("{org} IN (SELECT id FROM partner WHERE country = ?)"));
        args.push(Sql::Text(country.clone()));
    }
    (sql.join(" AND "), args)
}

/// A name's key for comparing: folded, its words of letters and digits joined by single spaces.
fn key(name: &str) -> String {
    fold(name).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Whether two keys are alike: the same numbers in them ("Lyon 2" is not "Lyon 3"), as many words, and
/// letter pairs mostly shared (a misspelling, an accent or an abbreviation apart).
fn similar(a: &str, b: &str) -> bool {
    fn digits(s: &str) -> Vec<&str> {
        s.split(' ').filter(|w| w.chars().all(|c| c.is_ascii_digit())).collect()
    }
    if digits(a) != digits(b) {
        return false;
    }
    let pairs = |s: &str| {
        let chars: Vec<char> = s.chars().filter(|c| !c.is_ascii_digit()).collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>()
    };
    let (pa, pb) = (pairs(a), pairs(b));
    if pa.is_empty() || pb.is_empty() || a.split(' ').count() != b.split(' ').count() {
        return false;
    }
    let mut rest = pb.clone();
    let mut shared = 0usize;
    for p in &pa {
        if let Some(i) = rest.iter().position(|q| q == p) {
            rest.swap_remove(i);
            shared += 1;
        }
    }
    (2 * shared) as f64 / (pa.len() + pb.len()) as f64 >= SIMILAR
}

pub fn build(cx: &Context) -> Result<Body> {
    let partners = live_partners(cx)?;
    let duplicates = duplicates(cx, &partners)?;
    let missing = missing_identifiers(cx, &partners)?;
    let links = links(cx);
    let (broken_counts, broken) = pointing_elsewhere(cx, &links)?;
    let broken_total: i64 = broken_counts.iter().map(|c| c.2).sum();

    let figures = vec![
        cx.figure(
            "Probable duplicate pairs",
            "Paires de doublons probables",
            duplicates.rows.len() as i64,
            ValueKind::Count,
        ),
        cx.figure(
            "Partners missing identifiers",
            "Partenaires sans identifiants attendus",
            missing.rows.len() as i64,
            ValueKind::Count,
        ),
        cx.figure(
            "Records pointing to deleted or missing records",
            "Fiches liées à des fiches supprimées ou absentes",
            broken_total,
            ValueKind::Count,
        ),
    ];

    let mut summary = Section::new(
        "broken_links_by_kind",
        cx.tr("Links to deleted or missing records", "Liens vers des fiches supprimées ou absentes"),
        vec![
            cx.column("Record", "Fiche", ValueKind::Text),
            cx.column("Points to", "Pointe vers", ValueKind::Text),
            cx.column("Deleted", "Supprimée", ValueKind::Count),
            cx.column("Missing", "Absente", ValueKind::Count),
        ],
    )
    .note(cx.tr(
        "Live records whose link leads to a deleted record, or to one this workspace does not hold (not yet \
         synced, or removed by hand).",
        "Fiches actives dont un lien mène à une fiche supprimée, ou à une fiche que cet espace ne contient \
         pas (pas encore synchronisée, ou retirée à la main).",
    ));
    let mut per_check: BTreeMap<usize, (i64, i64)> = BTreeMap::new();
    for (check, state, n) in &broken_counts {
        let c = per_check.entry(*check).or_default();
        if state == "deleted" {
            c.0 += n;
        } else {
            c.1 += n;
        }
    }
    for (check, (deleted, absent)) in per_check {
        if let Some(link) = links.get(check) {
            summary.rows.push(vec![
                cx.tr(link.record.0, link.record.1).into(),
                cx.tr(link.target.0, link.target.1).into(),
                deleted.into(),
                absent.into(),
            ]);
        }
    }
    let summary = summary.with_total(cx.tr("Total", "Total"));

    Ok(Body { figures, sections: vec![duplicates, missing, summary, broken] })
}

/// Every live partner: id, label, country, city, zone and kind, the label in the language bound.
fn live_partners_sql() -> String {
    format!(
        "SELECT p.id, {}, p.country, p.city, p.zone, p.kind
         FROM partner_summary p JOIN partner_label l ON l.partner_id = p.id AND l.ui = ?",
        crate::label::text_sql("l")
    )
}

/// Identifiers (scheme, value, partner) held by more than one live partner.
const SHARED_IDENTIFIERS: &str = "WITH shared AS (SELECT i.scheme, i.value FROM partner_identifier i
                     JOIN partner_summary p ON p.id = i.partner_id
                     WHERE i.deleted = 0 GROUP BY i.scheme, i.value HAVING count(DISTINCT i.partner_id) > 1)
     SELECT i.scheme, i.value, i.partner_id FROM partner_identifier i
     JOIN shared s ON s.scheme = i.scheme AND s.value = i.value
     JOIN partner_summary p ON p.id = i.partner_id
     WHERE i.deleted = 0 ORDER BY i.scheme, i.value, i.partner_id";

/// Every live name of a live partner.
const LIVE_NAMES: &str =
    "SELECT n.partner_id, n.value FROM partner_name n JOIN partner_summary p ON p.id = n.partner_id
     WHERE n.deleted = 0";

/// The schemes each live partner holds an identifier of.
const HELD_SCHEMES: &str = "SELECT DISTINCT i.partner_id, i.scheme FROM partner_identifier i
     JOIN partner_summary p ON p.id = i.partner_id WHERE i.deleted = 0";

/// Every statement the report runs when no link is broken (the usual case), with its arguments: the
/// partners, their names and identifiers, and the check of each link's distinct targets. For the
/// benchmark's baseline, which runs them bare.
pub fn statements(cx: &Context) -> Vec<(String, Vec<Sql>)> {
    let mut out = vec![
        (live_partners_sql(), vec![Sql::Text(cx.lang.as_str().to_owned())]),
        (SHARED_IDENTIFIERS.to_owned(), Vec::new()),
        (LIVE_NAMES.to_owned(), Vec::new()),
        (HELD_SCHEMES.to_owned(), Vec::new()),
    ];
    for link in links(cx) {
        let check = (not_live_sql(link.held, link.table), Vec::new());
        if !out.contains(&check) {
            out.push(check);
        }
    }
    out
}

/// Every live partner, named as the reader reads it, and whether it is within the zone and country.
fn live_partners(cx: &Context) -> Result<HashMap<Uuid, Partner>> {
    let mut stmt = cx.conn.prepare(&live_partners_sql())?;
    let rows = stmt.query_map([cx.lang.as_str()], |r| {
        let country: Option<String> = r.get(2)?;
        let zone: String = r.get(4)?;
        Ok((
            r.get::<_, Uuid>(0)?,
            Partner { label: r.get(1)?, city: r.get(3)?, kind: r.get(5)?, in_scope: false, country, zone },
        ))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, mut p) = row?;
        p.in_scope = cx.scope.zone.is_none_or(|z| z.as_str() == p.zone)
            && cx.scope.country.as_deref().is_none_or(|c| p.country.as_deref() == Some(c));
        out.insert(id, p);
    }
    Ok(out)
}

/// Pairs of live partners that are probably one organisation, each with its reasons.
fn duplicates(cx: &Context, partners: &HashMap<Uuid, Partner>) -> Result<Section> {
    let colon = cx.tr(": ", " : ");
    // (first, second) with first < second → reasons.
    let mut pairs: BTreeMap<(Uuid, Uuid), Vec<String>> = BTreeMap::new();
    let mut add = |a: Uuid, b: Uuid, reason: String| {
        let pair = if a < b { (a, b) } else { (b, a) };
        let reasons = pairs.entry(pair).or_default();
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    };
    {
        let mut stmt = cx.conn.prepare(SHARED_IDENTIFIERS)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Uuid>(2)?)))?;
        let mut groups: BTreeMap<(String, String), Vec<Uuid>> = BTreeMap::new();
        for row in rows {
            let (scheme, value, id) = row?;
            groups.entry((scheme, value)).or_default().push(id);
        }
        for ((scheme, value), ids) in groups {
            for (i, a) in ids.iter().enumerate() {
                for b in &ids[i + 1..] {
                    if a != b {
                        add(
                            *a,
                            *b,
                            format!(
                                "{} {}{colon}{value}",
                                cx.tr("Same identifier", "Même identifiant"),
                                Vocab::IdScheme.label(&scheme, cx.lang)
                            ),
                        );
                    }
                }
            }
        }
    }
    // Every live name, by its key.
    let mut names: BTreeMap<String, Vec<(Uuid, String)>> = BTreeMap::new();
    {
        let mut stmt = cx.conn.prepare(LIVE_NAMES)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, value) = row?;
            let k = key(&value);
            if !k.is_empty() {
                let same = names.entry(k).or_default();
                if !same.iter().any(|(other, _)| *other == id) {
                    same.push((id, value));
                }
            }
        }
    }
    for same in names.values().filter(|s| s.len() > 1) {
        for (i, (a, va)) in same.iter().enumerate() {
            for (b, vb) in &same[i + 1..] {
                let reason = if va == vb {
                    format!("{}{colon}{va}", cx.tr("Same name", "Même nom"))
                } else {
                    format!("{}{colon}{va} = {vb}", cx.tr("Same name", "Même nom"))
                };
                add(*a, *b, reason);
            }
        }
    }
    // Similar names in the same country and city.
    let mut places: BTreeMap<(String, String), Vec<Uuid>> = BTreeMap::new();
    for (id, p) in partners {
        if let (Some(country), Some(city)) = (&p.country, &p.city) {
            let city = key(city);
            if !city.is_empty() {
                places.entry((country.clone(), city)).or_default().push(*id);
            }
        }
    }
    let mut keys_of: HashMap<Uuid, Vec<(String, &str)>> = HashMap::new();
    for same in names.iter() {
        for (id, value) in same.1 {
            keys_of.entry(*id).or_default().push((same.0.clone(), value.as_str()));
        }
    }
    for ids in places.values().filter(|ids| ids.len() > 1) {
        let mut ids = ids.clone();
        ids.sort();
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                let (Some(ka), Some(kb)) = (keys_of.get(a), keys_of.get(b)) else { continue };
                let found = ka.iter().find_map(|(x, vx)| {
                    kb.iter().find(|(y, _)| x != y && similar(x, y)).map(|(_, vy)| (*vx, *vy))
                });
                if let Some((va, vb)) = found {
                    add(
                        *a,
                        *b,
                        format!(
                            "{}{colon}{va} ~ {vb}",
                            cx.tr("Similar names in the same city", "Noms proches dans la même ville")
                        ),
                    );
                }
            }
        }
    }

    let mut section = Section::new(
        "duplicates",
        cx.tr("Probable duplicate organisations", "Doublons probables d’organisations"),
        vec![
            cx.column("Partner", "Partenaire", ValueKind::Text),
            cx.column("Country", "Pays", ValueKind::Text),
            cx.column("City", "Ville", ValueKind::Text),
            cx.column("Probable duplicate", "Doublon probable", ValueKind::Text),
            cx.column("Country", "Pays", ValueKind::Text),
            cx.column("City", "Ville", ValueKind::Text),
            cx.column("Why", "Pourquoi", ValueKind::Text),
        ],
    )
    .note(cx.tr(
        "Two live partners with the same identifier in one scheme, the same name once case, accents and \
         punctuation are set aside (in any script), or alike names (the same numbers, most letter pairs \
         shared) in the same country and city.",
        "Deux partenaires actifs ayant le même identifiant dans un même référentiel, le même nom à la casse, \
         aux accents et à la ponctuation près (dans toute écriture), ou des noms proches (mêmes nombres, \
         l’essentiel des paires de lettres en commun) dans le même pays et la même ville.",
    ));
    let mut rows: Vec<(String, String, Vec<Value>)> = Vec::new();
    for ((a, b), reasons) in pairs {
        let (Some(pa), Some(pb)) = (partners.get(&a), partners.get(&b)) else { continue };
        if !(pa.in_scope || pb.in_scope) {
            continue;
        }
        // The pair in the reader's order of names.
        let (pa, pb) = if fold(&pa.label) <= fold(&pb.label) { (pa, pb) } else { (pb, pa) };
        let place = |p: &Partner| -> (Value, Value) {
            (p.country.as_deref().map(|c| country_name(c, cx.lang)).into(), p.city.clone().into())
        };
        let ((ca, ta), (cb, tb)) = (place(pa), place(pb));
        rows.push((
            fold(&pa.label),
            fold(&pb.label),
            vec![
                pa.label.as_str().into(),
                ca,
                ta,
                pb.label.as_str().into(),
                cb,
                tb,
                reasons.join(" · ").into(),
            ],
        ));
    }
    rows.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    section.rows = rows.into_iter().map(|r| r.2).collect();
    Ok(section)
}

/// Live partners without the identifiers their kind and country call for.
fn missing_identifiers(cx: &Context, partners: &HashMap<Uuid, Partner>) -> Result<Section> {
    let mut held: HashMap<Uuid, BTreeSet<String>> = HashMap::new();
    {
        let mut stmt = cx.conn.prepare(HELD_SCHEMES)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, scheme) = row?;
            held.entry(id).or_default().insert(scheme);
        }
    }
    let mut section = Section::new(
        "missing_identifiers",
        cx.tr("Partners missing identifiers", "Partenaires sans identifiants attendus"),
        vec![
            cx.column("Partner", "Partenaire", ValueKind::Text),
            cx.column("Kind", "Type", ValueKind::Text),
            cx.column("Country", "Pays", ValueKind::Text),
            cx.column("Zone", "Zone", ValueKind::Text),
            cx.column("Missing", "Manquant", ValueKind::Text),
        ],
    )
    .note(cx.tr(
        "A university, school, funder or government agency is expected to have a ROR identifier; a \
         university or school in a country of the Erasmus+ programme, an Erasmus code. Laboratories, \
         companies and other organisations are not checked.",
        "Une université, une école, un financeur ou un organisme public devrait avoir un identifiant ROR ; une \
         université ou une école d’un pays du programme Erasmus+, un code Erasmus. Les laboratoires, \
         entreprises et autres organisations ne sont pas vérifiés.",
    ));
    let mut rows: Vec<(String, Vec<Value>)> = Vec::new();
    for (id, p) in partners.iter().filter(|(_, p)| p.in_scope) {
        let has = |scheme: &str| held.get(id).is_some_and(|s| s.contains(scheme));
        let mut missing = Vec::new();
        if ROR_KINDS.contains(&p.kind.as_str()) && !has("ror") {
            missing.push(Vocab::IdScheme.label("ror", cx.lang));
        }
        let erasmus_country = p.country.as_deref().is_some_and(|c| ERASMUS_COUNTRIES.contains(&c));
        if matches!(p.kind.as_str(), "university" | "school") && erasmus_country && !has("erasmus") {
            missing.push(Vocab::IdScheme.label("erasmus", cx.lang));
        }
        if !missing.is_empty() {
            rows.push((
                fold(&p.label),
                vec![
                    p.label.as_str().into(),
                    Vocab::OrgKind.label(&p.kind, cx.lang).into(),
                    p.country.as_deref().map(|c| country_name(c, cx.lang)).into(),
                    Vocab::Zone.label(&p.zone, cx.lang).into(),
                    missing.join(" · ").into(),
                ],
            ));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    section.rows = rows.into_iter().map(|r| r.1).collect();
    Ok(section)
}

/// One kind of link a record holds, as SQL giving for each live record whose link is set: `record` (its
/// words), `target` (the id linked to), `state` ('live', 'deleted' or 'missing', from [`STATE`] over
/// `table` joined as `t`), `words` (the target's name when it is held) and `org` (the organisation the
/// finding concerns, for the zone and country).
struct Link {
    record: (&'static str, &'static str),
    target: (&'static str, &'static str),
    /// The table the link leads to (`t` in `sql`).
    table: &'static str,
    /// Every id the link's records may hold, or more (those of deleted records too), each once: read
    /// through an index where there is one, so that a million records cost a pass over their distinct
    /// targets, and only the records of a target found deleted or missing are then read.
    held: &'static str,
    sql: String,
}

/// Whether the target (`t`, left-joined on the link) is live, deleted or missing.
const STATE: &str = "CASE WHEN t.id IS NULL THEN 'missing' WHEN t.deleted = 1 THEN 'deleted' ELSE 'live' END";

/// Both organisations of every live exchange: the partner's side through its index, the other side
/// (always Lyon's, not indexed) in one pass over the table.
const EXCHANGE_SIDES: &str = "SELECT DISTINCT partner_id FROM exchange WHERE deleted = 0
     UNION SELECT DISTINCT CASE direction WHEN 'outgoing' THEN home_id ELSE host_id END FROM exchange
     WHERE deleted = 0";

/// The links checked, the words of their records in the reader's language.
fn links(cx: &Context) -> Vec<Link> {
    let quoted = |s: String| format!("'{}'", s.replace('\'', "''"));
    let incoming = quoted(Vocab::Direction.label("incoming", cx.lang));
    let outgoing = quoted(Vocab::Direction.label("outgoing", cx.lang));
    let state = format!("{STATE} AS state");
    let partner = "(SELECT n.value FROM partner_name n WHERE n.partner_id = t.id AND n.deleted = 0
                    ORDER BY n.is_primary DESC, n.id LIMIT 1) AS words";
    // An exchange: its person, academic year and direction.
    let exchange = format!(
        "trim(coalesce((SELECT trim(coalesce(c.given_name, '') || ' ' || coalesce(c.family_name, ''))
                        FROM contact c WHERE c.id = x.person_id), '')
              || coalesce(' · ' || x.academic_year || '/' || (x.academic_year + 1), '')
              || ' · ' || CASE x.direction WHEN 'outgoing' THEN {outgoing} ELSE {incoming} END) AS record"
    );
    let contact = "trim(coalesce(t.given_name, '') || ' ' || coalesce(t.family_name, '')) AS words";
    let application = "coalesce(x.reference || ' · ', '') || x.title AS record";
    let link = |record, target, table, held, sql: String| Link { record, target, table, held, sql };
    vec![
        link(
            ("Exchange", "Mobilité"),
            ("Person", "Personne"),
            "contact",
            "SELECT DISTINCT person_id FROM exchange WHERE deleted = 0",
            format!(
                "SELECT {exchange}, x.person_id AS target, {state}, {contact}, x.partner_id AS org
                 FROM exchange x LEFT JOIN contact t ON t.id = x.person_id
                 WHERE x.deleted = 0 AND x.person_id IS NOT NULL"
            ),
        ),
        link(
            ("Exchange", "Mobilité"),
            ("Home organisation", "Établissement d’origine"),
            "partner",
            EXCHANGE_SIDES,
            format!(
                "SELECT {exchange}, x.home_id AS target, {state}, {partner}, x.partner_id AS org
                 FROM exchange x LEFT JOIN partner t ON t.id = x.home_id
                 WHERE x.deleted = 0 AND x.home_id IS NOT NULL"
            ),
        ),
        link(
            ("Exchange", "Mobilité"),
            ("Host organisation", "Établissement d’accueil"),
            "partner",
            EXCHANGE_SIDES,
            format!(
                "SELECT {exchange}, x.host_id AS target, {state}, {partner}, x.partner_id AS org
                 FROM exchange x LEFT JOIN partner t ON t.id = x.host_id
                 WHERE x.deleted = 0 AND x.host_id IS NOT NULL"
            ),
        ),
        link(
            ("Exchange", "Mobilité"),
            ("Agreement", "Accord"),
            "agreement",
            "SELECT DISTINCT agreement_id FROM exchange WHERE deleted = 0",
            format!(
                "SELECT {exchange}, x.agreement_id AS target, {state}, t.title AS words, x.partner_id AS org
                 FROM exchange x LEFT JOIN agreement t ON t.id = x.agreement_id
                 WHERE x.deleted = 0 AND x.agreement_id IS NOT NULL"
            ),
        ),
        link(
            ("Agreement party", "Partie à un accord"),
            ("Partner", "Partenaire"),
            "partner",
            "SELECT DISTINCT partner_id FROM agreement_party",
            format!(
                "SELECT a.title AS record, ap.partner_id AS target, {state}, {partner}, ap.partner_id AS org
                 FROM agreement_party ap JOIN agreement a ON a.id = ap.agreement_id AND a.deleted = 0
                 LEFT JOIN partner t ON t.id = ap.partner_id WHERE ap.deleted = 0 AND ap.partner_id IS NOT NULL"
            ),
        ),
        link(
            ("Application", "Candidature"),
            ("Call", "Appel"),
            "call",
            "SELECT DISTINCT call_id FROM application WHERE deleted = 0",
            format!(
                "SELECT {application}, x.call_id AS target, {state}, t.title AS words, x.lead_id AS org
                 FROM application x LEFT JOIN call t ON t.id = x.call_id WHERE x.deleted = 0 AND x.call_id IS NOT NULL"
            ),
        ),
        link(
            ("Application", "Candidature"),
            ("Lead organisation", "Organisation porteuse"),
            "partner",
            "SELECT DISTINCT lead_id FROM application WHERE deleted = 0",
            format!(
                "SELECT {application}, x.lead_id AS target, {state}, {partner}, x.lead_id AS org
                 FROM application x LEFT JOIN partner t ON t.id = x.lead_id WHERE x.deleted = 0 AND x.lead_id IS NOT NULL"
            ),
        ),
        link(
            ("Application", "Candidature"),
            ("Partner organisation", "Organisation partenaire"),
            "partner",
            "SELECT DISTINCT partner_id FROM application_partner",
            format!(
                "SELECT {application}, ap.partner_id AS target, {state}, {partner}, ap.partner_id AS org
                 FROM application_partner ap JOIN application x ON x.id = ap.application_id AND x.deleted = 0
                 LEFT JOIN partner t ON t.id = ap.partner_id WHERE ap.deleted = 0 AND ap.partner_id IS NOT NULL"
            ),
        ),
        link(
            ("Affiliation", "Affiliation"),
            ("Partner", "Partenaire"),
            "partner",
            "SELECT DISTINCT partner_id FROM affiliation",
            format!(
                "SELECT trim(coalesce(c.given_name, '') || ' ' || coalesce(c.family_name, '')) AS record,
                        af.partner_id AS target, {state}, {partner}, af.partner_id AS org
                 FROM affiliation af JOIN contact c ON c.id = af.contact_id AND c.deleted = 0
                 LEFT JOIN partner t ON t.id = af.partner_id WHERE af.deleted = 0 AND af.partner_id IS NOT NULL"
            ),
        ),
        link(
            ("Project", "Projet"),
            ("Partner", "Partenaire"),
            "partner",
            "SELECT DISTINCT target_id FROM project_link WHERE kind = 'partner'",
            format!(
                "SELECT p.title AS record, l.target_id AS target, {state}, {partner}, l.target_id AS org
                 FROM project_link l JOIN project p ON p.id = l.project_id AND p.deleted = 0
                 LEFT JOIN partner t ON t.id = l.target_id
                 WHERE l.deleted = 0 AND l.kind = 'partner' AND l.target_id IS NOT NULL"
            ),
        ),
        link(
            ("Event", "Événement"),
            ("Organiser", "Organisateur"),
            "partner",
            "SELECT DISTINCT partner_id FROM event_organiser",
            format!(
                "SELECT e.title AS record, o.partner_id AS target, {state}, {partner}, o.partner_id AS org
                 FROM event_organiser o JOIN event e ON e.id = o.event_id AND e.deleted = 0
                 LEFT JOIN partner t ON t.id = o.partner_id WHERE o.deleted = 0 AND o.partner_id IS NOT NULL"
            ),
        ),
        link(
            ("Event", "Événement"),
            ("Project", "Projet"),
            "project",
            "SELECT DISTINCT project_id FROM event WHERE deleted = 0",
            format!(
                "SELECT e.title AS record, e.project_id AS target, {state}, t.title AS words, NULL AS org
                 FROM event e LEFT JOIN project t ON t.id = e.project_id WHERE e.deleted = 0 AND e.project_id IS NOT NULL"
            ),
        ),
    ]
}

/// A kind of link (its place in [`links`]), the state of its targets ('deleted' or 'missing') and how many.
type Broken = (usize, String, i64);

/// At most this many records pointing elsewhere are listed one by one; all are counted.
const LISTED: i64 = 1_000;

/// A link's targets are named one by one in the statement that reads its records when there are at most
/// this many; past that, the records are read whole, each target's state checked.
const NAMED: usize = 500;

/// The ids `held` gives that are not live records of `table` (deleted, or not held at all), each once.
fn not_live_sql(held: &str, table: &str) -> String {
    format!(
        "WITH held(id) AS ({held}) SELECT held.id FROM held LEFT JOIN {table} t ON t.id = held.id
         WHERE held.id IS NOT NULL AND {STATE} <> 'live'"
    )
}

fn not_live(cx: &Context, held: &str, table: &str) -> Result<Vec<Sql>> {
    let mut stmt = cx.conn.prepare(&not_live_sql(held, table))?;
    let ids = stmt.query_map([], |r| r.get::<_, Sql>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// Live records whose links lead to a deleted or absent record: (link, state, count) for each, and the
/// first [`LISTED`] of them. The distinct targets of each link are checked first; only the records of
/// links with a target deleted or missing (usually none) are then read, in the zone and country.
fn pointing_elsewhere(cx: &Context, links: &[Link]) -> Result<(Vec<Broken>, Section)> {
    let (within, args) = organisation_within(cx, "f.org");
    let mut checked: HashMap<(&str, &str), Vec<Sql>> = HashMap::new();
    let mut branches = Vec::new();
    let mut all_args: Vec<Sql> = Vec::new();
    for (i, link) in links.iter().enumerate() {
        let targets = match checked.entry((link.held, link.table)) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(not_live(cx, link.held, link.table)?),
        };
        if targets.is_empty() {
            continue;
        }
        let mut branch = format!(
            "SELECT {i} AS link, f.record, f.target, f.state, f.words FROM ({}) f
             WHERE f.state <> 'live' AND {within}",
            link.sql
        );
        all_args.extend(args.iter().cloned());
        if targets.len() <= NAMED {
            branch.push_str(&format!(" AND f.target IN ({})", vec!["?"; targets.len()].join(", ")));
            all_args.extend(targets.iter().cloned());
        }
        branches.push(branch);
    }
    let mut section = Section::new(
        "broken_links",
        cx.tr(
            "Records pointing to deleted or missing records",
            "Fiches liées à des fiches supprimées ou absentes",
        ),
        vec![
            cx.column("Record", "Fiche", ValueKind::Text),
            cx.column("Which", "Laquelle", ValueKind::Text),
            cx.column("Points to", "Pointe vers", ValueKind::Text),
            cx.column("Target", "Cible", ValueKind::Text),
            cx.column("State", "État", ValueKind::Text),
        ],
    );
    if branches.is_empty() {
        return Ok((Vec::new(), section));
    }
    // One pass: every finding is counted, the first ones listed.
    let mut counts: BTreeMap<(usize, String), i64> = BTreeMap::new();
    let mut stmt = cx.conn.prepare(&format!(
        "SELECT link, record, target, state, words FROM ({}) ORDER BY link, record",
        branches.join(" UNION ALL ")
    ))?;
    let mut rows = stmt.query(params_from_iter(all_args.iter()))?;
    while let Some(r) = rows.next()? {
        let link = usize::try_from(r.get::<_, i64>(0)?).unwrap_or(usize::MAX);
        let state: String = r.get(3)?;
        *counts.entry((link, state.clone())).or_default() += 1;
        if section.rows.len() as i64 >= LISTED {
            continue;
        }
        let Some(l) = links.get(link) else { continue };
        let target_words =
            match (r.get::<_, Option<String>>(4)?.filter(|w| !w.is_empty()), r.get::<_, Option<Uuid>>(2)?) {
                (Some(w), _) => w,
                (None, Some(id)) => id.to_string(),
                (None, None) => String::new(),
            };
        section.rows.push(vec![
            cx.tr(l.record.0, l.record.1).into(),
            r.get::<_, Option<String>>(1)?.into(),
            cx.tr(l.target.0, l.target.1).into(),
            target_words.into(),
            if state == "deleted" { cx.tr("Deleted", "Supprimée") } else { cx.tr("Missing", "Absente") }
                .into(),
        ]);
    }
    if counts.values().sum::<i64>() > LISTED {
        section = section.note(cx.tr(
            "The first 1,000 are listed; the table above counts them all.",
            "Les 1 000 premières sont listées ; le tableau ci-dessus les compte toutes.",
        ));
    }
    let counts = counts.into_iter().map(|((link, state), n)| (link, state, n)).collect();
    Ok((counts, section))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rusqlite::Connection;

    use super::*;
    use crate::clock::ManualClock;
    use crate::job::{Commit, Job};
    use crate::kinds::{IdScheme, OrgKind, PartnerStatus, Zone};
    use crate::label::UiLang;
    use crate::records::partner::{self, IdentifierInput, NameInput, PartnerInput, PartnerQuery};
    use crate::report::{build, Report, ReportKind, ReportQuery};
    use crate::workspace::demo_database;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).expect("a day")
    }

    fn report(conn: &Connection, f: impl FnOnce(&mut ReportQuery)) -> Report {
        let mut q = ReportQuery::new(ReportKind::DataQuality);
        f(&mut q);
        build(conn, &q, today()).expect("the report")
    }

    fn figure(r: &Report, i: usize) -> i64 {
        match r.figures[i].value {
            Value::Int(n) => n,
            ref other => panic!("{other:?}"),
        }
    }

    fn texts(r: &Report, section: &str, column: usize) -> Vec<String> {
        r.section(section)
            .expect("the section")
            .rows
            .iter()
            .map(|row| match &row[column] {
                Value::Text(t) => t.clone(),
                _ => String::new(),
            })
            .collect()
    }

    fn organisation(
        name: &str,
        country: &str,
        city: Option<&str>,
        identifiers: Vec<IdentifierInput>,
    ) -> PartnerInput {
        PartnerInput {
            names: vec![NameInput { id: None, value: name.into(), lang: "en".into(), primary: true }],
            acronym: None,
            kind: OrgKind::University,
            parent_id: None,
            country: Some(country.into()),
            city: city.map(str::to_owned),
            zone: None,
            website: None,
            status: PartnerStatus::Active,
            identifiers,
            tags: vec![],
            notes: None,
        }
    }

    #[test]
    fn names_are_alike_when_spelt_alike_with_the_same_numbers() {
        assert!(similar(&key("Universidade de São Paulo"), &key("Universite de Sao Paulo")));
        assert!(similar(&key("Tohoku University"), &key("Tohoku Univeristy")));
        assert!(!similar(&key("Université Lyon 2"), &key("Université Lyon 3")), "other numbers");
        assert!(!similar(&key("University of Montreal"), &key("University of Quebec in Montreal")));
        assert_eq!(key("  Université  Jean-Monnet "), "universite jean monnet");
    }

    #[test]
    fn a_duplicate_pair_is_reported_with_its_reason_and_vanishes_once_fixed() {
        let mut conn = demo_database();
        let clock = ManualClock::new();
        let before = report(&conn, |_| {});
        // Fudan's ROR on a second organisation, Fudan's name in capitals without accents on a third, and a
        // misspelt Shanghai organisation in the same city as the real one.
        let (fudan, ror): (uuid::Uuid, String) = conn
            .query_row(
                "SELECT i.partner_id, i.value FROM partner_identifier i JOIN partner_name n ON n.partner_id = i.partner_id
                 WHERE i.scheme = 'ror' AND i.deleted = 0 AND n.value = 'Fudan University'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("Fudan's ROR");
        let (sjtu_city, sjtu): (String, String) = conn
            .query_row(
                "SELECT p.city, n.value FROM partner p JOIN partner_name n ON n.partner_id = p.id
                 WHERE n.value = 'Shanghai Jiao Tong University'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("SJTU");
        let added = crate::write(&mut conn, |tx| {
            let same_id = partner::create(
                tx,
                &clock,
                &organisation(
                    "Fudan Medical Centre",
                    "CN",
                    None,
                    vec![IdentifierInput { id: None, scheme: IdScheme::Ror, value: ror.clone() }],
                ),
            )?;
            let same_name =
                partner::create(tx, &clock, &organisation("FUDAN  UNIVERSITY", "CN", None, vec![]))?;
            let alike = partner::create(
                tx,
                &clock,
                &organisation(&sjtu.replace("Tong", "Tang"), "CN", Some(&sjtu_city), vec![]),
            )?;
            Ok(vec![same_id.id, same_name.id, alike.id])
        })
        .expect("the duplicates");
        let after = report(&conn, |_| {});
        assert_eq!(figure(&after, 0), figure(&before, 0) + 3, "three new pairs");
        let why = texts(&after, "duplicates", 6);
        assert!(why.iter().any(|w| w == &format!("Same identifier ROR: {ror}")), "{why:?}");
        assert!(why.iter().any(|w| w == "Same name: Fudan University = FUDAN  UNIVERSITY"), "{why:?}");
        assert!(why.iter().any(|w| w.starts_with("Similar names in the same city: ")), "{why:?}");
        let names = texts(&after, "duplicates", 3);
        assert!(names
            .iter()
            .chain(texts(&after, "duplicates", 0).iter())
            .any(|n| n == "Fudan Medical Centre"));
        // The zone: the pairs are in China, not in Japan.
        let china = report(&conn, |q| q.zone = Some(Zone::China));
        let japan = report(&conn, |q| q.zone = Some(Zone::Japan));
        assert!(texts(&china, "duplicates", 6).iter().any(|w| w.starts_with("Same identifier")));
        assert!(!texts(&japan, "duplicates", 6).iter().any(|w| w.starts_with("Same identifier")));
        let fr = report(&conn, |q| q.lang = UiLang::Fr);
        assert!(texts(&fr, "duplicates", 6).iter().any(|w| w == &format!("Même identifiant ROR : {ror}")));
        assert!(partner::get(&conn, fudan).is_ok_and(|p| !p.deleted), "the original is untouched");
        // Fixed: the copies deleted.
        crate::write(&mut conn, |tx| {
            for id in &added {
                partner::delete(tx, &clock, *id)?;
            }
            Ok(())
        })
        .expect("deleted");
        let fixed = report(&conn, |_| {});
        assert_eq!(fixed.section("duplicates"), before.section("duplicates"));
    }

    #[test]
    fn records_pointing_to_deleted_or_missing_records_are_reported_and_vanish_once_fixed() {
        let mut conn = demo_database();
        let clock = ManualClock::new();
        let before = report(&conn, |_| {});
        assert_eq!(figure(&before, 2), 0, "the demo holds no broken link");
        // The partner with the most exchanges, also party to agreements.
        let (gone, exchanges): (uuid::Uuid, i64) = conn
            .query_row(
                "SELECT partner_id, count(*) FROM exchange WHERE deleted = 0 AND partner_id IN
                     (SELECT partner_id FROM agreement_party WHERE deleted = 0)
                 GROUP BY partner_id ORDER BY count(*) DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("a partner");
        let parties: i64 = conn
            .query_row(
                "SELECT count(*) FROM agreement_party ap JOIN agreement a ON a.id = ap.agreement_id
                 WHERE ap.partner_id = ?1 AND ap.deleted = 0 AND a.deleted = 0",
                [gone],
                |r| r.get(0),
            )
            .expect("parties");
        let zone = partner::get(&conn, gone).expect("the partner").input.zone.expect("its zone");
        let call = call_with_applications(&conn);
        let applications = crate::records::application::list(
            &conn,
            &crate::records::application::ApplicationQuery {
                call_id: Some(call),
                limit: 500,
                ..Default::default()
            },
        )
        .expect("the applications")
        .total as i64;
        crate::write(&mut conn, |tx| {
            partner::delete(tx, &clock, gone)?;
            crate::records::call::delete(tx, &clock, call)
        })
        .expect("deleted");
        // And an event whose project this workspace never held (as a sync can leave it until the rest comes).
        let event: uuid::Uuid =
            conn.query_row("SELECT id FROM event LIMIT 1", [], |r| r.get(0)).expect("an event");
        let project: Option<uuid::Uuid> = conn
            .query_row("SELECT project_id FROM event WHERE id = ?1", [event], |r| r.get(0))
            .expect("its project");
        conn.execute(
            "UPDATE event SET project_id = ?1 WHERE id = ?2",
            rusqlite::params![uuid::Uuid::from_u128(42), event],
        )
        .expect("a missing project");

        let after = report(&conn, |_| {});
        let counts = after.section("broken_links_by_kind").expect("the counts");
        let count = |record: &str, target: &str, column: usize| -> i64 {
            counts.rows.iter().find(|r| r[0] == Value::from(record) && r[1] == Value::from(target)).map_or(
                0,
                |r| match r[column] {
                    Value::Int(n) => n,
                    _ => -1,
                },
            )
        };
        assert_eq!(count("Agreement party", "Partner", 2), parties);
        assert_eq!(
            count("Exchange", "Home organisation", 2) + count("Exchange", "Host organisation", 2),
            exchanges,
            "each exchange on the other side"
        );
        assert_eq!(count("Application", "Call", 2), applications);
        assert_eq!(count("Event", "Project", 3), 1, "missing");
        let total = figure(&after, 2);
        assert!(total > parties + exchanges + applications, "and the missing project");
        assert_eq!(counts.total.as_ref().map(|t| t[2].clone()), Some(Value::Int(total - 1)));
        let listed = after.section("broken_links").expect("the list");
        assert_eq!(listed.rows.len() as i64, total.min(LISTED));
        assert!(listed.rows.iter().any(|r| r[4] == Value::from("Deleted")));
        assert!(listed.rows.iter().any(|r| r[4] == Value::from("Missing")));
        // Within the deleted partner's zone they are found; elsewhere not.
        let other = if zone == Zone::Japan { Zone::Brazil } else { Zone::Japan };
        let inside = report(&conn, |q| q.zone = Some(zone));
        let outside = report(&conn, |q| q.zone = Some(other));
        let parties_in = |r: &Report| {
            r.section("broken_links")
                .expect("list")
                .rows
                .iter()
                .filter(|row| row[0] == Value::from("Agreement party"))
                .count() as i64
        };
        assert!(parties_in(&inside) >= 1);
        assert_eq!(parties_in(&outside), 0);

        // Fixed: restored, and the event's project put back.
        crate::write(&mut conn, |tx| {
            partner::restore(tx, &clock, gone)?;
            crate::records::call::restore(tx, &clock, call)
        })
        .expect("restored");
        conn.execute("UPDATE event SET project_id = ?1 WHERE id = ?2", rusqlite::params![project, event])
            .expect("its project back");
        let fixed = report(&conn, |_| {});
        assert_eq!(figure(&fixed, 2), 0);
        assert!(fixed.section("broken_links").expect("list").rows.is_empty());
    }

    /// Each link reads its targets' state from the table it names, and its `held` statement gives every
    /// target its records hold: else a target deleted or missing would go unseen.
    #[test]
    fn each_link_holds_its_targets_and_reads_them_from_its_table() {
        let mut conn = demo_database();
        let clock = ManualClock::new();
        let gone: uuid::Uuid = conn
            .query_row(
                "SELECT partner_id FROM exchange WHERE deleted = 0 GROUP BY partner_id ORDER BY count(*) DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .expect("a partner");
        let call = call_with_applications(&conn);
        crate::write(&mut conn, |tx| {
            partner::delete(tx, &clock, gone)?;
            crate::records::call::delete(tx, &clock, call)
        })
        .expect("deleted");
        conn.execute_batch(
            "UPDATE event SET project_id = randomblob(16) WHERE id = (SELECT min(id) FROM event);
             UPDATE exchange SET person_id = randomblob(16), agreement_id = randomblob(16)
             WHERE id = (SELECT min(id) FROM exchange WHERE deleted = 0 AND agreement_id IS NOT NULL);",
        )
        .expect("missing targets");
        let query = ReportQuery::new(ReportKind::DataQuality);
        let scope = crate::report::Scope::check(&conn, &query, today()).expect("scope");
        let cx = Context { conn: &conn, query: &query, scope, today: today(), lang: UiLang::En };
        let mut states = BTreeSet::new();
        for link in links(&cx) {
            let mut stmt = conn.prepare(link.held).expect("held");
            let held: BTreeSet<Option<Vec<u8>>> =
                stmt.query_map([], |r| r.get(0)).expect("held").map(|r| r.expect("an id")).collect();
            let mut stmt =
                conn.prepare(&format!("SELECT f.target, f.state FROM ({}) f", link.sql)).expect("sql");
            let rows: Vec<(Vec<u8>, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("targets")
                .map(|r| r.expect("a target"))
                .collect();
            assert!(!rows.is_empty(), "{:?} → {:?}: the demo holds some", link.record, link.target);
            for (target, state) in rows {
                assert!(held.contains(&Some(target.clone())), "{:?} → {:?}: held", link.record, link.target);
                let expected: String = conn
                    .query_row(
                        &format!(
                            "SELECT CASE WHEN EXISTS (SELECT 1 FROM {0} WHERE id = ?1 AND deleted = 1) THEN 'deleted'
                                         WHEN EXISTS (SELECT 1 FROM {0} WHERE id = ?1) THEN 'live' ELSE 'missing' END",
                            link.table
                        ),
                        [&target],
                        |r| r.get(0),
                    )
                    .expect("its state");
                assert_eq!(state, expected, "{:?} → {:?}", link.record, link.target);
                states.insert((link.target.0, state));
            }
        }
        for (target, state) in [
            ("Person", "missing"),
            ("Agreement", "missing"),
            ("Project", "missing"),
            ("Home organisation", "deleted"),
            ("Call", "deleted"),
        ] {
            assert!(states.contains(&(target, state.to_owned())), "{target} {state}: {states:?}");
        }
        // And the report finds each.
        let r = report(&conn, |_| {});
        let counts = r.section("broken_links_by_kind").expect("the counts");
        for target in ["Person", "Agreement", "Project", "Home organisation", "Call"] {
            assert!(counts.rows.iter().any(|row| row[1] == Value::from(target)), "{target}");
        }
    }

    fn call_with_applications(conn: &Connection) -> uuid::Uuid {
        conn.query_row(
            "SELECT call_id FROM application WHERE deleted = 0 GROUP BY call_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a call")
    }

    /// The partners the partner list shows for a zone, each read whole, missing the identifiers the note
    /// says.
    fn missing_from_the_lists(conn: &Connection, zone: Option<Zone>) -> usize {
        let mut missing = 0;
        let mut offset = 0;
        loop {
            let page = partner::list(conn, &PartnerQuery { zone, limit: 500, offset, ..Default::default() })
                .expect("partners");
            for row in &page.rows {
                let p = partner::get(conn, row.id).expect("the partner");
                let has = |s: IdScheme| p.input.identifiers.iter().any(|i| i.scheme == s);
                let kind = p.input.kind;
                let ror = matches!(
                    kind,
                    OrgKind::University | OrgKind::School | OrgKind::Funder | OrgKind::GovernmentAgency
                ) && !has(IdScheme::Ror);
                let european = p.input.country.as_deref().is_some_and(|c| ERASMUS_COUNTRIES.contains(&c));
                let erasmus = matches!(kind, OrgKind::University | OrgKind::School)
                    && european
                    && !has(IdScheme::Erasmus);
                missing += usize::from(ror || erasmus);
            }
            offset += page.rows.len() as u32;
            if page.rows.is_empty() || offset >= page.total {
                return missing;
            }
        }
    }

    fn check_workspace(conn: &Connection) {
        for zone in std::iter::once(None).chain(Zone::ALL.iter().copied().map(Some)) {
            let r = report(conn, |q| q.zone = zone);
            assert_eq!(figure(&r, 1) as usize, missing_from_the_lists(conn, zone), "{zone:?}");
            assert_eq!(r.section("missing_identifiers").expect("missing").rows.len() as i64, figure(&r, 1));
            assert_eq!(figure(&r, 2), 0, "no broken link");
        }
    }

    #[test]
    fn missing_identifiers_equal_the_partner_list_on_the_demo() {
        let conn = demo_database();
        check_workspace(&conn);
        assert!(figure(&report(&conn, |_| {}), 1) > 0);
    }

    #[test]
    fn a_generated_workspace_adds_no_duplicate_and_its_missing_identifiers_equal_the_lists() {
        let demo = report(&demo_database(), |_| {});
        let mut conn = demo_database();
        crate::demo::scale(&mut conn, &ManualClock::new(), 3_000, Commit::EachStep, &Job::silent())
            .expect("a generated workspace");
        check_workspace(&conn);
        let r = report(&conn, |_| {});
        assert_eq!(r.section("duplicates"), demo.section("duplicates"), "numbered names are not duplicates");
        assert!(figure(&r, 1) > figure(&demo, 1), "generated universities have no identifiers");
        // Lyon's side of every generated exchange deleted: all counted, the first thousand listed.
        let lyon: uuid::Uuid = conn
            .query_row(
                "SELECT partner_id FROM partner_name WHERE value = 'Université de Lyon (scale)'",
                [],
                |r| r.get(0),
            )
            .expect("the generated Lyon");
        let generated: i64 = conn
            .query_row(
                "SELECT count(*) FROM exchange WHERE deleted = 0 AND (home_id = ?1 OR host_id = ?1)",
                [lyon],
                |r| r.get(0),
            )
            .expect("its exchanges");
        assert!(generated > LISTED, "{generated}");
        crate::write(&mut conn, |tx| partner::delete(tx, &ManualClock::new(), lyon)).expect("deleted");
        let r = report(&conn, |_| {});
        assert!(figure(&r, 2) >= generated, "{} of {generated}", figure(&r, 2));
        let listed = r.section("broken_links").expect("the list");
        assert_eq!(listed.rows.len() as i64, LISTED);
        assert!(listed.note.is_some(), "the list says it is cut");
    }

    #[test]
    fn a_year_or_partner_filter_is_refused() {
        let conn = demo_database();
        let mut q = ReportQuery::new(ReportKind::DataQuality);
        q.year = Some(2025);
        assert!(build(&conn, &q, today()).is_err());
        let partner: uuid::Uuid =
            conn.query_row("SELECT id FROM partner_summary LIMIT 1", [], |r| r.get(0)).expect("a partner");
        let mut q = ReportQuery::new(ReportKind::DataQuality);
        q.partner = Some(partner);
        assert!(build(&conn, &q, today()).is_err());
    }

    #[test]
    fn french_and_english_give_the_same_numbers() {
        let conn = demo_database();
        for zone in [None, Some(Zone::FranceEurope)] {
            let en = report(&conn, |q| q.zone = zone);
            let fr = report(&conn, |q| {
                q.zone = zone;
                q.lang = UiLang::Fr;
            });
            let numbers = |r: &Report| -> Vec<String> {
                let mut out: Vec<String> = r.figures.iter().map(|f| format!("{:?}", f.value)).collect();
                out.extend(r.sections.iter().map(|s| format!("{}: {}", s.key, s.rows.len())));
                out
            };
            assert_eq!(numbers(&en), numbers(&fr));
            assert_ne!(en.sections[0].title, fr.sections[0].title);
        }
    }
}
