//! The SQLite store: one file, WAL journal, numbered migrations.

use std::path::Path;

use chrono::Utc;
use dossier_core::ReportId;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::{
    ClaimHit, ClaimText, Claimed, LinkState, ListQuery, NewReport, PutOutcome, ReportSummary,
    Result, RevisionRow, SearchHit, Sequenced, Store, StoreError, StoreStats, StoredReport,
    compress, decompress, now_secs, revision_values, search_words,
};

/// Numbered migrations, applied in order; never edit one that has shipped.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_reports.sql"),
    include_str!("../migrations/0002_analysis.sql"),
    include_str!("../migrations/0003_search.sql"),
    include_str!("../migrations/0004_input_hash.sql"),
    include_str!("../migrations/0005_link_state.sql"),
    include_str!("../migrations/0006_claim_search.sql"),
];

pub struct SqliteStore {
    conn: Connection,
    path: String,
}

impl SqliteStore {
    /// Open (creating if needed) the store at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let name = path.display().to_string();
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
            && !parent.exists()
        {
            return Err(StoreError::Open {
                path: name,
                reason: "its folder does not exist".into(),
            });
        }
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: name.clone(),
            reason: e.to_string(),
        })?;
        Self::init(conn, name)
    }

    /// A private in-memory store (tests, `analyse`).
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, ":memory:".into())
    }

    fn init(conn: Connection, path: String) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        // WAL: readers never block the writer, and a killed process loses nothing committed.
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| StoreError::Open {
                path: path.clone(),
                reason: format!("not a dossier store ({e})"),
            })?;
        tracing::debug!(journal_mode = %mode, "opened sqlite store");
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")?;
        let mut store = SqliteStore { conn, path };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
            tracing::info!(migration = i + 1, store = %self.path, "applied migration");
        }
        Ok(())
    }

    pub fn path(&self) -> &str {
        &self.path
    }
}

/// Quote every word of a user's query so FTS5 syntax in it is taken literally; all words must
/// match.
fn fts5_query(q: &str) -> String {
    search_words(q)
        .into_iter()
        // A quote would end the quoting.
        .map(|w| w.replace('"', ""))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

impl SqliteStore {
    fn summary(&self, id: &ReportId) -> Result<Option<ReportSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS}
             FROM reports r JOIN revisions v ON v.report_id = r.id AND v.revision = r.latest_revision
             WHERE r.id = ?1"
        ))?;
        Ok(stmt.query_row([id.as_str()], summary_row).optional()?)
    }
}

const SUMMARY_COLUMNS: &str =
    "r.id, v.revision, v.title, v.outlet, v.outlet_domain, v.published, r.url,
    v.input, v.is_article, v.language, length(json_extract(v.document, '$.text'))";

fn summary_row(row: &rusqlite::Row) -> rusqlite::Result<ReportSummary> {
    Ok(ReportSummary {
        id: ReportId(row.get(0)?),
        revision: row.get(1)?,
        title: row.get(2)?,
        outlet: row.get(3)?,
        outlet_domain: row.get(4)?,
        published: row.get(5)?,
        url: row.get(6)?,
        input: row.get(7)?,
        is_article: row.get(8)?,
        language: row.get(9)?,
        chars: row.get::<_, Option<i64>>(10)?.unwrap_or(0),
    })
}

