//! `dossier-load`: a bounded load generator for the HTTP API, run as a second process against a
//! `dossier serve` on loopback. It refuses any address that is not loopback.
//!
//! Usage: `dossier-load BASE_URL [--requests N] [--concurrency C] [--seconds S]
//! [--ingest-dir DIR]`. Readers request /api/reports, /api/search and /api/health in turn;
//! with --ingest-dir one more thread POSTs every file of DIR to /api/ingest meanwhile. Prints
//! latency percentiles per kind and the error count, as text and as one JSON line.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let base = args.next().context("usage: dossier-load BASE_URL [--requests N] [--concurrency C] [--seconds S] [--ingest-dir DIR]")?;
    let (mut requests, mut concurrency, mut seconds, mut ingest_dir) =
        (2000usize, 4usize, 30u64, None);
    while let Some(a) = args.next() {
        let v = args.next().with_context(|| format!("{a} needs a value"))?;
        match a.as_str() {
            "--requests" => requests = v.parse()?,
            "--concurrency" => concurrency = v.parse::<usize>()?.clamp(1, 64),
            "--seconds" => seconds = v.parse()?,
            "--ingest-dir" => ingest_dir = Some(std::path::PathBuf::from(v)),
            _ => bail!("unknown flag {a}"),
        }
    }
    let host = base
        .strip_prefix("http://")
        .context("only http:// on loopback")?
        .split('/')
        .next()
        .unwrap_or("");
    let ip = host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host);
    let loopback = ip == "localhost"
        || ip
            .parse::<std::net::IpAddr>()
            .is_ok_and(|i| i.is_loopback())
        || ip == "[::1]";
    if !loopback {
        bail!("dossier-load only targets loopback addresses, not {ip}");
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .build()
        .into();
    let per_thread = requests.div_ceil(concurrency);
    let paths = ["/api/reports?limit=50", "/api/search?q=the", "/api/health"];
    let (lat, errors, ingest) = std::thread::scope(|scope| {
        let ingest = ingest_dir.map(|dir| {
            let agent = agent.clone();
            let base = base.clone();
            scope.spawn(move || ingest_all(&agent, &base, &dir, deadline))
        });
        let workers: Vec<_> = (0..concurrency)
            .map(|t| {
                let agent = agent.clone();
                let base = base.clone();
                scope.spawn(move || {
                    let mut lat: Vec<(usize, f64)> = Vec::new();
                    let mut errors = 0usize;
                    for i in 0..per_thread {
                        if Instant::now() > deadline {
                            break;
                        }
                        let kind = (t + i) % paths.len();
                        let start = Instant::now();
                        match agent.get(&format!("{base}{}", paths[kind])).call() {
                            Ok(mut r) if r.status().is_success() => {
                                let _ = r.body_mut().read_to_vec();
                                lat.push((kind, start.elapsed().as_secs_f64() * 1000.0));
                            }
                            _ => errors += 1,
                        }
                    }
                    (lat, errors)
                })
            })
            .collect();
        let mut lat = Vec::new();
        let mut errors = 0;
        for w in workers {
            let (l, e) = w.join().expect("worker thread");
            lat.extend(l);
            errors += e;
        }
        (
            lat,
            errors,
            ingest.map(|h| h.join().expect("ingest thread")),
        )
    });
    let mut report = serde_json::Map::new();
    println!(
        "{:<28} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "endpoint", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"
    );
    for (k, p) in paths.iter().enumerate() {
        let mut v: Vec<f64> = lat
            .iter()
            .filter(|(kind, _)| *kind == k)
            .map(|(_, ms)| *ms)
            .collect();
        v.sort_by(|a, b| a.total_cmp(b));
        let pct = |q: f64| {
            if v.is_empty() {
                0.0
            } else {
                v[((v.len() - 1) as f64 * q).round() as usize]
            }
        };
        println!(
            "{:<28} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            p,
            v.len(),
            pct(0.5),
            pct(0.95),
            pct(0.99),
            pct(1.0)
        );
        report.insert(
            p.to_string(),
            serde_json::json!({"n": v.len(), "p50_ms": pct(0.5), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "max_ms": pct(1.0)}),
        );
    }
    println!("errors: {errors}");
    report.insert("errors".into(), errors.into());
    if let Some((posted, failed)) = ingest {
        println!("ingested during the run: {posted} documents posted, {failed} failed");
        report.insert("ingest_posted".into(), posted.into());
        report.insert("ingest_failed".into(), failed.into());
    }
    println!("{}", serde_json::Value::Object(report));
    Ok(())
}

fn ingest_all(
    agent: &ureq::Agent,
    base: &str,
    dir: &std::path::Path,
    deadline: Instant,
) -> (usize, usize) {
    let mut files: Vec<_> = walk(dir);
    files.sort();
    let (mut ok, mut failed) = (0, 0);
    for f in files {
        if Instant::now() > deadline {
            break;
        }
        let Ok(body) = std::fs::read(&f) else {
            continue;
        };
        let name = f.display().to_string();
        let r = agent
            .post(&format!("{base}/api/ingest"))
            .query("name", &name)
            .send(&body[..]);
        match r {
            Ok(resp) if resp.status().as_u16() < 500 => ok += 1,
            _ => failed += 1,
        }
    }
    (ok, failed)
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
        } else {
            out.push(p);
        }
    }
    out
}
