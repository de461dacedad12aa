//! Queries over the cross-report record, shared by the CLI and the HTTP API: the timeline with
//! filters, the provenance tree of a merged event, claim or report (`trace`), an actor's page
//! and a story's page. Each returns a typed, serialisable record whose every item carries the
//! evidence (report, byte span into its clean text, text) a reader can follow; `render_*` give
//! the terminal views.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use dossier_core::ReportId;
use dossier_link::CopyLink;
use dossier_store::{Store, StoredReport};
use serde::{Deserialize, Serialize};

use crate::analyse::Analysis;
use crate::link::{
    Contradiction, CrossEntity, EventMention, Grade, LinkRecord, LinkedReport, MergedEvent, Story,
};

/// Why a query has no answer.
#[derive(Debug)]
pub enum QueryError {
    Store(dossier_store::StoreError),
    /// Nothing in the record is called so or contains the text.
    NotFound(String),
    /// A query that cannot be answered as asked (empty text, malformed id).
    Bad(String),
    /// A stored analysis that does not parse.
    Unreadable {
        report: String,
        reason: String,
    },
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Store(e) => write!(f, "store: {e}"),
            QueryError::NotFound(w) => write!(f, "nothing matches {w:?}"),
            QueryError::Bad(w) => write!(f, "bad query: {w}"),
            QueryError::Unreadable { report, reason } => {
                write!(f, "the analysis of report {report} is unreadable: {reason}")
            }
        }
    }
}

impl std::error::Error for QueryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            QueryError::Store(e) => Some(e),
            _ => None,
        }
    }
}

impl From<dossier_store::StoreError> for QueryError {
    fn from(e: dossier_store::StoreError) -> Self {
        QueryError::Store(e)
    }
}

/// Where something is said: a byte span of a report's clean text, and that text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub report: String,
    pub span: (usize, usize),
    pub text: String,
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// Timeline

/// Which merged events to list. Days are `YYYY-MM-DD` (a prefix such as `2023-06` works).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineFilter {
    pub story: Option<usize>,
    pub actor: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Lower-case names an actor query stands for: the text itself and, for every cross-report
/// entity called so (by its name or one of its aliases), all its aliases.
fn actor_needles(rec: &LinkRecord, actor: &str) -> Vec<String> {
    let q = actor.trim().to_lowercase();
    let mut out: BTreeSet<String> = BTreeSet::new();
    if q.is_empty() {
        return Vec::new();
    }
    out.insert(q.clone());
    for e in &rec.entities {
        if e.name.to_lowercase() == q || e.aliases.keys().any(|a| a.to_lowercase() == q) {
            out.extend(e.aliases.keys().map(|a| a.to_lowercase()));
            out.insert(e.name.to_lowercase());
        }
    }
    out.into_iter().collect()
}

/// Whether two names are the same name, or one is the other's whole words (the shorter at
/// least four characters): "Prigozhin" and "Yevgeny Prigozhin".
pub fn names_match(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.chars().count() < 4 {
        return false;
    }
    let words: Vec<&str> = long.split(|c: char| !c.is_alphanumeric()).collect();
    let sw: Vec<&str> = short.split(|c: char| !c.is_alphanumeric()).collect();
    words.windows(sw.len()).any(|w| w == sw.as_slice())
}

fn event_has_actor(e: &MergedEvent, needles: &[String]) -> bool {
    e.actors.iter().chain(&e.recipients).any(|(code, name)| {
        let n = name.to_lowercase();
        needles
            .iter()
            .any(|q| code.to_lowercase() == *q || n.contains(q.as_str()) || names_match(&n, q))
    })
}

/// Merged events passing the filter, in the record's (time) order.
pub fn timeline<'a>(rec: &'a LinkRecord, f: &TimelineFilter) -> Vec<&'a MergedEvent> {
    let needles = f
        .actor
        .as_deref()
        .map(|a| actor_needles(rec, a))
        .unwrap_or_default();
    rec.events
        .iter()
        .filter(|e| f.story.is_none() || e.story == f.story)
        .filter(|e| f.actor.is_none() || event_has_actor(e, &needles))
        .filter(|e| {
            let day = e.time.as_deref().unwrap_or("");
            f.from.as_deref().is_none_or(|from| day >= from)
                && f.to
                    .as_deref()
                    .is_none_or(|to| day.get(..to.len()).is_some_and(|d| d <= to))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Reports as the queries read them

/// One report's document and analysis, read once per query.
struct Loaded {
    report: StoredReport,
    analysis: Option<Analysis>,
}

#[derive(Default)]
struct Reports {
    cache: HashMap<String, Option<Loaded>>,
}

impl Reports {
    fn get(&mut self, store: &dyn Store, id: &str) -> Result<Option<&Loaded>, QueryError> {
        if !self.cache.contains_key(id) {
            let loaded = match store.report(&ReportId(id.to_string()), None)? {
                Some(report) => {
                    let analysis = match store.analysis(&report.id, report.revision)? {
                        Some((_, json)) => {
                            Some(serde_json::from_str::<Analysis>(&json).map_err(|e| {
                                QueryError::Unreadable {
                                    report: id.to_string(),
                                    reason: e.to_string(),
                                }
                            })?)
                        }
                        None => None,
                    };
                    Some(Loaded { report, analysis })
                }
                None => None,
            };
            self.cache.insert(id.to_string(), loaded);
        }
        Ok(self.cache.get(id).and_then(|l| l.as_ref()))
    }
}

fn evidence(report: &str, text: &str, start: usize, end: usize) -> EvidenceRef {
    EvidenceRef {
        report: report.to_string(),
        span: (start, end),
        text: clean(text.get(start..end).unwrap_or("")),
    }
}

// ---------------------------------------------------------------------------------------
// Trace

/// One node of a provenance tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceNode {
    /// `event`, `claim`, `report`, `source`, `origin` or `copy`.
    pub kind: String,
    /// What to show: the sentence, "Outlet — title", the source's name.
    pub label: String,
    /// The id to follow: merged event id, claim id (`REPORT:cN`), report id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// More words: the cue of an attribution ("according to"), a copy's kind and score, an
    /// origin's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TraceNode>,
}

impl TraceNode {
    fn new(kind: &str, label: impl Into<String>) -> Self {
        TraceNode {
            kind: kind.to_string(),
            label: label.into(),
            id: None,
            detail: None,
            published: None,
            evidence: None,
            children: Vec::new(),
        }
    }
}

/// An independent origin and what supports it (copies collapsed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OriginCount {
    pub origin: String,
    pub kind: String,
    pub name: String,
    pub opaque: bool,
    pub mentions: usize,
    pub reports: Vec<String>,
    pub outlets: Vec<String>,
}

