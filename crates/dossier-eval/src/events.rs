//! Event coding (dossier-events) on the shared events data: the PETRARCH/TABARI unit suite with
//! its validation dictionaries, the PLOVER gold records (event type micro/macro-F1 with a
//! confusion matrix, dyad exact, beside a naive verb-lookup baseline computed here), the
//! event-location gold (token F1), and coder speed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use dossier_events::{Coder, Crosswalk, DictFiles, Dictionaries, Event, SentenceContext, Span};
use serde::Deserialize;

use crate::{EvalError, Result, Score, require};

const SUITE: &str = "events";
const TYPES: &[&str] = &[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

fn bad(path: &Path, reason: impl ToString) -> EvalError {
    EvalError::BadData {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn ctx_from(date: &str) -> SentenceContext {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y%m%d").ok();
    SentenceContext {
        date: d,
        ..Default::default()
    }
}

/// Every events suite.
pub fn all(data: &Path) -> Result<Vec<Score>> {
    let mut out = Vec::new();
    out.extend(petrarch(data)?);
    out.extend(plover(data)?);
    out.extend(location(data)?);
    out.extend(speed(data)?);
    Ok(out)
}

#[derive(Deserialize)]
struct UnitRec {
    id: String,
    #[serde(default)]
    category: String,
    date: String,
    text: String,
    expected: Vec<Triple>,
    #[serde(default)]
    no_events: bool,
    #[serde(default)]
    expected_error: Option<String>,
}

#[derive(Deserialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Triple {
    source: String,
    target: String,
    event: String,
}

fn triples(evs: &[Event]) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for e in evs {
        // an event coded without a recipient (`require_dyad` off): PETRARCH writes `---`
        if e.recipients.is_empty() && !e.reciprocal {
            for a in &e.actors {
                out.insert((a.code.clone(), "---".to_string(), e.code.clone()));
            }
        }
        if e.recipients.is_empty() {
            for a in &e.actors {
                for b in &e.actors {
                    if a.code != b.code {
                        out.insert((a.code.clone(), b.code.clone(), e.code.clone()));
                    }
                }
            }
        }
        for a in &e.actors {
            for r in &e.recipients {
                out.insert((a.code.clone(), r.code.clone(), e.code.clone()));
            }
        }
    }
    out
}

/// PETRARCH unit suite with the four PETR.Validate dictionaries.
pub fn petrarch(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("events/petrarch-unit-tests");
    require(&dir)?;
    let files = DictFiles {
        actors: vec![dir.join("PETR.Validate.actors.txt")],
        agents: vec![dir.join("PETR.Validate.agents.txt")],
        verbs: vec![dir.join("PETR.Validate.verbs.txt")],
        discards: vec![dir.join("PETR.Validate.discards.txt")],
    };
    let dicts = Dictionaries::load_files(&files).map_err(|e| bad(&dir, e))?;
    println!(
        "petrarch validation dictionaries: {} warnings (duplicates / unknown codes)",
        dicts.warnings.len()
    );
    // the suite switches PETRARCH's `require_dyad` option between records with <Config>
    // elements of its XML file (our JSONL does not carry them)
    let xml_path = dir.join("PETR.UnitTest.records.ptb.xml");
    let xml = std::fs::read_to_string(&xml_path).map_err(|e| EvalError::Io(xml_path.clone(), e))?;
    let loose_ids = require_dyad_off(&xml);
    let loose = Coder::new(Some(dicts.clone())).with_require_dyad(false);
    let coder = Coder::new(Some(dicts));
    let path = dir.join("unit_tests.jsonl");
    let text = std::fs::read_to_string(&path).map_err(|e| EvalError::Io(path.clone(), e))?;
    let (mut gold_n, mut correct, mut extra) = (0usize, 0usize, 0usize);
    let (mut noev, mut noev_ok, mut errs, mut errs_ok) = (0, 0, 0, 0);
    let verbose = std::env::var("DOSSIER_EVAL_VERBOSE").is_ok();
    // records with a missing or extra triple, by the suite's category
    let mut failing: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    // failing records by what went wrong (see `failure_kind`), with their ids
    let mut why: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: UnitRec = serde_json::from_str(line).map_err(|e| bad(&path, e))?;
        let c = if loose_ids.contains(&r.id) {
            &loose
        } else {
            &coder
        };
        let res = c.code_checked(&r.text, &ctx_from(&r.date));
        if r.expected_error.is_some() {
            errs += 1;
            if res.is_err() {
                errs_ok += 1;
            } else if verbose {
                println!("  NOT REJECTED {} ({:?})", r.id, r.expected_error);
            }
            continue;
        }
        let pred = res.map(|e| triples(&e)).unwrap_or_default();
        if r.no_events {
            noev += 1;
            if pred.is_empty() {
                noev_ok += 1;
            } else {
                extra += pred.len();
                if verbose {
                    println!("  NOT SILENT {}: {:?}", r.id, pred);
                }
            }
            continue;
        }
        let gold: BTreeSet<(String, String, String)> = r
            .expected
            .iter()
            .map(|t| (t.source.clone(), t.target.clone(), t.event.clone()))
            .collect();
        gold_n += gold.len();
        let c = gold.intersection(&pred).count();
        correct += c;
        extra += pred.difference(&gold).count();
        if c < gold.len() || pred.len() > c {
            let f = failing.entry(r.category.clone()).or_default();
            f.0 += 1;
            f.1 += gold.len() - c;
            f.2 += pred.len() - c;
            why.entry(failure_kind(&gold, &pred))
                .or_default()
                .push(r.id.clone());
        }
        if verbose && (c < gold.len() || pred.len() > c) {
            println!("  {} gold {:?} pred {:?} | {}", r.id, gold, pred, r.text);
        }
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    println!(
        "petrarch failing records by category (records, uncoded, extra): {}",
        failing
            .iter()
            .map(|(k, (r, u, x))| format!("{k} {r}/{u}/{x}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("petrarch failing records by kind:");
    for (k, ids) in &why {
        println!("  {k}: {} ({})", ids.len(), ids.join(" "));
    }
    println!(
        "petrarch unit suite: correct {correct}/{gold_n} ({:.1}%), uncoded {}, extra {extra} ({:.1}%), no-event silent {noev_ok}/{noev}, errors rejected {errs_ok}/{errs}",
        pct(correct, gold_n),
        gold_n - correct,
        pct(extra, gold_n)
    );
    Ok(vec![
        Score::new(SUITE, "petrarch-unit exact %", pct(correct, gold_n), gold_n)
            .anchor("goal", 95.0)
            .anchor("PETRARCH-1 (with CoreNLP parses)", 100.0),
        Score::new(SUITE, "petrarch-unit extra %", pct(extra, gold_n), gold_n)
            .anchor("goal (max)", 5.0)
            .anchor("UniversalPetrarch Spanish", 315.52),
        Score::new(SUITE, "petrarch-unit no-event silent", noev_ok as f64, noev)
            .anchor("goal", noev as f64),
        Score::new(SUITE, "petrarch-unit errors rejected", errs_ok as f64, errs)
            .anchor("goal", errs as f64),
    ])
}

/// A (source, target, event code) triple.
type Coded = (String, String, String);

/// What went wrong in a unit-suite record with a missing or extra triple: nothing coded, the
/// dyad found with another event code, the event found with another source or target, only
/// extra triples, or something else.
fn failure_kind(gold: &BTreeSet<Coded>, pred: &BTreeSet<Coded>) -> &'static str {
    let missed: Vec<_> = gold.difference(pred).collect();
    if missed.is_empty() {
        return "extra triples only";
    }
    if pred.is_empty() {
        return "nothing coded";
    }
    let extra: Vec<_> = pred.difference(gold).collect();
    let any =
        |f: &dyn Fn(&Coded, &Coded) -> bool| missed.iter().any(|g| extra.iter().any(|p| f(g, p)));
    if any(&|g, p| g.0 == p.0 && g.1 == p.1) {
        "right dyad, other event code"
    } else if any(&|g, p| g.1 == p.1 && g.2 == p.2) {
        "right event and target, other source"
    } else if any(&|g, p| g.0 == p.0 && g.2 == p.2) {
        "right source and event, other target"
    } else if extra.is_empty() {
        "some gold triples not coded"
    } else {
        "other triples coded"
    }
}

/// Ids of the unit-suite records coded with `require_dyad` off: `<Config option="require_dyad"
/// value="…">` elements apply to every later `<Sentence>` until changed.
fn require_dyad_off(xml: &str) -> BTreeSet<String> {
    let mut off = false;
    let mut out = BTreeSet::new();
    let attr = |tag: &str, name: &str| -> Option<String> {
        let k = tag.find(&format!("{name}=\""))? + name.len() + 2;
        let e = tag[k..].find('"')?;
        Some(tag[k..k + e].to_string())
    };
    for (k, _) in xml.match_indices('<') {
        let rest = &xml[k..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if tag.starts_with("<Config ") && attr(tag, "option").as_deref() == Some("require_dyad") {
            off = attr(tag, "value").is_some_and(|v| v.eq_ignore_ascii_case("false"));
        } else if tag.starts_with("<Sentence ")
            && off
            && let Some(id) = attr(tag, "id")
        {
            out.insert(id);
        }
    }
    out
}

#[derive(Deserialize)]
struct GsrActor {
    country: Option<String>,
}

#[derive(Deserialize)]
struct GsrRec {
    text: String,
    event: String,
    actors: Vec<GsrActor>,
    recipients: Vec<GsrActor>,
    #[serde(default)]
    reciprocal: bool,
}

struct TypeScores {
    micro_p: f64,
    micro_r: f64,
    micro_f: f64,
    macro_f: f64,
}

fn type_scores(gold: &[String], pred: &[Vec<String>]) -> TypeScores {
    let mut tp: HashMap<&str, usize> = HashMap::new();
    let mut fp: HashMap<&str, usize> = HashMap::new();
    let mut fnn: HashMap<&str, usize> = HashMap::new();
    let (mut t_all, mut p_all) = (0usize, 0usize);
    for (g, ps) in gold.iter().zip(pred) {
        let set: BTreeSet<&str> = ps.iter().map(|s| s.as_str()).collect();
        p_all += set.len();
        if set.contains(g.as_str()) {
            t_all += 1;
            *tp.entry(g.as_str()).or_default() += 1;
        } else {
            *fnn.entry(g.as_str()).or_default() += 1;
        }
        for p in set {
            if p != g {
                *fp.entry(p).or_default() += 1;
            }
        }
    }
    let f = |t: usize, p: usize, n: usize| {
        let pr = if t + p == 0 {
            0.0
        } else {
            t as f64 / (t + p) as f64
        };
        let rc = if t + n == 0 {
            0.0
        } else {
            t as f64 / (t + n) as f64
        };
        if pr + rc == 0.0 {
            0.0
        } else {
            2.0 * pr * rc / (pr + rc)
        }
    };
    let present: Vec<&str> = TYPES
        .iter()
        .copied()
        .filter(|t| gold.iter().any(|g| g == t))
        .collect();
    let macro_f = present
        .iter()
        .map(|t| {
            f(
                *tp.get(t).unwrap_or(&0),
                *fp.get(t).unwrap_or(&0),
                *fnn.get(t).unwrap_or(&0),
            )
        })
        .sum::<f64>()
        / present.len().max(1) as f64;
    let micro_p = if p_all == 0 {
        0.0
    } else {
        t_all as f64 / p_all as f64
    };
    let micro_r = t_all as f64 / gold.len().max(1) as f64;
    let micro_f = if micro_p + micro_r == 0.0 {
        0.0
    } else {
        2.0 * micro_p * micro_r / (micro_p + micro_r)
    };
    TypeScores {
        micro_p,
        micro_r,
        micro_f,
        macro_f,
    }
}

fn countries(v: &[GsrActor]) -> BTreeSet<String> {
    v.iter()
        .filter_map(|a| a.country.clone())
        .map(|c| if c == "JAP" { "JPN".into() } else { c })
        .collect()
}

/// Naive verb lookup: the CAMEO verb dictionary's forms, the first pattern whose words occur
/// in the next 9 tokens (else the verb's default), first code outside CAMEO 01/02, mapped
/// with the crosswalk; no actors, no clause logic.
fn naive(dicts: &Dictionaries, cw: &Crosswalk, text: &str) -> Option<String> {
    let toks = dossier_events::token::tokenize(text);
    let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
    for i in 0..norms.len() {
        let Some((id, len)) = dicts.verbs.longest_at(&norms, i) else {
            continue;
        };
        let b = &dicts.verb_blocks[dicts.verbs.entries[id].1];
        let window = &norms[(i + len).min(norms.len())..(i + len + 9).min(norms.len())];
        let mut code = b.code.clone();
        for p in &b.patterns {
            let words: Vec<&str> = p
                .post
                .iter()
                .filter_map(|(e, _)| {
                    if let dossier_events::dict::PElem::Word(w) = e {
                        Some(w.text.as_str())
                    } else {
                        None
                    }
                })
                .collect();
            if !words.is_empty()
                && p.pre.is_empty()
                && words
                    .iter()
                    .all(|w| window.iter().any(|t| t.starts_with(w)))
            {
                code = Some(p.code.clone());
                break;
            }
        }
        if let Some(c) = code
            && !c.starts_with("01")
            && !c.starts_with("02")
            && let Some(p) = cw.plover(&c)
        {
            return Some(p.event);
        }
    }
    None
}

/// PLOVER gold records: event type micro/macro-F1, confusion matrix, dyad exact.
pub fn plover(data: &Path) -> Result<Vec<Score>> {
    let dir = data.join("events/plover-gsr-cameo");
    require(&dir)?;
    let path = dir.join("gsr.jsonl");
    let text = std::fs::read_to_string(&path).map_err(|e| EvalError::Io(path.clone(), e))?;
    let recs: Vec<GsrRec> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| bad(&path, e)))
        .collect::<Result<_>>()?;
    let cw = Crosswalk::load(dir.join("CAMEO2PLOVER-2021.txt")).map_err(|e| bad(&dir, e))?;
    let ctx = SentenceContext::on_date(2000, 1, 1);
    let gold: Vec<String> = recs.iter().map(|r| r.event.clone()).collect();
    let mut out = Vec::new();

    // naive baseline with the CAMEO verb dictionary
    let cam_dir = data.join("events/cameo-dictionaries");
    let cameo = match Dictionaries::load_lenient(&cam_dir) {
        Ok(d) => {
            println!(
                "CAMEO/Phoenix dictionaries: {} actor names, {} verb forms, {} warnings",
                d.actors.len(),
                d.verbs.len(),
                d.warnings.len()
            );
            Some(d)
        }
        Err(e) => {
            println!("CAMEO/Phoenix dictionaries not loaded: {e}");
            None
        }
    };
    if let Some(d) = &cameo {
        let pred: Vec<Vec<String>> = recs
            .iter()
            .map(|r| naive(d, &cw, &r.text).into_iter().collect())
            .collect();
        let s = type_scores(&gold, &pred);
        println!(
            "naive verb lookup (CAMEO.2.0 + crosswalk): micro P {:.3} R {:.3} F1 {:.3}, macro-F1 {:.3}",
            s.micro_p, s.micro_r, s.micro_f, s.macro_f
        );
        out.push(
            Score::new(
                SUITE,
                "plover-gsr naive-baseline micro-F1",
                s.micro_f,
                recs.len(),
            )
            .anchor("notes (python)", 0.413),
        );
        out.push(
            Score::new(
                SUITE,
                "plover-gsr naive-baseline macro-F1",
                s.macro_f,
                recs.len(),
            )
            .anchor("notes (python)", 0.382),
        );
    }

    let run = |name: &str, coder: &Coder| {
        let mut preds: Vec<Vec<String>> = Vec::new();
        let mut dyad = 0usize;
        let mut confusion: BTreeMap<(String, String), usize> = BTreeMap::new();
        for r in &recs {
            let evs = coder.code(&r.text, &ctx);
            let types: Vec<String> = evs.iter().filter_map(|e| e.plover_type.clone()).collect();
            let first = types.first().cloned().unwrap_or_else(|| "-".into());
            let shown = if types.contains(&r.event) {
                r.event.clone()
            } else {
                first
            };
            *confusion.entry((r.event.clone(), shown)).or_default() += 1;
            let (ga, gr) = (countries(&r.actors), countries(&r.recipients));
            let ok = evs.iter().any(|e| {
                if e.plover_type.as_deref() != Some(r.event.as_str()) {
                    return false;
                }
                let pa: BTreeSet<String> =
                    e.actors.iter().filter_map(|a| a.country.clone()).collect();
                let pr: BTreeSet<String> = e
                    .recipients
                    .iter()
                    .filter_map(|a| a.country.clone())
                    .collect();
                if r.reciprocal {
                    let g: BTreeSet<String> = ga.union(&gr).cloned().collect();
                    let p: BTreeSet<String> = pa.union(&pr).cloned().collect();
                    g == p
                } else {
                    pa == ga && pr == gr
                }
            });
            if ok {
                dyad += 1;
            }
            preds.push(types);
        }
        let s = type_scores(&gold, &preds);
        println!(
            "{name}: micro P {:.3} R {:.3} F1 {:.3}, macro-F1 {:.3}, dyad exact {:.3}",
            s.micro_p,
            s.micro_r,
            s.micro_f,
            s.macro_f,
            dyad as f64 / recs.len() as f64
        );
        if name == "dossier" {
            print_confusion(&confusion);
        }
        (s, dyad as f64 / recs.len() as f64)
    };
    let ours = Coder::new(None).with_crosswalk(cw.clone());
    let (s, d) = run("dossier", &ours);
    out.push(
        Score::new(SUITE, "plover-gsr type micro-F1", s.micro_f, recs.len())
            .anchor("goal", 0.75)
            .anchor("naive verb lookup (notes)", 0.413),
    );
    out.push(
        Score::new(SUITE, "plover-gsr type macro-F1", s.macro_f, recs.len())
            .anchor("goal", 0.70)
            .anchor("naive verb lookup (notes)", 0.382),
    );
    out.push(Score::new(SUITE, "plover-gsr dyad exact", d, recs.len()).anchor("goal", 0.50));
    if let Some(dct) = cameo {
        let layered = Coder::layered(dct).with_crosswalk(cw.clone());
        let (s, d) = run(
            "dossier + CAMEO/Phoenix dictionaries (same origin as the sentences: optimistic)",
            &layered,
        );
        out.push(Score::new(
            SUITE,
            "plover-gsr +cameo-dicts micro-F1",
            s.micro_f,
            recs.len(),
        ));
        out.push(Score::new(
            SUITE,
            "plover-gsr +cameo-dicts macro-F1",
            s.macro_f,
            recs.len(),
        ));
        out.push(Score::new(
            SUITE,
            "plover-gsr +cameo-dicts dyad exact",
            d,
            recs.len(),
        ));
    }
    Ok(out)
}

fn print_confusion(c: &BTreeMap<(String, String), usize>) {
    let mut cols: Vec<String> = TYPES.iter().map(|s| s.to_string()).collect();
    cols.push("-".into());
    let abbr = |s: &str| s.chars().take(4).collect::<String>();
    print!(
        "confusion (rows gold, cols predicted; '-' = none)\n{:>10}",
        ""
    );
    for col in &cols {
        print!("{:>5}", abbr(col));
    }
    println!();
    for g in TYPES {
        print!("{:>10}", g);
        for col in &cols {
            let v = c.get(&(g.to_string(), col.clone())).copied().unwrap_or(0);
            if v == 0 {
                print!("{:>5}", ".")
            } else {
                print!("{v:>5}")
            }
        }
        println!();
    }
}

/// Read one member of a zip archive (stored or deflated) with the central directory.
fn zip_member(path: &Path, name: &str) -> Result<Vec<u8>> {
    let b = std::fs::read(path).map_err(|e| EvalError::Io(path.to_path_buf(), e))?;
    let u16_at = |o: usize| u16::from_le_bytes([b[o], b[o + 1]]) as usize;
    let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]) as usize;
    let eocd = (0..b.len().saturating_sub(21))
        .rev()
        .find(|&o| b[o..o + 4] == [0x50, 0x4b, 0x05, 0x06])
        .ok_or_else(|| bad(path, "no zip end record"))?;
    let (count, mut o) = (u16_at(eocd + 10), u32_at(eocd + 16));
    for _ in 0..count {
        if o + 46 > b.len() || b[o..o + 4] != [0x50, 0x4b, 0x01, 0x02] {
            return Err(bad(path, "bad zip central directory"));
        }
        let method = u16_at(o + 10);
        let csize = u32_at(o + 20);
        let (nlen, xlen, clen) = (u16_at(o + 28), u16_at(o + 30), u16_at(o + 32));
        let local = u32_at(o + 42);
        let fname = String::from_utf8_lossy(&b[o + 46..o + 46 + nlen]).to_string();
        if fname == name {
            let start = local + 30 + u16_at(local + 26) + u16_at(local + 28);
            let raw = &b[start..start + csize];
            return match method {
                0 => Ok(raw.to_vec()),
                8 => {
                    let mut out = Vec::new();
                    flate2::read::DeflateDecoder::new(raw)
                        .read_to_end(&mut out)
                        .map_err(|e| EvalError::Io(path.to_path_buf(), e))?;
                    Ok(out)
                }
                m => Err(bad(path, format!("zip method {m} not supported"))),
            };
        }
        o += 46 + nlen + xlen + clen;
    }
    Err(bad(path, format!("{name} not in archive")))
}

