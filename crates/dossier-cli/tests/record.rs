//! The cross-report record of the sample corpus (`dossier stories`, `dossier timeline`), parsed
//! from `--json` as a user's script would. The answer key is docs/sample.md.

mod common;

use common::*;
use serde_json::Value;

fn ingest_sample(s: &Scratch) {
    let sample = repo_root().join("sample");
    let out = s.dossier(&["ingest", "--json", sample.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out)["analysed"], 16);
}

fn title_of(rec: &Value, id: &str) -> String {
    rec["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .and_then(|r| r["title"].as_str())
        .unwrap_or("")
        .to_string()
}

#[test]
fn stories_find_the_crisis_and_the_uncredited_copy() {
    let s = Scratch::new();
    ingest_sample(&s);
    let out = s.dossier(&["stories", "--json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let rec = json(&out);
    assert_eq!(rec["reports"].as_array().unwrap().len(), 16);

    // Most of the sample is one crisis: the biggest story holds most reports, from many
    // outlets, and collapsing copies leaves fewer independent reports than reports.
    let stories = rec["stories"].as_array().unwrap();
    let big = &stories[0];
    let reports = big["reports"].as_u64().unwrap();
    assert!(reports >= 8, "{big}");
    assert!(big["outlets"].as_u64().unwrap() >= 6);
    assert!(big["independent_reports"].as_u64().unwrap() < reports);

    // The tabloid's uncredited copy of the agency story, pointing from the earlier report to
    // the later one, with aligned evidence.
    let copy = rec["copies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| title_of(&rec, c["derived"].as_str().unwrap()).starts_with("MERCENARIES SEIZE"))
        .expect("the Courier's copy is found");
    assert!(title_of(&rec, copy["source"].as_str().unwrap()).starts_with("Iron Steppe fighters"));
    assert!(copy["containment"].as_f64().unwrap() > 0.6);
    assert!(!copy["evidence"].as_array().unwrap().is_empty());
}

#[test]
fn timeline_counts_reports_outlets_and_origins_apart() {
    let s = Scratch::new();
    ingest_sample(&s);
    let out = s.dossier(&["timeline", "--json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let events = json_lines(&out);
    assert!(!events.is_empty());
    let mut last = String::new();
    for e in &events {
        let reports = e["reports"].as_u64().unwrap();
        let outlets = e["outlets"].as_u64().unwrap();
        let origins = e["origins"].as_u64().unwrap();
        let mentions = e["mentions"].as_array().unwrap();
        assert!(
            outlets <= reports && reports as usize <= mentions.len(),
            "{e}"
        );
        assert!(origins as usize <= mentions.len());
        // Opaque origins never count as origins.
        let opaque = mentions.iter().filter(|m| m["opaque"] == true).count();
        assert!(origins as usize <= mentions.len() - opaque);
        for m in mentions {
            assert!(!m["chain"].as_array().unwrap().is_empty());
            assert!(!m["sentence"].as_str().unwrap().is_empty());
        }
        // Time order (undated first, as null sorts first).
        let t = e["time"].as_str().unwrap_or("").to_string();
        assert!(t >= last, "{t} after {last}");
        last = t;
    }
    // Some happening is told by several reports.
    assert!(events.iter().any(|e| e["reports"].as_u64().unwrap() >= 3));
    // Filters narrow the list.
    let out = s.dossier(&["timeline", "--json", "--from", "2025-06-15"]);
    let later = json_lines(&out);
    assert!(later.len() < events.len());
    assert!(
        later
            .iter()
            .all(|e| e["time"].as_str().unwrap() >= "2025-06-15")
    );
}

#[test]
fn split_takes_a_claim_out_of_a_merged_event_and_undo_puts_it_back() {
    let s = Scratch::new();
    ingest_sample(&s);
    let events = json_lines(&s.dossier(&["timeline", "--json"]));
    let e = events
        .iter()
        .find(|e| e["reports"].as_u64().unwrap() >= 2)
        .expect("an event told by several reports");
    let id = e["id"].as_str().unwrap();
    let mentions = e["mentions"].as_array().unwrap();
    // The last telling is taken out (the event keeps its id, which its first telling gives).
    let last = mentions.last().unwrap();
    let key = last["claim"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| {
            format!(
                "{}:t{}",
                last["report"].as_str().unwrap(),
                last["trigger"][0].as_u64().unwrap()
            )
        });
    assert_ne!(
        mentions[0]["claim"], last["claim"],
        "the first and last tellings are different claims"
    );
    let out = s.dossier(&[
        "split",
        id,
        "--claim",
        &key,
        "--reason",
        "a different raid",
        "--json",
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let done = json(&out);
    assert_eq!(done["taken"], serde_json::json!([key]));
    let from = done["from"].as_array().unwrap();
    assert!(
        !from.is_empty() && !from.contains(&Value::from(key.clone())),
        "{done}"
    );
    let mention_key = |m: &Value| {
        m["claim"].as_str().map(str::to_string).unwrap_or_else(|| {
            format!(
                "{}:t{}",
                m["report"].as_str().unwrap(),
                m["trigger"][0].as_u64().unwrap()
            )
        })
    };
    let taken = mentions.iter().filter(|m| mention_key(m) == key).count();

    let after = json_lines(&s.dossier(&["timeline", "--json"]));
    let holding = |evs: &[Value], k: &str| -> Vec<Value> {
        evs.iter()
            .filter(|e| {
                e["mentions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| mention_key(m) == k)
            })
            .cloned()
            .collect()
    };
    let alone = holding(&after, &key);
    assert_eq!(alone.len(), 1);
    assert_ne!(alone[0]["id"], id, "the claim left the event");
    assert!(
        alone[0]["why"]
            .as_str()
            .unwrap()
            .contains("a different raid")
    );
    let rest = after
        .iter()
        .find(|x| x["id"] == id)
        .expect("the event stays");
    assert_eq!(
        rest["mentions"].as_array().unwrap().len(),
        mentions.len() - taken
    );
    assert!(rest["why"].as_str().unwrap().contains("split #1"));

    // Listed, then undone: the event is whole again.
    let list = String::from_utf8(s.dossier(&["split", "--list"]).stdout).unwrap();
    assert!(
        list.contains("#1") && list.contains("a different raid"),
        "{list}"
    );
    assert_eq!(code(&s.dossier(&["split", "--undo", "1"])), 0);
    let again = json_lines(&s.dossier(&["timeline", "--json"]));
    let whole = again.iter().find(|x| x["id"] == id).unwrap();
    assert_eq!(whole["mentions"].as_array().unwrap().len(), mentions.len());

    // Clear errors: unknown event, a claim not in the event, taking everything out.
    let bad = s.dossier(&["split", "evnope", "--claim", &key]);
    assert_ne!(code(&bad), 0);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("evnope"));
    let bad = s.dossier(&["split", id, "--claim", "nope:c0"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a mention"));
    assert_eq!(code(&s.dossier(&["split", "--undo", "7"])), code(&bad));
}

/// One outlet telling a happening in its own voice in two reports (two feeds, an update) is one
/// origin; another outlet telling it on its own is a second one.
#[test]
fn one_outlets_own_reports_are_one_origin() {
    let s = Scratch::new();
    let line = |url: &str, outlet: &str, hour: u32, text: &str| {
        let title = if outlet == "Coastal Times" {
            "Port Tamsin: gunfire, then silence at the terminal"
        } else {
            "Rebels seize airport in Port Tamsin"
        };
        serde_json::json!({
            "url": url,
            "outlet": outlet,
            "published": format!("2024-05-06T{hour:02}:00:00Z"),
            "title": title,
            "text": text,
        })
        .to_string()
    };
    let body = |extra: &str| {
        format!("Rebel fighters seized the international airport in Port Tamsin on Monday. {extra}")
    };
    let jsonl = [
        line(
            "https://harbour-herald.example/a1",
            "Harbour Herald",
            9,
            &body("Flights were diverted to the north."),
        ),
        line(
            "https://harbour-herald.example/a2",
            "Harbour Herald",
            13,
            &body("Residents near the runway stayed indoors as gunfire was heard."),
        ),
        line(
            "https://coastal-times.example/x",
            "Coastal Times",
            11,
            "Our correspondent watched as rebel fighters seized the airport of Port Tamsin after a short battle on Monday. The terminal was closed and the operator sent its staff home.",
        ),
    ]
    .join("\n");
    let f = s.write("reports.jsonl", jsonl);
    let out = s.dossier(&["ingest", "--json", f.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let events = json_lines(&s.dossier(&["timeline", "--json"]));
    let seized = events
        .iter()
        .find(|e| e["reports"].as_u64() == Some(3))
        .unwrap_or_else(|| panic!("the seizure told by three reports: {events:?}"));
    assert_eq!(seized["outlets"], 2, "{seized}");
    assert_eq!(seized["origins"], 2, "{seized}");
}
