//! The HTTP JSON API: the CLI's queries over HTTP, ingest by POST, health and version, and an
//! OpenAPI description. Bound to loopback by default; bound elsewhere, writes need a token.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock, TryLockError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use dossier_core::ReportId;
use dossier_pipeline::LinkRecord;
use dossier_pipeline::query::{self, QueryError, TimelineFilter};
use dossier_store::{ListQuery, Store, StoreStats};
use serde::Deserialize;
use serde::de::DeserializeOwned;
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
    record: Arc<RecordCache>,
}

/// What the cross-report record was computed from: the store's counts, its analysis backlog
/// and the generation of the user's splits. Any ingest, revision, finished analysis or split
/// changes it.
type Fingerprint = (StoreStats, i64, Option<i64>);

/// The cross-report record, computed on demand and kept until the store changes. Only one
/// request computes it at a time; the others get the previous record, or wait for the first.
#[derive(Default)]
struct RecordCache {
    current: RwLock<Option<(Fingerprint, Arc<LinkRecord>)>>,
    computing: Mutex<()>,
}

impl RecordCache {
    fn cached(&self, fp: Option<&Fingerprint>) -> Option<Arc<LinkRecord>> {
        let g = self.current.read().unwrap_or_else(|p| p.into_inner());
        match (&*g, fp) {
            (Some((f, r)), Some(fp)) if f == fp => Some(r.clone()),
            (Some((_, r)), None) => Some(r.clone()),
            _ => None,
        }
    }

    /// The record for the store as it is now.
    fn get(&self, store: &dyn Store) -> Result<Arc<LinkRecord>, ApiError> {
        let fp = (
            store.stats()?,
            store.pending_analysis(dossier_pipeline::ANALYSER_VERSION)?,
            store.link_generation("splits")?.map(|g| g.0),
        );
        if let Some(r) = self.cached(Some(&fp)) {
            return Ok(r);
        }
        let _guard = match self.computing.try_lock() {
            Ok(g) => g,
            Err(TryLockError::WouldBlock) => {
                // Someone is computing: answer from the previous record if there is one.
                if let Some(r) = self.cached(None) {
                    return Ok(r);
                }
                self.computing.lock().unwrap_or_else(|p| p.into_inner())
            }
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
        };
        if let Some(r) = self.cached(Some(&fp)) {
            return Ok(r);
        }
        let rec = Arc::new(dossier_pipeline::link(store)?);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some((fp, rec.clone()));
        Ok(rec)
    }
}

/// Query parameters whose errors are JSON (400 with the reason).
struct Q<T>(T);

impl<T, S> FromRequestParts<S> for Q<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Q(v)),
            Err(e) => Err(ApiError::new(StatusCode::BAD_REQUEST, e.body_text())),
        }
    }
}

/// Path parameters whose errors are JSON.
struct P<T>(T);

impl<T, S> FromRequestParts<S> for P<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(P(v)),
            Err(e) => Err(ApiError::new(e.status(), e.body_text())),
        }
    }
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
        record: Arc::default(),
    };
    Router::new()
        .route("/api/health", get(health))
        .route("/api/version", get(version))
        .route("/api/openapi.json", get(openapi))
        .route("/api/stats", get(stats))
        .route("/api/reports", get(list_reports))
        .route("/api/search", get(search))
        .route("/api/claims", get(search_claims))
        .route("/api/reports/{id}", get(show_report))
        .route("/api/reports/{id}/raw", get(raw_report))
        .route("/api/reports/{id}/text", get(report_text))
        .route("/api/ingest", post(ingest))
        .route("/api/timeline", get(timeline))
        .route("/api/stories", get(stories))
        .route("/api/stories/{id}", get(story))
        .route("/api/events/{id}", get(event))
        .route("/api/events/{id}/split", post(split_event))
        .route("/api/splits", get(list_splits))
        .route("/api/trace", get(trace_q))
        .route("/api/trace/{id}", get(trace_id))
        .route("/api/actors", get(actors))
        .route("/api/actors/{name}", get(actor))
        .route("/api/entities", get(entities))
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

