//! Fixture sentences we wrote, coded with our lexicons; snapshots of the PLOVER output.

use dossier_events::{AttributedSpan, Coder, Event, SentenceContext};

fn summary(evs: &[Event]) -> Vec<String> {
    evs.iter()
        .map(|e| {
            let who = |v: &[dossier_events::Actor]| {
                v.iter()
                    .map(|a| format!("{}[{}]", a.text, a.code))
                    .collect::<Vec<_>>()
                    .join("+")
            };
            format!(
                "{} {}{}{} '{}' {} -> {} cameo={}{}{}",
                e.plover_type.as_deref().unwrap_or("?"),
                e.mode
                    .as_deref()
                    .map(|m| format!("({m}) "))
                    .unwrap_or_default(),
                e.aux_mode.map(|m| format!("<{m:?}> ")).unwrap_or_default(),
                if e.reciprocal { "recip " } else { "" },
                e.trigger_text,
                who(&e.actors),
                who(&e.recipients),
                e.cameo.as_deref().unwrap_or("-"),
                e.location
                    .as_ref()
                    .map(|l| format!(" @{}", l.text))
                    .unwrap_or_default(),
                e.claim
                    .as_ref()
                    .map(|c| format!(" claimed-by {}", c.source))
                    .unwrap_or_default(),
            )
        })
        .collect()
}

const FIXTURES: &[(&str, (i32, u32, u32))] = &[
    ("Russian troops shelled Kharkiv on Monday.", (2023, 6, 1)),
    (
        "Prigozhin's fighters seized military facilities in Rostov-on-Don.",
        (2023, 6, 24),
    ),
    ("Putin accused Prigozhin of treason.", (2023, 6, 24)),
    ("Putin met Lukashenko in Minsk.", (2023, 6, 27)),
    ("Belarus and Russia held talks on Tuesday.", (2023, 6, 27)),
    (
        "The Kremlin refused to meet the Wagner commanders.",
        (2023, 6, 24),
    ),
    (
        "Ukraine and Russia failed to reach an agreement.",
        (2023, 3, 1),
    ),
    (
        "Poland will send weapons to Ukraine next month.",
        (2023, 3, 1),
    ),
    (
        "Kyiv was attacked by Russian drones overnight.",
        (2023, 3, 1),
    ),
    ("Hungary did not condemn the invasion.", (2023, 3, 1)),
    (
        "Protesters demonstrated against the government in Tbilisi.",
        (2023, 3, 1),
    ),
    (
        "The European Union imposed sanctions on Belarus.",
        (2023, 3, 1),
    ),
    (
        "Police arrested dozens of opposition activists in Moscow.",
        (2023, 3, 1),
    ),
    (
        "Putin, the Russian president, condemned Ukraine and promised aid to Syria.",
        (2023, 3, 1),
    ),
    (
        "Israel and Egypt signed an agreement on gas exports.",
        (2023, 3, 1),
    ),
    (
        "If Iran attacks Israel, the United States could retaliate.",
        (2023, 3, 1),
    ),
    (
        "Germany said Russia must release the detained journalists.",
        (2023, 3, 1),
    ),
    (
        "Farmers said they would blockade Paris next week.",
        (2023, 3, 1),
    ),
    (
        "Teachers in Kenya called off a general strike after talks with the government.",
        (2023, 3, 1),
    ),
    (
        "Georgian protesters blocked roads in Tbilisi on Sunday.",
        (2023, 3, 1),
    ),
    (
        "Serbia will not accept the proposal of Kosovo.",
        (2023, 3, 1),
    ),
    (
        "Ethnic Hungarians in southern Slovakia demanded autonomy from the government.",
        (2023, 3, 1),
    ),
    (
        "Shelling hit a market in the Donetsk neighbourhood of Petrovskyi and the town of Avdiivka.",
        (2023, 3, 1),
    ),
    (
        "Zelensky tried to meet Lukashenko in Minsk, but he refused.",
        (2023, 3, 1),
    ),
    (
        "Biden invited Lukashenko to Washington, but Lukashenko flatly refused.",
        (2023, 3, 1),
    ),
    (
        "Kadyrov met Lavrov in Grozny, and he refused to comment.",
        (2023, 3, 1),
    ),
    (
        "The week the ceasefire collapsed, Kadyrov tried to talk to Shoigu, but he refused.",
        (2023, 3, 1),
    ),
];

