//! HTML pages to typed blocks.
//!
//! 1. The page is flattened into leaf blocks in document order (iteratively, so any nesting
//!    depth is safe): block elements without block children, and runs of inline content between
//!    block children. Each block remembers its tag, its link density, the region its nearest
//!    labelled ancestor marks (`data/containers.tsv`), and its ancestors.
//! 2. The main container is the ancestor that holds the most paragraph text that is not links
//!    or boilerplate, discounting what else it holds.
//! 3. Blocks inside it are body (paragraph, heading, quote, list item) unless their wording or
//!    region says otherwise (byline, share line, editor's note, ...); blocks outside it are
//!    labelled by their region, or `other`. Nothing is dropped except empty blocks.

use std::collections::{HashMap, HashSet};

use dom_query::{Document as Dom, NodeId, NodeRef};
use dossier_core::{BlockKind, Document, Signal, Signalled};

use crate::Hints;
use crate::classify::{Region, line_kind, region};

const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "embed",
    "canvas", "video", "audio", "picture", "img", "input", "select", "option", "button",
    "textarea", "map",
];

const BLOCK_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "figcaption",
    "td",
    "th",
    "dd",
    "dt",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "ul",
    "ol",
    "dl",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "figure",
    "form",
    "fieldset",
    "address",
    "hr",
    "br",
    "caption",
    "details",
    "summary",
    "center",
    "body",
    "html",
];

pub(crate) fn is_block(tag: &str) -> bool {
    BLOCK_TAGS.contains(&tag)
}

/// A leaf block found on the page.
#[derive(Debug)]
struct Leaf {
    text: String,
    /// The tag that makes its kind: p, h2, li, blockquote, ... or "run" for inline content.
    tag: String,
    link_chars: usize,
    region: Option<Region>,
    /// How deep (index into `path`) the element that set `region` is.
    region_depth: usize,
    /// Ancestors from the root down (capped).
    path: Vec<NodeId>,
}

const MAX_PATH: usize = 256;
const MAX_NODES: usize = 2_000_000;