async fn list_reports(State(app): State<App>, Q(p): Q<ListParams>) -> ApiResult {
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

async fn search(State(app): State<App>, Q(p): Q<SearchParams>) -> ApiResult {
    let limit = p.limit.unwrap_or(20).min(1000);
    let hits = with_store(&app, move |s| Ok(s.search(&p.q, limit)?)).await?;
    Ok(axum::Json(hits).into_response())
}

async fn search_claims(State(app): State<App>, Q(p): Q<SearchParams>) -> ApiResult {
    let limit = p.limit.unwrap_or(20).min(1000);
    let hits = with_store(&app, move |s| Ok(s.search_claims(&p.q, limit)?)).await?;
    Ok(axum::Json(hits).into_response())
}

#[derive(Deserialize)]
struct RevisionParam {
    revision: Option<i64>,
}

async fn show_report(
    State(app): State<App>,
    P(id): P<String>,
    Q(p): Q<RevisionParam>,
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

async fn raw_report(State(app): State<App>, P(id): P<String>, Q(p): Q<RevisionParam>) -> ApiResult {
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
    /// Analyse what was stored before answering (default true).
    analyse: Option<bool>,
}

async fn ingest(
    State(app): State<App>,
    Q(p): Q<IngestParams>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    authorize(&app.config, &headers)?;
    let body = body.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                status,
                format!(
                    "request body larger than the limit of {} bytes",
                    app.config.max_body
                ),
            )
        } else {
            ApiError::new(status, e.body_text())
        }
    })?;
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
        ..Default::default()
    };
    let (url, outlet) = (p.url, p.outlet);
    let analyse = p.analyse.unwrap_or(true);
    let (summary, analysed) = with_store(&app, move |s| {
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
        let summary = dossier_pipeline::ingest_items(s, read, &mut dossier_pipeline::Silent)?;
        let analysed = if analyse {
            analyse_backlog(s, summary.stored + summary.revised)?
        } else {
            0
        };
        Ok((summary, analysed))
    })
    .await?;
    let status = if summary.rejected.is_empty() {
        StatusCode::OK
    } else if summary.stored + summary.revised + summary.unchanged == 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::MULTI_STATUS
    };
    let mut v = serde_json::to_value(&summary)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    v["analysed"] = json!(analysed);
    Ok((status, axum::Json(v)).into_response())
}

/// Analyse up to `at_least` pending reports (more when claims come in batches) without
/// waiting for reports other workers hold. Returns how many were analysed.
fn analyse_backlog(s: &mut dyn Store, at_least: usize) -> Result<usize, ApiError> {
    const WORKER: &str = "dossier-serve";
    let version = dossier_pipeline::ANALYSER_VERSION;
    let mut done = 0;
    while done < at_least {
        let claimed = s.claim_for_analysis(WORKER, version, 64, 300)?;
        if claimed.is_empty() {
            break;
        }
        for c in claimed {
            let a = dossier_pipeline::analyse(&c.document);
            let json = serde_json::to_string(&a)
                .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            let claims = dossier_pipeline::claim_texts(&a);
            if s.put_analysis(WORKER, &c.id, c.revision, version, &json, &claims)? {
                done += 1;
            }
        }
    }
    Ok(done)
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

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        let status = match &e {
            QueryError::NotFound(_) => StatusCode::NOT_FOUND,
            QueryError::Bad(_) => StatusCode::BAD_REQUEST,
            QueryError::Store(_) | QueryError::Unreadable { .. } => {
                tracing::error!(error = %e, "query failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        ApiError::new(status, e.to_string())
    }
}

/// Run `f` on a store connection with the current cross-report record.
async fn with_record<T, F>(app: &App, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store, &LinkRecord) -> Result<T, ApiError> + Send + 'static,
{
    let cache = app.record.clone();
    with_store(app, move |s| {
        let rec = cache.get(s)?;
        f(s, &rec)
    })
    .await
}

fn json_response<T: serde::Serialize>(v: &T) -> ApiResult {
    Ok(axum::Json(v).into_response())
}

/// A day or a prefix of one (`2023`, `2023-06`, `2023-06-24`).
fn check_day(name: &str, d: &Option<String>) -> Result<(), ApiError> {
    if let Some(d) = d {
        let ok = !d.is_empty()
            && d.len() <= 10
            && d.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !ok {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("{name} {d:?} is not a day (YYYY-MM-DD, or YYYY-MM, or YYYY)"),
            ));
        }
    }
    Ok(())
}

const MAX_PAGE: usize = 10_000;

