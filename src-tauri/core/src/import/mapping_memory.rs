//! Mappings chosen by hand, remembered on this laptop (never synced) for the next file of the same kind
//! with the same headers — the same after folding case, accents and spaces, in the same order.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::error::Result;
use crate::text::fold;

use super::record::Kind;

/// The key of a header list: its headers folded and trimmed, in order, hashed.
pub fn headers_hash(headers: &[String]) -> String {
    let mut hash = Sha256::new();
    for header in headers {
        let folded: String = fold(header).split_whitespace().collect::<Vec<_>>().join(" ");
        hash.update(folded.as_bytes());
        hash.update([0x1f]);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The mapping (header → field) remembered for files of `kind` with these headers, if any.
pub fn recall(conn: &Connection, kind: Kind, headers: &[String]) -> Result<Option<Vec<(String, String)>>> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT mapping FROM import_mapping WHERE kind = ?1 AND headers_hash = ?2")?
        .query_row(params![kind.table(), headers_hash(headers)], |r| r.get(0))
        .optional()?;
    let Some(stored) = stored else { return Ok(None) };
    // A mapping this version cannot read is forgotten rather than an error: it was only a suggestion.
    Ok(serde_json::from_str::<Vec<(String, String)>>(&stored).ok())
}

/// Remembers `mapping` (header → field, only the columns mapped by hand) for files of `kind` with these
/// headers; an empty mapping forgets it.
pub fn remember(
    conn: &Connection,
    clock: &dyn Clock,
    kind: Kind,
    headers: &[String],
    mapping: &[(String, String)],
) -> Result<()> {
    let hash = headers_hash(headers);
    if mapping.is_empty() {
        conn.execute(
            "DELETE FROM import_mapping WHERE kind = ?1 AND headers_hash = ?2",
            params![kind.table(), hash],
        )?;
        return Ok(());
    }
    conn.execute(
        "INSERT OR REPLACE INTO import_mapping (kind, headers_hash, headers, mapping, saved_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            kind.table(),
            hash,
            serde_json::to_string(headers)?,
            serde_json::to_string(mapping)?,
            clock.now().to_rfc3339()
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn a_mapping_is_recalled_for_the_same_headers_written_otherwise_and_only_for_them() {
        let conn = crate::open_in_memory().expect("db");
        let clock = ManualClock::default();
        let headers: Vec<String> = vec!["Nom".into(), "Pays".into(), "Établissement parent".into()];
        let mapping = vec![("Établissement parent".to_owned(), "parent".to_owned())];
        remember(&conn, &clock, Kind::Partner, &headers, &mapping).expect("remembered");
        let same: Vec<String> = vec!["NOM ".into(), "pays".into(), "Etablissement  parent".into()];
        assert_eq!(recall(&conn, Kind::Partner, &same).expect("read"), Some(mapping));
        assert_eq!(recall(&conn, Kind::Contact, &same).expect("read"), None, "per kind");
        let other: Vec<String> = vec!["Nom".into(), "Pays".into()];
        assert_eq!(recall(&conn, Kind::Partner, &other).expect("read"), None, "per header list");
        remember(&conn, &clock, Kind::Partner, &headers, &[]).expect("forgotten");
        assert_eq!(recall(&conn, Kind::Partner, &headers).expect("read"), None);
    }
}
