//! Lexicons loaded once from the data files in `data/`.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::tok::tokenize;

/// A phrase table: token sequences (lower case) to a value, longest first.
pub(crate) struct Phrases {
    entries: Vec<(Vec<String>, String)>,
    first: HashMap<String, Vec<usize>>,
}

impl Phrases {
    fn new(src: &str) -> Self {
        let mut entries: Vec<(Vec<String>, String)> = rows(src)
            .map(|(k, v)| {
                let toks = tokenize(k).into_iter().map(|t| t.low).collect::<Vec<_>>();
                (toks, v.to_string())
            })
            .filter(|(k, _)| !k.is_empty())
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
        let mut first: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (k, _)) in entries.iter().enumerate() {
            first.entry(k[0].clone()).or_default().push(i);
        }
        Phrases { entries, first }
    }

    /// Longest phrase starting at token `i`: (tokens consumed, value).
    pub(crate) fn match_at(&self, toks: &[crate::tok::Tok], i: usize) -> Option<(usize, &str)> {
        let first = self.first.get(toks.get(i)?.low.as_str())?;
        for &idx in first {
            let (k, v) = &self.entries[idx];
            if i + k.len() <= toks.len() && k.iter().zip(&toks[i..]).all(|(a, t)| *a == t.low) {
                return Some((k.len(), v.as_str()));
            }
        }
        None
    }
}

fn rows(src: &str) -> impl Iterator<Item = (&str, &str)> {
    src.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.trim(), v.trim()))
}

fn map<T: std::str::FromStr>(src: &str) -> HashMap<String, T> {
    rows(src)
        .filter_map(|(k, v)| Some((k.to_lowercase(), v.parse().ok()?)))
        .collect()
}

pub(crate) struct Lex {
    pub months: HashMap<String, u32>,
    pub weekdays: HashMap<String, u32>,
    pub numbers: HashMap<String, f64>,
    pub ordinals: HashMap<String, u32>,
    pub units: HashMap<String, String>,
    pub seasons: HashMap<String, String>,
    pub sets: HashMap<String, String>,
    pub cues: HashMap<String, String>,
    pub pods: Phrases,
    pub zones: Phrases,
    pub holidays: Phrases,
    pub vague: Phrases,
    /// Every lower-case word that can open an expression: the scan skips the others.
    pub triggers: std::collections::HashSet<String>,
}

pub(crate) static LEX: LazyLock<Lex> = LazyLock::new(|| {
    let mut lex = load();
    let mut t: std::collections::HashSet<String> = include_str!("../data/triggers.tsv")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    for m in [&lex.months, &lex.weekdays] {
        t.extend(m.keys().cloned());
    }
    t.extend(lex.numbers.keys().cloned());
    t.extend(lex.ordinals.keys().cloned());
    t.extend(lex.units.keys().cloned());
    t.extend(lex.seasons.keys().cloned());
    t.extend(lex.sets.keys().cloned());
    for p in [&lex.pods, &lex.zones, &lex.holidays, &lex.vague] {
        t.extend(p.first.keys().cloned());
    }
    lex.triggers = t;
    lex
});

fn load() -> Lex {
    Lex {
        months: map(include_str!("../data/months.tsv")),
        weekdays: map(include_str!("../data/weekdays.tsv")),
        numbers: map(include_str!("../data/numbers.tsv")),
        ordinals: map(include_str!("../data/ordinals.tsv")),
        units: map(include_str!("../data/units.tsv")),
        seasons: map(include_str!("../data/seasons.tsv")),
        sets: map(include_str!("../data/sets.tsv")),
        cues: map(include_str!("../data/cues.tsv")),
        pods: Phrases::new(include_str!("../data/parts_of_day.tsv")),
        zones: Phrases::new(include_str!("../data/zones.tsv")),
        holidays: Phrases::new(include_str!("../data/holidays.tsv")),
        vague: Phrases::new(include_str!("../data/vague.tsv")),
        triggers: Default::default(),
    }
}
