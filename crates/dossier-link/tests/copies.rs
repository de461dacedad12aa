//! Copy index on fixtures we wrote: a wire story, a long live-blog page that carries it
//! verbatim, a rewrite of it, an unrelated report, an exact duplicate; plus bad input.

use chrono::{DateTime, TimeZone, Utc};
use dossier_link::DocInput;
use dossier_link::copies::{CopyIndex, CopyKind, CopyWarning, DirectionBasis};

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 6, 24, h, 0, 0).unwrap()
}

fn doc(id: &str, h: u32, text: &str) -> DocInput {
    DocInput {
        id: id.to_string(),
        url: Some(format!("https://example.invalid/{id}")),
        published: Some(at(h)),
        text: text.to_string(),
        ..Default::default()
    }
}

const WIRE: &str = include_str!("fixtures/wire.txt");
const PAGE: &str = include_str!("fixtures/page.txt");
const REWRITE: &str = include_str!("fixtures/rewrite.txt");
const UNRELATED: &str = include_str!("fixtures/unrelated.txt");

fn index() -> CopyIndex {
    let mut idx = CopyIndex::default();
    idx.set_now(at(23));
    idx
}

#[test]
fn wire_story_page_rewrite_and_duplicate() {
    let mut idx = index();
    let all = vec![
        ("wire", idx.add(&doc("wire", 8, WIRE))),
        ("unrelated", idx.add(&doc("unrelated", 9, UNRELATED))),
        ("page", idx.add(&doc("page", 11, PAGE))),
        ("rewrite", idx.add(&doc("rewrite", 12, REWRITE))),
        ("duplicate", idx.add(&doc("duplicate", 13, WIRE))),
    ];
    // The page contains the wire story: a contained copy, found by the windowed signatures.
    let page = &all[2].1;
    assert!(
        page.iter()
            .any(|l| l.kind == CopyKind::Contained && l.source == "wire" && l.derived == "page"),
        "{page:?}"
    );
    // The evidence span in the page is the wire text.
    let ev = &page[0].evidence[0];
    assert!(PAGE[ev.derived.start..ev.derived.end].starts_with("MOSCOW (Wire)"));
    // The rewrite aligns sentence by sentence with the wire story, and derives from it.
    let rw = &all[3].1;
    assert!(
        rw.iter()
            .any(|l| l.kind == CopyKind::Rewrite && l.source == "wire" && l.derived == "rewrite"),
        "{rw:?}"
    );
    assert!(
        all[1].1.is_empty(),
        "unrelated report linked: {:?}",
        all[1].1
    );
    assert!(
        all[4]
            .1
            .iter()
            .any(|l| l.kind == CopyKind::Exact && l.source == "wire")
    );
    assert!(
        all.iter()
            .flat_map(|(_, l)| l)
            .all(|l| l.basis == DirectionBasis::Published)
    );
    insta::assert_json_snapshot!("copies_fixture", all);
}

#[test]
fn earlier_report_added_later_is_still_the_source() {
    let mut idx = index();
    idx.add(&doc("page", 11, PAGE));
    let links = idx.add(&doc("wire", 8, WIRE));
    let l = links
        .iter()
        .find(|l| l.kind == CopyKind::Contained)
        .expect("contained link");
    assert_eq!((l.source.as_str(), l.derived.as_str()), ("wire", "page"));
    // Evidence spans point into the right texts.
    for e in &l.evidence {
        assert_eq!(
            &WIRE[e.source.start..e.source.end],
            &PAGE[e.derived.start..e.derived.end]
        );
    }
}

#[test]
fn same_url_different_text_is_a_revision() {
    let mut idx = index();
    let mut a = doc("a", 8, WIRE);
    a.url = Some("https://example.invalid/story".into());
    let mut b = doc("b", 9, REWRITE);
    b.url = a.url.clone();
    idx.add(&a);
    let links = idx.add(&b);
    assert!(
        links
            .iter()
            .any(|l| l.kind == CopyKind::Revision && l.source == "a")
    );
    let w = idx.take_warnings();
    assert!(
        matches!(&w[..], [CopyWarning::SameUrlDifferentText { doc, other, .. }] if doc == "b" && other == "a"),
        "{w:?}"
    );
    assert_eq!(idx.len(), 2, "both versions kept");
}

#[test]
fn future_date_falls_back_to_ingest_order() {
    let mut idx = index();
    let mut future = doc("future", 8, WIRE);
    future.published = Some(Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap());
    idx.add(&future);
    let links = idx.add(&doc("page", 11, PAGE));
    let l = &links[0];
    assert_eq!(l.basis, DirectionBasis::IngestOrder);
    assert_eq!(l.source, "future");
    assert!(matches!(
        idx.take_warnings()[..],
        [CopyWarning::FutureDate { .. }]
    ));
}

