//! Print the sentences, mentions and entities found in a text file (for debugging rules).
//! `cargo run -p dossier-nlp --example show -- FILE`
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: show FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let lang = dossier_nlp::analyse(&text, None);
    for s in &lang.sentences {
        println!("S {:?} {:?}", s.kind, &text[s.start..s.end]);
    }
    for m in &lang.mentions {
        let role = m
            .role
            .as_ref()
            .map(|r| format!(" role=[{}|{}]", r.text, r.title))
            .unwrap_or_default();
        let met = m
            .metonymy
            .as_ref()
            .map(|x| format!(" METONYMY={} ({})", x.stands_for, x.rule))
            .unwrap_or_default();
        println!(
            "M {:>5} {:?} {:?} {:?} ext={:?} rule={} e{}{}{}",
            m.start,
            m.kind,
            m.form,
            m.text,
            &text[m.extent.0..m.extent.1],
            m.rule,
            m.entity,
            role,
            met
        );
    }
    for e in &lang.entities {
        let ev: Vec<String> = e
            .evidence
            .iter()
            .map(|v| format!("{}<-{}:{}", v.mention, v.antecedent, v.rule))
            .collect();
        println!(
            "E{} {:?} {:?} {:?} {}",
            e.id,
            e.kind,
            e.canonical,
            e.mentions,
            ev.join(" ")
        );
    }
}
