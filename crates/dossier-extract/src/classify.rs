//! Labels from data files: what a region is by its class, id or tag (`data/containers.tsv`),
//! and what a line of text is by its wording (`data/lines.tsv`).

use std::collections::HashMap;
use std::sync::LazyLock;

use dossier_core::BlockKind;
use regex::Regex;

/// What a region of the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// A content container (article, story body).
    Body,
    /// A non-body region, and the kind its text gets.
    Label(BlockKind),
}

pub fn kind_from_str(s: &str) -> Option<BlockKind> {
    Some(match s {
        "title" => BlockKind::Title,
        "heading" => BlockKind::Heading,
        "paragraph" => BlockKind::Paragraph,
        "quote" => BlockKind::Quote,
        "list_item" => BlockKind::ListItem,
        "table" => BlockKind::Table,
        "caption" => BlockKind::Caption,
        "byline" => BlockKind::Byline,
        "date_line" => BlockKind::DateLine,
        "author_bio" => BlockKind::AuthorBio,
        "editors_note" => BlockKind::EditorsNote,
        "source_line" => BlockKind::SourceLine,
        "related_links" => BlockKind::RelatedLinks,
        "navigation" => BlockKind::Navigation,
        "comments" => BlockKind::Comments,
        "comment_form" => BlockKind::CommentForm,
        "banner" => BlockKind::Banner,
        "share" => BlockKind::Share,
        "other" => BlockKind::Other,
        _ => return None,
    })
}

/// State words of `data/containers.tsv` (kind `state`).
static STATES: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("../data/containers.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter(|(_, k)| k.trim() == "state")
        .map(|(w, _)| w.to_ascii_lowercase())
        .collect()
});

static CONTAINERS: LazyLock<HashMap<String, Region>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for line in include_str!("../data/containers.tsv").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(word), Some(kind)) = (cols.next(), cols.next()) else {
            continue;
        };
        if kind == "state" {
            continue;
        }
        let region = if kind == "body" {
            Region::Body
        } else {
            match kind_from_str(kind) {
                Some(k) => Region::Label(k),
                None => panic!("data/containers.tsv: unknown kind {kind:?}"),
            }
        };
        m.insert(word.to_ascii_lowercase(), region);
    }
    m
});

/// The region an element marks by its tag, class and id. Tags `nav`, `footer`, `aside`, `form`
/// and `header` (outside an article) are regions of their own.
pub fn region(tag: &str, class: &str, id: &str, role: &str) -> Option<Region> {
    match role.to_ascii_lowercase().as_str() {
        "navigation" | "menubar" | "menu" => return Some(Region::Label(BlockKind::Navigation)),
        "contentinfo" => return Some(Region::Label(BlockKind::Other)),
        "complementary" => return Some(Region::Label(BlockKind::RelatedLinks)),
        "main" | "article" => return Some(Region::Body),
        _ => {}
    }
    // Class and id words, most specific first: a whole token, then its parts.
    let mut found: Option<Region> = None;
    for token in class.split_whitespace().chain(std::iter::once(id)) {
        let t = token.to_ascii_lowercase();
        if t.is_empty() || t.len() > 60 {
            continue;
        }
        if let Some(r) = CONTAINERS.get(&t) {
            // A labelled (boilerplate) token outweighs a body token on the same element.
            if matches!(r, Region::Label(_)) {
                return Some(*r);
            }
            found = Some(*r);
            continue;
        }
        // A state class ("has-sidebar", "with-comments", "no-ads") describes the layout
        // around the element, not the element itself.
        let mut parts = t.split(['-', '_']).filter(|p| !p.is_empty());
        let (first, last) = (parts.next(), parts.next_back());
        if last.is_some()
            && [first, last]
                .into_iter()
                .flatten()
                .any(|p| STATES.iter().any(|s| s == p))
        {
            continue;
        }
        // A layout class names the arrangement of a wrapper ("c-layout-sidebar-left",
        // "content-sidebar-wrap": the content and its sidebar), not a region of its own.
        let is_layout = t.split(['-', '_']).any(|p| p == "layout")
            || (t.split(['-', '_']).any(|p| p == "sidebar")
                && t.split(['-', '_']).any(|p| matches!(p, "content" | "main")));
        if is_layout {
            continue;
        }
        for part in t.split(['-', '_']) {
            if let Some(r) = CONTAINERS.get(part) {
                match r {
                    // Parts that are too generic on their own ("text", "main", "meta") only
                    // count as whole tokens.
                    Region::Body if matches!(part, "text" | "main") => {}
                    Region::Label(BlockKind::DateLine) | Region::Label(BlockKind::Caption) => {}
                    Region::Label(BlockKind::Byline) if part == "author" => {}
                    Region::Label(_) if matches!(part, "ad" | "more" | "header" | "widget") => {}
                    Region::Label(_) => return Some(*r),
                    Region::Body => found = found.or(Some(*r)),
                }
            }
        }
    }
    if found.is_some() {
        return found;
    }
    match tag {
        "nav" => Some(Region::Label(BlockKind::Navigation)),
        "footer" => Some(Region::Label(BlockKind::Other)),
        "aside" => Some(Region::Label(BlockKind::RelatedLinks)),
        "article" | "main" => Some(Region::Body),
        _ => None,
    }
}

