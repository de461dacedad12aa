//! Reports: what ingest reads (raw) and what extraction makes of it.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::{ContentHash, Document, ReportId};

/// The format an input was detected as (by content first, extension second).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    Html,
    Text,
    Warc,
    Rss,
    Atom,
    JsonFeed,
    Jsonl,
    /// A JSON array of report objects (as feed archivers write them).
    Json,
}

impl InputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Html => "html",
            InputFormat::Text => "text",
            InputFormat::Warc => "warc",
            InputFormat::Rss => "rss",
            InputFormat::Atom => "atom",
            InputFormat::JsonFeed => "json_feed",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Json => "json",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "html" => InputFormat::Html,
            "text" => InputFormat::Text,
            "warc" => InputFormat::Warc,
            "rss" => InputFormat::Rss,
            "atom" => InputFormat::Atom,
            "json_feed" => InputFormat::JsonFeed,
            "jsonl" => InputFormat::Jsonl,
            "json" => InputFormat::Json,
            _ => return None,
        })
    }
}

/// Where a report came from: the input's name and, inside containers, which record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The path as given (or `-` for stdin).
    pub input: String,
    pub format: InputFormat,
    /// Record number inside a WARC, feed or JSONL input (1-based), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.record {
            Some(n) => write!(f, "{}#{}", self.input, n),
            None => f.write_str(&self.input),
        }
    }
}

/// The payload of a raw report, already decoded to Unicode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "content")]
pub enum RawPayload {
    Html(String),
    Text(String),
}

/// A report as read from an input, before extraction. Container formats (WARC, feeds, JSONL)
/// supply hints (URL, title, date, outlet) that extraction uses when the page has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawReport {
    pub origin: Origin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<FixedOffset>>,
    /// When the input was fetched (WARC-Date), an upper bound for plausible dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The charset the bytes were decoded from, and how it was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    pub payload: RawPayload,
    /// The input bytes exactly as read (for a container: this record's bytes).
    #[serde(skip)]
    pub raw: Vec<u8>,
}

impl RawReport {
    /// A hash of everything ingest read for this report (the bytes and the container's hints),
    /// so an input already stored can be recognised before extraction.
    pub fn input_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(&self.raw);
        for part in [&self.url, &self.title, &self.outlet] {
            h.update([0xff]);
            h.update(part.as_deref().unwrap_or("").as_bytes());
        }
        h.update([0xff]);
        h.update(
            self.published
                .map(|p| p.to_rfc3339())
                .unwrap_or_default()
                .as_bytes(),
        );
        for a in &self.authors {
            h.update([0xfe]);
            h.update(a.as_bytes());
        }
        hex::encode(&h.finalize()[..16])
    }
}

/// A report after extraction, ready to be stored and analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub id: ReportId,
    /// The URL the report was found at, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub content_hash: ContentHash,
    pub origin: Origin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    pub document: Document,
}
