//! Record types shared by every dossier stage.
//!
//! Nothing here does I/O. Every derived record points back into a report's clean text with a
//! [`Span`] (byte offsets), so any output can be shown with its evidence.

pub mod clock;
pub mod document;
pub mod id;
pub mod report;
pub mod text;

pub use document::{Block, BlockKind, Document, Metadata, Outlet, Signal, Signalled};
pub use id::{ContentHash, ReportId, short_hash};
pub use report::{InputFormat, Origin, RawPayload, RawReport, Report};

use serde::{Deserialize, Serialize};

/// A byte range `[start, end)` into a report's clean text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start after end");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers, or `None` when it is out of range or not on char boundaries.
    pub fn slice<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.start..self.end)
    }
}
