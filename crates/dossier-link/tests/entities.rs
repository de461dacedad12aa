//! Entity resolver on mentions we wrote, in the manner of the Wagner-mutiny reports: typo,
//! transliterations, Cyrillic, roles, and names that must stay apart.

use dossier_link::{EntityKind, EntityResolver, MentionInput, Span};

fn mentions(text: &str, names: &[(&str, EntityKind)]) -> Vec<MentionInput> {
    names
        .iter()
        .map(|(n, k)| {
            let start = text.find(n).unwrap_or(0);
            MentionInput {
                span: Span::new(start, start + n.len()),
                text: n.to_string(),
                kind: *k,
            }
        })
        .collect()
}

#[test]
fn wagner_names_resolve_across_reports() {
    use EntityKind::*;
    let docs = [
        (
            "r1",
            "Wagner chief Yevgeny Prigozhin spoke with Belarusian President Alexander Lukashenko, the Kremlin said. Vladimir Putin did not take the call.",
            vec![
                ("Wagner chief Yevgeny Prigozhin", Person),
                ("Belarusian President Alexander Lukashenko", Person),
                ("Kremlin", Organisation),
                ("Vladimir Putin", Person),
            ],
        ),
        (
            "r2",
            "Evgeny Pirgozhin agreed to leave for Belarus, Alexandr Lukashenka said. Prigozhin's men left Rostov.",
            vec![
                ("Evgeny Pirgozhin", Person),
                ("Alexandr Lukashenka", Person),
                ("Belarus", Place),
                ("Prigozhin", Person),
                ("Rostov", Place),
            ],
        ),
        (
            "r3",
            "Евгений Пригожин и Александр Лукашенко. President Putin spoke on television.",
            vec![
                ("Евгений Пригожин", Person),
                ("Александр Лукашенко", Person),
                ("President Putin", Person),
            ],
        ),
        (
            "r4",
            "Lyudmila Putina was not mentioned. Anton Vaino and Anton Vayno are one man.",
            vec![
                ("Lyudmila Putina", Person),
                ("Anton Vaino", Person),
                ("Anton Vayno", Person),
            ],
        ),
    ];
    let mut r = EntityResolver::default();
    let mut out = Vec::new();
    for (id, text, names) in &docs {
        let ms = mentions(text, names);
        let res = r.add(id, &ms);
        for x in res {
            out.push((
                id.to_string(),
                ms[x.mention].text.clone(),
                x.entity,
                x.evidence,
            ));
        }
    }
    let ent = |name: &str| out.iter().find(|o| o.1 == name).unwrap().2;
    let prigozhin = ent("Wagner chief Yevgeny Prigozhin");
    for n in ["Evgeny Pirgozhin", "Prigozhin", "Евгений Пригожин"] {
        assert_eq!(ent(n), prigozhin, "{n}: {out:#?}");
    }
    let luka = ent("Belarusian President Alexander Lukashenko");
    for n in ["Alexandr Lukashenka", "Александр Лукашенко"] {
        assert_eq!(ent(n), luka, "{n}");
    }
    assert_eq!(ent("President Putin"), ent("Vladimir Putin"));
    assert_ne!(ent("Vladimir Putin"), prigozhin);
    assert_ne!(ent("Lyudmila Putina"), ent("Vladimir Putin"));
    assert_eq!(ent("Anton Vaino"), ent("Anton Vayno"));
    let p = r.entity(prigozhin).unwrap();
    assert!(p.roles.contains_key("chief"));
    assert_eq!(p.documents, ["r1", "r2", "r3"]);
    insta::assert_json_snapshot!("entities_fixture", (out, r.entities()));
}

#[test]
fn caller_must_not_merge_wins() {
    let mut r = EntityResolver::default();
    r.must_not_merge("Anton Vaino", "Anton Vayno");
    let a = r.add(
        "d",
        &mentions("Anton Vaino", &[("Anton Vaino", EntityKind::Person)]),
    );
    let b = r.add(
        "e",
        &mentions("Anton Vayno", &[("Anton Vayno", EntityKind::Person)]),
    );
    assert_ne!(a[0].entity, b[0].entity);
}

#[test]
fn empty_and_odd_mentions_do_not_panic() {
    let mut r = EntityResolver::default();
    let ms = mentions(
        "",
        &[
            ("", EntityKind::Person),
            ("((", EntityKind::Other),
            ("😀", EntityKind::Place),
            (",,,", EntityKind::Organisation),
        ],
    );
    let out = r.add("d", &ms);
    assert!(out.len() <= ms.len());
}
