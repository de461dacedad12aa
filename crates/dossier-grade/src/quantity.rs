//! Quantities in a sentence: a number (digits with `,` or space thousands separators, decimals,
//! `25k`, number words such as "two dozen" or "twenty-five thousand", a scale word such as
//! "1.5 million") with its unit noun ("fighters" → `fighter`) and an optional qualifier
//! ("about", "at least", "up to"). Word lists are in `data/numbers.tsv`, `data/qualifiers.tsv`,
//! `data/units.tsv` and `data/not_units.txt`. One pass over the text, no backtracking.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// How a number is qualified in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    #[default]
    Exact,
    /// "about", "around", "some", "nearly"...
    About,
    /// "at least", "more than", "over"...
    AtLeast,
    /// "up to", "as many as", "fewer than"...
    AtMost,
}

/// A number with its unit noun, e.g. "at least 13 people" → 13, `person`, at least.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: f64,
    /// The unit noun's lemma (`fighter`, `person`, `km`, `percent`).
    pub unit: String,
    /// Byte offsets of qualifier + number + unit in the text.
    pub span: (usize, usize),
    #[serde(default)]
    pub qualifier: Qualifier,
    /// What happened to what is counted, when the sentence says (`killed`, `injured`,
    /// `detained`...: `data/measures.tsv`); quantities with different measures never conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
}

impl Quantity {
    /// A quantity without a qualifier.
    pub fn new(value: f64, unit: &str, span: (usize, usize)) -> Quantity {
        Quantity {
            value,
            unit: unit_lemma(unit),
            span,
            qualifier: Qualifier::Exact,
            measure: None,
        }
    }

    /// Whether two quantities of the same unit can describe the same count: equal, within
    /// rounding (3 % when either value is a round number, 15 % when either says "about"), or
    /// consistent with a bound ("at least 13" and 20). Different units are never compared.
    pub fn compatible(&self, other: &Quantity) -> bool {
        if !self.same_kind(other) {
            return true;
        }
        let (a, b) = (self.value, other.value);
        let tol = |x: &Quantity, y: &Quantity| -> f64 {
            if x.qualifier == Qualifier::About || y.qualifier == Qualifier::About {
                0.15
            } else if is_round(x.value) || is_round(y.value) {
                0.03
            } else {
                0.0
            }
        };
        let t = tol(self, other);
        let close = |x: f64, y: f64| (x - y).abs() <= t * x.abs().max(y.abs()) + 1e-9;
        match (self.qualifier, other.qualifier) {
            (Qualifier::AtLeast, Qualifier::AtLeast) | (Qualifier::AtMost, Qualifier::AtMost) => {
                true
            }
            (Qualifier::AtLeast, Qualifier::AtMost) => a <= b * (1.0 + t) + 1e-9,
            (Qualifier::AtMost, Qualifier::AtLeast) => b <= a * (1.0 + t) + 1e-9,
            (Qualifier::AtLeast, _) => b >= a * (1.0 - t) - 1e-9 || close(a, b),
            (_, Qualifier::AtLeast) => a >= b * (1.0 - t) - 1e-9 || close(a, b),
            (Qualifier::AtMost, _) => b <= a * (1.0 + t) + 1e-9 || close(a, b),
            (_, Qualifier::AtMost) => a <= b * (1.0 + t) + 1e-9 || close(a, b),
            _ => close(a, b),
        }
    }

    /// Whether two quantities count the same kind of thing: same unit class and measure.
    pub fn same_kind(&self, other: &Quantity) -> bool {
        unit_class(&self.unit) == unit_class(&other.unit) && self.measure == other.measure
    }

    /// "at least 13 person" style rendering of the value.
    pub fn describe(&self) -> String {
        let q = match self.qualifier {
            Qualifier::Exact => "",
            Qualifier::About => "about ",
            Qualifier::AtLeast => "at least ",
            Qualifier::AtMost => "at most ",
        };
        let m = self
            .measure
            .as_deref()
            .map(|m| format!(" {m}"))
            .unwrap_or_default();
        format!(
            "{q}{} {}{m}",
            fmt_num(self.value),
            unit_plural(&self.unit, self.value)
        )
    }
}

