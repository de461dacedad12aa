//! Slot-level contradictions between statements about one merged event.
//!
//! Statements are grouped by slot value (linear), then groups are compared: every pair among
//! the [`MAX_GROUPS`] most common values, and each rarer value with the [`RARE_VS`] most common
//! ones, so 10,000 statements never cost 50 million comparisons. For each pair of conflicting
//! groups one contradiction is reported, with statements from different origins when the groups
//! have any (so `independent` is true whenever some cross-origin pair disagrees).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;
use crate::statement::{Evidence, Statement};
use crate::timex;

/// Compare all pairs among this many most common values of a slot.
pub const MAX_GROUPS: usize = 32;
/// Compare each rarer value with this many most common values.
pub const RARE_VS: usize = 4;

/// The slot two statements disagree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    Polarity,
    Time,
    Place,
    Number,
    Participants,
}

impl Slot {
    pub fn name(self) -> &'static str {
        match self {
            Slot::Polarity => "polarity",
            Slot::Time => "time",
            Slot::Place => "place",
            Slot::Number => "number",
            Slot::Participants => "participants",
        }
    }
}

/// Two statements that disagree on one slot, with both evidence spans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contradiction {
    pub slot: Slot,
    pub a: Evidence,
    pub b: Evidence,
    /// Claim ids of the two statements.
    pub a_statement: String,
    pub b_statement: String,
    pub a_value: String,
    pub b_value: String,
    /// Both statements are in one report.
    pub same_report: bool,
    /// The statements have different independent origins.
    pub independent: bool,
    /// A soft conflict: participant lists that differ (an "inconsistent enumeration": who is
    /// added or missing; may be another round), or times that may well be one: a day apart,
    /// hours of one day, a week, month or year against a date, or a date not written out but
    /// read from a relative expression. It keeps credibility from 1 but never makes it 5.
    pub soft: bool,
    /// What differs, in words.
    pub detail: String,
}

struct Group<V> {
    value: V,
    shown: String,
    members: Vec<usize>,
}

/// Pick a pair (a in g, b in h) of different statements, from different origins when possible.
fn pick_pair<V>(st: &[Statement], g: &Group<V>, h: &Group<V>) -> Option<(usize, usize)> {
    let reps = |grp: &Group<V>| -> Vec<usize> {
        let first = grp.members[0];
        let mut v = vec![first];
        if let Some(other) = grp
            .members
            .iter()
            .find(|&&m| st[m].origin != st[first].origin)
        {
            v.push(*other);
        }
        if let Some(other) = grp.members.iter().find(|&&m| st[m].id != st[first].id) {
            v.push(*other);
        }
        v
    };
    let (ga, hb) = (reps(g), reps(h));
    let pairs: Vec<(usize, usize)> = ga
        .iter()
        .flat_map(|&a| hb.iter().map(move |&b| (a, b)))
        .filter(|&(a, b)| st[a].id != st[b].id)
        .collect();
    pairs
        .iter()
        .copied()
        .find(|&(a, b)| st[a].origin != st[b].origin)
        .or_else(|| pairs.first().copied())
}

/// Which pairs of groups to compare (indices into groups sorted by size, largest first).
fn group_pairs(n: usize) -> impl Iterator<Item = (usize, usize)> {
    let top = n.min(MAX_GROUPS);
    let full = (0..top).flat_map(move |i| (i + 1..top).map(move |j| (i, j)));
    let rare = (top..n).flat_map(move |j| (0..top.min(RARE_VS)).map(move |i| (i, j)));
    full.chain(rare)
}

fn grouped<V, K: std::hash::Hash + Eq>(
    items: impl Iterator<Item = (usize, K, V, String)>,
) -> Vec<Group<V>> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut groups: Vec<Group<V>> = Vec::new();
    for (i, key, value, shown) in items {
        match index.get(&key) {
            Some(&g) => {
                if groups[g].members.last() != Some(&i) {
                    groups[g].members.push(i)
                }
            }
            None => {
                index.insert(key, groups.len());
                groups.push(Group {
                    value,
                    shown,
                    members: vec![i],
                });
            }
        }
    }
    // largest first; ties by first appearance (stable sort)
    groups.sort_by_key(|g| std::cmp::Reverse(g.members.len()));
    groups
}

