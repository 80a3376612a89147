//! A report as an XLSX workbook: a first sheet with the title, the filters and the key figures, then one
//! worksheet per section with its title and note above a bold, frozen, filterable header row; numbers,
//! percentages, amounts and dates are typed cells; a section's chart is a native Excel chart beside its
//! table, drawn from the table's own cells. Text is always a string cell, never a formula.

use std::io::Write;

use chrono::NaiveDate;
use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Workbook, Worksheet};

use super::{ChartKind, Report, Section, Value, ValueKind};
use crate::error::Result;
use crate::export::xlsx::{col_num, sheet_name, text_width, within_cell, xlsx_error};
use crate::job::Job;

/// The row of a section's header: its title, its note, then the table.
const HEADER_ROW: u32 = 2;

struct Formats {
    title: Format,
    note: Format,
    header: Format,
    bold: Format,
    count: Format,
    number: Format,
    percent: Format,
    money: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new().set_italic().set_font_color("#555555"),
            header: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top),
            bold: Format::new().set_bold(),
            count: Format::new().set_num_format("#,##0"),
            number: Format::new().set_num_format("#,##0.0"),
            percent: Format::new().set_num_format("0.0%"),
            money: Format::new().set_num_format("#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }

    fn of(&self, kind: ValueKind, bold: bool) -> Format {
        let f = match kind {
            ValueKind::Count => self.count.clone(),
            ValueKind::Number => self.number.clone(),
            ValueKind::Percent => self.percent.clone(),
            ValueKind::Money => self.money.clone(),
            ValueKind::Date => self.date.clone(),
            ValueKind::Text => Format::new(),
        };
        if bold {
            f.set_bold()
        } else {
            f
        }
    }
}

/// Writes `report` as a workbook to `out`.
pub fn write(out: impl Write + Send, report: &Report, job: &Job) -> Result<()> {
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let mut taken: Vec<String> = Vec::new();
    let total = report.sections.len() as u64 + 1;
    job.step(&report.title, 0, total)?;
    {
        let name = sheet_name(&report.title, &taken);
        taken.push(name.to_lowercase());
        let ws = workbook.add_worksheet();
        ws.set_name(&name).map_err(xlsx_error)?;
        summary(ws, report, &f)?;
    }
    for (i, section) in report.sections.iter().enumerate() {
        job.check()?;
        let name = sheet_name(&section.title, &taken);
        taken.push(name.to_lowercase());
        let ws = workbook.add_worksheet();
        ws.set_name(&name).map_err(xlsx_error)?;
        table(ws, &name, section, &f)?;
        job.step(&report.title, i as u64 + 2, total)?;
    }
    job.check()?;
    workbook.save_to_writer(out).map_err(xlsx_error)?;
    Ok(())
}

fn summary(ws: &mut Worksheet, report: &Report, f: &Formats) -> Result<()> {
    ws.write_string_with_format(0, 0, report.title.as_str(), &f.title).map_err(xlsx_error)?;
    let mut row = 2;
    let mut lines: Vec<(&str, &str)> = vec![
        (super::tr(report.lang, "Workspace", "Espace de travail"), report.workspace.as_str()),
        (super::tr(report.lang, "Figures as of", "Chiffres au"), report.date.as_str()),
    ];
    lines.extend(report.filters.iter().map(|l| (l.label.as_str(), l.value.as_str())));
    let mut widths = [12.0_f64, 12.0];
    for (label, value) in lines {
        ws.write_string_with_format(row, 0, label, &f.bold).map_err(xlsx_error)?;
        ws.write_string(row, 1, value).map_err(xlsx_error)?;
        widths[0] = widths[0].max(text_width(label));
        widths[1] = widths[1].max(text_width(value));
        row += 1;
    }
    if !report.figures.is_empty() {
        row += 1;
        ws.write_string_with_format(
            row,
            0,
            super::tr(report.lang, "Key figures", "Chiffres clés"),
            &f.header,
        )
        .map_err(xlsx_error)?;
        row += 1;
        for figure in &report.figures {
            ws.write_string(row, 0, figure.label.as_str()).map_err(xlsx_error)?;
            widths[0] = widths[0].max(text_width(&figure.label));
            cell(ws, row, 1, &figure.value, figure.kind, false, f)?;
            row += 1;
        }
    }
    ws.set_column_width(0, widths[0].min(60.0) + 2.0).map_err(xlsx_error)?;
    ws.set_column_width(1, widths[1].min(60.0) + 2.0).map_err(xlsx_error)?;
    Ok(())
}

