//! Extraction: HTML pages and plain text to the report's clean text as typed blocks, with
//! metadata and the signal each field came from. Boilerplate is labelled, not dropped.
//!
//! Word lists live in `data/`: region class/id words (`containers.tsv`), line patterns
//! (`lines.tsv`) and news agencies (`agencies.txt`).

mod authors;
mod classify;
mod dates;
mod html;
mod meta;
mod mojibake;
mod prepass;
mod text;

use chrono::{DateTime, FixedOffset};
use dossier_core::{Document, RawPayload, RawReport, Signal, Signalled};

pub use classify::line_kind;
pub use dates::parse_date;

/// What the container around a page already says about it. Extraction prefers what the page
/// itself says, and falls back to these.
#[derive(Debug, Clone, Default)]
pub struct Hints<'a> {
    pub url: Option<&'a str>,
    pub title: Option<&'a str>,
    pub published: Option<DateTime<FixedOffset>>,
    /// When the page was fetched: no publication date may lie after it.
    pub fetched: Option<DateTime<FixedOffset>>,
    pub outlet: Option<&'a str>,
    pub authors: &'a [String],
}

impl<'a> Hints<'a> {
    pub fn from_raw(raw: &'a RawReport) -> Self {
        Hints {
            url: raw.url.as_deref(),
            title: raw.title.as_deref(),
            published: raw.published,
            fetched: raw.fetched,
            outlet: raw.outlet.as_deref(),
            authors: &raw.authors,
        }
    }
}

/// Extract a raw report's document, whatever its payload.
pub fn extract(raw: &RawReport) -> Document {
    let hints = Hints::from_raw(raw);
    match &raw.payload {
        RawPayload::Html(html) => extract_html(html, &hints),
        RawPayload::Text(text) => extract_text(text, &hints),
    }
}

/// Extract an HTML page.
pub fn extract_html(html: &str, hints: &Hints) -> Document {
    let html = prepass::cap_nesting(html);
    let html = mojibake::fix(&html);
    let mut doc = html::extract(&html, hints);
    apply_hints(&mut doc, hints);
    doc
}

/// Extract a plain-text report.
pub fn extract_text(text: &str, hints: &Hints) -> Document {
    let text = mojibake::fix(text);
    let mut doc = text::extract(&text, hints);
    apply_hints(&mut doc, hints);
    doc
}

/// Fill what the page did not say from the container's hints.
fn apply_hints(doc: &mut Document, hints: &Hints) {
    let m = &mut doc.metadata;
    if m.title.is_none() {
        m.title = hints
            .title
            .map(|t| Signalled::new(t.to_string(), Signal::Feed));
    }
    // The container's date (a feed's pubDate, a JSONL field) is what the publisher declared
    // for this item; it wins over a date guessed from visible text.
    if let Some(p) = hints.published
        && m.published
            .as_ref()
            .is_none_or(|d| d.signal == Signal::VisibleText || d.signal == Signal::Url)
    {
        m.published = Some(Signalled::new(p, Signal::Feed));
    }
    if m.outlet.name.is_none() {
        m.outlet.name = hints.outlet.map(str::to_string);
    }
    if m.outlet.domain.is_none() {
        m.outlet.domain = hints.url.and_then(meta::domain_of);
    }
    if m.authors.is_empty() {
        for a in hints.authors {
            authors::add_people(m, a, Signal::Feed);
        }
    }
}
