//! The API driven through its router: status codes, JSON bodies, token and size limits.

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

fn post(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .body(Body::from(body.to_string()))
        .unwrap()
}

const PAGE: &str = r#"<html><head><title>Dam spillway closed</title><link rel="canonical" href="https://wire.example/dam"></head>
<body><article><h1>Dam spillway closed</h1><p>Engineers closed the Saskal Dam spillway on Sunday, officials said.</p></article></body></html>"#;

#[tokio::test]
async fn ingest_then_query() {
    let app = app(Config::default());
    let (s, v) = call(&app, get("/api/health")).await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (_, v) = call(&app, get("/api/version")).await;
    assert_eq!(v["name"], "dossier");

    let (s, v) = call(
        &app,
        post(
            "/api/ingest?name=dam.html&url=https://wire.example/dam&published=2025-06-15",
            PAGE,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["stored"], 1);
    let (_, v) = call(&app, post("/api/ingest", PAGE)).await;
    assert_eq!(v["unchanged"], 1);

    let (s, list) = call(&app, get("/api/reports?limit=10")).await;
    assert_eq!(s, StatusCode::OK);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let id = list[0]["id"].as_str().unwrap();
    assert!(
        list[0]["published"]
            .as_str()
            .unwrap()
            .starts_with("2025-06-15")
    );

    let (s, r) = call(&app, get(&format!("/api/reports/{id}"))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        r["document"]["text"]
            .as_str()
            .unwrap()
            .contains("Saskal Dam")
    );
    let resp = app
        .clone()
        .oneshot(get(&format!("/api/reports/{id}/raw")))
        .await
        .unwrap();
    let raw = resp.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&raw[..], PAGE.as_bytes());

    let (s, hits) = call(&app, get("/api/search?q=saskal%20spillway")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(hits[0]["id"], id);
    assert!(hits[0]["snippet"].as_str().unwrap().contains("[Saskal]"));
    assert_eq!(
        call(&app, get("/api/search")).await.0,
        StatusCode::BAD_REQUEST
    );
    // Claims are found by their source too ("officials" is the source here, not the text).
    let (s, claims) = call(&app, get("/api/claims?q=spillway%20officials")).await;
    assert_eq!(s, StatusCode::OK, "{claims}");
    let claims = claims.as_array().unwrap();
    assert_eq!(claims.len(), 1, "{claims:?}");
    assert!(
        claims[0]["text"]
            .as_str()
            .unwrap()
            .contains("Saskal Dam spillway")
    );
    assert!(claims[0]["chain"].as_str().unwrap().contains("officials"));
    assert_eq!(claims[0]["report"]["id"], id);
    let claim_id = claims[0]["id"].as_str().unwrap();
    let (s, t) = call(&app, get(&format!("/api/trace/{claim_id}"))).await;
    assert_eq!(
        (s, t["kind"].as_str()),
        (StatusCode::OK, Some("claim")),
        "{t}"
    );
    let (s, none) = call(&app, get("/api/claims?q=zzzunknownword")).await;
    assert_eq!(
        (s, none.as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );
    assert_eq!(
        call(&app, get("/api/claims")).await.0,
        StatusCode::BAD_REQUEST
    );

    let (s, e) = call(&app, get("/api/reports/nope")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(e["error"]["status"], 404);
    let (s, _) = call(&app, get("/api/no-such-thing")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, stats) = call(&app, get("/api/stats")).await;
    assert_eq!((s, stats["reports"].as_i64()), (StatusCode::OK, Some(1)));
}

#[tokio::test]
async fn bad_bodies_are_clear_errors() {
    let app = app(Config::default());
    let (s, e) = call(&app, post("/api/ingest", "")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["error"]["message"].as_str().unwrap().contains("empty"));
    let (s, v) = call(
        &app,
        post("/api/ingest?name=junk", "\u{0}\u{1}\u{2}\u{3}binary"),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["rejected"][0]["input"], "junk");
    let (s, _) = call(&app, post("/api/ingest?published=someday", PAGE)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(&app, get("/api/reports?limit=lots")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Splitting: a body that is not JSON, says nothing to take, or names no event.
    let (s, e) = call(&app, post("/api/events/evnope/split", "{not json")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["error"]["message"].as_str().unwrap().contains("JSON"));
    let (s, _) = call(&app, post("/api/events/evnope/split", r#"{"reason":"x"}"#)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(
        &app,
        post("/api/events/evnope/split", r#"{"claim":"r:c0"}"#),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = call(&app, get("/api/splits")).await;
    assert_eq!((s, v.as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
}

#[tokio::test]
async fn writes_need_the_token_and_bodies_are_limited() {
    let app = app(Config {
        token: Some("s3cret".into()),
        max_body: 1024,
        max_document: 1024,
    });
    let (s, _) = call(&app, post("/api/ingest", PAGE)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let wrong = Request::post("/api/ingest")
        .header("authorization", "Bearer nope")
        .body(Body::from(PAGE))
        .unwrap();
    assert_eq!(call(&app, wrong).await.0, StatusCode::FORBIDDEN);
    let right = Request::post("/api/ingest")
        .header("authorization", "Bearer s3cret")
        .body(Body::from(PAGE))
        .unwrap();
    assert_eq!(call(&app, right).await.0, StatusCode::OK);
    let big = Request::post("/api/ingest")
        .header("authorization", "Bearer s3cret")
        .body(Body::from("x".repeat(4096)))
        .unwrap();
    assert_eq!(call(&app, big).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    // Splitting a merged event is a write.
    let (s, _) = call(&app, post("/api/events/ev1/split", r#"{"claim":"r:c0"}"#)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Reads need no token.
    assert_eq!(call(&app, get("/api/reports")).await.0, StatusCode::OK);
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let app = app(Config::default());
    let (s, spec) = call(&app, get("/api/openapi.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(spec["openapi"], "3.0.3");
    for path in [
        "/api/health",
        "/api/version",
        "/api/stats",
        "/api/reports",
        "/api/search",
        "/api/claims",
        "/api/reports/{id}",
        "/api/reports/{id}/raw",
        "/api/reports/{id}/text",
        "/api/ingest",
        "/api/timeline",
        "/api/stories",
        "/api/stories/{id}",
        "/api/events/{id}",
        "/api/events/{id}/split",
        "/api/splits",
        "/api/trace",
        "/api/trace/{id}",
        "/api/actors",
        "/api/actors/{name}",
        "/api/entities",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} missing from the OpenAPI description"
        );
    }
    // Every documented operation says what its errors look like, and every reference
    // resolves.
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("200"), "{path}");
            for (code, r) in responses {
                if code.starts_with('4') && code != "422" {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/Error",
                        "{path} {code}"
                    );
                }
            }
        }
    }
    let text = spec.to_string();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("#/components/schemas/") {
        rest = &rest[i + "#/components/schemas/".len()..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
        assert!(
            spec["components"]["schemas"][&name].is_object(),
            "{name} is referenced but not defined"
        );
    }
}

#[tokio::test]
async fn refuses_to_listen_off_loopback_without_a_token() {
    let store = SqliteStore::open_in_memory().unwrap();
    let err = dossier_server::serve(
        "0.0.0.0:0".parse().unwrap(),
        Arc::new(StorePool::new(vec![Box::new(store)])),
        Config::default(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("token"), "{err}");
}
