//! Two graphs for Gephi, written as GEXF 1.3 or GraphML with quick-xml.
//!
//! - `actors`: nodes are the actors of merged events (by CAMEO-style code; codes of unknown
//!   country such as `---GOV` are kept apart per name), edges go from actor to recipient, one
//!   per (actor, recipient, PLOVER type) with the weight the number of reports and the count of
//!   merged events.
//! - `sources`: nodes are reports, outlets, sources (named, anonymous groups, opaque
//!   references, wire credits); edges are `published_by` (report → outlet), `cites` (report →
//!   first source of a claim's chain, and each source → the next), `credits` (report → wire or
//!   agency it credits) and `copies` (derived report → the report it copies). The `origin`
//!   attribute of a source counts the claims whose chain ends there.
//!
//! Both graphs are built in memory (nodes and aggregated edges, never text) and then written,
//! since both formats declare nodes before edges.

use std::collections::BTreeMap;
use std::io::Write;
use std::str::FromStr;

use dossier_pipeline::LinkRecord;
use dossier_store::Store;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::{ExportError, ExportStats, each_report, outlet_node, slug, source_node};

/// Which graph to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GraphKind {
    #[default]
    Actors,
    Sources,
}

impl FromStr for GraphKind {
    type Err = ExportError;
    fn from_str(s: &str) -> Result<Self, ExportError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "actors" | "actor" => Ok(GraphKind::Actors),
            "sources" | "source" => Ok(GraphKind::Sources),
            _ => Err(ExportError::UnknownGraph(s.to_string())),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Node {
    pub label: String,
    pub kind: String,
    /// Actors: merged events they take part in. Sources: claims whose chain ends here.
    pub count: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Edge {
    /// Actors: reports; sources: how many times the link is seen.
    pub weight: f64,
    /// Merged events (actors) or claims/reports (sources) behind the edge.
    pub count: usize,
}

/// A directed graph with aggregated edges keyed by (source, target, kind).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub kind: GraphKind,
    pub nodes: BTreeMap<String, Node>,
    pub edges: BTreeMap<(String, String, String), Edge>,
}

fn xml_err(e: impl std::fmt::Display) -> ExportError {
    ExportError::Xml(e.to_string())
}

/// Characters XML 1.0 does not allow (control characters other than tab and line breaks, and
/// the non-characters U+FFFE and U+FFFF) become spaces: escaping cannot carry them.
pub(crate) fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => ' ',
            c => c,
        })
        .collect()
}

/// `<data key="KEY">V</data>` of GraphML.
fn data<W: Write>(w: &mut Writer<W>, key: &str, v: &str) -> std::io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(v))
        .map(|_| ())
}

impl Graph {
    fn node(&mut self, id: &str, label: &str, kind: &str) -> &mut Node {
        self.nodes.entry(xml_safe(id)).or_insert_with(|| Node {
            label: xml_safe(label),
            kind: kind.to_string(),
            count: 0,
        })
    }

    fn edge(&mut self, from: &str, to: &str, kind: &str, weight: f64) {
        let e = self
            .edges
            .entry((xml_safe(from), xml_safe(to), xml_safe(kind)))
            .or_default();
        e.weight += weight;
        e.count += 1;
    }

