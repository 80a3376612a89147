//! The state digest: a hash of the content of every synced table, computed canonically (tables in code
//! order, rows by id, every column in registry order, each value tagged by type), so two replicas hold the
//! same data exactly when their digests are equal. Short enough to compare over the phone.

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::oplog::SYNCED_TABLES;

/// The digest as 16 groups of four hexadecimal digits (the whole SHA-256).
pub fn digest(conn: &Connection) -> Result<String> {
    let mut sha = Sha256::new();
    let mut tables: Vec<_> = SYNCED_TABLES.iter().collect();
    tables.sort_by_key(|t| t.code);
    for spec in tables {
        sha.update([0xFF, spec.code]);
        let sql = format!("SELECT id, {} FROM {} ORDER BY id", spec.columns.join(", "), spec.name);
        let mut stmt = conn.prepare(&sql)?;
        let width = spec.columns.len() + 1;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            sha.update([0xFE]);
            for i in 0..width {
                match row.get_ref(i)? {
                    ValueRef::Null => sha.update([0]),
                    ValueRef::Integer(v) => {
                        sha.update([1]);
                        sha.update(v.to_le_bytes());
                    }
                    ValueRef::Real(v) => {
                        sha.update([2]);
                        sha.update(v.to_bits().to_le_bytes());
                    }
                    ValueRef::Text(v) => {
                        sha.update([3]);
                        sha.update((v.len() as u64).to_le_bytes());
                        sha.update(v);
                    }
                    ValueRef::Blob(v) => {
                        sha.update([4]);
                        sha.update((v.len() as u64).to_le_bytes());
                        sha.update(v);
                    }
                }
            }
        }
    }
    let bytes = sha.finalize();
    Ok(bytes.chunks(2).map(|p| format!("{:02X}{:02X}", p[0], p[1])).collect::<Vec<_>>().join("-"))
}