#[test]
fn empty_text_and_duplicate_ids_are_reported_not_linked() {
    let mut idx = index();
    assert!(idx.add(&doc("e1", 8, "")).is_empty());
    assert!(idx.add(&doc("e2", 9, "  \n\t ")).is_empty());
    idx.add(&doc("w", 8, WIRE));
    idx.add(&doc("w", 9, UNRELATED));
    let w = idx.take_warnings();
    assert_eq!(
        w.iter()
            .filter(|w| matches!(w, CopyWarning::EmptyText { .. }))
            .count(),
        2
    );
    assert!(
        w.iter()
            .any(|w| matches!(w, CopyWarning::DuplicateId { stored_as, .. } if stored_as == "w#2"))
    );
    assert_eq!(idx.len(), 4);
}

#[test]
fn comparisons_stay_bounded() {
    let mut idx = index();
    for i in 0..300 {
        let text = format!("{WIRE} Update number {i} adds a line about item {i}.");
        idx.add(&doc(&format!("d{i}"), 8 + (i % 10) as u32, &text));
        assert!(idx.last_stats().comparisons <= 60, "{:?}", idx.last_stats());
    }
}

/// A report with its place names given as mentions (as the pipeline hands them over).
fn doc_with_places(id: &str, h: u32, text: &str, places: &[&str]) -> DocInput {
    let mut d = doc(id, h, text);
    for p in places {
        for (start, m) in text.match_indices(p) {
            d.mentions.push(dossier_link::MentionInput {
                span: dossier_link::Span::new(start, start + m.len()),
                text: m.to_string(),
                kind: dossier_link::EntityKind::Place,
            });
        }
    }
    d
}

const MARCH_NORTH: &str = "NORTHTOWN (Agency One) - In Northtown on Monday, thousands marched with the Harbour Workers Union against a new port levy, calling for Governor Alma Reyes to resign. \
The Northtown police put the turnout at 36 thousand; the union said more people came. \
The road to Reyes's offices in Northtown was sealed off by riot police. \
It was the largest demonstration against a port levy in Valdoria this year.";

const MARCH_SOUTH: &str = "SOUTHPORT (Agency Two) - Thousands of people led by the Harbour Workers Union marched in Southport on Monday against a new port levy, demanding that Governor Alma Reyes resign. \
The Southport police put the turnout at 14 thousand; the union said more people came. \
Riot police blocked the road to Reyes's offices in Southport. \
It was the largest demonstration against a port levy in Valdoria this year.";

const MARCH_NORTH_REWRITE: &str = "Thousands of people led by the Harbour Workers Union marched in Northtown on Monday against a new port levy, demanding that Governor Alma Reyes resign. \
Police in Northtown put the turnout at 36 thousand, while the union said more people came. \
Riot police blocked the road to Reyes's offices in Northtown. \
It was the largest demonstration against a port levy in Valdoria this year, Agency Two said.";

#[test]
fn the_same_wording_about_another_place_and_count_is_not_a_rewrite() {
    let mut idx = index();
    let places = [
        "Northtown",
        "NORTHTOWN",
        "Southport",
        "SOUTHPORT",
        "Valdoria",
    ];
    assert!(
        idx.add(&doc_with_places("north", 8, MARCH_NORTH, &places))
            .is_empty()
    );
    // Two marches on one day, told from one template: different towns, different counts.
    let south = idx.add(&doc_with_places("south", 9, MARCH_SOUTH, &places));
    assert!(south.is_empty(), "{south:?}");
    // A rewrite of the first march keeps its town and its count.
    let rewrite = idx.add(&doc_with_places(
        "rewrite",
        10,
        MARCH_NORTH_REWRITE,
        &places,
    ));
    assert!(
        rewrite
            .iter()
            .any(|l| l.kind == CopyKind::Rewrite && l.source == "north" && l.derived == "rewrite"),
        "{rewrite:?}"
    );
    assert!(rewrite.iter().all(|l| l.source != "south"), "{rewrite:?}");
}

const MARCH_NORTH_TUESDAY: &str = "NORTHTOWN (Agency Three) - Thousands of people led by the Harbour Workers Union marched in Northtown on Tuesday against a new port levy, demanding that Governor Alma Reyes resign. \
Police gave no turnout, while the union said more people came. \
Riot police blocked the road to Reyes's offices in Northtown. \
It was the largest demonstration against a port levy in Valdoria this year.";

#[test]
fn the_same_template_on_another_day_is_not_a_rewrite() {
    let mut idx = index();
    let places = ["Northtown", "NORTHTOWN", "Valdoria"];
    assert!(
        idx.add(&doc_with_places("north", 8, MARCH_NORTH, &places))
            .is_empty()
    );
    // The same union marching in the same town the next day, told from one template.
    let tuesday = idx.add(&doc_with_places("tuesday", 9, MARCH_NORTH_TUESDAY, &places));
    assert!(tuesday.iter().all(|l| l.source != "north"), "{tuesday:?}");
    // The rewrite of the first march (same town, same day) is still found.
    let rewrite = idx.add(&doc_with_places(
        "rewrite",
        11,
        MARCH_NORTH_REWRITE,
        &places,
    ));
    assert!(
        rewrite
            .iter()
            .any(|l| l.kind == CopyKind::Rewrite && l.source == "north"),
        "{rewrite:?}"
    );
}

