//! Ratings files: bad rows reported by line with the rest kept, the real Lin et al. file when
//! present, and a property test of the parser on random input.

use std::path::Path;
use std::time::{Duration, Instant};

use dossier_grade::{Ratings, Reliability};
use proptest::prelude::*;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn bad_rows_are_reported_and_the_rest_kept() {
    let text = std::fs::read_to_string(fixture("bad_ratings.csv")).unwrap();
    let (r, problems) = Ratings::parse(&text, "bad_ratings.csv");
    let lines: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| (p.line, p.problem.as_str()))
        .collect();
    insta::assert_json_snapshot!("bad_rows", problems);
    // the good rows
    assert_eq!(r.len(), 3, "{lines:?}");
    assert_eq!(r.lookup("reuters.com").unwrap().letter, Reliability::A);
    assert_eq!(r.lookup("reuters.com").unwrap().from, "bad_ratings.csv:2");
    assert_eq!(
        r.lookup("reuters.com").unwrap().note.as_deref(),
        Some("wire")
    );
    let bnr = r.lookup("https://www.bnr.bg/en/post/1").unwrap();
    assert_eq!(
        (bnr.letter, bnr.from.as_str()),
        (Reliability::B, "bad_ratings.csv:9")
    );
    assert_eq!(bnr.note.as_deref(), Some("public radio, Bulgaria"));
    assert_eq!(r.lookup("kommersant.ru").unwrap().letter, Reliability::C);
    // every bad row named, by line
    let bad: Vec<usize> = lines.iter().map(|(l, _)| *l).collect();
    assert_eq!(bad, [3, 4, 5, 6, 7, 8, 10, 11, 13], "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|(l, p)| *l == 8 && p.contains("duplicate domain reuters.com (first at line 2)"))
    );
    // nothing rated is guessed
    assert!(r.lookup("tass.com").is_none());
    assert!(r.lookup("bbc.co.uk").is_none());
}

#[test]
fn lin_et_al_header_and_user_form() {
    let lin = "domain,pc1,afm,fc\nreuters.com,1,0.9,0.6\nrt.com,0.293,0.1,0.2\nmeduza.io,0.548,,\nedition.example.co.uk,0.8,,\n";
    let (r, p) = Ratings::parse(lin, "lin.csv");
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(r.lookup("www.reuters.com").unwrap().letter, Reliability::A);
    assert_eq!(r.lookup("rt.com").unwrap().letter, Reliability::E);
    assert_eq!(r.lookup("meduza.io").unwrap().letter, Reliability::D);
    // parent lookup stops at the registrable domain
    assert!(r.lookup("news.example.co.uk").is_none());
    assert_eq!(
        r.lookup("a.edition.example.co.uk").unwrap().domain,
        "edition.example.co.uk"
    );
    // a header without a score column: one problem, nothing read
    let (r, p) = Ratings::parse("domain,quality\nreuters.com,1\n", "x.csv");
    assert!(r.is_empty());
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].line, 1);
    // columns in another order, with a letter column
    let (r, p) = Ratings::parse(
        "note,letter,score,domain\nstate agency,E,0.9,belta.by\n",
        "y.csv",
    );
    assert!(p.is_empty(), "{p:?}");
    let b = r.lookup("belta.by").unwrap();
    assert!(b.letter_given && b.letter == Reliability::E);
    assert!(b.explain().contains("rated E (Unreliable) in y.csv:2"));
}

#[test]
fn unreadable_file_is_an_error_naming_it() {
    let err = Ratings::load("/nonexistent/ratings.csv").unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/ratings.csv"),
        "{err}"
    );
}

