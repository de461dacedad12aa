//! The stretch of calendar time a DATE or TIME value covers, for timelines.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// `[start, end)` of a TIMEX3 DATE/TIME value, or `None` when the value is underspecified
/// (`XXXX-06-24`), a reference (`PRESENT_REF`), a duration or a set. Clock times with a zone
/// (`2023-06-24T10:00+03:00`, `…Z`) are converted to UTC; other values are local calendar time.
/// A clock time covers one minute; parts of day use MO 06–12, MI 11–14, AF 12–18, EV 18–22,
/// NI 21–06 (next day), DT 06–18; seasons SP Mar–May, SU Jun–Aug, FA Sep–Nov, WI Dec–Feb.
pub fn interval(value: &str) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let v = value.trim();
    if v.contains('X') || v.starts_with('P') || v.ends_with("_REF") {
        return None;
    }
    let at = |d: NaiveDate, h: u32| d.and_hms_opt(h, 0, 0);
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    let num = |s: &str| s.parse::<i32>().ok();
    let (date, time) = match v.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (v, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    if let Some(t) = time {
        let d = day(
            num(parts.first()?)?,
            num(parts.get(1)?)? as u32,
            num(parts.get(2)?)? as u32,
        )?;
        let (h0, h1) = match t {
            "MO" => (6, 12),
            "MI" => (11, 14),
            "AF" => (12, 18),
            "EV" => (18, 22),
            "NI" => (21, 30),
            "DT" => (6, 18),
            _ => {
                let (clock, zone) = split_zone(t);
                let (hh, mm) = clock.split_once(':').unwrap_or((clock, "0"));
                let (hh, mm) = (hh.parse::<u32>().ok()?, mm.parse::<u32>().ok()?);
                let start = NaiveDateTime::new(d, NaiveTime::from_hms_opt(hh % 24, mm, 0)?)
                    + Duration::days((hh / 24) as i64)
                    - Duration::seconds(zone.unwrap_or(0));
                return Some((start, start + Duration::minutes(1)));
            }
        };
        return Some((
            at(d, 0)? + Duration::hours(h0),
            at(d, 0)? + Duration::hours(h1),
        ));
    }
    let year = |y: i32| Some((at(day(y, 1, 1)?, 0)?, at(day(y + 1, 1, 1)?, 0)?));
    match parts.as_slice() {
        [y] if y.len() == 4 => year(num(y)?),
        [y] if y.len() == 3 => {
            let d = num(y)? * 10;
            Some((at(day(d, 1, 1)?, 0)?, at(day(d + 10, 1, 1)?, 0)?))
        }
        [y] if y.len() == 2 => {
            let c = num(y)? * 100;
            Some((at(day(c, 1, 1)?, 0)?, at(day(c + 100, 1, 1)?, 0)?))
        }
        [y, p] => {
            let y = num(y)?;
            let months = |m0: u32, n: u32| {
                let s = day(y, m0, 1)?;
                let e = s.checked_add_months(chrono::Months::new(n))?;
                Some((at(s, 0)?, at(e, 0)?))
            };
            if let Some(w) = p.strip_prefix('W')
                && let Ok(w) = w.parse::<u32>()
            {
                let s = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon)?;
                return Some((at(s, 0)?, at(s + Duration::days(7), 0)?));
            }
            if let Some(q) = p.strip_prefix('Q') {
                let q: u32 = q.parse().ok()?;
                return months((q.checked_sub(1)?) * 3 + 1, 3);
            }
            match *p {
                "SP" => months(3, 3),
                "SU" => months(6, 3),
                "FA" => months(9, 3),
                "WI" => months(12, 3),
                m => months(m.parse().ok().filter(|m| (1..=12).contains(m))?, 1),
            }
        }
        [y, w, we] if w.starts_with('W') && *we == "WE" => {
            let s =
                NaiveDate::from_isoywd_opt(num(y)?, w[1..].parse().ok()?, chrono::Weekday::Sat)?;
            Some((at(s, 0)?, at(s + Duration::days(2), 0)?))
        }
        [y, m, d] => {
            let s = day(num(y)?, num(m)? as u32, num(d)? as u32)?;
            Some((at(s, 0)?, at(s + Duration::days(1), 0)?))
        }
        _ => None,
    }
}

/// "10:00+03:00" → ("10:00", Some(10800)); "10:00Z" → ("10:00", Some(0)).
fn split_zone(t: &str) -> (&str, Option<i64>) {
    if let Some(c) = t.strip_suffix('Z') {
        return (c, Some(0));
    }
    if let Some(p) = t.rfind(['+', '-']) {
        let (c, z) = t.split_at(p);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        if let Some((h, m)) = z[1..].split_once(':')
            && let (Ok(h), Ok(m)) = (h.parse::<i64>(), m.parse::<i64>())
        {
            return (c, Some(sign * (h * 3600 + m * 60)));
        }
    }
    (t, None)
}

#[cfg(test)]
mod tests {
    use super::interval;

    fn fmt(v: &str) -> Option<String> {
        interval(v).map(|(a, b)| format!("{a} .. {b}"))
    }

    #[test]
    fn spans() {
        assert_eq!(
            fmt("2023-06-24").as_deref(),
            Some("2023-06-24 00:00:00 .. 2023-06-25 00:00:00")
        );
        assert_eq!(
            fmt("2023-06-24T10:00+03:00").as_deref(),
            Some("2023-06-24 07:00:00 .. 2023-06-24 07:01:00")
        );
        assert_eq!(
            fmt("2023-06-24TNI").as_deref(),
            Some("2023-06-24 21:00:00 .. 2023-06-25 06:00:00")
        );
        assert_eq!(
            fmt("2013-W12").as_deref(),
            Some("2013-03-18 00:00:00 .. 2013-03-25 00:00:00")
        );
        assert_eq!(
            fmt("2012-Q4").as_deref(),
            Some("2012-10-01 00:00:00 .. 2013-01-01 00:00:00")
        );
        assert_eq!(
            fmt("2012-WI").as_deref(),
            Some("2012-12-01 00:00:00 .. 2013-03-01 00:00:00")
        );
        assert_eq!(
            fmt("199").as_deref(),
            Some("1990-01-01 00:00:00 .. 2000-01-01 00:00:00")
        );
        assert_eq!(
            fmt("2010-W04-WE").as_deref(),
            Some("2010-01-30 00:00:00 .. 2010-02-01 00:00:00")
        );
        assert_eq!(fmt("XXXX-06-24"), None);
        assert_eq!(fmt("PRESENT_REF"), None);
        assert_eq!(fmt("P3D"), None);
        assert_eq!(fmt("2023-13"), None);
        assert_eq!(fmt("garbage-T-"), None);
    }
}
