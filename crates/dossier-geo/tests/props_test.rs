//! Bad input: random text, control characters, emoji, mixed scripts, 1 MB without punctuation.
//! No panic, offsets on character boundaries, linear time.

use std::time::Instant;

use dossier_geo::{Context, Toponym, geocode, spot, spot_and_geocode};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_text_any_offsets(text in "\\PC{0,200}", offs in proptest::collection::vec((0usize..260, 0usize..260), 0..8)) {
        let tops: Vec<Toponym> = offs.iter().map(|&(start, end)| Toponym { start, end }).collect();
        for p in geocode(&text, &tops, &Context::default()) {
            prop_assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
            prop_assert!(p.confidence > 0.0 && p.confidence <= 1.0);
        }
    }

    #[test]
    fn spot_on_mixed_scripts(words in proptest::collection::vec(
        prop_oneof![
            Just("Moscow".to_string()), Just("Ростов".to_string()), Just("Київ".to_string()),
            Just("U.S.".to_string()), Just("\u{0}".to_string()), Just("🙂".to_string()),
            Just("-".to_string()), Just("New".to_string()), Just("York".to_string()),
            Just("of".to_string()), Just("\t\r\n".to_string()), "[A-Za-zÀ-ÿ]{1,8}",
        ], 0..40)) {
        let text = words.join(" ");
        for p in spot_and_geocode(&text, &Context::default()) {
            prop_assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
            prop_assert_eq!(&text[p.start..p.end], p.text.as_str());
        }
    }
}

#[test]
fn one_megabyte_without_punctuation_is_linear() {
    let _ = spot("warm up Moscow");
    let unit = "Moscow Paris river Nile New York delta Kyiv Ростов ";
    let text: String = unit.repeat(1_000_000 / unit.len());
    let t = Instant::now();
    let tops = spot(&text);
    let places = geocode(&text, &tops, &Context::default());
    let secs = t.elapsed().as_secs_f64();
    assert!(!places.is_empty());
    // Generous: 30 µs per byte in a debug build on a loaded machine.
    assert!(
        secs < text.len() as f64 * 30e-6,
        "{secs} s for {} bytes",
        text.len()
    );

    let caps: String = "Abcdef Ghijk ".repeat(80_000);
    let t = Instant::now();
    let _ = spot(&caps);
    assert!(t.elapsed().as_secs_f64() < caps.len() as f64 * 30e-6);
}
