//! The ingest pipeline: a reader thread streams raw reports, extraction runs in parallel
//! (rayon), and the store commits them in batches. A batch is acknowledged only after its
//! transaction commits, so a kill at any moment loses nothing acknowledged.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use dossier_core::RawReport;
use dossier_ingest::{Item, Options, Rejection};
use dossier_store::{NewReport, PutOutcome, Store};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What an ingest did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    /// New reports.
    pub stored: usize,
    /// New revisions of reports already stored.
    pub revised: usize,
    /// Reports whose content was already stored.
    pub unchanged: usize,
    /// Archive records that are not reports (requests, images, redirects).
    pub skipped: usize,
    pub rejected: Vec<Rejection>,
    /// Input bytes of the reports read.
    pub bytes: u64,
    pub seconds: f64,
}

/// Progress callbacks, so the CLI can draw a bar and tests can watch.
pub trait Progress {
    fn committed(&mut self, summary: &Summary, ids: &[(String, PutOutcome)]);
    fn rejected(&mut self, rejection: &Rejection);
}

/// No progress output.
pub struct Silent;

impl Progress for Silent {
    fn committed(&mut self, _: &Summary, _: &[(String, PutOutcome)]) {}
    fn rejected(&mut self, _: &Rejection) {}
}

const BATCH: usize = 128;

/// Ingest every path into the store.
pub fn ingest(
    store: &mut dyn Store,
    paths: Vec<PathBuf>,
    opts: Options,
    progress: &mut dyn Progress,
) -> Result<Summary, dossier_store::StoreError> {
    ingest_items(
        store,
        move |emit| dossier_ingest::read_paths(&paths, &opts, emit),
        progress,
    )
}

/// Ingest whatever `read` emits (it runs on a reader thread) into the store.
pub fn ingest_items<F>(
    store: &mut dyn Store,
    read: F,
    progress: &mut dyn Progress,
) -> Result<Summary, dossier_store::StoreError>
where
    F: FnOnce(&mut dyn FnMut(Item)) + Send + 'static,
{
    let start = std::time::Instant::now();
    let (tx, rx) = crossbeam_channel::bounded::<Item>(BATCH * 2);
    let reader = std::thread::Builder::new()
        .name("dossier-reader".into())
        .spawn(move || {
            read(&mut |item| {
                // The receiver only goes away when storing failed; stop reading then.
                let _ = tx.send(item);
            });
        })
        .expect("spawning the reader thread");
    let mut summary = Summary::default();
    let mut batch: Vec<RawReport> = Vec::with_capacity(BATCH);
    let mut done = false;
    while !done {
        batch.clear();
        match rx.recv() {
            Ok(item) => take(item, &mut batch, &mut summary, progress),
            Err(_) => done = true,
        }
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(item) => take(item, &mut batch, &mut summary, progress),
                Err(crossbeam_channel::TryRecvError::Empty) => {
                    if batch.is_empty() {
                        break;
                    }
                    // Wait a little for more so that commits are not one report each.
                    match rx.recv_timeout(std::time::Duration::from_millis(20)) {
                        Ok(item) => take(item, &mut batch, &mut summary, progress),
                        Err(crossbeam_channel::RecvTimeoutError::Timeout) => break,
                        Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                            done = true;
                            break;
                        }
                    }
                }
                Err(crossbeam_channel::TryRecvError::Disconnected) => {
                    done = true;
                    break;
                }
            }
        }
        if batch.is_empty() {
            continue;
        }
        // Inputs already stored byte for byte (a resumed archive, a re-read folder) are not
        // extracted again.
        let hashes: Vec<String> = batch.par_iter().map(RawReport::input_hash).collect();
        let known = store.known_inputs(&hashes)?;
        let total = hashes.len();
        let fresh: Vec<(RawReport, String)> = std::mem::take(&mut batch)
            .into_iter()
            .zip(hashes)
            .filter(|(_, h)| !known.contains(h))
            .collect();
        summary.unchanged += total - fresh.len();
        let built: Vec<Result<NewReport, Rejection>> = fresh
            .into_par_iter()
            .map(|(raw, hash)| build_hashed(raw, hash))
            .collect();
        let mut new = Vec::with_capacity(built.len());
        for b in built {
            match b {
                Ok(n) => new.push(n),
                Err(r) => {
                    progress.rejected(&r);
                    summary.rejected.push(r);
                }
            }
        }
        let outcomes = store.put_reports(&new)?;
        let mut ids = Vec::with_capacity(new.len());
        for (n, o) in new.iter().zip(&outcomes) {
            summary.bytes += n.raw.len() as u64;
            match o {
                PutOutcome::Stored => summary.stored += 1,
                PutOutcome::Revised => summary.revised += 1,
                PutOutcome::Unchanged => summary.unchanged += 1,
            }
            ids.push((n.report.id.to_string(), *o));
        }
        progress.committed(&summary, &ids);
    }
    drop(rx);
    let _ = reader.join();
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

fn take(
    item: Item,
    batch: &mut Vec<RawReport>,
    summary: &mut Summary,
    progress: &mut dyn Progress,
) {
    match item {
        Item::Raw(r) => batch.push(*r),
        Item::Rejected(r) => {
            progress.rejected(&r);
            summary.rejected.push(r);
        }
        Item::Skipped => summary.skipped += 1,
    }
}

/// Extract one raw report. A panic in extraction becomes a rejection of that input only.
pub fn build(raw: RawReport) -> Result<NewReport, Rejection> {
    let hash = raw.input_hash();
    build_hashed(raw, hash)
}

fn build_hashed(raw: RawReport, input_hash: String) -> Result<NewReport, Rejection> {
    let name = raw.origin.to_string();
    match std::panic::catch_unwind(AssertUnwindSafe(|| dossier_ingest::build_report(raw))) {
        Ok(Ok((report, raw))) => Ok(NewReport {
            report,
            raw,
            input_hash: Some(input_hash),
        }),
        Ok(Err(r)) => Err(r),
        Err(_) => Err(Rejection {
            input: name,
            reason: "internal error while extracting (please report this input)".into(),
        }),
    }
}