fn dated(id: &str, day: i64, text: &str) -> DocInput {
    let mut d = doc(id, 8, text);
    d.published = Some(at(8) + chrono::Duration::days(day));
    d
}

#[test]
fn reports_older_than_the_window_are_retired_but_still_found_as_exact_sources() {
    use dossier_link::copies::CopyConfig;
    let cfg = CopyConfig {
        retain_days: 30,
        min_live: 1,
        ..CopyConfig::default()
    };
    let mut idx = CopyIndex::new(cfg.clone());
    idx.set_now(at(8) + chrono::Duration::days(400));
    idx.add(&dated("wire", 0, WIRE));
    idx.add(&dated("unrelated", 1, UNRELATED));
    assert_eq!(idx.live(), 2);
    // Forty days on: both earlier reports fell out of the window (the newest stays live).
    idx.add(&dated("later", 40, &UNRELATED.replace("a", "o")));
    assert_eq!((idx.len(), idx.live()), (3, 1));
    // The page that carries the wire story verbatim is no longer compared with it...
    let page = idx.add(&dated("page", 41, PAGE));
    assert!(page.iter().all(|l| l.source != "wire"), "{page:?}");
    // ...but a report with the same text is still its exact copy, the whole text as evidence.
    let dup = idx.add(&dated("dup", 42, WIRE));
    let exact = dup
        .iter()
        .find(|l| l.kind == CopyKind::Exact)
        .unwrap_or_else(|| panic!("{dup:?}"));
    assert_eq!(
        (exact.source.as_str(), exact.derived.as_str()),
        ("wire", "dup")
    );
    assert_eq!(exact.evidence[0].derived.end, WIRE.len());

    // The same reports with the default window and live minimum: nothing is retired, the
    // contained copy is found.
    let mut idx = CopyIndex::default();
    idx.set_now(at(8) + chrono::Duration::days(400));
    for (id, day, text) in [("wire", 0, WIRE), ("unrelated", 1, UNRELATED)] {
        idx.add(&dated(id, day, text));
    }
    idx.add(&dated("later", 40, &UNRELATED.replace("a", "o")));
    let page = idx.add(&dated("page", 41, PAGE));
    assert!(
        page.iter()
            .any(|l| l.source == "wire" && l.kind == CopyKind::Contained),
        "{page:?}"
    );
    assert_eq!(idx.live(), 4);

    // Retirement survives a save: a state written after it reads back with the same links.
    let mut idx = CopyIndex::new(cfg);
    idx.set_now(at(8) + chrono::Duration::days(400));
    idx.add(&dated("wire", 0, WIRE));
    idx.add(&dated("later", 40, UNRELATED));
    let json = serde_json::to_string(&idx).unwrap();
    let mut back: CopyIndex = serde_json::from_str(&json).unwrap();
    back.set_now(at(8) + chrono::Duration::days(400));
    let dup = back.add(&dated("dup", 42, WIRE));
    assert!(
        dup.iter()
            .any(|l| l.kind == CopyKind::Exact && l.source == "wire"),
        "{dup:?}"
    );
    // "later" (two days before "dup") and "dup" are live; "wire" stays retired.
    assert_eq!((back.len(), back.live()), (3, 2));
}

/// Thirty names, each in fifteen earlier reports (rare enough to be rewrite keys), then a
/// report naming all thirty: the postings it reads for rewrite candidates stay within the
/// budget instead of growing with every report that shares a name.
#[test]
fn rewrite_candidate_work_is_bounded_by_the_key_budget() {
    let cfg = dossier_link::copies::CopyConfig {
        max_key_df: 20,
        max_key_postings: 50,
        ..Default::default()
    };
    let names: Vec<String> = (0..30)
        .map(|g| format!("Zorvath{}", (b'a' + g as u8 % 26) as char).repeat(1 + g / 26))
        .collect();
    let fill = |idx: &mut CopyIndex| {
        for i in 0..450 {
            let n = &names[i % 30];
            let text = format!(
                "Inspectors from {n} counted crates at dock {i} on the morning shift. The harbour office of {n} said ledger {i} would be filed."
            );
            idx.add(&doc(&format!("r{i}"), 8 + (i % 10) as u32, &text));
        }
    };
    let mut idx = CopyIndex::new(cfg.clone());
    fill(&mut idx);
    let all = names.join(" and ");
    let text =
        format!("Delegations of {all} met at the harbour. Officials of {all} signed a ledger.");
    idx.add(&doc("all", 20, &text));
    let st = idx.last_stats();
    assert!(
        st.key_candidates <= cfg.max_key_postings + cfg.max_key_df,
        "{st:?}"
    );
    // Without the budget the same report reads every name's postings.
    let mut open = CopyIndex::new(dossier_link::copies::CopyConfig {
        max_key_postings: usize::MAX,
        ..cfg
    });
    fill(&mut open);
    open.add(&doc("all", 20, &text));
    assert!(
        open.last_stats().key_candidates > 300,
        "{:?}",
        open.last_stats()
    );
}
