//! Cross-report linking for dossier, as plain incremental indexes that know nothing of the
//! store: a new report touches only the buckets, postings and clusters it joins.
//!
//! - [`copies::CopyIndex`]: exact duplicates, near-duplicates and contained copies (MinHash +
//!   banded LSH, verified by Jaccard and containment), rewrites (sentence alignment), revisions
//!   (same URL); each link directed from the later report to the earlier, with evidence spans.
//! - [`stories::StoryIndex`]: streaming clustering of reports about one happening.
//! - [`entities::EntityResolver`]: one entity per real person, organisation or place, with
//!   aliases, counts, evidence for every merge and must-not-merge checks.
//!
//! ```
//! use dossier_link::{CopyIndex, DocInput, StoryIndex};
//! let mut copies = CopyIndex::default();
//! let mut stories = StoryIndex::default();
//! let a = DocInput::new("a", "Talks in Minsk", "Lukashenko said the talks in Minsk lasted all day.");
//! let b = DocInput::new("b", "Talks in Minsk", "Lukashenko said the talks in Minsk lasted all day.");
//! assert!(copies.add(&a).is_empty());
//! assert_eq!(copies.add(&b)[0].source, "a");
//! let (sa, sb) = (stories.add(&a), stories.add(&b));
//! assert_eq!(sa.story, sb.story);
//! ```

pub mod copies;
pub mod entities;
pub mod input;
pub mod stories;
pub mod text;

pub use copies::{AlignedSpan, CopyConfig, CopyIndex, CopyKind, CopyLink, CopyWarning};
pub use entities::{Entity, EntityResolver, Evidence, Resolution};
pub use input::{DocInput, EntityKind, MentionInput};
pub use stories::{Linkage, StoryAssignment, StoryConfig, StoryIndex};
pub use text::Span;
