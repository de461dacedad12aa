//! Plain-text reports to typed blocks: one block per line, labelled by its wording
//! (`data/lines.tsv`), short unpunctuated lines between paragraphs as headings, and the teaser
//! titles after "Previous Article" / "Next Article" as related links.

use dossier_core::{BlockKind, Document, Signal, Signalled};

use crate::Hints;
use crate::classify::line_kind;

fn heading_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let last = line.chars().last().unwrap_or('.');
    (1..=12).contains(&words)
        && line.chars().count() <= 90
        && !matches!(
            last,
            '.' | '!' | '?' | ':' | ';' | ',' | '"' | '”' | '’' | '\'' | ')'
        )
        && line
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// Extract a plain-text report.
pub fn extract(text: &str, hints: &Hints) -> Document {
    let mut doc = Document::new();
    let lines: Vec<String> = text
        .lines()
        .map(dossier_core::text::collapse_whitespace)
        .filter(|l| !l.is_empty())
        .collect();
    let mut kinds: Vec<(BlockKind, u8)> = Vec::with_capacity(lines.len());
    let mut after_nav = false;
    for (i, line) in lines.iter().enumerate() {
        let labelled = line_kind(line);
        let next_is_prose = lines
            .get(i + 1)
            .is_some_and(|n| !heading_like(n) && line_kind(n).is_none());
        let kind = match labelled {
            Some(k) => {
                after_nav = k == BlockKind::Navigation;
                (k, 0)
            }
            None if after_nav && line.split_whitespace().count() <= 15 => {
                after_nav = false;
                (BlockKind::RelatedLinks, 0)
            }
            None if i == 0
                && heading_like(line)
                && hints.title.is_none_or(|t| t.trim() == line) =>
            {
                (BlockKind::Title, 0)
            }
            None if i > 0 && heading_like(line) && next_is_prose => (BlockKind::Heading, 2),
            None => (BlockKind::Paragraph, 0),
        };
        kinds.push(kind);
    }
    // A trailing bio after the source line may be written in the third person without the
    // usual job words; a bio is only ever near the end.
    if hints.title.is_some() && !kinds.iter().any(|k| k.0 == BlockKind::Title) {
        doc.push_block(BlockKind::Title, 0, hints.title.unwrap_or_default());
    }
    for (line, (kind, level)) in lines.iter().zip(&kinds) {
        doc.push_block(*kind, *level, line);
    }
    if let Some(t) = doc.blocks.iter().find(|b| b.kind == BlockKind::Title) {
        let t = doc.block_text(t).to_string();
        doc.metadata.title = Some(Signalled::new(
            t,
            if hints.title.is_some() {
                Signal::Feed
            } else {
                Signal::Heuristic
            },
        ));
    }
    for b in doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Byline)
        .map(|b| doc.block_text(b).to_string())
        .collect::<Vec<_>>()
    {
        crate::authors::add_people(&mut doc.metadata, &b, Signal::VisibleText);
    }
    crate::html::credits_from_blocks(&mut doc);
    // A date written in the first lines ("Statement of ..., 14 June 2025").
    if hints.published.is_none() {
        let latest = hints
            .fetched
            .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
        for b in doc.blocks.iter().take(3) {
            let t = doc.block_text(b);
            if t.chars().count() <= 160
                && let Some(d) = crate::dates::text_date(t).filter(|d| *d <= latest)
            {
                doc.metadata.published = Some(Signalled::new(d, Signal::VisibleText));
                break;
            }
        }
    }
    let body: usize = doc
        .blocks
        .iter()
        .filter(|b| b.kind.is_body())
        .map(|b| b.span.len())
        .sum();
    if body == 0 {
        doc.is_article = false;
        doc.not_article_reason = Some("no body text".into());
    }
    doc
}
