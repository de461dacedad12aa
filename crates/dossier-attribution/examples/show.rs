//! Print the attributions and claims of a plain-text report:
//! `cargo run -p dossier-attribution --example show -- FILE [--json] [--lang]`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: show FILE [--json]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).expect("read");
    let doc = dossier_extract::extract_text(&text, &dossier_extract::Hints::default());
    // `--lang`: with sentences and names from the language stage, as the pipeline runs it.
    let out = if args.iter().any(|a| a == "--lang") {
        let body: Vec<(usize, usize)> = doc
            .blocks
            .iter()
            .filter(|b| b.kind.is_body())
            .map(|b| (b.span.start, b.span.end))
            .collect();
        let lang = dossier_nlp::analyse(&doc.text, Some(&body));
        let (sents, hints) = dossier_attribution::language_inputs(&lang);
        dossier_attribution::attribute(&doc, Some(&sents), Some(&hints))
    } else {
        dossier_attribution::attribute(&doc, None, None)
    };
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&out).expect("json"));
        return;
    }
    for b in &doc.blocks {
        println!(
            "[{}] {}",
            b.kind.as_str(),
            doc.block_text(b).chars().take(70).collect::<String>()
        );
    }
    println!();
    for a in &out.attributions {
        let src = &out.sources[a.source];
        println!(
            "{:?} src={:?} ({}) cue={:?} via={:?} content={:?}",
            a.form,
            a.source_span.as_ref().map(|s| s.text.as_str()),
            src.name,
            a.cue.as_ref().map(|s| s.text.as_str()),
            a.via
                .iter()
                .map(|l| (out.sources[l.source].name.as_str(), l.kind))
                .collect::<Vec<_>>(),
            a.content
                .iter()
                .map(|c| c.text.chars().take(60).collect::<String>())
                .collect::<Vec<_>>()
        );
    }
    println!();
    print!("{}", out.render());
}
