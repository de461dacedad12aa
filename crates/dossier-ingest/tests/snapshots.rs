//! Fixture in, snapshot out: what ingest reads from each of our fixture inputs (before
//! extraction), one snapshot per fixture.

use std::path::Path;

use dossier_core::RawPayload;
use dossier_ingest::{Item, Options, read_path};
use serde_json::json;

fn read(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut out = Vec::new();
    read_path(&path, &Options::default(), &mut |item| {
        out.push(match item {
            Item::Raw(r) => {
                let (kind, content) = match &r.payload {
                    RawPayload::Html(h) => ("html", h.clone()),
                    RawPayload::Text(t) => ("text", t.clone()),
                };
                json!({
                    "record": r.origin.record,
                    "format": r.origin.format,
                    "url": r.url,
                    "title": r.title,
                    "published": r.published.map(|p| p.to_rfc3339()),
                    "outlet": r.outlet,
                    "authors": r.authors,
                    "charset": r.charset,
                    "payload": kind,
                    "content": content,
                    "raw_bytes": r.raw.len(),
                })
            }
            Item::Rejected(r) => json!({ "rejected": r.reason }),
            Item::Skipped => json!("skipped"),
        })
    });
    serde_json::Value::Array(out)
}

#[test]
fn rss_feed() {
    insta::assert_json_snapshot!(read("wire.rss"));
}

#[test]
fn json_lines() {
    insta::assert_json_snapshot!(read("reports.jsonl"));
}

#[test]
fn latin1_page() {
    insta::assert_json_snapshot!(read("latin1.html"));
}

#[test]
fn plain_text() {
    insta::assert_json_snapshot!(read("statement.txt"));
}