#[derive(Deserialize)]
struct TimelineParams {
    story: Option<usize>,
    actor: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

async fn timeline(State(app): State<App>, Q(p): Q<TimelineParams>) -> ApiResult {
    check_day("from", &p.from)?;
    check_day("to", &p.to)?;
    let limit = p.limit.unwrap_or(1000).min(MAX_PAGE);
    let offset = p.offset.unwrap_or(0);
    let filter = TimelineFilter {
        story: p.story,
        actor: p.actor.filter(|a| !a.trim().is_empty()),
        from: p.from,
        to: p.to,
    };
    let body = with_record(&app, move |_, rec| {
        let events = query::timeline(rec, &filter);
        let page: Vec<_> = events.iter().skip(offset).take(limit).collect();
        Ok(json!({
            "total": events.len(),
            "offset": offset,
            "limit": limit,
            "reports": rec.reports.len(),
            "events": page,
        }))
    })
    .await?;
    json_response(&body)
}

#[derive(Deserialize)]
struct PageParams {
    limit: Option<usize>,
    offset: Option<usize>,
    /// Only stories with at least this many reports.
    min_reports: Option<usize>,
    /// Entities of this kind only (`person`, `organisation`, `place`).
    kind: Option<String>,
}

async fn stories(State(app): State<App>, Q(p): Q<PageParams>) -> ApiResult {
    let limit = p.limit.unwrap_or(1000).min(MAX_PAGE);
    let offset = p.offset.unwrap_or(0);
    let min = p.min_reports.unwrap_or(0);
    let body = with_record(&app, move |_, rec| {
        let all: Vec<_> = rec.stories.iter().filter(|s| s.reports >= min).collect();
        let page: Vec<_> = all.iter().skip(offset).take(limit).collect();
        Ok(json!({
            "total": all.len(),
            "offset": offset,
            "limit": limit,
            "reports": rec.reports.len(),
            "copies": rec.copies.len(),
            "warnings": rec.warnings,
            "stories": page,
        }))
    })
    .await?;
    json_response(&body)
}

async fn story(State(app): State<App>, P(id): P<usize>) -> ApiResult {
    let page = with_record(&app, move |_, rec| Ok(query::story_page(rec, id)?)).await?;
    json_response(&page)
}

async fn event(State(app): State<App>, P(id): P<String>) -> ApiResult {
    let e = with_record(&app, move |_, rec| {
        rec.events
            .iter()
            .find(|e| e.id == id)
            .cloned()
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no merged event {id:?}")))
    })
    .await?;
    json_response(&e)
}

/// What to take out of a merged event.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SplitBody {
    claim: Option<String>,
    report: Option<String>,
    #[serde(default)]
    reason: String,
}

/// Undo a merge: take a claim or a report's mentions out of a merged event (a write: needs the
/// token when one is set).
async fn split_event(
    State(app): State<App>,
    P(id): P<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    authorize(&app.config, &headers)?;
    let body = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let b: SplitBody = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("bad JSON body ({e}): send {{\"claim\": \"REPORT:cN\"}} or {{\"report\": \"REPORT\"}}, and a \"reason\""),
        )
    })?;
    let take = match (b.claim, b.report) {
        (Some(c), None) => dossier_pipeline::split::Take::Claim(c),
        (None, Some(r)) => dossier_pipeline::split::Take::Report(r),
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "say what to take out: exactly one of \"claim\" or \"report\"",
            ));
        }
    };
    let cache = app.record.clone();
    let done = with_store(&app, move |s| {
        let rec = cache.get(s)?;
        Ok(dossier_pipeline::split::split(
            s, &rec, &id, &take, &b.reason,
        )?)
    })
    .await?;
    json_response(&done)
}

async fn list_splits(State(app): State<App>) -> ApiResult {
    let s = with_store(&app, move |s| Ok(dossier_pipeline::split::load(s)?.0)).await?;
    json_response(&s.splits)
}

#[derive(Deserialize)]
struct TextQuery {
    q: Option<String>,
    limit: Option<usize>,
}

fn required(q: Option<String>) -> Result<String, ApiError> {
    q.filter(|q| !q.trim().is_empty()).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "missing query: pass ?q=TEXT (an id, a name or some words)",
        )
    })
}

