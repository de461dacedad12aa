//! The PostgreSQL store: the same tables and behaviour as the SQLite store, for many workers on
//! many machines. Writers of the same report serialise on a transaction-scoped advisory lock.

use std::cell::{RefCell, RefMut};

use chrono::Utc;
use dossier_core::ReportId;
use postgres::{Client, NoTls};

use crate::{
    ClaimHit, ClaimText, Claimed, LinkState, ListQuery, NewReport, PutOutcome, ReportSummary,
    Result, RevisionRow, SearchHit, Sequenced, Store, StoreError, StoreStats, StoredReport,
    compress, decompress, revision_values, search_words,
};

/// Numbered migrations, the PostgreSQL twins of the SQLite ones.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/postgres/0001_reports.sql"),
    include_str!("../migrations/postgres/0002_analysis.sql"),
    include_str!("../migrations/postgres/0003_search.sql"),
    include_str!("../migrations/postgres/0004_input_hash.sql"),
    include_str!("../migrations/postgres/0005_link_state.sql"),
    include_str!("../migrations/postgres/0006_claim_search.sql"),
];

pub struct PostgresStore {
    /// `postgres::Client` needs `&mut` even to read; the store is used from one thread.
    client: RefCell<Client>,
    url: String,
    /// Cross-report stage locks this connection holds (advisory, session-level).
    held: std::collections::HashSet<String>,
}

