//! The cross-report pass over a store: every report's latest revision, in publication order,
//! through the incremental indexes of `dossier-link` (copies, stories, entities across
//! reports). Reports, outlets and stories are counted apart.
//!
//! The indexes are saved in the store and updated incrementally ([`update`]); [`link`] reads
//! the saved state, folds what came since, and builds the record (stories, merged events with
//! their grades, entities), applying the user's splits ([`crate::split`]).

// The fold runs on one thread: its CPU time is its cost even when other work shares the machine.
use dossier_core::clock::thread_cpu_seconds as thread_cpu;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use dossier_link::{
    CopyIndex, CopyLink, DocInput, EntityKind, EntityResolver, MentionInput, StoryIndex,
};
use dossier_store::Store;
use serde::{Deserialize, Serialize};

use crate::analyse::{Analysis, body_view};

/// One report as the cross-report pass saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedReport {
    pub id: String,
    pub revision: i64,
    #[serde(default)]
    pub title: Option<String>,
    /// Outlet name, else domain, else "unknown".
    pub outlet: String,
    /// The outlet's web domain (from the outlet record, else the report's URL).
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
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
    /// Events from every report merged across reports, in time order.
    pub events: Vec<MergedEvent>,
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

/// Version of the cross-report rules (with the analyser's): a saved state from other rules
/// is rebuilt from scratch. The state is postcard, which has no field names: bump this with
/// every change to a serialized field of the state (here or in `dossier-link`), or an old
/// state would be read into the new layout.
pub fn link_version() -> String {
    format!("link-16/{}", crate::ANALYSER_VERSION)
}

/// Name of the saved state in the store.
const STATE: &str = "main";

/// The first bytes of a saved state: the state is postcard (a compact binary serde format:
/// varints, no field names), about a quarter of its JSON and faster to write and read.
const STATE_MAGIC: &[u8; 4] = b"DLS1";

/// Where the cross-report stage stopped and why.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FoldSummary {
    /// Revisions folded in this call.
    pub folded: usize,
    /// Revisions in ingest order waiting for their analysis (the stage folds in ingest order
    /// and stops at the first one not analysed yet, so any number of workers produce the same
    /// record).
    pub waiting: bool,
    /// The saved state was from other rules, or a report was revised: rebuilt from scratch.
    pub rebuilt: bool,
    /// Another process holds the stage's lock and folds: nothing was done here.
    #[serde(default)]
    pub elsewhere: bool,
}

/// The incremental cross-report stage: indexes of copies, stories and entities across reports,
/// and the event mentions of every report folded so far. Reports are folded in ingest order,
/// each once; a new report touches only the indexes' candidates for it. The whole state
/// serializes, so it is saved in the store between runs ([`update`]).
#[derive(Serialize, Deserialize, Default)]
pub struct Linker {
    /// Ingest sequence number of the last revision folded.
    cursor: i64,
    copies: CopyIndex,
    stories: StoryIndex,
    resolver: EntityResolver,
    reports: Vec<LinkedReport>,
    /// Folded revision per report id.
    folded: HashMap<String, i64>,
    copy_links: Vec<CopyLink>,
    entities_of: HashMap<String, BTreeSet<usize>>,
    /// Surface forms (as written) of each cross-report entity's mentions, with counts.
    #[serde(default)]
    surfaces: HashMap<usize, BTreeMap<String, usize>>,
    items: Vec<Item>,
    warnings: Vec<String>,
    comparisons: usize,
    comparisons_max: usize,
    /// A report was revised after it was folded: the next update rebuilds.
    stale: bool,
    /// Mentions the user split apart (`dossier split`), applied when merging events.
    #[serde(skip)]
    apart: crate::split::Apart,
    /// Where folding has spent its time in this process (not saved).
    #[serde(skip)]
    times: FoldTimes,
}

/// CPU seconds the fold has spent in each of its parts since the state was loaded (for
/// benchmarks: which part grows with the store).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct FoldTimes {
    /// Reading revisions and their analyses from the store.
    pub read: f64,
    /// The copy index.
    pub copies: f64,
    /// The story index.
    pub stories: f64,
    /// The cross-report entity resolver and the entity maps.
    pub entities: f64,
    /// Event mentions kept for merging.
    pub items: f64,
}

impl std::ops::Sub for FoldTimes {
    type Output = FoldTimes;
    fn sub(self, o: FoldTimes) -> FoldTimes {
        FoldTimes {
            read: self.read - o.read,
            copies: self.copies - o.copies,
            stories: self.stories - o.stories,
            entities: self.entities - o.entities,
            items: self.items - o.items,
        }
    }
}

