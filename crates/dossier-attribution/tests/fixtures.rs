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

/// The claim whose span contains `s`.
fn claim_with<'a>(out: &'a Attributions, s: &str) -> &'a dossier_attribution::Claim {
    out.claims
        .iter()
        .find(|c| c.span.text.contains(s))
        .unwrap_or_else(|| panic!("no claim with {s:?}"))
}

fn chain_names(out: &Attributions, c: &dossier_attribution::Claim) -> Vec<String> {
    c.chain
        .iter()
        .map(|&i| out.sources[i].name.clone())
        .collect()
}

#[test]
fn hedges_fixture() {
    let (doc, out) = run("hedges.txt");
    check_spans(&doc, &out);
    // A hedge right after an attributed sentence keeps the paragraph's source.
    let inherited = claim_with(&out, "had no choice");
    let chain = chain_names(&out, inherited);
    assert_eq!(
        out.sources[inherited.origin].kind,
        SourceKind::Anonymous,
        "{chain:?}"
    );
    assert!(chain.iter().any(|n| n.contains("officials")), "{chain:?}");
    assert_eq!(inherited.commitment, Commitment::Hedged);
    assert!(inherited.attribution.is_some());
    // A decision is an event in the report's own voice, not the water board's claim.
    let decided = claim_with(&out, "decided to halt");
    assert!(decided.attribution.is_none());
    assert_eq!(decided.chain, vec![out.root.source]);
    assert!(
        !out.attributions
            .iter()
            .any(|a| a.cue.as_ref().is_some_and(|c| c.text == "decided")),
        "decided is no cue"
    );
    // A hedge after a sentence in the report's own voice, or with no source at all, is hearsay.
    for s in ["three foreign experts", "lost most of their crops"] {
        let c = claim_with(&out, s);
        assert_eq!(c.commitment, Commitment::Hedged);
        assert_eq!(out.sources[c.origin].kind, SourceKind::Unspecified, "{s}");
    }
    // A hedged sentence about the source itself is reported by someone else.
    let about = claim_with(&out, "asked for a transfer");
    assert_eq!(out.sources[about.origin].kind, SourceKind::Unspecified);
    // A denial does not speak for the hedged sentence after it.
    let after_denial = claim_with(&out, "kept the logbook locked");
    assert_eq!(
        out.sources[after_denial.origin].kind,
        SourceKind::Unspecified
    );
    // "agreed to meet" is an event; "wants to", "hopes to" are held propositions.
    assert!(claim_with(&out, "agreed to meet").attribution.is_none());
    let wants = out
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "wants"))
        .expect("wants");
    assert_eq!(out.sources[wants.source].name, "Ilse Darrow");
    assert!(
        out.attributions
            .iter()
            .any(|a| a.cue.as_ref().is_some_and(|c| c.text == "hopes"))
    );
    // A negated intention is no held proposition; the infinitive stops before ", even as".
    let intend = out
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "intend"))
        .expect("intend");
    assert_eq!(intend.commitment, Commitment::Denied);
    assert_eq!(intend.content[0].text, "to reopen the gates");
    let hoped = out
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "hoped"))
        .expect("hoped");
    assert_eq!(hoped.content[0].text, "to calm the farmers");
    // A bare anonymous head is a new group unless it repeats the earlier group's noun.
    let analysts = out
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "warned"))
        .expect("warned");
    assert_eq!(out.sources[analysts.source].name, "Analysts");
    insta::assert_snapshot!(summary(&out));
}

#[test]
fn issuers_fixture() {
    let (doc, out) = run("issuers.txt");
    check_spans(&doc, &out);
    let by_cue = |cue: &str| {
        out.attributions
            .iter()
            .find(|a| a.cue.as_ref().is_some_and(|c| c.text == cue))
            .unwrap_or_else(|| panic!("no attribution with cue {cue:?}"))
    };
    // "a message from the press office representing X indicated that ...": the office speaks.
    let msg = by_cue("indicated");
    let src = &out.sources[msg.source];
    assert!(src.name.contains("press office"), "{}", src.name);
    assert!(msg.content[0].text.starts_with("that negotiators"));
    // "The goal, as described by ministry spokespeople, is ...": two content parts.
    let described = by_cue("as described by");
    assert_eq!(out.sources[described.source].kind, SourceKind::Anonymous);
    assert_eq!(described.content.len(), 2);
    assert_eq!(described.content[0].text, "The goal");
    // "A statement issued by the Transport Ministry said ...".
    let said = by_cue("said");
    assert_eq!(out.sources[said.source].name, "Transport Ministry");
    // "X's remarks, which framed Y as Z, ...": X speaks, the content ends with the clause.
    let framed = by_cue("framed");
    assert_eq!(out.sources[framed.source].name, "Paulo Vaskes");
    assert_eq!(
        framed.content[0].text,
        "the agreement as fragile but workable"
    );
    // Reports from a place are an opaque reference, not a source named after the place.
    let reports = by_cue("suggested");
    assert_eq!(out.sources[reports.source].kind, SourceKind::Opaque);
    assert!(out.sources[reports.source].opaque);
    insta::assert_snapshot!(summary(&out));
}