/// Something a free-text trace matched, to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceChoice {
    /// `event` or `claim`.
    pub kind: String,
    pub id: String,
    pub label: String,
    pub evidence: Option<EvidenceRef>,
}

/// The provenance of a merged event, claim or report, down to its origins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub query: String,
    /// `event`, `claim`, `report`, or `choices` when free text matched several things.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<TraceNode>,
    /// Reports, outlets and independent origins counted apart.
    pub reports: usize,
    pub outlets: usize,
    pub origins: usize,
    pub opaque_origins: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origin_list: Vec<OriginCount>,
    /// The merged events the traced item belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contradictions: Vec<Contradiction>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<TraceChoice>,
}

impl Trace {
    fn empty(query: &str, kind: &str) -> Self {
        Trace {
            query: query.to_string(),
            kind: kind.to_string(),
            root: None,
            reports: 0,
            outlets: 0,
            origins: 0,
            opaque_origins: 0,
            origin_list: Vec::new(),
            events: Vec::new(),
            grade: None,
            contradictions: Vec::new(),
            choices: Vec::new(),
        }
    }
}

/// Parse `REPORT:cN`.
fn parse_claim_id(s: &str) -> Option<(&str, usize)> {
    let (report, n) = s.rsplit_once(":c")?;
    if report.is_empty() {
        return None;
    }
    Some((report, n.parse().ok()?))
}

fn report_node(r: Option<&LinkedReport>, id: &str) -> TraceNode {
    let mut n = TraceNode::new(
        "report",
        match r {
            Some(r) => format!(
                "{} — {}",
                r.outlet,
                r.title.as_deref().unwrap_or("(untitled)")
            ),
            None => id.to_string(),
        },
    );
    n.id = Some(id.to_string());
    n.published = r.and_then(|r| r.published);
    n
}

/// The earlier reports a report derives from, as nodes with the aligned evidence (up to
/// `depth` levels, never revisiting a report).
fn copy_nodes(
    rec: &LinkRecord,
    by_id: &HashMap<&str, &LinkedReport>,
    texts: &mut Reports,
    store: &dyn Store,
    report: &str,
    seen: &mut BTreeSet<String>,
    depth: usize,
) -> Result<Vec<TraceNode>, QueryError> {
    let mut out = Vec::new();
    if depth == 0 {
        return Ok(out);
    }
    let links: Vec<&CopyLink> = rec.copies.iter().filter(|l| l.derived == report).collect();
    for l in links {
        if !seen.insert(l.source.clone()) {
            continue;
        }
        let mut n = TraceNode::new(
            "copy",
            format!("{:?} of an earlier report", l.kind).to_lowercase(),
        );
        n.detail = Some(format!(
            "score {:.2}, containment {:.2}, {} aligned span(s)",
            l.score,
            l.containment,
            l.evidence.len()
        ));
        if let Some(a) = l.evidence.first()
            && let Some(d) = texts.get(store, report)?
        {
            n.evidence = Some(evidence(
                report,
                &d.report.document.text,
                a.derived.start,
                a.derived.end,
            ));
        }
        let mut src = report_node(by_id.get(l.source.as_str()).copied(), &l.source);
        if let Some(a) = l.evidence.first()
            && let Some(d) = texts.get(store, &l.source)?
        {
            src.evidence = Some(evidence(
                &l.source,
                &d.report.document.text,
                a.source.start,
                a.source.end,
            ));
        }
        src.children = copy_nodes(rec, by_id, texts, store, &l.source, seen, depth - 1)?;
        n.children.push(src);
        out.push(n);
    }
    Ok(out)
}

