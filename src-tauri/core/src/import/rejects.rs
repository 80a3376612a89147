//! The rows an import left out, as a CSV file to fix and import again: the file's own columns, cell for
//! cell, and a last column saying why each row was refused ("Reason", or "Raison" for a French file).
//! Written whole or not at all ([`crate::files::write_atomically`]), once the import has committed.

use std::path::Path;

use crate::error::{Error, Result};
use crate::table::Cell;
use crate::text::fold;

use super::plan::RowError;

/// The rejected rows, gathered as the import runs (only they are kept, never the whole file).
pub struct Rejects {
    csv: csv::Writer<Vec<u8>>,
    rows: usize,
}

/// Words that say a file's headers are French.
const FRENCH: &[&str] = &[
    "nom",
    "pays",
    "ville",
    "sigle",
    "site web",
    "date",
    "etablissement",
    "prenom",
    "raison",
    "intitule",
    "annee",
    "statut",
];

/// "Raison" for a file whose headers are French, else "Reason".
pub fn reason_header(headers: &[String]) -> &'static str {
    let french = headers
        .iter()
        .map(|h| fold(h))
        .any(|h| FRENCH.iter().any(|w| h.split([' ', '_', '-']).any(|part| part == *w) || h == *w));
    if french {
        "Raison"
    } else {
        "Reason"
    }
}

impl Rejects {
    pub fn new(headers: &[String], delimiter: u8) -> Result<Rejects> {
        let mut csv = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
        let mut header: Vec<String> = headers.to_vec();
        header.push(reason_header(headers).to_owned());
        csv.write_record(&header).map_err(csv_error)?;
        Ok(Rejects { csv, rows: 0 })
    }

    /// Adds a refused row: its cells as read and the reasons, one a line.
    pub fn add(&mut self, cells: &[Cell], errors: &[RowError]) -> Result<()> {
        // The cells go back as the user wrote them (no formula guard): it is their own file to fix and
        // import again, and a prefix would change the values imported.
        let mut line: Vec<String> = cells.iter().map(text).collect();
        let reasons: Vec<String> = errors
            .iter()
            .map(|e| match &e.column {
                Some(column) => format!("{column}: {}", e.message),
                None => e.message.clone(),
            })
            .collect();
        line.push(reasons.join("\n"));
        self.csv.write_record(&line).map_err(csv_error)?;
        self.rows += 1;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Writes the file (UTF-8 with a byte-order mark, so Excel reads its accents).
    pub fn write(self, path: &Path) -> Result<()> {
        let body = self.csv.into_inner().map_err(|e| Error::Io(e.into_error()))?;
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(body);
        crate::files::write_atomically(path, &bytes)
    }
}

fn csv_error(e: csv::Error) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

/// A cell as text in a CSV: numbers without a needless `.0`, dates as `yyyy-mm-dd`.
pub fn text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) | Cell::Error(t) => t.clone(),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::DateTime(d) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_row_keeps_its_cells_and_says_why_in_the_files_language() {
        let headers: Vec<String> = vec!["Nom".into(), "Pays".into()];
        let mut rejects = Rejects::new(&headers, b';').expect("new");
        let errors = vec![RowError::new(
            3,
            Some("Pays".into()),
            crate::columns::Problem::new("not_a_country", "“Chinee” is not a country"),
        )];
        rejects
            .add(&[Cell::Text("Fudan; Shanghai".into()), Cell::Text("Chinee".into())], &errors)
            .expect("added");
        assert_eq!(rejects.len(), 1);
        let dir = std::env::temp_dir().join(format!("liaison-rejects-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("rejects.csv");
        rejects.write(&path).expect("written");
        let written = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            written,
            "\u{feff}Nom;Pays;Raison\n\"Fudan; Shanghai\";Chinee;Pays: “Chinee” is not a country\n"
        );
        assert_eq!(reason_header(&["Name".into(), "Country".into()]), "Reason");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
