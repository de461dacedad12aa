//! Statement fixtures in, contradictions and grades out (insta JSON snapshots), plus the checks
//! the two seed situations must pass.

use std::path::{Path, PathBuf};

use dossier_grade::{
    Contradiction, Grade, OriginKind, Ratings, Reliability, Slot, Statement, contradictions, grade,
    grade_claim, grade_claims, quantities,
};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Fixture {
    about: String,
    statements: Vec<Statement>,
}

#[derive(Serialize)]
struct ClaimGrade {
    id: String,
    grade: Grade,
}

#[derive(Serialize)]
struct Outcome {
    about: String,
    contradictions: Vec<Contradiction>,
    event: Grade,
    claims: Vec<ClaimGrade>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn ratings() -> Ratings {
    let (r, problems) = Ratings::load(dir().join("ratings.csv")).expect("fixture ratings");
    assert!(problems.is_empty(), "{problems:?}");
    // a stable name for snapshots
    let text = std::fs::read_to_string(dir().join("ratings.csv")).unwrap();
    let (r2, _) = Ratings::parse(&text, "ratings.csv");
    assert_eq!(r.len(), r2.len());
    r2
}

fn load(name: &str) -> Fixture {
    let path = dir().join("events").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut f: Fixture = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    // numbers come from the sentence when the fixture gives none
    for s in &mut f.statements {
        if s.numbers.is_empty() {
            s.numbers = quantities(&s.evidence.text);
        }
    }
    f
}

fn run(name: &str) -> Outcome {
    let f = load(name);
    let r = ratings();
    let cs = contradictions(&f.statements);
    let event = grade(&f.statements, &cs, &r);
    let claims = f
        .statements
        .iter()
        .map(|s| ClaimGrade {
            id: s.id.clone(),
            grade: grade_claim(s, &f.statements, &r),
        })
        .collect();
    Outcome {
        about: f.about,
        contradictions: cs,
        event,
        claims,
    }
}

const FIXTURES: [&str; 9] = [
    "putin_refused_call",
    "lukashenko_talks",
    "date_conflict",
    "date_conflict_written",
    "opaque_only",
    "numbers_conflict",
    "confirmed",
    "denial",
    "single_wire",
];

#[test]
fn snapshots() {
    for name in FIXTURES {
        let out = run(name);
        insta::assert_json_snapshot!(name, out);
    }
}

#[test]
fn seed_putin_refused_call_has_one_origin() {
    let out = run("putin_refused_call");
    let g = &out.event;
    assert_eq!(
        (g.counts.reports, g.counts.outlets, g.counts.origins),
        (2, 2, 1)
    );
    assert_ne!(g.credibility.value(), 1, "{:#?}", g.reasons);
    assert_eq!(g.reliability, Reliability::F);
    assert!(
        g.reasons[0].contains("2 reports from 2 outlets trace back to 1 independent origin"),
        "{}",
        g.reasons[0]
    );
    assert!(g.reasons[0].contains("via Meduza"));
}

#[test]
fn seed_lukashenko_talks_have_independent_origins() {
    let f = load("lukashenko_talks");
    let out = run("lukashenko_talks");
    let g = &out.event;
    assert!(g.counts.origins >= 2, "{:#?}", g.reasons);
    // a Belarusian and a Russian origin
    let origins: Vec<&str> = f.statements.iter().map(|s| s.origin.as_str()).collect();
    assert!(origins.iter().any(|o| o.contains("Belarus")));
    assert!(
        origins
            .iter()
            .any(|o| o.contains("Kremlin") || o.contains("Peskov"))
    );
    // the negotiators listed twice in one report: flagged, with both spans
    let p = out
        .contradictions
        .iter()
        .find(|c| c.slot == Slot::Participants && c.same_report)
        .expect("participant-list difference inside one report");
    assert!(p.b_value.contains("Patrushev") && !p.a_value.contains("Patrushev"));
    assert_ne!(p.a.span, p.b.span);
    assert!(p.soft && !p.independent);
    // independent origins agree on the talks, but the lists differ: probably true, not confirmed
    assert_eq!(g.credibility.value(), 2, "{:#?}", g.reasons);
}

#[test]
fn days_one_apart_are_soft() {
    // "on Saturday" and "on Sunday": one day apart and both read from weekdays
    let out = run("date_conflict");
    let g = &out.event;
    assert_eq!(g.code, "A2", "{:#?}", g.reasons);
    // the month-only value contradicts neither day
    assert_eq!(out.contradictions.len(), 1, "{:#?}", out.contradictions);
    let c = &out.contradictions[0];
    assert!(c.soft && c.independent && c.slot == Slot::Time, "{c:#?}");
    assert!(c.detail.contains("one day apart"), "{}", c.detail);
    assert!(
        g.reasons.iter().any(|r| r.contains("difference in time")),
        "{:#?}",
        g.reasons
    );
}

#[test]
fn written_dates_days_apart_are_improbable() {
    let out = run("date_conflict_written");
    let g = &out.event;
    assert_eq!(g.code, "A5", "{:#?}", g.reasons);
    assert!(
        g.reasons
            .iter()
            .any(|r| r.contains("Reuters says 2023-06-24, TASS says 2023-06-27")),
        "{:#?}",
        g.reasons
    );
    let hard: Vec<&Contradiction> = out.contradictions.iter().filter(|c| !c.soft).collect();
    assert_eq!(hard.len(), 1, "{:#?}", out.contradictions);
    assert!(
        hard[0].detail.contains("3 days apart"),
        "{}",
        hard[0].detail
    );
    // AP's "on Tuesday" is a weekday read from its publication day: soft against both
    let soft: Vec<&Contradiction> = out.contradictions.iter().filter(|c| c.soft).collect();
    assert_eq!(soft.len(), 2, "{:#?}", out.contradictions);
    assert!(
        soft.iter()
            .all(|c| c.detail.contains("relative expression"))
    );
    // AP's claim is contradicted only softly: several origins agree, none contradicts hard
    let ap = &out.claims[2].grade;
    assert_eq!(ap.credibility.value(), 2, "{:#?}", ap.reasons);
}

#[test]
fn opaque_only_cannot_be_judged() {
    let g = run("opaque_only").event;
    assert_eq!(g.code, "F6", "{:#?}", g.reasons);
    assert_eq!(g.counts.origins, 0);
    assert_eq!(g.counts.opaque_origins, 1);
}

#[test]
fn numbers_conflict_beyond_rounding_only() {
    let out = run("numbers_conflict");
    let nums: Vec<&Contradiction> = out
        .contradictions
        .iter()
        .filter(|c| c.slot == Slot::Number)
        .collect();
    assert_eq!(nums.len(), 2, "{nums:#?}");
    assert!(
        nums.iter()
            .all(|c| c.a_value.contains("25,000") && c.b_value.contains("8,000"))
    );
    assert_eq!(out.event.credibility.value(), 5);
    // Prigozhin's figure agrees with Reuters' "about 25,000" and conflicts with Kommersant's
    let prig = &out.claims[0].grade;
    assert_eq!(prig.counts.origins, 2, "{:#?}", prig.reasons);
    assert_eq!(prig.credibility.value(), 5);
}

#[test]
fn two_independent_wires_confirm() {
    let out = run("confirmed");
    assert!(out.contradictions.is_empty(), "{:#?}", out.contradictions);
    let g = &out.event;
    assert_eq!(g.code, "A1", "{:#?}", g.reasons);
    assert_eq!(
        (g.counts.reports, g.counts.outlets, g.counts.origins),
        (3, 3, 2)
    );
}

#[test]
fn denial_by_independent_origin() {
    let out = run("denial");
    assert_eq!(out.contradictions.len(), 1);
    assert_eq!(out.contradictions[0].slot, Slot::Polarity);
    assert_eq!(out.event.credibility.value(), 5);
    assert_eq!(out.event.counts.opposing, 1);
    // BelTA carries Lukashenko, a named source without a domain: not rated
    assert_eq!(out.event.reliability, Reliability::F);
}

#[test]
fn one_well_rated_origin_is_probably_true() {
    let g = run("single_wire").event;
    assert_eq!(g.code, "A2", "{:#?}", g.reasons);
    // the same statement from an unrated outlet's own reporting: possibly true, F
    let mut s = load("single_wire").statements;
    s[0].origin = "Some Blog".into();
    s[0].origin_kind = OriginKind::Outlet;
    s[0].domain = Some("someblog.example".into());
    s[0].outlet = "Some Blog".into();
    let g = grade(&s, &contradictions(&s), &ratings());
    assert_eq!(g.code, "F3", "{:#?}", g.reasons);
    // hedged: doubtful
    s[0].hedged = true;
    let g = grade(&s, &contradictions(&s), &ratings());
    assert_eq!(g.code, "F4", "{:#?}", g.reasons);
}

#[test]
fn grouped_claim_grades_match_one_by_one() {
    let r = ratings();
    for name in FIXTURES {
        let f = load(name);
        let all = grade_claims(&f.statements, &r);
        assert_eq!(all.len(), f.statements.len());
        for (s, g) in f.statements.iter().zip(&all) {
            let one = grade_claim(s, &f.statements, &r);
            assert_eq!(
                (&g.code, &g.counts),
                (&one.code, &one.counts),
                "{name} {}: {:#?} vs {:#?}",
                s.id,
                g.reasons,
                one.reasons
            );
        }
    }
}

#[test]
fn degenerate_inputs_are_graded_without_panic() {
    let r = ratings();
    // nothing at all
    let g = grade(&[], &[], &r);
    assert_eq!(g.code, "F6");
    assert!(grade_claims(&[], &r).is_empty());
    assert!(contradictions(&[]).is_empty());
    // every statement denies: the denial is graded, nothing "says the opposite"
    let mut st = load("confirmed").statements;
    for s in &mut st {
        s.negated = true;
    }
    let g = grade(&st, &contradictions(&st), &r);
    assert_eq!(g.code, "A1", "{:#?}", g.reasons);
    assert_eq!(g.counts.opposing, 0);
    // duplicate claim ids and empty strings
    let mut st = load("date_conflict").statements;
    for s in &mut st {
        s.id = String::new();
        s.origin = String::new();
        s.outlet = String::new();
        s.time = Some(String::new());
        s.place = Some(" , / ".into());
        s.participants = vec![String::new(), " ".into()];
    }
    let cs = contradictions(&st);
    assert!(cs.is_empty(), "{cs:#?}");
    let g = grade(&st, &cs, &r);
    assert_eq!(g.counts.origins, 1);
    assert_eq!(grade_claims(&st, &r).len(), st.len());
}

#[test]
fn a_surname_matches_the_full_name() {
    let mut st = load("lukashenko_talks").statements;
    st[3].participants = vec!["Lukashenko".into(), "Prigozhin".into()];
    assert!(dossier_grade::between(&st[2], &st[3]).is_empty());
    st[3].participants = vec!["Lukashenko".into(), "Prigozhin".into(), "Putin".into()];
    let cs = dossier_grade::between(&st[2], &st[3]);
    assert_eq!(cs.len(), 1);
    assert!(cs[0].soft && cs[0].detail.contains("named only by the second: Putin"));
}

#[test]
fn places_compare_by_parts() {
    let mut st = load("date_conflict").statements;
    st[1].time = st[0].time.clone();
    st[0].place = Some("Rostov-on-Don, Rostov Oblast, Russia".into());
    st[1].place = Some("Rostov on Don".into());
    assert!(dossier_grade::between(&st[0], &st[1]).is_empty());
    st[1].place = Some("Voronezh, Russia".into());
    let cs = dossier_grade::between(&st[0], &st[1]);
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].slot, Slot::Place);
    st[1].place = None;
    assert!(dossier_grade::between(&st[0], &st[1]).is_empty());
}

