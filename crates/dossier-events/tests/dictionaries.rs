//! User dictionaries in the TABARI/PETRARCH formats: loading, coding, and errors.

use std::path::Path;

use dossier_events::{Coder, DictError, DictFiles, Dictionaries, SentenceContext};

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const ACTORS: &str = "ARNOR_ [ARN]\nGONDOR [GON]\n+MINAS_TIRITH\nGOLLUM\n\t[HOB <950601]\n\t[HOBGOV 19950601-19990815]\n\t[HOBREB >990816]\n";
const AGENTS: &str = "!PERSON! = MAN, MEN\nPOLICE {} [~COP]\nSOLDIER [~MIL]\nCONGRESS!PERSON! [~LEG]\nMSF {} [NGO~]\n";
const VERBS: &str = "&TIES\n+DIPLOMATIC\n+MILITARY\n\n--- RESTORE [---] ---\nRESTORE\n- * &TIES TIES [064]\n\n--- ACCUSE [112] ---\nACCUSE\n- NOT_* [904]\n";

#[test]
fn loads_and_codes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my.actors.txt", ACTORS);
    write(dir.path(), "my.agents.txt", AGENTS);
    write(dir.path(), "my.verbs.txt", VERBS);
    let d = Dictionaries::load(dir.path()).unwrap();
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let c = Coder::new(Some(d));
    let ctx = SentenceContext::on_date(1996, 1, 1);
    let ev = c.code(
        "Arnor soldiers will restore military ties with Minas Tirith police.",
        &ctx,
    );
    assert_eq!(ev.len(), 1);
    assert_eq!(
        (
            ev[0].actors[0].code.as_str(),
            ev[0].recipients[0].code.as_str(),
            ev[0].code.as_str()
        ),
        ("ARNMIL", "GONCOP", "064")
    );
    let ev = c.code("Gollum did not accuse Gondor.", &ctx);
    assert_eq!(
        (ev[0].actors[0].code.as_str(), ev[0].code.as_str()),
        ("HOBGOV", "904")
    );
    let ev = c.code(
        "Gollum accused Gondor.",
        &SentenceContext::on_date(2001, 1, 1),
    );
    assert_eq!(
        (ev[0].actors[0].code.as_str(), ev[0].code.as_str()),
        ("HOBREB", "112")
    );
    assert!(!ev[0].negated);
    // no date at all: the most recent role (the open-ended line), not the first line
    let ev = c.code("Gollum accused Gondor.", &SentenceContext::default());
    assert_eq!(ev[0].actors[0].code, "HOBREB");
}

fn err_of(kind: &str, text: &str) -> DictError {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "bad.txt", text);
    let mut f = DictFiles::default();
    match kind {
        "actors" => f.actors.push(p),
        "agents" => f.agents.push(p),
        _ => f.verbs.push(p),
    }
    Dictionaries::load_files(&f).unwrap_err()
}

#[test]
fn syntax_errors_name_file_and_line() {
    let e = err_of("actors", "ARNOR [ARN]\nGONDOR [GON\n");
    let msg = e.to_string();
    assert!(
        msg.contains("bad.txt:2:") && msg.contains("unbalanced"),
        "{msg}"
    );
    let e = err_of("actors", "+ALIAS\n");
    assert!(e.to_string().contains(":1:"), "{e}");
    let e = err_of("actors", "GOLLUM\n\t[H$B]\n");
    assert!(
        e.to_string().contains(":2:") && e.to_string().contains("bad actor code"),
        "{e}"
    );
    let e = err_of("agents", "POLICE [COP]\n");
    assert!(
        e.to_string().contains(":1:") && e.to_string().contains("~"),
        "{e}"
    );
    let e = err_of("verbs", "- * TIES [064]\n");
    assert!(e.to_string().contains("outside a verb block"), "{e}");
    let e = err_of("verbs", "--- RESTORE [---] ---\nRESTORE\n- TIES [064]\n");
    assert!(
        e.to_string().contains(":3:") && e.to_string().contains('*'),
        "{e}"
    );
    let e = err_of("verbs", "--- RESTORE [---] ---\nRESTORE {RESTORED\n");
    assert!(e.to_string().contains(":2:"), "{e}");
}