fn is_round(v: f64) -> bool {
    v >= 100.0 && (v % 100.0).abs() < 1e-9
}

pub(crate) fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let s = format!("{}", v as i64);
        let neg = s.starts_with('-');
        let digits = s.trim_start_matches('-');
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if neg { format!("-{out}") } else { out }
    } else {
        format!("{v}")
    }
}

fn lines_of(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NumKind {
    Article,
    Unit,
    Dozen,
    Scale,
}

static NUMBER_WORDS: LazyLock<HashMap<&'static str, (f64, NumKind)>> = LazyLock::new(|| {
    lines_of(include_str!("../data/numbers.tsv"))
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let kind = match *c.get(2)? {
                "article" => NumKind::Article,
                "unit" => NumKind::Unit,
                "dozen" => NumKind::Dozen,
                "scale" => NumKind::Scale,
                _ => return None,
            };
            Some((c[0], (c.get(1)?.parse().ok()?, kind)))
        })
        .collect()
});

static QUALIFIERS: LazyLock<HashMap<Vec<&'static str>, Qualifier>> = LazyLock::new(|| {
    lines_of(include_str!("../data/qualifiers.tsv"))
        .filter_map(|l| {
            let (phrase, q) = l.split_once('\t')?;
            let q = match q.trim() {
                "about" => Qualifier::About,
                "at_least" => Qualifier::AtLeast,
                "at_most" => Qualifier::AtMost,
                _ => return None,
            };
            Some((phrase.split_whitespace().collect(), q))
        })
        .collect()
});

static UNITS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    lines_of(include_str!("../data/units.tsv"))
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.trim(), b.trim()))
        .collect()
});

static MEASURES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    lines_of(include_str!("../data/measures.tsv"))
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.trim(), b.trim()))
        .collect()
});

/// Words between a unit noun and its measure: "13 people were reportedly killed".
const AUXILIARIES: [&str; 10] = [
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "being",
    "are",
    "is",
    "reportedly",
];

static UNIT_CLASSES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    lines_of(include_str!("../data/unit_classes.tsv"))
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.trim(), b.trim()))
        .collect()
});

/// The class a unit lemma is compared in (`troop`, `fighter`, `soldier` → `combatant`;
/// `data/unit_classes.tsv`); an unlisted lemma is its own class.
pub fn unit_class(lemma: &str) -> &str {
    UNIT_CLASSES.get(lemma).copied().unwrap_or(lemma)
}

static VAGUE: LazyLock<HashMap<&'static str, f64>> = LazyLock::new(|| {
    lines_of(include_str!("../data/vague.tsv"))
        .filter_map(|l| {
            let (p, v) = l.split_once('\t')?;
            Some((p.trim(), v.trim().parse().ok()?))
        })
        .collect()
});

/// "thousands of", "tens of thousands of" at token `i`: (lower bound, token after "of").
fn vague_count(toks: &[Token], i: usize) -> Option<(f64, usize, bool, bool)> {
    let first = word(toks.get(i)?)?;
    if !VAGUE.keys().any(|k| k.split(' ').next() == Some(first)) {
        return None;
    }
    for len in (1..=3).rev() {
        let words: Option<Vec<&str>> = (i..i + len).map(|k| toks.get(k).and_then(word)).collect();
        let Some(words) = words else { continue };
        if let Some(v) = VAGUE.get(words.join(" ").as_str())
            && toks.get(i + len).and_then(word) == Some("of")
        {
            return Some((*v, i + len + 1, false, false));
        }
    }
    None
}

static NOT_UNITS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lines_of(include_str!("../data/not_units.txt")).collect());

const MONTHS: [&str; 12] = [
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
];

