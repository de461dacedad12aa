//! Glue shared by the `dossier` and `dossier-bench` binaries: the ingest pipeline.

pub mod pipeline;
