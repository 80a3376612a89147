//! CSV and other delimited text: the encoding (byte-order mark, then UTF-8 validity, then `chardetng`)
//! and the delimiter (`,` `;` tab: the one that splits the first lines into equal, several-cell rows) are
//! detected unless given, then the file is decoded and split in one pass over a fixed-size buffer, so a
//! million-row file costs the memory of one row. Bytes invalid in the encoding, NUL bytes, a quote left
//! open and a cell over its limit are refused with their row; nothing is ever replaced by U+FFFD.

use std::io::{Read, Seek};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::{column_letter, file_error, Cell, Limits, Opened, Options, Record, Source};
use crate::error::Result;

/// How much of the file detection looks at.
const SNIFF_BYTES: usize = 64 * 1024;
/// How many lines delimiter detection compares.
const SNIFF_LINES: usize = 30;
/// How far a file that starts with plain ASCII is read for its first other byte.
const ASCII_SNIFF_BYTES: usize = 4 * 1024 * 1024;
const RAW_BUFFER: usize = 64 * 1024;
const TEXT_BUFFER: usize = 3 * RAW_BUFFER + 16;
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

pub(crate) fn open<R: Read + Seek + Send + 'static>(
    name: &str,
    mut reader: R,
    options: &Options,
    limits: &Limits,
) -> Result<Opened> {
    let read_error = |e: std::io::Error| file_error(name, None, None, format!("cannot be read: {e}"));
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    (&mut reader).take(SNIFF_BYTES as u64).read_to_end(&mut prefix).map_err(read_error)?;
    let whole = prefix.len() < SNIFF_BYTES;
    // A file whose first lines are plain ASCII tells its encoding further on, at its first accent.
    let mut sniff = prefix.clone();
    let mut sniff_whole = whole;
    let mut sniffed = sniff.len();
    while options.encoding.is_none() && !sniff_whole && sniff.is_ascii() && sniffed < ASCII_SNIFF_BYTES {
        sniff.clear();
        (&mut reader).take(SNIFF_BYTES as u64).read_to_end(&mut sniff).map_err(read_error)?;
        sniffed += sniff.len();
        sniff_whole = sniff.len() < SNIFF_BYTES;
    }
    let (encoding, detected) = match &options.encoding {
        Some(label) => match Encoding::for_label(label.trim().as_bytes()) {
            Some(encoding) => (encoding, false),
            None => {
                return Err(file_error(
                    name,
                    None,
                    None,
                    format!(
                        "“{label}” is not an encoding this reader knows: use UTF-8, UTF-16LE, UTF-16BE, \
                         windows-1252, GBK, GB18030, Shift_JIS or Big5"
                    ),
                ))
            }
        },
        None => (detect_encoding(&sniff, sniff_whole), true),
    };
    let delimiter = match options.delimiter {
        Some(d) if d.is_ascii() && !matches!(d, b'"' | b'\r' | b'\n') => d,
        Some(d) => {
            return Err(file_error(name, None, None, format!("byte {d:#04x} cannot be a delimiter")));
        }
        None => {
            let (sample, _, _) = encoding.decode(&prefix);
            detect_delimiter(&sample, whole)
        }
    };
    reader.rewind().map_err(read_error)?;
    let source = TextSource {
        name: name.to_owned(),
        reader,
        encoding,
        decoder: encoding.new_decoder_with_bom_removal(),
        decoder_done: false,
        raw: vec![0; RAW_BUFFER],
        raw_pos: 0,
        raw_len: 0,
        raw_eof: false,
        text: Vec::with_capacity(TEXT_BUFFER),
        text_pos: 0,
        malformed: None,
        delimiter,
        limits: *limits,
        row: 1,
        state: State::FieldStart,
        skip_lf: false,
        field: Vec::new(),
        cells: Vec::new(),
        column: 0,
        in_record: false,
        quote_row: 0,
    };
    Ok(Opened {
        encoding: Some(encoding.name().to_owned()),
        encoding_detected: detected,
        delimiter: Some(delimiter),
        sheets: Vec::new(),
        sheet: None,
        source: Box::new(source),
    })
}

