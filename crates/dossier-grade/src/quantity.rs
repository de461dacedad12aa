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
    /// The upper end of a range ("13 to 15 people", "13-15", "between 13 and 15"): `value` is
    /// the lower end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
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
            high: None,
        }
    }

    /// Whether it counts something (people, vehicles, money) rather than giving a time, an age,
    /// a share or a distance (`data/not_counts.tsv`). Only counts are compared as an event's
    /// number slot.
    pub fn is_count(&self) -> bool {
        self.value.is_finite() && is_count_unit(&self.unit)
    }

    /// Whether it is a running toll (killed, injured, detained...: `data/running_measures.txt`),
    /// revised as reports come in, so that two different tolls are a soft difference.
    pub fn is_running(&self) -> bool {
        self.measure.as_deref().is_some_and(|m| RUNNING.contains(m))
    }

    /// The values the text allows, with tolerance `t`: an exact figure or range widened by `t`
    /// either way, "at least" open above, "at most" from zero.
    fn interval(&self, t: f64) -> (f64, f64) {
        let lo = self.value * (1.0 - t);
        let hi = self.high.unwrap_or(self.value).max(self.value) * (1.0 + t);
        match self.qualifier {
            Qualifier::Exact | Qualifier::About => (lo, hi),
            Qualifier::AtLeast => (lo, f64::INFINITY),
            Qualifier::AtMost => (0.0, hi),
        }
    }

    /// Whether two quantities of the same kind can describe the same count: their ranges
    /// overlap once widened by a tolerance ([`ABOUT_TOLERANCE`] when either says "about",
    /// [`ROUND_TOLERANCE`] when either is a round number of at least 100, else none). So "at
    /// least 13" fits 20, "up to 100" fits 50, "about 25,000" fits 22,000, "13 to 15" fits 14,
    /// but 25,000 and 8,000, or 13 and 14, do not. Different kinds are never compared.
    pub fn compatible(&self, other: &Quantity) -> bool {
        if !self.same_kind(other) {
            return true;
        }
        let t = if self.qualifier == Qualifier::About || other.qualifier == Qualifier::About {
            ABOUT_TOLERANCE
        } else if is_round(self.value) || is_round(other.value) {
            ROUND_TOLERANCE
        } else {
            0.0
        };
        let (a_lo, a_hi) = self.interval(t);
        let (b_lo, b_hi) = other.interval(t);
        a_lo <= b_hi + 1e-9 && b_lo <= a_hi + 1e-9
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
        let value = match self.high {
            Some(h) if h != self.value => format!("{}\u{2013}{}", fmt_num(self.value), fmt_num(h)),
            _ => fmt_num(self.value),
        };
        format!(
            "{q}{value} {}{m}",
            unit_plural(&self.unit, self.high.unwrap_or(self.value))
        )
    }
}

/// Relative tolerance between two figures when either says "about" ("around", "some").
pub const ABOUT_TOLERANCE: f64 = 0.25;
/// Relative tolerance when either figure is a round number (a multiple of 100): round figures
/// are estimates.
pub const ROUND_TOLERANCE: f64 = 0.10;

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

/// Month names and abbreviations, English and Polish (`data/months.tsv`), to their number.
pub(crate) static MONTHS: LazyLock<HashMap<&'static str, u32>> = LazyLock::new(|| {
    lines_of(include_str!("../data/months.tsv"))
        .filter_map(|l| {
            let (w, n) = l.split_once('\t')?;
            Some((w.trim(), n.trim().parse().ok()?))
        })
        .collect()
});

/// Unit lemmas that are not counts (`data/not_counts.tsv`): times, ages, percentages,
/// distances, ordinal suffixes.
static NOT_COUNTS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    lines_of(include_str!("../data/not_counts.tsv"))
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.trim(), b.trim()))
        .collect()
});

/// Currency signs and codes (`data/currencies.tsv`) to a unit lemma.
static CURRENCIES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    lines_of(include_str!("../data/currencies.tsv"))
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.trim(), b.trim()))
        .collect()
});

