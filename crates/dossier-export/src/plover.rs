//! PLOVER/POLECAT-style event records, one JSON object per line, one per merged event. Field
//! names follow POLECAT's (`event_id`, `event_date`, `event_type`, `event_mode`,
//! `event_context`, `actor_name`, `recipient_name`, `placename`, `publisher`...), then our
//! counts (reports, outlets and independent origins apart) and the Admiralty grade.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;

use dossier_pipeline::{Analysis, LinkRecord};
use dossier_store::Store;
use serde_json::{Value, json};

use crate::tsv::{country_of, quad_goldstein};
use crate::{ExportError, ExportStats, each_stored};

/// Mode and contexts of one report's event, keyed by report and trigger span.
type Modes = HashMap<(String, usize, usize), (Option<String>, Vec<String>)>;

fn party(p: &(String, String)) -> Value {
    json!({"code": p.0, "name": p.1, "country": country_of(&p.0)})
}

pub(crate) fn write(
    store: &dyn Store,
    rec: &LinkRecord,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(usize),
    stats: &mut ExportStats,
) -> Result<(), ExportError> {
    // PLOVER mode and context are per report's coding: read them from the stored analyses of
    // the mentions' reports only.
    let wanted: HashSet<(&str, usize, usize)> = rec
        .events
        .iter()
        .flat_map(|e| &e.mentions)
        .map(|m| (m.report.as_str(), m.trigger.0, m.trigger.1))
        .collect();
    let reports_wanted: HashSet<&str> = wanted.iter().map(|w| w.0).collect();
    let mut modes: Modes = HashMap::new();
    stats.reports = each_stored(store, |r, json| {
        // Only the analyses of reports that state a merged event are parsed.
        if !reports_wanted.contains(r.id.0.as_str()) {
            return Ok(());
        }
        let analysis: Option<Analysis> = json.and_then(|j| serde_json::from_str(j).ok());
        for ce in analysis.iter().flat_map(|a| &a.events) {
            let e = &ce.event;
            let key = (r.id.0.as_str(), e.trigger.start, e.trigger.end);
            if wanted.contains(&key) {
                modes.insert(
                    (r.id.0.clone(), e.trigger.start, e.trigger.end),
                    (e.mode.clone(), e.contexts.clone()),
                );
            }
        }
        Ok(())
    })?;
    for e in &rec.events {
        let mut mode_count: BTreeMap<&str, usize> = BTreeMap::new();
        let mut contexts: BTreeSet<&str> = BTreeSet::new();
        for m in &e.mentions {
            if let Some((mode, ctx)) = modes.get(&(m.report.clone(), m.trigger.0, m.trigger.1)) {
                if let Some(mode) = mode {
                    *mode_count.entry(mode.as_str()).or_default() += 1;
                }
                contexts.extend(ctx.iter().map(String::as_str));
            }
        }
        let mode = mode_count
            .iter()
            .max_by_key(|(m, n)| (**n, std::cmp::Reverse(**m)))
            .map(|(m, _)| *m);
        let (a1, a2) = crate::tsv::sides(e);
        let outlets: BTreeSet<&str> = e.mentions.iter().map(|m| m.outlet.as_str()).collect();
        let reports: Vec<&str> = {
            let mut seen = HashSet::new();
            e.mentions
                .iter()
                .map(|m| m.report.as_str())
                .filter(|r| seen.insert(*r))
                .collect()
        };
        let origins: BTreeSet<&str> = e
            .mentions
            .iter()
            .filter(|m| !m.opaque)
            .map(|m| m.origin_name.as_str())
            .collect();
        let qg = e.cameo.as_deref().and_then(quad_goldstein);
        let record = json!({
            "event_id": e.id,
            "event_date": e.time,
            "date_from": e.time_from,
            "event_type": e.plover_type,
            "event_mode": mode,
            "event_context": contexts,
            "cameo": e.cameo,
            "quad_class": qg.map(|x| x.0),
            "goldstein": qg.map(|x| x.1),
            "actor_name": a1.map(|a| &a.1),
            "actor_code": a1.map(|a| &a.0),
            "actor_country": a1.and_then(|a| country_of(&a.0)),
            "recipient_name": a2.map(|a| &a.1),
            "recipient_code": a2.map(|a| &a.0),
            "recipient_country": a2.and_then(|a| country_of(&a.0)),
            "actors": e.actors.iter().map(party).collect::<Vec<_>>(),
            "recipients": e.recipients.iter().map(party).collect::<Vec<_>>(),
            "placename": e.place,
            "publisher": e.mentions.first().map(|m| &m.outlet),
            "outlets": outlets,
            "reports": reports,
            "story_id": e.story,
            "num_mentions": e.mentions.len(),
            "num_reports": e.reports,
            "num_outlets": e.outlets,
            "num_origins": e.origins,
            "num_opaque_origins": e.opaque_origins,
            "num_negated": e.negated,
            "num_contradictions": e.contradictions.len(),
            "origins": origins,
            "grade": {
                "code": e.grade.code,
                "reliability": e.grade.reliability,
                "credibility": e.grade.credibility,
                "reasons": e.grade.reasons,
            },
            "why": e.why,
        });
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
        stats.records += 1;
        progress(stats.records);
    }
    Ok(())
}
