//! Copies between reports: exact duplicates, near-duplicates and contained copies (MinHash over
//! word shingles in a banded LSH index, over the whole text and over windows of it, verified by
//! exact Jaccard and containment), rewrites (sentence alignment on shared names, numbers and rare
//! words) and revisions (same URL, different text). Each link points from the later report to the
//! earlier one, with the aligned spans as evidence and a score.
//!
//! Incremental: `add` touches only the buckets and postings of the new report's features, and
//! verifies a bounded number of candidates.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input::{DocInput, EntityKind};
use crate::text::{self, Span, TokenKind, hash64, mix64};

/// Tuning of the copy index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyConfig {
    /// Words per shingle.
    pub shingle: usize,
    /// LSH bands × rows = MinHash permutations.
    pub bands: usize,
    pub rows: usize,
    /// Window (in shingles) and stride for the windowed signatures that find a copy contained
    /// in a longer page.
    pub window: usize,
    pub stride: usize,
    /// Exact Jaccard over shingle sets at or above which a pair is a near-duplicate.
    pub near_dup_jaccard: f64,
    /// Share of the smaller report's shingles found in the other at or above which it is a
    /// contained copy.
    pub containment: f64,
    /// Fewest shared shingles for a contained copy.
    pub min_shared_shingles: usize,
    /// Sentence alignment: fewest aligned sentences and least coverage of the shorter report.
    pub rewrite_min_sentences: usize,
    pub rewrite_coverage: f64,
    /// Cosine (idf-weighted keys) at or above which two sentences align.
    pub align_cosine: f64,
    /// Candidates verified per report at most (LSH + rare-key postings together).
    pub max_candidates: usize,
    /// Keys found in more reports than this are not used to find rewrite candidates.
    pub max_key_df: usize,
    /// Postings read per report at most for rewrite candidates, rarest keys first (a
    /// report's rarest names and numbers find its sources; the commoner keys only add
    /// candidates that share nothing else): the work per report stops growing with the
    /// reports in the window.
    #[serde(default = "default_key_postings")]
    pub max_key_postings: usize,
    /// LSH bucket capacity (oldest entries leave first).
    pub bucket_cap: usize,
    /// Only reports published within this many days are rewrite candidates (when both dated).
    pub window_days: i64,
    /// A publication time later than `now` + this is a future date (ignored for direction).
    pub future_tolerance_hours: i64,
    /// Evidence spans per link at most.
    pub max_evidence: usize,
    /// Reports published more than this many days before the newest report seen so far are
    /// retired from the index (see [`CopyIndex`]): their shingles, sentences, buckets and
    /// postings are dropped, so memory and the work per report stay bounded by the flow of a
    /// time window instead of growing with the store. A retired report is still found as the
    /// source of an exact copy, and as a revision of its URL.
    pub retain_days: i64,
    /// The most recent reports are never retired, however old they are (an archive ingested
    /// newest first still finds the copies among its last reports).
    pub min_live: usize,
}

impl Default for CopyConfig {
    fn default() -> Self {
        CopyConfig {
            shingle: 3,
            bands: 32,
            rows: 4,
            window: 40,
            stride: 20,
            near_dup_jaccard: 0.5,
            containment: 0.6,
            min_shared_shingles: 12,
            rewrite_min_sentences: 2,
            rewrite_coverage: 0.5,
            align_cosine: 0.5,
            max_candidates: 60,
            max_key_df: 200,
            max_key_postings: 800,
            bucket_cap: 64,
            window_days: 7,
            future_tolerance_hours: 24,
            max_evidence: 8,
            retain_days: 30,
            min_live: 2000,
        }
    }
}

fn default_key_postings() -> usize {
    CopyConfig::default().max_key_postings
}

/// What kind of copy a link is, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CopyKind {
    /// Same normalised text.
    Exact,
    /// High shingle Jaccard.
    NearDuplicate,
    /// One report's text found (mostly) inside the other's.
    Contained,
    /// Sentences retold with the same names, numbers and rare words.
    Rewrite,
    /// Same URL, different text: a new version of one report.
    Revision,
}

/// How the direction of a link was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DirectionBasis {
    /// Both publication times known and different: the later derives from the earlier.
    Published,
    /// Times unknown, equal or untrusted: the report added first is taken as the source.
    IngestOrder,
}

/// One aligned piece of evidence: a span in the source report and the span in the derived
/// report that repeats it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlignedSpan {
    pub source: Span,
    pub derived: Span,
}

/// A copy link: `derived` (the later report) derives from `source` (the earlier one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopyLink {
    pub source: String,
    pub derived: String,
    pub kind: CopyKind,
    /// In [0, 1]: Jaccard (exact, near-dup), containment (contained) or coverage (rewrite).
    pub score: f64,
    pub jaccard: f64,
    /// Share of the smaller report's shingles found in the other.
    pub containment: f64,
    /// Share of the derived report's text covered by aligned sentences (rewrites).
    pub coverage: f64,
    pub basis: DirectionBasis,
    pub evidence: Vec<AlignedSpan>,
}