impl Linker {
    /// Fold the revisions ingested after the cursor, in ingest order, until one is not
    /// analysed yet (or `limit` were folded).
    pub fn fold(
        &mut self,
        store: &dyn Store,
        limit: usize,
    ) -> Result<FoldSummary, dossier_store::StoreError> {
        let mut sum = FoldSummary::default();
        'pages: while sum.folded < limit {
            let t = thread_cpu();
            let page = store.revisions_by_seq(self.cursor, 256)?;
            self.times.read += thread_cpu() - t;
            if page.is_empty() {
                break;
            }
            for sq in page {
                if !sq.latest {
                    // A later revision of this report comes further on.
                    self.cursor = sq.seq;
                    continue;
                }
                let t = thread_cpu();
                let analysis = match &sq.analysis {
                    Some((version, json)) if version == crate::ANALYSER_VERSION => {
                        match serde_json::from_str::<Analysis>(json) {
                            Ok(a) => Some(a),
                            Err(e) => {
                                self.warnings.push(format!(
                                    "analysis of {} is unreadable: {e}",
                                    sq.report.id
                                ));
                                None
                            }
                        }
                    }
                    _ => {
                        sum.waiting = true;
                        break 'pages;
                    }
                };
                self.times.read += thread_cpu() - t;
                let id = sq.report.id.0.clone();
                if self.folded.contains_key(&id) {
                    self.warnings.push(format!(
                        "report {id} was revised (revision {}) after it was linked: the cross-report record is rebuilt",
                        sq.report.revision
                    ));
                    self.stale = true;
                }
                self.add(&sq.report, analysis);
                self.cursor = sq.seq;
                sum.folded += 1;
                if sum.folded >= limit {
                    break 'pages;
                }
            }
        }
        Ok(sum)
    }

    /// Fold one report.
    fn add(&mut self, r: &dossier_store::StoredReport, analysis: Option<Analysis>) {
        let d = &r.document;
        // Reports the language gate left out have nothing for the indexes.
        let analysis = analysis.filter(|a| a.analysed);
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
        if let Some(p) = published
            && p > Utc::now() + chrono::Duration::days(1)
        {
            self.warnings.push(format!(
                "report {} is dated in the future ({}): kept, with that date",
                r.id,
                p.format("%Y-%m-%d")
            ));
        }
        let title = d.metadata.title.as_ref().map(|t| t.value.clone());
        let outlet = d
            .metadata
            .outlet
            .name
            .clone()
            .or_else(|| d.metadata.outlet.domain.clone())
            .unwrap_or_else(|| "unknown".to_string());
        let report = LinkedReport {
            id: r.id.0.clone(),
            revision: r.revision,
            title: title.clone(),
            outlet,
            domain: d
                .metadata
                .outlet
                .domain
                .clone()
                .or_else(|| r.url.as_deref().and_then(dossier_grade::normalise_host)),
            published,
        };
        let input = DocInput {
            id: r.id.0.clone(),
            url: r.url.clone(),
            published,
            title: title.unwrap_or_default(),
            text: body_view(d),
            mentions,
        };
        let t = thread_cpu();
        self.copy_links.extend(self.copies.add(&input));
        let c1 = self.copies.last_stats().comparisons;
        for w in self.copies.take_warnings() {
            self.warnings.push(format!("{w:?}"));
        }
        let t = self.lap(t, |f| &mut f.copies);
        let a = self.stories.add(&input);
        let t = self.lap(t, |f| &mut f.stories);
        let n = c1 + a.comparisons;
        self.comparisons += n;
        self.comparisons_max = self.comparisons_max.max(n);
        for res in self.resolver.add_doc(&input) {
            self.entities_of
                .entry(input.id.clone())
                .or_default()
                .insert(res.entity);
            if let Some(m) = input.mentions.get(res.mention) {
                let surface = m.text.split_whitespace().collect::<Vec<_>>().join(" ");
                *self
                    .surfaces
                    .entry(res.entity)
                    .or_default()
                    .entry(surface)
                    .or_default() += 1;
            }
        }
        let t = self.lap(t, |f| &mut f.entities);
        if let Some(a) = &analysis {
            self.items.extend(event_items(&report, a, &input.text));
        }
        self.folded.insert(report.id.clone(), report.revision);
        self.reports.push(report);
        self.lap(t, |f| &mut f.items);
    }

    /// Add the time since `t` to one part of the fold's timing; the new start.
    fn lap(&mut self, t: f64, part: impl Fn(&mut FoldTimes) -> &mut f64) -> f64 {
        let now = thread_cpu();
        *part(&mut self.times) += now - t;
        now
    }

    /// Seconds spent in each part of folding since this state was loaded.
    pub fn fold_times(&self) -> FoldTimes {
        self.times
    }

    /// The state as saved in the store.
    pub fn to_bytes(&self) -> Result<Vec<u8>, dossier_store::StoreError> {
        let mut out = STATE_MAGIC.to_vec();
        postcard::to_io(self, &mut out)
            .map_err(|e| dossier_store::StoreError::Corrupt(STATE.to_string(), e.to_string()))?;
        Ok(out)
    }

    /// A state saved by [`Linker::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Linker, dossier_store::StoreError> {
        let body = bytes.strip_prefix(STATE_MAGIC).ok_or_else(|| {
            dossier_store::StoreError::Corrupt(
                STATE.to_string(),
                "not a saved cross-report state".to_string(),
            )
        })?;
        postcard::from_bytes(body)
            .map_err(|e| dossier_store::StoreError::Corrupt(STATE.to_string(), e.to_string()))
    }

    /// Reports in the copy index: all of them, and those not retired (the ones a new report
    /// is compared with; see `dossier_link::copies::CopyConfig::retain_days`).
    pub fn copies_live(&self) -> (usize, usize) {
        (self.copies.len(), self.copies.live())
    }

    /// Pair comparisons made so far by the cross-report stage: in all, and the most for one
    /// report.
    pub fn comparisons(&self) -> (usize, usize) {
        (self.comparisons, self.comparisons_max)
    }

    /// Serialized size in bytes of each part of the state, largest first (for benchmarks: what
    /// the state is made of as the store grows).
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        fn size<T: Serialize>(v: &T) -> usize {
            postcard::experimental::serialized_size(v).unwrap_or(0)
        }
        let mut parts = vec![
            ("copies", size(&self.copies)),
            ("stories", size(&self.stories)),
            ("resolver", size(&self.resolver)),
            ("reports", size(&self.reports)),
            ("folded", size(&self.folded)),
            ("copy_links", size(&self.copy_links)),
            ("entities_of", size(&self.entities_of)),
            ("surfaces", size(&self.surfaces)),
            ("items", size(&self.items)),
            ("warnings", size(&self.warnings)),
        ];
        parts.sort_by_key(|p| std::cmp::Reverse(p.1));
        parts
    }

    /// The name to show for an entity: its fullest surface form as written (most words, up to
    /// four, then most often seen), else its most frequent folded form.
    fn display_name(&self, e: &dossier_link::Entity) -> String {
        self.surfaces
            .get(&e.id)
            .and_then(|forms| {
                forms
                    .iter()
                    .max_by_key(|(f, n)| (f.split(' ').count().min(4), **n, f.len()))
                    .map(|(f, _)| f.clone())
            })
            .unwrap_or_else(|| display_name(e))
    }

    /// The cross-report record as of the last fold.
    pub fn record(&mut self) -> LinkRecord {
        let mut rec = LinkRecord {
            warnings: self.warnings.clone(),
            copies: self.copy_links.clone(),
            comparisons_mean: self.comparisons as f64 / self.reports.len().max(1) as f64,
            comparisons_max: self.comparisons_max,
            ..LinkRecord::default()
        };
        let by_id: HashMap<&str, &LinkedReport> =
            self.reports.iter().map(|r| (r.id.as_str(), r)).collect();
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
        for l in &self.copy_links {
            let (a, b) = (find(&parent, &l.source), find(&parent, &l.derived));
            if a != b {
                parent.insert(b, a);
            }
        }
        let mut members: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (doc, story) in self.stories.assignments() {
            members.entry(story).or_default().push(doc);
        }
        for (id, mut docs_in) in members {
            docs_in.dedup();
            docs_in.sort_by_key(|d| by_id.get(d.as_str()).and_then(|r| r.published));
            let reports: Vec<&LinkedReport> = docs_in
                .iter()
                .filter_map(|d| by_id.get(d.as_str()).copied())
                .collect();
            let outlets: BTreeSet<&str> = reports.iter().map(|r| r.outlet.as_str()).collect();
            let roots: BTreeSet<String> = docs_in.iter().map(|d| find(&parent, d)).collect();
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for d in &docs_in {
                for &e in self.entities_of.get(d).into_iter().flatten() {
                    *counts.entry(e).or_default() += 1;
                }
            }
            let mut top: Vec<(String, usize)> = counts
                .into_iter()
                .filter_map(|(e, n)| self.resolver.entity(e).map(|x| (self.display_name(x), n)))
                .collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            top.truncate(8);
            rec.stories.push(Story {
                id,
                title: reports
                    .iter()
                    .find_map(|r| r.title.clone().filter(|t| !t.trim().is_empty()))
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
        for (i, e) in self.resolver.entities().iter().enumerate() {
            rec.entities.push(CrossEntity {
                id: i,
                name: self.display_name(e),
                kind: e.kind,
                aliases: e.aliases.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                reports: e.documents.len(),
            });
        }
        let story_of: HashMap<&str, usize> = rec
            .stories
            .iter()
            .flat_map(|s| s.members.iter().map(move |m| (m.as_str(), s.id)))
            .collect();
        let items: Vec<Item> = self
            .items
            .iter()
            .map(|it| {
                let mut it = it.clone();
                it.story = story_of.get(it.mention.report.as_str()).copied();
                if it.mention.origin_kind == "report" {
                    // The report's own voice counts for its earliest copy, and for that copy's
                    // outlet: one outlet's reports (its several feeds, its updates of a story)
                    // are one origin, not corroboration of each other.
                    let root = find(&parent, &it.mention.report);
                    match by_id.get(root.as_str()).copied() {
                        Some(rr) => {
                            let outlet = rr.domain.clone().unwrap_or_else(|| norm(&rr.outlet));
                            it.mention.origin = format!("outlet: {outlet}");
                            it.mention.origin_name = rr.outlet.clone();
                            it.mention.origin_domain = rr.domain.clone();
                        }
                        None => it.mention.origin = format!("report: {root}"),
                    }
                }
                it
            })
            .collect();
        rec.events = merge_events(items, &self.apart);
        rec.reports = self.reports.clone();
        rec
    }
}

/// The saved linker, if any and from these rules.
fn load(store: &dyn Store) -> Result<(Linker, Option<i64>, bool), dossier_store::StoreError> {
    match store.link_state(STATE)? {
        Some(st) if st.version == link_version() => match Linker::from_bytes(&st.state) {
            Ok(mut l) => {
                l.copies.rebuild();
                if l.stale {
                    Ok((Linker::default(), Some(st.generation), true))
                } else {
                    Ok((l, Some(st.generation), false))
                }
            }
            Err(e) => {
                tracing::warn!("saved cross-report state is unreadable ({e}): rebuilding");
                Ok((Linker::default(), Some(st.generation), true))
            }
        },
        Some(st) => Ok((Linker::default(), Some(st.generation), true)),
        None => Ok((Linker::default(), None, false)),
    }
}

/// The cross-report record of the store: the saved state, with every report ingested since
/// folded in memory (nothing is written; see [`update`]).
pub fn link(store: &dyn Store) -> Result<LinkRecord, dossier_store::StoreError> {
    let (mut linker, _, _) = load(store)?;
    linker.apart = crate::split::Apart::new(&crate::split::load(store)?.0);
    let sum = linker.fold(store, usize::MAX)?;
    let mut rec = linker.record();
    if sum.waiting {
        rec.warnings.push(
            "some reports are not analysed yet: the record stops before the first of them (run `dossier worker`)"
                .to_string(),
        );
    }
    Ok(rec)
}

/// Keeps the cross-report stage up to date in the store for one process: folds what is new
/// into the saved state and saves it by compare and set. The state stays in memory between
/// calls and is read again only when another process saved since.
///
/// Saving writes the whole state, so [`Updater::update`] saves only once the reports folded
/// since the last save reach a tenth of the store (at least 256): the cost of saving stays a
/// constant share of the cost of folding as the store grows, and a reader folds at most that
/// many reports in memory on top of the saved state. [`Updater::flush`] saves whatever is
/// folded (a worker with nothing to do, the end of a batch).
///
/// Only the process that holds the stage's lock ([`Store::lock_link`]: an advisory lock on
/// PostgreSQL, released when its connection ends) folds; the others only analyse. The leader
/// keeps its state in memory and never has to read back another's, and a worker that dies
/// frees the lock for the next one, which starts from the saved state. The compare and set on
/// the saved generation still guards the state itself.
#[derive(Default)]
pub struct Updater {
    cached: Option<(Linker, Option<i64>)>,
    /// Reports folded into the cached state since it was last saved.
    unsaved: usize,
    /// This process holds the stage's lock.
    leader: bool,
}

impl Updater {
    /// Fold what is new; save when enough has been folded since the last save.
    pub fn update(
        &mut self,
        store: &mut dyn Store,
    ) -> Result<FoldSummary, dossier_store::StoreError> {
        self.lead(store, false)
    }

    /// Fold what is new and save everything folded.
    pub fn flush(
        &mut self,
        store: &mut dyn Store,
    ) -> Result<FoldSummary, dossier_store::StoreError> {
        self.lead(store, true)
    }

    /// This process holds the stage's lock (it folds for every worker).
    pub fn leads(&self) -> bool {
        self.leader
    }

    /// Save what is folded and free the stage's lock (a worker that stops).
    pub fn release(&mut self, store: &mut dyn Store) -> Result<(), dossier_store::StoreError> {
        if self.leader {
            let saved = self.run(store, true);
            self.leader = false;
            store.unlock_link(STATE)?;
            saved?;
        }
        Ok(())
    }

    fn lead(
        &mut self,
        store: &mut dyn Store,
        force: bool,
    ) -> Result<FoldSummary, dossier_store::StoreError> {
        if !self.leader {
            self.leader = store.lock_link(STATE)?;
            if !self.leader {
                // Whatever this process held is another's to fold now.
                self.cached = None;
                self.unsaved = 0;
                return Ok(FoldSummary {
                    elsewhere: true,
                    ..FoldSummary::default()
                });
            }
        }
        self.run(store, force)
    }

    fn run(
        &mut self,
        store: &mut dyn Store,
        force: bool,
    ) -> Result<FoldSummary, dossier_store::StoreError> {
        for _ in 0..8 {
            let current = store.link_generation(STATE)?;
            let (mut linker, generation, rebuilt) = match self.cached.take() {
                Some((l, g)) if current.as_ref().map(|c| c.0) == g && !l.stale => (l, g, false),
                _ => {
                    self.unsaved = 0;
                    load(store)?
                }
            };
            let mut sum = linker.fold(store, usize::MAX)?;
            sum.rebuilt = rebuilt || linker.stale;
            if linker.stale {
                // A report was revised after it was folded: start again from nothing.
                linker = Linker::default();
                sum = linker.fold(store, usize::MAX)?;
                sum.rebuilt = true;
            }
            self.unsaved += sum.folded;
            let due = self.unsaved >= (linker.reports.len() / 10).max(256);
            if !sum.rebuilt && (self.unsaved == 0 || !(force || due)) {
                self.cached = Some((linker, generation));
                return Ok(sum);
            }
            let bytes = linker.to_bytes()?;
            if store.put_link_state(STATE, generation, &link_version(), &bytes)? {
                self.cached = Some((linker, Some(generation.unwrap_or(0) + 1)));
                self.unsaved = 0;
                return Ok(sum);
            }
        }
        Err(dossier_store::StoreError::Corrupt(
            STATE.to_string(),
            "the cross-report state kept changing under this process (8 attempts)".to_string(),
        ))
    }
}

/// Fold what is new into the saved cross-report state and save it (see [`Updater`]).
pub fn update(store: &mut dyn Store) -> Result<FoldSummary, dossier_store::StoreError> {
    Updater::default().flush(store)
}

/// One report's statement of an event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventMention {
    pub report: String,
    pub outlet: String,
    /// The claim that carries it: `REPORT:cN`, the N-th claim of the report's attribution
    /// record (see `dossier trace`); none when the event is outside every claim.
    #[serde(default)]
    pub claim: Option<String>,
    /// Byte span of the trigger in the report's clean text, and of the sentence that holds it.
    pub trigger: (usize, usize),
    #[serde(default)]
    pub evidence: (usize, usize),
    pub sentence: String,
    /// The attribution chain, report first ("BNR → ISW → Meduza → anonymous sources inside
    /// the Kremlin"); just the report when the report says it in its own voice.
    pub chain: Vec<String>,
    /// The independent origin this mention counts for (see [`MergedEvent::origins`]).
    pub origin: String,
    /// What the origin is: `source` (a named person or body), `anonymous`, `opaque`, `credit`
    /// (a wire or outlet credited by the report) or `report` (the report's own voice).
    #[serde(default)]
    pub origin_kind: String,
    /// The origin as a reader would name it ("anonymous sources inside the Kremlin (via
    /// Meduza)", "Reuters").
    #[serde(default)]
    pub origin_name: String,
    /// The origin is an opaque reference ("trusted outlets"), which never confirms anything.
    pub opaque: bool,
    pub negated: bool,
    /// The report does not commit to it: hedged, reported as hearsay, future or hypothetical.
    #[serde(default)]
    pub hedged: bool,
    /// Caveats attached to a source of the chain ("cannot be independently verified").
    #[serde(default)]
    pub caveats: Vec<String>,
    /// Actor and recipient codes as this mention has them.
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    /// The place the sentence gives for the event.
    #[serde(default)]
    pub place: Option<String>,
    /// Where that place is, when geocoded: "name, admin1, country" (just the country code for a
    /// country), so that a town and its country do not count as different places.
    #[serde(default)]
    pub place_path: Option<String>,
    /// The time expression of the sentence, if any (TIMEX3 value).
    #[serde(default)]
    pub time: Option<String>,
    /// Publication time of the report.
    #[serde(default)]
    pub published: Option<DateTime<Utc>>,
    /// Domain of the report's outlet and of the origin, when known (for reliability).
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub origin_domain: Option<String>,
    /// The claim's own Admiralty grade among the event's other mentions.
    #[serde(default)]
    pub grade: Option<Grade>,
}

pub use dossier_grade::Ratings;

/// An Admiralty grade: reliability of the origin (A–F) and credibility of the information
/// (1–6), with the reasons in words (see `dossier-grade` for the rules).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Grade {
    pub reliability: String,
    pub credibility: u8,
    /// Both axes together, e.g. `B2`.
    pub code: String,
    pub reasons: Vec<String>,
}

