//! `dossier-synth`: a deterministic (seeded) generator of synthetic news reports with chains of
//! retellings, for benchmarks of the whole pipeline as the store grows.
//!
//! A small world (countries with cities, people with titles, organisations, outlets of which
//! some are wires) is read from our own data files in `data/`. Each day brings happenings
//! (PLOVER-style: one party meets, negotiates with, accuses, attacks, aids, protests against,
//! threatens or sanctions another, in a city, on a day) and unrelated background stories. Each
//! happening gets an original report (a full article page: title, byline, date, dateline,
//! quotes, "according to", navigation and footer), then copies (exact, and near-duplicates
//! with another headline and edited boilerplate), rewrites (each sentence replaced by one of
//! its paraphrases from `data/paraphrases.tsv`, details reordered, synonyms swapped) and
//! retellings that cite the earlier outlet ("Harbour Wire reported on Tuesday that ..."),
//! spread over the following days. Reports come out in publication order, each with its
//! ground truth ([`Truth`]): which happening, the original report and the report it retells.
//!
//! The same seed and parameters give the same reports byte for byte.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;

/// Bad generator parameters.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("invalid synthetic corpus parameters: {0}")]
    Params(String),
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Params {
    /// Number of reports the generator yields.
    pub reports: usize,
    /// Happenings per day (each gets an original and usually copies, rewrites, retellings).
    pub happenings_per_day: usize,
    /// Unrelated background stories per day (weather, sport, business, culture, science).
    pub background_per_day: usize,
    /// The first day.
    pub start: NaiveDate,
    /// Retellings appear up to this many days after the report they retell (at most 5, so a
    /// weekday still names the day unambiguously).
    pub spread_days: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            reports: 1000,
            happenings_per_day: 20,
            background_per_day: 15,
            start: NaiveDate::from_ymd_opt(2026, 3, 2).expect("a valid date"),
            spread_days: 3,
        }
    }
}

/// How a report came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The first report of a happening.
    Original,
    /// The same body republished by another outlet.
    Copy,
    /// The same body with another headline, a sentence dropped or a credit line added.
    NearCopy,
    /// The same facts in paraphrased sentences, in another order.
    Rewrite,
    /// A report that cites an earlier outlet's report.
    Retelling,
    /// An unrelated story.
    Background,
}

/// Ground truth of one report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Truth {
    /// The happening the report is about (`None` for background stories).
    pub happening: Option<u64>,
    pub kind: Kind,
    /// The happening's type (`consult`, `attack`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// URL of the happening's original report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// URL of the report this one copies, rewrites or retells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// One generated report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynthReport {
    pub url: String,
    pub outlet: String,
    pub title: String,
    pub published: DateTime<Utc>,
    /// The whole article page.
    pub html: String,
    pub truth: Truth,
}

// ---------------------------------------------------------------------------------------------
// Random numbers: SplitMix64, our own so that the output never changes with a crate version.

#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The world, from our data files.

struct Country {
    name: String,
    demonym: String,
    cities: Vec<String>,
}

struct Person {
    name: String,
    title: String,
    country: usize,
}

struct Org {
    name: String,
    short: String,
    country: usize,
    kind: String,
}

struct Outlet {
    name: String,
    domain: String,
    wire: bool,
}

struct HappeningType {
    name: String,
    agent: String,
    target: String,
    place_of_agent: bool,
    topics: Vec<String>,
}

/// One sentence with its paraphrases.
struct Para {
    ty: String,
    slot: String,
    variants: Vec<String>,
}

struct World {
    countries: Vec<Country>,
    people: Vec<Person>,
    orgs: Vec<Org>,
    outlets: Vec<Outlet>,
    bylines: Vec<String>,
    types: Vec<HappeningType>,
    paras: Vec<Para>,
    quotes: Vec<(String, String)>,
    background: Vec<Para>,
    boilerplate: Vec<(String, String)>,
    synonyms: Vec<(String, String)>,
    companies: Vec<String>,
    teams: Vec<String>,
    spokespeople: Vec<String>,
    roles: Vec<String>,
    first_names: Vec<String>,
    surnames: Vec<String>,
}

/// Data rows: tab-separated, `#` comments and blank lines skipped.
fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn field<'a>(row: &[&'a str], i: usize, file: &str) -> &'a str {
    row.get(i)
        .copied()
        .unwrap_or_else(|| panic!("data/{file}: row {row:?} has no column {}", i + 1))
}

