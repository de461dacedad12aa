//! JSON Lines of reports (one object per line) and JSON arrays of report objects. Fields:
//! `url` (or `link`), `title`, `text` (or `description`, `summary`, `content`) or `html`,
//! `published` (or `date`, `date_published`), `outlet` (or `source`, `site`), `authors`,
//! `fetched`.

use chrono::{DateTime, FixedOffset};
use dossier_core::{InputFormat, Origin, RawPayload, RawReport};
use serde::Deserialize;

/// Keys that mark a JSON object as a report.
pub const REPORT_KEYS: &[&str] = &[
    "text",
    "html",
    "description",
    "summary",
    "content",
    "url",
    "link",
    "title",
];

#[derive(Debug, Deserialize)]
struct Line {
    #[serde(default, alias = "link")]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default, alias = "description", alias = "summary", alias = "content")]
    text: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(
        default,
        alias = "date",
        alias = "published_at",
        alias = "date_published"
    )]
    published: Option<String>,
    #[serde(default)]
    fetched: Option<String>,
    #[serde(default, alias = "source", alias = "site")]
    outlet: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
}

/// Parse one line (`number` is 1-based) of a JSONL input.
pub fn parse_line(line: &[u8], input: &str, number: u64) -> Result<Option<RawReport>, String> {
    let trimmed = line.trim_ascii();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let text = std::str::from_utf8(trimmed)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let l: Line = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    to_report(l, input, number, InputFormat::Jsonl, trimmed.to_vec()).map(Some)
}

/// Parse a JSON array of report objects. Fails as a whole when it is not an array of objects or
/// when none of its objects has a text; otherwise one result per element.
pub fn parse_array(bytes: &[u8], input: &str) -> Result<Vec<crate::RecordResult>, String> {
    let values: Vec<serde_json::Value> = match serde_json::from_slice(bytes) {
        Ok(serde_json::Value::Array(a)) => a,
        Ok(_) => return Err("JSON that is neither a JSON Feed nor JSON Lines of reports".into()),
        Err(e) => return Err(format!("invalid JSON: {e}")),
    };
    let has = |v: &serde_json::Value, keys: &[&str]| {
        keys.iter().any(|k| {
            v.get(k)
                .and_then(|t| t.as_str())
                .is_some_and(|t| !t.trim().is_empty())
        })
    };
    // A report has a text, or is a dated headline (feeds of videos and podcasts carry only
    // titles); a list of titles without dates (a list of feeds or sites) is not reports.
    let is_report = |v: &serde_json::Value| {
        has(v, &["text", "html", "description", "summary", "content"])
            || (has(v, &["title"])
                && has(v, &["published", "date", "published_at", "date_published"]))
    };
    if !values.iter().any(is_report) {
        return Err(
            "JSON array without report texts (no \"text\", \"html\" or \"description\", nor dated titles)".into(),
        );
    }
    Ok(values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let n = i as u64 + 1;
            let raw = serde_json::to_vec(&v).unwrap_or_default();
            serde_json::from_value::<Line>(v)
                .map_err(|e| format!("invalid report object: {e}"))
                .and_then(|l| to_report(l, input, n, InputFormat::Json, raw))
                .map_err(|e| (n, e))
        })
        .collect())
}

