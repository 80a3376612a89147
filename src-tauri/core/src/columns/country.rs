//! Countries as people write them in a file: an ISO 3166-1 code (alpha-2 or alpha-3), or a name in English,
//! in French or in the country's own language(s). English names come from `isocountry` (ISO's short names);
//! French and native names, and the everyday English ones ISO does not use ("South Korea", "Vietnam"), are
//! kept here for the alliance's zones (Brazil, Canada, China, Japan, France and Europe) and their neighbours
//! and the countries an international office most often meets. Countries are stored and exported as their
//! alpha-2 code.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::header::key;

/// (alpha-2, French name, other names: native names and everyday English or French ones).
const NAMES: &[(&str, &str, &[&str])] = &[
    ("FR", "France", &["République française"]),
    ("BR", "Brésil", &["Brasil", "Brazil", "República Federativa do Brasil"]),
    ("CA", "Canada", &[]),
    (
        "CN",
        "Chine",
        &[
            "中国",
            "中國",
            "中华人民共和国",
            "中華人民共和国",
            "China",
            "PRC",
            "People's Republic of China",
            "Chine continentale",
            "Mainland China",
        ],
    ),
    ("HK", "Hong Kong", &["香港", "Hongkong", "Hong Kong SAR"]),
    ("MO", "Macao", &["澳門", "澳门", "Macau"]),
    ("TW", "Taïwan", &["台灣", "台湾", "臺灣", "Taiwan"]),
    ("JP", "Japon", &["日本", "Nippon", "Nihon", "Japan"]),
    ("KR", "Corée du Sud", &["대한민국", "한국", "South Korea", "Korea", "Republic of Korea", "Corée"]),
    ("KP", "Corée du Nord", &["조선", "North Korea"]),
    ("MN", "Mongolie", &["Монгол Улс", "Mongolia"]),
    ("RU", "Russie", &["Россия", "Russia"]),
    ("IN", "Inde", &["भारत", "Bharat", "India"]),
    ("VN", "Viêt Nam", &["Việt Nam", "Vietnam", "Viet Nam"]),
    ("LA", "Laos", &["ລາວ", "Laos", "Lao PDR"]),
    ("MM", "Birmanie", &["Myanmar", "Burma"]),
    ("NP", "Népal", &["नेपाल", "Nepal"]),
    ("BT", "Bhoutan", &["Bhutan"]),
    ("PK", "Pakistan", &["پاکستان"]),
    ("AF", "Afghanistan", &[]),
    ("KZ", "Kazakhstan", &["Қазақстан", "Казахстан"]),
    ("KG", "Kirghizistan", &["Kyrgyzstan", "Кыргызстан"]),
    ("TJ", "Tadjikistan", &["Tajikistan", "Тоҷикистон"]),
    ("TH", "Thaïlande", &["ประเทศไทย", "Thailand"]),
    ("MY", "Malaisie", &["Malaysia"]),
    ("SG", "Singapour", &["Singapore", "新加坡"]),
    ("ID", "Indonésie", &["Indonesia"]),
    ("PH", "Philippines", &["Pilipinas"]),
    ("KH", "Cambodge", &["Cambodia", "កម្ពុជា"]),
    ("AU", "Australie", &["Australia"]),
    ("NZ", "Nouvelle-Zélande", &["New Zealand", "Aotearoa"]),
    ("US", "États-Unis", &["USA", "U.S.A.", "US", "United States", "America", "Etats-Unis d'Amérique"]),
    ("MX", "Mexique", &["México", "Mexico"]),
    ("AR", "Argentine", &["Argentina"]),
    ("UY", "Uruguay", &[]),
    ("PY", "Paraguay", &[]),
    ("BO", "Bolivie", &["Bolivia"]),
    ("PE", "Pérou", &["Perú", "Peru"]),
    ("CO", "Colombie", &["Colombia"]),
    ("VE", "Venezuela", &["Venezuela"]),
    ("GY", "Guyana", &[]),
    ("SR", "Suriname", &[]),
    ("GF", "Guyane", &["Guyane française", "French Guiana"]),
    ("CL", "Chili", &["Chile"]),
    ("EC", "Équateur", &["Ecuador"]),
    ("CU", "Cuba", &[]),
    ("DE", "Allemagne", &["Deutschland", "Germany"]),
    ("IT", "Italie", &["Italia", "Italy"]),
    ("ES", "Espagne", &["España", "Spain"]),
    ("BE", "Belgique", &["België", "Belgien", "Belgium"]),
    ("NL", "Pays-Bas", &["Nederland", "Netherlands", "Holland", "Hollande"]),
    ("CH", "Suisse", &["Schweiz", "Svizzera", "Svizra", "Switzerland"]),
    (
        "GB",
        "Royaume-Uni",
        &[
            "United Kingdom",
            "UK",
            "Great Britain",
            "Grande-Bretagne",
            "England",
            "Angleterre",
            "Scotland",
            "Écosse",
        ],
    ),
    ("PT", "Portugal", &[]),
    ("AT", "Autriche", &["Österreich", "Austria"]),
    ("IE", "Irlande", &["Éire", "Ireland"]),
    ("LU", "Luxembourg", &["Lëtzebuerg", "Luxemburg"]),
    ("SE", "Suède", &["Sverige", "Sweden"]),
    ("DK", "Danemark", &["Danmark", "Denmark"]),
    ("FI", "Finlande", &["Suomi", "Finland"]),
    ("NO", "Norvège", &["Norge", "Norway"]),
    ("IS", "Islande", &["Ísland", "Iceland"]),
    ("PL", "Pologne", &["Polska", "Poland"]),
    ("CZ", "Tchéquie", &["Česko", "Czech Republic", "République tchèque"]),
    ("SK", "Slovaquie", &["Slovensko", "Slovakia"]),
    ("HU", "Hongrie", &["Magyarország", "Hungary"]),
    ("RO", "Roumanie", &["România", "Romania"]),
    ("BG", "Bulgarie", &["България", "Bulgaria"]),
    ("GR", "Grèce", &["Ελλάδα", "Ελλάς", "Greece"]),
    ("HR", "Croatie", &["Hrvatska", "Croatia"]),
    ("SI", "Slovénie", &["Slovenija", "Slovenia"]),
    ("EE", "Estonie", &["Eesti", "Estonia"]),
    ("LV", "Lettonie", &["Latvija", "Latvia"]),
    ("LT", "Lituanie", &["Lietuva", "Lithuania"]),
    ("UA", "Ukraine", &["Україна"]),
    ("TR", "Turquie", &["Türkiye", "Turkey"]),
    ("MC", "Monaco", &[]),
    ("AD", "Andorre", &["Andorra"]),
    ("MA", "Maroc", &["المغرب", "Morocco"]),
    ("DZ", "Algérie", &["الجزائر", "Algeria"]),
    ("TN", "Tunisie", &["تونس", "Tunisia"]),
    ("SN", "Sénégal", &["Senegal"]),
    ("CI", "Côte d'Ivoire", &["Ivory Coast"]),
    ("CM", "Cameroun", &["Cameroon"]),
    ("EG", "Égypte", &["مصر", "Egypt"]),
    ("ZA", "Afrique du Sud", &["South Africa"]),
    ("IL", "Israël", &["ישראל", "Israel"]),
    ("LB", "Liban", &["لبنان", "Lebanon"]),
    ("IR", "Iran", &["ایران"]),
    ("SA", "Arabie saoudite", &["Saudi Arabia"]),
    ("AE", "Émirats arabes unis", &["UAE", "United Arab Emirates"]),
];

