//! vCard 4.0 files (RFC 6350) of contacts, for an address book: one card per person with their names (the
//! Latin-script one preferred, the native-script one beside), e-mails, phones, languages, current
//! organisations and roles, and notes. Values are escaped (`\\`, `\,`, `\;`, `\n`) and lines folded at 75
//! octets without splitting a character, with CRLF line ends, as the RFC requires.

use std::io::Write;

use chrono::NaiveDate;

use super::Counter;
use crate::error::Result;
use crate::job::Job;
use crate::records::contact::Contact;

/// Writes `contacts` as vCards; returns how many were written. Affiliations that ended before `today` are
/// left out (the card says where the person works now).
pub fn write(
    out: impl Write,
    contacts: impl Iterator<Item = Result<Contact>>,
    expected: u64,
    today: NaiveDate,
    job: &Job,
) -> Result<u64> {
    let mut out = out;
    let mut counter = Counter::new(job, "Contacts", expected)?;
    for contact in contacts {
        out.write_all(card(&contact?, today).as_bytes())?;
        counter.row()?;
    }
    out.flush()?;
    counter.finish()
}

/// One contact's vCard, CRLF line ends and folded lines included.
pub fn card(c: &Contact, today: NaiveDate) -> String {
    let mut card = Card::default();
    card.line("BEGIN:VCARD");
    card.line("VERSION:4.0");
    card.line(&format!("UID:urn:uuid:{}", c.id));
    let input = &c.input;
    let latin = [input.title.as_deref(), input.given_name.as_deref(), input.family_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let native = input.native_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    match (latin.is_empty(), native) {
        (false, Some(native)) => {
            card.line(&format!("FN;PREF=1:{}", text(&latin)));
            card.line(&format!("FN:{}", text(native)));
        }
        (false, None) => card.line(&format!("FN:{}", text(&latin))),
        (true, Some(native)) => card.line(&format!("FN:{}", text(native))),
        (true, None) => card.line(&format!("FN:{}", text(&c.name))),
    }
    // N: family; given; additional; honorific prefixes; honorific suffixes.
    let part = |v: Option<&String>| v.map(|v| text(v.trim())).unwrap_or_default();
    card.line(&format!(
        "N:{};{};;{};",
        part(input.family_name.as_ref()),
        part(input.given_name.as_ref()),
        part(input.title.as_ref())
    ));
    for (i, email) in input.emails.iter().enumerate() {
        let pref = if i == 0 { ";PREF=1" } else { "" };
        card.line(&format!("EMAIL{pref}:{}", text(email)));
    }
    for (i, phone) in input.phones.iter().enumerate() {
        let pref = if i == 0 { ";PREF=1" } else { "" };
        match tel_uri(phone) {
            Some(uri) => card.line(&format!("TEL{pref};VALUE=uri:{uri}")),
            None => card.line(&format!("TEL{pref};VALUE=text:{}", text(phone))),
        }
    }
    for (i, lang) in input.languages.iter().enumerate() {
        card.line(&format!("LANG;PREF={}:{}", (i + 1).min(100), text(lang)));
    }
    let today = today.format("%Y-%m-%d").to_string();
    for a in c.affiliations_read.iter().filter(|a| a.end_date.as_deref().is_none_or(|end| *end >= *today)) {
        if let Some(name) = a.partner_name.as_deref() {
            card.line(&format!("ORG:{}", text(name)));
        }
        if let Some(role) = a.role.as_deref().filter(|r| !r.trim().is_empty()) {
            card.line(&format!("TITLE:{}", text(role)));
        }
    }
    if let Some(notes) = input.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        card.line(&format!("NOTE:{}", text(notes)));
    }
    card.line("END:VCARD");
    card.0
}

/// A text value escaped as RFC 6350 §3.4 says: backslash, comma, semicolon and line breaks.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            // Other control characters have no place in a card.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A phone number as a `tel:` URI (RFC 3966) when it is only digits, `+` and visual separators: spaces
/// become `-`, which the URI allows.
fn tel_uri(phone: &str) -> Option<String> {
    let phone = phone.trim();
    let plain = !phone.is_empty()
        && phone.chars().any(|c| c.is_ascii_digit())
        && phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'))
        && !phone[1..].contains('+');
    plain.then(|| {
        let mut uri = String::from("tel:");
        let mut last_separator = false;
        for c in phone.chars() {
            if c == ' ' {
                if !last_separator {
                    uri.push('-');
                }
                last_separator = true;
            } else {
                last_separator = matches!(c, '-' | '.');
                uri.push(c);
            }
        }
        uri
    })
}