/// The lemma of a unit noun: table forms first (`people` → `person`), then regular plurals.
pub fn unit_lemma(word: &str) -> String {
    let w = word.trim().to_lowercase();
    if let Some(l) = UNITS.get(w.as_str()) {
        return l.to_string();
    }
    if w.len() > 4
        && let Some(stem) = w.strip_suffix("ies")
    {
        return format!("{stem}y");
    }
    for suf in ["sses", "shes", "ches", "xes"] {
        if w.ends_with(suf) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.len() > 2
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        return w[..w.len() - 1].to_string();
    }
    w
}

/// The unit noun for a count: `fighter` → `fighters`, `person` → `people`; 1 stays singular.
pub fn unit_plural(lemma: &str, value: f64) -> String {
    if value == 1.0 || UNITS.get(lemma) == Some(&lemma) {
        return lemma.to_string();
    }
    // irregular forms from the table: the shortest, then alphabetically first
    let mut forms: Vec<&str> = UNITS
        .iter()
        .filter(|(f, l)| **l == lemma && **f != lemma)
        .map(|(f, _)| *f)
        .collect();
    forms.sort_by_key(|f| (f.len(), *f));
    if let Some(f) = forms.first() {
        return f.to_string();
    }
    let consonant_y = lemma.len() > 1
        && lemma.ends_with('y')
        && !lemma[..lemma.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &lemma[..lemma.len() - 1])
    } else if lemma.ends_with(['s', 'x']) || lemma.ends_with("ch") || lemma.ends_with("sh") {
        format!("{lemma}es")
    } else {
        format!("{lemma}s")
    }
}

fn looks_plural(w: &str) -> bool {
    UNITS.contains_key(w) || (w.len() > 2 && w.ends_with('s') && !w.ends_with("ss"))
}

#[derive(Debug, Clone)]
enum Tok {
    /// A word, lowercased, and whether it started with an uppercase letter.
    Word(String, bool),
    Num(f64),
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    start: usize,
    end: usize,
    tok: Tok,
}

fn is_group_sep(c: char) -> bool {
    matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Split text into words, numbers and punctuation, with byte offsets. Linear.
fn tokenise(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let n = text.len();
    let char_at = |i: usize| text[i..].chars().next();
    while i < n {
        let Some(c) = char_at(i) else { break };
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            let mut j = i;
            while j < n && b[j].is_ascii_digit() {
                j += 1;
            }
            let first_len = j - start;
            let mut digits: String = text[start..j].to_string();
            let mut sep: Option<char> = None;
            // thousands groups
            if first_len <= 3 {
                while let Some(s) = char_at(j).filter(|c| is_group_sep(*c)) {
                    if sep.is_some_and(|p| p != s) {
                        break;
                    }
                    let g = j + s.len_utf8();
                    let ok = g + 3 <= n
                        && b[g..g + 3].iter().all(u8::is_ascii_digit)
                        && (g + 3 == n || !b[g + 3].is_ascii_digit());
                    if !ok {
                        break;
                    }
                    sep = Some(s);
                    digits.push_str(&text[g..g + 3]);
                    j = g + 3;
                }
            }
            // decimals
            if j + 1 < n && b[j] == b'.' && b[j + 1].is_ascii_digit() {
                digits.push('.');
                j += 1;
                while j < n && b[j].is_ascii_digit() {
                    digits.push(b[j] as char);
                    j += 1;
                }
            }
            let mut value: f64 = digits.parse().unwrap_or(f64::NAN);
            // attached letters: 25k is 25,000; 24th, 10am are not quantities
            if let Some(next) = char_at(j)
                && next.is_alphanumeric()
            {
                let after = char_at(j + next.len_utf8());
                if (next == 'k' || next == 'K') && !after.is_some_and(char::is_alphanumeric) {
                    value *= 1000.0;
                    j += next.len_utf8();
                } else {
                    let mut k = j;
                    while let Some(c) = char_at(k)
                        && c.is_alphanumeric()
                    {
                        k += c.len_utf8();
                    }
                    out.push(Token {
                        start,
                        end: k,
                        tok: Tok::Word(text[start..k].to_lowercase(), false),
                    });
                    i = k;
                    continue;
                }
            }
            out.push(Token {
                start,
                end: j,
                tok: if value.is_finite() {
                    Tok::Num(value)
                } else {
                    Tok::Punct('#')
                },
            });
            i = j;
            continue;
        }
        if c.is_alphanumeric() {
            let start = i;
            let mut j = i + cl;
            loop {
                match char_at(j) {
                    Some(c) if c.is_alphanumeric() => j += c.len_utf8(),
                    Some(c @ ('-' | '\'' | '\u{2019}'))
                        if char_at(j + c.len_utf8()).is_some_and(char::is_alphanumeric) =>
                    {
                        j += c.len_utf8()
                    }
                    _ => break,
                }
            }
            out.push(Token {
                start,
                end: j,
                tok: Tok::Word(text[start..j].to_lowercase(), c.is_uppercase()),
            });
            i = j;
            continue;
        }
        out.push(Token {
            start: i,
            end: i + cl,
            tok: Tok::Punct(c),
        });
        i += cl;
    }
    out
}

