//! W3C PROV-JSON of the provenance graph. PROV-JSON is one JSON object whose sections are maps
//! from identifiers to records; we write it section by section as we go, reading the store once
//! per section that needs it (entities, then derivations, then attributions), so only the
//! agents (outlets and sources, deduplicated) are held.
//!
//! - Entities: `dossier:report/R` (a report), `dossier:claim/R/cN` (its N-th claim, as in
//!   `dossier trace`), `dossier:statement/R/cN/K` (what the K-th source of the claim's chain
//!   said, as relayed), `dossier:event/EV` (a merged event).
//! - Agents: `dossier:outlet/…` (outlets; a report's own voice), `dossier:source/…` (named
//!   people and bodies, one across reports), `dossier:anonymous/…` (an anonymous group, per
//!   relaying outlet and descriptor), `dossier:opaque/…` (an opaque reference).
//! - wasDerivedFrom: claim from report; claim from the first statement of its chain and each
//!   statement from the next with `prov:type` `prov:Quotation` (PROV's wasQuotedFrom); claim
//!   from the deepest statement with `prov:type` `prov:PrimarySource` (hadPrimarySource); a
//!   copied report from its source (`dossier:copy`); a merged event from each claim (or
//!   report) that states it.
//! - wasAttributedTo: report to its outlet; each statement to its source.

use std::collections::BTreeMap;
use std::io::Write;

use dossier_pipeline::{Analysis, LinkRecord};
use dossier_store::{Store, StoredReport};
use serde_json::{Map, Value, json};

use crate::{ExportError, ExportStats, each_report, outlet_of, source_node};

/// A section of the top-level object being written: `"name": { "id": {...}, ... }`.
struct Section<'a> {
    out: &'a mut dyn Write,
    first: bool,
}

impl<'a> Section<'a> {
    fn open(out: &'a mut dyn Write, name: &str, first_section: bool) -> Result<Self, ExportError> {
        if !first_section {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut *out, name)?;
        out.write_all(b": {")?;
        Ok(Section { out, first: true })
    }

    fn item(&mut self, id: &str, v: &Value) -> Result<(), ExportError> {
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        self.out.write_all(b"\n  ")?;
        serde_json::to_writer(&mut *self.out, id)?;
        self.out.write_all(b": ")?;
        serde_json::to_writer(&mut *self.out, v)?;
        Ok(())
    }

    fn close(self) -> Result<(), ExportError> {
        self.out.write_all(b"\n}")?;
        Ok(())
    }
}

fn qname(q: &str) -> Value {
    json!({"$": q, "type": "prov:QUALIFIED_NAME"})
}

fn report_id(r: &str) -> String {
    format!("dossier:report/{r}")
}

fn claim_id(r: &str, n: usize) -> String {
    format!("dossier:claim/{r}/c{n}")
}

fn statement_id(r: &str, n: usize, k: usize) -> String {
    format!("dossier:statement/{r}/c{n}/{k}")
}

/// The claims of a report with their chains (source indexes, report first).
fn claims(a: Option<&Analysis>) -> impl Iterator<Item = (usize, &dossier_attribution::Claim)> {
    a.and_then(|a| a.attribution.as_ref())
        .into_iter()
        .flat_map(|att| att.claims.iter().enumerate())
}

fn sources(a: Option<&Analysis>) -> &[dossier_attribution::Source] {
    a.and_then(|a| a.attribution.as_ref())
        .map(|att| att.sources.as_slice())
        .unwrap_or(&[])
}