/// Tag name of an element.
fn tag_of(n: &NodeRef) -> String {
    n.node_name()
        .map(|t| t.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Text of an inline subtree (skipping scripts), and how much of it is inside links.
fn inline_text(nodes: &[NodeRef]) -> (String, usize) {
    let (text, links) = inline_text_with(nodes, true);
    // A run made only of link cards keeps them: it is a list of links, labelled later.
    if text.chars().count() < 20 {
        return inline_text_with(nodes, false);
    }
    (text, links)
}

/// Whether an inline element inside running text is a hover card or a link box ("Kristi Noem"
/// followed by a photo, her full name and three headlines): an element other than a link,
/// with a class, holding two or more links and almost nothing but link text.
fn is_inline_card(n: &NodeRef) -> bool {
    if !n.has_attr("class") && !n.has_attr("id") {
        return false;
    }
    let (mut chars, mut link_chars, mut anchors) = (0usize, 0usize, 0usize);
    let mut stack: Vec<(NodeRef, bool)> = vec![(*n, false)];
    let mut steps = 0;
    while let Some((x, in_link)) = stack.pop() {
        steps += 1;
        if steps > 400 {
            return false;
        }
        if x.is_text() {
            let c = x.text().trim().chars().count();
            chars += c;
            if in_link {
                link_chars += c;
            }
            continue;
        }
        if !x.is_element() {
            continue;
        }
        let is_a = x.node_name().is_some_and(|t| t.eq_ignore_ascii_case("a"));
        anchors += usize::from(is_a);
        for c in x.children() {
            stack.push((c, in_link || is_a));
        }
    }
    anchors >= 3 && chars >= 40 && link_chars * 10 >= chars * 9
}

fn inline_text_with(nodes: &[NodeRef], skip_cards: bool) -> (String, usize) {
    let mut out = String::new();
    let mut link_chars = 0;
    // (node, inside a link)
    let mut stack: Vec<(NodeRef, bool)> = nodes.iter().rev().map(|n| (*n, false)).collect();
    let mut steps = 0usize;
    while let Some((n, in_link)) = stack.pop() {
        steps += 1;
        if steps > MAX_NODES {
            break;
        }
        if n.is_text() {
            let t = n.text();
            if in_link {
                link_chars += t.trim().chars().count();
            }
            out.push_str(&t);
            continue;
        }
        if !n.is_element() {
            continue;
        }
        let tag = tag_of(&n);
        if SKIP.contains(&tag.as_str()) {
            continue;
        }
        if tag == "br" {
            out.push(' ');
            continue;
        }
        // The innermost card goes: "Kristi Noem" stays when the card is her link's sibling.
        if skip_cards
            && !in_link
            && tag != "a"
            && is_inline_card(&n)
            && !n
                .children()
                .iter()
                .any(|c| c.is_element() && !tag_of(c).eq("a") && is_inline_card(c))
        {
            out.push(' ');
            continue;
        }
        let link = in_link || tag == "a";
        let children = n.children();
        for c in children.into_iter().rev() {
            stack.push((c, link));
        }
    }
    (dossier_core::text::collapse_whitespace(&out), link_chars)
}

/// Elements whose subtree holds a block element (computed once, bottom-up, without
/// recursion): an inline or custom element wrapping paragraphs is a container, not a run.
fn block_holders(root: NodeRef) -> HashSet<NodeId> {
    let mut order = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if order.len() > MAX_NODES {
            break;
        }
        order.push(n);
        for c in n.children() {
            if c.is_element() && !SKIP.contains(&tag_of(&c).as_str()) {
                stack.push(c);
            }
        }
    }
    let mut holders = HashSet::new();
    // Children come after their parents in `order`: walk it backwards.
    for n in order.iter().rev() {
        if n.children().iter().any(|c| is_block_child(c, &holders)) {
            holders.insert(n.id);
        }
    }
    holders
}

/// Whether a child starts a block of its own.
fn is_block_child(c: &NodeRef, holders: &HashSet<NodeId>) -> bool {
    c.is_element() && {
        let t = tag_of(c);
        (is_block(&t) && t != "br") || holders.contains(&c.id)
    }
}

/// Flatten the page into leaf blocks.
fn leaves(dom: &Dom) -> Vec<Leaf> {
    let mut out = Vec::new();
    let root = dom.body().unwrap_or_else(|| dom.root());
    let holders = block_holders(root);
    // Work items: an element to visit, or an inline run to emit.
    enum Item<'a> {
        Visit(NodeRef<'a>, Option<Region>, usize, Vec<NodeId>, bool),
        Run(Vec<NodeRef<'a>>, Option<Region>, usize, Vec<NodeId>, bool),
    }
    // A leaf inside a link that wraps blocks (a teaser card as one `<a>`) is link text.
    fn linked(text: String, link_chars: usize, in_link: bool) -> (String, usize) {
        if in_link {
            let n = text.chars().count();
            (text, n)
        } else {
            (text, link_chars)
        }
    }
    let mut stack = vec![Item::Visit(root, None, 0, Vec::new(), false)];
    let mut steps = 0usize;
    while let Some(item) = stack.pop() {
        steps += 1;
        if steps > MAX_NODES {
            break;
        }
        match item {
            Item::Run(nodes, reg, reg_depth, path, in_link) => {
                let (text, link_chars) = inline_text(&nodes);
                let (text, link_chars) = linked(text, link_chars, in_link);
                if !text.is_empty() {
                    out.push(Leaf {
                        text,
                        tag: "run".into(),
                        link_chars,
                        region: reg,
                        region_depth: reg_depth,
                        path,
                    });
                }
            }
            Item::Visit(n, reg, reg_depth, path, in_link) => {
                let tag = tag_of(&n);
                if SKIP.contains(&tag.as_str()) {
                    continue;
                }
                let in_link = in_link || tag == "a";
                let class = n.attr("class").map(|c| c.to_string()).unwrap_or_default();
                let id = n.attr("id").map(|c| c.to_string()).unwrap_or_default();
                let role = n.attr("role").map(|c| c.to_string()).unwrap_or_default();
                // Streamed server rendering parks finished sections in `<div hidden
                // id="S:0">` until a script moves them into place: they are the page.
                let streamed = id
                    .strip_prefix("S:")
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_hexdigit()));
                let hidden = (n.has_attr("hidden") && !streamed)
                    || n.attr("aria-hidden").is_some_and(|v| &*v == "true")
                    || n.attr("style").is_some_and(|s| {
                        let s = s.replace(' ', "").to_ascii_lowercase();
                        s.contains("display:none") || s.contains("visibility:hidden")
                    });
                if hidden {
                    continue;
                }
                // Classes on <body> and <html> describe the whole page ("single-post",
                // "transparent-header", "has-comments"), never one region of it.
                let own = match (tag.as_str(), region(&tag, &class, &id, &role)) {
                    ("body" | "html", _) => None,
                    // An <article> classed as a newsletter issue or a promoted post is still
                    // an article, not a banner.
                    ("article", Some(Region::Label(BlockKind::Banner))) => Some(Region::Body),
                    (_, r) => r,
                };
                // A labelled region inside a labelled region keeps the inner label; the body
                // marker never overrides a label from outside (a "content" div in a footer).
                let (reg, reg_depth) = match (reg, own) {
                    (Some(Region::Label(_)), Some(Region::Body)) => (reg, reg_depth),
                    (_, Some(o)) => (Some(o), path.len()),
                    (r, None) => (r, reg_depth),
                };
                let mut path = path;
                if path.len() < MAX_PATH {
                    path.push(n.id);
                }
                if !holders.contains(&n.id) {
                    let (text, link_chars) = inline_text(std::slice::from_ref(&n));
                    let (text, link_chars) = linked(text, link_chars, in_link);
                    if !text.is_empty() {
                        out.push(Leaf {
                            text,
                            tag: if is_block(&tag) { tag } else { "run".into() },
                            link_chars,
                            region: reg,
                            region_depth: reg_depth,
                            path,
                        });
                    }
                    continue;
                }
                // Group children into block children and runs of inline content.
                let mut items: Vec<Item> = Vec::new();
                let mut run: Vec<NodeRef> = Vec::new();
                for c in n.children() {
                    if is_block_child(&c, &holders) {
                        if !run.is_empty() {
                            items.push(Item::Run(
                                std::mem::take(&mut run),
                                reg,
                                reg_depth,
                                path.clone(),
                                in_link,
                            ));
                        }
                        items.push(Item::Visit(c, reg, reg_depth, path.clone(), in_link));
                    } else if c.is_text() || c.is_element() {
                        run.push(c);
                    }
                }
                if !run.is_empty() {
                    items.push(Item::Run(run, reg, reg_depth, path.clone(), in_link));
                }
                stack.extend(items.into_iter().rev());
            }
        }
    }
    out
}

