//! `dossier-bench`: ingest throughput (reports/s and MB/s per core) and peak memory on a corpus.
//!
//! Usage: `dossier-bench [PATH...]` (default `../shared/data/corpora`). Ingests into a fresh
//! temporary store, then prints one line per figure (and `--json` for one JSON object).

use dossier_pipeline as pipeline;

use std::path::PathBuf;

use anyhow::Result;
use dossier_store::{SqliteStore, Store};

fn main() -> Result<()> {
    let mut json = false;
    let mut paths: Vec<PathBuf> = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--json" {
            json = true;
        } else {
            paths.push(a.into());
        }
    }
    if paths.is_empty() {
        paths.push("../shared/data/corpora".into());
    }
    let dir = std::env::temp_dir().join(format!("dossier-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("bench.db");
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
    let db_mb = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let _ = std::fs::remove_dir_all(&dir);
    let per_core = |x: f64| if cpu > 0.0 { x / cpu } else { 0.0 };
    let out = serde_json::json!({
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
    if json {
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
