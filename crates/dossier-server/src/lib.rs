//! The HTTP JSON API: the CLI's queries over HTTP, ingest by POST, health and version, and an
//! OpenAPI description. Bound to loopback by default; bound elsewhere, writes need a token.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use dossier_core::ReportId;
use dossier_store::{ListQuery, Store};
use serde::Deserialize;
use serde_json::{Value, json};

mod ui;

/// Store connections shared by the request handlers. SQLite in WAL mode and PostgreSQL both
/// serve several connections at once; a request takes a free one.
pub struct StorePool {
    stores: Vec<Mutex<Box<dyn Store + Send>>>,
    next: std::sync::atomic::AtomicUsize,
}

impl StorePool {
    pub fn new(stores: Vec<Box<dyn Store + Send>>) -> Self {
        assert!(
            !stores.is_empty(),
            "a pool needs at least one store connection"
        );
        StorePool {
            stores: stores.into_iter().map(Mutex::new).collect(),
            next: Default::default(),
        }
    }

    /// Run `f` on a free connection (waiting for one when all are busy).
    fn with<T>(&self, f: impl FnOnce(&mut dyn Store) -> T) -> Result<T, ApiError> {
        for m in &self.stores {
            if let Ok(mut g) = m.try_lock() {
                return Ok(f(&mut **g));
            }
        }
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.stores.len();
        let mut g = self.stores[i]
            .lock()
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "store lock poisoned"))?;
        Ok(f(&mut **g))
    }
}

pub type SharedStore = Arc<StorePool>;

/// Server settings.
#[derive(Clone)]
pub struct Config {
    /// Required as `Authorization: Bearer TOKEN` on writes when set.
    pub token: Option<String>,
    /// Largest request body accepted by POST /api/ingest, in bytes.
    pub max_body: usize,
    /// Largest single document read from a body (as `--max-bytes`).
    pub max_document: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            token: None,
            max_body: 32 * 1024 * 1024,
            max_document: 32 * 1024 * 1024,
        }
    }
}

#[derive(Clone)]
struct App {
    store: SharedStore,
    config: Arc<Config>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to listen on {0} without a token: pass --token or set DOSSIER_TOKEN")]
    NeedsToken(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// The API's routes over a store.
pub fn router(store: SharedStore, config: Config) -> Router {
    let max_body = config.max_body;
    let app = App {
        store,
        config: Arc::new(config),
    };
    Router::new()
        .route("/api/health", get(health))
        .route("/api/version", get(version))
        .route("/api/openapi.json", get(openapi))
        .route("/api/stats", get(stats))
        .route("/api/reports", get(list_reports))
        .route("/api/search", get(search))
        .route("/api/reports/{id}", get(show_report))
        .route("/api/reports/{id}/raw", get(raw_report))
        .route("/api/ingest", post(ingest))
        .merge(ui::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(app)
}

/// Listen on `addr` until Ctrl-C. Prints the bound address on stdout first (port 0 picks one).
pub async fn serve(addr: SocketAddr, store: SharedStore, config: Config) -> Result<(), ServeError> {
    if !addr.ip().is_loopback() && config.token.is_none() {
        return Err(ServeError::NeedsToken(addr));
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let bound = listener.local_addr()?;
    println!("listening on http://{bound}");
    tracing::info!(%bound, "serving");
    axum::serve(listener, router(store, config))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// A JSON error with its status code: `{"error": {"status": 404, "message": "..."}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"status": self.status.as_u16(), "message": self.message}});
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<dossier_store::StoreError> for ApiError {
    fn from(e: dossier_store::StoreError) -> Self {
        tracing::error!(error = %e, "store error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("store error: {e}"),
        )
    }
}

type ApiResult = Result<Response, ApiError>;

/// Run a store operation off the async threads.
async fn with_store<T, F>(app: &App, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn Store) -> Result<T, ApiError> + Send + 'static,
{
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || store.with(f)?)
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("task failed: {e}"),
            )
        })?
}

async fn health(State(app): State<App>) -> ApiResult {
    let ping = with_store(&app, |s| Ok(s.ping())).await?;
    Ok(match ping {
        Ok(()) => axum::Json(json!({"status": "ok", "store": "ok"})).into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({"status": "degraded", "store": e.to_string()})),
        )
            .into_response(),
    })
}

async fn version() -> ApiResult {
    Ok(axum::Json(json!({
        "name": "dossier",
        "version": env!("CARGO_PKG_VERSION"),
        "schema": dossier_store::SCHEMA_VERSION,
    }))
    .into_response())
}

