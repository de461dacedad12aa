//! GDELT-like tables, tab-separated with a header row and a constant column count. Fields never
//! hold a tab, a line break or another control character: they are escaped (`\t`, `\n`, `\r`,
//! `\\`, `\xHH`), and [`unescape_field`] reverses it.
//!
//! `events-tsv`: one row per merged event. `mentions-tsv`: one row per report's statement of a
//! merged event (our report → event provenance), read report by report from the store so each
//! row can give the sentence's number in its report.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Write;
use std::sync::LazyLock;

use dossier_pipeline::link::{EventMention, MergedEvent};
use dossier_pipeline::{Analysis, LinkRecord};
use dossier_store::Store;

use crate::{ExportError, ExportStats, each_stored};

/// Columns of `events-tsv`.
pub const EVENT_COLUMNS: &[&str] = &[
    "GLOBALEVENTID",
    "SQLDATE",
    "DateFrom",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "PLOVERType",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "NumOrigins",
    "NumOpaqueOrigins",
    "NumNegated",
    "NumContradictions",
    "Grade",
    "ActionGeo_FullName",
    "StoryID",
    "DATEADDED",
    "SOURCEURL",
];

/// Columns of `mentions-tsv`.
pub const MENTION_COLUMNS: &[&str] = &[
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "ReportID",
    "SentenceID",
    "SentenceStart",
    "SentenceEnd",
    "TriggerStart",
    "TriggerEnd",
    "Confidence",
    "Negated",
    "Hedged",
    "Opaque",
    "OriginKind",
    "Origin",
    "OriginName",
    "Chain",
    "ClaimID",
    "Sentence",
];

