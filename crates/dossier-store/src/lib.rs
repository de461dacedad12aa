//! The store: one [`Store`] trait, implemented on SQLite (the default, one file) and later on
//! PostgreSQL. Writes are transactional: a report acknowledged as stored is durable, and a crash
//! never leaves half a report behind.

mod postgres;
mod sqlite;

pub use crate::postgres::PostgresStore;
pub use sqlite::SqliteStore;

use std::io::{Read, Write};

use chrono::{DateTime, FixedOffset, Utc};
use dossier_core::{Document, Origin, Report, ReportId};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] ::postgres::Error),
    #[error("cannot open store {path}: {reason}")]
    Open { path: String, reason: String },
    #[error(
        "store {path} was written by a newer dossier (schema {found}, this build knows {known})"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("corrupt record {0}: {1}")]
    Corrupt(String, String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A report with the raw bytes it was extracted from.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub report: Report,
    pub raw: Vec<u8>,
    /// [`dossier_core::RawReport::input_hash`] of what it was extracted from.
    pub input_hash: Option<String>,
}

/// What storing one report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PutOutcome {
    /// A report never seen before.
    Stored,
    /// A known report (same URL) with new content: stored as the next revision.
    Revised,
    /// The same content was already stored.
    Unchanged,
}

/// One stored revision of a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredReport {
    pub id: ReportId,
    pub revision: i64,
    pub revisions: i64,
    pub url: Option<String>,
    pub content_hash: String,
    pub ingested_at: DateTime<Utc>,
    pub origin: Origin,
    pub charset: Option<String>,
    pub fetched: Option<DateTime<FixedOffset>>,
    pub document: Document,
}

/// A line in a listing of reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    pub id: ReportId,
    pub revision: i64,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub outlet_domain: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub input: String,
    pub is_article: bool,
    pub language: Option<String>,
    pub chars: i64,
}

/// A report found by full-text search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    #[serde(flatten)]
    pub summary: ReportSummary,
    /// The matching passage, matches in [brackets].
    pub snippet: String,
    /// Higher is better.
    pub score: f64,
}

/// One claim of an analysis, as indexed for search. The store does not read analyses: whoever
/// stores one hands over its claims with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimText {
    /// The claim's id within its report (`c3`).
    pub claim: String,
    /// Byte offsets of the claim in the report's clean text.
    pub start: i64,
    pub end: i64,
    /// Asserted, reported, hedged, denied, ...
    pub commitment: String,
    pub text: String,
    /// The attribution chain from the report's own voice to the deepest source, as labels
    /// (`BNR → ISW → Meduza`), so a search for a source finds what it said.
    pub chain: String,
}

/// A claim found by full-text search, in the latest revision of its report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimHit {
    /// `REPORT:cN`, the id `dossier trace` takes.
    pub id: String,
    pub report: ReportSummary,
    #[serde(flatten)]
    pub claim: ClaimText,
    /// The matching passage of the claim's text, matches in [brackets].
    pub snippet: String,
    /// Higher is better.
    pub score: f64,
}

/// Counts over the whole store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    pub reports: i64,
    pub revisions: i64,
    pub outlets: i64,
    pub raw_bytes: i64,
}

/// Which reports to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub limit: Option<usize>,
    pub outlet: Option<String>,
}

