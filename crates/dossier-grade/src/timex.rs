//! Whether two TIMEX3 values can describe the same time.
//!
//! Values are compared component by component; `X` digits are wildcards; a coarser value
//! contains a finer one (`2023-06` contains `2023-06-24`; decade `202` contains `2023`). Weeks
//! (`2023-W25`) and quarters (`2023-Q2`) are compared with the dates they contain. Times of day
//! only count on the same known day: hours more than one apart, or a part of day (`TMO`,
//! `TAF`, `TEV`, `TNI`) that does not hold the hour, contradict. Anything else
//! (`PRESENT_REF`, durations, seasons) cannot be compared and never contradicts.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct T {
    /// Year digits as written ("2023", decade "202"), `X` as wildcard.
    year: String,
    month: Option<u32>,
    day: Option<u32>,
    week: Option<u32>,
    quarter: Option<u32>,
    hour: Option<u32>,
    /// Part of day: MO, MI, AF, EV, NI, DT.
    pod: Option<String>,
}

fn num(s: &str) -> Result<Option<u32>, ()> {
    if s.chars().all(|c| c == 'X') {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| ())
}

pub(crate) fn parse(v: &str) -> Option<T> {
    let v = v.trim().to_uppercase();
    let (date, time) = match v.split_once('T') {
        Some((d, t)) => (d.to_string(), Some(t.to_string())),
        None => (v.clone(), None),
    };
    let mut parts = date.split('-');
    let year = parts.next()?;
    if year.is_empty() || year.len() > 4 || !year.chars().all(|c| c.is_ascii_digit() || c == 'X') {
        return None;
    }
    let mut t = T {
        year: year.to_string(),
        ..T::default()
    };
    if let Some(p) = parts.next() {
        if year.len() != 4 {
            return None;
        }
        if let Some(w) = p.strip_prefix('W') {
            t.week = num(w).ok()?;
            // a weekday after the week: ignored (the week already bounds it)
        } else if let Some(q) = p.strip_prefix('Q') {
            t.quarter = num(q).ok()?;
        } else if p.len() == 2 && p.chars().all(|c| c.is_ascii_digit() || c == 'X') {
            t.month = num(p).ok()?;
            if let Some(d) = parts.next() {
                if d.len() != 2 {
                    return None;
                }
                t.day = num(d).ok()?;
            }
        } else {
            // seasons (SU, WI...), halves (H1): not compared
            return None;
        }
    }
    if let Some(tm) = time {
        if let Some(hh) = tm.get(..2)
            && hh.chars().all(|c| c.is_ascii_digit())
        {
            t.hour = hh.parse().ok();
        } else if ["MO", "MI", "AF", "EV", "NI", "DT"].contains(&tm.as_str()) {
            t.pod = Some(tm);
        }
    }
    Some(t)
}

fn years_conflict(a: &str, b: &str) -> bool {
    a.chars()
        .zip(b.chars())
        .any(|(x, y)| x != 'X' && y != 'X' && x != y)
}

fn differ(a: Option<u32>, b: Option<u32>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x != y)
}

fn date_of(t: &T) -> Option<NaiveDate> {
    let y: i32 = if t.year.len() == 4 {
        t.year.parse().ok()?
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(y, t.month?, t.day?)
}

/// Hours a part of day covers (inclusive, may wrap midnight).
fn pod_hours(p: &str) -> Option<(u32, u32)> {
    match p {
        "MO" => Some((4, 12)),
        "MI" => Some((11, 13)),
        "AF" => Some((12, 18)),
        "EV" => Some((17, 23)),
        "NI" => Some((20, 5)),
        "DT" => Some((6, 20)),
        _ => None,
    }
}

fn hour_in(h: u32, (from, to): (u32, u32)) -> bool {
    if from <= to {
        (from.saturating_sub(1)..=to + 1).contains(&h)
    } else {
        h + 1 >= from || h <= to + 1
    }
}

fn pods_overlap(a: (u32, u32), b: (u32, u32)) -> bool {
    let hours = |(f, t): (u32, u32)| -> Vec<u32> {
        if f <= t {
            (f..=t).collect()
        } else {
            (f..24).chain(0..=t).collect()
        }
    };
    let hb = hours(b);
    hours(a).iter().any(|h| hb.contains(h))
}

/// `Some(reason)` when two TIMEX3 values cannot both hold.
#[cfg(test)]
pub fn conflict(a: &str, b: &str) -> Option<String> {
    conflict_parsed(&parse(a)?, &parse(b)?).map(str::to_string)
}

/// [`conflict`] on parsed values.
pub(crate) fn conflict_parsed(x: &T, y: &T) -> Option<&'static str> {
    if years_conflict(&x.year, &y.year) {
        return Some("different years");
    }
    if differ(x.month, y.month) {
        return Some("different months");
    }
    if differ(x.day, y.day) {
        return Some("different days");
    }
    if differ(x.week, y.week) {
        return Some("different weeks");
    }
    if differ(x.quarter, y.quarter) {
        return Some("different quarters");
    }
    // a week or quarter against a date or month
    for (p, q) in [(x, y), (y, x)] {
        if let Some(w) = p.week
            && let Some(d) = date_of(q)
            && p.year.len() == 4
            && (d.iso_week().week() != w || d.iso_week().year().to_string() != p.year)
        {
            return Some("the date is outside the week");
        }
        if let Some(qu) = p.quarter
            && let Some(m) = q.month
            && (m - 1) / 3 + 1 != qu
        {
            return Some("the month is outside the quarter");
        }
    }
    // times of day, on one known day
    if x.year.len() == 4 && !x.year.contains('X') && x.day.is_some() && x.month.is_some() {
        match (&x.hour, &y.hour, &x.pod, &y.pod) {
            (Some(h1), Some(h2), _, _) if h1.abs_diff(*h2) > 1 => {
                return Some("different hours");
            }
            (Some(h), None, _, Some(p)) | (None, Some(h), Some(p), _) => {
                if let Some(r) = pod_hours(p)
                    && !hour_in(*h, r)
                {
                    return Some("the hour is outside the part of day");
                }
            }
            (None, None, Some(p1), Some(p2)) => {
                if let (Some(r1), Some(r2)) = (pod_hours(p1), pod_hours(p2))
                    && !pods_overlap(r1, r2)
                {
                    return Some("different parts of the day");
                }
            }
            _ => {}
        }
    }
    None
}

