//! Every export format checked against its specification, on a store built from our fixture
//! reports (`fixtures/reports.jsonl`):
//!
//! - snapshots of each format from the stored (not analysed) reports and a hand-edited
//!   cross-report record (`fixtures/record.json`, grades and a contradiction added by hand), so
//!   they change only when the exporter does;
//! - structural checks with real parsers on the analysed store and its live record: XML read
//!   back with quick-xml (GEXF 1.3 and GraphML elements, attributes, unique ids, edge
//!   endpoints), PROV-JSON sections, relation keys and declared ids, TSV column counts and
//!   escaping, FtM schemata and properties against our model file.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use dossier_export::{
    EVENT_COLUMNS, ExportError, ExportStats, FTM_MODEL, Format, GraphKind, MENTION_COLUMNS,
    export_with,
};
use dossier_pipeline::LinkRecord;
use dossier_store::{SqliteStore, Store};
use quick_xml::events::Event;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A store holding the fixture reports, analysed or not.
fn store(analyse: bool) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let s = dossier_pipeline::ingest(
        &mut store,
        vec![fixture("reports.jsonl")],
        dossier_ingest::Options::default(),
        &mut dossier_pipeline::Silent,
    )
    .unwrap();
    assert_eq!(s.stored, 5, "{s:?}");
    if analyse {
        dossier_pipeline::work(&mut store, &dossier_pipeline::WorkOptions::default()).unwrap();
    }
    (dir, store)
}

fn fixture_record() -> LinkRecord {
    serde_json::from_str(&std::fs::read_to_string(fixture("record.json")).unwrap()).unwrap()
}

fn run(format: Format, store: &dyn Store, rec: &LinkRecord) -> (String, ExportStats) {
    let mut out = Vec::new();
    let mut last = 0;
    let mut calls = 0;
    let stats = export_with(format, store, rec, &mut out, &mut |n| {
        assert!(n >= last, "progress goes forward");
        last = n;
        calls += 1;
    })
    .unwrap();
    assert!(calls > 0 || stats.records == 0);
    assert_eq!(
        last, stats.records,
        "{format:?}: the last progress is the total"
    );
    (String::from_utf8(out).unwrap(), stats)
}

fn all_formats() -> Vec<Format> {
    vec![
        Format::Jsonl,
        Format::EventsTsv,
        Format::MentionsTsv,
        Format::Plover,
        Format::ProvJson,
        Format::Gexf(GraphKind::Actors),
        Format::Gexf(GraphKind::Sources),
        Format::Graphml(GraphKind::Actors),
        Format::Graphml(GraphKind::Sources),
        Format::Ftm,
    ]
}

/// The analysed store with its live cross-report record.
fn live() -> (tempfile::TempDir, SqliteStore, LinkRecord) {
    let (d, s) = store(true);
    let rec = dossier_pipeline::link(&s).unwrap();
    assert!(!rec.events.is_empty(), "the fixture has events");
    (d, s, rec)
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn snapshots_of_each_format() {
    let (_d, s) = store(false);
    let rec = fixture_record();
    for f in all_formats() {
        if f == Format::Jsonl {
            continue; // holds ingestion times
        }
        let (text, _) = run(f, &s, &rec);
        let name = match f {
            Format::Gexf(g) | Format::Graphml(g) => format!("{}-{g:?}", f.name()),
            _ => f.name().to_string(),
        };
        insta::assert_snapshot!(name, text);
    }
}

// ---------------------------------------------------------------------------------------------
// JSON Lines

#[test]
fn jsonl_holds_every_record_with_a_string_id() {
    let (_d, s, rec) = live();
    let (text, stats) = run(Format::Jsonl, &s, &rec);
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut ids = HashSet::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let kind = v["type"].as_str().unwrap().to_string();
        let id = v["data"]["id"].as_str().expect("a string id").to_string();
        assert!(ids.insert(format!("{kind}/{id}")), "duplicate {kind} {id}");
        if kind == "report" {
            assert_eq!(v["data"]["analysis"]["analysed"], true);
        }
        *counts.entry(kind).or_default() += 1;
    }
    assert_eq!(counts["report"], 5);
    assert_eq!(counts.get("story").copied().unwrap_or(0), rec.stories.len());
    assert_eq!(counts.get("event").copied().unwrap_or(0), rec.events.len());
    assert_eq!(counts.get("copy").copied().unwrap_or(0), rec.copies.len());
    assert_eq!(
        counts.get("entity").copied().unwrap_or(0),
        rec.entities.len()
    );
    assert_eq!(stats.records, text.lines().count());
    assert_eq!(stats.reports, 5);
}

