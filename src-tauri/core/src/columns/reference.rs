//! Records named in a cell: an organisation by any of its names (any language or script), its acronym or an
//! identifier (ROR, Erasmus code, SCHAC, PIC…); a person by name (as the app writes it, or given and family
//! names in either order, or in their own script) or e-mail; an agreement, a call or a project by its
//! reference or title; any of them by its Liaison id. Names are compared as headers are ([`key`]: case,
//! accents and punctuation aside). Also which organisation is the workspace's home institution.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::error::Result;
use crate::kinds::IdScheme;
use crate::label::UiLang;

use super::header::key;
use super::RecordKind;

/// What a name found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    One(Uuid),
    Nothing,
    /// Several records answer to the name.
    Many(usize),
}

/// Finds records by the names written in cells; reads each kind's names once and keeps them, so that an
/// import of many rows reads them once. Call [`Resolver::forget`] after writing records that rows may name.
pub struct Resolver<'c> {
    conn: &'c Connection,
    names: HashMap<RecordKind, HashMap<String, Vec<Uuid>>>,
    home: Option<Option<Uuid>>,
    /// Ids a file names that stand for records created under new ids (an export from another workspace).
    aliases: HashMap<Uuid, Uuid>,
    /// How records were named in a file, by kind, id and language: exports name the same few organisations
    /// on many rows.
    written: HashMap<(RecordKind, Uuid, UiLang), String>,
    /// The names (sort name and name) that more than one person is written with, read once when a person is
    /// first named; `Some(None)` when there are more than [`NAMESAKES`], and each person is then asked about.
    namesakes: Option<Option<HashSet<(String, String)>>>,
    /// A person as a list's statement read them with the row that names them ([`Resolver::listed_person`]).
    listed: Option<(Uuid, Listed)>,
}

/// A person's name and sort name as their list row holds them; `None` when they have none.
pub type Listed = Option<(Option<String>, String)>;

/// The most shared names of people a [`Resolver`] keeps (a megabyte or two): past it, whether a person's
/// name is shared is read for each person.
const NAMESAKES: usize = 20_000;

fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Partner => "partner",
        RecordKind::Contact => "contact",
        RecordKind::Agreement => "agreement",
        RecordKind::Exchange => "exchange",
        RecordKind::Project => "project",
        RecordKind::Event => "event",
        RecordKind::Call => "call",
        RecordKind::Application => "application",
    }
}

impl<'c> Resolver<'c> {
    pub fn new(conn: &'c Connection) -> Resolver<'c> {
        Resolver {
            conn,
            names: HashMap::new(),
            home: None,
            aliases: HashMap::new(),
            written: HashMap::new(),
            namesakes: None,
            listed: None,
        }
    }

    pub fn conn(&self) -> &'c Connection {
        self.conn
    }

    /// Forgets the names read so far: records written since will be found.
    pub fn forget(&mut self) {
        self.names.clear();
        self.home = None;
        self.written.clear();
        self.namesakes = None;
    }

    /// Makes the Liaison id `from`, which a file names, stand for the record `to` (created from the file's
    /// row that carried `from`): a file exported from another workspace names a record by its id there when
    /// its name is shared.
    pub fn alias(&mut self, from: Uuid, to: Uuid) {
        self.aliases.insert(from, to);
    }

    /// The person `id` as the statement that read the row naming them read their name and sort name: the
    /// next time they are named, these are taken instead of reading them again.
    pub(crate) fn listed_person(&mut self, id: Uuid, listed: Listed) {
        self.listed = Some((id, listed));
    }

