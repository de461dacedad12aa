//! Entities suite: named mentions of `dossier-nlp` scored on MEANTIME (recall of the NAM
//! mentions of people, organisations and places; see `entities/README.md`) and on the GUM
//! Wikinews documents (exhaustive entity annotation: precision, recall and F1 per type), plus
//! GUM sentence boundaries and the stage's throughput.
//!
//! Span conventions. Both corpora annotate a mention as its whole noun phrase ("European
//! airframer Airbus", "the Prime Minister of Singapore, Mr. Lee Hsien Loong"). A `dossier-nlp`
//! mention carries the name (`start..end`) and its noun phrase (`extent`: determiner, role and
//! apposition included), so *exact* compares the gold span with our extent, *exact name* with
//! the name alone, and *overlap* asks for one shared byte. Matching is one-to-one, typed
//! (person → PER, organisation → ORG, place → LOC) unless the metric says untyped.
//!
//! GUM named mentions are the gold entities of type person, organization or place whose head
//! (`minspan`) holds a proper noun (PROPN); spans are rebuilt from the gold tokens. GUM annotates
//! every mention, so it measures precision; MEANTIME annotates mainly sentences 0-5, so it
//! measures recall only.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Instant;

use dossier_nlp::{Language, MentionForm, MentionKind};
use serde::Deserialize;

use crate::{EvalError, Result, Score, require};

const SUITE: &str = "entities";
const SPACY: &str = "spaCy en_core_web_sm 3.8.0 (measured)";

fn typ(k: MentionKind) -> Option<&'static str> {
    match k {
        MentionKind::Person => Some("PER"),
        MentionKind::Organisation => Some("ORG"),
        MentionKind::Place => Some("LOC"),
        MentionKind::Nationality => None,
    }
}

/// A gold mention: (span, type).
type Gold<'a> = ((usize, usize), &'a str);

/// A predicted mention: (name span, extent, type).
type Pred = ((usize, usize), (usize, usize), &'static str);

fn preds(lang: &Language) -> Vec<Pred> {
    lang.mentions
        .iter()
        .filter(|m| m.form == MentionForm::Name)
        .filter_map(|m| Some(((m.start, m.end), m.extent, typ(m.kind)?)))
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    Extent,
    Name,
    Either,
    Overlap,
}

fn trim_span(text: &str, (s, e): (usize, usize)) -> (usize, usize) {
    // ignore punctuation and spaces at the edges (MEANTIME keeps "( EADS" in some spans)
    let seg = &text[s..e];
    let lead = seg.len()
        - seg
            .trim_start_matches(|c: char| c.is_whitespace() || "([\"'`,".contains(c))
            .len();
    let seg2 = &seg[lead..];
    let t = seg2.trim_end_matches(|c: char| c.is_whitespace() || ")]\"',".contains(c));
    if t.is_empty() {
        (s, e)
    } else {
        (s + lead, s + lead + t.len())
    }
}

fn matches(text: &str, g: (usize, usize), p: &Pred, how: Match) -> bool {
    let g = trim_span(text, g);
    let name = trim_span(text, p.0);
    let ext = trim_span(text, p.1);
    match how {
        Match::Extent => ext == g,
        Match::Name => name == g,
        Match::Either => ext == g || name == g,
        Match::Overlap => ext.0 < g.1 && g.0 < ext.1,
    }
}

/// One-to-one greedy matching; returns the number of matched pairs.
fn count(
    text: &str,
    gold: &[Gold],
    pred: &[Pred],
    how: Match,
    typed: bool,
    only: Option<&str>,
) -> (usize, usize, usize) {
    let gold: Vec<&Gold> = gold
        .iter()
        .filter(|g| only.is_none_or(|t| g.1 == t))
        .collect();
    let pred: Vec<&Pred> = pred
        .iter()
        .filter(|p| only.is_none_or(|t| p.2 == t))
        .collect();
    let mut used = vec![false; pred.len()];
    let mut hit = 0;
    for g in &gold {
        if let Some(k) = (0..pred.len())
            .find(|&k| !used[k] && (!typed || pred[k].2 == g.1) && matches(text, g.0, pred[k], how))
        {
            used[k] = true;
            hit += 1;
        }
    }
    (hit, gold.len(), pred.len())
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[derive(Deserialize)]
struct MtDoc {
    doc: String,
    text: String,
}

#[derive(Deserialize)]
struct MtMention {
    doc: String,
    start: usize,
    end: usize,
    syntactic_type: Option<String>,
    ent_type: Option<String>,
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let raw = std::fs::read_to_string(path).map_err(|e| EvalError::Io(path.to_path_buf(), e))?;
    let mut out = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| EvalError::BadData {
            path: path.to_path_buf(),
            reason: format!("line {}: {e}", n + 1),
        })?);
    }
    Ok(out)
}