/// The store behind every command. Implementations must make [`Store::put_reports`] atomic:
/// either the whole batch is durable when it returns `Ok`, or nothing of it is.
pub trait Store {
    /// Store a batch of reports in one transaction; one outcome per report, in order.
    fn put_reports(&mut self, batch: &[NewReport]) -> Result<Vec<PutOutcome>>;
    /// The latest revision of a report, or a given one.
    fn report(&self, id: &ReportId, revision: Option<i64>) -> Result<Option<StoredReport>>;
    /// Latest revisions of up to `limit` reports with ids after `after`, in id order, with
    /// their analysis JSON: for streaming every report (keyset pagination, no open cursor).
    fn reports_after(
        &self,
        after: Option<&ReportId>,
        limit: usize,
    ) -> Result<Vec<(StoredReport, Option<String>)>>;
    /// The raw input bytes of a revision, decompressed.
    fn raw(&self, id: &ReportId, revision: i64) -> Result<Option<Vec<u8>>>;
    /// Reports (latest revisions), newest publication first, undated last.
    fn list_reports(&self, query: &ListQuery) -> Result<Vec<ReportSummary>>;
    fn stats(&self) -> Result<StoreStats>;
    /// Which of these input hashes are already stored.
    fn known_inputs(&self, hashes: &[String]) -> Result<std::collections::HashSet<String>>;
    /// Reports (latest revisions) whose title or text contains every word of `query`, best
    /// first.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>>;
    /// Check the store's consistency: `"ok"`, or what is wrong. Thorough, so it may be slow.
    fn check(&self) -> Result<String>;
    /// A cheap round trip to the store (health checks).
    fn ping(&self) -> Result<()>;

    /// Claim up to `limit` latest revisions whose analysis is missing or from another analyser
    /// version, and whose claim is free or expired, for `lease_secs` seconds. Concurrent
    /// workers never receive the same revision while its lease runs.
    fn claim_for_analysis(
        &mut self,
        worker: &str,
        version: &str,
        limit: usize,
        lease_secs: i64,
    ) -> Result<Vec<Claimed>>;
    /// Store the analysis of a claimed revision, with its claims for search, and release the
    /// claim. Returns false, writing nothing, when the claim was lost (its lease expired and
    /// another worker took it). The report's searchable claims are replaced in the same
    /// transaction.
    fn put_analysis(
        &mut self,
        worker: &str,
        id: &ReportId,
        revision: i64,
        version: &str,
        analysis: &str,
        claims: &[ClaimText],
    ) -> Result<bool>;
    /// Claims (of the latest analysed revision of each report) whose text or attribution chain
    /// contains every word of `query`, best first.
    fn search_claims(&self, query: &str, limit: usize) -> Result<Vec<ClaimHit>>;
    /// The stored analysis of a revision: `(analyser version, JSON)`.
    fn analysis(&self, id: &ReportId, revision: i64) -> Result<Option<(String, String)>>;
    /// How many latest revisions still need analysis by this analyser version.
    fn pending_analysis(&self, version: &str) -> Result<i64>;

    /// Revisions in ingest order (`seq` greater than `after`), at most `limit`, each with its
    /// analysis when there is one. Superseded revisions are included, marked.
    fn revisions_by_seq(&self, after: i64, limit: usize) -> Result<Vec<Sequenced>>;
    /// The saved state of a cross-report stage, by name.
    fn link_state(&self, name: &str) -> Result<Option<LinkState>>;
    /// Generation and version of a saved state, without reading it.
    fn link_generation(&self, name: &str) -> Result<Option<(i64, String)>>;
    /// Save a cross-report stage's state if the saved generation is still `expected` (`None`:
    /// nothing saved yet); the new generation is one more. Returns false, writing nothing,
    /// when another process saved in between.
    fn put_link_state(
        &mut self,
        name: &str,
        expected: Option<i64>,
        version: &str,
        state: &[u8],
    ) -> Result<bool>;
    /// Try to take the lock of a cross-report stage for this connection, without waiting.
    /// The saved state is compare-and-set anyway ([`Store::put_link_state`]); the lock lets one
    /// worker fold while the others only analyse, instead of each folding in turn and reading
    /// back the others' states. On PostgreSQL it is a session-level advisory lock: a worker
    /// that dies, or loses its connection, frees it. Taking a lock already held by this store
    /// is granted again (and still needs one [`Store::unlock_link`]). The default grants it
    /// always (one process per store, as with SQLite).
    fn lock_link(&mut self, _name: &str) -> Result<bool> {
        Ok(true)
    }
    /// Free the lock taken by [`Store::lock_link`] (nothing when not held).
    fn unlock_link(&mut self, _name: &str) -> Result<()> {
        Ok(())
    }
}

