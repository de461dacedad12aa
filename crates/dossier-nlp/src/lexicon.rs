//! Lexicons: data files in `data/`, parsed once.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// How an abbreviation behaves before a full stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevClass {
    Title,
    Month,
    Suffix,
    General,
}

/// A place the lexicons know.
#[derive(Debug, Clone)]
pub struct PlaceEntry {
    pub kind: &'static str,
    pub country: &'static str,
    pub population: u64,
    pub geonameid: &'static str,
}

#[derive(Debug, Clone)]
pub struct OrgEntry {
    pub class: &'static str,
    pub country: &'static str,
}

#[derive(Debug, Clone)]
pub struct PersonEntry {
    pub full: &'static str,
    pub gender: &'static str,
    pub title: &'static str,
}

#[derive(Debug, Clone)]
pub struct CountryEntry {
    pub iso2: &'static str,
    pub name: &'static str,
}

pub struct Lexicon {
    pub abbrev: HashMap<String, AbbrevClass>,
    /// Lower-case common words (not names on their own).
    pub common: HashSet<&'static str>,
    /// Given name → gender (M, F, MF).
    pub first_names: HashMap<&'static str, &'static str>,
    /// Role phrases, lower-case, as token sequences.
    pub roles: HashSet<String>,
    /// Longest role phrase in tokens.
    pub role_max: usize,
    pub org_heads: HashSet<&'static str>,
    /// Nouns describing an organisation before its name ("newspaper", "think tank").
    pub org_descriptors: HashSet<&'static str>,
    pub place_heads: HashSet<&'static str>,
    /// Day and month names (lower case).
    pub calendar: HashSet<&'static str>,
    /// Surname endings (lower case).
    pub surname_endings: Vec<&'static str>,
    /// Exact names (as written) of organisations.
    pub orgs: HashMap<String, OrgEntry>,
    /// Surname or short name → person.
    pub people: HashMap<&'static str, PersonEntry>,
    /// Places by exact name; the most prominent entry first.
    pub places: HashMap<String, Vec<PlaceEntry>>,
    /// Demonym → country code (may be empty).
    pub demonyms: HashMap<String, &'static str>,
    /// Metonymic seat → (country, what it stands for).
    pub metonyms: HashMap<String, (&'static str, String)>,
    /// ISO2 → country.
    pub countries: HashMap<&'static str, CountryEntry>,
    /// Longest lexicon name in tokens (bounds sub-span lookups).
    pub max_name_tokens: usize,
}

fn lines(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

fn cols(l: &'static str) -> Vec<&'static str> {
    l.split('\t').collect()
}

fn ntoks(s: &str) -> usize {
    s.split([' ', '-']).filter(|x| !x.is_empty()).count()
}

impl Lexicon {
    fn load() -> Lexicon {
        let mut abbrev = HashMap::new();
        for l in lines(include_str!("../data/abbreviations.tsv")) {
            let c = cols(l);
            let class = match c.get(1).copied().unwrap_or("general") {
                "title" => AbbrevClass::Title,
                "month" => AbbrevClass::Month,
                "suffix" => AbbrevClass::Suffix,
                _ => AbbrevClass::General,
            };
            abbrev.insert(c[0].to_string(), class);
        }
        let common: HashSet<&'static str> = lines(include_str!("../data/common_words.txt"))
            .map(str::trim)
            .collect();
        let first_names = lines(include_str!("../data/first_names.tsv"))
            .map(|l| {
                let c = cols(l);
                (c[0], c.get(1).copied().unwrap_or("MF"))
            })
            .collect();
        let mut roles = HashSet::new();
        let mut role_max = 1;
        for l in lines(include_str!("../data/roles.txt")) {
            let r = l.trim().to_lowercase();
            role_max = role_max.max(r.split(' ').count());
            roles.insert(r);
        }
        let org_heads = lines(include_str!("../data/org_heads.txt"))
            .map(str::trim)
            .collect();
        let org_descriptors = lines(include_str!("../data/org_descriptors.txt"))
            .map(str::trim)
            .collect();
        let calendar = lines(include_str!("../data/calendar_words.txt"))
            .map(str::trim)
            .collect();
        let surname_endings = lines(include_str!("../data/surname_endings.txt"))
            .map(str::trim)
            .collect();
        let place_heads = lines(include_str!("../data/place_heads.txt"))
            .map(str::trim)
            .collect();
        let mut max_name_tokens = 1;
        let mut orgs = HashMap::new();
        for l in lines(include_str!("../data/orgs.tsv")) {
            let c = cols(l);
            max_name_tokens = max_name_tokens.max(ntoks(c[0]));
            orgs.insert(
                c[0].to_string(),
                OrgEntry {
                    class: c.get(1).copied().unwrap_or("other"),
                    country: c.get(2).copied().unwrap_or(""),
                },
            );
        }
        let mut people = HashMap::new();
        for l in lines(include_str!("../data/people.tsv")) {
            let c = cols(l);
            people.insert(
                c[0],
                PersonEntry {
                    full: c.get(1).copied().unwrap_or(c[0]),
                    gender: c.get(2).copied().unwrap_or("MF"),
                    title: c.get(3).copied().unwrap_or(""),
                },
            );
        }
        let mut places: HashMap<String, Vec<PlaceEntry>> = HashMap::new();
        let mut countries = HashMap::new();
        let mut demonyms: HashMap<String, &'static str> = HashMap::new();
        let mut metonyms = HashMap::new();
        for l in lines(include_str!("../data/countries.tsv")).skip(1) {
            let c = cols(l);
            if c.len() < 7 {
                continue;
            }
            let (iso2, name, capital, gid) = (c[0], c[1], c[2], c[3]);
            let pop = c[4].parse().unwrap_or(0);
            countries.insert(iso2, CountryEntry { iso2, name });
            let entry = PlaceEntry {
                kind: "country",
                country: iso2,
                population: pop,
                geonameid: gid,
            };
            for n in std::iter::once(name).chain(c[6].split('|').filter(|a| !a.is_empty())) {
                max_name_tokens = max_name_tokens.max(ntoks(n));
                places.entry(n.to_string()).or_default().push(entry.clone());
            }
            for d in c[5].split('|').filter(|d| !d.is_empty()) {
                demonyms.entry(d.to_string()).or_insert(iso2);
            }
            if !capital.is_empty() {
                metonyms
                    .entry(capital.to_string())
                    .or_insert((iso2, format!("government of {name}")));
            }
        }
        for l in lines(include_str!("../data/places.tsv")).skip(1) {
            let c = cols(l);
            if c.len() < 5 {
                continue;
            }
            max_name_tokens = max_name_tokens.max(ntoks(c[0]));
            places
                .entry(c[0].to_string())
                .or_default()
                .push(PlaceEntry {
                    kind: c[1],
                    country: c[2],
                    population: c[3].parse().unwrap_or(0),
                    geonameid: c[4],
                });
        }
        for l in lines(include_str!("../data/places_extra.tsv")) {
            let c = cols(l);
            max_name_tokens = max_name_tokens.max(ntoks(c[0]));
            places.entry(c[0].to_string()).or_default().insert(
                0,
                PlaceEntry {
                    kind: c.get(1).copied().unwrap_or("place"),
                    country: c.get(2).copied().unwrap_or(""),
                    population: 0,
                    geonameid: "",
                },
            );
        }
        // A place called like a common word ("March", "Police") is no evidence of a name.
        places.retain(|name, _| {
            name.contains(' ')
                || name.chars().all(|c| !c.is_lowercase())
                || !common.contains(name.to_lowercase().as_str())
        });
        let rank = |k: &str| match k {
            "country" => 0,
            "continent" | "region" | "sea" | "ocean" | "river" => 1,
            _ => 2,
        };
        for v in places.values_mut() {
            v.sort_by(|a, b| {
                rank(a.kind)
                    .cmp(&rank(b.kind))
                    .then(b.population.cmp(&a.population))
            });
        }
        for l in lines(include_str!("../data/demonyms_extra.tsv")) {
            let c = cols(l);
            demonyms.insert(c[0].to_string(), c.get(1).copied().unwrap_or(""));
        }
        for l in lines(include_str!("../data/metonyms.tsv")) {
            let c = cols(l);
            if c.len() >= 3 {
                metonyms.insert(c[0].to_string(), (c[1], c[2].to_string()));
            }
        }
        Lexicon {
            abbrev,
            common,
            first_names,
            roles,
            role_max,
            org_heads,
            org_descriptors,
            place_heads,
            calendar,
            surname_endings,
            orgs,
            people,
            places,
            demonyms,
            metonyms,
            countries,
            max_name_tokens: max_name_tokens.min(8),
        }
    }

    pub fn is_common(&self, lower: &str) -> bool {
        self.common.contains(lower)
    }

    /// The most prominent place of that name.
    pub fn place(&self, name: &str) -> Option<&PlaceEntry> {
        self.places.get(name).and_then(|v| v.first())
    }
}

pub static LEX: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads() {
        let l = &*LEX;
        assert_eq!(l.place("Moscow").map(|p| p.country), Some("RU"));
        assert_eq!(l.place("Belarus").map(|p| p.kind), Some("country"));
        assert_eq!(l.demonyms.get("Belarusian").copied(), Some("BY"));
        assert!(l.roles.contains("chief of staff"));
        assert_eq!(l.abbrev.get("gen").copied(), Some(AbbrevClass::Title));
        assert!(l.metonyms.contains_key("Washington"));
        assert!(l.first_names.contains_key("Yevgeny"));
    }
}
