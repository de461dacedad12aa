//! Bad input and scale: random text into `quantities` and the TIMEX comparison (no panic,
//! spans on character boundaries, linear time), and 10,000 statements through
//! `contradictions` and `grade`.

use std::time::{Duration, Instant};

use dossier_grade::{
    Evidence, OriginKind, Quantity, Ratings, Statement, between, contradictions, grade,
    grade_claim, grade_claims, quantities, quantities_near, sentence_offsets,
};
use proptest::prelude::*;

fn texty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 ,.a-zA-Z%\\-]{0,300}",
        proptest::collection::vec(
            prop_oneof![
                Just("at least ".to_string()),
                Just("25,000 ".to_string()),
                Just("8 000 ".to_string()),
                Just("two dozen ".to_string()),
                Just("a couple of ".to_string()),
                Just("twenty-five thousand ".to_string()),
                Just("fighters ".to_string()),
                Just("Wagner ".to_string()),
                Just("1.5 million ".to_string()),
                Just("25k ".to_string()),
                Just("\u{1F600} ".to_string()),
                Just("\u{0}\u{7}\u{202f}".to_string()),
                Just("June 24 ".to_string()),
                Just("and ".to_string()),
                Just("% ".to_string()),
                "[0-9]{1,20}",
                "[a-z]{1,10} ",
            ],
            0..60
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn quantities_never_panic_and_spans_are_sound(text in texty()) {
        for q in quantities(&text) {
            prop_assert!(q.span.0 < q.span.1 && q.span.1 <= text.len());
            prop_assert!(text.is_char_boundary(q.span.0) && text.is_char_boundary(q.span.1));
            prop_assert!(q.value.is_finite() && q.value >= 0.0);
            prop_assert!(!q.unit.is_empty());
        }
    }

    #[test]
    fn quantities_near_never_panics_and_keeps_counts(
        text in texty(),
        a in 0usize..2000,
        len in 0usize..50,
        start in 0usize..100,
    ) {
        let trigger = sentence_offsets(&text, start, (a, a + len));
        prop_assert!(trigger.0 <= trigger.1 && trigger.1 <= text.len());
        prop_assert!(text.is_char_boundary(trigger.0) && text.is_char_boundary(trigger.1));
        let all = quantities(&text);
        // raw offsets too, even off character boundaries or past the end
        for t in [trigger, (a, a + len), (a + len, a)] {
            for q in quantities_near(&text, t) {
                prop_assert!(q.is_count());
                prop_assert!(q.high.is_none_or(|h| h >= q.value));
                prop_assert!(all.contains(&q), "{q:?} not among {all:?}");
            }
        }
    }

    #[test]
    fn time_hardness_never_panics_on_any_sentence(
        text in texty(),
        d1 in 1u32..29,
        d2 in 1u32..29,
    ) {
        let mk = |id: &str, day: u32, text: &str| Statement {
            id: id.to_string(),
            report: id.to_string(),
            outlet: "o".into(),
            domain: None,
            origin: id.to_string(),
            origin_kind: OriginKind::Outlet,
            origin_label: None,
            origin_domain: None,
            negated: false,
            hedged: false,
            caveats: vec![],
            participants: vec![],
            time: Some(format!("2023-06-{day:02}")),
            place: None,
            numbers: vec![],
            evidence: Evidence { report: id.into(), span: (0, 0), text: text.to_string() },
        };
        let written = |day: u32| format!("{text} on June {day}");
        // a sentence without the date written out (non-empty: an empty one counts as written)
        let (x, y) = (mk("a", d1, &written(d1)), mk("b", d2, &format!("{text} reportedly")));
        let cs = contradictions(&[x.clone(), y.clone()]);
        // a hard time contradiction needs both dates written out and two days between them
        for c in cs.iter().filter(|c| !c.soft) {
            prop_assert!(d1.abs_diff(d2) >= 2);
            prop_assert!(y.evidence.text.contains(&format!("{d2}")), "{c:?}");
        }
        let both = contradictions(&[x, mk("b", d2, &written(d2))]);
        prop_assert_eq!(both.iter().any(|c| !c.soft), d1.abs_diff(d2) >= 2);
    }

    #[test]
    fn timex_comparison_never_panics(a in "[0-9X]{0,4}(-[0-9WQX]{0,3}(-[0-9X]{0,2})?)?(T[0-9A-Z:]{0,5})?", b in any::<String>()) {
        let mk = |t: &str| Statement {
            id: t.to_string(),
            report: "r".into(),
            outlet: "o".into(),
            domain: None,
            origin: t.to_string(),
            origin_kind: OriginKind::Outlet,
            origin_label: None,
            origin_domain: None,
            negated: false,
            hedged: false,
            caveats: vec![],
            participants: vec![],
            time: Some(t.to_string()),
            place: Some(t.to_string()),
            numbers: vec![],
            evidence: Evidence { report: "r".into(), span: (0, 0), text: String::new() },
        };
        let (x, y) = (mk(&a), mk(&format!("{b}#")));
        let _ = between(&x, &y);
        let _ = between(&y, &x);
        // symmetric: the same slots conflict both ways
        let s1: Vec<_> = between(&x, &y).iter().map(|c| c.slot).collect();
        let s2: Vec<_> = between(&y, &x).iter().map(|c| c.slot).collect();
        prop_assert_eq!(s1, s2);
    }
}

