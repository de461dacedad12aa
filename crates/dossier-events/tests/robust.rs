//! Bad input: random text, control characters, emoji, very long sentences — no panic, linear time.

use std::time::Instant;

use dossier_events::{Coder, SentenceContext};
use proptest::prelude::*;

fn coder() -> &'static Coder {
    static C: std::sync::OnceLock<Coder> = std::sync::OnceLock::new();
    C.get_or_init(|| Coder::new(None))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn random_text_never_panics(s in "\\PC{0,300}") {
        let evs = coder().code(&s, &SentenceContext::default());
        for e in evs {
            prop_assert!(e.trigger.end <= s.len() && s.is_char_boundary(e.trigger.start));
        }
    }

    #[test]
    fn random_words_spans_valid(words in proptest::collection::vec(prop_oneof![
        Just("Russia"), Just("attacked"), Just("and"), Just(","), Just("Ukraine"), Just("troops"),
        Just("the"), Just("not"), Just("by"), Just("was"), Just("met"), Just("in"), Just("Kyiv"),
        Just("😀"), Just("\u{0}"), Just("police"), Just("talks"), Just("'s"), Just(";")], 0..80)) {
        let s = words.join(" ");
        for e in coder().code(&s, &SentenceContext::default()) {
            prop_assert!(s.get(e.trigger.start..e.trigger.end).is_some());
            for a in e.actors.iter().chain(&e.recipients) {
                prop_assert!(s.get(a.span.start..a.span.end).is_some());
            }
        }
    }
}

fn time_for(tokens: usize) -> f64 {
    let unit = "Russian troops attacked Ukraine and Poland met Hungary , the police arrested protesters in Kyiv ";
    let mut s = String::new();
    while s.split_whitespace().count() < tokens {
        s.push_str(unit);
    }
    let t = Instant::now();
    let evs = coder().code(&s, &SentenceContext::default());
    assert!(!evs.is_empty());
    t.elapsed().as_secs_f64()
}

#[test]
fn ten_thousand_tokens_linear_time() {
    let _ = time_for(1000);
    // The fastest of several runs: a busy machine only ever adds time.
    let best = |n: usize| (0..5).map(|_| time_for(n)).fold(f64::MAX, f64::min);
    let small = best(2_000);
    let big = best(20_000);
    // generous: 10x the tokens within 40x the time, and under 2 s absolute
    assert!(big < small * 40.0 + 0.05, "small {small}s big {big}s");
    assert!(big < 2.0, "20,000 tokens took {big}s");
}

#[test]
fn megabyte_without_punctuation() {
    let s = "a".repeat(1 << 20);
    let t = Instant::now();
    let _ = coder().code(&s, &SentenceContext::default());
    let junk: String = (0..200_000)
        .map(|i| char::from_u32(0x20 + (i * 7919) % 0x2FF).unwrap_or(' '))
        .collect();
    let _ = coder().code(&junk, &SentenceContext::default());
    assert!(t.elapsed().as_secs_f64() < 3.0);
}
