//! Input records: what a caller hands to the indexes. Plain structs, no store types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::text::Span;

/// One report as the cross-report indexes see it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocInput {
    /// Caller's id for the report (unique per report version).
    pub id: String,
    /// Canonical URL, if any (two reports with one URL and different text are flagged).
    #[serde(default)]
    pub url: Option<String>,
    /// Publication time, if known.
    #[serde(default)]
    pub published: Option<DateTime<Utc>>,
    #[serde(default)]
    pub title: String,
    /// Clean body text; every span the indexes return points into it.
    #[serde(default)]
    pub text: String,
    /// Named mentions found in `text` (optional; the story index also uses them as features).
    #[serde(default)]
    pub mentions: Vec<MentionInput>,
}

impl DocInput {
    pub fn new(id: &str, title: &str, text: &str) -> Self {
        DocInput {
            id: id.to_string(),
            title: title.to_string(),
            text: text.to_string(),
            ..Default::default()
        }
    }
}

/// Kind of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityKind {
    Person,
    Organisation,
    Place,
    Product,
    Financial,
    /// Unknown or mixed: compatible with every kind.
    Other,
}

impl EntityKind {
    /// Can a mention of kind `self` name an entity of kind `other`?
    pub fn compatible(self, other: EntityKind) -> bool {
        self == other || self == EntityKind::Other || other == EntityKind::Other
    }
}

/// A named mention in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionInput {
    /// Byte span in the report's text.
    pub span: Span,
    /// The mention's surface text (as written, may include a title or role).
    pub text: String,
    pub kind: EntityKind,
}