/// Found by the property above: a time part that starts with a multi-byte character.
#[test]
fn time_part_with_multibyte_start_is_no_panic() {
    for t in ["0T\u{bbe}", "2023-06-24T\u{bbe}1", "2023-06-24Tஂ", "2023T€€"] {
        let st = |v: &str| Statement {
            id: v.to_string(),
            report: "r".into(),
            outlet: "o".into(),
            domain: None,
            origin: v.to_string(),
            origin_kind: OriginKind::Outlet,
            origin_label: None,
            origin_domain: None,
            negated: false,
            hedged: false,
            caveats: vec![],
            participants: vec![],
            time: Some(v.to_string()),
            place: None,
            numbers: vec![],
            evidence: Evidence {
                report: "r".into(),
                span: (0, 0),
                text: String::new(),
            },
        };
        let _ = between(&st(t), &st("2023-06-24T10:00"));
        let _ = between(&st(""), &st(t));
    }
}

fn timed<T>(budget: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    let took = t.elapsed();
    eprintln!("{what}: {took:?}");
    assert!(took < budget, "{what} took {took:?} (budget {budget:?})");
    out
}

#[test]
fn quantities_linear_on_megabyte_inputs() {
    let mb = 1 << 20;
    // generous: 10 µs per byte in an unoptimised build on a shared machine
    let budget = Duration::from_secs(10);
    let words = "prigozhin said fighters were moving toward moscow ".repeat(mb / 50);
    timed(budget, "1 MB of words, no punctuation", || {
        quantities(&words)
    });
    let digits = "7".repeat(mb);
    timed(budget, "1 MB of one number", || quantities(&digits));
    let groups = "1 000 ".repeat(mb / 6);
    let q = timed(budget, "1 MB of digit groups", || quantities(&groups));
    assert!(q.is_empty(), "no unit noun: no quantity");
    let counts = "25,000 fighters ".repeat(mb / 16);
    let q = timed(budget, "1 MB of counts", || quantities(&counts));
    assert_eq!(q.len(), mb / 16);
    let ones = "one ".repeat(mb / 4);
    timed(budget, "1 MB of number words", || quantities(&ones));
    let emoji = "\u{1F600}\u{0}x".repeat(mb / 6);
    timed(budget, "1 MB of emoji and control characters", || {
        quantities(&emoji)
    });
    // near a trigger in the middle: clauses and distances are linear too
    let mid = counts.len() / 2;
    let q = timed(budget, "1 MB of counts, near a trigger", || {
        quantities_near(&counts, (mid, mid + 1))
    });
    assert!(!q.is_empty() && q.len() <= 2 * dossier_grade::NEAR_TOKENS);
    timed(budget, "1 MB of words, near a trigger", || {
        quantities_near(&words, (mid, mid + 5))
    });
    let years = "in 2023 fighters 10:30 troops $5 ".repeat(mb / 32);
    timed(budget, "1 MB of years, clock times and money", || {
        quantities_near(&years, (0, 2))
    });
}