#[test]
fn legacy_jsonl_writes_reports_only() {
    let (_d, s) = store(false);
    let mut out = Vec::new();
    let sum = dossier_export::export(&s, "jsonl", &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(sum.records, 5);
    assert!(
        text.lines()
            .all(|l| l.starts_with("{\"data\"") || l.contains("\"type\":\"report\""))
    );
    assert_eq!(text.lines().count(), 5);
}

// ---------------------------------------------------------------------------------------------
// TSV

/// Parse a table: header and rows, every row with the header's column count, every field
/// unescaped; no field holds a control character once escaped.
fn parse_tsv(text: &str, columns: &[&str]) -> Vec<HashMap<String, String>> {
    assert!(text.ends_with('\n'));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(header, columns);
    lines
        .map(|l| {
            assert!(!l.chars().any(|c| c.is_control() && c != '\t'), "{l:?}");
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), columns.len(), "{l:?}");
            columns
                .iter()
                .zip(f)
                .map(|(c, v)| (c.to_string(), dossier_export::unescape_field(v)))
                .collect()
        })
        .collect()
}

fn check_events_tsv(text: &str, rec: &LinkRecord) {
    let rows = parse_tsv(text, EVENT_COLUMNS);
    assert_eq!(rows.len(), rec.events.len());
    for (r, e) in rows.iter().zip(&rec.events) {
        assert_eq!(r["GLOBALEVENTID"], e.id);
        assert_eq!(r["PLOVERType"], e.plover_type);
        assert_eq!(r["NumArticles"].parse::<usize>().unwrap(), e.reports);
        assert_eq!(r["NumSources"].parse::<usize>().unwrap(), e.outlets);
        assert_eq!(r["NumOrigins"].parse::<usize>().unwrap(), e.origins);
        assert_eq!(r["NumMentions"].parse::<usize>().unwrap(), e.mentions.len());
        let d = &r["SQLDATE"];
        assert!(
            d.is_empty() || (d.len() == 8 && d.chars().all(|c| c.is_ascii_digit())),
            "{d}"
        );
        if let Some(c) = &e.cameo {
            assert_eq!(&r["EventCode"], c);
            assert!(c.starts_with(&r["EventRootCode"]));
            let quad: u8 = r["QuadClass"].parse().unwrap();
            let root: u8 = r["EventRootCode"].parse().unwrap();
            let expected = match root {
                1..=5 => 1,
                6..=8 => 2,
                9..=14 => 3,
                _ => 4,
            };
            assert_eq!(quad, expected, "{c}");
            let g: f64 = r["GoldsteinScale"].parse().unwrap();
            assert!((-10.0..=10.0).contains(&g));
        }
        let url = &r["SOURCEURL"];
        assert!(url.starts_with("https://") || rec.reports.iter().any(|x| &x.id == url));
        for side in ["Actor1", "Actor2"] {
            let code = &r[&format!("{side}Code")];
            let country = &r[&format!("{side}CountryCode")];
            assert!(country.is_empty() || code.starts_with(country.as_str()));
        }
    }
}

