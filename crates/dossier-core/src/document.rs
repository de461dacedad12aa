//! What extraction makes of one page or text: clean text as typed blocks, and metadata with the
//! signal each field came from.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::Span;

/// The kind of a block of text. Boilerplate is labelled, not dropped: attribution reads editor's
/// notes and credit lines, and a user can always see what was set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// The article's headline.
    Title,
    /// A heading inside the article; see [`Block::level`].
    Heading,
    Paragraph,
    /// A block quotation.
    Quote,
    ListItem,
    /// A table cell row or preformatted block that belongs to the article.
    Table,
    /// A picture caption or credit.
    Caption,
    /// "By Jane Doe", "Jane Doe, Moscow correspondent".
    Byline,
    /// Dateline-only or date lines ("Published 23 June 2023").
    DateLine,
    /// "Jane Doe is a journalist who writes about ...".
    AuthorBio,
    /// "Editor's note: ...".
    EditorsNote,
    /// A source or credit line: "Source: BNR", "(Reuters)", "With AFP".
    SourceLine,
    /// Links to other articles: "Related", "Read more", teaser lists.
    RelatedLinks,
    /// "Previous Article / Next Article", menus, breadcrumbs.
    Navigation,
    /// Reader comments.
    Comments,
    /// "Leave a Comment", "Write a Comment" and the form around it.
    CommentForm,
    /// Cookie, subscription and newsletter banners, paywall notices.
    Banner,
    /// Share buttons and social links.
    Share,
    /// Anything else outside the article body (footers, legal lines).
    Other,
}

impl BlockKind {
    /// Body blocks are the ones later stages analyse as the report's own text.
    pub fn is_body(self) -> bool {
        matches!(
            self,
            BlockKind::Title
                | BlockKind::Heading
                | BlockKind::Paragraph
                | BlockKind::Quote
                | BlockKind::ListItem
                | BlockKind::Table
        )
    }

    /// Blocks that are not body but carry provenance the attribution stage reads.
    pub fn is_provenance(self) -> bool {
        matches!(
            self,
            BlockKind::Byline
                | BlockKind::EditorsNote
                | BlockKind::SourceLine
                | BlockKind::DateLine
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Title => "title",
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::Quote => "quote",
            BlockKind::ListItem => "list_item",
            BlockKind::Table => "table",
            BlockKind::Caption => "caption",
            BlockKind::Byline => "byline",
            BlockKind::DateLine => "date_line",
            BlockKind::AuthorBio => "author_bio",
            BlockKind::EditorsNote => "editors_note",
            BlockKind::SourceLine => "source_line",
            BlockKind::RelatedLinks => "related_links",
            BlockKind::Navigation => "navigation",
            BlockKind::Comments => "comments",
            BlockKind::CommentForm => "comment_form",
            BlockKind::Banner => "banner",
            BlockKind::Share => "share",
            BlockKind::Other => "other",
        }
    }
}

/// One block of the clean text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Byte offsets into [`Document::text`].
    pub span: Span,
    /// Heading level (1–6) for headings; 0 otherwise.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub level: u8,
}

fn is_zero(v: &u8) -> bool {
    *v == 0
}

/// Where a metadata value came from, so a wrong date can be traced to its cause.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    JsonLd,
    OpenGraph,
    MetaTag,
    TimeElement,
    Url,
    VisibleText,
    HtmlTitle,
    Heading,
    Feed,
    Warc,
    Jsonl,
    UserSupplied,
    Heuristic,
}

/// A value together with the signal it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signalled<T> {
    pub value: T,
    pub signal: Signal,
}

impl<T> Signalled<T> {
    pub fn new(value: T, signal: Signal) -> Self {
        Signalled { value, signal }
    }
}

/// The outlet that published a report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outlet {
    /// Human name, e.g. "24 News Globe" or a feed's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Registered domain without `www.`, e.g. "meduza.io".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

impl Outlet {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.domain.is_none()
    }

    /// The best display label: the name, else the domain.
    pub fn label(&self) -> Option<&str> {
        self.name.as_deref().or(self.domain.as_deref())
    }
}

/// Page metadata; every field says which signal it came from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Signalled<String>>,
    /// Personal authors, without "By", dates, job titles or the outlet glued on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Signalled<String>>,
    /// Agency and source credits: "Reuters", "AP", "BNR".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<Signalled<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Signalled<DateTime<FixedOffset>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<Signalled<DateTime<FixedOffset>>>,
    #[serde(default, skip_serializing_if = "Outlet::is_empty")]
    pub outlet: Outlet,
    /// ISO 639-1 code when known ("en").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Signalled<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_url: Option<Signalled<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<Signalled<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Signalled<String>>,
}

/// The result of extraction: clean text, its typed blocks, and metadata.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Document {
    /// The clean text: blocks joined with blank lines. All spans point into this.
    pub text: String,
    pub blocks: Vec<Block>,
    pub metadata: Metadata,
    /// False for front pages, login walls and other pages without an article.
    pub is_article: bool,
    /// Why the page was judged not to be an article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_article_reason: Option<String>,
}

impl Document {
    /// Start an empty document to which blocks are appended.
    pub fn new() -> Self {
        Document {
            is_article: true,
            ..Default::default()
        }
    }

    /// Append a block of the given kind, separated from the previous one by a blank line.
    /// Whitespace at the ends is trimmed; an empty block is ignored. Returns its span.
    pub fn push_block(&mut self, kind: BlockKind, level: u8, text: &str) -> Option<Span> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        let start = self.text.len();
        self.text.push_str(text);
        let span = Span::new(start, self.text.len());
        self.blocks.push(Block { kind, span, level });
        Some(span)
    }

    /// The text of a block.
    pub fn block_text(&self, block: &Block) -> &str {
        block.span.slice(&self.text).unwrap_or("")
    }

    /// The body text only (title, headings, paragraphs, quotes, lists), blocks separated by
    /// blank lines. Useful for scoring against extraction benchmarks.
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        for b in self
            .blocks
            .iter()
            .filter(|b| b.kind.is_body() && b.kind != BlockKind::Title)
        {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(self.block_text(b));
        }
        out
    }

    /// The title: metadata title, else the first title block.
    pub fn title(&self) -> Option<&str> {
        self.metadata
            .title
            .as_ref()
            .map(|t| t.value.as_str())
            .or_else(|| {
                self.blocks
                    .iter()
                    .find(|b| b.kind == BlockKind::Title)
                    .map(|b| self.block_text(b))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_block_keeps_offsets() {
        let mut d = Document::new();
        d.push_block(BlockKind::Title, 0, "  Headline ");
        d.push_block(BlockKind::Paragraph, 0, "");
        d.push_block(BlockKind::Paragraph, 0, "First paragraph.");
        d.push_block(BlockKind::SourceLine, 0, "Source: BNR");
        assert_eq!(d.blocks.len(), 3);
        assert_eq!(d.block_text(&d.blocks[0]), "Headline");
        assert_eq!(d.block_text(&d.blocks[1]), "First paragraph.");
        assert_eq!(d.body_text(), "First paragraph.");
        assert_eq!(d.title(), Some("Headline"));
    }
}