/// The chain of a claim as nodes: each source below the report's own voice with the cue
/// and span that attribute to it, nested; the origin last.
fn chain_nodes(
    report: &str,
    text: &str,
    att: &dossier_attribution::Attributions,
    claim: &dossier_attribution::Claim,
    mention: Option<&EventMention>,
) -> Vec<TraceNode> {
    // Attributions from the outermost down, as `chain_of` walks them.
    let mut parts = Vec::new();
    let mut cur = claim.attribution;
    while let Some(a) = cur {
        if parts.contains(&a) || parts.len() > 64 {
            break;
        }
        parts.push(a);
        cur = att.attributions.get(a).and_then(|x| x.parent);
    }
    // Per source id: the words that attribute to it.
    let mut said: Vec<(usize, Option<String>, Option<EvidenceRef>)> = Vec::new();
    for &a in parts.iter().rev() {
        let Some(at) = att.attributions.get(a) else {
            continue;
        };
        let spans: Vec<(usize, usize)> = at
            .source_span
            .iter()
            .chain(at.cue.iter())
            .map(|s| (s.start, s.end))
            .collect();
        let ev = spans.iter().map(|s| s.0).min().map(|start| {
            let end = spans.iter().map(|s| s.1).max().unwrap_or(start);
            evidence(report, text, start, end)
        });
        let cue = at.cue.as_ref().map(|c| clean(&c.text));
        let form = format!("{:?}", at.form).to_lowercase();
        said.push((
            at.source,
            Some(match cue {
                Some(c) => format!("{form}: \"{c}\""),
                None => form,
            }),
            ev,
        ));
        for l in &at.via {
            let spans: Vec<(usize, usize)> = l
                .cue
                .iter()
                .chain(std::iter::once(&l.mention))
                .map(|s| (s.start, s.end))
                .collect();
            let start = spans.iter().map(|s| s.0).min().unwrap_or(0);
            let end = spans.iter().map(|s| s.1).max().unwrap_or(start);
            said.push((
                l.source,
                Some(format!("{:?}", l.kind).to_lowercase()),
                Some(evidence(report, text, start, end)),
            ));
        }
    }
    let mut nodes: Vec<TraceNode> = Vec::new();
    for (i, &sid) in claim.chain.iter().enumerate() {
        if i == 0 && sid == att.root.source {
            continue;
        }
        let Some(src) = att.sources.get(sid) else {
            continue;
        };
        let mut n = TraceNode::new("source", clean(&src.name));
        let hit = said.iter().find(|s| s.0 == sid);
        n.detail = Some(match hit.and_then(|h| h.1.clone()) {
            Some(d) => format!("{} ({d})", format!("{:?}", src.kind).to_lowercase()),
            None => format!("{:?}", src.kind).to_lowercase(),
        });
        n.evidence = hit.and_then(|h| h.2.clone()).or_else(|| {
            src.mentions
                .first()
                .map(|m| evidence(report, text, m.start, m.end))
        });
        nodes.push(n);
    }
    // The origin: as the merged event counts it, else the deepest source or the report.
    let mut origin = match mention {
        Some(m) => {
            let mut o = TraceNode::new("origin", m.origin_name.clone());
            o.detail = Some(if m.opaque {
                OPAQUE.to_string()
            } else {
                m.origin_kind.clone()
            });
            o.id = Some(m.origin.clone());
            o
        }
        None => {
            let deepest = att.sources.get(claim.origin);
            let mut o = TraceNode::new(
                "origin",
                deepest
                    .map(|s| clean(&s.name))
                    .unwrap_or_else(|| report.to_string()),
            );
            o.detail = deepest.map(|s| {
                if s.opaque {
                    OPAQUE.to_string()
                } else {
                    format!("{:?}", s.kind).to_lowercase()
                }
            });
            o
        }
    };
    if let Some(last) = nodes.last() {
        origin.evidence = last.evidence.clone();
    }
    nodes.push(origin);
    // Nest: each node is the child of the one before.
    let mut it = nodes.into_iter().rev();
    let mut tail = it.next().expect("the origin node is always there");
    for mut n in it {
        n.children.push(tail);
        tail = n;
    }
    vec![tail]
}

/// Claim node for the n-th claim of a report, with the report, its copies and its chain.
#[allow(clippy::too_many_arguments)]
fn claim_node(
    store: &dyn Store,
    rec: &LinkRecord,
    by_id: &HashMap<&str, &LinkedReport>,
    texts: &mut Reports,
    report: &str,
    n: Option<usize>,
    mention: Option<&EventMention>,
) -> Result<TraceNode, QueryError> {
    let copies = {
        let mut seen = BTreeSet::from([report.to_string()]);
        copy_nodes(rec, by_id, texts, store, report, &mut seen, 4)?
    };
    let Some(loaded) = texts.get(store, report)? else {
        return Err(QueryError::NotFound(report.to_string()));
    };
    let text = &loaded.report.document.text;
    let att = loaded
        .analysis
        .as_ref()
        .and_then(|a| a.attribution.as_ref());
    let claim = n.and_then(|n| att.and_then(|a| a.claims.get(n)));
    let mut node = TraceNode::new("claim", "");
    node.id = n.map(|n| format!("{report}:c{n}"));
    match (claim, mention) {
        (Some(c), _) => {
            node.label = clean(&c.span.text);
            node.evidence = Some(evidence(report, text, c.span.start, c.span.end));
            node.detail = Some(format!("{:?}, {:?}", c.commitment, c.polarity).to_lowercase());
        }
        (None, Some(m)) => {
            node.label = m.sentence.clone();
            node.evidence = Some(evidence(report, text, m.evidence.0, m.evidence.1));
        }
        (None, None) => return Err(QueryError::NotFound(format!("{report}:c{n:?}"))),
    }
    let mut rnode = report_node(by_id.get(report).copied(), report);
    if let Some(att) = att {
        if let Some(ev) = att.root.evidence.first() {
            rnode.evidence = Some(evidence(report, text, ev.start, ev.end));
        }
        if !att.root.credits.is_empty() {
            rnode.detail = Some(format!("credits {}", att.root.credits.join(", ")));
        }
        match claim {
            Some(c) => rnode
                .children
                .extend(chain_nodes(report, text, att, c, mention)),
            None => {
                if let Some(m) = mention {
                    let mut o = TraceNode::new("origin", m.origin_name.clone());
                    o.detail = Some(m.origin_kind.clone());
                    o.id = Some(m.origin.clone());
                    rnode.children.push(o);
                }
            }
        }
    }
    rnode.children.extend(copies);
    node.children.push(rnode);
    Ok(node)
}

