//! Extraction suites: body text, titles, authors and dates on the shared benchmarks, each with
//! the metric its publishers use, beside the anchors measured on the same pages (from each data
//! folder's README).
//!
//! Pages run one at a time on one thread, as the anchors were measured. Set
//! `DOSSIER_EVAL_DUMP=DIR` to write per-page scores (TSV) for failure analysis.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, FixedOffset};
use dossier_core::Document;
use dossier_extract::Hints;
use serde_json::Value;

use crate::{EvalError, Result, Score, read_maybe_gz, require};

// ---------------------------------------------------------------------------------------------
// Tokenisers and metrics
// ---------------------------------------------------------------------------------------------

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `\w+` tokens as Python's `re` finds them (Unicode letters, digits, underscore), case kept.
pub fn raw_tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !is_word_char(c))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Lower-cased `\w+` tokens (WCXB and the metadata checks).
pub fn tokens(s: &str) -> Vec<String> {
    raw_tokens(&s.to_lowercase())
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
    let tp = overlap(pred, gold) as f64;
    let (p, r) = (tp / np, tp / ng);
    (p, r, f1(p, r))
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// Size of the multiset intersection.
fn overlap<T: std::hash::Hash + Eq>(pred: Vec<T>, gold: Vec<T>) -> usize {
    let mut counts: HashMap<T, i64> = HashMap::new();
    for g in gold {
        *counts.entry(g).or_default() += 1;
    }
    let mut tp = 0;
    for p in pred {
        if let Some(c) = counts.get_mut(&p)
            && *c > 0
        {
            *c -= 1;
            tp += 1;
        }
    }
    tp
}

/// The benchmark's shingles: every run of `n` tokens; a text shorter than `n` tokens is one
/// shingle of all its tokens, an empty text none.
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

/// The article-extraction-benchmark's per-page (TP, FP, FN) over 4-token shingles, normalised
/// to sum 1 so long pages do not weigh more.
pub fn shingle_tp_fp_fn(gold: &str, pred: &str) -> (f64, f64, f64) {
    let g = shingles(&raw_tokens(gold), 4);
    let p = shingles(&raw_tokens(pred), 4);
    let (ng, np) = (g.len() as f64, p.len() as f64);
    let tp = overlap(p, g) as f64;
    let (fp, fnn) = (np - tp, ng - tp);
    let s = tp + fp + fnn;
    if s > 0.0 {
        (tp / s, fp / s, fnn / s)
    } else {
        (0.0, 0.0, 0.0)
    }
}

/// Mean precision (over pages with a prediction), mean recall (over pages with a reference),
/// and F1 as the harmonic mean of the two means, as the benchmark's `evaluate.py` computes them.
pub fn shingle_metrics(rows: &[(f64, f64, f64)]) -> (f64, f64, f64) {
    let prec = |&(tp, fp, fnn): &(f64, f64, f64)| {
        if fp == 0.0 && fnn == 0.0 {
            1.0
        } else if tp == 0.0 && fp == 0.0 {
            0.0
        } else {
            tp / (tp + fp)
        }
    };
    let rec = |&(tp, fp, fnn): &(f64, f64, f64)| {
        if fp == 0.0 && fnn == 0.0 {
            1.0
        } else if tp == 0.0 && fnn == 0.0 {
            0.0
        } else {
            tp / (tp + fnn)
        }
    };
    let p = mean(
        &rows
            .iter()
            .filter(|r| r.0 + r.1 > 0.0)
            .map(prec)
            .collect::<Vec<_>>(),
    );
    let r = mean(
        &rows
            .iter()
            .filter(|r| r.0 + r.2 > 0.0)
            .map(rec)
            .collect::<Vec<_>>(),
    );
    (p, r, f1(p, r))
}

/// `rouge_score`'s default tokeniser: lower-case, everything but `[a-z0-9]` is a separator.
pub fn rouge_tokens(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Sentences for ROUGE-LSum. Upstream uses NLTK's Punkt; this splits at blank lines and after
/// `.`, `?` or `!` (with closing quotes or brackets) followed by white space, which agrees with
/// Punkt except around abbreviations.
pub fn sentences(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in s.split("\n\n") {
        let chars: Vec<char> = para.chars().collect();
        let mut cur = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            cur.push(c);
            if matches!(c, '.' | '?' | '!') {
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j], '"' | '\'' | '”' | '’' | ')' | ']')
                {
                    cur.push(chars[j]);
                    j += 1;
                }
                if j >= chars.len() || chars[j].is_whitespace() {
                    out.push(std::mem::take(&mut cur));
                }
                i = j;
                continue;
            }
            i += 1;
        }
        out.push(cur);
    }
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Indices into `a` of one longest common subsequence of `a` and `b`.
fn lcs_indices(a: &[u32], b: &[u32]) -> Vec<usize> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let w = m + 1;
    let mut t = vec![0u32; (n + 1) * w];
    for i in 1..=n {
        for j in 1..=m {
            t[i * w + j] = if a[i - 1] == b[j - 1] {
                t[(i - 1) * w + j - 1] + 1
            } else {
                t[(i - 1) * w + j].max(t[i * w + j - 1])
            };
        }
    }
    let (mut i, mut j) = (n, m);
    let mut out = Vec::new();
    while i > 0 && j > 0 {
        if a[i - 1] == b[j - 1] {
            out.push(i - 1);
            i -= 1;
            j -= 1;
        } else if t[(i - 1) * w + j] >= t[i * w + j - 1] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    out.reverse();
    out
}