#[test]
fn objects_fixture() {
    let (doc, out) = run("objects.txt");
    check_spans(&doc, &out);
    let cues: Vec<&str> = out
        .attributions
        .iter()
        .filter_map(|a| a.cue.as_ref().map(|c| c.text.as_str()))
        .collect();
    // Objects and comparisons are no reported clauses.
    for not_cue in ["expect", "felt", "show", "Post"] {
        assert!(!cues.contains(&not_cue), "{not_cue}: {cues:?}");
    }
    // The cue after a quote is the verb, not a capitalised word of the outlet's name.
    let reported = out
        .attributions
        .iter()
        .find(|a| a.cue.as_ref().is_some_and(|c| c.text == "reported"))
        .expect("reported");
    assert!(out.sources[reported.source].name.contains("Valley Post"));
    assert!(cues.contains(&"said"));
    // Coordinated reports: the first content ends before ", but the engineer thinks".
    let thinks: Vec<&str> = out
        .attributions
        .iter()
        .filter(|a| a.cue.as_ref().is_some_and(|c| c.text == "thinks"))
        .map(|a| a.content[0].text.as_str())
        .collect();
    assert_eq!(thinks, ["the roof will hold", "it will leak"]);
    insta::assert_snapshot!(summary(&out));
}

#[test]
fn appositions_fixture() {
    let (doc, out) = run("appositions.txt");
    check_spans(&doc, &out);
    let by_cue = |cue: &str| -> Vec<(String, String)> {
        out.attributions
            .iter()
            .filter(|a| a.cue.as_ref().is_some_and(|c| c.text == cue))
            .map(|a| {
                (
                    a.source_span
                        .as_ref()
                        .map(|x| x.text.clone())
                        .unwrap_or_default(),
                    a.content
                        .first()
                        .map(|c| c.text.clone())
                        .unwrap_or_default(),
                )
            })
            .collect()
    };
    let said: Vec<String> = by_cue("said").into_iter().map(|(s, _)| s).collect();
    // The speaker before an apposition, not a body named inside it.
    assert!(said.contains(&"Colonel Tom Bright".to_string()), "{said:?}");
    assert!(said.contains(&"Dana Poole".to_string()), "{said:?}");
    assert!(said.contains(&"Omar Haddad".to_string()), "{said:?}");
    assert!(!said.iter().any(|s| s.contains("Museum")), "{said:?}");
    // Two appositions, and an abbreviated title kept with the name.
    assert_eq!(by_cue("says")[0].0, "Dr. Ruth Ames");
    // "that" after an adverbial or an addressee; "that, over ..., ..." keeps its clause.
    let told = by_cue("told");
    assert_eq!(told[0].0, "Mr. Vance");
    assert!(
        told[0].1.starts_with("that, over the last winter"),
        "{told:?}"
    );
    assert!(by_cue("announced")[0].1.starts_with("that the ferry"));
    assert_eq!(by_cue("stated")[0].0, "Ms. Ortiz");
    // "to the point that" is a noun's complement, not reported content.
    assert!(by_cue("complained").is_empty());
    // A bare clause after a cue has a finite verb; an object noun phrase has none.
    assert!(
        by_cue("stated")
            .iter()
            .any(|(s, c)| s == "Ms. Grant" && c == "Lopez left the firm in June"),
        "{:?}",
        by_cue("stated")
    );
    assert!(
        !by_cue("announced")
            .iter()
            .any(|(_, c)| c.starts_with("the closure")),
        "{:?}",
        by_cue("announced")
    );
    // A short phrase between the cue and the quote.
    assert_eq!(by_cue("remarked")[0].0, "Stan Fell");
    // A role and the name beside it.
    assert!(
        said.contains(&"The firm's chief, Ann Cole".to_string()),
        "{said:?}"
    );
    // "best known" is an adjective.
    assert!(by_cue("known").is_empty());
    // "X, in a statement, said"; "As X told Y, ...".
    assert!(
        said.contains(&"Harbour master Jo Bell".to_string()),
        "{said:?}"
    );
    assert!(
        told.iter()
            .any(|(s, c)| s == "Lee" && c == "the tide level has dropped by half"),
        "{told:?}"
    );
    insta::assert_snapshot!(summary(&out));
}