const OPAQUE: &str = "opaque: never confirms";

/// The first origin node under a node.
fn origin_of(n: &TraceNode) -> Option<&TraceNode> {
    if n.kind == "origin" {
        return Some(n);
    }
    n.children.iter().find_map(origin_of)
}

fn count_origins(mentions: &[&EventMention]) -> Vec<OriginCount> {
    let mut by: BTreeMap<&str, OriginCount> = BTreeMap::new();
    for m in mentions {
        let o = by.entry(m.origin.as_str()).or_insert_with(|| OriginCount {
            origin: m.origin.clone(),
            kind: m.origin_kind.clone(),
            name: m.origin_name.clone(),
            opaque: m.opaque,
            mentions: 0,
            reports: Vec::new(),
            outlets: Vec::new(),
        });
        o.mentions += 1;
        if !o.reports.contains(&m.report) {
            o.reports.push(m.report.clone());
        }
        if !o.outlets.contains(&m.outlet) {
            o.outlets.push(m.outlet.clone());
        }
    }
    by.into_values().collect()
}

fn fill_counts(t: &mut Trace, mentions: &[&EventMention]) {
    let reports: BTreeSet<&str> = mentions.iter().map(|m| m.report.as_str()).collect();
    let outlets: BTreeSet<&str> = mentions.iter().map(|m| m.outlet.as_str()).collect();
    t.origin_list = count_origins(mentions);
    t.reports = reports.len();
    t.outlets = outlets.len();
    t.origins = t.origin_list.iter().filter(|o| !o.opaque).count();
    t.opaque_origins = t.origin_list.iter().filter(|o| o.opaque).count();
}

fn by_id(rec: &LinkRecord) -> HashMap<&str, &LinkedReport> {
    rec.reports.iter().map(|r| (r.id.as_str(), r)).collect()
}