/// Words that open another clause (`data/clause_breaks.tsv`): `true` when they do so with or
/// without a comma before them, `false` only after a comma.
static CLAUSE_BREAKS: LazyLock<HashMap<&'static str, bool>> = LazyLock::new(|| {
    lines_of(include_str!("../data/clause_breaks.tsv"))
        .filter_map(|l| l.split_once('\t'))
        .map(|(w, when)| (w.trim(), when.trim() == "always"))
        .collect()
});

/// Measures whose counts are running tolls (`data/running_measures.txt`).
static RUNNING: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lines_of(include_str!("../data/running_measures.txt")).collect());

/// Whether a unit lemma counts things (people, vehicles, money) rather than measuring time,
/// age, a share or a distance (`data/not_counts.tsv`).
pub fn is_count_unit(lemma: &str) -> bool {
    !lemma.is_empty() && !NOT_COUNTS.contains_key(lemma)
}

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
                let mut k = j;
                while let Some(c) = char_at(k)
                    && c.is_alphanumeric()
                {
                    k += c.len_utf8();
                }
                // "1.5bn", "2mln": an attached scale word
                let scale = NUMBER_WORDS
                    .get(text[j..k].to_lowercase().as_str())
                    .filter(|(_, kind)| *kind == NumKind::Scale && k - j <= 3)
                    .map(|(v, _)| *v);
                if (next == 'k' || next == 'K') && !after.is_some_and(char::is_alphanumeric) {
                    value *= 1000.0;
                    j += next.len_utf8();
                } else if let Some(m) = scale {
                    value *= m;
                    j = k;
                } else {
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

static NOT_COUNT_BEFORE: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    lines_of(include_str!("../data/not_count_before.tsv"))
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.trim(), b.trim()))
        .collect()
});

static YEAR_BEFORE: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lines_of(include_str!("../data/year_before.txt")).collect());

/// A quantity with the tokens it was read from.
struct Found {
    q: Quantity,
    /// The number's first token and the unit noun's token.
    num_tok: usize,
    unit_tok: usize,
}

fn adjacent(a: &Token, b: &Token) -> bool {
    a.end == b.start
}

fn punct(t: Option<&Token>) -> Option<char> {
    match t?.tok {
        Tok::Punct(c) => Some(c),
        _ => None,
    }
}

/// A four-digit number that is a year: "in 2023", "2023's", "June 2023", "2023 Wagner" — a
/// count only when a lower-case plural noun follows it directly and no year word precedes it.
fn is_year(text: &str, toks: &[Token], i: usize) -> bool {
    let t = &toks[i];
    let Tok::Num(v) = t.tok else { return false };
    let raw = &text[t.start..t.end];
    if raw.len() != 4 || !raw.bytes().all(|b| b.is_ascii_digit()) || !(1800.0..=2100.0).contains(&v)
    {
        return false;
    }
    let prev = i.checked_sub(1).and_then(|p| word(&toks[p]));
    if prev.is_some_and(|w| YEAR_BEFORE.contains(w) || MONTHS.contains_key(w)) {
        return true;
    }
    !matches!(toks.get(i + 1).map(|n| &n.tok),
        Some(Tok::Word(w, false)) if looks_plural(w) && !NOT_UNITS.contains(w.as_str()))
}

/// A number that is part of a clock time ("10:30") or a date ("24 June", "24 czerwca").
fn is_clock_or_date(toks: &[Token], i: usize, next: usize) -> bool {
    let t = &toks[i];
    if punct(i.checked_sub(1).map(|p| &toks[p])) == Some(':') && adjacent(&toks[i - 1], t) {
        return true;
    }
    if punct(toks.get(i + 1)) == Some(':')
        && adjacent(t, &toks[i + 1])
        && matches!(toks.get(i + 2).map(|n| &n.tok), Some(Tok::Num(_)))
    {
        return true;
    }
    toks.get(next)
        .and_then(word)
        .is_some_and(|w| MONTHS.contains_key(w))
}

