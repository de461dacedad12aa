//! Format detection by content, with the file name as a tie-breaker only.

use dossier_core::InputFormat;

use crate::decode::find;

/// What the first bytes of an input look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Gzip,
    Format(InputFormat),
    /// The old Internet Archive ARC format.
    Arc,
    /// JSON that is neither a JSON Feed nor JSON Lines of reports.
    OtherJson,
    Binary,
    Empty,
}

/// Decide what an input is from its first bytes (up to 8 KiB is plenty) and its name.
pub fn sniff(head: &[u8], name: &str) -> Sniffed {
    if head.starts_with(&[0x1f, 0x8b]) {
        return Sniffed::Gzip;
    }
    let body = strip_bom_and_ws(head);
    if body.is_empty() {
        return Sniffed::Empty;
    }
    if body.starts_with(b"WARC/") {
        return Sniffed::Format(InputFormat::Warc);
    }
    if body.starts_with(b"filedesc://") {
        return Sniffed::Arc;
    }
    if is_binary(head) {
        return Sniffed::Binary;
    }
    let lower: Vec<u8> = body[..body.len().min(4096)]
        .iter()
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if lower.starts_with(b"{") || lower.starts_with(b"[") {
        return sniff_json(body, name);
    }
    if lower.starts_with(b"<") {
        // Skip the XML declaration, comments, doctype and processing instructions to find the
        // first real element.
        if let Some(root) = first_element(&lower) {
            match root.as_str() {
                "rss" => return Sniffed::Format(InputFormat::Rss),
                "rdf:rdf" | "rdf" => return Sniffed::Format(InputFormat::Rss),
                "feed" => return Sniffed::Format(InputFormat::Atom),
                "html" | "head" | "body" | "div" | "article" | "p" | "meta" | "title" | "main"
                | "section" | "table" | "span" | "link" | "script" | "style" => {
                    return Sniffed::Format(InputFormat::Html);
                }
                _ => {}
            }
        }
        if lower.starts_with(b"<!doctype html") || find(&lower, b"<html").is_some() {
            return Sniffed::Format(InputFormat::Html);
        }
        if lower.starts_with(b"<?xml") {
            // XML of an unknown vocabulary: treat feed-like names as feeds so the parser can
            // say precisely what is wrong; otherwise it's markup.
            if find(&lower, b"<channel").is_some() {
                return Sniffed::Format(InputFormat::Rss);
            }
            return Sniffed::Format(InputFormat::Html);
        }
        return Sniffed::Format(InputFormat::Html);
    }
    let ext = extension(name);
    if ext == "html" || ext == "htm" {
        // A page fragment without a leading tag.
        if find(&lower, b"<p").is_some() || find(&lower, b"<div").is_some() {
            return Sniffed::Format(InputFormat::Html);
        }
    }
    Sniffed::Format(InputFormat::Text)
}

fn sniff_json(body: &[u8], name: &str) -> Sniffed {
    let lower: Vec<u8> = body[..body.len().min(8192)]
        .iter()
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if find(&lower, b"jsonfeed.org/version").is_some() {
        return Sniffed::Format(InputFormat::JsonFeed);
    }
    if body.starts_with(b"[") {
        // An array: decided once it is parsed whole (are its elements reports?).
        return Sniffed::Format(InputFormat::Json);
    }
    // JSON Lines: the first line is a complete JSON object that reads as a report (or the
    // file is named as JSON Lines, and then every bad line is reported on its own).
    let first_line = body.split(|&b| b == b'\n').next().unwrap_or(body);
    if crate::jsonl::parse_line(first_line, name, 1).is_ok_and(|r| r.is_some()) {
        return Sniffed::Format(InputFormat::Jsonl);
    }
    let ext = extension(name);
    if (ext == "jsonl" || ext == "ndjson") && first_line.trim_ascii_start().starts_with(b"{") {
        return Sniffed::Format(InputFormat::Jsonl);
    }
    Sniffed::OtherJson
}

fn first_element(lower: &[u8]) -> Option<String> {
    let mut i = 0;
    while i < lower.len() {
        let rest = &lower[i..];
        let lt = rest.iter().position(|&b| b == b'<')?;
        let rest = &rest[lt..];
        if rest.starts_with(b"<!--") {
            let end = find(rest, b"-->")?;
            i += lt + end + 3;
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            let end = rest.iter().position(|&b| b == b'>')?;
            i += lt + end + 1;
            continue;
        }
        let name: String = rest[1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'))
            .map(|&b| b as char)
            .collect();
        return if name.is_empty() { None } else { Some(name) };
    }
    None
}

fn strip_bom_and_ws(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// Binary content: NUL bytes (outside UTF-16 text) or many control characters.
pub fn is_binary(head: &[u8]) -> bool {
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        return false;
    }
    let sample = &head[..head.len().min(8192)];
    if sample.is_empty() {
        return false;
    }
    let nul = sample.iter().filter(|&&b| b == 0).count();
    if nul > 0 {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    control * 20 > sample.len()
}

pub fn extension(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    let base = base.strip_suffix(".gz").unwrap_or(base);
    base.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn detects_by_content_not_name() {
        assert_eq!(
            sniff(
                b"<?xml version='1.0'?>\n<!-- c -->\n<rss version='2.0'>",
                "x.txt"
            ),
            Sniffed::Format(InputFormat::Rss)
        );
        assert_eq!(
            sniff(
                b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>",
                "a.html"
            ),
            Sniffed::Format(InputFormat::Atom)
        );
        assert_eq!(
            sniff(b"<rdf:RDF xmlns:rdf=''>", "x"),
            Sniffed::Format(InputFormat::Rss)
        );
        assert_eq!(
            sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>", "feed.xml"),
            Sniffed::Format(InputFormat::Html)
        );
        assert_eq!(
            sniff(b"WARC/1.0\r\n", "x.html"),
            Sniffed::Format(InputFormat::Warc)
        );
        assert_eq!(sniff(b"\x1f\x8b\x08", "x.html"), Sniffed::Gzip);
        assert_eq!(
            sniff(
                b"{\"version\": \"https://jsonfeed.org/version/1.1\"}",
                "f.json"
            ),
            Sniffed::Format(InputFormat::JsonFeed)
        );
        assert_eq!(
            sniff(
                b"{\"url\": \"https://a.b/c\", \"text\": \"x\"}\n{\"text\": \"y\"}",
                "r.json"
            ),
            Sniffed::Format(InputFormat::Jsonl)
        );
        assert_eq!(sniff(b"{\n  \"a\": 1\n}", "r.json"), Sniffed::OtherJson);
        assert_eq!(
            sniff(b"{\"id\": 1, \"entries\": []}", "x.serde.json"),
            Sniffed::OtherJson
        );
        assert_eq!(
            sniff(b"[{\"link\": \"https://a.b\"}]", "x.json"),
            Sniffed::Format(InputFormat::Json)
        );
        assert_eq!(
            sniff(b"The day his troops advanced on Moscow.", "x.html"),
            Sniffed::Format(InputFormat::Text)
        );
        assert_eq!(sniff(b"  \n\t ", "x.txt"), Sniffed::Empty);
        assert_eq!(
            sniff(b"\x7fELF\x02\x01\x01\x00\x00\x00", "x.txt"),
            Sniffed::Binary
        );
    }

    proptest! {
        #[test]
        fn sniff_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300), name in "[a-z.]{0,10}") {
            let _ = sniff(&bytes, &name);
        }
    }
}