/// Teaser cards: three or more sibling elements of the same tag and class, each small, made of
/// several blocks (a headline and a summary, a date, a byline) and carrying link text. Article
/// paragraphs are single blocks; story cards in "more stories" lists are not. Returns, per leaf,
/// whether it lies inside a card.
fn teaser_cards(dom: &Dom, leaves: &[Leaf]) -> Vec<bool> {
    // Per element: leaves, characters, link characters, whether its first leaf is a link
    // (a headline), whether it holds a paragraph of prose.
    let mut agg: HashMap<NodeId, (usize, usize, usize, bool, bool)> = HashMap::new();
    for l in leaves {
        let chars = l.text.chars().count();
        let linked = l.link_chars * 10 >= chars * 8;
        let prose = l.tag == "p" && chars >= 100;
        for id in &l.path {
            let e = agg.entry(*id).or_default();
            if e.0 == 0 {
                e.3 = linked;
            }
            e.4 |= prose;
            e.0 += 1;
            e.1 += chars;
            e.2 += l.link_chars.min(chars);
        }
    }
    let is_card = |id: &NodeId| {
        agg.get(id)
            .is_some_and(|&(n, chars, links, headline, prose)| {
                n >= 2
                    && links > 0
                    && ((chars <= CARD_CHARS && links * 100 >= chars * CARD_LINK_PCT)
                    // A linked headline over a summary, a date and a byline (listicle
                    // entries hold paragraphs of prose instead).
                    || (headline && !prose && n >= 3 && chars <= 2 * CARD_CHARS))
            })
    };
    let mut cards: HashSet<NodeId> = HashSet::new();
    let mut parents: Vec<NodeId> = agg
        .iter()
        .filter(|(_, v)| v.0 >= 6)
        .map(|(id, _)| *id)
        .collect();
    parents.sort();
    for p in parents {
        let node = NodeRef::new(p, &dom.tree);
        let mut groups: HashMap<(String, String), Vec<NodeId>> = HashMap::new();
        for c in node.children() {
            if !c.is_element() || !agg.contains_key(&c.id) {
                continue;
            }
            let class = c.attr("class").map(|c| c.to_string()).unwrap_or_default();
            groups.entry((tag_of(&c), class)).or_default().push(c.id);
        }
        for members in groups.values() {
            if members.len() < 3 {
                continue;
            }
            let hits: Vec<NodeId> = members.iter().filter(|id| is_card(id)).copied().collect();
            if hits.len() >= 3 && hits.len() * 10 >= members.len() * 7 {
                cards.extend(hits);
            }
        }
    }
    leaves
        .iter()
        .map(|l| l.path.iter().any(|id| cards.contains(id)))
        .collect()
}

/// Largest text of a teaser card, and the share of it that must be link text (percent).
const CARD_CHARS: usize = 400;
const CARD_LINK_PCT: usize = 15;

fn is_paragraph_like(l: &Leaf) -> bool {
    matches!(
        l.tag.as_str(),
        "p" | "run" | "div" | "blockquote" | "pre" | "td" | "dd" | "section" | "article" | "li"
    )
}

/// Choose the main container: the ancestor with the best balance of good text in and other
/// text out. Returns `None` when the page has no paragraph text at all.
/// Also returns, per element, its good text without the discount for labelled regions (how
/// much of the article a labelled wrapper inside the container holds).
type Goods = HashMap<NodeId, f64>;

fn main_container(leaves: &[Leaf], cards: &[bool]) -> (Option<NodeId>, Goods, Goods) {
    let mut good: HashMap<NodeId, f64> = HashMap::new();
    let mut raw: HashMap<NodeId, f64> = HashMap::new();
    let main = main_container_in(leaves, cards, &mut good, &mut raw);
    (main, good, raw)
}