#[test]
fn real_domain_quality_ratings_when_present() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/crossdoc/domain-quality-ratings/domain_pc1.csv");
    if !path.exists() {
        eprintln!("skipped: {} absent", path.display());
        return;
    }
    let t = Instant::now();
    let (r, problems) = Ratings::load(&path).unwrap();
    eprintln!("{} domains in {:?}", r.len(), t.elapsed());
    assert!(r.len() > 10_000, "{}", r.len());
    // the file has a few rows that are not domains ("wvec–13newsnow.com", an en dash) and
    // mirrors of one site (m., amp., mobile.): reported, not fatal
    assert!(
        problems.len() <= 20,
        "{:?}",
        &problems[..problems.len().min(20)]
    );
    assert!(
        problems
            .iter()
            .all(|p| p.problem.contains("not a domain") || p.problem.contains("duplicate domain")),
        "{problems:?}"
    );
    // section ratings ("theguardian.com/observer") stay apart from the site's
    let observer = r.lookup("https://www.theguardian.com/observer/x").unwrap();
    assert_eq!(observer.domain, "theguardian.com/observer");
    assert_eq!(
        r.lookup("theguardian.com/world/x").unwrap().domain,
        "theguardian.com"
    );
    let reuters = r.lookup("https://www.reuters.com/world/").unwrap();
    assert_eq!((reuters.score, reuters.letter), (1.0, Reliability::A));
    let rt = r.lookup("rt.com").unwrap();
    assert!((rt.score - 0.293).abs() < 0.001, "{}", rt.score);
    assert_eq!(rt.letter, Reliability::E);
    let tass = r.lookup("tass.com").unwrap();
    assert!((tass.score - 0.344).abs() < 0.001);
    let meduza = r.lookup("meduza.io").unwrap();
    assert!((meduza.score - 0.548).abs() < 0.001);
    assert!((r.lookup("apnews.com").unwrap().score - 0.998).abs() < 0.001);
    for absent in [
        "bnr.bg",
        "understandingwar.org",
        "rtvi.com",
        "24newsglobe.com",
    ] {
        assert!(
            r.lookup(absent).is_none(),
            "{absent} is absent from the file: never guessed"
        );
    }
}

fn noise() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z.,\"# \\n\\t0-9-]{0,400}",
        proptest::collection::vec(
            prop_oneof![
                Just("domain,pc1\n".to_string()),
                Just("reuters.com,1\n".to_string()),
                Just("\"a,b\",0.5\n".to_string()),
                Just("# c\n".to_string()),
                Just(",,,\n".to_string()),
                Just("x.com,NaN\n".to_string()),
                Just("\u{feff}\u{1F600}.com,0.5\n".to_string()),
                "[a-z]{1,8}\\.[a-z]{2,3},0\\.[0-9]{1,3}\n",
            ],
            0..40
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_and_accounts_for_every_row(text in noise()) {
        let (r, problems) = Ratings::parse(&text, "p.csv");
        let rows = text
            .trim_start_matches('\u{feff}')
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
            .count();
        // every non-comment row is kept, reported, or the header
        prop_assert!(r.len() + problems.len() <= rows);
        prop_assert!(r.len() + problems.len() + 1 >= rows);
        for p in &problems {
            prop_assert!(p.line >= 1 && p.line <= text.lines().count());
        }
    }

    #[test]
    fn lookup_never_panics(s in any::<String>()) {
        let (r, _) = Ratings::parse("reuters.com,1\nbbc.co.uk,0.9\n", "p.csv");
        let _ = r.lookup(&s);
        let _ = dossier_grade::normalise_host(&s);
        let _ = dossier_grade::domain_of_outlet(&s);
    }
}

#[test]
fn parser_is_linear() {
    // 200,000 rows, with bad ones mixed in
    let mut text = String::from("domain,pc1\n");
    for i in 0..200_000 {
        match i % 10 {
            0 => text.push_str("bad row without score\n"),
            _ => text.push_str(&format!("site{i}.example.com,0.{}\n", i % 1000)),
        }
    }
    let t = Instant::now();
    let (r, p) = Ratings::parse(&text, "big.csv");
    let took = t.elapsed();
    assert_eq!(r.len() + p.len(), 200_000);
    // ~6 MB: generous budget for an unoptimised test build
    assert!(took < Duration::from_secs(20), "{took:?}");
    // one line of 1 MB without a separator
    let line = "a".repeat(1 << 20);
    let t = Instant::now();
    let (_, p) = Ratings::parse(&line, "long.csv");
    assert_eq!(p.len(), 1);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn a_user_file_overlays_an_imported_one() {
    let (mut base, _) = Ratings::parse("domain,pc1\nrt.com,0.293\nreuters.com,1\n", "lin.csv");
    let (user, _) = Ratings::parse(
        "# mine\nrt.com,0.5,D,checked by hand\nbnr.bg,0.8\n",
        "mine.csv",
    );
    base.overlay(user);
    assert_eq!(base.len(), 3);
    let rt = base.lookup("rt.com").unwrap();
    assert_eq!(
        (rt.letter, rt.from.as_str()),
        (Reliability::D, "mine.csv:2")
    );
    assert_eq!(base.lookup("reuters.com").unwrap().from, "lin.csv:3");
    assert_eq!(base.lookup("bnr.bg").unwrap().letter, Reliability::B);
    assert_eq!(base.name(), "lin.csv + mine.csv");
}