fn check_mentions_tsv(text: &str, rec: &LinkRecord) {
    let rows = parse_tsv(text, MENTION_COLUMNS);
    let mentions: usize = rec.events.iter().map(|e| e.mentions.len()).sum();
    assert_eq!(rows.len(), mentions);
    let events: HashMap<&str, &dossier_pipeline::link::MergedEvent> =
        rec.events.iter().map(|e| (e.id.as_str(), e)).collect();
    for r in &rows {
        let e = events[r["GLOBALEVENTID"].as_str()];
        let (ts, te): (usize, usize) = (
            r["TriggerStart"].parse().unwrap(),
            r["TriggerEnd"].parse().unwrap(),
        );
        let m = e
            .mentions
            .iter()
            .find(|m| m.report == r["ReportID"] && m.trigger == (ts, te))
            .expect("the row is a mention of its event");
        assert_eq!(r["Sentence"], m.sentence);
        assert_eq!(r["ClaimID"], m.claim.clone().unwrap_or_default());
        assert!(["10", "20", "50", "100"].contains(&r["Confidence"].as_str()));
        assert!(r["MentionIdentifier"].starts_with("https://"));
        let (ss, se): (usize, usize) = (
            r["SentenceStart"].parse().unwrap(),
            r["SentenceEnd"].parse().unwrap(),
        );
        assert!(ss <= se);
    }
}

#[test]
fn tsv_tables_parse_back() {
    let (_d, s, rec) = live();
    check_events_tsv(&run(Format::EventsTsv, &s, &rec).0, &rec);
    let text = run(Format::MentionsTsv, &s, &rec).0;
    check_mentions_tsv(&text, &rec);
    // Sentence numbers are known when the report is analysed.
    assert!(
        parse_tsv(&text, MENTION_COLUMNS)
            .iter()
            .all(|r| r["SentenceID"].parse::<usize>().unwrap() >= 1)
    );
    let (_d2, s2) = store(false);
    let rec2 = fixture_record();
    check_events_tsv(&run(Format::EventsTsv, &s2, &rec2).0, &rec2);
    check_mentions_tsv(&run(Format::MentionsTsv, &s2, &rec2).0, &rec2);
}

// ---------------------------------------------------------------------------------------------
// XML graphs

#[derive(Default, Debug)]
struct Xml {
    /// (path of element names, attributes) for every start or empty element, in order.
    elements: Vec<(Vec<String>, HashMap<String, String>)>,
    text: HashMap<Vec<String>, Vec<String>>,
}

/// Read an XML document with quick-xml, failing on anything not well-formed (mismatched or
/// unclosed tags, bad escapes, duplicate attributes).
fn read_xml(text: &str) -> Xml {
    let mut r = quick_xml::Reader::from_str(text);
    r.config_mut().check_end_names = true;
    let mut stack: Vec<String> = Vec::new();
    let mut x = Xml::default();
    let mut roots = 0;
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if stack.is_empty() {
                    roots += 1;
                }
                stack.push(name);
                x.elements.push((stack.clone(), attrs(&e)));
            }
            Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                let mut p = stack.clone();
                p.push(name);
                x.elements.push((p, attrs(&e)));
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                let t = t.decode().unwrap().to_string();
                if !t.trim().is_empty() {
                    x.text.entry(stack.clone()).or_default().push(t);
                }
            }
            Event::GeneralRef(_) => {}
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "every element is closed");
    assert_eq!(roots, 1, "one root element");
    x
}

fn attrs(e: &quick_xml::events::BytesStart) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for a in e.attributes() {
        let a = a.expect("well-formed attribute");
        let k = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
        let v = a
            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
            .expect("valid escapes")
            .to_string();
        assert!(m.insert(k, v).is_none(), "duplicate attribute");
    }
    m
}

fn at<'a>(x: &'a Xml, path: &[&str]) -> Vec<&'a HashMap<String, String>> {
    x.elements
        .iter()
        .filter(|(p, _)| p.iter().map(String::as_str).eq(path.iter().copied()))
        .map(|(_, a)| a)
        .collect()
}

