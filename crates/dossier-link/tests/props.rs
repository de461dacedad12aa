//! Properties of the normalisers and shingling: no panic on any input, offsets on character
//! boundaries inside the text, and linear time on large inputs.

use std::time::Instant;

use dossier_link::copies::shingles;
use dossier_link::entities::{name_forms, transliterate};
use dossier_link::text::{fold, sentences, tokens};
use dossier_link::{
    CopyIndex, DocInput, EntityKind, EntityResolver, MentionInput, Span, StoryIndex,
};
use proptest::prelude::*;

fn check_spans(text: &str, spans: impl Iterator<Item = Span>) {
    for s in spans {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn normalisers_never_panic(s in "(?s).{0,300}", ctl in "[\\x00-\\x1f\\u{7f}\\u{200b}\\u{feff}😀Ёё]{0,20}") {
        let text = format!("{s}{ctl}{s}");
        let _ = fold(&text);
        let _ = transliterate(&text);
        check_spans(&text, tokens(&text).into_iter().map(|t| t.span));
        check_spans(&text, sentences(&text).into_iter());
        check_spans(&text, shingles(&text, 3).into_iter().map(|s| s.1));
        let _ = name_forms(&text, EntityKind::Person);
        let _ = name_forms(&text, EntityKind::Organisation);
    }

    #[test]
    fn indexes_never_panic(texts in proptest::collection::vec("(?s).{0,200}", 1..6)) {
        let mut c = CopyIndex::default();
        let mut s = StoryIndex::default();
        let mut r = EntityResolver::default();
        for (i, t) in texts.iter().enumerate() {
            let d = DocInput { id: format!("d{}", i % 3), url: Some("u".into()), text: t.clone(), title: t.clone(), ..Default::default() };
            for l in c.add(&d) {
                for e in &l.evidence {
                    prop_assert!(e.derived.end <= texts.iter().map(String::len).max().unwrap_or(0));
                }
            }
            s.add(&d);
            r.add(&d.id, &[MentionInput { span: Span::new(0, t.len()), text: t.clone(), kind: EntityKind::Other }]);
        }
    }
}

/// 1 MB without punctuation, and 1 MB of one repeated word: generous budget per byte.
#[test]
fn linear_time_on_large_input() {
    let words = [
        "wagner", "rostov", "moscow", "march", "talks", "deal", "belarus", "convoy",
    ];
    let mut big = String::new();
    let mut i = 0usize;
    while big.len() < 1_000_000 {
        big.push_str(words[i % words.len()]);
        big.push(' ');
        i = i.wrapping_mul(31).wrapping_add(7);
    }
    let same = "prigozhin ".repeat(100_000);
    for text in [&big, &same] {
        let t = Instant::now();
        let _ = fold(text);
        let toks = tokens(text);
        let _ = sentences(text);
        let sh = shingles(text, 3);
        assert!(!toks.is_empty() && !sh.is_empty());
        let mut c = CopyIndex::default();
        c.add(&DocInput::new("a", "", text));
        c.add(&DocInput::new("b", "", text));
        let mut s = StoryIndex::default();
        s.add(&DocInput::new("a", "", text));
        let el = t.elapsed().as_secs_f64();
        // 60 µs per byte (unoptimised test build on a shared 2-core machine): 60 s for 1 MB;
        // anything quadratic would take hours.
        assert!(el < 60.0, "took {el:.1}s for {} bytes", text.len());
    }
}
