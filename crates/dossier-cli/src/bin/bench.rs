//! `dossier-bench`: benchmarks of the engine. Figures are printed, never asserted.
//!
//! - `dossier-bench [--json] [PATH...]` (default `../shared/data/corpora`): ingest throughput
//!   (reports/s and MB/s per core) and peak memory: ingests into a fresh temporary store.
//! - `dossier-bench growth [--to N] [--step N] [--seed S] [--json]`: synthetic reports (see
//!   `dossier-synth`) ingested in batches into a fresh SQLite store with the real pipeline,
//!   analysed, and folded into the saved cross-report state after each batch; one line per
//!   batch: per-report cost of each part, pair comparisons per report, state size, store size,
//!   peak memory; then how the record found the generator's happenings and copies.
//! - `dossier-bench stages [--limit N] [--json] [PATH...]`: per-stage throughput (extract,
//!   language, sentences and mentions, time, geo, attribution, events, cross-report) in
//!   reports/s and MB/s per core, measured on thread CPU time.
//! - `dossier-bench workers [--reports N] [--seed S] [--json]`: the same synthetic corpus
//!   through `dossier worker --until-idle` on SQLite (1 worker) and on PostgreSQL (1, 2, 4
//!   workers) when `$DOSSIER_DATABASE_URL` names a server (a database is created per run).

use dossier_core::clock::thread_cpu_seconds as thread_cpu;
use dossier_pipeline as pipeline;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use dossier_core::{InputFormat, Origin, RawPayload, RawReport, ReportId};
use dossier_store::{SqliteStore, Store};
use dossier_synth::{Generator, Kind, Params, SynthReport};
use rayon::prelude::*;
use serde_json::json;

const USAGE: &str = "usage: dossier-bench [--json] [PATH...]
       dossier-bench growth [--to N] [--step N] [--seed S] [--json]
       dossier-bench stages [--limit N] [--json] [PATH...]
       dossier-bench workers [--reports N] [--seed S] [--json]";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("growth") => growth(&Args::parse(&args[1..], &["--to", "--step", "--seed"])?),
        Some("stages") => stages(&Args::parse(&args[1..], &["--limit"])?),
        Some("workers") => workers(&Args::parse(&args[1..], &["--reports", "--seed"])?),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => ingest_bench(&Args::parse(&args, &[])?),
    }
}

/// Flags, options with values and positional arguments.
struct Args {
    json: bool,
    opts: HashMap<String, String>,
    positional: Vec<String>,
}

impl Args {
    fn parse(args: &[String], with_value: &[&str]) -> Result<Args> {
        let mut out = Args {
            json: false,
            opts: HashMap::new(),
            positional: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "--json" {
                out.json = true;
            } else if a == "--help" || a == "-h" {
                println!("{USAGE}");
                std::process::exit(0);
            } else if let Some((k, v)) = a.split_once('=')
                && with_value.contains(&k)
            {
                out.opts.insert(k.to_string(), v.to_string());
            } else if with_value.contains(&a.as_str()) {
                let v = it
                    .next()
                    .with_context(|| format!("{a} needs a value\n{USAGE}"))?;
                out.opts.insert(a.clone(), v.clone());
            } else if a.starts_with("--") {
                bail!("unknown option {a}\n{USAGE}");
            } else {
                out.positional.push(a.clone());
            }
        }
        Ok(out)
    }

    fn num(&self, name: &str, default: u64) -> Result<u64> {
        match self.opts.get(name) {
            Some(v) => v
                .replace('_', "")
                .parse()
                .with_context(|| format!("{name} {v}: not a whole number")),
            None => Ok(default),
        }
    }

    fn paths(&self) -> Vec<PathBuf> {
        if self.positional.is_empty() {
            vec!["../shared/data/corpora".into()]
        } else {
            self.positional.iter().map(PathBuf::from).collect()
        }
    }
}

