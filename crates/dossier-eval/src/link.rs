//! Suite `link`: the cross-report stage (crate dossier-link).
//!
//! - MEANTIME English: cross-document entity clustering of named mentions (gold `instance_id`),
//!   B³ P/R/F1, beside the exact-string and head-and-type rules computed here.
//! - ECB+: story (subtopic) clustering of documents, BCubed P/R/F1; parameters chosen on train
//!   and dev only, test reported; beside a plain streaming TF-IDF clusterer tuned the same way.
//! - ECB+: cross-document event coreference (gold mentions in the validated sentences), CoNLL F1
//!   (MUC, B³, CEAF-e), same-lemma baseline vs lemma-within-story.
//! - Scale: the RSS week (15,827 feed items) through the copy and story indexes in time order:
//!   pair comparisons and time per report from the first 1,000 items to all.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use dossier_link::{
    CopyIndex, DocInput, EntityKind, EntityResolver, MentionInput, Span, StoryConfig, StoryIndex,
};

use crate::{EvalError, Result, Score};

/// Every part of the suite.
pub fn all(data: &Path) -> Result<Vec<Score>> {
    // `LINK_ONLY=stories,scale` runs only those parts (for quick checks while tuning).
    let only = std::env::var("LINK_ONLY").ok();
    let want = |part: &str| {
        only.as_deref()
            .is_none_or(|o| o.split(',').any(|p| p == part))
    };
    let mut out = Vec::new();
    if want("entities") {
        out.extend(entities(data)?);
        out.extend(wagner(data)?);
    }
    if want("stories") {
        out.extend(stories(data)?);
    }
    if want("events") {
        out.extend(events(data)?);
    }
    if want("scale") {
        out.extend(scale(data)?);
    }
    // `LINK_SYNTH=DIR`: a synthetic corpus written by dossier-synth's `dump` example (a check
    // of story purity, not a target; not part of the suite's scores).
    if let Ok(dir) = std::env::var("LINK_SYNTH") {
        synth(Path::new(&dir))?;
    }
    Ok(out)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| EvalError::Io(path.to_path_buf(), e))
}

fn bad(path: &Path, reason: impl Into<String>) -> EvalError {
    EvalError::BadData {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// B³ precision, recall and F1 over items that have a gold cluster.
pub fn bcubed<K: std::hash::Hash + Eq + Clone, G: std::hash::Hash + Eq + Clone>(
    sys: &[K],
    gold: &[G],
) -> (f64, f64, f64) {
    let n = sys.len();
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let mut sys_sz: HashMap<K, usize> = HashMap::new();
    let mut gold_sz: HashMap<G, usize> = HashMap::new();
    let mut both: HashMap<(K, G), usize> = HashMap::new();
    for (s, g) in sys.iter().zip(gold) {
        *sys_sz.entry(s.clone()).or_default() += 1;
        *gold_sz.entry(g.clone()).or_default() += 1;
        *both.entry((s.clone(), g.clone())).or_default() += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for (s, g) in sys.iter().zip(gold) {
        let b = both[&(s.clone(), g.clone())] as f64;
        p += b / sys_sz[s] as f64;
        r += b / gold_sz[g] as f64;
    }
    let (p, r) = (p / n as f64, r / n as f64);
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

// ---------------------------------------------------------------------------------------------
// MEANTIME entities

struct MtMention {
    doc: String,
    start: usize,
    end: usize,
    text: String,
    kind: EntityKind,
    ent_type: String,
    instance: Option<String>,
}

fn kind_of(t: &str) -> EntityKind {
    match t {
        "PER" => EntityKind::Person,
        "ORG" => EntityKind::Organisation,
        "LOC" => EntityKind::Place,
        "PRO" => EntityKind::Product,
        "FIN" => EntityKind::Financial,
        _ => EntityKind::Other,
    }
}

/// MEANTIME cross-document entity clustering over named mentions.
pub fn entities(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("entities/meantime-en");
    crate::require(&dir)?;
    let docs_path = dir.join("docs.jsonl");
    let mut doc_order: Vec<String> = Vec::new();
    for line in read(&docs_path)?.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(&docs_path, e.to_string()))?;
        doc_order.push(v["doc"].as_str().unwrap_or_default().to_string());
    }
    let path = dir.join("mentions.jsonl");
    let mut by_doc: HashMap<String, Vec<MtMention>> = HashMap::new();
    for line in read(&path)?.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(&path, e.to_string()))?;
        if v["syntactic_type"].as_str() != Some("NAM") {
            continue;
        }
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        let ent_type = s("ent_type");
        by_doc.entry(s("doc")).or_default().push(MtMention {
            doc: s("doc"),
            start: v["start"].as_u64().unwrap_or(0) as usize,
            end: v["end"].as_u64().unwrap_or(0) as usize,
            text: s("text"),
            kind: kind_of(&ent_type),
            ent_type,
            instance: v["instance_id"].as_str().map(str::to_string),
        });
    }
    let mut resolver = EntityResolver::default();
    let mut sys: Vec<usize> = Vec::new();
    let mut gold: Vec<String> = Vec::new();
    let mut exact: Vec<String> = Vec::new();
    let mut head: Vec<String> = Vec::new();
    let t0 = Instant::now();
    let mut n_all = 0;
    for d in &doc_order {
        let Some(ms) = by_doc.get(d) else { continue };
        let inputs: Vec<MentionInput> = ms
            .iter()
            .map(|m| MentionInput {
                span: Span::new(m.start, m.end),
                text: m.text.clone(),
                kind: m.kind,
            })
            .collect();
        n_all += inputs.len();
        let res = resolver.add(d, &inputs);
        let mut ent = vec![usize::MAX; ms.len()];
        let mut why = vec![String::new(); ms.len()];
        for r in res {
            ent[r.mention] = r.entity;
            why[r.mention] = format!("{:?}", r.evidence);
        }
        for (i, m) in ms.iter().enumerate() {
            let Some(inst) = &m.instance else { continue };
            // Unresolvable mentions (no name form) are singletons.
            sys.push(if ent[i] == usize::MAX {
                usize::MAX - sys.len()
            } else {
                ent[i]
            });
            gold.push(inst.clone());
            exact.push(m.text.clone());
            if std::env::var_os("LINK_DUMP").is_some() {
                println!(
                    "DUMP\t{}\t{}\t{}\t{}\t{}\t{}",
                    m.doc,
                    m.ent_type,
                    m.text,
                    sys[sys.len() - 1],
                    inst,
                    why[i]
                );
            }
            let last = m.text.split_whitespace().last().unwrap_or("").to_string();
            head.push(format!("{}|{}", m.ent_type, last));
        }
    }
    let ms_per = t0.elapsed().as_secs_f64() * 1000.0 / n_all.max(1) as f64;
    let n = gold.len();
    let (p, r, f) = bcubed(&sys, &gold);
    let (ep, er, ef) = bcubed(&exact, &gold);
    let (hp, hr, hf) = bcubed(&head, &gold);
    let pct = |x: f64| (x * 1000.0).round() / 10.0;
    eprintln!(
        "link/meantime: {n} gold named mentions, {} entities; B3 P {:.1} R {:.1} F1 {:.1} (exact-string P {:.1} R {:.1} F1 {:.1}; head+type P {:.1} R {:.1} F1 {:.1}); {:.3} ms/mention",
        resolver.entities().len(),
        pct(p),
        pct(r),
        pct(f),
        pct(ep),
        pct(er),
        pct(ef),
        pct(hp),
        pct(hr),
        pct(hf),
        ms_per
    );
    let s = |m: &str, v: f64| Score::new("link", m, pct(v), n);
    Ok(vec![
        s("meantime-entity-b3-f1", f)
            .anchor("exact-string rule (ours)", pct(ef))
            .anchor("head-and-type rule (ours)", pct(hf))
            .anchor("exact-string rule (issue)", 67.5)
            .anchor("head-and-type rule (issue)", 79.7)
            .anchor("goal", 90.0),
        s("meantime-entity-b3-p", p)
            .anchor("exact-string rule (ours)", pct(ep))
            .anchor("head-and-type rule (ours)", pct(hp))
            .anchor("goal", 95.0),
        s("meantime-entity-b3-r", r)
            .anchor("exact-string rule (ours)", pct(er))
            .anchor("head-and-type rule (ours)", pct(hr)),
    ])
}

