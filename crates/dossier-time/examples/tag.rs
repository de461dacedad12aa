//! Tag a text from stdin: `cargo run --example tag -- 2023-06-26 < text.txt`.
use std::io::Read;

fn main() {
    let dct = std::env::args().nth(1);
    let anchor = match dct.as_deref() {
        Some(d) => dossier_time::Anchor::parse(d).unwrap_or_default(),
        None => dossier_time::Anchor::default(),
    };
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        eprintln!("stdin is not UTF-8 text");
        return;
    }
    for t in dossier_time::find_times(&text, &anchor) {
        let m = t.modifier.map(|m| m.as_str()).unwrap_or("");
        println!(
            "{}..{}\t{:?}\t{}\t{}\t{}\t{:?}",
            t.start,
            t.end,
            t.text,
            t.kind.as_str(),
            t.value,
            m,
            t.anchor_source
        );
    }
}
