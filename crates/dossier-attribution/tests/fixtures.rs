//! Snapshot tests on invented reports in `tests/fixtures/`.

use dossier_attribution::{Attributions, Commitment, SourceKind, attribute};

fn run(name: &str) -> (dossier_core::Document, Attributions) {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("fixture");
    let doc = dossier_extract::extract_text(&text, &dossier_extract::Hints::default());
    let out = attribute(&doc, None, None);
    (doc, out)
}

/// A compact, readable summary for snapshots.
fn summary(out: &Attributions) -> String {
    let mut s = String::new();
    for a in &out.attributions {
        let src = &out.sources[a.source];
        s.push_str(&format!(
            "{:?} | {} ({:?}) | as {:?} | cue {:?} {:?} | via [{}] | {:?}\n    content: {}\n",
            a.form,
            src.name,
            src.kind,
            a.source_span
                .as_ref()
                .map(|x| x.text.as_str())
                .unwrap_or(""),
            a.cue.as_ref().map(|x| x.text.as_str()).unwrap_or(""),
            a.cue_class,
            a.via
                .iter()
                .map(|l| format!(
                    "{:?}{} {}",
                    l.kind,
                    if l.partial { "(partial)" } else { "" },
                    out.sources[l.source].name
                ))
                .collect::<Vec<_>>()
                .join(", "),
            a.commitment,
            a.content
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" … "),
        ));
        if let Some(r) = &a.resolved {
            s.push_str(&format!(
                "    resolved: {:?} → {:?} ({})\n",
                r.mention.text, r.antecedent.text, r.rule
            ));
        }
    }
    s.push_str("--- sources\n");
    for src in &out.sources {
        s.push_str(&format!(
            "{} {:?} opaque={} {:?} caveats={}\n",
            src.name,
            src.kind,
            src.opaque,
            src.anonymous,
            src.caveats.len()
        ));
    }
    s.push_str("--- claims\n");
    s.push_str(&out.render());
    s
}

fn check_spans(doc: &dossier_core::Document, out: &Attributions) {
    for a in &out.attributions {
        for t in a
            .content
            .iter()
            .chain(a.cue.iter())
            .chain(a.source_span.iter())
        {
            assert_eq!(doc.text.get(t.start..t.end), Some(t.text.as_str()));
        }
    }
    for c in &out.claims {
        assert_eq!(
            doc.text.get(c.span.start..c.span.end),
            Some(c.span.text.as_str())
        );
        assert_eq!(c.chain.first(), Some(&out.root.source));
        assert_eq!(c.chain.last(), Some(&c.origin));
    }
}

#[test]
fn chain_fixture() {
    let (doc, out) = run("chain.txt");
    check_spans(&doc, &out);
    let name = |i: usize| out.sources[i].name.as_str();
    // report (NTA) → Baltic Monitor → Kestrel Daily (partly) → anonymous harbour sources
    let claim = out
        .claims
        .iter()
        .find(|c| c.span.text.starts_with("The port of Valmora"))
        .expect("claim");
    let chain: Vec<&str> = claim.chain.iter().map(|&i| name(i)).collect();
    assert_eq!(chain[0], "NTA");
    assert_eq!(chain[1], "Baltic Monitor");
    assert_eq!(chain[2], "Kestrel Daily");
    assert_eq!(out.sources[claim.origin].kind, SourceKind::Anonymous);
    let kd = out
        .sources
        .iter()
        .find(|s| s.name == "Kestrel Daily")
        .expect("Kestrel Daily");
    assert_eq!(kd.caveats.len(), 1, "editor's note caveat on Kestrel Daily");
    insta::assert_snapshot!(summary(&out));
}

#[test]
fn voices_fixture() {
    let (doc, out) = run("voices.txt");
    check_spans(&doc, &out);
    let by_content = |s: &str| {
        out.attributions
            .iter()
            .find(|a| a.content.iter().any(|c| c.text.contains(s)))
            .unwrap_or_else(|| panic!("no attribution with {s:?}"))
    };
    // split quote, one attribution with two content parts
    let split = by_content("The inspection");
    assert_eq!(split.content.len(), 2);
    assert_eq!(out.sources[split.source].name, "Elena Brandt");
    // pronoun resolved to the full name
    let she = by_content("We have no choice");
    assert_eq!(out.sources[she.source].name, "Elena Brandt");
    assert!(she.resolved.is_some());
    // floating quote inherits the last speaker
    let floating = by_content("Every crane on the east quay");
    assert_eq!(out.sources[floating.source].name, "Elena Brandt");
    // anonymous group with a count
    let anon = by_content("ignored earlier warnings");
    let a = out.sources[anon.source]
        .anonymous
        .as_ref()
        .expect("anonymous");
    assert_eq!(a.count, Some(2));
    // opaque
    let opaque = by_content("sent divers");
    assert!(out.sources[opaque.source].opaque);
    let opaque2 = by_content("second port");
    assert!(out.sources[opaque2.source].opaque);
    // denial
    let denial = by_content("any warnings had been received");
    assert_eq!(denial.commitment, Commitment::Denied);
    // addressee kept
    let told = by_content("workers would strike");
    assert_eq!(
        out.sources[told.addressee.as_ref().expect("addressee").source].name,
        "Valmora Herald"
    );
    insta::assert_snapshot!(summary(&out));
}