    /// The record of `kind` that `text` names.
    pub fn find(&mut self, kind: RecordKind, text: &str) -> Result<Found> {
        let text = text.trim();
        if let Ok(id) = Uuid::parse_str(text) {
            let id = self.aliases.get(&id).copied().unwrap_or(id);
            return Ok(if crate::store::live(self.conn, table(kind), id)? {
                Found::One(id)
            } else {
                Found::Nothing
            });
        }
        let names = self.names_of(kind)?;
        let mut candidates = vec![key(text)];
        if kind == RecordKind::Partner {
            candidates.extend(IdScheme::ALL.iter().filter_map(|s| s.normalise(text)).map(|v| key(&v)));
        }
        if kind == RecordKind::Contact {
            candidates.push(text.to_lowercase());
        }
        for candidate in candidates {
            if let Some(ids) = names.get(&candidate) {
                return Ok(match ids.as_slice() {
                    [one] => Found::One(*one),
                    many => Found::Many(many.len()),
                });
            }
        }
        Ok(Found::Nothing)
    }

    /// How many records of `kind` answer to `name`.
    pub(crate) fn count(&mut self, kind: RecordKind, name: &str) -> Result<usize> {
        Ok(self.names_of(kind)?.get(&key(name)).map_or(0, Vec::len))
    }

    /// The workspace's home institution ([`home_institution`]), read once.
    pub(crate) fn home(&mut self) -> Result<Option<Uuid>> {
        if let Some(home) = self.home {
            return Ok(home);
        }
        let home = home_institution(self.conn)?;
        self.home = Some(home);
        Ok(home)
    }

    /// The names (sort name, name) that two people or more are written with, up to `cap` of them; `None`
    /// when there are more. People are many (one per exchange) and their names are not all read into
    /// memory; the shared ones are few in a real workspace (generated ones have dozens of people per name).
    fn namesakes(&mut self, cap: usize) -> Result<Option<&HashSet<(String, String)>>> {
        if self.namesakes.is_none() {
            self.namesakes = Some(shared_names(self.conn, cap)?);
        }
        Ok(self.namesakes.as_ref().and_then(Option::as_ref))
    }

    fn names_of(&mut self, kind: RecordKind) -> Result<&HashMap<String, Vec<Uuid>>> {
        let conn = self.conn;
        Ok(match self.names.entry(kind) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(load(conn, kind)?),
        })
    }
}

/// The most different names [`shared_names`] counts in one pass over the people (a few megabytes, held
/// while it counts).
const COUNTED: usize = 50_000;

/// See [`Resolver::namesakes`]. Every person's name is counted in one pass over the people in their table's
/// order; past [`COUNTED`] different names, the people of a sort name two people share are read in the
/// index's order and their names counted sort name by sort name (a sort of every person's name costs twice
/// as much as that, and a read through the index twice as much as the pass).
fn shared_names(conn: &Connection, cap: usize) -> Result<Option<HashSet<(String, String)>>> {
    shared_names_counted(conn, cap, COUNTED)
}

fn shared_names_counted(
    conn: &Connection,
    cap: usize,
    counted: usize,
) -> Result<Option<HashSet<(String, String)>>> {
    let mut names: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let mut different = 0;
    let mut stmt = conn.prepare("SELECT sort_name, name FROM contact_summary")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (sort_name, name) = (text_at(r, 0)?, text_at(r, 1)?);
        let of_sort = match names.get_mut(sort_name) {
            Some(of_sort) => of_sort,
            None => names.entry(sort_name.to_owned()).or_default(),
        };
        match of_sort.get_mut(name) {
            Some(n) => *n += 1,
            None => {
                of_sort.insert(name.to_owned(), 1);
                different += 1;
                if different > counted {
                    return shared_names_by_index(conn, cap);
                }
            }
        }
    }
    let mut shared = HashSet::new();
    for (sort_name, of_sort) in names {
        for (name, _) in of_sort.into_iter().filter(|(_, n)| *n > 1) {
            shared.insert((sort_name.clone(), name));
            if shared.len() > cap {
                return Ok(None);
            }
        }
    }
    Ok(Some(shared))
}

/// A text column without a copy of it.
fn text_at<'r>(r: &'r rusqlite::Row<'_>, at: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(at)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, Box::new(e)))
}

