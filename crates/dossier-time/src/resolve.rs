//! Normalisation: from recognised expressions to TIMEX3 values, against the DCT and the
//! narrative time (the latest day the text has mentioned so far).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::grammar::{Base, Cand, Class, Sem, Unit};
use crate::lex::LEX;
use crate::tok::{TK, Tok};
use crate::{Anchor, AnchorSource, Timex, TimexKind};

/// A day that may lack its year (the year is then a placeholder and prints as XXXX).
#[derive(Clone, Copy)]
struct Day {
    date: NaiveDate,
    year_known: bool,
}

impl Day {
    fn fmt(&self) -> String {
        if self.year_known {
            self.date.format("%Y-%m-%d").to_string()
        } else {
            self.date.format("XXXX-%m-%d").to_string()
        }
    }
}

/// Placeholder leap year for days whose year is unknown.
const NO_YEAR: i32 = 2000;

struct Narr {
    day: Day,
    start: usize,
    end: usize,
}

pub(crate) fn resolve(text: &str, toks: &[Tok], cands: &[Cand], anchor: &Anchor) -> Vec<Timex> {
    let dct = anchor.dct;
    let mut narr: Option<Narr> = None;
    let mut out = Vec::with_capacity(cands.len());
    for c in cands {
        let (start, end) = (toks[c.ts].s, toks[c.te - 1].e);
        let mut src = AnchorSource::Absolute;
        let mut day_out: Option<Day> = None;
        let (kind, value) = match c.class {
            Class::Duration => (TimexKind::Duration, c.lit.clone()),
            Class::Set => (TimexKind::Set, c.lit.clone()),
            Class::Date => {
                let tense = || tense(toks, c.ts, c.te);
                let narr_day = narr.as_ref().map(|n| (n.day, n.start, n.end));
                let base_day = |b: Base, src: &mut AnchorSource| -> Option<Day> {
                    if b == Base::Narr
                        && let Some((d, s, e)) = narr_day
                    {
                        *src = AnchorSource::Narrative { start: s, end: e };
                        return Some(d);
                    }
                    match dct {
                        Some(d) => {
                            *src = AnchorSource::Dct;
                            Some(Day {
                                date: d,
                                year_known: true,
                            })
                        }
                        None => {
                            *src = AnchorSource::Unanchored;
                            None
                        }
                    }
                };
                let v: String = match &c.sem {
                    Sem::Cal { year, month, day } => match (year, month, day) {
                        (Some(y), None, None) => format!("{y:04}"),
                        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
                        (Some(y), Some(m), Some(d)) => match NaiveDate::from_ymd_opt(*y, *m, *d) {
                            Some(date) => {
                                day_out = Some(Day {
                                    date,
                                    year_known: true,
                                });
                                format!("{y:04}-{m:02}-{d:02}")
                            }
                            None => format!("{y:04}-{m:02}"),
                        },
                        (None, Some(m), d) => {
                            let y = match dct {
                                Some(dct) => {
                                    src = AnchorSource::Dct;
                                    Some(infer_year(dct, *m, d.unwrap_or(15), tense()))
                                }
                                None => {
                                    src = AnchorSource::Unanchored;
                                    None
                                }
                            };
                            let ys = y.map(|y| format!("{y:04}")).unwrap_or("XXXX".into());
                            match d {
                                Some(d) => {
                                    match NaiveDate::from_ymd_opt(y.unwrap_or(NO_YEAR), *m, *d) {
                                        Some(date) => {
                                            day_out = Some(Day {
                                                date,
                                                year_known: y.is_some(),
                                            });
                                            format!("{ys}-{m:02}-{d:02}")
                                        }
                                        None => format!("{ys}-{m:02}"),
                                    }
                                }
                                None => format!("{ys}-{m:02}"),
                            }
                        }
                        _ => "XXXX-XX-XX".into(),
                    },
                    Sem::Weekday { wd, rel } => match dct {
                        Some(dct) => {
                            src = AnchorSource::Dct;
                            let d = weekday(dct, *wd, *rel, tense());
                            day_out = Some(Day {
                                date: d,
                                year_known: true,
                            });
                            d.format("%Y-%m-%d").to_string()
                        }
                        None => {
                            src = AnchorSource::Unanchored;
                            format!("XXXX-WXX-{wd}")
                        }
                    },
                    Sem::DayRel { base, offset } => match base_day(*base, &mut src) {
                        Some(b) => {
                            let d = Day {
                                date: b.date + Duration::days(*offset),
                                year_known: b.year_known,
                            };
                            day_out = Some(d);
                            d.fmt()
                        }
                        None if *offset == 0 && *base == Base::Dct && c.pod.is_none() => {
                            "PRESENT_REF".into()
                        }
                        None => "XXXX-XX-XX".into(),
                    },
                    Sem::UnitRel { base, unit, offset } => match base_day(*base, &mut src) {
                        Some(b) => {
                            let (v, d) = unit_rel(b, *unit, *offset);
                            day_out = d;
                            v
                        }
                        None => unit_unknown(*unit),
                    },
                    Sem::MonthRel { month, rel } => match dct {
                        Some(dct) => {
                            src = AnchorSource::Dct;
                            let y = match rel {
                                -1 if *month < dct.month() => dct.year(),
                                -1 => dct.year() - 1,
                                1 if *month > dct.month() => dct.year(),
                                1 => dct.year() + 1,
                                _ => dct.year(),
                            };
                            format!("{y:04}-{month:02}")
                        }
                        None => {
                            src = AnchorSource::Unanchored;
                            format!("XXXX-{month:02}")
                        }
                    },
                    Sem::Season { code, year, rel } => match (year, dct) {
                        (Some(y), _) => format!("{y:04}-{code}"),
                        (None, Some(dct)) => {
                            src = AnchorSource::Dct;
                            let end = season_end(code);
                            let y = match rel {
                                Some(-1) if dct.month() > end && code != "WI" => dct.year(),
                                Some(-1) => dct.year() - 1,
                                Some(1) if dct.month() < end - 2 => dct.year(),
                                Some(1) => dct.year() + 1,
                                Some(_) => dct.year(),
                                None => infer_year(dct, end, 28, tense()),
                            };
                            format!("{y:04}-{code}")
                        }
                        (None, None) => {
                            src = AnchorSource::Unanchored;
                            format!("XXXX-{code}")
                        }
                    },
                    Sem::Quarter { q, year, rel } => match (year, rel, dct) {
                        (Some(y), _, _) => format!("{y:04}-Q{q}"),
                        (None, Some(r), Some(dct)) => {
                            src = AnchorSource::Dct;
                            format!("{:04}-Q{q}", dct.year() as i64 + r)
                        }
                        (None, None, Some(dct)) => {
                            src = AnchorSource::Dct;
                            let cur = (dct.month() - 1) / 3 + 1;
                            let y = if *q > cur && tense() != 1 {
                                dct.year() - 1
                            } else {
                                dct.year()
                            };
                            format!("{y:04}-Q{q}")
                        }
                        _ => {
                            src = AnchorSource::Unanchored;
                            format!("XXXX-Q{q}")
                        }
                    },
                    Sem::Weekend => match dct {
                        Some(dct) => {
                            src = AnchorSource::Dct;
                            let w = dct.weekday().number_from_monday();
                            let t = tense();
                            let back = if t == -1 && w < 6 || t == 0 && w <= 3 {
                                -1
                            } else {
                                0
                            };
                            unit_rel(
                                Day {
                                    date: dct,
                                    year_known: true,
                                },
                                Unit::We,
                                back,
                            )
                            .0
                        }
                        None => {
                            src = AnchorSource::Unanchored;
                            "XXXX-WXX-WE".into()
                        }
                    },
                    Sem::Prefix(p) => p.clone(),
                    Sem::Lit(l) => l.clone(),
                    Sem::None => match base_day(Base::Narr, &mut src) {
                        Some(d) => {
                            day_out = Some(d);
                            d.fmt()
                        }
                        None => "XXXX-XX-XX".into(),
                    },
                };
                if c.pod.is_some() || c.clock.is_some() {
                    let mut v = v;
                    if let Some(p) = &c.pod {
                        v = format!("{v}T{p}");
                    }
                    if let Some((h, m)) = c.clock {
                        v = format!("{v}T{h:02}:{m:02}");
                        if let Some(z) = &c.tz {
                            v.push_str(z);
                        }
                    }
                    (TimexKind::Time, v)
                } else {
                    (TimexKind::Date, v)
                }
            }
        };
        // The stated zone, else the publication place's offset when the caller knows it.
        let zone = c.tz.clone().or_else(|| {
            anchor.tz.map(|o| {
                let s = o.local_minus_utc();
                let sign = if s < 0 { '-' } else { '+' };
                format!("{sign}{:02}:{:02}", s.abs() / 3600, s.abs() % 3600 / 60)
            })
        });
        let utc = match (c.clock, &zone, day_out) {
            (Some((h, m)), Some(z), Some(d)) if d.year_known => utc(d.date, h, m, z),
            _ => None,
        };
        if let Some(d) = day_out {
            narr = Some(Narr { day: d, start, end });
        }
        out.push(Timex {
            start,
            end,
            text: text[start..end].to_string(),
            kind,
            value,
            modifier: c.modi,
            anchor_source: src,
            utc,
        });
    }
    out
}

