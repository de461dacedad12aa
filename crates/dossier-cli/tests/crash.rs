//! kill -9 in the middle of an ingest, at least 20 times at pseudo-random moments: every report
//! acknowledged as stored is there, none is half-written or stored twice, the file passes
//! SQLite's integrity check, and re-running the same command finishes the job.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

const REPORTS: usize = 3000;
const KILLS: usize = 20;

#[test]
fn kill_9_loses_nothing_acknowledged() {
    let s = Scratch::new();
    for i in 0..REPORTS {
        s.write(
            &format!("in/{:02}/{i:05}.html", i % 40),
            page(
                &format!("Report number {i}"),
                &format!("https://herald.example/r/{i}"),
                &format!(
                    "Body of report {i}: the column passed checkpoint {} near Korvel.",
                    i * 7
                ),
            ),
        );
    }
    let input = s.path("in");
    let mut acked: HashSet<String> = HashSet::new();
    // A fixed-seed generator: the kill moments vary but the test is repeatable.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut kills = 0;
    for _ in 0..KILLS {
        let mut child = s
            .command(&["ingest", "--quiet", input.to_str().unwrap()])
            .env("RUST_LOG", "dossier::ack=info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        // Collect acknowledgements on a thread while the process runs.
        let reader = std::thread::spawn(move || {
            let mut ids = Vec::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("id=").nth(1) {
                    ids.push(rest.split_whitespace().next().unwrap_or("").to_string());
                }
            }
            ids
        });
        let wait = Duration::from_millis(15 + next() % 150);
        let started = Instant::now();
        let mut finished = false;
        while started.elapsed() < wait {
            if child.try_wait().unwrap().is_some() {
                finished = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if !finished {
            // SIGKILL: no destructor, no flush.
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        acked.extend(reader.join().unwrap());

        // After every kill: the store opens, is consistent, and has every acknowledged report.
        let list = json_lines(&s.dossier(&["reports", "--json"]));
        let stored: HashSet<String> = list
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(stored.len(), list.len(), "a report listed twice");
        for id in &acked {
            assert!(
                stored.contains(id),
                "acknowledged report {id} lost after kill -9"
            );
        }
        for r in &list {
            assert_eq!(
                r["revision"], 1,
                "a re-run stored a duplicate revision: {r}"
            );
        }
    }
    assert!(
        kills >= KILLS / 2,
        "the ingest finished too fast to be killed ({kills} kills)"
    );

    // Re-running the same command finishes the job.
    let out = s.dossier(&["ingest", "--json", input.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let list = json_lines(&s.dossier(&["reports", "--json"]));
    assert_eq!(list.len(), REPORTS);
    let check = std::process::Command::new(bin())
        .args(["--store", s.store().to_str().unwrap(), "check", "--json"])
        .output()
        .unwrap();
    let j = json(&check);
    assert_eq!(j["integrity"], "ok", "{j}");
    assert_eq!(j["reports"], REPORTS as u64);
    assert_eq!(j["revisions"], REPORTS as u64);
}

/// kill -9 of workers at random moments (20 kills): no analysis is lost or stored twice, and a
/// re-run completes. Killed workers' claims expire (short lease) and are taken by others.
#[test]
fn kill_9_of_workers_loses_nothing() {
    let s = Scratch::new();
    for i in 0..400 {
        s.write(
            &format!("in/{i:04}.txt"),
            format!("Report {i}. The column of trucks passed the checkpoint at {} on Saturday evening, witnesses said.\n", i % 24),
        );
    }
    let out = s.dossier(&[
        "ingest",
        "--json",
        "--no-analyse",
        s.path("in").to_str().unwrap(),
    ]);
    assert_eq!(json(&out)["stored"], 400);
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..KILLS {
        let mut child = s
            .command(&["worker", "--until-idle", "--batch", "8", "--lease", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + next() % 60));
        let _ = child.kill();
        child.wait().unwrap();
        let check = json(&s.dossier(&["check", "--json"]));
        assert_eq!(check["integrity"], "ok");
    }
    // Let the killed workers' leases run out, then finish the job.
    std::thread::sleep(Duration::from_millis(1100));
    let done = json(&s.dossier(&["worker", "--until-idle", "--json"]));
    assert_eq!(done["pending"], 0, "{done}");
    let list = json_lines(&s.dossier(&["reports", "--json"]));
    assert_eq!(list.len(), 400);
    for r in list.iter().step_by(37) {
        let shown = json(&s.dossier(&["show", "--json", r["id"].as_str().unwrap()]));
        assert_eq!(shown["analysis"]["analysed"], true, "{}", r["id"]);
    }
}