/// Conflict test: `None` when compatible, else (soft, detail).
type Conflict<'a, V> = dyn Fn(&V, &V, &Statement, &Statement) -> Option<(bool, String)> + 'a;

fn compare<V>(
    st: &[Statement],
    slot: Slot,
    groups: &[Group<V>],
    conflict: &Conflict<'_, V>,
    out: &mut Vec<Contradiction>,
) {
    for (i, j) in group_pairs(groups.len()) {
        let (g, h) = (&groups[i], &groups[j]);
        let Some((a, b)) = pick_pair(st, g, h) else {
            continue;
        };
        // keep text order inside the pair
        let ((a, g), (b, h)) = if a <= b {
            ((a, g), (b, h))
        } else {
            ((b, h), (a, g))
        };
        let (sa, sb) = (&st[a], &st[b]);
        if let Some((soft, detail)) = conflict(&g.value, &h.value, sa, sb) {
            out.push(Contradiction {
                slot,
                a: sa.evidence.clone(),
                b: sb.evidence.clone(),
                a_statement: sa.id.clone(),
                b_statement: sb.id.clone(),
                a_value: g.shown.clone(),
                b_value: h.shown.clone(),
                same_report: sa.report == sb.report,
                independent: sa.origin != sb.origin,
                soft,
                detail,
            });
        }
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A place's parts: "Rostov-on-Don, Rostov Oblast, Russia" or "Russia/Rostov Oblast"; case,
/// hyphens and dots do not matter ("Rostov on Don" is "Rostov-on-Don").
fn place_parts(p: &str) -> Vec<String> {
    let mut v: Vec<String> = p
        .split([',', '/', '>', '|'])
        .map(|part| norm(&part.replace(['-', '\u{2010}', '\u{2011}', '\u{2013}', '.'], " ")))
        .filter(|s| !s.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn subset(a: &[String], b: &[String]) -> bool {
    a.iter().all(|x| b.binary_search(x).is_ok())
}

fn participants_key(p: &[String]) -> Vec<String> {
    let mut v: Vec<String> = p
        .iter()
        .map(|s| norm(s))
        .filter(|s| !s.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Whether the statement's sentence writes out its day-precise date ("June 24", "24.06.2023")
/// rather than deriving it from a relative expression ("yesterday", "on Saturday"). A
/// statement without evidence text, or a value coarser than a day, counts as written.
fn written(s: &Statement, t: &timex::T) -> bool {
    let text = s.evidence.text.trim();
    match timex::month_day(t) {
        Some((m, d)) if !text.is_empty() => timex::written_in(text, m, d),
        _ => true,
    }
}

/// Time conflict with its hardness: [`timex::severity`], made soft when either date is not
/// written out in its sentence.
fn time_conflict(x: &timex::T, xw: bool, y: &timex::T, yw: bool) -> Option<(bool, String)> {
    let (hard, detail) = timex::severity(x, y)?;
    if hard && !(xw && yw) {
        return Some((
            false,
            format!(
                "{detail}, but {} from a relative expression (\"yesterday\", \"on Saturday\"), \
                 not written out",
                if xw || yw {
                    "one date is read"
                } else {
                    "both dates are read"
                }
            ),
        ));
    }
    Some((hard, detail))
}

/// Two counts of the same kind that do not fit: `(hard, detail)`. Running tolls (killed,
/// injured, detained...) are revised as reports come in: soft.
fn number_conflict(x: &Quantity, y: &Quantity) -> Option<(bool, String)> {
    if x.compatible(y) {
        return None;
    }
    let what = format!("{} vs {}", x.describe(), y.describe());
    Some(if x.is_running() || y.is_running() {
        (
            false,
            format!("{what}: a toll, revised as reports come in (the reports may be hours apart)"),
        )
    } else {
        (true, format!("{what}: beyond rounding"))
    })
}

/// A place as compared: its parts as a set, its path from the most specific part to the
/// country, and whether it is resolved (a path such as "Rostov-on-Don, 61, RU" or "Minsk,
/// Belarus", or a country code such as "UA") rather than a bare name ("Latin Quarter",
/// "Parliament House") that may lie inside the other place for all we know.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Place {
    parts: Vec<String>,
    path: Vec<String>,
    resolved: bool,
}

fn norm_part(part: &str) -> String {
    norm(&part.replace(['-', '\u{2010}', '\u{2011}', '\u{2013}', '.'], " "))
}

impl Place {
    /// `None` for an empty place.
    pub(crate) fn new(p: &str) -> Option<Place> {
        let parts = place_parts(p);
        if parts.is_empty() {
            return None;
        }
        // "town, region, country" comes specific first; "country/region" and "a > b" general
        // first; empty parts ("Dnipro River, , UA") are kept as unknown
        let path: Vec<String> = if p.contains(',') {
            p.split(',').map(norm_part).collect()
        } else {
            p.rsplit(['/', '>', '|']).map(norm_part).collect()
        };
        let resolved =
            path.iter().filter(|s| !s.is_empty()).count() >= 2 || COUNTRY_CODES.contains(p.trim());
        Some(Place {
            parts,
            path,
            resolved,
        })
    }

    fn country(&self) -> Option<&str> {
        self.path
            .last()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The first-level region: the middle of "town, region, country", the first part of
    /// "region, country".
    fn region(&self) -> Option<&str> {
        let n = self.path.len();
        let r = match n {
            2 => &self.path[0],
            n if n >= 3 => &self.path[n - 2],
            _ => return None,
        };
        Some(r.as_str()).filter(|s| !s.is_empty())
    }
}

/// ISO 3166-1 alpha-2 codes (`data/country_codes.txt`).
static COUNTRY_CODES: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("../data/country_codes.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });

/// Place conflict when neither place's parts contain the other's: `(hard, detail)`. Hard for
/// two resolved places in different countries, or in different known regions of one country.
/// Soft when either is a bare name (it may lie inside the other), a country alone (often the
/// setting named in passing, "the war in Ukraine", rather than where the event happened), or
/// for two towns of one region or of a country whose region is unknown (a suburb, a
/// neighbouring town).
fn place_conflict(x: &Place, y: &Place) -> Option<(bool, String)> {
    if subset(&x.parts, &y.parts) || subset(&y.parts, &x.parts) {
        return None;
    }
    let soft = |why: &str| Some((false, format!("different places, but {why}")));
    if !x.resolved || !y.resolved {
        return soft(
            "one is a bare name not placed in a region or country, so it may lie inside the other",
        );
    }
    if x.path.len() == 1 || y.path.len() == 1 {
        return soft(
            "one is a country alone, often the setting named in passing rather than where the \
             event happened",
        );
    }
    if x.country() != y.country() {
        return Some((true, "different countries".to_string()));
    }
    match (x.region(), y.region()) {
        (Some(a), Some(b)) if a != b => Some((true, "different regions of one country".into())),
        (Some(_), Some(_)) => soft("both are in one region (a suburb or a neighbouring town)"),
        _ => soft("in one country, with a region unknown (a suburb or a neighbouring town)"),
    }
}

/// A unit noun and what is counted.
type UnitKey<'a> = (&'a str, Option<&'a str>);

/// Every slot-level contradiction among the statements, ordered by slot (polarity, time, place,
/// number, participants) and then by text order. Contradictions are reported, never used to
/// drop statements. Rules:
/// - polarity: one statement asserts, another denies (`negated`);
/// - time: two TIMEX3 values that cannot both hold; one that contains the other (`2023-06`
///   and `2023-06-24`) or values that cannot be compared (`PRESENT_REF`, durations) do not
///   contradict. Hard only for two dates at least two days apart that both sentences write
///   out ("June 24" vs "June 27", "24.06.2023"); soft (shown, never a 5) when they are one day
///   apart (time zones, late-night events, "yesterday" read from different publication days),
///   differ only in the hour of one day, when either side gives only a week, month or year,
///   or when either date is read from a relative expression ("yesterday", "on Saturday");
/// - place: two non-empty places where neither's parts contain the other's: hard for two
///   resolved places (paths or country codes) in different countries or in different known
///   regions of one country; soft when either is a bare name (it may lie inside the other) or
///   a country alone (often the setting named in passing), and for two towns of one region or
///   of one country with a region unknown (a suburb, a neighbouring town);
/// - number: two counts of the same kind (unit class and measure: "fighters" and "troops"
///   compare, "killed" and "injured" do not; times, ages, percentages and distances are not
///   counts: [`Quantity::is_count`]) whose ranges do not overlap ([`Quantity::compatible`]:
///   "about", "at least", "up to", "dozens of" and "13 to 15" give ranges; round numbers
///   allow for rounding); soft for running tolls (killed, injured, detained...), which are
///   revised as reports come in;
/// - participants (soft): two different non-empty lists: one misses someone the other names.
pub fn contradictions(statements: &[Statement]) -> Vec<Contradiction> {
    let st = statements;
    let mut out = Vec::new();

    // polarity
    let groups = grouped(st.iter().enumerate().map(|(i, s)| {
        let shown = if s.negated { "denies" } else { "asserts" };
        (i, s.negated, s.negated, shown.to_string())
    }));
    compare(
        st,
        Slot::Polarity,
        &groups,
        &|_, _, a, b| {
            let (yes, no) = if a.negated { (b, a) } else { (a, b) };
            Some((
                false,
                format!("{} asserts it, {} denies it", yes.speaker(), no.speaker()),
            ))
        },
        &mut out,
    );

    // time: grouped by value and by whether the sentence writes the date out
    let groups = grouped(st.iter().enumerate().filter_map(|(i, s)| {
        let t = s.time.as_deref()?.trim();
        if t.is_empty() {
            return None;
        }
        let parsed = timex::parse(t);
        let w = parsed.as_ref().is_some_and(|p| written(s, p));
        Some((i, (t.to_uppercase(), w), (parsed, w), t.to_string()))
    }));
    compare(
        st,
        Slot::Time,
        &groups,
        &|x: &(Option<timex::T>, bool), y: &(Option<timex::T>, bool), _, _| match (x, y) {
            ((Some(tx), wx), (Some(ty), wy)) => {
                time_conflict(tx, *wx, ty, *wy).map(|(hard, d)| (!hard, d))
            }
            _ => None,
        },
        &mut out,
    );

    // place
    let groups = grouped(st.iter().enumerate().filter_map(|(i, s)| {
        let p = s.place.as_deref()?.trim();
        let place = Place::new(p)?;
        Some((i, place.path.clone(), place, p.to_string()))
    }));
    compare(
        st,
        Slot::Place,
        &groups,
        &|x: &Place, y: &Place, _, _| place_conflict(x, y).map(|(hard, d)| (!hard, d)),
        &mut out,
    );

    // numbers, unit by unit
    let mut by_unit: HashMap<UnitKey<'_>, Vec<(usize, &Quantity)>> = HashMap::new();
    let mut units: Vec<UnitKey<'_>> = Vec::new();
    for (i, s) in st.iter().enumerate() {
        for q in &s.numbers {
            if !q.is_count() {
                continue;
            }
            let key = (crate::quantity::unit_class(&q.unit), q.measure.as_deref());
            let e = by_unit.entry(key).or_default();
            if e.is_empty() {
                units.push(key);
            }
            e.push((i, q));
        }
    }
    for unit in units {
        let groups = grouped(by_unit[&unit].iter().map(|(i, q)| {
            (
                *i,
                (q.value.to_bits(), q.high.map(f64::to_bits), q.qualifier),
                (*q).clone(),
                q.describe(),
            )
        }));
        compare(
            st,
            Slot::Number,
            &groups,
            &|x: &Quantity, y: &Quantity, _, _| number_conflict(x, y).map(|(hard, d)| (!hard, d)),
            &mut out,
        );
    }

    // participants
    let groups = grouped(st.iter().enumerate().filter_map(|(i, s)| {
        let key = participants_key(&s.participants);
        (!key.is_empty()).then(|| (i, key.clone(), key, s.participants.join(", ")))
    }));
    compare(
        st,
        Slot::Participants,
        &groups,
        &|_: &Vec<String>, _: &Vec<String>, a, b| participants_diff(a, b).map(|d| (true, d)),
        &mut out,
    );

    out.sort_by_key(|c| c.slot);
    out
}

/// A statement's participants, normalised and deduplicated, with the names as written.
fn names(s: &Statement) -> Vec<(String, &str)> {
    let mut v: Vec<(String, &str)> = Vec::new();
    for p in &s.participants {
        let k = norm(p);
        if !k.is_empty() && !v.iter().any(|(x, _)| *x == k) {
            v.push((k, p.as_str()));
        }
    }
    v
}

/// One name is the other, or all the words of one are in the other ("Lukashenko" and
/// "Alexander Lukashenko").
fn same_participant(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let sub = |x: &str, y: &str| x.split(' ').all(|w| y.split(' ').any(|v| v == w));
    sub(a, b) || sub(b, a)
}

/// `Some(detail)` when one statement names a participant the other does not.
fn participants_diff(a: &Statement, b: &Statement) -> Option<String> {
    let (na, nb) = (names(a), names(b));
    if na.is_empty() || nb.is_empty() {
        return None;
    }
    let only = |p: &[(String, &str)], q: &[(String, &str)]| -> Vec<String> {
        p.iter()
            .filter(|(k, _)| !q.iter().any(|(k2, _)| same_participant(k, k2)))
            .map(|(_, o)| o.to_string())
            .collect()
    };
    let (oa, ob) = (only(&na, &nb), only(&nb, &na));
    if oa.is_empty() && ob.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if !oa.is_empty() {
        parts.push(format!("named only by the first: {}", oa.join(", ")));
    }
    if !ob.is_empty() {
        parts.push(format!("named only by the second: {}", ob.join(", ")));
    }
    let how = if oa.is_empty() || ob.is_empty() {
        "one list contains the other (possibly another round)"
    } else {
        "the lists differ"
    };
    Some(format!("{how}; {}", parts.join("; ")))
}

/// The contradictions between two statements, slot by slot (the same rules as
/// [`contradictions`], for grading one claim against each other statement).
pub fn between(a: &Statement, b: &Statement) -> Vec<Contradiction> {
    let mut out = Vec::new();
    let mut push = |slot, a_value: String, b_value: String, soft, detail| {
        out.push(Contradiction {
            slot,
            a: a.evidence.clone(),
            b: b.evidence.clone(),
            a_statement: a.id.clone(),
            b_statement: b.id.clone(),
            a_value,
            b_value,
            same_report: a.report == b.report,
            independent: a.origin != b.origin,
            soft,
            detail,
        })
    };
    if a.id == b.id {
        return out;
    }
    if a.negated != b.negated {
        let (yes, no) = if a.negated { (b, a) } else { (a, b) };
        let shown = |s: &Statement| if s.negated { "denies" } else { "asserts" }.to_string();
        push(
            Slot::Polarity,
            shown(a),
            shown(b),
            false,
            format!("{} asserts it, {} denies it", yes.speaker(), no.speaker()),
        );
    }
    if let (Some(x), Some(y)) = (a.time.as_deref(), b.time.as_deref())
        && let (Some(tx), Some(ty)) = (timex::parse(x), timex::parse(y))
        && let Some((hard, d)) = time_conflict(&tx, written(a, &tx), &ty, written(b, &ty))
    {
        push(
            Slot::Time,
            x.trim().to_string(),
            y.trim().to_string(),
            !hard,
            d,
        );
    }
    if let (Some(x), Some(y)) = (a.place.as_deref(), b.place.as_deref())
        && let (Some(px), Some(py)) = (Place::new(x), Place::new(y))
        && let Some((hard, d)) = place_conflict(&px, &py)
    {
        push(
            Slot::Place,
            x.trim().to_string(),
            y.trim().to_string(),
            !hard,
            d,
        );
    }
    let mut done_units: Vec<(&str, Option<&str>)> = Vec::new();
    for qa in a.numbers.iter().filter(|q| q.is_count()) {
        let kind = (crate::quantity::unit_class(&qa.unit), qa.measure.as_deref());
        if done_units.contains(&kind) {
            continue;
        }
        let same_unit: Vec<&Quantity> = b
            .numbers
            .iter()
            .filter(|q| q.is_count() && q.same_kind(qa))
            .collect();
        // a conflict only when no value of b for this unit fits this value of a
        if !same_unit.is_empty() && same_unit.iter().all(|qb| !qa.compatible(qb)) {
            let qb = same_unit[0];
            if let Some((hard, d)) = number_conflict(qa, qb) {
                push(Slot::Number, qa.describe(), qb.describe(), !hard, d);
            }
            done_units.push(kind);
        }
    }
    if let Some(d) = participants_diff(a, b) {
        push(
            Slot::Participants,
            a.participants.join(", "),
            b.participants.join(", "),
            true,
            d,
        );
    }
    out
}

/// A statement with its slot values normalised once, for comparing many pairs cheaply.
pub(crate) struct Prepared<'a> {
    pub st: &'a Statement,
    place: Option<Place>,
    key: Vec<String>,
    time: Option<timex::T>,
    time_written: bool,
}

impl<'a> Prepared<'a> {
    pub fn new(st: &'a Statement) -> Prepared<'a> {
        let time = st.time.as_deref().and_then(timex::parse);
        Prepared {
            st,
            time_written: time.as_ref().is_some_and(|t| written(st, t)),
            time,
            place: st.place.as_deref().and_then(Place::new),
            key: participants_key(&st.participants),
        }
    }
}

/// Whether two statements clash on a hard slot (time, place, number) and softly (participants,
/// or a time, place or number difference that is soft); polarity is left to the caller. Same
/// rules as [`between`].
pub(crate) fn clash(a: &Prepared<'_>, b: &Prepared<'_>) -> (bool, bool) {
    let (sa, sb) = (a.st, b.st);
    let time_conflict = match (&a.time, &b.time) {
        (Some(x), Some(y)) => time_conflict(x, a.time_written, y, b.time_written),
        _ => None,
    };
    let time = time_conflict.as_ref().is_some_and(|(hard, _)| *hard);
    let soft_time = time_conflict.is_some_and(|(hard, _)| !hard);
    let place_conflict = match (&a.place, &b.place) {
        (Some(x), Some(y)) => place_conflict(x, y),
        _ => None,
    };
    let place = place_conflict.as_ref().is_some_and(|(hard, _)| *hard);
    let soft_place = place_conflict.is_some_and(|(hard, _)| !hard);
    // counts of one kind where no value of b fits a value of a: hard unless a running toll
    let (mut number, mut soft_number) = (false, false);
    for qa in sa.numbers.iter().filter(|q| q.is_count()) {
        let mut same = sb
            .numbers
            .iter()
            .filter(|q| q.is_count() && q.same_kind(qa))
            .peekable();
        if same.peek().is_some() && same.all(|qb| !qa.compatible(qb)) {
            if qa.is_running() {
                soft_number = true;
            } else {
                number = true;
            }
        }
    }
    let soft = soft_time
        || soft_place
        || soft_number
        || (!a.key.is_empty()
            && !b.key.is_empty()
            && a.key != b.key
            && participants_diff(sa, sb).is_some());
    (time || place || number, soft)
}