fn shared_names_by_index(conn: &Connection, cap: usize) -> Result<Option<HashSet<(String, String)>>> {
    let mut shared = HashSet::new();
    let mut stmt = conn.prepare(
        "SELECT sort_name, name FROM contact_summary
          WHERE sort_name IN (SELECT sort_name FROM contact_summary GROUP BY sort_name HAVING count(*) > 1)
          ORDER BY sort_name",
    )?;
    let mut rows = stmt.query([])?;
    let mut group: Option<String> = None;
    let mut names: HashMap<String, usize> = HashMap::new();
    loop {
        let row = rows.next()?;
        let sort_name: Option<String> = row.map(|r| r.get(0)).transpose()?;
        if sort_name != group {
            if let Some(group) = group.take() {
                for (name, _) in names.drain().filter(|(_, n)| *n > 1) {
                    shared.insert((group.clone(), name));
                }
                if shared.len() > cap {
                    return Ok(None);
                }
            }
            names.clear();
            group = sort_name;
        }
        let Some(row) = row else { break };
        *names.entry(row.get(1)?).or_default() += 1;
    }
    Ok(Some(shared))
}

fn load(conn: &Connection, kind: RecordKind) -> Result<HashMap<String, Vec<Uuid>>> {
    let sql = match kind {
        RecordKind::Partner => {
            "SELECT n.partner_id, n.value FROM partner_name n JOIN partner p ON p.id = n.partner_id
              WHERE n.deleted = 0 AND p.deleted = 0
             UNION SELECT id, acronym FROM partner WHERE deleted = 0 AND acronym IS NOT NULL
             UNION SELECT i.partner_id, i.value FROM partner_identifier i JOIN partner p ON p.id = i.partner_id
              WHERE i.deleted = 0 AND p.deleted = 0
             UNION SELECT l.partner_id, l.name FROM partner_label l JOIN partner p ON p.id = l.partner_id
              WHERE p.deleted = 0"
        }
        RecordKind::Contact => {
            "SELECT c.id, s.name FROM contact c JOIN contact_summary s ON s.id = c.id WHERE c.deleted = 0
             UNION SELECT id, concat_ws(' ', given_name, family_name) FROM contact WHERE deleted = 0
             UNION SELECT id, concat_ws(' ', family_name, given_name) FROM contact WHERE deleted = 0
             UNION SELECT id, native_name FROM contact WHERE deleted = 0 AND native_name IS NOT NULL
             UNION SELECT c.id, lower(e.value) FROM contact c, json_each(c.emails) e
              WHERE c.deleted = 0 AND c.emails IS NOT NULL"
        }
        RecordKind::Agreement | RecordKind::Call | RecordKind::Project => match kind {
            RecordKind::Agreement => {
                "SELECT id, code FROM agreement WHERE deleted = 0 AND code IS NOT NULL
                 UNION SELECT id, title FROM agreement WHERE deleted = 0"
            }
            RecordKind::Call => {
                "SELECT id, code FROM call WHERE deleted = 0 AND code IS NOT NULL
                 UNION SELECT id, title FROM call WHERE deleted = 0"
            }
            _ => {
                "SELECT id, code FROM project WHERE deleted = 0 AND code IS NOT NULL
                 UNION SELECT id, title FROM project WHERE deleted = 0"
            }
        },
        RecordKind::Exchange | RecordKind::Event | RecordKind::Application => return Ok(HashMap::new()),
    };
    let mut names: HashMap<String, Vec<Uuid>> = HashMap::new();
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: Uuid = r.get(0)?;
        let Some(name) = r.get::<_, Option<String>>(1)? else { continue };
        // E-mails are kept as written (lower case) beside their key, which splits them at the dots.
        for k in [key(&name), name.to_lowercase()] {
            if k.is_empty() {
                continue;
            }
            let ids = names.entry(k).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(names)
}

/// How a record is named in a file: an organisation by its name in `lang` ([`crate::label::pick`]), a
/// person as the app writes their name, an agreement, a call or a project by its reference (else its title).
/// A name that others share is written as the Liaison id, so the file reads back to the same record.
pub(crate) fn name_of(resolver: &mut Resolver, kind: RecordKind, id: Uuid, lang: UiLang) -> Result<String> {
    if let Some(name) = resolver.written.get(&(kind, id, lang)) {
        return Ok(name.clone());
    }
    let name = read_name_of(resolver, kind, id, lang)?;
    // People are named once or twice each (an exchange's person): keeping them would grow with the file.
    if kind != RecordKind::Contact {
        if resolver.written.len() >= 20_000 {
            resolver.written.clear();
        }
        resolver.written.insert((kind, id, lang), name.clone());
    }
    Ok(name)
}

fn read_name_of(resolver: &mut Resolver, kind: RecordKind, id: Uuid, lang: UiLang) -> Result<String> {
    let conn = resolver.conn;
    if kind == RecordKind::Contact {
        let named: Listed = match resolver.listed.take() {
            Some((listed, named)) if listed == id => named,
            _ => conn
                .prepare_cached("SELECT name, sort_name FROM contact_summary WHERE id = ?1")?
                .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
        };
        let Some((Some(name), sort_name)) = named else { return Ok(id.to_string()) };
        if name.trim().is_empty() {
            return Ok(id.to_string());
        }
        let namesake = (sort_name, name);
        let shared = match resolver.namesakes(NAMESAKES)? {
            Some(shared) => shared.contains(&namesake),
            // Too many shared names to keep: the first namesake found settles it.
            None => conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM contact_summary
                                    WHERE sort_name = ?1 AND name = ?2 AND id <> ?3)",
                )?
                .query_row(params![namesake.0, namesake.1, id], |r| r.get(0))?,
        };
        return Ok(if shared { id.to_string() } else { namesake.1 });
    }
    let name: Option<String> = match kind {
        RecordKind::Partner => conn
            .prepare_cached("SELECT name FROM partner_label WHERE partner_id = ?1 AND ui = ?2")?
            .query_row(params![id, lang.as_str()], |r| r.get(0))
            .optional()?,
        RecordKind::Agreement | RecordKind::Call | RecordKind::Project => conn
            .prepare_cached(&format!("SELECT coalesce(code, title) FROM {} WHERE id = ?1", table(kind)))?
            .query_row(params![id], |r| r.get(0))
            .optional()?,
        _ => None,
    };
    let Some(name) = name.filter(|n| !n.trim().is_empty()) else { return Ok(id.to_string()) };
    let unique = resolver.count(kind, &name)? == 1 && resolver.find(kind, &name)? == Found::One(id);
    Ok(if unique { name } else { id.to_string() })
}

