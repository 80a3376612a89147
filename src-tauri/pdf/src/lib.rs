//! Reports as typeset PDF: any [`Report`] laid out on A4 by typst, used as a library, from one template
//! (report.typ) that reads the report as JSON data, so no text of a report is ever read as markup. A title
//! page, then each section's vector chart and its table, the header repeated on every page a table runs
//! over, page numbers. Every character has a font or the PDF is refused ([`Error::NoFont`]): never a page
//! of empty boxes. A crate of its own, so the core builds without typst.

mod fonts;
mod world;

use std::io::Write;
use std::path::Path;

use liaison_core::job::Job;
use liaison_core::report::Report;
use typst_layout::PagedDocument;

pub use fonts::{Fonts, Missing};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A text of the report is in a script no font of this computer has.
    #[error("{0}")]
    NoFont(Missing),
    /// typst refused the document: a fault of the template, never of the user's data.
    #[error("the PDF could not be typeset: {0}")]
    Typeset(String),
    #[error(transparent)]
    Core(#[from] liaison_core::Error),
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Error {
        Error::Core(e.into())
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// The rows of a table a PDF shows; a longer table ends with a line saying how many more the XLSX holds
/// (its total still counts them all). 500 rows are ten to twenty pages; the zone report of a workspace of a
/// million exchanges would otherwise be two thousand pages and take minutes (docs/reports.md).
pub const MAX_ROWS: usize = 500;

/// The report's JSON as the template reads it: each table's first [`MAX_ROWS`] rows, `omitted`, the
/// number of rows left out, `kana_or_hangul`, whether any row holds Japanese kana or Korean hangul or a
/// name written in Japanese, and `japanese_cells`, the texts that hold such a name (as a dictionary's keys).
fn shown(report: &Report) -> Result<serde_json::Value> {
    let mut value = serde_json::to_value(report)?;
    let mut ja_cells = serde_json::Map::new();
    if let Some(sections) = value.get_mut("sections").and_then(serde_json::Value::as_array_mut) {
        for section in sections {
            let Some(rows) = section.get_mut("rows").and_then(serde_json::Value::as_array_mut) else {
                continue;
            };
            let omitted = rows.len().saturating_sub(MAX_ROWS);
            rows.truncate(MAX_ROWS);
            section["omitted"] = omitted.into();
            // Whether a cell may need Japanese or Korean fonts: the template then looks at each cell (a
            // regular expression per cell, 40% of a long table's time), else at none.
            let japanese =
                section.get("rows").map(|rows| japanese_cells(rows, &report.japanese, &mut ja_cells));
            let marked = japanese.unwrap_or(false) || section.get("rows").is_some_and(has_kana_or_hangul);
            section["kana_or_hangul"] = marked.into();
        }
    }
    value["japanese_cells"] = serde_json::Value::Object(ja_cells);
    Ok(value)
}

/// Records in `cells` each text of `value` that holds one of `names` (the report's names written in
/// Japanese in Han characters alone, which the template cannot tell from Chinese); whether any did.
fn japanese_cells(
    value: &serde_json::Value,
    names: &[String],
    cells: &mut serde_json::Map<String, serde_json::Value>,
) -> bool {
    match value {
        serde_json::Value::String(text) if names.iter().any(|n| text.contains(n.as_str())) => {
            cells.insert(text.clone(), true.into());
            true
        }
        serde_json::Value::Array(values) => {
            // Every value, not only up to the first: each text that holds a name is recorded.
            let mut any = false;
            for v in values {
                any |= japanese_cells(v, names, cells);
            }
            any
        }
        _ => false,
    }
}

/// `report` as a PDF document, typeset with `fonts`.
pub fn render(report: &Report, fonts: &Fonts) -> Result<Vec<u8>> {
    let (world, document) = typeset_in(report, fonts)?;
    let options = typst_pdf::PdfOptions { timestamp: world.timestamp(), ..Default::default() };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| typeset_error(&world, &errors));
    // typst memoises across documents; a report's layout is not worth keeping in the app's memory.
    typst::comemo::evict(0);
    pdf
}

fn has_kana_or_hangul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(text) => {
            // Kana (and their extensions), hangul jamo and syllables.
            text.chars().any(|c| {
                matches!(
                    u32::from(c),
                    0x3040..=0x30FF | 0x31F0..=0x31FF | 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF
                )
            })
        }
        serde_json::Value::Array(values) => values.iter().any(has_kana_or_hangul),
        _ => false,
    }
}