/// A number after a range word: "13 to 15", "13-15", "13 or 14", "between 13 and 15".
/// Returns (upper value, token after it).
fn range_upper(toks: &[Token], i: usize, j: usize, low: f64) -> Option<(f64, f64, usize)> {
    let sep = toks.get(j)?;
    let ok = match &sep.tok {
        Tok::Word(w, _) if w == "to" || w == "or" => true,
        Tok::Word(w, _) if w == "and" => {
            i.checked_sub(1).and_then(|p| word(&toks[p])) == Some("between")
        }
        Tok::Punct('-' | '\u{2013}') => {
            adjacent(&toks[j - 1], sep) && toks.get(j + 1).is_some_and(|n| adjacent(sep, n))
        }
        _ => false,
    };
    if !ok {
        return None;
    }
    let Tok::Num(mut hi) = toks.get(j + 1)?.tok else {
        return None;
    };
    let mut k = j + 2;
    let mut mult = 1.0;
    while let Some(w) = toks.get(k).and_then(word)
        && let Some((m, kind)) = NUMBER_WORDS.get(w)
        && matches!(kind, NumKind::Scale | NumKind::Dozen)
    {
        mult *= m;
        k += 1;
    }
    hi *= mult;
    // "2 to 3 million": the scale applies to both ends
    let low = if mult > 1.0 && low * mult <= hi {
        low * mult
    } else {
        low
    };
    (hi >= low).then_some((low, hi, k))
}

/// Every quantity of a text with its tokens.
fn scan(text: &str) -> (Vec<Token>, Vec<Found>) {
    let toks = tokenise(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let vague = vague_count(&toks, i);
        let mut high: Option<f64> = None;
        let mut currency: Option<&'static str> = None;
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
                if let Some((lo, hi, k)) = range_upper(&toks, i, j, v) {
                    v = lo;
                    high = Some(hi);
                    j = k;
                }
                // a currency sign just before: "$1.5 billion", "€200"
                if let Some(p) = i.checked_sub(1)
                    && let Tok::Punct(c) = toks[p].tok
                    && adjacent(&toks[p], &toks[i])
                {
                    let mut buf = [0u8; 4];
                    currency = CURRENCIES.get(&*c.encode_utf8(&mut buf)).copied();
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
        // not a count: a date ("June 24", "24 June"), a clock time, a year, an age or a label
        let prev_word = i.checked_sub(1).and_then(|p| word(&toks[p]));
        if prev_word.is_some_and(|w| MONTHS.contains_key(w) || NOT_COUNT_BEFORE.contains_key(w))
            || is_clock_or_date(&toks, i, j)
            || is_year(text, &toks, i)
        {
            i = next_i;
            continue;
        }
        if ends_dozen && toks.get(j).and_then(word) == Some("of") {
            j += 1;
        }
        // unit: a currency, an attached or following %, else the noun after the number
        let mut unit: Option<(String, usize, usize)> = None;
        if let Some(c) = currency {
            unit = Some((c.to_string(), toks[j - 1].end, j - 1));
        } else if let Some(t) = toks.get(j)
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
                if let Some(c) = CURRENCIES.get(w.as_str()) {
                    unit = Some((c.to_string(), toks[k].end, k));
                    break;
                }
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
        let Some((mut unit, mut end, unit_tok)) = unit else {
            i = next_i;
            continue;
        };
        // qualifier: the longest phrase of up to 3 words just before the number
        let mut start = toks[i].start;
        if currency.is_some() {
            start = toks[i - 1].start;
        }
        let first = if currency.is_some() { i - 1 } else { i };
        let mut qualifier = if vague.is_some() {
            Qualifier::AtLeast
        } else {
            Qualifier::Exact
        };
        for len in (1..=3).rev() {
            if first < len {
                continue;
            }
            let words: Option<Vec<&str>> = (first - len..first).map(|p| word(&toks[p])).collect();
            if let Some(ws) = words
                && let Some(q) = QUALIFIERS.get(&ws)
            {
                qualifier = *q;
                start = toks[first - len].start;
                break;
            }
        }
        // money: what it is for, from the word after it ("$32 billion deficit", "$1 billion in
        // aid"), so that a deficit and a budget never compare
        if currency.is_some() || CURRENCIES.values().any(|c| *c == unit) {
            let mut k = unit_tok + 1;
            if matches!(
                toks.get(k).and_then(word),
                Some("in" | "of" | "for" | "worth")
            ) {
                k += 1;
            }
            let what = match toks.get(k).map(|t| &t.tok) {
                Some(Tok::Word(w, false))
                    if !NOT_UNITS.contains(w.as_str())
                        && !NUMBER_WORDS.contains_key(w.as_str()) =>
                {
                    Some(unit_lemma(w))
                }
                _ => None,
            };
            out.push(Found {
                q: Quantity {
                    value,
                    unit,
                    span: (start, end),
                    qualifier,
                    measure: what.map(|w| format!("for {w}")),
                    high,
                },
                num_tok: i,
                unit_tok,
            });
            i = next_i;
            continue;
        }
        // what is counted: "13 people (were) killed", "killed 13 people", "13 dead"; a count
        // named by its measure alone ("13 dead", "20 wounded") counts people
        let mut measure = MEASURES.get(unit.as_str()).map(|m| m.to_string());
        if measure.is_some() {
            unit = "person".to_string();
        }
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
            let before = toks[..first].iter().rposition(|t| t.start < start);
            if let Some(b) = before
                && let Some(w) = word(&toks[b])
                && let Some(m) = MEASURES.get(w)
            {
                measure = Some(m.to_string());
                start = toks[b].start;
            }
        }
        out.push(Found {
            q: Quantity {
                value,
                unit,
                span: (start, end),
                qualifier,
                measure,
                high,
            },
            num_tok: i,
            unit_tok,
        });
        i = next_i;
    }
    (toks, out)
}

