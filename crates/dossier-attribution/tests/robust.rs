//! Bad input: stray and typographic quotes, unclosed quotes, deep "according to" nesting.

use dossier_attribution::attribute;
use dossier_core::{BlockKind, Document};
use proptest::prelude::*;

fn doc_of(paras: &[&str]) -> Document {
    let mut d = Document::new();
    for p in paras {
        d.push_block(BlockKind::Paragraph, 0, p);
    }
    d
}

#[test]
fn unclosed_quote_ends_at_paragraph() {
    let d = doc_of(&[
        "“This never closes, she said and went on",
        "The next paragraph is the report's own voice and says so plainly.",
    ]);
    let out = attribute(&d, None, None);
    let second = d.blocks[1].span;
    for a in &out.attributions {
        for c in &a.content {
            assert!(
                c.end <= d.blocks[0].span.end || c.start >= second.start,
                "{c:?}"
            );
        }
    }
    assert!(
        out.claims
            .iter()
            .any(|c| c.span.start >= second.start && c.attribution.is_none())
    );
}

#[test]
fn five_hundred_nested_according_to() {
    let mut s = String::new();
    for i in 0..500 {
        s.push_str(&format!("according to Source{i} who cited "));
    }
    s.push_str("the war is over.");
    let body = format!("According to {s}");
    let d = doc_of(&[&body, &body]);
    let t = std::time::Instant::now();
    let _ = attribute(&d, None, None);
    assert!(t.elapsed().as_secs() < 5);
}

#[test]
fn long_quote_heavy_text_is_bounded() {
    let para = "“A,” he said. „B“ she said, «C» ‘D’ \" E \" ” ’ “ x said that y. ".repeat(2000);
    let d = doc_of(&[&para]);
    let t = std::time::Instant::now();
    let _ = attribute(&d, None, None);
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
}

#[test]
fn long_issuer_and_hedge_runs_are_bounded() {
    // Long subjects, relative clauses, parentheticals and hedged paragraphs, repeated: the
    // rules look at bounded windows, so time grows with the text only.
    let unit = "According to officials close to the board, a statement from the press office \
                representing the union of the guild indicated that the talks, as described by \
                aides, were over. He reportedly left. Smith's remarks, which framed the deal as \
                final, were brief. The board does not intend to reopen, even as it hopes to. ";
    let small = doc_of(&[&unit.repeat(200)]);
    let large = doc_of(&[&unit.repeat(2000)]);
    let t = std::time::Instant::now();
    let a = attribute(&small, None, None);
    let t_small = t.elapsed();
    let t = std::time::Instant::now();
    let b = attribute(&large, None, None);
    let t_large = t.elapsed();
    assert!(b.attributions.len() >= a.attributions.len() * 9);
    // Ten times the text: well under a hundred times the time (generous for a shared machine).
    assert!(
        t_large.as_secs_f64() < 40.0 * t_small.as_secs_f64().max(0.01) && t_large.as_secs() < 20,
        "{t_small:?} → {t_large:?}"
    );
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("“".to_string()),
        Just("”".to_string()),
        Just("„".to_string()),
        Just("«".to_string()),
        Just("»".to_string()),
        Just("‘".to_string()),
        Just("’".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just(" said ".to_string()),
        Just(" according to ".to_string()),
        Just(" told ".to_string()),
        Just(" that ".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just(" Maria Lopez".to_string()),
        Just(" officials".to_string()),
        Just(" he".to_string()),
        Just(" citing ".to_string()),
        Just(" reportedly".to_string()),
        Just(" a statement from the ".to_string()),
        Just(" indicated ".to_string()),
        Just("'s remarks, which framed ".to_string()),
        Just(" as ".to_string()),
        Just(", as described by ".to_string()),
        Just(" does not intend to ".to_string()),
        Just(" decided to ".to_string()),
        Just(" hopes to ".to_string()),
        "[a-zA-Z ]{0,12}",
        "\\PC{0,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn never_panics_and_spans_are_valid(paras in proptest::collection::vec(proptest::collection::vec(piece(), 0..40), 1..4)) {
        let texts: Vec<String> = paras.iter().map(|p| p.concat()).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let d = doc_of(&refs);
        let out = attribute(&d, None, None);
        for a in &out.attributions {
            for t in a.content.iter().chain(a.cue.iter()).chain(a.source_span.iter()) {
                prop_assert!(t.start <= t.end && t.end <= d.text.len());
                prop_assert!(d.text.is_char_boundary(t.start) && d.text.is_char_boundary(t.end));
                // content never crosses a paragraph unless it is a whole earlier sentence
                let b = d.blocks.iter().find(|b| b.span.start <= t.start && t.start <= b.span.end);
                prop_assert!(b.is_some_and(|b| t.end <= b.span.end));
            }
        }
        for c in &out.claims {
            prop_assert_eq!(c.chain.first(), Some(&out.root.source));
        }
    }
}