/// MEANTIME NAM PER/ORG/LOC recall.
pub fn meantime(data: &Path) -> Result<(Vec<Score>, Vec<String>)> {
    let dir = data.join("entities/meantime-en");
    require(&dir)?;
    let docs: Vec<MtDoc> = read_jsonl(&dir.join("docs.jsonl"))?;
    let ments: Vec<MtMention> = read_jsonl(&dir.join("mentions.jsonl"))?;
    let mut gold: BTreeMap<&str, Vec<Gold>> = BTreeMap::new();
    for m in &ments {
        if m.syntactic_type.as_deref() != Some("NAM") {
            continue;
        }
        let t = match m.ent_type.as_deref() {
            Some("PER") => "PER",
            Some("ORG") => "ORG",
            Some("LOC") => "LOC",
            _ => continue,
        };
        gold.entry(m.doc.as_str())
            .or_default()
            .push(((m.start, m.end), t));
    }
    let mut tot: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    let mut texts = Vec::new();
    for d in &docs {
        texts.push(d.text.clone());
        let g = gold.get(d.doc.as_str()).cloned().unwrap_or_default();
        if g.is_empty() {
            continue;
        }
        let lang = dossier_nlp::analyse(&d.text, None);
        let p = preds(&lang);
        let metrics: [(&str, Match, bool); 5] = [
            ("exact", Match::Extent, true),
            ("exact-name", Match::Name, true),
            ("exact-either", Match::Either, true),
            ("overlap", Match::Overlap, true),
            ("overlap-untyped", Match::Overlap, false),
        ];
        for (name, how, typed) in metrics {
            let (h, n, _) = count(&d.text, &g, &p, how, typed, None);
            let e = tot.entry((name, "all")).or_default();
            e.0 += h;
            e.1 += n;
            for t in ["PER", "ORG", "LOC"] {
                let (h, n, _) = count(&d.text, &g, &p, how, typed, Some(t));
                let e = tot.entry((name, t)).or_default();
                e.0 += h;
                e.1 += n;
            }
        }
    }
    let mut out = Vec::new();
    for ((metric, t), (h, n)) in &tot {
        let label = if *t == "all" {
            format!("meantime {metric} recall")
        } else {
            format!("meantime {metric} recall {t}")
        };
        let mut sc = Score::new(SUITE, &label, pct(*h, *n), *n);
        match (*metric, *t) {
            ("exact", "all") => sc = sc.anchor(SPACY, 70.1).anchor("goal", 75.0),
            ("exact", "PER") => sc = sc.anchor(SPACY, 54.1),
            ("exact", "ORG") => sc = sc.anchor(SPACY, 73.0),
            ("exact", "LOC") => sc = sc.anchor(SPACY, 71.2),
            ("overlap", "all") => sc = sc.anchor(SPACY, 89.6).anchor("goal", 92.0),
            _ => {}
        }
        out.push(sc);
    }
    Ok((out, texts))
}

