//! JSON Lines of reports: one object per line with `url`, `title`, `text` or `html`,
//! `published`, `outlet` (and optionally `authors`, `fetched`).

use chrono::{DateTime, FixedOffset};
use dossier_core::{InputFormat, Origin, RawPayload, RawReport};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Line {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default, alias = "date", alias = "published_at")]
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
    let payload = match (l.html, l.text) {
        (Some(h), _) if !h.trim().is_empty() => RawPayload::Html(h),
        (_, Some(t)) if !t.trim().is_empty() => RawPayload::Text(t),
        _ => return Err("line has neither \"text\" nor \"html\"".to_string()),
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
    Ok(Some(RawReport {
        origin: Origin {
            input: input.to_string(),
            format: InputFormat::Jsonl,
            record: Some(number),
        },
        url: l.url.filter(|u| !u.trim().is_empty()),
        title: l.title.filter(|t| !t.trim().is_empty()),
        published,
        fetched: l.fetched.as_deref().and_then(parse_date),
        outlet: l.outlet.filter(|o| !o.trim().is_empty()),
        authors: l.authors,
        charset: Some("utf-8 (json)".to_string()),
        raw: trimmed.to_vec(),
        payload,
    }))
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
            parse_line(b"{\"title\":\"no body\"}", "r", 3)
                .unwrap_err()
                .contains("neither")
        );
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