/// The encoding of a text file from its first bytes: a byte-order mark says it outright; text that is
/// valid UTF-8 is UTF-8; otherwise `chardetng` guesses among the legacy encodings (windows-1252, GBK,
/// Shift_JIS, Big5…).
pub(crate) fn detect_encoding(prefix: &[u8], whole: bool) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(prefix) {
        return encoding;
    }
    if is_utf8(prefix, whole) {
        return UTF_8;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(prefix, whole);
    let guess = detector.guess(None, Utf8Detection::Allow);
    if guess == UTF_16BE || guess == UTF_16LE {
        return encoding_rs::WINDOWS_1252;
    }
    guess
}

/// Whether `bytes` are UTF-8, allowing a character cut at the end of a prefix.
fn is_utf8(bytes: &[u8], whole: bool) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => !whole && e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// The delimiter that splits the first lines into rows of one same number of cells, more than one; on a
/// tie the one giving more cells; `,` when none does.
pub(crate) fn detect_delimiter(sample: &str, whole: bool) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for &delimiter in &DELIMITERS {
        let counts = field_counts(sample.as_bytes(), delimiter, whole);
        let Some(&first) = counts.first() else { continue };
        if first < 2 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == first).count();
        // Score: rows agreeing with the header's count (as a share, in thousandths), then the count.
        let share = agreeing * 1000 / counts.len();
        if (share, first) > (best.1, best.2) {
            best = (delimiter, share, first);
        }
    }
    best.0
}

/// The number of cells of each of the first non-blank lines, quotes respected; the last line of a
/// cut prefix is left out.
fn field_counts(sample: &[u8], delimiter: u8, whole: bool) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut fields = 1usize;
    let mut in_quotes = false;
    let mut line_has_content = false;
    let mut i = 0;
    while i < sample.len() && counts.len() < SNIFF_LINES {
        let b = sample[i];
        if in_quotes {
            if b == b'"' {
                in_quotes = false;
            }
        } else if b == b'"' {
            in_quotes = true;
            line_has_content = true;
        } else if b == delimiter {
            fields += 1;
            line_has_content = true;
        } else if b == b'\n' || b == b'\r' {
            if line_has_content {
                counts.push(fields);
            }
            fields = 1;
            line_has_content = false;
        } else if !b.is_ascii_whitespace() {
            line_has_content = true;
        }
        i += 1;
    }
    if i == sample.len() && whole && line_has_content && counts.len() < SNIFF_LINES {
        counts.push(fields);
    }
    counts
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// The rows of a text file, decoded and split as they are read.
struct TextSource<R> {
    name: String,
    reader: R,
    encoding: &'static Encoding,
    decoder: Decoder,
    decoder_done: bool,
    raw: Vec<u8>,
    raw_pos: usize,
    raw_len: usize,
    raw_eof: bool,
    /// Decoded UTF-8 not yet split.
    text: Vec<u8>,
    text_pos: usize,
    /// Bytes the decoder refused, to report once the text before them is split.
    malformed: Option<Vec<u8>>,
    delimiter: u8,
    limits: Limits,
    /// The number of the row being read: quoted line breaks stay in their row, as a spreadsheet shows it.
    row: usize,
    state: State,
    skip_lf: bool,
    field: Vec<u8>,
    cells: Vec<Cell>,
    /// The index of the field being read (cells beyond the column limit are counted, not kept).
    column: usize,
    in_record: bool,
    quote_row: usize,
}

