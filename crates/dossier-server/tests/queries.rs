//! The query endpoints (timeline, stories, events, trace, actors, entities, report text) over
//! a small store of reports we wrote: an agency story, a later copy of it, and an independent
//! report from the other side, posted and analysed through the API itself.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dossier_server::{Config, StorePool, router};
use dossier_store::SqliteStore;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

fn app(config: Config) -> axum::Router {
    let store = SqliteStore::open_in_memory().unwrap();
    router(Arc::new(StorePool::new(vec![Box::new(store)])), config)
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, v)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

const AGENCY: &str = "Putin and Lukashenko hold talks in Minsk

Russian President Vladimir Putin met Belarusian President Alexander Lukashenko in Minsk on Monday, the Kremlin said.

According to Kremlin spokesman Dmitry Peskov, the two leaders discussed gas prices and border security.

\"We agreed on a new price for gas,\" Putin told reporters after the meeting.
";

const COPY: &str = "PUTIN AND LUKASHENKO HOLD TALKS IN MINSK

Russian President Vladimir Putin met Belarusian President Alexander Lukashenko in Minsk on Monday, the Kremlin said.

According to Kremlin spokesman Dmitry Peskov, the two leaders discussed gas prices and border security.

\"We agreed on a new price for gas,\" Putin told reporters after the meeting.

Readers can send their views to the letters page.
";

const OTHER_SIDE: &str = "Lukashenko receives Putin in Minsk

Belarusian President Alexander Lukashenko met Russian President Vladimir Putin in Minsk on Tuesday, the presidential press service said.

Lukashenko said the talks were productive and friendly.

Two officials familiar with the talks said no agreement on gas prices was reached.
";

/// A server holding the three reports, analysed.
async fn fixture() -> axum::Router {
    let app = app(Config::default());
    for (name, url, date, outlet, text) in [
        (
            "agency.txt",
            "https://wire.example/talks",
            "2025-03-10T10:00:00Z",
            "Wire One",
            AGENCY,
        ),
        (
            "copy.txt",
            "https://courier.example/talks",
            "2025-03-10T14:00:00Z",
            "Daily Courier",
            COPY,
        ),
        (
            "herald.txt",
            "https://herald.example/talks",
            "2025-03-11T09:00:00Z",
            "Minsk Herald",
            OTHER_SIDE,
        ),
    ] {
        let uri = format!(
            "/api/ingest?name={name}&url={}&published={}&outlet={}",
            enc(url),
            enc(date),
            enc(outlet)
        );
        let req = Request::post(uri).body(Body::from(text)).unwrap();
        let (s, v) = call(&app, req).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["stored"], 1, "{v}");
        assert_eq!(v["analysed"], 1, "{v}");
    }
    app
}

