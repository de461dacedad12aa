//! The cross-report pass over a store: every report's latest revision, in publication order,
//! through the incremental indexes of `dossier-link` (copies, stories, entities across
//! reports). Reports, outlets and stories are counted apart.
//!
//! This pass is computed from the stored documents and analyses on demand; nothing it finds is
//! stored yet, so it always reflects the current store.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use dossier_link::{
    CopyIndex, CopyLink, DocInput, EntityKind, EntityResolver, MentionInput, StoryIndex,
};
use dossier_store::Store;
use serde::{Deserialize, Serialize};

use crate::analyse::{Analysis, body_view};

/// One report as the cross-report pass saw it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkedReport {
    pub id: String,
    pub revision: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Outlet name, else domain, else "unknown".
    pub outlet: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
}

/// A cluster of reports about one happening.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Story {
    pub id: usize,
    /// Title of the earliest report.
    pub title: String,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    /// Number of reports, distinct outlets, and reports left after collapsing copies (each
    /// report that copies or rewrites another report of the story counts once with it).
    pub reports: usize,
    pub outlets: usize,
    pub independent_reports: usize,
    pub members: Vec<String>,
    /// The people, organisations and places named most often across the story's reports.
    pub top_entities: Vec<(String, usize)>,
}

/// An entity across reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CrossEntity {
    pub id: usize,
    pub name: String,
    pub kind: EntityKind,
    /// Every surface form with how often it was seen.
    pub aliases: BTreeMap<String, usize>,
    pub reports: usize,
}

/// What the cross-report pass found.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct LinkRecord {
    pub reports: Vec<LinkedReport>,
    pub stories: Vec<Story>,
    pub copies: Vec<CopyLink>,
    pub entities: Vec<CrossEntity>,
    /// Problems found on the way (same URL with different text, dates in the future...).
    pub warnings: Vec<String>,
    /// Mean and maximum similarity computations per report (copies and stories together).
    pub comparisons_mean: f64,
    pub comparisons_max: usize,
}

/// The name to show for an entity: its most frequent surface form (longest on ties).
fn display_name(e: &dossier_link::Entity) -> String {
    e.aliases
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(a.0.len().cmp(&b.0.len())))
        .map(|(k, _)| k.clone())
        .unwrap_or_else(|| e.name.clone())
}

fn kind_of(k: dossier_nlp::MentionKind) -> Option<EntityKind> {
    match k {
        dossier_nlp::MentionKind::Person => Some(EntityKind::Person),
        dossier_nlp::MentionKind::Organisation => Some(EntityKind::Organisation),
        dossier_nlp::MentionKind::Place => Some(EntityKind::Place),
        dossier_nlp::MentionKind::Nationality => None,
    }
}

