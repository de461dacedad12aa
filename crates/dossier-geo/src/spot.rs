//! Gazetteer-based toponym spotter. The text is normalised as the gazetteer keys are (lowercase,
//! hyphens as spaces, full stops dropped) with a byte map back to the original; from each
//! capitalised word, word sequences are looked up in the gazetteer's sorted key index (prefix
//! search, so a sequence stops growing as soon as no name starts with it: no second automaton
//! in memory); then capitalisation and context checks:
//! - every content word of the match is capitalised in the text (short codes: all capitals);
//! - names that are frequent English words (data/common-words.txt, data/stop-extra.txt) need
//!   evidence: not sentence-initial, not inside a longer capitalised name, and a locative
//!   preposition before them or ", <place>" after them;
//! - a match right after an honorific or title ("Mr", "President") is a person, not a place;
//! - a town name inside a longer capitalised sequence ("Francisco Duque") is not taken.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::gazetteer::{KeyRef, Kind, NameKind, gazetteer};
use crate::geocode::{Context, Place, Toponym, geocode};

static COMMON_WORDS: &str = include_str!("../data/common-words.txt");
static STOP_EXTRA: &str = include_str!("../data/stop-extra.txt");

/// Longest name in words that the spotter tries.
const MAX_WORDS: usize = 8;

/// Cities below this population are spotted by their own name only, not by alternate names.
const ALT_NAME_MIN_POP: u64 = 200_000;

struct KeyInfo {
    /// Names a country, continent, admin-1 area, capital, feature, or a city of 1M+.
    major: bool,
    /// The key is a single word that is also a common English word.
    common: bool,
    /// Short code ("us", "uk", "uae"): must be written in capitals.
    code: bool,
}

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let mut common = word_list(COMMON_WORDS);
    common.extend(word_list(STOP_EXTRA));
    common
});

fn word_list(src: &'static str) -> HashSet<&'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// What the spotter needs to know about a key, from the entries it names; None when no entry
/// may be spotted by it (alternate names of small towns, demonyms, codes of non-countries).
fn key_info(key: &str, refs: &[KeyRef]) -> Option<KeyInfo> {
    let gaz = gazetteer();
    let code = key.len() <= 3 && !key.contains(' ');
    let mut info: Option<KeyInfo> = None;
    for r in refs {
        if r.kind == NameKind::Demonym || key.len() < 2 {
            continue;
        }
        let e = gaz.entry(r.entry);
        if e.kind == Kind::Locality {
            continue; // the fallback tier is for the geocoder only
        }
        // Admin-1 areas count as major from 200,000 people (their cities' sum): small ones
        // (Cape Verde's "Paul") behave like towns.
        let major = matches!(
            e.kind,
            Kind::Continent | Kind::Country | Kind::Capital | Kind::Feature
        ) || (e.kind == Kind::Admin1 && e.population >= 200_000)
            || e.population >= 1_000_000;
        let take = match r.kind {
            NameKind::Primary => true,
            _ => major || e.population >= ALT_NAME_MIN_POP,
        };
        // A short primary name of a large place ("Van", "Ufa") is a name, not a code: it may
        // be written in title case.
        let short_name = code && r.kind == NameKind::Primary && (major || e.population >= 100_000);
        if !take || (code && !short_name && e.kind != Kind::Country && e.kind != Kind::Admin1) {
            continue;
        }
        let i = info.get_or_insert(KeyInfo {
            major: false,
            common: !key.contains(' ') && COMMON.contains(key),
            code,
        });
        i.major |= major;
        if short_name {
            i.code = false;
        }
        if matches!(e.kind, Kind::Continent | Kind::Country) {
            // A name of a country is a country, whatever else the word means.
            i.common = false;
        }
    }
    info
}

/// Number of distinct keys the spotter may match (for the benchmark).
pub fn spotter_stats() -> usize {
    let gaz = gazetteer();
    let mut n = 0;
    let mut last: Option<&str> = None;
    let mut refs: Vec<KeyRef> = Vec::new();
    for (k, r) in gaz.key_refs() {
        if last != Some(k) {
            if let Some(l) = last
                && key_info(l, &refs).is_some()
            {
                n += 1;
            }
            refs.clear();
            last = Some(k);
        }
        refs.push(*r);
    }
    n
}

/// Normalise as `norm_key` does, keeping for each output byte the original byte offset.
fn normalise(text: &str) -> (String, Vec<u32>) {
    let mut out = String::with_capacity(text.len());
    let mut map: Vec<u32> = Vec::with_capacity(text.len() + 1);
    let mut prev_space = true;
    for (b, ch) in text.char_indices() {
        let c = match ch {
            '-' | '_' | '\u{2010}' | '\u{2011}' | '\u{2013}' => ' ',
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            '.' => continue,
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if prev_space {
                continue;
            }
            prev_space = true;
            out.push(' ');
            map.push(b as u32);
            continue;
        }
        prev_space = false;
        let before = out.len();
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                out.push(l);
            }
        }
        for _ in before..out.len() {
            map.push(b as u32);
        }
    }
    map.push(text.len() as u32);
    (out, map)
}

