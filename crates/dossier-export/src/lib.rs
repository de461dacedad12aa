//! Exports of the stored record. Every exporter streams: it reads the store a page at a time
//! (`Store::reports_after`) and writes as it goes, so a large store never needs its size in
//! memory. What is held is the cross-report record ([`LinkRecord`], which the caller computes
//! once) and, for the two graphs, the graph itself (nodes and aggregated edges, never text).
//!
//! Formats: `jsonl` (every record), `events-tsv` and `mentions-tsv` (GDELT-like tables),
//! `plover` (PLOVER/POLECAT-style JSON records), `prov-json` (W3C PROV-JSON of the provenance
//! graph), `gexf` and `graphml` (actors or sources graph, for Gephi), `ftm` (FollowTheMoney
//! entities for Aleph).

use std::io::Write;
use std::str::FromStr;

use dossier_pipeline::{Analysis, LinkRecord};
use dossier_store::{Store, StoredReport};
use serde::Serialize;

mod ftm;
mod graph;
mod jsonl;
mod plover;
mod prov;
mod tsv;

pub use ftm::FTM_MODEL;
pub use graph::{Graph, GraphKind};
pub use tsv::{EVENT_COLUMNS, MENTION_COLUMNS, escape_field, unescape_field};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] dossier_store::StoreError),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("encoding the export: {0}")]
    Json(#[from] serde_json::Error),
    #[error("writing XML: {0}")]
    Xml(String),
    #[error("unknown export format {0:?} (known: {1})")]
    UnknownFormat(String, String),
    #[error("unknown graph {0:?} (known: actors, sources)")]
    UnknownGraph(String),
    #[error("FollowTheMoney schema {0} has no property {1} in our model (data/ftm_model.tsv)")]
    FtmProperty(String, String),
}

/// The formats this build writes.
pub const FORMATS: &[&str] = &[
    "jsonl",
    "events-tsv",
    "mentions-tsv",
    "plover",
    "prov-json",
    "gexf",
    "graphml",
    "ftm",
];

/// An export format. The graph formats carry the graph to draw (`--graph actors|sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    EventsTsv,
    MentionsTsv,
    Plover,
    ProvJson,
    Gexf(GraphKind),
    Graphml(GraphKind),
    Ftm,
}

impl Format {
    /// The format's name as `FromStr` reads it.
    pub fn name(&self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::EventsTsv => "events-tsv",
            Format::MentionsTsv => "mentions-tsv",
            Format::Plover => "plover",
            Format::ProvJson => "prov-json",
            Format::Gexf(_) => "gexf",
            Format::Graphml(_) => "graphml",
            Format::Ftm => "ftm",
        }
    }

    /// The same format drawing `graph` (no change for formats that are not graphs).
    pub fn with_graph(self, graph: GraphKind) -> Format {
        match self {
            Format::Gexf(_) => Format::Gexf(graph),
            Format::Graphml(_) => Format::Graphml(graph),
            other => other,
        }
    }

    /// Whether the format draws a graph (so `--graph` applies).
    pub fn is_graph(&self) -> bool {
        matches!(self, Format::Gexf(_) | Format::Graphml(_))
    }

    /// A file extension for the format.
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Jsonl | Format::Plover | Format::Ftm => "jsonl",
            Format::EventsTsv | Format::MentionsTsv => "tsv",
            Format::ProvJson => "json",
            Format::Gexf(_) => "gexf",
            Format::Graphml(_) => "graphml",
        }
    }
}

impl FromStr for Format {
    type Err = ExportError;

    /// `gexf` and `graphml` draw the actors graph; `gexf:sources` (or `graphml-sources`)
    /// selects the other graph in one word.
    fn from_str(s: &str) -> Result<Format, ExportError> {
        let lower = s.trim().to_ascii_lowercase();
        let (name, graph) = match lower.split_once([':', '=']).or_else(|| {
            ["gexf-", "graphml-"]
                .iter()
                .find(|p| lower.starts_with(**p))
                .map(|p| (&lower[..p.len() - 1], &lower[p.len()..]))
        }) {
            Some((n, g)) => (n, Some(g.parse::<GraphKind>()?)),
            None => (lower.as_str(), None),
        };
        let graph = graph.unwrap_or(GraphKind::Actors);
        Ok(match name {
            "jsonl" | "json-lines" => Format::Jsonl,
            "events-tsv" | "events" => Format::EventsTsv,
            "mentions-tsv" | "mentions" => Format::MentionsTsv,
            "plover" | "polecat" => Format::Plover,
            "prov-json" | "prov" => Format::ProvJson,
            "gexf" => Format::Gexf(graph),
            "graphml" => Format::Graphml(graph),
            "ftm" | "followthemoney" => Format::Ftm,
            _ => {
                return Err(ExportError::UnknownFormat(
                    s.to_string(),
                    FORMATS.join(", "),
                ));
            }
        })
    }
}