fn variants(s: &str) -> Vec<String> {
    s.split(" | ").map(|v| v.trim().to_string()).collect()
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let countries: Vec<Country> = rows(include_str!("../data/countries.tsv"))
        .map(|r| Country {
            name: field(&r, 0, "countries.tsv").to_string(),
            demonym: field(&r, 1, "countries.tsv").to_string(),
            cities: field(&r, 2, "countries.tsv")
                .split(',')
                .map(|c| c.trim().to_string())
                .collect(),
        })
        .collect();
    let country = |name: &str, file: &str| {
        countries
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| panic!("data/{file}: unknown country {name}"))
    };
    let people = rows(include_str!("../data/people.tsv"))
        .map(|r| Person {
            name: field(&r, 0, "people.tsv").to_string(),
            title: field(&r, 1, "people.tsv").to_string(),
            country: country(field(&r, 2, "people.tsv"), "people.tsv"),
        })
        .collect();
    let orgs = rows(include_str!("../data/organisations.tsv"))
        .map(|r| Org {
            name: field(&r, 0, "organisations.tsv").to_string(),
            short: field(&r, 1, "organisations.tsv").to_string(),
            country: country(field(&r, 2, "organisations.tsv"), "organisations.tsv"),
            kind: field(&r, 3, "organisations.tsv").to_string(),
        })
        .collect();
    let outlets = rows(include_str!("../data/outlets.tsv"))
        .map(|r| Outlet {
            name: field(&r, 0, "outlets.tsv").to_string(),
            domain: field(&r, 1, "outlets.tsv").to_string(),
            wire: field(&r, 2, "outlets.tsv") == "wire",
        })
        .collect();
    let list = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect()
    };
    let types = rows(include_str!("../data/happenings.tsv"))
        .map(|r| HappeningType {
            name: field(&r, 0, "happenings.tsv").to_string(),
            agent: field(&r, 1, "happenings.tsv").to_string(),
            target: field(&r, 2, "happenings.tsv").to_string(),
            place_of_agent: field(&r, 3, "happenings.tsv") == "agent",
            topics: field(&r, 4, "happenings.tsv")
                .split(',')
                .map(|t| t.trim().to_string())
                .collect(),
        })
        .collect();
    let paras = |text: &str, file: &str| -> Vec<Para> {
        rows(text)
            .map(|r| Para {
                ty: field(&r, 0, file).to_string(),
                slot: field(&r, 1, file).to_string(),
                variants: variants(field(&r, 2, file)),
            })
            .collect()
    };
    let pairs = |text: &str, file: &str| -> Vec<(String, String)> {
        rows(text)
            .map(|r| {
                (
                    field(&r, 0, file).to_string(),
                    field(&r, 1, file).to_string(),
                )
            })
            .collect()
    };
    let of_kind = |text: &str, kind: &str| -> Vec<String> {
        rows(text)
            .filter(|r| r.first() == Some(&kind))
            .map(|r| field(&r, 1, "officials.tsv").to_string())
            .collect()
    };
    World {
        people,
        orgs,
        outlets,
        bylines: list(include_str!("../data/bylines.tsv")),
        types,
        paras: paras(include_str!("../data/paraphrases.tsv"), "paraphrases.tsv"),
        quotes: pairs(include_str!("../data/quotes.tsv"), "quotes.tsv"),
        background: paras(include_str!("../data/background.tsv"), "background.tsv"),
        boilerplate: pairs(include_str!("../data/boilerplate.tsv"), "boilerplate.tsv"),
        synonyms: pairs(include_str!("../data/synonyms.tsv"), "synonyms.tsv"),
        companies: list(include_str!("../data/companies.txt")),
        teams: list(include_str!("../data/teams.txt")),
        spokespeople: list(include_str!("../data/spokespeople.txt")),
        roles: of_kind(include_str!("../data/officials.tsv"), "role"),
        first_names: of_kind(include_str!("../data/officials.tsv"), "first"),
        surnames: of_kind(include_str!("../data/officials.tsv"), "last"),
        countries,
    }
});

