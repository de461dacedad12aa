//! Toponym resolution: candidates from the gazetteer, a hand-weighted linear score (population,
//! feature level, how the name matched, the countries the report talks about, admin containment,
//! "X, Y" containment, nearness to places already resolved), one sense per name per report,
//! and the alternatives kept when the context does not decide.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::gazetteer::{Gazetteer, Kind, NameKind, gazetteer, haversine_km, norm_key};

/// A place name in a text: byte offsets `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Toponym {
    pub start: usize,
    pub end: usize,
}

/// What the caller knows about the report beyond its text.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// ISO 3166-1 alpha-2 codes the report is known to be about or from (dateline, outlet).
    pub countries: Vec<String>,
}

/// A candidate the geocoder did not choose, with its share of the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    pub id: String,
    pub geonames_id: Option<u64>,
    pub name: String,
    pub country: String,
    pub feature: String,
    pub lat: f64,
    pub lon: f64,
    pub probability: f32,
}

/// A resolved toponym.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// "geonames:ID" or "dossier:SLUG" for entries of our own table.
    pub id: String,
    pub geonames_id: Option<u64>,
    pub name: String,
    /// ISO 3166-1 alpha-2 ("" for continents and supranational regions).
    pub country: String,
    /// GeoNames admin-1 code within the country ("" if none).
    pub admin1: String,
    pub lat: f64,
    pub lon: f64,
    /// CONT, PCLI, ADM1, PPLC, PPL, or the code of our own table (H.STM, H.SEA, L.RGN, T.MTS...).
    pub feature: String,
    /// Share of the chosen candidate in a softmax over the candidates' scores (halved for a place
    /// of under 5,000 people that nothing in the report supports).
    pub confidence: f32,
    /// True when the runner-up is a different, distant place and the score margin is small.
    pub ambiguous: bool,
    /// Why this candidate won (each factor that added to its score).
    pub evidence: Vec<String>,
    /// Up to three runners-up.
    pub alternatives: Vec<Alternative>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    None,
    Admin,
    City,
    Water,
    Country,
}

#[derive(Debug, Clone)]
struct Cand {
    entry: u32,
    name_kind: NameKind,
    hint: Hint,
    /// A place of the fallback tier (under 5,000 people) whose name a larger place also
    /// carries: it competes only when the report supports it locally (its admin-1 area named,
    /// "X, Y" containment, or near a place the report names).
    demoted: bool,
    /// Found as a spelling variant of the name (no entry carries the name as written).
    variant: bool,
}

const SUFFIXES: &[(&str, Hint)] = &[
    (" province", Hint::Admin),
    (" state", Hint::Admin),
    (" county", Hint::Admin),
    (" region", Hint::Admin),
    (" oblast", Hint::Admin),
    (" krai", Hint::Admin),
    (" district", Hint::Admin),
    (" prefecture", Hint::Admin),
    (" governorate", Hint::Admin),
    (" department", Hint::Admin),
    (" territory", Hint::Admin),
    (" municipality", Hint::City),
    (" city", Hint::City),
    (" town", Hint::City),
    (" river", Hint::Water),
    (" sea", Hint::Water),
];
const PREFIXES: &[(&str, Hint)] = &[
    ("city of ", Hint::City),
    ("town of ", Hint::City),
    ("province of ", Hint::Admin),
    ("state of ", Hint::Admin),
    ("county of ", Hint::Admin),
    ("region of ", Hint::Admin),
    ("republic of ", Hint::Country),
    ("kingdom of ", Hint::Country),
    ("river ", Hint::Water),
];

const FALLBACK_SUFFIXES: &[&str] = &[
    " international airport",
    " airport",
    " valley",
    " island",
    " islands",
    " peninsula",
    " bay",
    " delta",
    " metropolitan area",
    " area",
];
const DIRECTIONS: &[&str] = &[
    "northern ",
    "southern ",
    "eastern ",
    "western ",
    "central ",
    "north ",
    "south ",
    "east ",
    "west ",
    "northeast ",
    "northwest ",
    "southeast ",
    "southwest ",
    "north east ",
    "north west ",
    "south east ",
    "south west ",
    "upper ",
    "lower ",
    "greater ",
];

