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
        println!(
            "{:?} | gold {} | verb {} | {}",
            got,
            v["gold"],
            &text[s..e],
            text
        );
    }
}
