//! Time suite: TempEval-3 platinum (20 docs, 138 TIMEX3) and MEANTIME English sentences 0–5
//! (`time/docs.jsonl`, `time/timex-gold.jsonl`), plus the Wagner narrative cases
//! (`time/wagner-cases.tsv`); see `time/README.md`.
//!
//! Metric as in the TempEval-3 scorer: extent **strict** (identical span) and **relaxed**
//! (overlap) P/R/F1, each system and gold timex matched at most once; **value F1** and **type F1**
//! are attribute F1 over the relaxed matches (= relaxed F1 × attribute accuracy). MEANTIME only
//! annotates sentences 0–5, so system timexes are scored up to the end of sentence 5 (sentences:
//! lines, and the tokenised " . " / " ? " / " ! " inside lines). Documents without a parseable
//! DCT are left out (one MEANTIME DCT is written DD-MM-YYYY and is read so).
//!
//! Wagner cases: the fragments are joined, in order, into one text with the assumed DCT; a case
//! is right when an expression overlapping the expected extent has the expected value (and the
//! expected mod when one is given).

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use dossier_time::{Anchor, Timex, find_times};
use serde::Deserialize;

use crate::{EvalError, Result, Score, require};

#[derive(Debug, Deserialize)]
struct Doc {
    corpus: String,
    doc: String,
    dct: Option<String>,
    text: String,
}

#[derive(Debug, Deserialize)]
struct Gold {
    corpus: String,
    doc: String,
    start: Option<usize>,
    end: Option<usize>,
    #[serde(rename = "type")]
    kind: String,
    value: Option<String>,
    sentence: Option<usize>,
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let src = std::fs::read_to_string(path).map_err(|e| EvalError::Io(path.to_path_buf(), e))?;
    src.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| EvalError::BadData {
                path: path.to_path_buf(),
                reason: format!("line {}: {e}", i + 1),
            })
        })
        .collect()
}

fn anchor_of(dct: Option<&str>) -> Option<Anchor> {
    let d = dct?;
    if let Ok(a) = Anchor::parse(d) {
        return Some(a);
    }
    // DD-MM-YYYY
    let p: Vec<&str> = d.split('-').collect();
    if p.len() == 3 && p[2].len() == 4 {
        return Anchor::parse(&format!("{}-{}-{}", p[2], p[1], p[0])).ok();
    }
    None
}

/// End (byte) of sentence 5 in MEANTIME's tokenised text.
fn meantime_limit(text: &str) -> usize {
    let b = text.as_bytes();
    let mut n = 0;
    for i in 0..b.len() {
        let stop = matches!(b[i], b'.' | b'?' | b'!')
            && i > 0
            && b[i - 1] == b' '
            && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\n');
        let line = b[i] == b'\n' && !(i > 0 && matches!(b[i - 1], b'.' | b'\n'));
        if stop || line {
            n += 1;
            if n == 6 {
                return i + 1;
            }
        }
    }
    text.len()
}

#[derive(Default)]
struct Counts {
    gold: usize,
    sys: usize,
    relaxed: usize,
    strict: usize,
    value: usize,
    kind: usize,
}

impl Counts {
    fn add(&mut self, sys: &[Timex], gold: &[&Gold]) {
        self.gold += gold.len();
        self.sys += sys.len();
        let mut used = vec![false; gold.len()];
        for s in sys {
            // Prefer an exact match, then the first overlapping gold.
            let pick = gold
                .iter()
                .enumerate()
                .filter(|(k, g)| {
                    !used[*k] && g.start.unwrap_or(0) < s.end && s.start < g.end.unwrap_or(0)
                })
                .min_by_key(|(_, g)| (g.start != Some(s.start) || g.end != Some(s.end)) as u8);
            if let Some((k, g)) = pick {
                used[k] = true;
                self.relaxed += 1;
                if g.start == Some(s.start) && g.end == Some(s.end) {
                    self.strict += 1;
                }
                if g.value.as_deref() == Some(s.value.as_str()) {
                    self.value += 1;
                }
                if g.kind == s.kind.as_str() {
                    self.kind += 1;
                }
            }
        }
    }

