//! Fixture texts we wrote, tagged with the DCT given on their first line; snapshots of the
//! full output (offsets, values, mods, anchors).

use dossier_time::{Anchor, find_times};

fn run(name: &str) -> Vec<dossier_time::Timex> {
    let path = format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&path).expect("fixture");
    let (head, text) = src.split_once('\n').expect("DCT line");
    let dct = head.trim_start_matches("DCT:").trim();
    let anchor = if dct == "none" {
        Anchor::default()
    } else {
        Anchor::parse(dct).expect("fixture DCT")
    };
    let out = find_times(text, &anchor);
    for t in &out {
        assert_eq!(
            &text[t.start..t.end],
            t.text,
            "offsets must point at the text"
        );
    }
    out
}

macro_rules! fixture {
    ($name:ident) => {
        #[test]
        fn $name() {
            insta::assert_yaml_snapshot!(stringify!($name), run(stringify!($name)));
        }
    };
}

fixture!(wagner_narrative);
fixture!(no_year);
fixture!(deictic);
fixture!(durations_ranges);
fixture!(clock_zones);
fixture!(tense_months);
fixture!(narrative_parts);
fixture!(weeks);

/// The four Wagner expectations, checked explicitly (not only by snapshot).
#[test]
fn wagner_values() {
    let out = run("wagner_narrative");
    let get = |s: &str| {
        out.iter()
            .find(|t| t.text == s)
            .unwrap_or_else(|| panic!("{s:?} not found in {out:#?}"))
    };
    assert_eq!(get("the evening of June 23").value, "2023-06-23TEV");
    let next = get("The next morning");
    assert_eq!(next.value, "2023-06-24TMO");
    assert!(matches!(
        next.anchor_source,
        dossier_time::AnchorSource::Narrative { .. }
    ));
    assert_eq!(
        get("the middle of the day on June 24th").value,
        "2023-06-24TMI"
    );
    let ten = get("around 10am Moscow time");
    assert_eq!(ten.value, "2023-06-24T10:00+03:00");
    assert_eq!(ten.modifier, Some(dossier_time::TimexMod::Approx));
    assert_eq!(ten.utc.as_deref(), Some("2023-06-24T07:00Z"));
    assert_eq!(get("two days later").value, "2023-06-26");
}

#[test]
fn no_year_stays_underspecified() {
    let out = run("no_year");
    assert!(out.iter().any(|t| t.value == "XXXX-06-24"), "{out:#?}");
    assert!(out.iter().any(|t| t.value == "XXXX-06-25"), "{out:#?}");
    assert!(out.iter().all(|t| !t.value.starts_with("20")), "{out:#?}");
}

/// Caller-given sentence boundaries stop expressions and tense cues at the boundary; the
/// publication place's offset gives clock times without a zone their UTC instant.
#[test]
fn sentences_and_publication_zone() {
    let text = "Talks ended on June 24 The next day they resumed at 9am";
    let cut = text.find("The next").expect("fixture");
    let mut anchor = Anchor::parse("2023-06-26").expect("dct");
    anchor.tz = chrono::FixedOffset::east_opt(3 * 3600);
    let out = dossier_time::find_times_in(text, &anchor, Some(&[(0, cut), (cut, text.len())]));
    let values: Vec<&str> = out.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(
        values,
        ["2023-06-24", "2023-06-25", "2023-06-25T09:00"],
        "{out:#?}"
    );
    assert_eq!(out[2].utc.as_deref(), Some("2023-06-25T06:00Z"));
}