impl World {
    fn paras(&self, ty: &str, slot: &str) -> Vec<&Para> {
        self.paras
            .iter()
            .filter(|p| (p.ty == ty || p.ty == "*") && p.slot == slot)
            .collect()
    }
    fn boilerplate(&self, kind: &str) -> Vec<&str> {
        self.boilerplate
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Happenings.

/// A participant as the text names it.
#[derive(Debug, Clone)]
struct Party {
    /// First mention ("Moldovan Foreign Minister Ana Rusu", "the Myanmar Army", "Kenya").
    full: String,
    /// Later mentions ("Rusu", "the army", "Kenya").
    short: String,
    country: usize,
    person: bool,
}

fn person_party(w: &World, p: &Person) -> Party {
    let c = &w.countries[p.country];
    Party {
        full: format!("{} {} {}", c.demonym, p.title, p.name),
        short: p.name.rsplit(' ').next().unwrap_or(&p.name).to_string(),
        country: p.country,
        person: true,
    }
}

fn choose_party(w: &World, rng: &mut Rng, kind: &str, not_country: Option<usize>) -> Party {
    let ok = |c: usize| Some(c) != not_country;
    match kind {
        "person" if rng.chance(0.6) => {
            // An official generated from a role and a name.
            let cs: Vec<usize> = (0..w.countries.len()).filter(|&c| ok(c)).collect();
            let ci = *rng.pick(&cs);
            let c = &w.countries[ci];
            let city = rng.pick::<String>(&c.cities).clone();
            let role = rng
                .pick::<String>(&w.roles)
                .replace("{city}", &city)
                .replace("{demonym}", &c.demonym);
            let last = rng.pick(&w.surnames).clone();
            let name = format!("{} {last}", rng.pick(&w.first_names));
            Party {
                full: format!("{role} {name}"),
                short: last,
                country: ci,
                person: true,
            }
        }
        "person" => {
            let people: Vec<&Person> = w.people.iter().filter(|p| ok(p.country)).collect();
            person_party(w, rng.pick::<&Person>(&people))
        }
        "country" => {
            let cs: Vec<usize> = (0..w.countries.len()).filter(|&c| ok(c)).collect();
            let c = *rng.pick(&cs);
            Party {
                full: w.countries[c].name.clone(),
                short: w.countries[c].name.clone(),
                country: c,
                person: false,
            }
        }
        _ => {
            let orgs: Vec<&Org> = w
                .orgs
                .iter()
                .filter(|o| ok(o.country))
                .filter(|o| match kind {
                    "military" => o.kind == "military",
                    "civil" => matches!(o.kind.as_str(), "ngo" | "union" | "party"),
                    _ => true,
                })
                .collect();
            let o = rng.pick(&orgs);
            Party {
                full: format!("the {}", o.name),
                short: o.short.clone(),
                country: o.country,
                person: false,
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Happening {
    ty: usize,
    a: Party,
    b: Party,
    city: String,
    topic: String,
    n: u32,
    day: NaiveDate,
    quote: String,
    speaker: Party,
    /// Who "according to" names.
    org: String,
}

fn new_happening(w: &World, rng: &mut Rng, day: NaiveDate) -> Happening {
    let ty = rng.below(w.types.len());
    let t = &w.types[ty];
    let a = choose_party(w, rng, &t.agent, None);
    let b = if t.name == "protest" {
        // Protesters march against their own government.
        let own: Vec<&Person> = w.people.iter().filter(|p| p.country == a.country).collect();
        if own.is_empty() {
            choose_party(w, rng, &t.target, None)
        } else {
            person_party(w, rng.pick::<&Person>(&own))
        }
    } else {
        choose_party(w, rng, &t.target, Some(a.country))
    };
    let place = if t.place_of_agent {
        a.country
    } else {
        b.country
    };
    let city = rng.pick(&w.countries[place].cities).clone();
    let quotes: Vec<&str> = w
        .quotes
        .iter()
        .filter(|(k, _)| *k == t.name)
        .map(|(_, q)| q.as_str())
        .collect();
    let quote = if quotes.is_empty() {
        "We will study the situation carefully".to_string()
    } else {
        rng.pick(&quotes).to_string()
    };
    let speaker = if a.person {
        a.clone()
    } else {
        // A spokesperson of the agent.
        let name = rng.pick(&w.spokespeople);
        Party {
            full: if w.countries.iter().any(|c| c.name == a.full) {
                format!(
                    "{} government spokesperson {name}",
                    w.countries[a.country].demonym
                )
            } else {
                format!("{} spokesperson {name}", a.full.trim_start_matches("the "))
            },
            short: name.rsplit(' ').next().unwrap_or(name).to_string(),
            country: a.country,
            person: true,
        }
    };
    let others: Vec<&Org> = w
        .orgs
        .iter()
        .filter(|o| o.country != a.country && o.country != b.country && o.kind == "ngo")
        .collect();
    let org = if others.is_empty() || rng.chance(0.4) {
        "the United Nations".to_string()
    } else {
        format!("the {}", rng.pick(&others).name)
    };
    Happening {
        ty,
        topic: rng.pick(&t.topics).clone(),
        n: rng.range(2, 40),
        a,
        b,
        city,
        day,
        quote,
        speaker,
        org,
    }
}

fn weekday(d: NaiveDate) -> &'static str {
    use chrono::Weekday::*;
    match d.weekday() {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}

/// Fill `{key}` placeholders; unknown keys stay as written.
fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let key = &after[..close];
                match slots.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    capitalise(&out)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f.is_lowercase() => f.to_uppercase().chain(c).collect(),
        _ => s.to_string(),
    }
}

/// The slot values of a happening as one report tells it.
fn slots<'a>(h: &'a Happening, w: &'a World, day: &'a str, n: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("a", h.a.full.as_str()),
        ("a_short", h.a.short.as_str()),
        ("a_country", w.countries[h.a.country].name.as_str()),
        ("a_adj", w.countries[h.a.country].demonym.as_str()),
        ("b_adj", w.countries[h.b.country].demonym.as_str()),
        ("b", h.b.full.as_str()),
        ("b_short", h.b.short.as_str()),
        ("b_country", w.countries[h.b.country].name.as_str()),
        ("city", h.city.as_str()),
        ("topic", h.topic.as_str()),
        ("day", day),
        ("n", n),
        ("quote", h.quote.as_str()),
        ("org", h.org.as_str()),
    ]
}

/// A report's body before it is laid out in a page.
#[derive(Debug, Clone)]
struct Body {
    title: String,
    /// The dateline city ("KYIV").
    dateline: String,
    paragraphs: Vec<String>,
    /// The lead sentence, for retellings of this report.
    lead: String,
}

/// Tell a happening: `choice[i]` picks the paraphrase of sentence `i` (in the order the type's
/// title, lead, quote, details, according and context sentences come).
fn tell(h: &Happening, w: &World, rng: &mut Rng, rewrite: Option<&[usize]>) -> (Body, Vec<usize>) {
    let ty = &w.types[h.ty].name;
    let day = format!("on {}", weekday(h.day));
    let n = h.n.to_string();
    let speaker = if h.speaker.full == h.a.full {
        h.a.short.clone()
    } else {
        h.speaker.full.clone()
    };
    let mut slots = slots(h, w, &day, &n);
    slots.push(("speaker", speaker.as_str()));
    let lines: Vec<&Para> = ["title", "lead", "quote", "detail", "according", "context"]
        .iter()
        .flat_map(|s| w.paras(ty, s))
        .collect();
    let mut chosen = Vec::with_capacity(lines.len());
    let mut texts = Vec::with_capacity(lines.len());
    for (i, p) in lines.iter().enumerate() {
        let k = p.variants.len();
        let v = match rewrite {
            // A rewrite takes another paraphrase of every sentence.
            Some(prev) => (prev.get(i).copied().unwrap_or(0) + 1 + rng.below(k.max(2) - 1)) % k,
            None => rng.below(k),
        };
        chosen.push(v);
        let mut t = fill(&p.variants[v], &slots);
        if rewrite.is_some() {
            t = swap_synonyms(&t, w, rng);
        }
        texts.push((p.slot.as_str(), t));
    }
    let title = texts
        .iter()
        .find(|(s, _)| *s == "title")
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    let lead = texts
        .iter()
        .find(|(s, _)| *s == "lead")
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    let mut details: Vec<String> = texts
        .iter()
        .filter(|(s, _)| *s == "detail")
        .map(|(_, t)| t.clone())
        .collect();
    let quote = texts
        .iter()
        .find(|(s, _)| *s == "quote")
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    let according = texts
        .iter()
        .find(|(s, _)| *s == "according")
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    let mut context: Vec<String> = texts
        .iter()
        .filter(|(s, _)| *s == "context")
        .map(|(_, t)| t.clone())
        .collect();
    if rewrite.is_some() {
        rng.shuffle(&mut details);
    }
    rng.shuffle(&mut context);
    context.truncate(2 + rng.below(2));
    let mut paragraphs = vec![lead.clone()];
    // Quote and details in paragraphs of one or two sentences.
    let mut rest = vec![quote];
    rest.extend(details);
    rest.push(according);
    rest.extend(context);
    let mut i = 0;
    while i < rest.len() {
        if i + 1 < rest.len() && rng.chance(0.4) {
            paragraphs.push(format!("{} {}", rest[i], rest[i + 1]));
            i += 2;
        } else {
            paragraphs.push(rest[i].clone());
            i += 1;
        }
    }
    (
        Body {
            title,
            dateline: h.city.to_uppercase(),
            paragraphs,
            lead,
        },
        chosen,
    )
}

fn swap_synonyms(s: &str, w: &World, rng: &mut Rng) -> String {
    let mut out = s.to_string();
    for (word, repl) in &w.synonyms {
        if rng.chance(0.5) {
            out = replace_word(&out, word, repl);
        }
    }
    out
}

/// Replace whole-word occurrences.
fn replace_word(s: &str, word: &str, repl: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(word) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + word.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..i]);
        if boundary(before) && boundary(after) {
            out.push_str(repl);
        } else {
            out.push_str(word);
        }
        rest = &rest[i + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Words that may start a sentence and can be lowercased inside another one.
const LOWERCASE_OK: &[&str] = &[
    "The",
    "In",
    "At",
    "Thousands",
    "Negotiations",
    "Talks",
    "Strikes",
    "Speaking",
];

/// A sentence as a clause inside another ("X reported that <clause>").
fn as_clause(sentence: &str) -> String {
    let s = sentence.trim_end_matches('.');
    let first = s.split(' ').next().unwrap_or("");
    if LOWERCASE_OK.contains(&first) {
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_lowercase().chain(c).collect(),
            None => String::new(),
        }
    } else {
        s.to_string()
    }
}

fn retell(
    h: &Happening,
    w: &World,
    rng: &mut Rng,
    parent: &Body,
    src: &str,
    src_day: NaiveDate,
) -> Body {
    let ty = &w.types[h.ty].name;
    let day = format!("on {}", weekday(h.day));
    let src_day = format!("on {}", weekday(src_day));
    let n = h.n.to_string();
    let clause = as_clause(&parent.lead);
    let mut slots = slots(h, w, &day, &n);
    slots.extend([
        ("src", src),
        ("src_day", src_day.as_str()),
        ("clause", clause.as_str()),
        ("speaker", h.speaker.full.as_str()),
    ]);
    let one = |rng: &mut Rng, slot: &str| -> Vec<String> {
        w.paras(ty, slot)
            .iter()
            .map(|p| fill(rng.pick(&p.variants).as_str(), &slots))
            .collect()
    };
    let lead = one(rng, "retell").remove(0);
    let mut paragraphs = vec![lead.clone()];
    let anon = one(rng, "anonymous");
    paragraphs.push(rng.pick(&anon).clone());
    paragraphs.extend(one(rng, "quote"));
    let mut details = one(rng, "detail");
    rng.shuffle(&mut details);
    details.truncate(1 + rng.below(2));
    paragraphs.extend(details);
    let mut context = one(rng, "context");
    rng.shuffle(&mut context);
    context.truncate(1 + rng.below(2));
    paragraphs.extend(context);
    let title = format!("{}, {} reports", parent.title, src);
    Body {
        title,
        dateline: h.city.to_uppercase(),
        paragraphs,
        lead,
    }
}

fn background(w: &World, rng: &mut Rng, day: NaiveDate) -> Body {
    let topics: Vec<&str> = {
        let mut t: Vec<&str> = w.background.iter().map(|p| p.ty.as_str()).collect();
        t.dedup();
        t
    };
    let topic = *rng.pick(&topics);
    let c = rng.pick(&w.countries);
    let city = rng.pick(&c.cities).clone();
    let other_city = rng.pick(&c.cities).clone();
    let person = rng.pick(&w.spokespeople).clone();
    let team = rng.pick(&w.teams).replace("{city}", &city);
    let company = rng.pick(&w.companies).clone();
    let n = rng.range(3, 90).to_string();
    let m = rng.range(2, 12).to_string();
    let dayp = format!("on {}", weekday(day));
    let slots = [
        ("city", city.as_str()),
        ("country", c.name.as_str()),
        ("team", team.as_str()),
        ("company", company.as_str()),
        ("n", n.as_str()),
        ("m", m.as_str()),
        ("day", dayp.as_str()),
        ("other_city", other_city.as_str()),
        ("person", person.as_str()),
    ];
    let of = |slot: &str| -> Vec<&String> {
        w.background
            .iter()
            .filter(|p| p.ty == topic && p.slot == slot)
            .flat_map(|p| &p.variants)
            .collect()
    };
    let title = fill(rng.pick(&of("title")).as_str(), &slots);
    let mut body: Vec<String> = of("body").iter().map(|t| fill(t, &slots)).collect();
    rng.shuffle(&mut body);
    body.truncate(3 + rng.below(4));
    let lead = format!("{} {}", title, rng.pick(&body).clone());
    let mut paragraphs = vec![format!("{}.", title)];
    paragraphs.extend(body);
    Body {
        title,
        dateline: city.to_uppercase(),
        paragraphs,
        lead,
    }
}

// ---------------------------------------------------------------------------------------------
// Pages.

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.to_lowercase())
        .collect();
    words.join("-")
}

