//! The search index: one document per record (its names, and the rest), indexed by trigrams for substrings
//! of three or more characters and by words (with every CJK character and pair) for shorter terms, ignoring
//! case and accents. Records write their documents here; lists filter by it; the global search ranks it.

use rusqlite::types::Value;
use rusqlite::{params, CachedStatement, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;
use crate::text::{is_cjk, with_cjk_grams};

/// Indexes (or re-indexes) one record: `head` holds its names, `body` the rest. Words of the body are always
/// indexed; its substrings only with `body_substrings` (a person's e-mail needs no substring index, and half a
/// million of them would be a good part of the database).
pub fn put(
    conn: &Connection,
    entity: &str,
    id: Uuid,
    head: &str,
    body: &str,
    body_substrings: bool,
) -> Result<()> {
    Writer::new(conn)?.put(entity, id, head, body, body_substrings)
}

/// Drops a record from the index (deleted records are not found).
pub fn remove(conn: &Connection, id: Uuid) -> Result<()> {
    Writer::new(conn)?.remove(id)
}

/// The index's statements, prepared once for a run of records: a sync or bulk write indexes thousands, and
/// looking each statement up again per record was a visible part of it.
pub struct Writer<'c> {
    conn: &'c Connection,
    doc_of: CachedStatement<'c>,
    new_doc: CachedStatement<'c>,
    drop_doc: CachedStatement<'c>,
    drop_long: CachedStatement<'c>,
    drop_short: CachedStatement<'c>,
    put_long: CachedStatement<'c>,
    put_short: CachedStatement<'c>,
}

impl<'c> Writer<'c> {
    pub fn new(conn: &'c Connection) -> Result<Self> {
        Ok(Writer {
            conn,
            doc_of: conn.prepare_cached("SELECT doc FROM search_doc WHERE entity_id = ?1")?,
            // Not `RETURNING doc`: a statement that returns rows keeps a statement journal, and opening one
            // makes the full-text tables write out what they hold in memory, for every record.
            new_doc: conn.prepare_cached("INSERT INTO search_doc (entity, entity_id) VALUES (?1, ?2)")?,
            drop_doc: conn.prepare_cached("DELETE FROM search_doc WHERE doc = ?1")?,
            drop_long: conn.prepare_cached("DELETE FROM search_long WHERE rowid = ?1")?,
            drop_short: conn.prepare_cached("DELETE FROM search_short WHERE rowid = ?1")?,
            put_long: conn
                .prepare_cached("INSERT INTO search_long (rowid, head, body) VALUES (?1, ?2, ?3)")?,
            put_short: conn
                .prepare_cached("INSERT INTO search_short (rowid, head, body) VALUES (?1, ?2, ?3)")?,
        })
    }

    /// [`put`] with the statements held.
    pub fn put(
        &mut self,
        entity: &str,
        id: Uuid,
        head: &str,
        body: &str,
        body_substrings: bool,
    ) -> Result<()> {
        let doc: Option<i64> = self.doc_of.query_row(params![id], |r| r.get(0)).optional()?;
        let doc = match doc {
            Some(doc) => {
                self.drop_long.execute(params![doc])?;
                self.drop_short.execute(params![doc])?;
                doc
            }
            None => {
                self.new_doc.execute(params![entity, id])?;
                self.conn.last_insert_rowid()
            }
        };
        self.put_long.execute(params![doc, head, if body_substrings { body } else { "" }])?;
        self.put_short.execute(params![doc, with_cjk_grams(head), with_cjk_grams(body)])?;
        Ok(())
    }

    /// [`remove`] with the statements held.
    pub fn remove(&mut self, id: Uuid) -> Result<()> {
        let doc: Option<i64> = self.doc_of.query_row(params![id], |r| r.get(0)).optional()?;
        if let Some(doc) = doc {
            self.drop_long.execute(params![doc])?;
            self.drop_short.execute(params![doc])?;
            self.drop_doc.execute(params![doc])?;
        }
        Ok(())
    }
}