fn main_container_in(
    leaves: &[Leaf],
    cards: &[bool],
    good: &mut HashMap<NodeId, f64>,
    raw: &mut HashMap<NodeId, f64>,
) -> Option<NodeId> {
    let mut bad: HashMap<NodeId, f64> = HashMap::new();
    let mut body_bonus: HashMap<NodeId, bool> = HashMap::new();
    for (l, in_card) in leaves.iter().zip(cards) {
        let chars = l.text.chars().count() as f64;
        let link_density = l.link_chars as f64 / chars.max(1.0);
        // Text under a labelled region (a "related" or "sidebar" wrapper) may still be the
        // article when the label sits high up on a page wrapper: count it, discounted.
        let boiler = matches!(l.region, Some(Region::Label(_)));
        // Reader comments are never the article, however long the thread.
        let comments = matches!(
            l.region,
            Some(Region::Label(BlockKind::Comments | BlockKind::CommentForm))
        );
        let is_good = link_density < 0.4
            && !in_card
            && is_paragraph_like(l)
            && chars >= 30.0
            && line_kind(&l.text).is_none();
        // Sentence-like text counts more: punctuation is a strong signal of prose.
        let (weight, unlabelled) = if is_good {
            let w = chars * (1.0 + (l.text.matches([',', '.']).count() as f64).min(10.0) / 20.0);
            if comments {
                (w * 0.02, w * 0.02)
            } else if boiler {
                (w * 0.3, w)
            } else {
                (w, w)
            }
        } else {
            (0.0, 0.0)
        };
        for (depth, id) in l.path.iter().enumerate() {
            if is_good {
                *good.entry(*id).or_default() += weight;
                *raw.entry(*id).or_default() += unlabelled;
            } else {
                *bad.entry(*id).or_default() += chars;
            }
            let _ = depth;
        }
        if matches!(l.region, Some(Region::Body))
            && let Some(last) = l.path.last()
        {
            body_bonus.insert(*last, true);
        }
    }
    let total_good: f64 = good.values().cloned().fold(0.0, f64::max);
    if total_good <= 0.0 {
        return None;
    }
    let scored: HashMap<NodeId, f64> = good
        .iter()
        .map(|(id, g)| (*id, g - 0.6 * bad.get(id).copied().unwrap_or(0.0)))
        .collect();
    let (best, best_score) = scored
        .iter()
        .filter(|(_, s)| **s > 0.0)
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(id, s)| (*id, *s))?;
    // Prefer a tighter container inside the best one when it keeps most of the good text:
    // teaser lists and "more stories" inside an article wrapper stay out.
    let keep = CORE_SHARE * good[&best];
    let mut core = best;
    let mut core_depth = 0usize;
    for l in leaves {
        if let Some(pos) = l.path.iter().position(|id| *id == best) {
            for (d, id) in l.path.iter().enumerate().skip(pos + 1) {
                if d > core_depth
                    && good.get(id).copied().unwrap_or(0.0) >= keep
                    && scored.get(id).copied().unwrap_or(0.0) >= CORE_SHARE * best_score
                {
                    core = *id;
                    core_depth = d;
                }
            }
        }
    }
    Some(core)
}

/// How much of the best container's good text a tighter container inside it must keep.
const CORE_SHARE: f64 = 0.8;

fn base_kind(tag: &str) -> (BlockKind, u8) {
    match tag {
        "h1" => (BlockKind::Heading, 1),
        "h2" => (BlockKind::Heading, 2),
        "h3" => (BlockKind::Heading, 3),
        "h4" => (BlockKind::Heading, 4),
        "h5" => (BlockKind::Heading, 5),
        "h6" => (BlockKind::Heading, 6),
        "li" | "dd" | "dt" => (BlockKind::ListItem, 0),
        "blockquote" => (BlockKind::Quote, 0),
        "pre" | "td" | "th" => (BlockKind::Table, 0),
        "figcaption" | "caption" => (BlockKind::Caption, 0),
        _ => (BlockKind::Paragraph, 0),
    }
}