fn trace_event(
    store: &dyn Store,
    rec: &LinkRecord,
    e: &MergedEvent,
    query: &str,
) -> Result<Trace, QueryError> {
    let ids = by_id(rec);
    let mut texts = Reports::default();
    let who = |v: &[(String, String)]| {
        v.iter()
            .map(|(c, n)| format!("{n} [{c}]"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut root = TraceNode::new(
        "event",
        format!(
            "{} {}: {} → {}",
            e.time.as_deref().unwrap_or("undated"),
            e.plover_type,
            who(&e.actors),
            who(&e.recipients)
        ),
    );
    root.id = Some(e.id.clone());
    root.detail = Some(e.why.clone());
    for m in &e.mentions {
        let n = m.claim.as_deref().and_then(parse_claim_id).map(|(_, n)| n);
        let node = claim_node(store, rec, &ids, &mut texts, &m.report, n, Some(m))?;
        root.children.push(node);
    }
    let mentions: Vec<&EventMention> = e.mentions.iter().collect();
    let mut t = Trace::empty(query, "event");
    fill_counts(&mut t, &mentions);
    t.root = Some(root);
    t.events = vec![e.id.clone()];
    t.grade = Some(e.grade.clone());
    t.contradictions = e.contradictions.clone();
    Ok(t)
}

fn trace_claim(
    store: &dyn Store,
    rec: &LinkRecord,
    report: &str,
    n: usize,
    query: &str,
) -> Result<Trace, QueryError> {
    let claim_id = format!("{report}:c{n}");
    let ids = by_id(rec);
    let mut texts = Reports::default();
    let events: Vec<&MergedEvent> = rec
        .events
        .iter()
        .filter(|e| {
            e.mentions
                .iter()
                .any(|m| m.claim.as_deref() == Some(&claim_id))
        })
        .collect();
    let mention = events
        .iter()
        .flat_map(|e| &e.mentions)
        .find(|m| m.claim.as_deref() == Some(&claim_id));
    if texts.get(store, report)?.is_none() {
        return Err(QueryError::NotFound(claim_id));
    }
    let root = claim_node(store, rec, &ids, &mut texts, report, Some(n), mention)?;
    let mut t = Trace::empty(query, "claim");
    // Counts and grade over the merged events that hold the claim.
    let mentions: Vec<&EventMention> = events.iter().flat_map(|e| &e.mentions).collect();
    fill_counts(&mut t, &mentions);
    if events.is_empty() {
        // A claim outside every merged event: its own report, outlet and origin.
        let opaque = origin_of(&root).is_some_and(|o| o.detail.as_deref() == Some(OPAQUE));
        t.reports = 1;
        t.outlets = 1;
        t.origins = usize::from(!opaque);
        t.opaque_origins = usize::from(opaque);
    }
    t.events = events.iter().map(|e| e.id.clone()).collect();
    t.grade = events.first().map(|e| e.grade.clone());
    t.contradictions = events
        .iter()
        .flat_map(|e| e.contradictions.iter().cloned())
        .collect();
    t.root = Some(root);
    Ok(t)
}

fn trace_report(
    store: &dyn Store,
    rec: &LinkRecord,
    report: &str,
    query: &str,
) -> Result<Trace, QueryError> {
    let ids = by_id(rec);
    let mut texts = Reports::default();
    let claims = match texts.get(store, report)? {
        None => return Err(QueryError::NotFound(report.to_string())),
        Some(l) => l
            .analysis
            .as_ref()
            .and_then(|a| a.attribution.as_ref())
            .map(|a| a.claims.len())
            .unwrap_or(0),
    };
    let mut root = report_node(ids.get(report).copied(), report);
    for n in 0..claims {
        let mut c = claim_node(store, rec, &ids, &mut texts, report, Some(n), None)?;
        // Under the report node, the claim's own report node is the same report: lift its
        // chain up, keeping copies once at the top.
        if let Some(r) = c.children.pop() {
            c.children = r
                .children
                .into_iter()
                .filter(|x| x.kind != "copy")
                .collect();
        }
        root.children.push(c);
    }
    let mut seen = BTreeSet::from([report.to_string()]);
    root.children.extend(copy_nodes(
        rec, &ids, &mut texts, store, report, &mut seen, 4,
    )?);
    let events: Vec<&MergedEvent> = rec
        .events
        .iter()
        .filter(|e| e.mentions.iter().any(|m| m.report == report))
        .collect();
    let mentions: Vec<&EventMention> = events
        .iter()
        .flat_map(|e| &e.mentions)
        .filter(|m| m.report == report)
        .collect();
    let mut t = Trace::empty(query, "report");
    fill_counts(&mut t, &mentions);
    t.reports = 1;
    t.outlets = 1;
    t.events = events.iter().map(|e| e.id.clone()).collect();
    t.root = Some(root);
    Ok(t)
}

/// Up to this many choices are listed for free text.
const MAX_CHOICES: usize = 50;

/// The provenance tree of `what`: a merged event id, a claim id `REPORT:cN`, a report id, or
/// text found in claims and event sentences (several matches give `kind: "choices"`).
pub fn trace(store: &dyn Store, rec: &LinkRecord, what: &str) -> Result<Trace, QueryError> {
    let q = what.trim();
    if q.is_empty() {
        return Err(QueryError::Bad(
            "say what to trace: an id or some text".into(),
        ));
    }
    if let Some(e) = rec.events.iter().find(|e| e.id == q) {
        return trace_event(store, rec, e, q);
    }
    if let Some((report, n)) = parse_claim_id(q)
        && rec.reports.iter().any(|r| r.id == report)
    {
        return trace_claim(store, rec, report, n, q);
    }
    if rec.reports.iter().any(|r| r.id == q) {
        return trace_report(store, rec, q, q);
    }
    // Free text: merged events whose sentences hold it, then other claims.
    let needle = clean(q).to_lowercase();
    let mut choices: Vec<TraceChoice> = Vec::new();
    let mut in_events: BTreeSet<String> = BTreeSet::new();
    for e in &rec.events {
        if let Some(m) = e
            .mentions
            .iter()
            .find(|m| m.sentence.to_lowercase().contains(&needle))
        {
            in_events.extend(e.mentions.iter().filter_map(|m| m.claim.clone()));
            choices.push(TraceChoice {
                kind: "event".into(),
                id: e.id.clone(),
                label: format!(
                    "{} {}: {}",
                    e.time.as_deref().unwrap_or(""),
                    e.plover_type,
                    m.sentence
                ),
                evidence: Some(EvidenceRef {
                    report: m.report.clone(),
                    span: m.evidence,
                    text: m.sentence.clone(),
                }),
            });
        }
    }
    // Other claims from the store's claim index (every word must match), in reports the record
    // holds, so the choices can be traced.
    let linked: BTreeSet<&str> = rec.reports.iter().map(|r| r.id.as_str()).collect();
    for hit in store.search_claims(q, MAX_CHOICES * 4)? {
        if choices.len() > MAX_CHOICES {
            break;
        }
        if in_events.contains(&hit.id) || !linked.contains(hit.report.id.as_str()) {
            continue;
        }
        choices.push(TraceChoice {
            kind: "claim".into(),
            evidence: Some(EvidenceRef {
                report: hit.report.id.0.clone(),
                span: (hit.claim.start as usize, hit.claim.end as usize),
                text: hit.claim.text.clone(),
            }),
            label: hit.claim.text,
            id: hit.id,
        });
    }
    match choices.len() {
        0 => Err(QueryError::NotFound(q.to_string())),
        1 => {
            let c = &choices[0];
            let mut t = trace(store, rec, &c.id.clone())?;
            t.query = q.to_string();
            Ok(t)
        }
        _ => {
            choices.truncate(MAX_CHOICES);
            let mut t = Trace::empty(q, "choices");
            t.choices = choices;
            Ok(t)
        }
    }
}

fn render_node(out: &mut String, n: &TraceNode, depth: usize) {
    let pad = "  ".repeat(depth);
    let _ = write!(out, "{pad}{} {}", n.kind, n.label);
    if let Some(id) = &n.id
        && n.kind != "origin"
    {
        let _ = write!(out, "  [{id}]");
    }
    if let Some(p) = n.published {
        let _ = write!(out, "  {}", p.format("%Y-%m-%d %H:%M"));
    }
    if let Some(d) = &n.detail {
        let _ = write!(out, "  ({d})");
    }
    out.push('\n');
    if let Some(e) = &n.evidence
        && n.kind != "claim"
    {
        let _ = writeln!(
            out,
            "{pad}    @ {}:{}-{} \"{}\"",
            e.report,
            e.span.0,
            e.span.1,
            ellipsis(&e.text, 120)
        );
    }
    for c in &n.children {
        render_node(out, c, depth + 1);
    }
}

fn ellipsis(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The trace as an indented tree for a terminal.
pub fn render_trace(t: &Trace) -> String {
    let mut out = String::new();
    if t.kind == "choices" {
        let _ = writeln!(
            out,
            "{} matches for {:?}; trace one by its id:",
            t.choices.len(),
            t.query
        );
        for c in &t.choices {
            let _ = writeln!(out, "  {:<6} {}  {}", c.kind, c.id, ellipsis(&c.label, 140));
        }
        return out;
    }
    if let Some(r) = &t.root {
        render_node(&mut out, r, 0);
    }
    let _ = writeln!(
        out,
        "reports {}  outlets {}  independent origins {}{}",
        t.reports,
        t.outlets,
        t.origins,
        if t.opaque_origins > 0 {
            format!(" (+{} opaque)", t.opaque_origins)
        } else {
            String::new()
        }
    );
    for o in &t.origin_list {
        let _ = writeln!(
            out,
            "  origin {}{}: {} mention(s) in {} report(s), {} outlet(s)",
            o.name,
            if o.opaque { " (opaque)" } else { "" },
            o.mentions,
            o.reports.len(),
            o.outlets.len()
        );
    }
    if let Some(g) = &t.grade
        && !g.code.is_empty()
    {
        let _ = writeln!(out, "grade {}", g.code);
        for r in &g.reasons {
            let _ = writeln!(out, "  - {r}");
        }
    }
    for c in &t.contradictions {
        let _ = writeln!(
            out,
            "contradiction on {}: {:?} vs {:?}{}",
            c.slot,
            c.a_value,
            c.b_value,
            if c.same_report { " (same report)" } else { "" }
        );
        for e in [&c.a, &c.b] {
            let _ = writeln!(
                out,
                "  @ {}:{}-{} \"{}\"",
                e.report,
                e.span.0,
                e.span.1,
                ellipsis(&e.text, 120)
            );
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Actor

/// A role the actor was given in one report ("Wagner founder").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleSeen {
    pub role: String,
    pub report: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    pub evidence: EvidenceRef,
}

/// A merged event the actor takes part in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorEvent {
    pub id: String,
    /// `actor`, `recipient` or `both`.
    pub role: String,
    pub time: Option<String>,
    pub plover_type: String,
    pub actors: Vec<(String, String)>,
    pub recipients: Vec<(String, String)>,
    pub reports: usize,
    pub outlets: usize,
    pub origins: usize,
    pub grade: String,
}

/// Something the actor is reported to have said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorQuote {
    pub claim: String,
    pub report: String,
    pub outlet: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    pub text: String,
    /// `direct`, `indirect`, `according`...
    pub form: String,
    pub evidence: EvidenceRef,
}

/// A place named in the reports that name the actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceCount {
    pub name: String,
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u64>,
    pub lat: f64,
    pub lon: f64,
    pub mentions: usize,
    pub reports: usize,
}

/// A contradiction in one of the actor's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorContradiction {
    pub event: String,
    #[serde(flatten)]
    pub contradiction: Contradiction,
}

/// A dossier page on one actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorPage {
    pub name: String,
    pub kind: dossier_link::EntityKind,
    /// Surface forms with how often each was seen, most frequent first.
    pub aliases: Vec<(String, usize)>,
    /// Reports that name it, earliest first.
    pub reports: Vec<LinkedReport>,
    pub roles: Vec<RoleSeen>,
    pub events: Vec<ActorEvent>,
    pub quotes: Vec<ActorQuote>,
    pub places: Vec<PlaceCount>,
    pub contradictions: Vec<ActorContradiction>,
}

/// Cross-report entities matching a search, best first (exact names before partial ones, then
/// by reports).
pub fn find_entities<'a>(rec: &'a LinkRecord, q: &str) -> Vec<&'a CrossEntity> {
    let q = q.trim().to_lowercase();
    let mut hits: Vec<(u8, &CrossEntity)> = rec
        .entities
        .iter()
        .filter_map(|e| {
            let names = std::iter::once(&e.name).chain(e.aliases.keys());
            let mut best = None;
            for n in names {
                let n = n.to_lowercase();
                let rank = if n == q {
                    0
                } else if names_match(&n, &q) {
                    1
                } else if n.contains(&q) {
                    2
                } else {
                    continue;
                };
                best = Some(best.map_or(rank, |b: u8| b.min(rank)));
            }
            best.map(|b| (b, e))
        })
        .collect();
    hits.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.reports.cmp(&a.1.reports))
            .then(a.1.id.cmp(&b.1.id))
    });
    hits.into_iter().map(|h| h.1).collect()
}