#[derive(Deserialize)]
struct LocTok {
    start: usize,
    end: usize,
}
#[derive(Deserialize)]
struct LocSpan {
    start: usize,
    end: usize,
    #[serde(default)]
    token_start: Option<usize>,
    #[serde(default)]
    token_end: Option<usize>,
    label: String,
}
#[derive(Deserialize)]
struct LocRec {
    text: String,
    #[serde(default)]
    tokens: Vec<LocTok>,
    #[serde(default)]
    spans: Vec<LocSpan>,
    #[serde(default)]
    source: String,
}

/// Event-location gold: token P/R/F1 of the event's place name(s), all records and RELABEL.
pub fn location(data: &Path) -> Result<Vec<Score>> {
    let path = data.join("events/event-location/labeled_text.jsonl.zip");
    require(&path)?;
    let bytes = zip_member(&path, "labeled_text.jsonl")?;
    let recs: Vec<LocRec> = serde_json::from_slice(&bytes).map_err(|e| bad(&path, e))?;
    let mut out = Vec::new();
    for (label, relabel_only) in [("all", false), ("RELABEL", true)] {
        let (mut tp, mut fp, mut fnn, mut exact, mut n) = (0usize, 0usize, 0usize, 0usize, 0usize);
        // records by kind of error: no place found / place found where gold has none / a
        // different place / part of the gold place(s) / the gold place(s) and more
        let (mut miss, mut spurious, mut wrong, mut partial, mut over) = (0, 0, 0, 0, 0);
        // missed gold places by cause: which side of the trigger, what leads to the name
        let mut missed_by: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for r in &recs {
            if relabel_only && r.source != "RELABEL" {
                continue;
            }
            let verbs: Vec<&LocSpan> = r.spans.iter().filter(|s| s.label == "VERB").collect();
            if verbs.len() != 1 {
                continue;
            }
            n += 1;
            // the file's offsets count characters: convert to bytes
            let mut byte_of: Vec<usize> = r.text.char_indices().map(|(b, _)| b).collect();
            byte_of.push(r.text.len());
            let b = |c: usize| byte_of.get(c).copied().unwrap_or(r.text.len());
            let toks: Vec<LocTok> = r
                .tokens
                .iter()
                .map(|t| LocTok {
                    start: b(t.start),
                    end: b(t.end),
                })
                .collect();
            let pred = dossier_events::locate(
                &r.text,
                Span {
                    start: b(verbs[0].start),
                    end: b(verbs[0].end),
                },
            );
            let in_spans = |t: &LocTok, spans: &[(usize, usize)]| {
                spans.iter().any(|&(s, e)| t.start >= s && t.end <= e)
            };
            // the character offsets of ~1,100 LOCATION spans are wrong (start = end, or the
            // verb's offset) while their token range and text agree: use the token range
            let gold: Vec<(usize, usize)> = r
                .spans
                .iter()
                .filter(|s| s.label == "LOCATION")
                .map(|s| match (s.token_start, s.token_end) {
                    (Some(a), Some(z)) if a <= z && z < toks.len() => (toks[a].start, toks[z].end),
                    _ => (b(s.start), b(s.end)),
                })
                .collect();
            let predv: Vec<(usize, usize)> = pred.iter().map(|s| (s.start, s.end)).collect();
            let (mut rtp, mut rfp, mut rfn) = (0usize, 0usize, 0usize);
            for t in &toks {
                let (g, p) = (in_spans(t, &gold), in_spans(t, &predv));
                match (g, p) {
                    (true, true) => rtp += 1,
                    (false, true) => rfp += 1,
                    (true, false) => rfn += 1,
                    _ => {}
                }
            }
            tp += rtp;
            fp += rfp;
            fnn += rfn;
            for &(gs, ge) in &gold {
                if predv.iter().any(|&(ps, pe)| ps < ge && gs < pe) {
                    continue;
                }
                let side = if gs >= b(verbs[0].end) {
                    "after trigger"
                } else {
                    "before trigger"
                };
                *missed_by.entry((side, lead_kind(&r.text, gs))).or_default() += 1;
            }
            match (rtp, rfp, rfn) {
                (_, 0, 0) => exact += 1,
                (0, 0, _) => miss += 1,
                (0, _, 0) => spurious += 1,
                (0, _, _) => wrong += 1,
                (_, 0, _) => partial += 1,
                (_, _, 0) => over += 1,
                _ => wrong += 1,
            }
        }
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let rc = tp as f64 / (tp + fnn).max(1) as f64;
        let f = if p + rc == 0.0 {
            0.0
        } else {
            2.0 * p * rc / (p + rc)
        };
        println!(
            "event location ({label}, {n} records): token P {p:.3} R {rc:.3} F1 {f:.3}, record exact {:.3}",
            exact as f64 / n.max(1) as f64
        );
        println!(
            "  location errors ({label}, records): no place found {miss}, place where gold has none {spurious}, other place {wrong}, part of gold {partial}, gold and more {over}"
        );
        let mut by: Vec<_> = missed_by.into_iter().collect();
        by.sort_by_key(|b| std::cmp::Reverse(b.1));
        println!(
            "  missed gold places ({label}) by side and lead: {}",
            by.iter()
                .map(|((s, l), c)| format!("{s}/{l} {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        out.push(
            Score::new(SUITE, &format!("location token F1 ({label})"), f, n)
                .anchor("goal", 0.70)
                .anchor("Halterman 2019 neural (P,R)", 0.83),
        );
    }
    Ok(out)
}

/// What leads to a place name at byte `at`: a locative preposition ("in X", "near the X"),
/// "of" ("the city of X", "much of X"), a verb's bare object or subject, a list or apposition
/// (after a comma or "and"), or the start of the sentence.
fn lead_kind(text: &str, at: usize) -> &'static str {
    let before = text.get(..at).unwrap_or("");
    let mut words = before
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .rev();
    let mut w = words.next().unwrap_or("").to_lowercase();
    // skip determiners and lower-case modifiers ("in the northern X")
    for _ in 0..3 {
        if matches!(w.as_str(), "the" | "a" | "an")
            || w.ends_with("ern")
            || matches!(w.as_str(), "central" | "north" | "south" | "east" | "west")
        {
            w = words.next().unwrap_or("").to_lowercase();
        } else {
            break;
        }
    }
    match w.trim_end_matches([',', ':']) {
        _ if w.is_empty() => "sentence start",
        _ if w.ends_with(',') || w.ends_with(':') => "after comma (list/apposition)",
        "in" | "at" | "near" | "outside" | "inside" | "across" | "around" | "throughout"
        | "into" | "within" | "along" | "over" | "through" => "locative preposition",
        "to" | "from" | "toward" | "towards" => "to/from",
        "of" => "of",
        "on" | "against" => "on/against",
        "and" | "or" => "list member",
        x if x.chars().next().is_some_and(|c| c.is_uppercase()) => "after a name",
        _ => "bare object/subject",
    }
}

/// Coder speed, one thread, our lexicons: sentences/s over the gold sentences.
pub fn speed(data: &Path) -> Result<Vec<Score>> {
    let path = data.join("events/plover-gsr-cameo/gsr.jsonl");
    require(&path)?;
    let text = std::fs::read_to_string(&path).map_err(|e| EvalError::Io(path.clone(), e))?;
    let sents: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(|s| s.to_string()))
        .collect();
    let coder = Coder::new(None);
    let ctx = SentenceContext::on_date(2023, 6, 24);
    let mut n = 0usize;
    let mut evs = 0usize;
    let t0 = Instant::now();
    while t0.elapsed().as_secs_f64() < 2.0 {
        for s in &sents {
            evs += coder.code(s, &ctx).len();
            n += 1;
        }
    }
    let rate = n as f64 / t0.elapsed().as_secs_f64();
    println!("speed: {rate:.0} sentences/s on one core ({n} sentences, {evs} events)");
    Ok(vec![
        Score::new(SUITE, "coder sentences/s per core", rate, n)
            .anchor("goal", 20000.0)
            .anchor("TABARI (upper)", 2000.0)
            .anchor("PETRARCH-2", 250.0),
    ])
}