/// Every quantity (number + unit noun) in a text, in text order, counts or not (times, ages in
/// years, percentages and distances included: see [`Quantity::is_count`]). Dates ("June 24",
/// "24 June"), clock times ("10:30"), years ("in 2023"), ages ("aged 62") and labels ("Flight
/// 752") are not quantities.
pub fn quantities(text: &str) -> Vec<Quantity> {
    scan(text).1.into_iter().map(|f| f.q).collect()
}

/// Tokens from the trigger within which a count is read as the event's.
pub const NEAR_TOKENS: usize = 12;

/// Clause numbers of the tokens: a new clause starts at `;`, `:`, brackets, a dash, `?`, `!`,
/// a full stop before a capital, a subordinating word ("after", "when", "because"), and a
/// comma before a relative word ("which", "where"): `data/clause_breaks.tsv`.
fn clauses(text: &str, toks: &[Token]) -> Vec<usize> {
    let mut out = Vec::with_capacity(toks.len());
    let mut c = 0;
    for (k, t) in toks.iter().enumerate() {
        let boundary = match t.tok {
            Tok::Punct(';' | ':' | '(' | ')' | '[' | ']' | '|' | '?' | '!' | '\u{2014}') => true,
            Tok::Punct('-' | '\u{2013}') => {
                let spaced_before = k > 0 && toks[k - 1].end < t.start;
                let spaced_after = toks.get(k + 1).is_some_and(|n| t.end < n.start);
                spaced_before && spaced_after
            }
            Tok::Punct('.') => toks.get(k + 1).is_some_and(|n| {
                t.end < n.start
                    && text[n.start..]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
            }),
            Tok::Punct(',') => toks
                .get(k + 1)
                .and_then(word)
                .is_some_and(|w| CLAUSE_BREAKS.contains_key(w)),
            Tok::Word(ref w, _) => {
                CLAUSE_BREAKS.get(w.as_str()) == Some(&true)
                    && punct(k.checked_sub(1).map(|p| &toks[p])) != Some(',')
            }
            _ => false,
        };
        if boundary {
            c += 1;
        }
        out.push(c);
    }
    out
}