fn day_precise(t: &T) -> bool {
    t.year.len() == 4 && t.month.is_some() && t.day.is_some()
}

/// Days between two day-precise values (a wildcard year takes the other's, else a leap year).
fn days_apart(x: &T, y: &T) -> Option<i64> {
    let year = |t: &T, o: &T| -> i32 { t.year.parse().or_else(|_| o.year.parse()).unwrap_or(2000) };
    let dx = NaiveDate::from_ymd_opt(year(x, y), x.month?, x.day?)?;
    let dy = NaiveDate::from_ymd_opt(year(y, x), y.month?, y.day?)?;
    Some((dx - dy).num_days().abs())
}

/// How two conflicting times disagree: `(hard, detail)`, `None` when they can both hold.
/// Hard only for two day-precise dates at least two days apart; one day apart (time zones,
/// late-night events, "yesterday" read from different publication days), different hours of
/// one day, and a week, month or year against anything are soft. Whether a date was written
/// out or derived from a relative expression is the caller's to add ([`written_in`]).
pub(crate) fn severity(x: &T, y: &T) -> Option<(bool, String)> {
    let reason = conflict_parsed(x, y)?;
    if !day_precise(x) || !day_precise(y) {
        return Some((
            false,
            format!("{reason}, but one side gives only a week, month or year"),
        ));
    }
    match days_apart(x, y) {
        Some(0) | None => Some((
            false,
            format!("{reason} on the same day (time zones or reporting times)"),
        )),
        Some(1) => Some((
            false,
            "one day apart (time zones, late-night events, or a relative date read from \
             different publication days)"
                .to_string(),
        )),
        Some(n) => Some((true, format!("{reason}, {n} days apart"))),
    }
}

/// The month and day of a parsed value, when it has both.
pub(crate) fn month_day(t: &T) -> Option<(u32, u32)> {
    Some((t.month?, t.day?))
}