/// A card's lines, each folded to 75 octets (continuations start with a space) and ended with CRLF.
#[derive(Default)]
struct Card(String);

impl Card {
    fn line(&mut self, line: &str) {
        let mut room = 75;
        let mut used = 0;
        for c in line.chars() {
            let len = c.len_utf8();
            if used + len > room {
                self.0.push_str("\r\n ");
                used = 1;
                room = 75;
            }
            self.0.push(c);
            used += len;
        }
        self.0.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::records::contact::{Affiliation, ContactInput};

    fn contact() -> Contact {
        Contact {
            id: Uuid::nil(),
            input: ContactInput {
                given_name: Some("Wei".into()),
                family_name: Some("LI".into()),
                native_name: Some("李伟".into()),
                title: Some("Prof.".into()),
                emails: vec!["li.wei@fudan.edu.cn".into(), "wei@example.org".into()],
                phones: vec!["+86 21 6564 2222".into(), "ext. 12; ask for Li".into()],
                languages: vec!["zh".into(), "en".into()],
                affiliations: vec![],
                notes: Some("Met in Lyon, 2024;\r\nprefers WeChat\\e-mail".into()),
            },
            name: "Prof. Wei LI (李伟)".into(),
            affiliations_read: vec![
                affiliation("Fudan University", Some("Dean, School of Life Sciences"), None),
                affiliation("Tongji University", None, Some("2020-06-30")),
            ],
            created_at: None,
            deleted: false,
        }
    }

    fn affiliation(name: &str, role: Option<&str>, end: Option<&str>) -> Affiliation {
        Affiliation {
            id: Uuid::nil(),
            partner_id: Uuid::nil(),
            partner_name: Some(name.into()),
            partner_labels: None,
            role: role.map(str::to_owned),
            start_date: None,
            end_date: end.map(str::to_owned),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).expect("date")
    }

    #[test]
    fn a_card_holds_the_persons_names_ways_to_reach_them_and_current_organisations() {
        let card = card(&contact(), today());
        assert_eq!(
            card,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:00000000-0000-0000-0000-000000000000\r\n\
             FN;PREF=1:Prof. Wei LI\r\nFN:李伟\r\nN:LI;Wei;;Prof.;\r\n\
             EMAIL;PREF=1:li.wei@fudan.edu.cn\r\nEMAIL:wei@example.org\r\n\
             TEL;PREF=1;VALUE=uri:tel:+86-21-6564-2222\r\nTEL;VALUE=text:ext. 12\\; ask for Li\r\n\
             LANG;PREF=1:zh\r\nLANG;PREF=2:en\r\n\
             ORG:Fudan University\r\nTITLE:Dean\\, School of Life Sciences\r\n\
             NOTE:Met in Lyon\\, 2024\\;\\nprefers WeChat\\\\e-mail\r\nEND:VCARD\r\n"
        );
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_without_splitting_a_character() {
        let mut c = contact();
        c.input.notes = Some("東京大学との協定について。".repeat(10));
        let card = card(&c, today());
        for line in card.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        // Unfolding (RFC 6350 §3.2: remove CRLF followed by one space) gives back the note.
        let unfolded = card.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("NOTE:{}\r\n", "東京大学との協定について。".repeat(10))));
        assert!(card.contains("\r\n "), "the note was folded");
    }

    #[test]
    fn text_values_are_escaped_and_control_characters_dropped() {
        assert_eq!(text("a,b;c\\d\ne\r\nf\rg\u{7}"), "a\\,b\\;c\\\\d\\ne\\nf\\ng");
        assert_eq!(tel_uri("+33 (0)4 72  00 00 00"), Some("tel:+33-(0)4-72-00-00-00".into()));
        assert_eq!(tel_uri("call me"), None);
        assert_eq!(tel_uri("+33+4"), None);
    }

    #[test]
    fn a_person_with_only_a_native_name_gets_it_as_their_name() {
        let mut c = contact();
        c.input.given_name = None;
        c.input.family_name = None;
        c.input.title = None;
        let card = card(&c, today());
        assert!(card.contains("\r\nFN:李伟\r\nN:;;;;\r\n"), "{card}");
    }
}
