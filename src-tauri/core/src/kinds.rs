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