#[test]
fn bare_place_names_and_running_tolls_are_soft() {
    let mut st = load("date_conflict").statements;
    st[1].time = st[0].time.clone();
    st[0].place = Some("Paris, 11, FR".into());
    st[1].place = Some("Latin Quarter".into());
    let cs = dossier_grade::between(&st[0], &st[1]);
    assert_eq!(cs.len(), 1, "{cs:#?}");
    assert!(cs[0].slot == Slot::Place && cs[0].soft, "{cs:#?}");
    // two resolved places, neither inside the other: hard
    st[1].place = Some("Lyon, 84, FR".into());
    let cs = dossier_grade::between(&st[0], &st[1]);
    assert!(cs.len() == 1 && !cs[0].soft, "{cs:#?}");
    st[1].place = Some("FR".into());
    assert!(dossier_grade::between(&st[0], &st[1]).is_empty());
    // a country alone, or "UN" (a name, not a country code): soft
    for p in ["UA", "UN"] {
        st[1].place = Some(p.into());
        assert!(dossier_grade::between(&st[0], &st[1])[0].soft, "{p}");
    }
    // a suburb in the same region, or a town whose region is unknown: soft
    st[1].place = Some("Nanterre, 11, FR".into());
    assert!(dossier_grade::between(&st[0], &st[1])[0].soft);
    st[1].place = Some("Versailles, , FR".into());
    assert!(dossier_grade::between(&st[0], &st[1])[0].soft);
    // another country: hard, whichever way the path is written
    st[1].place = Some("Kyiv, 12, UA".into());
    assert!(!dossier_grade::between(&st[0], &st[1])[0].soft);
    st[0].place = Some("FR/11/Paris".into());
    assert!(!dossier_grade::between(&st[0], &st[1])[0].soft);
    st[1].place = Some("Nanterre, 11, FR".into());
    assert!(dossier_grade::between(&st[0], &st[1])[0].soft);
    st[0].place = Some("Paris, 11, FR".into());
    // a toll that rises between reports: soft; a force size that differs: hard
    st[1].place = None;
    st[0].numbers = quantities("the strike killed nine people");
    st[1].numbers = quantities("at least 11 people were killed");
    let cs = dossier_grade::between(&st[0], &st[1]);
    assert!(
        cs.len() == 1 && cs[0].slot == Slot::Number && cs[0].soft,
        "{cs:#?}"
    );
    st[0].numbers = quantities("25,000 fighters");
    st[1].numbers = quantities("8,000 fighters");
    let cs = dossier_grade::between(&st[0], &st[1]);
    assert!(cs.len() == 1 && !cs[0].soft, "{cs:#?}");
    // the grade follows: soft differences alone never make a 5
    st[0].numbers = quantities("nine people killed");
    st[1].numbers = quantities("11 people killed");
    st[1].place = Some("Latin Quarter".into());
    let two = &st[..2];
    let g = grade(two, &contradictions(two), &ratings());
    assert_eq!(g.credibility.value(), 2, "{:#?}", g.reasons);
    assert!(
        g.reasons.iter().any(|r| r.contains("in a toll"))
            && g.reasons.iter().any(|r| r.contains("place names")),
        "{:#?}",
        g.reasons
    );
}