impl Store for SqliteStore {
    fn put_reports(&mut self, batch: &[NewReport]) -> Result<Vec<PutOutcome>> {
        let now = Utc::now().to_rfc3339();
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        {
            let mut find_hash = tx.prepare_cached(
                "SELECT 1 FROM revisions WHERE report_id = ?1 AND content_hash = ?2",
            )?;
            let mut latest =
                tx.prepare_cached("SELECT latest_revision FROM reports WHERE id = ?1")?;
            let mut insert_report = tx.prepare_cached(
                "INSERT INTO reports (id, url, first_seen, latest_revision) VALUES (?1, ?2, ?3, 1)",
            )?;
            let mut bump = tx.prepare_cached(
                "UPDATE reports SET latest_revision = ?2, url = COALESCE(url, ?3) WHERE id = ?1",
            )?;
            // A report's search row is found through `search_rows` (indexed), never by scanning
            // the full-text table.
            let mut search_row =
                tx.prepare_cached("SELECT row FROM search_rows WHERE report_id = ?1")?;
            let mut new_search_row =
                tx.prepare_cached("INSERT INTO search_rows (report_id) VALUES (?1)")?;
            let mut drop_search =
                tx.prepare_cached("DELETE FROM report_search WHERE rowid = ?1")?;
            let mut add_search = tx.prepare_cached(
                "INSERT INTO report_search (rowid, report_id, title, body) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut insert_rev = tx.prepare_cached(
                "INSERT INTO revisions (report_id, revision, content_hash, ingested_at, input, format,
                    record, title, outlet, outlet_domain, published, fetched, language, is_article,
                    charset, document, raw, raw_len, input_hash, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                         (SELECT COALESCE(MAX(seq), 0) + 1 FROM revisions))",
            )?;
            for nr in batch {
                let r = &nr.report;
                let id = r.id.as_str();
                if find_hash
                    .query_row(params![id, r.content_hash.0], |_| Ok(()))
                    .optional()?
                    .is_some()
                {
                    outcomes.push(PutOutcome::Unchanged);
                    continue;
                }
                let prev: Option<i64> = latest.query_row([id], |row| row.get(0)).optional()?;
                let revision = match prev {
                    None => {
                        insert_report.execute(params![id, r.url, now])?;
                        outcomes.push(PutOutcome::Stored);
                        1
                    }
                    Some(n) => {
                        bump.execute(params![id, n + 1, r.url])?;
                        outcomes.push(PutOutcome::Revised);
                        n + 1
                    }
                };
                let v = revision_values(nr, revision, &now)?;
                let row: i64 = match search_row.query_row([id], |r| r.get(0)).optional()? {
                    Some(row) => {
                        drop_search.execute([row])?;
                        row
                    }
                    None => {
                        new_search_row.execute([id])?;
                        tx.last_insert_rowid()
                    }
                };
                add_search.execute(params![row, id, v.title, r.document.text])?;
                insert_rev.execute(params![
                    v.id,
                    v.revision,
                    v.content_hash,
                    v.ingested_at,
                    v.input,
                    v.format,
                    v.record,
                    v.title,
                    v.outlet,
                    v.outlet_domain,
                    v.published,
                    v.fetched,
                    v.language,
                    v.is_article,
                    v.charset,
                    v.document,
                    compress(&nr.raw),
                    v.raw_len,
                    v.input_hash,
                ])?;
            }
        }
        tx.commit()?;
        Ok(outcomes)
    }

    fn report(&self, id: &ReportId, revision: Option<i64>) -> Result<Option<StoredReport>> {
        let row = self
            .conn
            .query_row(
                "SELECT v.revision, r.latest_revision, r.url, v.content_hash, v.ingested_at, v.input,
                        v.format, v.record, v.charset, v.fetched, v.document
                 FROM reports r JOIN revisions v ON v.report_id = r.id
                 WHERE r.id = ?1 AND v.revision = COALESCE(?2, r.latest_revision)",
                params![id.as_str(), revision],
                |row| {
                    revision_row(row, 0)
                },
            )
            .optional()?;
        row.map(|r| r.into_stored(id)).transpose()
    }

    fn reports_after(
        &self,
        after: Option<&ReportId>,
        limit: usize,
    ) -> Result<Vec<(StoredReport, Option<String>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, v.revision, r.latest_revision, r.url, v.content_hash, v.ingested_at, v.input,
                    v.format, v.record, v.charset, v.fetched, v.document, v.analysis
             FROM reports r JOIN revisions v ON v.report_id = r.id AND v.revision = r.latest_revision
             WHERE ?1 IS NULL OR r.id > ?1
             ORDER BY r.id LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![after.map(|a| a.as_str()), limit as i64], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    revision_row(row, 1)?,
                    row.get::<_, Option<String>>(12)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, row, analysis)| Ok((row.into_stored(&ReportId(id))?, analysis)))
            .collect()
    }

    fn raw(&self, id: &ReportId, revision: i64) -> Result<Option<Vec<u8>>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT raw FROM revisions WHERE report_id = ?1 AND revision = ?2",
                params![id.as_str(), revision],
                |r| r.get(0),
            )
            .optional()?;
        blob.map(|b| decompress(&b).map_err(StoreError::from))
            .transpose()
    }

    fn list_reports(&self, q: &ListQuery) -> Result<Vec<ReportSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SUMMARY_COLUMNS}
             FROM reports r JOIN revisions v ON v.report_id = r.id AND v.revision = r.latest_revision
             WHERE (?1 IS NULL OR v.outlet = ?1 OR v.outlet_domain = ?1)
             ORDER BY v.published IS NULL, v.published DESC, r.id
             LIMIT ?2"
        ))?;
        let limit = q.limit.map(|l| l as i64).unwrap_or(-1);
        let rows = stmt.query_map(params![q.outlet, limit], summary_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn known_inputs(&self, hashes: &[String]) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM revisions WHERE input_hash = ?1 LIMIT 1")?;
        let mut known = std::collections::HashSet::new();
        for h in hashes {
            if stmt.exists([h])? {
                known.insert(h.clone());
            }
        }
        Ok(known)
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let q = fts5_query(query);
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare(
            "SELECT s.report_id, snippet(report_search, 2, '[', ']', '…', 12), bm25(report_search)
             FROM report_search s WHERE report_search MATCH ?1
             ORDER BY bm25(report_search) LIMIT ?2",
        )?;
        let hits = stmt
            .query_map(params![q, limit as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, f64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(hits.len());
        for (id, snippet, rank) in hits {
            if let Some(summary) = self.summary(&ReportId(id))? {
                out.push(SearchHit {
                    summary,
                    snippet,
                    score: -rank,
                });
            }
        }
        Ok(out)
    }

    fn ping(&self) -> Result<()> {
        self.conn.query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }

    fn check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    fn claim_for_analysis(
        &mut self,
        worker: &str,
        version: &str,
        limit: usize,
        lease_secs: i64,
    ) -> Result<Vec<Claimed>> {
        let now = now_secs();
        // IMMEDIATE: take the write lock first, so two processes never claim the same rows.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let claimed = {
            let mut stmt = tx.prepare(
                "UPDATE revisions SET claimed_by = ?1, claimed_until = ?2
                 WHERE rowid IN (
                    SELECT v.rowid FROM revisions v JOIN reports r
                      ON r.id = v.report_id AND r.latest_revision = v.revision
                    WHERE (v.analysis_version IS NULL OR v.analysis_version < ?3
                           OR v.analysis_version > ?3)
                      AND (v.claimed_until IS NULL OR v.claimed_until < ?4)
                    ORDER BY v.ingested_at, v.report_id LIMIT ?5)
                 RETURNING report_id, revision, document",
            )?;
            let rows = stmt.query_map(
                params![worker, now + lease_secs, version, now, limit as i64],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                },
            )?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        tx.commit()?;
        claimed
            .into_iter()
            .map(|(id, revision, doc)| {
                let document = serde_json::from_str(&doc)
                    .map_err(|e| StoreError::Corrupt(id.clone(), format!("document: {e}")))?;
                Ok(Claimed {
                    id: ReportId(id),
                    revision,
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE revisions SET analysis = ?4, analysis_version = ?5, analysed_at = ?6,
                    claimed_by = NULL, claimed_until = NULL
             WHERE report_id = ?1 AND revision = ?2 AND claimed_by = ?3",
            params![
                id.as_str(),
                revision,
                worker,
                analysis,
                version,
                Utc::now().to_rfc3339()
            ],
        )?;
        if n != 1 {
            return Ok(false);
        }
        // Only the latest revision's claims are searchable; an older revision analysed late
        // must not replace them.
        let latest: Option<i64> = tx
            .query_row(
                "SELECT latest_revision FROM reports WHERE id = ?1",
                [id.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        if latest == Some(revision) {
            // The report's old claim rows, by an indexed lookup (see migration 6).
            let old: Vec<i64> = tx
                .prepare_cached("SELECT row FROM claim_rows WHERE report_id = ?1")?
                .query_map([id.as_str()], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            {
                let mut drop = tx.prepare_cached("DELETE FROM claim_search WHERE rowid = ?1")?;
                for row in old {
                    drop.execute([row])?;
                }
            }
            tx.execute("DELETE FROM claim_rows WHERE report_id = ?1", [id.as_str()])?;
            let mut new_row =
                tx.prepare_cached("INSERT INTO claim_rows (report_id) VALUES (?1)")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO claim_search
                   (rowid, report_id, revision, claim, start, end, commitment, text, chain)
                 VALUES (?9, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for c in claims {
                new_row.execute([id.as_str()])?;
                let row = tx.last_insert_rowid();
                insert.execute(params![
                    id.as_str(),
                    revision,
                    c.claim,
                    c.start,
                    c.end,
                    c.commitment,
                    c.text,
                    c.chain,
                    row
                ])?;
            }
        }
        tx.commit()?;
        Ok(true)
    }

    fn search_claims(&self, query: &str, limit: usize) -> Result<Vec<ClaimHit>> {
        let q = fts5_query(query);
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare(
            "SELECT s.report_id, s.claim, s.start, s.end, s.commitment, s.text, s.chain,
                    snippet(claim_search, 6, '[', ']', '…', 16), bm25(claim_search)
             FROM claim_search s
             JOIN reports r ON r.id = s.report_id AND r.latest_revision = s.revision
             WHERE claim_search MATCH ?1
             ORDER BY bm25(claim_search), s.report_id, s.start LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![q, limit as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    ClaimText {
                        claim: r.get(1)?,
                        start: r.get(2)?,
                        end: r.get(3)?,
                        commitment: r.get(4)?,
                        text: r.get(5)?,
                        chain: r.get(6)?,
                    },
                    r.get::<_, String>(7)?,
                    r.get::<_, f64>(8)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, claim, snippet, rank) in rows {
            if let Some(report) = self.summary(&ReportId(id))? {
                out.push(ClaimHit {
                    id: format!("{}:{}", report.id, claim.claim),
                    report,
                    claim,
                    snippet,
                    score: -rank,
                });
            }
        }
        Ok(out)
    }

    fn analysis(&self, id: &ReportId, revision: i64) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT analysis_version, analysis FROM revisions
                 WHERE report_id = ?1 AND revision = ?2 AND analysis IS NOT NULL",
                params![id.as_str(), revision],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    fn pending_analysis(&self, version: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM revisions v JOIN reports r
               ON r.id = v.report_id AND r.latest_revision = v.revision
             WHERE v.analysis_version IS NULL OR v.analysis_version < ?1
                OR v.analysis_version > ?1",
            [version],
            |r| r.get(0),
        )?)
    }

    fn revisions_by_seq(&self, after: i64, limit: usize) -> Result<Vec<Sequenced>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.report_id, v.revision, r.latest_revision, r.url, v.content_hash, v.ingested_at,
                    v.input, v.format, v.record, v.charset, v.fetched, v.document, v.analysis,
                    v.analysis_version, v.seq
             FROM revisions v JOIN reports r ON r.id = v.report_id
             WHERE v.seq > ?1 ORDER BY v.seq LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![after, limit as i64], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    revision_row(row, 1)?,
                    row.get::<_, Option<String>>(12)?,
                    row.get::<_, Option<String>>(13)?,
                    row.get::<_, i64>(14)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, row, analysis, version, seq)| {
                let latest = row.revision == row.latest;
                Ok(Sequenced {
                    seq,
                    report: row.into_stored(&ReportId(id))?,
                    latest,
                    analysis: version.zip(analysis),
                })
            })
            .collect()
    }

    fn link_generation(&self, name: &str) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT generation, version FROM link_state WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    fn link_state(&self, name: &str) -> Result<Option<LinkState>> {
        let row: Option<(i64, String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT generation, version, state FROM link_state WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(|(generation, version, blob)| {
            Ok(LinkState {
                generation,
                version,
                state: decompress(&blob)?,
            })
        })
        .transpose()
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: Option<i64> = tx
            .query_row(
                "SELECT generation FROM link_state WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .optional()?;
        if current != expected {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO link_state (name, generation, version, state, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (name) DO UPDATE SET generation = excluded.generation,
                version = excluded.version, state = excluded.state, updated_at = excluded.updated_at",
            params![name, expected.unwrap_or(0) + 1, version, blob, now],
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn stats(&self) -> Result<StoreStats> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM revisions),
                    (SELECT count(DISTINCT COALESCE(outlet_domain, outlet)) FROM revisions),
                    (SELECT COALESCE(sum(raw_len), 0) FROM revisions)",
            [],
            |r| {
                Ok(StoreStats {
                    reports: r.get(0)?,
                    revisions: r.get(1)?,
                    outlets: r.get(2)?,
                    raw_bytes: r.get(3)?,
                })
            },
        )?)
    }
}

/// The revision columns of a row, in the order every query here selects them (revision, latest
/// revision, url, content hash, ingested at, input, format, record, charset, fetched,
/// document), starting at column `first`.
fn revision_row(row: &rusqlite::Row, first: usize) -> rusqlite::Result<RevisionRow> {
    Ok(RevisionRow {
        revision: row.get(first)?,
        latest: row.get(first + 1)?,
        url: row.get(first + 2)?,
        content_hash: row.get(first + 3)?,
        ingested_at: row.get(first + 4)?,
        input: row.get(first + 5)?,
        format: row.get(first + 6)?,
        record: row.get(first + 7)?,
        charset: row.get(first + 8)?,
        fetched: row.get(first + 9)?,
        document: row.get(first + 10)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suite_on_sqlite() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::suite::stores_revisions_and_dedupes(&mut s);
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::suite::claims_are_exclusive_and_expire(&mut s);
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::suite::orders_revisions_and_saves_link_state(&mut s);
        let mut s = SqliteStore::open_in_memory().unwrap();
        crate::suite::claims_are_searchable(&mut s);
    }

    #[test]
    fn concurrent_claims_on_one_file_are_disjoint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let batch: Vec<_> = (0..200)
            .map(|i| {
                crate::suite::report(
                    Some(&format!("https://example.org/{i}")),
                    "T",
                    &format!("body {i}"),
                )
            })
            .collect();
        SqliteStore::open(&path)
            .unwrap()
            .put_reports(&batch)
            .unwrap();
        crate::suite::claim_concurrently(|| Box::new(SqliteStore::open(&path).unwrap()), 200);
    }

    #[test]
    fn reopening_keeps_data_and_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        {
            let mut s = SqliteStore::open(&path).unwrap();
            s.put_reports(&[crate::suite::report(None, "T", "text")])
                .unwrap();
        }
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.stats().unwrap().reports, 1);
        assert_eq!(s.check().unwrap(), "ok");
    }

    #[test]
    fn refuses_a_newer_schema_and_non_stores() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::TooNew { .. })
        ));
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, vec![7u8; 4096]).unwrap();
        let err = SqliteStore::open(&junk).err().unwrap().to_string();
        assert!(err.contains("junk.db"), "{err}");
    }
}