/// A scratch folder removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(what: &str) -> Result<Scratch> {
        let dir = std::env::temp_dir().join(format!("dossier-bench-{what}-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// The ingest benchmark (the default, as CI runs it).

fn ingest_bench(args: &Args) -> Result<()> {
    let paths = args.paths();
    let scratch = Scratch::new("ingest")?;
    let db = scratch.0.join("bench.db");
    let threads = rayon::current_num_threads();
    let cpu0 = cpu_seconds();
    let summary = {
        let mut store = SqliteStore::open(&db)?;
        let s = pipeline::ingest(
            &mut store,
            paths.clone(),
            Default::default(),
            &mut pipeline::Silent,
        )?;
        let stats = store.stats()?;
        eprintln!(
            "store: {} reports, {} revisions",
            stats.reports, stats.revisions
        );
        s
    };
    let cpu = cpu_seconds() - cpu0;
    let reports = summary.stored + summary.revised + summary.unchanged;
    let mb = summary.bytes as f64 / 1e6;
    let peak_mb = peak_rss_kb() as f64 / 1024.0;
    let db_mb = store_bytes(&db) as f64 / 1e6;
    let per_core = |x: f64| if cpu > 0.0 { x / cpu } else { 0.0 };
    let out = json!({
        "inputs": paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "reports": reports,
        "rejected": summary.rejected.len(),
        "skipped": summary.skipped,
        "mb": mb,
        "wall_s": summary.seconds,
        "cpu_s": cpu,
        "threads": threads,
        "reports_per_s": reports as f64 / summary.seconds,
        "mb_per_s": mb / summary.seconds,
        "reports_per_cpu_s": per_core(reports as f64),
        "mb_per_cpu_s": per_core(mb),
        "peak_rss_mb": peak_mb,
        "store_mb": db_mb,
    });
    if args.json {
        println!("{out}");
    } else {
        println!("ingest benchmark on {}", out["inputs"]);
        println!(
            "reports            {reports} ({} rejected, {} skipped records)",
            summary.rejected.len(),
            summary.skipped
        );
        println!("input              {mb:.1} MB");
        println!(
            "wall               {:.2} s on {threads} threads ({cpu:.2} CPU s)",
            summary.seconds
        );
        println!(
            "throughput         {:.1} reports/s, {:.2} MB/s",
            reports as f64 / summary.seconds,
            mb / summary.seconds
        );
        println!(
            "per core           {:.1} reports/s, {:.2} MB/s",
            per_core(reports as f64),
            per_core(mb)
        );
        println!("peak memory        {peak_mb:.0} MB RSS");
        println!("store size         {db_mb:.1} MB");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Growth: the cost per report as the store grows.

/// A synthetic report as ingest would read it from a WARC record (the URL is the record's).
fn raw_of(r: &SynthReport, i: usize) -> RawReport {
    RawReport {
        origin: Origin {
            input: "synthetic".to_string(),
            format: InputFormat::Html,
            record: Some(i as u64 + 1),
        },
        url: Some(r.url.clone()),
        title: None,
        published: None,
        fetched: None,
        outlet: None,
        authors: Vec::new(),
        charset: Some("utf-8".to_string()),
        payload: RawPayload::Html(r.html.clone()),
        raw: r.html.as_bytes().to_vec(),
    }
}

/// CPU seconds spent by [`analyse_pending`] in each step.
#[derive(Default)]
struct AnalyseTimes {
    done: usize,
    claim: f64,
    analyse: f64,
    put: f64,
}

/// Claim, analyse (in parallel) and store every pending report, as `dossier worker` does, but
/// without its cross-report updates (timed on their own here).
fn analyse_pending(store: &mut dyn Store) -> Result<AnalyseTimes> {
    let mut t = AnalyseTimes::default();
    loop {
        let c0 = cpu_seconds();
        let claimed = store.claim_for_analysis("bench", pipeline::ANALYSER_VERSION, 64, 3600)?;
        let c1 = cpu_seconds();
        t.claim += c1 - c0;
        if claimed.is_empty() {
            return Ok(t);
        }
        let results: Vec<(String, Vec<dossier_store::ClaimText>)> = claimed
            .par_iter()
            .map(|c| {
                let a = pipeline::analyse(&c.document);
                (
                    serde_json::to_string(&a).expect("an analysis serialises"),
                    pipeline::claim_texts(&a),
                )
            })
            .collect();
        let c2 = cpu_seconds();
        t.analyse += c2 - c1;
        for (c, (json, claims)) in claimed.iter().zip(results) {
            if store.put_analysis(
                "bench",
                &c.id,
                c.revision,
                pipeline::ANALYSER_VERSION,
                &json,
                &claims,
            )? {
                t.done += 1;
            }
        }
        t.put += cpu_seconds() - c2;
    }
}

/// The first day of a synthetic corpus of `reports`: far enough back that the whole corpus
/// (about a hundred reports a day; 40 assumed) is dated before today. A corpus running into
/// the future would be read as wrongly dated (future dates are not trusted), which is not
/// what the benchmark measures.
fn synthetic_start(reports: usize) -> chrono::NaiveDate {
    chrono::Utc::now().date_naive() - chrono::Duration::days((reports / 40) as i64 + 30)
}

fn growth(args: &Args) -> Result<()> {
    let to = args.num("--to", 5000)? as usize;
    let step = (args.num("--step", (to as u64 / 5).max(1))? as usize).max(1);
    let seed = args.num("--seed", 1)?;
    let scratch = Scratch::new("growth")?;
    let db = scratch.0.join("growth.db");
    let mut store = SqliteStore::open(&db)?;
    let mut generator = Generator::new(
        seed,
        Params {
            reports: to,
            start: synthetic_start(to),
            ..Params::default()
        },
    )?;
    let mut linker = pipeline::link::Linker::default();
    let mut generation: Option<i64> = None;
    let mut truth: HashMap<String, (Option<u64>, Kind, Option<String>)> = HashMap::new();
    let mut rows = Vec::new();
    let (mut total, mut input_bytes, mut comparisons_before) = (0usize, 0u64, 0usize);
    let threads = rayon::current_num_threads();
    if !args.json {
        println!(
            "growth benchmark: synthetic reports (seed {seed}) in batches of {step} up to {to}, SQLite, {threads} threads"
        );
        println!(
            "per report: CPU ms of each part (all threads), wall ms of the whole batch; pair comparisons of the cross-report stage"
        );
        println!(
            "{:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8} {:>9} {:>8} {:>8}",
            "reports",
            "ingest",
            "claim",
            "analyse",
            "put",
            "fold",
            "save",
            "wall",
            "rep/cpu s",
            "cmp/rep",
            "cmp max",
            "state MB",
            "MB/1000",
            "peak MB"
        );
    }
    while total < to {
        let t = Instant::now();
        let batch: Vec<SynthReport> = generator.by_ref().take(step).collect();
        if batch.is_empty() {
            break;
        }
        let gen_s = t.elapsed().as_secs_f64();
        let n = batch.len();
        let raws: Vec<RawReport> = batch
            .iter()
            .enumerate()
            .map(|(i, r)| raw_of(r, total + i))
            .collect();
        for r in &batch {
            input_bytes += r.html.len() as u64;
            truth.insert(
                ReportId::from_url(&r.url).0,
                (r.truth.happening, r.truth.kind, r.truth.parent.clone()),
            );
        }
        drop(batch);
        // Extract and store.
        let (c0, t) = (cpu_seconds(), Instant::now());
        let summary = pipeline::ingest_items(
            &mut store,
            move |emit| {
                for r in raws {
                    emit(dossier_ingest::Item::Raw(Box::new(r)));
                }
            },
            &mut pipeline::Silent,
        )?;
        let (ingest_s, ingest_cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c0);
        if !summary.rejected.is_empty() {
            eprintln!(
                "{} synthetic reports rejected, e.g. {}: {}",
                summary.rejected.len(),
                summary.rejected[0].input,
                summary.rejected[0].reason
            );
        }
        // Per-report analysis.
        let (c0, t) = (cpu_seconds(), Instant::now());
        let times = analyse_pending(&mut store)?;
        let analysed = times.done;
        let (analyse_s, analyse_cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c0);
        // The cross-report stage, as `link::Updater` runs it: fold what is new into the state
        // kept in memory, then save the whole state by compare and set.
        let (c0, t, parts0) = (cpu_seconds(), Instant::now(), linker.fold_times());
        let fold = linker.fold(&store, usize::MAX)?;
        let (fold_s, fold_cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c0);
        let split = linker.fold_times() - parts0;
        let (c0, t) = (cpu_seconds(), Instant::now());
        let state = linker.to_bytes()?;
        if !store.put_link_state("main", generation, &pipeline::link::link_version(), &state)? {
            bail!("the saved cross-report state changed under the benchmark");
        }
        generation = Some(generation.unwrap_or(0) + 1);
        let (save_s, save_cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c0);
        let (comparisons, comparisons_max) = linker.comparisons();
        total += n;
        let per = |s: f64| s * 1000.0 / n as f64;
        let cpu_all = ingest_cpu + analyse_cpu + fold_cpu + save_cpu;
        let store_mb = store_bytes(&db) as f64 / 1e6;
        let row = json!({
            "reports": total,
            "batch": n,
            "analysed": analysed,
            "folded": fold.folded,
            "generate_s": gen_s,
            "ingest_ms_per_report": per(ingest_s),
            "analyse_ms_per_report": per(analyse_s),
            "fold_ms_per_report": per(fold_s),
            "save_ms_per_report": per(save_s),
            "ingest_cpu_ms_per_report": per(ingest_cpu),
            "analyse_cpu_ms_per_report": per(analyse_cpu),
            "claim_cpu_ms_per_report": per(times.claim),
            "analysis_only_cpu_ms_per_report": per(times.analyse),
            "put_analysis_cpu_ms_per_report": per(times.put),
            "fold_cpu_ms_per_report": per(fold_cpu),
            "fold_split_ms_per_report": {
                "read": per(split.read),
                "copies": per(split.copies),
                "stories": per(split.stories),
                "entities": per(split.entities),
                "items": per(split.items),
            },
            "save_cpu_ms_per_report": per(save_cpu),
            "end_to_end_reports_per_cpu_s": n as f64 / cpu_all.max(1e-9),
            "wall_ms_per_report": per(ingest_s + analyse_s + fold_s + save_s),
            "comparisons_per_report": (comparisons - comparisons_before) as f64 / n as f64,
            "comparisons_max": comparisons_max,
            "state_mb": state.len() as f64 / 1e6,
            "store_mb": store_mb,
            "store_mb_per_1000": store_mb * 1000.0 / total as f64,
            "input_mb": input_bytes as f64 / 1e6,
            "peak_rss_mb": peak_rss_kb() as f64 / 1024.0,
        });
        comparisons_before = comparisons;
        if args.json {
            println!("{row}");
        } else {
            let f = |k: &str| row[k].as_f64().unwrap_or(0.0);
            println!(
                "{:>8} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9.1} {:>8.1} {:>8} {:>9.1} {:>8.1} {:>8.0}",
                total,
                f("ingest_cpu_ms_per_report"),
                f("claim_cpu_ms_per_report"),
                f("analysis_only_cpu_ms_per_report"),
                f("put_analysis_cpu_ms_per_report"),
                f("fold_cpu_ms_per_report"),
                f("save_cpu_ms_per_report"),
                f("wall_ms_per_report"),
                f("end_to_end_reports_per_cpu_s"),
                f("comparisons_per_report"),
                comparisons_max,
                f("state_mb"),
                f("store_mb_per_1000"),
                f("peak_rss_mb"),
            );
        }
        rows.push(row);
    }
    // What the saved state is made of.
    let parts = linker.footprint();
    if !args.json {
        println!("fold split (CPU ms per report of the folding thread):");
        println!(
            "{:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            "reports", "read", "copies", "stories", "entities", "items"
        );
        for row in &rows {
            let f = |k: &str| row["fold_split_ms_per_report"][k].as_f64().unwrap_or(0.0);
            println!(
                "{:>8} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
                row["reports"].as_u64().unwrap_or(0),
                f("read"),
                f("copies"),
                f("stories"),
                f("entities"),
                f("items")
            );
        }
        let (all, live) = linker.copies_live();
        println!(
            "copy index         {live} of {all} reports live (the others retired: older than the window)"
        );
        println!(
            "state parts (MB): {}",
            parts
                .iter()
                .map(|(k, b)| format!("{k} {:.2}", *b as f64 / 1e6))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // The record, and how it found what the generator made.
    let t = Instant::now();
    let rec = linker.record();
    let record_s = t.elapsed().as_secs_f64();
    let found = against_truth(&rec, &truth);
    if let Some(n) = std::env::var("DOSSIER_BENCH_EXAMPLES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        print_wrong_links(&store, &rec, &truth, n)?;
    }
    let summary = json!({
        "reports": total,
        "record_s": record_s,
        "stories": rec.stories.len(),
        "merged_events": rec.events.len(),
        "copies": rec.copies.len(),
        "truth": found,
        "input_mb": input_bytes as f64 / 1e6,
        "store_mb": store_bytes(&db) as f64 / 1e6,
        "peak_rss_mb": peak_rss_kb() as f64 / 1024.0,
    });
    if args.json {
        println!("{summary}");
    } else {
        println!(
            "record             {} stories, {} merged events, {} copy links, assembled in {record_s:.2} s",
            rec.stories.len(),
            rec.events.len(),
            rec.copies.len()
        );
        println!(
            "happenings         {} with 2+ reports: {} ({:.1}%) came out as one story; {:.2} stories per happening",
            found["happenings"],
            found["one_story"],
            100.0 * found["one_story_share"].as_f64().unwrap_or(0.0),
            found["stories_per_happening"].as_f64().unwrap_or(0.0)
        );
        println!(
            "stories            {} with 2+ reports, {:.1}% about one happening only",
            found["stories_2plus"],
            100.0 * found["pure_share"].as_f64().unwrap_or(0.0)
        );
        println!(
            "copy links found   copies {:.1}%, near-copies {:.1}%, rewrites {:.1}% (of the generator's pairs)",
            100.0 * found["copy_recall"].as_f64().unwrap_or(0.0),
            100.0 * found["near_copy_recall"].as_f64().unwrap_or(0.0),
            100.0 * found["rewrite_recall"].as_f64().unwrap_or(0.0)
        );
        println!(
            "copy links across  {} of {} join reports of different happenings ({}); {} join two background stories",
            found["copy_links_across_happenings"],
            found["copy_links"],
            found["copy_links_across_happenings_by_kind"],
            found["copy_links_between_background_stories"]
        );
    }
    Ok(())
}

/// Compare the record with the generator's ground truth (keyed by report id).
fn against_truth(
    rec: &pipeline::LinkRecord,
    truth: &HashMap<String, (Option<u64>, Kind, Option<String>)>,
) -> serde_json::Value {
    // Happening → stories its reports landed in.
    let mut story_of: HashMap<&str, usize> = HashMap::new();
    for s in &rec.stories {
        for m in &s.members {
            story_of.insert(m.as_str(), s.id);
        }
    }
    let mut by_happening: HashMap<u64, Vec<&str>> = HashMap::new();
    for (id, (h, _, _)) in truth {
        if let Some(h) = h {
            by_happening.entry(*h).or_default().push(id.as_str());
        }
    }
    let (mut multi, mut one, mut stories_total) = (0usize, 0usize, 0usize);
    for ids in by_happening.values().filter(|ids| ids.len() >= 2) {
        multi += 1;
        let stories: HashSet<Option<usize>> =
            ids.iter().map(|i| story_of.get(i).copied()).collect();
        // A report in no story counts as a story of its own.
        let n = stories.iter().filter(|s| s.is_some()).count()
            + ids.iter().filter(|i| !story_of.contains_key(*i)).count();
        stories_total += n;
        if n == 1 {
            one += 1;
        }
    }
    let (mut stories2, mut pure) = (0usize, 0usize);
    for s in rec.stories.iter().filter(|s| s.members.len() >= 2) {
        stories2 += 1;
        let hs: HashSet<Option<u64>> = s
            .members
            .iter()
            .map(|m| truth.get(m).and_then(|t| t.0))
            .collect();
        if hs.len() == 1 && !hs.contains(&None) {
            pure += 1;
        }
    }
    // Copy links: the generator's (derived, parent) pairs found in either direction.
    let links: HashSet<(&str, &str)> = rec
        .copies
        .iter()
        .flat_map(|c| {
            [
                (c.source.as_str(), c.derived.as_str()),
                (c.derived.as_str(), c.source.as_str()),
            ]
        })
        .collect();
    let recall = |kind: Kind| {
        let (mut n, mut hit) = (0usize, 0usize);
        for (id, (_, k, parent)) in truth {
            if *k != kind {
                continue;
            }
            let Some(p) = parent else { continue };
            let pid = ReportId::from_url(p).0;
            n += 1;
            if links.contains(&(id.as_str(), pid.as_str())) {
                hit += 1;
            }
        }
        if n == 0 { 0.0 } else { hit as f64 / n as f64 }
    };
    // Copy links between reports of different happenings (or background stories), by kind.
    // Links between two background stories count apart: the generator writes those from a few
    // templates, so they share whole sentences without being retellings of one another.
    let mut wrong: HashMap<String, usize> = HashMap::new();
    let mut background = 0usize;
    for c in &rec.copies {
        let h = |id: &str| truth.get(id).map(|t| t.0);
        let (a, b) = (h(&c.source), h(&c.derived));
        let told = |x: &str, y: &str| {
            truth
                .get(x)
                .and_then(|t| t.2.as_deref())
                .is_some_and(|p| ReportId::from_url(p).0 == y)
        };
        if told(&c.derived, &c.source) || told(&c.source, &c.derived) {
            continue;
        }
        if a == Some(None) && b == Some(None) {
            background += 1;
        } else if a != b || a == Some(None) {
            *wrong.entry(format!("{:?}", c.kind)).or_default() += 1;
        }
    }
    let wrong_total: usize = wrong.values().sum();
    json!({
        "copy_links": rec.copies.len(),
        "copy_links_across_happenings": wrong_total,
        "copy_links_across_happenings_by_kind": wrong,
        "copy_links_between_background_stories": background,
        "happenings": multi,
        "one_story": one,
        "one_story_share": if multi == 0 { 0.0 } else { one as f64 / multi as f64 },
        "stories_per_happening": if multi == 0 { 0.0 } else { stories_total as f64 / multi as f64 },
        "stories_2plus": stories2,
        "pure_share": if stories2 == 0 { 0.0 } else { pure as f64 / stories2 as f64 },
        "copy_recall": recall(Kind::Copy),
        "near_copy_recall": recall(Kind::NearCopy),
        "rewrite_recall": recall(Kind::Rewrite),
    })
}

/// For diagnosis (`DOSSIER_BENCH_EXAMPLES=N`): up to N copy links between reports of different
/// happenings, with their first aligned passages.
fn print_wrong_links(
    store: &dyn Store,
    rec: &pipeline::LinkRecord,
    truth: &HashMap<String, (Option<u64>, Kind, Option<String>)>,
    n: usize,
) -> Result<()> {
    let body = |id: &str| -> Result<String> {
        let r = store.report(&ReportId(id.to_string()), None)?;
        Ok(r.map(|r| pipeline::analyse::body_view(&r.document))
            .unwrap_or_default())
    };
    let cut = |t: &str, a: usize, b: usize| -> String {
        t.get(a.min(t.len())..b.min(t.len()))
            .unwrap_or("")
            .to_string()
    };
    let mut shown = 0;
    for c in &rec.copies {
        let h = |id: &str| truth.get(id).map(|t| t.0);
        let (a, b) = (h(&c.source), h(&c.derived));
        if a == b || a == Some(None) || b == Some(None) {
            continue;
        }
        let (src, der) = (body(&c.source)?, body(&c.derived)?);
        println!(
            "--- {:?} score {:.2}: {} (happening {:?}) -> {} (happening {:?})",
            c.kind, c.score, c.source, a, c.derived, b
        );
        for e in c.evidence.iter().take(3) {
            println!("  S: {}", cut(&src, e.source.start, e.source.end));
            println!("  D: {}", cut(&der, e.derived.start, e.derived.end));
        }
        shown += 1;
        if shown >= n {
            break;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Stages: throughput of each per-report stage on a corpus.

const STAGES: &[&str] = &[
    "extract",
    "language",
    "nlp",
    "time",
    "geo",
    "attribution",
    "events",
];

/// Run the per-report stages on one raw report: extraction, then `pipeline::analyse` itself
/// with its timing hook; thread CPU seconds per stage (stages after the language gate only
/// for reports in a supported language).
fn stage_times(raw: &RawReport) -> [f64; 7] {
    use pipeline::analyse::Stage;
    let mut t = [0.0; 7];
    let mut clock = thread_cpu();
    let doc = dossier_extract::extract(raw);
    let now = thread_cpu();
    t[0] += now - clock;
    clock = now;
    let analysis = pipeline::analyse::analyse_with(&doc, &mut |stage| {
        let i = match stage {
            Stage::Language => 1,
            Stage::Nlp => 2,
            Stage::Time => 3,
            Stage::Geo => 4,
            Stage::Attribution => 5,
            Stage::Events => 6,
        };
        let now = thread_cpu();
        t[i] += now - clock;
        clock = now;
    });
    std::hint::black_box(&analysis);
    t
}

fn stages(args: &Args) -> Result<()> {
    let paths = args.paths();
    let limit = args.num("--limit", 3000)? as usize;
    let mut raws: Vec<RawReport> = Vec::new();
    dossier_ingest::read_paths(&paths, &Default::default(), &mut |item| {
        if let dossier_ingest::Item::Raw(r) = item {
            raws.push(*r);
        }
    });
    if raws.is_empty() {
        bail!("no reports read from {paths:?}");
    }
    let read = raws.len();
    // An even sample across the inputs (they are read in sorted order).
    if raws.len() > limit {
        let stride = raws.len() as f64 / limit as f64;
        raws = (0..limit)
            .map(|i| raws[(i as f64 * stride) as usize].clone())
            .collect();
    }
    let n = raws.len();
    let mb = raws.iter().map(|r| r.raw.len()).sum::<usize>() as f64 / 1e6;
    // Load the lexicons, dictionaries and gazetteer once before timing (they load on first use,
    // and would be charged to the first report of each stage).
    let warm = Instant::now();
    std::hint::black_box(stage_times(&raws[0]));
    let warm_s = warm.elapsed().as_secs_f64();
    let t = Instant::now();
    let per: Vec<[f64; 7]> = raws.par_iter().map(stage_times).collect();
    let wall = t.elapsed().as_secs_f64();
    let mut sums = [0.0; 7];
    for p in &per {
        for (s, x) in sums.iter_mut().zip(p) {
            *s += x;
        }
    }
    // The cross-report stage: store and analyse the sample, then fold it from scratch.
    let scratch = Scratch::new("stages")?;
    let mut store = SqliteStore::open(&scratch.0.join("stages.db"))?;
    let sample = raws.clone();
    let (c0, t) = (cpu_seconds(), Instant::now());
    let summary = pipeline::ingest_items(
        &mut store,
        move |emit| {
            for r in sample {
                emit(dossier_ingest::Item::Raw(Box::new(r)));
            }
        },
        &mut pipeline::Silent,
    )?;
    let store_cpu = cpu_seconds() - c0;
    let store_wall = t.elapsed().as_secs_f64();
    let analysed = analyse_pending(&mut store)?.done;
    let stored = summary.stored + summary.revised + summary.unchanged;
    let c0 = thread_cpu();
    let mut linker = pipeline::link::Linker::default();
    linker.fold(&store, usize::MAX)?;
    let fold_cpu = thread_cpu() - c0;
    let c0 = thread_cpu();
    let rec = linker.record();
    let record_cpu = thread_cpu() - c0;
    let mut out = serde_json::Map::new();
    out.insert("inputs".into(), json!(paths));
    out.insert("reports_read".into(), json!(read));
    out.insert("reports".into(), json!(n));
    out.insert("mb".into(), json!(mb));
    out.insert("threads".into(), json!(rayon::current_num_threads()));
    out.insert("stages_wall_s".into(), json!(wall));
    let rate = |count: usize, cpu: f64| if cpu > 0.0 { count as f64 / cpu } else { 0.0 };
    let mut lines = Vec::new();
    for (i, name) in STAGES.iter().enumerate() {
        lines.push((name.to_string(), n, sums[i], mb));
    }
    // Extraction through the store (ids, hashes, one transaction per batch) on the process's
    // CPU time; the cross-report fold and the record's assembly on one thread.
    lines.push(("store (extract + put)".into(), stored, store_cpu, mb));
    lines.push(("link fold".into(), analysed, fold_cpu, mb));
    lines.push(("link record".into(), analysed, record_cpu, mb));
    let analysis_cpu: f64 = sums[1..].iter().sum();
    let e2e = store_cpu + analysis_cpu + fold_cpu + record_cpu;
    lines.push(("end to end".into(), n, e2e, mb));
    if !args.json {
        println!(
            "stage benchmark on {} ({n} of {read} reports, {mb:.1} MB; thread CPU time)",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!(
            "{:<24} {:>10} {:>12} {:>10} {:>10}",
            "stage", "CPU s", "reports/s", "MB/s", "ms/report"
        );
    }
    for (name, count, cpu, mb) in &lines {
        let r = rate(*count, *cpu);
        let m = if *cpu > 0.0 { mb / cpu } else { 0.0 };
        out.insert(
            name.clone(),
            json!({"cpu_s": cpu, "reports_per_cpu_s": r, "mb_per_cpu_s": m, "reports": count}),
        );
        if !args.json {
            println!(
                "{name:<24} {cpu:>10.2} {r:>12.1} {m:>10.2} {:>10.2}",
                if *count > 0 {
                    cpu * 1000.0 / *count as f64
                } else {
                    0.0
                }
            );
        }
    }
    out.insert("stories".into(), json!(rec.stories.len()));
    out.insert("peak_rss_mb".into(), json!(peak_rss_kb() as f64 / 1024.0));
    out.insert("warm_up_s".into(), json!(warm_s));
    if args.json {
        println!("{}", serde_json::Value::Object(out));
    } else {
        println!(
            "store wall         {store_wall:.2} s; {} stories; peak memory {:.0} MB RSS",
            rec.stories.len(),
            peak_rss_kb() as f64 / 1024.0
        );
        println!("warm-up            {warm_s:.2} s (lexicons and gazetteer loaded before timing)");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Workers: SQLite and PostgreSQL with several `dossier worker` processes.

fn dossier_bin() -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .context("the benchmark's folder")?
        .join(format!("dossier{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        bail!(
            "{} not found: build it first (cargo build --release -p dossier-cli)",
            bin.display()
        );
    }
    Ok(bin)
}

/// Run `dossier --store STORE ARGS...`, failing with its error output.
fn run_dossier(bin: &Path, store: &str, args: &[&str]) -> Result<std::process::Output> {
    let out = std::process::Command::new(bin)
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("DOSSIER_STORE")
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "dossier {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(out)
}

/// Ingest the corpus folder (no analysis), then run `workers` processes until idle. Returns
/// (ingest seconds, worker seconds, reports analysed by all workers).
fn worker_run(bin: &Path, store: &str, dir: &Path, workers: usize) -> Result<(f64, f64, u64)> {
    let t = Instant::now();
    run_dossier(
        bin,
        store,
        &[
            "ingest",
            "--no-analyse",
            "--quiet",
            &dir.display().to_string(),
        ],
    )?;
    let ingest_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let children: Vec<std::process::Child> = (0..workers)
        .map(|_| {
            std::process::Command::new(bin)
                .arg("--store")
                .arg(store)
                .args(["worker", "--until-idle", "--json"])
                .env_remove("DOSSIER_STORE")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .context("starting a worker")
        })
        .collect::<Result<_>>()?;
    let mut analysed = 0;
    for c in children {
        let out = c.wait_with_output()?;
        if !out.status.success() {
            bail!("a worker failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        analysed += v["analysed"].as_u64().unwrap_or(0);
    }
    Ok((ingest_s, t.elapsed().as_secs_f64(), analysed))
}

/// The same server with another database: URL path or `dbname=` keyword.
fn with_dbname(url: &str, db: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let (base, query) = match url.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (url, None),
        };
        let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
        let host_end = base[scheme_end..]
            .find('/')
            .map(|i| scheme_end + i)
            .unwrap_or(base.len());
        let mut out = format!("{}/{db}", &base[..host_end]);
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        out
    } else {
        // Keyword form: a later dbname overrides an earlier one.
        format!("{url} dbname={db}")
    }
}

fn psql(url: &str, sql: &str) -> Result<()> {
    let status = std::process::Command::new("psql")
        .args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .stdout(std::process::Stdio::null())
        .status()
        .context("running psql")?;
    if !status.success() {
        bail!("psql failed: {sql}");
    }
    Ok(())
}

fn workers(args: &Args) -> Result<()> {
    let reports = args.num("--reports", 2000)? as usize;
    let seed = args.num("--seed", 1)?;
    let bin = dossier_bin()?;
    let scratch = Scratch::new("workers")?;
    let dir = scratch.0.join("corpus");
    std::fs::create_dir_all(&dir)?;
    let corpus = Generator::new(
        seed,
        Params {
            reports,
            start: synthetic_start(reports),
            ..Params::default()
        },
    )?;
    for (i, r) in corpus.enumerate() {
        std::fs::write(dir.join(format!("{i:07}.html")), &r.html)?;
    }
    let mut results = Vec::new();
    let mut line = |backend: &str, workers: usize, r: (f64, f64, u64)| {
        let (ingest_s, work_s, analysed) = r;
        let row = json!({
            "backend": backend,
            "workers": workers,
            "reports": reports,
            "analysed": analysed,
            "ingest_s": ingest_s,
            "work_s": work_s,
            "reports_per_s": reports as f64 / work_s,
            "ingest_reports_per_s": reports as f64 / ingest_s,
        });
        if args.json {
            println!("{row}");
        } else {
            println!(
                "{backend:<10} {workers:>7} {:>10.1} {:>12.1} {:>12.1} {analysed:>10}",
                ingest_s,
                reports as f64 / ingest_s,
                reports as f64 / work_s
            );
        }
        results.push(row);
    };
    if !args.json {
        println!(
            "worker benchmark: {reports} synthetic reports (seed {seed}), `dossier worker --until-idle` processes"
        );
        println!(
            "{:<10} {:>7} {:>10} {:>12} {:>12} {:>10}",
            "backend", "workers", "ingest s", "ingest rep/s", "work rep/s", "analysed"
        );
    }
    let db = scratch.0.join("workers.db");
    line(
        "sqlite",
        1,
        worker_run(&bin, &db.display().to_string(), &dir, 1)?,
    );
    match std::env::var("DOSSIER_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        None => eprintln!(
            "PostgreSQL skipped: set DOSSIER_DATABASE_URL to a server where this user may create databases"
        ),
        Some(url) => {
            for w in [1usize, 2, 4] {
                let name = format!("dossier_bench_{}_{w}", std::process::id());
                psql(&url, &format!("CREATE DATABASE {name}"))?;
                let store = with_dbname(&url, &name);
                let r = worker_run(&bin, &store, &dir, w);
                let dropped = psql(&url, &format!("DROP DATABASE {name}"));
                line("postgres", w, r?);
                dropped?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Clocks and sizes.

/// A SQLite store's size on disk: the file and its write-ahead log.
fn store_bytes(db: &Path) -> u64 {
    let size = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    size(db.to_path_buf()) + size(PathBuf::from(wal))
}

fn rusage() -> libc::rusage {
    // SAFETY: getrusage writes into the zeroed struct we pass.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u
    }
}

fn cpu_seconds() -> f64 {
    let u = rusage();
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

fn peak_rss_kb() -> i64 {
    rusage().ru_maxrss
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_replace_the_url_path_or_add_a_keyword() {
        assert_eq!(
            with_dbname("postgres://u:p@h:5432/main?sslmode=disable", "b"),
            "postgres://u:p@h:5432/b?sslmode=disable"
        );
        assert_eq!(with_dbname("postgresql://h", "b"), "postgresql://h/b");
        assert_eq!(
            with_dbname("host=/tmp port=5433 dbname=x", "b"),
            "host=/tmp port=5433 dbname=x dbname=b"
        );
    }

    #[test]
    fn options_take_values_and_reject_unknown_ones() {
        let a = Args::parse(
            &["--to".into(), "1_000".into(), "--json".into(), "x".into()],
            &["--to"],
        )
        .unwrap();
        assert_eq!(a.num("--to", 5).unwrap(), 1000);
        assert!(a.json && a.positional == ["x"]);
        assert!(Args::parse(&["--nope".into()], &["--to"]).is_err());
        assert!(Args::parse(&["--to".into()], &["--to"]).is_err());
    }
}
