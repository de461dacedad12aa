//! Persistence: the three incremental indexes survive a JSON round trip mid-stream, and the
//! reloaded indexes decide exactly as ones that never stopped.

use chrono::{Duration, TimeZone, Utc};
use dossier_link::{
    CopyIndex, CopyLink, DocInput, EntityKind, EntityResolver, MentionInput, Resolution, Span,
    StoryAssignment, StoryIndex,
};

const WIRE: &str = include_str!("fixtures/wire.txt");
const PAGE: &str = include_str!("fixtures/page.txt");
const REWRITE: &str = include_str!("fixtures/rewrite.txt");
const UNRELATED: &str = include_str!("fixtures/unrelated.txt");
const QUAKE: &str = "A magnitude 6.1 earthquake struck near Izmir in western Turkey, damaging buildings in Bornova. Officials in Izmir said 14 people were injured. Engineers inspected the damaged buildings in Bornova.";
const FLOOD: &str = "Floods in the Po valley forced 3,000 people from their homes in Emilia-Romagna. Rescue crews in Ravenna used boats to reach farms cut off by the water. The regional president asked Rome for emergency funds.";

/// Capitalised words inside sentences as person/other mentions (enough to feed the resolver).
fn mentions(text: &str) -> Vec<MentionInput> {
    let mut out = Vec::new();
    let mut start = None;
    let mut prev_end = 0;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let word_char = c.is_alphanumeric() || c == '-';
        match (start, word_char) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let w = &text[s..i];
                let after_stop = text[..s].trim_end().ends_with(['.', '\n']) || s == 0;
                if w.chars().next().is_some_and(char::is_uppercase) && !after_stop {
                    let kind = if w.len() > 6 {
                        EntityKind::Person
                    } else {
                        EntityKind::Other
                    };
                    out.push(MentionInput {
                        span: Span::new(s, i),
                        text: w.to_string(),
                        kind,
                    });
                }
                prev_end = i;
                start = None;
            }
            _ => {}
        }
    }
    let _ = prev_end;
    out
}

/// A stream of reports built from our fixtures: sentences recombined, re-dated, some repeated
/// with the same URL, some undated.
fn stream() -> Vec<DocInput> {
    let base = Utc.with_ymd_and_hms(2023, 6, 24, 6, 0, 0).unwrap();
    let texts = [WIRE, PAGE, REWRITE, UNRELATED, QUAKE, FLOOD];
    let mut docs = Vec::new();
    for i in 0..60usize {
        let topic = texts[i % texts.len()];
        let sents: Vec<&str> = topic
            .split_inclusive(". ")
            .map(str::trim)
            .filter(|s| s.len() > 20)
            .collect();
        let text = match i / texts.len() % 4 {
            0 => topic.to_string(),
            1 => (0..3)
                .map(|k| sents[(i + k * 2) % sents.len()])
                .collect::<Vec<_>>()
                .join(" "),
            2 => topic.replace("Saturday", "Sunday"),
            _ => sents[(i * 11) % sents.len()].to_string(),
        };
        let title = sents[(i * 13) % sents.len()]
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        docs.push(DocInput {
            id: format!("r{i}"),
            url: (i % 7 == 3).then(|| format!("u{}", i % 3)),
            published: (i % 6 != 4).then(|| base + Duration::hours((i * 5) as i64)),
            title,
            mentions: mentions(&text),
            text,
        });
    }
    docs
}

type Outputs = (
    Vec<Vec<CopyLink>>,
    Vec<StoryAssignment>,
    Vec<Vec<Resolution>>,
);

fn run(
    docs: &[DocInput],
    c: &mut CopyIndex,
    s: &mut StoryIndex,
    e: &mut EntityResolver,
    out: &mut Outputs,
) {
    for d in docs {
        out.0.push(c.add(d));
        out.1.push(s.add(d));
        out.2.push(e.add_doc(d));
    }
}

fn fresh() -> (CopyIndex, StoryIndex, EntityResolver) {
    let mut c = CopyIndex::default();
    c.set_now(Utc.with_ymd_and_hms(2023, 7, 1, 0, 0, 0).unwrap());
    let s = StoryIndex::default();
    let mut e = EntityResolver::default();
    e.must_not_merge("Prigozhin", "Putin");
    (c, s, e)
}

#[test]
fn json_round_trip_mid_stream_changes_nothing() {
    let docs = stream();
    let cut = 27;

    let (mut c1, mut s1, mut e1) = fresh();
    let mut out1 = Outputs::default();
    run(&docs, &mut c1, &mut s1, &mut e1, &mut out1);

    let (mut c2, mut s2, mut e2) = fresh();
    let mut out2 = Outputs::default();
    run(&docs[..cut], &mut c2, &mut s2, &mut e2, &mut out2);
    let jc = serde_json::to_string(&c2).unwrap();
    let js = serde_json::to_string(&s2).unwrap();
    let je = serde_json::to_string(&e2).unwrap();
    drop((c2, s2, e2));
    let mut c2: CopyIndex = serde_json::from_str(&jc).unwrap();
    let mut s2: StoryIndex = serde_json::from_str(&js).unwrap();
    let mut e2: EntityResolver = serde_json::from_str(&je).unwrap();
    assert_eq!(c2.len(), cut);
    run(&docs[cut..], &mut c2, &mut s2, &mut e2, &mut out2);

    // The stream must exercise what it claims to: copies, several stories, merged entities.
    assert!(out1.0.iter().filter(|l| !l.is_empty()).count() > 10);
    assert!(out1.1.iter().filter(|a| !a.new_story).count() > 10);
    assert!(s1.story_count() >= 3, "{} stories", s1.story_count());
    assert!(e1.entities().len() < out1.2.iter().map(Vec::len).sum::<usize>());

    assert_eq!(out1.0, out2.0, "copy links differ after reload");
    assert_eq!(out1.1, out2.1, "story assignments differ after reload");
    assert_eq!(out1.2, out2.2, "entity resolutions differ after reload");
    assert_eq!(s1.assignments(), s2.assignments());
    assert_eq!(e1.entities(), e2.entities());
    // The final states serialize to the same JSON values (map order aside).
    let v = |x: &str| serde_json::from_str::<serde_json::Value>(x).unwrap();
    assert_eq!(
        v(&serde_json::to_string(&c1).unwrap()),
        v(&serde_json::to_string(&c2).unwrap())
    );
    assert_eq!(
        v(&serde_json::to_string(&s1).unwrap()),
        v(&serde_json::to_string(&s2).unwrap())
    );
    assert_eq!(
        v(&serde_json::to_string(&e1).unwrap()),
        v(&serde_json::to_string(&e2).unwrap())
    );
}

#[test]
fn rebuild_is_idempotent_and_bad_json_is_an_error() {
    let docs = stream();
    let (mut c, _, _) = fresh();
    for d in &docs[..10] {
        c.add(d);
    }
    let j = serde_json::to_string(&c).unwrap();
    let mut r: CopyIndex = serde_json::from_str(&j).unwrap();
    r.rebuild();
    r.rebuild();
    assert_eq!(c.add(&docs[10]), r.add(&docs[10]));
    assert!(serde_json::from_str::<CopyIndex>(&j[..j.len() / 2]).is_err());
    assert!(serde_json::from_str::<StoryIndex>("{\"cfg\": 3}").is_err());
}