/// Something about an input worth telling the caller; the report is still indexed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CopyWarning {
    /// No words in the text: nothing to compare (only URL revisions are found).
    EmptyText { doc: String },
    /// Publication time after `now` (+ tolerance): direction falls back to ingest order.
    FutureDate {
        doc: String,
        published: DateTime<Utc>,
    },
    /// Another report has the same URL and a different text.
    SameUrlDifferentText {
        doc: String,
        other: String,
        url: String,
    },
    /// The same id was added twice; the second is indexed under a suffixed id.
    DuplicateId { doc: String, stored_as: String },
}

/// Counters of the last `add`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CopyStats {
    /// Candidate reports verified (exact set comparison or sentence alignment).
    pub comparisons: usize,
    pub lsh_candidates: usize,
    pub key_candidates: usize,
}

/// Stored compactly as `[hash, start, end]`.
/// In memory the offsets are 32-bit (16 bytes a shingle instead of 24; a report's clean text
/// is far below 4 GB: ingest caps inputs well under that).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "(u64, usize, usize)", into = "(u64, usize, usize)")]
struct Shingle {
    hash: u64,
    start: u32,
    end: u32,
}

impl Shingle {
    fn new(hash: u64, span: Span) -> Self {
        Shingle {
            hash,
            start: u32::try_from(span.start).unwrap_or(u32::MAX),
            end: u32::try_from(span.end).unwrap_or(u32::MAX),
        }
    }

    fn span(&self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }
}

impl From<(u64, usize, usize)> for Shingle {
    fn from((hash, start, end): (u64, usize, usize)) -> Self {
        Shingle::new(hash, Span::new(start, end))
    }
}