/// Every form of every country, keyed like headers ([`key`]), to its alpha-2 code.
fn index() -> &'static HashMap<String, &'static str> {
    static INDEX: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = HashMap::new();
        for country in isocountry::CountryCode::iter() {
            let name = country.name();
            index.entry(key(name)).or_insert(country.alpha2());
            // "Bolivia (Plurinational State of)", "Tanzania, United Republic of": the name before the qualifier.
            let short = name.split([',', '(']).next().unwrap_or(name);
            index.entry(key(short)).or_insert(country.alpha2());
        }
        // The names kept here win over ISO's short forms ("Korea" is the Republic of Korea).
        for (code, french, others) in NAMES {
            index.insert(key(french), code);
            for other in *others {
                index.insert(key(other), code);
            }
        }
        index
    })
}

/// The alpha-2 code of the country `text` names, or `None`.
pub fn parse(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if text.is_ascii() && (text.len() == 2 || text.len() == 3) {
        let upper = text.to_ascii_uppercase();
        if let Ok(country) = isocountry::CountryCode::for_alpha2(&upper) {
            return Some(country.alpha2());
        }
        if let Ok(country) = isocountry::CountryCode::for_alpha3(&upper) {
            return Some(country.alpha2());
        }
    }
    let wanted = key(text);
    if wanted.is_empty() {
        return None;
    }
    index().get(&wanted).copied()
}

/// The country's name in French when kept here, else ISO's English short name; for hints and messages.
pub fn name_fr(code: &str) -> Option<&'static str> {
    NAMES.iter().find(|n| n.0 == code).map(|n| n.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_in_english_french_and_the_countrys_own_language() {
        for (text, code) in [
            ("CN", "CN"),
            ("cn", "CN"),
            ("CHN", "CN"),
            ("Chine", "CN"),
            ("china", "CN"),
            ("中国", "CN"),
            ("中華人民共和国", "CN"),
            ("Brésil", "BR"),
            ("bresil", "BR"),
            ("Brasil", "BR"),
            ("BRA", "BR"),
            ("Japon", "JP"),
            ("日本", "JP"),
            ("Japan", "JP"),
            ("Canada", "CA"),
            ("États-Unis", "US"),
            ("Etats Unis", "US"),
            ("Royaume-Uni", "GB"),
            ("Corée du Sud", "KR"),
            ("South Korea", "KR"),
            ("대한민국", "KR"),
            ("Deutschland", "DE"),
            ("Allemagne", "DE"),
            ("Viet Nam", "VN"),
            ("Taïwan", "TW"),
            ("Bolivia", "BO"),
            ("Tanzania", "TZ"),
            ("  Argentine ", "AR"),
        ] {
            assert_eq!(parse(text), Some(code), "{text}");
        }
    }

    #[test]
    fn a_misspelt_or_empty_country_is_none() {
        assert_eq!(parse("Chinee"), None);
        assert_eq!(parse("XX"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("   "), None);
    }
}
