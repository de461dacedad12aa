//! Code sentences from stdin (one per line) and print each sentence's events as a JSON array.
//! `cargo run -p dossier-events --example code -- [DICT_DIR] [YYYY-MM-DD]`

use std::io::BufRead;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dicts =
        args.get(1)
            .filter(|a| *a != "-")
            .map(|d| match dossier_events::Dictionaries::load(d) {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(2);
                }
            });
    // REQUIRE_DYAD=0: code events without a recipient too (PETRARCH's require_dyad option)
    let dyad = std::env::var("REQUIRE_DYAD").map_or(true, |v| v != "0");
    let coder = dossier_events::Coder::new(dicts).with_require_dyad(dyad);
    let mut ctx = dossier_events::SentenceContext::default();
    if let Some(d) = args.get(2) {
        ctx.date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    }
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        match coder.code_checked(&line, &ctx) {
            Ok(evs) => println!("{}", serde_json::to_string(&evs).unwrap_or_default()),
            Err(r) => println!("{{\"rejected\": \"{r}\"}}"),
        }
    }
}
