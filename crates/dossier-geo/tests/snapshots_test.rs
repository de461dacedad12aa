//! Fixture in, snapshot out: our own short reports, spotted and geocoded end to end.

use dossier_geo::{Context, Place, spot_and_geocode};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    span: String,
    text: String,
    id: String,
    name: String,
    country: String,
    feature: String,
    ambiguous: bool,
    confidence: String,
}

fn rows(text: &str, places: &[Place]) -> Vec<Row> {
    places
        .iter()
        .map(|p| {
            assert_eq!(&text[p.start..p.end], p.text, "offsets point at the text");
            Row {
                span: format!("{}..{}", p.start, p.end),
                text: p.text.clone(),
                id: p.id.clone(),
                name: p.name.clone(),
                country: p.country.clone(),
                feature: p.feature.clone(),
                ambiguous: p.ambiguous,
                confidence: format!("{:.2}", p.confidence),
            }
        })
        .collect()
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn mutiny_report() {
    let text = fixture("mutiny.txt");
    let places = spot_and_geocode(&text, &Context::default());
    insta::assert_yaml_snapshot!(rows(&text, &places));
}

#[test]
fn namesakes_resolved_by_context() {
    let text = fixture("namesakes.txt");
    let places = spot_and_geocode(&text, &Context::default());
    insta::assert_yaml_snapshot!(rows(&text, &places));
}

#[test]
fn common_words_need_evidence() {
    let text = fixture("common_words.txt");
    let places = spot_and_geocode(&text, &Context::default());
    insta::assert_yaml_snapshot!(rows(&text, &places));
}