/// Search hits above this many make the full-text prefilter pointless.
const MAX_CANDIDATES: usize = 5_000;

/// Reports whose text holds one of the names, by the store's full-text index; `None` when the
/// index cannot answer for some name (then every report is read).
fn candidate_reports(store: &dyn Store, names: &[(String, usize)]) -> Option<BTreeSet<ReportId>> {
    let mut out = BTreeSet::new();
    for (name, _) in names {
        let hits = store.search(name, MAX_CANDIDATES).ok()?;
        if hits.is_empty() || hits.len() >= MAX_CANDIDATES {
            return None;
        }
        out.extend(hits.into_iter().map(|h| h.summary.id));
    }
    Some(out)
}

/// The page of the actor called `name` (a name or alias; the best match when several).
pub fn actor(store: &dyn Store, rec: &LinkRecord, name: &str) -> Result<ActorPage, QueryError> {
    if name.trim().is_empty() {
        return Err(QueryError::Bad("say whose page: a name".into()));
    }
    let Some(ent) = find_entities(rec, name).into_iter().next() else {
        return Err(QueryError::NotFound(name.to_string()));
    };
    let mut aliases: Vec<(String, usize)> =
        ent.aliases.iter().map(|(k, v)| (k.clone(), *v)).collect();
    aliases.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let alias_lc: BTreeSet<String> = aliases
        .iter()
        .map(|a| a.0.to_lowercase())
        .chain(std::iter::once(ent.name.to_lowercase()))
        .collect();
    let is_alias = |s: &str| alias_lc.contains(&s.trim().to_lowercase());
    let names_it = |s: &str| is_alias(s) || alias_lc.iter().any(|a| names_match(a, s));
    let kind = match ent.kind {
        dossier_link::EntityKind::Person => dossier_nlp::MentionKind::Person,
        dossier_link::EntityKind::Organisation => dossier_nlp::MentionKind::Organisation,
        _ => dossier_nlp::MentionKind::Place,
    };
    let ids = by_id(rec);

    let mut reports: Vec<LinkedReport> = Vec::new();
    let mut roles: Vec<RoleSeen> = Vec::new();
    let mut quotes: Vec<ActorQuote> = Vec::new();
    let mut places: BTreeMap<(String, String), (PlaceCount, BTreeSet<String>)> = BTreeMap::new();
    // The reports that can name it: full-text search for each alias (every alias comes from
    // some report, so an alias the search cannot find means the index cannot answer: then,
    // and for very common names, every report is read).
    let candidates = candidate_reports(store, &aliases);
    let mut after: Option<ReportId> = None;
    let mut listed = candidates.map(|c| c.into_iter());
    loop {
        let page: Vec<(StoredReport, Option<String>)> = match listed.as_mut() {
            Some(ids) => {
                let mut page = Vec::new();
                for id in ids.by_ref().take(64) {
                    if let Some(r) = store.report(&id, None)? {
                        let json = store.analysis(&r.id, r.revision)?.map(|(_, j)| j);
                        page.push((r, json));
                    }
                }
                if page.is_empty() {
                    break;
                }
                page
            }
            None => {
                let page = store.reports_after(after.as_ref(), 256)?;
                let Some((last, _)) = page.last() else { break };
                after = Some(last.id.clone());
                page
            }
        };
        for (r, json) in page {
            let Some(json) = json else { continue };
            let Ok(a) = serde_json::from_str::<Analysis>(&json) else {
                continue;
            };
            let text = &r.document.text;
            let rid = r.id.0.as_str();
            // Local entities this report has for the actor (by an exact alias).
            let local: BTreeSet<usize> = a
                .mentions
                .iter()
                .filter(|m| {
                    m.form == dossier_nlp::MentionForm::Name && m.kind == kind && is_alias(&m.text)
                })
                .map(|m| m.entity)
                .collect();
            let attr = a.attribution.as_ref();
            let quoted: Vec<usize> = attr
                .map(|att| {
                    (0..att.claims.len())
                        .filter(|&i| {
                            let c = &att.claims[i];
                            c.attribution.is_some()
                                && att.sources.get(c.origin).is_some_and(|s| names_it(&s.name))
                        })
                        .collect()
                })
                .unwrap_or_default();
            if local.is_empty() && quoted.is_empty() {
                continue;
            }
            let lr = ids.get(rid).copied();
            if let Some(lr) = lr {
                reports.push(lr.clone());
            }
            let published = lr.and_then(|l| l.published);
            let mut seen_roles: BTreeSet<String> = BTreeSet::new();
            for m in a.mentions.iter().filter(|m| local.contains(&m.entity)) {
                if let Some(role) = &m.role
                    && seen_roles.insert(role.text.to_lowercase())
                {
                    roles.push(RoleSeen {
                        role: clean(&role.text),
                        report: rid.to_string(),
                        published,
                        evidence: evidence(
                            rid,
                            text,
                            m.extent.0.min(role.start),
                            m.extent.1.max(role.end),
                        ),
                    });
                }
            }
            if let Some(att) = attr {
                for i in quoted {
                    let c = &att.claims[i];
                    let form = c
                        .attribution
                        .and_then(|x| att.attributions.get(x))
                        .map(|x| format!("{:?}", x.form).to_lowercase())
                        .unwrap_or_default();
                    quotes.push(ActorQuote {
                        claim: format!("{rid}:c{i}"),
                        report: rid.to_string(),
                        outlet: lr.map(|l| l.outlet.clone()).unwrap_or_default(),
                        published,
                        text: clean(&c.span.text),
                        form,
                        evidence: evidence(rid, text, c.span.start, c.span.end),
                    });
                }
            }
            for p in &a.places {
                let e = places
                    .entry((p.name.clone(), p.country.clone()))
                    .or_insert_with(|| {
                        (
                            PlaceCount {
                                name: p.name.clone(),
                                country: p.country.clone(),
                                geonames_id: p.geonames_id,
                                lat: p.lat,
                                lon: p.lon,
                                mentions: 0,
                                reports: 0,
                            },
                            BTreeSet::new(),
                        )
                    });
                e.0.mentions += 1;
                e.1.insert(rid.to_string());
            }
        }
    }
    reports.sort_by(|a, b| {
        (a.published.is_none(), a.published, &a.id).cmp(&(
            b.published.is_none(),
            b.published,
            &b.id,
        ))
    });
    roles.sort_by(|a, b| {
        (a.published, &a.report, a.evidence.span).cmp(&(b.published, &b.report, b.evidence.span))
    });
    quotes.sort_by(|a, b| {
        (a.published, &a.report, a.evidence.span).cmp(&(b.published, &b.report, b.evidence.span))
    });
    let mut places: Vec<PlaceCount> = places
        .into_values()
        .map(|(mut p, r)| {
            p.reports = r.len();
            p
        })
        .collect();
    places.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));

    let mut events = Vec::new();
    let mut contradictions = Vec::new();
    for e in &rec.events {
        let act = e.actors.iter().any(|(_, n)| names_it(n));
        let rcp = e.recipients.iter().any(|(_, n)| names_it(n));
        if !act && !rcp {
            continue;
        }
        events.push(ActorEvent {
            id: e.id.clone(),
            role: match (act, rcp) {
                (true, true) => "both",
                (true, false) => "actor",
                _ => "recipient",
            }
            .to_string(),
            time: e.time.clone(),
            plover_type: e.plover_type.clone(),
            actors: e.actors.clone(),
            recipients: e.recipients.clone(),
            reports: e.reports,
            outlets: e.outlets,
            origins: e.origins,
            grade: e.grade.code.clone(),
        });
        contradictions.extend(e.contradictions.iter().map(|c| ActorContradiction {
            event: e.id.clone(),
            contradiction: c.clone(),
        }));
    }
    Ok(ActorPage {
        name: ent.name.clone(),
        kind: ent.kind,
        aliases,
        reports,
        roles,
        events,
        quotes,
        places,
        contradictions,
    })
}