/// Lay a body out in an outlet's page. `edited` varies the boilerplate (another promo and
/// related links), as a republished or updated page does.
#[allow(clippy::too_many_arguments)]
fn page(
    w: &World,
    rng: &mut Rng,
    outlet: &Outlet,
    url: &str,
    body: &Body,
    published: DateTime<Utc>,
    author: Option<&str>,
    credit: &str,
    credit_line: Option<&str>,
) -> String {
    let iso = published.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let human = published.format("%B %-d, %Y %H:%M UTC").to_string();
    let byline = author
        .map(|a| format!("By {a}"))
        .unwrap_or_else(|| format!("By {credit}"));
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": body.title,
        "datePublished": iso,
        "author": {"@type": if author.is_some() { "Person" } else { "Organization" },
                   "name": author.unwrap_or(credit)},
        "publisher": {"@type": "Organization", "name": outlet.name},
        "mainEntityOfPage": url,
    });
    let mut h = String::with_capacity(8192);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>{} | {}</title>\n<link rel=\"canonical\" href=\"{}\">\n",
        esc(&body.title),
        esc(&outlet.name),
        esc(url)
    ));
    h.push_str(&format!(
        "<meta property=\"og:title\" content=\"{}\">\n<meta property=\"og:site_name\" content=\"{}\">\n<meta property=\"og:url\" content=\"{}\">\n<meta property=\"article:published_time\" content=\"{iso}\">\n",
        esc(&body.title),
        esc(&outlet.name),
        esc(url)
    ));
    h.push_str(&format!(
        "<script type=\"application/ld+json\">{}</script>\n</head>\n<body>\n",
        ld.to_string().replace("</", "<\\/")
    ));
    // Navigation: a few sections, in the outlet's order.
    h.push_str(&format!(
        "<header><div class=\"logo\"><a href=\"/\">{}</a></div>\n<nav><ul>",
        esc(&outlet.name)
    ));
    let nav = w.boilerplate("nav");
    let skip = outlet.name.len() % 3;
    for item in nav.iter().skip(skip) {
        h.push_str(&format!(
            "<li><a href=\"/{}\">{item}</a></li>",
            item.to_lowercase()
        ));
    }
    h.push_str("</ul></nav></header>\n<main>\n<article>\n");
    h.push_str(&format!("<h1>{}</h1>\n", esc(&body.title)));
    h.push_str(&format!(
        "<div class=\"byline\">{}</div>\n<time datetime=\"{iso}\">{human}</time>\n",
        esc(&byline)
    ));
    for (i, p) in body.paragraphs.iter().enumerate() {
        if i == 0 {
            h.push_str(&format!(
                "<p>{} ({}) - {}</p>\n",
                esc(&body.dateline),
                esc(credit),
                esc(p)
            ));
        } else {
            h.push_str(&format!("<p>{}</p>\n", esc(p)));
        }
        if i == 2 {
            let promo = w.boilerplate("promo");
            h.push_str(&format!(
                "<div class=\"promo\"><p>{}</p></div>\n",
                esc(rng.pick::<&str>(&promo))
            ));
        }
    }
    if let Some(c) = credit_line {
        h.push_str(&format!("<p class=\"credit\"><em>{}</em></p>\n", esc(c)));
    }
    h.push_str("</article>\n<aside class=\"related\"><h2>Related</h2><ul>");
    let mut related = w.boilerplate("related");
    rng.shuffle(&mut related);
    for r in related.iter().take(3) {
        h.push_str(&format!("<li><a href=\"/{}\">{}</a></li>", slug(r), esc(r)));
    }
    h.push_str("</ul></aside>\n</main>\n<footer><p>");
    h.push_str(&format!(
        "&copy; {} {}. ",
        published.year(),
        esc(&outlet.name)
    ));
    let footer = w.boilerplate("footer");
    h.push_str(&footer.join(" | "));
    h.push_str("</p></footer>\n</body>\n</html>\n");
    h
}