/// Escape a field so it holds no tab, line break or control character.
pub fn escape_field(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            // Other controls, and the Unicode line and paragraph separators that break lines in
            // some readers.
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Reverse [`escape_field`].
pub fn unescape_field(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('x') => {
                let h: String = chars.by_ref().take(2).collect();
                if let Some(c) = u32::from_str_radix(&h, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some('u') => {
                let mut h = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    if c != '{' {
                        h.push(c);
                    }
                }
                if let Some(c) = u32::from_str_radix(&h, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn row(out: &mut dyn Write, fields: &[String]) -> Result<(), ExportError> {
    let mut line = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push('\t');
        }
        line.push_str(&escape_field(f));
    }
    line.push('\n');
    out.write_all(line.as_bytes())?;
    Ok(())
}

fn header(out: &mut dyn Write, cols: &[&str]) -> Result<(), ExportError> {
    writeln!(out, "{}", cols.join("\t"))?;
    Ok(())
}

/// QuadClass and Goldstein value per CAMEO root code (data/cameo_roots.tsv).
static ROOTS: LazyLock<HashMap<String, (u8, f64)>> = LazyLock::new(|| {
    include_str!("../data/cameo_roots.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            let root = f.next()?.to_string();
            let quad = f.next()?.parse().ok()?;
            let gold = f.next()?.parse().ok()?;
            Some((root, (quad, gold)))
        })
        .collect()
});

/// QuadClass and Goldstein scale of a CAMEO code, from its root.
pub(crate) fn quad_goldstein(cameo: &str) -> Option<(u8, f64)> {
    ROOTS.get(cameo.get(..2)?).copied()
}

/// The country part of a CAMEO-style actor code (`RUSGOV` → `RUS`), when it names one.
pub(crate) fn country_of(code: &str) -> Option<&str> {
    let c = code.get(..3)?;
    c.chars().all(|x| x.is_ascii_uppercase()).then_some(c)
}

/// `2025-06-14` → `20250614`; partial dates keep what they have.
fn sqldate(t: Option<&str>) -> String {
    t.map(|t| t.chars().filter(char::is_ascii_digit).take(8).collect())
        .unwrap_or_default()
}

/// The two sides GDELT has: the first actor and the first recipient (for joint acts named
/// without a recipient, the second actor).
/// An actor or recipient: (code, name).
pub(crate) type Party = (String, String);

pub(crate) fn sides(e: &MergedEvent) -> (Option<&Party>, Option<&Party>) {
    let a1 = e.actors.first();
    let a2 = e.recipients.first().or_else(|| {
        if e.recipients.is_empty() {
            e.actors.get(1)
        } else {
            None
        }
    });
    (a1, a2)
}

/// Confidence of one mention, 10–100 as in GDELT: 100 when the report states it (itself or
/// through a named chain), 50 when hedged, 20 when its origin is opaque, 10 when both.
pub(crate) fn confidence(m: &EventMention) -> u8 {
    match (m.hedged, m.opaque) {
        (false, false) => 100,
        (true, false) => 50,
        (false, true) => 20,
        (true, true) => 10,
    }
}

pub(crate) fn events(
    store: &dyn Store,
    rec: &LinkRecord,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
    stats: &mut ExportStats,
) -> Result<(), ExportError> {
    // The URLs of the reports that first told each event, from one pass over the store.
    let wanted: HashSet<&str> = rec
        .events
        .iter()
        .filter_map(|e| e.mentions.first().map(|m| m.report.as_str()))
        .collect();
    let mut urls: HashMap<String, String> = HashMap::new();
    stats.reports = each_stored(store, |r, _| {
        if wanted.contains(r.id.0.as_str())
            && let Some(u) = &r.url
        {
            urls.insert(r.id.0.clone(), u.clone());
        }
        Ok(())
    })?;
    header(out, EVENT_COLUMNS)?;
    for e in &rec.events {
        let (a1, a2) = sides(e);
        let cameo = e.cameo.clone().unwrap_or_default();
        let (quad, gold) = match quad_goldstein(&cameo) {
            Some((q, g)) => (q.to_string(), format!("{g:.1}")),
            None => (String::new(), String::new()),
        };
        let first = e.mentions.first();
        let added = e
            .mentions
            .iter()
            .filter_map(|m| m.published)
            .min()
            .map(|d| d.format("%Y%m%d%H%M%S").to_string())
            .unwrap_or_default();
        let url = first
            .map(|m| urls.get(&m.report).cloned().unwrap_or(m.report.clone()))
            .unwrap_or_default();
        let side = |a: Option<&(String, String)>| match a {
            Some((code, name)) => [
                code.clone(),
                name.clone(),
                country_of(code).unwrap_or("").to_string(),
            ],
            None => Default::default(),
        };
        let [c1, n1, k1] = side(a1);
        let [c2, n2, k2] = side(a2);
        let fields = vec![
            e.id.clone(),
            sqldate(e.time.as_deref()),
            e.time_from.clone(),
            c1,
            n1,
            k1,
            c2,
            n2,
            k2,
            cameo.clone(),
            cameo.get(..3).unwrap_or(&cameo).to_string(),
            cameo.get(..2).unwrap_or(&cameo).to_string(),
            e.plover_type.clone(),
            quad,
            gold,
            e.mentions.len().to_string(),
            e.outlets.to_string(),
            e.reports.to_string(),
            e.origins.to_string(),
            e.opaque_origins.to_string(),
            e.negated.to_string(),
            e.contradictions.len().to_string(),
            e.grade.code.clone(),
            e.place.clone().unwrap_or_default(),
            e.story.map(|s| s.to_string()).unwrap_or_default(),
            added,
            url,
        ];
        debug_assert_eq!(fields.len(), EVENT_COLUMNS.len());
        row(out, &fields)?;
        stats.records += 1;
        progress(stats.records);
    }
    Ok(())
}

pub(crate) fn mentions(
    store: &dyn Store,
    rec: &LinkRecord,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
    stats: &mut ExportStats,
) -> Result<(), ExportError> {
    // Per report: which (event, mention) it states.
    let mut of_report: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (i, e) in rec.events.iter().enumerate() {
        for (j, m) in e.mentions.iter().enumerate() {
            of_report.entry(m.report.as_str()).or_default().push((i, j));
        }
    }
    header(out, MENTION_COLUMNS)?;
    stats.reports = each_stored(store, |r, json| {
        let Some(items) = of_report.get(r.id.0.as_str()) else {
            return Ok(());
        };
        let analysis: Option<Analysis> = json.and_then(|j| serde_json::from_str(j).ok());
        let analysis = analysis.as_ref();
        for &(i, j) in items {
            let e = &rec.events[i];
            let m = &e.mentions[j];
            let sentence_id = analysis
                .and_then(|a| {
                    a.sentences
                        .iter()
                        .position(|s| s.start <= m.trigger.0 && m.trigger.1 <= s.end)
                })
                .map(|k| (k + 1).to_string())
                .unwrap_or_default();
            let fields = vec![
                e.id.clone(),
                sqldate(e.time.as_deref()),
                m.published
                    .map(|d| d.format("%Y%m%d%H%M%S").to_string())
                    .unwrap_or_default(),
                "1".to_string(),
                m.outlet.clone(),
                r.url.clone().unwrap_or_else(|| m.report.clone()),
                m.report.clone(),
                sentence_id,
                m.evidence.0.to_string(),
                m.evidence.1.to_string(),
                m.trigger.0.to_string(),
                m.trigger.1.to_string(),
                confidence(m).to_string(),
                u8::from(m.negated).to_string(),
                u8::from(m.hedged).to_string(),
                u8::from(m.opaque).to_string(),
                m.origin_kind.clone(),
                m.origin.clone(),
                m.origin_name.clone(),
                m.chain.join(" > "),
                m.claim.clone().unwrap_or_default(),
                m.sentence.clone(),
            ];
            debug_assert_eq!(fields.len(), MENTION_COLUMNS.len());
            row(out, &fields)?;
            stats.records += 1;
            progress(stats.records);
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn roots_load_and_classify() {
        assert_eq!(ROOTS.len(), 20);
        assert_eq!(quad_goldstein("190"), Some((4, -10.0)));
        assert_eq!(quad_goldstein("0311"), Some((1, 4.0)));
        assert_eq!(quad_goldstein("x"), None);
        assert_eq!(country_of("RUSGOV"), Some("RUS"));
        assert_eq!(country_of("---GOV"), None);
    }

    #[test]
    fn escaping_examples() {
        assert_eq!(escape_field("a\tb\nc\\d\u{1}"), "a\\tb\\nc\\\\d\\x01");
        assert_eq!(unescape_field("a\\tb\\nc\\\\d\\x01"), "a\tb\nc\\d\u{1}");
    }

    proptest! {
        #[test]
        fn escaped_fields_have_no_separators_and_round_trip(s in any::<String>()) {
            let e = escape_field(&s);
            let separators = ['\t', '\n', '\r', '\u{2028}', '\u{2029}', '\u{85}'];
            let clean = !e.contains(separators);
            prop_assert!(clean, "separator left in {:?}", e);
            prop_assert!(!e.chars().any(|c| c.is_control()));
            prop_assert_eq!(unescape_field(&e), s);
        }

        #[test]
        fn unescape_never_panics(s in "[\\\\a-z{}0-9xut]{0,40}") {
            let _ = unescape_field(&s);
        }
    }

    #[test]
    fn escaping_is_linear_on_a_megabyte() {
        let s = "a\t\u{1F600}\\".repeat(250_000);
        let t = std::time::Instant::now();
        let e = escape_field(&s);
        assert_eq!(unescape_field(&e), s);
        assert!(t.elapsed().as_secs_f64() < 5.0);
    }
}
