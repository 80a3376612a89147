//! The words a person reads for each vocabulary value, in English and French: the same labels the app shows
//! (brought here from the UI's `enums` translations so files and the app say the same), and a value's
//! recognition from its code or either label, case, accents and punctuation aside.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::label::UiLang;

/// The closed vocabularies a column can hold (see [`crate::kinds`]), plus the alliance's own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Vocab {
    OrgKind,
    Zone,
    PartnerStatus,
    IdScheme,
    AgreementKind,
    AgreementStatus,
    MobilityType,
    Level,
    Cefr,
    Direction,
    ExchangeCategory,
    Programme,
    ExchangeStatus,
    CallStatus,
    ApplicationStatus,
    ProjectKind,
    ProjectStatus,
    EventKind,
    AllianceField,
}

/// (code, English label, French label) of each value, in the vocabulary's order.
type Values = &'static [(&'static str, &'static str, &'static str)];

const TABLE: &[(Vocab, Values)] = &[
    (
        Vocab::OrgKind,
        &[
            ("university", "University", "Université"),
            ("school", "School", "École"),
            ("laboratory", "Laboratory", "Laboratoire"),
            ("funder", "Funder", "Financeur"),
            ("government_agency", "Government agency", "Organisme public"),
            ("company", "Company", "Entreprise"),
            ("other", "Other", "Autre"),
        ],
    ),
    (
        Vocab::Zone,
        &[
            ("brazil", "Brazil", "Brésil"),
            ("canada", "Canada", "Canada"),
            ("china", "China", "Chine"),
            ("japan", "Japan", "Japon"),
            ("france_europe", "France & Europe", "France et Europe"),
            ("other", "Other", "Autre"),
        ],
    ),
    (
        Vocab::PartnerStatus,
        &[
            ("active", "Active", "Actif"),
            ("prospect", "Prospect", "Prospect"),
            ("inactive", "Inactive", "Inactif"),
        ],
    ),
    (
        Vocab::IdScheme,
        &[
            ("ror", "ROR", "ROR"),
            ("erasmus", "Erasmus code", "Code Erasmus"),
            ("schac", "SCHAC", "SCHAC"),
            ("pic", "PIC", "PIC"),
            ("wikidata", "Wikidata", "Wikidata"),
            ("isni", "ISNI", "ISNI"),
        ],
    ),
    (
        Vocab::AgreementKind,
        &[
            ("framework", "Framework agreement", "Accord-cadre"),
            ("mou", "Memorandum of understanding", "Protocole d’entente"),
            ("student_exchange", "Student exchange", "Échange d’étudiants"),
            ("double_degree", "Double degree", "Double diplôme"),
            ("cotutelle", "Joint PhD supervision (cotutelle)", "Cotutelle de thèse"),
            ("research", "Research cooperation", "Coopération de recherche"),
            ("lab_collaboration", "Laboratory collaboration", "Collaboration entre laboratoires"),
            ("office_hosting", "Office hosting", "Hébergement de bureau"),
            ("scholarship", "Scholarship", "Bourse"),
            ("erasmus_type", "Erasmus-type agreement", "Accord de type Erasmus"),
        ],
    ),
    (
        Vocab::AgreementStatus,
        &[
            ("idea", "Idea", "Idée"),
            ("negotiation", "Under negotiation", "En négociation"),
            ("under_signature", "Awaiting signature", "En cours de signature"),
            ("active", "Active", "En vigueur"),
            ("renewal_pending", "Renewal pending", "Renouvellement en cours"),
            ("expired", "Expired", "Expiré"),
            ("terminated", "Terminated", "Résilié"),
            ("superseded", "Superseded", "Remplacé"),
        ],
    ),
    (
        Vocab::MobilityType,
        &[
            ("student_study", "Student study", "Mobilité d’études"),
            ("student_traineeship", "Student traineeship", "Stage étudiant"),
            ("doctoral", "Doctoral mobility", "Mobilité doctorale"),
            ("staff_teaching", "Staff teaching", "Mission d’enseignement"),
            ("staff_training", "Staff training", "Formation des personnels"),
            ("researcher", "Researcher mobility", "Mobilité de chercheurs"),
        ],
    ),
    (
        Vocab::Level,
        &[
            ("eqf5", "EQF 5 (short cycle)", "Niveau 5 (bac+2)"),
            ("eqf6", "EQF 6 (bachelor)", "Niveau 6 (licence)"),
            ("eqf7", "EQF 7 (master)", "Niveau 7 (master)"),
            ("eqf8", "EQF 8 (doctorate)", "Niveau 8 (doctorat)"),
        ],
    ),
    (Vocab::Direction, &[("incoming", "Incoming", "Entrante"), ("outgoing", "Outgoing", "Sortante")]),
    (
        Vocab::ExchangeCategory,
        &[
            ("student", "Student", "Étudiant"),
            ("doctoral", "Doctoral candidate", "Doctorant"),
            ("staff", "Staff", "Personnel"),
            ("researcher", "Researcher", "Chercheur"),
        ],
    ),
    (
        Vocab::Programme,
        &[
            ("csc_doctoral", "CSC doctoral scholarship", "Bourse doctorale CSC"),
            ("agreement", "Under an agreement", "Dans le cadre d’un accord"),
            ("summer_school", "Summer school", "École d’été"),
            ("delegation_visit", "Delegation visit", "Visite de délégation"),
            ("other", "Other", "Autre"),
        ],
    ),
    (
        Vocab::ExchangeStatus,
        &[
            ("applied", "Applied", "Candidature"),
            ("nominated", "Nominated", "Nominé"),
            ("accepted", "Accepted", "Accepté"),
            ("ongoing", "Ongoing", "En cours"),
            ("completed", "Completed", "Terminé"),
            ("cancelled", "Cancelled", "Annulé"),
            ("withdrawn", "Withdrawn", "Désistement"),
        ],
    ),
    (
        Vocab::CallStatus,
        &[
            ("draft", "Draft", "Brouillon"),
            ("open", "Open", "Ouvert"),
            ("closed", "Closed", "Clos"),
            ("evaluation", "Under evaluation", "En évaluation"),
            ("decided", "Decided", "Résultats publiés"),
            ("cancelled", "Cancelled", "Annulé"),
        ],
    ),
    (
        Vocab::ApplicationStatus,
        &[
            ("draft", "Draft", "Brouillon"),
            ("submitted", "Submitted", "Déposée"),
            ("eligible", "Eligible", "Éligible"),
            ("ineligible", "Ineligible", "Inéligible"),
            ("under_evaluation", "Under evaluation", "En évaluation"),
            ("selected", "Selected", "Retenue"),
            ("reserve", "Reserve list", "Liste complémentaire"),
            ("rejected", "Rejected", "Refusée"),
            ("funded", "Funded", "Financée"),
            ("closed", "Closed", "Clôturée"),
            ("withdrawn", "Withdrawn", "Retirée"),
        ],
    ),
    (
        Vocab::ProjectKind,
        &[
            ("flagship", "Flagship project", "Projet phare"),
            ("joint_lab", "Joint laboratory", "Laboratoire commun"),
            (
                "international_research_unit",
                "International research unit",
                "Unité de recherche internationale",
            ),
            ("training_programme", "Training programme", "Programme de formation"),
            ("representative_office", "Representative office", "Bureau de représentation"),
        ],
    ),
    (
        Vocab::ProjectStatus,
        &[
            ("planned", "Planned", "Prévu"),
            ("active", "Active", "En cours"),
            ("completed", "Completed", "Terminé"),
            ("suspended", "Suspended", "Suspendu"),
            ("cancelled", "Cancelled", "Annulé"),
        ],
    ),
    (
        Vocab::EventKind,
        &[
            ("webinar", "Webinar", "Webinaire"),
            ("symposium", "Symposium", "Colloque"),
            ("workshop", "Workshop", "Atelier"),
            ("visit", "Visit", "Visite"),
        ],
    ),
    (
        Vocab::AllianceField,
        &[
            ("health", "Health", "Santé"),
            ("engineering", "Engineering", "Ingénierie"),
            ("sustainable_development", "Sustainable development", "Développement durable"),
            ("arts", "Arts", "Arts"),
            ("humanities_social_sciences", "Humanities and social sciences", "Sciences humaines et sociales"),
        ],
    ),
    (
        Vocab::Cefr,
        &[
            ("A1", "A1", "A1"),
            ("A2", "A2", "A2"),
            ("B1", "B1", "B1"),
            ("B2", "B2", "B2"),
            ("C1", "C1", "C1"),
            ("C2", "C2", "C2"),
        ],
    ),
];

