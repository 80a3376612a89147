//! The fonts a PDF report is typeset with: Inter, bundled with the crate, for Latin text (so a report never
//! depends on what a computer has for its own words), and the system's fonts for Chinese, Japanese, Korean
//! and every other script. Loading reads only what each font file says of itself (its family, style and the
//! characters it covers); a font's data is read when a report uses it, and let go with that report.
//! [`Fonts::missing`] says which script of a report no font covers, so a PDF is refused rather than written
//! with empty boxes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use unicode_script::{Script, UnicodeScript};

use liaison_core::report::{Report, Value};

/// Inter (SIL Open Font License, fonts/OFL.txt), the UI's typeface.
const INTER: [&[u8]; 3] = [
    include_bytes!("../fonts/Inter-Regular.otf"),
    include_bytes!("../fonts/Inter-Bold.otf"),
    include_bytes!("../fonts/Inter-Italic.otf"),
];

/// Where a face's data is.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Bundled(&'static [u8]),
    /// A file of the system's, and the face's index in it (a .ttc holds several).
    File(PathBuf, u32),
}

/// Every font a report may use: their book (what typst chooses from) and where each face's data is.
pub struct Fonts {
    pub(crate) book: LazyHash<FontBook>,
    pub(crate) sources: Vec<Source>,
    infos: Vec<FontInfo>,
    /// The system's font files read, for the docs and tests.
    files: usize,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").field("faces", &self.sources.len()).field("files", &self.files).finish()
    }
}

impl Fonts {
    /// The bundled fonts and the system's, read once per process (about a tenth of a second for a hundred
    /// font files) and kept: only their descriptions, not their data.
    pub fn load() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::from_dirs(&system_dirs()))
    }

    /// The bundled fonts and those found under `dirs` (and their subfolders).
    pub fn from_dirs(dirs: &[PathBuf]) -> Fonts {
        let mut fonts =
            Fonts { book: LazyHash::new(FontBook::new()), sources: Vec::new(), infos: Vec::new(), files: 0 };
        let mut book = FontBook::new();
        for data in INTER {
            for info in FontInfo::iter(data) {
                fonts.sources.push(Source::Bundled(data));
                book.push(info.clone());
                fonts.infos.push(info);
            }
        }
        let mut files = Vec::new();
        for dir in dirs {
            font_files(dir, 0, &mut files);
        }
        files.sort();
        files.dedup();
        for path in files {
            let Ok(data) = std::fs::read(&path) else { continue };
            fonts.files += 1;
            for index in 0..faces_in(&data) {
                let Some(info) = FontInfo::new(&data, index) else { continue };
                fonts.sources.push(Source::File(path.clone(), index));
                book.push(info.clone());
                fonts.infos.push(info);
            }
        }
        fonts.book = LazyHash::new(book);
        fonts
    }

    /// How many faces there are, the bundled ones included.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The font families known, lowercased, for a look at what a computer has.
    pub fn families(&self) -> BTreeSet<String> {
        self.infos.iter().map(|i| i.family.clone()).collect()
    }

    /// The first text of `report` holding characters no font covers, with their script ("Tibetan: བོད"),
    /// or `None` when every character has a font.
    pub fn missing(&self, report: &Report) -> Option<Missing> {
        let mut seen = BTreeSet::new();
        let mut missing = None;
        each_text(report, &mut |text| {
            if missing.is_some() {
                return;
            }
            for c in text.chars() {
                if ignorable(c) || !seen.insert(c) {
                    continue;
                }
                if !self.covers(c) {
                    missing = Some(Missing { script: script_name(c), character: c, text: text.to_owned() });
                    return;
                }
            }
        });
        missing
    }

    fn covers(&self, c: char) -> bool {
        self.infos.iter().any(|info| info.coverage.contains(u32::from(c)))
    }

    /// The data of face `index`, read from its file when it is one of the system's.
    pub(crate) fn font(&self, index: usize, files: &mut FileCache) -> Option<Font> {
        match self.sources.get(index)? {
            Source::Bundled(data) => Font::new(Bytes::new(*data), 0),
            Source::File(path, face) => Font::new(files.read(path)?, *face),
        }
    }
}

/// A script no font covers, and where in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// In English, from Unicode's names: "Tibetan", "Ethiopic"; `None` for a character of no script (a
    /// symbol, a code point Unicode has not assigned).
    pub script: Option<String>,
    pub character: char,
    /// The report's text (a name, a title) it is in.
    pub text: String,
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (c, text) = (self.character, &self.text);
        match &self.script {
            Some(script) => write!(
                f,
                "no font on this computer has the {script} characters of “{text}” ({c}): install a font for \
                 {script} (Noto Sans {script} has them) and write the PDF again, or write the report as XLSX"
            ),
            None => write!(
                f,
                "no font on this computer has the character U+{:04X} of “{text}”: install a font that has it \
                 and write the PDF again, or write the report as XLSX",
                u32::from(c)
            ),
        }
    }
}