/// Wagner smoke test (`entities/wagner-aliases.tsv`): every name form (role phrases left out:
/// they need the report's context) as a mention in a report of its own, in file order; B³ over
/// the forms and the names of the forms that did not join their entity.
pub fn wagner(data: &Path) -> Result<Vec<Score>> {
    let path = data.join("entities/wagner-aliases.tsv");
    crate::require(&path)?;
    let mut resolver = EntityResolver::default();
    let (mut sys, mut gold, mut missed) = (Vec::new(), Vec::new(), Vec::new());
    for (i, line) in read(&path)?.lines().skip(1).enumerate() {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 4 || c[3].starts_with("role phrase") {
            continue;
        }
        let m = MentionInput {
            span: Span::new(0, c[2].len()),
            text: c[2].to_string(),
            kind: kind_of(c[1]),
        };
        let res = resolver.add(&format!("w{i}"), &[m]);
        let Some(r) = res.first() else { continue };
        sys.push(r.entity);
        gold.push(c[0].to_string());
    }
    // A form missed its entity when its cluster is not the one most of the entity's forms hold.
    let mut main: HashMap<&str, HashMap<usize, usize>> = HashMap::new();
    for (s, g) in sys.iter().zip(&gold) {
        *main.entry(g.as_str()).or_default().entry(*s).or_default() += 1;
    }
    let lines: Vec<String> = read(&path)?.lines().skip(1).map(str::to_string).collect();
    let forms: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() >= 4 && !c[3].starts_with("role phrase")).then_some(c[2])
        })
        .collect();
    for ((s, g), f) in sys.iter().zip(&gold).zip(&forms) {
        let best = main[g.as_str()]
            .iter()
            .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
            .map(|x| *x.0);
        if best != Some(*s) {
            missed.push(f.to_string());
        }
    }
    let (p, r, f) = bcubed(&sys, &gold);
    let pct = |x: f64| (x * 1000.0).round() / 10.0;
    eprintln!(
        "link/wagner: {} forms, B3 P {:.1} R {:.1} F1 {:.1}; not with their entity: {:?}",
        sys.len(),
        pct(p),
        pct(r),
        pct(f),
        missed
    );
    Ok(vec![
        Score::new("link", "wagner-aliases-b3-f1", pct(f), sys.len()),
        Score::new("link", "wagner-aliases-b3-p", pct(p), sys.len()),
    ])
}

// ---------------------------------------------------------------------------------------------
// ECB+

struct EcbDoc {
    name: String,
    subtopic: String,
    split: String,
    /// Tokens: (sentence, text).
    tokens: Vec<(usize, String)>,
    /// t_id → token index.
    tid: HashMap<u32, usize>,
    /// Event mentions: (m_id, token indices).
    events: Vec<(u32, Vec<usize>)>,
    /// m_id → cross-document instance.
    instance: HashMap<u32, String>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    let i = tag.find(&pat)? + pat.len();
    let j = tag[i..].find('"')? + i;
    Some(tag[i..j].to_string())
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A small reader for the regular CROMER XML of ECB+ (tokens, action markables, cross-doc coref).
fn read_ecb(path: &Path, name: &str, subtopic: &str, split: &str) -> Result<EcbDoc> {
    let xml = read(path)?;
    let mut doc = EcbDoc {
        name: name.to_string(),
        subtopic: subtopic.to_string(),
        split: split.to_string(),
        tokens: Vec::new(),
        tid: HashMap::new(),
        events: Vec::new(),
        instance: HashMap::new(),
    };
    let mut pos = 0;
    let mut cur_event: Option<(u32, Vec<usize>)> = None;
    let mut in_coref: Option<String> = None;
    while let Some(off) = xml[pos..].find('<') {
        let start = pos + off;
        let Some(len) = xml[start..].find('>') else {
            break;
        };
        let end = start + len + 1;
        let tag = &xml[start..end];
        pos = end;
        if tag.starts_with("<token ") {
            let close = xml[end..].find("</token>").map_or(end, |i| end + i);
            let word = unescape(xml[end..close].trim());
            let t: u32 = attr(tag, "t_id").and_then(|x| x.parse().ok()).unwrap_or(0);
            let s: usize = attr(tag, "sentence")
                .and_then(|x| x.parse().ok())
                .unwrap_or(0);
            doc.tid.insert(t, doc.tokens.len());
            doc.tokens.push((s, word));
            pos = close;
        } else if (tag.starts_with("<ACTION_") || tag.starts_with("<NEG_ACTION_"))
            && !tag.ends_with("/>")
        {
            let m: u32 = attr(tag, "m_id").and_then(|x| x.parse().ok()).unwrap_or(0);
            cur_event = Some((m, Vec::new()));
        } else if tag.starts_with("<token_anchor") {
            if let Some((_, v)) = cur_event.as_mut()
                && let Some(t) = attr(tag, "t_id").and_then(|x| x.parse::<u32>().ok())
                && let Some(&i) = doc.tid.get(&t)
            {
                v.push(i);
            }
        } else if tag.starts_with("</ACTION_") || tag.starts_with("</NEG_ACTION_") {
            if let Some(ev) = cur_event.take()
                && !ev.1.is_empty()
            {
                doc.events.push(ev);
            }
        } else if tag.starts_with("<CROSS_DOC_COREF") {
            in_coref = attr(tag, "note");
        } else if tag.starts_with("</CROSS_DOC_COREF") {
            in_coref = None;
        } else if tag.starts_with("<source ")
            && let Some(inst) = &in_coref
            && let Some(m) = attr(tag, "m_id").and_then(|x| x.parse::<u32>().ok())
        {
            doc.instance.insert(m, inst.clone());
        }
    }
    Ok(doc)
}

fn load_ecb(data: &Path) -> Result<Vec<EcbDoc>> {
    let dir = data.join("crossdoc/ecbplus");
    crate::require(&dir)?;
    let tsv = dir.join("docs.tsv");
    let mut out = Vec::new();
    for line in read(&tsv)?.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 5 {
            continue;
        }
        let path = dir.join("xml").join(c[1]).join(format!("{}.xml", c[0]));
        out.push(read_ecb(&path, c[0], c[2], c[4])?);
    }
    Ok(out)
}