/// Run the cross-report pass over every report in the store.
pub fn link(store: &dyn Store) -> Result<LinkRecord, dossier_store::StoreError> {
    // Read every latest revision (keyset pages), keeping only what the indexes need.
    let mut docs: Vec<(DocInput, LinkedReport)> = Vec::new();
    let mut after = None;
    loop {
        let page = store.reports_after(after.as_ref(), 256)?;
        let Some((last, _)) = page.last() else { break };
        after = Some(last.id.clone());
        for (r, analysis) in page {
            let d = &r.document;
            let analysis: Option<Analysis> = analysis.and_then(|j| serde_json::from_str(&j).ok());
            let mentions = analysis
                .iter()
                .flat_map(|a| &a.mentions)
                .filter(|m| m.form == dossier_nlp::MentionForm::Name)
                .filter_map(|m| {
                    Some(MentionInput {
                        span: dossier_link::Span::new(m.start, m.end),
                        text: m.text.clone(),
                        kind: kind_of(m.kind)?,
                    })
                })
                .collect();
            let published = d
                .metadata
                .published
                .as_ref()
                .map(|p| p.value.with_timezone(&Utc));
            let title = d.metadata.title.as_ref().map(|t| t.value.clone());
            let outlet = d
                .metadata
                .outlet
                .name
                .clone()
                .or_else(|| d.metadata.outlet.domain.clone())
                .unwrap_or_else(|| "unknown".to_string());
            let input = DocInput {
                id: r.id.0.clone(),
                url: r.url.clone(),
                published,
                title: title.clone().unwrap_or_default(),
                text: body_view(d),
                mentions,
            };
            docs.push((
                input,
                LinkedReport {
                    id: r.id.0.clone(),
                    revision: r.revision,
                    title,
                    outlet,
                    published,
                },
            ));
        }
    }
    // Publication order (undated last, then by id), as a stream would deliver them.
    docs.sort_by(|a, b| {
        (a.0.published.is_none(), a.0.published, &a.0.id).cmp(&(
            b.0.published.is_none(),
            b.0.published,
            &b.0.id,
        ))
    });

    let mut copies = CopyIndex::default();
    let mut stories = StoryIndex::default();
    let mut resolver = EntityResolver::default();
    let mut rec = LinkRecord::default();
    let mut comparisons = 0usize;
    // Per report: the cross-report entities it names.
    let mut entities_of: HashMap<String, BTreeSet<usize>> = HashMap::new();
    for (input, _) in &docs {
        rec.copies.extend(copies.add(input));
        let c1 = copies.last_stats().comparisons;
        for w in copies.take_warnings() {
            rec.warnings.push(format!("{w:?}"));
        }
        let a = stories.add(input);
        let n = c1 + a.comparisons;
        comparisons += n;
        rec.comparisons_max = rec.comparisons_max.max(n);
        for res in resolver.add_doc(input) {
            entities_of
                .entry(input.id.clone())
                .or_default()
                .insert(res.entity);
        }
    }
    stories.merge_pass(None);
    rec.comparisons_mean = comparisons as f64 / docs.len().max(1) as f64;

    let by_id: HashMap<&str, &LinkedReport> =
        docs.iter().map(|(_, r)| (r.id.as_str(), r)).collect();
    // Copies collapse: union-find over copy links.
    let mut parent: HashMap<String, String> = HashMap::new();
    fn find(p: &HashMap<String, String>, x: &str) -> String {
        let mut x = x.to_string();
        let mut guard = 0;
        while let Some(y) = p.get(&x) {
            if *y == x || guard > 10_000 {
                break;
            }
            x = y.clone();
            guard += 1;
        }
        x
    }
    for l in &rec.copies {
        let (a, b) = (find(&parent, &l.source), find(&parent, &l.derived));
        if a != b {
            parent.insert(b, a);
        }
    }
    let mut members: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (doc, story) in stories.assignments() {
        members.entry(story).or_default().push(doc);
    }
    for (id, mut docs_in) in members {
        docs_in.sort_by_key(|d| by_id.get(d.as_str()).and_then(|r| r.published));
        let reports: Vec<&LinkedReport> = docs_in
            .iter()
            .filter_map(|d| by_id.get(d.as_str()).copied())
            .collect();
        let outlets: BTreeSet<&str> = reports.iter().map(|r| r.outlet.as_str()).collect();
        let roots: BTreeSet<String> = docs_in.iter().map(|d| find(&parent, d)).collect();
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for d in &docs_in {
            for &e in entities_of.get(d).into_iter().flatten() {
                *counts.entry(e).or_default() += 1;
            }
        }
        let mut top: Vec<(String, usize)> = counts
            .into_iter()
            .filter_map(|(e, n)| resolver.entity(e).map(|x| (display_name(x), n)))
            .collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(8);
        rec.stories.push(Story {
            id,
            title: reports
                .first()
                .and_then(|r| r.title.clone())
                .unwrap_or_default(),
            first: reports.iter().filter_map(|r| r.published).min(),
            last: reports.iter().filter_map(|r| r.published).max(),
            reports: reports.len(),
            outlets: outlets.len(),
            independent_reports: roots.len(),
            members: docs_in,
            top_entities: top,
        });
    }
    rec.stories
        .sort_by(|a, b| b.reports.cmp(&a.reports).then(a.first.cmp(&b.first)));
    for (i, e) in resolver.entities().iter().enumerate() {
        rec.entities.push(CrossEntity {
            id: i,
            name: display_name(e),
            kind: e.kind,
            aliases: e.aliases.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            reports: e.documents.len(),
        });
    }
    rec.reports = docs.into_iter().map(|(_, r)| r).collect();
    Ok(rec)
}