/// Whether `text` writes out the date with this month and day: "June 24", "24 June", "24th of
/// June", "Jun. 24", "24 czerwca", "2023-06-24", "24.06.2023", "24/06/2023", "6/24/2023".
/// Relative expressions ("yesterday", "on Saturday", "last night") are not written dates.
pub(crate) fn written_in(text: &str, month: u32, day: u32) -> bool {
    // alphanumeric runs with the single character joining each to the previous one (if any)
    let mut toks: Vec<(String, Option<char>)> = Vec::new();
    let mut cur = String::new();
    let mut gap = String::new();
    let flush = |cur: &mut String, gap: &mut String, toks: &mut Vec<(String, Option<char>)>| {
        if !cur.is_empty() {
            let mut g = gap.chars();
            let joint = match (g.next(), g.next()) {
                (Some(c), None) if !c.is_whitespace() => Some(c),
                _ => None,
            };
            toks.push((std::mem::take(cur).to_lowercase(), joint));
            gap.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else {
            flush(&mut cur, &mut gap, &mut toks);
            if gap.chars().count() < 8 {
                gap.push(c);
            }
        }
    }
    flush(&mut cur, &mut gap, &mut toks);
    let is_day = |w: &str| -> bool {
        let digits = w.trim_end_matches(|c: char| c.is_alphabetic());
        let suffix = &w[digits.len()..];
        matches!(suffix, "" | "st" | "nd" | "rd" | "th")
            && !digits.is_empty()
            && digits.len() <= 2
            && digits.parse::<u32>().ok() == Some(day)
    };
    let num = |w: &str| w.parse::<u32>().ok();
    for (k, (w, _)) in toks.iter().enumerate() {
        if crate::quantity::MONTHS.get(w.as_str()) == Some(&month) {
            let next = toks.get(k + 1).map(|t| t.0.as_str());
            let prev = k.checked_sub(1).map(|p| toks[p].0.as_str());
            let prev2 = k.checked_sub(2).map(|p| toks[p].0.as_str());
            if next.is_some_and(is_day)
                || prev.is_some_and(is_day)
                || (prev == Some("of") && prev2.is_some_and(is_day))
            {
                return true;
            }
        }
        // numeric dates: three numbers joined by one separator each
        if k + 2 < toks.len()
            && let (Some(a), Some(b), Some(c)) = (num(w), num(&toks[k + 1].0), num(&toks[k + 2].0))
            && let (Some(s1), Some(s2)) = (toks[k + 1].1, toks[k + 2].1)
            && s1 == s2
            && matches!(s1, '-' | '.' | '/')
        {
            let (la, lc) = (w.len(), toks[k + 2].0.len());
            let found = (la == 4 && b == month && c == day)
                || (lc == 4 && a == day && b == month)
                || (lc == 4 && s1 == '/' && a == month && b == day);
            if found {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::conflict;

    #[test]
    fn timex_rules() {
        assert!(conflict("2023-06-24", "2023-06-25").is_some());
        assert!(conflict("2023-06", "2023-06-24").is_none());
        assert!(conflict("2023", "2023-06-24").is_none());
        assert!(conflict("202", "2023-06-24").is_none());
        assert!(conflict("202", "2019").is_some());
        assert!(conflict("XXXX-06-24", "2023-06-24").is_none());
        assert!(conflict("XXXX-06-24", "2023-06-23").is_some());
        assert!(conflict("2023-W25", "2023-06-24").is_none());
        assert!(conflict("2023-W24", "2023-06-24").is_some());
        assert!(conflict("2023-Q2", "2023-06").is_none());
        assert!(conflict("2023-Q3", "2023-06-24").is_some());
        assert!(conflict("2023-06-24T10:00", "2023-06-24T10:30").is_none());
        assert!(conflict("2023-06-24T10:00", "2023-06-24T20:00").is_some());
        assert!(conflict("2023-06-24TMO", "2023-06-24T10:00").is_none());
        assert!(conflict("2023-06-24TMO", "2023-06-24T21:00").is_some());
        assert!(conflict("2023-06-24TEV", "2023-06-24TNI").is_none());
        assert!(conflict("2023-06-24TMO", "2023-06-24TEV").is_some());
        assert!(conflict("2023-06-24", "2023-06-24T10:00").is_none());
        assert!(conflict("PRESENT_REF", "2023-06-24").is_none());
        assert!(conflict("P2D", "2023-06-24").is_none());
        assert!(conflict("2023-SU", "2023-12-24").is_none());
        assert!(conflict("", "").is_none());
    }

    fn sev(a: &str, b: &str) -> Option<bool> {
        super::severity(&super::parse(a)?, &super::parse(b)?).map(|(hard, _)| hard)
    }

    #[test]
    fn only_clearly_different_days_are_hard() {
        assert_eq!(sev("2023-06-24", "2023-06-27"), Some(true));
        assert_eq!(sev("2023-06-24", "2023-06-25"), Some(false));
        assert_eq!(
            sev("2023-06-30", "2023-07-01"),
            Some(false),
            "across a month end"
        );
        assert_eq!(sev("2023-06-24T10:00", "2023-06-24T20:00"), Some(false));
        assert_eq!(sev("2023-06", "2023-07-20"), Some(false));
        assert_eq!(sev("2023-W24", "2023-06-24"), Some(false));
        assert_eq!(sev("XXXX-06-24", "2023-06-20"), Some(true));
        assert_eq!(sev("2023-06-24", "2023-06-24"), None);
    }

    #[test]
    fn written_dates() {
        use super::written_in;
        for t in [
            "Wagner took Rostov on June 24.",
            "on 24 June 2023",
            "on the 24th of June",
            "Jun. 24th",
            "24 czerwca",
            "dated 2023-06-24",
            "24.06.2023",
            "24/06/2023",
            "6/24/2023",
        ] {
            assert!(written_in(t, 6, 24), "{t}");
        }
        for t in [
            "Wagner took Rostov on Saturday.",
            "yesterday",
            "June 25",
            "may 24 fighters",
            "24 people in June",
            "",
        ] {
            assert!(!written_in(t, 6, 24), "{t}");
        }
    }
}
