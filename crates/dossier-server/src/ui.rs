//! The web page: static files embedded in the binary and served beside the API.
//!
//! `/` is the page (never cached: it names the current asset paths). Our own files are under
//! `/static/HASH/NAME`, where HASH is taken over every file's bytes when the server starts, and
//! the vendored libraries under `/vendor/NAME-VERSION/FILE`; both are cached for a year.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const INDEX: &str = include_str!("../assets/index.html");

/// One embedded file: its name under its prefix, content type and bytes.
struct Asset {
    name: &'static str,
    mime: &'static str,
    bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

macro_rules! asset {
    ($name:literal, $mime:expr) => {
        Asset {
            name: $name,
            mime: $mime,
            bytes: include_bytes!(concat!("../assets/", $name)),
        }
    };
}

/// The page's own modules and style sheet (served under `/static/HASH/`).
static OWN: &[Asset] = &[
    asset!("app.js", JS),
    asset!("api.js", JS),
    asset!("util.js", JS),
    asset!("timeline.js", JS),
    asset!("panel.js", JS),
    asset!("graph.js", JS),
    asset!("pages.js", JS),
    asset!("app.css", CSS),
];

/// Vendored libraries with their licences (served under `/vendor/`).
static VENDOR: &[Asset] = &[
    asset!("vendor/vis-timeline-8.5.4/vis-timeline-graph2d.min.js", JS),
    asset!(
        "vendor/vis-timeline-8.5.4/vis-timeline-graph2d.min.css",
        CSS
    ),
    asset!("vendor/vis-timeline-8.5.4/LICENSE.md", TEXT),
    asset!("vendor/vis-timeline-8.5.4/LICENSE.MIT.txt", TEXT),
    asset!("vendor/vis-timeline-8.5.4/LICENSE.Apache-2.0.txt", TEXT),
    asset!("vendor/cytoscape-3.35.0/cytoscape.min.js", JS),
    asset!("vendor/cytoscape-3.35.0/LICENSE", TEXT),
];

/// FNV-1a over every own file, as 12 hex digits: changes whenever a file does.
static HASH: LazyLock<String> = LazyLock::new(|| {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for a in OWN {
        for &b in a.name.as_bytes().iter().chain(a.bytes) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:012x}", h & 0xffff_ffff_ffff)
});

/// The page with the asset prefix filled in.
static PAGE: LazyLock<String> =
    LazyLock::new(|| INDEX.replace("{{STATIC}}", &format!("/static/{}", *HASH)));

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Routes of the web page (no state: the page talks to the JSON API).
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(index))
        .route("/static/{hash}/{name}", get(own))
        .route("/vendor/{*path}", get(vendor))
}

async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        PAGE.as_str(),
    )
        .into_response()
}

async fn own(Path((hash, name)): Path<(String, String)>) -> Response {
    match OWN.iter().find(|a| a.name == name) {
        // An old hash still gets today's file, but without the long cache.
        Some(a) if hash == *HASH => serve(a, IMMUTABLE),
        Some(a) => serve(a, "no-cache"),
        None => missing(&name),
    }
}

async fn vendor(Path(path): Path<String>) -> Response {
    let name = format!("vendor/{path}");
    match VENDOR.iter().find(|a| a.name == name) {
        Some(a) => serve(a, IMMUTABLE),
        None => missing(&name),
    }
}

fn serve(a: &'static Asset, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, a.mime),
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        a.bytes,
    )
        .into_response()
}

fn missing(name: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, TEXT)],
        format!("no such file: {name}\n"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn get(path: &str) -> (StatusCode, String, String, Vec<u8>) {
        let app: Router = routes();
        let res = app
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let h = |k| {
            res.headers()
                .get(k)
                .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let (ct, cc) = (h(header::CONTENT_TYPE), h(header::CACHE_CONTROL));
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, ct, cc, body)
    }

    #[tokio::test]
    async fn page_names_hashed_assets_and_every_reference_resolves() {
        let (status, ct, cc, body) = get("/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ct.starts_with("text/html"));
        assert_eq!(cc, "no-cache");
        let html = String::from_utf8(body).unwrap();
        assert!(!html.contains("{{STATIC}}"));
        let prefix = format!("/static/{}/", *HASH);
        assert!(html.contains(&prefix), "page does not use {prefix}");
        // Every src/href in the page is served, with a long cache.
        let mut seen = 0;
        for part in html.split(['"', '\'']) {
            if part.starts_with("/static/") || part.starts_with("/vendor/") {
                let (status, _, cc, body) = get(part).await;
                assert_eq!(status, StatusCode::OK, "{part}");
                assert_eq!(cc, IMMUTABLE, "{part}");
                assert!(!body.is_empty(), "{part}");
                seen += 1;
            }
        }
        assert!(seen >= 4, "only {seen} asset references in the page");
    }

    #[tokio::test]
    async fn modules_import_only_files_that_exist() {
        for a in OWN.iter().filter(|a| a.mime == JS) {
            let src = std::str::from_utf8(a.bytes).unwrap();
            for line in src.lines().filter(|l| l.starts_with("import ")) {
                let target = line
                    .rsplit(['"', '\''])
                    .nth(1)
                    .and_then(|p| p.strip_prefix("./"))
                    .unwrap_or_else(|| panic!("{}: import not relative: {line}", a.name));
                assert!(
                    OWN.iter().any(|b| b.name == target),
                    "{} imports missing {target}",
                    a.name
                );
            }
        }
    }

    #[tokio::test]
    async fn content_types_and_caching() {
        let js = format!("/static/{}/app.js", *HASH);
        let (status, ct, cc, _) = get(&js).await;
        assert_eq!(
            (status, ct.as_str(), cc.as_str()),
            (StatusCode::OK, JS, IMMUTABLE)
        );
        let (_, ct, cc, _) = get("/static/0000/app.css").await;
        assert_eq!((ct.as_str(), cc.as_str()), (CSS, "no-cache"));
        let (status, ct, _, body) = get("/vendor/cytoscape-3.35.0/LICENSE").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ct, TEXT);
        assert!(String::from_utf8(body).unwrap().contains("MIT"));
        let (status, _, _, body) = get("/vendor/../src/ui.rs").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!String::from_utf8_lossy(&body).contains("fn routes"));
        let (status, _, _, _) = get(&format!("/static/{}/nope.js", *HASH)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn vendored_licences_are_embedded() {
        for lib in ["vis-timeline-8.5.4", "cytoscape-3.35.0"] {
            assert!(
                VENDOR
                    .iter()
                    .any(|a| a.name.starts_with(&format!("vendor/{lib}/LICENSE"))),
                "{lib} has no licence"
            );
        }
    }
}
