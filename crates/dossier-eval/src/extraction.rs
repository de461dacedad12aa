//! Extraction suites: body text, titles, authors and dates on the shared benchmarks, each with
//! the metric its publishers use, beside the anchors measured on the same pages.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use dossier_core::Document;
use dossier_extract::Hints;
use rayon::prelude::*;
use serde_json::Value;

use crate::{EvalError, Result, Score, read_maybe_gz, require};

/// Lower-cased `\w+` tokens (Unicode letters, digits and underscore).
pub fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() || c == '_' {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Precision, recall and F1 of two multisets (empty and empty: 1; one empty: 0).
pub fn multiset_prf<T: std::hash::Hash + Eq>(pred: Vec<T>, gold: Vec<T>) -> (f64, f64, f64) {
    if pred.is_empty() && gold.is_empty() {
        return (1.0, 1.0, 1.0);
    }
    if pred.is_empty() || gold.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let (np, ng) = (pred.len() as f64, gold.len() as f64);
    let mut counts: HashMap<T, i64> = HashMap::new();
    for g in gold {
        *counts.entry(g).or_default() += 1;
    }
    let mut tp = 0.0;
    for p in pred {
        if let Some(c) = counts.get_mut(&p)
            && *c > 0
        {
            *c -= 1;
            tp += 1.0;
        }
    }
    let (p, r) = (tp / np, tp / ng);
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

fn shingles(tokens: &[String], n: usize) -> Vec<String> {
    if tokens.len() < n {
        return if tokens.is_empty() {
            Vec::new()
        } else {
            vec![tokens.join(" ")]
        };
    }
    tokens.windows(n).map(|w| w.join(" ")).collect()
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn percentile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * q).round() as usize]
}

/// Extract one page, timing it.
fn run(html: &str, url: Option<&str>) -> (Document, f64) {
    let t = Instant::now();
    let hints = Hints {
        url,
        ..Default::default()
    };
    let doc = dossier_extract::extract_html(html, &hints);
    (doc, t.elapsed().as_secs_f64() * 1000.0)
}

fn decode(bytes: &[u8]) -> String {
    dossier_ingest::decode::decode(bytes, None, true).text
}