/// The counts of a sentence that belong to its event: quantities that count something
/// ([`Quantity::is_count`]: not times, ages, percentages or distances) in the trigger's clause
/// and within [`NEAR_TOKENS`] words of it. `trigger` is the byte span of the event's trigger in
/// `sentence` (clamped to it; see [`sentence_offsets`]). "Wagner said 25,000 fighters marched
/// on Moscow, three days after 13 pilots died" gives 25,000 fighters for "marched", not the 3
/// days or the 13 pilots.
pub fn quantities_near(sentence: &str, trigger: (usize, usize)) -> Vec<Quantity> {
    let (toks, found) = scan(sentence);
    if found.is_empty() {
        return Vec::new();
    }
    let ts = trigger.0.min(sentence.len());
    let te = trigger.1.clamp(ts, sentence.len());
    let t_first = toks
        .iter()
        .position(|t| t.end > ts)
        .unwrap_or(toks.len() - 1);
    let t_last = toks
        .iter()
        .rposition(|t| t.start < te)
        .unwrap_or(t_first)
        .max(t_first);
    let clause = clauses(sentence, &toks);
    // word and number positions, for distances that do not count punctuation
    let mut words_before: Vec<usize> = Vec::with_capacity(toks.len() + 1);
    let mut n = 0usize;
    for t in &toks {
        words_before.push(n);
        if !matches!(t.tok, Tok::Punct(_)) {
            n += 1;
        }
    }
    let gap = |a: usize, b: usize| -> usize {
        // words strictly between token a and token b (a < b)
        words_before[b].saturating_sub(words_before[a] + 1)
    };
    found
        .into_iter()
        .filter(|f| {
            let (qa, qb) = (f.num_tok.min(f.unit_tok), f.num_tok.max(f.unit_tok));
            let c = clause[t_first];
            if !f.q.is_count() || clause[qa] != c || clause[qb] != c || clause[t_last] != c {
                return false;
            }
            let d = if qb < t_first {
                gap(qb, t_first)
            } else if qa > t_last {
                gap(t_last, qa)
            } else {
                0
            };
            d <= NEAR_TOKENS
        })
        .map(|f| f.q)
        .collect()
}

