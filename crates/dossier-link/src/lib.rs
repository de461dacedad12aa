//! Cross-report linking for dossier, as plain incremental indexes that know nothing of the
//! store: a new report touches only the buckets, postings and clusters it joins.
//!
//! - [`copies::CopyIndex`]: exact duplicates, near-duplicates and contained copies (MinHash +
//!   banded LSH, verified by Jaccard and containment), rewrites (sentence alignment), revisions
//!   (same URL); each link directed from the later report to the earlier, with evidence spans.
//! - [`stories::StoryIndex`]: streaming clustering of reports about one happening.
//! - [`entities::EntityResolver`]: one entity per real person, organisation or place, with
//!   aliases, counts, evidence for every merge and must-not-merge checks.

pub mod copies;
pub mod entities;
pub mod input;
pub mod stories;
pub mod text;

pub use copies::{AlignedSpan, CopyConfig, CopyIndex, CopyKind, CopyLink, CopyWarning};
pub use entities::{Entity, EntityResolver, Evidence, Resolution};
pub use input::{DocInput, EntityKind, MentionInput};
pub use stories::{StoryAssignment, StoryConfig, StoryIndex};
pub use text::Span;