fn word(t: &Token) -> Option<&str> {
    match &t.tok {
        Tok::Word(w, _) => Some(w),
        _ => None,
    }
}

/// Number words from token `i`: (value, next token, only a lone "one"/"a", ends with dozen/couple).
fn number_words(toks: &[Token], i: usize) -> Option<(f64, usize, bool, bool)> {
    let mut total = 0.0;
    let mut current = 0.0;
    let mut j = i;
    let mut parts = 0;
    let mut lone_one = true;
    let mut ends_dozen = false;
    let mut saw_article = false;
    while j < toks.len() {
        let Some(w) = word(&toks[j]) else { break };
        let pieces: Vec<&str> = w.split('-').collect();
        let known: Option<Vec<(f64, NumKind)>> = pieces
            .iter()
            .map(|p| NUMBER_WORDS.get(p).copied())
            .collect();
        let Some(known) = known else {
            // "and" inside "two hundred and fifty"
            if w == "and"
                && parts > 0
                && toks
                    .get(j + 1)
                    .and_then(word)
                    .and_then(|n| NUMBER_WORDS.get(n))
                    .is_some_and(|(_, k)| *k == NumKind::Unit)
            {
                j += 1;
                continue;
            }
            break;
        };
        if known.iter().any(|(_, k)| *k == NumKind::Article) {
            if parts > 0 || known.len() > 1 {
                break;
            }
            // "a" only counts before dozen, couple or a scale word
            let next = toks
                .get(j + 1)
                .and_then(word)
                .and_then(|n| NUMBER_WORDS.get(n));
            let next_ok = next.is_some_and(|(v, k)| {
                matches!(k, NumKind::Dozen | NumKind::Scale) || (*k == NumKind::Unit && *v == 2.0)
            });
            if !next_ok {
                break;
            }
            saw_article = true;
            current = 1.0;
            parts += 1;
            j += 1;
            continue;
        }
        for (piece, (v, k)) in pieces.iter().zip(known) {
            match k {
                NumKind::Unit => {
                    if *piece == "couple" {
                        current = if saw_article { v } else { current + v };
                        ends_dozen = true;
                    } else {
                        current += v;
                        ends_dozen = false;
                    }
                    if v != 1.0 {
                        lone_one = false;
                    }
                }
                NumKind::Dozen => {
                    current = if current == 0.0 { v } else { current * v };
                    lone_one = false;
                    ends_dozen = true;
                }
                NumKind::Scale => {
                    if parts == 0 {
                        // a bare "hundred" or "million" is not a count
                        return None;
                    }
                    lone_one = false;
                    ends_dozen = false;
                    if v >= 1000.0 {
                        total += current.max(1.0) * v;
                        current = 0.0;
                    } else {
                        current = current.max(1.0) * v;
                    }
                }
                NumKind::Article => {}
            }
        }
        saw_article = false;
        parts += 1;
        j += 1;
    }
    if parts == 0 {
        return None;
    }
    Some((total + current, j, lone_one, ends_dozen))
}