/// What a stripped name must not be reduced to: generic feature words.
const GENERIC: &[&str] = &[
    "creek", "river", "lake", "hill", "hills", "park", "bay", "island", "islands", "valley",
    "coast", "county", "city", "town", "region", "district", "province", "state", "plains",
];

const MAX_CANDIDATES: usize = 60;
/// Added to a capital whose country the report talks about: news names a capital by its bare
/// name ("Rome" in a report that names Italy is the capital, whatever else the report is about).
const CAPITAL_OF_NAMED: f64 = 2.0;

fn candidates(gaz: &Gazetteer, surface: &str) -> Vec<Cand> {
    let mut key = norm_key(surface);
    if let Some(k) = key
        .strip_suffix("'s")
        .or_else(|| key.strip_suffix('\''))
        .map(str::to_string)
    {
        key = k;
    }
    let mut hits = gaz.lookup_key(&key);
    if hits.is_empty() && !key.is_ascii() {
        // An accented form the gazetteer lacks ("Zaïre"): its accent-free form.
        let folded = fold_accents(&key);
        if folded != key {
            hits = gaz.lookup_key(&folded);
            key = folded;
        }
    }
    let mut out: Vec<Cand> = hits
        .into_iter()
        .map(|(entry, name_kind)| Cand {
            entry,
            name_kind,
            hint: Hint::None,
            demoted: false,
            variant: false,
        })
        .collect();
    let mut stripped: Vec<(String, Hint)> = Vec::new();
    for (suf, hint) in SUFFIXES {
        if let Some(base) = key.strip_suffix(suf)
            && !base.is_empty()
        {
            stripped.push((base.to_string(), *hint));
        }
    }
    for (pre, hint) in PREFIXES {
        if let Some(base) = key.strip_prefix(pre)
            && !base.is_empty()
        {
            stripped.push((base.to_string(), *hint));
        }
    }
    let exact = !out.is_empty();
    for (base, hint) in &stripped {
        for (entry, name_kind) in gaz.lookup_key(base) {
            // With an exact match, a stripped form adds only entries of the named kind.
            if exact && !hint_fits(gaz.entry(entry), *hint) {
                continue;
            }
            if let Some(c) = out.iter_mut().find(|c| c.entry == entry) {
                c.hint = *hint;
            } else {
                out.push(Cand {
                    entry,
                    name_kind,
                    hint: *hint,
                    demoted: false,
                    variant: false,
                });
            }
        }
    }
    if out.is_empty() {
        // Last resort: a feature word or a direction around a known name ("Salinas Valley",
        // "Da Nang International Airport", "Western Kasai"): the named place stands for it.
        let mut base = key.as_str();
        for suf in FALLBACK_SUFFIXES {
            if let Some(b) = base.strip_suffix(suf)
                && !b.is_empty()
            {
                base = b;
            }
        }
        for pre in DIRECTIONS {
            if let Some(b) = base.strip_prefix(pre)
                && !b.is_empty()
            {
                base = b;
                break;
            }
        }
        if base != key && !GENERIC.contains(&base) {
            out.extend(
                gaz.lookup_key(base)
                    .into_iter()
                    .map(|(entry, name_kind)| Cand {
                        entry,
                        name_kind,
                        hint: Hint::None,
                        demoted: false,
                        variant: false,
                    }),
            );
        }
    }
    if out.is_empty() {
        // Still nothing: a spelling variant of a country, an admin-1 area or a large city
        // ("Mauritious", "Daqahliya" for Ad Daqahliyah, "Dogu Beyazit" for Dogubayazit).
        out.extend(spelling_variants(gaz, &key).into_iter().map(|entry| Cand {
            entry,
            name_kind: NameKind::Alternate,
            hint: Hint::None,
            demoted: false,
            variant: true,
        }));
    }
    // Places of under 5,000 people compete freely only when nothing larger carries the name;
    // otherwise they need local support from the report (see `Cand::demoted`).
    if out
        .iter()
        .any(|c| gaz.entry(c.entry).kind != Kind::Locality)
    {
        for c in &mut out {
            c.demoted = gaz.entry(c.entry).kind == Kind::Locality;
        }
    }
    if out.len() > MAX_CANDIDATES {
        out.sort_by_key(|c| (c.demoted, std::cmp::Reverse(gaz.entry(c.entry).population)));
        out.truncate(MAX_CANDIDATES);
    }
    out
}

