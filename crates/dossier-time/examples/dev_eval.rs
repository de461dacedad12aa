//! Development scorer over the shared time data (prints errors):
//! `cargo run --release --example dev_eval -- ../shared/data/time [te3|meantime] [v]`.
use std::collections::HashMap;

use serde_json::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).cloned().unwrap_or("../shared/data/time".into());
    let corpus = args.get(2).cloned().unwrap_or("te3".into());
    let verbose = args.get(3).is_some();
    let corpus = if corpus == "te3" {
        "te3-platinum"
    } else {
        "meantime-en"
    };
    let docs: Vec<Value> = std::fs::read_to_string(format!("{dir}/docs.jsonl"))?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let gold: Vec<Value> = std::fs::read_to_string(format!("{dir}/timex-gold.jsonl"))?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let mut by_doc: HashMap<String, Vec<&Value>> = HashMap::new();
    for g in &gold {
        if g["corpus"] == corpus
            && !g["start"].is_null()
            && g["sentence"].as_i64().unwrap_or(0) <= 5
        {
            by_doc
                .entry(g["doc"].as_str().unwrap().to_string())
                .or_default()
                .push(g);
        }
    }
    let (mut ng, mut ns, mut m, mut strict, mut val) = (0, 0, 0, 0, 0);
    for d in docs.iter().filter(|d| d["corpus"] == corpus) {
        let Ok(anchor) = dossier_time::Anchor::parse(d["dct"].as_str().unwrap_or("")) else {
            continue;
        };
        let text = d["text"].as_str().unwrap();
        let limit = if corpus == "meantime-en" {
            sent_limit(text)
        } else {
            text.len()
        };
        let sys: Vec<_> = dossier_time::find_times(text, &anchor)
            .into_iter()
            .filter(|t| t.start < limit)
            .collect();
        let g = by_doc
            .get(d["doc"].as_str().unwrap())
            .cloned()
            .unwrap_or_default();
        ng += g.len();
        ns += sys.len();
        let mut used = vec![false; g.len()];
        for s in &sys {
            let hit = g.iter().enumerate().find(|(k, x)| {
                !used[*k]
                    && (x["start"].as_u64().unwrap() as usize) < s.end
                    && s.start < x["end"].as_u64().unwrap() as usize
            });
            match hit {
                Some((k, x)) => {
                    used[k] = true;
                    m += 1;
                    let ex = x["start"].as_u64().unwrap() as usize == s.start
                        && x["end"].as_u64().unwrap() as usize == s.end;
                    if ex {
                        strict += 1;
                    }
                    let ok = x["value"].as_str().unwrap_or("") == s.value;
                    if ok {
                        val += 1;
                    }
                    if verbose && (!ok || !ex) {
                        println!(
                            "{}\tMISMATCH\t{:?}\t{}\t|\t{:?}\t{} {}\tdct {}",
                            if ok { "ext" } else { "VAL" },
                            s.text,
                            s.value,
                            x["text"].as_str().unwrap(),
                            x["type"].as_str().unwrap(),
                            x["value"],
                            d["dct"]
                        );
                    }
                }
                None => {
                    if verbose {
                        println!("FP\t{:?}\t{}\t{}", s.text, s.kind.as_str(), s.value)
                    }
                }
            }
        }
        if verbose {
            for (k, x) in g.iter().enumerate() {
                if !used[k] {
                    println!(
                        "FN\t{:?}\t{}\t{}\tctx: {:?}",
                        x["text"].as_str().unwrap(),
                        x["type"].as_str().unwrap(),
                        x["value"],
                        &text[(x["start"].as_u64().unwrap() as usize).saturating_sub(40)
                            ..x["start"].as_u64().unwrap() as usize]
                    );
                }
            }
        }
    }
    let f = |c: usize| 200.0 * c as f64 / (ns + ng) as f64;
    println!(
        "gold {ng} sys {ns} | relaxed P {:.2} R {:.2} F1 {:.2} | strict F1 {:.2} | value F1 {:.2} acc {:.2}",
        100.0 * m as f64 / ns as f64,
        100.0 * m as f64 / ng as f64,
        f(m),
        f(strict),
        f(val),
        100.0 * val as f64 / m as f64
    );
    Ok(())
}

/// End of sentence 5 in MEANTIME's tokenised text: lines, and " . " tokens inside lines.
fn sent_limit(text: &str) -> usize {
    let mut n = 0;
    let b = text.as_bytes();
    for i in 0..b.len() {
        let end = b[i] == b'\n'
            || ((b[i] == b'.' || b[i] == b'?' || b[i] == b'!')
                && i > 0
                && b[i - 1] == b' '
                && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\n'));
        if end && !(b[i] == b'\n' && i > 0 && (b[i - 1] == b'.' || b[i - 1] == b'\n')) {
            n += 1;
            if n == 6 {
                return i + 1;
            }
        }
    }
    text.len()
}