#[test]
fn fixtures_snapshot() {
    let coder = Coder::new(None);
    let mut out = Vec::new();
    for (s, (y, m, d)) in FIXTURES {
        let evs = coder.code(s, &SentenceContext::on_date(*y, *m, *d));
        out.push((s.to_string(), summary(&evs)));
    }
    insta::assert_yaml_snapshot!(out);
}

#[test]
fn dated_roles() {
    let coder = Coder::new(None);
    let s = "Prigozhin attacked Russian army units.";
    let mutiny = coder.code(s, &SentenceContext::on_date(2023, 6, 24));
    let before = coder.code(s, &SentenceContext::on_date(2022, 6, 24));
    assert_eq!(mutiny[0].actors[0].sectors, vec!["REB"]);
    assert_eq!(before[0].actors[0].sectors, vec!["PRM"]);
    assert_eq!(mutiny[0].recipients[0].code, "RUSMIL");
}

#[test]
fn undated_sentence_takes_the_current_role() {
    // no report date: a person with dated roles takes the latest one (the open-ended line),
    // not the first line of the table, whatever the table's order
    let coder = Coder::new(None);
    let undated = SentenceContext::default();
    let ev = coder.code("Putin criticised the Ukrainian government.", &undated);
    assert_eq!(ev[0].actors[0].code, "RUSGOV");
    let ev = coder.code("Naryshkin accused Ukrainian officials.", &undated);
    assert_eq!(ev[0].actors[0].code, "RUSSPY");
    // a dated sentence still takes the role of its date
    let ev = coder.code(
        "Putin criticised the Ukrainian government.",
        &SentenceContext::on_date(1999, 1, 5),
    );
    assert_eq!(ev[0].actors[0].code, "RUSSPY");
}

#[test]
fn claimed_event_carries_its_chain() {
    let coder = Coder::new(None);
    let s = "Prigozhin claimed that Russian Defense Ministry units had attacked Wagner camps.";
    let start = s.find("Russian").unwrap();
    let ctx = SentenceContext {
        date: chrono::NaiveDate::from_ymd_opt(2023, 6, 23),
        offset: 100,
        attributions: vec![AttributedSpan {
            start,
            end: s.len(),
            source: "Prigozhin".into(),
            chain: Some("c1".into()),
        }],
    };
    let evs = coder.code(s, &ctx);
    let ev = evs
        .iter()
        .find(|e| e.plover_type.as_deref() == Some("ASSAULT"))
        .expect("assault coded");
    assert_eq!(ev.claim.as_ref().unwrap().chain.as_deref(), Some("c1"));
    assert_eq!(ev.actors[0].code, "RUSMIL");
    assert_eq!(&s[ev.trigger.start - 100..ev.trigger.end - 100], "attacked");
}

#[test]
fn serde_roundtrip() {
    let coder = Coder::new(None);
    let evs = coder.code(
        "Russian troops shelled Kharkiv.",
        &SentenceContext::on_date(2023, 6, 1),
    );
    let j = serde_json::to_string(&evs).unwrap();
    let back: Vec<Event> = serde_json::from_str(&j).unwrap();
    assert_eq!(back, evs);
}

/// A refusal with a pronoun subject and no object of its own answers the approach of the
/// clause before it: the one approached refuses the one who approached.
#[test]
fn refusal_answers_previous_approach() {
    let coder = Coder::new(None);
    let ctx = SentenceContext::on_date(2023, 3, 1);
    let evs = coder.code(
        "Lavrov tried to talk to Blinken at the summit, but he refused.",
        &ctx,
    );
    let req = evs
        .iter()
        .find(|e| e.plover_type.as_deref() == Some("REQUEST"))
        .expect("the attempt to talk is a request to meet");
    assert_eq!(req.mode.as_deref(), Some("meet"));
    assert_eq!(req.actors[0].text, "Lavrov");
    assert_eq!(req.recipients[0].text, "Blinken");
    let rej = evs
        .iter()
        .find(|e| e.plover_type.as_deref() == Some("REJECT"))
        .expect("the refusal is coded");
    assert_eq!(rej.actors[0].text, "Blinken");
    assert_eq!(rej.recipients[0].text, "Lavrov");
    assert_eq!(rej.mode.as_deref(), Some("meet"));
    assert_eq!(rej.cameo.as_deref(), Some("125"));
    // the refusal's object is something else: no answer to the approach
    let evs = coder.code(
        "Lavrov met Blinken at the summit, but he refused to comment.",
        &ctx,
    );
    assert!(
        !evs.iter()
            .any(|e| e.plover_type.as_deref() == Some("REJECT")
                && e.actors.iter().any(|a| a.text == "Blinken")),
        "{evs:?}"
    );
}

