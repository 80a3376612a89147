//! The closed vocabularies of records (kinds, zones, statuses, schemes…), with their stored text.
//!
//! A newer version of Liaison may add a value to a vocabulary; its ops reach this one by sync. Such a value
//! is kept as it is: it reads as `Unknown(text)` (shown as "unknown (text)"), serializes as its text, and a
//! save that did not change the field writes the same text back, so nothing is overwritten; a write may not
//! newly set an unknown value ([`kept_or_known`]). The text is interned for the life of the process so the
//! enums stay `Copy`; the set of interned values is bounded, so hostile input cannot grow memory without
//! limit (past the bound a value reads as `Unknown("…")`, which no save can write).
//! The TypeScript types list the known values only: the UI's label helpers accept any text.

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use rusqlite::{params, Connection, OptionalExtension};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;
use crate::validate::Report;

pub mod isced;

/// How many distinct unknown values, and how many bytes of them, a process keeps at most.
const MAX_UNKNOWN: usize = 1024;
const MAX_UNKNOWN_BYTES: usize = 64 * 1024;
/// The longest unknown value kept: vocabulary values are short words.
const MAX_UNKNOWN_LEN: usize = 64;
/// What an unknown value reads as once the bound is reached.
pub const OVERFLOW: &str = "…";

/// The text of an unknown value, kept for the life of the process; `None` past the bound.
fn intern(text: &str) -> Option<&'static str> {
    static KEPT: OnceLock<Mutex<(BTreeSet<&'static str>, usize)>> = OnceLock::new();
    let mut kept =
        KEPT.get_or_init(|| Mutex::new((BTreeSet::new(), 0))).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = kept.0.get(text) {
        return Some(known);
    }
    if text.len() > MAX_UNKNOWN_LEN || kept.0.len() >= MAX_UNKNOWN || kept.1 + text.len() > MAX_UNKNOWN_BYTES
    {
        return None;
    }
    let leaked: &'static str = Box::leak(text.to_owned().into_boxed_str());
    kept.0.insert(leaked);
    kept.1 += text.len();
    Some(leaked)
}

/// A vocabulary's value: its stored text, and whether this version knows it.
pub trait Vocabulary: Copy {
    fn text(self) -> &'static str;
    fn is_known(self) -> bool;
}

/// A value a write may store: a known one, or an unknown one that the row already holds (the save did not
/// touch the field). Otherwise a field error naming `field`. `table`, `column` and `id` (`None` for a new
/// row) say where the value is stored.
pub fn kept_or_known(
    conn: &Connection,
    report: &mut Report,
    field: &str,
    value: impl Vocabulary,
    (table, column, id): (&str, &str, Option<Uuid>),
) -> Result<()> {
    if value.is_known() {
        return Ok(());
    }
    let stored: Option<Option<String>> = match id {
        Some(id) => conn
            .prepare_cached(&format!("SELECT {column} FROM {table} WHERE id = ?1"))?
            .query_row(params![id], |r| r.get(0))
            .optional()?,
        None => None,
    };
    if value.text() == OVERFLOW || stored.flatten().as_deref() != Some(value.text()) {
        let name = field.rsplit('.').next().unwrap_or(field);
        report.add(field, "unknown_value", format!("unknown {name} '{}'", value.text()));
    }
    Ok(())
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, TS)]
        #[ts(export)]
        pub enum $name {
            $(#[ts(rename = $text)] $variant,)+
            #[ts(skip)]
            Unknown(&'static str),
        }

        impl $name {
            /// The values this version knows.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ $name::Unknown(text) => text }
            }

            /// A known value, from its text (user input, filters).
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// A stored value: known, or kept as it is.
            pub fn from_stored(text: &str) -> $name {
                $name::parse(text).unwrap_or_else(|| $name::Unknown(intern(text).unwrap_or(OVERFLOW)))
            }

            pub fn is_known(self) -> bool {
                !matches!(self, $name::Unknown(_))
            }

            /// SQL giving a stored value of `column` its place in the vocabulary (a workflow's order, for
            /// statuses), to sort by.
            pub fn order_sql(column: &str) -> String {
                let mut sql = format!("CASE {column}");
                for (i, v) in $name::ALL.iter().enumerate() {
                    sql.push_str(&format!(" WHEN '{}' THEN {i}", v.as_str()));
                }
                sql.push_str(" END");
                sql
            }
        }

        impl Vocabulary for $name {
            fn text(self) -> &'static str {
                self.as_str()
            }

            fn is_known(self) -> bool {
                $name::is_known(self)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                match $name::parse(&text) {
                    Some(known) => Ok(known),
                    None => intern(&text)
                        .map($name::Unknown)
                        .ok_or_else(|| D::Error::custom(format!("too many unknown values to keep '{text}'"))),
                }
            }
        }
    };
}