/// Other words people write for a value: (vocabulary, code, word).
const SYNONYMS: &[(Vocab, &str, &str)] = &[
    (Vocab::Level, "eqf5", "EQF 5"),
    (Vocab::Level, "eqf6", "EQF 6"),
    (Vocab::Level, "eqf7", "EQF 7"),
    (Vocab::Level, "eqf8", "EQF 8"),
    (Vocab::Level, "eqf5", "Niv. 5"),
    (Vocab::Level, "eqf6", "Niv. 6"),
    (Vocab::Level, "eqf7", "Niv. 7"),
    (Vocab::Level, "eqf8", "Niv. 8"),
    (Vocab::Level, "eqf6", "bachelor"),
    (Vocab::Level, "eqf6", "licence"),
    (Vocab::Level, "eqf7", "master"),
    (Vocab::Level, "eqf8", "doctorate"),
    (Vocab::Level, "eqf8", "doctorat"),
    (Vocab::Level, "eqf8", "PhD"),
    (Vocab::Zone, "france_europe", "Europe"),
    (Vocab::Zone, "france_europe", "France"),
    (Vocab::AgreementKind, "mou", "MoU"),
    (Vocab::AgreementKind, "mou", "Memorandum"),
    (Vocab::AgreementKind, "cotutelle", "Cotutelle"),
    (Vocab::AgreementStatus, "negotiation", "Negotiation"),
    (Vocab::AgreementStatus, "under_signature", "Under signature"),
    (Vocab::AgreementStatus, "active", "Actif"),
    (Vocab::Direction, "incoming", "In"),
    (Vocab::Direction, "outgoing", "Out"),
    (Vocab::Direction, "incoming", "Entrant"),
    (Vocab::Direction, "outgoing", "Sortant"),
    (Vocab::Direction, "incoming", "Accueil"),
    (Vocab::Direction, "outgoing", "Envoi"),
    (Vocab::ExchangeCategory, "student", "Étudiante"),
    (Vocab::ExchangeCategory, "doctoral", "Doctorante"),
    (Vocab::ExchangeCategory, "doctoral", "PhD student"),
    (Vocab::ExchangeCategory, "researcher", "Chercheuse"),
    (Vocab::ExchangeCategory, "staff", "Staff member"),
    (Vocab::Programme, "csc_doctoral", "CSC"),
    (Vocab::Programme, "agreement", "Agreement"),
    (Vocab::Programme, "agreement", "Accord"),
    (Vocab::ExchangeStatus, "nominated", "Nominée"),
    (Vocab::ExchangeStatus, "accepted", "Acceptée"),
    (Vocab::ExchangeStatus, "completed", "Terminée"),
    (Vocab::ExchangeStatus, "cancelled", "Annulée"),
    (Vocab::ExchangeStatus, "cancelled", "Canceled"),
    (Vocab::PartnerStatus, "active", "Active"),
    (Vocab::PartnerStatus, "inactive", "Inactive"),
    (Vocab::OrgKind, "university", "Univ"),
    (Vocab::OrgKind, "laboratory", "Lab"),
    (Vocab::OrgKind, "government_agency", "Agency"),
    (Vocab::OrgKind, "company", "Société"),
    (Vocab::ProjectStatus, "completed", "Terminée"),
    (Vocab::ProjectStatus, "cancelled", "Canceled"),
    (Vocab::CallStatus, "closed", "Fermé"),
    (Vocab::CallStatus, "closed", "Closed"),
    (Vocab::CallStatus, "cancelled", "Canceled"),
    (Vocab::ApplicationStatus, "cancelled", "Canceled"),
    (Vocab::IdScheme, "erasmus", "Erasmus"),
];