fn bad(path: &Path, reason: impl Into<String>) -> EvalError {
    EvalError::BadData {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Scrapinghub article-extraction-benchmark: 4-gram shingle P/R/F1 per page, averaged.
pub fn aeb(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("corpora/article-extraction-benchmark");
    require(&dir)?;
    let gt_path = dir.join("ground-truth.json");
    let gt: HashMap<String, Value> = serde_json::from_slice(&read_maybe_gz(&gt_path)?)
        .map_err(|e| bad(&gt_path, e.to_string()))?;
    let mut ids: Vec<&String> = gt.keys().collect();
    ids.sort();
    let rows: Vec<(f64, f64, f64, f64)> = ids
        .par_iter()
        .filter_map(|id| {
            let html = read_maybe_gz(&dir.join(format!("html/{id}.html.gz"))).ok()?;
            let url = gt[*id]["url"].as_str();
            let (doc, ms) = run(&decode(&html), url);
            let gold = gt[*id]["articleBody"].as_str().unwrap_or("");
            let (p, r, f) = multiset_prf(
                shingles(&tokens(&doc.body_text()), 4),
                shingles(&tokens(gold), 4),
            );
            Some((p, r, f, ms))
        })
        .collect();
    let n = rows.len();
    let col = |i: usize| -> Vec<f64> { rows.iter().map(|r| [r.0, r.1, r.2, r.3][i]).collect() };
    let suite = "extraction-aeb";
    Ok(vec![
        Score::new(suite, "body shingle F1", mean(&col(2)), n)
            .anchor("trafilatura 2.3.1", 0.953)
            .anchor("rs-trafilatura 0.2.2", 0.957)
            .anchor("dom_smoothie 0.19.0", 0.946)
            .anchor("rs-trafilatura (published)", 0.970),
        Score::new(suite, "body shingle precision", mean(&col(0)), n),
        Score::new(suite, "body shingle recall", mean(&col(1)), n),
        Score::new(suite, "ms/page mean", mean(&col(3)), n),
    ])
}

fn norm(s: &str) -> String {
    tokens(s).join(" ")
}

/// WCXB dev articles: word F1 per page, averaged; titles, authors and dates.
pub fn wcxb(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("extraction/wcxb-dev-articles");
    require(&dir)?;
    let mut files: Vec<_> = std::fs::read_dir(dir.join("ground-truth"))
        .map_err(|e| EvalError::Io(dir.clone(), e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    struct Row {
        p: f64,
        r: f64,
        f: f64,
        ms: f64,
        title: Option<bool>,
        author: Option<bool>,
        date: Option<(bool, bool)>,
    }
    let rows: Vec<Row> = files
        .par_iter()
        .filter_map(|gt_path| {
            let gt: Value = serde_json::from_slice(&std::fs::read(gt_path).ok()?).ok()?;
            let id = gt_path.file_stem()?.to_str()?;
            let html = read_maybe_gz(&dir.join(format!("html/{id}.html.gz"))).ok()?;
            let url = gt["url"].as_str();
            let (doc, ms) = run(&decode(&html), url);
            let g = &gt["ground_truth"];
            let (p, r, f) = multiset_prf(
                tokens(&doc.body_text()),
                tokens(g["main_content"].as_str().unwrap_or("")),
            );
            let title = g["title"]
                .as_str()
                .filter(|t| !t.trim().is_empty())
                .map(|t| {
                    let ours = doc.title().map(norm).unwrap_or_default();
                    let gold = norm(t);
                    ours == gold || multiset_prf(tokens(&ours), tokens(&gold)).2 >= 0.9
                });
            let author = g["author"]
                .as_str()
                .filter(|a| !a.trim().is_empty())
                .map(|a| {
                    let gold = norm(a);
                    doc.metadata.authors.iter().any(|x| {
                        let ours = norm(&x.value);
                        !ours.is_empty()
                            && (ours == gold || gold.contains(&ours) || ours.contains(&gold))
                    })
                });
            let date = g["publish_date"]
                .as_str()
                .filter(|d| !d.trim().is_empty())
                .map(|d| {
                    let ours = doc
                        .metadata
                        .published
                        .as_ref()
                        .map(|p| p.value.date_naive().to_string());
                    (ours.as_deref() == Some(d.trim()), ours.is_some())
                });
            Some(Row {
                p,
                r,
                f,
                ms,
                title,
                author,
                date,
            })
        })
        .collect();
    let n = rows.len();
    let suite = "extraction-wcxb";
    let share = |v: Vec<bool>| {
        (
            v.iter().filter(|b| **b).count() as f64 / v.len().max(1) as f64,
            v.len(),
        )
    };
    let (titles, nt) = share(rows.iter().filter_map(|r| r.title).collect());
    let (authors, na) = share(rows.iter().filter_map(|r| r.author).collect());
    let dates: Vec<(bool, bool)> = rows.iter().filter_map(|r| r.date).collect();
    let correct = dates.iter().filter(|d| d.0).count() as f64;
    let answered = dates.iter().filter(|d| d.1).count() as f64;
    let mut ms: Vec<f64> = rows.iter().map(|r| r.ms).collect();
    Ok(vec![
        Score::new(
            suite,
            "body word F1",
            mean(&rows.iter().map(|r| r.f).collect::<Vec<_>>()),
            n,
        )
        .anchor("trafilatura 2.3.1", 0.937)
        .anchor("rs-trafilatura 0.2.2", 0.934)
        .anchor("dom_smoothie 0.19.0", 0.923),
        Score::new(
            suite,
            "body word precision",
            mean(&rows.iter().map(|r| r.p).collect::<Vec<_>>()),
            n,
        ),
        Score::new(
            suite,
            "body word recall",
            mean(&rows.iter().map(|r| r.r).collect::<Vec<_>>()),
            n,
        ),
        Score::new(suite, "titles correct", titles, nt),
        Score::new(suite, "authors correct", authors, na),
        Score::new(
            suite,
            "dates correct",
            correct / dates.len().max(1) as f64,
            dates.len(),
        )
        .anchor("trafilatura 2.3.1", 0.845)
        .anchor("rs-trafilatura 0.2.2", 0.601)
        .anchor("dom_smoothie 0.19.0", 0.531),
        Score::new(
            suite,
            "date precision",
            if answered > 0.0 {
                correct / answered
            } else {
                0.0
            },
            answered as usize,
        ),
        Score::new(suite, "ms/page mean", mean(&ms), n)
            .anchor("trafilatura 2.3.1", 107.7)
            .anchor("rs-trafilatura 0.2.2", 34.4)
            .anchor("dom_smoothie 0.19.0", 6.5),
        Score::new(suite, "ms/page p95", percentile(&mut ms, 0.95), n),
    ])
}

/// htmldate's Media Cloud 2020 set: publication day, precision/recall/accuracy/F.
pub fn dates(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("extraction/htmldate-mediacloud-2020");
    require(&dir)?;
    let gt_path = dir.join("ground-truth.json");
    let gt: HashMap<String, Value> = serde_json::from_slice(
        &std::fs::read(&gt_path).map_err(|e| EvalError::Io(gt_path.clone(), e))?,
    )
    .map_err(|e| bad(&gt_path, e.to_string()))?;
    let mut urls: Vec<&String> = gt.keys().collect();
    urls.sort();
    // (tp, fp, fn, tn)
    let rows: Vec<(u32, u32, u32, u32)> = urls
        .par_iter()
        .filter_map(|u| {
            let file = gt[*u]["file"].as_str()?;
            let html = read_maybe_gz(&dir.join("html").join(file)).ok()?;
            let (doc, _) = run(&decode(&html), Some(u));
            let ours = doc
                .metadata
                .published
                .as_ref()
                .map(|p| p.value.date_naive().to_string());
            let gold = gt[*u]["date"].as_str().filter(|d| !d.is_empty());
            Some(match (ours.as_deref(), gold) {
                (Some(o), Some(g)) if o == g => (1, 0, 0, 0),
                (Some(_), _) => (0, 1, 0, 0),
                (None, Some(_)) => (0, 0, 1, 0),
                (None, None) => (0, 0, 0, 1),
            })
        })
        .collect();
    let sum = |i: usize| rows.iter().map(|r| [r.0, r.1, r.2, r.3][i]).sum::<u32>() as f64;
    let (tp, fp, fnn, tn) = (sum(0), sum(1), sum(2), sum(3));
    let n = rows.len();
    let suite = "extraction-dates";
    Ok(vec![
        Score::new(
            suite,
            "date F",
            2.0 * tp / (2.0 * tp + fp + fnn).max(1.0),
            n,
        )
        .anchor("htmldate 1.10 extensive (published)", 0.949)
        .anchor("htmldate 1.10 fast (published)", 0.925)
        .anchor("newspaper4k 0.9.5 (published)", 0.810),
        Score::new(suite, "date precision", tp / (tp + fp).max(1.0), n)
            .anchor("htmldate 1.10 extensive (published)", 0.908),
        Score::new(suite, "date recall", tp / (tp + fnn).max(1.0), n)
            .anchor("htmldate 1.10 extensive (published)", 0.993),
        Score::new(suite, "date accuracy", (tp + tn) / (n as f64).max(1.0), n)
            .anchor("htmldate 1.10 extensive (published)", 0.903),
    ])
}

/// Every extraction suite.
pub fn all(data: &Path) -> Result<Vec<Score>> {
    let mut out = aeb(data)?;
    out.extend(wcxb(data)?);
    out.extend(dates(data)?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics() {
        assert_eq!(
            tokens("It's 12 o'clock—now!"),
            vec!["it", "s", "12", "o", "clock", "now"]
        );
        let (p, r, f) = multiset_prf(tokens("a b c d"), tokens("a b c e"));
        assert_eq!((p, r), (0.75, 0.75));
        assert!((f - 0.75).abs() < 1e-9);
        assert_eq!(multiset_prf::<String>(vec![], vec![]), (1.0, 1.0, 1.0));
        assert_eq!(
            shingles(&tokens("a b c d e"), 4),
            vec!["a b c d", "b c d e"]
        );
    }
}