/// Smallest population of a city that a spelling variant may name.
const VARIANT_MIN_POP: u64 = 50_000;

/// A name key reduced for spelling comparison: accent-free, letters only (spaces, apostrophes
/// and hyphens dropped), without a leading Arabic article ("al ", "el ", "ad "...).
fn squash(key: &str) -> String {
    let folded = fold_accents(key);
    let mut k = folded.as_str();
    for art in [
        "al ", "el ", "ad ", "ar ", "as ", "an ", "at ", "az ", "ash ", "adh ",
    ] {
        if let Some(rest) = k.strip_prefix(art)
            && rest.len() >= 4
        {
            k = rest;
            break;
        }
    }
    k.chars().filter(|c| c.is_alphabetic()).collect()
}

/// Squashed keys of the entries a spelling variant may name (countries, admin-1 areas, capitals,
/// cities of 50,000+), bucketed by first letter and length in letters, built on first use.
type VariantIndex = HashMap<(char, usize), Vec<(Box<[char]>, u32)>>;

static VARIANT_KEYS: std::sync::LazyLock<VariantIndex> = std::sync::LazyLock::new(|| {
    let gaz = gazetteer();
    let mut index: VariantIndex = HashMap::new();
    for (k, idx, kind) in gaz.keys() {
        let e = gaz.entry(idx);
        let eligible = kind != NameKind::Demonym
            && match e.kind {
                Kind::Country | Kind::Admin1 | Kind::Capital => true,
                Kind::City => e.population >= VARIANT_MIN_POP,
                _ => false,
            };
        if !eligible {
            continue;
        }
        let chars: Box<[char]> = squash(k).chars().collect();
        if chars.len() < 4 {
            continue;
        }
        let bucket = index.entry((chars[0], chars.len())).or_default();
        if !bucket.iter().any(|(c, i)| *i == idx && *c == chars) {
            bucket.push((chars, idx));
        }
    }
    index
});

/// Entries whose squashed name is within a small edit distance of the squashed key (1 for
/// names of 5-7 letters, 2 from 8), same first letter; only the closest ones. Names under five
/// letters or over 40 are not tried.
fn spelling_variants(gaz: &Gazetteer, key: &str) -> Vec<u32> {
    if !std::ptr::eq(gaz, gazetteer()) {
        return Vec::new();
    }
    let q: Vec<char> = squash(key).chars().collect();
    if q.len() < 5 || q.len() > 40 {
        return Vec::new();
    }
    let max = if q.len() >= 8 { 2 } else { 1 };
    let index = &*VARIANT_KEYS;
    let mut best = max + 1;
    let mut out: Vec<u32> = Vec::new();
    for len in q.len() - max..=q.len() + max {
        for (k, idx) in index.get(&(q[0], len)).map_or(&[][..], Vec::as_slice) {
            let Some(d) = bounded_edit_distance(&q, k, best.min(max)) else {
                continue;
            };
            if d < best {
                best = d;
                out.clear();
            }
            if d == best && !out.contains(idx) {
                out.push(*idx);
            }
        }
    }
    out
}

/// Optimal-string-alignment distance (adjacent transpositions count one) when it is at most
/// `max`, else None.
fn bounded_edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return None;
    }
    let mut prev2: Vec<usize> = vec![0; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur: Vec<usize> = vec![0; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] <= max).then_some(prev[m])
}

