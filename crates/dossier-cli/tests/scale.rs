//! Many workers on PostgreSQL produce exactly the record one SQLite process produces, each
//! report analysed exactly once. Runs when a PostgreSQL server is reachable (PGHOST, as
//! `pg_virtualenv` sets it); fails in CI without one.

mod common;

use std::collections::BTreeMap;
use std::process::Stdio;

use common::*;
use serde_json::Value;

const REPORTS: usize = 10_000;

fn pg_admin() -> Option<String> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let host = var("PGHOST")?;
    let mut s = format!("host={host}");
    for (k, v) in [
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
    ] {
        if let Some(val) = var(v) {
            s.push_str(&format!(" {k}={val}"));
        }
    }
    Some(s)
}

fn psql(admin: &str, sql: &str) {
    let status = std::process::Command::new("psql")
        .args([&format!("{admin} dbname=postgres"), "-q", "-c", sql])
        .stdout(Stdio::null())
        .status()
        .expect("psql");
    assert!(status.success(), "psql {sql}");
}

/// Export as type:id → record (reports, and the cross-report records: stories, merged events
/// with their counts and grades, copies, entities) without the fields that differ between
/// runs by nature.
fn record(s: &Scratch, store: &str) -> BTreeMap<String, Value> {
    let out = std::process::Command::new(bin())
        .args(["--store", store, "export", "--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let _ = s;
    json_lines(&out)
        .into_iter()
        .map(|mut l| {
            let kind = l["type"].as_str().unwrap().to_string();
            let d = l["data"].as_object_mut().unwrap();
            d.remove("ingested_at");
            d.remove("origin");
            let key = format!("{kind}:{}", d["id"].as_str().unwrap());
            (key, l["data"].take())
        })
        .collect()
}

#[test]
fn four_workers_on_postgres_match_one_sqlite_process() {
    let Some(admin) = pg_admin() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run this under pg_virtualenv"
        );
        eprintln!("skipping: no PostgreSQL server (PGHOST unset)");
        return;
    };
    let s = Scratch::new();
    let mut lines = String::new();
    for i in 0..REPORTS {
        // Some reports in Polish, so the language gate shows up in the record too.
        let text = if i % 10 == 0 {
            format!(
                "Raport {i}: delegacja spotkała się z urzędnikami w Lenz w niedzielę, aby omówić tamę."
            )
        } else {
            format!(
                "Report {i}: the delegation met officials in Lenz on Sunday to discuss the dam, officials said."
            )
        };
        lines.push_str(
            &serde_json::json!({
                "url": format!("https://scale.example/{i}"),
                "title": format!("Report {i}"),
                "text": text,
                "published": "2025-06-15T10:00:00Z",
                "outlet": format!("Outlet {}", i % 17),
            })
            .to_string(),
        );
        lines.push('\n');
    }
    let input = s.write("reports.jsonl", lines);

    // One SQLite process: ingest with inline analysis.
    let sqlite = s.path("one.db");
    let out = std::process::Command::new(bin())
        .args([
            "--store",
            sqlite.to_str().unwrap(),
            "ingest",
            "--json",
            input.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let j = json(&out);
    assert_eq!(j["stored"], REPORTS as u64);
    assert_eq!(j["analysed"], REPORTS as u64);
    let expected = record(&s, sqlite.to_str().unwrap());
    assert_eq!(
        expected.keys().filter(|k| k.starts_with("report:")).count(),
        REPORTS
    );
    assert!(
        expected.keys().any(|k| k.starts_with("event:")),
        "the record has merged events"
    );

    for workers in [2usize, 4] {
        let db = format!("dossier_scale_{workers}_{}", std::process::id());
        psql(&admin, &format!("DROP DATABASE IF EXISTS {db}"));
        psql(&admin, &format!("CREATE DATABASE {db}"));
        let pg = format!("{admin} dbname={db}");
        let out = std::process::Command::new(bin())
            .args([
                "--store",
                &pg,
                "ingest",
                "--json",
                "--no-analyse",
                input.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(json(&out)["stored"], REPORTS as u64);
        let children: Vec<_> = (0..workers)
            .map(|_| {
                std::process::Command::new(bin())
                    .args([
                        "--store",
                        &pg,
                        "worker",
                        "--until-idle",
                        "--json",
                        "--batch",
                        "50",
                    ])
                    .stdout(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut analysed = 0;
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert_eq!(code(&out), 0);
            let j = json(&out);
            assert_eq!(j["lost_claims"], 0);
            analysed += j["analysed"].as_u64().unwrap();
        }
        assert_eq!(
            analysed, REPORTS as u64,
            "{workers} workers: each report analysed exactly once"
        );
        let got = record(&s, &pg);
        assert_eq!(got.len(), expected.len());
        for (id, e) in &expected {
            assert_eq!(
                got.get(id),
                Some(e),
                "{workers} workers: record {id} differs"
            );
        }
        psql(
            &admin,
            &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
        );
    }
}
