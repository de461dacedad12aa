//! FollowTheMoney entities, one JSON object per line (`{"id", "schema", "properties"}` with
//! every property a list of strings), as Aleph and `ftm` read them:
//!
//! - `Article` per stored report (title, author, publishedAt, sourceUrl, publisher, language);
//! - `Person`, `Organization` or `Address` per entity across reports (name, alias);
//! - `LegalEntity` per event actor that no entity across reports names;
//! - `Event` per merged event (name, summary, date, location, involved, proof: the articles
//!   that report it, notes: our counts and grade).
//!
//! Every schema and property written is in `data/ftm_model.tsv`; writing another is an error.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::LazyLock;

use dossier_link::EntityKind;
use dossier_pipeline::LinkRecord;
use dossier_store::Store;
use serde_json::{Map, Value, json};

use crate::{ExportError, ExportStats, each_stored, hash_id, outlet_of};

/// The FtM model this exporter writes: `schema \t property \t type` lines.
pub const FTM_MODEL: &str = include_str!("../data/ftm_model.tsv");

static MODEL: LazyLock<HashSet<(String, String)>> = LazyLock::new(|| {
    FTM_MODEL
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?.to_string(), f.next()?.to_string()))
        })
        .collect()
});

/// One entity being built.
struct Entity {
    id: String,
    schema: &'static str,
    props: Map<String, Value>,
}

impl Entity {
    fn new(id: String, schema: &'static str) -> Self {
        Entity {
            id,
            schema,
            props: Map::new(),
        }
    }

    /// Add values to a property (empty values are skipped, duplicates dropped).
    fn add<I, S>(&mut self, prop: &str, values: I) -> Result<&mut Self, ExportError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        if !MODEL.contains(&(self.schema.to_string(), prop.to_string())) {
            return Err(ExportError::FtmProperty(
                self.schema.to_string(),
                prop.to_string(),
            ));
        }
        for v in values {
            let v: String = v.into();
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let list = self
                .props
                .entry(prop.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(a) = list
                && !a.iter().any(|x| x == v)
            {
                a.push(Value::String(v.to_string()));
            }
        }
        Ok(self)
    }

    fn write(self, out: &mut dyn Write, stats: &mut ExportStats) -> Result<(), ExportError> {
        serde_json::to_writer(
            &mut *out,
            &json!({"id": self.id, "schema": self.schema, "properties": self.props}),
        )?;
        out.write_all(b"\n")?;
        stats.records += 1;
        Ok(())
    }
}

fn article_id(report: &str) -> String {
    format!("dossier-article-{report}")
}

pub(crate) fn write(
    store: &dyn Store,
    rec: &LinkRecord,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
    stats: &mut ExportStats,
) -> Result<(), ExportError> {
    let mut st = ExportStats::default();
    let reports = each_stored(store, |r, _| {
        let m = &r.document.metadata;
        let mut e = Entity::new(article_id(&r.id.0), "Article");
        e.add("title", m.title.iter().map(|t| t.value.clone()))?
            .add("author", m.authors.iter().map(|a| a.value.clone()))?
            .add(
                "publishedAt",
                m.published.iter().map(|p| p.value.to_rfc3339()),
            )?
            .add("sourceUrl", r.url.clone())?
            .add("publisher", [outlet_of(r)])?
            .add("language", m.language.iter().map(|l| l.value.clone()))?;
        e.write(out, &mut st)?;
        progress(st.records);
        Ok(())
    })?;
    let known: HashSet<&str> = rec.reports.iter().map(|r| r.id.as_str()).collect();

    // Entities across reports, and an index of their names for the events' parties.
    let mut by_name: HashMap<String, String> = HashMap::new();
    for x in &rec.entities {
        let (schema, name_prop, alias_prop) = match x.kind {
            EntityKind::Person => ("Person", "name", Some("alias")),
            EntityKind::Organisation => ("Organization", "name", Some("alias")),
            EntityKind::Place => ("Address", "full", None),
            _ => ("LegalEntity", "name", Some("alias")),
        };
        let id = format!("dossier-entity-{}", x.id);
        let mut e = Entity::new(id.clone(), schema);
        e.add(name_prop, [x.name.clone()])?;
        if let Some(alias) = alias_prop {
            e.add(alias, x.aliases.keys().filter(|a| **a != x.name).cloned())?;
        }
        for a in x.aliases.keys().chain([&x.name]) {
            by_name
                .entry(a.to_lowercase())
                .or_insert_with(|| id.clone());
        }
        e.write(out, &mut st)?;
        progress(st.records);
    }

    let mut actors_written: HashSet<String> = HashSet::new();
    for ev in &rec.events {
        let mut involved = Vec::new();
        for (code, name) in ev.actors.iter().chain(&ev.recipients) {
            let id = match by_name.get(&name.to_lowercase()) {
                Some(id) => id.clone(),
                None => {
                    let id = format!("dossier-actor-{}", hash_id(&format!("{code}|{name}")));
                    if actors_written.insert(id.clone()) {
                        let mut a = Entity::new(id.clone(), "LegalEntity");
                        a.add("name", [name.clone()])?
                            .add("notes", [format!("event actor code {code}")])?;
                        a.write(out, &mut st)?;
                    }
                    id
                }
            };
            involved.push(id);
        }
        let names = |v: &[(String, String)]| {
            v.iter()
                .map(|a| a.1.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut e = Entity::new(format!("dossier-event-{}", ev.id), "Event");
        let title = if ev.recipients.is_empty() {
            format!("{}: {}", ev.plover_type, names(&ev.actors))
        } else {
            format!(
                "{}: {} → {}",
                ev.plover_type,
                names(&ev.actors),
                names(&ev.recipients)
            )
        };
        e.add("name", [title])?
            .add("summary", ev.mentions.first().map(|m| m.sentence.clone()))?
            .add("date", ev.time.clone())?
            .add("location", ev.place.clone())?
            .add("involved", involved)?
            .add(
                "proof",
                ev.mentions
                    .iter()
                    .filter(|m| known.contains(m.report.as_str()))
                    .map(|m| article_id(&m.report)),
            )?
            .add(
                "notes",
                [format!(
                    "{} reports, {} outlets, {} independent origins{}{}",
                    ev.reports,
                    ev.outlets,
                    ev.origins,
                    if ev.negated > 0 {
                        format!(", {} denials", ev.negated)
                    } else {
                        String::new()
                    },
                    if ev.grade.code.is_empty() {
                        String::new()
                    } else {
                        format!(", grade {}", ev.grade.code)
                    }
                )],
            )?;
        e.write(out, &mut st)?;
        progress(st.records);
    }
    stats.records = st.records;
    stats.reports = reports;
    Ok(())
}