impl From<dossier_grade::Grade> for Grade {
    fn from(g: dossier_grade::Grade) -> Self {
        Grade {
            reliability: g.reliability.code().to_string(),
            credibility: g.credibility.value(),
            code: g.code,
            reasons: g.reasons,
        }
    }
}

/// Where a contradiction's side is said.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Evidence {
    pub report: String,
    /// Byte span of the sentence in the report's clean text.
    pub span: (usize, usize),
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
}

/// Two mentions of one merged event that disagree on one slot.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contradiction {
    /// `participants`, `time`, `place`, `number` or `polarity`.
    pub slot: String,
    pub a: Evidence,
    pub b: Evidence,
    pub a_value: String,
    pub b_value: String,
    /// Both sides are in one report.
    pub same_report: bool,
    /// The two sides come from different independent origins.
    pub independent: bool,
    /// A soft conflict (participant lists that differ: someone added or missing) never makes
    /// an event "improbable".
    #[serde(default)]
    pub soft: bool,
    /// What differs, in words.
    #[serde(default)]
    pub detail: String,
}

impl From<dossier_grade::Contradiction> for Contradiction {
    fn from(c: dossier_grade::Contradiction) -> Self {
        let side = |e: dossier_grade::Evidence, claim: String| Evidence {
            report: e.report,
            span: e.span,
            text: e.text,
            claim: (!claim.contains(":t")).then_some(claim),
        };
        Contradiction {
            slot: c.slot.name().to_string(),
            a: side(c.a, c.a_statement),
            b: side(c.b, c.b_statement),
            a_value: c.a_value,
            b_value: c.b_value,
            same_report: c.same_report,
            independent: c.independent,
            soft: c.soft,
            detail: c.detail,
        }
    }
}