    /// Build the graph from the cross-report record (and, for sources, the stored analyses).
    pub fn build(
        kind: GraphKind,
        store: &dyn Store,
        rec: &LinkRecord,
        stats: &mut ExportStats,
    ) -> Result<Graph, ExportError> {
        let mut g = Graph {
            kind,
            ..Default::default()
        };
        match kind {
            GraphKind::Actors => {
                let id = |(code, name): &(String, String)| {
                    if code.starts_with("---") || code.is_empty() {
                        format!("{code}:{}", slug(name))
                    } else {
                        code.clone()
                    }
                };
                for e in &rec.events {
                    for a in e.actors.iter().chain(&e.recipients) {
                        g.node(&id(a), &a.1, "actor").count += 1;
                    }
                    for a in &e.actors {
                        for r in &e.recipients {
                            if id(a) != id(r) {
                                g.edge(&id(a), &id(r), &e.plover_type, e.reports as f64);
                            }
                        }
                    }
                }
            }
            GraphKind::Sources => {
                stats.reports = each_report(store, |r, a| {
                    let outlet = crate::outlet_of(r);
                    let rid = format!("report/{}", r.id.0);
                    let title = r
                        .document
                        .metadata
                        .title
                        .as_ref()
                        .map(|t| t.value.clone())
                        .unwrap_or_else(|| r.id.0.clone());
                    g.node(&rid, &title, "report");
                    let o = outlet_node(&outlet);
                    g.node(&o.key, &o.label, o.kind);
                    g.edge(&rid, &o.key, "published_by", 1.0);
                    let Some(att) = a.and_then(|a| a.attribution.as_ref()) else {
                        return Ok(());
                    };
                    for credit in &att.root.credits {
                        let key = format!("credit/{}", slug(credit));
                        g.node(&key, credit, "credit");
                        g.edge(&rid, &key, "credits", 1.0);
                    }
                    for c in &att.claims {
                        let mut prev = rid.clone();
                        let mut last = None;
                        for &s in c.chain.iter().skip(1) {
                            let Some(src) = att.sources.get(s) else {
                                continue;
                            };
                            let node = source_node(src, &outlet);
                            g.node(&node.key, &node.label, node.kind);
                            if node.key != prev {
                                g.edge(&prev, &node.key, "cites", 1.0);
                            }
                            prev = node.key.clone();
                            last = Some(node.key);
                        }
                        if let Some(l) = last
                            && let Some(n) = g.nodes.get_mut(&l)
                        {
                            n.count += 1;
                        }
                    }
                    Ok(())
                })?;
                for c in &rec.copies {
                    let (d, s) = (
                        format!("report/{}", c.derived),
                        format!("report/{}", c.source),
                    );
                    if g.nodes.contains_key(&d) && g.nodes.contains_key(&s) {
                        g.edge(&d, &s, "copies", c.score);
                    }
                }
            }
        }
        Ok(g)
    }

