//! The store: one [`Store`] trait, implemented on SQLite (the default, one file) and later on
//! PostgreSQL. Writes are transactional: a report acknowledged as stored is durable, and a crash
//! never leaves half a report behind.

mod sqlite;

pub use sqlite::SqliteStore;

use chrono::{DateTime, FixedOffset, Utc};
use dossier_core::{Document, Origin, Report, ReportId};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
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
    /// The raw input bytes of a revision, decompressed.
    fn raw(&self, id: &ReportId, revision: i64) -> Result<Option<Vec<u8>>>;
    /// Reports (latest revisions), newest publication first, undated last.
    fn list_reports(&self, query: &ListQuery) -> Result<Vec<ReportSummary>>;
    fn stats(&self) -> Result<StoreStats>;
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
}