/// PETRARCH `require_dyad = false`: an event without a recipient is still coded.
#[test]
fn require_dyad_option() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, body: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    let files = dossier_events::DictFiles {
        actors: vec![w("a.txt", "NUMENOR [NUM]\nHARAD [HAR]\n")],
        agents: vec![w("g.txt", "OFFICIAL [~GOV]\n")],
        verbs: vec![w("v.txt", "--- CONDEMN [122] ---\nCONDEMN\n")],
        discards: vec![],
    };
    let d = dossier_events::Dictionaries::load_files(&files).unwrap();
    let strict = Coder::new(Some(d.clone()));
    let loose = Coder::new(Some(d)).with_require_dyad(false);
    let ctx = SentenceContext::on_date(2000, 1, 1);
    let s = "Numenor condemned the decision.";
    assert!(strict.code(s, &ctx).is_empty());
    let evs = loose.code(s, &ctx);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].actors[0].code, "NUM");
    assert!(evs[0].recipients.is_empty());
    assert_eq!(strict.code("Numenor condemned Harad.", &ctx)[0].code, "122");
}

#[test]
fn nominal_and_light_verb_meetings() {
    // (sentence, trigger, actor code, recipient code): every one a CONSULT between the two
    let cases = [
        (
            "Negotiations between Hungary and Serbia resumed on Tuesday.",
            "Negotiations",
            "HUN",
            "SRB",
        ),
        (
            "Officials said a meeting between Kadyrov and the Georgian foreign minister ended early.",
            "meeting",
            "RUSGOV",
            "GEOGOV",
        ),
        (
            "Diplomats confirmed that discussions between Turkey and Iran had stalled.",
            "discussions",
            "TUR",
            "IRN",
        ),
        (
            "Talks were held between Poland and Lavrov on the border.",
            "Talks",
            "POL",
            "RUSGOV",
        ),
        (
            "A phone call between Peskov and Serbia went badly.",
            "phone",
            "RUSGOV",
            "SRB",
        ),
        (
            "Lavrov held talks with the Turkish foreign minister.",
            "held",
            "RUSGOV",
            "TURGOV",
        ),
        (
            "The Polish president spoke with Shoigu late on Friday.",
            "spoke",
            "POLGOV",
            "RUSMIL",
        ),
        (
            "Peskov had a phone call with the German foreign minister.",
            "phone",
            "RUSGOV",
            "DEUGOV",
        ),
        (
            // a leading attribution phrase, then the main clause between two commas: not an
            // appositive
            "According to Polish radio, Lavrov spoke to Hungary's foreign minister, a former envoy.",
            "spoke",
            "RUSGOV",
            "HUNGOV",
        ),
        (
            "The German foreign minister met with Peskov in a hotel.",
            "met",
            "DEUGOV",
            "RUSGOV",
        ),
    ];
    let coder = Coder::new(None);
    let ctx = SentenceContext::on_date(2023, 2, 1);
    for (s, trig, a, r) in cases {
        let evs = coder.code(s, &ctx);
        let ev = evs
            .iter()
            .find(|e| e.plover_type.as_deref() == Some("CONSULT"))
            .unwrap_or_else(|| panic!("no CONSULT in {s:?}: {:?}", summary(&evs)));
        assert_eq!(ev.trigger_text, trig, "{s}");
        assert_eq!(&s[ev.trigger.start..ev.trigger.end], trig, "{s}");
        let codes =
            |v: &[dossier_events::Actor]| v.iter().map(|x| x.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&ev.actors), vec![a.to_string()], "{s}");
        assert_eq!(codes(&ev.recipients), vec![r.to_string()], "{s}");
        assert!(!ev.reciprocal, "{s}");
    }
}
