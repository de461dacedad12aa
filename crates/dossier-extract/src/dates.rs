//! Date parsing for metadata: ISO 8601 / RFC 3339 with or without zone, RFC 2822, plain dates,
//! dates in URLs, and dates written out in visible text ("June 16, 2025", "14 June 2025").

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Parse a machine-readable date. Dates without a zone are taken as UTC.
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y%m%dT%H%M%S",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), f) {
            return Some(Utc.from_utc_datetime(&n).fixed_offset());
        }
    }
    if let Some(d) = java_date(s) {
        return Some(d);
    }
    // A date, possibly followed by something unparsed ("2025-06-14 at noon").
    let head: String = s.chars().take(10).collect();
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&head, f) {
            return midnight(d);
        }
    }
    text_date(s)
}

/// Java's `Date.toString()` form, found in JSON-LD: "Fri Apr 28 19:20:36 CEST 2023".
fn java_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let w: Vec<&str> = s.split_whitespace().collect();
    if w.len() != 6 {
        return None;
    }
    let hours = match w[4].to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" | "WET" => 0,
        "CET" | "BST" | "WEST" => 1,
        "CEST" | "EET" | "SAST" => 2,
        "EEST" | "MSK" => 3,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        _ => return None,
    };
    let m = month(w[1])?;
    let day: u32 = w[2].parse().ok()?;
    let year: i32 = w[5].parse().ok()?;
    let time = chrono::NaiveTime::parse_from_str(w[3], "%H:%M:%S").ok()?;
    let naive = NaiveDate::from_ymd_opt(year, m, day)?.and_time(time);
    let offset = FixedOffset::east_opt(hours * 3600)?;
    offset.from_local_datetime(&naive).single()
}

fn midnight(d: NaiveDate) -> Option<DateTime<FixedOffset>> {
    Some(
        Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?)
            .fixed_offset(),
    )
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Month names in other languages (`data/months.tsv`).
static OTHER_MONTHS: std::sync::LazyLock<Vec<(String, u32)>> = std::sync::LazyLock::new(|| {
    include_str!("../data/months.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(w, n)| Some((w.trim().to_lowercase(), n.trim().parse().ok()?)))
        .collect()
});

fn month(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches(['.', ',']).to_lowercase();
    if let Some((_, n)) = OTHER_MONTHS.iter().find(|(w, _)| *w == lower) {
        return Some(*n);
    }
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| w.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// A Chinese, Japanese or Korean date: "2020年07月03日", "2020년 7월 3일".
static CJK_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
        .expect("valid regex")
});

fn cjk_date(s: &str) -> Option<DateTime<FixedOffset>> {
    if !s.contains(['年', '년']) {
        return None;
    }
    let c = CJK_DATE.captures(s)?;
    let (y, m, d) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, d)
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
        .and_then(midnight)
}

/// A date written out in text: "June 16, 2025", "16 June 2025", "Jun 16 2025", "16 juin
/// 2025", "2025年6月16日".
pub fn text_date(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Some(d) = cjk_date(s) {
        return Some(d);
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|')
        .filter(|w| !w.is_empty())
        // Fillers between day, month and year: "17 de marzo de 2020", "1st of June".
        .filter(|w| !matches!(w.to_lowercase().as_str(), "de" | "del" | "of" | "the"))
        .take(60)
        .collect();
    if let Some(d) = numeric_date(&words) {
        return Some(d);
    }
    for i in 0..words.len() {
        let num = |w: &str| {
            w.trim_end_matches(|c: char| c.is_alphabetic() || c == '.')
                .parse::<u32>()
                .ok()
        };
        let year = |w: &str| {
            w.trim_end_matches('.')
                .parse::<i32>()
                .ok()
                .filter(|y| (1990..=2100).contains(y))
        };
        if let Some(m) = month(words[i]) {
            // Month Day Year
            if let (Some(d), Some(y)) = (
                words.get(i + 1).and_then(|w| num(w)),
                words.get(i + 2).and_then(|w| year(w)),
            ) && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
            {
                return midnight(date);
            }
            // Year Month Day ("2023 Jan 7", as in citation metadata)
            if i > 0
                && let (Some(y), Some(d)) =
                    (year(words[i - 1]), words.get(i + 1).and_then(|w| num(w)))
                && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
            {
                return midnight(date);
            }
            // Day Month Year
            if i > 0
                && let (Some(d), Some(y)) =
                    (num(words[i - 1]), words.get(i + 1).and_then(|w| year(w)))
                && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
            {
                return midnight(date);
            }
        }
    }
    None
}

/// A numeric date: "23.07.2025" (day first), "10/31/2024" (month first unless the first number
/// cannot be a month), "2025/07/23".
fn numeric_date(words: &[&str]) -> Option<DateTime<FixedOffset>> {
    for w in words {
        let w = w.trim_matches(|c: char| !c.is_ascii_digit());
        for sep in ['.', '/', '-'] {
            let parts: Vec<&str> = w.split(sep).collect();
            if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
                continue;
            }
            let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if n.len() != 3 {
                continue;
            }
            let date = if parts[0].len() == 4 {
                NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2])
            } else if parts[2].len() == 4 {
                let y = n[2] as i32;
                if sep == '.' || n[0] > 12 {
                    NaiveDate::from_ymd_opt(y, n[1], n[0])
                } else {
                    NaiveDate::from_ymd_opt(y, n[0], n[1])
                }
            } else {
                None
            };
            if let Some(d) = date.filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d))) {
                return midnight(d);
            }
        }
    }
    None
}