/// Extract an HTML page.
pub fn extract(html: &str, hints: &Hints) -> Document {
    let dom = Dom::from(html);
    let ld = crate::meta::json_ld(&dom);
    let mut doc = Document::new();
    doc.metadata = crate::meta::metadata(&dom, &ld, hints.url, hints.fetched);
    let leaves = leaves(&dom);
    let cards = teaser_cards(&dom, &leaves);
    let (main, good, raw) = main_container(&leaves, &cards);
    // A list (or one item of it) is part of an article, never all of it: its wrapper is the
    // container (a winners list among the short paragraphs introducing it). Tables are left
    // alone: old pages lay out the whole page in them.
    let main = main.map(|m| {
        let mut n = NodeRef::new(m, &dom.tree);
        while matches!(tag_of(&n).as_str(), "ul" | "ol" | "dl" | "li" | "dd" | "dt")
            && let Some(p) = n.parent()
        {
            n = p;
        }
        n.id
    });
    let main_good = main.and_then(|m| good.get(&m).copied()).unwrap_or(0.0);
    let main_raw = main.and_then(|m| raw.get(&m).copied()).unwrap_or(0.0);
    if std::env::var_os("DOSSIER_DEBUG").is_some() {
        match main {
            Some(m) => {
                let n = NodeRef::new(m, &dom.tree);
                eprintln!(
                    "main: <{} class={:?} id={:?}>",
                    tag_of(&n),
                    n.attr("class"),
                    n.attr("id")
                );
                for a in n.ancestors(Some(12)) {
                    eprintln!(
                        "  in <{} class={:?} id={:?}>",
                        tag_of(&a),
                        a.attr("class"),
                        a.attr("id")
                    );
                }
            }
            None => eprintln!("main: none"),
        }
    }
    let debug_leaves = std::env::var("DOSSIER_DEBUG").is_ok_and(|v| v == "2");
    let title = doc.metadata.title.as_ref().map(|t| normalise(&t.value));
    let mut title_done = false;
    let mut body_chars = 0usize;
    let mut body_links = 0usize;
    let mut pending: Vec<(BlockKind, u8, String)> = Vec::new();
    // A label standing alone ("Written by", "By:") before a short name in the next block: both
    // are the byline, and the name is the author.
    let label_names = label_bylines(&leaves);
    let mut named: Vec<(usize, String)> = Vec::new();
    // The wrapper a "You may also like" heading opens: what follows it there is related links.
    let mut related_scope: Option<NodeId> = None;
    for (i, (l, in_card)) in leaves.iter().zip(&cards).enumerate() {
        if label_names[i] != LabelPart::None {
            if label_names[i] == LabelPart::Name {
                named.push((pending.len(), format!("By {}", l.text)));
            }
            pending.push((BlockKind::Byline, 0, l.text.clone()));
            continue;
        }
        let container_depth = main.and_then(|m| l.path.iter().position(|id| *id == m));
        let inside = container_depth.is_some();
        // A label set above the container (on a page wrapper) does not apply inside it.
        let region = match (l.region, container_depth) {
            (Some(Region::Label(_)), Some(d)) if l.region_depth <= d => None,
            // A "labelled" wrapper inside the container that holds most of its prose is a
            // layout wrapper (page-builder widgets, "story-more" bodies), not boilerplate.
            // Teaser and promotion words ("read-more", "widget", "newsletter-post") are
            // weighed by the wrapper's own prose, undiscounted: such a wrapper may hold the
            // rest of the story.
            (Some(Region::Label(k)), Some(_))
                if l.path.get(l.region_depth).is_some_and(|id| {
                    good.get(id).is_some_and(|g| *g >= 0.5 * main_good)
                        || (matches!(k, BlockKind::RelatedLinks | BlockKind::Banner)
                            && raw.get(id).is_some_and(|g| *g >= 0.5 * main_raw))
                }) =>
            {
                None
            }
            (r, _) => r,
        };
        let (mut kind, mut level) = base_kind(&l.tag);
        // A paragraph inside a quotation, caption or list item takes its wrapper's kind.
        if kind == BlockKind::Paragraph
            && let Some(w) = l.path.iter().rev().take(6).find_map(|id| {
                let t = tag_of(&NodeRef::new(*id, &dom.tree));
                matches!(t.as_str(), "blockquote" | "figcaption" | "li").then_some(t)
            })
        {
            kind = base_kind(&w).0;
        }
        let chars = l.text.chars().count();
        let link_density = l.link_chars as f64 / chars.max(1) as f64;
        if debug_leaves {
            let wrapper = l.path.get(l.region_depth).map(|id| {
                let n = NodeRef::new(*id, &dom.tree);
                format!("<{} {:?}>", tag_of(&n), n.attr("class").unwrap_or_default())
            });
            eprintln!(
                "leaf {i} {} inside={inside} card={in_card} region={:?}@{} {wrapper:?} links={link_density:.2}: {}",
                l.tag,
                region,
                l.region_depth,
                l.text.chars().take(60).collect::<String>()
            );
        }
        // A heading that repeats the title is the title, wherever it is.
        if !title_done
            && kind == BlockKind::Heading
            && title
                .as_deref()
                .is_some_and(|t| similar_title(t, &normalise(&l.text)))
        {
            pending.push((BlockKind::Title, 0, l.text.clone()));
            title_done = true;
            continue;
        }
        if let Some(k) = line_kind(&l.text) {
            kind = k;
            level = 0;
        } else if inside {
            if let Some(Region::Label(k)) = region {
                // A labelled region inside the article (a share bar, a byline box).
                kind = k;
                level = 0;
            } else if *in_card || (link_density > 0.6 && chars < 200 && kind != BlockKind::Heading)
            {
                kind = BlockKind::RelatedLinks;
                level = 0;
            }
        } else {
            kind = match region {
                Some(Region::Label(k)) => k,
                // Teaser cards ("more stories") outside the article are related links.
                _ if *in_card => BlockKind::RelatedLinks,
                _ if link_density > 0.5 => BlockKind::Navigation,
                _ => BlockKind::Other,
            };
            level = 0;
        }
        if let Some(scope) = related_scope
            && kind.is_body()
            && l.path.contains(&scope)
        {
            kind = BlockKind::RelatedLinks;
            level = 0;
        }
        // A heading such as "Related" or "Você pode gostar..." in a wrapper of its own (not
        // the article's container) opens a list of other articles.
        if inside
            && kind == BlockKind::RelatedLinks
            && matches!(l.tag.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
            && l.path.len() >= 2
            && Some(l.path[l.path.len() - 2]) != main
        {
            related_scope = Some(l.path[l.path.len() - 2]);
        }
        if kind.is_body() {
            body_chars += chars;
            body_links += l.link_chars;
        }
        pending.push((kind, level, l.text.clone()));
    }
    // A body that is only in JSON-LD (or much longer there).
    if let Some(ld_body) = ld.body.as_deref().map(str::trim).filter(|b| !b.is_empty())
        && ld_body.chars().count() > 2 * body_chars.max(100)
    {
        for p in pending.iter_mut() {
            if p.0.is_body() && p.0 != BlockKind::Title {
                p.0 = BlockKind::Other;
            }
        }
        let at = pending
            .iter()
            .position(|p| p.0 == BlockKind::Title)
            .map(|i| i + 1)
            .unwrap_or(0);
        let paras: Vec<(BlockKind, u8, String)> = ld_body
            .split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                (
                    BlockKind::Paragraph,
                    0,
                    dossier_core::text::collapse_whitespace(p),
                )
            })
            .collect();
        body_chars = paras.iter().map(|p| p.2.chars().count()).sum();
        body_links = 0;
        pending.splice(at..at, paras);
    }
    if !title_done && let Some(t) = doc.metadata.title.as_ref().map(|t| t.value.clone()) {
        doc.push_block(BlockKind::Title, 0, &t);
    }
    let mut bylines = Vec::new();
    for (i, (kind, level, text)) in pending.iter().enumerate() {
        if let Some((_, b)) = named.iter().find(|(j, _)| *j == i) {
            bylines.push(b.clone());
        } else if *kind == BlockKind::Byline {
            // A long text in a byline box is the author's bio, not a byline.
            if !crate::authors::is_label(text) && text.chars().count() <= 120 {
                bylines.push(text.clone());
            }
        } else if *kind == BlockKind::DateLine
            && let Some(i) = text.find(" by ").or_else(|| text.find(" By "))
        {
            // "Published August 7, 2023 by Nicole Burke".
            bylines.push(text[i + 1..].to_string());
        }
        doc.push_block(*kind, *level, text);
    }
    // The first bylines name the authors when the page's markup did not; later ones belong
    // to teasers and comments. Agency credits are taken from them either way.
    let declared = !doc.metadata.authors.is_empty();
    for b in bylines.iter().take(2) {
        if declared {
            for name in crate::authors::split_names(b) {
                if crate::authors::is_agency(&name)
                    && !doc
                        .metadata
                        .credits
                        .iter()
                        .any(|c| c.value.eq_ignore_ascii_case(&name))
                {
                    doc.metadata
                        .credits
                        .push(Signalled::new(name, Signal::VisibleText));
                }
            }
        } else {
            crate::authors::add_people(&mut doc.metadata, b, Signal::VisibleText);
        }
    }
    credits_from_blocks(&mut doc);
    // A date line at the top of the article outranks the first date-classed element of the
    // page (which may be a teaser's); markup (JSON-LD, meta, <time>, URL, page data) outranks
    // both.
    let weak = doc
        .metadata
        .published
        .as_ref()
        .map(|p| (p.clone(), doc.metadata.modified.clone()));
    if weak
        .as_ref()
        .is_none_or(|(p, _)| p.signal == Signal::VisibleText)
    {
        doc.metadata.published = None;
        date_from_blocks(&mut doc, hints);
        if doc.metadata.published.is_none()
            && let Some((p, m)) = weak
        {
            doc.metadata.published = Some(p);
            doc.metadata.modified = m;
        }
    }
    if body_chars < 250 {
        doc.is_article = false;
        doc.not_article_reason = Some(format!(
            "too little article text ({body_chars} characters): a front page, a listing, a login wall or an empty page"
        ));
    } else if body_links * 2 > body_chars {
        doc.is_article = false;
        doc.not_article_reason = Some("the text is mostly links: a listing or front page".into());
    }
    doc
}