/// The font files one report has read, each once, let go when the report is written.
#[derive(Default)]
pub(crate) struct FileCache {
    read: Vec<(PathBuf, Option<Bytes>)>,
}

impl FileCache {
    fn read(&mut self, path: &Path) -> Option<Bytes> {
        if let Some((_, data)) = self.read.iter().find(|(p, _)| p == path) {
            return data.clone();
        }
        let data = std::fs::read(path).ok().map(Bytes::new);
        self.read.push((path.to_owned(), data.clone()));
        data
    }
}

/// Where Linux, macOS and Windows keep fonts, the system's and the user's.
fn system_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(target_os = "macos") {
        dirs.extend(["/System/Library/Fonts", "/Library/Fonts"].map(PathBuf::from));
        // Recent macOS versions keep some system fonts (PingFang among them) as downloaded assets.
        if let Ok(assets) = std::fs::read_dir("/System/Library/AssetsV2") {
            dirs.extend(assets.flatten().map(|e| e.path()).filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("com_apple_MobileAsset_Font"))
            }));
        }
        dirs.extend(home.map(|h| h.join("Library/Fonts")));
    } else if cfg!(windows) {
        let windir = std::env::var_os("WINDIR").or_else(|| std::env::var_os("SystemRoot"));
        dirs.push(windir.map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from).join("Fonts"));
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(PathBuf::from(local).join(r"Microsoft\Windows\Fonts"));
        }
    } else {
        dirs.extend(["/usr/share/fonts", "/usr/local/share/fonts"].map(PathBuf::from));
        let data_home = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".local/share")));
        dirs.extend(data_home.map(|d| d.join("fonts")));
        dirs.extend(home.map(|h| h.join(".fonts")));
    }
    dirs
}

/// The font files under `dir`, a few folders deep (fonts are sorted by format and family, rarely deeper).
fn font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() || (kind.is_symlink() && path.is_dir()) {
            if depth < 6 {
                font_files(&path, depth + 1, out);
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
}

/// How many faces a font file holds: a collection (.ttc, .otc) says so in its header.
fn faces_in(data: &[u8]) -> u32 {
    match data {
        [b't', b't', b'c', b'f', _, _, _, _, a, b, c, d, ..] => u32::from_be_bytes([*a, *b, *c, *d]).min(256),
        _ => 1,
    }
}

/// Every text a report's PDF shows.
fn each_text(report: &Report, see: &mut impl FnMut(&str)) {
    see(&report.title);
    see(&report.workspace);
    see(&report.date);
    for line in &report.filters {
        see(&line.label);
        see(&line.value);
    }
    let value = |v: &Value, see: &mut dyn FnMut(&str)| {
        if let Value::Text(t) = v {
            see(t);
        }
    };
    for figure in &report.figures {
        see(&figure.label);
        value(&figure.value, see);
    }
    for section in &report.sections {
        see(&section.title);
        if let Some(note) = &section.note {
            see(note);
        }
        for column in &section.columns {
            see(&column.label);
        }
        for row in section.rows.iter().take(crate::MAX_ROWS).chain(section.total.iter()) {
            for v in row {
                value(v, see);
            }
        }
        if let Some(chart) = &section.chart {
            see(&chart.title);
        }
    }
}

/// Characters drawn as nothing (spaces, joiners, variation selectors): no font needs to have them.
fn ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(u32::from(c), 0x00AD | 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

fn script_name(c: char) -> Option<String> {
    match c.script() {
        Script::Common | Script::Inherited | Script::Unknown => None,
        script => Some(script.full_name().replace('_', " ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_fonts_cover_latin_text_and_nothing_covers_an_unassigned_character() {
        let fonts = Fonts::from_dirs(&[]);
        assert_eq!(fonts.len(), 3);
        assert!(fonts.families().contains("Inter"), "{:?}", fonts.families());
        for c in "São Paulo, Université — Chiffres clés: 25,0 % “ok” ’ …".chars() {
            assert!(ignorable(c) || fonts.covers(c), "{c:?}");
        }
        assert!(!fonts.covers('\u{0F56}'));
    }

    #[test]
    fn a_script_no_font_covers_is_named_with_the_text_it_is_in() {
        let fonts = Fonts::from_dirs(&[]);
        let mut report = crate::tests::sample(liaison_core::label::UiLang::Fr, 3);
        report.sections.truncate(1);
        report.sections[0].rows = vec![vec![Value::from("Université de São Paulo")]];
        assert_eq!(fonts.missing(&report), None);
        report.sections[0].rows.push(vec![Value::from("བོད་ལྗོངས་སློབ་གྲྭ་ཆེན་མོ")]);
        let missing = fonts.missing(&report).expect("Tibetan has no font here");
        assert_eq!(missing.script.as_deref(), Some("Tibetan"));
        assert_eq!(missing.text, "བོད་ལྗོངས་སློབ་གྲྭ་ཆེན་མོ");
    }
}
