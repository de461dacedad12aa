//! Bad input: random text, control characters, emoji, mixed scripts, 1 MB without punctuation.
//! No panic, offsets on char boundaries, linear time (a generous budget per byte).

use std::time::Instant;

use dossier_time::{Anchor, find_times};
use proptest::prelude::*;

fn anchor() -> Anchor {
    Anchor::parse("2023-06-26").expect("dct")
}

fn check(text: &str) {
    for t in find_times(text, &anchor()) {
        assert!(t.start < t.end && t.end <= text.len());
        assert_eq!(&text[t.start..t.end], t.text);
        assert!(!t.value.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn random_unicode(s in "\\PC{0,300}") {
        check(&s);
    }

    #[test]
    fn interval_never_panics(s in "[0-9X+:TZWQSPUAFIMOENDRH_-]{0,24}") {
        if let Some((a, b)) = dossier_time::interval(&s) {
            prop_assert!(a < b);
        }
    }

    #[test]
    fn random_control_and_emoji(s in "[\\x00-\\x1f😀🇺🇦 a-zA-Z0-9:.,'/-]{0,300}") {
        check(&s);
    }

    #[test]
    fn random_time_words(words in proptest::collection::vec(
        prop_oneof![
            Just("June"), Just("24"), Just("24th"), Just("the"), Just("next"), Just("morning"),
            Just("10am"), Just("Moscow"), Just("time"), Just("of"), Just("on"), Just("2023"),
            Just("-"), Just(","), Just("ago"), Just("years"), Just("three"), Just("every"),
            Just("Friday"), Just("last"), Just("week"), Just("early"), Just("mid"), Just("."),
            Just("'"), Just("s"), Just("from"), Just("to"), Just("between"), Just("and"),
            Just("GMT"), Just("+"), Just("8"), Just("a"), Just("half"), Just("quarter"),
        ], 0..60)) {
        check(&words.join(" "));
        check(&words.concat());
    }
}

fn budget(text: &str) -> f64 {
    let t = Instant::now();
    check(text);
    t.elapsed().as_secs_f64()
}

/// 1 MB of words without punctuation, and 1 MB of pathological repetition: linear time.
#[test]
fn one_megabyte_no_punctuation() {
    let words = [
        "june", "the", "next", "day", "three", "years", "ago", "morning", "of", "on", "every",
    ];
    let mut s = String::with_capacity(1 << 20);
    let mut k = 0usize;
    while s.len() < 1 << 20 {
        s.push_str(words[k % words.len()]);
        s.push(' ');
        k = k.wrapping_mul(31).wrapping_add(7);
    }
    let secs = budget(&s);
    // 20 µs per byte is far above the measured cost; it only catches super-linear blow-ups.
    assert!(
        secs < 20e-6 * s.len() as f64,
        "{secs} s for {} bytes",
        s.len()
    );

    let small: String = "the the the of of on June June 24 24 ".repeat(2_000);
    let big: String = small.repeat(8);
    let (a, b) = (budget(&small), budget(&big));
    assert!(b < 40.0 * a.max(1e-3), "8x input took {b} s vs {a} s");

    let digits: String = "1".repeat(1 << 20);
    assert!(budget(&digits) < 5.0);
    let one_line: String = "Friday ".repeat(150_000);
    assert!(budget(&one_line) < 20.0);
}