/// The workspace's home institution, which a file's agreement row naming one partner takes as the other
/// party: the organisation in France that is a party to the most agreements (ties to the first by id); in a
/// workspace with no agreement yet, the one organisation in France with no parent, when there is exactly one.
pub fn home_institution(conn: &Connection) -> Result<Option<Uuid>> {
    let most: Option<Uuid> = conn
        .query_row(
            "SELECT ap.partner_id FROM agreement_party ap
             JOIN agreement a ON a.id = ap.agreement_id AND a.deleted = 0
             JOIN partner p ON p.id = ap.partner_id AND p.deleted = 0
             WHERE ap.deleted = 0 AND p.country = 'FR'
             GROUP BY ap.partner_id ORDER BY count(*) DESC, ap.partner_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if most.is_some() {
        return Ok(most);
    }
    let tops: Vec<Uuid> = conn
        .prepare("SELECT id FROM partner WHERE deleted = 0 AND country = 'FR' AND parent_id IS NULL LIMIT 2")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match tops.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::workspace;

    #[test]
    fn records_are_found_by_any_of_their_names_identifiers_or_id() {
        let conn = workspace::demo_database();
        let mut r = Resolver::new(&conn);
        let udl = match r.find(RecordKind::Partner, "Université de Lyon").expect("read") {
            Found::One(id) => id,
            other => panic!("{other:?}"),
        };
        for name in [
            "universite de lyon",
            "University of Lyon",
            "UdL",
            "udl",
            "01rk35k63",
            "https://ror.org/01rk35k63",
            "universite-lyon.fr",
            &udl.to_string(),
        ] {
            assert_eq!(r.find(RecordKind::Partner, name).expect("read"), Found::One(udl), "{name}");
        }
        assert!(
            matches!(r.find(RecordKind::Partner, "東北大学").expect("read"), Found::One(_)),
            "a Japanese name"
        );
        assert!(matches!(r.find(RecordKind::Partner, "Tohoku University").expect("read"), Found::One(_)));
        assert_eq!(r.find(RecordKind::Partner, "Université de Nulle Part").expect("read"), Found::Nothing);
        assert_eq!(r.find(RecordKind::Partner, &Uuid::nil().to_string()).expect("read"), Found::Nothing);
        r.alias(Uuid::nil(), udl);
        assert_eq!(
            r.find(RecordKind::Partner, &Uuid::nil().to_string()).expect("read"),
            Found::One(udl),
            "an alias"
        );
        let zhou = r.find(RecordKind::Contact, "min.zhou@universite-lyon.fr").expect("read");
        assert!(matches!(zhou, Found::One(_)), "a person by e-mail");
        assert_eq!(r.find(RecordKind::Contact, "MIN.ZHOU@universite-lyon.fr").expect("read"), zhou);
        assert_eq!(
            r.find(RecordKind::Contact, "周敏").expect("read"),
            Found::Many(2),
            "the demo has two 周敏"
        );
        let code = r.find(RecordKind::Agreement, "SE-FDU-LY3-2022").expect("read");
        assert!(matches!(code, Found::One(_)));
        assert_eq!(
            r.find(RecordKind::Agreement, "student exchange - Jean Moulin Lyon 3 and Fudan University")
                .expect("read"),
            code,
            "by title, punctuation aside"
        );
        assert_eq!(home_institution(&conn).expect("read"), Some(udl), "the demo's home institution");
    }

    #[test]
    fn a_person_is_named_unless_someone_else_is_written_the_same() {
        use crate::records::contact;
        let mut conn = workspace::demo_database();
        let clock = ManualClock::new();
        // A second person written as the demo's first one is.
        let first: Uuid = conn
            .query_row("SELECT id FROM contact_summary ORDER BY id LIMIT 1", [], |r| r.get(0))
            .expect("one");
        let mut namesake = contact::get(&conn, first).expect("read").input;
        namesake.emails.clear();
        namesake.phones.clear();
        crate::write(&mut conn, |tx| contact::create(tx, &clock, &namesake)).expect("a namesake");
        let people: Vec<(Uuid, String, String)> = conn
            .prepare("SELECT id, sort_name, name FROM contact_summary")
            .expect("statement")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("people")
            .collect::<rusqlite::Result<_>>()
            .expect("people");
        let mut written: HashMap<(String, String), usize> = HashMap::new();
        for (_, sort_name, name) in &people {
            *written.entry((sort_name.clone(), name.clone())).or_default() += 1;
        }
        let shared: Vec<Uuid> =
            people.iter().filter(|p| written[&(p.1.clone(), p.2.clone())] > 1).map(|p| p.0).collect();
        assert_eq!(shared.len(), 2, "the first person and their namesake");
        let by_index = shared_names_by_index(&conn, NAMESAKES).expect("read");
        assert_eq!(shared_names_counted(&conn, NAMESAKES, 0).expect("read"), by_index, "past the count");
        assert_eq!(shared_names(&conn, NAMESAKES).expect("read"), by_index);
        assert_eq!(by_index.map(|s| s.len()), Some(1));
        // Kept in a set, and (past the cap) asked person by person: the same names.
        for cap in [NAMESAKES, 0] {
            let mut r = Resolver::new(&conn);
            assert_eq!(r.namesakes(cap).expect("read").is_some(), cap > 0);
            for (id, sort_name, name) in &people {
                let expected = if written[&(sort_name.clone(), name.clone())] > 1 {
                    id.to_string()
                } else {
                    name.clone()
                };
                assert_eq!(name_of(&mut r, RecordKind::Contact, *id, UiLang::En).expect("named"), expected);
            }
            for id in &shared {
                assert_eq!(
                    name_of(&mut r, RecordKind::Contact, *id, UiLang::Fr).expect("named"),
                    id.to_string()
                );
            }
        }
    }
}
