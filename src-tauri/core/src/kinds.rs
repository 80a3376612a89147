//! The closed vocabularies of partners (kind, zone, status, identifier scheme), with their stored text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
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
    format!("{year}/{}", year + 1)
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