/// Outlet ratings used for grades: set once per process (the CLI's `--ratings`), else read
/// from the file named by `DOSSIER_RATINGS`, else none (every origin is then "reliability
/// cannot be judged", F).
static RATINGS: std::sync::OnceLock<(Ratings, Vec<String>)> = std::sync::OnceLock::new();

/// Use these outlet ratings for every later [`link`] (first call wins). `problems` are the bad
/// rows found reading the file; they are repeated in each record's warnings.
pub fn set_ratings(ratings: Ratings, problems: Vec<String>) {
    let _ = RATINGS.set((ratings, problems));
}

fn ratings() -> &'static (Ratings, Vec<String>) {
    RATINGS.get_or_init(|| match std::env::var_os("DOSSIER_RATINGS") {
        Some(path) if !path.is_empty() => match Ratings::load(&path) {
            Ok((r, problems)) => (r, problems.iter().map(|p| p.to_string()).collect()),
            Err(e) => (Ratings::empty("none"), vec![e.to_string()]),
        },
        _ => (Ratings::empty("none"), Vec::new()),
    })
}

/// Events from different reports that are the same happening: same story, same PLOVER type,
/// actors and recipients that unify, days that overlap.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MergedEvent {
    /// Stable identity (`ev` and a hash of its earliest mention).
    pub id: String,
    pub story: Option<usize>,
    pub plover_type: String,
    pub cameo: Option<String>,
    /// Actor and recipient codes with the names reports used for them.
    pub actors: Vec<(String, String)>,
    pub recipients: Vec<(String, String)>,
    /// The event's day: the most common full date in the mentions' times, else the earliest
    /// publication day (with `time_from` saying which).
    pub time: Option<String>,
    pub time_from: String,
    /// The place most mentions give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Reports, outlets and independent origins, counted apart. Origins: the deepest source
    /// of each mention's chain (an anonymous group is identified by the outlet relaying it and
    /// its descriptor; a report's own voice by its wire credit or, after collapsing copies,
    /// its earliest copy); opaque origins are counted apart and never add to `origins`.
    pub reports: usize,
    pub outlets: usize,
    pub origins: usize,
    pub opaque_origins: usize,
    /// Mentions that deny or negate the event, beside those that assert it.
    pub negated: usize,
    pub mentions: Vec<EventMention>,
    /// Slot-level disagreements between mentions, with both evidence spans.
    #[serde(default)]
    pub contradictions: Vec<Contradiction>,
    /// Admiralty grade of the event (reliability of its best origin, credibility of the
    /// information) with the reasons.
    pub grade: Grade,
    /// Why the mentions were merged.
    pub why: String,
}