fn check_gexf(text: &str) -> (usize, usize) {
    let x = read_xml(text);
    let root = at(&x, &["gexf"]);
    assert_eq!(root.len(), 1);
    assert_eq!(root[0]["xmlns"], "http://gexf.net/1.3");
    assert_eq!(root[0]["version"], "1.3");
    let graph = at(&x, &["gexf", "graph"]);
    assert_eq!(graph.len(), 1);
    assert_eq!(graph[0]["defaultedgetype"], "directed");
    // Declared attributes per class.
    let mut declared: HashMap<String, HashSet<String>> = HashMap::new();
    let mut class = String::new();
    for (p, a) in &x.elements {
        if p.last().is_some_and(|n| n == "attributes") {
            class = a["class"].clone();
        }
        if p.last().is_some_and(|n| n == "attribute") {
            assert!(
                ["string", "integer", "double", "boolean", "float", "long"]
                    .contains(&a["type"].as_str())
            );
            assert!(
                declared
                    .entry(class.clone())
                    .or_default()
                    .insert(a["id"].clone())
            );
            assert!(a.contains_key("title"));
        }
    }
    let nodes = at(&x, &["gexf", "graph", "nodes", "node"]);
    let ids: HashSet<&str> = nodes.iter().map(|n| n["id"].as_str()).collect();
    assert_eq!(ids.len(), nodes.len(), "node ids are unique");
    assert!(nodes.iter().all(|n| n.contains_key("label")));
    let edges = at(&x, &["gexf", "graph", "edges", "edge"]);
    let eids: HashSet<&str> = edges.iter().map(|n| n["id"].as_str()).collect();
    assert_eq!(eids.len(), edges.len(), "edge ids are unique");
    for e in &edges {
        assert!(ids.contains(e["source"].as_str()), "{e:?}");
        assert!(ids.contains(e["target"].as_str()), "{e:?}");
        assert!(e["weight"].parse::<f64>().unwrap() > 0.0);
    }
    for (cls, path) in [
        (
            "node",
            ["gexf", "graph", "nodes", "node", "attvalues", "attvalue"],
        ),
        (
            "edge",
            ["gexf", "graph", "edges", "edge", "attvalues", "attvalue"],
        ),
    ] {
        for a in at(&x, &path) {
            assert!(declared[cls].contains(&a["for"]), "{a:?}");
            assert!(a.contains_key("value"));
        }
    }
    // Elements only where the schema puts them.
    for (p, _) in &x.elements {
        let allowed: &[&[&str]] = &[
            &["gexf"],
            &["gexf", "meta"],
            &["gexf", "meta", "creator"],
            &["gexf", "meta", "description"],
            &["gexf", "graph"],
            &["gexf", "graph", "attributes"],
            &["gexf", "graph", "attributes", "attribute"],
            &["gexf", "graph", "nodes"],
            &["gexf", "graph", "nodes", "node"],
            &["gexf", "graph", "nodes", "node", "attvalues"],
            &["gexf", "graph", "nodes", "node", "attvalues", "attvalue"],
            &["gexf", "graph", "edges"],
            &["gexf", "graph", "edges", "edge"],
            &["gexf", "graph", "edges", "edge", "attvalues"],
            &["gexf", "graph", "edges", "edge", "attvalues", "attvalue"],
        ];
        assert!(
            allowed
                .iter()
                .any(|a| p.iter().map(String::as_str).eq(a.iter().copied())),
            "{p:?}"
        );
    }
    (nodes.len(), edges.len())
}

