//! Recognition: a token-level grammar tried at every token, longest match wins. Every rule
//! looks ahead a bounded number of tokens, so a scan is linear in the text length.

use crate::TimexMod;
use crate::lex::LEX;
use crate::tok::{TK, Tok};

/// What to count from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// The document creation time ("yesterday", "last week", "three years ago").
    Dct,
    /// The latest day the narrative mentioned ("the next morning", "two days later").
    Narr,
}

/// Calendar units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Y,
    De,
    Ce,
    Q,
    M,
    W,
    Fn,
    We,
    D,
    H,
    Min,
    S,
}

impl Unit {
    fn parse(code: &str) -> Option<Unit> {
        Some(match code {
            "Y" => Unit::Y,
            "DE" => Unit::De,
            "CE" => Unit::Ce,
            "Q" => Unit::Q,
            "M" => Unit::M,
            "W" => Unit::W,
            "FN" => Unit::Fn,
            "WE" => Unit::We,
            "D" => Unit::D,
            "H" => Unit::H,
            "MIN" => Unit::Min,
            "S" => Unit::S,
            _ => return None,
        })
    }

    /// ISO 8601 duration of `n` units (`None` = unspecified number).
    pub(crate) fn duration(self, n: Option<f64>) -> String {
        let fmt = |x: f64| {
            if (x - x.round()).abs() < 1e-9 {
                format!("{}", x.round() as i64)
            } else {
                let s = format!("{x:.2}");
                s.trim_end_matches('0').to_string()
            }
        };
        let (t, mult, code) = match self {
            Unit::Y => ("", 1.0, "Y"),
            Unit::De => ("", 10.0, "Y"),
            Unit::Ce => ("", 100.0, "Y"),
            Unit::Q => ("", 3.0, "M"),
            Unit::M => ("", 1.0, "M"),
            Unit::W => ("", 1.0, "W"),
            Unit::Fn => ("", 2.0, "W"),
            Unit::We => ("", 2.0, "D"),
            Unit::D => ("", 1.0, "D"),
            Unit::H => ("T", 1.0, "H"),
            Unit::Min => ("T", 1.0, "M"),
            Unit::S => ("T", 1.0, "S"),
        };
        match n {
            Some(x) => format!("P{t}{}{code}", fmt(x * mult)),
            None => match self {
                Unit::De => "PXDE".to_string(),
                Unit::Ce => "PXCE".to_string(),
                _ => format!("P{t}X{code}"),
            },
        }
    }
}

/// The date part of an expression, before resolution.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Sem {
    /// Explicit calendar fields; a missing year is inferred from the DCT.
    Cal {
        year: Option<i32>,
        month: Option<u32>,
        day: Option<u32>,
    },
    /// A weekday name; `rel` -1 last, 0 plain, 1 next, 2 this.
    Weekday { wd: u32, rel: i8 },
    /// `offset` days from the base ("yesterday", "the next day", "that evening").
    DayRel { base: Base, offset: i64 },
    /// `offset` units from the base ("last week", "this year", "three years ago").
    UnitRel { base: Base, unit: Unit, offset: i64 },
    /// A month name with last/next/this.
    MonthRel { month: u32, rel: i8 },
    /// A season, with an explicit year or an offset from the DCT year.
    Season {
        code: String,
        year: Option<i32>,
        rel: Option<i8>,
    },
    /// A quarter, with an explicit year or an offset from the DCT year (None: infer).
    Quarter {
        q: u32,
        year: Option<i32>,
        rel: Option<i64>,
    },
    /// A decade ("199") or century ("19"): the value prefix.
    Prefix(String),
    /// A literal value (PRESENT_REF, …).
    Lit(String),
    /// "the weekend": the last one in past tense, else the coming one (from the DCT).
    Weekend,
    /// No date part: a bare clock time takes the narrative day.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Date,
    Duration,
    Set,
}

/// A recognised expression, before resolution.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    /// Token span [ts, te).
    pub ts: usize,
    pub te: usize,
    pub class: Class,
    pub sem: Sem,
    /// Duration or set value, when class is not Date.
    pub lit: String,
    pub pod: Option<String>,
    /// Clock time (hour, minute).
    pub clock: Option<(u32, u32)>,
    pub tz: Option<String>,
    pub modi: Option<TimexMod>,
}

impl Cand {
    fn date(ts: usize, te: usize, sem: Sem) -> Self {
        Cand {
            ts,
            te,
            class: Class::Date,
            sem,
            lit: String::new(),
            pod: None,
            clock: None,
            tz: None,
            modi: None,
        }
    }
    fn lit(ts: usize, te: usize, class: Class, lit: String) -> Self {
        Cand {
            lit,
            class,
            ..Cand::date(ts, te, Sem::None)
        }
    }
    /// A date part that names a single day (can carry a part of day or a clock time).
    fn is_day(&self) -> bool {
        match &self.sem {
            Sem::Cal { day, .. } => day.is_some(),
            Sem::Weekday { .. } | Sem::DayRel { .. } => true,
            Sem::UnitRel { unit, .. } => *unit == Unit::D,
            _ => false,
        }
    }
}

pub(crate) struct Parser<'a> {
    t: &'a [Tok],
    /// Nesting of rules that call `core` again ("the evening of …", "early …"): bounded, so
    /// a scan stays linear and the stack shallow on any input.
    depth: std::cell::Cell<u32>,
}

const APPROX: &[&str] = &[
    "about",
    "around",
    "approximately",
    "roughly",
    "some",
    "circa",
];
const LESS: &[&str] = &["nearly", "almost"];
const ADJ_UNIT: &[&str] = &[
    "consecutive",
    "straight",
    "successive",
    "full",
    "additional",
    "more",
    "long",
    "trading",
    "business",
    "working",
    "calendar",
    "fiscal",
    "financial",
];
const PREP_DAY: &[&str] = &[
    "on",
    "during",
    "that",
    "throughout",
    "same",
    "all",
    "end",
    "ending",
    "ended",
    "ends",
    "finish",
    "finished",
    "finishing",
    "for",
    "in",
    "close",
    "closed",
    "closing",
];

impl<'a> Parser<'a> {
    pub(crate) fn new(t: &'a [Tok]) -> Self {
        Parser {
            t,
            depth: std::cell::Cell::new(0),
        }
    }

