//! A byte-level pass before parsing that caps element nesting. HTML tree building is quadratic
//! in nesting depth (every start tag checks the stack of open elements), so a page nested
//! 100,000 levels deep would take minutes. Start tags beyond `MAX_DEPTH` open elements are
//! dropped together with as many end tags; their text stays. Pages within the limit (all real
//! ones) are passed through untouched.

use std::borrow::Cow;

/// Open elements allowed before start tags are dropped.
pub const MAX_DEPTH: usize = 512;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];

/// Elements whose end tag is optional: a new one closes the previous, so they do not nest by
/// themselves and are not counted.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rtc", "rp",
    "thead", "tbody", "tfoot", "colgroup", "caption",
];

/// Elements whose content is raw text up to their end tag.
const RAW: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// The page with nesting capped, borrowed when nothing had to change.
pub fn cap_nesting(html: &str) -> Cow<'_, str> {
    if !scan(html, None) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    scan(html, Some(&mut out));
    Cow::Owned(out)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

/// End of a tag starting at `i` (index after its `>`), honouring quoted attribute values.
fn tag_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    let mut quote = 0u8;
    while j < b.len() {
        let c = b[j];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else if c == b'"' || c == b'\'' {
            // Quotes only open inside attribute values (after `=`).
            if b[..j].iter().rev().find(|c| !c.is_ascii_whitespace()) == Some(&b'=') {
                quote = c;
            }
        } else if c == b'>' {
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// Walk the tags. Without `out`, say whether the cap is exceeded; with it, write the capped
/// page.
fn scan(html: &str, mut out: Option<&mut String>) -> bool {
    let b = html.as_bytes();
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut exceeded = false;
    let mut i = 0;
    let mut copied = 0; // bytes of `html` already written to `out`
    while let Some(off) = b[i..].iter().position(|c| *c == b'<') {
        let start = i + off;
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            i = find(b, start + 4, b"-->").map(|p| p + 3).unwrap_or(b.len());
            continue;
        }
        if rest.len() < 2 {
            break;
        }
        let closing = rest[1] == b'/';
        let name_start = start + if closing { 2 } else { 1 };
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            // "<!doctype", "<?xml", a stray "<": not an element.
            i = if rest[1] == b'!' || rest[1] == b'?' {
                tag_end(b, start)
            } else {
                start + 1
            };
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(b, start);
        let self_closing = end >= 2 && b[end - 2] == b'/';
        let counted = !VOID.contains(&name.as_str()) && !OPTIONAL_END.contains(&name.as_str());
        let mut drop_tag = false;
        if closing {
            if counted {
                if dropped > 0 {
                    dropped -= 1;
                    drop_tag = true;
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
        } else if counted && !self_closing {
            if depth >= MAX_DEPTH {
                exceeded = true;
                if out.is_none() {
                    return true;
                }
                dropped += 1;
                drop_tag = true;
            } else {
                depth += 1;
            }
        }
        if drop_tag && let Some(o) = out.as_deref_mut() {
            o.push_str(&html[copied..start]);
            copied = end;
        }
        i = end;
        if !closing && RAW.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find(b, i, close.as_bytes()).unwrap_or(b.len());
        }
        if i >= b.len() {
            break;
        }
    }
    if let Some(o) = out {
        o.push_str(&html[copied..]);
    }
    exceeded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_pass_through() {
        let html = "<html><body><div><p>a<p>b</div><script>if (a<b) {}</script></body></html>";
        assert!(matches!(cap_nesting(html), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_pages_are_capped() {
        let depth = 2_000;
        let html = format!(
            "{}<p>text</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let capped = cap_nesting(&html);
        assert_eq!(capped.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(capped.matches("</div>").count(), MAX_DEPTH);
        assert!(capped.contains("<p>text</p>"));
    }

    #[test]
    fn quotes_and_multibyte_text() {
        let html = format!(
            "{}<a title=\"a>b\">ссылка</a>日本{}",
            "<span class='x'>".repeat(600),
            "</span>".repeat(600)
        );
        let capped = cap_nesting(&html);
        // The link beyond the cap is dropped whole (its quoted ">" does not end the tag early).
        assert!(capped.contains("ссылка日本"));
        assert!(!capped.contains("a>b"));
    }
}