fn table(ws: &mut Worksheet, sheet: &str, section: &Section, f: &Formats) -> Result<()> {
    ws.write_string_with_format(0, 0, section.title.as_str(), &f.title).map_err(xlsx_error)?;
    if let Some(note) = &section.note {
        ws.write_string_with_format(1, 0, note.as_str(), &f.note).map_err(xlsx_error)?;
    }
    let mut widths: Vec<f64> = section.columns.iter().map(|c| text_width(&c.label).min(24.0) + 2.0).collect();
    for (col, column) in section.columns.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col_num(col)?, column.label.as_str(), &f.header)
            .map_err(xlsx_error)?;
    }
    let mut row = HEADER_ROW;
    for values in &section.rows {
        row += 1;
        for (col, (value, column)) in values.iter().zip(&section.columns).enumerate() {
            let width = cell(ws, row, col_num(col)?, value, column.kind, false, f)?;
            widths[col] = widths[col].max(width);
        }
    }
    let last = row;
    if let Some(total) = &section.total {
        row += 1;
        for (col, (value, column)) in total.iter().zip(&section.columns).enumerate() {
            let width = cell(ws, row, col_num(col)?, value, column.kind, true, f)?;
            widths[col] = widths[col].max(width);
        }
    }
    for (col, width) in widths.iter().enumerate() {
        ws.set_column_width(col_num(col)?, (width + 1.0).clamp(6.0, 60.0)).map_err(xlsx_error)?;
    }
    if !section.columns.is_empty() {
        ws.set_freeze_panes(HEADER_ROW + 1, 0).map_err(xlsx_error)?;
        ws.autofilter(HEADER_ROW, 0, last, col_num(section.columns.len() - 1)?).map_err(xlsx_error)?;
    }
    if let (Some(chart), true) = (&section.chart, last > HEADER_ROW) {
        let mut c = Chart::new(match chart.kind {
            ChartKind::Bar => ChartType::Column,
            ChartKind::StackedBar => ChartType::ColumnStacked,
            ChartKind::Line => ChartType::Line,
        });
        c.title().set_name(&chart.title);
        let category = col_num(chart.category)?;
        for &series in &chart.series {
            let s = col_num(series)?;
            c.add_series()
                .set_name((sheet, HEADER_ROW, s))
                .set_categories((sheet, HEADER_ROW + 1, category, last, category))
                .set_values((sheet, HEADER_ROW + 1, s, last, s));
        }
        if chart.series.len() == 1 {
            c.legend().set_hidden();
        }
        ws.insert_chart(HEADER_ROW, col_num(section.columns.len() + 1)?, &c).map_err(xlsx_error)?;
    }
    Ok(())
}