#[test]
fn duplicates_and_unknown_codes_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.actors.txt",
        "ARNOR [ARN]\nGONDOR [GON]\n+ARNOR\n",
    );
    let v = write(
        dir.path(),
        "a.verbs.txt",
        "--- ACCUSE [112] ---\nACCUSE\n- * &NOSUCH [904]\n- * X [9$9]\n--- BLAME [112] ---\nACCUSE\n",
    );
    let d = Dictionaries::load_files(&DictFiles {
        actors: vec![a],
        verbs: vec![v],
        ..Default::default()
    })
    .unwrap();
    let msgs: Vec<String> = d
        .warnings
        .iter()
        .map(|w| format!("{}:{} {}", w.file, w.line, w.msg))
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains(":3 duplicate actor")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("unknown synonym set &NOSUCH")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("unknown event code")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("duplicate verb form")),
        "{msgs:?}"
    );
}

#[test]
fn missing_directory_is_an_error() {
    let e = Dictionaries::load("/nonexistent/dictionaries").unwrap_err();
    assert!(e.to_string().contains("/nonexistent/dictionaries"));
}

#[test]
fn bad_date_is_reported_and_lenient_load_skips_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "b.actors.txt",
        "GOLLUM\n\t[HOB <95x601]\n\t[HOB]\n",
    );
    let d = Dictionaries::load_files(&DictFiles {
        actors: vec![a],
        ..Default::default()
    })
    .unwrap();
    assert!(
        d.warnings
            .iter()
            .any(|w| w.line == 2 && w.msg.contains("bad date")),
        "{:?}",
        d.warnings
    );
    // a broken agent line: strict load fails naming file and line, lenient load skips it
    write(
        dir.path(),
        "b.agents.txt",
        "POLICE {} [~COP]\nMINISTRY [~GOV}\nSOLDIER [~MIL]\n",
    );
    let e = Dictionaries::load(dir.path()).unwrap_err().to_string();
    assert!(e.contains("b.agents.txt:2:"), "{e}");
    let d = Dictionaries::load_lenient(dir.path()).unwrap();
    assert!(
        d.warnings
            .iter()
            .any(|w| w.line == 2 && w.file.ends_with("b.agents.txt"))
    );
    assert_eq!(d.agents.len(), 3); // POLICE, SOLDIER, SOLDIERS
}

/// A pattern without a target slot whose words lie past the object: the object is the target.
#[test]
fn pattern_words_past_the_object() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my.actors.txt", ACTORS);
    write(
        dir.path(),
        "my.verbs.txt",
        "--- CONCEDE [080] ---\nCONCEDE\n- * QUITE_RIGHT [024]\n",
    );
    let c = Coder::new(Some(Dictionaries::load(dir.path()).unwrap()));
    let ctx = SentenceContext::on_date(1996, 1, 1);
    let ev = c.code("Arnor conceded that Gondor was quite right about it.", &ctx);
    assert_eq!(ev.len(), 1);
    assert_eq!(
        (
            ev[0].actors[0].code.as_str(),
            ev[0].recipients[0].code.as_str(),
            ev[0].code.as_str()
        ),
        ("ARN", "GON", "024")
    );
}

/// An agent before its outlet or voice ("official news agency", "police spokesman") is the
/// speaker; before another noun ("police station") it is a modifier.
#[test]
fn agent_outlet_speaks_for_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my.actors.txt", ACTORS);
    write(
        dir.path(),
        "my.agents.txt",
        "OFFICIAL [~GOV]\nPOLICE [~COP]\n",
    );
    write(
        dir.path(),
        "my.verbs.txt",
        "--- SAID [023] ---\nSAID\n\n--- ATTACK [190] ---\nATTACKED\n",
    );
    let c = Coder::new(Some(Dictionaries::load(dir.path()).unwrap())).with_require_dyad(false);
    let ctx = SentenceContext::on_date(1996, 1, 1);
    let ev = c.code("The official news agency said on Monday.", &ctx);
    assert_eq!(ev.len(), 1);
    assert_eq!(
        (ev[0].actors[0].code.as_str(), ev[0].code.as_str()),
        ("---GOV", "023")
    );
    let ev = c.code("A police spokesman said on Monday.", &ctx);
    assert_eq!(ev[0].actors[0].code, "---COP");
    // a modifier of another noun stays a modifier
    let ev = c.code("The police station was attacked by Gondor.", &ctx);
    assert!(
        ev.iter()
            .all(|e| e.recipients.iter().all(|r| r.code != "---COP"))
    );
}