/// Every word [`Vocab::parse`] knows, as [`super::header::key`] folds it, with the code it stands for: made
/// once, so that a file of a million rows folds each of its cells once, not every label for every cell. A
/// word stands for the first value whose code or label it is, else for its first synonym's value (`None`
/// when that synonym names a code the vocabulary lacks).
fn keys() -> &'static HashMap<(Vocab, String), Option<&'static str>> {
    static KEYS: OnceLock<HashMap<(Vocab, String), Option<&'static str>>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let key = super::header::key;
        let mut keys = HashMap::new();
        for (vocab, values) in TABLE {
            for (code, en, fr) in values.iter() {
                for word in [code, en, fr] {
                    keys.entry((*vocab, key(word))).or_insert(Some(*code));
                }
            }
        }
        for (vocab, code, word) in SYNONYMS {
            let known = vocab.values().iter().find(|v| v.0 == *code).map(|v| v.0);
            keys.entry((*vocab, key(word))).or_insert(known);
        }
        keys
    })
}

impl Vocab {
    fn values(self) -> Values {
        TABLE.iter().find(|(v, _)| *v == self).map_or(&[], |(_, values)| values)
    }

    /// The codes, in the vocabulary's order.
    pub fn codes(self) -> Vec<&'static str> {
        self.values().iter().map(|v| v.0).collect()
    }

    /// The label of `code` for a reader of `lang`; the code itself when this version does not know it.
    pub fn label(self, code: &str, lang: UiLang) -> String {
        match self.values().iter().find(|v| v.0 == code) {
            Some((_, en, fr)) => match lang {
                UiLang::En => (*en).to_owned(),
                UiLang::Fr => (*fr).to_owned(),
            },
            None => code.to_owned(),
        }
    }

    /// Every label for `lang`, in the vocabulary's order: the allowed values a template lists.
    pub fn labels(self, lang: UiLang) -> Vec<String> {
        self.values().iter().map(|v| self.label(v.0, lang)).collect()
    }

    /// The code a person meant by `text`: a code, an English or French label or a known synonym, compared
    /// as [`super::header::key`] compares headers (case, accents, punctuation and spaces aside).
    pub fn parse(self, text: &str) -> Option<&'static str> {
        let wanted = super::header::key(text);
        if wanted.is_empty() {
            return None;
        }
        keys().get(&(self, wanted)).copied().flatten()
    }

    /// How the vocabulary is named in messages ("a zone").
    pub fn noun(self) -> &'static str {
        match self {
            Vocab::OrgKind => "a kind of organisation",
            Vocab::Zone => "a zone",
            Vocab::PartnerStatus | Vocab::AgreementStatus | Vocab::ExchangeStatus => "a status",
            Vocab::CallStatus | Vocab::ApplicationStatus | Vocab::ProjectStatus => "a status",
            Vocab::IdScheme => "an identifier scheme",
            Vocab::AgreementKind => "a kind of agreement",
            Vocab::MobilityType => "a mobility type",
            Vocab::Level => "a level",
            Vocab::Cefr => "a CEFR level",
            Vocab::Direction => "a direction",
            Vocab::ExchangeCategory => "a category",
            Vocab::Programme => "a programme",
            Vocab::ProjectKind => "a kind of project",
            Vocab::EventKind => "a kind of event",
            Vocab::AllianceField => "a field",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds;

    #[test]
    fn every_vocabulary_lists_the_codes_the_core_knows() {
        let core: &[(Vocab, Vec<&str>)] = &[
            (Vocab::OrgKind, kinds::OrgKind::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::Zone, kinds::Zone::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::PartnerStatus, kinds::PartnerStatus::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::IdScheme, kinds::IdScheme::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::AgreementKind, kinds::AgreementKind::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::AgreementStatus, kinds::AgreementStatus::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::MobilityType, kinds::MobilityType::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::Level, kinds::Level::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::Cefr, kinds::Cefr::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::Direction, kinds::Direction::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::ExchangeCategory, kinds::ExchangeCategory::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::Programme, kinds::Programme::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::ExchangeStatus, kinds::ExchangeStatus::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::CallStatus, kinds::CallStatus::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::ApplicationStatus, kinds::ApplicationStatus::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::ProjectKind, kinds::ProjectKind::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::ProjectStatus, kinds::ProjectStatus::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::EventKind, kinds::EventKind::ALL.iter().map(|v| v.as_str()).collect()),
            (Vocab::AllianceField, kinds::ALLIANCE_FIELDS.to_vec()),
        ];
        for (vocab, codes) in core {
            assert_eq!(&vocab.codes(), codes, "{vocab:?}");
        }
    }

    #[test]
    fn the_labels_are_the_ones_the_app_shows() {
        let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/i18n");
        let keys = [
            (Vocab::OrgKind, "kind"),
            (Vocab::Zone, "zone"),
            (Vocab::PartnerStatus, "status"),
            (Vocab::IdScheme, "scheme"),
            (Vocab::AgreementKind, "agreementKind"),
            (Vocab::AgreementStatus, "agreementStatus"),
            (Vocab::MobilityType, "mobility"),
            (Vocab::Level, "level"),
            (Vocab::Direction, "direction"),
            (Vocab::ExchangeCategory, "category"),
            (Vocab::Programme, "programme"),
            (Vocab::ExchangeStatus, "exchangeStatus"),
            (Vocab::CallStatus, "callStatus"),
            (Vocab::ApplicationStatus, "applicationStatus"),
            (Vocab::ProjectKind, "projectKind"),
            (Vocab::ProjectStatus, "projectStatus"),
            (Vocab::EventKind, "eventKind"),
            (Vocab::AllianceField, "field"),
        ];
        for lang in UiLang::ALL {
            let text = std::fs::read_to_string(ui.join(format!("{}.json", lang.as_str())))
                .expect("the UI's translations");
            let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            for (vocab, key) in keys {
                for code in vocab.codes() {
                    let shown = json["enums"][key][code].as_str();
                    assert_eq!(shown, Some(vocab.label(code, lang).as_str()), "{vocab:?} {code} in {lang:?}");
                }
            }
        }
    }

    #[test]
    fn a_value_is_found_by_code_or_label_in_either_language() {
        assert_eq!(Vocab::Zone.parse("Chine"), Some("china"));
        assert_eq!(Vocab::Zone.parse("france et europe"), Some("france_europe"));
        assert_eq!(Vocab::Zone.parse(" JAPON "), Some("japan"));
        assert_eq!(Vocab::AgreementKind.parse("Accord-cadre"), Some("framework"));
        assert_eq!(Vocab::AgreementKind.parse("accord cadre"), Some("framework"));
        assert_eq!(Vocab::AgreementKind.parse("student_exchange"), Some("student_exchange"));
        assert_eq!(Vocab::AgreementStatus.parse("En vigueur"), Some("active"));
        assert_eq!(Vocab::ExchangeStatus.parse("Désistement"), Some("withdrawn"));
        assert_eq!(Vocab::Programme.parse("Bourse doctorale CSC"), Some("csc_doctoral"));
        assert_eq!(Vocab::Level.parse("Niveau 7 (master)"), Some("eqf7"));
        assert_eq!(Vocab::Level.parse("Master"), Some("eqf7"));
        assert_eq!(Vocab::Cefr.parse("b2"), Some("B2"));
        assert_eq!(Vocab::OrgKind.parse("Mars"), None);
        assert_eq!(Vocab::OrgKind.parse(""), None);
    }

    #[test]
    fn labels_follow_the_readers_language() {
        assert_eq!(Vocab::ExchangeStatus.label("ongoing", UiLang::Fr), "En cours");
        assert_eq!(Vocab::ExchangeStatus.label("ongoing", UiLang::En), "Ongoing");
        assert_eq!(Vocab::Zone.label("antarctica", UiLang::En), "antarctica", "unknown: its code");
    }
}