/// Counts of what was written.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    pub format: String,
    /// Records written: lines of JSON Lines, rows of tables (without the header), entities and
    /// relations of PROV-JSON, nodes and edges of graphs, entities of FtM.
    pub records: usize,
    /// Reports read from the store.
    pub reports: usize,
}

/// What [`export_with`] returns.
pub type ExportStats = ExportSummary;

pub(crate) const PAGE: usize = 256;

/// Every stored report (latest revision) with its analysis JSON as stored, a page at a time.
pub(crate) fn each_stored(
    store: &dyn Store,
    mut f: impl FnMut(&StoredReport, Option<&str>) -> Result<(), ExportError>,
) -> Result<usize, ExportError> {
    let mut after = None;
    let mut n = 0;
    loop {
        let page = store.reports_after(after.as_ref(), PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some(last.0.id.clone());
        for (report, analysis) in &page {
            f(report, analysis.as_deref())?;
            n += 1;
        }
    }
    Ok(n)
}

/// Every stored report (latest revision) with its analysis, a page at a time. Analyses that do
/// not parse are passed as `None` (the link pass reports them as warnings).
pub(crate) fn each_report(
    store: &dyn Store,
    mut f: impl FnMut(&StoredReport, Option<&Analysis>) -> Result<(), ExportError>,
) -> Result<usize, ExportError> {
    each_stored(store, |r, json| {
        let a: Option<Analysis> = json.and_then(|j| serde_json::from_str(j).ok());
        f(r, a.as_ref())
    })
}

/// A short, stable, id-safe hash of a string.
pub(crate) fn hash_id(s: &str) -> String {
    dossier_core::short_hash(s.as_bytes())[..12].to_string()
}

/// Lower-case words joined by `-`, for ids readable by a person.
pub(crate) fn slug(s: &str) -> String {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    let mut out = words.join("-");
    if out.len() > 60 {
        let mut cut = 60;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    if out.is_empty() {
        out = hash_id(s);
    }
    out
}

/// The outlet of a stored report as the cross-report pass names it: outlet name, else domain,
/// else "unknown".
pub(crate) fn outlet_of(r: &StoredReport) -> String {
    let o = &r.document.metadata.outlet;
    o.name
        .clone()
        .or_else(|| o.domain.clone())
        .unwrap_or_else(|| "unknown".to_string())
}

/// What a source of an attribution chain is, as a node or agent of the exports.
pub(crate) struct SourceNode {
    /// `outlet/…`, `source/…`, `anonymous/…` or `opaque/…`: one id per outlet, per named
    /// source across reports, per anonymous group and relaying outlet, per opaque reference
    /// and relaying outlet.
    pub key: String,
    /// `outlet`, `person`, `organisation`, `source`, `anonymous` or `opaque`.
    pub kind: &'static str,
    pub label: String,
}

pub(crate) fn outlet_node(outlet: &str) -> SourceNode {
    SourceNode {
        key: format!("outlet/{}", slug(outlet)),
        kind: "outlet",
        label: outlet.to_string(),
    }
}

pub(crate) fn source_node(src: &dossier_attribution::Source, outlet: &str) -> SourceNode {
    use dossier_attribution::SourceKind as K;
    if src.opaque || src.kind == K::Opaque {
        let label = format!("{} (via {outlet})", src.name);
        return SourceNode {
            key: format!("opaque/{}", slug(&label)),
            kind: "opaque",
            label,
        };
    }
    if let Some(anon) = &src.anonymous {
        let via = anon.conveyed_by.as_deref().unwrap_or(outlet);
        let label = format!("{} (via {via})", src.name);
        return SourceNode {
            key: format!(
                "anonymous/{}",
                slug(&format!("{} via {via}", anon.descriptor))
            ),
            kind: "anonymous",
            label,
        };
    }
    match src.kind {
        K::Report => outlet_node(outlet),
        K::Person => SourceNode {
            key: format!("source/{}", slug(&src.name)),
            kind: "person",
            label: src.name.clone(),
        },
        K::Organisation | K::Media => SourceNode {
            key: format!("source/{}", slug(&src.name)),
            kind: "organisation",
            label: src.name.clone(),
        },
        _ => SourceNode {
            key: format!("source/{}", slug(&src.name)),
            kind: "source",
            label: src.name.clone(),
        },
    }
}

/// Write the record in `format` to `out`, streaming the store a page at a time. `rec` is the
/// cross-report record (`dossier_pipeline::link(store)`); `progress` is called with the number
/// of records written so far.
pub fn export_with(
    format: Format,
    store: &dyn Store,
    rec: &LinkRecord,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
) -> Result<ExportStats, ExportError> {
    let mut stats = ExportStats {
        format: format.name().to_string(),
        ..Default::default()
    };
    match format {
        Format::Jsonl => jsonl::write(store, rec, out, progress, &mut stats, true)?,
        Format::EventsTsv => tsv::events(store, rec, out, progress, &mut stats)?,
        Format::MentionsTsv => tsv::mentions(store, rec, out, progress, &mut stats)?,
        Format::Plover => plover::write(store, rec, out, progress, &mut stats)?,
        Format::ProvJson => prov::write(store, rec, out, progress, &mut stats)?,
        Format::Gexf(g) => {
            let graph = Graph::build(g, store, rec, &mut stats)?;
            graph.write_gexf(out, progress, &mut stats)?
        }
        Format::Graphml(g) => {
            let graph = Graph::build(g, store, rec, &mut stats)?;
            graph.write_graphml(out, progress, &mut stats)?
        }
        Format::Ftm => ftm::write(store, rec, out, progress, &mut stats)?,
    }
    out.flush()?;
    Ok(stats)
}

/// Write the store in `format` (a name [`Format::from_str`] reads) to `out`. `jsonl` writes the
/// stored reports only (as before the cross-report record existed, without running the link
/// pass); every other format runs the cross-report pass first. Prefer [`export_with`].
pub fn export(
    store: &dyn Store,
    format: &str,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let format: Format = format.parse()?;
    if format == Format::Jsonl {
        let mut stats = ExportStats {
            format: "jsonl".into(),
            ..Default::default()
        };
        jsonl::write(
            store,
            &LinkRecord::default(),
            out,
            &mut |_| {},
            &mut stats,
            false,
        )?;
        out.flush()?;
        return Ok(stats);
    }
    let rec = dossier_pipeline::link(store)?;
    export_with(format, store, &rec, out, &mut |_| {})
}

/// JSON Lines of the stored reports only, each line `{"type": "report", "data": ...}`.
pub fn jsonl(store: &dyn Store, out: &mut dyn Write) -> Result<ExportSummary, ExportError> {
    export(store, "jsonl", out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_name_and_graph() {
        for name in FORMATS {
            let f: Format = name.parse().unwrap();
            assert_eq!(f.name(), *name);
        }
        assert_eq!(
            "gexf:sources".parse::<Format>().unwrap(),
            Format::Gexf(GraphKind::Sources)
        );
        assert_eq!(
            "graphml-actors".parse::<Format>().unwrap(),
            Format::Graphml(GraphKind::Actors)
        );
        assert_eq!(
            Format::Gexf(GraphKind::Actors).with_graph(GraphKind::Sources),
            Format::Gexf(GraphKind::Sources)
        );
        let e = "csv".parse::<Format>().unwrap_err().to_string();
        assert!(
            e.contains("unknown export format") && e.contains("prov-json"),
            "{e}"
        );
        assert!("gexf:people".parse::<Format>().is_err());
    }

    proptest::proptest! {
        #[test]
        fn format_names_never_panic(s in "\\PC{0,30}") {
            let _ = s.parse::<Format>();
        }
    }

    #[test]
    fn slugs_are_short_and_never_empty() {
        assert_eq!(slug("The Defence  Ministry!"), "the-defence-ministry");
        assert!(!slug("«»").is_empty());
        assert!(slug(&"ж".repeat(100)).len() <= 60);
    }
}
