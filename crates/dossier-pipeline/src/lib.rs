//! Glue between the stages, shared by the CLI, the benchmark and the HTTP server.

pub mod analyse;
pub mod continuous;
pub mod ingest;
pub mod link;
pub mod query;
pub mod split;

pub use analyse::{
    ANALYSER_VERSION, Analysis, WorkOptions, WorkSummary, analyse, claim_texts, work,
};
pub use ingest::{Progress, Silent, Summary, build, ingest, ingest_items};
pub use link::{LinkRecord, link};
