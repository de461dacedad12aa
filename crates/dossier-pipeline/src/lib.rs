//! Glue between the stages, shared by the CLI, the benchmark and the HTTP server.

pub mod ingest;

pub use ingest::{Progress, Silent, Summary, build, ingest, ingest_items};
