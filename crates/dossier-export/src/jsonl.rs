//! JSON Lines of every record: `{"type": ..., "data": ...}` per line. First one `report` per
//! stored report (latest revision, clean text, blocks, metadata, and its `analysis`), then the
//! cross-report records: `story`, `event` (merged event with its mentions, grade and
//! contradictions), `copy` (copy or rewrite link between two reports) and `entity` (an entity
//! across reports). Every `data` has a string `id`: `story:N`, `ev…`, `copy:SOURCE>DERIVED`,
//! `entity:N` (a merged event's numeric `story` is the N of `story:N`).

use std::io::Write;

use dossier_pipeline::LinkRecord;
use dossier_store::Store;
use serde_json::{Value, json};

use crate::{ExportError, ExportStats};

fn line(out: &mut dyn Write, kind: &str, data: &Value) -> Result<(), ExportError> {
    serde_json::to_writer(&mut *out, &json!({"type": kind, "data": data}))?;
    out.write_all(b"\n")?;
    Ok(())
}

pub(crate) fn write(
    store: &dyn Store,
    rec: &LinkRecord,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
    stats: &mut ExportStats,
    cross: bool,
) -> Result<(), ExportError> {
    let mut after = None;
    loop {
        let page = store.reports_after(after.as_ref(), crate::PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some(last.0.id.clone());
        for (report, analysis) in &page {
            let mut data = serde_json::to_value(report)?;
            data["analysis"] = match analysis {
                Some(a) => serde_json::from_str(a)?,
                None => Value::Null,
            };
            line(out, "report", &data)?;
            stats.records += 1;
            stats.reports += 1;
            progress(stats.records);
        }
    }
    if !cross {
        return Ok(());
    }
    let mut emit = |kind: &str, data: Value| -> Result<(), ExportError> {
        line(out, kind, &data)?;
        stats.records += 1;
        progress(stats.records);
        Ok(())
    };
    for s in &rec.stories {
        let mut data = serde_json::to_value(s)?;
        data["id"] = json!(format!("story:{}", s.id));
        data["number"] = json!(s.id);
        emit("story", data)?;
    }
    for e in &rec.events {
        emit("event", serde_json::to_value(e)?)?;
    }
    for c in &rec.copies {
        let mut data = serde_json::to_value(c)?;
        data["id"] = json!(format!("copy:{}>{}", c.source, c.derived));
        emit("copy", data)?;
    }
    for e in &rec.entities {
        let mut data = serde_json::to_value(e)?;
        data["id"] = json!(format!("entity:{}", e.id));
        data["number"] = json!(e.id);
        emit("entity", data)?;
    }
    Ok(())
}