fn ecb_input(d: &EcbDoc) -> DocInput {
    let mut title = String::new();
    let mut text = String::new();
    let mut url = String::new();
    let mut last_s = usize::MAX;
    // ECB titles are sentence 0; ECB+ files open with the URL (sentence 0), then the title. The
    // URL goes where a report's URL goes, not into the text.
    let plus = d.name.ends_with("ecbplus");
    let title_sentence = if plus { 1 } else { 0 };
    for (s, w) in &d.tokens {
        if plus && *s == 0 {
            url.push_str(w);
            continue;
        }
        let buf = if *s == title_sentence {
            &mut title
        } else {
            &mut text
        };
        if last_s != usize::MAX && *s != last_s && !buf.is_empty() {
            buf.push('\n');
        } else if !buf.is_empty() {
            buf.push(' ');
        }
        buf.push_str(w);
        last_s = *s;
    }
    let mut input = DocInput {
        id: d.name.clone(),
        url: (!url.is_empty()).then_some(url),
        title,
        text,
        ..Default::default()
    };
    if std::env::var_os("LINK_URL_IN_TEXT").is_some()
        && let Some(u) = &input.url
    {
        input.text = format!("{u}\n{}", input.text);
    }
    input
}

/// Named mentions as the pipeline hands them to the story index: dossier-nlp's names
/// (nationalities left out), with their spans in the text.
fn with_nlp_mentions(mut input: DocInput) -> DocInput {
    input.mentions = name_mentions(&dossier_nlp::analyse(&input.text, None));
    input
}

/// The named mentions of an analysis as the linker takes them (nationalities left out).
fn name_mentions(lang: &dossier_nlp::Language) -> Vec<MentionInput> {
    lang.mentions
        .iter()
        .filter(|m| m.form == dossier_nlp::MentionForm::Name)
        .filter_map(|m| {
            let kind = match m.kind {
                dossier_nlp::MentionKind::Person => EntityKind::Person,
                dossier_nlp::MentionKind::Organisation => EntityKind::Organisation,
                dossier_nlp::MentionKind::Place => EntityKind::Place,
                dossier_nlp::MentionKind::Nationality => return None,
            };
            Some(MentionInput {
                span: Span::new(m.start, m.end),
                text: m.text.clone(),
                kind,
            })
        })
        .collect()
}

/// How a story run meets the reports before the ones it is scored on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Background {
    /// A fresh store: only the scored reports.
    None,
    /// The other splits' texts counted into document frequencies (never their labels).
    Observe,
}

#[derive(Debug, Clone, Copy)]
struct Setup {
    background: Background,
    /// Mentions from dossier-nlp, as the pipeline gives them (else none: capitalised words).
    nlp: bool,
    /// One more merge pass at the end of the stream.
    final_merge: bool,
}

/// What the pipeline ships: a fresh store, dossier-nlp's mentions, no extra merge pass.
const SHIPPED: Setup = Setup {
    background: Background::None,
    nlp: true,
    final_merge: false,
};

/// The setup the tuned figure uses (as before): idf from the other splits, final merge pass.
const TUNED: Setup = Setup {
    background: Background::Observe,
    nlp: false,
    final_merge: true,
};

/// ECB+ documents with their inputs, built once.
struct EcbSet<'a> {
    docs: &'a [EcbDoc],
    plain: Vec<DocInput>,
    nlp: Vec<DocInput>,
}

impl<'a> EcbSet<'a> {
    fn new(docs: &'a [EcbDoc]) -> Self {
        let plain: Vec<DocInput> = docs.iter().map(ecb_input).collect();
        let nlp = plain.iter().cloned().map(with_nlp_mentions).collect();
        EcbSet { docs, plain, nlp }
    }
    fn split(&self, s: &str) -> Vec<usize> {
        (0..self.docs.len())
            .filter(|&i| self.docs[i].split == s)
            .collect()
    }
    fn not_split(&self, s: &str) -> Vec<usize> {
        (0..self.docs.len())
            .filter(|&i| self.docs[i].split != s)
            .collect()
    }
    fn input(&self, i: usize, setup: Setup) -> &DocInput {
        if setup.nlp {
            &self.nlp[i]
        } else {
            &self.plain[i]
        }
    }
}

