//! The generator is deterministic and writes what its ground truth says.

use std::collections::{HashMap, HashSet};

use dossier_synth::{Generator, Kind, Params, SynthReport};

fn corpus(seed: u64, reports: usize) -> Vec<SynthReport> {
    let p = Params {
        reports,
        ..Params::default()
    };
    Generator::new(seed, p).unwrap().collect()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = corpus(7, 300);
    let b = corpus(7, 300);
    assert_eq!(a.len(), 300);
    assert_eq!(a, b);
    let c = corpus(8, 300);
    assert_ne!(a[0].html, c[0].html);
}

#[test]
fn first_two_reports_snapshot() {
    let first: Vec<SynthReport> = corpus(42, 2);
    insta::assert_yaml_snapshot!(first);
}

/// The first happening's original and the first report that retells it, as text.
#[test]
fn first_chain_snapshot() {
    let reports = corpus(42, 400);
    let original = reports
        .iter()
        .find(|r| r.truth.kind == Kind::Original)
        .unwrap();
    let retelling = reports
        .iter()
        .find(|r| {
            r.truth.kind == Kind::Retelling && r.truth.origin.as_deref() == Some(&original.url)
        })
        .unwrap();
    let text = |r: &SynthReport| -> String {
        let mut out = format!(
            "{} | {} | {} | {:?}\n",
            r.url, r.published, r.title, r.truth
        );
        for l in r
            .html
            .lines()
            .filter(|l| l.starts_with("<p>") || l.starts_with("<p class"))
        {
            out.push_str(l);
            out.push('\n');
        }
        out
    };
    insta::assert_snapshot!(format!("{}\n{}", text(original), text(retelling)));
}

#[test]
fn reports_come_in_publication_order_with_unique_urls_and_consistent_truth() {
    let reports = corpus(3, 2000);
    let mut urls = HashSet::new();
    let mut seen: HashMap<&str, &SynthReport> = HashMap::new();
    let mut kinds: HashMap<Kind, usize> = HashMap::new();
    for w in reports.windows(2) {
        assert!(w[0].published <= w[1].published, "out of order");
    }
    for r in &reports {
        assert!(urls.insert(r.url.clone()), "duplicate URL {}", r.url);
        *kinds.entry(r.truth.kind).or_default() += 1;
        // Every placeholder was filled and the page carries its title and canonical URL.
        assert!(!r.html.contains('{') || r.html.contains("application/ld+json"));
        let body = r.html.split("</script>").nth(1).unwrap();
        assert!(!body.contains('{') && !body.contains('}'), "{}", r.url);
        assert!(
            r.html
                .contains(&format!("<link rel=\"canonical\" href=\"{}\">", r.url))
        );
        match r.truth.kind {
            Kind::Background => assert!(r.truth.happening.is_none() && r.truth.parent.is_none()),
            Kind::Original => assert!(r.truth.parent.is_none() && r.truth.happening.is_some()),
            _ => {
                // A parent comes earlier, is about the same happening, from another outlet.
                let parent = r.truth.parent.as_deref().unwrap();
                if let Some(p) = seen.get(parent) {
                    assert_eq!(p.truth.happening, r.truth.happening);
                    assert!(p.published < r.published);
                    assert_ne!(p.outlet, r.outlet);
                    if r.truth.kind == Kind::Retelling {
                        assert!(body.contains(&p.outlet.replace('&', "&amp;")), "{}", r.url);
                    }
                }
                let origin = r.truth.origin.as_deref().unwrap();
                if let Some(o) = seen.get(origin) {
                    assert_eq!(o.truth.kind, Kind::Original);
                }
            }
        }
        seen.insert(&r.url, r);
    }
    for k in [
        Kind::Original,
        Kind::Copy,
        Kind::NearCopy,
        Kind::Rewrite,
        Kind::Retelling,
        Kind::Background,
    ] {
        assert!(
            kinds.get(&k).copied().unwrap_or(0) > 20,
            "few {k:?}: {kinds:?}"
        );
    }
}

#[test]
fn copies_share_the_body_and_rewrites_do_not() {
    let reports = corpus(11, 1500);
    let by_url: HashMap<&str, &SynthReport> = reports.iter().map(|r| (r.url.as_str(), r)).collect();
    let paragraphs = |r: &SynthReport| -> Vec<String> {
        r.html
            .lines()
            .filter(|l| l.starts_with("<p>"))
            .map(String::from)
            .collect()
    };
    let (mut copies, mut rewrites) = (0, 0);
    for r in &reports {
        let Some(p) = r.truth.parent.as_deref().and_then(|u| by_url.get(u)) else {
            continue;
        };
        let (mine, theirs) = (paragraphs(r), paragraphs(p));
        match r.truth.kind {
            Kind::Copy => {
                assert_eq!(mine, theirs);
                copies += 1;
            }
            Kind::Rewrite => {
                assert_ne!(mine, theirs);
                assert_ne!(mine[0], theirs[0], "a rewrite paraphrases the lead");
                rewrites += 1;
            }
            _ => {}
        }
    }
    assert!(copies > 10 && rewrites > 10);
}