const LOWER_OK: &[&str] = &[
    "of", "on", "upon", "de", "del", "della", "la", "le", "les", "du", "da", "do", "dos", "das",
    "the", "am", "an", "der", "den", "al", "el", "and", "y", "i", "sur", "en", "di", "im", "bei",
    "na", "nad", "au", "aux", "lès", "op", "aan", "under", "in", "vor", "ob", "pod", "bij", "sul",
];

const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "from",
    "near",
    "to",
    "outside",
    "across",
    "throughout",
    "around",
    "towards",
    "toward",
    "into",
    "across",
    "via",
    "between",
    "and",
    "of",
];

const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "lord",
    "lady",
    "president",
    "minister",
    "secretary",
    "senator",
    "sen",
    "rep",
    "gen",
    "general",
    "col",
    "captain",
    "capt",
    "governor",
    "gov",
    "mayor",
    "judge",
    "justice",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "saint",
    "father",
    "rev",
    "chancellor",
    "premier",
    "chairman",
    "spokesman",
    "spokeswoman",
    "director",
];

fn prev_word(text: &str, start: usize) -> Option<(&str, usize)> {
    let before = &text[..start];
    let trimmed = before.trim_end_matches([' ', '\t']);
    if trimmed.len() == before.len() && !before.is_empty() {
        return None; // glued to the previous token
    }
    let ws = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '.' || *c == '\'')
        .last()
        .map(|(i, _)| i)?;
    Some((&trimmed[ws..], ws))
}

fn next_word(text: &str, end: usize) -> Option<&str> {
    let after = &text[end..];
    let t = after.trim_start_matches([' ', '\t']);
    if t.len() == after.len() {
        return None;
    }
    let we = t
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '\''))
        .map_or(t.len(), |(i, _)| i);
    if we == 0 { None } else { Some(&t[..we]) }
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Start of a sentence: nothing but quotes/brackets/space since a sentence end or text start.
fn sentence_initial(text: &str, start: usize) -> bool {
    for c in text[..start].chars().rev() {
        if c.is_whitespace() || "\"'“‘([«".contains(c) {
            continue;
        }
        return ".!?:;\n".contains(c) || c == '—';
    }
    true
}

/// Month and weekday names: places only with ", <place>" after them.
const CALENDAR: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Verbs after which a bare name is a person who speaks ("Ivins said").
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "explained",
    "stated",
    "noted",
    "wrote",
    "asked",
    "argued",
    "warned",
    "announced",
    "confirmed",
    "insisted",
    "believes",
    "thinks",
];

/// Heads of organisation names: a place right before one names the organisation ("the New York
/// Times", "the Illinois Department of Natural Resources"), not the place.
const ORG_HEADS: &[&str] = &[
    "Department",
    "Times",
    "Post",
    "Daily",
    "News",
    "University",
    "Hospital",
    "Zoo",
    "Regional",
    "Health",
    "Postal",
    "Service",
    "Services",
    "Agency",
    "Ministry",
    "Herald",
    "Journal",
    "Tribune",
    "Institute",
    "College",
    "Police",
    "Council",
    "Airlines",
    "Airways",
    "Bank",
    "Company",
    "Corporation",
    "Committee",
    "Commission",
    "Office",
    "Press",
    "Radio",
    "Television",
    "Broadcasting",
    "Stock",
    "Exchange",
    "Centers",
    "Center",
    "Centre",
    "Board",
    "Authority",
    "Court",
    "Army",
    "Navy",
    "Club",
    "Medical",
    "Memorial",
    "Public",
    "Association",
    "Society",
    "Foundation",
    "Group",
    "Gazette",
    "Chronicle",
    "Globe",
    "Star",
    "Mail",
    "Telegraph",
];