/// ROUGE-LSum (summary-level union LCS, as `rouge_score` computes it) of `pred` against
/// `gold`: (precision, recall, F1).
pub fn rouge_lsum(gold: &str, pred: &str) -> (f64, f64, f64) {
    let mut vocab: HashMap<String, u32> = HashMap::new();
    let mut ids = |s: &str| -> Vec<Vec<u32>> {
        sentences(s)
            .iter()
            .map(|x| {
                rouge_tokens(x)
                    .into_iter()
                    .map(|t| {
                        let n = vocab.len() as u32;
                        *vocab.entry(t).or_insert(n)
                    })
                    .collect::<Vec<u32>>()
            })
            .collect()
    };
    let refs = ids(gold);
    let cands = ids(pred);
    let m: usize = refs.iter().map(Vec::len).sum();
    let n: usize = cands.iter().map(Vec::len).sum();
    if m == 0 || n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let mut cnt_r: HashMap<u32, i64> = HashMap::new();
    let mut cnt_c: HashMap<u32, i64> = HashMap::new();
    for t in refs.iter().flatten() {
        *cnt_r.entry(*t).or_default() += 1;
    }
    for t in cands.iter().flatten() {
        *cnt_c.entry(*t).or_default() += 1;
    }
    let mut hits = 0usize;
    for r in &refs {
        let mut union: Vec<usize> = cands.iter().flat_map(|c| lcs_indices(r, c)).collect();
        union.sort_unstable();
        union.dedup();
        for i in union {
            let t = r[i];
            let (cc, cr) = (cnt_c.get(&t).copied(), cnt_r.get(&t).copied());
            if cc.unwrap_or(0) > 0 && cr.unwrap_or(0) > 0 {
                hits += 1;
                *cnt_c.get_mut(&t).expect("present") -= 1;
                *cnt_r.get_mut(&t).expect("present") -= 1;
            }
        }
    }
    let (p, r) = (hits as f64 / n as f64, hits as f64 / m as f64);
    (p, r, f1(p, r))
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn sd(v: &[f64]) -> f64 {
    if v.len() < 2 {
        return 0.0;
    }
    let m = mean(v);
    (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}

fn percentile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * q).round() as usize]
}

// ---------------------------------------------------------------------------------------------
// Running pages
// ---------------------------------------------------------------------------------------------