/// A revision with its place in ingest order and its analysis.
#[derive(Debug, Clone)]
pub struct Sequenced {
    pub seq: i64,
    pub report: StoredReport,
    /// This is the report's latest revision.
    pub latest: bool,
    /// `(analyser version, JSON)`.
    pub analysis: Option<(String, String)>,
}

/// A cross-report stage's saved state (compressed by the store).
#[derive(Debug, Clone)]
pub struct LinkState {
    pub generation: i64,
    pub version: String,
    pub state: Vec<u8>,
}

/// A revision handed to a worker for analysis.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: ReportId,
    pub revision: i64,
    pub document: Document,
}

/// Seconds since the Unix epoch, the clock of leases in the SQLite store.
/// The words of a user's search, split on white space. Control characters are no words (and a
/// NUL ends SQLite's strings and is refused by PostgreSQL).
pub(crate) fn search_words(q: &str) -> Vec<String> {
    q.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect()
}

pub(crate) fn now_secs() -> i64 {
    Utc::now().timestamp()
}

/// Open a store from a path (SQLite) or a `postgres://` / `postgresql://` URL.
pub fn open(spec: &str) -> Result<Box<dyn Store + Send>> {
    if spec.starts_with("postgres://")
        || spec.starts_with("postgresql://")
        || spec.starts_with("host=")
    {
        Ok(Box::new(PostgresStore::open(spec)?))
    } else {
        Ok(Box::new(SqliteStore::open(std::path::Path::new(spec))?))
    }
}

/// A store's name fit for messages: a PostgreSQL password is hidden.
pub fn display_name(spec: &str) -> String {
    crate::postgres::redact(spec)
}

pub(crate) fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("writing to a Vec cannot fail");
    enc.finish().expect("writing to a Vec cannot fail")
}

pub(crate) fn decompress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// The column values of one revision row, the same for every backend.
pub(crate) struct RevisionValues {
    pub id: String,
    pub revision: i64,
    pub content_hash: String,
    pub ingested_at: String,
    pub input: String,
    pub format: &'static str,
    pub record: Option<i64>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub outlet_domain: Option<String>,
    pub published: Option<String>,
    pub fetched: Option<String>,
    pub language: Option<String>,
    pub is_article: bool,
    pub charset: Option<String>,
    pub document: String,
    pub raw_len: i64,
    pub input_hash: Option<String>,
}

pub(crate) fn revision_values(nr: &NewReport, revision: i64, now: &str) -> Result<RevisionValues> {
    let r = &nr.report;
    let m = &r.document.metadata;
    Ok(RevisionValues {
        id: r.id.to_string(),
        revision,
        content_hash: r.content_hash.0.clone(),
        ingested_at: now.to_string(),
        input: r.origin.input.clone(),
        format: r.origin.format.as_str(),
        record: r.origin.record.map(|n| n as i64),
        title: r.document.title().map(str::to_string),
        outlet: m.outlet.label().map(str::to_string),
        outlet_domain: m.outlet.domain.clone(),
        published: m.published.as_ref().map(|p| p.value.to_rfc3339()),
        fetched: r.fetched.map(|f| f.to_rfc3339()),
        language: m.language.as_ref().map(|l| l.value.clone()),
        is_article: r.document.is_article,
        charset: r.charset.clone(),
        document: serde_json::to_string(&r.document)
            .map_err(|e| StoreError::Corrupt(r.id.to_string(), e.to_string()))?,
        raw_len: nr.raw.len() as i64,
        input_hash: nr.input_hash.clone(),
    })
}

/// A revision as read back, before decoding, the same for every backend.
pub(crate) struct RevisionRow {
    pub revision: i64,
    pub latest: i64,
    pub url: Option<String>,
    pub content_hash: String,
    pub ingested_at: String,
    pub input: String,
    pub format: String,
    pub record: Option<i64>,
    pub charset: Option<String>,
    pub fetched: Option<String>,
    pub document: String,
}