/// Words after which a place name names a disease or a pathogen ("West Nile virus").
const DISEASE_HEADS: &[&str] = &[
    "virus",
    "ebolavirus",
    "fever",
    "flu",
    "disease",
    "strain",
    "encephalitis",
    "syndrome",
];

const PLACE_WORDS: &[&str] = &[
    "Province",
    "State",
    "County",
    "Region",
    "Oblast",
    "District",
    "City",
    "River",
    "Island",
    "Islands",
    "Valley",
    "Prefecture",
    "Governorate",
    "Territory",
    "Republic",
    "Sea",
    "Lake",
    "Municipality",
    "Peninsula",
    "Basin",
    "Mountains",
];

/// Find toponyms in a text.
pub fn spot(text: &str) -> Vec<Toponym> {
    let gaz = gazetteer();
    let (norm, map) = normalise(text);
    let nb = norm.as_bytes();
    // Word spans (an apostrophe separates words; keys may span it: "o'leary") of the normalised text.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < nb.len() {
        let Some(c) = norm[i..].chars().next() else {
            break;
        };
        if c.is_alphanumeric() {
            let start = i;
            while i < nb.len() {
                let Some(c) = norm[i..].chars().next() else {
                    break;
                };
                if !c.is_alphanumeric() {
                    break;
                }
                i += c.len_utf8();
            }
            words.push((start, i));
        } else {
            i += c.len_utf8();
        }
    }
    // (start, end, info) in original byte offsets: every key found from each capitalised word.
    let mut cands: Vec<(usize, usize, KeyInfo)> = Vec::new();
    for (wi, &(ws, _)) in words.iter().enumerate() {
        let first = text[map[ws] as usize..].chars().next();
        if !first.is_some_and(|c| c.is_uppercase()) {
            continue;
        }
        for &(_, we) in words[wi..].iter().take(MAX_WORDS) {
            let key = norm[ws..we].trim_end_matches('\'');
            let (prefix, refs) = gaz.probe(key);
            if !prefix {
                break;
            }
            if refs.is_empty() {
                continue;
            }
            let Some(info) = key_info(key, refs) else {
                continue;
            };
            let e = ws + key.len();
            let os = map[ws] as usize;
            let last = map[e - 1] as usize;
            let oe = last + text[last..].chars().next().map_or(0, char::len_utf8);
            if os < oe && text.is_char_boundary(os) && text.is_char_boundary(oe) {
                cands.push((os, oe, info));
            }
        }
    }
    // Re-attach a final full stop to dotted abbreviations ("U.S.").
    for c in cands.iter_mut() {
        let span = &text[c.0..c.1];
        if span.contains('.') && text[c.1..].starts_with('.') {
            c.1 += 1;
        }
    }
    cands.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let starts: Vec<usize> = cands.iter().map(|c| c.0).collect();
    let mut out: Vec<Toponym> = Vec::new();
    let mut accepted_end = 0usize;
    // Names seen inside a person's name ("Bruce Ivins") are not towns anywhere in the text.
    let mut persons: HashSet<String> = HashSet::new();
    for (s, e, info) in &cands {
        if !info.major && person_like(text, *s, *e, &starts) {
            persons.insert(text[*s..*e].to_lowercase());
        }
    }
    for (s, e, info) in &cands {
        let (s, e) = (*s, *e);
        if s < accepted_end {
            continue;
        }
        if !info.major && persons.contains(&text[s..e].to_lowercase()) {
            continue;
        }
        if accept(text, s, e, info, &starts) {
            out.push(Toponym { start: s, end: e });
            accepted_end = e;
        }
    }
    out
}

