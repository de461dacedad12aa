//! Bad input: random text, mixed scripts, control characters, emoji, 1 MB in one line. No
//! panic, offsets on character boundaries, and time linear in the length.

use std::time::Instant;

use dossier_nlp::analyse;
use proptest::prelude::*;

fn check(text: &str) {
    let lang = analyse(text, None);
    let mut last = 0;
    for s in &lang.sentences {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert!(s.start >= last);
        last = s.end;
    }
    for t in &lang.tokens {
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end) && t.start < t.end);
    }
    for m in &lang.mentions {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        assert!(text.is_char_boundary(m.extent.0) && text.is_char_boundary(m.extent.1));
        assert!(m.extent.0 <= m.start && m.end <= m.extent.1 && m.extent.1 <= text.len());
        assert!(m.entity < lang.entities.len());
    }
    for e in &lang.entities {
        for v in &e.evidence {
            assert!(v.mention < lang.mentions.len() && v.antecedent < lang.mentions.len());
        }
    }
    for q in &lang.quotes {
        assert!(q.start <= q.end && q.end <= text.len());
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Mr. ".to_string()),
        Just("U.S. ".to_string()),
        Just("Gen. ".to_string()),
        Just("Prigozhin ".to_string()),
        Just("Belarusian President Alexander Lukashenko".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("\"".to_string()),
        Just("'s ".to_string()),
        Just("he ".to_string()),
        Just("the president ".to_string()),
        Just("\n".to_string()),
        Just("(".to_string()),
        Just("MOSCOW (Reuters) - ".to_string()),
        Just("Пригожин ".to_string()),
        Just("北京 ".to_string()),
        Just("😀".to_string()),
        Just("\u{0}\u{7}\u{202e}".to_string()),
        "[A-Za-z]{1,8} ",
        "\\PC{0,6}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_pieces_never_panic(parts in proptest::collection::vec(piece(), 0..80)) {
        let text: String = parts.concat();
        check(&text);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC*") {
        check(&text);
    }

    #[test]
    fn arbitrary_body_spans_never_panic(text in "[A-Z][a-z]{0,5}( [A-Z]?[a-z]{0,6}[.,]?){0,30}", a in 0usize..200, b in 0usize..200) {
        let spans = [(a.min(b), a.max(b)), (b, a)];
        let lang = analyse(&text, Some(&spans));
        for m in &lang.mentions {
            prop_assert!(m.end <= text.len());
        }
    }
}

fn time_it(text: &str) -> f64 {
    let t0 = Instant::now();
    let lang = analyse(text, None);
    std::hint::black_box(&lang);
    t0.elapsed().as_secs_f64()
}

/// 1 MB in one line without punctuation, and 1 MB of name-like words: bounded time, linear.
#[test]
fn one_megabyte_in_one_line_is_linear() {
    let words = [
        "Prigozhin",
        "said",
        "Moscow",
        "the",
        "Wagner",
        "Group",
        "of",
        "and",
        "Boris",
        "X",
    ];
    let make = |n: usize| {
        let mut s = String::with_capacity(n + 16);
        let mut i = 0usize;
        while s.len() < n {
            s.push_str(words[(i * 7 + i / 3) % words.len()]);
            s.push(' ');
            i += 1;
        }
        s
    };
    let small = make(128 * 1024);
    let big = make(1024 * 1024);
    let ts = time_it(&small);
    let tb = time_it(&big);
    // generous: 8 times the data may take at most 24 times as long (+ slack for noise), and
    // a megabyte must not take more than 20 s even in a debug build on a loaded machine
    assert!(tb < ts * 24.0 + 0.5, "small {ts:.3}s big {tb:.3}s");
    assert!(tb < 20.0, "1 MB took {tb:.3}s");
    check(&big);
    // capitalised words only: one huge chunk candidate
    let caps = "Alpha Beta Gamma ".repeat(60_000);
    let tc = time_it(&caps);
    assert!(tc < 20.0, "1 MB of capitalised words took {tc:.3}s");
    // mixed scripts, emoji and control characters
    let mixed = "Путин 😀 北京\u{0}\u{1b}[0m Washington ".repeat(30_000);
    assert!(time_it(&mixed) < 20.0);
    check(&mixed);
}