impl From<Shingle> for (u64, usize, usize) {
    fn from(s: Shingle) -> Self {
        (s.hash, s.start as usize, s.end as usize)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Sentence {
    span: Span,
    /// Keys (stemmed content words, numbers) with name flag.
    keys: Vec<(u64, bool)>,
    /// The numbers' keys alone (sorted): two sentences that both give numbers and share none
    /// tell different facts ("36 thousand" and "14 thousand" marched), however alike their words.
    #[serde(default)]
    numbers: Vec<u64>,
    /// Weekdays the sentence names (bit d for ISO weekday d): two sentences that both name
    /// days and share none tell of different days ("on Saturday" / "on Sunday").
    #[serde(default)]
    days: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DocRec {
    id: String,
    published: Option<DateTime<Utc>>,
    exact: [u8; 32],
    shingles: Vec<Shingle>,
    /// Sorted distinct shingle hashes (not stored: rebuilt from `shingles`).
    #[serde(skip)]
    set: Vec<u64>,
    sentences: Vec<Sentence>,
    chars: usize,
    /// The places the report names (lowercased, first named first), from the caller's
    /// mentions: a rewrite keeps where the happening took place.
    #[serde(default)]
    places: Vec<String>,
    /// When the report counts as seen for retirement: its publication time, or the index's
    /// clock when it was added (undated or future-dated reports).
    #[serde(default)]
    at: Option<DateTime<Utc>>,
    /// Retired (see [`CopyConfig::retain_days`]): only the id, dates and exact hash are kept.
    #[serde(default)]
    retired: bool,
}

/// The reports under one LSH bucket or key, in ingest order. Most keys hold one or two
/// reports: those stay inline, without an allocation of their own (serialized as a sequence,
/// like a `Vec`).
type Postings = smallvec::SmallVec<[u32; 3]>;

/// The incremental copy index.
///
/// Bounded by time: reports older than the window ([`CopyConfig::retain_days`] before the
/// newest publication time seen, beyond the [`CopyConfig::min_live`] most recent) are retired,
/// so its memory and the work per new report follow the flow of the window, not the size of
/// the store.
///
/// Serializable (serde): the id and exact-hash maps and the MinHash seeds are not stored; they
/// are rebuilt from the stored reports on the first `add` after loading (or by [`rebuild`]).
///
/// [`rebuild`]: CopyIndex::rebuild
#[derive(Serialize, Deserialize)]
pub struct CopyIndex {
    cfg: CopyConfig,
    now: Option<DateTime<Utc>>,
    docs: Vec<DocRec>,
    #[serde(skip)]
    ids: HashMap<String, usize>,
    #[serde(skip)]
    exact: HashMap<[u8; 32], usize>,
    urls: HashMap<String, Vec<usize>>,
    buckets: HashMap<u64, Postings>,
    /// Rare-key postings: key → reports containing it.
    postings: HashMap<u64, Postings>,
    #[serde(skip)]
    seeds: Vec<u64>,
    /// Publication time of each report in seconds (`i64::MIN`: undated), side by side for the
    /// window checks over long postings (not stored: rebuilt from `docs`).
    #[serde(skip)]
    times: Vec<i64>,
    /// The newest publication time seen (future dates aside): the index's clock.
    clock: Option<DateTime<Utc>>,
    /// Reports before this position are retired or empty; reports are retired in the order
    /// they were added.
    retire_from: usize,
    /// Reports indexed and not retired (empty ones included): the idf's document count.
    live: usize,
    stats: CopyStats,
    warnings: Vec<CopyWarning>,
    /// Derived maps are in step with `docs` (false right after deserializing).
    #[serde(skip)]
    ready: bool,
}

impl Default for CopyIndex {
    fn default() -> Self {
        Self::new(CopyConfig::default())
    }
}

impl CopyIndex {
    pub fn new(cfg: CopyConfig) -> Self {
        let seeds = Self::make_seeds(&cfg);
        CopyIndex {
            cfg,
            now: None,
            docs: Vec::new(),
            ids: HashMap::new(),
            exact: HashMap::new(),
            urls: HashMap::new(),
            buckets: HashMap::new(),
            postings: HashMap::new(),
            seeds,
            times: Vec::new(),
            clock: None,
            retire_from: 0,
            live: 0,
            stats: CopyStats::default(),
            warnings: Vec::new(),
            ready: true,
        }
    }

    fn make_seeds(cfg: &CopyConfig) -> Vec<u64> {
        let n = cfg.bands * cfg.rows;
        (0..n as u64)
            .map(|i| mix64(i.wrapping_add(0x9e37_79b9_7f4a_7c15)))
            .collect()
    }

    /// Rebuild the derived maps (ids, exact hashes, MinHash seeds) from the stored reports, as
    /// after deserializing. `add` does it by itself when needed; idempotent.
    pub fn rebuild(&mut self) {
        self.seeds = Self::make_seeds(&self.cfg);
        self.ids.clear();
        self.exact.clear();
        self.times = self.docs.iter().map(|d| seconds(d.published)).collect();
        for rec in &mut self.docs {
            rec.set = shingle_set(&rec.shingles);
        }
        for (idx, rec) in self.docs.iter().enumerate() {
            self.ids.insert(rec.id.clone(), idx);
            if rec.retired || !(rec.shingles.is_empty() && rec.sentences.is_empty()) {
                self.exact.entry(rec.exact).or_insert(idx);
            }
        }
        self.ready = true;
    }

    /// Fix "now" for the future-date check (default: the wall clock at each `add`).
    pub fn set_now(&mut self, now: DateTime<Utc>) {
        self.now = Some(now);
    }

    /// Reports indexed so far (retired ones included).
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Reports indexed and not retired: the ones a new report is compared with.
    pub fn live(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Counters of the last `add`.
    pub fn last_stats(&self) -> &CopyStats {
        &self.stats
    }

    /// Warnings collected since the last call (the inputs they name were still indexed).
    pub fn take_warnings(&mut self) -> Vec<CopyWarning> {
        std::mem::take(&mut self.warnings)
    }

    /// Index a report and return its copy links to reports already indexed.
    pub fn add(&mut self, doc: &DocInput) -> Vec<CopyLink> {
        if !self.ready {
            self.rebuild();
        }
        self.stats = CopyStats::default();
        let now = self.now.unwrap_or_else(Utc::now);
        let mut published = doc.published;
        if let Some(p) = published
            && p > now + Duration::hours(self.cfg.future_tolerance_hours)
        {
            self.warnings.push(CopyWarning::FutureDate {
                doc: doc.id.clone(),
                published: p,
            });
            published = None;
        }
        let mut id = doc.id.clone();
        if self.ids.contains_key(&id) {
            let mut k = 2;
            while self.ids.contains_key(&format!("{}#{k}", doc.id)) {
                k += 1;
            }
            id = format!("{}#{k}", doc.id);
            self.warnings.push(CopyWarning::DuplicateId {
                doc: doc.id.clone(),
                stored_as: id.clone(),
            });
        }

        let mut rec = self.analyse(&id, published, &doc.text);
        if let Some(p) = published {
            self.clock = Some(self.clock.map_or(p, |c| c.max(p)));
        }
        rec.at = published.or(self.clock);
        let mut places: Vec<_> = doc
            .mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Place)
            .collect();
        places.sort_by_key(|m| m.span.start);
        for m in places {
            let place = m
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            if !place.is_empty() && !rec.places.contains(&place) {
                rec.places.push(place);
            }
        }
        let idx = self.docs.len();
        let mut links = Vec::new();
        let empty = rec.shingles.is_empty() && rec.sentences.is_empty();
        if empty {
            self.warnings
                .push(CopyWarning::EmptyText { doc: id.clone() });
        }

        // Same URL: a revision when the text differs.
        if let Some(url) = doc.url.as_deref().filter(|u| !u.is_empty()) {
            if let Some(prev) = self.urls.get(url) {
                for &p in prev {
                    let other = &self.docs[p];
                    if other.exact != rec.exact {
                        self.warnings.push(CopyWarning::SameUrlDifferentText {
                            doc: id.clone(),
                            other: other.id.clone(),
                            url: url.to_string(),
                        });
                        let j = jaccard_sorted(&other.set, &rec.set);
                        links.push(self.link(p, &rec, CopyKind::Revision, j, j, 0.0, 0.0, vec![]));
                    }
                }
            }
            self.urls.entry(url.to_string()).or_default().push(idx);
        }

        let sigs = if empty {
            Vec::new()
        } else {
            self.signatures(&rec)
        };
        if !empty {
            links.extend(self.find_copies(&rec, &sigs));
        }

        // Index the new report.
        if !empty {
            self.exact.entry(rec.exact).or_insert(idx);
            for sig in &sigs {
                for key in self.band_keys(sig) {
                    let b = self.buckets.entry(key).or_default();
                    if b.last() != Some(&(idx as u32)) {
                        b.push(idx as u32);
                        if b.len() > self.cfg.bucket_cap {
                            b.remove(0);
                        }
                    }
                }
            }
            let mut keys: Vec<u64> = rec
                .sentences
                .iter()
                .flat_map(|s| s.keys.iter().map(|k| k.0))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                self.postings.entry(k).or_default().push(idx as u32);
            }
        }
        self.ids.insert(id, idx);
        self.times.push(seconds(rec.published));
        self.docs.push(rec);
        self.live += 1;
        self.retire();
        links.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then(b.score.total_cmp(&a.score))
                .then(a.source.cmp(&b.source))
        });
        links
    }