struct LineRule {
    kind: BlockKind,
    max_chars: usize,
    re: Regex,
}

static LINES: LazyLock<Vec<LineRule>> = LazyLock::new(|| {
    let mut rules = Vec::new();
    for (n, line) in include_str!("../data/lines.tsv").lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let [kind, max, pattern] = cols[..] else {
            panic!("data/lines.tsv line {}: expected 3 columns", n + 1)
        };
        rules.push(LineRule {
            kind: kind_from_str(kind)
                .unwrap_or_else(|| panic!("data/lines.tsv: unknown kind {kind}")),
            max_chars: max.parse().expect("data/lines.tsv: max_chars is a number"),
            re: Regex::new(&format!("(?i){pattern}")).expect("data/lines.tsv: valid regex"),
        });
    }
    rules
});

/// The kind a block's wording marks it as, if any.
pub fn line_kind(text: &str) -> Option<BlockKind> {
    let t = text.trim();
    let chars = t.chars().count();
    LINES
        .iter()
        .find(|r| chars <= r.max_chars && r.re.is_match(t))
        .map(|r| r.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert_eq!(region("div", "article-body", "", ""), Some(Region::Body));
        assert_eq!(
            region("div", "share-buttons", "", ""),
            Some(Region::Label(BlockKind::Share))
        );
        assert_eq!(
            region("section", "related-posts widget", "", ""),
            Some(Region::Label(BlockKind::RelatedLinks))
        );
        assert_eq!(
            region("div", "", "comments", ""),
            Some(Region::Label(BlockKind::Comments))
        );
        assert_eq!(
            region("nav", "", "", ""),
            Some(Region::Label(BlockKind::Navigation))
        );
        assert_eq!(region("div", "post-header-wrapper", "", ""), None);
        assert_eq!(region("div", "c-layout-sidebar-left", "", ""), None);
        // Page builders wrap content in "widget" blocks; sidebars carry labels of their own.
        assert_eq!(region("section", "widget widget_posts_slot", "", ""), None);
        assert_eq!(region("div", "content-sidebar-wrap", "", ""), None);
        assert_eq!(
            region("div", "sidebar-left", "", ""),
            Some(Region::Label(BlockKind::RelatedLinks))
        );
        assert_eq!(
            region("div", "x", "", "navigation"),
            Some(Region::Label(BlockKind::Navigation))
        );
    }

    #[test]
    fn lines() {
        assert_eq!(
            line_kind("Editor’s note: Meduza is a Russian outlet."),
            Some(BlockKind::EditorsNote)
        );
        assert_eq!(line_kind("Editor's note: X."), Some(BlockKind::EditorsNote));
        assert_eq!(line_kind("Source: BNR"), Some(BlockKind::SourceLine));
        assert_eq!(line_kind("Previous Article"), Some(BlockKind::Navigation));
        assert_eq!(line_kind("Leave a Comment"), Some(BlockKind::CommentForm));
        assert_eq!(line_kind("Write a Comment"), Some(BlockKind::CommentForm));
        assert_eq!(line_kind("By Lena Marsh"), Some(BlockKind::Byline));
        assert_eq!(
            line_kind("By the end of the day, the column had stopped."),
            None
        );
        assert_eq!(
            line_kind(
                "Sharon Rock is an author and journalist who writes for 24 News Globe. She likes maps."
            ),
            Some(BlockKind::AuthorBio)
        );
        assert_eq!(line_kind("The source said the talks had failed."), None);
        assert_eq!(
            line_kind("Posted by admin on June 16, 2025"),
            Some(BlockKind::DateLine)
        );
    }
}