/// Every quantity (number + unit noun) in a text, in text order.
pub fn quantities(text: &str) -> Vec<Quantity> {
    let toks = tokenise(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let vague = vague_count(&toks, i);
        let parsed = match &toks[i].tok {
            _ if vague.is_some() => vague,
            Tok::Num(v) => {
                let mut v = *v;
                let mut j = i + 1;
                let mut ends_dozen = false;
                while let Some(w) = toks.get(j).and_then(word)
                    && let Some((m, k)) = NUMBER_WORDS.get(w)
                    && matches!(k, NumKind::Scale | NumKind::Dozen)
                {
                    v *= m;
                    ends_dozen = *k == NumKind::Dozen;
                    j += 1;
                }
                Some((v, j, false, ends_dozen))
            }
            Tok::Word(w, _) if NUMBER_WORDS.contains_key(w.split('-').next().unwrap_or("")) => {
                number_words(&toks, i)
            }
            _ => None,
        };
        let Some((value, mut j, lone_one, ends_dozen)) = parsed else {
            i += 1;
            continue;
        };
        let next_i = j.max(i + 1);
        if lone_one {
            i = next_i;
            continue;
        }
        // a date: "June 24", "24 June"
        let prev_word = i.checked_sub(1).and_then(|p| word(&toks[p]));
        if prev_word.is_some_and(|w| MONTHS.contains(&w)) {
            i = next_i;
            continue;
        }
        if ends_dozen && toks.get(j).and_then(word) == Some("of") {
            j += 1;
        }
        // unit: attached or following %, else the noun after the number
        let mut unit: Option<(String, usize, usize)> = None;
        if let Some(t) = toks.get(j)
            && matches!(t.tok, Tok::Punct('%'))
        {
            unit = Some(("percent".into(), t.end, j));
        } else {
            let mut skipped_caps = 0;
            let mut k = j;
            while k < toks.len() && k < j + 4 {
                let Tok::Word(w, cap) = &toks[k].tok else {
                    break;
                };
                if *cap {
                    skipped_caps += 1;
                    if skipped_caps > 2 {
                        break;
                    }
                    k += 1;
                    continue;
                }
                if NOT_UNITS.contains(w.as_str())
                    || NUMBER_WORDS.contains_key(w.as_str())
                    || w.chars().next().is_some_and(|c| c.is_ascii_digit())
                {
                    break;
                }
                if w == "per" && toks.get(k + 1).and_then(word) == Some("cent") {
                    unit = Some(("percent".into(), toks[k + 1].end, k + 1));
                    break;
                }
                let plural = looks_plural(w);
                if skipped_caps > 0 && !plural {
                    break;
                }
                // "armed fighters", "civilian casualties": the plural noun after a modifier
                if !plural
                    && let Some(Tok::Word(w2, false)) = toks.get(k + 1).map(|t| &t.tok)
                    && looks_plural(w2)
                    && !NOT_UNITS.contains(w2.as_str())
                {
                    unit = Some((unit_lemma(w2), toks[k + 1].end, k + 1));
                    break;
                }
                unit = Some((unit_lemma(w), toks[k].end, k));
                break;
            }
        }
        let Some((unit, mut end, unit_tok)) = unit else {
            i = next_i;
            continue;
        };
        // qualifier: the longest phrase of up to 3 words just before the number
        let mut start = toks[i].start;
        let mut qualifier = if vague.is_some() {
            Qualifier::AtLeast
        } else {
            Qualifier::Exact
        };
        for len in (1..=3).rev() {
            if i < len {
                continue;
            }
            let words: Option<Vec<&str>> = (i - len..i).map(|p| word(&toks[p])).collect();
            if let Some(ws) = words
                && let Some(q) = QUALIFIERS.get(&ws)
            {
                qualifier = *q;
                start = toks[i - len].start;
                break;
            }
        }
        // what is counted: "13 people (were) killed", "killed 13 people", "13 dead"
        let mut measure = MEASURES.get(unit.as_str()).map(|m| m.to_string());
        if measure.is_none() {
            let mut k = unit_tok + 1;
            while k < toks.len() && k <= unit_tok + 3 {
                let Some(w) = word(&toks[k]) else { break };
                if let Some(m) = MEASURES.get(w) {
                    measure = Some(m.to_string());
                    end = toks[k].end;
                    break;
                }
                if !AUXILIARIES.contains(&w) {
                    break;
                }
                k += 1;
            }
        }
        if measure.is_none() {
            let before = toks[..i].iter().rposition(|t| t.start < start);
            if let Some(b) = before
                && let Some(w) = word(&toks[b])
                && let Some(m) = MEASURES.get(w)
            {
                measure = Some(m.to_string());
                start = toks[b].start;
            }
        }
        out.push(Quantity {
            value,
            unit,
            span: (start, end),
            qualifier,
            measure,
        });
        i = next_i;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<(f64, String, Qualifier, &str)> {
        quantities(text)
            .into_iter()
            .map(|x| {
                (
                    x.value,
                    x.unit.clone(),
                    x.qualifier,
                    &text[x.span.0..x.span.1],
                )
            })
            .collect()
    }

    #[test]
    fn finds_counts() {
        assert_eq!(
            q("Prigozhin said 25,000 fighters were ready."),
            [(
                25000.0,
                "fighter".into(),
                Qualifier::Exact,
                "25,000 fighters"
            )]
        );
        assert_eq!(
            q("The ministry put it at 8 000 troops"),
            [(8000.0, "troop".into(), Qualifier::Exact, "8 000 troops")]
        );
        assert_eq!(
            q("two dozen soldiers died"),
            [(
                24.0,
                "soldier".into(),
                Qualifier::Exact,
                "two dozen soldiers died"
            )]
        );
        assert_eq!(
            q("at least 13 people were killed"),
            [(
                13.0,
                "person".into(),
                Qualifier::AtLeast,
                "at least 13 people were killed"
            )]
        );
        assert_eq!(
            q("about 1.5 million residents and some 25,000 Wagner fighters"),
            [
                (
                    1_500_000.0,
                    "resident".into(),
                    Qualifier::About,
                    "about 1.5 million residents"
                ),
                (
                    25000.0,
                    "fighter".into(),
                    Qualifier::About,
                    "some 25,000 Wagner fighters"
                ),
            ]
        );
        assert_eq!(
            q("twenty-five thousand armed men and 40% of voters"),
            [
                (
                    25000.0,
                    "man".into(),
                    Qualifier::Exact,
                    "twenty-five thousand armed men"
                ),
                (40.0, "percent".into(), Qualifier::Exact, "40%"),
            ]
        );
        assert_eq!(
            q("a dozen civilian casualties, a couple of tanks, 25k rubles"),
            [
                (
                    12.0,
                    "casualty".into(),
                    Qualifier::Exact,
                    "a dozen civilian casualties"
                ),
                (2.0, "tank".into(), Qualifier::Exact, "a couple of tanks"),
                (25000.0, "ruble".into(), Qualifier::Exact, "25k rubles"),
            ]
        );
        assert_eq!(
            q("two hundred and fifty helicopters"),
            [(
                250.0,
                "helicopter".into(),
                Qualifier::Exact,
                "two hundred and fifty helicopters"
            )]
        );
    }

    #[test]
    fn skips_non_counts() {
        assert!(q("On June 24 Prigozhin tried to call at 10am, on 24 June 2023.").is_empty());
        assert!(q("one of the sources said a source in the Su-25 unit").is_empty());
        assert!(q("In 2023 the MH17 report; 24th of June; 3 were killed").is_empty());
        assert_eq!(
            q("hundreds of people and tens of thousands of troops"),
            [
                (
                    200.0,
                    "person".into(),
                    Qualifier::AtLeast,
                    "hundreds of people"
                ),
                (
                    20000.0,
                    "troop".into(),
                    Qualifier::AtLeast,
                    "tens of thousands of troops"
                ),
            ]
        );
        assert!(q("thousands of the").is_empty());
    }

    #[test]
    fn measures() {
        let m = |t: &str| -> Vec<(f64, String, Option<String>, String)> {
            quantities(t)
                .into_iter()
                .map(|q| {
                    (
                        q.value,
                        q.unit,
                        q.measure,
                        t[q.span.0..q.span.1].to_string(),
                    )
                })
                .collect()
        };
        assert_eq!(
            m("at least 13 people were killed and 20 people injured"),
            [
                (
                    13.0,
                    "person".into(),
                    Some("killed".into()),
                    "at least 13 people were killed".into()
                ),
                (
                    20.0,
                    "person".into(),
                    Some("injured".into()),
                    "20 people injured".into()
                ),
            ]
        );
        assert_eq!(
            m("the strike killed 3 civilians"),
            [(
                3.0,
                "civilian".into(),
                Some("killed".into()),
                "killed 3 civilians".into()
            )]
        );
        let q = quantities("13 people killed, 20 people injured");
        assert!(q[0].compatible(&q[1]), "different measures never conflict");
        let q = quantities("13 people killed, 20 people dead");
        assert!(!q[0].compatible(&q[1]));
    }

    #[test]
    fn unit_classes() {
        let q = quantities("25,000 fighters and 8,000 troops, 24 tanks and 30 troops");
        assert_eq!(q.len(), 4);
        assert!(!q[0].compatible(&q[1]));
        assert!(q[0].compatible(&q[2]), "tanks are not troops");
        assert!(q[0].same_kind(&q[3]));
    }

    #[test]
    fn plurals() {
        assert_eq!(unit_plural("fighter", 25000.0), "fighters");
        assert_eq!(unit_plural("person", 13.0), "people");
        assert_eq!(unit_plural("casualty", 3.0), "casualties");
        assert_eq!(unit_plural("km", 3.0), "km");
        assert_eq!(unit_plural("percent", 40.0), "percent");
        assert_eq!(unit_plural("troop", 1.0), "troop");
        assert_eq!(unit_plural("troop", 8000.0), "troops");
    }

    #[test]
    fn compatibility() {
        let mk = |v, qu| Quantity {
            value: v,
            unit: "fighter".into(),
            span: (0, 0),
            qualifier: qu,
            measure: None,
        };
        use Qualifier::*;
        assert!(mk(1000.0, Exact).compatible(&mk(1000.0, About)));
        assert!(mk(1000.0, About).compatible(&mk(1100.0, Exact)));
        assert!(!mk(25000.0, Exact).compatible(&mk(8000.0, Exact)));
        assert!(mk(25000.0, Exact).compatible(&mk(25400.0, Exact)));
        assert!(!mk(13.0, Exact).compatible(&mk(14.0, Exact)));
        assert!(mk(13.0, AtLeast).compatible(&mk(20.0, Exact)));
        assert!(!mk(13.0, AtLeast).compatible(&mk(5.0, Exact)));
        assert!(mk(100.0, AtMost).compatible(&mk(50.0, Exact)));
        assert!(!mk(100.0, AtMost).compatible(&mk(500.0, Exact)));
        let mut other = mk(5.0, Exact);
        other.unit = "tank".into();
        assert!(mk(25000.0, Exact).compatible(&other));
    }
}