    /// Retire, in the order they were added, the reports published more than `retain_days`
    /// before the clock, keeping at least the `min_live` most recent. Each is retired once, so
    /// the work is bounded per report added.
    fn retire(&mut self) {
        let Some(clock) = self.clock else {
            // Nothing dated yet: no time to measure age by.
            return;
        };
        let cutoff = clock - Duration::days(self.cfg.retain_days.max(0));
        let keep_from = self.docs.len().saturating_sub(self.cfg.min_live);
        while self.retire_from < keep_from {
            let idx = self.retire_from;
            let rec = &self.docs[idx];
            let empty = rec.shingles.is_empty() && rec.sentences.is_empty();
            if !rec.retired && !empty {
                if rec.at.is_some_and(|t| t >= cutoff) {
                    break;
                }
                self.retire_one(idx);
            }
            self.retire_from += 1;
        }
    }

    /// Drop a report's shingles, sentences, buckets and postings; keep its id, dates and exact
    /// hash.
    fn retire_one(&mut self, idx: usize) {
        let rec = &self.docs[idx];
        let keys: HashSet<u64> = self
            .signatures(rec)
            .iter()
            .flat_map(|sig| self.band_keys(sig))
            .collect();
        let d = idx as u32;
        for key in keys {
            if let Some(b) = self.buckets.get_mut(&key) {
                b.retain(|x| *x != d);
                if b.is_empty() {
                    self.buckets.remove(&key);
                }
            }
        }
        let keys: HashSet<u64> = rec
            .sentences
            .iter()
            .flat_map(|s| s.keys.iter().map(|k| k.0))
            .collect();
        for key in keys {
            if let Some(p) = self.postings.get_mut(&key) {
                // Postings are in ingest order and reports retire oldest first: it is near the
                // front.
                if let Some(pos) = p.iter().position(|x| *x == d) {
                    p.remove(pos);
                }
                if p.is_empty() {
                    self.postings.remove(&key);
                }
            }
        }
        let rec = &mut self.docs[idx];
        rec.shingles = Vec::new();
        rec.set = Vec::new();
        rec.sentences = Vec::new();
        rec.places = Vec::new();
        rec.retired = true;
        self.live -= 1;
    }

