//! Extraction: HTML pages and plain text to the report's clean text as typed blocks, with
//! metadata and the signal each field came from.

use chrono::{DateTime, FixedOffset};
use dossier_core::{BlockKind, Document, RawPayload, RawReport, Signal, Signalled};

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
    let page = dom_query::Document::from(html);
    let mut doc = Document::new();
    let title = page
        .select("meta[property='og:title']")
        .attr("content")
        .map(|s| s.to_string())
        .filter(|s| !s.trim().is_empty())
        .or_else(|| Some(page.select("title").text().trim().to_string()).filter(|s| !s.is_empty()))
        .or_else(|| hints.title.map(str::to_string));
    if let Some(t) = &title {
        doc.push_block(BlockKind::Title, 0, t);
        doc.metadata.title = Some(Signalled::new(t.trim().to_string(), Signal::HtmlTitle));
    }
    for node in page
        .select("h1, h2, h3, h4, h5, h6, p, blockquote, li")
        .nodes()
    {
        let text = dossier_core::text::collapse_whitespace(&node.text());
        let name = node.node_name().map(|n| n.to_string()).unwrap_or_default();
        let (kind, level) = match name.as_str() {
            "p" => (BlockKind::Paragraph, 0),
            "blockquote" => (BlockKind::Quote, 0),
            "li" => (BlockKind::ListItem, 0),
            h => (BlockKind::Heading, h[1..].parse().unwrap_or(2)),
        };
        doc.push_block(kind, level, &text);
    }
    apply_hints(&mut doc, hints);
    doc
}

/// Extract a plain-text report: paragraphs separated by line breaks.
pub fn extract_text(text: &str, hints: &Hints) -> Document {
    let mut doc = Document::new();
    if let Some(t) = hints.title {
        doc.push_block(BlockKind::Title, 0, t);
    }
    for line in text.lines() {
        doc.push_block(
            BlockKind::Paragraph,
            0,
            &dossier_core::text::collapse_whitespace(line),
        );
    }
    apply_hints(&mut doc, hints);
    doc
}

fn apply_hints(doc: &mut Document, hints: &Hints) {
    let m = &mut doc.metadata;
    if m.title.is_none() {
        m.title = hints
            .title
            .map(|t| Signalled::new(t.to_string(), Signal::Feed));
    }
    if m.published.is_none() {
        m.published = hints.published.map(|d| Signalled::new(d, Signal::Feed));
    }
    if m.outlet.name.is_none() {
        m.outlet.name = hints.outlet.map(str::to_string);
    }
    if m.outlet.domain.is_none() {
        m.outlet.domain = hints
            .url
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_string())
            });
    }
    if m.authors.is_empty() {
        m.authors = hints
            .authors
            .iter()
            .map(|a| Signalled::new(a.clone(), Signal::Feed))
            .collect();
    }
}