fn utc(d: NaiveDate, h: u32, m: u32, z: &str) -> Option<String> {
    let secs: i64 = if z == "Z" {
        0
    } else {
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let (hh, mm) = z.get(1..)?.split_once(':')?;
        sign * (hh.parse::<i64>().ok()? * 3600 + mm.parse::<i64>().ok()? * 60)
    };
    let t = NaiveDateTime::new(d, NaiveTime::from_hms_opt(h % 24, m, 0)?)
        + Duration::days((h / 24) as i64)
        - Duration::seconds(secs);
    Some(t.format("%Y-%m-%dT%H:%MZ").to_string())
}

fn season_end(code: &str) -> u32 {
    match code {
        "SP" => 5,
        "SU" => 8,
        "FA" => 11,
        _ => 2,
    }
}

/// News heuristic for a month (and day) without a year: the DCT year, unless the tense puts
/// it in the year before (past, later in the calendar than the DCT) or after (future, earlier).
fn infer_year(dct: NaiveDate, m: u32, d: u32, tense: i8) -> i32 {
    let later = (m, d) > (dct.month(), dct.day());
    let earlier = (m, d) < (dct.month(), dct.day());
    match tense {
        -1 if later => dct.year() - 1,
        1 if earlier && m < dct.month() => dct.year() + 1,
        _ => dct.year(),
    }
}

