//! Undoing merges: `dossier split`. A merged event is the stage's judgement that several
//! mentions tell one happening; a person who knows better takes a claim (or a whole report's
//! mentions) out of it. The decision is kept in the store beside the cross-report state, as a
//! pair of mention sets that must never share a merged event again, so it survives new reports,
//! re-linking and rule changes, and it can be undone.

use std::collections::{BTreeSet, HashSet};

use dossier_store::Store;
use serde::{Deserialize, Serialize};

use crate::link::{EventMention, LinkRecord, MergedEvent};
use crate::query::QueryError;

/// Name of the saved splits in the store's `link_state` table.
const SPLITS: &str = "splits";
const SPLITS_VERSION: &str = "splits-1";

/// One user's decision: the `taken` mentions are not the same happening as the `from` ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// The merged event it was made on (ids change as events change; kept for the record).
    pub event: String,
    /// The event's type and label then, for listings.
    pub label: String,
    /// Mention keys (`REPORT:cN`, or `REPORT:tOFFSET` for a mention outside every claim).
    pub taken: Vec<String>,
    pub from: Vec<String>,
    pub reason: String,
    /// When it was made (RFC 3339).
    pub at: String,
}

/// Every split, in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Splits {
    pub splits: Vec<Split>,
}

/// Pairs of mention keys that must not share a merged event.
#[derive(Debug, Clone, Default)]
pub struct Apart {
    pairs: HashSet<(String, String)>,
    /// For each key, the indexes of the splits that name it.
    notes: std::collections::HashMap<String, BTreeSet<usize>>,
    reasons: Vec<String>,
}

impl Apart {
    pub fn new(s: &Splits) -> Self {
        let mut a = Apart::default();
        for (i, sp) in s.splits.iter().enumerate() {
            for t in &sp.taken {
                for f in &sp.from {
                    a.pairs.insert((t.clone(), f.clone()));
                    a.pairs.insert((f.clone(), t.clone()));
                }
            }
            for k in sp.taken.iter().chain(&sp.from) {
                a.notes.entry(k.clone()).or_default().insert(i);
            }
            a.reasons.push(format!(
                "split #{} ({}): {}",
                i + 1,
                sp.at.get(..10).unwrap_or(&sp.at),
                if sp.reason.is_empty() {
                    "no reason given"
                } else {
                    &sp.reason
                }
            ));
        }
        a
    }

    /// Whether a mention may join a group of mentions.
    pub fn allows<'a>(&self, key: &str, group: impl IntoIterator<Item = &'a String>) -> bool {
        self.pairs.is_empty()
            || group
                .into_iter()
                .all(|k| !self.pairs.contains(&(key.to_string(), k.clone())))
    }

    /// The splits that shaped a group of mentions, as sentences for its `why`.
    pub fn notes<'a>(&self, keys: impl IntoIterator<Item = &'a String>) -> Vec<String> {
        let mut idx: BTreeSet<usize> = BTreeSet::new();
        for k in keys {
            if let Some(s) = self.notes.get(k) {
                idx.extend(s);
            }
        }
        idx.into_iter().map(|i| self.reasons[i].clone()).collect()
    }
}

/// The key of a mention: its claim id, else its report and trigger offset.
pub fn mention_key(m: &EventMention) -> String {
    m.claim
        .clone()
        .unwrap_or_else(|| format!("{}:t{}", m.report, m.trigger.0))
}

/// The saved splits and their generation.
pub fn load(store: &dyn Store) -> Result<(Splits, Option<i64>), dossier_store::StoreError> {
    match store.link_state(SPLITS)? {
        Some(st) => {
            let s = serde_json::from_slice::<Splits>(&st.state).map_err(|e| {
                dossier_store::StoreError::Corrupt(SPLITS.to_string(), e.to_string())
            })?;
            Ok((s, Some(st.generation)))
        }
        None => Ok((Splits::default(), None)),
    }
}

/// Apply `change` to the saved splits and save them (compare and set, retried).
fn modify<T>(
    store: &mut dyn Store,
    mut change: impl FnMut(&mut Splits) -> Result<T, QueryError>,
) -> Result<T, QueryError> {
    for _ in 0..8 {
        let (mut s, generation) = load(store)?;
        let out = change(&mut s)?;
        let json = serde_json::to_vec(&s)
            .map_err(|e| dossier_store::StoreError::Corrupt(SPLITS.to_string(), e.to_string()))?;
        if store.put_link_state(SPLITS, generation, SPLITS_VERSION, &json)? {
            return Ok(out);
        }
    }
    Err(QueryError::Bad(
        "the splits kept changing under this process (8 attempts)".into(),
    ))
}

/// What to take out of a merged event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Take {
    /// One claim (`REPORT:cN`) or mention key.
    Claim(String),
    /// Every mention from one report.
    Report(String),
}

/// Take a claim or a report's mentions out of a merged event of `rec` (the store's current
/// record), keeping them apart from the event's other mentions from now on.
pub fn split(
    store: &mut dyn Store,
    rec: &LinkRecord,
    event: &str,
    take: &Take,
    reason: &str,
) -> Result<Split, QueryError> {
    let e: &MergedEvent = rec
        .events
        .iter()
        .find(|e| e.id == event)
        .ok_or_else(|| QueryError::NotFound(event.to_string()))?;
    let (taken, from): (Vec<&EventMention>, Vec<&EventMention>) =
        e.mentions.iter().partition(|m| match take {
            Take::Claim(c) => mention_key(m) == *c,
            Take::Report(r) => m.report == *r,
        });
    if taken.is_empty() {
        let what = match take {
            Take::Claim(c) => format!("claim {c}"),
            Take::Report(r) => format!("report {r}"),
        };
        return Err(QueryError::Bad(format!(
            "{what} is not a mention of event {event} (its mentions: {})",
            e.mentions
                .iter()
                .map(mention_key)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if from.is_empty() {
        return Err(QueryError::Bad(format!(
            "event {event} would be left empty: take out less, or split another event"
        )));
    }
    let keys = |v: &[&EventMention]| -> Vec<String> {
        let s: BTreeSet<String> = v.iter().map(|m| mention_key(m)).collect();
        s.into_iter().collect()
    };
    let sp = Split {
        event: event.to_string(),
        label: format!(
            "{} {} {}",
            e.time.as_deref().unwrap_or("undated"),
            e.plover_type,
            e.actors
                .iter()
                .map(|a| a.1.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        taken: keys(&taken),
        from: keys(&from),
        reason: reason.trim().to_string(),
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    modify(store, |s| {
        s.splits.push(sp.clone());
        Ok(())
    })?;
    Ok(sp)
}

/// Undo split number `n` (1-based, as listed).
pub fn unsplit(store: &mut dyn Store, n: usize) -> Result<Split, QueryError> {
    modify(store, |s| {
        if n == 0 || n > s.splits.len() {
            return Err(QueryError::NotFound(format!(
                "split #{n} (there are {})",
                s.splits.len()
            )));
        }
        Ok(s.splits.remove(n - 1))
    })
}