/// A leaf's part in a byline split over two elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelPart {
    None,
    Label,
    Name,
}

/// Byline labels standing alone ("Written by", "By:") and the short name right after them.
fn label_bylines(leaves: &[Leaf]) -> Vec<LabelPart> {
    let mut out = vec![LabelPart::None; leaves.len()];
    for i in 0..leaves.len().saturating_sub(1) {
        let (l, next) = (&leaves[i], &leaves[i + 1]);
        if l.text.len() > 20 || !crate::authors::is_label(&l.text) {
            continue;
        }
        let n = next.text.trim();
        // Two to five words: a lone word after "Authors" is as often a menu heading.
        let is_name = n.chars().count() <= 100
            && (2..=5).contains(&n.split_whitespace().count())
            && line_kind(n).is_none()
            && crate::authors::split_names(&format!("By {n}"))
                .first()
                .is_some_and(|f| crate::authors::looks_like_person(f));
        if is_name {
            out[i] = LabelPart::Label;
            out[i + 1] = LabelPart::Name;
        }
    }
    out
}

fn normalise(s: &str) -> String {
    dossier_core::text::normalise_for_identity(s)
}

fn similar_title(title: &str, heading: &str) -> bool {
    let close = |title: &str, heading: &str| {
        title == heading
            || (heading.len() > 15 && (title.starts_with(heading) || heading.starts_with(title)))
    };
    // The title may have a space where the heading's parts were glued ("Demo" + "Der 9. Juli").
    !heading.is_empty()
        && (close(title, heading) || close(&title.replace(' ', ""), &heading.replace(' ', "")))
}