impl<R: Read + Send> Source for TextSource<R> {
    fn next_record(&mut self) -> Result<Option<Record>> {
        loop {
            if self.text_pos == self.text.len() && !self.refill()? {
                return self.finish();
            }
            let b = self.text[self.text_pos];
            self.text_pos += 1;
            if self.skip_lf {
                self.skip_lf = false;
                if b == b'\n' {
                    continue;
                }
            }
            self.in_record = true;
            match self.state {
                State::FieldStart | State::Unquoted => {
                    if b == self.delimiter {
                        self.end_field()?;
                        self.state = State::FieldStart;
                    } else if b == b'\n' || b == b'\r' {
                        self.skip_lf = b == b'\r';
                        return self.end_record().map(Some);
                    } else if b == b'"' && self.state == State::FieldStart {
                        self.state = State::Quoted;
                        self.quote_row = self.row;
                    } else {
                        self.push(b)?;
                        self.state = State::Unquoted;
                    }
                }
                State::Quoted => {
                    if b == b'"' {
                        self.state = State::QuoteInQuoted;
                    } else {
                        self.push(b)?;
                    }
                }
                State::QuoteInQuoted => {
                    if b == b'"' {
                        self.push(b)?;
                        self.state = State::Quoted;
                    } else if b == self.delimiter {
                        self.end_field()?;
                        self.state = State::FieldStart;
                    } else if b == b'\n' || b == b'\r' {
                        self.skip_lf = b == b'\r';
                        return self.end_record().map(Some);
                    } else {
                        // `"ab"c` reads as `abc`, as spreadsheets read it.
                        self.push(b)?;
                        self.state = State::Unquoted;
                    }
                }
            }
        }
    }
}

impl<R: Read> TextSource<R> {
    fn error(&self, column: Option<usize>, message: impl Into<String>) -> crate::Error {
        file_error(&self.name, Some(self.row), column.map(column_letter).as_deref(), message)
    }

    fn push(&mut self, b: u8) -> Result<()> {
        if b == 0 {
            return Err(self.error(
                Some(self.column),
                "holds a NUL byte: this is not a text file in the chosen encoding (a UTF-16 file without its \
                 byte-order mark? choose its encoding)",
            ));
        }
        if self.field.len() >= self.limits.cell_bytes {
            return Err(self.error(
                Some(self.column),
                format!("a cell is longer than {} bytes, the most a cell may hold", self.limits.cell_bytes),
            ));
        }
        self.field.push(b);
        Ok(())
    }

    fn end_field(&mut self) -> Result<()> {
        let bytes = std::mem::take(&mut self.field);
        let cell = if bytes.is_empty() {
            Cell::Empty
        } else {
            // Split only at ASCII bytes of decoder output: always whole UTF-8.
            Cell::Text(
                String::from_utf8(bytes).map_err(|_| self.error(Some(self.column), "is not valid text"))?,
            )
        };
        self.column += 1;
        if self.cells.len() >= self.limits.columns {
            if cell != Cell::Empty {
                return Err(self.error(
                    Some(self.column - 1),
                    format!("has more than {} columns, the most a file may have", self.limits.columns),
                ));
            }
            return Ok(());
        }
        self.cells.push(cell);
        Ok(())
    }

    fn end_record(&mut self) -> Result<Record> {
        self.end_field()?;
        let record = Record { number: self.row, cells: std::mem::take(&mut self.cells) };
        self.row += 1;
        self.column = 0;
        self.state = State::FieldStart;
        self.in_record = false;
        Ok(record)
    }

    fn finish(&mut self) -> Result<Option<Record>> {
        if matches!(self.state, State::Quoted) {
            return Err(file_error(
                &self.name,
                Some(self.quote_row),
                Some(&column_letter(self.column)),
                "a quote (\") opens a cell here and is never closed: the rest of the file would be one cell",
            ));
        }
        if self.in_record {
            return self.end_record().map(Some);
        }
        Ok(None)
    }

