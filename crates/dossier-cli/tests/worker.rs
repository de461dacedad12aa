//! `dossier worker`: several workers over one store analyse every report exactly once, and
//! `ingest` analyses inline unless told not to.

mod common;

use common::*;

#[test]
fn concurrent_workers_share_the_backlog() {
    let s = Scratch::new();
    for i in 0..60 {
        s.write(
            &format!("in/{i:03}.txt"),
            format!(
                "Report {i}: the delegation met officials in Lenz on Sunday to discuss the dam.\n"
            ),
        );
    }
    let out = s.dossier(&[
        "ingest",
        "--json",
        "--no-analyse",
        s.path("in").to_str().unwrap(),
    ]);
    let j = json(&out);
    assert_eq!(j["stored"], 60);
    assert!(j.get("analysed").is_none());

    let spawn = || {
        s.command(&["worker", "--until-idle", "--json", "--batch", "4"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b, c) = (spawn(), spawn(), spawn());
    let total: u64 = [a, b, c]
        .into_iter()
        .map(|ch| {
            let out = ch.wait_with_output().unwrap();
            assert_eq!(code(&out), 0);
            json(&out)["analysed"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(
        total, 60,
        "every report analysed exactly once across workers"
    );
    let again = json(&s.dossier(&["worker", "--until-idle", "--json"]));
    assert_eq!(
        (again["analysed"].as_u64(), again["pending"].as_i64()),
        (Some(0), Some(0))
    );

    let list = json_lines(&s.dossier(&["reports", "--json"]));
    let shown = json(&s.dossier(&["show", "--json", list[0]["id"].as_str().unwrap()]));
    assert_eq!(shown["analysis"]["analysed"], true);
    assert_eq!(shown["analysis"]["language"], "en");

    // The JSON Lines export streams every report with its analysis, then the cross-report
    // records (stories, merged events, copies, entities).
    let out = s.dossier(&["export", "--format", "jsonl"]);
    assert_eq!(code(&out), 0);
    let lines = json_lines(&out);
    let reports: Vec<_> = lines.iter().filter(|l| l["type"] == "report").collect();
    assert_eq!(reports.len(), 60);
    assert!(
        reports
            .iter()
            .all(|l| l["data"]["analysis"]["analysed"] == true)
    );
    assert!(lines.iter().any(|l| l["type"] == "story"));
    assert!(lines.iter().all(|l| {
        ["report", "story", "event", "copy", "entity"].contains(&l["type"].as_str().unwrap())
    }));
    let file = s.path("export.jsonl");
    s.dossier(&["export", "--out", file.to_str().unwrap()]);
    assert_eq!(std::fs::read(&file).unwrap(), out.stdout);
    let bad = s.dossier(&["export", "--format", "csv-of-nothing"]);
    assert_eq!(code(&bad), 1);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown export format"));
}

#[test]
fn ingest_analyses_inline() {
    let s = Scratch::new();
    s.write(
        "a.txt",
        "The ministry denied that its units shelled the camp near the river on Saturday.\n",
    );
    s.write("b.txt", "Ministerstwo zaprzeczyło, że jego jednostki ostrzelały obóz nad rzeką w sobotę wieczorem.\n");
    let j = json(&s.dossier(&[
        "ingest",
        "--json",
        s.path("a.txt").to_str().unwrap(),
        s.path("b.txt").to_str().unwrap(),
    ]));
    assert_eq!(j["analysed"], 2);
    let pending = json(&s.dossier(&["worker", "--until-idle", "--json"]));
    assert_eq!(pending["pending"], 0);
}