/// Agency credits in datelines ("KORVEL (CPA) -", "(Reuters) -") and source lines.
pub(crate) fn credits_from_blocks(doc: &mut Document) {
    let mut found = Vec::new();
    for b in &doc.blocks {
        let t = doc.block_text(b);
        if b.kind == BlockKind::SourceLine {
            let name = t
                .split_once([':', '-', '–', '—'])
                .map(|(_, n)| n)
                .unwrap_or(t)
                .trim()
                .trim_matches(|c| c == '(' || c == ')' || c == '.');
            if !name.is_empty() && name.len() < 80 {
                found.push(name.to_string());
            }
        } else if b.kind.is_body() {
            // A dateline credit at the start of the first paragraphs: "CITY (AGENCY) -".
            let head: String = t.chars().take(120).collect();
            if let (Some(o), Some(c)) = (head.find('('), head.find(')'))
                && o < c
                && (head[c..]
                    .trim_start_matches(')')
                    .trim_start()
                    .starts_with(['-', '–', '—']))
            {
                let name = &head[o + 1..c];
                if crate::authors::is_agency(name) {
                    found.push(name.to_string());
                }
            }
        }
    }
    for f in found {
        if !doc
            .metadata
            .credits
            .iter()
            .any(|c| c.value.eq_ignore_ascii_case(&f))
        {
            doc.metadata
                .credits
                .push(Signalled::new(f, Signal::VisibleText));
        }
    }
}

/// A publication date written in a date line or byline (an update-only line gives the
/// modified date when the page declares none).
pub(crate) fn date_from_blocks(doc: &mut Document, hints: &Hints) {
    let latest = hints
        .fetched
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    // Near the top of the article: up to the third body paragraph.
    let mut paragraphs = 0;
    let mut updated = None;
    let mut seen = 0;
    for b in doc.blocks.iter() {
        // Menus before the article do not count towards how far down a date line may be.
        if matches!(b.kind, BlockKind::Navigation | BlockKind::Banner) {
            continue;
        }
        seen += 1;
        if seen > 200 {
            break;
        }
        if b.kind == BlockKind::Paragraph {
            paragraphs += 1;
            if paragraphs > 3 {
                break;
            }
        }
        if !matches!(
            b.kind,
            BlockKind::DateLine
                | BlockKind::Byline
                | BlockKind::Paragraph
                | BlockKind::Title
                | BlockKind::Other
        ) {
            continue;
        }
        let t = doc.block_text(b);
        if t.chars().count() > 200 {
            continue;
        }
        // Page furniture after the article start (teaser dates, the footer's year) is not
        // the article's date line.
        if b.kind == BlockKind::Other && paragraphs > 0 {
            continue;
        }
        let (part, update_only) = published_part(t);
        if update_only {
            // "Updated May 9": the modified date.
            if updated.is_none() {
                updated = crate::dates::text_date(t).filter(|d| *d <= latest);
            }
            continue;
        }
        if let Some(d) = crate::dates::text_date(part).filter(|d| *d <= latest) {
            doc.metadata.published = Some(Signalled::new(d, Signal::VisibleText));
            return;
        }
    }
    // A date alone right after the byline ("Written by Jane Doe" | "April 8, 2024"), wherever
    // the byline stands.
    for w in doc.blocks.windows(2) {
        if w[0].kind != BlockKind::Byline
            || matches!(
                w[1].kind,
                BlockKind::RelatedLinks
                    | BlockKind::Comments
                    | BlockKind::CommentForm
                    | BlockKind::Navigation
            )
        {
            continue;
        }
        let t = doc.block_text(&w[1]);
        if t.chars().count() <= 40
            && let Some(d) = crate::dates::text_date(t).filter(|d| *d <= latest)
        {
            let (_, update_only) = published_part(t);
            if !update_only {
                doc.metadata.published = Some(Signalled::new(d, Signal::VisibleText));
                return;
            }
        }
    }
    // "Updated May 9" alone gives the modified date, never the published one (the article
    // may be years older than its last update).
    if let Some(d) = updated
        && doc.metadata.modified.is_none()
    {
        doc.metadata.modified = Some(Signalled::new(d, Signal::VisibleText));
    }
}

/// Words that announce a published or an updated date (`data/date_words.tsv`): true for
/// published.
static DATE_WORDS: std::sync::LazyLock<Vec<(String, bool)>> = std::sync::LazyLock::new(|| {
    include_str!("../data/date_words.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(w, k)| (w.to_lowercase(), k.trim() == "published"))
        .collect()
});

/// The part of a date line that holds the publication date: "Published May 2, updated May 9"
/// keeps "Published May 2, "; true when the line only gives an update date.
fn published_part(t: &str) -> (&str, bool) {
    let lower = t.to_lowercase();
    if lower.len() != t.len() {
        // Offsets would not match; lowercase changed byte lengths (rare scripts).
        return (t, false);
    }
    let find = |published: bool| {
        DATE_WORDS
            .iter()
            .filter(|(_, p)| *p == published)
            .filter_map(|(w, _)| {
                lower.match_indices(w.as_str()).map(|(i, _)| i).find(|&i| {
                    i == 0
                        || !lower[..i]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric)
                })
            })
            .min()
    };
    let Some(u) = find(false) else {
        return (t, false);
    };
    match find(true) {
        Some(p) if p < u => (&t[p..u], false),
        Some(p) => (&t[p..], false),
        // A date before the update word ("May 2, updated May 9") is the publication date.
        None if crate::dates::text_date(&t[..u]).is_some() => (&t[..u], false),
        None => (t, true),
    }
}