pub(crate) fn write(
    store: &dyn Store,
    rec: &LinkRecord,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
    stats: &mut ExportStats,
) -> Result<(), ExportError> {
    out.write_all(b"{\n")?;
    serde_json::to_writer(&mut *out, "prefix")?;
    out.write_all(b": ")?;
    serde_json::to_writer(&mut *out, &json!({"dossier": "urn:dossier:"}))?;

    // Entities, collecting the agents on the way.
    let mut agents: BTreeMap<String, Value> = BTreeMap::new();
    let mut n = 0usize;
    // Claims written per report, so merged events only point at declared claims.
    let mut claims_of: std::collections::HashMap<String, usize> = Default::default();
    {
        let mut s = Section::open(out, "entity", false)?;
        stats.reports = each_report(store, |r, a| {
            let outlet = outlet_of(r);
            let o = crate::outlet_node(&outlet);
            agents
                .entry(format!("dossier:{}", o.key))
                .or_insert_with(|| {
                    json!({"prov:type": qname("prov:Organization"), "prov:label": o.label,
                       "dossier:kind": "outlet"})
                });
            s.item(&report_id(&r.id.0), &report_entity(r, &outlet))?;
            n += 1;
            let srcs = sources(a);
            claims_of.insert(r.id.0.clone(), claims(a).count());
            for (i, c) in claims(a) {
                s.item(
                    &claim_id(&r.id.0, i),
                    &json!({
                        "prov:type": qname("dossier:Claim"),
                        "prov:value": c.span.text,
                        "dossier:start": c.span.start,
                        "dossier:end": c.span.end,
                        "dossier:commitment": format!("{:?}", c.commitment).to_lowercase(),
                        "dossier:polarity": format!("{:?}", c.polarity).to_lowercase(),
                    }),
                )?;
                n += 1;
                // Every statement of the chain is declared (the derivations below name them
                // all); a source index the record lacks leaves it unattributed.
                for (k, &src) in c.chain.iter().enumerate().skip(1) {
                    let node = srcs.get(src).map(|src| source_node(src, &outlet));
                    let label = node
                        .as_ref()
                        .map_or("an unknown source", |n| n.label.as_str());
                    s.item(
                        &statement_id(&r.id.0, i, k),
                        &json!({
                            "prov:type": qname("dossier:Statement"),
                            "prov:label": format!("what {label} said"),
                        }),
                    )?;
                    n += 1;
                    if let Some(node) = node {
                        agents
                            .entry(format!("dossier:{}", node.key))
                            .or_insert_with(|| agent(&node));
                    }
                }
            }
            progress(n);
            Ok(())
        })?;
        for e in &rec.events {
            let mut v = json!({
                "prov:type": qname("dossier:MergedEvent"),
                "prov:label": format!("{} {}", e.plover_type, e.time.as_deref().unwrap_or("")).trim().to_string(),
                "dossier:reports": e.reports,
                "dossier:outlets": e.outlets,
                "dossier:origins": e.origins,
            });
            if !e.grade.code.is_empty() {
                v["dossier:grade"] = json!(e.grade.code);
            }
            s.item(&format!("dossier:event/{}", e.id), &v)?;
            n += 1;
        }
        s.close()?;
    }
    {
        let mut s = Section::open(out, "agent", false)?;
        for (id, v) in &agents {
            s.item(id, v)?;
            n += 1;
        }
        s.close()?;
    }
    progress(n);

    // Derivations.
    let mut rel = 0usize;
    {
        let mut s = Section::open(out, "wasDerivedFrom", false)?;
        let mut derive = |s: &mut Section, g: &str, u: &str, ty: Option<&str>| {
            rel += 1;
            let mut v = Map::new();
            v.insert("prov:generatedEntity".into(), json!(g));
            v.insert("prov:usedEntity".into(), json!(u));
            if let Some(t) = ty {
                v.insert("prov:type".into(), qname(t));
            }
            s.item(&format!("_:d{rel}"), &Value::Object(v))
        };
        each_report(store, |r, a| {
            for (i, c) in claims(a) {
                let cid = claim_id(&r.id.0, i);
                derive(&mut s, &cid, &report_id(&r.id.0), None)?;
                let depth = c.chain.len();
                if depth > 1 {
                    derive(
                        &mut s,
                        &cid,
                        &statement_id(&r.id.0, i, 1),
                        Some("prov:Quotation"),
                    )?;
                    for k in 1..depth - 1 {
                        derive(
                            &mut s,
                            &statement_id(&r.id.0, i, k),
                            &statement_id(&r.id.0, i, k + 1),
                            Some("prov:Quotation"),
                        )?;
                    }
                    derive(
                        &mut s,
                        &cid,
                        &statement_id(&r.id.0, i, depth - 1),
                        Some("prov:PrimarySource"),
                    )?;
                }
            }
            Ok(())
        })?;
        for c in &rec.copies {
            derive(
                &mut s,
                &report_id(&c.derived),
                &report_id(&c.source),
                Some("dossier:copy"),
            )?;
        }
        for e in &rec.events {
            let mut seen = std::collections::HashSet::new();
            for m in &e.mentions {
                let declared = |c: &str| {
                    let (r, k) = c.rsplit_once(":c")?;
                    let k: usize = k.parse().ok()?;
                    (k < *claims_of.get(r)?).then(|| claim_id(r, k))
                };
                let used = match m.claim.as_deref().and_then(declared) {
                    Some(c) => c,
                    None => report_id(&m.report),
                };
                if claims_of.contains_key(m.report.as_str()) && seen.insert(used.clone()) {
                    derive(&mut s, &format!("dossier:event/{}", e.id), &used, None)?;
                }
            }
        }
        s.close()?;
    }
    n += rel;
    progress(n);

    // Attributions.
    let mut rel = 0usize;
    {
        let mut s = Section::open(out, "wasAttributedTo", false)?;
        let mut attribute = |s: &mut Section, e: &str, ag: &str| {
            rel += 1;
            s.item(
                &format!("_:a{rel}"),
                &json!({"prov:entity": e, "prov:agent": ag}),
            )
        };
        each_report(store, |r, a| {
            let outlet = outlet_of(r);
            attribute(
                &mut s,
                &report_id(&r.id.0),
                &format!("dossier:{}", crate::outlet_node(&outlet).key),
            )?;
            let srcs = sources(a);
            for (i, c) in claims(a) {
                for (k, &src) in c.chain.iter().enumerate().skip(1) {
                    let Some(src) = srcs.get(src) else { continue };
                    attribute(
                        &mut s,
                        &statement_id(&r.id.0, i, k),
                        &format!("dossier:{}", source_node(src, &outlet).key),
                    )?;
                }
            }
            Ok(())
        })?;
        s.close()?;
    }
    n += rel;
    stats.records = n;
    progress(n);
    out.write_all(b"\n}\n")?;
    Ok(())
}

fn report_entity(r: &StoredReport, outlet: &str) -> Value {
    let m = &r.document.metadata;
    let mut v = json!({
        "prov:type": qname("dossier:Report"),
        "dossier:outlet": outlet,
        "dossier:revision": r.revision,
    });
    if let Some(t) = &m.title {
        v["prov:label"] = json!(t.value);
    }
    if let Some(p) = &m.published {
        v["dossier:published"] = json!({"$": p.value.to_rfc3339(), "type": "xsd:dateTime"});
    }
    if let Some(u) = &r.url {
        v["dossier:url"] = json!({"$": u, "type": "xsd:anyURI"});
    }
    v
}

fn agent(node: &crate::SourceNode) -> Value {
    let ty = match node.kind {
        "person" => "prov:Person",
        "organisation" | "outlet" => "prov:Organization",
        _ => "dossier:Source",
    };
    json!({"prov:type": qname(ty), "prov:label": node.label, "dossier:kind": node.kind})
}