impl RevisionRow {
    pub fn into_stored(self, id: &ReportId) -> Result<StoredReport> {
        let corrupt = |what: &str| StoreError::Corrupt(id.to_string(), what.to_string());
        let document: Document =
            serde_json::from_str(&self.document).map_err(|e| corrupt(&format!("document: {e}")))?;
        Ok(StoredReport {
            id: id.clone(),
            revision: self.revision,
            revisions: self.latest,
            url: self.url,
            content_hash: self.content_hash,
            ingested_at: DateTime::parse_from_rfc3339(&self.ingested_at)
                .map_err(|_| corrupt("ingested_at"))?
                .with_timezone(&Utc),
            origin: Origin {
                input: self.input,
                format: dossier_core::InputFormat::parse(&self.format)
                    .ok_or_else(|| corrupt("format"))?,
                record: self.record.map(|n| n as u64),
            },
            charset: self.charset,
            fetched: self
                .fetched
                .and_then(|f| DateTime::parse_from_rfc3339(&f).ok()),
            document,
        })
    }
}

/// The store's schema version this build writes: the number of migrations.
pub const SCHEMA_VERSION: i64 = sqlite::MIGRATIONS.len() as i64;

/// Store test suite, run on every backend.
#[cfg(test)]
pub(crate) mod suite {
    use super::*;
    use dossier_core::{BlockKind, ContentHash, InputFormat, Signal, Signalled};

    pub fn report(url: Option<&str>, title: &str, body: &str) -> NewReport {
        let mut d = Document::new();
        d.push_block(BlockKind::Title, 0, title);
        d.push_block(BlockKind::Paragraph, 0, body);
        d.metadata.title = Some(Signalled::new(title.to_string(), Signal::HtmlTitle));
        d.metadata.outlet.domain = Some("example.org".into());
        d.metadata.published = Some(Signalled::new(
            DateTime::parse_from_rfc3339("2025-06-14T10:00:00+03:00").unwrap(),
            Signal::MetaTag,
        ));
        let id = match url {
            Some(u) => ReportId::from_url(u),
            None => ReportId::from_text(&d.text),
        };
        NewReport {
            report: Report {
                id,
                url: url.map(str::to_string),
                content_hash: ContentHash::of(Some(title), body),
                origin: Origin {
                    input: "test.html".into(),
                    format: InputFormat::Html,
                    record: None,
                },
                fetched: None,
                charset: Some("utf-8 (valid)".into()),
                document: d,
            },
            raw: format!("<h1>{title}</h1><p>{body}</p>").into_bytes(),
            input_hash: Some(format!("h-{title}-{body}")),
        }
    }

