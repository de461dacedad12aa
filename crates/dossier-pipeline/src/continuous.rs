//! Continuous ingest: watching folders for new or changed files, and following feeds (files or
//! http(s) URLs) on a schedule. Each round is an ordinary ingest followed by analysis, so what
//! was already stored is recognised as unchanged.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use dossier_ingest::{Item, Options, Rejection};
use dossier_store::Store;
use serde::{Deserialize, Serialize};

use crate::{Summary, WorkOptions, ingest, ingest_items, work};

/// What one round of watching or following did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Round {
    pub round: u64,
    /// The inputs read this round (changed files, fetched feeds).
    pub inputs: usize,
    pub summary: Summary,
    pub analysed: usize,
}

/// Parse a duration such as `15m`, `30s`, `1h`, `2h30m`, `500ms` or a plain number of seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(secs) = s.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let mut total = Duration::ZERO;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num.parse().ok()?;
        num.clear();
        let unit = match (c, chars.peek()) {
            ('m', Some('s')) => {
                chars.next();
                Duration::from_millis(n)
            }
            ('s', _) => Duration::from_secs(n),
            ('m', _) => Duration::from_secs(n * 60),
            ('h', _) => Duration::from_secs(n * 3600),
            ('d', _) => Duration::from_secs(n * 86400),
            _ => return None,
        };
        total += unit;
        any = true;
    }
    if !num.is_empty() || !any {
        return None;
    }
    Some(total)
}

/// Files under `roots` (recursively, hidden entries skipped) with their size and mtime.
fn snapshot(roots: &[PathBuf]) -> HashMap<PathBuf, (u64, SystemTime)> {
    let mut out = HashMap::new();
    let mut stack: Vec<PathBuf> = roots.to_vec();
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                for e in rd.flatten() {
                    if !e.file_name().to_string_lossy().starts_with('.') {
                        stack.push(e.path());
                    }
                }
            }
        } else if meta.is_file() {
            out.insert(
                p,
                (
                    meta.len(),
                    meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                ),
            );
        }
    }
    out
}