/// Writes one value as its column's kind says; returns the width it takes, in characters.
fn cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    kind: ValueKind,
    bold: bool,
    f: &Formats,
) -> Result<f64> {
    match value {
        Value::Empty => Ok(0.0),
        Value::Int(n) => {
            ws.write_number_with_format(row, col, *n as f64, &f.of(kind, bold)).map_err(xlsx_error)?;
            Ok(n.to_string().len() as f64 + 2.0)
        }
        Value::Number(n) if n.is_finite() => {
            ws.write_number_with_format(row, col, *n, &f.of(kind, bold)).map_err(xlsx_error)?;
            Ok(10.0)
        }
        Value::Number(_) => Ok(0.0),
        Value::Text(text) => {
            if kind == ValueKind::Date {
                if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    ws.write_date_with_format(row, col, date, &f.of(kind, bold)).map_err(xlsx_error)?;
                    return Ok(11.0);
                }
            }
            let text = within_cell(text);
            if bold {
                ws.write_string_with_format(row, col, text, &f.bold).map_err(xlsx_error)?;
            } else {
                ws.write_string(row, col, text).map_err(xlsx_error)?;
            }
            Ok(text_width(text))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

    use super::*;
    use crate::label::UiLang;
    use crate::report::{Figure, FilterLine, ReportColumn, ReportKind};

    fn column(label: &str, kind: ValueKind) -> ReportColumn {
        ReportColumn { label: label.into(), kind }
    }

    fn sample() -> Report {
        let mut by_zone = Section::new(
            "by_zone",
            "By zone",
            vec![
                column("Zone", ValueKind::Text),
                column("Exchanges", ValueKind::Count),
                column("Fill rate", ValueKind::Percent),
                column("Budget", ValueKind::Money),
                column("Since", ValueKind::Date),
            ],
        )
        .note("An exchange counts in its partner's zone.");
        by_zone.rows = vec![
            vec![
                "China".into(),
                Value::Int(42),
                Value::Number(0.25),
                Value::Number(1234.5),
                "2025-09-01".into(),
            ],
            vec![
                "=HYPERLINK(\"http://evil\",\"x\")".into(),
                Value::Int(3),
                Value::Empty,
                Value::Empty,
                Value::Empty,
            ],
            vec![
                "复旦大学".into(),
                Value::Int(7),
                Value::Number(1.0),
                Value::Number(0.0),
                "not a date".into(),
            ],
        ];
        let by_zone = by_zone.with_total("Total").chart(ChartKind::Bar, "Exchanges by zone", 0, &[1]);
        Report {
            kind: ReportKind::Mobility,
            title: "Mobility statistics".into(),
            lang: UiLang::En,
            workspace: "Lyon head office".into(),
            date: "2026-12-05".into(),
            filters: vec![FilterLine { label: "Zone".into(), value: "China".into() }],
            figures: vec![Figure {
                label: "Exchanges".into(),
                value: Value::Int(52),
                kind: ValueKind::Count,
            }],
            // A second section whose title is too long for a sheet name, and a third with the same title.
            sections: vec![
                by_zone,
                Section::new("a", "A title much longer than the thirty-one characters Excel allows", vec![]),
                Section::new("b", "By zone", vec![column("Zone", ValueKind::Text)]),
            ],
            japanese: Vec::new(),
        }
    }

    fn written(report: &Report) -> Vec<u8> {
        let mut out = Vec::new();
        write(std::io::Cursor::new(&mut out), report, &Job::silent()).expect("written");
        out
    }

    #[test]
    fn a_report_is_a_summary_sheet_then_one_typed_sheet_per_section() {
        let bytes = written(&sample());
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a workbook");
        let names = book.sheet_names();
        assert_eq!(names.len(), 4, "{names:?}");
        assert_eq!(names[0], "Mobility statistics");
        assert_eq!(names[1], "By zone");
        assert!(names[2].chars().count() <= 31, "{}", names[2]);
        assert_ne!(names[3].to_lowercase(), "by zone", "sheet names are unique");
        let summary = book.worksheet_range(&names[0]).expect("summary");
        let texts: Vec<String> = summary.cells().map(|(_, _, d)| d.to_string()).collect();
        for expected in
            ["Mobility statistics", "Lyon head office", "2026-12-05", "Zone", "China", "Exchanges"]
        {
            assert!(texts.iter().any(|t| t == expected), "{expected} on the summary: {texts:?}");
        }
        let t = book.worksheet_range("By zone").expect("by zone");
        let at = |r: u32, c: u32| t.get_value((r, c)).cloned();
        assert_eq!(at(0, 0), Some(Data::String("By zone".into())), "the title above");
        assert_eq!(at(2, 1), Some(Data::String("Exchanges".into())), "the header row");
        assert_eq!(at(3, 1), Some(Data::Float(42.0)), "a count is a number");
        assert_eq!(at(3, 2), Some(Data::Float(0.25)), "a percentage is a fraction shown as %");
        match at(3, 4) {
            Some(Data::DateTime(d)) => {
                assert_eq!(d.as_datetime().map(|d| d.date().to_string()), Some("2025-09-01".into()))
            }
            other => panic!("a date cell, not {other:?}"),
        }
        assert_eq!(
            at(4, 0),
            Some(Data::String("=HYPERLINK(\"http://evil\",\"x\")".into())),
            "text, never a formula"
        );
        assert_eq!(at(5, 0), Some(Data::String("复旦大学".into())));
        assert_eq!(at(5, 4), Some(Data::String("not a date".into())), "what is not a date stays as written");
        assert_eq!(at(6, 0), Some(Data::String("Total".into())));
        assert_eq!(at(6, 1), Some(Data::Float(52.0)), "the total row sums the counts");
    }

    #[test]
    fn a_section_with_a_chart_has_a_native_chart_drawn_from_its_own_cells_and_no_formula_anywhere() {
        let bytes = written(&sample());
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut chart = String::new();
        zip.by_name("xl/charts/chart1.xml").expect("a native chart").read_to_string(&mut chart).expect("xml");
        assert!(chart.contains("'By zone'!$B$4:$B$6"), "values from the table's counts: {chart}");
        assert!(chart.contains("'By zone'!$A$4:$A$6"), "categories from its first column");
        assert!(zip.by_name("xl/charts/chart2.xml").is_err(), "one chart: the others have none");
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).expect("an entry");
            let name = file.name().expect("a name").into_owned();
            if name.starts_with("xl/worksheets/") {
                let mut xml = String::new();
                file.read_to_string(&mut xml).expect("xml");
                assert!(!xml.contains("<f>"), "no formula in {name}");
            }
        }
    }

    #[test]
    fn a_cancelled_report_writes_nothing() {
        let job = Job::silent();
        job.cancel();
        let err = write(std::io::Cursor::new(Vec::new()), &sample(), &job).expect_err("cancelled");
        assert_eq!(err.kind(), "cancelled");
    }
}
