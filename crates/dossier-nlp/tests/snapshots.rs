//! Fixture in, snapshot out: sentences, mentions (with roles, metonymy and extents) and
//! entities (with the coreference evidence) for texts we wrote in the style of the first inputs.

use dossier_nlp::{Language, analyse};
use serde::Serialize;

#[derive(Serialize)]
struct MentionView {
    text: String,
    kind: String,
    form: String,
    extent: String,
    rule: String,
    role: Option<String>,
    metonymy: Option<String>,
    entity: String,
}

#[derive(Serialize)]
struct EntityView {
    canonical: String,
    kind: String,
    mentions: Vec<String>,
    evidence: Vec<String>,
}

#[derive(Serialize)]
struct View {
    sentences: Vec<String>,
    datelines: Vec<String>,
    quotes: Vec<String>,
    mentions: Vec<MentionView>,
    entities: Vec<EntityView>,
}

fn view(text: &str, lang: &Language) -> View {
    let sl = |a: usize, b: usize| text[a..b].to_string();
    View {
        sentences: lang
            .sentences
            .iter()
            .map(|s| {
                format!(
                    "{:?}{}: {}",
                    s.kind,
                    if s.title_case { " (title case)" } else { "" },
                    sl(s.start, s.end)
                )
            })
            .collect(),
        datelines: lang
            .datelines
            .iter()
            .map(|d| {
                format!(
                    "{} [place {}, agency {}]",
                    sl(d.start, d.end),
                    sl(d.place.0, d.place.1),
                    d.agency.map(|(a, b)| sl(a, b)).unwrap_or_default()
                )
            })
            .collect(),
        quotes: lang
            .quotes
            .iter()
            .map(|q| format!("{}..{} {:?}", q.blocks.0, q.blocks.1, sl(q.start, q.end)))
            .collect(),
        mentions: lang
            .mentions
            .iter()
            .map(|m| MentionView {
                text: m.text.clone(),
                kind: format!("{:?}", m.kind),
                form: format!("{:?}", m.form),
                extent: sl(m.extent.0, m.extent.1),
                rule: m.rule.clone(),
                role: m.role.as_ref().map(|r| {
                    format!(
                        "{} [title: {}; affiliation: {}; country: {}]",
                        r.text,
                        r.title,
                        r.affiliation.map(|(a, b)| sl(a, b)).unwrap_or_default(),
                        r.country.clone().unwrap_or_default()
                    )
                }),
                metonymy: m
                    .metonymy
                    .as_ref()
                    .map(|x| format!("{} ({})", x.stands_for, x.rule)),
                entity: lang.entities[m.entity].canonical.clone(),
            })
            .collect(),
        entities: lang
            .entities
            .iter()
            .map(|e| EntityView {
                canonical: e.canonical.clone(),
                kind: format!("{:?}", e.kind),
                mentions: e
                    .mentions
                    .iter()
                    .map(|&k| lang.mentions[k].text.clone())
                    .collect(),
                evidence: e
                    .evidence
                    .iter()
                    .map(|v| {
                        format!(
                            "{} -> {} ({})",
                            lang.mentions[v.mention].text,
                            sl(v.antecedent_span.0, v.antecedent_span.1),
                            v.rule
                        )
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn check(name: &str) {
    let path = format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    let lang = analyse(&text, None);
    // every offset is inside the text and on a character boundary
    for m in &lang.mentions {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        assert_eq!(&text[m.start..m.end], m.text);
        assert!(m.extent.0 <= m.start && m.end <= m.extent.1);
        assert!(m.entity < lang.entities.len());
    }
    insta::assert_yaml_snapshot!(name, view(&text, &lang));
}

#[test]
fn roles_metonymy() {
    check("roles_metonymy");
}

#[test]
fn segmentation() {
    check("segmentation");
}

#[test]
fn coreference() {
    check("coreference");
}

#[test]
fn body_spans_limit_the_analysis() {
    let text = "Menu Home Login\nPrigozhin met Lukashenko in Minsk.\nShare on Facebook";
    let s = text.find("Prigozhin").unwrap();
    let e = text.find("Minsk.").unwrap() + 6;
    let lang = analyse(text, Some(&[(s, e)]));
    assert_eq!(lang.sentences.len(), 1);
    assert!(lang.mentions.iter().all(|m| m.start >= s && m.end <= e));
    assert_eq!(lang.mentions.len(), 3);
}
