//! dossier-events: a fast dictionary-and-pattern political event coder in the TABARI tradition
//! (no parser model), with PLOVER output and a CAMEO code beside it.
//!
//! ```
//! use dossier_events::{Coder, SentenceContext};
//! let coder = Coder::new(None);
//! let ctx = SentenceContext::on_date(2023, 6, 24);
//! let ev = coder.code("Russian troops shelled Kharkiv on Monday.", &ctx);
//! assert_eq!(ev[0].plover_type.as_deref(), Some("ASSAULT"));
//! ```
//!
//! Our own lexicons (triggers, dated actors, agents, countries) are data files under `data/`.
//! Users can load CAMEO/Phoenix/PETRARCH dictionaries with [`Dictionaries::load`] and the
//! official CAMEO→PLOVER crosswalk with [`Crosswalk::load`].

pub mod coder;
pub mod crosswalk;
pub mod dict;
pub mod lexicon;
pub mod token;

pub use coder::{Coder, locate, split_code};
pub use crosswalk::{Crosswalk, CrosswalkError, PloverCode};
pub use dict::{DictError, DictFiles, DictWarning, Dictionaries};

use serde::{Deserialize, Serialize};

/// Byte offsets (start, end) into the text the stage read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A span of the sentence that is the content of an attribution ("Prigozhin claimed that
/// <content>"): events inside it are claimed events, carrying the claim's source and chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AttributedSpan {
    /// Byte offsets relative to the sentence.
    pub start: usize,
    pub end: usize,
    /// Who claims it (text of the source).
    pub source: String,
    /// Identifier of the attribution chain in the claims stage, if any.
    pub chain: Option<String>,
}

/// What the coder needs to know about a sentence besides its text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SentenceContext {
    /// Date of the report: selects dated actor codes.
    pub date: Option<chrono::NaiveDate>,
    /// Byte offset of the sentence in its document: added to every output span.
    pub offset: usize,
    /// Spans of the sentence that are attributed content (reported speech).
    #[serde(default)]
    pub attributions: Vec<AttributedSpan>,
}

impl SentenceContext {
    pub fn on_date(y: i32, m: u32, d: u32) -> SentenceContext {
        SentenceContext {
            date: chrono::NaiveDate::from_ymd_opt(y, m, d),
            ..Default::default()
        }
    }
    pub(crate) fn date_num(&self) -> Option<u32> {
        use chrono::Datelike;
        self.date
            .map(|d| d.year().max(0) as u32 * 10000 + d.month() * 100 + d.day())
    }
}

/// An actor or recipient: the text span, the CAMEO-style code, and its PLOVER country and
/// sector codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub span: Span,
    pub text: String,
    /// CAMEO-style concatenated code, e.g. `RUSGOV`; `---GOV` when the country is unknown.
    pub code: String,
    pub country: Option<String>,
    pub sectors: Vec<String>,
}

/// PLOVER auxiliary modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuxMode {
    Negated,
    Future,
    Hypothetical,
}

/// Where an event sits in reported speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRef {
    pub source: String,
    pub chain: Option<String>,
}

/// Event location as found in the sentence (geocoding is the language stage's job).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub span: Span,
    pub text: String,
}

/// One coded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub trigger: Span,
    pub trigger_text: String,
    /// PLOVER event type (AGREE, CONSULT, … ASSAULT); `None` for codes outside PLOVER (CAMEO
    /// 01/02 statements and appeals, or test codes).
    pub plover_type: Option<String>,
    /// PLOVER mode (e.g. `visit`, `arrest`, `aerial`).
    pub mode: Option<String>,
    /// PLOVER auxiliary mode.
    pub aux_mode: Option<AuxMode>,
    pub negated: bool,
    pub contexts: Vec<String>,
    pub actors: Vec<Actor>,
    pub recipients: Vec<Actor>,
    /// Meetings and joint acts: every party is in `actors`.
    pub reciprocal: bool,
    /// The dictionary's code as written (CAMEO for CAMEO dictionaries).
    pub code: String,
    /// CAMEO code, when the code is one.
    pub cameo: Option<String>,
    pub location: Option<Place>,
    /// Set when the trigger is inside an attributed span.
    pub claim: Option<ClaimRef>,
}

/// Why a sentence is not coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Rejection {
    #[error("sentence matches a story-level discard phrase")]
    StoryDiscard,
    #[error("sentence matches a discard phrase")]
    SentenceDiscard,
    #[error("sentence starts with a dateline")]
    Dateline,
}