// ---------------------------------------------------------------------------------------------
// The generator.

struct Pending {
    at: DateTime<Utc>,
    order: u64,
    report: SynthReport,
}

impl PartialEq for Pending {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.order) == (o.at, o.order)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Pending {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.at, self.order).cmp(&(o.at, o.order))
    }
}

/// Yields [`SynthReport`]s in publication order.
pub struct Generator {
    rng: Rng,
    params: Params,
    /// Days generated so far.
    days: i64,
    heap: BinaryHeap<Reverse<Pending>>,
    emitted: usize,
    order: u64,
    next_happening: u64,
    /// Reports published per outlet, for unique URLs.
    per_outlet: Vec<u64>,
}

/// A report told so far, for its copies and retellings.
struct Told {
    url: String,
    outlet: usize,
    at: DateTime<Utc>,
    body: Body,
    choice: Vec<usize>,
}

impl Generator {
    pub fn new(seed: u64, params: Params) -> Result<Self, SynthError> {
        if params.happenings_per_day + params.background_per_day == 0 {
            return Err(SynthError::Params(
                "happenings_per_day and background_per_day are both 0: nothing to write".into(),
            ));
        }
        if params.spread_days > 5 {
            return Err(SynthError::Params(format!(
                "spread_days is {} (at most 5, so that a weekday names one day)",
                params.spread_days
            )));
        }
        let outlets = WORLD.outlets.len();
        Ok(Generator {
            rng: Rng(seed ^ 0x5EED_D055_1E55_0001),
            params,
            days: 0,
            heap: BinaryHeap::new(),
            emitted: 0,
            order: 0,
            next_happening: 0,
            per_outlet: vec![0; outlets],
        })
    }