fn ids(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn timeline_stories_and_events() {
    let app = fixture().await;
    let (s, all) = call(&app, get("/api/timeline")).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    assert_eq!(all["reports"], 3);
    let total = all["total"].as_u64().unwrap() as usize;
    assert!(total >= 1, "{all}");
    let events = all["events"].as_array().unwrap();
    assert_eq!(events.len(), total);
    // The talks: one merged event with reports, outlets and origins counted apart.
    let talks = events
        .iter()
        .find(|e| e["plover_type"] == "CONSULT")
        .expect("the talks are a merged CONSULT event");
    assert_eq!(talks["reports"], 3, "{talks}");
    assert_eq!(talks["outlets"], 3);
    let origins = talks["origins"].as_u64().unwrap();
    assert!((2..=4).contains(&origins), "{talks}");
    let id = talks["id"].as_str().unwrap();

    // Paging and filters.
    let (_, page) = call(&app, get("/api/timeline?limit=1&offset=0")).await;
    assert_eq!(page["events"].as_array().unwrap().len(), 1);
    assert_eq!(page["total"], total);
    let (_, page) = call(&app, get(&format!("/api/timeline?offset={total}"))).await;
    assert!(page["events"].as_array().unwrap().is_empty());
    let (_, by_actor) = call(&app, get("/api/timeline?actor=lukashenko")).await;
    assert!(ids(&by_actor, "events").contains(&id.to_string()));
    let (_, by_code) = call(&app, get("/api/timeline?actor=BLRGOV")).await;
    assert!(ids(&by_code, "events").contains(&id.to_string()));
    let (_, nobody) = call(&app, get("/api/timeline?actor=Nobody%20Atall")).await;
    assert_eq!(nobody["total"], 0);
    let (_, days) = call(&app, get("/api/timeline?from=2025-03-10&to=2025-03-11")).await;
    assert!(ids(&days, "events").contains(&id.to_string()));
    let (_, later) = call(&app, get("/api/timeline?from=2026-01-01")).await;
    assert_eq!(later["total"], 0);
    let story = talks["story"].as_u64().unwrap();
    let (_, in_story) = call(&app, get(&format!("/api/timeline?story={story}"))).await;
    assert!(ids(&in_story, "events").contains(&id.to_string()));

    // The event by id, and 404 for an unknown one.
    let (s, e) = call(&app, get(&format!("/api/events/{id}"))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(e["id"], id);
    let (s, e) = call(&app, get("/api/events/evnope")).await;
    assert_eq!(
        (s, e["error"]["status"].as_u64()),
        (StatusCode::NOT_FOUND, Some(404))
    );

    // Stories: the list and one story's page with its members, copies and events.
    let (s, st) = call(&app, get("/api/stories")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        st["stories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == story)
    );
    let (s, page) = call(&app, get(&format!("/api/stories/{story}"))).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(page["story"]["id"], story);
    assert_eq!(page["members"].as_array().unwrap().len(), 3, "{page}");
    assert!(ids(&page, "events").contains(&id.to_string()));
    // The Courier's copy of the agency story is found inside the story, with evidence.
    let copy = page["copies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["derived"] == "u0a366d76cb0ecf5c")
        .expect("the copy is inside the story");
    assert!(!copy["evidence"].as_array().unwrap().is_empty());
    let (s, _) = call(&app, get("/api/stories/999")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = call(&app, get("/api/stories/first")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["error"]["message"].is_string());
}

#[tokio::test]
async fn trace_of_an_event_reaches_origins_with_evidence() {
    let app = fixture().await;
    let (_, all) = call(&app, get("/api/timeline")).await;
    let talks = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["plover_type"] == "CONSULT")
        .unwrap()
        .clone();
    let id = talks["id"].as_str().unwrap();
    let (s, t) = call(&app, get(&format!("/api/trace/{id}"))).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["kind"], "event");
    assert_eq!(t["reports"], talks["reports"]);
    assert_eq!(t["origins"], talks["origins"]);
    // Every claim node under the event carries its sentence as evidence, and every path
    // ends at an origin.
    fn leaves<'a>(n: &'a Value, out: &mut Vec<&'a Value>) {
        match n["children"].as_array() {
            Some(c) if !c.is_empty() => c.iter().for_each(|c| leaves(c, out)),
            _ => out.push(n),
        }
    }
    let root = &t["root"];
    for claim in root["children"].as_array().unwrap() {
        assert_eq!(claim["kind"], "claim");
        let ev = &claim["evidence"];
        let (start, end) = (
            ev["span"][0].as_u64().unwrap(),
            ev["span"][1].as_u64().unwrap(),
        );
        // The evidence span opens the report text at that sentence.
        let (s, text) = call(
            &app,
            get(&format!(
                "/api/reports/{}/text?start={start}&end={end}",
                ev["report"].as_str().unwrap()
            )),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let hl = text["highlight"]["text"].as_str().unwrap();
        assert_eq!(
            hl.split_whitespace().collect::<Vec<_>>().join(" "),
            ev["text"]
        );
    }
    let mut ls = Vec::new();
    leaves(root, &mut ls);
    assert!(ls.iter().any(|l| l["kind"] == "origin"));
    // The copy's mention shows the copy link down to the agency report.
    let s = serde_json::to_string(&t).unwrap();
    assert!(s.contains("\"kind\":\"copy\""), "{s}");
    // Grades and contradictions are the grading stage's (tested there): here only that they
    // come through, so the snapshot holds the tree itself.
    assert_eq!(t["grade"], talks["grade"]);
    assert_eq!(t["contradictions"], talks["contradictions"]);
    let mut tree = t.clone();
    tree["grade"] = Value::Null;
    tree["contradictions"] = Value::Null;
    insta::assert_json_snapshot!("trace_event", tree);

    // The terminal view of the same record: an indented tree down to the origins, counts,
    // the grade's reasons.
    let typed: dossier_pipeline::query::Trace = serde_json::from_value(t.clone()).unwrap();
    let text = dossier_pipeline::query::render_trace(&typed);
    assert!(
        text.starts_with(&format!("event {}", typed.root.as_ref().unwrap().label)),
        "{text}"
    );
    assert!(text.contains("\n  claim "), "{text}");
    assert!(text.contains("      source Dmitry Peskov"), "{text}");
    assert!(text.contains("origin Kremlin"), "{text}");
    assert!(
        text.contains(&format!(
            "reports {}  outlets {}",
            t["reports"], t["outlets"]
        )),
        "{text}"
    );
    for r in typed.grade.iter().flat_map(|g| &g.reasons) {
        assert!(text.contains(r.as_str()), "{text}");
    }

    // The same trace by ?q=, and the text of the copy: several matches give choices.
    let (_, same) = call(&app, get(&format!("/api/trace?q={id}"))).await;
    assert_eq!(same, t);
    let (s, c) = call(&app, get("/api/trace?q=talks%20were%20productive")).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_ne!(c["kind"], "choices", "{c}");
    let (s, c) = call(&app, get("/api/trace?q=gas")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["kind"], "choices", "{c}");
    assert!(c["choices"].as_array().unwrap().len() >= 2);

    // A claim id and a report id.
    let (s, cl) = call(&app, get("/api/trace/uf63569564f10b535:c2")).await;
    assert_eq!(s, StatusCode::OK, "{cl}");
    assert_eq!(cl["kind"], "claim");
    insta::assert_json_snapshot!("trace_claim_anonymous", cl);
    let (s, r) = call(&app, get("/api/trace/u0a366d76cb0ecf5c")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["kind"], "report");

    // Unknown ids and missing text.
    let (s, e) = call(&app, get("/api/trace/evnothing-like-it")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    let (s, _) = call(&app, get("/api/trace/uf63569564f10b535:c999")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = call(&app, get("/api/trace")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["error"]["message"].as_str().unwrap().contains("q="));
    let (s, _) = call(&app, get("/api/trace?q=%20")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn actor_pages_and_entity_search() {
    let app = fixture().await;
    let (s, hits) = call(&app, get("/api/actors?q=lukashenko")).await;
    assert_eq!(s, StatusCode::OK, "{hits}");
    let first = &hits.as_array().unwrap()[0];
    assert!(
        first["name"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("lukashenko"),
        "{hits}"
    );
    let (s, page) = call(&app, get("/api/actors/Lukashenko")).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(page["reports"].as_array().unwrap().len(), 3, "{page}");
    assert!(!page["events"].as_array().unwrap().is_empty());
    // Quotes by him, with their evidence.
    let quotes = page["quotes"].as_array().unwrap();
    assert!(
        quotes
            .iter()
            .any(|q| q["text"].as_str().unwrap().contains("productive")),
        "{page}"
    );
    assert!(
        page["places"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Minsk"),
        "{page}"
    );
    assert!(!page["roles"].as_array().unwrap().is_empty(), "{page}");
    let mut shown = page.clone();
    for e in shown["events"].as_array_mut().unwrap() {
        e["grade"] = Value::Null;
    }
    shown["contradictions"] = Value::Null;
    insta::assert_json_snapshot!("actor_lukashenko", shown);
    let typed: dossier_pipeline::query::ActorPage = serde_json::from_value(page.clone()).unwrap();
    let text = dossier_pipeline::query::render_actor(&typed);
    assert!(
        text.starts_with("Alexander Lukashenko (Person), named in 3 report(s)"),
        "{text}"
    );
    assert!(text.contains("Belarusian President"), "{text}");
    assert!(
        text.contains("the talks were productive and friendly"),
        "{text}"
    );
    assert!(text.contains("Minsk (BY)"), "{text}");
    let (s, _) = call(&app, get("/api/actors/Nobody%20Atall")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = call(&app, get("/api/actors")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let (s, ents) = call(&app, get("/api/entities?kind=person&limit=50")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ents["total"].as_u64().unwrap() >= 2);
    assert!(
        ents["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] == "Person")
    );
    let (s, _) = call(&app, get("/api/entities?kind=planet")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(&app, get("/api/entities?limit=-1")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn report_text_with_blocks_analysis_and_highlight() {
    let app = fixture().await;
    let (s, r) = call(&app, get("/api/reports/uf63569564f10b535/text")).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert!(
        r["text"]
            .as_str()
            .unwrap()
            .starts_with("Lukashenko receives Putin")
    );
    assert!(!r["blocks"].as_array().unwrap().is_empty());
    assert!(r["analysis"]["result"]["sentences"].is_array());
    assert!(r["highlight"].is_null());
    let (s, r) = call(
        &app,
        get("/api/reports/uf63569564f10b535/text?start=0&end=10"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["highlight"]["text"], "Lukashenko");
    for bad in [
        "start=5",
        "start=10&end=2",
        "start=0&end=99999",
        "start=x&end=2",
    ] {
        let (s, e) = call(
            &app,
            get(&format!("/api/reports/uf63569564f10b535/text?{bad}")),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {e}");
        assert_eq!(e["error"]["status"], 400);
    }
    let (s, _) = call(&app, get("/api/reports/nope/text")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_record_follows_the_store() {
    let app = fixture().await;
    let (_, before) = call(&app, get("/api/stories")).await;
    assert_eq!(before["reports"], 3);
    let req = Request::post("/api/ingest?url=https%3A%2F%2Fother.example%2Fa&published=2025-03-12")
        .body(Body::from(
            "Flood waters rose in the river valley on Wednesday, officials said.\n",
        ))
        .unwrap();
    let (s, v) = call(&app, req).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, after) = call(&app, get("/api/stories")).await;
    assert_eq!(after["reports"], 4);
    // Ingest without analysis leaves it pending; the record changes again once analysed.
    let req = Request::post("/api/ingest?analyse=false&url=https%3A%2F%2Fother.example%2Fb")
        .body(Body::from(
            "A second report about the river valley flood.\n",
        ))
        .unwrap();
    let (_, v) = call(&app, req).await;
    assert_eq!(
        (v["stored"].as_u64(), v["analysed"].as_u64()),
        (Some(1), Some(0)),
        "{v}"
    );
    let (_, stats) = call(&app, get("/api/stats")).await;
    assert_eq!(stats["reports"], 5);
    let (_, after) = call(&app, get("/api/stories")).await;
    // The pass says a report is not analysed yet (and may stop before it).
    assert!(!after["warnings"].as_array().unwrap().is_empty(), "{after}");
    // The next analysing ingest works off the backlog: everything is in the record again.
    let req = Request::post("/api/ingest?url=https%3A%2F%2Fother.example%2Fc")
        .body(Body::from(
            "Rescue teams reached the flooded villages on Thursday, the governor said.\n",
        ))
        .unwrap();
    let (_, v) = call(&app, req).await;
    assert_eq!(v["analysed"], 2, "{v}");
    let (_, after) = call(&app, get("/api/stories")).await;
    assert_eq!(after["reports"], 6, "{after}");
    let (s, _) = call(&app, get("/api/timeline?from=yesterday")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(&app, get("/api/timeline?story=abc")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bad_json_and_oversized_bodies_are_json_errors() {
    let app = app(Config {
        token: Some("t0ken".into()),
        max_body: 512,
        max_document: 512,
    });
    // Oversized, with the token: 413 as JSON.
    let big = Request::post("/api/ingest")
        .header("authorization", "Bearer t0ken")
        .body(Body::from("x".repeat(2048)))
        .unwrap();
    let (s, e) = call(&app, big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(e["error"]["status"], 413);
    // Missing token on a write: 401 as JSON, whatever the body.
    let (s, e) = call(
        &app,
        Request::post("/api/ingest").body(Body::from("{")).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(e["error"]["status"], 401);
    // A broken JSON Lines body is a rejection naming the input, not a crash.
    let bad = Request::post("/api/ingest?name=bad.jsonl")
        .header("authorization", "Bearer t0ken")
        .body(Body::from(
            "{\"url\": \"https://x.example/1\", \"text\": \n{{{",
        ))
        .unwrap();
    let (s, v) = call(&app, bad).await;
    assert!(
        s.is_client_error() || s == StatusCode::MULTI_STATUS,
        "{s} {v}"
    );
    assert!(v.is_object(), "{v}");
    // Reads need no token; queries on an empty store answer.
    let (s, t) = call(&app, get("/api/timeline")).await;
    assert_eq!((s, t["total"].as_u64()), (StatusCode::OK, Some(0)));
    let (s, _) = call(&app, get("/api/trace?q=anything")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn odd_queries_never_fail_the_server() {
    let app = fixture().await;
    // Warm the record so the timing below measures the queries.
    call(&app, get("/api/timeline")).await;
    let long = "word".repeat(15_000);
    let inputs = [
        "\u{0}\u{1}\u{7f}\u{1b}[2J".to_string(),
        "🙂🙃 Minsk 🇧🇾".to_string(),
        "uf63569564f10b535:c99999999999999999999999".to_string(),
        "uf63569564f10b535:c".to_string(),
        ":c1".to_string(),
        "ev".to_string(),
        "%".to_string(),
        "a\u{301}\u{301}\u{301}".to_string(),
        long,
    ];
    for q in &inputs {
        let start = std::time::Instant::now();
        for uri in [
            format!("/api/trace?q={}", enc(q)),
            format!("/api/trace/{}", enc(q)),
            format!("/api/actors?q={}", enc(q)),
            format!("/api/actors/{}", enc(q)),
            format!("/api/timeline?actor={}", enc(q)),
            format!("/api/events/{}", enc(q)),
        ] {
            let (s, v) = call(&app, get(&uri)).await;
            assert!(
                s == StatusCode::OK || s == StatusCode::NOT_FOUND || s == StatusCode::BAD_REQUEST,
                "{s} for {}: {v}",
                &uri[..uri.len().min(80)]
            );
            if s != StatusCode::OK {
                assert_eq!(v["error"]["status"], s.as_u16(), "{v}");
            }
        }
        // Generous: a few milliseconds per kilobyte of query in a debug build.
        let budget = std::time::Duration::from_millis(2_000 + 5 * q.len() as u64 / 1024 * 100);
        assert!(
            start.elapsed() < budget,
            "{:?} for a {}-byte query",
            start.elapsed(),
            q.len()
        );
    }
}

/// Every file of the sample corpus (docs/sample.md), posted one by one.
async fn sample_app() -> axum::Router {
    let app = app(Config::default());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in files {
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        let req = Request::post(format!("/api/ingest?name={}", enc(&name)))
            .body(Body::from(std::fs::read(&f).unwrap()))
            .unwrap();
        let (s, v) = call(&app, req).await;
        assert_eq!(s, StatusCode::OK, "{name}: {v}");
    }
    app
}

#[tokio::test]
async fn every_sample_event_traces_to_origins_with_valid_evidence() {
    let app = sample_app().await;
    let (s, tl) = call(&app, get("/api/timeline")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(tl["reports"], 16, "{tl}");
    let events = tl["events"].as_array().unwrap();
    assert!(events.len() >= 5, "{tl}");
    fn walk(n: &Value, f: &mut dyn FnMut(&Value)) {
        f(n);
        for c in n["children"].as_array().into_iter().flatten() {
            walk(c, f);
        }
    }
    let mut texts: std::collections::HashMap<String, String> = Default::default();
    for e in events {
        let id = e["id"].as_str().unwrap();
        let (s, t) = call(&app, get(&format!("/api/trace/{id}"))).await;
        assert_eq!(s, StatusCode::OK, "{id}: {t}");
        assert_eq!(t["origins"], e["origins"], "{id}");
        assert_eq!(t["reports"], e["reports"], "{id}");
        let mut evidence = Vec::new();
        let mut origins = 0;
        walk(&t["root"], &mut |n| {
            if n["kind"] == "origin" {
                origins += 1;
            }
            if n["evidence"].is_object() {
                evidence.push(n["evidence"].clone());
            }
        });
        assert!(origins >= 1, "{id}: {t}");
        // Every evidence span is the text it says, in the report it names.
        for ev in evidence {
            let report = ev["report"].as_str().unwrap().to_string();
            if !texts.contains_key(&report) {
                let (_, r) = call(&app, get(&format!("/api/reports/{report}/text"))).await;
                texts.insert(report.clone(), r["text"].as_str().unwrap().to_string());
            }
            let text = &texts[&report];
            let (a, b) = (
                ev["span"][0].as_u64().unwrap() as usize,
                ev["span"][1].as_u64().unwrap() as usize,
            );
            let got = text.get(a..b).expect("span on character boundaries");
            assert_eq!(
                got.split_whitespace().collect::<Vec<_>>().join(" "),
                ev["text"],
                "{id}"
            );
        }
    }
    // Actor pages of the most reported people build, and name reports.
    let (_, ents) = call(&app, get("/api/entities?kind=person&limit=5")).await;
    for e in ents["entities"].as_array().unwrap() {
        let name = e["name"].as_str().unwrap();
        let (s, page) = call(&app, get(&format!("/api/actors/{}", enc(name)))).await;
        assert_eq!(s, StatusCode::OK, "{name}: {page}");
        assert!(
            !page["reports"].as_array().unwrap().is_empty(),
            "{name}: {page}"
        );
    }
    // Every story page builds.
    let (_, st) = call(&app, get("/api/stories")).await;
    for s in st["stories"].as_array().unwrap() {
        let (code, _) = call(&app, get(&format!("/api/stories/{}", s["id"]))).await;
        assert_eq!(code, StatusCode::OK);
    }
}