/// Cluster one split in file order (after its background, see [`Background`]); BCubed over the
/// scored reports. Returns P, R, F1, stories among the scored reports, and the index.
fn cluster_split(
    set: &EcbSet,
    docs: &[usize],
    background: &[usize],
    cfg: &StoryConfig,
    setup: Setup,
) -> (f64, f64, f64, usize) {
    let mut idx = StoryIndex::new(cfg.clone());
    match setup.background {
        Background::None => {}
        Background::Observe => {
            for &d in background {
                idx.observe(set.input(d, setup));
            }
        }
    }
    // `LINK_DUMP_ECB=test` prints each report's decision and the stories' gold make-up.
    let dump = std::env::var("LINK_DUMP_ECB")
        .ok()
        .is_some_and(|s| docs.first().is_some_and(|&d| set.docs[d].split == s));
    // `LINK_EXPLAIN=FILE` appends each report's candidates (term part, name part, time factor)
    // with how many of the candidate story's reports share its subtopic, for tuning.
    let mut explain = std::env::var("LINK_EXPLAIN").ok().map(|f| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(f)
            .ok()
    });
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for &d in docs {
        if let Some(Some(f)) = explain.as_mut() {
            use std::io::Write;
            let now: HashMap<String, usize> = idx.assignments().into_iter().collect();
            members.clear();
            for &e in docs {
                if let Some(s) = now.get(&set.docs[e].name) {
                    members.entry(*s).or_default().push(e);
                }
            }
            for (s, ct, cn, tf) in idx.explain(set.input(d, setup)) {
                let m = members.get(&s).map(Vec::as_slice).unwrap_or(&[]);
                let same = m
                    .iter()
                    .filter(|&&e| set.docs[e].subtopic == set.docs[d].subtopic)
                    .count();
                let _ = writeln!(
                    f,
                    "{}\t{}\t{s}\t{ct:.4}\t{cn:.4}\t{tf:.4}\t{same}\t{}",
                    set.docs[d].split,
                    set.docs[d].name,
                    m.len()
                );
            }
        }
        let a = idx.add(set.input(d, setup));
        if dump {
            eprintln!(
                "  add {} ({}) -> story {}{} score {:.3} merged {:?}",
                set.docs[d].name,
                set.docs[d].subtopic,
                a.story,
                if a.new_story { " (new)" } else { "" },
                a.score,
                a.merged
            );
        }
    }
    if setup.final_merge && cfg.merge_every > 0 {
        idx.merge_pass(None);
    }
    let story: HashMap<String, usize> = idx.assignments().into_iter().collect();
    if dump {
        let mut make: BTreeMap<usize, BTreeMap<&str, usize>> = BTreeMap::new();
        for &d in docs {
            *make
                .entry(story[&set.docs[d].name])
                .or_default()
                .entry(set.docs[d].subtopic.as_str())
                .or_default() += 1;
        }
        for (s, m) in make {
            eprintln!("  story {s}: {m:?}");
        }
    }
    let sys: Vec<usize> = docs.iter().map(|&d| story[&set.docs[d].name]).collect();
    let gold: Vec<&str> = docs
        .iter()
        .map(|&d| set.docs[d].subtopic.as_str())
        .collect();
    let (p, r, f) = bcubed(&sys, &gold);
    let n = sys.iter().collect::<HashSet<_>>().len();
    (p, r, f, n)
}

/// ECB+ document → subtopic clustering.
pub fn stories(data: &Path) -> Result<Vec<Score>> {
    let docs = load_ecb(data)?;
    stories_on(&docs)
}

/// Mean F1 over train (dev as its background) and dev (train as its background).
fn train_dev_f1(set: &EcbSet, cfg: &StoryConfig, setup: Setup) -> (f64, f64) {
    let (train, dev) = (set.split("train"), set.split("dev"));
    (
        cluster_split(set, &train, &dev, cfg, setup).2,
        cluster_split(set, &dev, &train, cfg, setup).2,
    )
}

/// Story parameters chosen on ECB+ train and dev (grid, mean F1 of the two); with the plain
/// TF-IDF baseline's parameters chosen the same way.
fn tune_stories(set: &EcbSet, setup: Setup) -> ((StoryConfig, f64), (StoryConfig, f64)) {
    let mean = |cfg: &StoryConfig| {
        let (a, b) = train_dev_f1(set, cfg, setup);
        (a + b) / 2.0
    };
    // Grid on train and dev (mean F1 of the two), then test once.
    let tune = |base: StoryConfig, grid: &[(f64, f64, f64)]| -> (StoryConfig, f64) {
        let mut best = (base.clone(), -1.0);
        for &(th, w, m) in grid {
            let cfg = StoryConfig {
                threshold: th,
                name_weight: w,
                merge_threshold: th + m,
                ..base.clone()
            };
            let f = mean(&cfg);
            if f > best.1 {
                best = (cfg, f);
            }
        }
        best
    };
    let thresholds: Vec<f64> = (2..=9).map(|i| i as f64 * 0.05).collect();
    // Baseline: plain TF-IDF, no names, no merge pass.
    let base_grid: Vec<(f64, f64, f64)> = thresholds.iter().map(|&t| (t, 0.0, 0.1)).collect();
    let (base_cfg, base_tr) = tune(
        StoryConfig {
            merge_every: 0,
            linkage: dossier_link::Linkage::Centroid,
            member_candidates: 0,
            ..StoryConfig::default()
        },
        &base_grid,
    );
    let mut grid = Vec::new();
    for &t in &thresholds {
        for w in [0.3, 0.5, 0.7] {
            for m in [-0.1, 0.0, 0.1, 0.2] {
                grid.push((t, w, m));
            }
        }
    }
    let (mut cfg, mut tr) = tune(StoryConfig::default(), &grid);
    // Then the title weight, at the chosen point.
    for tw in [1.0, 3.0, 4.0] {
        let c = StoryConfig {
            title_weight: tw,
            ..cfg.clone()
        };
        let f = mean(&c);
        if f > tr {
            (cfg, tr) = (c, f);
        }
    }
    ((cfg, tr), (base_cfg, base_tr))
}

/// Exploration (env `LINK_EXPLORE`: `;`-separated JSON objects laid over the default config):
/// train, dev and test F1 of each under the shipped setup.
fn explore(set: &EcbSet, spec: &str) {
    let (train, dev, test) = (set.split("train"), set.split("dev"), set.split("test"));
    let not_test = set.not_split("test");
    for part in spec.split(';') {
        let mut v = serde_json::to_value(StoryConfig::default()).unwrap_or_default();
        if let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(part)
            && let Some(m) = v.as_object_mut()
        {
            m.extend(o);
        }
        let Ok(cfg) = serde_json::from_value::<StoryConfig>(v) else {
            eprintln!("explore: bad config {part}");
            continue;
        };
        // `LINK_EXPLORE_SETUP=observe`: idf from the other splits (a store that has seen many
        // reports) instead of a fresh store.
        let setup = if std::env::var("LINK_EXPLORE_SETUP").as_deref() == Ok("observe") {
            Setup {
                background: Background::Observe,
                ..SHIPPED
            }
        } else {
            SHIPPED
        };
        let tr = cluster_split(set, &train, &dev, &cfg, setup);
        let dv = cluster_split(set, &dev, &train, &cfg, setup);
        let te = cluster_split(set, &test, &not_test, &cfg, setup);
        eprintln!(
            "explore {part}: train P {:.3} R {:.3} F1 {:.3} ({}) dev P {:.3} R {:.3} F1 {:.3} ({}) mean {:.3} | test P {:.3} R {:.3} F1 {:.3} ({})",
            tr.0,
            tr.1,
            tr.2,
            tr.3,
            dv.0,
            dv.1,
            dv.2,
            dv.3,
            (tr.2 + dv.2) / 2.0,
            te.0,
            te.1,
            te.2,
            te.3
        );
    }
}