    /// Decodes the next stretch of the file into `text`; false at its end.
    fn refill(&mut self) -> Result<bool> {
        self.text.clear();
        self.text_pos = 0;
        if let Some(bad) = self.malformed.take() {
            let hex: Vec<String> = bad.iter().map(|b| format!("{b:02X}")).collect();
            return Err(self.error(
                Some(self.column),
                format!(
                    "holds bytes that are not {} text ({}): choose the file's encoding",
                    self.encoding.name(),
                    hex.join(" ")
                ),
            ));
        }
        self.text.resize(TEXT_BUFFER, 0);
        let mut written = 0;
        while written == 0 && !self.decoder_done {
            if self.raw_pos == self.raw_len && !self.raw_eof {
                self.raw_pos = 0;
                self.raw_len = read_some(&mut self.reader, &mut self.raw)
                    .map_err(|e| file_error(&self.name, None, None, format!("cannot be read: {e}")))?;
                self.raw_eof = self.raw_len == 0;
            }
            let src = &self.raw[self.raw_pos..self.raw_len];
            let (result, read, wrote) =
                self.decoder.decode_to_utf8_without_replacement(src, &mut self.text[written..], self.raw_eof);
            let consumed_to = self.raw_pos + read;
            written += wrote;
            match result {
                DecoderResult::InputEmpty => self.decoder_done = self.raw_eof,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, after) => {
                    let end = consumed_to - after as usize;
                    let start = end.saturating_sub(bad as usize).max(self.raw_pos.min(end));
                    self.malformed = Some(self.raw[start..end].to_vec());
                    self.decoder_done = true;
                }
            }
            self.raw_pos = consumed_to;
        }
        self.text.truncate(written);
        if written == 0 {
            if self.malformed.is_some() {
                return self.refill();
            }
            return Ok(false);
        }
        Ok(true)
    }
}

fn read_some<R: Read>(reader: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_says_the_encoding() {
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFNom;Pays\n", true), UTF_8);
        assert_eq!(detect_encoding(b"\xFF\xFEN\0o\0m\0", true), UTF_16LE);
        assert_eq!(detect_encoding(b"\xFE\xFF\0N\0o\0m", true), UTF_16BE);
    }

    #[test]
    fn utf8_text_is_utf8_even_cut_in_a_character() {
        assert_eq!(detect_encoding("Nom;Ville\nÉcole;Lyon\n".as_bytes(), true), UTF_8);
        let cut = &"Nom;Ville\nÉcole".as_bytes()[..11];
        assert!(is_utf8(cut, false));
        assert!(!is_utf8(cut, true));
    }

    #[test]
    fn legacy_encodings_are_guessed_from_their_bytes() {
        let (french, _, _) = encoding_rs::WINDOWS_1252.encode(
            "Nom;Ville;Montant\nÉcole normale supérieure;Lyon;1 350,50\nUniversité Lumière;Bron;20\n",
        );
        assert_eq!(detect_encoding(&french, true), encoding_rs::WINDOWS_1252);
        let (chinese, _, _) = encoding_rs::GBK
            .encode("名称,城市,国家\n复旦大学,上海,中国\n同济大学,上海,中国\n上海交通大学,上海,中国\n");
        assert_eq!(detect_encoding(&chinese, true), encoding_rs::GBK);
        let (japanese, _, _) = encoding_rs::SHIFT_JIS
            .encode("名称,都市,国\n東京大学,東京,日本\n京都大学,京都,日本\n大阪大学,大阪,日本\n");
        assert_eq!(detect_encoding(&japanese, true), encoding_rs::SHIFT_JIS);
    }

    #[test]
    fn the_delimiter_is_the_one_giving_equal_rows() {
        assert_eq!(detect_delimiter("Nom;Montant\nA;1 350,50\nB;2,5\n", true), b';');
        assert_eq!(detect_delimiter("name,city\nFudan,Shanghai\n", true), b',');
        assert_eq!(detect_delimiter("name\tcity\tnote\nA\tB\t\"x, y; z\"\n", true), b'\t');
        assert_eq!(detect_delimiter("name,note\n\"a\",\"line one;\nline two; three\"\n", true), b',');
        assert_eq!(detect_delimiter("single column\nvalue\n", true), b',');
        assert_eq!(detect_delimiter("   \n\t\nNom;Pays\nA;B\n", true), b';');
    }

    #[test]
    fn a_cut_last_line_does_not_count() {
        assert_eq!(field_counts(b"a;b\nc;d\ne", b';', false), vec![2, 2]);
        assert_eq!(field_counts(b"a;b\nc;d\ne", b';', true), vec![2, 2, 1]);
    }
}