/// Words of an anonymous descriptor that say nothing about whose sources they are.
static GENERIC: std::sync::LazyLock<BTreeSet<&'static str>> = std::sync::LazyLock::new(|| {
    include_str!("../data/anonymous_generic.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// The identity of an anonymous group's descriptor: its words without the generic ones and
/// without the relaying outlet's name ("Meduza's Kremlin sources" via Meduza → "kremlin"); the
/// whole descriptor when nothing is left.
fn group_key(descriptor: &str, via: &str) -> String {
    let via = norm(via);
    let outlet: BTreeSet<&str> = via.split(' ').collect();
    let words: Vec<String> = norm(&descriptor.replace(['’', '\''], " "))
        .split(' ')
        .filter(|w| !w.is_empty() && *w != "s" && !GENERIC.contains(w) && !outlet.contains(w))
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        norm(descriptor)
    } else {
        words.join(" ")
    }
}

fn norm(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "the")
        .collect::<Vec<_>>()
        .join(" ")
}

/// Codes that say who acted. A code of unknown country (`---GOV`) still counts: mentions are
/// only compared within one story, where an unnamed government is the story's.
fn specific(code: &str) -> bool {
    !code.is_empty()
}

/// The day of a TIMEX3 value, when it names one.
fn day_of(t: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()
}

/// A cluster of mentions being merged.
#[derive(Default)]
struct Cluster {
    /// Mention keys, for the user's splits.
    keys: Vec<String>,
    actors: BTreeSet<String>,
    recipients: BTreeSet<String>,
    days: BTreeSet<chrono::NaiveDate>,
    /// The most specific CAMEO code and the PLOVER mode told so far (a refusal to meet and a
    /// rejected agreement are both REJECT, but not one happening).
    cameo: Option<String>,
    mode: Option<String>,
    items: Vec<usize>,
}