    fn analyse(&self, id: &str, published: Option<DateTime<Utc>>, body: &str) -> DocRec {
        let toks = text::tokens(body);
        let mut norm = String::new();
        for t in &toks {
            norm.push_str(&t.norm);
            norm.push(' ');
        }
        let exact: [u8; 32] = Sha256::digest(norm.as_bytes()).into();
        let k = self.cfg.shingle.max(1);
        let mut shingles = Vec::new();
        if toks.len() >= k {
            for w in toks.windows(k) {
                let mut h = 0u64;
                for t in w {
                    h = mix64(h ^ hash64(t.norm.as_bytes()));
                }
                shingles.push(Shingle::new(
                    h,
                    Span::new(w[0].span.start, w[k - 1].span.end),
                ));
            }
        } else if !toks.is_empty() {
            let mut h = 0u64;
            for t in &toks {
                h = mix64(h ^ hash64(t.norm.as_bytes()));
            }
            shingles.push(Shingle::new(
                h,
                Span::new(toks[0].span.start, toks[toks.len() - 1].span.end),
            ));
        }
        let set = shingle_set(&shingles);

        let mut sentences = Vec::new();
        let mut ti = 0;
        for sp in text::sentences(body) {
            let mut keys = Vec::new();
            let mut number_keys: Vec<u64> = Vec::new();
            while ti < toks.len() && toks[ti].span.start < sp.start {
                ti += 1;
            }
            let mut first = true;
            let mut days = 0u8;
            while ti < toks.len() && toks[ti].span.end <= sp.end {
                let t = &toks[ti];
                ti += 1;
                let name = t.capitalised && !first;
                first = false;
                if let Some(d) = text::weekday(&t.norm) {
                    days |= 1 << d;
                }
                match t.kind {
                    TokenKind::Number => {
                        let k = hash64(t.norm.as_bytes()) ^ 1;
                        number_keys.push(k);
                        keys.push((k, true));
                    }
                    TokenKind::Word => {
                        if t.norm.chars().count() < 3 || text::is_stopword(&t.norm) {
                            continue;
                        }
                        keys.push((hash64(text::stem(&t.norm).as_bytes()), name));
                    }
                }
            }
            keys.sort_unstable();
            keys.dedup_by_key(|k| k.0);
            let mut numbers = number_keys;
            numbers.sort_unstable();
            numbers.dedup();
            if !keys.is_empty() {
                sentences.push(Sentence {
                    span: sp,
                    keys,
                    numbers,
                    days,
                });
            }
        }
        DocRec {
            id: id.to_string(),
            published,
            exact,
            shingles,
            set,
            sentences,
            chars: body.len(),
            places: Vec::new(),
            at: published,
            retired: false,
        }
    }

    /// MinHash signatures: the whole text, then windows of it (for long texts). One pass over
    /// the shingles; each shingle's permuted values update the whole-text signature and the (at
    /// most ⌈window/stride⌉) windows that hold it.
    fn signatures(&self, rec: &DocRec) -> Vec<Vec<u64>> {
        let n = rec.shingles.len();
        let perms = self.seeds.len();
        if n == 0 {
            return vec![];
        }
        let w = self.cfg.window.max(1);
        let stride = self.cfg.stride.max(1);
        let mut starts = Vec::new();
        if n > w {
            let mut a = 0;
            loop {
                starts.push(a);
                if a + w >= n {
                    break;
                }
                a += stride;
            }
        }
        let mut sigs = vec![vec![u64::MAX; perms]; 1 + starts.len()];
        let mut vals = vec![0u64; perms];
        let mut last_hash = None;
        for (i, sh) in rec.shingles.iter().enumerate() {
            if last_hash != Some(sh.hash) {
                for (v, seed) in vals.iter_mut().zip(&self.seeds) {
                    *v = mix64(sh.hash ^ seed);
                }
                last_hash = Some(sh.hash);
            }
            for (p, v) in sigs[0].iter_mut().zip(&vals) {
                *p = (*p).min(*v);
            }
            if starts.is_empty() {
                continue;
            }
            let mut k = (i / stride).min(starts.len() - 1);
            loop {
                if starts[k] <= i && i < starts[k] + w {
                    for (p, v) in sigs[k + 1].iter_mut().zip(&vals) {
                        *p = (*p).min(*v);
                    }
                } else if starts[k] + w <= i {
                    break;
                }
                if k == 0 {
                    break;
                }
                k -= 1;
            }
        }
        sigs
    }

    fn band_keys(&self, sig: &[u64]) -> Vec<u64> {
        sig.chunks(self.cfg.rows.max(1))
            .enumerate()
            .map(|(b, rows)| {
                let mut h = mix64(b as u64 + 1);
                for r in rows {
                    h = mix64(h ^ r);
                }
                h
            })
            .collect()
    }

