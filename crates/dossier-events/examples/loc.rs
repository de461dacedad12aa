//! Print the event location found for JSON lines {"text", "v": [start, end] (chars)}.
use std::io::BufRead;
fn main() {
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let text = v["text"].as_str().unwrap_or("");
        let idx: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain([text.len()])
            .collect();
        let s = idx[v["v"][0].as_u64().unwrap_or(0) as usize];
        let e = idx[v["v"][1].as_u64().unwrap_or(0) as usize];
        let p = dossier_events::locate(text, dossier_events::Span { start: s, end: e });
        let got: Vec<&str> = p.iter().map(|x| &text[x.start..x.end]).collect();
        // LOC_JSON=1: one JSON line per input line with the predicted spans in characters
        if std::env::var("LOC_JSON").is_ok() {
            let ch = |b: usize| text[..b].chars().count();
            let spans: Vec<[usize; 2]> = p.iter().map(|x| [ch(x.start), ch(x.end)]).collect();
            println!(
                "{}",
                serde_json::json!({"i": v["i"], "pred": spans, "got": got})
            );
            continue;
        }
        println!(
            "{:?} | gold {} | verb {} | {}",
            got,
            v["gold"],
            &text[s..e],
            text
        );
    }
}