/// A GUM document rebuilt from its tokens: text, paragraph spans, sentence starts (bytes) and
/// named gold mentions.
pub struct GumDoc {
    pub text: String,
    pub paras: Vec<(usize, usize)>,
    pub sent_starts: Vec<usize>,
    pub gold: Vec<((usize, usize), &'static str)>,
    /// Every gold mention (any type, named or not, pronouns too): span and entity id.
    pub chains: Vec<((usize, usize), String)>,
}

pub fn parse_gum(src: &str) -> GumDoc {
    let mut text = String::new();
    let mut paras: Vec<(usize, usize)> = Vec::new();
    let mut para_start: Option<usize> = None;
    let mut sent_starts = Vec::new();
    let mut new_sent = false;
    let mut space = false;
    // per sentence: token byte spans and PROPN flags (sentence-relative ids)
    let mut toks: Vec<(usize, usize, bool)> = Vec::new();
    // open entities: (type, start token index in `toks`, minspan list)
    let mut open: Vec<(Option<&'static str>, usize, Vec<usize>, String)> = Vec::new();
    let mut gold = Vec::new();
    let mut chains: Vec<((usize, usize), String)> = Vec::new();
    let close_para =
        |text: &mut String, paras: &mut Vec<(usize, usize)>, ps: &mut Option<usize>| {
            if let Some(s) = ps.take() {
                let e = text.trim_end().len();
                if e > s {
                    paras.push((s, e));
                }
            }
        };
    let mut mwt_skip = 0usize;
    let mut mwt = (0usize, 0usize, 0usize); // surface start, end, bytes consumed by parts
    for line in src.lines() {
        if line.starts_with("# newpar") {
            if line.starts_with("# newpar_block") {
                continue;
            }
            close_para(&mut text, &mut paras, &mut para_start);
            let t = text.trim_end().len();
            text.truncate(t);
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            space = false;
            continue;
        }
        if line.starts_with("# sent_id") {
            new_sent = true;
            toks.clear();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !text.is_empty() && !text.ends_with(['\n', ' ']) {
                space = true;
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 10 || cols[0].contains('.') {
            continue;
        }
        if let Some((a, b)) = cols[0].split_once('-') {
            // multi-word token: write its surface once, skip the parts' text
            let (a, b): (usize, usize) = (a.parse().unwrap_or(0), b.parse().unwrap_or(0));
            if space {
                text.push(' ');
            }
            if para_start.is_none() {
                para_start = Some(text.len());
            }
            if new_sent {
                sent_starts.push(text.len());
                new_sent = false;
            }
            let ms = text.len();
            text.push_str(cols[1]);
            mwt = (ms, text.len(), 0);
            space = !cols[9].contains("SpaceAfter=No");
            mwt_skip = b.saturating_sub(a) + 1;
            continue;
        }
        let (s, e) = if mwt_skip > 0 {
            mwt_skip -= 1;
            let form = cols[1];
            let at = mwt.0 + mwt.2;
            if text.get(at..at + form.len()) == Some(form) {
                mwt.2 += form.len();
                (at, at + form.len())
            } else {
                (mwt.0, mwt.1)
            }
        } else {
            if space {
                text.push(' ');
            }
            if para_start.is_none() {
                para_start = Some(text.len());
            }
            if new_sent {
                sent_starts.push(text.len());
                new_sent = false;
            }
            let s = text.len();
            text.push_str(cols[1]);
            space = !cols[9].contains("SpaceAfter=No");
            (s, text.len())
        };
        toks.push((s, e, cols[3] == "PROPN"));
        let ti = toks.len() - 1;
        let Some(ent) = cols[9].split('|').find_map(|p| p.strip_prefix("Entity=")) else {
            continue;
        };
        // brackets: "(12-person-new-...-minspan-...)" opens (and may close) 12, "12)" closes
        let mut rest = ent;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('(') {
                let end = r.find(['(', ')']).unwrap_or(r.len());
                let body = &r[..end];
                let f: Vec<&str> = body.split('-').collect();
                let id = f.first().copied().unwrap_or("").to_string();
                let t = match f.get(1).copied() {
                    Some("person") => Some("PER"),
                    Some("organization") => Some("ORG"),
                    Some("place") => Some("LOC"),
                    _ => None,
                };
                let minspan: Vec<usize> = f
                    .get(5)
                    .map(|m| m.split(',').filter_map(|x| x.parse().ok()).collect())
                    .unwrap_or_default();
                open.push((t, ti, minspan, id.clone()));
                rest = &r[end..];
                if rest.starts_with(')') {
                    // closes on the same token
                    if let Some(p) = open.iter().rposition(|o| o.3 == id) {
                        let o = open.remove(p);
                        if o.1 <= ti && toks[o.1].0 < toks[ti].1 {
                            chains.push(((toks[o.1].0, toks[ti].1), o.3.clone()));
                        }
                        finish(&toks, o, ti, &mut gold);
                    }
                    rest = &rest[1..];
                }
            } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
                let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
                rest = &rest[n.len()..];
                if let Some(r) = rest.strip_prefix(')') {
                    if let Some(p) = open.iter().rposition(|o| o.3 == n) {
                        let o = open.remove(p);
                        if o.1 <= ti && toks[o.1].0 < toks[ti].1 {
                            chains.push(((toks[o.1].0, toks[ti].1), o.3.clone()));
                        }
                        finish(&toks, o, ti, &mut gold);
                    }
                    rest = r;
                }
            } else {
                rest = &rest[rest.chars().next().map_or(1, char::len_utf8)..];
            }
        }
    }
    close_para(&mut text, &mut paras, &mut para_start);
    GumDoc {
        text,
        paras,
        sent_starts,
        gold,
        chains,
    }
}

fn finish(
    toks: &[(usize, usize, bool)],
    o: (Option<&'static str>, usize, Vec<usize>, String),
    last: usize,
    gold: &mut Vec<((usize, usize), &'static str)>,
) {
    let (Some(t), first, minspan, _) = o else {
        return;
    };
    if first > last || last >= toks.len() || toks[first].0 >= toks[last].1 {
        return;
    }
    // named: a head (minspan, 1-based within the mention) token is a proper noun
    let named = minspan
        .iter()
        .any(|&k| k >= 1 && first + k - 1 <= last && toks[first + k - 1].2);
    if named {
        gold.push(((toks[first].0, toks[last].1), t));
    }
}

/// GUM Wikinews: named mention P/R/F per type, and sentence boundaries.
pub fn gum(data: &Path) -> Result<(Vec<Score>, Vec<String>)> {
    let dir = data.join("attribution/gum-wikinews/conllu");
    require(&dir)?;
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| EvalError::Io(dir.clone(), e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".conllu"))
        .collect();
    names.sort();
    // official GUM split per document (splits.tsv: doc, genre, split, ...)
    let splits_path = data.join("attribution/gum-wikinews/splits.tsv");
    let splits_src =
        std::fs::read_to_string(&splits_path).map_err(|e| EvalError::Io(splits_path.clone(), e))?;
    let split_of: BTreeMap<String, String> = splits_src
        .lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() >= 3).then(|| (c[0].to_string(), c[2].to_string()))
        })
        .collect();
    let mut tot: BTreeMap<(String, &str), (usize, usize, usize)> = BTreeMap::new();
    let (mut sb_hit, mut sb_gold, mut sb_pred) = (0usize, 0usize, 0usize);
    // coreference links: rule family -> (correct, judged, all)
    let mut links: BTreeMap<&'static str, (usize, usize, usize)> = BTreeMap::new();
    let (mut in_hit, mut in_gold, mut in_pred) = (0usize, 0usize, 0usize);
    let mut texts = Vec::new();
    for n in &names {
        let p = dir.join(n);
        let src = std::fs::read_to_string(&p).map_err(|e| EvalError::Io(p.clone(), e))?;
        let g = parse_gum(&src);
        let lang = dossier_nlp::analyse(&g.text, Some(&g.paras));
        let pr = preds(&lang);
        let genre = if n.contains("_news_") {
            "news"
        } else {
            "interview"
        };
        let split_scope = match split_of
            .get(n.trim_end_matches(".conllu"))
            .map(String::as_str)
        {
            Some("test") => "test",
            Some("dev") => "dev",
            _ => "train",
        };
        for (metric, how, typed) in [
            ("exact", Match::Extent, true),
            ("exact-name", Match::Name, true),
            ("overlap", Match::Overlap, true),
        ] {
            for t in [None, Some("PER"), Some("ORG"), Some("LOC")] {
                let (h, gn, pn) = count(&g.text, &g.gold, &pr, how, typed, t);
                for scope in ["all", genre, split_scope] {
                    let key = format!("{scope} {metric} {}", t.unwrap_or("all"));
                    let e = tot.entry((key, "")).or_default();
                    e.0 += h;
                    e.1 += gn;
                    e.2 += pn;
                }
            }
        }
        // Coreference links: a link is judged when both ends (name or pronoun spans) are gold
        // mentions with the same span, and right when both belong to one gold entity.
        let gold_entity = |sp: (usize, usize)| -> Option<&str> {
            g.chains
                .iter()
                .find(|(c, _)| trim_span(&g.text, *c) == trim_span(&g.text, sp))
                .map(|(_, id)| id.as_str())
        };
        for e in &lang.entities {
            for v in &e.evidence {
                let fam = if v.rule.starts_with("pronoun") {
                    "pronoun"
                } else if v.rule == "title" {
                    "title"
                } else {
                    "name"
                };
                let m = &lang.mentions[v.mention];
                let a = &lang.mentions[v.antecedent];
                let x = links.entry(fam).or_default();
                x.2 += 1;
                if let (Some(p), Some(q)) =
                    (gold_entity((m.start, m.end)), gold_entity((a.start, a.end)))
                {
                    x.1 += 1;
                    if p == q {
                        x.0 += 1;
                    }
                }
            }
        }
        // sentence starts, document start excluded
        let gold_s: HashSet<usize> = g.sent_starts.iter().copied().filter(|&s| s > 0).collect();
        let pred_s: HashSet<usize> = lang
            .sentences
            .iter()
            .map(|s| s.start)
            .filter(|&s| s > 0)
            .collect();
        let para_s: HashSet<usize> = g.paras.iter().map(|p| p.0).collect();
        sb_hit += gold_s.intersection(&pred_s).count();
        sb_gold += gold_s.len();
        sb_pred += pred_s.len();
        let gi: HashSet<&usize> = gold_s.iter().filter(|s| !para_s.contains(s)).collect();
        let pi: HashSet<&usize> = pred_s.iter().filter(|s| !para_s.contains(s)).collect();
        in_hit += gi.intersection(&pi).count();
        in_gold += gi.len();
        in_pred += pi.len();
        texts.push(g.text);
    }
    let mut out = Vec::new();
    for ((key, _), (h, gn, pn)) in &tot {
        let (p, r) = (pct(*h, *pn), pct(*h, *gn));
        out.push(Score::new(SUITE, &format!("gum {key} P"), p, *pn));
        out.push(Score::new(SUITE, &format!("gum {key} R"), r, *gn));
        out.push(Score::new(SUITE, &format!("gum {key} F1"), f1(p, r), *gn));
    }
    for (fam, (ok, judged, all)) in &links {
        out.push(Score::new(
            SUITE,
            &format!("gum coreference {fam} links precision ({all} links)"),
            pct(*ok, *judged),
            *judged,
        ));
    }
    let (p, r) = (pct(sb_hit, sb_pred), pct(sb_hit, sb_gold));
    out.push(Score::new(
        SUITE,
        "gum sentence starts F1 (paragraphs given)",
        f1(p, r),
        sb_gold,
    ));
    let (p, r) = (pct(in_hit, in_pred), pct(in_hit, in_gold));
    out.push(Score::new(
        SUITE,
        "gum sentence starts inside paragraphs P",
        p,
        in_pred,
    ));
    out.push(Score::new(
        SUITE,
        "gum sentence starts inside paragraphs R",
        r,
        in_gold,
    ));
    out.push(Score::new(
        SUITE,
        "gum sentence starts inside paragraphs F1",
        f1(p, r),
        in_gold,
    ));
    Ok((out, texts))
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let l = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = l.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Every entities figure: MEANTIME recall, GUM P/R/F and sentences, throughput and memory.
pub fn all(data: &Path) -> Result<Vec<Score>> {
    let (mut out, mut texts) = meantime(data)?;
    let (g, t2) = gum(data)?;
    out.extend(g);
    texts.extend(t2);
    // Throughput on one core: sentences + names + coreference over every text, three rounds.
    let bytes: usize = texts.iter().map(String::len).sum();
    let t0 = Instant::now();
    let mut n = 0usize;
    for _ in 0..3 {
        for t in &texts {
            n += dossier_nlp::analyse(t, None).mentions.len();
        }
    }
    let secs = t0.elapsed().as_secs_f64().max(1e-9);
    let mbs = 3.0 * bytes as f64 / 1e6 / secs;
    out.push(
        Score::new(
            SUITE,
            "throughput MB/s (one core, sentences+names+coref)",
            mbs,
            n,
        )
        .anchor("goal", 1.0),
    );
    if let Some(mb) = peak_rss_mb() {
        out.push(
            Score::new(
                SUITE,
                "peak resident MB (eval process, data + lexicons)",
                mb,
                0,
            )
            .anchor("goal (upper bound)", 100.0),
        );
    }
    Ok(out)
}