vocabulary!(
    /// What sort of organisation a partner is.
    OrgKind {
        University = "university",
        School = "school",
        Laboratory = "laboratory",
        Funder = "funder",
        GovernmentAgency = "government_agency",
        Company = "company",
        Other = "other",
    }
);

vocabulary!(
    /// The alliance's zones of cooperation, plus the home side.
    Zone {
        Brazil = "brazil",
        Canada = "canada",
        China = "china",
        Japan = "japan",
        FranceEurope = "france_europe",
        Other = "other",
    }
);

vocabulary!(
    PartnerStatus {
        Active = "active",
        Prospect = "prospect",
        Inactive = "inactive",
    }
);

vocabulary!(
    /// Registries that identify organisations.
    IdScheme {
        Ror = "ror",
        Erasmus = "erasmus",
        Schac = "schac",
        Pic = "pic",
        Wikidata = "wikidata",
        Isni = "isni",
    }
);

impl Zone {
    /// The zone's name in English, for messages ("no organisation from Japan").
    pub fn label(self) -> &'static str {
        match self {
            Zone::Brazil => "Brazil",
            Zone::Canada => "Canada",
            Zone::China => "China",
            Zone::Japan => "Japan",
            Zone::FranceEurope => "France & Europe",
            Zone::Other => "other countries",
            Zone::Unknown(text) => text,
        }
    }

    /// The zone a country belongs to by default.
    pub fn of_country(country: &str) -> Zone {
        match country {
            "BR" => Zone::Brazil,
            "CA" => Zone::Canada,
            "CN" | "HK" | "MO" | "TW" => Zone::China,
            "JP" => Zone::Japan,
            "FR" | "DE" | "IT" | "ES" | "BE" | "NL" | "CH" | "GB" | "PT" | "AT" | "IE" | "LU" | "SE"
            | "DK" | "FI" | "NO" | "PL" | "CZ" | "GR" => Zone::FranceEurope,
            _ => Zone::Other,
        }
    }
}

impl IdScheme {
    /// The identifier in its canonical form, or `None` when it is not of this scheme's format.
    pub fn normalise(self, value: &str) -> Option<String> {
        use crate::validate;
        match self {
            IdScheme::Ror => validate::ror(value),
            IdScheme::Erasmus => validate::erasmus(value),
            IdScheme::Schac => validate::schac(value),
            IdScheme::Pic => validate::pic(value),
            IdScheme::Wikidata => validate::wikidata(value),
            IdScheme::Isni => validate::isni(value),
            // A newer version's scheme: its format is unknown here, so the value is kept as given.
            IdScheme::Unknown(_) => Some(value.trim().to_owned()).filter(|v| !v.is_empty()),
        }
    }

    pub fn example(self) -> &'static str {
        match self {
            IdScheme::Ror => "013q1eq08 or https://ror.org/013q1eq08",
            IdScheme::Erasmus => "F  LYON03",
            IdScheme::Schac => "univ-lyon.fr",
            IdScheme::Pic => "999884732 (nine digits)",
            IdScheme::Wikidata => "Q1056543",
            IdScheme::Isni => "0000 0001 2156 142X",
            IdScheme::Unknown(_) => "",
        }
    }
}

vocabulary!(
    /// What an agreement is for.
    AgreementKind {
        Framework = "framework",
        Mou = "mou",
        StudentExchange = "student_exchange",
        DoubleDegree = "double_degree",
        Cotutelle = "cotutelle",
        Research = "research",
        LabCollaboration = "lab_collaboration",
        OfficeHosting = "office_hosting",
        Scholarship = "scholarship",
        ErasmusType = "erasmus_type",
    }
);

vocabulary!(
    /// Where an agreement stands. `Expired` is also derived: an active agreement past its end date shows
    /// as expired.
    AgreementStatus {
        Idea = "idea",
        Negotiation = "negotiation",
        UnderSignature = "under_signature",
        Active = "active",
        RenewalPending = "renewal_pending",
        Expired = "expired",
        Terminated = "terminated",
        Superseded = "superseded",
    }
);

vocabulary!(
    /// The kind of mobility a cooperation condition allows.
    MobilityType {
        StudentStudy = "student_study",
        StudentTraineeship = "student_traineeship",
        Doctoral = "doctoral",
        StaffTeaching = "staff_teaching",
        StaffTraining = "staff_training",
        Researcher = "researcher",
    }
);

vocabulary!(
    /// European Qualifications Framework levels of higher education.
    Level {
        Eqf5 = "eqf5",
        Eqf6 = "eqf6",
        Eqf7 = "eqf7",
        Eqf8 = "eqf8",
    }
);

vocabulary!(
    /// Common European Framework of Reference levels.
    Cefr {
        A1 = "A1",
        A2 = "A2",
        B1 = "B1",
        B2 = "B2",
        C1 = "C1",
        C2 = "C2",
    }
);