    fn day_start(&self, day: i64) -> DateTime<Utc> {
        (self.params.start + Duration::days(day))
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
    }

    fn url(&mut self, outlet: usize, section: &str, at: DateTime<Utc>, title: &str) -> String {
        self.per_outlet[outlet] += 1;
        format!(
            "https://{}/{section}/{}/{}-{}",
            WORLD.outlets[outlet].domain,
            at.format("%Y/%m/%d"),
            slug(title),
            self.per_outlet[outlet]
        )
    }

    fn push(&mut self, at: DateTime<Utc>, report: SynthReport) {
        self.order += 1;
        self.heap.push(Reverse(Pending {
            at,
            order: self.order,
            report,
        }));
    }

    fn other_outlet(&mut self, not: &[usize]) -> usize {
        loop {
            let o = self.rng.below(WORLD.outlets.len());
            if !not.contains(&o) {
                return o;
            }
        }
    }

    fn minutes(&mut self, lo: u32, hi: u32) -> Duration {
        Duration::minutes(self.rng.range(lo, hi) as i64)
    }

    fn author(&mut self, outlet: usize) -> Option<String> {
        let w = &*WORLD;
        if w.outlets[outlet].wire && self.rng.chance(0.5) {
            None
        } else {
            Some(self.rng.pick(&w.bylines).clone())
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        outlet: usize,
        body: &Body,
        at: DateTime<Utc>,
        author: Option<&str>,
        credit: usize,
        credit_line: Option<&str>,
        truth: Truth,
        section: &str,
    ) -> String {
        let w = &*WORLD;
        let url = self.url(outlet, section, at, &body.title);
        let html = page(
            w,
            &mut self.rng,
            &w.outlets[outlet],
            &url,
            body,
            at,
            author,
            &w.outlets[credit].name,
            credit_line,
        );
        self.push(
            at,
            SynthReport {
                url: url.clone(),
                outlet: w.outlets[outlet].name.clone(),
                title: body.title.clone(),
                published: at,
                html,
                truth,
            },
        );
        url
    }

    fn happening(&mut self, day: i64) {
        let w = &*WORLD;
        let date = self.params.start + Duration::days(day);
        let id = self.next_happening;
        self.next_happening += 1;
        let h = new_happening(w, &mut self.rng, date);
        let ty = Some(w.types[h.ty].name.clone());
        let truth = |kind, origin: Option<&str>, parent: Option<&str>| Truth {
            happening: Some(id),
            kind,
            event_type: ty.clone(),
            origin: origin.map(String::from),
            parent: parent.map(String::from),
        };
        // The original, often by a wire.
        let outlet = if self.rng.chance(0.6) {
            let wires: Vec<usize> = (0..w.outlets.len())
                .filter(|&o| w.outlets[o].wire)
                .collect();
            *self.rng.pick(&wires)
        } else {
            self.rng.below(w.outlets.len())
        };
        let at = self.day_start(day)
            + Duration::hours(self.rng.range(6, 20) as i64)
            + self.minutes(0, 59);
        let (body, choice) = tell(&h, w, &mut self.rng, None);
        let author = self.author(outlet);
        let url = self.emit(
            outlet,
            &body,
            at,
            author.as_deref(),
            outlet,
            None,
            truth(Kind::Original, None, None),
            "world",
        );
        let origin = url.clone();
        let mut told = vec![Told {
            url,
            outlet,
            at,
            body,
            choice,
        }];
        // Copies: the same body at other outlets, within hours.
        for _ in 0..self.rng.below(3) {
            let o = self.other_outlet(&[outlet]);
            let at = told[0].at + self.minutes(10, 180);
            let near = self.rng.chance(0.5);
            let mut body = told[0].body.clone();
            let mut credit_line = None;
            if near {
                let titles: Vec<&Para> = w.paras(&w.types[h.ty].name, "title");
                if let Some(p) = titles.first() {
                    let v = (told[0].choice[0] + 1) % p.variants.len();
                    let day = format!("on {}", weekday(h.day));
                    let n = h.n.to_string();
                    body.title = fill(&p.variants[v], &slots(&h, w, &day, &n));
                }
                if body.paragraphs.len() > 4 && self.rng.chance(0.5) {
                    body.paragraphs.pop();
                }
                credit_line = Some(format!(
                    "Reporting by {}; editing by {}",
                    self.rng.pick(&w.bylines),
                    self.rng.pick(&w.bylines)
                ));
            }
            let kind = if near { Kind::NearCopy } else { Kind::Copy };
            let author = self.author(o);
            self.emit(
                o,
                &body,
                at,
                author.as_deref(),
                told[0].outlet,
                credit_line.as_deref(),
                truth(kind, Some(&origin), Some(&told[0].url)),
                "world",
            );
        }
        // Rewrites: the same facts in other words, within the day.
        for _ in 0..self.rng.below(3) {
            let o = self.other_outlet(&[outlet]);
            let at = told[0].at + self.minutes(60, 600);
            let (body, choice) = tell(&h, w, &mut self.rng, Some(&told[0].choice));
            let author = self.author(o);
            let url = self.emit(
                o,
                &body,
                at,
                author.as_deref(),
                o,
                None,
                truth(Kind::Rewrite, Some(&origin), Some(&told[0].url)),
                "world",
            );
            told.push(Told {
                url,
                outlet: o,
                at,
                body,
                choice,
            });
        }
        // Retellings: cite an earlier report (the original, a rewrite or a retelling), over the
        // next days; chains form when a retelling is retold.
        let spread = self.params.spread_days.max(1) * 24 * 60;
        for _ in 0..self.rng.below(4) {
            let p = self.rng.below(told.len());
            let o = self.other_outlet(&[told[p].outlet]);
            let at = told[p].at + self.minutes(120, spread);
            let src = w.outlets[told[p].outlet].name.clone();
            let body = retell(
                &h,
                w,
                &mut self.rng,
                &told[p].body,
                &src,
                told[p].at.date_naive(),
            );
            let author = self.author(o);
            let parent = told[p].url.clone();
            let url = self.emit(
                o,
                &body,
                at,
                author.as_deref(),
                o,
                None,
                truth(Kind::Retelling, Some(&origin), Some(&parent)),
                "world",
            );
            told.push(Told {
                url,
                outlet: o,
                at,
                body,
                choice: Vec::new(),
            });
        }
    }

    fn background(&mut self, day: i64) {
        let w = &*WORLD;
        let date = self.params.start + Duration::days(day);
        let body = background(w, &mut self.rng, date);
        let o = self.rng.below(w.outlets.len());
        let at = self.day_start(day)
            + Duration::hours(self.rng.range(5, 22) as i64)
            + self.minutes(0, 59);
        let author = self.author(o);
        self.emit(
            o,
            &body,
            at,
            author.as_deref(),
            o,
            None,
            Truth {
                happening: None,
                kind: Kind::Background,
                event_type: None,
                origin: None,
                parent: None,
            },
            "news",
        );
    }

    fn next_day(&mut self) {
        let day = self.days;
        // Interleave happenings and background stories.
        let (mut h, mut b) = (
            self.params.happenings_per_day,
            self.params.background_per_day,
        );
        while h + b > 0 {
            if h > 0 && (b == 0 || self.rng.below(h + b) < h) {
                self.happening(day);
                h -= 1;
            } else {
                self.background(day);
                b -= 1;
            }
        }
        self.days += 1;
    }
}

impl Iterator for Generator {
    type Item = SynthReport;

