//! Exports of the stored record. Every exporter streams: it reads the store a page at a time
//! and writes as it goes, so a large store never needs its size in memory.

use std::io::Write;

use dossier_store::Store;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] dossier_store::StoreError),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("encoding the export: {0}")]
    Json(#[from] serde_json::Error),
    #[error("unknown export format {0:?} (known: {1})")]
    UnknownFormat(String, String),
}

/// The formats this build writes.
pub const FORMATS: &[&str] = &["jsonl"];

/// Counts of what was written.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    pub format: String,
    pub records: usize,
    pub reports: usize,
}

const PAGE: usize = 256;

/// Write the store in `format` to `out`.
pub fn export(
    store: &dyn Store,
    format: &str,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    match format {
        "jsonl" => jsonl(store, out),
        other => Err(ExportError::UnknownFormat(
            other.to_string(),
            FORMATS.join(", "),
        )),
    }
}

/// JSON Lines of every record, each line `{"type": ..., "data": ...}`: one `report` per report
/// (latest revision, clean text, blocks, metadata, and its `analysis` when there is one).
pub fn jsonl(store: &dyn Store, out: &mut dyn Write) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary {
        format: "jsonl".into(),
        ..Default::default()
    };
    let mut after = None;
    loop {
        let page = store.reports_after(after.as_ref(), PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some(last.0.id.clone());
        for (report, analysis) in &page {
            let mut data = serde_json::to_value(report)?;
            data["analysis"] = match analysis {
                Some(a) => serde_json::from_str(a)?,
                None => serde_json::Value::Null,
            };
            serde_json::to_writer(
                &mut *out,
                &serde_json::json!({"type": "report", "data": data}),
            )?;
            out.write_all(b"\n")?;
            summary.records += 1;
            summary.reports += 1;
        }
    }
    out.flush()?;
    Ok(summary)
}
