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
}