    fn scores(&self, suite: &str, key: &str, anchors: &[(&str, [f64; 4])]) -> Vec<Score> {
        let f = |c: usize| 200.0 * c as f64 / (self.sys + self.gold).max(1) as f64;
        let p = 100.0 * self.relaxed as f64 / self.sys.max(1) as f64;
        let r = 100.0 * self.relaxed as f64 / self.gold.max(1) as f64;
        let rows = [
            ("relaxed/F1", f(self.relaxed), 0),
            ("relaxed/P", p, usize::MAX),
            ("relaxed/R", r, usize::MAX),
            ("strict/F1", f(self.strict), 1),
            ("value/F1", f(self.value), 2),
            ("type/F1", f(self.kind), 3),
            (
                "value/accuracy",
                100.0 * self.value as f64 / self.relaxed.max(1) as f64,
                usize::MAX,
            ),
        ];
        rows.iter()
            .map(|(m, v, ai)| {
                let mut s = Score::new(suite, &format!("{key}/{m}"), *v, self.gold);
                for (name, vals) in anchors {
                    if *ai < 4 && !vals[*ai].is_nan() {
                        s = s.anchor(name, vals[*ai]);
                    }
                }
                s
            })
            .collect()
    }
}

/// TempEval-3 platinum + MEANTIME 0–5 + Wagner cases + speed.
pub fn all(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("time");
    require(&dir)?;
    let docs: Vec<Doc> = read_jsonl(&dir.join("docs.jsonl"))?;
    let gold: Vec<Gold> = read_jsonl(&dir.join("timex-gold.jsonl"))?;
    let mut by_doc: HashMap<(&str, &str), Vec<&Gold>> = HashMap::new();
    for g in &gold {
        if g.start.is_some() && g.end.is_some() && g.sentence.unwrap_or(0) <= 5 {
            by_doc.entry((&g.corpus, &g.doc)).or_default().push(g);
        }
    }
    let mut te3 = Counts::default();
    let mut mt = Counts::default();
    let mut bytes = 0usize;
    let t0 = Instant::now();
    for d in &docs {
        let Some(anchor) = anchor_of(d.dct.as_deref()) else {
            continue;
        };
        let mut sys = find_times(&d.text, &anchor);
        bytes += d.text.len();
        let g = by_doc
            .get(&(d.corpus.as_str(), d.doc.as_str()))
            .cloned()
            .unwrap_or_default();
        if d.corpus == "te3-platinum" {
            te3.add(&sys, &g);
        } else {
            let limit = meantime_limit(&d.text);
            sys.retain(|t| t.start < limit);
            mt.add(&sys, &g);
        }
    }
    let once = t0.elapsed().as_secs_f64();
    let suite = "time";
    let mut out = te3.scores(
        suite,
        "te3-platinum",
        &[
            ("HeidelTime 2.2.1 (measured)", [90.71, 81.78, 78.07, 83.27]),
            ("HeidelTime-t (published)", [90.30, 81.34, 77.61, f64::NAN]),
            ("ClearTK (published)", [90.23, 82.71, 64.66, f64::NAN]),
            ("goal", [91.0, 83.0, 80.0, f64::NAN]),
        ],
    );
    out.extend(mt.scores(
        suite,
        "meantime-s0-5",
        &[
            ("HeidelTime 2.2.1 (measured)", [89.55, 84.27, 78.55, 85.15]),
            ("chrono-node (measured)", [77.46, 51.81, 60.27, f64::NAN]),
            ("goal", [f64::NAN, f64::NAN, 81.0, f64::NAN]),
        ],
    ));
    out.extend(wagner(&dir)?);
    // Throughput: repeat the whole corpus until a second has passed.
    let mut runs = 0usize;
    let t1 = Instant::now();
    let all_text: Vec<(&str, Anchor)> = docs
        .iter()
        .filter_map(|d| Some((d.text.as_str(), anchor_of(d.dct.as_deref())?)))
        .collect();
    while t1.elapsed().as_secs_f64() < 1.0 || runs < 3 {
        for (t, a) in &all_text {
            std::hint::black_box(find_times(t, a));
        }
        runs += 1;
    }
    let secs = t1.elapsed().as_secs_f64();
    let mbps = (bytes * runs) as f64 / 1e6 / secs;
    out.push(
        Score::new(suite, "speed/MB_per_s", mbps, bytes)
            .anchor("goal (whole language stage)", 1.0)
            .anchor("chrono-node (measured, 248 KB in 0.44 s)", 0.56),
    );
    out.push(Score::new(suite, "speed/first_pass_s", once, bytes));
    Ok(out)
}