#[cfg(test)]
mod tests {
    use super::published_part;

    #[test]
    fn streamed_sections_are_read_and_hidden_ones_are_not() {
        let para = "The council voted on Monday to fund a tram line to the east bank of the river, after two years of debate and three public hearings. ";
        let html = format!(
            "<html><body><main><h1>Tram line</h1><div id=\"slot\"></div></main>\
             <div hidden id=\"S:1c\"><article><p>{para}</p><p>{para}</p></article></div>\
             <div hidden id=\"promo\"><p>Secret promo text that nobody sees on the page at all.</p></div>\
             </body></html>"
        );
        let doc = crate::extract_html(&html, &crate::Hints::default());
        assert!(doc.body_text().contains("tram line to the east bank"));
        assert!(!doc.text.contains("Secret promo"));
    }

    #[test]
    fn classes_on_body_label_no_region() {
        let para = "The council voted on Monday to fund a tram line to the east bank of the river, after two years of debate and three public hearings. ";
        let cookie = "We use cookies and similar technologies to remember your settings, measure visits and show you offers; by continuing you agree to this, as our policy explains in detail. ";
        let html = format!(
            "<html><body class=\"wp comments\"><div class=\"entry\"><h1>Tram line</h1>\
             <p>{para}</p><p>{para}</p><p>{para}</p></div>\
             <div id=\"cookie-notice\"><p>{cookie}</p></div></body></html>"
        );
        let doc = crate::extract_html(&html, &crate::Hints::default());
        assert!(doc.body_text().contains("tram line to the east bank"));
        assert!(!doc.body_text().contains("We use cookies"));
    }

    #[test]
    fn a_read_more_wrapper_holding_most_of_the_story_is_the_story() {
        let para = "The council voted on Monday to fund a tram line to the east bank of the river, after two years of debate and three public hearings. ";
        let html = format!(
            "<html><body><article><h1>Tram line</h1><p>{para}</p>\
             <div id=\"read-more\"><div><a href=\"#\">Read more</a></div><div>\
             <p>{para}</p><p>{para}</p><p>The last stop will be at the old harbour, the mayor said on Tuesday, weeks before works begin.</p>\
             </div></div></article></body></html>"
        );
        let doc = crate::extract_html(&html, &crate::Hints::default());
        assert!(
            doc.body_text().contains("the old harbour"),
            "{}",
            doc.body_text()
        );
    }

    #[test]
    fn a_related_heading_in_its_own_wrapper_opens_related_links() {
        let para = "The council voted on Monday to fund a tram line to the east bank of the river, after two years of debate and three public hearings. ";
        let other = "Hope asks of us courage to wait for the best and to make the best happen, every single day of the year, whatever comes. ";
        let html = format!(
            "<html><body><div id=\"primary\"><article><h1>Tram line</h1><p>{para}</p><p>{para}</p><p>{para}</p></article>\
             <section><h3>Você pode gostar...</h3><div><p>{other}</p></div><div><p>{other}</p></div></section>\
             </div></body></html>"
        );
        let doc = crate::extract_html(&html, &crate::Hints::default());
        assert!(doc.body_text().contains("tram line to the east bank"));
        assert!(
            !doc.body_text().contains("Hope asks"),
            "{}",
            doc.body_text()
        );
    }

    #[test]
    fn an_update_line_alone_is_the_modified_date_not_the_published_one() {
        let para = "The council voted on Monday to fund a tram line to the east bank of the river, after two years of debate and three public hearings. ";
        let html = format!(
            "<html><body><article><h1>Tram line</h1><p>Updated May 9, 2024</p>\
             <p>{para}</p><p>{para}</p></article></body></html>"
        );
        let doc = crate::extract_html(&html, &crate::Hints::default());
        assert!(
            doc.metadata.published.is_none(),
            "{:?}",
            doc.metadata.published
        );
        let modified = doc
            .metadata
            .modified
            .expect("the update line gives the modified date");
        assert_eq!(modified.value.date_naive().to_string(), "2024-05-09");
    }

    #[test]
    fn published_and_updated_parts() {
        assert_eq!(
            published_part("Published May 2, 2025, updated May 9, 2025"),
            ("Published May 2, 2025, ", false)
        );
        assert_eq!(
            published_part("Updated May 9, 2025 | Posted May 2, 2025"),
            ("Posted May 2, 2025", false)
        );
        assert_eq!(
            published_part("May 2, 2025 (updated May 9, 2025)"),
            ("May 2, 2025 (", false)
        );
        assert!(published_part("Last Updated on Mar 11, 2026").1);
        // "outdated" is not an update word.
        assert!(!published_part("An outdated map, May 2, 2025").1);
    }
}
