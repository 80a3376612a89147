//! ISCED-F 2013, UNESCO's fields of education and training: the broad fields and the detailed fields, each
//! with its label in English (the classification's own) and in French (after its French edition, CITE-F).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A field of ISCED-F 2013: a broad field ("09") or a detailed field ("0912"), with its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IscedField {
    pub code: String,
    pub en: String,
    pub fr: String,
}

/// The broad fields (two digits).
const BROAD: &[(&str, &str, &str)] = &[
    ("00", "Generic programmes and qualifications", "Programmes et certifications génériques"),
    ("01", "Education", "Éducation"),
    ("02", "Arts and humanities", "Lettres et arts"),
    ("03", "Social sciences, journalism and information", "Sciences sociales, journalisme et information"),
    ("04", "Business, administration and law", "Commerce, administration et droit"),
    (
        "05",
        "Natural sciences, mathematics and statistics",
        "Sciences naturelles, mathématiques et statistiques",
    ),
    (
        "06",
        "Information and Communication Technologies",
        "Technologies de l’information et de la communication",
    ),
    (
        "07",
        "Engineering, manufacturing and construction",
        "Ingénierie, industries de transformation et construction",
    ),
    (
        "08",
        "Agriculture, forestry, fisheries and veterinary",
        "Agriculture, sylviculture, halieutique et sciences vétérinaires",
    ),
    ("09", "Health and welfare", "Santé et protection sociale"),
    ("10", "Services", "Services"),
];