/// Latin letters without their diacritics (canonical decomposition, combining marks dropped).
pub fn fold_accents(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    s.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

fn hint_fits(e: &crate::gazetteer::Entry, hint: Hint) -> bool {
    match hint {
        Hint::None => false,
        Hint::Admin => matches!(e.kind, Kind::Admin1 | Kind::Admin2),
        Hint::City => matches!(e.kind, Kind::City | Kind::Capital | Kind::Locality),
        Hint::Water => e.feature.starts_with("H."),
        Hint::Country => e.kind == Kind::Country,
    }
}

/// Population used for the prior: admin-2 areas have none in the source; count them as 1% of
/// their admin-1 area (between 20,000 and 500,000), so a county of a populous state comes first.
fn prior_pop(gaz: &Gazetteer, e: &crate::gazetteer::Entry) -> u64 {
    if e.kind == Kind::Admin2 {
        let a = if e.admin1_entry == u32::MAX {
            0
        } else {
            gaz.entry(e.admin1_entry).population
        };
        (a / 100).clamp(20_000, 500_000)
    } else {
        e.population
    }
}

fn log_pop(p: u64) -> f64 {
    ((p as f64) + 10.0).log10()
}

/// Score of a candidate before any context, with the reasons.
/// One reason a candidate scored: kept as data while scoring, written out for the winner only.
#[derive(Debug, Clone, Copy)]
enum Ev {
    Population(u32),
    Primary,
    Alternate,
    Demonym,
    FeatureWord,
    QualifiedElsewhere,
    ShortForm,
    Country(u32, f64),
    AdminNamed,
    SiblingAdmins(usize),
    MainCity,
    Contained,
    DefiniteArticle,
    Near(f64),
    SpellingVariant,
    CapitalOfNamed,
}

fn render(gaz: &Gazetteer, ev: &[Ev]) -> Vec<String> {
    ev.iter()
        .map(|e| match *e {
            Ev::Population(i) => {
                let e = gaz.entry(i);
                format!("population {} ({})", e.population, e.kind.code())
            }
            Ev::Primary => "primary name".into(),
            Ev::Alternate => "alternate name".into(),
            Ev::Demonym => "demonym".into(),
            Ev::FeatureWord => "feature word in the name".into(),
            Ev::QualifiedElsewhere => "the report names it with its area elsewhere".into(),
            Ev::ShortForm => "short form of a place named in full in the report".into(),
            Ev::Country(i, w) => {
                format!(
                    "report talks about {} (weight {w:.1})",
                    gaz.entry(i).country
                )
            }
            Ev::AdminNamed => "its admin-1 area is named in the report".into(),
            Ev::CapitalOfNamed => "capital of a country the report talks about".into(),
            Ev::SiblingAdmins(n) => {
                format!("the report names {n} other admin-1 area(s) of the same country")
            }
            Ev::MainCity => "main city of the area of the same name".into(),
            Ev::Contained => "followed by the area that contains it".into(),
            Ev::DefiniteArticle => "'the' before the name: a sea, river or region".into(),
            Ev::Near(km) => format!("{km:.0} km from a place named in the report"),
            Ev::SpellingVariant => "spelling variant: no place carries the name as written".into(),
        })
        .collect()
}

fn prior(gaz: &Gazetteer, c: &Cand, ev: &mut Vec<Ev>) -> f64 {
    let e = gaz.entry(c.entry);
    let mut s = log_pop(prior_pop(gaz, e));
    let kind_bonus = match e.kind {
        Kind::Continent | Kind::Country => 3.0,
        Kind::Admin1 => 2.0,
        Kind::Admin2 => 0.5,
        Kind::Capital => 1.0,
        Kind::Feature => 1.0,
        Kind::City | Kind::Locality => 0.0,
    };
    s += kind_bonus;
    ev.push(Ev::Population(c.entry));
    match c.name_kind {
        NameKind::Primary => {
            s += 1.5;
            ev.push(Ev::Primary);
        }
        NameKind::Alternate => {
            // A county or district called by its bare name ("Tyler" for Tyler County): news
            // writes the generic word for the area, the bare name is the town.
            if e.kind == Kind::Admin2 {
                s -= 1.0;
            }
            ev.push(Ev::Alternate);
        }
        NameKind::Demonym => {
            s -= 2.0;
            ev.push(Ev::Demonym);
        }
    }
    if hint_fits(e, c.hint) {
        s += 3.0;
        ev.push(Ev::FeatureWord);
    }
    if c.variant {
        ev.push(Ev::SpellingVariant);
    }
    s
}

struct Group {
    key: String,
    mentions: Vec<usize>,
    cands: Vec<Cand>,
    priors: Vec<f64>,
    prior_ev: Vec<Vec<Ev>>,
}

/// Resolve toponyms of `text` to gazetteer places. Toponyms whose offsets are out of range or
/// not on character boundaries, or that name nothing in the gazetteer, are left out.
pub fn geocode(text: &str, toponyms: &[Toponym], ctx: &Context) -> Vec<Place> {
    geocode_with(gazetteer(), text, toponyms, ctx)
}

/// [`geocode`] with an explicit gazetteer.
pub fn geocode_with(
    gaz: &Gazetteer,
    text: &str,
    toponyms: &[Toponym],
    ctx: &Context,
) -> Vec<Place> {
    let mut tops: Vec<Toponym> = toponyms
        .iter()
        .copied()
        .filter(|t| {
            t.start < t.end
                && t.end <= text.len()
                && text.is_char_boundary(t.start)
                && text.is_char_boundary(t.end)
        })
        .collect();
    tops.sort();
    tops.dedup();

    // "X, Y" containment: the names right after each mention. Not inside an enumeration of
    // four or more names ("Ghana, Guinea-Bissau, Niger, Nigeria and Togo"): there the comma
    // separates peers ("Austin, Texas, United States" is still a chain of containment).
    let in_list = enumerations(text, &tops);
    let mut following: HashMap<usize, Vec<Cand>> = HashMap::new();
    let mut qualifier: HashMap<usize, String> = HashMap::new();
    for (i, t) in tops.iter().enumerate() {
        if !in_list[i]
            && text[t.end..].starts_with(", ")
            && let Some(next) = tops.get(i + 1)
            && next.start == t.end + 2
        {
            let y = &text[next.start..next.end];
            following.insert(i, candidates(gaz, y));
            qualifier.insert(i, norm_key(y));
        }
    }

    // One sense per name per report: group mentions by key ("Paris, Texas" and "Paris,
    // France" are two groups; a bare "Paris" is a third, which follows a single qualified one).
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    let mut mention_group: Vec<Option<usize>> = Vec::with_capacity(tops.len());
    for (i, t) in tops.iter().enumerate() {
        let surface = &text[t.start..t.end];
        let base = norm_key(surface);
        let key = match qualifier.get(&i) {
            Some(q) => format!("{base}|{q}"),
            None => base,
        };
        if let Some(&g) = group_of.get(&key) {
            groups[g].mentions.push(i);
            mention_group.push(Some(g));
            continue;
        }
        let cands = candidates(gaz, surface);
        if cands.is_empty() {
            mention_group.push(None);
            continue;
        }
        let mut prior_ev = Vec::with_capacity(cands.len());
        let priors = cands
            .iter()
            .map(|c| {
                let mut ev = Vec::new();
                let s = prior(gaz, c, &mut ev);
                prior_ev.push(ev);
                s
            })
            .collect();
        group_of.insert(key.clone(), groups.len());
        mention_group.push(Some(groups.len()));
        groups.push(Group {
            key,
            mentions: vec![i],
            cands,
            priors,
            prior_ev,
        });
    }

    // Document context from names that are clear on their own.
    let mut country_w: HashMap<String, f64> = HashMap::new();
    for c in &ctx.countries {
        *country_w.entry(c.to_ascii_uppercase()).or_default() += 2.0;
    }
    for (k, n) in demonym_countries(gaz, text) {
        *country_w.entry(k).or_default() += 0.5 * n as f64;
    }
    let mut anchors: Vec<(u32, usize)> = Vec::new(); // (entry, group) of clear places
    for (gi, g) in groups.iter().enumerate() {
        let (best, margin) = best_and_margin(gaz, &g.cands, &g.priors);
        let e = gaz.entry(g.cands[best].entry);
        if margin >= 2.0 || g.cands.len() == 1 {
            if !e.country.is_empty() {
                *country_w.entry(e.country.to_string()).or_default() += g.mentions.len() as f64;
            }
            anchors.push((g.cands[best].entry, gi));
        }
    }
    // Admin-1 areas named (clearly) in the report, with the group that names them.
    let admin_mentioned: Vec<(String, String, usize)> = anchors
        .iter()
        .map(|(e, ag)| (gaz.entry(*e), *ag))
        .filter(|(e, _)| e.kind == Kind::Admin1)
        .map(|(e, ag)| (e.country.to_string(), e.admin1.to_string(), ag))
        .collect();
    let total_w: f64 = country_w.values().sum();

    let mut out = Vec::new();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&gi| !groups[gi].key.contains('|'));
    // Winners of qualified groups by their bare name.
    let mut qualified_winner: HashMap<String, Vec<u32>> = HashMap::new();
    for gi in order {
        let g = &groups[gi];
        let mut scored: Vec<(f64, usize, Vec<Ev>)> = Vec::with_capacity(g.cands.len());
        // Score each candidate got from the report (not from its own prior), by candidate.
        let mut context_added: Vec<f64> = vec![0.0; g.cands.len()];
        let country_named = g
            .cands
            .iter()
            .any(|o| o.name_kind == NameKind::Primary && gaz.entry(o.entry).kind == Kind::Country);
        for (ci, c) in g.cands.iter().enumerate() {
            let e = gaz.entry(c.entry);
            let mut s = g.priors[ci];
            let mut main_city = 0.0;
            let mut ev = g.prior_ev[ci].clone();
            if let Some(w) = qualified_winner.get(&g.key)
                && w.len() == 1
                && w[0] == c.entry
            {
                s += 3.0;
                ev.push(Ev::QualifiedElsewhere);
            }
            // A short form of a place the report names in full ("Rostov" after "Rostov-on-Don"),
            // unless the short form is a country's own name ("Mexico" after "Mexico City").
            if !country_named
                && anchors.iter().any(|(ae, ag)| {
                    *ag != gi && *ae == c.entry && bare(&groups[*ag].key).len() > bare(&g.key).len()
                })
            {
                s += 4.0;
                ev.push(Ev::ShortForm);
            }
            let mut country_support = false;
            if !e.country.is_empty()
                && let Some(w) = country_w.get(e.country.as_ref())
            {
                // Discount this group's own vote for its country.
                let own = if anchors
                    .iter()
                    .any(|(ae, ag)| *ag == gi && gaz.entry(*ae).country == e.country)
                {
                    g.mentions.len() as f64
                } else {
                    0.0
                };
                let w = (w - own).max(0.0);
                if w > 0.0 {
                    country_support = true;
                    let share = w / total_w.max(1.0);
                    let add = 3.0 * (w / (w + 1.0)) + 1.5 * share;
                    s += add;
                    ev.push(Ev::Country(c.entry, w));
                    if e.kind == Kind::Capital {
                        s += CAPITAL_OF_NAMED;
                        ev.push(Ev::CapitalOfNamed);
                    }
                }
            }
            let mut local_support = false;
            if matches!(
                e.kind,
                Kind::City | Kind::Capital | Kind::Admin2 | Kind::Locality
            ) && admin_mentioned.iter().any(|(cc, a, ag)| {
                *ag != gi && cc.as_str() == e.country.as_ref() && a.as_str() == e.admin1.as_ref()
            }) {
                s += 2.0;
                ev.push(Ev::AdminNamed);
                local_support = true;
            }
            // Areas of one level named together ("Michigan, Ohio and Wyoming"): an admin-1
            // reading gains when the report clearly names other admin-1 areas of its country.
            // A country of the same name keeps its reading ("Mexico", "Georgia", "Niger").
            if e.kind == Kind::Admin1
                && !g
                    .cands
                    .iter()
                    .any(|o| gaz.entry(o.entry).kind == Kind::Country)
            {
                let siblings = admin_mentioned
                    .iter()
                    .filter(|(cc, a, ag)| {
                        *ag != gi
                            && cc.as_str() == e.country.as_ref()
                            && a.as_str() != e.admin1.as_ref()
                    })
                    .count();
                if siblings > 0 {
                    s += 2.0;
                    ev.push(Ev::SiblingAdmins(siblings));
                }
            }
            // The main city of a same-named area ("New York", "Rostov"): news means the city.
            if matches!(e.kind, Kind::City | Kind::Capital)
                && g.cands.iter().any(|o| {
                    let a = gaz.entry(o.entry);
                    a.kind == Kind::Admin1
                        && a.country == e.country
                        && a.admin1 == e.admin1
                        && e.population * 4 >= a.population
                })
            {
                s += 2.0;
                main_city = 2.0;
                ev.push(Ev::MainCity);
            }
            // "X, Y" where Y contains X.
            let contained = g.mentions.iter().any(|m| {
                following.get(m).is_some_and(|f| {
                    f.iter().any(|fc| {
                        let y = gaz.entry(fc.entry);
                        (y.kind == Kind::Country
                            && y.country == e.country
                            && e.kind != Kind::Country)
                            || (y.kind == Kind::Admin1
                                && y.country == e.country
                                && y.admin1 == e.admin1
                                && e.kind != Kind::Admin1)
                    })
                })
            });
            if contained {
                s += 4.0;
                ev.push(Ev::Contained);
                local_support = true;
            }
            // "the Pacific", "the Mississippi", "the Sahel": with the article, news names a
            // physical feature or a region rather than a town of that name.
            if matches!(e.kind, Kind::Feature | Kind::Continent)
                && g.mentions.iter().any(|&m| the_before(text, tops[m].start))
            {
                s += 1.5;
                ev.push(Ev::DefiniteArticle);
            }
            // Near a place resolved on its own.
            if matches!(
                e.kind,
                Kind::City | Kind::Capital | Kind::Admin1 | Kind::Admin2 | Kind::Locality
            ) {
                let near = anchors
                    .iter()
                    .filter(|(ae, ag)| *ag != gi && *ae != c.entry)
                    .map(|(ae, _)| gaz.entry(*ae))
                    .filter(|a| matches!(a.kind, Kind::City | Kind::Capital | Kind::Admin1))
                    .map(|a| haversine_km(e.lat as f64, e.lon as f64, a.lat as f64, a.lon as f64))
                    .fold(f64::INFINITY, f64::min);
                if near < 250.0 {
                    s += 1.0;
                    ev.push(Ev::Near(near));
                    local_support = true;
                }
            }
            if c.demoted && !local_support {
                continue;
            }
            // A spelling variant counts only where the report talks about its country.
            if c.variant && !country_support && !local_support {
                continue;
            }
            context_added[ci] = s - g.priors[ci] - main_city;
            scored.push((s, ci, ev));
        }
        if scored.is_empty() {
            continue; // only spelling variants, none supported by the report
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let max = scored[0].0;
        let z: f64 = scored.iter().map(|(s, _, _)| (s - max).exp()).sum();
        let (best_s, best_ci, best_ev) = &scored[0];
        let evidence = render(gaz, best_ev);
        let be = gaz.entry(g.cands[*best_ci].entry);
        if let Some((bare, _)) = g.key.split_once('|') {
            let w = qualified_winner.entry(bare.to_string()).or_default();
            if !w.contains(&g.cands[*best_ci].entry) {
                w.push(g.cands[*best_ci].entry);
            }
        }
        // Ambiguous: the final margin over a distant namesake is small, or the report gave no
        // evidence beyond the prior and a distant namesake is not negligible (population within
        // a factor of ~300).
        let no_context = context_added[*best_ci] <= 0.0;
        // A place of the fallback tier (under 5,000 people) that nothing in the report supports
        // may well be a name the caller took for a place by mistake: half the confidence.
        let mut evidence = evidence;
        let mut confidence = 1.0 / z;
        if g.cands[*best_ci].variant {
            confidence *= 0.5;
        }
        if be.kind == Kind::Locality && no_context {
            confidence *= 0.5;
            evidence.push("small place (under 5,000 people), unsupported by the report".into());
        }
        let best_lp = log_pop(prior_pop(gaz, be));
        let ambiguous = scored.iter().skip(1).any(|(s2, ci2, _)| {
            let e2 = gaz.entry(g.cands[*ci2].entry);
            let distant =
                haversine_km(be.lat as f64, be.lon as f64, e2.lat as f64, e2.lon as f64) > 161.0;
            distant
                && (best_s - s2 < 1.0
                    || (no_context && best_lp - log_pop(prior_pop(gaz, e2)) < 2.5))
        });
        let alternatives: Vec<Alternative> = scored
            .iter()
            .skip(1)
            .take(3)
            .map(|(s, ci, _)| {
                let e = gaz.entry(g.cands[*ci].entry);
                Alternative {
                    id: entry_id(e),
                    geonames_id: (e.geonames_id != 0).then_some(e.geonames_id),
                    name: e.name.to_string(),
                    country: e.country.to_string(),
                    feature: e.feature.to_string(),
                    lat: round5(e.lat),
                    lon: round5(e.lon),
                    probability: ((s - max).exp() / z) as f32,
                }
            })
            .collect();
        for &m in &g.mentions {
            let t = tops[m];
            out.push(Place {
                start: t.start,
                end: t.end,
                text: text[t.start..t.end].to_string(),
                id: entry_id(be),
                geonames_id: (be.geonames_id != 0).then_some(be.geonames_id),
                name: be.name.to_string(),
                country: be.country.to_string(),
                admin1: be.admin1.to_string(),
                lat: round5(be.lat),
                lon: round5(be.lon),
                feature: be.feature.to_string(),
                confidence: confidence as f32,
                ambiguous,
                evidence: evidence.clone(),
                alternatives: alternatives.clone(),
            });
        }
    }
    let _ = mention_group;
    out.sort_by_key(|p| (p.start, p.end));
    out
}

/// For each toponym (sorted), whether it belongs to a run of four or more toponyms joined by
/// ", ", " and ", ", and ", " or " or ", or ".
fn enumerations(text: &str, tops: &[Toponym]) -> Vec<bool> {
    const JOINERS: &[&str] = &[", ", " and ", ", and ", " or ", ", or "];
    let mut out = vec![false; tops.len()];
    let mut run_start = 0;
    for i in 0..=tops.len() {
        let joined = i > 0
            && i < tops.len()
            && tops[i - 1].end <= tops[i].start
            && JOINERS.contains(&&text[tops[i - 1].end..tops[i].start]);
        if !joined {
            if i - run_start >= 4 {
                out[run_start..i].iter_mut().for_each(|b| *b = true);
            }
            run_start = i;
        }
    }
    out
}

/// Whether the word right before `start` is "the" (any case).
fn the_before(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    before.len() < start
        && before.len() >= 3
        && before.is_char_boundary(before.len() - 3)
        && before[before.len() - 3..].eq_ignore_ascii_case("the")
        && before[..before.len() - 3]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// A group key without its qualifier ("paris|texas" → "paris").
fn bare(key: &str) -> &str {
    key.split_once('|').map_or(key, |(b, _)| b)
}

fn round5(x: f32) -> f64 {
    ((x as f64) * 1e5).round() / 1e5
}

fn entry_id(e: &crate::gazetteer::Entry) -> String {
    if e.geonames_id != 0 {
        format!("geonames:{}", e.geonames_id)
    } else {
        format!("dossier:{}", e.slug)
    }
}

/// The best candidate on the prior and its margin over the best candidate more than 161 km
/// away from it (a namesake, not the same place under another record).
fn best_and_margin(gaz: &Gazetteer, cands: &[Cand], scores: &[f64]) -> (usize, f64) {
    let mut best = cands.iter().position(|c| !c.demoted).unwrap_or(0);
    for (i, s) in scores.iter().enumerate() {
        if *s > scores[best] && !cands[i].demoted {
            best = i;
        }
    }
    let b = gaz.entry(cands[best].entry);
    let second = scores
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let e = gaz.entry(cands[*i].entry);
            *i != best
                && !cands[*i].demoted
                && haversine_km(b.lat as f64, b.lon as f64, e.lat as f64, e.lon as f64) > 161.0
        })
        .map(|(_, s)| *s)
        .fold(f64::NEG_INFINITY, f64::max);
    (best, scores[best] - second)
}

/// Countries named by demonyms in the text ("Russian", "Belarusian"): ISO2 → count.
fn demonym_countries(gaz: &Gazetteer, text: &str) -> HashMap<String, usize> {
    let mut out: HashMap<String, usize> = HashMap::new();
    for w in text.split(|c: char| !c.is_alphabetic()) {
        if w.len() < 4 || !w.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        for (idx, kind) in gaz.lookup(w) {
            let e = gaz.entry(idx);
            if kind == NameKind::Demonym && e.kind == Kind::Country {
                *out.entry(e.country.to_string()).or_default() += 1;
            }
        }
    }
    out
}
