//! RSS 0.9x/1.0/2.0, Atom and JSON Feed: every item becomes a raw report.

use chrono::{DateTime, FixedOffset, Utc};
use dossier_core::{InputFormat, Origin, RawPayload, RawReport};

/// Parse a feed document. Each entry becomes a report with its title, link, date, authors and
/// its content (or summary); the feed title is the outlet.
pub fn read_feed(
    bytes: &[u8],
    input: &str,
    format: InputFormat,
) -> Result<Vec<crate::RecordResult>, String> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| format!("malformed feed: {e}"))?;
    let outlet = feed
        .title
        .as_ref()
        .map(|t| dossier_core::text::collapse_whitespace(&t.content))
        .filter(|t| !t.is_empty());
    let feed_link = feed.links.first().map(|l| l.href.clone());
    let mut out = Vec::with_capacity(feed.entries.len());
    for (i, entry) in feed.entries.iter().enumerate() {
        let number = i as u64 + 1;
        let url = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| entry.links.first())
            .map(|l| l.href.clone())
            .or_else(|| {
                // RSS guids are often permalinks.
                Some(entry.id.clone())
                    .filter(|id| id.starts_with("http://") || id.starts_with("https://"))
            });
        let title = entry
            .title
            .as_ref()
            .map(|t| dossier_core::text::collapse_whitespace(&html_to_plain(&t.content)))
            .filter(|t| !t.is_empty());
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty());
        let summary = entry
            .summary
            .as_ref()
            .map(|s| s.content.clone())
            .filter(|s| !s.trim().is_empty());
        let body = match content.or(summary).or_else(|| title.clone()) {
            Some(b) => b,
            None => {
                out.push(Err((
                    number,
                    "feed item has no title, content or summary".to_string(),
                )));
                continue;
            }
        };
        let payload = if looks_like_html(&body) {
            let title_html = title
                .as_deref()
                .map(|t| format!("<h1>{}</h1>\n", escape(t)))
                .unwrap_or_default();
            RawPayload::Html(format!(
                "<html><head><title>{}</title></head><body><article>{title_html}{body}</article></body></html>",
                escape(title.as_deref().unwrap_or(""))
            ))
        } else {
            RawPayload::Text(body.clone())
        };
        let published = entry
            .published
            .or(entry.updated)
            .map(|d: DateTime<Utc>| d.with_timezone(&FixedOffset::east_opt(0).expect("utc")));
        let authors = entry
            .authors
            .iter()
            .map(|p| p.name.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        out.push(Ok(RawReport {
            origin: Origin {
                input: input.to_string(),
                format,
                record: Some(number),
            },
            url: url.or_else(|| feed_link.clone().filter(|_| feed.entries.len() == 1)),
            title,
            published,
            fetched: None,
            outlet: outlet.clone(),
            authors,
            charset: None,
            raw: body.into_bytes(),
            payload,
        }));
    }
    Ok(out)
}

fn looks_like_html(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('<')
        || s.contains("</p>")
        || s.contains("<br")
        || s.contains("</a>")
        || s.contains("</div>")
        || s.contains("&lt;p&gt;")
}

fn html_to_plain(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.to_string();
    }
    dom_text(s)
}

fn dom_text(s: &str) -> String {
    // Titles rarely hold markup; strip tags and decode the common entities by hand.
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_become_reports() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Regional Wire</title>
        <item><title>Column halts</title><link>https://wire.example/a</link>
        <pubDate>Sat, 14 Jun 2025 18:00:00 +0300</pubDate><description>&lt;p&gt;The column stopped.&lt;/p&gt;</description></item>
        <item><link>https://wire.example/b</link></item>
        </channel></rss>"#;
        let items = read_feed(rss, "f.rss", InputFormat::Rss).unwrap();
        assert_eq!(items.len(), 2);
        let r = items[0].as_ref().unwrap();
        assert_eq!(r.outlet.as_deref(), Some("Regional Wire"));
        assert_eq!(r.url.as_deref(), Some("https://wire.example/a"));
        assert_eq!(
            r.published.unwrap().to_rfc3339(),
            "2025-06-14T15:00:00+00:00"
        );
        assert!(
            matches!(&r.payload, RawPayload::Html(h) if h.contains("<p>The column stopped.</p>"))
        );
        assert!(items[1].is_err());
    }

    #[test]
    fn malformed_feed_is_an_error() {
        assert!(read_feed(b"<rss><channel><item>", "x", InputFormat::Rss).is_err());
    }
}