/// A month named in a URL path segment: "october", "oct" (the whole segment, any case).
fn url_month(seg: &str) -> Option<u32> {
    const FULL: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let s = seg.to_ascii_lowercase();
    FULL.iter()
        .position(|m| *m == s)
        .or_else(|| MONTHS.iter().position(|m| *m == s))
        .map(|i| i as u32 + 1)
}

/// A date in a URL path: `/2025/06/14/`, `/2025-06-14/`, `/20250614/`.
pub fn date_in_url(u: &str) -> Option<DateTime<FixedOffset>> {
    let path = url::Url::parse(u).ok()?.path().to_string();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    for w in parts.windows(3) {
        if let (Ok(y), Some(m), Ok(d)) = (
            w[0].parse::<i32>(),
            w[1].parse::<u32>().ok().or_else(|| url_month(w[1])),
            w[2].get(..2).unwrap_or("").parse::<u32>(),
        ) && (1990..=2100).contains(&y)
            && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
        {
            return midnight(date);
        }
    }
    for p in &parts {
        let digits: String = p
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        if let Ok(d) = NaiveDate::parse_from_str(digits.get(..10).unwrap_or(""), "%Y-%m-%d") {
            return midnight(d);
        }
        if digits.len() == 8
            && let Ok(d) = NaiveDate::parse_from_str(&digits, "%Y%m%d")
            && (1990..=2100).contains(&chrono::Datelike::year(&d))
        {
            return midnight(d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cjk_dates() {
        let f = |s: &str| text_date(s).map(|d| d.date_naive().to_string());
        assert_eq!(f("2020年07月03日 | 日記").as_deref(), Some("2020-07-03"));
        assert_eq!(f("게시 2021년 3월 9일").as_deref(), Some("2021-03-09"));
        assert_eq!(f("2020年13月03日"), None);
        assert_eq!(f("令和2年7月3日"), None);
    }

    #[test]
    fn formats() {
        let f = |s: &str| parse_date(s).map(|d| d.to_rfc3339());
        assert_eq!(
            f("2025-06-14T07:40:00+03:00").as_deref(),
            Some("2025-06-14T07:40:00+03:00")
        );
        assert_eq!(
            f("2025-06-14T07:40:00.123Z").as_deref(),
            Some("2025-06-14T07:40:00.123+00:00")
        );
        assert_eq!(
            f("2025-06-14T07:40:00+0300").as_deref(),
            Some("2025-06-14T07:40:00+03:00")
        );
        assert_eq!(
            f("2025-06-14 07:40").as_deref(),
            Some("2025-06-14T07:40:00+00:00")
        );
        assert_eq!(
            f("Sat, 14 Jun 2025 16:30:00 +0300").as_deref(),
            Some("2025-06-14T16:30:00+03:00")
        );
        assert_eq!(
            f("2025-06-14").as_deref(),
            Some("2025-06-14T00:00:00+00:00")
        );
        assert_eq!(
            f("Posted by admin on June 16, 2025").as_deref(),
            Some("2025-06-16T00:00:00+00:00")
        );
        assert_eq!(
            f("14 June 2025, 10:30").as_deref(),
            Some("2025-06-14T00:00:00+00:00")
        );
        assert_eq!(
            f("2023 Jan 7").as_deref(),
            Some("2023-01-07T00:00:00+00:00")
        );
        assert_eq!(
            f("martes 17 de marzo de 2020").as_deref(),
            Some("2020-03-17T00:00:00+00:00")
        );
        assert_eq!(
            f("17. März 2020").as_deref(),
            Some("2020-03-17T00:00:00+00:00")
        );
        assert_eq!(
            f("2 décembre 2020").as_deref(),
            Some("2020-12-02T00:00:00+00:00")
        );
        assert_eq!(
            f("Fri Apr 28 19:20:36 CEST 2023").as_deref(),
            Some("2023-04-28T19:20:36+02:00")
        );
        assert_eq!(
            f("Fri Apr 28 19:20:36 PST 2023").as_deref(),
            Some("2023-04-28T19:20:36-08:00")
        );
        assert_eq!(
            f("Fri Apr 28 19:20:36 MST 2023").as_deref(),
            Some("2023-04-28T19:20:36-07:00")
        );
        assert_eq!(f("yesterday"), None);
        assert_eq!(f("2025-13-45"), None);
    }

    #[test]
    fn urls() {
        let f = |s: &str| date_in_url(s).map(|d| d.date_naive().to_string());
        assert_eq!(
            f("https://x.example/world/2025/06/14/story").as_deref(),
            Some("2025-06-14")
        );
        assert_eq!(
            f("https://x.example/2025-06-14-story-title").as_deref(),
            Some("2025-06-14")
        );
        assert_eq!(
            f("https://x.example/news/20250614/story").as_deref(),
            Some("2025-06-14")
        );
        assert_eq!(f("https://x.example/story/12345678"), None);
        assert_eq!(
            f("https://x.example/blog/2023/october/03/wine").as_deref(),
            Some("2023-10-03")
        );
        assert_eq!(f("https://x.example/2023/marching/03/x"), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let _ = parse_date(&s);
            let _ = text_date(&s);
        }
    }
}