/// Extract one page, timing it (parse, content and metadata; not decoding).
fn run(html: &str, url: Option<&str>, fetched: Option<DateTime<FixedOffset>>) -> (Document, f64) {
    let t = Instant::now();
    let hints = Hints {
        url,
        fetched,
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

fn read_json(path: &Path) -> Result<Value> {
    serde_json::from_slice(&read_maybe_gz(path)?).map_err(|e| bad(path, e.to_string()))
}

/// A crawl date such as "2024-02-28 13:06:44.083593" (taken as UTC).
fn crawl_date(s: Option<&str>) -> Option<DateTime<FixedOffset>> {
    let s = s?.trim();
    let head = s.get(..19).unwrap_or(s);
    chrono::NaiveDateTime::parse_from_str(head, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|n| n.and_utc().fixed_offset())
}

/// Per-page rows for failure analysis, when `DOSSIER_EVAL_DUMP` names a folder.
fn dump(name: &str, header: &str, rows: &[String]) {
    let Some(dir) = std::env::var_os("DOSSIER_EVAL_DUMP") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(mut f) = std::fs::File::create(dir.join(format!("{name}.tsv"))) {
        let _ = writeln!(f, "{header}");
        for r in rows {
            let _ = writeln!(f, "{r}");
        }
    }
}

/// Why a page's body text differs from the reference, token by token: body blocks that are
/// mostly not in the reference ("kept <kind>": boilerplate kept), blocks labelled as non-body
/// that are mostly in it ("missed <kind>": article text labelled away), and reference tokens
/// that appear in no block at all ("missed: not in the page text").
#[derive(Default)]
struct Causes(HashMap<String, f64>);

impl Causes {
    fn page(doc: &Document, gold: &str) -> Causes {
        let gold_toks = tokens(gold);
        let mut c = Causes::default();
        if gold_toks.is_empty() {
            return c;
        }
        let gold_n = gold_toks.len() as f64;
        // A block is in the reference when its token trigrams are (single words are too common
        // to tell).
        let grams: std::collections::HashSet<&[String]> = gold_toks.windows(3).collect();
        let mut page_tokens: HashMap<String, i64> = HashMap::new();
        for b in &doc.blocks {
            let toks = tokens(doc.block_text(b));
            if toks.is_empty() || b.kind == dossier_core::BlockKind::Title {
                continue;
            }
            let share = if toks.len() < 3 {
                f64::from(u8::from(grams.iter().any(|g| g.starts_with(&toks))))
            } else {
                let w: Vec<&[String]> = toks.windows(3).collect();
                w.iter().filter(|g| grams.contains(*g)).count() as f64 / w.len() as f64
            };
            let kind = format!("{:?}", b.kind);
            let n = toks.len() as f64;
            if b.kind.is_body() && share < 0.5 {
                *c.0.entry(format!("kept {kind}")).or_default() += n * (1.0 - share) / gold_n;
            } else if !b.kind.is_body() && share >= 0.5 {
                *c.0.entry(format!("missed {kind}")).or_default() += n * share / gold_n;
            }
            for t in toks {
                *page_tokens.entry(t).or_default() += 1;
            }
        }
        let mut left: HashMap<&str, i64> = HashMap::new();
        for t in &gold_toks {
            *left.entry(t.as_str()).or_default() += 1;
        }
        let absent: i64 = left
            .iter()
            .map(|(t, n)| (n - page_tokens.get(*t).copied().unwrap_or(0)).max(0))
            .sum();
        if absent > 0 {
            c.0.insert(
                "missed: not in the page text".into(),
                absent as f64 / gold_n,
            );
        }
        c
    }

    fn add(&mut self, o: &Causes) {
        for (k, v) in &o.0 {
            *self.0.entry(k.clone()).or_default() += v;
        }
    }

    fn summary(&self) -> String {
        let mut v: Vec<_> = self.0.iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(a.1));
        v.iter()
            .map(|(k, x)| format!("{k} {x:.2}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// With `DOSSIER_EVAL_DUMP` set: the causes over the `worst` lowest-scoring pages (sizes in
/// reference-lengths: 1.0 = one page's whole reference), then the worst pages one by one.
fn print_causes(suite: &str, pages: &mut [(f64, String, Causes)], worst: usize) {
    if std::env::var_os("DOSSIER_EVAL_DUMP").is_none() {
        return;
    }
    pages.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut all = Causes::default();
    let mut low = Causes::default();
    for (i, p) in pages.iter().enumerate() {
        all.add(&p.2);
        if i < worst {
            low.add(&p.2);
        }
    }
    eprintln!(
        "{suite} causes, all {} pages: {}",
        pages.len(),
        all.summary()
    );
    eprintln!("{suite} causes, lowest {worst}: {}", low.summary());
    for (f, id, c) in pages.iter().take(worst) {
        eprintln!("  {f:.3} {id}: {}", c.summary());
    }
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n'], " ")
}

fn date_of(doc: &Document) -> Option<String> {
    doc.metadata
        .published
        .as_ref()
        .map(|p| p.value.date_naive().to_string())
}

/// The title check: equal `\w+` token lists (case-insensitive).
fn title_ok(doc: &Document, gold: &str) -> bool {
    tokens(doc.title().unwrap_or("")) == tokens(gold)
}

/// Token F1 of the authors found against the reference author string(s).
fn author_f1(doc: &Document, gold: &str) -> f64 {
    let ours: Vec<String> = doc
        .metadata
        .authors
        .iter()
        .flat_map(|a| tokens(&a.value))
        .collect();
    multiset_prf(ours, tokens(gold)).2
}

// ---------------------------------------------------------------------------------------------
// Suites
// ---------------------------------------------------------------------------------------------

/// Scrapinghub article-extraction-benchmark: 4-gram shingle P/R/F1 as its `evaluate.py`.
pub fn aeb(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("corpora/article-extraction-benchmark");
    require(&dir)?;
    let gt_path = dir.join("ground-truth.json");
    let gt: HashMap<String, Value> = serde_json::from_slice(&read_maybe_gz(&gt_path)?)
        .map_err(|e| bad(&gt_path, e.to_string()))?;
    let mut ids: Vec<&String> = gt.keys().collect();
    ids.sort();
    let mut rows = Vec::new();
    let mut ms = Vec::new();
    let mut exact = 0usize;
    let mut lines = Vec::new();
    let mut causes = Vec::new();
    for id in ids {
        let html = read_maybe_gz(&dir.join(format!("html/{id}.html.gz")))?;
        let url = gt[id]["url"].as_str();
        let (doc, t) = run(&decode(&html), url, None);
        let gold = gt[id]["articleBody"].as_str().unwrap_or("");
        let body = doc.body_text();
        let r = shingle_tp_fp_fn(gold, &body);
        let (pp, rr, _) = shingle_metrics(&[r]);
        causes.push((f1(pp, rr), id.clone(), Causes::page(&doc, gold)));
        if raw_tokens(gold) == raw_tokens(&body) {
            exact += 1;
        }
        let (p, rc, _) = shingle_metrics(&[r]);
        lines.push(format!(
            "{id}\t{:.3}\t{p:.3}\t{rc:.3}\t{t:.1}\t{}",
            f1(p, rc),
            url.unwrap_or("")
        ));
        rows.push(r);
        ms.push(t);
    }
    dump("aeb", "id\tf1\tp\tr\tms\turl", &lines);
    print_causes("aeb", &mut causes, 25);
    let n = rows.len();
    let (p, r, f) = shingle_metrics(&rows);
    let suite = "extraction-aeb";
    Ok(vec![
        Score::new(suite, "body shingle F1", f, n)
            .anchor("trafilatura 2.3.1", 0.953)
            .anchor("rs-trafilatura 0.2.2", 0.957)
            .anchor("dom_smoothie 0.19.0", 0.946)
            .anchor("rs-trafilatura (published)", 0.970)
            .anchor("trafilatura 2.0.0 (published)", 0.958),
        Score::new(suite, "body shingle precision", p, n)
            .anchor("rs-trafilatura (published)", 0.951),
        Score::new(suite, "body shingle recall", r, n).anchor("rs-trafilatura (published)", 0.990),
        Score::new(
            suite,
            "body exact token match",
            exact as f64 / n.max(1) as f64,
            n,
        ),
        Score::new(suite, "ms/page mean", mean(&ms), n),
        Score::new(suite, "ms/page p95", percentile(&mut ms, 0.95), n),
    ])
}

/// WCXB dev articles: word F1 per page, averaged; `with`/`without` snippets; titles, authors
/// and dates; ms/page.
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
    let (mut prf, mut ms) = (Vec::new(), Vec::new());
    let (mut with, mut without) = ((0usize, 0usize), (0usize, 0usize));
    let (mut titles, mut authors) = (Vec::new(), Vec::new());
    let (mut dates_correct, mut dates_answered, mut dates_n) = (0usize, 0usize, 0usize);
    let mut lines = Vec::new();
    let mut causes = Vec::new();
    for gt_path in &files {
        let gt = read_json(gt_path)?;
        let id = gt_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let html = read_maybe_gz(&dir.join(format!("html/{id}.html.gz")))?;
        let url = gt["url"].as_str();
        let (doc, t) = run(&decode(&html), url, None);
        let g = &gt["ground_truth"];
        let body = doc.body_text();
        let gold_body = g["main_content"].as_str().unwrap_or("");
        let (p, r, f) = multiset_prf(tokens(&body), tokens(gold_body));
        causes.push((f, id.to_string(), Causes::page(&doc, gold_body)));
        let lower = body.to_lowercase();
        for (key, acc) in [("with", &mut with), ("without", &mut without)] {
            if let Some(a) = g[key].as_array() {
                for s in a.iter().filter_map(Value::as_str) {
                    acc.1 += 1;
                    if lower.contains(&s.to_lowercase()) {
                        acc.0 += 1;
                    }
                }
            }
        }
        let gold_title = g["title"].as_str().filter(|t| !t.trim().is_empty());
        let title = gold_title.map(|t| title_ok(&doc, t));
        if let Some(ok) = title {
            titles.push(ok);
        }
        let gold_author = g["author"].as_str().filter(|a| !a.trim().is_empty());
        let author = gold_author.map(|a| author_f1(&doc, a));
        if let Some(a) = author {
            authors.push(a);
        }
        let gold_date = g["publish_date"].as_str().filter(|d| !d.trim().is_empty());
        let ours = date_of(&doc);
        if let Some(d) = gold_date {
            dates_n += 1;
            if ours.is_some() {
                dates_answered += 1;
            }
            if ours.as_deref() == Some(d.trim()) {
                dates_correct += 1;
            }
        }
        lines.push(format!(
            "{id}\t{f:.3}\t{p:.3}\t{r:.3}\t{t:.1}\t{}\t{}\t{}\t{}\t{}\t{}\t{}{}\t{}",
            title.map(|b| b as u8 as i8).unwrap_or(-1),
            clean(doc.title().unwrap_or("")),
            clean(gold_title.unwrap_or("")),
            author.map(|a| format!("{a:.2}")).unwrap_or_default(),
            clean(
                &doc.metadata
                    .authors
                    .iter()
                    .map(|a| a.value.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            clean(gold_author.unwrap_or("")),
            ours.unwrap_or_default(),
            doc.metadata
                .published
                .as_ref()
                .map(|p| format!(" {:?}", p.signal))
                .unwrap_or_default(),
            gold_date.unwrap_or(""),
        ));
        prf.push((p, r, f));
        ms.push(t);
    }
    dump(
        "wcxb",
        "id\tf1\tp\tr\tms\ttitle_ok\ttitle\tgold_title\tauthor_f1\tauthors\tgold_author\tdate\tgold_date",
        &lines,
    );
    print_causes("wcxb", &mut causes, 40);
    let n = prf.len();
    let suite = "extraction-wcxb";
    let col = |i: usize| mean(&prf.iter().map(|x| [x.0, x.1, x.2][i]).collect::<Vec<_>>());
    let share = |a: (usize, usize)| a.0 as f64 / a.1.max(1) as f64;
    Ok(vec![
        Score::new(suite, "body word F1", col(2), n)
            .anchor("trafilatura 2.3.1", 0.937)
            .anchor("rs-trafilatura 0.2.2", 0.934)
            .anchor("dom_smoothie 0.19.0", 0.923)
            .anchor("rs-trafilatura (published)", 0.932),
        Score::new(suite, "body word precision", col(0), n)
            .anchor("trafilatura 2.3.1", 0.940)
            .anchor("rs-trafilatura 0.2.2", 0.929),
        Score::new(suite, "body word recall", col(1), n)
            .anchor("trafilatura 2.3.1", 0.954)
            .anchor("rs-trafilatura 0.2.2", 0.963),
        Score::new(suite, "`with` snippets found", share(with), with.1),
        Score::new(
            suite,
            "`without` snippets leaked",
            share(without),
            without.1,
        )
        .anchor("trafilatura 2.3.1", 0.049)
        .anchor("rs-trafilatura 0.2.2", 0.077)
        .anchor("dom_smoothie 0.19.0", 0.049),
        Score::new(
            suite,
            "titles token-exact",
            titles.iter().filter(|b| **b).count() as f64 / titles.len().max(1) as f64,
            titles.len(),
        )
        .anchor("trafilatura 2.3.1", 0.552)
        .anchor("rs-trafilatura 0.2.2", 0.797)
        .anchor("dom_smoothie 0.19.0", 0.575),
        Score::new(suite, "authors token F1", mean(&authors), authors.len())
            .anchor("trafilatura 2.3.1", 0.716)
            .anchor("rs-trafilatura 0.2.2", 0.713)
            .anchor("dom_smoothie 0.19.0", 0.690),
        Score::new(
            suite,
            "dates correct",
            dates_correct as f64 / dates_n.max(1) as f64,
            dates_n,
        )
        .anchor("trafilatura 2.3.1", 0.845)
        .anchor("rs-trafilatura 0.2.2", 0.601)
        .anchor("dom_smoothie 0.19.0", 0.531),
        Score::new(
            suite,
            "date precision",
            dates_correct as f64 / dates_answered.max(1) as f64,
            dates_answered,
        )
        .anchor("trafilatura 2.3.1", 0.848)
        .anchor("rs-trafilatura 0.2.2", 0.834)
        .anchor("dom_smoothie 0.19.0", 0.886),
        Score::new(suite, "ms/page mean", mean(&ms), n)
            .anchor("trafilatura 2.3.1", 107.7)
            .anchor("rs-trafilatura 0.2.2", 34.4)
            .anchor("dom_smoothie 0.19.0", 6.5),
        Score::new(suite, "ms/page p95", percentile(&mut ms, 0.95), n)
            .anchor("rs-trafilatura 0.2.2", 78.6)
            .anchor("dom_smoothie 0.19.0", 16.1),
    ])
}

/// The reference bodies of a Fundus article: every choice of optional (`[...]`) paragraphs.
/// Up to 2^10 variants are tried exhaustively; beyond that, all-in, all-out and a greedy walk
/// that drops one optional paragraph at a time while the score improves.
fn fundus_best(body: &[String], pred: &str) -> (f64, f64, f64) {
    let optional: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, p)| p.len() >= 2 && p.starts_with('[') && p.ends_with(']'))
        .map(|(i, _)| i)
        .collect();
    let variant = |drop: &[bool]| -> String {
        body.iter()
            .enumerate()
            .filter_map(|(i, p)| match optional.iter().position(|o| *o == i) {
                Some(k) if drop[k] => None,
                Some(_) => Some(&p[1..p.len() - 1]),
                None => Some(p.as_str()),
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let k = optional.len();
    let mut best = (0.0, 0.0, -1.0);
    let consider = |drop: &[bool], best: &mut (f64, f64, f64)| {
        let s = rouge_lsum(&variant(drop), pred);
        if s.2 > best.2 {
            *best = s;
        }
        s.2
    };
    if k <= 10 {
        for mask in 0u32..(1 << k) {
            let drop: Vec<bool> = (0..k).map(|b| mask & (1 << b) != 0).collect();
            consider(&drop, &mut best);
        }
    } else {
        consider(&vec![true; k], &mut best);
        let mut drop = vec![false; k];
        let mut cur = consider(&drop, &mut best);
        loop {
            let mut improved = None;
            for b in 0..k {
                if drop[b] {
                    continue;
                }
                drop[b] = true;
                let s = consider(&drop, &mut best);
                drop[b] = false;
                if s > cur {
                    cur = s;
                    improved = Some(b);
                }
            }
            match improved {
                Some(b) => drop[b] = true,
                None => break,
            }
        }
    }
    best
}

/// Fundus news evaluation: ROUGE-LSum against hand-extracted paragraphs, best over optional
/// paragraph variants; mean ± sd of per-article P/R/F1 in %.
pub fn fundus(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("extraction/fundus-news-eval");
    require(&dir)?;
    let gt_path = dir.join("ground_truth.json");
    let gt: HashMap<String, Value> =
        serde_json::from_value(read_json(&gt_path)?).map_err(|e| bad(&gt_path, e.to_string()))?;
    let mut ids: Vec<&String> = gt.keys().collect();
    ids.sort();
    let (mut ps, mut rs, mut fs, mut ms) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut lines = Vec::new();
    for id in ids {
        let html = read_maybe_gz(&dir.join("html").join(id))?;
        let url = gt[id]["url"].as_str();
        let fetched = crawl_date(gt[id]["crawl_date"].as_str());
        let (doc, t) = run(&decode(&html), url, fetched);
        let body: Vec<String> = gt[id]["body"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let (p, r, f) = fundus_best(&body, &doc.body_text());
        lines.push(format!(
            "{id}\t{:.1}\t{:.1}\t{:.1}\t{t:.1}",
            f * 100.0,
            p * 100.0,
            r * 100.0
        ));
        ps.push(p * 100.0);
        rs.push(r * 100.0);
        fs.push(f * 100.0);
        ms.push(t);
    }
    dump("fundus", "id\tf1\tp\tr\tms", &lines);
    let n = fs.len();
    let suite = "extraction-fundus";
    Ok(vec![
        Score::new(suite, "ROUGE-LSum F1 %", mean(&fs), n)
            .anchor("trafilatura 1.12.0 (published)", 93.62)
            .anchor("news-please 1.6.13 (published)", 93.39)
            .anchor("fundus 0.4.1 per-site (published)", 97.69),
        Score::new(suite, "ROUGE-LSum F1 sd", sd(&fs), n)
            .anchor("trafilatura 1.12.0 (published)", 16.73),
        Score::new(suite, "ROUGE-LSum precision %", mean(&ps), n)
            .anchor("trafilatura 1.12.0 (published)", 93.91),
        Score::new(suite, "ROUGE-LSum recall %", mean(&rs), n)
            .anchor("trafilatura 1.12.0 (published)", 96.85),
        Score::new(suite, "ms/page mean", mean(&ms), n),
    ])
}

/// htmldate's Media Cloud 2020 set: publication day, precision/recall/accuracy/F. No URL is
/// given to the extractor, as in htmldate's benchmark.
pub fn dates(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("extraction/htmldate-mediacloud-2020");
    require(&dir)?;
    let gt_path = dir.join("ground-truth.json");
    let gt: HashMap<String, Value> =
        serde_json::from_value(read_json(&gt_path)?).map_err(|e| bad(&gt_path, e.to_string()))?;
    let mut urls: Vec<&String> = gt.keys().collect();
    urls.sort();
    let (mut tp, mut fp, mut fnn, mut tn) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut lines = Vec::new();
    for u in urls {
        let Some(file) = gt[u]["file"].as_str() else {
            continue;
        };
        let html = read_maybe_gz(&dir.join("html").join(file))?;
        let (doc, _) = run(&decode(&html), None, None);
        let ours = date_of(&doc);
        let gold = gt[u]["date"].as_str().filter(|d| !d.is_empty());
        match (ours.as_deref(), gold) {
            (Some(o), Some(g)) if o == g => tp += 1.0,
            (Some(_), _) => fp += 1.0,
            (None, Some(_)) => fnn += 1.0,
            (None, None) => {
                fnn += 1.0;
                tn += 1.0;
            }
        }
        lines.push(format!(
            "{file}\t{}\t{}\t{}\t{u}",
            ours.as_deref().unwrap_or("-"),
            gold.unwrap_or("-"),
            doc.metadata
                .published
                .as_ref()
                .map(|p| format!("{:?}", p.signal))
                .unwrap_or_default()
        ));
    }
    dump("dates", "file\tours\tgold\tsignal\turl", &lines);
    let n = (tp + fp + fnn) as usize;
    let suite = "extraction-dates";
    Ok(vec![
        Score::new(
            suite,
            "date F",
            2.0 * tp / (2.0 * tp + fp + fnn).max(1.0),
            n,
        )
        .anchor("htmldate 1.10 extensive (published)", 0.949)
        .anchor("htmldate 1.11 extensive (measured)", 0.942)
        .anchor("htmldate 1.11 fast (measured)", 0.919),
        Score::new(suite, "date precision", tp / (tp + fp).max(1.0), n)
            .anchor("htmldate 1.11 extensive (measured)", 0.908)
            .anchor("htmldate 1.11 fast (measured)", 0.934),
        Score::new(suite, "date recall", tp / (tp + fnn).max(1.0), n)
            .anchor("htmldate 1.11 extensive (measured)", 0.978),
        Score::new(
            suite,
            "date accuracy",
            (tp + tn) / (tp + tn + fp + fnn).max(1.0),
            n,
        )
        .anchor("htmldate 1.11 extensive (measured)", 0.890)
        .anchor("htmldate 1.11 fast (measured)", 0.850),
    ])
}

/// Visible text of an HTML fragment, block elements separated by blank lines.
fn html_text(html: &str) -> String {
    let doc = dossier_extract::extract_html(
        &format!("<html><body><article>{html}</article></body></html>"),
        &Hints::default(),
    );
    doc.blocks
        .iter()
        .map(|b| doc.block_text(b))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[derive(Default)]
struct MetaTally {
    body: Vec<f64>,
    titles: Vec<bool>,
    authors: Vec<f64>,
    dates: (usize, usize, usize),
    lines: Vec<String>,
}

impl MetaTally {
    fn add(
        &mut self,
        id: &str,
        doc: &Document,
        body: Option<&str>,
        title: Option<&str>,
        authors: Option<&str>,
        date: Option<DateTime<FixedOffset>>,
    ) {
        let f = body.map(|b| multiset_prf(tokens(&doc.body_text()), tokens(b)).2);
        if let Some(f) = f {
            self.body.push(f);
        }
        let t = title
            .filter(|t| !t.trim().is_empty())
            .map(|t| title_ok(doc, t));
        if let Some(t) = t {
            self.titles.push(t);
        }
        let a = authors
            .filter(|a| !a.trim().is_empty())
            .map(|a| author_f1(doc, a));
        if let Some(a) = a {
            self.authors.push(a);
        }
        let ours = doc.metadata.published.as_ref().map(|p| p.value);
        let mut date_ok = None;
        if let Some(g) = date {
            self.dates.2 += 1;
            if let Some(o) = ours {
                self.dates.1 += 1;
                let same = o.with_timezone(g.offset()).date_naive() == g.date_naive();
                date_ok = Some(same);
                if same {
                    self.dates.0 += 1;
                }
            }
        }
        self.lines.push(format!(
            "{id}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            f.map(|f| format!("{f:.3}")).unwrap_or_default(),
            t.map(|t| t as u8)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            clean(doc.title().unwrap_or("")),
            clean(title.unwrap_or("")),
            a.map(|a| format!("{a:.2}")).unwrap_or_default(),
            clean(
                &doc.metadata
                    .authors
                    .iter()
                    .map(|a| a.value.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            clean(authors.unwrap_or("")),
            ours.map(|o| o.to_rfc3339()).unwrap_or_default(),
            date.map(|d| format!("{} {date_ok:?}", d.to_rfc3339()))
                .unwrap_or_default(),
        ));
    }

    fn scores(self, suite: &str, name: &str) -> Vec<Score> {
        dump(
            name,
            "id\tbody_f1\ttitle_ok\ttitle\tgold_title\tauthor_f1\tauthors\tgold_authors\tdate\tgold_date",
            &self.lines,
        );
        vec![
            Score::new(suite, "body word F1", mean(&self.body), self.body.len()),
            Score::new(
                suite,
                "titles token-exact",
                self.titles.iter().filter(|b| **b).count() as f64 / self.titles.len().max(1) as f64,
                self.titles.len(),
            ),
            Score::new(
                suite,
                "authors token F1",
                mean(&self.authors),
                self.authors.len(),
            ),
            Score::new(
                suite,
                "dates correct",
                self.dates.0 as f64 / self.dates.2.max(1) as f64,
                self.dates.2,
            ),
            Score::new(
                suite,
                "date precision",
                self.dates.0 as f64 / self.dates.1.max(1) as f64,
                self.dates.1,
            ),
        ]
    }
}

/// Mozilla Readability's news test pages: body (text of Readability.js's expected output),
/// title, byline and published time.
pub fn readability(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("corpora/readability-test-pages-news");
    require(&dir)?;
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| EvalError::Io(dir.clone(), e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("source.html").exists())
        .collect();
    cases.sort();
    let mut tally = MetaTally::default();
    for case in &cases {
        let id = case.file_name().and_then(|s| s.to_str()).unwrap_or("");
        let meta = read_json(&case.join("expected-metadata.json"))?;
        let html = read_maybe_gz(&case.join("source.html"))?;
        let (doc, _) = run(&decode(&html), None, None);
        let expected = read_maybe_gz(&case.join("expected.html"))
            .map(|b| html_text(&String::from_utf8_lossy(&b)))
            .ok();
        let date = meta["publishedTime"]
            .as_str()
            .and_then(dossier_extract::parse_date);
        tally.add(
            id,
            &doc,
            expected.as_deref(),
            meta["title"].as_str(),
            meta["byline"].as_str(),
            date,
        );
    }
    Ok(tally.scores("extraction-readability", "readability"))
}

/// Fundus' parser fixtures: real pages from 41 countries with hand-checked title, authors,
/// publishing date and body. Page versions are matched to the files of a publisher in order.
pub fn fundus_fixtures(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("corpora/fundus-parser-fixtures/test_data");
    require(&dir)?;
    let mut countries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| EvalError::Io(dir.clone(), e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    countries.sort();
    let mut tally = MetaTally::default();
    for country in &countries {
        let info = read_json(&country.join("meta.info")).unwrap_or(Value::Null);
        let mut publishers: Vec<PathBuf> = std::fs::read_dir(country)
            .map_err(|e| EvalError::Io(country.clone(), e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        publishers.sort();
        for pj in publishers {
            let Some(publisher) = pj.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let expected = read_json(&pj)?;
            let Some(versions) = expected.as_object() else {
                continue;
            };
            let mut files: Vec<String> = info
                .as_object()
                .map(|o| {
                    o.keys()
                        .filter(|k| {
                            k.strip_prefix(publisher)
                                .and_then(|r| r.strip_prefix('_'))
                                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
                        })
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            files.sort();
            let mut keys: Vec<&String> = versions.keys().collect();
            keys.sort();
            if files.len() != keys.len() {
                continue;
            }
            for (file, key) in files.iter().zip(keys) {
                let v = &versions[key];
                let Ok(html) = read_maybe_gz(&country.join(file)) else {
                    continue;
                };
                let url = info[file]["url"].as_str();
                let fetched = crawl_date(info[file]["crawl_date"].as_str());
                let (doc, _) = run(&decode(&html), url, fetched);
                let body = v.get("body").map(|b| {
                    let mut parts: Vec<String> = Vec::new();
                    let strs = |x: &Value| -> Vec<String> {
                        x.as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_string)
                                    .collect()
                            })
                            .unwrap_or_default()
                    };
                    parts.extend(strs(&b["summary"]));
                    if let Some(sections) = b["sections"].as_array() {
                        for s in sections {
                            parts.extend(strs(&s["headline"]));
                            parts.extend(strs(&s["paragraphs"]));
                        }
                    }
                    parts.join("\n\n")
                });
                let authors = v["authors"].as_array().map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                });
                let date = v["publishing_date"]
                    .as_str()
                    .and_then(dossier_extract::parse_date);
                tally.add(
                    &format!(
                        "{}/{file}",
                        country.file_name().and_then(|s| s.to_str()).unwrap_or("")
                    ),
                    &doc,
                    body.as_deref(),
                    v["title"].as_str(),
                    authors.as_deref(),
                    date,
                );
            }
        }
    }
    Ok(tally.scores("extraction-fixtures", "fixtures"))
}

/// Every extraction suite.
pub fn all(data: &Path) -> Result<Vec<Score>> {
    let mut out = aeb(data)?;
    out.extend(wcxb(data)?);
    out.extend(fundus(data)?);
    out.extend(dates(data)?);
    out.extend(meta(data)?);
    Ok(out)
}

/// Title, author, date and body checks on the Readability and Fundus fixture pages.
pub fn meta(data: &Path) -> Result<Vec<Score>> {
    let mut out = readability(data)?;
    out.extend(fundus_fixtures(data)?);
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
            shingles(&raw_tokens("a b c d e"), 4),
            vec!["a b c d", "b c d e"]
        );
    }

    #[test]
    fn shingle_metric_is_case_sensitive_and_normalised() {
        let (tp, fp, fnn) = shingle_tp_fp_fn("A b c d e", "a b c d e");
        assert!((tp - 1.0 / 3.0).abs() < 1e-9 && (fp - 1.0 / 3.0).abs() < 1e-9);
        assert!((fnn - 1.0 / 3.0).abs() < 1e-9);
        let (p, r, f) = shingle_metrics(&[(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]);
        // The empty prediction is left out of precision, not out of recall.
        assert_eq!((p, r), (1.0, 0.5));
        assert!((f - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn rouge_lsum_matches_hand_computation() {
        // rouge_score's documented example: one sentence each.
        let (p, r, f) = rouge_lsum(
            "The quick brown fox jumps over the lazy dog",
            "The quick dog jumps on the log.",
        );
        assert!((p - 4.0 / 7.0).abs() < 1e-9, "{p}");
        assert!((r - 4.0 / 9.0).abs() < 1e-9, "{r}");
        assert!(f > 0.49 && f < 0.51);
        assert_eq!(rouge_lsum("a b", ""), (0.0, 0.0, 0.0));
        assert_eq!(
            sentences("One. Two? \"Three!\" Four\n\nFive"),
            vec!["One.", "Two?", "\"Three!\"", "Four", "Five"]
        );
        assert_eq!(
            rouge_tokens("Café, 12 O'Neil"),
            vec!["caf", "12", "o", "neil"]
        );
    }

    #[test]
    fn optional_paragraphs() {
        let body = vec![
            "alpha beta gamma.".to_string(),
            "[delta epsilon.]".to_string(),
        ];
        let (_, _, f) = fundus_best(&body, "alpha beta gamma.");
        assert!((f - 1.0).abs() < 1e-9);
        let (_, _, f) = fundus_best(&body, "alpha beta gamma.\n\ndelta epsilon.");
        assert!((f - 1.0).abs() < 1e-9);
    }
}