async fn stats(State(app): State<App>) -> ApiResult {
    let s = with_store(&app, |s| Ok(s.stats()?)).await?;
    Ok(axum::Json(s).into_response())
}

#[derive(Deserialize)]
struct ListParams {
    limit: Option<usize>,
    outlet: Option<String>,
}

async fn list_reports(State(app): State<App>, Query(p): Query<ListParams>) -> ApiResult {
    let limit = Some(p.limit.unwrap_or(100).min(10_000));
    let list = with_store(&app, move |s| {
        Ok(s.list_reports(&ListQuery {
            limit,
            outlet: p.outlet,
        })?)
    })
    .await?;
    Ok(axum::Json(list).into_response())
}

#[derive(Deserialize)]
struct SearchParams {
    q: String,
    limit: Option<usize>,
}

async fn search(State(app): State<App>, Query(p): Query<SearchParams>) -> ApiResult {
    let limit = p.limit.unwrap_or(20).min(1000);
    let hits = with_store(&app, move |s| Ok(s.search(&p.q, limit)?)).await?;
    Ok(axum::Json(hits).into_response())
}

#[derive(Deserialize)]
struct RevisionParam {
    revision: Option<i64>,
}

async fn show_report(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(p): Query<RevisionParam>,
) -> ApiResult {
    let r = with_store(&app, move |s| Ok(s.report(&ReportId(id), p.revision)?)).await?;
    match r {
        Some(r) => Ok(axum::Json(r).into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no such report or revision",
        )),
    }
}

async fn raw_report(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(p): Query<RevisionParam>,
) -> ApiResult {
    let bytes = with_store(&app, move |s| {
        let id = ReportId(id);
        let rev = match p.revision {
            Some(r) => Some(r),
            None => s.report(&id, None)?.map(|r| r.revision),
        };
        match rev {
            Some(r) => Ok(s.raw(&id, r)?),
            None => Ok(None),
        }
    })
    .await?;
    match bytes {
        Some(b) => Ok(([(header::CONTENT_TYPE, "application/octet-stream")], b).into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no such report or revision",
        )),
    }
}

#[derive(Deserialize)]
struct IngestParams {
    /// A name for the input in rejections (default "request").
    name: Option<String>,
    /// The page's URL, when the body is a page fetched elsewhere.
    url: Option<String>,
    /// Publication date to use when the input has none.
    published: Option<String>,
    /// The outlet, when the input does not say.
    outlet: Option<String>,
}

async fn ingest(
    State(app): State<App>,
    Query(p): Query<IngestParams>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    authorize(&app.config, &headers)?;
    if body.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "empty body: send the document to ingest",
        ));
    }
    let published = match p.published.as_deref() {
        Some(d) => Some(dossier_ingest::jsonl::parse_date(d).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("published {d:?} is not a date"),
            )
        })?),
        None => None,
    };
    let name = p.name.unwrap_or_else(|| "request".to_string());
    let opts = dossier_ingest::Options {
        max_bytes: app.config.max_document,
    };
    let (url, outlet) = (p.url, p.outlet);
    let summary = with_store(&app, move |s| {
        let read = move |emit: &mut dyn FnMut(dossier_ingest::Item)| {
            let reader = Box::new(std::io::Cursor::new(body));
            dossier_ingest::read_stream(&name, reader, &opts, &mut |item| {
                emit(match item {
                    dossier_ingest::Item::Raw(mut r) => {
                        if r.url.is_none() {
                            r.url = url.clone();
                        }
                        if r.published.is_none() {
                            r.published = published;
                        }
                        if r.outlet.is_none() {
                            r.outlet = outlet.clone();
                        }
                        dossier_ingest::Item::Raw(r)
                    }
                    other => other,
                })
            });
        };
        Ok(dossier_pipeline::ingest_items(
            s,
            read,
            &mut dossier_pipeline::Silent,
        )?)
    })
    .await?;
    let status = if summary.rejected.is_empty() {
        StatusCode::OK
    } else if summary.stored + summary.revised + summary.unchanged == 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::MULTI_STATUS
    };
    Ok((status, axum::Json(summary)).into_response())
}

fn authorize(config: &Config, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &config.token else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::FORBIDDEN, "wrong token")),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "writes need a token: send Authorization: Bearer TOKEN",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such endpoint (see /api/openapi.json)",
    )
}

async fn openapi() -> ApiResult {
    let v: Value = serde_json::from_str(include_str!("openapi.json"))
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(axum::Json(v).into_response())
}