fn stories_on(docs: &[EcbDoc]) -> Result<Vec<Score>> {
    let set = EcbSet::new(docs);
    // `LINK_WRITE_IDF_PRIOR=FILE` writes dossier-link's `data/idf-prior.tsv` from ECB+ train
    // and dev only (never test), as the pipeline would see them (dossier-nlp's mentions).
    if let Ok(out) = std::env::var("LINK_WRITE_IDF_PRIOR") {
        let mut idx = StoryIndex::new(StoryConfig {
            prior_idf: false,
            ..StoryConfig::default()
        });
        for d in set.not_split("test") {
            idx.observe(set.input(d, SHIPPED));
        }
        let body = format!(
            "# Prior document frequencies for dossier-link's story index (StoryConfig::prior_idf):\n# keys (stems, #numbers, @names) held by >= 2 of the ECB+ train and dev reports (test\n# topics 36-45 left out), written by `LINK_WRITE_IDF_PRIOR=FILE dossier eval link`.\n{}",
            idx.df_table(2)
        );
        std::fs::write(&out, body).map_err(|e| EvalError::Io(out.into(), e))?;
    }
    if let Ok(spec) = std::env::var("LINK_EXPLORE") {
        explore(&set, &spec);
        if std::env::var_os("LINK_EXPLORE_ONLY").is_some() {
            return Ok(Vec::new());
        }
    }
    let test = set.split("test");
    let background = set.not_split("test");
    let default = StoryConfig::default();
    // Headline: the shipped default as the pipeline runs it.
    let (p, r, f, n) = cluster_split(&set, &test, &background, &default, SHIPPED);
    let (dtr, ddv) = train_dev_f1(&set, &default, SHIPPED);
    // Beside it: the default with the other splits' texts counted into idf, and a final merge.
    let (_, _, of, _) = cluster_split(&set, &test, &background, &default, TUNED);
    // And parameters tuned on train/dev (setup as before), with the plain TF-IDF baseline.
    let ((cfg, tr), (base_cfg, base_tr)) = tune_stories(&set, TUNED);
    let (bp, br, bf, bn) = cluster_split(&set, &test, &background, &base_cfg, TUNED);
    let (tp, trr, tf, tn) = cluster_split(&set, &test, &background, &cfg, TUNED);
    let gold_n = test
        .iter()
        .map(|&d| &docs[d].subtopic)
        .collect::<HashSet<_>>()
        .len();
    eprintln!(
        "link/ecb+ stories: shipped default (fresh store, dossier-nlp mentions, no extra merge): train {dtr:.3} dev {ddv:.3}; test BCubed P {p:.3} R {r:.3} F1 {f:.3}, {n} stories for {gold_n} subtopics; default with idf from the other splits and a final merge pass: test F1 {of:.3}"
    );
    eprintln!(
        "link/ecb+ stories: tuned on train/dev (idf from the other splits, final merge): threshold {:.2} name weight {:.2} merge {:.2} title weight {} (train/dev F1 {:.3}); test P {tp:.3} R {trr:.3} F1 {tf:.3}, {tn} stories; TF-IDF baseline threshold {:.2} (train/dev {:.3}) test P {:.3} R {:.3} F1 {:.3}, {bn} stories",
        cfg.threshold,
        cfg.name_weight,
        cfg.merge_threshold,
        cfg.title_weight,
        tr,
        base_cfg.threshold,
        base_tr,
        bp,
        br,
        bf
    );
    let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
    Ok(vec![
        Score::new("link", "ecb+-story-bcubed-f1-test", r3(f), test.len())
            .anchor("tuned on train/dev (ours, not shipped)", r3(tf))
            .anchor("streaming TF-IDF (ours, tuned train/dev)", r3(bf))
            .anchor("streaming TF-IDF (README, train-tuned)", 0.774)
            .anchor("goal", 0.90),
        Score::new("link", "ecb+-story-bcubed-p-test", r3(p), test.len()),
        Score::new("link", "ecb+-story-bcubed-r-test", r3(r), test.len()),
    ])
}

// ---------------------------------------------------------------------------------------------
// ECB+ cross-document event coreference

fn conll(sys: &[String], gold: &[String]) -> (f64, f64, f64, f64) {
    let (_, _, b3) = bcubed(sys, gold);
    let muc = muc_f1(sys, gold);
    let ceaf = ceafe_f1(sys, gold);
    ((muc + b3 + ceaf) / 3.0, muc, b3, ceaf)
}

fn clusters(labels: &[String]) -> Vec<Vec<usize>> {
    let mut m: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, l) in labels.iter().enumerate() {
        m.entry(l.as_str()).or_default().push(i);
    }
    m.into_values().collect()
}