async fn trace_q(State(app): State<App>, Q(p): Q<TextQuery>) -> ApiResult {
    let q = required(p.q)?;
    let t = with_record(&app, move |s, rec| Ok(query::trace(s, rec, &q)?)).await?;
    json_response(&t)
}

async fn trace_id(State(app): State<App>, P(id): P<String>) -> ApiResult {
    let t = with_record(&app, move |s, rec| Ok(query::trace(s, rec, &id)?)).await?;
    json_response(&t)
}

async fn actors(State(app): State<App>, Q(p): Q<TextQuery>) -> ApiResult {
    let q = required(p.q)?;
    let limit = p.limit.unwrap_or(20).min(MAX_PAGE);
    let hits = with_record(&app, move |_, rec| {
        Ok(query::find_entities(rec, &q)
            .into_iter()
            .take(limit)
            .cloned()
            .collect::<Vec<_>>())
    })
    .await?;
    json_response(&hits)
}

async fn actor(State(app): State<App>, P(name): P<String>) -> ApiResult {
    let page = with_record(&app, move |s, rec| Ok(query::actor(s, rec, &name)?)).await?;
    json_response(&page)
}

async fn entities(State(app): State<App>, Q(p): Q<PageParams>) -> ApiResult {
    let limit = p.limit.unwrap_or(1000).min(MAX_PAGE);
    let offset = p.offset.unwrap_or(0);
    let kind = match p.kind.as_deref().map(str::to_lowercase).as_deref() {
        None | Some("") => None,
        Some("person") => Some("person"),
        Some("organisation") | Some("organization") => Some("organisation"),
        Some("place") => Some("place"),
        Some(k) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("kind {k:?} is not person, organisation or place"),
            ));
        }
    };
    let body = with_record(&app, move |_, rec| {
        let mut all: Vec<_> = rec
            .entities
            .iter()
            .filter(|e| {
                kind.is_none_or(|k| {
                    serde_json::to_value(e.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_lowercase))
                        .is_some_and(|v| v == k)
                })
            })
            .collect();
        all.sort_by(|a, b| b.reports.cmp(&a.reports).then(a.id.cmp(&b.id)));
        let page: Vec<_> = all.iter().skip(offset).take(limit).collect();
        Ok(json!({"total": all.len(), "offset": offset, "limit": limit, "entities": page}))
    })
    .await?;
    json_response(&body)
}

#[derive(Deserialize)]
struct TextParams {
    revision: Option<i64>,
    start: Option<usize>,
    end: Option<usize>,
}

/// A report's clean text with its blocks and stored analysis, for evidence links; `start` and
/// `end` (byte offsets) pick the span to highlight.
async fn report_text(State(app): State<App>, P(id): P<String>, Q(p): Q<TextParams>) -> ApiResult {
    let body = with_store(&app, move |s| {
        let rid = ReportId(id.clone());
        let Some(r) = s.report(&rid, p.revision)? else {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no report {id:?} (or no such revision)"),
            ));
        };
        let text = &r.document.text;
        let highlight = match (p.start, p.end) {
            (None, None) => None,
            (Some(a), Some(b)) => {
                if a > b || b > text.len() || !text.is_char_boundary(a) || !text.is_char_boundary(b)
                {
                    return Err(ApiError::new(
                        StatusCode::BAD_REQUEST,
                        format!(
                            "span {a}..{b} is not inside the text ({} bytes) on character boundaries",
                            text.len()
                        ),
                    ));
                }
                Some(json!({"start": a, "end": b, "text": &text[a..b]}))
            }
            _ => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "give both start and end",
                ));
            }
        };
        let analysis: Option<Value> = match s.analysis(&rid, r.revision)? {
            Some((version, json)) => Some(json!({
                "version": version,
                "result": serde_json::from_str::<Value>(&json).map_err(|e| ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("the analysis of {id} is unreadable: {e}"),
                ))?,
            })),
            None => None,
        };
        let m = &r.document.metadata;
        Ok(json!({
            "id": r.id,
            "revision": r.revision,
            "url": r.url,
            "title": m.title.as_ref().map(|t| &t.value),
            "outlet": m.outlet.name.clone().or_else(|| m.outlet.domain.clone()),
            "published": m.published.as_ref().map(|p| p.value),
            "text": text,
            "blocks": r.document.blocks,
            "highlight": highlight,
            "analysis": analysis,
        }))
    })
    .await?;
    json_response(&body)
}