/// Byte offsets of `span` (offsets in a document) inside a sentence that starts at
/// `sentence_start` in that document, clamped to the sentence and moved back to character
/// boundaries, for [`quantities_near`]. When the sentence was copied with its whitespace
/// collapsed, offsets after a collapsed run are a little too far right; the word window of
/// [`quantities_near`] absorbs that.
pub fn sentence_offsets(
    sentence: &str,
    sentence_start: usize,
    span: (usize, usize),
) -> (usize, usize) {
    let fix = |x: usize| {
        let mut x = x.saturating_sub(sentence_start).min(sentence.len());
        while !sentence.is_char_boundary(x) {
            x -= 1;
        }
        x
    };
    let (a, b) = (fix(span.0), fix(span.1));
    (a, b.max(a))
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
                    "person".into(),
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
            high: None,
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

    /// (value, unit, text) of the counts near the first occurrence of `trigger`.
    fn near(text: &str, trigger: &str) -> Vec<(f64, String, String)> {
        let at = text.find(trigger).expect("trigger in text");
        quantities_near(text, (at, at + trigger.len()))
            .into_iter()
            .map(|q| {
                (
                    q.value,
                    q.unit.clone(),
                    text[q.span.0..q.span.1].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn counts_near_the_trigger_only() {
        let s = "Prigozhin said 25,000 fighters marched on Moscow, three days after 13 pilots died";
        assert_eq!(
            near(s, "marched"),
            [(25000.0, "fighter".into(), "25,000 fighters".into())]
        );
        // the same numbers belong to "died"
        let died: Vec<f64> = near(s, "died").iter().map(|q| q.0).collect();
        assert_eq!(died, [13.0]);
        // another clause
        let s = "Wagner seized Rostov-on-Don, where 1.1 million people live";
        assert!(near(s, "seized").is_empty());
        let s = "The column advanced; officials later said 40 tanks had been counted in Voronezh";
        assert!(near(s, "advanced").is_empty());
        // too far from the trigger
        let s = "Troops were sent, and in a long statement read out on state television late on \
                 Sunday evening the governor of the region also mentioned 300 buses";
        assert!(near(s, "sent").is_empty());
    }

    #[test]
    fn not_counts() {
        let counts = |t: &str| -> Vec<(f64, String)> {
            quantities_near(t, (0, t.len()))
                .into_iter()
                .map(|q| (q.value, q.unit))
                .collect()
        };
        for t in [
            "The mutiny ended 3 days later.",
            "In 2023 Wagner fighters seized the city",
            "Since 2014 mercenaries have fought there",
            "At 10:30 troops reached the bridge",
            "the 24-hour mutiny",
            "Prigozhin, aged 62 and 62 years old, a 62-year-old",
            "40% of voters and 40 per cent of fighters",
            "they came within 200 km of Moscow",
            "on the 24th day of fighting, 24 June 2023",
            "Flight 752 crashed",
            "on 24 czerwca",
        ] {
            assert!(counts(t).is_empty(), "{t}: {:?}", counts(t));
        }
        assert_eq!(
            counts("2000 troops were deployed"),
            [(2000.0, "troop".into())]
        );
        assert_eq!(
            counts("Wagner was paid $1 billion and 86bn rubles to keep 25,000 fighters"),
            [
                (1e9, "dollar".into()),
                (86e9, "ruble".into()),
                (25000.0, "fighter".into())
            ]
        );
        assert_eq!(counts("£2.5bn"), [(2.5e9, "pound".into())]);
        // money compares only for the same purpose
        let q = quantities("a $32 billion budget deficit, a $311 billion spending plan");
        assert_eq!(q[0].measure.as_deref(), Some("for budget"));
        assert!(!q[0].same_kind(&q[1]) && q[0].compatible(&q[1]));
        let q = quantities("$1 billion in aid and $2 billion in aid");
        assert!(q[0].same_kind(&q[1]) && !q[0].compatible(&q[1]));
    }

    #[test]
    fn ranges_and_bounds() {
        let q = quantities("13 to 15 people were killed; 14 people killed; 20 people killed");
        assert_eq!((q[0].value, q[0].high), (13.0, Some(15.0)));
        assert_eq!(q[0].describe(), "13\u{2013}15 people killed");
        assert!(q[0].compatible(&q[1]));
        assert!(!q[0].compatible(&q[2]));
        let q =
            quantities("between 2 and 3 million people, 2-3 million people, 2.5 million people");
        assert_eq!((q[0].value, q[0].high), (2e6, Some(3e6)));
        assert_eq!((q[1].value, q[1].high), (2e6, Some(3e6)));
        assert!(q[0].compatible(&q[2]));
        // "dozens of" is at least two dozen; "up to" from zero; "about" within a quarter
        let q = quantities("dozens of people killed, 13 people killed, 40 people killed");
        assert!(!q[0].compatible(&q[1]));
        assert!(q[0].compatible(&q[2]));
        let q = quantities(
            "up to 25,000 fighters, 8,000 fighters, about 25,000 fighters, 20,000 fighters",
        );
        assert!(q[0].compatible(&q[1]));
        assert!(q[2].compatible(&q[3]));
        assert!(!q[2].compatible(&q[1]));
    }

    #[test]
    fn measure_words_count_people() {
        let q = quantities("13 dead and at least 13 people were killed");
        assert_eq!(q[0].unit, "person");
        assert!(q[0].same_kind(&q[1]));
        assert!(q[0].compatible(&q[1]));
    }

    #[test]
    fn offsets_in_a_sentence() {
        let s = "Wagner fighters seized Rostov";
        assert_eq!(sentence_offsets(s, 100, (116, 122)), (16, 22));
        assert_eq!(sentence_offsets(s, 100, (90, 5000)), (0, s.len()));
        let s = "é fighters";
        assert_eq!(sentence_offsets(s, 0, (1, 1)), (0, 0));
    }
}
