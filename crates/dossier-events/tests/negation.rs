//! A negation the coder turns into a refusal is spent on the event type: the refusal is
//! asserted, not negated (otherwise "failed to reach an agreement" would read as "did not
//! refuse" and contradict every report of the refusal).

use dossier_events::{Coder, SentenceContext};

fn code(s: &str) -> Vec<dossier_events::Event> {
    Coder::new(None).code(s, &SentenceContext::default())
}

#[test]
fn a_negated_cooperation_is_an_asserted_refusal() {
    let evs = code("The Ruritanian government failed to reach an agreement with the rebels.");
    let reject: Vec<_> = evs
        .iter()
        .filter(|e| e.plover_type.as_deref() == Some("REJECT"))
        .collect();
    assert!(!reject.is_empty(), "{evs:?}");
    assert!(reject.iter().all(|e| !e.negated), "{reject:?}");
}

#[test]
fn a_negated_refusal_stays_negated() {
    let evs = code("The Ruritanian government did not reject the proposal of the rebels.");
    for e in evs
        .iter()
        .filter(|e| e.plover_type.as_deref() == Some("REJECT"))
    {
        assert!(e.negated, "{e:?}");
    }
}