#[test]
fn time_hardness_linear_on_megabyte_sentences() {
    let mb = 1 << 20;
    let mk = |id: &str, day: u32, text: String| Statement {
        id: id.to_string(),
        report: id.to_string(),
        outlet: "o".into(),
        domain: None,
        origin: id.to_string(),
        origin_kind: OriginKind::Outlet,
        origin_label: None,
        origin_domain: None,
        negated: false,
        hedged: false,
        caveats: vec![],
        participants: vec![],
        time: Some(format!("2023-06-{day:02}")),
        place: Some("Paris, 11, FR".into()),
        numbers: vec![],
        evidence: Evidence {
            report: id.into(),
            span: (0, 0),
            text,
        },
    };
    let budget = Duration::from_secs(10);
    for (what, filler) in [
        ("words", "wagner fighters moved toward moscow "),
        ("dates", "24 June 2023 on 24.06.2023 "),
        ("emoji", "\u{1F600}\u{0}\u{202f}x"),
    ] {
        let text = filler.repeat(mb / filler.len());
        let st = [mk("a", 24, text.clone()), mk("b", 27, text)];
        let cs = timed(budget, &format!("time hardness, 1 MB of {what}"), || {
            contradictions(&st)
        });
        // the sentences write "24 June" but never "27 June": soft
        assert!(cs.iter().all(|c| c.soft), "{what}");
    }
}

fn statement(i: usize) -> Statement {
    let day = 20 + (i % 7);
    Statement {
        id: format!("c{i}"),
        report: format!("r{}", i / 3),
        outlet: format!("Outlet {}", i % 50),
        domain: Some(format!("outlet{}.example", i % 50)),
        origin: format!("origin {}", i % 200),
        origin_kind: if i.is_multiple_of(11) {
            OriginKind::Opaque
        } else {
            OriginKind::Outlet
        },
        origin_label: None,
        origin_domain: Some(format!("outlet{}.example", i % 50)),
        negated: i.is_multiple_of(97),
        hedged: i.is_multiple_of(5),
        caveats: vec![],
        participants: vec!["Prigozhin".into(), format!("person {}", i % 13)],
        time: Some(format!("2023-06-{day}")),
        // every statement its own place: a worst case for grouping
        place: Some(format!("place {i}")),
        numbers: vec![Quantity::new(
            (1000 * (i % 9 + 1)) as f64,
            "fighters",
            (0, 1),
        )],
        evidence: Evidence {
            report: format!("r{}", i / 3),
            span: (i, i + 10),
            text: format!("statement {i}"),
        },
    }
}

#[test]
fn ten_thousand_statements_are_fast() {
    let st: Vec<Statement> = (0..10_000).map(statement).collect();
    let cs = timed(Duration::from_secs(10), "contradictions of 10k", || {
        contradictions(&st)
    });
    // bounded output: groups, not pairs
    assert!(cs.len() < 200_000, "{}", cs.len());
    assert!(cs.iter().any(|c| c.slot == dossier_grade::Slot::Time));
    let ratings = Ratings::empty("none");
    let g = timed(Duration::from_secs(10), "grade of 10k", || {
        grade(&st, &cs, &ratings)
    });
    assert_eq!(g.credibility.value(), 5, "{:?}", g.reasons);
    assert!(g.reasons.len() < 20);
    timed(Duration::from_secs(10), "grade_claim in 10k", || {
        grade_claim(&st[1], &st, &ratings)
    });
    // every claim its own group (all places differ): groups x 64 comparisons; 3,000 here to
    // keep the unoptimised test short (10,000 take about 1 s of CPU in a release build)
    let some = &st[..3000];
    let all = timed(
        Duration::from_secs(60),
        "grade_claims of 3k distinct",
        || grade_claims(some, &ratings),
    );
    assert_eq!(all.len(), some.len());
    // many identical claims: one group
    let same: Vec<Statement> = (0..10_000)
        .map(|i| {
            let mut s = statement(i);
            s.place = None;
            s.time = Some("2023-06-24".into());
            s.numbers.clear();
            s.participants = vec!["Prigozhin".into()];
            s.negated = false;
            s
        })
        .collect();
    let all = timed(
        Duration::from_secs(20),
        "grade_claims of 10k identical",
        || grade_claims(&same, &ratings),
    );
    // identical claims from 181 independent, mostly unhedged origins: confirmed
    assert!(
        all.iter().all(|g| g.credibility.value() == 1),
        "{:?}",
        all[0].reasons
    );
    assert_eq!(all[1].counts.origins, 181);
}