/// A common table expression `hits(doc, rank)` of the documents matching a query (lower rank is better),
/// with its arguments; `None` for a blank query. Join `search_doc` on `doc` for the record.
pub struct Hits {
    pub cte: String,
    pub args: Vec<Value>,
}

fn quoted(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Builds the matching for `query`: every whitespace-separated term must match, in any order.
///
/// Latin-script queries match words first (`sao paulo`, the last word possibly unfinished: `universite de
/// mont`), through the word index; only when no record has such words do they fall back to substrings
/// (`univ ottawa`, `q1eq0` inside an identifier). Queries with
/// Chinese or Japanese characters always match substrings, since those scripts do not separate words.
/// A query is read up to this many characters (a search box never needs more) …
pub const QUERY_MAX_CHARS: usize = 200;
/// … and up to this many distinct words: each word is one more index match to intersect, and a pasted page
/// of text (20,000 words) would otherwise hold the database for minutes.
pub const QUERY_MAX_TERMS: usize = 8;

/// The words of a query that are searched: its first distinct ones, within the limits above.
fn terms_of(query: &str) -> Vec<&str> {
    let capped = query.char_indices().nth(QUERY_MAX_CHARS).map_or(query, |(at, _)| &query[..at]);
    let mut terms: Vec<&str> = Vec::new();
    for term in capped.split_whitespace() {
        if !terms.contains(&term) {
            terms.push(term);
            if terms.len() == QUERY_MAX_TERMS {
                break;
            }
        }
    }
    terms
}

pub fn hits(conn: &Connection, query: &str) -> Result<Option<Hits>> {
    let terms = terms_of(query);
    if terms.is_empty() {
        return Ok(None);
    }
    let (long, short): (Vec<&str>, Vec<&str>) = terms.iter().partition(|t| t.chars().count() >= 3);
    let prefixes =
        |terms: &[&str]| terms.iter().map(|t| format!("{}*", quoted(t))).collect::<Vec<_>>().join(" AND ");
    if long.is_empty() {
        // Every term is a prefix here: "li we" also finds Wei LIU, after Wei LI.
        return Ok(Some(word_hits(&terms, prefixes(&short), terms.len() > 1)));
    }
    let mut substrings =
        "SELECT rowid, bm25(search_long, 10.0, 1.0) FROM search_long WHERE search_long MATCH ?".to_owned();
    let mut args = vec![Value::Text(long.iter().map(|t| quoted(t)).collect::<Vec<_>>().join(" AND "))];
    if !short.is_empty() {
        // The unary + keeps SQLite from handing `rowid IN` to FTS5, which would rerun the whole match
        // once per candidate row (seconds instead of milliseconds at 100,000 records).
        substrings.push_str(" AND +rowid IN (SELECT rowid FROM search_short WHERE search_short MATCH ?)");
        args.push(Value::Text(prefixes(&short)));
    }
    let substring_hits = Hits { cte: format!("hits(doc, rank) AS ({substrings})"), args };
    if terms.iter().any(|t| t.chars().any(is_cjk)) {
        return Ok(Some(substring_hits));
    }
    // Whole words, but the last term may be a word still being typed. Short words before it ("de", "of")
    // are in nearly every name: they would cost much and select little, so the word match leaves them out.
    let last = terms.len() - 1;
    let words_of = |last_is_prefix: bool| {
        terms
            .iter()
            .enumerate()
            .filter(|(i, t)| *i == last || t.chars().count() >= 3)
            .map(|(i, t)| if i == last && last_is_prefix { format!("{}*", quoted(t)) } else { quoted(t) })
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let all_words = words_of(true);
    let dropped = terms[..last].iter().any(|t| t.chars().count() < 3);
    // Deciding here, with a cheap probe, keeps SQLite from running the substring match it won't need. The
    // whole last word is probed first: a prefix costs a merge of every word it begins (`wang*` at 500,000
    // people: 12 ms against 1 ms), and whole words usually match.
    let mut probe =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM search_short WHERE search_short MATCH ?1)")?;
    let any_word = probe.query_row(params![words_of(false)], |r| r.get::<_, bool>(0))?
        || probe.query_row(params![all_words], |r| r.get::<_, bool>(0))?;
    if any_word {
        Ok(Some(word_hits(&terms, all_words, dropped)))
    } else {
        Ok(Some(substring_hits))
    }
}

/// The matches of `query` in the word index, those whose names hold every term as a whole word first
/// ("wei li": Wei LI before Wei LIU). With `begun`, when the match left out short words or took every term
/// as a prefix (see [`hits`]), names holding the other terms whole and beginning a word with the last come
/// next: "Li Wei" finds every Wei, but Prof. Wei LI first, and so does "li we" while it is typed. Otherwise
/// that group would be the match itself, and its prefix would cost one more merge of every word it begins
/// (see docs/performance.md).
fn word_hits(terms: &[&str], query: String, begun: bool) -> Hits {
    let last = terms.len() - 1;
    let named = |last_is_prefix: bool| {
        let all = terms
            .iter()
            .enumerate()
            .map(|(i, t)| if i == last && last_is_prefix { format!("{}*", quoted(t)) } else { quoted(t) })
            .collect::<Vec<_>>()
            .join(" AND ");
        Value::Text(format!("head : ({all})"))
    };
    let mut args = vec![named(false)];
    let (begun_cte, begun_case) = if begun {
        args.push(named(true));
        (
            "begun(doc) AS MATERIALIZED (SELECT rowid FROM search_short WHERE search_short MATCH ?),",
            "WHEN +rowid IN begun THEN 1000000.0",
        )
    } else {
        ("", "")
    };
    args.push(Value::Text(query));
    // BM25 scores stay far within a million either way, so the offsets order the groups and BM25 orders
    // each group. The names' matches are gathered once (MATERIALIZED), not per candidate row.
    let cte = format!(
        "named(doc) AS MATERIALIZED (SELECT rowid FROM search_short WHERE search_short MATCH ?), {begun_cte}
         hits(doc, rank) AS (SELECT rowid, bm25(search_short, 10.0, 1.0)
           - CASE WHEN +rowid IN named THEN 2000000.0 {begun_case} ELSE 0.0 END
           FROM search_short WHERE search_short MATCH ?)"
    );
    Hits { cte, args }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Entity {
    Partner,
    Contact,
    Agreement,
    Call,
    Application,
    Project,
    Event,
    /// A person's exchange, listed after the person it was found through.
    Exchange,
    /// A cohort of exchanges (its title is its name): opens the exchange list filtered to it.
    Cohort,
}

/// A list narrowed to the search matches of one kind of record: the `WITH` clause and its arguments, the
/// `FROM` joining the matches to `table AS alias`, and the condition on the kind. Order by `hits.rank` first.
pub struct Matches {
    pub with: String,
    pub args: Vec<Value>,
    pub from: String,
    pub condition: String,
}

/// The matches of `query` among the records of `entity` (stored in `table`); `None` for a blank query.
pub fn matches(
    conn: &Connection,
    query: Option<&str>,
    entity: &str,
    table: &str,
    alias: &str,
) -> Result<Option<Matches>> {
    Ok(query.map(|q| hits(conn, q)).transpose()?.flatten().map(|hits| Matches {
        with: format!("WITH {} ", hits.cte),
        args: hits.args,
        from: format!(
            "hits JOIN search_doc d ON d.doc = hits.doc JOIN {table} {alias} ON {alias}.id = d.entity_id"
        ),
        condition: format!("d.entity = '{entity}'"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_page_is_searched_by_its_first_distinct_words() {
        let page = "un deux ".repeat(10_000) + "trois quatre cinq six sept huit neuf dix";
        assert_eq!(terms_of(&page), ["un", "deux"], "repeats count once; the rest is past the length cap");
        let many = "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10";
        assert_eq!(terms_of(many).len(), QUERY_MAX_TERMS);
        let long = "京".repeat(QUERY_MAX_CHARS + 50);
        assert_eq!(terms_of(&long)[0].chars().count(), QUERY_MAX_CHARS, "cut on a character, not a byte");
    }
}