fn check_graphml(text: &str) -> (usize, usize) {
    let x = read_xml(text);
    let root = at(&x, &["graphml"]);
    assert_eq!(root[0]["xmlns"], "http://graphml.graphdrawing.org/xmlns");
    // Keys come before the graph and are declared once.
    let first_graph = x
        .elements
        .iter()
        .position(|(p, _)| p.len() == 2 && p[1] == "graph")
        .unwrap();
    let mut keys: HashMap<String, String> = HashMap::new();
    for (i, (p, a)) in x.elements.iter().enumerate() {
        if p.len() == 2 && p[1] == "key" {
            assert!(i < first_graph);
            assert!(["node", "edge", "graph", "all"].contains(&a["for"].as_str()));
            assert!(
                ["string", "int", "long", "float", "double", "boolean"]
                    .contains(&a["attr.type"].as_str())
            );
            assert!(keys.insert(a["id"].clone(), a["for"].clone()).is_none());
        }
    }
    let graph = at(&x, &["graphml", "graph"]);
    assert_eq!(graph.len(), 1);
    assert_eq!(graph[0]["edgedefault"], "directed");
    let nodes = at(&x, &["graphml", "graph", "node"]);
    let ids: HashSet<&str> = nodes.iter().map(|n| n["id"].as_str()).collect();
    assert_eq!(ids.len(), nodes.len());
    let edges = at(&x, &["graphml", "graph", "edge"]);
    for e in &edges {
        assert!(ids.contains(e["source"].as_str()) && ids.contains(e["target"].as_str()));
    }
    for (on, path) in [
        ("node", ["graphml", "graph", "node", "data"]),
        ("edge", ["graphml", "graph", "edge", "data"]),
    ] {
        for d in at(&x, &path) {
            assert_eq!(keys[&d["key"]], on);
        }
    }
    (nodes.len(), edges.len())
}

#[test]
fn graphs_are_well_formed_gexf_and_graphml() {
    let (_d, s, rec) = live();
    for g in [GraphKind::Actors, GraphKind::Sources] {
        let (gexf, st) = run(Format::Gexf(g), &s, &rec);
        let (n, e) = check_gexf(&gexf);
        assert_eq!(n + e, st.records);
        assert!(n > 0 && e > 0, "{g:?}: {n} nodes, {e} edges");
        let (graphml, _) = run(Format::Graphml(g), &s, &rec);
        assert_eq!(
            check_graphml(&graphml),
            (n, e),
            "the same graph in both formats"
        );
    }
    // The sources graph holds every kind of node and link the analysed fixture has.
    let (gexf, _) = run(Format::Gexf(GraphKind::Sources), &s, &rec);
    for kind in ["report", "outlet", "person", "anonymous"] {
        assert!(gexf.contains(&format!("value=\"{kind}\"")), "{kind}");
    }
    for kind in ["published_by", "cites", "copies"] {
        assert!(gexf.contains(&format!("label=\"{kind}\"")), "{kind}");
    }
    let (_d2, s2) = store(false);
    let rec2 = fixture_record();
    for g in [GraphKind::Actors, GraphKind::Sources] {
        check_gexf(&run(Format::Gexf(g), &s2, &rec2).0);
        check_graphml(&run(Format::Graphml(g), &s2, &rec2).0);
    }
}

// ---------------------------------------------------------------------------------------------
// PROV-JSON