vocabulary!(
    Direction {
        Incoming = "incoming",
        Outgoing = "outgoing",
    }
);

vocabulary!(
    /// Who moves.
    ExchangeCategory {
        Student = "student",
        Doctoral = "doctoral",
        Staff = "staff",
        Researcher = "researcher",
    }
);

vocabulary!(
    /// Under which scheme.
    Programme {
        CscDoctoral = "csc_doctoral",
        Agreement = "agreement",
        SummerSchool = "summer_school",
        DelegationVisit = "delegation_visit",
        Other = "other",
    }
);

vocabulary!(
    ExchangeStatus {
        Applied = "applied",
        Nominated = "nominated",
        Accepted = "accepted",
        Ongoing = "ongoing",
        Completed = "completed",
        Cancelled = "cancelled",
        Withdrawn = "withdrawn",
    }
);

/// The alliance's own fields, accepted beside ISCED-F 2013 four-digit codes.
pub const ALLIANCE_FIELDS: &[&str] =
    &["health", "engineering", "sustainable_development", "arts", "humanities_social_sciences"];

/// An ISCED-F 2013 detailed field ("0731": four digits, broad field 00–10) or an alliance field.
pub fn is_field(code: &str) -> bool {
    ALLIANCE_FIELDS.contains(&code)
        || (code.len() == 4
            && code.bytes().all(|b| b.is_ascii_digit())
            && code[..2].parse::<u8>().is_ok_and(|broad| broad <= 10))
}

/// "2025/2026" for 2025: academic years are named by the year they start in.
pub fn academic_year_label(year: i64) -> String {
    format!("{year}/{}", year.saturating_add(1))
}

vocabulary!(
    /// Where a call stands.
    CallStatus {
        Draft = "draft",
        Open = "open",
        Closed = "closed",
        Evaluation = "evaluation",
        Decided = "decided",
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// An application's workflow: draft → submitted → eligible / ineligible → under evaluation → selected /
    /// reserve / rejected → funded → closed, or withdrawn at any point before the decision is final.
    ApplicationStatus {
        Draft = "draft",
        Submitted = "submitted",
        Eligible = "eligible",
        Ineligible = "ineligible",
        UnderEvaluation = "under_evaluation",
        Selected = "selected",
        Reserve = "reserve",
        Rejected = "rejected",
        Funded = "funded",
        Closed = "closed",
        Withdrawn = "withdrawn",
    }
);

impl ApplicationStatus {
    /// The statuses an application in this one may move to.
    pub fn next(self) -> &'static [ApplicationStatus] {
        use ApplicationStatus::*;
        match self {
            Draft => &[Submitted, Withdrawn],
            Submitted => &[Draft, Eligible, Ineligible, Withdrawn],
            Eligible => &[UnderEvaluation, Ineligible, Withdrawn],
            Ineligible => &[Eligible, Closed, Withdrawn],
            UnderEvaluation => &[Selected, Reserve, Rejected, Withdrawn],
            Selected => &[Funded, Reserve, Rejected, Withdrawn],
            Reserve => &[Selected, Rejected, Withdrawn],
            Rejected => &[Reserve, Closed],
            Funded => &[Closed],
            Closed | Withdrawn => &[],
            // A newer version's status: this one does not know its place in the workflow, so it lets the user
            // put the application back at any known status (and never moves it there itself).
            Unknown(_) => ApplicationStatus::ALL,
        }
    }
}

vocabulary!(
    ProjectKind {
        Flagship = "flagship",
        JointLab = "joint_lab",
        InternationalResearchUnit = "international_research_unit",
        TrainingProgramme = "training_programme",
        RepresentativeOffice = "representative_office",
    }
);

vocabulary!(
    ProjectStatus {
        Planned = "planned",
        Active = "active",
        Completed = "completed",
        Suspended = "suspended",
        Cancelled = "cancelled",
    }
);

vocabulary!(
    EventKind {
        Webinar = "webinar",
        Symposium = "symposium",
        Workshop = "workshop",
        Visit = "visit",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_value_is_kept_and_a_hostile_one_is_not() {
        assert_eq!(Zone::from_stored("antarctica"), Zone::Unknown("antarctica"));
        assert_eq!(Zone::from_stored("china"), Zone::China, "a known value reads as its variant");
        let long = "x".repeat(MAX_UNKNOWN_LEN + 1);
        assert_eq!(Zone::from_stored(&long), Zone::Unknown(OVERFLOW), "no unbounded text is kept");
        assert!(
            serde_json::from_str::<Zone>(&format!("\"{long}\"")).is_err(),
            "input past the bound is refused"
        );
        assert_eq!(Zone::parse("antarctica"), None, "parse knows the known values only");
    }
}