/// One mention is never both the actor and the recipient of an event.
#[test]
fn one_mention_is_not_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my.actors.txt", "ARNOR [ARN]\nGONDOR [GON]\n");
    write(
        dir.path(),
        "my.verbs.txt",
        "--- EXTRADITE [174] ---\nEXTRADITE\n- + WAS_ * [174]\n",
    );
    let c = Coder::new(Some(Dictionaries::load(dir.path()).unwrap()));
    let ctx = SentenceContext::on_date(1996, 1, 1);
    let ev = c.code(
        "A man who shot at officers while in detention in Arnor was extradited Monday.",
        &ctx,
    );
    assert!(
        ev.iter().all(|e| e
            .actors
            .iter()
            .all(|a| e.recipients.iter().all(|r| r.span != a.span))),
        "{ev:?}"
    );
}

/// A pattern coded `+++` (TABARI's complex-event marker) is not coded: the next pattern is.
#[test]
fn complex_marker_pattern_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my.actors.txt", "ARNOR [ARN]\nGONDOR [GON]\n");
    write(
        dir.path(),
        "my.verbs.txt",
        "--- RESTORE [064] ---\nRESTORE\n- * XFULL DIPLOMATIC [+++]\n- * DIPLOMATIC [065]\n",
    );
    let c = Coder::new(Some(Dictionaries::load(dir.path()).unwrap()));
    let ctx = SentenceContext::on_date(1996, 1, 1);
    let ev = c.code(
        "Arnor will restore xfull diplomatic ties with Gondor.",
        &ctx,
    );
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].code, "065");
}

/// A modal listed as a verb ("SHOULD") is an auxiliary when a verb follows it: the verb after
/// it is coded, with the pattern that names the words before it.
#[test]
fn modal_before_a_verb_is_not_the_verb() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my.actors.txt", ACTORS);
    write(dir.path(), "my.agents.txt", AGENTS);
    let verbs = "--- ACT [100] ---\nACT\n- HINTED SHOULD * [1011]\n\n--- SHOULD [101] ---\nSHOULD\n\n--- HINT [---] ---\nHINT\n";
    write(dir.path(), "my.verbs.txt", verbs);
    let c = Coder::new(Some(Dictionaries::load(dir.path()).unwrap()));
    let ctx = SentenceContext::on_date(1996, 1, 1);
    let codes = |s: &str| -> Vec<String> { c.code(s, &ctx).into_iter().map(|e| e.code).collect() };
    assert_eq!(
        codes("Arnor hinted it should have acted against Gondor."),
        vec!["1011"]
    );
    assert_eq!(codes("Arnor should not act against Gondor."), vec!["100"]);
}

/// Adverbs joined by "and" before a verb do not open a new clause: the subject stays the actor.
#[test]
fn joined_adverbs_keep_the_clause() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "my.actors.txt", ACTORS);
    write(dir.path(), "my.agents.txt", AGENTS);
    write(dir.path(), "my.verbs.txt", VERBS);
    let c = Coder::new(Some(Dictionaries::load(dir.path()).unwrap()));
    let ctx = SentenceContext::on_date(1996, 1, 1);
    let ev = c.code("Arnor loudly and repeatedly accused Gondor.", &ctx);
    assert_eq!(ev.len(), 1);
    assert_eq!(
        (
            ev[0].actors[0].code.as_str(),
            ev[0].recipients[0].code.as_str(),
            ev[0].code.as_str()
        ),
        ("ARN", "GON", "112")
    );
}