/// Structural validation against the PROV-JSON submission: known top-level sections, each a
/// map of records; attribute values are literals, typed literals `{"$", "type"}` or lists of
/// them; qualified names use declared prefixes; relations carry their required keys and refer
/// to declared entities and agents.
fn check_prov(text: &str) -> HashMap<String, usize> {
    let v: Value = serde_json::from_str(text).expect("one JSON object");
    let top = v.as_object().unwrap();
    let sections = [
        "prefix",
        "entity",
        "activity",
        "agent",
        "wasGeneratedBy",
        "used",
        "wasInformedBy",
        "wasStartedBy",
        "wasEndedBy",
        "wasInvalidatedBy",
        "wasDerivedFrom",
        "wasAttributedTo",
        "wasAssociatedWith",
        "actedOnBehalfOf",
        "wasInfluencedBy",
        "specializationOf",
        "alternateOf",
        "hadMember",
        "mentionOf",
        "bundle",
    ];
    for k in top.keys() {
        assert!(sections.contains(&k.as_str()), "unknown section {k}");
    }
    let mut prefixes: HashSet<String> = ["prov", "xsd"].iter().map(|s| s.to_string()).collect();
    for (p, iri) in top["prefix"].as_object().unwrap() {
        assert!(iri.is_string());
        prefixes.insert(p.clone());
    }
    let qualified = |q: &str| {
        let (p, local) = q.split_once(':').expect("a qualified name");
        assert!(prefixes.contains(p) || p == "_", "undeclared prefix in {q}");
        assert!(
            !local.is_empty() && !local.contains(char::is_whitespace),
            "{q}"
        );
    };
    fn literal(v: &Value) {
        match v {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => {}
            Value::Object(o) => {
                assert!(o.contains_key("$"), "typed literal {v}");
                assert!(o.keys().all(|k| k == "$" || k == "type" || k == "lang"));
            }
            Value::Array(a) => a.iter().for_each(literal),
            Value::Null => panic!("null attribute"),
        }
    }
    let mut declared: HashMap<&str, HashSet<String>> = HashMap::new();
    for sec in ["entity", "agent", "activity"] {
        for (id, rec) in top
            .get(sec)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            qualified(id);
            for (k, a) in rec.as_object().unwrap() {
                qualified(k);
                literal(a);
                if let Some(t) = a.get("type").and_then(Value::as_str)
                    && t == "prov:QUALIFIED_NAME"
                {
                    qualified(a["$"].as_str().unwrap());
                }
            }
            assert!(declared.entry(sec).or_default().insert(id.clone()));
        }
    }
    let is = |sec: &str, id: &str| declared.get(sec).is_some_and(|s| s.contains(id));
    let required: &[(&str, &[(&str, &str)])] = &[
        (
            "wasDerivedFrom",
            &[
                ("prov:generatedEntity", "entity"),
                ("prov:usedEntity", "entity"),
            ],
        ),
        (
            "wasAttributedTo",
            &[("prov:entity", "entity"), ("prov:agent", "agent")],
        ),
    ];
    let mut counts = HashMap::new();
    for (sec, keys) in required {
        let Some(rels) = top.get(*sec).and_then(Value::as_object) else {
            continue;
        };
        for (id, r) in rels {
            assert!(id.starts_with("_:") || id.contains(':'));
            for (k, target) in *keys {
                let to = r[*k]
                    .as_str()
                    .unwrap_or_else(|| panic!("{sec} {id} has no {k}"));
                assert!(
                    is(target, to),
                    "{sec} {id}: {k} {to} is not a declared {target}"
                );
            }
            if let Some(t) = r.get("prov:type") {
                let t = t["$"].as_str().unwrap();
                qualified(t);
                *counts.entry(t.to_string()).or_default() += 1;
            }
            *counts.entry(sec.to_string()).or_default() += 1;
        }
    }
    counts
}

#[test]
fn prov_json_is_valid_and_holds_the_chains() {
    let (_d, s, rec) = live();
    let (text, stats) = run(Format::ProvJson, &s, &rec);
    let counts = check_prov(&text);
    assert!(stats.records > 0);
    // The analysed fixture quotes sources through chains (wasQuotedFrom) down to origins
    // (hadPrimarySource), and the copy is a derivation between reports.
    for k in [
        "prov:Quotation",
        "prov:PrimarySource",
        "dossier:copy",
        "wasAttributedTo",
    ] {
        assert!(counts.get(k).copied().unwrap_or(0) > 0, "{k}: {counts:?}");
    }
    let (_d2, s2) = store(false);
    check_prov(&run(Format::ProvJson, &s2, &fixture_record()).0);
}

// ---------------------------------------------------------------------------------------------
// FollowTheMoney

