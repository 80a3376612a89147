//! Values as people write them in a spreadsheet or CSV, read into the forms the records' JSON input takes:
//! dates (`dd/mm/yyyy`, `yyyy-mm-dd`, `d/m/yy`, Excel serial numbers, typed date cells), date-times with a
//! time zone, yes/no in English, French, Chinese and Japanese, amounts with a decimal comma, spaces or
//! no-break spaces (`1 350,50`, `1,350.50`), whole numbers, academic years (`2025/2026`), languages,
//! currencies, ISCED fields and web addresses. Each parser takes one cell and says what is wrong in words.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use crate::kinds;
use crate::table::Cell;
use crate::validate::quote;

use super::header::key;
use super::problem::Problem;
use super::vocab::Vocab;

/// A cell's text as written: trimmed text; a number without a trailing `.0` (a PIC or a phone typed as a
/// number in a spreadsheet); a date as yyyy-mm-dd. `None` for an empty cell.
pub fn text(cell: &Cell) -> Option<String> {
    let text = match cell {
        Cell::Empty => return None,
        Cell::Text(t) => unguarded(t.trim()).trim().to_owned(),
        Cell::Number(n) => number_text(*n),
        Cell::Bool(true) => "yes".into(),
        Cell::Bool(false) => "no".into(),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::DateTime(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
        Cell::Error(e) => e.trim().to_owned(),
    };
    Some(text).filter(|t| !t.is_empty())
}

/// Text as written before a CSV export guarded it: a `'` put before a leading `=`, `+`, `-`, `@`, tab or
/// carriage return so that no spreadsheet runs it (`'+86 21 6564 2222` is the phone `+86 21 6564 2222`).
fn unguarded(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The first day of Excel's (1900) date system: serial 1 is 1900-01-01 counting Excel's phantom 1900-02-29,
/// so serials from 61 on are days since 1899-12-30.
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

/// The serials of dates an office file may hold: 1950-01-01 to 2199-12-31.
const SERIALS: std::ops::RangeInclusive<f64> = 18_264.0..=109_574.0;

fn from_serial(serial: f64) -> Option<NaiveDateTime> {
    if !SERIALS.contains(&serial) {
        return None;
    }
    let days = serial.trunc() as i64;
    let seconds = ((serial - serial.trunc()) * 86_400.0).round() as i64;
    excel_epoch()
        .and_time(NaiveTime::MIN)
        .checked_add_signed(Duration::days(days) + Duration::seconds(seconds))
}

const DATE_FORMS: &str = "write it as 31/12/2026 or 2026-12-31";

fn not_a_date(t: &str) -> Problem {
    Problem::new("not_a_date", format!("{} is not a date; {DATE_FORMS}", quote(t))).with("value", t)
}

fn not_a_moment(t: &str) -> Problem {
    Problem::new(
        "not_a_moment",
        format!("{} is not a date and time; write it as 01/09/2026 09:00 or 2026-09-01 09:00", quote(t)),
    )
    .with("value", t)
}

fn not_a_number(t: &str) -> Problem {
    Problem::new("not_a_number", format!("{} is not a number", quote(t))).with("value", t)
}

fn amount_decimals(t: &str, digits: u32) -> Problem {
    Problem::new(
        "amount_decimals",
        format!("{} has more decimals than the currency allows ({digits})", quote(t)),
    )
    .with("value", t)
    .with("digits", digits.to_string())
}

/// A calendar date. Text is read as yyyy-mm-dd (or yyyy/mm/dd, yyyy.mm.dd, 2026年9月1日), else day first
/// (dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy, d/m/yy with yy from 2000 to 2069 or 1970 to 1999), except that a
/// first number above 12 with a second one at most 12 cannot be a month: 09/15/2026 is read as 15 September.
/// A number, or a text of five digits, is an Excel serial date.
pub fn date(cell: &Cell) -> Result<NaiveDate, Problem> {
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::DateTime(dt) => Ok(dt.date()),
        Cell::Number(n) => from_serial(*n).map(|dt| dt.date()).ok_or_else(|| not_a_date(&number_text(*n))),
        _ => {
            let Some(t) = text(cell) else { return Err(Problem::new("empty_date", "the date is empty")) };
            parse_date(&t).ok_or_else(|| not_a_date(&t))
        }
    }
}

/// Month names and their usual abbreviations in English and French, keyed like headers.
const MONTHS: [&[&str]; 12] = [
    &["january", "jan", "janvier", "janv"],
    &["february", "feb", "fevrier", "fev", "fevr"],
    &["march", "mar", "mars"],
    &["april", "apr", "avril", "avr"],
    &["may", "mai"],
    &["june", "jun", "juin"],
    &["july", "jul", "juillet", "juil"],
    &["august", "aug", "aout"],
    &["september", "sep", "sept", "septembre"],
    &["october", "oct", "octobre"],
    &["november", "nov", "novembre"],
    &["december", "dec", "decembre"],
];

/// "1er septembre 2026", "1 September 2026", "September 1, 2026", "1-Sep-2026".
fn date_in_words(text: &str) -> Option<NaiveDate> {
    let words: Vec<String> = key(text).split(' ').map(str::to_owned).collect();
    let month = words.iter().find_map(|w| MONTHS.iter().position(|names| names.contains(&w.as_str())))?;
    let numbers: Vec<u32> = words
        .iter()
        .filter_map(|w| {
            w.trim_end_matches("er")
                .trim_end_matches("st")
                .trim_end_matches("nd")
                .trim_end_matches("rd")
                .trim_end_matches("th")
                .parse()
                .ok()
        })
        .collect();
    let [day, year] = numbers.as_slice() else { return None };
    let (day, year) = if *day > 31 { (*year, *day) } else { (*day, *year) };
    if year < 1000 {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month as u32 + 1, day)
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let words = text.chars().any(|c| {
        (c.is_ascii_alphabetic() && c != 'T')
            || (c.is_alphabetic() && !c.is_ascii() && !matches!(c, '年' | '月' | '日'))
    });
    if words {
        return date_in_words(text);
    }
    // A date-time's date: "2026-09-01T00:00:00", "2026-09-01 00:00".
    let text = text.split(['T', ' ']).next().filter(|d| d.len() >= 8).unwrap_or(text);
    if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<f64>().ok().and_then(from_serial).map(|dt| dt.date());
    }
    let parts: Vec<&str> = text.split(['/', '-', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    if !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 4) {
        return None;
    }
    let (a, b, c): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
    if parts[0].len() == 4 {
        return NaiveDate::from_ymd_opt(a as i32, b, c as u32);
    }
    let year = match parts[2].len() {
        4 => c,
        2 if c < 70 => 2000 + c,
        2 => 1900 + c,
        _ => return None,
    };
    let (day, month) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A moment with its offset, as the record stores it (RFC 3339). A time written without an offset (a date-time
/// cell, "2026-09-01 09:00", "01/09/2026 09:00", a date alone for midnight) is on the clock of `zone` (an IANA
/// name; UTC when there is none).
pub fn moment(cell: &Cell, zone: Option<&str>) -> Result<DateTime<FixedOffset>, Problem> {
    let naive = match cell {
        Cell::DateTime(dt) => *dt,
        Cell::Date(d) => d.and_time(NaiveTime::MIN),
        Cell::Number(n) => from_serial(*n).ok_or_else(|| not_a_moment(&number_text(*n)))?,
        _ => {
            let Some(t) = text(cell) else { return Err(Problem::new("empty_date", "the date is empty")) };
            if let Ok(exact) = DateTime::parse_from_rfc3339(&t) {
                return Ok(exact);
            }
            parse_naive_moment(&t).ok_or_else(|| not_a_moment(&t))?
        }
    };
    let tz: chrono_tz::Tz = zone.and_then(|z| z.parse().ok()).unwrap_or(chrono_tz::UTC);
    tz.from_local_datetime(&naive).earliest().map(|dt| dt.fixed_offset()).ok_or_else(|| {
        let time = naive.format("%Y-%m-%d %H:%M").to_string();
        Problem::new("no_such_time", format!("{time} does not exist on the clocks of {}", tz.name()))
            .with("time", time)
            .with("zone", tz.name())
    })
}

fn parse_naive_moment(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim().replace('T', " ");
    let (day, time) = match text.split_once(' ') {
        Some((d, t)) => (d.trim(), t.trim()),
        None => (text.as_str(), "00:00"),
    };
    let date = parse_date(day)?;
    let time =
        ["%H:%M:%S", "%H:%M", "%Hh%M", "%Hh"].iter().find_map(|f| NaiveTime::parse_from_str(time, f).ok())?;
    Some(date.and_time(time))
}

/// The local date-time an RFC 3339 moment shows on its own clock ("2026-09-01T09:00:00+02:00" → 09:00).
pub fn local_time(rfc3339: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(rfc3339).ok().map(|dt| dt.naive_local())
}

/// Yes or no: `yes`/`no`, `oui`/`non`, `x` (a ticked column), `1`/`0`, `true`/`false`, `vrai`/`faux`,
/// `y`/`n`, `o`/`n`, `是`/`否`, `はい`/`いいえ`, `✓`; a boolean or 0/1 cell.
pub fn yes_no(cell: &Cell) -> Result<bool, Problem> {
    match cell {
        Cell::Bool(b) => Ok(*b),
        Cell::Number(n) if *n == 1.0 => Ok(true),
        Cell::Number(n) if *n == 0.0 => Ok(false),
        _ => {
            let t = text(cell).unwrap_or_default();
            match key(&t).as_str() {
                "yes" | "y" | "oui" | "o" | "x" | "1" | "true" | "vrai" | "是" | "有" | "はい" | "✓"
                | "✔" => Ok(true),
                "no" | "n" | "non" | "0" | "false" | "faux" | "否" | "无" | "いいえ" => Ok(false),
                _ => Err(Problem::new(
                    "not_yes_no",
                    format!(
                        "{} is not yes or no; write oui or non, yes or no, x or leave it empty",
                        quote(&t)
                    ),
                )
                .with("value", t)),
            }
        }
    }
}

/// A whole number, spaces and thousands separators aside ("1 200", "1,200").
pub fn integer(cell: &Cell) -> Result<i64, Problem> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => Ok(*n as i64),
        _ => {
            let t = text(cell).unwrap_or_default();
            let (units, fraction) = decimal(&t, true).ok_or_else(|| not_a_number(&t))?;
            if fraction.trim_end_matches('0').is_empty() {
                Ok(units)
            } else {
                Err(Problem::new("not_a_whole_number", format!("{} is not a whole number", quote(&t)))
                    .with("value", t))
            }
        }
    }
}

/// A number with a fraction ("2,5", "0.75").
pub fn number(cell: &Cell) -> Result<f64, Problem> {
    match cell {
        Cell::Number(n) => Ok(*n),
        _ => {
            let t = text(cell).unwrap_or_default();
            let (units, fraction) = decimal(&t, false).ok_or_else(|| not_a_number(&t))?;
            let sign = if t.trim_start().starts_with('-') { "-" } else { "" };
            format!("{sign}{units}.{fraction}").parse().map_err(|_| not_a_number(&t))
        }
    }
}

/// An amount in major units ("1 350,50" euros) as minor units of a currency with `digits` decimals
/// (135050 cents; yen have none). A currency sign or code beside the figure is allowed.
pub fn amount(cell: &Cell, digits: u32) -> Result<i64, Problem> {
    let scale = 10_i64.pow(digits);
    if let Cell::Number(n) = cell {
        let minor = (n * scale as f64).round();
        if (minor / scale as f64 - n).abs() > 1e-6 || minor.abs() > 9e15 {
            return Err(amount_decimals(&number_text(*n), digits));
        }
        return Ok(minor as i64);
    }
    let t = text(cell).unwrap_or_default();
    let (units, fraction) = decimal(&t, true).ok_or_else(|| {
        Problem::new(
            "not_an_amount",
            format!("{} is not an amount; write it as 1 350,50 or 1350.50", quote(&t)),
        )
        .with("value", t.as_str())
    })?;
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > digits as usize {
        return Err(amount_decimals(&t, digits));
    }
    let padded = format!("{fraction:0<width$}", width = digits as usize);
    let minor_part: i64 =
        if padded.is_empty() { 0 } else { padded.parse().map_err(|_| amount_too_large(&t))? };
    let negative = t.trim_start().starts_with('-');
    units
        .abs()
        .checked_mul(scale)
        .and_then(|u| u.checked_add(minor_part))
        .map(|m| if negative { -m } else { m })
        .ok_or_else(|| amount_too_large(&t))
}

fn amount_too_large(t: &str) -> Problem {
    Problem::new("amount_too_large", format!("{} is too large an amount", quote(t))).with("value", t)
}

/// The whole units and the fraction's digits of a number written with any of the usual separators: a space,
/// no-break space, narrow no-break space or apostrophe groups thousands; of `.` and `,`, the last one is the
/// decimal separator, except, when `grouped` (amounts and whole numbers), a lone one followed by exactly
/// three digits, which groups thousands ("1,350" and "1.350" are 1350; "1,35" is 1.35; a weight "0.125" is
/// read ungrouped). Currency signs and codes around the figure are ignored.
pub fn decimal(text: &str, grouped: bool) -> Option<(i64, String)> {
    let figure: String = text
        .trim()
        .trim_start_matches(['-', '+'])
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’' | '_'))
        .collect();
    let figure = figure.trim_matches(|c: char| !c.is_ascii_digit() && c != '.' && c != ',');
    if figure.is_empty() || !figure.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let separators: Vec<(usize, char)> = figure.char_indices().filter(|(_, c)| !c.is_ascii_digit()).collect();
    let decimal_at = match separators.as_slice() {
        [] => None,
        [(at, _)] => (!grouped || figure.len() - at - 1 != 3).then_some(*at),
        many => {
            let (last_at, last) = many[many.len() - 1];
            let distinct = many.iter().any(|(_, c)| *c != last);
            // "1.350.000" groups thousands only; "1.350,50" and "1,350.50" end with their decimal separator.
            distinct.then_some(last_at)
        }
    };
    let (whole, fraction) = match decimal_at {
        Some(at) => (&figure[..at], &figure[at + 1..]),
        None => (figure, ""),
    };
    if fraction.contains(['.', ',']) {
        return None;
    }
    // Thousands come in groups of three: "12.5.5" is not a number.
    let mut groups = whole.split(['.', ',']);
    let first_ok = groups.next().is_some_and(|g| g.len() <= 3 || !whole.contains(['.', ',']));
    if !first_ok || groups.any(|g| g.len() != 3) {
        return None;
    }
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    let units = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    Some((units, fraction.to_owned()))
}

/// An academic year by the year it starts in: 2025, "2025/2026", "2025-26", "2025–2026".
pub fn academic_year(cell: &Cell) -> Result<i64, Problem> {
    if let Cell::Number(n) = cell {
        if n.fract() == 0.0 {
            return Ok(*n as i64);
        }
    }
    let t = text(cell).unwrap_or_default();
    let first = t.split(['/', '-', '–', ' ']).next().unwrap_or_default();
    match first.trim().parse::<i64>() {
        Ok(year) if first.trim().len() == 4 => Ok(year),
        _ => Err(Problem::new(
            "not_an_academic_year",
            format!("{} is not an academic year; write 2025/2026 or 2025", quote(&t)),
        )
        .with("value", t)),
    }
}

/// Languages people name rather than tag: (BCP-47 tag, names in English, French and the language itself).
const LANGUAGES: &[(&str, &[&str])] = &[
    ("en", &["English", "Anglais", "英语", "英語"]),
    ("fr", &["French", "Français", "Francais", "法语", "フランス語"]),
    ("zh", &["Chinese", "Chinois", "Mandarin", "中文", "汉语", "漢語", "普通话", "中国語"]),
    ("ja", &["Japanese", "Japonais", "日本語", "日语"]),
    ("pt", &["Portuguese", "Portugais", "Português"]),
    ("es", &["Spanish", "Espagnol", "Español"]),
    ("de", &["German", "Allemand", "Deutsch"]),
    ("it", &["Italian", "Italien", "Italiano"]),
    ("ko", &["Korean", "Coréen", "한국어"]),
    ("ru", &["Russian", "Russe", "Русский"]),
    ("ar", &["Arabic", "Arabe", "العربية"]),
];

/// A BCP-47 tag as written ("zh-Hans"), or the tag of a language named in English, French or itself.
pub fn language(text: &str) -> String {
    let wanted = key(text);
    LANGUAGES
        .iter()
        .find(|(_, names)| names.iter().any(|n| key(n) == wanted))
        .map_or_else(|| text.trim().to_owned(), |(tag, _)| (*tag).to_owned())
}

/// An ISO 4217 code as written (upper-cased), or the code of a currency named or signed: € euro, ¥ is not
/// one (yuan or yen?), RMB and yuan, yen, real, Canadian dollar, US dollar.
pub fn currency(text: &str) -> String {
    let wanted = key(text);
    let named = [
        ("EUR", &["€", "euro", "euros"][..]),
        ("CNY", &["rmb", "yuan", "renminbi", "元", "人民币"]),
        ("JPY", &["yen", "円"]),
        ("BRL", &["real", "reais", "r$"]),
        ("CAD", &["dollar canadien", "canadian dollar", "ca$", "c$"]),
        ("USD", &["us dollar", "dollar americain", "us$"]),
        ("GBP", &["£", "pound", "livre sterling"]),
    ];
    named
        .iter()
        .find(|(_, names)| names.iter().any(|n| key(n) == wanted || text.trim().eq_ignore_ascii_case(n)))
        .map_or_else(|| text.trim().to_ascii_uppercase(), |(code, _)| (*code).to_owned())
}

/// The decimals of a currency's minor unit: 2 for EUR, 0 for JPY; 2 when the code is unknown.
pub fn minor_digits(currency: Option<&str>) -> u32 {
    currency.and_then(iso_currency::Currency::from_code).and_then(|c| c.exponent()).map_or(2, u32::from)
}

/// An ISCED-F 2013 detailed field or an alliance field: "0731", 731 (a spreadsheet dropped the leading
/// zero), "0731 Architecture and town planning", the field's English or French label, or an alliance field
/// by code or label ("Santé").
pub fn field(cell: &Cell) -> Result<String, Problem> {
    let t = text(cell).unwrap_or_default();
    let head = t.split(|c: char| !c.is_ascii_digit()).next().unwrap_or_default();
    if (3..=4).contains(&head.len()) {
        let code = format!("{head:0>4}");
        if kinds::is_field(&code) {
            return Ok(code);
        }
    }
    if let Some(code) = Vocab::AllianceField.parse(&t) {
        return Ok(code.to_owned());
    }
    let wanted = key(&t);
    kinds::isced::detailed_fields()
        .into_iter()
        .find(|f| key(&f.en) == wanted || key(&f.fr) == wanted)
        .map(|f| f.code)
        .ok_or_else(|| {
            Problem::new(
                "not_a_field",
                format!(
                    "{} is not a field; write an ISCED-F code such as 0731 or a field such as Santé",
                    quote(&t)
                ),
            )
            .with("value", t.as_str())
        })
}

/// A web address; one written without its scheme ("www.fudan.edu.cn") gets `https://`.
pub fn url(text: &str) -> String {
    let t = text.trim();
    if t.contains("://") || !t.contains('.') || t.contains(' ') {
        t.to_owned()
    } else {
        format!("https://{t}")
    }
}

/// The items of a cell holding several values: split on `;` and line breaks, and also on `,` when `commas`
/// (lists of codes, addresses and languages, never names).
pub fn items(text: &str, commas: bool) -> Vec<String> {
    text.split(|c: char| c == ';' || c == '\n' || (commas && c == ','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("as the test sets it up")
    }

    #[test]
    fn dates_as_people_write_them() {
        assert_eq!(date(&t("01/09/2026")), Ok(d(2026, 9, 1)), "French: day first");
        assert_eq!(date(&t("1/9/26")), Ok(d(2026, 9, 1)));
        assert_eq!(date(&t("2026-09-01")), Ok(d(2026, 9, 1)));
        assert_eq!(date(&t("2026/9/1")), Ok(d(2026, 9, 1)));
        assert_eq!(date(&t("01.09.2026")), Ok(d(2026, 9, 1)));
        assert_eq!(date(&t("2026年9月1日")), Ok(d(2026, 9, 1)), "Chinese and Japanese");
        assert_eq!(date(&t("09/15/2026")), Ok(d(2026, 9, 15)), "a month cannot be 15");
        assert_eq!(date(&t("15/09/99")), Ok(d(1999, 9, 15)));
        assert_eq!(date(&t("2026-09-01T00:00:00")), Ok(d(2026, 9, 1)));
        assert_eq!(date(&Cell::Number(46266.0)), Ok(d(2026, 9, 1)), "an Excel serial");
        assert_eq!(date(&t("46266")), Ok(d(2026, 9, 1)), "a serial read as text from a CSV");
        assert_eq!(date(&Cell::Date(d(2026, 9, 1))), Ok(d(2026, 9, 1)));
        assert_eq!(date(&t("1er septembre 2026")), Ok(d(2026, 9, 1)), "in French words");
        assert_eq!(date(&t("15 févr. 2027")), Ok(d(2027, 2, 15)));
        assert_eq!(date(&t("September 1, 2026")), Ok(d(2026, 9, 1)), "in English words");
        assert_eq!(date(&t("1-Sep-2026")), Ok(d(2026, 9, 1)));
        assert_eq!(date(&t("Tuesday 1 September 2026")), Ok(d(2026, 9, 1)));
        assert!(date(&t("31 février 2026")).is_err());
        let dt = d(2026, 9, 1).and_hms_opt(10, 0, 0).expect("as the test sets it up");
        assert_eq!(date(&Cell::DateTime(dt)), Ok(d(2026, 9, 1)));
        for bad in ["31/02/2026", "demain", "2026", "12/13/14/15", "1.5"] {
            let e = date(&t(bad)).expect_err("refused");
            assert!(e.message.contains("is not a date"), "{bad}: {e}");
        }
        assert!(date(&Cell::Number(3.0)).is_err(), "a small number is not a date");
    }

    #[test]
    fn moments_are_read_on_the_calls_clock() {
        let paris = Some("Europe/Paris");
        assert_eq!(
            moment(&t("01/09/2026 09:00"), paris).expect("as the test sets it up").to_rfc3339(),
            "2026-09-01T09:00:00+02:00"
        );
        assert_eq!(
            moment(&t("2026-12-01 17h00"), paris).expect("as the test sets it up").to_rfc3339(),
            "2026-12-01T17:00:00+01:00"
        );
        assert_eq!(
            moment(&t("2026-09-01T09:00:00+08:00"), paris).expect("as the test sets it up").to_rfc3339(),
            "2026-09-01T09:00:00+08:00",
            "an offset written wins"
        );
        let cell = Cell::DateTime(d(2026, 9, 1).and_hms_opt(9, 0, 0).expect("as the test sets it up"));
        assert_eq!(
            moment(&cell, Some("Asia/Shanghai")).expect("as the test sets it up").to_rfc3339(),
            "2026-09-01T09:00:00+08:00"
        );
        assert_eq!(
            moment(&t("2026-09-01"), None).expect("as the test sets it up").to_rfc3339(),
            "2026-09-01T00:00:00+00:00"
        );
        assert!(moment(&t("bientôt"), paris)
            .expect_err("refused")
            .message
            .contains("is not a date and time"));
        assert_eq!(local_time("2026-09-01T09:00:00+02:00"), d(2026, 9, 1).and_hms_opt(9, 0, 0));
    }

    #[test]
    fn yes_and_no_in_four_languages() {
        for yes in ["oui", "Oui", "yes", "Y", "x", "X", "1", "true", "VRAI", "是", "はい"] {
            assert_eq!(yes_no(&t(yes)), Ok(true), "{yes}");
        }
        for no in ["non", "NO", "0", "false", "faux", "否", "いいえ"] {
            assert_eq!(yes_no(&t(no)), Ok(false), "{no}");
        }
        assert_eq!(yes_no(&Cell::Bool(true)), Ok(true));
        assert_eq!(yes_no(&Cell::Number(0.0)), Ok(false));
        assert!(yes_no(&t("peut-être")).expect_err("refused").message.contains("is not yes or no"));
    }

    #[test]
    fn amounts_with_decimal_commas_and_spaces() {
        assert_eq!(amount(&t("1 350,50"), 2), Ok(135_050));
        assert_eq!(amount(&t("1\u{a0}350,50"), 2), Ok(135_050), "no-break space");
        assert_eq!(amount(&t("1\u{202f}350,5 €"), 2), Ok(135_050), "narrow no-break space and a sign");
        assert_eq!(amount(&t("1,350.50"), 2), Ok(135_050));
        assert_eq!(amount(&t("1.350,50"), 2), Ok(135_050));
        assert_eq!(amount(&t("1350"), 2), Ok(135_000));
        assert_eq!(amount(&t("1,350"), 2), Ok(135_000), "a lone separator before three digits groups");
        assert_eq!(amount(&t("12,5"), 2), Ok(1250));
        assert_eq!(amount(&t("EUR 2 000"), 2), Ok(200_000));
        assert_eq!(amount(&t("1'350.50"), 2), Ok(135_050), "Swiss apostrophe");
        assert_eq!(amount(&t("150 000"), 0), Ok(150_000), "yen have no decimals");
        assert_eq!(amount(&t("¥150,000"), 0), Ok(150_000));
        assert_eq!(amount(&t("-12,50"), 2), Ok(-1250));
        assert_eq!(amount(&Cell::Number(1350.5), 2), Ok(135_050));
        assert!(amount(&t("12,505"), 2).is_ok(), "12,505 groups thousands: 12505");
        assert!(amount(&t("12.5.5,5"), 2).is_err());
        assert!(amount(&t("1,5"), 0).expect_err("refused").message.contains("more decimals"));
        assert!(amount(&t("beaucoup"), 2).expect_err("refused").message.contains("is not an amount"));
        assert!(amount(&Cell::Number(1.234), 2).is_err());
    }

    #[test]
    fn whole_numbers_numbers_and_years() {
        assert_eq!(integer(&t("1 200")), Ok(1200));
        assert_eq!(integer(&Cell::Number(12.0)), Ok(12));
        assert!(integer(&t("2,5")).expect_err("refused").message.contains("whole number"));
        assert_eq!(number(&t("2,5")), Ok(2.5));
        assert_eq!(number(&t("0.75")), Ok(0.75));
        assert_eq!(number(&t("0,125")), Ok(0.125), "a number's lone separator is its decimal one");
        assert_eq!(number(&Cell::Number(3.0)), Ok(3.0));
        assert_eq!(academic_year(&t("2025/2026")), Ok(2025));
        assert_eq!(academic_year(&t("2025-26")), Ok(2025));
        assert_eq!(academic_year(&Cell::Number(2025.0)), Ok(2025));
        assert!(academic_year(&t("l'an prochain")).is_err());
    }

    #[test]
    fn languages_currencies_fields_and_addresses() {
        assert_eq!(language("Français"), "fr");
        assert_eq!(language("中文"), "zh");
        assert_eq!(language("日本語"), "ja");
        assert_eq!(language("zh-Hans"), "zh-Hans");
        assert_eq!(currency("€"), "EUR");
        assert_eq!(currency("eur"), "EUR");
        assert_eq!(currency("人民币"), "CNY");
        assert_eq!(currency("円"), "JPY");
        assert_eq!(minor_digits(Some("JPY")), 0);
        assert_eq!(minor_digits(Some("EUR")), 2);
        assert_eq!(minor_digits(None), 2);
        assert_eq!(field(&t("0731")), Ok("0731".into()));
        assert_eq!(field(&Cell::Number(731.0)), Ok("0731".into()), "a leading zero lost");
        assert_eq!(field(&t("0731 Architecture and town planning")), Ok("0731".into()));
        assert_eq!(field(&t("Santé")), Ok("health".into()));
        assert_eq!(field(&t("engineering")), Ok("engineering".into()));
        assert!(field(&t("astrologie")).expect_err("refused").message.contains("is not a field"));
        assert_eq!(url("www.fudan.edu.cn"), "https://www.fudan.edu.cn");
        assert_eq!(url("https://www.tohoku.ac.jp/"), "https://www.tohoku.ac.jp/");
        assert_eq!(items("a@x.cn; b@y.jp\nc@z.fr", true), ["a@x.cn", "b@y.jp", "c@z.fr"]);
        assert_eq!(items("Lyon, France; 上海", false), ["Lyon, France", "上海"]);
    }

    #[test]
    fn a_cell_reads_as_the_text_a_person_typed() {
        assert_eq!(text(&Cell::Number(999_884_732.0)).as_deref(), Some("999884732"));
        assert_eq!(text(&t("  Lyon ")).as_deref(), Some("Lyon"));
        assert_eq!(text(&t("   ")), None);
        assert_eq!(text(&t("'+86 21 6564 2222")).as_deref(), Some("+86 21 6564 2222"), "an export's guard");
        assert_eq!(text(&t("'-12,50")).as_deref(), Some("-12,50"));
        assert_eq!(text(&t("'s-Hertogenbosch")).as_deref(), Some("'s-Hertogenbosch"), "no guard");
        assert_eq!(text(&Cell::Date(d(2026, 9, 1))).as_deref(), Some("2026-09-01"));
    }
}