/// `wagner-cases.tsv`: expected values under the assumed DCT, narrative order kept.
fn wagner(dir: &Path) -> Result<Vec<Score>> {
    let path = dir.join("wagner-cases.tsv");
    let src = std::fs::read_to_string(&path).map_err(|e| EvalError::Io(path.clone(), e))?;
    let mut rows = Vec::new();
    let mut header: Vec<&str> = Vec::new();
    for line in src.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        if header.is_empty() {
            header = cols;
            continue;
        }
        let get = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .and_then(|i| cols.get(i).copied())
                .unwrap_or("")
        };
        rows.push((
            get("dct_assumed").to_string(),
            get("sentence_fragment")
                .trim_end_matches(" ...")
                .to_string(),
            get("expected_extent").to_string(),
            get("expected_value").to_string(),
        ));
    }
    let bad = |reason: &str| EvalError::BadData {
        path: path.clone(),
        reason: reason.to_string(),
    };
    let dct = rows
        .first()
        .map(|r| r.0.clone())
        .ok_or_else(|| bad("no cases"))?;
    let anchor = Anchor::parse(&dct).map_err(|e| bad(&e.to_string()))?;
    let mut text = String::new();
    let mut spans = Vec::new();
    for (_, frag, extent, _) in &rows {
        let base = text.len();
        text.push_str(frag);
        text.push_str(if frag.ends_with('.') { " " } else { ". " });
        let at = frag
            .to_lowercase()
            .find(&extent.to_lowercase())
            .ok_or_else(|| bad(&format!("extent {extent:?} not in its fragment")))?;
        spans.push((base + at, base + at + extent.len()));
    }
    let sys = find_times(&text, &anchor);
    let mut right = 0;
    let mut utc_right = 0;
    for ((_, _, _, expected), (s, e)) in rows.iter().zip(&spans) {
        // "2023-06-24T10:00+03:00 (mod=APPROX; UTC 2023-06-24T07:00)"
        let value = expected.split_whitespace().next().unwrap_or("");
        let want_mod = expected
            .split("mod=")
            .nth(1)
            .map(|m| m.split([';', ')']).next().unwrap_or("").trim().to_string());
        let want_utc = expected
            .split("UTC ")
            .nth(1)
            .map(|u| u.trim_end_matches(')').trim().to_string());
        let hit = sys.iter().find(|t| t.start < *e && *s < t.end);
        if let Some(t) = hit {
            let mod_ok = match &want_mod {
                Some(m) => t.modifier.map(|x| x.as_str()) == Some(m.as_str()),
                None => true,
            };
            if t.value == value && mod_ok {
                right += 1;
            }
            if let Some(u) = &want_utc
                && t.utc.as_deref().map(|x| x.trim_end_matches('Z')) == Some(u.as_str())
            {
                utc_right += 1;
            }
        }
    }
    let n = rows.len();
    let n_utc = rows.iter().filter(|r| r.3.contains("UTC ")).count();
    Ok(vec![
        Score::new("time", "wagner/values_right", right as f64, n)
            .anchor("HeidelTime 2.2.1", 1.0)
            .anchor("goal", n as f64),
        Score::new("time", "wagner/utc_right", utc_right as f64, n_utc)
            .anchor("goal", n_utc as f64),
    ])
}