/// The detailed fields (four digits), the inter-disciplinary ones (`xx88`) included.
const DETAILED: &[(&str, &str, &str)] = &[
    ("0011", "Basic programmes and qualifications", "Programmes et certifications de base"),
    ("0021", "Literacy and numeracy", "Alphabétisation et apprentissage du calcul"),
    ("0031", "Personal skills and development", "Compétences personnelles et développement"),
    ("0111", "Education science", "Sciences de l’éducation"),
    ("0112", "Training for pre-school teachers", "Formation des enseignants du préprimaire"),
    ("0113", "Teacher training without subject specialisation", "Formation des enseignants sans spécialisation"),
    ("0114", "Teacher training with subject specialisation", "Formation des enseignants avec spécialisation"),
    (
        "0188",
        "Inter-disciplinary programmes and qualifications involving education",
        "Programmes et certifications interdisciplinaires en éducation",
    ),
    ("0211", "Audio-visual techniques and media production", "Techniques audiovisuelles et production médiatique"),
    ("0212", "Fashion, interior and industrial design", "Mode, décoration intérieure et design industriel"),
    ("0213", "Fine arts", "Beaux-arts"),
    ("0214", "Handicrafts", "Artisanat"),
    ("0215", "Music and performing arts", "Musique et arts du spectacle"),
    ("0221", "Religion and theology", "Religion et théologie"),
    ("0222", "History and archaeology", "Histoire et archéologie"),
    ("0223", "Philosophy and ethics", "Philosophie et éthique"),
    ("0231", "Language acquisition", "Acquisition des langues"),
    ("0232", "Literature and linguistics", "Littérature et linguistique"),
    (
        "0288",
        "Inter-disciplinary programmes and qualifications involving arts and humanities",
        "Programmes et certifications interdisciplinaires en lettres et arts",
    ),
    ("0311", "Economics", "Économie"),
    ("0312", "Political sciences and civics", "Sciences politiques et éducation civique"),
    ("0313", "Psychology", "Psychologie"),
    ("0314", "Sociology and cultural studies", "Sociologie et études culturelles"),
    ("0321", "Journalism and reporting", "Journalisme et reportage"),
    ("0322", "Library, information and archival studies", "Bibliothéconomie, information et archivistique"),
    (
        "0388",
        "Inter-disciplinary programmes and qualifications involving social sciences, journalism and information",
        "Programmes et certifications interdisciplinaires en sciences sociales, journalisme et information",
    ),
    ("0411", "Accounting and taxation", "Comptabilité et fiscalité"),
    ("0412", "Finance, banking and insurance", "Finance, banque et assurance"),
    ("0413", "Management and administration", "Gestion et administration"),
    ("0414", "Marketing and advertising", "Marketing et publicité"),
    ("0415", "Secretarial and office work", "Secrétariat et travail de bureau"),
    ("0416", "Wholesale and retail sales", "Vente en gros et au détail"),
    ("0417", "Work skills", "Compétences professionnelles"),
    ("0421", "Law", "Droit"),
    (
        "0488",
        "Inter-disciplinary programmes and qualifications involving business, administration and law",
        "Programmes et certifications interdisciplinaires en commerce, administration et droit",
    ),
    ("0511", "Biology", "Biologie"),
    ("0512", "Biochemistry", "Biochimie"),
    ("0521", "Environmental sciences", "Sciences de l’environnement"),
    ("0522", "Natural environments and wildlife", "Milieux naturels et faune sauvage"),
    ("0531", "Chemistry", "Chimie"),
    ("0532", "Earth sciences", "Sciences de la Terre"),
    ("0533", "Physics", "Physique"),
    ("0541", "Mathematics", "Mathématiques"),
    ("0542", "Statistics", "Statistiques"),
    (
        "0588",
        "Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics",
        "Programmes et certifications interdisciplinaires en sciences naturelles, mathématiques et statistiques",
    ),
    ("0611", "Computer use", "Utilisation des ordinateurs"),
    (
        "0612",
        "Database and network design and administration",
        "Conception et administration de bases de données et de réseaux",
    ),
    (
        "0613",
        "Software and applications development and analysis",
        "Développement et analyse de logiciels et d’applications",
    ),
    (
        "0688",
        "Inter-disciplinary programmes and qualifications involving Information and Communication Technologies",
        "Programmes et certifications interdisciplinaires en technologies de l’information et de la \
         communication",
    ),
    ("0711", "Chemical engineering and processes", "Génie chimique et procédés"),
    ("0712", "Environmental protection technology", "Technologies de protection de l’environnement"),
    ("0713", "Electricity and energy", "Électricité et énergie"),
    ("0714", "Electronics and automation", "Électronique et automatisation"),
    ("0715", "Mechanics and metal trades", "Mécanique et travail des métaux"),
    ("0716", "Motor vehicles, ships and aircraft", "Véhicules à moteur, navires et aéronefs"),
    ("0721", "Food processing", "Transformation des aliments"),
    ("0722", "Materials (glass, paper, plastic and wood)", "Matériaux (verre, papier, plastique et bois)"),
    ("0723", "Textiles (clothes, footwear and leather)", "Textiles (vêtements, chaussures et cuir)"),
    ("0724", "Mining and extraction", "Industries extractives"),
    ("0731", "Architecture and town planning", "Architecture et urbanisme"),
    ("0732", "Building and civil engineering", "Bâtiment et génie civil"),
    (
        "0788",
        "Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction",
        "Programmes et certifications interdisciplinaires en ingénierie, industries de transformation et \
         construction",
    ),
    ("0811", "Crop and livestock production", "Production agricole et élevage"),
    ("0812", "Horticulture", "Horticulture"),
    ("0821", "Forestry", "Sylviculture"),
    ("0831", "Fisheries", "Halieutique"),
    ("0841", "Veterinary", "Sciences vétérinaires"),
    (
        "0888",
        "Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and \
         veterinary",
        "Programmes et certifications interdisciplinaires en agriculture, sylviculture, halieutique et sciences \
         vétérinaires",
    ),
    ("0911", "Dental studies", "Études dentaires"),
    ("0912", "Medicine", "Médecine"),
    ("0913", "Nursing and midwifery", "Soins infirmiers et obstétrique"),
    (
        "0914",
        "Medical diagnostic and treatment technology",
        "Technologies de diagnostic et de traitement médical",
    ),
    ("0915", "Therapy and rehabilitation", "Thérapie et réadaptation"),
    ("0916", "Pharmacy", "Pharmacie"),
    (
        "0917",
        "Traditional and complementary medicine and therapy",
        "Médecine et thérapie traditionnelles et complémentaires",
    ),
    (
        "0921",
        "Care of the elderly and of disabled adults",
        "Soins aux personnes âgées et aux adultes handicapés",
    ),
    ("0922", "Child care and youth services", "Garde d’enfants et services à la jeunesse"),
    ("0923", "Social work and counselling", "Travail social et conseil"),
    (
        "0988",
        "Inter-disciplinary programmes and qualifications involving health and welfare",
        "Programmes et certifications interdisciplinaires en santé et protection sociale",
    ),
    ("1011", "Domestic services", "Services domestiques"),
    ("1012", "Hair and beauty services", "Coiffure et soins de beauté"),
    ("1013", "Hotel, restaurants and catering", "Hôtellerie, restauration et traiteur"),
    ("1014", "Sports", "Sports"),
    ("1015", "Travel, tourism and leisure", "Voyages, tourisme et loisirs"),
    ("1021", "Community sanitation", "Assainissement collectif"),
    ("1022", "Occupational health and safety", "Santé et sécurité au travail"),
    ("1031", "Military and defence", "Armée et défense"),
    ("1032", "Protection of persons and property", "Protection des personnes et des biens"),
    ("1041", "Transport services", "Services de transport"),
    (
        "1088",
        "Inter-disciplinary programmes and qualifications involving services",
        "Programmes et certifications interdisciplinaires en services",
    ),
];