    /// GEXF 1.3: `<gexf xmlns="http://gexf.net/1.3" version="1.3">` with a directed static
    /// graph, node attributes `kind` and `count`, edge attribute `kind` and `count`, and edge
    /// weights.
    pub fn write_gexf(
        &self,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(usize),
        stats: &mut ExportStats,
    ) -> Result<(), ExportError> {
        let mut w = Writer::new_with_indent(&mut *out, b' ', 1);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map_err(xml_err)?;
        let mut root = BytesStart::new("gexf");
        root.push_attribute(("xmlns", "http://gexf.net/1.3"));
        root.push_attribute(("version", "1.3"));
        w.write_event(Event::Start(root)).map_err(xml_err)?;
        w.create_element("meta")
            .write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(BytesText::new("dossier"))?;
                w.create_element("description")
                    .write_text_content(BytesText::new(match self.kind {
                        GraphKind::Actors => "actors of merged events (actor to recipient)",
                        GraphKind::Sources => {
                            "reports, outlets and sources (cites, copies, credits)"
                        }
                    }))?;
                Ok(())
            })
            .map_err(xml_err)?;
        let mut graph = BytesStart::new("graph");
        graph.push_attribute(("defaultedgetype", "directed"));
        graph.push_attribute(("mode", "static"));
        w.write_event(Event::Start(graph)).map_err(xml_err)?;
        for (class, attrs) in [
            ("node", [("0", "kind", "string"), ("1", "count", "integer")]),
            ("edge", [("0", "kind", "string"), ("1", "count", "integer")]),
        ] {
            w.create_element("attributes")
                .with_attribute(("class", class))
                .write_inner_content(|w| {
                    for (id, title, ty) in attrs {
                        w.create_element("attribute")
                            .with_attributes([("id", id), ("title", title), ("type", ty)])
                            .write_empty()?;
                    }
                    Ok(())
                })
                .map_err(xml_err)?;
        }
        w.write_event(Event::Start(BytesStart::new("nodes")))
            .map_err(xml_err)?;
        for (id, n) in &self.nodes {
            let count = n.count.to_string();
            w.create_element("node")
                .with_attributes([("id", id.as_str()), ("label", n.label.as_str())])
                .write_inner_content(|w| {
                    w.create_element("attvalues").write_inner_content(|w| {
                        w.create_element("attvalue")
                            .with_attributes([("for", "0"), ("value", n.kind.as_str())])
                            .write_empty()?;
                        w.create_element("attvalue")
                            .with_attributes([("for", "1"), ("value", count.as_str())])
                            .write_empty()?;
                        Ok(())
                    })?;
                    Ok(())
                })
                .map_err(xml_err)?;
            stats.records += 1;
            progress(stats.records);
        }
        w.write_event(Event::End(BytesEnd::new("nodes")))
            .map_err(xml_err)?;
        w.write_event(Event::Start(BytesStart::new("edges")))
            .map_err(xml_err)?;
        for (i, ((from, to, kind), e)) in self.edges.iter().enumerate() {
            let (id, weight, count) = (i.to_string(), e.weight.to_string(), e.count.to_string());
            w.create_element("edge")
                .with_attributes([
                    ("id", id.as_str()),
                    ("source", from.as_str()),
                    ("target", to.as_str()),
                    ("label", kind.as_str()),
                    ("weight", weight.as_str()),
                ])
                .write_inner_content(|w| {
                    w.create_element("attvalues").write_inner_content(|w| {
                        w.create_element("attvalue")
                            .with_attributes([("for", "0"), ("value", kind.as_str())])
                            .write_empty()?;
                        w.create_element("attvalue")
                            .with_attributes([("for", "1"), ("value", count.as_str())])
                            .write_empty()?;
                        Ok(())
                    })?;
                    Ok(())
                })
                .map_err(xml_err)?;
            stats.records += 1;
            progress(stats.records);
        }
        for end in ["edges", "graph", "gexf"] {
            w.write_event(Event::End(BytesEnd::new(end)))
                .map_err(xml_err)?;
        }
        out.write_all(b"\n")?;
        Ok(())
    }

    /// GraphML: `<key>`s for label, kind, count and weight, then one directed `<graph>`.
    pub fn write_graphml(
        &self,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(usize),
        stats: &mut ExportStats,
    ) -> Result<(), ExportError> {
        let mut w = Writer::new_with_indent(&mut *out, b' ', 1);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map_err(xml_err)?;
        let mut root = BytesStart::new("graphml");
        root.push_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"));
        w.write_event(Event::Start(root)).map_err(xml_err)?;
        let keys = [
            ("label", "node", "label", "string"),
            ("kind", "node", "kind", "string"),
            ("count", "node", "count", "int"),
            ("ekind", "edge", "kind", "string"),
            ("weight", "edge", "weight", "double"),
            ("ecount", "edge", "count", "int"),
        ];
        for (id, on, name, ty) in keys {
            w.create_element("key")
                .with_attributes([
                    ("id", id),
                    ("for", on),
                    ("attr.name", name),
                    ("attr.type", ty),
                ])
                .write_empty()
                .map_err(xml_err)?;
        }
        let mut graph = BytesStart::new("graph");
        graph.push_attribute(("id", "G"));
        graph.push_attribute(("edgedefault", "directed"));
        w.write_event(Event::Start(graph)).map_err(xml_err)?;
        for (id, n) in &self.nodes {
            w.create_element("node")
                .with_attribute(("id", id.as_str()))
                .write_inner_content(|w| {
                    data(w, "label", &n.label)?;
                    data(w, "kind", &n.kind)?;
                    data(w, "count", &n.count.to_string())?;
                    Ok(())
                })
                .map_err(xml_err)?;
            stats.records += 1;
            progress(stats.records);
        }
        for (i, ((from, to, kind), e)) in self.edges.iter().enumerate() {
            let id = format!("e{i}");
            w.create_element("edge")
                .with_attributes([
                    ("id", id.as_str()),
                    ("source", from.as_str()),
                    ("target", to.as_str()),
                ])
                .write_inner_content(|w| {
                    data(w, "ekind", kind)?;
                    data(w, "weight", &e.weight.to_string())?;
                    data(w, "ecount", &e.count.to_string())?;
                    Ok(())
                })
                .map_err(xml_err)?;
            stats.records += 1;
            progress(stats.records);
        }
        for end in ["graph", "graphml"] {
            w.write_event(Event::End(BytesEnd::new(end)))
                .map_err(xml_err)?;
        }
        out.write_all(b"\n")?;
        Ok(())
    }
}