fn muc_f1(sys: &[String], gold: &[String]) -> f64 {
    let recall = |key: &[String], resp: &[String]| -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        for c in clusters(key) {
            let parts: HashSet<&str> = c.iter().map(|&i| resp[i].as_str()).collect();
            num += (c.len() - parts.len()) as f64;
            den += (c.len() - 1) as f64;
        }
        if den == 0.0 { 0.0 } else { num / den }
    };
    let r = recall(gold, sys);
    let p = recall(sys, gold);
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn ceafe_f1(sys: &[String], gold: &[String]) -> f64 {
    let k = clusters(gold);
    let s = clusters(sys);
    // phi4 similarity; greedy assignment after sorting pairs (close to Kuhn-Munkres on sparse data).
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    let mut where_sys: HashMap<usize, usize> = HashMap::new();
    for (j, c) in s.iter().enumerate() {
        for &i in c {
            where_sys.insert(i, j);
        }
    }
    for (i, c) in k.iter().enumerate() {
        let mut overlap: HashMap<usize, usize> = HashMap::new();
        for m in c {
            *overlap.entry(where_sys[m]).or_default() += 1;
        }
        for (j, o) in overlap {
            pairs.push((2.0 * o as f64 / (c.len() + s[j].len()) as f64, i, j));
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut used_k, mut used_s) = (HashSet::new(), HashSet::new());
    let mut total = 0.0;
    for (v, i, j) in pairs {
        if used_k.contains(&i) || used_s.contains(&j) {
            continue;
        }
        used_k.insert(i);
        used_s.insert(j);
        total += v;
    }
    let (p, r) = (total / s.len().max(1) as f64, total / k.len().max(1) as f64);
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Crude lemma: lower case and a light suffix strip (the baseline's "same lemma").
fn lemma(w: &str) -> String {
    let f = dossier_link::text::fold(w);
    dossier_link::text::stem(&f).to_string()
}

/// ECB+ test, gold event mentions in validated sentences: same-lemma baseline vs same lemma
/// within a predicted story.
pub fn events(data: &Path) -> Result<Vec<Score>> {
    let docs = load_ecb(data)?;
    let dir = data.join("crossdoc/ecbplus");
    let csv = dir.join("ECBplus_coreference_sentences.csv");
    let mut valid: HashSet<(String, usize)> = HashSet::new();
    for line in read(&csv)?.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        if c.len() >= 3
            && let Ok(s) = c[2].trim().parse::<usize>()
        {
            valid.insert((format!("{}_{}", c[0].trim(), c[1].trim()), s));
        }
    }
    let test: Vec<&EcbDoc> = docs.iter().filter(|d| d.split == "test").collect();
    // Stories from the story index as shipped (default parameters, fresh store, dossier-nlp's
    // mentions), as the pipeline merges events within stories.
    let set = EcbSet::new(&docs);
    let mut idx = StoryIndex::default();
    for d in set.split("test") {
        idx.add(set.input(d, SHIPPED));
    }
    let story: HashMap<String, usize> = idx.assignments().into_iter().collect();
    let mut gold = Vec::new();
    let mut base = Vec::new();
    let mut ours = Vec::new();
    let mut topic_lemma = Vec::new();
    for d in &test {
        for (m, toks) in &d.events {
            let sent = d.tokens[toks[0]].0;
            if !valid.contains(&(d.name.clone(), sent)) {
                continue;
            }
            let g = d
                .instance
                .get(m)
                .cloned()
                .unwrap_or_else(|| format!("{}#{m}", d.name));
            let head = toks
                .iter()
                .map(|&i| lemma(&d.tokens[i].1))
                .collect::<Vec<_>>()
                .join(" ");
            let topic = d.name.split('_').next().unwrap_or("");
            gold.push(g);
            base.push(head.clone());
            topic_lemma.push(format!("{topic}|{head}"));
            ours.push(format!("{}|{head}", story[&d.name]));
        }
    }
    let (bf, bm, bb, bc) = conll(&base, &gold);
    let (tf, ..) = conll(&topic_lemma, &gold);
    let (of, om, ob, oc) = conll(&ours, &gold);
    let pct = |x: f64| (x * 1000.0).round() / 10.0;
    eprintln!(
        "link/ecb+ events: {} gold mentions; same-lemma CoNLL F1 {:.1} (MUC {:.1} B3 {:.1} CEAF-e {:.1}); lemma within gold topic {:.1}; lemma within our story {:.1} (MUC {:.1} B3 {:.1} CEAF-e {:.1})",
        gold.len(),
        pct(bf),
        pct(bm),
        pct(bb),
        pct(bc),
        pct(tf),
        pct(of),
        pct(om),
        pct(ob),
        pct(oc)
    );
    Ok(vec![
        Score::new("link", "ecb+-event-conll-f1-test", pct(of), gold.len())
            .anchor("same-lemma baseline (ours)", pct(bf))
            .anchor("same lemma within gold topic (ours)", pct(tf))
            .anchor("goal: baseline + 5", pct(bf) + 5.0),
    ])
}

// ---------------------------------------------------------------------------------------------
// Scale

fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
        .replace("&nbsp;", " ")
        .replace("&#8217;", "'")
        .replace("&#8216;", "'")
}

/// The RSS week through the copy and story indexes, in publication order.
pub fn scale(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("corpora/rss-link-db-2023-wagner-week");
    crate::require(&dir)?;
    let mut items: Vec<DocInput> = Vec::new();
    let mut days: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| EvalError::Io(dir.clone(), e))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    days.sort();
    for day in days {
        let mut files: Vec<_> = std::fs::read_dir(&day)
            .map_err(|e| EvalError::Io(day.clone(), e))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with("_entries.json"))
            .collect();
        files.sort();
        for f in files {
            let v: serde_json::Value =
                serde_json::from_str(&read(&f)?).map_err(|e| bad(&f, e.to_string()))?;
            for it in v.as_array().into_iter().flatten() {
                let s = |k: &str| it[k].as_str().unwrap_or_default().to_string();
                let published =
                    chrono::DateTime::parse_from_str(&s("date_published"), "%Y-%m-%d %H:%M:%S%:z")
                        .or_else(|_| chrono::DateTime::parse_from_rfc3339(&s("date_published")))
                        .ok()
                        .map(|d| d.with_timezone(&chrono::Utc));
                items.push(DocInput {
                    id: format!("rss{}", items.len()),
                    url: Some(s("link")),
                    published,
                    title: strip_html(&s("title")),
                    text: format!(
                        "{}\n{}",
                        strip_html(&s("title")),
                        strip_html(&s("description"))
                    ),
                    mentions: vec![],
                });
            }
        }
    }
    items.sort_by(|a, b| a.published.cmp(&b.published).then(a.id.cmp(&b.id)));
    // `LINK_SCALE_SKIP=N` starts the stream at item N (a fresh store on later items: tells a
    // small store's cost from the first items' content).
    if let Some(skip) = std::env::var("LINK_SCALE_SKIP")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        items.drain(..skip.min(items.len()));
    }
    let now = items
        .iter()
        .filter_map(|d| d.published)
        .max()
        .unwrap_or_else(chrono::Utc::now);
    let cpu = dossier_core::clock::thread_cpu_seconds;
    let mut copies = CopyIndex::default();
    copies.set_now(now);
    let mut stories = StoryIndex::default();
    let n = items.len();
    let mut per: Vec<(usize, usize, f64)> = Vec::with_capacity(n);
    // Time spent in the copy index per report (the rest of `per`'s time is the story index).
    let mut split_us: Vec<f64> = Vec::with_capacity(n);
    // The copy index's candidates before verification (LSH, rare keys): its unverified work.
    let mut cands: Vec<(usize, usize)> = Vec::with_capacity(n);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    // Serialized (JSON) size of the two indexes after the first 1,000 reports and after all.
    let json_kb = |c: &CopyIndex, s: &StoryIndex| -> (f64, f64) {
        let kb = |n: usize| n as f64 / 1024.0;
        (
            kb(serde_json::to_vec(c).map(|v| v.len()).unwrap_or(0)),
            kb(serde_json::to_vec(s).map(|v| v.len()).unwrap_or(0)),
        )
    };
    let mut size_first = (0.0, 0.0);
    for (i, d) in items.iter().enumerate() {
        if i == 1000.min(n) {
            size_first = json_kb(&copies, &stories);
        }
        // Thread CPU time: what the report costs, not the other work sharing the machine.
        let t = cpu();
        let links = copies.add(d);
        let st = copies.last_stats();
        let cc = st.comparisons;
        cands.push((st.lsh_candidates, st.key_candidates));
        let copy_us = (cpu() - t) * 1e6;
        let a = stories.add(d);
        let us = (cpu() - t) * 1e6;
        per.push((cc, a.comparisons, us));
        split_us.push(copy_us);
        for l in links {
            *kinds.entry(format!("{:?}", l.kind)).or_default() += 1;
        }
        for w in copies.take_warnings() {
            let k = format!("{w:?}");
            *warnings
                .entry(k.split([' ', '{']).next().unwrap_or("").to_string())
                .or_default() += 1;
        }
    }
    let size_all = json_kb(&copies, &stories);
    {
        // Story sizes, and (env `LINK_DUMP_STORIES`) the largest stories' first titles.
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        let pos: HashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        for (doc, s) in stories.assignments() {
            members.entry(s).or_default().push(pos[doc.as_str()]);
        }
        let mut sizes: Vec<(usize, usize)> = members.iter().map(|(s, m)| (m.len(), *s)).collect();
        sizes.sort_by(|a, b| b.cmp(a));
        let singletons = sizes.iter().filter(|x| x.0 == 1).count();
        eprintln!(
            "link/scale: story sizes: largest {:?}; {singletons} single-report stories",
            sizes.iter().take(10).map(|x| x.0).collect::<Vec<_>>()
        );
        if std::env::var_os("LINK_DUMP_STORIES").is_some() {
            for (n, s) in sizes.iter().take(15) {
                eprintln!("  story {s} ({n} reports)");
                for &i in members[s].iter().step_by((n / 6).max(1)).take(6) {
                    eprintln!(
                        "    {}",
                        items[i].title.chars().take(110).collect::<String>()
                    );
                }
            }
        }
    }
    let per_1000 = |kb: f64, docs: usize| kb * 1000.0 / docs.max(1) as f64;
    eprintln!(
        "link/scale: serialized JSON per 1,000 reports: copies {:.0} KB + stories {:.0} KB (first 1,000), copies {:.0} KB + stories {:.0} KB (all {n}, per 1,000)",
        size_first.0,
        size_first.1,
        per_1000(size_all.0, n),
        per_1000(size_all.1, n)
    );
    eprintln!(
        "link/scale: {n} items; copy links {kinds:?}; warnings {warnings:?}; {} stories",
        stories.story_count()
    );
    eprintln!(
        "  items     copy cmp/report (mean, max)   story cmp/report (mean, max)   CPU µs/report (bucket median)   copies µs   stories µs (medians)   copy candidates (LSH, keys)"
    );
    let mut first_us = 0.0;
    let mut last_us = 0.0;
    let mut max_all = 0usize;
    let mut mean_all = 0.0;
    let mut a = 0;
    while a < n {
        let b = (a + 1000).min(n);
        let bucket = &per[a..b];
        let len = bucket.len() as f64;
        let cm = bucket.iter().map(|x| x.0).sum::<usize>() as f64 / len;
        let cx = bucket.iter().map(|x| x.0).max().unwrap_or(0);
        let sm = bucket.iter().map(|x| x.1).sum::<usize>() as f64 / len;
        let sx = bucket.iter().map(|x| x.1).max().unwrap_or(0);
        // Median: robust to pauses from other work on a shared machine.
        let mut times: Vec<f64> = bucket.iter().map(|x| x.2).collect();
        times.sort_by(f64::total_cmp);
        let us = times[times.len() / 2];
        let mut ct: Vec<f64> = split_us[a..b].to_vec();
        ct.sort_by(f64::total_cmp);
        let cus = ct[ct.len() / 2];
        let mut st: Vec<f64> = bucket
            .iter()
            .zip(&split_us[a..b])
            .map(|(x, c)| x.2 - c)
            .collect();
        st.sort_by(f64::total_cmp);
        let sus = st[st.len() / 2];
        let lsh = cands[a..b].iter().map(|x| x.0).sum::<usize>() as f64 / len;
        let key = cands[a..b].iter().map(|x| x.1).sum::<usize>() as f64 / len;
        eprintln!(
            "  {b:>6}    {cm:>6.1} {cx:>5}                  {sm:>6.1} {sx:>5}                   {us:>8.0}                    {cus:>8.0}    {sus:>8.0}    {lsh:>6.0} {key:>6.0}"
        );
        if a == 0 {
            first_us = us;
        }
        last_us = us;
        max_all = max_all.max(cx + sx);
        a = b;
    }
    for x in &per {
        mean_all += (x.0 + x.1) as f64;
    }
    mean_all /= n.max(1) as f64;
    let r1 = |x: f64| (x * 10.0).round() / 10.0;
    Ok(vec![
        Score::new(
            "link",
            "rss-week-comparisons-per-report-mean",
            r1(mean_all),
            n,
        )
        .anchor("goal (max)", 200.0),
        Score::new(
            "link",
            "rss-week-comparisons-per-report-max",
            max_all as f64,
            n,
        )
        .anchor("goal", 200.0),
        Score::new(
            "link",
            "rss-week-cpu-us-per-report-median-first-1000",
            r1(first_us),
            n.min(1000),
        ),
        Score::new(
            "link",
            "rss-week-index-json-kb-per-1000-reports",
            r1(per_1000(size_all.0 + size_all.1, n)),
            n,
        ),
        Score::new(
            "link",
            "rss-week-cpu-us-per-report-median-last-bucket",
            r1(last_us),
            n,
        ),
    ])
}