fn to_report(
    l: Line,
    input: &str,
    number: u64,
    format: InputFormat,
    raw: Vec<u8>,
) -> Result<RawReport, String> {
    let payload = match (l.html, l.text) {
        (Some(h), _) if !h.trim().is_empty() => RawPayload::Html(h),
        (_, Some(t)) if looks_like_html(&t) => RawPayload::Html(t),
        (_, Some(t)) if !t.trim().is_empty() => RawPayload::Text(t),
        // A headline-only item (as many feeds carry) is a report of one line.
        _ => match l.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => RawPayload::Text(t.to_string()),
            None => return Err("neither \"text\", \"html\" nor \"title\"".to_string()),
        },
    };
    let published = match l
        .published
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(p) => {
            Some(parse_date(p).ok_or_else(|| format!("unreadable \"published\" date {p:?}"))?)
        }
        None => None,
    };
    Ok(RawReport {
        origin: Origin {
            input: input.to_string(),
            format,
            record: Some(number),
        },
        url: l.url.filter(|u| !u.trim().is_empty()),
        title: l.title.filter(|t| !t.trim().is_empty()),
        published,
        fetched: l.fetched.as_deref().and_then(parse_date),
        // Feed archives put the feed's URL where the outlet goes: a URL is not a name (the
        // outlet's domain comes from the report's own URL instead).
        outlet: l
            .outlet
            .filter(|o| !o.trim().is_empty() && !looks_like_url(o)),
        authors: l.authors,
        charset: Some("utf-8 (json)".to_string()),
        raw,
        payload,
    })
}

fn looks_like_url(s: &str) -> bool {
    let t = s.trim().to_ascii_lowercase();
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.")
}

fn looks_like_html(s: &str) -> bool {
    let t = s.trim_start();
    (t.starts_with('<') && t.contains('>')) || s.contains("</p>") || s.contains("<br")
}

/// RFC 3339, RFC 2822, or a plain date (`2025-06-14`, taken as midnight UTC).
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_rfc2822(s))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
                .ok()
                .map(|n| n.and_utc().fixed_offset())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc().fixed_offset())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_headlines_are_reports_and_a_list_of_feeds_is_not() {
        let videos = br#"[{"link": "https://video.example/w1", "title": "Interview with the mayor", "date_published": "2024-03-02 10:00:00+00:00"}]"#;
        let got = parse_array(videos, "videos.json").unwrap();
        assert_eq!(got.len(), 1);
        assert!(matches!(got[0], Ok(ref r) if r.published.is_some()));
        let feeds = br#"[{"url": "https://news.example/rss", "title": "Example News", "category": "News"}]"#;
        let err = parse_array(feeds, "sources.json").unwrap_err();
        assert!(err.contains("without report texts"), "{err}");
    }
    use proptest::prelude::*;

    #[test]
    fn lines() {
        let r = parse_line(br#"{"url":"https://x.example/a","title":"T","text":"Body.","published":"2025-06-14","outlet":"X"}"#, "r.jsonl", 1)
            .unwrap()
            .unwrap();
        assert_eq!(
            r.published.unwrap().to_rfc3339(),
            "2025-06-14T00:00:00+00:00"
        );
        assert_eq!(parse_line(b"   ", "r", 2), Ok(None));
        assert!(
            parse_line(b"{\"url\":\"https://a.example/\"}", "r", 3)
                .unwrap_err()
                .contains("neither")
        );
        assert_eq!(r.outlet.as_deref(), Some("X"));
        // A feed's URL in the outlet field is not an outlet name.
        let fed = parse_line(
            br#"{"link":"https://news.example/a","title":"T","source":"https://news.example/rss"}"#,
            "r.json",
            1,
        )
        .unwrap()
        .unwrap();
        assert_eq!(fed.outlet, None);
        let headline = parse_line(b"{\"title\":\"Headline only\"}", "r", 3).unwrap();
        assert!(matches!(headline.unwrap().payload, RawPayload::Text(t) if t == "Headline only"));
        assert!(
            parse_line(b"{not json", "r", 4)
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert!(
            parse_line(b"{\"text\":\"\xff\"}", "r", 5)
                .unwrap_err()
                .starts_with("invalid UTF-8")
        );
        assert!(
            parse_line(br#"{"text":"a","published":"last week"}"#, "r", 6)
                .unwrap_err()
                .contains("date")
        );
    }

    proptest! {
        #[test]
        fn date_parser_never_panics(s in "\\PC{0,40}") {
            let _ = parse_date(&s);
        }
    }
}
