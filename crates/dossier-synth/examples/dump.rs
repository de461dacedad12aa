//! Write a synthetic corpus to a folder, to look at it or ingest it with `dossier ingest`:
//! `cargo run --release -p dossier-synth --example dump -- DIR [REPORTS] [SEED]`.
//! Each report becomes `NNNNNN.html`; `truth.jsonl` holds each one's URL and ground truth.

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: dump DIR [REPORTS] [SEED]")?);
    let reports = args.next().map(|n| n.parse()).transpose()?.unwrap_or(500);
    let seed = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1);
    std::fs::create_dir_all(&dir)?;
    let params = dossier_synth::Params {
        reports,
        ..Default::default()
    };
    let mut truth = std::io::BufWriter::new(std::fs::File::create(dir.join("truth.jsonl"))?);
    for (i, r) in dossier_synth::Generator::new(seed, params)?.enumerate() {
        let name = format!("{i:06}.html");
        std::fs::write(dir.join(&name), &r.html)?;
        let line = serde_json::json!({"file": name, "url": r.url, "outlet": r.outlet, "title": r.title, "truth": r.truth});
        writeln!(truth, "{line}")?;
    }
    truth.flush()?;
    Ok(())
}