    fn w(&self, i: usize) -> &str {
        self.t.get(i).map(|t| t.low.as_str()).unwrap_or("")
    }
    fn is(&self, i: usize, s: &str) -> bool {
        self.w(i) == s
    }
    fn any(&self, i: usize, set: &[&str]) -> bool {
        set.contains(&self.w(i))
    }
    /// Token `i` is glued to the previous one (no space, no break).
    fn glued(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.space && !t.brk)
    }
    /// A candidate must not run over a line or sentence break.
    fn crosses(&self, c: &Cand) -> bool {
        (c.ts + 1..c.te).any(|k| self.t.get(k).is_some_and(|t| t.brk))
    }
    fn brk(&self, i: usize) -> bool {
        self.t.get(i).is_none_or(|t| t.brk)
    }
    fn num_tok(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.t.get(i)?;
        if t.kind != TK::Num || t.low.len() > 9 {
            return None;
        }
        Some((t.low.parse().ok()?, t.low.len()))
    }

    /// All expressions in the token stream, left to right, not overlapping.
    pub(crate) fn run(&self) -> Vec<Cand> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.t.len() {
            let t = &self.t[i];
            let opens = match t.kind {
                TK::Num => true,
                TK::Punct => t.low == "'",
                TK::Word => LEX.triggers.contains(&t.low),
            };
            if !opens {
                i += 1;
                continue;
            }
            match self.at(i) {
                Some(c) if c.te > i => {
                    i = c.te;
                    out.push(c);
                }
                _ => i += 1,
            }
        }
        out
    }

    /// The longest expression starting at token `i`, with its modifiers.
    fn at(&self, i: usize) -> Option<Cand> {
        // Modifiers kept outside the extent.
        let (k, outer) = match (self.w(i), self.w(i + 1)) {
            ("more", "than") | ("over", "the") => (i + 2, Some(TimexMod::MoreThan)),
            ("less", "than") | ("under", _) => (i + 2, Some(TimexMod::LessThan)),
            ("at", "least") => (i + 2, Some(TimexMod::EqualOrMore)),
            ("up", "to") | ("at", "most") => (i + 2, Some(TimexMod::EqualOrLess)),
            _ => (i, None),
        };
        if k > i {
            let k = if self.is(i, "under") { i + 1 } else { k };
            let k = if self.is(i, "over") { i + 1 } else { k };
            if let Some(mut c) = self.inner(k)
                && c.class == Class::Duration
            {
                c.modi = c.modi.or(outer);
                return Some(c);
            }
        }
        self.inner(i)
    }

    fn inner(&self, i: usize) -> Option<Cand> {
        // Modifiers inside the extent.
        let (k, m) = if self.any(i, APPROX) {
            (i + 1, Some(TimexMod::Approx))
        } else if self.any(i, LESS) {
            (i + 1, Some(TimexMod::LessThan))
        } else if self.is(i, "over") {
            (i + 1, None)
        } else {
            (i, None)
        };
        if k > i
            && let Some(mut c) = self.core(k)
        {
            // "some" only qualifies numbers of units ("some 20 years").
            if self.is(i, "some") && !(c.class == Class::Duration && self.num(k).is_some()) {
                return None;
            }
            if self.is(i, "over") && c.class != Class::Duration {
                return None;
            }
            c.ts = i;
            c.modi = c.modi.or(m);
            return Some(c);
        }
        self.core(i)
    }

    fn core(&self, i: usize) -> Option<Cand> {
        if self.depth.get() >= 3 {
            return None;
        }
        self.depth.set(self.depth.get() + 1);
        let c = self.core_inner(i);
        self.depth.set(self.depth.get() - 1);
        c
    }

    fn core_inner(&self, i: usize) -> Option<Cand> {
        let mut best: Option<Cand> = None;
        let mut take = |c: Option<Cand>| {
            if let Some(c) = c
                && !self.crosses(&c)
                && best.as_ref().is_none_or(|b| c.te > b.te)
            {
                best = Some(c);
            }
        };
        take(self.vague(i));
        take(self.explicit(i));
        take(self.deictic(i));
        take(self.duration(i));
        take(self.set(i));
        take(self.pod_of(i));
        take(self.season(i));
        take(self.quarter(i));
        take(self.edge(i));
        take(self.year_range(i));
        let mut c = best?;
        self.extend(&mut c);
        Some(c)
    }

    /// Parts of day, clock times and zones after a day ("Friday afternoon", "15:00 GMT Saturday").
    fn extend(&self, c: &mut Cand) {
        if c.class != Class::Date || c.pod.is_some() || c.clock.is_some() {
            return;
        }
        if c.is_day()
            && !self.brk(c.te)
            && let Some((n, pod)) = LEX.pods.match_at(self.t, c.te)
            && !self.is(c.te, "night") | !self.is(c.te + 1, "club")
        {
            c.pod = Some(pod.to_string());
            c.te += n;
        }
    }

    // ----- numbers -----

    /// A cardinal number: digits, number words ("twenty-five", "two hundred"), "a couple of".
    fn num(&self, i: usize) -> Option<(usize, f64)> {
        let t = self.t.get(i)?;
        if t.kind == TK::Num {
            if t.low.len() > 6 {
                return None;
            }
            let mut v: f64 = t.low.parse().ok()?;
            let mut j = i + 1;
            // 1,000
            while self.is(j, ",")
                && self.glued(j)
                && self.glued(j + 1)
                && self
                    .t
                    .get(j + 1)
                    .is_some_and(|t| t.kind == TK::Num && t.low.len() == 3)
            {
                v = v * 1000.0 + self.w(j + 1).parse::<f64>().ok()?;
                j += 2;
            }
            // 2.5
            if self.is(j, ".")
                && self.glued(j)
                && self.glued(j + 1)
                && let Some(f) = self.t.get(j + 1).filter(|t| t.kind == TK::Num)
            {
                v += format!("0.{}", f.low).parse::<f64>().ok()?;
                j += 2;
            }
            return Some((j, v));
        }
        if t.low == "a" && self.is(i + 1, "couple") && self.is(i + 2, "of") {
            return Some((i + 3, 2.0));
        }
        if t.low == "a" && self.is(i + 1, "dozen") {
            return Some((i + 2, 12.0));
        }
        let mut v = *LEX.numbers.get(&t.low)?;
        if t.low == "couple" {
            return None;
        }
        let mut j = i + 1;
        if (20.0..100.0).contains(&v)
            && self.is(j, "-")
            && let Some(u) = LEX.numbers.get(self.w(j + 1))
            && *u < 10.0
        {
            v += u;
            j += 2;
        }
        if self.is(j, "hundred") && v < 100.0 {
            v *= 100.0;
            j += 1;
        }
        Some((j, v))
    }

    /// Number of units: a number, "a"/"an", or vague quantity words (→ None = unspecified).
    fn quantity(&self, i: usize) -> Option<(usize, Option<f64>)> {
        if let Some((j, v)) = self.num(i) {
            // "two and a half"
            if self.is(j, "and") && self.is(j + 1, "a") && self.is(j + 2, "half") {
                return Some((j + 3, Some(v + 0.5)));
            }
            return Some((j, Some(v)));
        }
        match self.w(i) {
            "a" | "the" if self.is(i + 1, "few") => Some((i + 2, None)),
            "a" | "an" | "one" => Some((i + 1, Some(1.0))),
            "half" if self.any(i + 1, &["a", "an"]) => Some((i + 2, Some(0.5))),
            "single" if self.is(i + 1, "-") => Some((i + 1, Some(1.0))),
            "several" | "many" | "few" | "numerous" | "multiple" => Some((i + 1, None)),
            _ => None,
        }
    }

    fn unit(&self, i: usize) -> Option<(usize, Unit, bool)> {
        let w = self.w(i);
        let u = Unit::parse(LEX.units.get(w)?)?;
        let plural = w.ends_with('s') && w != "hrs" && w != "mins" || w == "centuries";
        Some((i + 1, u, plural))
    }

    // ----- rules -----

    fn vague(&self, i: usize) -> Option<Cand> {
        let (n, v) = LEX.vague.match_at(self.t, i)?;
        // "the past" and "the future" need a preposition before them ("in the past").
        if (v == "PAST_REF" || v == "FUTURE_REF")
            && self.is(i, "the")
            && !self.any(i.wrapping_sub(1), &["in", "into", "for", "near", "of"])
        {
            return None;
        }
        if self.is(i, "now") && self.is(i + 1, "that") {
            return None;
        }
        Some(Cand::date(i, i + n, Sem::Lit(v.to_string())))
    }

    fn month(&self, i: usize) -> Option<(usize, u32)> {
        let t = self.t.get(i)?;
        let m = *LEX.months.get(&t.low)?;
        let full = t.low.len() > 3 || t.low == "may";
        let j = i + 1;
        let dot = self.is(j, ".") && self.glued(j);
        let next_num = self
            .t
            .get(j + dot as usize)
            .is_some_and(|t| t.kind == TK::Num);
        if !t.cap {
            return None;
        }
        if !full && !dot && !next_num {
            return None;
        }
        if !full && !dot && t.low == "sun" {
            return None;
        }
        Some((j + (dot && !full) as usize, m))
    }

    /// A day of month: "24", "24th", "twenty-fourth", "first".
    fn mday(&self, i: usize) -> Option<(usize, u32)> {
        if let Some((v, len)) = self.num_tok(i)
            && len <= 2
            && (1..=31).contains(&v)
        {
            let j = if self.any(i + 1, &["st", "nd", "rd", "th"]) && self.glued(i + 1) {
                i + 2
            } else {
                i + 1
            };
            return Some((j, v));
        }
        if let Some(v) = LEX.ordinals.get(self.w(i)) {
            if self.is(i + 1, "-")
                && let Some(u) = LEX
                    .ordinals
                    .get(&format!("{}-{}", self.w(i), self.w(i + 2)))
            {
                return Some((i + 3, *u));
            }
            return Some((i + 1, *v));
        }
        if self.is(i + 1, "-")
            && let Some(u) = LEX
                .ordinals
                .get(&format!("{}-{}", self.w(i), self.w(i + 2)))
        {
            return Some((i + 3, *u));
        }
        None
    }

    fn year4(&self, i: usize) -> Option<(usize, i32)> {
        let (v, len) = self.num_tok(i)?;
        let thousands = self.is(i + 1, ",")
            && self.glued(i + 1)
            && self.glued(i + 2)
            && self.num_tok(i + 2).is_some_and(|(_, l)| l == 3);
        if len == 4 && (1000..=2199).contains(&v) && !thousands {
            return Some((i + 1, v as i32));
        }
        None
    }

    /// A year standing alone: stricter, to keep counts and amounts out.
    fn lone_year(&self, i: usize) -> Option<(usize, i32)> {
        let (j, y) = self.year4(i)?;
        if !(1600..=2100).contains(&y) {
            return None;
        }
        let prev = self.w(i.wrapping_sub(1));
        if [
            "$", "£", "€", "#", "no", "number", "flight", "route", "rs", "us",
        ]
        .contains(&prev)
            || (prev == "." && self.glued(i))
            || (prev == ":" && self.glued(i))
        {
            return None;
        }
        let next = self.w(j);
        if [
            "%",
            "percent",
            "per",
            "km",
            "kilometers",
            "miles",
            "m",
            "feet",
            "meters",
            "metres",
        ]
        .contains(&next)
            || (next == "."
                && self.glued(j)
                && self.t.get(j + 1).is_some_and(|t| t.kind == TK::Num))
            || (next == ":" && self.glued(j))
        {
            return None;
        }
        // "1500 troops": a number before a plural noun (unless a preposition or article
        // makes it a year: "in 2009 prices", "a 2009 study").
        let year_cue = [
            "in",
            "since",
            "by",
            "from",
            "until",
            "till",
            "of",
            "a",
            "the",
            "during",
            "before",
            "after",
            "early",
            "late",
            "mid",
            "between",
            "and",
            "to",
            "through",
            "throughout",
        ]
        .contains(&prev);
        if !year_cue
            && let Some(t) = self.t.get(j)
            && t.kind == TK::Word
            && !t.cap
            && t.low.len() > 3
            && t.low.ends_with('s')
            && !t.low.ends_with("ss")
            && ![
                "was", "has", "is", "this", "its", "his", "thus", "plus", "as", "does", "across",
                "versus", "towards",
            ]
            .contains(&t.low.as_str())
            && !self.any(j, &["elections", "olympics", "games", "finals", "midterms"])
        {
            return None;
        }
        Some((j, y))
    }

    fn explicit(&self, i: usize) -> Option<Cand> {
        if self.depth.get() >= 4 {
            return None;
        }
        self.depth.set(self.depth.get() + 1);
        let c = self.explicit_inner(i);
        self.depth.set(self.depth.get() - 1);
        c
    }

    fn explicit_inner(&self, i: usize) -> Option<Cand> {
        let mut best: Option<Cand> = None;
        let mut take = |c: Cand| {
            if !self.crosses(&c) && best.as_ref().is_none_or(|b| c.te > b.te) {
                best = Some(c);
            }
        };
        let comma = |j: usize| if self.is(j, ",") { j + 1 } else { j };
        // Month [day][, year] | Month [of] year | Month alone.
        if let Some((j, m)) = self.month(i) {
            let mut done = false;
            if self.t.get(j).is_some_and(|t| t.kind == TK::Num)
                && let Some((k, d)) = self.mday(j)
                && !self.is(k, ":")
            {
                if let Some((l, y)) = self.year4(comma(k)) {
                    take(Cand::date(i, l, cal(Some(y), Some(m), Some(d))));
                } else {
                    take(Cand::date(i, k, cal(None, Some(m), Some(d))));
                }
                done = true;
            }
            if !done {
                let k = if self.is(j, "of") { j + 1 } else { comma(j) };
                if let Some((l, y)) = self.year4(k) {
                    take(Cand::date(i, l, cal(Some(y), Some(m), None)));
                } else if self.month_alone_ok(i, j) {
                    take(Cand::date(i, j, cal(None, Some(m), None)));
                }
            }
        }
        // [the] day [of] Month [year]
        {
            let s = if self.is(i, "the") { i + 1 } else { i };
            if let Some((j, d)) = self.mday(s) {
                let of = self.is(j, "of");
                let j2 = if of { j + 1 } else { j };
                let ordinal_form = j > s + 1 || LEX.ordinals.contains_key(self.w(s));
                if let Some((k, m)) = self.month(j2)
                    && (of || s == i)
                    && (ordinal_form || self.t[s].kind == TK::Num)
                {
                    if let Some((l, y)) = self.year4(comma(k)) {
                        take(Cand::date(i, l, cal(Some(y), Some(m), Some(d))));
                    } else {
                        take(Cand::date(i, k, cal(None, Some(m), Some(d))));
                    }
                }
            }
        }
        // Weekday [, Month day [, year]] | Weekday [, day Month]
        if let Some(wd) = LEX.weekdays.get(self.w(i)).copied()
            && self.t[i].cap
            && (self.w(i).len() > 3 || self.is(i + 1, ".") || self.is(i + 1, ","))
        {
            let j = if self.w(i).len() <= 4 && self.is(i + 1, ".") {
                i + 2
            } else {
                i + 1
            };
            if self.w(i).len() > 4 || j == i + 2 || self.is(i + 1, ",") {
                take(Cand::date(i, j, Sem::Weekday { wd, rel: 0 }));
                if let Some(mut c) = self.explicit(comma(j))
                    && matches!(c.sem, Sem::Cal { day: Some(_), .. })
                {
                    c.ts = i;
                    take(c);
                }
            }
        }
        // Holidays.
        if let Some((n, md)) = LEX.holidays.match_at(self.t, i)
            && self.t[i].cap
        {
            let (m, d) = md.split_once('-').unwrap_or(("1", "1"));
            let (m, d) = (m.parse().ok(), d.parse().ok());
            if let Some((l, y)) = self.year4(i + n) {
                take(Cand::date(i, l, cal(Some(y), m, d)));
            } else {
                take(Cand::date(i, i + n, cal(None, m, d)));
            }
        }
        // ISO 2013-03-22 and US 3/22/2013.
        if let Some((j, y)) = self.year4(i)
            && self.is(j, "-")
            && self.glued(j)
            && let Some((m, 2)) = self.num_tok(j + 1)
            && self.is(j + 2, "-")
            && let Some((d, 2)) = self.num_tok(j + 3)
            && (1..=12).contains(&m)
            && (1..=31).contains(&d)
        {
            take(Cand::date(i, j + 4, cal(Some(y), Some(m), Some(d))));
        }
        if let Some((m, _)) = self.num_tok(i)
            && self.is(i + 1, "/")
            && let Some((d, _)) = self.num_tok(i + 2)
            && self.is(i + 3, "/")
            && let Some((y, yl)) = self.num_tok(i + 4)
            && (1..=12).contains(&m)
            && (1..=31).contains(&d)
            && (yl == 4 || yl == 2)
        {
            let y = if yl == 2 { 2000 + y as i32 } else { y as i32 };
            take(Cand::date(i, i + 5, cal(Some(y), Some(m), Some(d))));
        }
        // Years, decades, '82.
        if let Some((j, y)) = self.lone_year(i) {
            if self.is(j, "s") && self.glued(j) {
                take(Cand::date(i, j + 1, Sem::Prefix(format!("{}", y / 10))));
            } else if !(self.is(j, "-") && self.glued(j) && self.unit(j + 1).is_some()) {
                take(Cand::date(i, j, cal(Some(y), None, None)));
            }
        }
        if self.is(i, "'")
            && let Some((v, 2)) = self.num_tok(i + 1)
            && self.glued(i + 1)
        {
            let y = if v <= 30 { 2000 + v } else { 1900 + v } as i32;
            if self.is(i + 2, "s") && self.glued(i + 2) {
                take(Cand::date(i, i + 3, Sem::Prefix(format!("{}", y / 10))));
            } else {
                take(Cand::date(i, i + 2, cal(Some(y), None, None)));
            }
        }
        if let Some((v, 2)) = self.num_tok(i)
            && v % 10 == 0
            && self.is(i + 1, "s")
            && self.glued(i + 1)
            && self.is(i.wrapping_sub(1), "the")
        {
            let y = if v <= 20 { 2000 + v } else { 1900 + v } as i32;
            take(Cand::date(i, i + 2, Sem::Prefix(format!("{}", y / 10))));
        }
        // Centuries: "the 20th century", "the nineteenth century".
        {
            let s = if self.is(i, "the") { i + 1 } else { i };
            if let Some((j, n)) = self.mday(s)
                && self.any(j, &["century"])
                && (self.t[s].kind != TK::Num || j > s + 1)
            {
                take(Cand::date(s, j + 1, Sem::Prefix(format!("{:02}", n - 1))));
            }
        }
        best
    }

    /// A month name alone needs context when it is also a common word ("may", "march").
    fn month_alone_ok(&self, i: usize, j: usize) -> bool {
        let w = self.w(i);
        if w.len() <= 3 && w != "may" {
            return false;
        }
        if w == "may" || w == "march" {
            let p = self.w(i.wrapping_sub(1));
            return [
                "in", "since", "until", "by", "last", "next", "this", "early", "late", "mid", "of",
                "from", "through", "between", "and", "to", "before", "after", "during", "-",
            ]
            .contains(&p)
                && !self
                    .t
                    .get(j)
                    .is_some_and(|t| t.kind == TK::Word && !t.cap && t.low == "be");
        }
        true
    }

    /// today, yesterday, this week, last Friday, next year, the next day, three years ago …
    fn deictic(&self, i: usize) -> Option<Cand> {
        let w = self.w(i);
        let day = |off: i64, n: usize| {
            Some(Cand::date(
                i,
                i + n,
                Sem::DayRel {
                    base: Base::Dct,
                    offset: off,
                },
            ))
        };
        match w {
            "earlier" | "later" | "early" | "late"
                if self.any(i + 1, &["today", "tonight", "yesterday", "tomorrow"]) =>
            {
                let mut c = self.deictic(i + 1)?;
                c.ts = i;
                return Some(c);
            }
            "today" => return day(0, 1),
            "yesterday" => return day(-1, 1),
            "tomorrow" => return day(1, 1),
            "tonight" => {
                let mut c = day(0, 1)?;
                c.pod = Some("NI".into());
                return Some(c);
            }
            _ => {}
        }
        // Quantity + unit + ago / later / earlier.
        if let Some((j, n)) = self.quantity(i)
            && let Some((k, u, _)) = self.unit(j)
        {
            let (base, sign) = match self.w(k) {
                "ago" => (Base::Dct, -1),
                "later" | "afterwards" => (Base::Narr, 1),
                "earlier" | "before" if self.brk(k + 1) || self.any(k + 1, &[",", ".", "and"]) => {
                    (Base::Narr, -1)
                }
                _ => return None,
            };
            let n = n.unwrap_or(0.0);
            if n.fract() != 0.0 || n == 0.0 {
                return None;
            }
            // "a week ago", "two weeks later" name a day.
            let (u, n) = if u == Unit::W {
                (Unit::D, n * 7.0)
            } else {
                (u, n)
            };
            let mut c = Cand::date(
                i,
                k + 1,
                Sem::UnitRel {
                    base,
                    unit: u,
                    offset: sign * n as i64,
                },
            );
            if self.is(i, "a") || self.is(i, "an") {
                c.modi = None;
            }
            return Some(c);
        }
        // [the] this/last/next/past/coming/previous/following/same + X
        let the = self.is(i, "the");
        let s = if the { i + 1 } else { i };
        let rel = self.w(s);
        // "this past week" is last week.
        let this_past = rel == "this" && self.is(s + 1, "past");
        let s = if this_past { s + 1 } else { s };
        let rel = if this_past { "last" } else { rel };
        let off: i64 = match rel {
            "this" | "same" | "current" => 0,
            "last" | "previous" | "past" | "preceding" => -1,
            "next" | "following" | "coming" => 1,
            "that" => 0,
            _ => return None,
        };
        if (rel == "same" || rel == "previous" || rel == "following" || rel == "preceding") && !the
        {
            return None;
        }
        let j = s + 1;
        let x = self.w(j);
        // Narrative references: "the next day", "the following morning", "that evening".
        let narr = the && rel != "past" && rel != "coming" || rel == "that";
        if let Some((n, pod)) = LEX.pods.match_at(self.t, j)
            && !self.is(j, "overnight")
        {
            // "last night" / "this morning" are deictic; "the next morning" narrative.
            let base = if narr { Base::Narr } else { Base::Dct };
            let off = if rel == "last" && !the && pod == "NI" {
                -1
            } else if rel == "this" || rel == "that" || rel == "same" {
                0
            } else if rel == "last" && !the {
                -1
            } else {
                off
            };
            let mut c = Cand::date(i, j + n, Sem::DayRel { base, offset: off });
            c.pod = Some(pod.to_string());
            return Some(c);
        }
        if let Some(&wd) = LEX.weekdays.get(x)
            && x.len() > 3
            && !the
        {
            let rel = match rel {
                "last" | "past" => -1,
                "next" | "coming" => 1,
                _ => 2,
            };
            return Some(Cand::date(i, j + 1, Sem::Weekday { wd, rel }));
        }
        if let Some((k, m)) = self.month(j)
            && !the
        {
            let rel = match rel {
                "last" | "past" => -1,
                "next" | "coming" => 1,
                _ => 0,
            };
            return Some(Cand::date(i, k, Sem::MonthRel { month: m, rel }));
        }
        if let Some(code) = LEX.seasons.get(x)
            && !the
        {
            return Some(Cand::date(
                i,
                j + 1,
                Sem::Season {
                    code: code.clone(),
                    year: None,
                    rel: Some(off as i8),
                },
            ));
        }
        let (k, u, plural) = self.unit(j).or_else(|| {
            // "this fiscal year"
            if self.any(j, &["fiscal", "financial", "calendar", "school"]) {
                self.unit(j + 1).filter(|(_, u, _)| *u == Unit::Y)
            } else {
                None
            }
        })?;
        if plural || matches!(u, Unit::H | Unit::Min | Unit::S) {
            return None;
        }
        // "the past year" and "the next decade" are durations; "last week" and "the last year" dates.
        let duration = the
            && (rel == "past"
                || rel == "coming"
                || (matches!(u, Unit::De | Unit::Ce) && rel != "same"));
        if duration {
            let mut c = Cand::lit(i, k, Class::Duration, u.duration(Some(1.0)));
            c.sem = Sem::None;
            return Some(c);
        }
        if u == Unit::D && !narr && rel != "that" {
            return None;
        }
        let base = if narr && u == Unit::D
            || rel == "that"
            || (the && matches!(rel, "following" | "previous" | "preceding" | "same"))
        {
            Base::Narr
        } else {
            Base::Dct
        };
        let off = if rel == "same" { 0 } else { off };
        Some(Cand::date(
            i,
            k,
            Sem::UnitRel {
                base,
                unit: u,
                offset: off,
            },
        ))
    }

    /// "the evening of June 23", "the middle of the day on June 24th", "Sunday night" (via extend),
    /// "the day" after on/during.
    fn pod_of(&self, i: usize) -> Option<Cand> {
        if !self.is(i, "the") {
            return None;
        }
        if let Some((n, pod)) = LEX.pods.match_at(self.t, i + 1) {
            let j = i + 1 + n;
            if self.any(j, &["of", "on"])
                && let Some(mut c) = self.core(j + 1)
                && c.is_day()
                && c.pod.is_none()
                && c.clock.is_none()
            {
                c.ts = i;
                c.pod = Some(pod.to_string());
                return Some(c);
            }
            // "in the morning", "during the night": a part of the narrative day.
            if self.any(
                i.wrapping_sub(1),
                &["in", "during", "by", "throughout", "until"],
            ) && !self.is(j, "'")
                && !self
                    .t
                    .get(j)
                    .is_some_and(|t| t.kind == TK::Word && t.low.ends_with("ing"))
            {
                let mut c = Cand::date(
                    i,
                    j,
                    Sem::DayRel {
                        base: Base::Narr,
                        offset: 0,
                    },
                );
                c.pod = Some(pod.to_string());
                return Some(c);
            }
            return None;
        }
        if self.is(i + 1, "weekend")
            && self.any(
                i.wrapping_sub(1),
                &["over", "during", "at", "on", "for", "throughout"],
            )
        {
            return Some(Cand::date(i, i + 2, Sem::Weekend));
        }
        if self.is(i + 1, "day")
            && self.any(i.wrapping_sub(1), PREP_DAY)
            && !self.any(i + 2, &["after", "before"])
            && !self.is(i + 2, "'")
        {
            return Some(Cand::date(
                i,
                i + 2,
                Sem::DayRel {
                    base: Base::Narr,
                    offset: 0,
                },
            ));
        }
        if self.is(i + 1, "day") && self.any(i + 2, &["after", "before"]) && !self.brk(i + 3) {
            let off = if self.is(i + 2, "after") { 1 } else { -1 };
            // "the day before" (standalone) / "the day after the vote" (keep the phrase short).
            return Some(Cand::date(
                i,
                i + 3,
                Sem::DayRel {
                    base: Base::Narr,
                    offset: off,
                },
            ));
        }
        None
    }

    /// Clock times: "10am", "10:30 p.m.", "noon", "0800 UTC", "10am Moscow time", "15:00 GMT Saturday".
    fn clock(&self, i: usize) -> Option<(usize, u32, u32, Option<String>)> {
        let (mut h, mut m, mut j);
        match self.w(i) {
            "noon" | "midday" if !self.is(i + 1, "-") => {
                (h, m, j) = (12, 0, i + 1);
            }
            "midnight" => {
                (h, m, j) = (24, 0, i + 1);
            }
            _ => {
                let (v, len) = self.num_tok(i)?;
                if len == 4 && !self.is(i - usize::from(i > 0), ":") {
                    // 0800 UTC
                    let (hh, mm) = (v / 100, v % 100);
                    if hh > 23 || mm > 59 {
                        return None;
                    }
                    (h, m, j) = (hh, mm, i + 1);
                    let z = LEX.zones.match_at(self.t, j)?;
                    return Some((j + z.0, h, m, Some(z.1.to_string())));
                }
                if len > 2 || v > 24 {
                    return None;
                }
                (h, m, j) = (v, 0, i + 1);
                let mut has_min = false;
                let dot = self.is(j, ".");
                if (self.is(j, ":") || dot && self.glued(j))
                    && let Some((mm, 2)) = self.num_tok(j + 1)
                    && mm < 60
                    && self.glued(j + 1)
                {
                    m = mm;
                    j += 2;
                    has_min = true;
                    // 3:07:35 is a race time.
                    if self.is(j, ":") && self.glued(j) {
                        return None;
                    }
                }
                let ap = self.ampm(j);
                match ap {
                    Some((k, pm)) => {
                        if h == 0 || h > 12 {
                            return None;
                        }
                        if pm && h < 12 {
                            h += 12;
                        }
                        if !pm && h == 12 {
                            h = 0;
                        }
                        j = k;
                    }
                    None => {
                        if dot && has_min {
                            return None;
                        }
                        if !has_min {
                            // "10 o'clock"
                            if self.is(j, "o") && self.is(j + 1, "'") && self.is(j + 2, "clock") {
                                j += 3;
                            } else {
                                return None;
                            }
                        } else if LEX.zones.match_at(self.t, j).is_none()
                            && !self.any(
                                i.wrapping_sub(1),
                                &[
                                    "at", "by", "from", "until", "before", "after", "around",
                                    "about", "since",
                                ],
                            )
                        {
                            return None;
                        }
                    }
                }
            }
        }
        let mut tz = None;
        let paren = self.is(j, "(");
        let k = if paren { j + 1 } else { j };
        if let Some((n, z)) = LEX.zones.match_at(self.t, k)
            && (n > 1 || self.t[k].cap || self.t[k].low.len() > 2 || self.is(k, "z"))
            && (!self.is(k, "et") || self.t[k].cap)
        {
            tz = Some(z.to_string());
            j = k + n;
            // GMT+8, UTC-05:00
            if z == "Z"
                && self.any(j, &["+", "-"])
                && let Some((hh, l)) = self.num_tok(j + 1)
                && l <= 2
                && hh <= 14
            {
                let sign = self.w(j).to_string();
                let mut mm = 0;
                j += 2;
                if self.is(j, ":")
                    && let Some((m2, 2)) = self.num_tok(j + 1)
                {
                    mm = m2;
                    j += 2;
                }
                tz = Some(if hh == 0 && mm == 0 {
                    "Z".to_string()
                } else {
                    format!("{sign}{hh:02}:{mm:02}")
                });
            }
            if paren && self.is(j, ")") {
                j += 1;
            }
        } else if self.is(j, "local") && self.is(j + 1, "time") {
            j += 2;
        }
        Some((j, h, m, tz))
    }

    fn ampm(&self, j: usize) -> Option<(usize, bool)> {
        let w = self.w(j);
        let pm = match w {
            "am" => false,
            "pm" => true,
            "a" | "p" if self.is(j + 1, ".") && self.is(j + 2, "m") => {
                let k = if self.is(j + 3, ".") { j + 4 } else { j + 3 };
                return Some((k, w == "p"));
            }
            _ => return None,
        };
        let k = if self.is(j + 1, ".") && (self.brk(j + 2) || !self.t[j + 2].cap) {
            j + 2
        } else {
            j + 1
        };
        Some((k, pm))
    }

    fn duration(&self, i: usize) -> Option<Cand> {
        let the = self.is(i, "the");
        let s = if the { i + 1 } else { i };
        let lead = self.any(
            s,
            &[
                "past",
                "last",
                "next",
                "coming",
                "previous",
                "following",
                "first",
                "recent",
                "final",
                "latter",
                "same",
                "entire",
                "whole",
                "full",
                "additional",
                "further",
            ],
        );
        let q = if lead { s + 1 } else { s };
        if let Some((c, hour, min, tz)) = self.clock(i) {
            // Clock times, optionally followed by a day ("15:00 GMT Saturday", "10am on June 24").
            let mut cand = Cand::date(i, c, Sem::None);
            cand.clock = Some((hour, min));
            cand.tz = tz;
            let on = if self.is(c, "on") { c + 1 } else { c };
            if !self.brk(on)
                && let Some(d) = self.explicit(on).or_else(|| self.deictic(on))
                && d.is_day()
                && d.pod.is_none()
            {
                cand.sem = d.sem;
                cand.te = d.te;
            }
            return Some(cand);
        }
        let (j, n) = match self.quantity(q) {
            Some(x) => x,
            None if lead || self.any(s, &["recent"]) => (q, None),
            None => (q, None),
        };
        // "two-day", "five-year-old" (age: not a time expression).
        let hy = self.is(j, "-") && self.glued(j);
        let mut uj = if hy { j + 1 } else { j };
        if !hy && n.is_some() && self.any(uj, ADJ_UNIT) {
            uj += 1;
        }
        let (k, u, plural) = self.unit(uj)?;
        if hy && self.is(k, "-") && self.is(k + 1, "old") {
            return None;
        }
        if n.is_none() && j == q && !plural {
            return None;
        }
        // Bare plural ("years", "recent weeks"): only when nothing of it is a count of things.
        if n.is_none() && j == q && self.is(k, "'") {
            return None;
        }
        if u == Unit::S && !plural && j == q + 1 && self.any(q, &["a", "one"]) {
            return None;
        }
        if u == Unit::Q {
            let x = n.filter(|_| j > q)?;
            return Some(Cand::lit(s, k, Class::Duration, format!("P{}Q", x as i64)));
        }
        if u == Unit::We && n.is_none() {
            return None;
        }
        // "a day" in "twice a day" and "$5 a year": rates are sets.
        if self.any(q, &["a", "an", "per"]) && !lead && !the {
            let p = self.w(q.wrapping_sub(1));
            if ["times", "once", "twice", "thrice"].contains(&p)
                || self
                    .t
                    .get(q.wrapping_sub(1))
                    .is_some_and(|t| t.kind == TK::Num)
                || [
                    "million", "billion", "trillion", "thousand", "hundred", "percent", "%",
                ]
                .contains(&p)
            {
                let mut c = Cand::lit(q, k, Class::Set, u.duration(Some(1.0)));
                if ["times", "once", "twice", "thrice"].contains(&p) {
                    c.ts = q - 1;
                }
                return Some(c);
            }
        }
        // "the first day", "the 99th day" are not durations: handled elsewhere.
        let mut te = k;
        // "five years'" possessive
        if self.is(k, "'") && self.glued(k) && plural && !self.is(k + 1, "s") {
            te = k + 1;
        }
        // "a year and a half"
        let mut n = n;
        if self.is(te, "and") && self.is(te + 1, "a") && self.is(te + 2, "half") && n.is_some() {
            n = n.map(|x| x + 0.5);
            te += 3;
        }
        let start = if the || lead { i } else { s };
        let start = if !the && lead { s } else { start };
        if self.is(s, "first") && !the {
            return None;
        }
        if self.is(i, "the") && !lead && n.is_none() {
            return None;
        }
        Some(Cand::lit(start, te, Class::Duration, u.duration(n)))
    }

    fn set(&self, i: usize) -> Option<Cand> {
        if let Some(v) = LEX.sets.get(self.w(i)) {
            return Some(Cand::lit(i, i + 1, Class::Set, v.clone()));
        }
        if !self.any(i, &["every", "each"]) {
            return None;
        }
        let mut j = i + 1;
        let mut n = Some(1.0);
        if self.is(j, "other") {
            n = Some(2.0);
            j += 1;
        } else if let Some((k, v)) = self.num(j) {
            n = Some(v);
            j = k;
        }
        if let Some((k, u, _)) = self.unit(j) {
            return Some(Cand::lit(i, k, Class::Set, u.duration(n)));
        }
        if let Some(&wd) = LEX.weekdays.get(self.w(j)) {
            let mut k = j + 1;
            let mut v = format!("XXXX-WXX-{wd}");
            if let Some((n, pod)) = LEX.pods.match_at(self.t, k) {
                v.push_str(&format!("T{pod}"));
                k += n;
            }
            return Some(Cand::lit(i, k, Class::Set, v));
        }
        if let Some((n, pod)) = LEX.pods.match_at(self.t, j) {
            return Some(Cand::lit(i, j + n, Class::Set, format!("XXXX-XX-XXT{pod}")));
        }
        if let Some(code) = LEX.seasons.get(self.w(j)) {
            return Some(Cand::lit(i, j + 1, Class::Set, format!("XXXX-{code}")));
        }
        if let Some((k, m)) = self.month(j) {
            return Some(Cand::lit(i, k, Class::Set, format!("XXXX-{m:02}")));
        }
        None
    }

    fn season(&self, i: usize) -> Option<Cand> {
        let the = self.is(i, "the");
        let s = if the { i + 1 } else { i };
        let code = LEX.seasons.get(self.w(s))?;
        let j = s + 1;
        let k = if self.is(j, "of") { j + 1 } else { j };
        if let Some((l, y)) = self.year4(k) {
            return Some(Cand::date(
                i,
                l,
                Sem::Season {
                    code: code.clone(),
                    year: Some(y),
                    rel: None,
                },
            ));
        }
        if self.is(k, "this") || self.is(k, "last") || self.is(k, "next") {
            if self.is(k + 1, "year") {
                let rel = match self.w(k) {
                    "last" => -1,
                    "next" => 1,
                    _ => 0,
                };
                return Some(Cand::date(
                    i,
                    k + 2,
                    Sem::Season {
                        code: code.clone(),
                        year: None,
                        rel: Some(rel),
                    },
                ));
            }
            return None;
        }
        // A bare season needs "in"/"during"/"the" ("in spring", "the summer"): "fall" is a verb.
        if self.w(s) == "fall" && !the {
            return None;
        }
        if the
            || self.any(
                i.wrapping_sub(1),
                &["in", "during", "until", "since", "by", "early", "late"],
            )
        {
            if the
                && !self.any(
                    i.wrapping_sub(1),
                    &[
                        "in", "during", "until", "since", "by", "over", "through", "of",
                    ],
                )
            {
                return None;
            }
            return Some(Cand::date(
                i,
                j,
                Sem::Season {
                    code: code.clone(),
                    year: None,
                    rel: None,
                },
            ));
        }
        None
    }

    fn quarter(&self, i: usize) -> Option<Cand> {
        let the = self.is(i, "the");
        let s = if the { i + 1 } else { i };
        // Q3 [2012]
        let (j, q) = if let Some(t) = self.t.get(s)
            && t.low.len() == 2
            && t.low.starts_with('q')
            && let Some(d) = t.low[1..].parse::<u32>().ok()
        {
            (s + 1, d)
        } else if self.w(s) == "q"
            && let Some((d, 1)) = self.num_tok(s + 1)
            && self.glued(s + 1)
        {
            (s + 2, d)
        } else {
            let (j, q) = self.mday(s)?;
            let j = if self.is(j, "-") && self.glued(j) {
                j + 1
            } else {
                j
            };
            if !self.is(j, "quarter") {
                return None;
            }
            (j + 1, q)
        };
        if !(1..=4).contains(&q) {
            return None;
        }
        let k = if self.is(j, "of") { j + 1 } else { j };
        if let Some((l, y)) = self.year4(k) {
            return Some(Cand::date(
                i,
                l,
                Sem::Quarter {
                    q,
                    year: Some(y),
                    rel: None,
                },
            ));
        }
        if self.any(k, &["this", "last", "next"]) && self.is(k + 1, "year") && k > j {
            let rel = match self.w(k) {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            return Some(Cand::date(
                i,
                k + 2,
                Sem::Quarter {
                    q,
                    year: None,
                    rel: Some(rel),
                },
            ));
        }
        Some(Cand::date(
            i,
            j,
            Sem::Quarter {
                q,
                year: None,
                rel: None,
            },
        ))
    }

    /// "from 2009 to 2011", "between 2014 and 2016": a span of years.
    fn year_range(&self, i: usize) -> Option<Cand> {
        let b = match self.w(i) {
            "from" => "to",
            "between" => "and",
            _ => return None,
        };
        let (j, y1) = self.year4(i + 1)?;
        if !(self.is(j, b) || b == "to" && self.is(j, "until")) {
            return None;
        }
        let (k, y2) = self.year4(j + 1)?;
        if y2 <= y1 || y2 - y1 > 200 {
            return None;
        }
        Some(Cand::lit(i, k, Class::Duration, format!("P{}Y", y2 - y1)))
    }

    /// early/late/mid + date; the beginning/end/middle of + date.
    fn edge(&self, i: usize) -> Option<Cand> {
        let (k, m) = match (self.w(i), self.w(i + 1), self.w(i + 2)) {
            ("early", _, _) | ("earlier", _, _) => (i + 1, Some(TimexMod::Start)),
            ("late", _, _) | ("later", _, _) => (i + 1, Some(TimexMod::End)),
            ("mid", "-", _) => (i + 2, Some(TimexMod::Mid)),
            ("mid", _, _) => (i + 1, Some(TimexMod::Mid)),
            ("the", "beginning" | "start" | "outset" | "dawn", "of") => {
                (i + 3, Some(TimexMod::Start))
            }
            ("the", "end" | "close", "of") => (i + 3, Some(TimexMod::End)),
            ("the", "middle", "of") => (i + 3, Some(TimexMod::Mid)),
            ("the", "end" | "start" | "beginning", "the") => return None,
            _ => return None,
        };
        let mut c = self.core(k).or_else(|| {
            // "the end of year"
            if self.is(k, "year") || self.is(k, "the") && self.is(k + 1, "year") {
                Some(Cand::date(
                    k,
                    if self.is(k, "year") { k + 1 } else { k + 2 },
                    Sem::UnitRel {
                        base: Base::Dct,
                        unit: Unit::Y,
                        offset: 0,
                    },
                ))
            } else {
                None
            }
        })?;
        if c.class != Class::Date || c.pod.is_some() || c.clock.is_some() || c.ts != k {
            return None;
        }
        if matches!(c.sem, Sem::Lit(_) | Sem::DayRel { .. }) {
            return None;
        }
        // "earlier this month" keeps the month (no mod); "early this year" is its start.
        let m = if self.any(i, &["earlier", "later"]) {
            None
        } else {
            m
        };
        if self.any(i, &["earlier", "later"]) && !self.any(k, &["this", "that"]) {
            return None;
        }
        c.ts = i;
        c.modi = m;
        Some(c)
    }
}

fn cal(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> Sem {
    Sem::Cal { year, month, day }
}