    fn find_copies(&mut self, rec: &DocRec, sigs: &[Vec<u64>]) -> Vec<CopyLink> {
        let mut links = Vec::new();
        let mut done: HashSet<usize> = HashSet::new();
        // Exact duplicate.
        if let Some(&p) = self.exact.get(&rec.exact) {
            done.insert(p);
            self.stats.comparisons += 1;
            let ev = if self.docs[p].retired {
                // Its shingles are gone; the same text is the whole text.
                let (a, b) = (Span::new(0, self.docs[p].chars), Span::new(0, rec.chars));
                let (source, derived) = if self.new_is_derived(p, rec) {
                    (a, b)
                } else {
                    (b, a)
                };
                vec![AlignedSpan { source, derived }]
            } else {
                self.evidence(p, rec)
            };
            links.push(self.link(p, rec, CopyKind::Exact, 1.0, 1.0, 1.0, 1.0, ev));
        }
        // LSH candidates, counted by the number of bands they share.
        let mut lsh: HashMap<usize, usize> = HashMap::new();
        for sig in sigs {
            for key in self.band_keys(sig) {
                if let Some(b) = self.buckets.get(&key) {
                    for &d in b {
                        *lsh.entry(d as usize).or_default() += 1;
                    }
                }
            }
        }
        self.stats.lsh_candidates = lsh.len();
        let mut lsh: Vec<(usize, usize)> = lsh.into_iter().collect();
        lsh.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        // Half the budget is kept for rewrite candidates: in a large store many reports share a
        // few LSH bands with a new one, and they would otherwise take every comparison.
        let budget = self.cfg.max_candidates;
        let lsh_budget = (budget - budget / 2).saturating_sub(self.stats.comparisons);
        for &(p, _) in lsh.iter().take(lsh_budget) {
            if !done.insert(p) {
                continue;
            }
            self.stats.comparisons += 1;
            let other = &self.docs[p];
            if places_differ(&other.places, &rec.places) {
                // Alike words about another place: a template, not a copy (nor a rewrite).
                continue;
            }
            let shared = intersect_count(&other.set, &rec.set);
            let union = other.set.len() + rec.set.len() - shared;
            let j = if union == 0 {
                0.0
            } else {
                shared as f64 / union as f64
            };
            let small = other.set.len().min(rec.set.len()).max(1);
            let c = shared as f64 / small as f64;
            if j >= self.cfg.near_dup_jaccard {
                let ev = self.evidence(p, rec);
                links.push(self.link(p, rec, CopyKind::NearDuplicate, j, j, c, 0.0, ev));
            } else if c >= self.cfg.containment && shared >= self.cfg.min_shared_shingles.min(small)
            {
                let ev = self.evidence(p, rec);
                links.push(self.link(p, rec, CopyKind::Contained, c, j, c, 0.0, ev));
            } else {
                // Shares shingles but not enough: may still be a rewrite.
                done.remove(&p);
            }
        }
        // Rewrite candidates: reports sharing rare keys, weighted by idf.
        let n_docs = self.live.max(1) as f64;
        let mut keys: Vec<u64> = rec
            .sentences
            .iter()
            .flat_map(|s| s.keys.iter().map(|k| k.0))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        // Rarest first (fewest postings in the store; ties by key), within a budget of postings.
        let mut keys: Vec<(u64, &Postings)> = keys
            .into_iter()
            .filter_map(|k| Some((k, self.postings.get(&k)?)))
            .collect();
        keys.sort_unstable_by_key(|(k, post)| (post.len(), *k));
        let mut budget_left = self.cfg.max_key_postings.max(1);
        let mut score: HashMap<usize, (f64, usize)> = HashMap::new();
        // A key is rare or not among the reports of the time window, not of the whole store:
        // as the store grows every name passes any fixed count, and the rewrites of this week
        // would no longer be found. Postings are in ingest order, so the window is read from
        // the end, with bounded work per key.
        let cap = self.cfg.max_key_df;
        let mut recent: Vec<u32> = Vec::new();
        for (_, post) in &keys {
            if budget_left == 0 {
                break;
            }
            recent.clear();
            let mut outside = 0;
            for &d in post.iter().rev().take(cap.saturating_mul(4).max(1)) {
                if self.in_window(d as usize, rec) {
                    outside = 0;
                    recent.push(d);
                    if recent.len() > cap {
                        break;
                    }
                } else {
                    // Ingest order roughly follows time: a run of older reports ends the window.
                    outside += 1;
                    if outside >= 32 {
                        break;
                    }
                }
            }
            if recent.len() > cap {
                continue;
            }
            let idf = (n_docs / post.len() as f64).ln() + 1.0;
            budget_left = budget_left.saturating_sub(recent.len());
            for &d in &recent {
                let e = score.entry(d as usize).or_default();
                e.0 += idf;
                e.1 += 1;
            }
        }
        self.stats.key_candidates = score.len();
        let mut cands: Vec<(usize, f64)> = score
            .into_iter()
            .filter(|(d, (_, n))| *n >= 3 && !done.contains(d))
            .map(|(d, (s, _))| (d, s))
            .collect();
        cands.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        let left = budget.saturating_sub(self.stats.comparisons);
        for &(p, _) in cands.iter().take(left.min(budget / 2)) {
            self.stats.comparisons += 1;
            if let Some(link) = self.align(p, rec, n_docs) {
                links.push(link);
            }
        }
        links
    }

    /// Whether an indexed report is within the rewrite window of a new one (undated reports
    /// are in every window).
    fn in_window(&self, d: usize, rec: &DocRec) -> bool {
        let (a, b) = (self.times[d], seconds(rec.published));
        // Whole days apart at most `window_days` (as `num_days` counts them).
        a == i64::MIN
            || b == i64::MIN
            || a.abs_diff(b) < (self.cfg.window_days.max(0) as u64 + 1) * 86_400
    }

    fn idf(&self, key: u64, n_docs: f64) -> f64 {
        let df = self.postings.get(&key).map_or(0, |p| p.len()) as f64;
        ((n_docs + 1.0) / (df + 1.0)).ln() + 1.0
    }