// ---------------------------------------------------------------------------------------------
// Synthetic check (env `LINK_SYNTH=DIR`, a folder from `dossier-synth`'s `dump` example)

/// The dumped pages as the pipeline hands them to the story index (extracted, body only,
/// dossier-nlp's names), cached in `DIR/inputs.jsonl`; with each report's happening.
fn synth_inputs(dir: &Path) -> Result<Vec<(DocInput, Option<u64>)>> {
    let cache = dir.join("inputs.jsonl");
    if let Ok(s) = std::fs::read_to_string(&cache) {
        let v: Vec<(DocInput, Option<u64>)> = s
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        if !v.is_empty() {
            return Ok(v);
        }
    }
    let truth = dir.join("truth.jsonl");
    let rows: Vec<serde_json::Value> = read(&truth)?
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    use rayon::prelude::*;
    let out: Vec<(DocInput, Option<u64>)> = rows
        .par_iter()
        .map(|row| -> Result<(DocInput, Option<u64>)> {
            let file = dir.join(row["file"].as_str().unwrap_or_default());
            let html = read(&file)?;
            let url = row["url"].as_str().map(str::to_string);
            let hints = dossier_extract::Hints {
                url: url.as_deref(),
                title: None,
                published: None,
                fetched: None,
                outlet: None,
                authors: &[],
            };
            let doc = dossier_extract::extract_html(&html, &hints);
            let body: Vec<(usize, usize)> = doc
                .blocks
                .iter()
                .filter(|b| b.kind.is_body())
                .map(|b| (b.span.start, b.span.end))
                .collect();
            let lang = dossier_nlp::analyse(&doc.text, Some(&body));
            let mut text = doc.text.clone().into_bytes();
            let mut keep = vec![false; text.len()];
            for &(a, b) in &body {
                let b = b.min(text.len());
                if a < b {
                    keep[a..b].fill(true);
                }
            }
            for (c, k) in text.iter_mut().zip(&keep) {
                if !k && *c != b'\n' {
                    *c = b' ';
                }
            }
            let text = String::from_utf8(text).unwrap_or_else(|_| doc.text.clone());
            let mentions = name_mentions(&lang);
            let input = DocInput {
                id: row["url"].as_str().unwrap_or_default().to_string(),
                url,
                published: doc
                    .metadata
                    .published
                    .as_ref()
                    .map(|p| p.value.with_timezone(&chrono::Utc)),
                title: doc
                    .metadata
                    .title
                    .as_ref()
                    .map(|t| t.value.clone())
                    .unwrap_or_default(),
                text,
                mentions,
            };
            Ok((input, row["truth"]["happening"].as_u64()))
        })
        .collect::<Result<_>>()?;
    let body: String = out
        .iter()
        .filter_map(|x| serde_json::to_string(x).ok())
        .map(|l| l + "\n")
        .collect();
    let _ = std::fs::write(&cache, body);
    Ok(out)
}