/// Watch folders: every `every`, ingest files that are new or whose size or mtime changed since
/// the last round (the first round reads everything). A file still being written is picked up
/// once its size has stayed the same for one round. Runs until `stop` is set.
pub fn watch(
    store: &mut dyn Store,
    roots: &[PathBuf],
    opts: &Options,
    every: Duration,
    stop: Arc<AtomicBool>,
    on_round: &mut dyn FnMut(&Round),
) -> Result<(), dossier_store::StoreError> {
    let mut seen: HashMap<PathBuf, (u64, SystemTime)> = HashMap::new();
    let mut previous = HashMap::new();
    let mut round = 0u64;
    while !stop.load(Ordering::SeqCst) {
        let now = snapshot(roots);
        let mut changed: Vec<PathBuf> = now
            .iter()
            .filter(|(p, stamp)| {
                seen.get(*p) != Some(stamp)
                    // Stable for one round (or first sight at start-up): not mid-write.
                    && (round == 0 || previous.get(*p) == Some(*stamp))
            })
            .map(|(p, _)| p.clone())
            .filter(|p| {
                opts.skip.is_empty()
                    || !opts
                        .skip
                        .contains(&std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            })
            .collect();
        changed.sort();
        if !changed.is_empty() {
            round += 1;
            for p in &changed {
                seen.insert(p.clone(), now[p]);
            }
            let summary = ingest(store, changed.clone(), opts.clone(), &mut crate::Silent)?;
            let w = work(store, &WorkOptions::default())?;
            on_round(&Round {
                round,
                inputs: changed.len(),
                summary,
                analysed: w.analysed,
            });
        } else if round == 0 {
            round = 1;
        }
        previous = now;
        sleep_until_stopped(every, &stop);
    }
    Ok(())
}

fn sleep_until_stopped(d: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(50);
    let mut left = d;
    while left > Duration::ZERO && !stop.load(Ordering::SeqCst) {
        let s = left.min(step);
        std::thread::sleep(s);
        left = left.saturating_sub(s);
    }
}

/// A feed to follow: a local file or an http(s) URL, with the validators of its last fetch.
#[derive(Debug, Clone)]
pub struct Followed {
    pub source: String,
    etag: Option<String>,
    last_modified: Option<String>,
}

impl Followed {
    pub fn new(source: impl Into<String>) -> Self {
        Followed {
            source: source.into(),
            etag: None,
            last_modified: None,
        }
    }

    fn is_url(&self) -> bool {
        self.source.starts_with("http://") || self.source.starts_with("https://")
    }

    /// Fetch the feed: `Ok(None)` when it has not changed since the last fetch.
    fn fetch(&mut self, max_bytes: u64) -> Result<Option<Vec<u8>>, String> {
        if !self.is_url() {
            return std::fs::read(Path::new(&self.source))
                .map(Some)
                .map_err(|e| format!("cannot read: {e}"));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        let mut req = agent.get(&self.source).header(
            "User-Agent",
            concat!("dossier/", env!("CARGO_PKG_VERSION"), " (feed follower)"),
        );
        if let Some(e) = &self.etag {
            req = req.header("If-None-Match", e);
        }
        if let Some(m) = &self.last_modified {
            req = req.header("If-Modified-Since", m);
        }
        let resp = req.call().map_err(|e| format!("fetch failed: {e}"))?;
        let status = resp.status().as_u16();
        if status == 304 {
            return Ok(None);
        }
        if !(200..300).contains(&status) {
            return Err(format!("fetch failed: HTTP {status}"));
        }
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        self.etag = header("etag");
        self.last_modified = header("last-modified");
        let mut body = Vec::new();
        resp.into_body()
            .into_reader()
            .take(max_bytes + 1)
            .read_to_end(&mut body)
            .map_err(|e| format!("fetch failed: {e}"))?;
        if body.len() as u64 > max_bytes {
            return Err(format!("too large: more than {max_bytes} bytes"));
        }
        Ok(Some(body))
    }
}

/// Follow feeds: fetch each every `every` (conditional GET for URLs), store new items, analyse.
/// With `once`, do one round and return.
pub fn follow(
    store: &mut dyn Store,
    feeds: &mut [Followed],
    opts: &Options,
    every: Duration,
    once: bool,
    stop: Arc<AtomicBool>,
    on_round: &mut dyn FnMut(&Round),
) -> Result<(), dossier_store::StoreError> {
    let mut round = 0u64;
    while !stop.load(Ordering::SeqCst) {
        round += 1;
        let mut bodies: Vec<(String, Vec<u8>)> = Vec::new();
        let mut failed: Vec<Rejection> = Vec::new();
        for f in feeds.iter_mut() {
            match f.fetch(opts.max_bytes) {
                Ok(Some(b)) => bodies.push((f.source.clone(), b)),
                Ok(None) => {}
                Err(reason) => failed.push(Rejection {
                    input: f.source.clone(),
                    reason,
                }),
            }
        }
        let inputs = bodies.len();
        let o = opts.clone();
        let mut summary = ingest_items(
            store,
            move |emit: &mut dyn FnMut(Item)| {
                for (name, body) in bodies {
                    let reader = Box::new(std::io::Cursor::new(body));
                    dossier_ingest::read_stream(&name, reader, &o, emit);
                }
            },
            &mut crate::Silent,
        )?;
        summary.rejected.extend(failed);
        let w = work(store, &WorkOptions::default())?;
        on_round(&Round {
            round,
            inputs,
            summary,
            analysed: w.analysed,
        });
        if once {
            break;
        }
        sleep_until_stopped(every, &stop);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("2h30m"), Some(Duration::from_secs(9000)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("45"), Some(Duration::from_secs(45)));
        assert_eq!(parse_duration("1d"), Some(Duration::from_secs(86400)));
        for bad in ["", "m", "10x", "5m3", "abc"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