    /// Sentence alignment between an indexed report and the new one.
    fn align(&self, p: usize, rec: &DocRec, n_docs: f64) -> Option<CopyLink> {
        let other = &self.docs[p];
        if places_differ(&other.places, &rec.places) {
            return None;
        }
        let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, s) in other.sentences.iter().enumerate() {
            for k in &s.keys {
                by_key.entry(k.0).or_default().push(i);
            }
        }
        let weight = |s: &Sentence| -> f64 { s.keys.iter().map(|k| self.idf(k.0, n_docs)).sum() };
        let other_w: Vec<f64> = other.sentences.iter().map(weight).collect();
        let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
        for (j, s) in rec.sentences.iter().enumerate() {
            let wj = weight(s);
            let mut shared: HashMap<usize, (f64, usize, bool)> = HashMap::new();
            for k in &s.keys {
                if let Some(is) = by_key.get(&k.0) {
                    let w = self.idf(k.0, n_docs);
                    for &i in is {
                        let e = shared.entry(i).or_default();
                        e.0 += w;
                        e.1 += 1;
                        e.2 |= k.1;
                    }
                }
            }
            let alike: Vec<(usize, f64)> = shared
                .into_iter()
                .filter(|(_, (_, n, anchor))| *n >= 3 && (*anchor || *n >= 5))
                .map(|(i, (w, _, _))| (i, w / (other_w[i] * wj).sqrt().max(1e-9)))
                .collect();
            // A sentence told alike but of another day is the same template filled in for
            // another happening (a march the next day): the reports are not one retold.
            if alike.iter().any(|&(i, cos)| {
                cos >= self.cfg.align_cosine && scene_differs(&other.sentences[i], s)
            }) {
                return None;
            }
            let best = alike
                .into_iter()
                .filter(|(i, _)| !numbers_differ(&other.sentences[*i].numbers, &s.numbers))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((i, cos)) = best
                && cos >= self.cfg.align_cosine
            {
                pairs.push((i, j, cos));
            }
        }
        // One source sentence per derived sentence is fine; keep each source sentence once
        // (best pair) so a repeated line does not count twice.
        pairs.sort_by(|a, b| b.2.total_cmp(&a.2));
        let mut used = HashSet::new();
        pairs.retain(|p| used.insert(p.0));
        pairs.sort_by_key(|p| p.1);
        if pairs.is_empty() {
            return None;
        }
        let cov_new: usize = pairs.iter().map(|p| rec.sentences[p.1].span.len()).sum();
        let cov_old: usize = pairs.iter().map(|p| other.sentences[p.0].span.len()).sum();
        let tot_new: usize = rec.sentences.iter().map(|s| s.span.len()).sum();
        let tot_old: usize = other.sentences.iter().map(|s| s.span.len()).sum();
        let cov_new = cov_new as f64 / tot_new.max(1) as f64;
        let cov_old = cov_old as f64 / tot_old.max(1) as f64;
        let coverage = cov_new.max(cov_old);
        let min_sent = self
            .cfg
            .rewrite_min_sentences
            .min(rec.sentences.len())
            .min(other.sentences.len())
            .max(1);
        if pairs.len() < min_sent || coverage < self.cfg.rewrite_coverage {
            return None;
        }
        let mean_cos = pairs.iter().map(|p| p.2).sum::<f64>() / pairs.len() as f64;
        let score = coverage.min(1.0) * mean_cos.min(1.0);
        let new_is_derived = self.new_is_derived(p, rec);
        let ev: Vec<AlignedSpan> = pairs
            .iter()
            .take(self.cfg.max_evidence)
            .map(|&(i, j, _)| {
                let (a, b) = (other.sentences[i].span, rec.sentences[j].span);
                if new_is_derived {
                    AlignedSpan {
                        source: a,
                        derived: b,
                    }
                } else {
                    AlignedSpan {
                        source: b,
                        derived: a,
                    }
                }
            })
            .collect();
        let j = jaccard_sorted(&other.set, &rec.set);
        let c = containment_sorted(&other.set, &rec.set);
        Some(self.link(p, rec, CopyKind::Rewrite, score, j, c, coverage, ev))
    }

    fn new_is_derived(&self, p: usize, rec: &DocRec) -> bool {
        match (self.docs[p].published, rec.published) {
            (Some(a), Some(b)) if a != b => b > a,
            _ => true,
        }
    }

    /// Aligned spans for a shingle-level copy: maximal runs of shared shingles in the derived
    /// text, each with the matching run in the source.
    fn evidence(&self, p: usize, rec: &DocRec) -> Vec<AlignedSpan> {
        let other = &self.docs[p];
        let new_is_derived = self.new_is_derived(p, rec);
        let (src, der) = if new_is_derived {
            (&other.shingles, &rec.shingles)
        } else {
            (&rec.shingles, &other.shingles)
        };
        let mut first_pos: HashMap<u64, usize> = HashMap::new();
        for (i, s) in src.iter().enumerate() {
            first_pos.entry(s.hash).or_insert(i);
        }
        let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new(); // der a..=b, src a..=b
        let mut cur: Option<(usize, usize, usize, usize)> = None;
        for (j, s) in der.iter().enumerate() {
            match first_pos.get(&s.hash) {
                Some(&i) => {
                    cur = match cur {
                        Some((a, b, sa, sb)) if b + 1 == j && i == sb + 1 => Some((a, j, sa, i)),
                        Some(run) => {
                            runs.push(run);
                            Some((j, j, i, i))
                        }
                        None => Some((j, j, i, i)),
                    };
                }
                None => {
                    if let Some(run) = cur.take() {
                        runs.push(run);
                    }
                }
            }
        }
        if let Some(run) = cur {
            runs.push(run);
        }
        runs.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
        runs.truncate(self.cfg.max_evidence);
        runs.sort_by_key(|r| r.0);
        runs.into_iter()
            .map(|(a, b, sa, sb)| AlignedSpan {
                source: Span::new(src[sa].start as usize, src[sb].end as usize),
                derived: Span::new(der[a].start as usize, der[b].end as usize),
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn link(
        &self,
        p: usize,
        rec: &DocRec,
        kind: CopyKind,
        score: f64,
        jaccard: f64,
        containment: f64,
        coverage: f64,
        evidence: Vec<AlignedSpan>,
    ) -> CopyLink {
        let other = &self.docs[p];
        let basis = match (other.published, rec.published) {
            (Some(a), Some(b)) if a != b => DirectionBasis::Published,
            _ => DirectionBasis::IngestOrder,
        };
        let (source, derived) = if self.new_is_derived(p, rec) {
            (other.id.clone(), rec.id.clone())
        } else {
            (rec.id.clone(), other.id.clone())
        };
        let r = |x: f64| (x * 1000.0).round() / 1000.0;
        let _ = rec.chars;
        CopyLink {
            source,
            derived,
            kind,
            score: r(score),
            jaccard: r(jaccard),
            containment: r(containment),
            coverage: r(coverage),
            basis,
            evidence,
        }
    }
}

/// A publication time in whole seconds, `i64::MIN` when unknown.
fn seconds(t: Option<DateTime<Utc>>) -> i64 {
    t.map_or(i64::MIN, |t| t.timestamp())
}

/// Two sentences that tell of different days: both name weekdays and share none. (Places
/// named per sentence were tried too: on the synthetic corpus they lost 5% of the rewrites,
/// whose retellings name a place by another name or its country, for little gain.)
fn scene_differs(a: &Sentence, b: &Sentence) -> bool {
    a.days != 0 && b.days != 0 && a.days & b.days == 0
}

/// Two sentences that both give numbers and share none.
fn numbers_differ(a: &[u64], b: &[u64]) -> bool {
    !a.is_empty() && !b.is_empty() && intersect_count(a, b) == 0
}

/// Whether two reports tell of different places: the first place each names is not named by
/// the other at all (a place matches one that contains it as whole words: "Rostov" and
/// "Rostov-on-Don"). A report without places fits any.
fn places_differ(a: &[String], b: &[String]) -> bool {
    let named = |p: &str, others: &[String]| {
        others
            .iter()
            .any(|o| o == p || contains_words(o, p) || contains_words(p, o))
    };
    match (a.first(), b.first()) {
        (Some(x), Some(y)) => !named(x, b) && !named(y, a),
        _ => false,
    }
}

/// `hay` holds `needle` starting and ending at word boundaries.
fn contains_words(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

fn intersect_count(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Sorted distinct hashes of shingles.
fn shingle_set(shingles: &[Shingle]) -> Vec<u64> {
    let mut set: Vec<u64> = shingles.iter().map(|s| s.hash).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// Jaccard of two sorted, deduplicated sets.
pub fn jaccard_sorted(a: &[u64], b: &[u64]) -> f64 {
    let s = intersect_count(a, b);
    let u = a.len() + b.len() - s;
    if u == 0 { 0.0 } else { s as f64 / u as f64 }
}

/// Share of the smaller set found in the other.
pub fn containment_sorted(a: &[u64], b: &[u64]) -> f64 {
    let s = intersect_count(a, b);
    let m = a.len().min(b.len());
    if m == 0 { 0.0 } else { s as f64 / m as f64 }
}

/// Word-shingle hashes of a text (k words each), in text order, with their spans. Exposed for
/// tests and callers that want the same shingling.
pub fn shingles(body: &str, k: usize) -> Vec<(u64, Span)> {
    let idx = CopyIndex::new(CopyConfig {
        shingle: k,
        ..CopyConfig::default()
    });
    idx.analyse("", None, body)
        .shingles
        .into_iter()
        .map(|s| (s.hash, s.span()))
        .collect()
}