impl Cluster {
    /// Whether a mention with these codes and day is the same happening as the cluster: its
    /// actors and recipients unify (each side shares a specific code, or one side is empty;
    /// for meetings and agreements the parties may be named either way round), at least one
    /// specific code is shared, and its day is within two days of the cluster's.
    fn accepts(&self, it: &Item, symmetric: bool) -> bool {
        let m = &it.mention;
        let kind_fits = cameo_compatible(self.cameo.as_deref(), it.cameo.as_deref())
            && match (&self.mode, &it.mode) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            };
        if !kind_fits {
            return false;
        }
        let a: BTreeSet<&String> = m.actors.iter().filter(|c| specific(c)).collect();
        let r: BTreeSet<&String> = m.recipients.iter().filter(|c| specific(c)).collect();
        let ca: BTreeSet<&String> = self.actors.iter().filter(|c| specific(c)).collect();
        let cr: BTreeSet<&String> = self.recipients.iter().filter(|c| specific(c)).collect();
        let unify = |x: &BTreeSet<&String>, y: &BTreeSet<&String>| {
            x.is_empty() || y.is_empty() || !x.is_disjoint(y)
        };
        let fits = if symmetric {
            let p: BTreeSet<&String> = a.union(&r).copied().collect();
            let cp: BTreeSet<&String> = ca.union(&cr).copied().collect();
            !p.is_disjoint(&cp)
        } else {
            unify(&a, &ca) && unify(&r, &cr) && (!a.is_disjoint(&ca) || !r.is_disjoint(&cr))
        };
        let day_fits = match m.time.as_deref().and_then(day_of) {
            Some(d) => self.days.iter().all(|x| (*x - d).num_days().abs() <= 2),
            None => true,
        };
        fits && day_fits
    }
}

/// A CAMEO code without its "not specified" digit: `190` (use conventional force, not
/// specified below) is the family `19`, while `193` (fight with small arms) stays itself.
fn cameo_family(code: &str) -> &str {
    let code = code.trim();
    if code.len() == 3 && code.ends_with('0') {
        &code[..2]
    } else {
        code
    }
}

/// Whether two CAMEO codes can name one happening: one is the other's family or the same
/// code (`12` and `125`, or `125` and `1251`, but not `125` and `127`). A missing code fits all.
fn cameo_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.map(cameo_family), b.map(cameo_family)) {
        (Some(x), Some(y)) => x.starts_with(y) || y.starts_with(x),
        _ => true,
    }
}

/// PLOVER types whose parties act together, so "A met B" and "B met A" are one event.
fn symmetric_type(t: &str) -> bool {
    matches!(
        t,
        "CONSULT" | "AGREE" | "COOPERATE" | "SUPPORT" | "MOBILIZE"
    )
}

/// A mention with its type, story, CAMEO code, and named actors and recipients.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Item {
    story: Option<usize>,
    ptype: String,
    mention: EventMention,
    cameo: Option<String>,
    /// PLOVER mode (e.g. `meet` for a refused meeting).
    #[serde(default)]
    mode: Option<String>,
    actors: Vec<(String, String)>,
    recipients: Vec<(String, String)>,
}

/// The event mentions of one analysed report (the story is filled in later; a report's own
/// voice is resolved to its earliest copy later).
fn event_items(r: &LinkedReport, a: &Analysis, text: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    {
        let Some(att) = &a.attribution else {
            return items;
        };
        for ce in &a.events {
            let e = &ce.event;
            let Some(ptype) = e.plover_type.clone() else {
                continue;
            };
            let claim = ce.claim_index.and_then(|c| att.claims.get(c));
            let chain: Vec<&dossier_attribution::Source> = claim
                .map(|c| c.chain.iter().filter_map(|&i| att.sources.get(i)).collect())
                .unwrap_or_else(|| att.sources.get(att.root.source).into_iter().collect());
            let deepest = chain.last().copied();
            let attributed = claim.is_some_and(|c| c.attribution.is_some());
            let (origin, kind, name, opaque, origin_domain) = match deepest {
                Some(src) if attributed => {
                    if src.opaque {
                        (
                            format!("opaque: {} via {}", src.name, r.outlet),
                            "opaque",
                            format!("{} (via {})", src.name, r.outlet),
                            true,
                            None,
                        )
                    } else if let Some(anon) = &src.anonymous {
                        // Whose sources they are: the outlet the descriptor names ("Meduza's
                        // sources"), else the source that relayed them in the chain (report →
                        // ISW → Meduza → "anonymous sources inside the Kremlin": Meduza), else
                        // the reporting outlet.
                        let via = anon
                            .conveyed_by
                            .clone()
                            .or_else(|| {
                                (chain.len() >= 3).then(|| chain[chain.len() - 2].name.clone())
                            })
                            .unwrap_or_else(|| r.outlet.clone());
                        (
                            format!(
                                "anonymous: {} via {}",
                                group_key(&anon.descriptor, &via),
                                norm(&via)
                            ),
                            "anonymous",
                            format!("{} (via {via})", src.name),
                            false,
                            None,
                        )
                    } else {
                        (
                            format!("source: {}", norm(&src.name)),
                            "source",
                            src.name.clone(),
                            false,
                            dossier_grade::domain_of_outlet(&src.name).map(str::to_string),
                        )
                    }
                }
                _ => match att.root.credits.first() {
                    Some(credit) => (
                        format!("credit: {}", norm(credit)),
                        "credit",
                        credit.clone(),
                        false,
                        dossier_grade::outlet_domain(credit),
                    ),
                    None => (
                        format!("report: {}", r.id),
                        "report",
                        r.outlet.clone(),
                        false,
                        r.domain.clone(),
                    ),
                },
            };
            let caveats: Vec<String> = chain
                .iter()
                .flat_map(|s| s.caveats.iter().map(|c| c.text.text.clone()))
                .collect();
            let hedged = claim.is_some_and(|c| {
                !matches!(
                    c.commitment,
                    dossier_attribution::Commitment::Asserted
                        | dossier_attribution::Commitment::Reported
                        | dossier_attribution::Commitment::Denied
                )
            });
            let sentence = a
                .sentences
                .iter()
                .find(|s| s.start <= e.trigger.start && e.trigger.end <= s.end);
            let time = sentence.and_then(|s| {
                a.times
                    .iter()
                    .find(|t| {
                        t.start >= s.start
                            && t.end <= s.end
                            && matches!(
                                t.kind,
                                dossier_time::TimexKind::Date | dossier_time::TimexKind::Time
                            )
                    })
                    .map(|t| t.value.clone())
            });
            let sentence_text = sentence
                .and_then(|s| text.get(s.start..s.end))
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            let codes = |v: &[dossier_events::Actor]| {
                let mut c: Vec<String> = v.iter().map(|x| x.code.clone()).collect();
                c.sort();
                c.dedup();
                c
            };
            let names = |v: &[dossier_events::Actor]| {
                v.iter()
                    .map(|x| (x.code.clone(), x.text.clone()))
                    .collect::<Vec<_>>()
            };
            items.push(Item {
                story: None,
                ptype,
                mention: EventMention {
                    report: r.id.clone(),
                    outlet: r.outlet.clone(),
                    claim: ce.claim_index.map(|c| format!("{}:c{c}", r.id)),
                    trigger: (e.trigger.start, e.trigger.end),
                    evidence: sentence.map(|s| (s.start, s.end)).unwrap_or_default(),
                    sentence: sentence_text,
                    chain: chain.iter().map(|s| s.name.clone()).collect(),
                    origin,
                    origin_kind: kind.to_string(),
                    origin_name: name,
                    opaque,
                    negated: e.negated,
                    hedged,
                    caveats,
                    actors: codes(&e.actors),
                    recipients: codes(&e.recipients),
                    place: e.location.as_ref().map(|p| p.text.clone()),
                    place_path: e.location.as_ref().and_then(|l| {
                        a.places
                            .iter()
                            .find(|p| p.start < l.span.end && l.span.start < p.end)
                            .map(|p| {
                                if p.feature.starts_with("PCL") {
                                    p.country.clone()
                                } else if p.feature == "ADM1" {
                                    format!("{}, {}", p.admin1, p.country)
                                } else {
                                    format!("{}, {}, {}", p.name, p.admin1, p.country)
                                }
                            })
                    }),
                    time,
                    published: r.published,
                    domain: r.domain.clone(),
                    origin_domain,
                    grade: None,
                },
                cameo: e.cameo.clone(),
                mode: e.mode.clone(),
                actors: names(&e.actors),
                recipients: names(&e.recipients),
            });
        }
    }
    items
}

