//! Story index on a small stream we wrote: two happenings of one type (two earthquakes) and an
//! unrelated report, interleaved.

use chrono::{TimeZone, Utc};
use dossier_link::{DocInput, StoryIndex};

fn doc(id: &str, day: u32, title: &str, text: &str) -> DocInput {
    DocInput {
        id: id.into(),
        published: Some(Utc.with_ymd_and_hms(2023, 6, day, 12, 0, 0).unwrap()),
        title: title.into(),
        text: text.into(),
        ..Default::default()
    }
}

fn stream() -> Vec<DocInput> {
    vec![
        doc(
            "q1a",
            10,
            "Magnitude 6.1 earthquake strikes near Izmir",
            "A magnitude 6.1 earthquake struck near Izmir in western Turkey on Saturday, damaging buildings in Bornova. Officials in Izmir said 14 people were injured.",
        ),
        doc(
            "q2a",
            11,
            "Earthquake of magnitude 5.4 hits Peru's Arequipa region",
            "An earthquake of magnitude 5.4 hit the Arequipa region of southern Peru on Sunday. Peruvian officials reported damage to adobe houses in Caylloma province.",
        ),
        doc(
            "q1b",
            11,
            "Izmir quake: injured rise to 20",
            "The number of people injured in the Izmir earthquake rose to 20, Turkish officials said, as engineers inspected buildings in Bornova after the magnitude 6.1 quake.",
        ),
        doc(
            "x1",
            11,
            "Library budget approved",
            "The council approved a new library budget with longer opening hours and a mobile library for villages.",
        ),
        doc(
            "q2b",
            12,
            "Arequipa earthquake leaves families homeless",
            "Families in Caylloma province of Arequipa, Peru, slept outdoors after the magnitude 5.4 earthquake damaged adobe houses, Peruvian officials said.",
        ),
        doc(
            "q1c",
            12,
            "Izmir residents return home after 6.1 quake",
            "Residents of Bornova in Izmir began returning home two days after the magnitude 6.1 earthquake; Turkish officials said 20 people had been injured.",
        ),
    ]
}

#[test]
fn same_type_happenings_stay_apart() {
    let mut idx = StoryIndex::default();
    let out: Vec<_> = stream().iter().map(|d| idx.add(d)).collect();
    let story = |id: &str| out.iter().find(|a| a.doc == id).unwrap().story;
    assert_eq!(story("q1a"), story("q1b"));
    assert_eq!(story("q1a"), story("q1c"));
    assert_eq!(story("q2a"), story("q2b"));
    assert_ne!(story("q1a"), story("q2a"));
    assert_ne!(story("x1"), story("q1a"));
    assert!(out.iter().all(|a| a.comparisons <= 200));
    assert_eq!(idx.story_of("q1c"), Some(story("q1a")));
    assert_eq!(idx.story_of("missing"), None);
    insta::assert_json_snapshot!("stories_fixture", out);
}

#[test]
fn reports_without_text_or_time_do_not_panic() {
    let mut idx = StoryIndex::default();
    for i in 0..50 {
        let a = idx.add(&DocInput::new(&format!("e{i}"), "", ""));
        assert!(a.comparisons <= 200);
    }
    assert!(idx.story_count() >= 1);
    let a = idx.add(&DocInput::new(
        "t",
        "Izmir earthquake",
        "Izmir earthquake injured 20",
    ));
    assert!(a.new_story);
}

/// Mentions as a tagger would give them: surface text with its span.
fn with_mentions(mut d: DocInput, names: &[(&str, dossier_link::EntityKind)]) -> DocInput {
    for (n, kind) in names {
        if let Some(i) = d.text.find(n) {
            d.mentions.push(dossier_link::MentionInput {
                span: dossier_link::Span::new(i, i + n.len()),
                text: n.to_string(),
                kind: *kind,
            });
        }
    }
    d
}

/// Two undated reports of one happening in a fresh store, the second a loose retelling with
/// other spellings of the names ("Alexandr"/"Alexander", "Prigozhin"/"Yevgeny Prigozhin"): one
/// story. A third report on another happening stays apart.
#[test]
fn small_store_retelling_with_name_variants_joins() {
    use dossier_link::EntityKind::{Organisation, Person, Place};
    let a = with_mentions(
        DocInput::new(
            "wire",
            "",
            "The talks that ended the mutiny involved Belarusian President Alexandr Lukashenko and Prigozhin. According to the Kremlin, Prigozhin agreed to leave for Belarus and the Wagner fighters would return to their camps.",
        ),
        &[
            ("Alexandr Lukashenko", Person),
            ("Prigozhin", Person),
            ("Kremlin", Organisation),
            ("Belarus", Place),
            ("Wagner", Organisation),
        ],
    );
    let b = with_mentions(
        DocInput::new(
            "retelling",
            "",
            "A statement from Minsk said discussions between Alexander Lukashenko and Wagner founder Yevgeny Prigozhin produced a deal: the mercenary chief would go to Belarus while his forces pulled back to field bases.",
        ),
        &[
            ("Minsk", Place),
            ("Alexander Lukashenko", Person),
            ("Wagner", Organisation),
            ("Yevgeny Prigozhin", Person),
            ("Belarus", Place),
        ],
    );
    let c = with_mentions(
        DocInput::new(
            "other",
            "",
            "The council in Leeds approved a new budget for public libraries, with longer opening hours and a mobile library for villages.",
        ),
        &[("Leeds", Place)],
    );
    let mut idx = StoryIndex::default();
    let (sa, sb, sc) = (idx.add(&a), idx.add(&b), idx.add(&c));
    assert_eq!(sa.story, sb.story, "retelling score {}", sb.score);
    assert_ne!(sa.story, sc.story);
}