/// A capitalised word right before the match that is not a place or a function word, or a
/// speech verb right after it: the match is (part of) a person's name.
fn person_like(text: &str, s: usize, e: usize, starts: &[usize]) -> bool {
    let initial = sentence_initial(text, s);
    let prev_cap = !initial
        && prev_word(text, s).is_some_and(|(w, ws)| {
            capitalised(w)
                && starts.binary_search(&ws).is_err()
                && !LOWER_OK.contains(&w.to_lowercase().as_str())
                && !NOT_NAME_BEFORE.contains(&w)
        });
    let after_prep =
        prev_word(text, s).is_some_and(|(w, _)| LOCATIVE.contains(&w.to_lowercase().as_str()));
    let speech = !after_prep && next_word(text, e).is_some_and(|w| SPEECH.contains(&w));
    prev_cap || speech
}

const NOT_NAME_BEFORE: &[&str] = &[
    "The", "In", "At", "From", "Northern", "Southern", "Eastern", "Western", "Central", "North",
    "South", "East", "West", "Greater", "Upper", "Lower", "New", "Old", "Port", "Fort", "Mount",
    "Lake", "Saint", "San", "Santa",
];

fn accept(text: &str, s: usize, e: usize, info: &KeyInfo, starts: &[usize]) -> bool {
    let span = &text[s..e];
    // Capitalisation.
    if info.code {
        if !span
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        {
            return false;
        }
    } else {
        let mut words = span
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty());
        let Some(first) = words.next() else {
            return false;
        };
        if !capitalised(first) {
            return false;
        }
        for w in words {
            if !capitalised(w) && !LOWER_OK.contains(&w.to_lowercase().as_str()) {
                return false;
            }
        }
        // A whole-word ALL-CAPS match of a long name is a heading or an acronym: only major names.
        if span.len() > 3 && span.chars().all(|c| !c.is_lowercase()) && !info.major {
            return false;
        }
    }
    let prev = prev_word(text, s);
    let next = next_word(text, e);
    let initial = sentence_initial(text, s);
    if let Some((w, _)) = prev
        && HONORIFICS.contains(&w.trim_end_matches('.').to_lowercase().as_str())
    {
        return false;
    }
    let prev_cap = !initial
        && prev.is_some_and(|(w, ws)| {
            capitalised(w)
                && starts.binary_search(&ws).is_err()
                && !LOWER_OK.contains(&w.to_lowercase().as_str())
                && !matches!(
                    w,
                    "The"
                        | "In"
                        | "At"
                        | "From"
                        | "Northern"
                        | "Southern"
                        | "Eastern"
                        | "Western"
                        | "Central"
                        | "North"
                        | "South"
                        | "East"
                        | "West"
                        | "Greater"
                        | "Upper"
                        | "Lower"
                )
        });
    let next_cap = next.is_some_and(|w| capitalised(w) && !PLACE_WORDS.contains(&w));
    let place_after = text[e..].starts_with(", ") && starts.binary_search(&(e + 2)).is_ok();
    if next.is_some_and(|w| ORG_HEADS.contains(&w) || DISEASE_HEADS.contains(&w)) {
        return false;
    }
    if text[e..].starts_with('$') {
        return false; // "US$"
    }
    if !info.major && next_cap && !place_after {
        // A town name before an unknown capitalised word: a given name ("Paul Kemp").
        return false;
    }
    if CALENDAR.contains(&text[s..e].to_lowercase().as_str()) {
        return place_after;
    }
    let after_prep = prev.is_some_and(|(w, _)| LOCATIVE.contains(&w.to_lowercase().as_str()));
    if !info.major && !after_prep && next.is_some_and(|w| SPEECH.contains(&w)) {
        return false;
    }
    if info.common {
        let prep = prev.is_some_and(|(w, _)| LOCATIVE.contains(&w.to_lowercase().as_str()));
        if initial || prev_cap || next_cap {
            // ", <place>" after it is evidence even at the start of a sentence ("Buffalo, New
            // York, ...").
            return place_after;
        }
        return prep || place_after;
    }
    if !info.major && prev_cap {
        // A town name after an unknown capitalised word: part of a person's or an organisation's name.
        return false;
    }
    true
}

/// Spot toponyms, then geocode them.
pub fn spot_and_geocode(text: &str, ctx: &Context) -> Vec<Place> {
    geocode(text, &spot(text), ctx)
}