/// Merge event mentions (with their stories set) into merged events.
fn merge_events(mut items: Vec<Item>, apart: &crate::split::Apart) -> Vec<MergedEvent> {
    // Earliest first, so each cluster grows from its first telling.
    items.sort_by(|x, y| {
        let (a, b) = (&x.mention, &y.mention);
        (a.published.is_none(), a.published, &a.report, a.trigger).cmp(&(
            b.published.is_none(),
            b.published,
            &b.report,
            b.trigger,
        ))
    });
    // Per (story, type): greedy clustering on unifying participants and days.
    let mut groups: BTreeMap<(Option<usize>, String), Vec<Cluster>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        let symmetric = symmetric_type(&it.ptype);
        let clusters = groups.entry((it.story, it.ptype.clone())).or_default();
        let m = &it.mention;
        let key = crate::split::mention_key(m);
        let k = match clusters
            .iter()
            .position(|c| c.accepts(it, symmetric) && apart.allows(&key, &c.keys))
        {
            Some(k) => k,
            None => {
                clusters.push(Cluster::default());
                clusters.len() - 1
            }
        };
        let c = &mut clusters[k];
        // The cluster is compared through its first telling's parties (a side it left empty is
        // taken from the first mention that names it), so it cannot drift by chaining.
        if c.actors.is_empty() {
            c.actors.extend(m.actors.iter().cloned());
        }
        if c.recipients.is_empty() {
            c.recipients.extend(m.recipients.iter().cloned());
        }
        if let Some(d) = m.time.as_deref().and_then(day_of) {
            c.days.insert(d);
        }
        if let Some(code) = it.cameo.as_deref()
            && c.cameo
                .as_deref()
                .is_none_or(|x| cameo_family(code).len() > cameo_family(x).len())
        {
            c.cameo = Some(code.to_string());
        }
        if c.mode.is_none() {
            c.mode.clone_from(&it.mode);
        }
        c.items.push(i);
        c.keys.push(key);
    }
    let mut out: Vec<MergedEvent> = Vec::new();
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    for ((story, ptype), clusters) in groups {
        for c in clusters {
            let ms: Vec<Item> = c.items.iter().filter_map(|&i| slots[i].take()).collect();
            let mut ev = merged(story, ptype.clone(), ms);
            for note in apart.notes(&c.keys) {
                ev.why.push_str("; kept apart by ");
                ev.why.push_str(&note);
            }
            out.push(ev);
        }
    }
    out.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then(b.reports.cmp(&a.reports))
            .then(a.id.cmp(&b.id))
    });
    out
}