fn check_ftm(text: &str) -> HashMap<String, usize> {
    let mut model: HashMap<(String, String), String> = HashMap::new();
    for l in FTM_MODEL
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = l.split('\t').collect();
        model.insert((f[0].into(), f[1].into()), f[2].into());
    }
    let mut ids = HashSet::new();
    let mut refs = Vec::new();
    let mut schemata = HashMap::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let o = v.as_object().unwrap();
        let keys: BTreeSet<&str> = o.keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["id", "properties", "schema"]));
        let id = v["id"].as_str().unwrap();
        assert!(!id.is_empty() && id.len() <= 128);
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        let schema = v["schema"].as_str().unwrap();
        *schemata.entry(schema.to_string()).or_default() += 1;
        let props = v["properties"].as_object().unwrap();
        for (p, vals) in props {
            let ty = model
                .get(&(schema.to_string(), p.clone()))
                .unwrap_or_else(|| panic!("{schema} has no property {p}"));
            let vals = vals.as_array().expect("a list");
            assert!(!vals.is_empty());
            for x in vals {
                let x = x.as_str().expect("strings");
                match ty.as_str() {
                    "entity" => refs.push(x.to_string()),
                    "date" => assert!(x.len() >= 4 && x[..4].chars().all(|c| c.is_ascii_digit())),
                    "url" => assert!(x.starts_with("http")),
                    _ => {}
                }
            }
        }
        assert!(schema == "Address" || props.contains_key("name") || props.contains_key("title"));
    }
    for r in refs {
        assert!(ids.contains(&r), "reference to {r}, never written");
    }
    schemata
}

#[test]
fn ftm_entities_follow_the_model() {
    let (_d, s, rec) = live();
    let (text, stats) = run(Format::Ftm, &s, &rec);
    let schemata = check_ftm(&text);
    assert_eq!(schemata["Article"], 5);
    assert_eq!(schemata["Event"], rec.events.len());
    assert_eq!(stats.records, text.lines().count());
    let (_d2, s2) = store(false);
    check_ftm(&run(Format::Ftm, &s2, &fixture_record()).0);
}

// ---------------------------------------------------------------------------------------------
// PLOVER

#[test]
fn plover_records_match_the_merged_events() {
    let (_d, s, rec) = live();
    let (text, _) = run(Format::Plover, &s, &rec);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), rec.events.len());
    for (v, e) in lines.iter().zip(&rec.events) {
        assert_eq!(v["event_id"], e.id);
        assert_eq!(v["event_type"], e.plover_type);
        assert_eq!(v["num_reports"], e.reports);
        assert_eq!(v["num_origins"], e.origins);
        assert!(v["outlets"].as_array().unwrap().len() == e.outlets);
        assert!(v["event_context"].is_array());
        assert!(v["grade"].is_object());
    }
    // Modes come from the reports' own codings.
    assert!(lines.iter().any(|v| v["event_mode"].is_string()), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Bad input and failures

struct Failing(usize);

impl std::io::Write for Failing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0 < buf.len() {
            return Err(std::io::Error::other("disk full"));
        }
        self.0 -= buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn write_failures_are_errors_not_panics() {
    let (_d, s) = store(false);
    let rec = fixture_record();
    for f in all_formats() {
        for budget in [0, 100, 5000] {
            let r = export_with(f, &s, &rec, &mut Failing(budget), &mut |_| {});
            match r {
                Err(ExportError::Io(_)) | Err(ExportError::Xml(_)) | Err(ExportError::Json(_)) => {}
                Err(e) => panic!("{f:?}: {e}"),
                // Everything fitted in the budget.
                Ok(_) => assert!(budget > 0, "{f:?} wrote into a full disk"),
            }
        }
    }
}

#[test]
fn an_empty_store_exports_empty_but_valid_documents() {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("e.db")).unwrap();
    let rec = LinkRecord::default();
    check_gexf(&run(Format::Gexf(GraphKind::Actors), &s, &rec).0);
    check_graphml(&run(Format::Graphml(GraphKind::Sources), &s, &rec).0);
    check_prov(&run(Format::ProvJson, &s, &rec).0);
    assert_eq!(run(Format::EventsTsv, &s, &rec).0.lines().count(), 1);
    assert_eq!(run(Format::Ftm, &s, &rec).0, "");
}
