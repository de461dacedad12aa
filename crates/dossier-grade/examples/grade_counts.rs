//! Count merged events per credibility grade in a `dossier export --format jsonl` file, as
//! exported and as this crate grades them now.
//!
//! `cargo run --release -p dossier-grade --example grade_counts -- EXPORT.jsonl [RATINGS.csv ...] [--show N] [--slot SLOT] [--changed GRADE]`
//!
//! Three columns: the grade stored in the export; the current rules with numbers read from the
//! whole sentence ([`quantities`], what a caller that has not moved to `quantities_near` gets);
//! the current rules with the event's own counts ([`quantities_near`] of the trigger). Each
//! `event` line's mentions are turned into statements the way the pipeline does (the mention's
//! day-precise time, its place path or place, its actors and recipients). `--show N` prints the
//! first N events still graded 5 with their hard contradictions, for checking by eye (`--slot
//! time` shows only those with a hard contradiction on that slot); `--changed G` prints the
//! events exported with credibility G that are graded otherwise now, with the new reasons.

use std::collections::BTreeMap;
use std::error::Error;
use std::io::BufRead;

use dossier_grade::{
    Evidence, OriginKind, Ratings, Statement, contradictions, grade, quantities, quantities_near,
    sentence_offsets,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Line {
    #[serde(rename = "type")]
    kind: String,
    data: serde_json::Value,
}

#[derive(Deserialize)]
struct Mention {
    report: String,
    outlet: String,
    #[serde(default)]
    claim: Option<String>,
    trigger: (usize, usize),
    #[serde(default)]
    evidence: (usize, usize),
    sentence: String,
    origin: String,
    #[serde(default)]
    origin_kind: String,
    #[serde(default)]
    origin_name: String,
    #[serde(default)]
    negated: bool,
    #[serde(default)]
    hedged: bool,
    #[serde(default)]
    caveats: Vec<String>,
    #[serde(default)]
    actors: Vec<String>,
    #[serde(default)]
    recipients: Vec<String>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    place_path: Option<String>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    origin_domain: Option<String>,
}

#[derive(Deserialize)]
struct Event {
    id: String,
    mentions: Vec<Mention>,
    #[serde(default)]
    grade: Option<ExportedGrade>,
    #[serde(default)]
    contradictions: Vec<ExportedContradiction>,
}

#[derive(Deserialize)]
struct ExportedContradiction {
    slot: String,
    #[serde(default)]
    independent: bool,
    #[serde(default)]
    soft: bool,
}

#[derive(Deserialize)]
struct ExportedGrade {
    credibility: u8,
}

fn day_precise(t: &str) -> bool {
    t.get(..10)
        .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
}

/// The pipeline's statement for a mention, with numbers from the whole sentence or near the
/// trigger.
fn statement(m: &Mention, near: bool) -> Statement {
    let kind = match m.origin_kind.as_str() {
        "anonymous" => OriginKind::Anonymous,
        "opaque" => OriginKind::Opaque,
        "credit" => OriginKind::Wire,
        "source" => OriginKind::NamedSource,
        _ => OriginKind::Outlet,
    };
    let numbers = if near {
        quantities_near(
            &m.sentence,
            sentence_offsets(&m.sentence, m.evidence.0, m.trigger),
        )
    } else {
        quantities(&m.sentence)
    };
    let mut participants: Vec<String> = m.actors.iter().chain(&m.recipients).cloned().collect();
    participants.sort();
    participants.dedup();
    Statement {
        id: m
            .claim
            .clone()
            .unwrap_or_else(|| format!("{}:t{}", m.report, m.trigger.0)),
        report: m.report.clone(),
        outlet: m.outlet.clone(),
        domain: m.domain.clone(),
        origin: m.origin.clone(),
        origin_kind: kind,
        origin_label: Some(m.origin_name.clone()),
        origin_domain: m.origin_domain.clone(),
        negated: m.negated,
        hedged: m.hedged,
        caveats: m.caveats.clone(),
        participants,
        time: m.time.clone().filter(|t| day_precise(t)),
        place: m.place_path.clone().or_else(|| m.place.clone()),
        numbers,
        evidence: Evidence {
            report: m.report.clone(),
            span: m.evidence,
            text: m.sentence.clone(),
        },
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut show = 0usize;
    if let Some(p) = args.iter().position(|a| a == "--show") {
        show = args
            .get(p + 1)
            .and_then(|n| n.parse().ok())
            .ok_or("--show needs a number")?;
        args.drain(p..p + 2);
    }
    let mut changed_from: Option<u8> = None;
    if let Some(p) = args.iter().position(|a| a == "--changed") {
        changed_from = args.get(p + 1).and_then(|n| n.parse().ok());
        args.drain(p..(p + 2).min(args.len()));
    }
    let mut only_slot: Option<String> = None;
    if let Some(p) = args.iter().position(|a| a == "--slot") {
        only_slot = Some(args.get(p + 1).ok_or("--slot needs a slot name")?.clone());
        args.drain(p..p + 2);
    }
    let Some(path) = args.first() else {
        return Err(
            "usage: grade_counts EXPORT.jsonl [RATINGS.csv ...] [--show N] [--slot SLOT]".into(),
        );
    };
    let mut ratings = Ratings::empty("no ratings");
    for r in args.iter().skip(1) {
        let (next, problems) = Ratings::load(r)?;
        for p in &problems {
            eprintln!("{p}");
        }
        ratings.overlay(next);
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    // credibility -> [exported, whole sentence, near the trigger]
    let mut counts: BTreeMap<u8, [usize; 3]> = BTreeMap::new();
    let (mut events, mut multi, mut shown) = (0usize, 0usize, 0usize);
    // quantities over all mentions: whole sentence, counts near the trigger
    let mut numbers = [0usize; 2];
    let mut slots: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{path}: {e}"))?;
        if !line.contains("\"type\":\"event\"") {
            continue;
        }
        let l: Line = serde_json::from_str(&line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        if l.kind != "event" {
            continue;
        }
        let ev: Event =
            serde_json::from_value(l.data).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        events += 1;
        if ev.mentions.len() > 1 {
            multi += 1;
        }
        if let Some(g) = &ev.grade {
            counts.entry(g.credibility).or_default()[0] += 1;
            // exported hard contradictions (opaque sides are not marked in the export)
            if g.credibility == 5 {
                let mut seen: Vec<&str> = Vec::new();
                for c in ev
                    .contradictions
                    .iter()
                    .filter(|c| !c.soft && c.independent)
                {
                    if !seen.contains(&c.slot.as_str()) {
                        seen.push(&c.slot);
                        slots.entry(c.slot.clone()).or_default()[0] += 1;
                    }
                }
            }
        }
        for (col, near) in [(1, false), (2, true)] {
            let st: Vec<Statement> = ev.mentions.iter().map(|m| statement(m, near)).collect();
            numbers[col - 1] += st.iter().map(|s| s.numbers.len()).sum::<usize>();
            let cs = contradictions(&st);
            let g = grade(&st, &cs, &ratings);
            let cred = g.credibility.value();
            counts.entry(cred).or_default()[col] += 1;
            let by_id: std::collections::HashMap<&str, &Statement> =
                st.iter().map(|s| (s.id.as_str(), s)).collect();
            let hard: Vec<_> = cs
                .iter()
                .filter(|c| {
                    !c.soft
                        && c.independent
                        && !by_id
                            .get(c.a_statement.as_str())
                            .is_some_and(|s| s.is_opaque())
                        && !by_id
                            .get(c.b_statement.as_str())
                            .is_some_and(|s| s.is_opaque())
                })
                .collect();
            let mut seen: Vec<&str> = Vec::new();
            for c in &hard {
                if !seen.contains(&c.slot.name()) {
                    seen.push(c.slot.name());
                    slots.entry(c.slot.name().to_string()).or_default()[col] += 1;
                }
            }
            if near
                && let Some(from) = changed_from
                && ev.grade.as_ref().is_some_and(|g| g.credibility == from)
                && cred != from
            {
                println!("== {} graded {from}, now {cred}", ev.id);
                for r in &g.reasons {
                    println!("  {r}");
                }
            }
            let wanted = |slot: &str| only_slot.as_deref().is_none_or(|s| s == slot);
            if near && cred == 5 && shown < show && hard.iter().any(|c| wanted(c.slot.name())) {
                shown += 1;
                println!("== {} ({} mentions)", ev.id, ev.mentions.len());
                for c in hard.iter().filter(|c| wanted(c.slot.name())).take(3) {
                    println!("  [{}] {} | {}", c.slot.name(), c.a_value, c.b_value);
                    println!("     {}", c.detail);
                    println!("     A: {}", c.a.text);
                    println!("     B: {}", c.b.text);
                }
            }
        }
    }
    println!("{events} merged events ({multi} with more than one mention)");
    println!(
        "quantities in mentions: {} in whole sentences, {} counts near the trigger",
        numbers[0], numbers[1]
    );
    println!("credibility  exported  whole-sentence  near-trigger");
    for (c, [a, b, d]) in &counts {
        println!("{c:>11}  {a:>8}  {b:>14}  {d:>12}");
    }
    println!("events graded 5, by slot of a hard independent contradiction:");
    println!("  slot          exported  whole-sentence  near-trigger");
    for (s, [a, b, d]) in &slots {
        println!("  {s:<12}  {a:>8}  {b:>14}  {d:>12}");
    }
    Ok(())
}