/// One merged event from its mentions (earliest first).
fn merged(story: Option<usize>, ptype: String, ms: Vec<Item>) -> MergedEvent {
    let mut ms = ms;
    let statements: Vec<dossier_grade::Statement> =
        ms.iter().map(|m| statement(&m.mention)).collect();
    let contradictions = dossier_grade::contradictions(&statements);
    let ratings = &ratings().0;
    let grade = dossier_grade::grade(&statements, &contradictions, ratings);
    for (m, g) in ms
        .iter_mut()
        .zip(dossier_grade::grade_claims(&statements, ratings))
    {
        m.mention.grade = Some(g.into());
    }
    let reports: BTreeSet<&str> = ms.iter().map(|m| m.mention.report.as_str()).collect();
    let outlets: BTreeSet<&str> = ms.iter().map(|m| m.mention.outlet.as_str()).collect();
    let origins: BTreeSet<&str> = ms
        .iter()
        .filter(|m| !m.mention.opaque)
        .map(|m| m.mention.origin.as_str())
        .collect();
    let opaque: BTreeSet<&str> = ms
        .iter()
        .filter(|m| m.mention.opaque)
        .map(|m| m.mention.origin.as_str())
        .collect();
    let mut days: BTreeMap<String, usize> = BTreeMap::new();
    let mut places: BTreeMap<String, usize> = BTreeMap::new();
    for m in &ms {
        if let Some(t) = &m.mention.time
            && day_of(t).is_some()
        {
            *days.entry(t[..10].to_string()).or_default() += 1;
        }
        if let Some(p) = &m.mention.place {
            *places.entry(p.clone()).or_default() += 1;
        }
    }
    let most = |m: &BTreeMap<String, usize>| {
        m.iter()
            .max_by_key(|(d, n)| (**n, std::cmp::Reverse(*d)))
            .map(|(d, _)| d.clone())
    };
    let (time, time_from) = match most(&days) {
        Some(d) => (Some(d), "text".to_string()),
        None => (
            ms.iter()
                .filter_map(|m| m.mention.published)
                .min()
                .map(|d| d.format("%Y-%m-%d").to_string()),
            "publication".to_string(),
        ),
    };
    let dedup = |v: Vec<(String, String)>| {
        let mut seen = BTreeMap::new();
        for (c, n) in v {
            seen.entry(c).or_insert(n);
        }
        seen.into_iter().collect::<Vec<_>>()
    };
    let actors = dedup(ms.iter().flat_map(|m| m.actors.clone()).collect());
    let recipients = dedup(ms.iter().flat_map(|m| m.recipients.clone()).collect());
    let codes = |v: &[(String, String)]| {
        v.iter()
            .map(|a| a.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let why = format!(
        "{} mention(s) in story {} of type {ptype} whose actors [{}] and recipients [{}] unify{}",
        ms.len(),
        story
            .map(|s| s.to_string())
            .unwrap_or_else(|| "-".to_string()),
        codes(&actors),
        codes(&recipients),
        if days.len() > 1 {
            format!(
                " and whose days ({}) are within two days",
                days.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        } else {
            String::new()
        }
    );
    let first = &ms[0].mention;
    let id = format!(
        "ev{}",
        &dossier_core::short_hash(
            format!(
                "{}|{}|{}|{ptype}",
                first.report, first.trigger.0, first.trigger.1
            )
            .as_bytes()
        )[..12]
    );
    MergedEvent {
        id,
        story,
        cameo: ms.iter().find_map(|m| m.cameo.clone()),
        plover_type: ptype,
        actors,
        recipients,
        time,
        time_from,
        place: most(&places),
        reports: reports.len(),
        outlets: outlets.len(),
        origins: origins.len(),
        opaque_origins: opaque.len(),
        negated: ms.iter().filter(|m| m.mention.negated).count(),
        mentions: ms.into_iter().map(|m| m.mention).collect(),
        contradictions: contradictions.into_iter().map(Into::into).collect(),
        grade: grade.into(),
        why,
    }
}

/// The grading view of one mention.
fn statement(m: &EventMention) -> dossier_grade::Statement {
    use dossier_grade::OriginKind;
    let kind = match m.origin_kind.as_str() {
        "anonymous" => OriginKind::Anonymous,
        "opaque" => OriginKind::Opaque,
        "credit" => OriginKind::Wire,
        "source" => OriginKind::NamedSource,
        _ => OriginKind::Outlet,
    };
    // Only counts in the trigger's clause, near it, are the event's numbers.
    let numbers = dossier_grade::quantities_near(
        &m.sentence,
        dossier_grade::sentence_offsets(&m.sentence, m.evidence.0, m.trigger),
    );
    let mut participants: Vec<String> = m.actors.iter().chain(&m.recipients).cloned().collect();
    participants.sort();
    participants.dedup();
    dossier_grade::Statement {
        id: m
            .claim
            .clone()
            .unwrap_or_else(|| format!("{}:t{}", m.report, m.trigger.0)),
        report: m.report.clone(),
        outlet: m.outlet.clone(),
        domain: m.domain.clone(),
        origin: m.origin.clone(),
        origin_kind: kind,
        origin_label: Some(m.origin_name.clone()),
        origin_domain: m.origin_domain.clone(),
        negated: m.negated,
        hedged: m.hedged,
        caveats: m.caveats.clone(),
        participants,
        // Only a day (or finer) says when the event happened; a year or month in the sentence is
        // usually background ("since 1999").
        time: m.time.clone().filter(|t| day_of(t).is_some()),
        place: m.place_path.clone().or_else(|| m.place.clone()),
        numbers,
        evidence: dossier_grade::Evidence {
            report: m.report.clone(),
            span: m.evidence,
            text: m.sentence.clone(),
        },
    }
}

#[cfg(test)]
mod group_tests {
    use super::group_key;

    #[test]
    fn anonymous_groups_are_keyed_by_whose_sources_they_are() {
        let k = |d: &str| group_key(d, "Meduza");
        assert_eq!(k("anonymous sources inside the Kremlin"), "kremlin");
        assert_eq!(k("sources close to the Kremlin"), "kremlin");
        assert_eq!(k("Meduza’s Kremlin sources"), "kremlin");
        assert_eq!(
            k("two sources inside the presidential administration"),
            "presidential administration"
        );
        assert_ne!(
            k("sources in the Belarusian presidential office"),
            k("sources inside the Kremlin")
        );
        assert_eq!(k("sources"), "sources");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cameo_codes_fit_their_family_only() {
        assert!(cameo_compatible(Some("125"), Some("125")));
        assert!(cameo_compatible(Some("12"), Some("125")));
        assert!(cameo_compatible(Some("120"), Some("127")));
        assert!(cameo_compatible(Some("125"), Some("1251")));
        assert!(cameo_compatible(None, Some("127")));
        assert!(!cameo_compatible(Some("125"), Some("127")));
        assert!(!cameo_compatible(Some("193"), Some("195")));
        assert!(!cameo_compatible(Some("046"), Some("036")));
        assert_eq!(cameo_family("190"), "19");
        assert_eq!(cameo_family("193"), "193");
    }
}
