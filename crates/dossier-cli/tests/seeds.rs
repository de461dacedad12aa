//! Both seed reports (read from ../shared/seeds at test time; skipped when absent), ingested as
//! a user would: the record must keep mentions, reports and independent origins apart.
//! - The claim that Putin refused Prigozhin's call is told twice in the first seed, once via
//!   ISW and Meduza's "anonymous sources inside the Kremlin" and once via "Meduza's Kremlin
//!   sources": two mentions, one origin.
//! - The talks between Lukashenko and Prigozhin come from the Russian side (Meduza and its
//!   Kremlin sources, in the first seed) and from the Belarusian side (the press service of the
//!   Belarusian leadership, in the second): one merged event with origins on both sides.

mod common;

use common::*;
use serde_json::Value;

fn seeds() -> Option<std::path::PathBuf> {
    let dir = repo_root().join("../shared/seeds");
    dir.is_dir().then_some(dir)
}

fn mentions(e: &Value) -> &Vec<Value> {
    e["mentions"].as_array().unwrap()
}

#[test]
fn seeds_keep_mentions_reports_and_origins_apart() {
    let Some(dir) = seeds() else {
        eprintln!("seeds absent: skipped");
        return;
    };
    let s = Scratch::new();
    let out = s.dossier(&["ingest", "--json", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let events = json_lines(&s.dossier(&["timeline", "--json"]));
    let names = |e: &Value, side: &str| -> String {
        e[side]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a[1].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };

    // Putin refused: the two anonymous tellings are one origin.
    let refusal = events
        .iter()
        .find(|e| {
            e["plover_type"] == "REJECT"
                && names(e, "actors").contains("Putin")
                && names(e, "recipients").contains("Prigozhin")
        })
        .unwrap_or_else(|| panic!("no refusal of Putin to Prigozhin in {events:#?}"));
    let anonymous: Vec<&Value> = mentions(refusal)
        .iter()
        .filter(|m| m["origin_kind"] == "anonymous")
        .collect();
    assert!(anonymous.len() >= 2, "{refusal:#}");
    let origins: std::collections::BTreeSet<&str> = anonymous
        .iter()
        .map(|m| m["origin"].as_str().unwrap())
        .collect();
    assert_eq!(origins.len(), 1, "one anonymous origin: {origins:?}");
    assert!(
        refusal["origins"].as_u64().unwrap() < mentions(refusal).len() as u64,
        "{refusal:#}"
    );
    // Failing to reach an agreement is a REJECT too, but another happening than refusing a call.
    assert!(
        mentions(refusal)
            .iter()
            .all(|m| !m["sentence"].as_str().unwrap_or("").contains("agreement")),
        "a rejected agreement merged into the refused call: {refusal:#}"
    );

    // The talks: both reports, origins on the Russian and on the Belarusian side.
    let talks = events
        .iter()
        .find(|e| {
            e["plover_type"] == "CONSULT"
                && format!("{} {}", names(e, "actors"), names(e, "recipients"))
                    .contains("Lukashenko")
                && e["reports"].as_u64() == Some(2)
        })
        .unwrap_or_else(|| panic!("no talks with Lukashenko told by both seeds in {events:#?}"));
    let origin_names: Vec<String> = mentions(talks)
        .iter()
        .map(|m| m["origin_name"].as_str().unwrap_or("").to_lowercase())
        .collect();
    assert!(
        origin_names.iter().any(|o| o.contains("belarus")),
        "{origin_names:?}"
    );
    assert!(
        origin_names
            .iter()
            .any(|o| o.contains("meduza") || o.contains("kremlin")),
        "{origin_names:?}"
    );
    assert!(talks["origins"].as_u64().unwrap() >= 2, "{talks:#}");
}
