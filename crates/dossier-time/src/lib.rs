//! Time expressions in English news text, normalised to TIMEX3-like values.
//!
//! [`find_times`] scans a text once, recognises dates, times of day, durations and sets with
//! byte offsets, and normalises each against the document creation time (DCT) **and** the
//! narrative time: "On the evening of June 23 … The next morning" gives `2023-06-24TMO`, not the
//! day after publication. Underspecified expressions stay underspecified: without a DCT,
//! "June 24" is `XXXX-06-24`. Lexicons (months, weekdays, number words, units, parts of day,
//! zone names, holidays, vague references, tense cues) are data files in `data/`, parsed once.
//!
//! The rule design follows the general ideas of grain-based resolution in Duckling and
//! chrono-node (reference instant + calendar arithmetic); no rule resources of other taggers
//! are used.

mod grammar;
mod interval;
mod lex;
mod resolve;
mod tok;

use chrono::{FixedOffset, NaiveDate};

pub use interval::interval;
use serde::{Deserialize, Serialize};

/// What a relative expression is resolved against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anchor {
    /// Document creation (publication) date.
    pub dct: Option<NaiveDate>,
    /// Offset of the publication place, used for clock times that name no zone.
    pub tz: Option<FixedOffset>,
}

impl Anchor {
    pub fn new(dct: Option<NaiveDate>) -> Self {
        Anchor { dct, tz: None }
    }

    /// Parse a DCT such as `2013-03-22` or `2013-03-22T10:00:00Z` (the date part is used).
    pub fn parse(dct: &str) -> Result<Self, TimeError> {
        let d = dct.trim();
        let day = d.get(..10).unwrap_or(d);
        NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(|d| Anchor::new(Some(d)))
            .map_err(|_| TimeError::BadDct(dct.to_string()))
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TimeError {
    #[error("document creation time {0:?} is not a YYYY-MM-DD date")]
    BadDct(String),
}

/// TIMEX3 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexKind {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexKind::Date => "DATE",
            TimexKind::Time => "TIME",
            TimexKind::Duration => "DURATION",
            TimexKind::Set => "SET",
        }
    }
}

/// TIMEX3 `mod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimexMod {
    Approx,
    LessThan,
    MoreThan,
    EqualOrLess,
    EqualOrMore,
    Start,
    Mid,
    End,
}

impl TimexMod {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexMod::Approx => "APPROX",
            TimexMod::LessThan => "LESS_THAN",
            TimexMod::MoreThan => "MORE_THAN",
            TimexMod::EqualOrLess => "EQUAL_OR_LESS",
            TimexMod::EqualOrMore => "EQUAL_OR_MORE",
            TimexMod::Start => "START",
            TimexMod::Mid => "MID",
            TimexMod::End => "END",
        }
    }
}

/// Where the value of an expression came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum AnchorSource {
    /// The expression names its own value ("2009", "June 24, 2023", "three years").
    Absolute,
    /// Year or offset taken from the document creation time.
    Dct,
    /// Resolved against an earlier time expression of the narrative, at these byte offsets.
    Narrative { start: usize, end: usize },
    /// A relative expression with nothing to resolve it against: the value stays underspecified.
    Unanchored,
}

/// One time expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timex {
    /// Byte offsets into the input text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: TimexKind,
    /// TIMEX3 value: `2023-06-24`, `XXXX-06-24`, `2023-06-24T10:00+03:00`, `P3D`, `PRESENT_REF`…
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub modifier: Option<TimexMod>,
    pub anchor_source: AnchorSource,
    /// For clock times with a stated zone and a known day: the instant in UTC.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub utc: Option<String>,
}

/// Find and normalise the time expressions of `text`.
pub fn find_times(text: &str, anchor: &Anchor) -> Vec<Timex> {
    find_times_in(text, anchor, None)
}

/// As [`find_times`], with sentence boundaries (byte spans) that expressions and tense cues do
/// not cross.
pub fn find_times_in(
    text: &str,
    anchor: &Anchor,
    sentences: Option<&[(usize, usize)]>,
) -> Vec<Timex> {
    let mut toks = tok::tokenize(text);
    if let Some(sents) = sentences {
        let mut k = 0;
        for t in toks.iter_mut() {
            while k < sents.len() && sents[k].1 <= t.s {
                k += 1;
            }
            if k < sents.len() && sents[k].0 == t.s {
                t.brk = true;
            }
        }
    }
    let cands = grammar::Parser::new(&toks).run();
    resolve::resolve(text, &toks, &cands, anchor)
}