    fn next(&mut self) -> Option<SynthReport> {
        if self.emitted >= self.params.reports {
            return None;
        }
        loop {
            let horizon = self.day_start(self.days);
            if let Some(Reverse(top)) = self.heap.peek()
                && top.at < horizon
                && self.days > 0
            {
                let Reverse(p) = self.heap.pop().expect("peeked");
                self.emitted += 1;
                return Some(p.report);
            }
            self.next_day();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        let w = &*WORLD;
        assert!(w.countries.len() >= 20 && w.people.len() >= 30 && w.outlets.len() >= 10);
        assert!(w.outlets.iter().filter(|o| o.wire).count() >= 2);
        assert!(w.roles.len() >= 5 && w.first_names.len() >= 20 && w.surnames.len() >= 20);
        for t in &w.types {
            for slot in ["title", "lead", "detail"] {
                assert!(
                    !w.paras(&t.name, slot).is_empty(),
                    "{} has no {slot}",
                    t.name
                );
            }
        }
        for p in w.paras.iter().chain(&w.background) {
            assert!(
                p.variants.len() >= 2,
                "{} {} needs paraphrases",
                p.ty,
                p.slot
            );
        }
    }

    #[test]
    fn fill_replaces_known_keys_only() {
        assert_eq!(
            fill("{a} met {b} {x}", &[("a", "Ana"), ("b", "Bo")]),
            "Ana met Bo {x}"
        );
        assert_eq!(fill("unclosed {a", &[("a", "x")]), "Unclosed {a");
        assert_eq!(
            replace_word("said, unsaid said", "said", "stated"),
            "stated, unsaid stated"
        );
    }

    #[test]
    fn bad_params_are_errors() {
        let p = Params {
            happenings_per_day: 0,
            background_per_day: 0,
            ..Params::default()
        };
        assert!(Generator::new(1, p).is_err());
        let p = Params {
            spread_days: 9,
            ..Params::default()
        };
        assert!(Generator::new(1, p).is_err());
    }
}
