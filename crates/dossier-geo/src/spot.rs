//! Gazetteer-based toponym spotter: Aho-Corasick over normalised gazetteer names, run on a
//! normalised copy of the text (lowercase, hyphens as spaces, full stops dropped) with a byte map
//! back to the original; then capitalisation and context checks:
//! - every content word of the match is capitalised in the text (short codes: all capitals);
//! - names that are frequent English words (data/common-words.txt, data/stop-extra.txt) need
//!   evidence: not sentence-initial, not inside a longer capitalised name, and a locative
//!   preposition before them or ", <place>" after them;
//! - a match right after an honorific or title ("Mr", "President") is a person, not a place;
//! - a town name inside a longer capitalised sequence ("Francisco Duque") is not taken.

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::gazetteer::{Kind, NameKind, gazetteer};
use crate::geocode::{Context, Place, Toponym, geocode};

static COMMON_WORDS: &str = include_str!("../data/common-words.txt");
static STOP_EXTRA: &str = include_str!("../data/stop-extra.txt");

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

struct Spotter {
    ac: Option<AhoCorasick>,
    info: Vec<KeyInfo>,
}

static SPOTTER: LazyLock<Spotter> = LazyLock::new(build);

fn word_list(src: &str) -> HashSet<&str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn build() -> Spotter {
    let gaz = gazetteer();
    let mut common = word_list(COMMON_WORDS);
    common.extend(word_list(STOP_EXTRA));
    let mut patterns: Vec<&str> = Vec::new();
    let mut info: Vec<KeyInfo> = Vec::new();
    let mut last: Option<&str> = None;
    for (key, idx, nk) in gaz.keys() {
        if nk == NameKind::Demonym || key.len() < 2 {
            continue;
        }
        let e = gaz.entry(idx);
        let major = matches!(
            e.kind,
            Kind::Continent | Kind::Country | Kind::Admin1 | Kind::Capital | Kind::Feature
        ) || e.population >= 1_000_000;
        let take = match nk {
            NameKind::Primary => true,
            _ => major || e.population >= ALT_NAME_MIN_POP,
        };
        if !take {
            continue;
        }
        let code = key.len() <= 3 && !key.contains(' ');
        if code && e.kind != Kind::Country && e.kind != Kind::Admin1 {
            continue;
        }
        if last == Some(key) {
            if let Some(i) = info.last_mut() {
                i.major |= major;
            }
            continue;
        }
        last = Some(key);
        patterns.push(key);
        info.push(KeyInfo {
            major,
            common: !key.contains(' ') && common.contains(key),
            code,
        });
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(&patterns)
        .ok();
    Spotter { ac, info }
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
    "na", "nad",
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
    let sp = &*SPOTTER;
    let Some(ac) = &sp.ac else {
        return Vec::new();
    };
    let (norm, map) = normalise(text);
    let nb = norm.as_bytes();
    // (start, end, pattern) in original byte offsets.
    let mut cands: Vec<(usize, usize, usize)> = Vec::new();
    for m in ac.find_overlapping_iter(&norm) {
        let (s, e) = (m.start(), m.end());
        if s > 0 && is_word_byte_before(&norm, s) {
            continue;
        }
        if e < nb.len() && is_word_byte_after(&norm, e) {
            continue;
        }
        let os = map[s] as usize;
        // End: the original offset of the last byte's char, plus that char's length.
        let last = map[e - 1] as usize;
        let oe = last + text[last..].chars().next().map_or(0, char::len_utf8);
        if os >= oe || !text.is_char_boundary(os) || !text.is_char_boundary(oe) {
            continue;
        }
        // Keep a trailing full stop out unless the name has internal stops (U.S.).
        cands.push((os, oe, m.pattern().as_usize()));
    }
    // Re-attach a final full stop to dotted abbreviations ("U.S.").
    for c in cands.iter_mut() {
        let span = &text[c.0..c.1];
        if span.contains('.') && text[c.1..].starts_with('.') {
            c.1 += 1;
        }
    }
    cands.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out: Vec<Toponym> = Vec::new();
    let mut accepted_end = 0usize;
    for &(s, e, p) in &cands {
        if s < accepted_end {
            continue;
        }
        let info = &sp.info[p];
        if accept(text, s, e, info, &cands) {
            out.push(Toponym { start: s, end: e });
            accepted_end = e;
        }
    }
    out
}

fn is_word_byte_before(norm: &str, s: usize) -> bool {
    norm[..s]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric())
}

fn is_word_byte_after(norm: &str, e: usize) -> bool {
    norm[e..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric())
}

fn accept(text: &str, s: usize, e: usize, info: &KeyInfo, cands: &[(usize, usize, usize)]) -> bool {
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
                && !cands.iter().any(|c| c.0 == ws)
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
    let place_after = text[e..].starts_with(", ") && cands.iter().any(|c| c.0 == e + 2);
    if info.common {
        let prep = prev.is_some_and(|(w, _)| LOCATIVE.contains(&w.to_lowercase().as_str()));
        if initial || prev_cap || next_cap {
            return place_after && !initial;
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