/// The actor page for a terminal.
pub fn render_actor(p: &ActorPage) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({:?}), named in {} report(s)",
        p.name,
        p.kind,
        p.reports.len()
    );
    let _ = writeln!(
        out,
        "aliases: {}",
        p.aliases
            .iter()
            .map(|(a, n)| format!("{a} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !p.roles.is_empty() {
        let _ = writeln!(out, "roles:");
        for r in &p.roles {
            let _ = writeln!(
                out,
                "  {}  {}  [{}:{}-{}]",
                r.published
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_else(|| "undated   ".into()),
                r.role,
                r.report,
                r.evidence.span.0,
                r.evidence.span.1
            );
        }
    }
    if !p.events.is_empty() {
        let _ = writeln!(out, "events:");
        for e in &p.events {
            let names = |v: &[(String, String)]| {
                v.iter().map(|x| x.1.clone()).collect::<Vec<_>>().join(", ")
            };
            let _ = writeln!(
                out,
                "  {:<10} {:<9} {} → {}  ({}; reports {} outlets {} origins {}{})  [{}]",
                e.time.as_deref().unwrap_or("undated"),
                e.plover_type,
                names(&e.actors),
                names(&e.recipients),
                e.role,
                e.reports,
                e.outlets,
                e.origins,
                if e.grade.is_empty() {
                    String::new()
                } else {
                    format!(", grade {}", e.grade)
                },
                e.id
            );
        }
    }
    if !p.quotes.is_empty() {
        let _ = writeln!(out, "quotes:");
        for q in &p.quotes {
            let _ = writeln!(
                out,
                "  {} ({}, {}): \"{}\"",
                q.outlet,
                q.form,
                q.claim,
                ellipsis(&q.text, 160)
            );
        }
    }
    if !p.places.is_empty() {
        let _ = writeln!(
            out,
            "places reported: {}",
            p.places
                .iter()
                .take(15)
                .map(|x| format!("{} ({}) ×{}", x.name, x.country, x.mentions))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for c in &p.contradictions {
        let k = &c.contradiction;
        let _ = writeln!(
            out,
            "contradiction in {} on {}: {:?} vs {:?}",
            c.event, k.slot, k.a_value, k.b_value
        );
    }
    out
}

// ---------------------------------------------------------------------------------------
// Story

/// A story's page: the story, its reports, the copies among them and its merged events.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoryPage {
    pub story: Story,
    pub members: Vec<LinkedReport>,
    pub copies: Vec<CopyLink>,
    pub events: Vec<MergedEvent>,
}

/// The page of story `id`.
pub fn story_page(rec: &LinkRecord, id: usize) -> Result<StoryPage, QueryError> {
    let Some(story) = rec.stories.iter().find(|s| s.id == id) else {
        return Err(QueryError::NotFound(format!("story {id}")));
    };
    let ids = by_id(rec);
    let members: Vec<LinkedReport> = story
        .members
        .iter()
        .filter_map(|m| ids.get(m.as_str()).map(|r| (*r).clone()))
        .collect();
    let inside: BTreeSet<&str> = story.members.iter().map(|m| m.as_str()).collect();
    let copies = rec
        .copies
        .iter()
        .filter(|c| inside.contains(c.source.as_str()) && inside.contains(c.derived.as_str()))
        .cloned()
        .collect();
    let events = rec
        .events
        .iter()
        .filter(|e| e.story == Some(id))
        .cloned()
        .collect();
    Ok(StoryPage {
        story: story.clone(),
        members,
        copies,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whole_words_only() {
        assert!(names_match("Prigozhin", "Yevgeny Prigozhin"));
        assert!(names_match("wagner group", "Wagner"));
        assert!(!names_match("Putin", "Putinism"));
        assert!(!names_match("Li", "Li Wei"));
        assert!(!names_match("", "x"));
    }

    #[test]
    fn claim_ids_parse() {
        assert_eq!(parse_claim_id("abc:c3"), Some(("abc", 3)));
        assert_eq!(parse_claim_id("a:b:c12"), Some(("a:b", 12)));
        assert_eq!(parse_claim_id(":c1"), None);
        assert_eq!(parse_claim_id("abc:cx"), None);
        assert_eq!(parse_claim_id("abc"), None);
    }
}