    pub fn stores_revisions_and_dedupes(store: &mut dyn Store) {
        let a = report(Some("https://example.org/a"), "A", "first text");
        let out = store.put_reports(std::slice::from_ref(&a)).unwrap();
        assert_eq!(out, vec![PutOutcome::Stored]);
        // Same content again, even from another URL form: nothing new.
        let mut a2 = report(Some("http://www.example.org/a/"), "A", "first   text");
        a2.report.content_hash = ContentHash::of(Some("A"), "first   text");
        assert_eq!(
            store.put_reports(&[a2]).unwrap(),
            vec![PutOutcome::Unchanged]
        );
        // Changed page at the same URL: a new revision.
        let a3 = report(Some("https://example.org/a"), "A", "corrected text");
        assert_eq!(store.put_reports(&[a3]).unwrap(), vec![PutOutcome::Revised]);
        // Text-only identity.
        let b = report(None, "B", "no url here");
        let c = report(None, "B", "no url here");
        assert_eq!(
            store.put_reports(&[b, c]).unwrap(),
            vec![PutOutcome::Stored, PutOutcome::Unchanged]
        );
        let stats = store.stats().unwrap();
        assert_eq!((stats.reports, stats.revisions), (2, 3));

        let latest = store.report(&a.report.id, None).unwrap().unwrap();
        assert_eq!((latest.revision, latest.revisions), (2, 2));
        assert!(latest.document.text.contains("corrected"));
        let first = store.report(&a.report.id, Some(1)).unwrap().unwrap();
        assert!(first.document.text.contains("first text"));
        assert_eq!(store.raw(&a.report.id, 1).unwrap().unwrap(), a.raw);
        assert!(
            store
                .report(&ReportId("nope".into()), None)
                .unwrap()
                .is_none()
        );

        let known = store
            .known_inputs(&[
                "h-A-first text".into(),
                "h-B-no url here".into(),
                "h-X-y".into(),
            ])
            .unwrap();
        assert_eq!(known.len(), 2);
        assert!(!known.contains("h-X-y"));
        assert!(store.known_inputs(&[]).unwrap().is_empty());

        let hits = store.search("corrected", 10).unwrap();
        assert_eq!(hits.len(), 1, "search sees the latest revision only");
        assert!(hits[0].snippet.contains("corrected"), "{}", hits[0].snippet);
        assert!(store.search("first", 10).unwrap().is_empty());
        assert_eq!(store.search("no url", 10).unwrap().len(), 1);
        assert!(store.search("\"unbalanced OR (", 10).is_ok());
        assert!(store.search("   ", 10).unwrap().is_empty());

        let page1 = store.reports_after(None, 1).unwrap();
        assert_eq!(page1.len(), 1);
        let page2 = store.reports_after(Some(&page1[0].0.id), 10).unwrap();
        assert_eq!(page2.len(), 1);
        assert!(page2[0].0.id > page1[0].0.id);
        assert!(
            store
                .reports_after(Some(&page2[0].0.id), 10)
                .unwrap()
                .is_empty()
        );

        let list = store.list_reports(&ListQuery::default()).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].outlet_domain.as_deref(), Some("example.org"));
        let limited = store
            .list_reports(&ListQuery {
                limit: Some(1),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(limited.len(), 1);
    }

    /// Revisions come back in ingest order with their analyses; the cross-report state is
    /// saved by compare and set on its generation.
    pub fn orders_revisions_and_saves_link_state(store: &mut dyn Store) {
        let batch = vec![
            report(Some("https://ex.test/b"), "B", "second body text"),
            report(Some("https://ex.test/a"), "A", "first body text"),
        ];
        store.put_reports(&batch).unwrap();
        store
            .put_reports(&[report(Some("https://ex.test/c"), "C", "third body text")])
            .unwrap();
        // A new revision of B comes last; B's first revision is then superseded.
        store
            .put_reports(&[report(
                Some("https://ex.test/b"),
                "B",
                "second body, revised",
            )])
            .unwrap();
        let all = store.revisions_by_seq(0, 100).unwrap();
        let titles: Vec<(String, bool)> = all
            .iter()
            .map(|s| {
                let t = s.report.document.metadata.title.as_ref().unwrap();
                (format!("{}{}", t.value, s.report.revision), s.latest)
            })
            .collect();
        assert_eq!(
            titles,
            vec![
                ("B1".to_string(), false),
                ("A1".to_string(), true),
                ("C1".to_string(), true),
                ("B2".to_string(), true)
            ]
        );
        assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
        // Paging by seq resumes where it stopped.
        let rest = store.revisions_by_seq(all[1].seq, 100).unwrap();
        assert_eq!(rest.len(), 2);
        assert!(all.iter().all(|s| s.analysis.is_none()));
        let claimed = store.claim_for_analysis("w", "v1", 10, 60).unwrap();
        for c in &claimed {
            assert!(
                store
                    .put_analysis("w", &c.id, c.revision, "v1", "{}", &[])
                    .unwrap()
            );
        }
        let analysed = store.revisions_by_seq(0, 100).unwrap();
        assert_eq!(
            analysed.iter().filter(|s| s.analysis.is_some()).count(),
            claimed.len()
        );

        assert!(store.link_state("main").unwrap().is_none());
        assert!(
            store
                .put_link_state("main", None, "l1", b"state one")
                .unwrap()
        );
        // A second writer that also saw nothing loses.
        assert!(!store.put_link_state("main", None, "l1", b"other").unwrap());
        let st = store.link_state("main").unwrap().unwrap();
        assert_eq!((st.generation, st.version.as_str()), (1, "l1"));
        assert_eq!(
            store.link_generation("main").unwrap(),
            Some((1, "l1".to_string()))
        );
        assert_eq!(st.state, b"state one");
        assert!(
            !store
                .put_link_state("main", Some(7), "l1", b"stale")
                .unwrap()
        );
        assert!(
            store
                .put_link_state("main", Some(1), "l2", b"state two")
                .unwrap()
        );
        let st = store.link_state("main").unwrap().unwrap();
        assert_eq!((st.generation, st.state.as_slice()), (2, &b"state two"[..]));
        assert!(store.link_state("other").unwrap().is_none());
    }

    fn claim_text(n: usize, text: &str, chain: &str) -> ClaimText {
        ClaimText {
            claim: format!("c{n}"),
            start: (n * 10) as i64,
            end: (n * 10 + text.len()) as i64,
            commitment: "reported".into(),
            text: text.into(),
            chain: chain.into(),
        }
    }

    pub fn claims_are_searchable(store: &mut dyn Store) {
        let a = report(Some("https://example.org/talks"), "Talks", "the talks text");
        let b = report(Some("https://example.org/other"), "Other", "other text");
        store.put_reports(&[a.clone(), b.clone()]).unwrap();
        let got = store.claim_for_analysis("w", "v1", 10, 60).unwrap();
        assert_eq!(got.len(), 2);
        for c in &got {
            let claims = if c.id == a.report.id {
                vec![
                    claim_text(
                        0,
                        "The envoy met the rebel leader in Minsk",
                        "Outlet → Agency",
                    ),
                    claim_text(1, "Talks broke down on Sunday", "Outlet → officials"),
                ]
            } else {
                vec![claim_text(0, "Crops failed in the south", "Other Outlet")]
            };
            assert!(
                store
                    .put_analysis("w", &c.id, c.revision, "v1", "{}", &claims)
                    .unwrap()
            );
        }
        // Every word must match, in the text or in the chain; case is ignored.
        let hits = store.search_claims("envoy MINSK", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].report.id, a.report.id);
        assert_eq!(hits[0].claim.claim, "c0");
        assert_eq!(hits[0].id, format!("{}:c0", a.report.id));
        assert_eq!(hits[0].claim.chain, "Outlet → Agency");
        assert!(hits[0].snippet.contains('['), "{}", hits[0].snippet);
        let by_source = store.search_claims("officials talks", 10).unwrap();
        assert_eq!(by_source.len(), 1);
        assert_eq!(by_source[0].claim.claim, "c1");
        assert!(store.search_claims("envoy crops", 10).unwrap().is_empty());
        assert!(store.search_claims("  ", 10).unwrap().is_empty());
        // FTS syntax in a query is taken literally, never an error.
        store.search_claims("\"NEAR( minsk* OR", 10).unwrap();
        store
            .search_claims("\u{0}\u{1}\u{7f}\u{1b}[2J", 10)
            .unwrap();
        store.search("\u{0}\u{1}\u{7f}\u{1b}[2J minsk", 10).unwrap();

        // A new revision hides the old claims until it is analysed; its analysis replaces them.
        let a2 = report(
            Some("https://example.org/talks"),
            "Talks",
            "revised talks text",
        );
        store.put_reports(&[a2]).unwrap();
        assert!(store.search_claims("envoy", 10).unwrap().is_empty());
        let got = store.claim_for_analysis("w", "v1", 10, 60).unwrap();
        assert_eq!(got.len(), 1);
        let revised = vec![claim_text(0, "The envoy left Minsk", "Outlet")];
        assert!(
            store
                .put_analysis("w", &got[0].id, got[0].revision, "v1", "{}", &revised)
                .unwrap()
        );
        let hits = store.search_claims("envoy", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].claim.text, "The envoy left Minsk");
        assert_eq!(hits[0].report.revision, 2);
        // A lost claim writes nothing, claims included.
        let got = store.claim_for_analysis("w", "v2", 1, 60).unwrap();
        assert!(
            !store
                .put_analysis(
                    "intruder",
                    &got[0].id,
                    got[0].revision,
                    "v2",
                    "{}",
                    &revised
                )
                .unwrap()
        );
        assert_eq!(store.search_claims("envoy", 10).unwrap().len(), 1);
    }

    pub fn claims_are_exclusive_and_expire(store: &mut dyn Store) {
        let batch: Vec<NewReport> = (0..3)
            .map(|i| {
                report(
                    Some(&format!("https://example.org/{i}")),
                    "T",
                    &format!("text {i}"),
                )
            })
            .collect();
        store.put_reports(&batch).unwrap();
        assert_eq!(store.pending_analysis("v1").unwrap(), 3);
        let a = store.claim_for_analysis("w1", "v1", 2, 60).unwrap();
        assert_eq!(a.len(), 2);
        let b = store.claim_for_analysis("w2", "v1", 5, 60).unwrap();
        assert_eq!(b.len(), 1, "only the unclaimed revision is handed out");
        assert!(a.iter().all(|x| x.id != b[0].id));
        assert!(
            store
                .claim_for_analysis("w3", "v1", 5, 60)
                .unwrap()
                .is_empty()
        );

        assert!(
            store
                .put_analysis("w1", &a[0].id, a[0].revision, "v1", "{\"n\":1}", &[])
                .unwrap()
        );
        assert!(
            !store
                .put_analysis("w2", &a[1].id, a[1].revision, "v1", "{}", &[])
                .unwrap(),
            "not w2's claim"
        );
        assert_eq!(store.pending_analysis("v1").unwrap(), 2);
        assert_eq!(
            store.analysis(&a[0].id, a[0].revision).unwrap(),
            Some(("v1".to_string(), "{\"n\":1}".to_string()))
        );
        assert!(store.analysis(&a[1].id, a[1].revision).unwrap().is_none());

        // A claim whose lease ran out is taken by another worker; the first loses it.
        let c = store.claim_for_analysis("w4", "v1", 5, -10).unwrap();
        assert!(c.is_empty(), "w1's and w2's leases still run");
        let expired = store.claim_for_analysis("w5", "v2", 5, -10).unwrap();
        assert_eq!(
            expired.len(),
            1,
            "only the analysed revision is free for a new version"
        );
        let retaken = store.claim_for_analysis("w6", "v2", 5, 60).unwrap();
        assert_eq!(retaken.len(), 1, "an expired claim is free again");
        assert!(
            !store
                .put_analysis("w5", &expired[0].id, expired[0].revision, "v2", "{}", &[])
                .unwrap()
        );
        assert!(
            store
                .put_analysis("w6", &retaken[0].id, retaken[0].revision, "v2", "{}", &[])
                .unwrap()
        );
    }

    /// Four workers claim, analyse and store at once: every revision is stored exactly once.
    pub fn claim_concurrently(open: impl Fn() -> Box<dyn Store + Send> + Sync, total: usize) {
        let done = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for w in 0..4 {
                let open = &open;
                let done = &done;
                scope.spawn(move || {
                    let mut store = open();
                    let worker = format!("w{w}");
                    loop {
                        let claimed = store.claim_for_analysis(&worker, "v1", 7, 60).unwrap();
                        if claimed.is_empty() {
                            break;
                        }
                        for c in claimed {
                            if store
                                .put_analysis(&worker, &c.id, c.revision, "v1", "{}", &[])
                                .unwrap()
                            {
                                done.lock().unwrap().push(c.id.0.clone());
                            }
                        }
                    }
                });
            }
        });
        let mut done = done.into_inner().unwrap();
        let n = done.len();
        done.sort();
        done.dedup();
        assert_eq!(n, done.len(), "a revision was analysed twice");
        assert_eq!(n, total, "every revision analysed");
        assert_eq!(open().pending_analysis("v1").unwrap(), 0);
    }
}