impl PostgresStore {
    /// Connect (`postgres://user:pass@host/db`, or key=value form) and migrate.
    pub fn open(url: &str) -> Result<Self> {
        let shown = redact(url);
        let client = Client::connect(url, NoTls).map_err(|e| StoreError::Open {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let mut s = PostgresStore {
            client: RefCell::new(client),
            url: shown,
            held: Default::default(),
        };
        s.migrate()?;
        Ok(s)
    }

    fn migrate(&mut self) -> Result<()> {
        let mut tx = self.client.get_mut().transaction()?;
        // One migrator at a time across all workers.
        tx.execute("SELECT pg_advisory_xact_lock(7715001)", &[])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )?;
        let version: i64 = tx
            .query_one(
                "SELECT COALESCE(max(version), 0) FROM schema_migrations",
                &[],
            )?
            .get(0);
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path: self.url.clone(),
                found: version,
                known,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                &[&((i + 1) as i64), &Utc::now().to_rfc3339()],
            )?;
            tracing::info!(migration = i + 1, store = %self.url, "applied migration");
        }
        tx.commit()?;
        Ok(())
    }
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        // key=value form: hide the password's value.
        Err(_) => url
            .split_whitespace()
            .map(|kv| match kv.split_once('=') {
                Some(("password", _)) => "password=***".to_string(),
                _ => kv.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

impl Store for PostgresStore {
    fn put_reports(&mut self, batch: &[NewReport]) -> Result<Vec<PutOutcome>> {
        let now = Utc::now().to_rfc3339();
        let mut tx = self.client.get_mut().transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for nr in batch {
            let r = &nr.report;
            let id = r.id.as_str();
            tx.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                &[&id],
            )?;
            let exists = tx
                .query_opt(
                    "SELECT 1 FROM revisions WHERE report_id = $1 AND content_hash = $2",
                    &[&id, &r.content_hash.0],
                )?
                .is_some();
            if exists {
                outcomes.push(PutOutcome::Unchanged);
                continue;
            }
            let prev: Option<i64> = tx
                .query_opt("SELECT latest_revision FROM reports WHERE id = $1", &[&id])?
                .map(|row| row.get(0));
            let revision = match prev {
                None => {
                    tx.execute(
                        "INSERT INTO reports (id, url, first_seen, latest_revision) VALUES ($1, $2, $3, 1)",
                        &[&id, &r.url, &now],
                    )?;
                    outcomes.push(PutOutcome::Stored);
                    1
                }
                Some(n) => {
                    tx.execute(
                        "UPDATE reports SET latest_revision = $2, url = COALESCE(url, $3) WHERE id = $1",
                        &[&id, &(n + 1), &r.url],
                    )?;
                    outcomes.push(PutOutcome::Revised);
                    n + 1
                }
            };
            let v = revision_values(nr, revision, &now)?;
            tx.execute(
                "UPDATE reports SET search = to_tsvector('simple', coalesce($2, '') || ' ' || $3) WHERE id = $1",
                &[&id, &v.title, &r.document.text],
            )?;
            tx.execute(
                "INSERT INTO revisions (report_id, revision, content_hash, ingested_at, input, format,
                    record, title, outlet, outlet_domain, published, fetched, language, is_article,
                    charset, document, raw, raw_len, input_hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
                &[
                    &v.id,
                    &v.revision,
                    &v.content_hash,
                    &v.ingested_at,
                    &v.input,
                    &v.format,
                    &v.record,
                    &v.title,
                    &v.outlet,
                    &v.outlet_domain,
                    &v.published,
                    &v.fetched,
                    &v.language,
                    &v.is_article,
                    &v.charset,
                    &v.document,
                    &compress(&nr.raw),
                    &v.raw_len,
                    &v.input_hash,
                ],
            )?;
        }
        tx.commit()?;
        Ok(outcomes)
    }

    fn report(&self, id: &ReportId, revision: Option<i64>) -> Result<Option<StoredReport>> {
        let mut client = self.client_mut();
        let row = client.query_opt(
            "SELECT v.revision, r.latest_revision, r.url, v.content_hash, v.ingested_at, v.input,
                    v.format, v.record, v.charset, v.fetched, v.document
             FROM reports r JOIN revisions v ON v.report_id = r.id
             WHERE r.id = $1 AND v.revision = COALESCE($2, r.latest_revision)",
            &[&id.as_str(), &revision],
        )?;
        row.map(|row| revision_row(&row, 0).into_stored(id))
            .transpose()
    }

    fn reports_after(
        &self,
        after: Option<&ReportId>,
        limit: usize,
    ) -> Result<Vec<(StoredReport, Option<String>)>> {
        let rows = self.client_mut().query(
            "SELECT r.id, v.revision, r.latest_revision, r.url, v.content_hash, v.ingested_at, v.input,
                    v.format, v.record, v.charset, v.fetched, v.document, v.analysis
             FROM reports r JOIN revisions v ON v.report_id = r.id AND v.revision = r.latest_revision
             WHERE $1::text IS NULL OR r.id > $1
             ORDER BY r.id LIMIT $2",
            &[&after.map(|a| a.as_str()), &(limit as i64)],
        )?;
        rows.iter()
            .map(|row| {
                let id = ReportId(row.get(0));
                let stored = revision_row(row, 1).into_stored(&id)?;
                Ok((stored, row.get(12)))
            })
            .collect()
    }

    fn raw(&self, id: &ReportId, revision: i64) -> Result<Option<Vec<u8>>> {
        let mut client = self.client_mut();
        let row = client.query_opt(
            "SELECT raw FROM revisions WHERE report_id = $1 AND revision = $2",
            &[&id.as_str(), &revision],
        )?;
        row.map(|r| decompress(&r.get::<_, Vec<u8>>(0)).map_err(StoreError::from))
            .transpose()
    }

    fn list_reports(&self, q: &ListQuery) -> Result<Vec<ReportSummary>> {
        let mut client = self.client_mut();
        let limit = q.limit.map(|l| l as i64);
        let rows = client.query(
            &format!(
                "SELECT {SUMMARY_COLUMNS}
                 FROM reports r JOIN revisions v ON v.report_id = r.id AND v.revision = r.latest_revision
                 WHERE ($1::text IS NULL OR v.outlet = $1 OR v.outlet_domain = $1)
                 ORDER BY v.published IS NULL, v.published DESC, r.id
                 LIMIT $2"
            ),
            &[&q.outlet, &limit],
        )?;
        Ok(rows.iter().map(summary_from).collect())
    }

    fn stats(&self) -> Result<StoreStats> {
        let mut client = self.client_mut();
        let row = client.query_one(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM revisions),
                    (SELECT count(DISTINCT COALESCE(outlet_domain, outlet)) FROM revisions),
                    (SELECT COALESCE(sum(raw_len), 0)::bigint FROM revisions)",
            &[],
        )?;
        Ok(StoreStats {
            reports: row.get(0),
            revisions: row.get(1),
            outlets: row.get(2),
            raw_bytes: row.get(3),
        })
    }

    fn claim_for_analysis(
        &mut self,
        worker: &str,
        version: &str,
        limit: usize,
        lease_secs: i64,
    ) -> Result<Vec<Claimed>> {
        // SKIP LOCKED: concurrent workers pass over rows another worker is claiming right now.
        let rows = self.client.get_mut().query(
            "WITH now AS (SELECT extract(epoch FROM now())::bigint AS t),
             picked AS (
                SELECT v.report_id, v.revision FROM revisions v
                JOIN reports r ON r.id = v.report_id AND r.latest_revision = v.revision, now
                WHERE (v.analysis_version IS NULL OR v.analysis_version <> $2)
                  AND (v.claimed_until IS NULL OR v.claimed_until < now.t)
                ORDER BY v.ingested_at, v.report_id
                LIMIT $3
                FOR UPDATE OF v SKIP LOCKED)
             UPDATE revisions v SET claimed_by = $1, claimed_until = (SELECT t FROM now) + $4
             FROM picked
             WHERE v.report_id = picked.report_id AND v.revision = picked.revision
             RETURNING v.report_id, v.revision, v.document",
            &[&worker, &version, &(limit as i64), &lease_secs],
        )?;
        rows.iter()
            .map(|row| {
                let id: String = row.get(0);
                let document = serde_json::from_str(row.get::<_, &str>(2))
                    .map_err(|e| StoreError::Corrupt(id.clone(), format!("document: {e}")))?;
                Ok(Claimed {
                    id: ReportId(id),
                    revision: row.get(1),
                    document,
                })
            })
            .collect()
    }

    fn put_analysis(
        &mut self,
        worker: &str,
        id: &ReportId,
        revision: i64,
        version: &str,
        analysis: &str,
        claims: &[ClaimText],
    ) -> Result<bool> {
        let mut tx = self.client.get_mut().transaction()?;
        let n = tx.execute(
            "UPDATE revisions SET analysis = $4, analysis_version = $5, analysed_at = $6,
                    claimed_by = NULL, claimed_until = NULL
             WHERE report_id = $1 AND revision = $2 AND claimed_by = $3",
            &[
                &id.as_str(),
                &revision,
                &worker,
                &analysis,
                &version,
                &Utc::now().to_rfc3339(),
            ],
        )?;
        if n != 1 {
            return Ok(false);
        }
        // Only the latest revision's claims are searchable; an older revision analysed late
        // must not replace them. The report row is locked so two analyses cannot interleave.
        let latest: Option<i64> = tx
            .query_opt(
                "SELECT latest_revision FROM reports WHERE id = $1 FOR UPDATE",
                &[&id.as_str()],
            )?
            .map(|r| r.get(0));
        if latest == Some(revision) {
            tx.execute(
                "DELETE FROM claim_search WHERE report_id = $1",
                &[&id.as_str()],
            )?;
            if !claims.is_empty() {
                let insert = tx.prepare(
                    "INSERT INTO claim_search
                       (report_id, revision, claim, start_at, end_at, commitment, text, chain)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (report_id, claim) DO NOTHING",
                )?;
                for c in claims {
                    tx.execute(
                        &insert,
                        &[
                            &id.as_str(),
                            &revision,
                            &c.claim,
                            &c.start,
                            &c.end,
                            &c.commitment,
                            &c.text,
                            &c.chain,
                        ],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(true)
    }

    fn search_claims(&self, query: &str, limit: usize) -> Result<Vec<ClaimHit>> {
        let query = search_words(query).join(" ");
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.client_mut().query(
            &format!(
                "WITH q AS (SELECT plainto_tsquery('simple', $1) AS q)
             SELECT {SUMMARY_COLUMNS},
                    c.claim, c.start_at, c.end_at, c.commitment, c.text, c.chain,
                    ts_headline('simple', c.text, q.q,
                                'StartSel=[, StopSel=], MaxWords=32, MinWords=12'),
                    ts_rank(c.search, q.q)::float8 AS rank
             FROM claim_search c
             JOIN reports r ON r.id = c.report_id AND r.latest_revision = c.revision
             JOIN revisions v ON v.report_id = r.id AND v.revision = r.latest_revision, q
             WHERE c.search @@ q.q
             ORDER BY rank DESC, r.id, c.start_at LIMIT $2"
            ),
            &[&query, &(limit as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|row| {
                let report = summary_from(row);
                let claim = ClaimText {
                    claim: row.get(11),
                    start: row.get(12),
                    end: row.get(13),
                    commitment: row.get(14),
                    text: row.get(15),
                    chain: row.get(16),
                };
                ClaimHit {
                    id: format!("{}:{}", report.id, claim.claim),
                    report,
                    claim,
                    snippet: row.get(17),
                    score: row.get(18),
                }
            })
            .collect())
    }

    fn analysis(&self, id: &ReportId, revision: i64) -> Result<Option<(String, String)>> {
        let row = self.client_mut().query_opt(
            "SELECT analysis_version, analysis FROM revisions
             WHERE report_id = $1 AND revision = $2 AND analysis IS NOT NULL",
            &[&id.as_str(), &revision],
        )?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    fn pending_analysis(&self, version: &str) -> Result<i64> {
        Ok(self
            .client_mut()
            .query_one(
                "SELECT count(*) FROM revisions v JOIN reports r
                   ON r.id = v.report_id AND r.latest_revision = v.revision
                 WHERE v.analysis_version IS NULL OR v.analysis_version <> $1",
                &[&version],
            )?
            .get(0))
    }

    fn revisions_by_seq(&self, after: i64, limit: usize) -> Result<Vec<Sequenced>> {
        let rows = self.client_mut().query(
            "SELECT v.report_id, v.revision, r.latest_revision, r.url, v.content_hash, v.ingested_at,
                    v.input, v.format, v.record, v.charset, v.fetched, v.document, v.analysis,
                    v.analysis_version, v.seq
             FROM revisions v JOIN reports r ON r.id = v.report_id
             WHERE v.seq > $1 ORDER BY v.seq LIMIT $2",
            &[&after, &(limit as i64)],
        )?;
        rows.iter()
            .map(|row| {
                let id = ReportId(row.get(0));
                let revision: i64 = row.get(1);
                let latest: i64 = row.get(2);
                let report = revision_row(row, 1).into_stored(&id)?;
                let analysis: Option<String> = row.get(12);
                let version: Option<String> = row.get(13);
                Ok(Sequenced {
                    seq: row.get(14),
                    report,
                    latest: revision == latest,
                    analysis: version.zip(analysis),
                })
            })
            .collect()
    }

    fn link_generation(&self, name: &str) -> Result<Option<(i64, String)>> {
        Ok(self
            .client_mut()
            .query_opt(
                "SELECT generation, version FROM link_state WHERE name = $1",
                &[&name],
            )?
            .map(|r| (r.get(0), r.get(1))))
    }

    fn link_state(&self, name: &str) -> Result<Option<LinkState>> {
        let row = self.client_mut().query_opt(
            "SELECT generation, version, state FROM link_state WHERE name = $1",
            &[&name],
        )?;
        row.map(|r| {
            let blob: Vec<u8> = r.get(2);
            Ok(LinkState {
                generation: r.get(0),
                version: r.get(1),
                state: decompress(&blob)?,
            })
        })
        .transpose()
    }

    fn lock_link(&mut self, name: &str) -> Result<bool> {
        if self.held.contains(name) {
            return Ok(true);
        }
        let got: bool = self
            .client_mut()
            .query_one("SELECT pg_try_advisory_lock($1)", &[&link_lock_key(name)])?
            .get(0);
        if got {
            self.held.insert(name.to_string());
        }
        Ok(got)
    }

    fn unlock_link(&mut self, name: &str) -> Result<()> {
        if self.held.remove(name) {
            self.client_mut()
                .query_one("SELECT pg_advisory_unlock($1)", &[&link_lock_key(name)])?;
        }
        Ok(())
    }

    fn put_link_state(
        &mut self,
        name: &str,
        expected: Option<i64>,
        version: &str,
        state: &[u8],
    ) -> Result<bool> {
        let blob = compress(state);
        let now = Utc::now().to_rfc3339();
        let mut client = self.client_mut();
        let mut tx = client.transaction()?;
        let current: Option<i64> = tx
            .query_opt(
                "SELECT generation FROM link_state WHERE name = $1 FOR UPDATE",
                &[&name],
            )?
            .map(|r| r.get(0));
        if current != expected {
            return Ok(false);
        }
        let next = expected.unwrap_or(0) + 1;
        let n = tx.execute(
            "INSERT INTO link_state (name, generation, version, state, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (name) DO UPDATE SET generation = EXCLUDED.generation,
                version = EXCLUDED.version, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
             WHERE link_state.generation = $6",
            &[&name, &next, &version, &blob, &now, &expected.unwrap_or(0)],
        )?;
        tx.commit()?;
        Ok(n == 1)
    }

    fn known_inputs(&self, hashes: &[String]) -> Result<std::collections::HashSet<String>> {
        if hashes.is_empty() {
            return Ok(Default::default());
        }
        let rows = self.client_mut().query(
            "SELECT DISTINCT input_hash FROM revisions WHERE input_hash = ANY($1)",
            &[&hashes],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let query = search_words(query).join(" ");
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.client_mut().query(
            &format!(
                "WITH q AS (SELECT plainto_tsquery('simple', $1) AS q)
             SELECT {SUMMARY_COLUMNS},
                    ts_headline('simple', (v.document::json)->>'text', q.q,
                                'StartSel=[, StopSel=], MaxWords=24, MinWords=8'),
                    ts_rank(r.search, q.q)::float8
             FROM reports r JOIN revisions v ON v.report_id = r.id AND v.revision = r.latest_revision, q
             WHERE r.search @@ q.q
             ORDER BY 13 DESC, r.id LIMIT $2"
            ),
            &[&query, &(limit as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|row| SearchHit {
                summary: summary_from(row),
                snippet: row.get(11),
                score: row.get(12),
            })
            .collect())
    }

    fn ping(&self) -> Result<()> {
        self.client_mut().query_one("SELECT 1", &[])?;
        Ok(())
    }

    fn check(&self) -> Result<String> {
        // PostgreSQL keeps its own files consistent; check our invariants instead.
        let mut client = self.client_mut();
        let bad: i64 = client
            .query_one(
                "SELECT count(*) FROM reports r
                 WHERE NOT EXISTS (SELECT 1 FROM revisions v WHERE v.report_id = r.id AND v.revision = r.latest_revision)",
                &[],
            )?
            .get(0);
        Ok(if bad == 0 {
            "ok".to_string()
        } else {
            format!("{bad} reports without their latest revision")
        })
    }
}

/// The columns [`summary_from`] reads, first in a query over `reports r` and `revisions v`.
const SUMMARY_COLUMNS: &str =
    "r.id, v.revision, v.title, v.outlet, v.outlet_domain, v.published, r.url,
    v.input, v.is_article, v.language, length((v.document::json)->>'text')";

fn summary_from(row: &postgres::Row) -> ReportSummary {
    ReportSummary {
        id: ReportId(row.get(0)),
        revision: row.get(1),
        title: row.get(2),
        outlet: row.get(3),
        outlet_domain: row.get(4),
        published: row.get(5),
        url: row.get(6),
        input: row.get(7),
        is_article: row.get(8),
        language: row.get(9),
        chars: row.get::<_, Option<i32>>(10).unwrap_or(0) as i64,
    }
}

impl PostgresStore {
    fn client_mut(&self) -> RefMut<'_, Client> {
        self.client.borrow_mut()
    }
}

/// The advisory lock key of a cross-report stage: FNV-1a over a fixed prefix and the name, so
/// every process derives the same key.
fn link_lock_key(name: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in b"dossier-link\0".iter().chain(name.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h as i64
}

/// The revision columns of a row, in the order every query here selects them (revision, latest
/// revision, url, content hash, ingested at, input, format, record, charset, fetched,
/// document), starting at column `first`.
fn revision_row(row: &postgres::Row, first: usize) -> RevisionRow {
    RevisionRow {
        revision: row.get(first),
        latest: row.get(first + 1),
        url: row.get(first + 2),
        content_hash: row.get(first + 3),
        ingested_at: row.get(first + 4),
        input: row.get(first + 5),
        format: row.get(first + 6),
        record: row.get(first + 7),
        charset: row.get(first + 8),
        fetched: row.get(first + 9),
        document: row.get(first + 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Connection string of the test server from the libpq variables (`pg_virtualenv` sets
    /// them). Without them the test is skipped, except in CI, where it fails.
    fn server() -> Option<String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let Some(url) = var("DOSSIER_TEST_POSTGRES") {
            return Some(url);
        }
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

    /// A fresh database on the test server, dropped afterwards.
    struct TempDb {
        admin: String,
        name: String,
    }

    impl TempDb {
        fn new(tag: &str) -> Option<Self> {
            let Some(admin) = server() else {
                if std::env::var("CI").is_ok() {
                    panic!(
                        "CI must run the store suite on PostgreSQL: run the tests under pg_virtualenv"
                    );
                }
                eprintln!("skipping PostgreSQL store test: no PGHOST or DOSSIER_TEST_POSTGRES");
                return None;
            };
            let name = format!("dossier_test_{tag}_{}", std::process::id());
            let mut c = Client::connect(&format!("{admin} dbname=postgres"), NoTls)
                .expect("connecting to the test server");
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .unwrap();
            c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
            Some(TempDb { admin, name })
        }

        fn conn(&self) -> String {
            format!("{} dbname={}", self.admin, self.name)
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            if let Ok(mut c) = Client::connect(&format!("{} dbname=postgres", self.admin), NoTls) {
                let _ = c.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
        }
    }

    #[test]
    fn suite_on_postgres() {
        let Some(db) = TempDb::new("suite") else {
            return;
        };
        let mut s = PostgresStore::open(&db.conn()).unwrap();
        crate::suite::stores_revisions_and_dedupes(&mut s);
        assert_eq!(s.check().unwrap(), "ok");
        drop(s);
        // Reopening applies no migration twice.
        let s = PostgresStore::open(&db.conn()).unwrap();
        assert_eq!(s.stats().unwrap().reports, 2);
    }

    #[test]
    fn claims_on_postgres() {
        let Some(db) = TempDb::new("claims") else {
            return;
        };
        let mut s = PostgresStore::open(&db.conn()).unwrap();
        crate::suite::claims_are_exclusive_and_expire(&mut s);
    }

    #[test]
    fn link_state_on_postgres() {
        let Some(db) = TempDb::new("linkstate") else {
            return;
        };
        let mut s = PostgresStore::open(&db.conn()).unwrap();
        crate::suite::orders_revisions_and_saves_link_state(&mut s);
    }

    #[test]
    fn one_connection_at_a_time_holds_the_link_lock() {
        let Some(db) = TempDb::new("linklock") else {
            return;
        };
        let mut a = PostgresStore::open(&db.conn()).unwrap();
        let mut b = PostgresStore::open(&db.conn()).unwrap();
        assert!(a.lock_link("main").unwrap());
        assert!(!b.lock_link("main").unwrap());
        // Another stage's lock is another lock; asking again for a held one is granted.
        assert!(b.lock_link("other").unwrap());
        assert!(a.lock_link("main").unwrap());
        a.unlock_link("main").unwrap();
        assert!(b.lock_link("main").unwrap());
        assert!(!a.lock_link("main").unwrap());
        // A connection that ends (a worker killed) frees its locks.
        drop(b);
        let mut tries = 0;
        while !a.lock_link("main").unwrap() {
            tries += 1;
            assert!(tries < 100, "the lock of a closed connection was not freed");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    #[test]
    fn claim_search_on_postgres() {
        let Some(db) = TempDb::new("claimsearch") else {
            return;
        };
        let mut s = PostgresStore::open(&db.conn()).unwrap();
        crate::suite::claims_are_searchable(&mut s);
    }

    #[test]
    fn concurrent_claims_on_postgres_are_disjoint() {
        let Some(db) = TempDb::new("concurrent") else {
            return;
        };
        let batch: Vec<_> = (0..200)
            .map(|i| {
                crate::suite::report(
                    Some(&format!("https://example.org/{i}")),
                    "T",
                    &format!("body {i}"),
                )
            })
            .collect();
        PostgresStore::open(&db.conn())
            .unwrap()
            .put_reports(&batch)
            .unwrap();
        let conn = db.conn();
        crate::suite::claim_concurrently(|| Box::new(PostgresStore::open(&conn).unwrap()), 200);
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            redact("host=h password=pw user=u"),
            "host=h password=*** user=u"
        );
    }
}