/// `report` laid out in pages.
#[cfg(test)]
fn typeset(report: &Report, fonts: &Fonts) -> Result<PagedDocument> {
    typeset_in(report, fonts).map(|(_, document)| document)
}

fn typeset_in<'f>(report: &Report, fonts: &'f Fonts) -> Result<(world::ReportWorld<'f>, PagedDocument)> {
    if let Some(missing) = fonts.missing(report) {
        return Err(Error::NoFont(missing));
    }
    let world = world::ReportWorld::new(fonts, serde_json::to_vec(&shown(report)?)?);
    let document = typst::compile::<PagedDocument>(&world).output;
    match document {
        Ok(document) => Ok((world, document)),
        Err(errors) => {
            let error = typeset_error(&world, &errors);
            typst::comemo::evict(0);
            Err(error)
        }
    }
}

fn typeset_error(world: &world::ReportWorld, errors: &[typst::diag::SourceDiagnostic]) -> Error {
    let said = errors.iter().map(|e| match world.line(e.span) {
        Some(line) => format!("report.typ:{line}: {}", e.message),
        None => e.message.to_string(),
    });
    Error::Typeset(said.collect::<Vec<_>>().join("; "))
}

/// Writes `report` as a PDF at `path`, whole or not at all; `job` hears the steps and may cancel between
/// them.
pub fn save(report: &Report, path: &Path, job: &Job) -> Result<()> {
    job.step(&report.title, 0, 2)?;
    let fonts = Fonts::load();
    let pdf = render(report, fonts)?;
    job.step(&report.title, 1, 2)?;
    liaison_core::files::write_atomically_with(path, |w| {
        job.check()?;
        w.write_all(&pdf)?;
        Ok(())
    })?;
    job.step(&report.title, 2, 2)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use liaison_core::label::UiLang;
    use liaison_core::report::{ChartKind, FilterLine, ReportColumn, ReportKind, Section, Value, ValueKind};

    use super::*;

    /// A report with names in Chinese, Japanese and Portuguese, a table of `rows` rows and charts.
    pub(crate) fn sample(lang: UiLang, rows: usize) -> Report {
        let fr = lang == UiLang::Fr;
        let word = |en: &str, fr_word: &str| if fr { fr_word.to_owned() } else { en.to_owned() };
        let column = |label: String, kind| ReportColumn { label, kind };
        let names =
            ["复旦大学", "東京大学", "São Paulo", "東北大学", "上海交通大学", "とうきょう大学", "서울대학교"];
        let mut partners = Section::new(
            "by_partner",
            word("By partner", "Par partenaire"),
            vec![
                column(word("Partner", "Partenaire"), ValueKind::Text),
                column(word("Agreements", "Accords"), ValueKind::Count),
                column(word("Share", "Part"), ValueKind::Percent),
                column(word("Budget", "Budget"), ValueKind::Money),
                column(word("Ends", "Fin"), ValueKind::Date),
            ],
        )
        .note(word("Each partner once.", "Chaque partenaire une fois."));
        for i in 0..rows {
            partners.rows.push(vec![
                Value::from(format!("{} {i}", names[i % names.len()])),
                Value::Int(i as i64 * 1_000),
                Value::Number(i as f64 / rows as f64),
                if i % 5 == 0 { Value::Empty } else { Value::Number(i as f64 * 1234.5) },
                Value::from("2027-06-30"),
            ]);
        }
        partners = partners.with_total(&word("Total", "Total")).chart(
            ChartKind::Bar,
            word("Agreements by partner", "Accords par partenaire"),
            0,
            &[1],
        );
        let mut years = Section::new(
            "by_year",
            word("By year", "Par année"),
            vec![
                column(word("Year", "Année"), ValueKind::Text),
                column(word("Outgoing", "Sortants"), ValueKind::Count),
                column(word("Incoming", "Entrants"), ValueKind::Count),
            ],
        );
        for (i, year) in (2019..2026).enumerate() {
            years.rows.push(vec![
                Value::from(format!("{year}/{}", year + 1)),
                Value::Int(i as i64 * 3),
                Value::Int(20 - i as i64),
            ]);
        }
        years = years.chart(ChartKind::Line, word("Exchanges by year", "Mobilités par année"), 0, &[1, 2]);
        let mut kinds = Section::new(
            "by_kind",
            word("By kind", "Par type"),
            vec![
                column(word("Kind", "Type"), ValueKind::Text),
                column("A".into(), ValueKind::Count),
                column("B".into(), ValueKind::Count),
            ],
        );
        kinds.rows = vec![
            vec![Value::from("Erasmus+"), Value::Int(3), Value::Int(4)],
            vec![Value::from("CSC"), Value::Int(-2), Value::Int(7)],
        ];
        kinds = kinds.chart(ChartKind::StackedBar, word("By kind", "Par type"), 0, &[1, 2]);
        let empty = Section::new(
            "empty",
            word("Nothing here", "Rien ici"),
            vec![column("X".into(), ValueKind::Text)],
        );
        Report {
            kind: ReportKind::Agreements,
            title: word("Agreement portfolio", "Portefeuille d’accords"),
            lang,
            workspace: "Lyon head office".into(),
            date: "2026-12-05".into(),
            filters: vec![FilterLine { label: word("Zone", "Zone"), value: "Asia".into() }],
            figures: vec![
                liaison_core::report::Figure {
                    label: word("Agreements", "Accords"),
                    value: Value::Int(12_345),
                    kind: ValueKind::Count,
                },
                liaison_core::report::Figure {
                    label: word("Fill rate", "Taux de remplissage"),
                    value: Value::Number(0.25),
                    kind: ValueKind::Percent,
                },
                liaison_core::report::Figure {
                    label: word("Budget", "Budget"),
                    value: Value::Number(1_234_567.5),
                    kind: ValueKind::Money,
                },
            ],
            sections: vec![partners, years, kinds, empty],
            // 東北大学 is a Japanese university's name; the others written in Han alone are Chinese.
            japanese: vec!["東北大学".into()],
        }
    }

    /// The text of each page, and whether any glyph is missing from its font (an empty box).
    fn pages(report: &Report) -> (Vec<String>, bool) {
        fn walk(frame: &typst::layout::Frame, text: &mut String, boxes: &mut bool) {
            for (_, item) in frame.items() {
                match item {
                    typst::layout::FrameItem::Group(group) => walk(&group.frame, text, boxes),
                    typst::layout::FrameItem::Text(run) => {
                        *boxes |= run.glyphs.iter().any(|g| g.id == 0);
                        text.push_str(&run.text);
                        text.push(' ');
                    }
                    _ => {}
                }
            }
        }
        let document = typeset(report, Fonts::load()).expect("typeset");
        let mut boxes = false;
        let texts = document
            .pages()
            .iter()
            .map(|page| {
                let mut text = String::new();
                walk(&page.frame, &mut text, &mut boxes);
                // Runs split where the font changes ("复旦大学" | " 0"): one space between words.
                text.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
            })
            .collect();
        (texts, boxes)
    }

    #[test]
    fn a_report_in_every_script_with_a_long_table_and_charts_is_a_pdf() {
        let report = sample(UiLang::En, 300);
        let pdf = render(&report, Fonts::load()).expect("typeset");
        assert!(pdf.starts_with(b"%PDF-"), "{:?}", &pdf[..16.min(pdf.len())]);
        let (pages, boxes) = pages(&report);
        assert!(!boxes, "a glyph without a font");
        let n = pages.len();
        assert!(n >= 6, "300 rows over several pages: {n}");
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains(&format!("Page {} / {n}", i + 1)), "page {}: {page}", i + 1);
            assert!(page.contains("Agreement portfolio"), "title page or header: {page}");
        }
        // The partners' table runs over pages 2 to 7 or so, its header on each, its total on the last.
        let with_rows: Vec<&String> = pages.iter().filter(|p| p.contains("São Paulo")).collect();
        assert!(with_rows.len() >= 4, "{}", with_rows.len());
        for page in &with_rows {
            assert!(page.contains("Partner Agreements Share Budget Ends"), "header repeated: {page}");
        }
        let all = pages.concat();
        // (Runs of text split where the script changes: compared without spaces.)
        let packed = all.replace(' ', "");
        for name in
            ["复旦大学0", "東京大学1", "SãoPaulo2", "上海交通大学298", "とうきょう大学5", "서울대학교6"]
        {
            assert!(packed.contains(name), "{name}");
        }
        // Counts with thousands separators, shares as percentages, amounts with cents, empties as a dash.
        assert!(all.contains("東京大学 1 1,000 0.3\u{a0}% 1,234.50 Jun\u{a0}30, 2027"), "{all}");
        assert!(all.contains("São Paulo 2 2,000 0.7\u{a0}% 2,469.00"));
        assert!(all.contains("Total 44,850,000"), "the total row");
        assert!(all.contains("12,345 Agreements 25.0\u{a0}% Fill rate 1,234,567.50 Budget"), "key figures");
        assert!(pages[0].contains("Figures as of Dec\u{a0}5, 2026"), "{}", pages[0]);
        assert!(all.contains("Agreements by partner") && all.contains("The first 40 of 300 rows."));
        assert!(
            all.contains("Exchanges by year") && all.contains("Outgoing Incoming"),
            "a line chart's legend"
        );
        assert!(all.contains("Nothing to show."));
    }

    #[test]
    fn a_report_in_french_has_french_words_and_numbers() {
        let (pages, boxes) = pages(&sample(UiLang::Fr, 20));
        assert!(!boxes);
        let all = pages.concat();
        assert!(pages[0].contains("Chiffres au 5\u{a0}déc.\u{a0}2026"), "{}", pages[0]);
        assert!(all.contains("30\u{a0}juin\u{a0}2027"), "{all}");
        assert!(pages[0].contains("Espace de travail Lyon head office"));
        assert!(all.contains("Chiffres clés") && all.contains("Sommaire"));
        assert!(
            all.contains(
                "12\u{202F}345 Accords 25,0\u{00A0}% Taux de remplissage 1\u{202F}234\u{202F}567,50"
            ),
            "{all}"
        );
        assert!(all.contains("Rien à afficher."));
        assert!(all.contains(&format!("Page 2 / {}", pages.len())));
    }

    #[test]
    fn japanese_text_is_set_in_a_japanese_font_and_chinese_in_a_chinese_one() {
        fn walk(frame: &typst::layout::Frame, out: &mut Vec<(String, String)>) {
            for (_, item) in frame.items() {
                match item {
                    typst::layout::FrameItem::Group(group) => walk(&group.frame, out),
                    typst::layout::FrameItem::Text(run) => {
                        out.push((run.text.to_string(), run.font.font().info().family.clone()))
                    }
                    _ => {}
                }
            }
        }
        let document = typeset(&sample(UiLang::En, 14), Fonts::load()).expect("typeset");
        let mut runs = Vec::new();
        for page in document.pages() {
            walk(&page.frame, &mut runs);
        }
        let family = |text: &str| {
            runs.iter().find(|(t, _)| t.contains(text)).map(|(_, f)| f.clone()).unwrap_or_default()
        };
        // Noto Sans CJK here and in CI (fonts-noto-cjk); other systems' fonts carry the same suffixes.
        assert!(family("とうきょう").ends_with("JP"), "{}", family("とうきょう"));
        assert!(family("复旦大学").ends_with("SC"), "{}", family("复旦大学"));
        // Han alone, but a name the report says is Japanese: Japanese type (東 and 北 take Japanese forms).
        assert!(family("東北大学").ends_with("JP"), "{}", family("東北大学"));
        assert!(family("上海交通大学").ends_with("SC"), "{}", family("上海交通大学"));
        assert!(family("서울대학교").ends_with("KR"), "{}", family("서울대학교"));
        assert_eq!(family("Paulo"), "Inter");
    }

    #[test]
    fn text_that_looks_like_markup_is_printed_as_it_is_written() {
        let mut report = sample(UiLang::En, 2);
        let odd = [
            "#set page(width: 1cm)",
            "*bold* _it_ $x^2$",
            "<label> @ref \\ // not a comment",
            "#panic(\"no\")",
        ];
        report.title = odd[3].to_owned();
        report.sections[0].rows = odd.iter().map(|t| vec![Value::from(*t)]).collect();
        report.sections[0].chart = None;
        let (pages, _) = pages(&report);
        let all = pages.concat();
        for text in odd {
            assert!(all.contains(text), "{text}: {all}");
        }
    }

    #[test]
    fn save_writes_the_whole_pdf_and_a_cancelled_job_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("liaison-pdf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("report.pdf");
        let steps = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let heard = steps.clone();
        let job = Job::new(move |p| heard.lock().expect("steps").push((p.done, p.total)));
        save(&sample(UiLang::En, 5), &path, &job).expect("saved");
        assert!(std::fs::read(&path).expect("written").starts_with(b"%PDF-"));
        assert_eq!(steps.lock().expect("steps").last(), Some(&(2, 2)));
        std::fs::remove_file(&path).expect("removed");
        let job = Job::silent();
        job.cancel();
        let refused = save(&sample(UiLang::En, 5), &path, &job);
        assert!(matches!(refused, Err(Error::Core(liaison_core::Error::Cancelled))), "{refused:?}");
        assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 0, "nothing written");
        std::fs::remove_dir(&dir).expect("removed");
    }

    #[test]
    fn a_table_longer_than_the_pdf_shows_says_how_many_rows_the_xlsx_has_beyond() {
        let mut report = sample(UiLang::En, MAX_ROWS + 1_234);
        report.sections.truncate(1);
        let (pages, boxes) = pages(&report);
        assert!(!boxes);
        let all = pages.concat();
        assert!(all.contains(&format!("São Paulo {} ", MAX_ROWS - 1)), "the last row shown");
        assert!(!all.contains(&format!("東北大学 {MAX_ROWS} ")), "the first row left out");
        assert!(
            all.contains("… and 1,234 more rows: see the XLSX annex."),
            "{}",
            pages.last().map_or("", |p| p)
        );
        assert!(all.contains("Total 1,502,511,000"), "the total counts every row");
    }

    #[test]
    fn a_table_of_three_hundred_rows_typesets_in_reasonable_time() {
        let report = sample(UiLang::En, 300);
        let started = std::time::Instant::now();
        render(&report, Fonts::load()).expect("typeset");
        let took = started.elapsed();
        eprintln!("300 rows: {took:?}");
        // About 0.4 s in a debug build on a loaded machine; a quadratic layout would take minutes.
        assert!(took < std::time::Duration::from_secs(20), "{took:?}");
    }
}