/// Story purity and happening recall on a synthetic corpus, as `dossier-bench growth` counts
/// them, and BCubed over the happenings' reports.
fn synth(dir: &Path) -> Result<()> {
    let items = synth_inputs(dir)?;
    // `LINK_SYNTH_CFG={json}` lays fields over the default config.
    let mut v = serde_json::to_value(StoryConfig::default()).unwrap_or_default();
    if let Ok(spec) = std::env::var("LINK_SYNTH_CFG")
        && let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(&spec)
        && let Some(m) = v.as_object_mut()
    {
        m.extend(o);
    }
    let cfg: StoryConfig = serde_json::from_value(v).unwrap_or_default();
    let mut idx = StoryIndex::new(cfg);
    let t = Instant::now();
    // `LINK_SYNTH_DUMP=N` prints the first N joins of a story whose first report is about
    // another happening (or a background story).
    let dump: usize = std::env::var("LINK_SYNTH_DUMP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut first: HashMap<usize, usize> = HashMap::new();
    let mut shown = 0;
    let mut explain = std::env::var("LINK_EXPLAIN")
        .ok()
        .and_then(|f| std::fs::File::create(f).ok());
    let mut hs: HashMap<usize, Vec<Option<u64>>> = HashMap::new();
    for (i, (d, h)) in items.iter().enumerate() {
        if let Some(f) = explain.as_mut() {
            use std::io::Write;
            for (s, ct, cn, tf) in idx.explain(d) {
                let m = hs.get(&s).map(Vec::as_slice).unwrap_or(&[]);
                let same = m.iter().filter(|x| h.is_some() && *x == h).count();
                let _ = writeln!(
                    f,
                    "synth\t{i}\t{s}\t{ct:.4}\t{cn:.4}\t{tf:.4}\t{same}\t{}",
                    m.len()
                );
            }
        }
        let a = idx.add(d);
        if explain.is_some() {
            // Stories as they stand (merges fold members into the surviving story).
            for (from, into) in &a.merged {
                let moved = hs.remove(from).unwrap_or_default();
                hs.entry(*into).or_default().extend(moved);
            }
            hs.entry(a.story).or_default().push(*h);
        }
        let f = *first.entry(a.story).or_insert(i);
        if shown < dump && !a.new_story && (items[f].1 != *h || h.is_none()) {
            shown += 1;
            eprintln!(
                "  join {:?} {:?} {} -> story {} (first {:?} {:?}) score {:.3}",
                h, d.published, d.title, a.story, items[f].1, items[f].0.title, a.score
            );
        }
        for (from, into) in &a.merged {
            if let (Some(x), Some(y)) = (first.get(from), first.get(into))
                && items[*x].1 != items[*y].1
                && shown < dump
            {
                shown += 1;
                eprintln!(
                    "  merge {:?} {} <- {:?} {}",
                    items[*y].1, items[*y].0.title, items[*x].1, items[*x].0.title
                );
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let story: HashMap<String, usize> = idx.assignments().into_iter().collect();
    let mut members: HashMap<usize, Vec<Option<u64>>> = HashMap::new();
    let mut by_h: HashMap<u64, HashSet<usize>> = HashMap::new();
    let mut h_n: HashMap<u64, usize> = HashMap::new();
    for (d, h) in &items {
        let s = story[&d.id];
        members.entry(s).or_default().push(*h);
        if let Some(h) = h {
            by_h.entry(*h).or_default().insert(s);
            *h_n.entry(*h).or_default() += 1;
        }
    }
    let multi: Vec<&u64> = h_n.iter().filter(|x| *x.1 >= 2).map(|x| x.0).collect();
    let one = multi.iter().filter(|h| by_h[**h].len() == 1).count();
    let two: Vec<&Vec<Option<u64>>> = members.values().filter(|m| m.len() >= 2).collect();
    let pure = two
        .iter()
        .filter(|m| m[0].is_some() && m.iter().all(|h| *h == m[0]))
        .count();
    let (sys, gold): (Vec<usize>, Vec<String>) = items
        .iter()
        .filter_map(|(d, h)| h.map(|h| (story[&d.id], h.to_string())))
        .unzip();
    let (p, r, f) = bcubed(&sys, &gold);
    let (cm, cx) = idx.comparison_stats();
    eprintln!(
        "link/synth: {} reports, {} stories; stories with 2+ reports {} of which {:.1}% about one happening; happenings with 2+ reports {} of which {:.1}% in one story; BCubed (happening reports) P {p:.3} R {r:.3} F1 {f:.3}; comparisons mean {cm:.1} max {cx}; {:.0} µs/report",
        items.len(),
        idx.story_count(),
        two.len(),
        100.0 * pure as f64 / two.len().max(1) as f64,
        multi.len(),
        100.0 * one as f64 / multi.len().max(1) as f64,
        secs * 1e6 / items.len().max(1) as f64
    );
    Ok(())
}