fn owned(fields: &[(&str, &str, &str)]) -> Vec<IscedField> {
    fields
        .iter()
        .map(|(code, en, fr)| IscedField { code: (*code).into(), en: (*en).into(), fr: (*fr).into() })
        .collect()
}

/// The broad fields, in code order.
pub fn broad_fields() -> Vec<IscedField> {
    owned(BROAD)
}

/// The detailed fields, in code order.
pub fn detailed_fields() -> Vec<IscedField> {
    owned(DETAILED)
}

/// The English label of a code: the detailed field's own ("0912": "Medicine"), else its broad field's for
/// a code ISCED-F does not list ("0919": "Health and welfare"); `None` for what is not a field code.
pub fn label_en(code: &str) -> Option<&'static str> {
    let find = |list: &'static [(&str, &str, &str)], code: &str| {
        list.iter().find(|(c, _, _)| *c == code).map(|(_, en, _)| *en)
    };
    find(DETAILED, code).or_else(|| code.get(..2).filter(|_| code.len() == 4).and_then(|b| find(BROAD, b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detailed_field_has_its_own_label_in_both_languages() {
        let medicine = detailed_fields().into_iter().find(|f| f.code == "0912").expect("0912 is listed");
        assert_eq!((medicine.en.as_str(), medicine.fr.as_str()), ("Medicine", "Médecine"));
        assert_eq!(label_en("0421"), Some("Law"), "not the broad field, Business, administration and law");
        assert_eq!(
            label_en("0919"),
            Some("Health and welfare"),
            "an unlisted code falls back to its broad field"
        );
        assert_eq!(label_en("health"), None);
    }

    #[test]
    fn every_detailed_field_is_a_field_code_of_a_listed_broad_field_in_order() {
        let codes: Vec<&str> = DETAILED.iter().map(|(c, _, _)| *c).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "listed once each, in code order");
        for (code, en, fr) in DETAILED {
            assert!(crate::kinds::is_field(code), "{code} is accepted as a field");
            assert!(BROAD.iter().any(|(b, _, _)| code.starts_with(b)), "{code} has a broad field");
            assert!(
                !en.is_empty() && !fr.is_empty() && !fr.contains('\''),
                "{code}: typographic apostrophes"
            );
        }
        assert_eq!(
            DETAILED.len(),
            90,
            "ISCED-F 2013 lists 80 detailed fields and 10 inter-disciplinary ones"
        );
    }
}