fn weekday(dct: NaiveDate, wd: u32, rel: i8, tense: i8) -> NaiveDate {
    let cur = dct.weekday().number_from_monday() as i64;
    let wd = wd as i64;
    let back = (cur - wd).rem_euclid(7);
    let fwd = (wd - cur).rem_euclid(7);
    match rel {
        -1 => dct - Duration::days(if back == 0 { 7 } else { back }),
        1 => dct + Duration::days(if fwd == 0 { 7 } else { fwd }),
        2 => dct + Duration::days(wd - cur),
        _ if tense == 1 => dct + Duration::days(fwd),
        _ => dct - Duration::days(back),
    }
}

fn unit_unknown(u: Unit) -> String {
    match u {
        Unit::Y => "XXXX".into(),
        Unit::De => "XXX".into(),
        Unit::Ce => "XX".into(),
        Unit::Q => "XXXX-QX".into(),
        Unit::M => "XXXX-XX".into(),
        Unit::W | Unit::Fn => "XXXX-WXX".into(),
        Unit::We => "XXXX-WXX-WE".into(),
        _ => "XXXX-XX-XX".into(),
    }
}

fn unit_rel(b: Day, u: Unit, off: i64) -> (String, Option<Day>) {
    let yk = b.year_known;
    let y = |y: i32| {
        if yk {
            format!("{y:04}")
        } else {
            "XXXX".to_string()
        }
    };
    let week = |d: NaiveDate| {
        let w = d.iso_week();
        if yk {
            format!("{:04}-W{:02}", w.year(), w.week())
        } else {
            format!("XXXX-W{:02}", w.week())
        }
    };
    let d = b.date;
    // News weeks run Sunday to Saturday: on a Sunday, "this week" is the week ahead.
    let wd = if d.weekday() == chrono::Weekday::Sun {
        d + Duration::days(1)
    } else {
        d
    };
    match u {
        Unit::Y => (y(d.year() + off as i32), None),
        Unit::De if yk => (format!("{}", d.year() / 10 + off as i32), None),
        Unit::Ce if yk => (format!("{}", d.year() / 100 + off as i32), None),
        Unit::Q => {
            let q0 = (d.year() as i64) * 4 + ((d.month() as i64 - 1) / 3) + off;
            (
                format!("{}-Q{}", y(q0.div_euclid(4) as i32), q0.rem_euclid(4) + 1),
                None,
            )
        }
        Unit::M => {
            let m0 = (d.year() as i64) * 12 + (d.month() as i64 - 1) + off;
            (
                format!(
                    "{}-{:02}",
                    y(m0.div_euclid(12) as i32),
                    m0.rem_euclid(12) + 1
                ),
                None,
            )
        }
        Unit::W => (week(wd + Duration::days(7 * off)), None),
        Unit::Fn => (week(wd + Duration::days(14 * off)), None),
        Unit::We => (format!("{}-WE", week(d + Duration::days(7 * off))), None),
        Unit::D => {
            let nd = Day {
                date: d + Duration::days(off),
                year_known: yk,
            };
            (nd.fmt(), Some(nd))
        }
        Unit::H | Unit::Min | Unit::S => (b.fmt(), None),
        _ => (unit_unknown(u), None),
    }
}

/// Tense around tokens [ts, te): -1 past, 1 future, 0 unknown. The nearest cue in the sentence
/// wins, looking back first (up to 12 tokens), then ahead (up to 8).
fn tense(toks: &[Tok], ts: usize, te: usize) -> i8 {
    let cue = |t: &Tok| -> i8 {
        if t.kind != TK::Word {
            return 0;
        }
        match LEX.cues.get(&t.low).map(String::as_str) {
            Some("F") => 1,
            Some("P") => -1,
            _ => 0,
        }
    };
    let stop = |t: &Tok| t.kind == TK::Punct && matches!(t.low.as_str(), "." | "!" | "?" | ";");
    let mut i = ts;
    let mut n = 0;
    while i > 0 && n < 12 {
        if toks[i].brk {
            break;
        }
        i -= 1;
        n += 1;
        let t = &toks[i];
        if stop(t) {
            break;
        }
        // "'ll"
        if t.low == "ll" && i > 0 && toks[i - 1].low == "'" {
            return 1;
        }
        let c = cue(t);
        if c != 0 {
            return c;
        }
    }
    let mut i = te;
    let mut n = 0;
    while i < toks.len() && n < 8 {
        let t = &toks[i];
        if t.brk || stop(t) {
            break;
        }
        let c = cue(t);
        if c != 0 {
            return c;
        }
        i += 1;
        n += 1;
    }
    0
}
