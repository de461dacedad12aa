//! Within-report coreference: names, short names, spelling variants, acronyms, pronouns in
//! subject position and title descriptions resolve to one entity, with the evidence.

use std::collections::HashMap;

use crate::lexicon::LEX;
use crate::segment::Segmented;
use crate::{Evidence, LocalEntity, Mention, MentionForm, MentionKind};

struct Cluster {
    kind: MentionKind,
    mentions: Vec<usize>,
    evidence: Vec<Evidence>,
    surname: Option<String>,
    given: Option<String>,
    /// Lower-case name keys (generic heads stripped).
    keys: Vec<String>,
    gender: Option<char>,
    titles: Vec<String>,
}

/// How many recent clusters a fuzzy look-up scans (keeps the pass linear).
const SCAN: usize = 300;

fn recent(clusters: &[Cluster]) -> impl Iterator<Item = usize> {
    (clusters.len().saturating_sub(SCAN)..clusters.len()).rev()
}

fn norm(s: &str) -> String {
    let s = s.replace('\u{2019}', "'");
    let s = s.trim();
    let s = s
        .strip_prefix("the ")
        .or_else(|| s.strip_prefix("The "))
        .unwrap_or(s);
    let s = s
        .strip_suffix("'s")
        .or_else(|| s.strip_suffix("s'"))
        .unwrap_or(s);
    s.to_lowercase()
}

const GENERIC: &[&str] = &[
    "group",
    "pmc",
    "pmcs",
    "forces",
    "company",
    "corporation",
    "corp",
    "corp.",
    "inc",
    "inc.",
    "ltd",
    "llc",
    "plc",
    "co",
];

fn org_key(s: &str) -> String {
    let n = norm(s);
    let mut w: Vec<&str> = n.split_whitespace().collect();
    while w.len() > 1 && w.last().is_some_and(|x| GENERIC.contains(x)) {
        w.pop();
    }
    if w.len() > 1 && GENERIC.contains(&w[0]) {
        w.remove(0);
    }
    w.join(" ")
}

fn initials(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Optimal string alignment distance, capped (returns cap+1 when above).
fn osa(a: &str, b: &str, cap: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > cap || a.len() > 64 || b.len() > 64 {
        return cap + 1;
    }
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, v) in d[0].iter_mut().enumerate() {
        *v = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m].min(cap + 1)
}

/// Surnames equal, or one letter apart / transposed in a long name (Pirgozhin).
fn surname_match(a: &str, b: &str) -> Option<&'static str> {
    if a == b {
        return Some("surname");
    }
    if a.chars().count() >= 6 && a.chars().next() == b.chars().next() && osa(a, b, 1) <= 1 {
        return Some("spelling-variant");
    }
    None
}

fn given_compatible(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() == 1
        || b.len() == 1
        || (a.len() == 2 && a[1] == '.')
        || (b.len() == 2 && b[1] == '.')
    {
        return a[0] == b[0];
    }
    let k = a.len().min(b.len()).min(4);
    a[..k] == b[..k]
}

fn sentence_of(seg: &Segmented, pos: usize) -> usize {
    seg.sentences
        .partition_point(|s| s.end <= pos)
        .min(seg.sentences.len().saturating_sub(1))
}

fn person_parts(text: &str) -> (Option<String>, Option<String>) {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "jr." | "jr" | "sr." | "sr" | "ii" | "iii"
            )
        })
        .collect();
    match words.len() {
        0 => (None, None),
        1 => (None, Some(norm(words[0]))),
        n => (Some(norm(words[0])), Some(norm(words[n - 1]))),
    }
}

pub fn resolve(text: &str, seg: &Segmented, mentions: &mut Vec<Mention>) -> Vec<LocalEntity> {
    let _ = text;
    let lex = &*LEX;
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut of: Vec<Option<usize>> = vec![None; mentions.len()];
    let mut index: HashMap<(MentionKind, String), usize> = HashMap::new();
    let by_key = |index: &HashMap<(MentionKind, String), usize>, kind: MentionKind, key: &str| {
        index.get(&(kind, key.to_string())).copied()
    };
    let new_cluster = |clusters: &mut Vec<Cluster>, m: &Mention, i: usize, key: String| {
        let (given, surname) = if m.kind == MentionKind::Person {
            person_parts(&m.text)
        } else {
            (None, None)
        };
        let first_tok = m.text.split_whitespace().next().unwrap_or("");
        let gender = (m.text.split_whitespace().count() >= 2)
            .then(|| lex.first_names.get(first_tok).copied())
            .flatten()
            .or_else(|| {
                m.text
                    .split_whitespace()
                    .last()
                    .and_then(|s| lex.people.get(s))
                    .map(|p| p.gender)
            })
            .and_then(|g| if g.len() == 1 { g.chars().next() } else { None });
        let mut titles = Vec::new();
        if let Some(r) = &m.role {
            titles.push(r.title.clone());
        }
        if let Some(p) = m
            .text
            .split_whitespace()
            .last()
            .and_then(|s| lex.people.get(s))
            && !p.title.is_empty()
        {
            titles.push(p.title.to_string());
        }
        clusters.push(Cluster {
            kind: m.kind,
            mentions: vec![i],
            evidence: Vec::new(),
            surname,
            given,
            keys: vec![key],
            gender,
            titles,
        });
        clusters.len() - 1
    };
    let join = |clusters: &mut Vec<Cluster>,
                ci: usize,
                m: &Mention,
                i: usize,
                key: String,
                rule: &str,
                mentions_ro: &[Mention]| {
        let c = &mut clusters[ci];
        let ante = *c.mentions.last().unwrap_or(&i);
        c.evidence.push(Evidence {
            mention: i,
            antecedent: ante,
            antecedent_span: (mentions_ro[ante].start, mentions_ro[ante].end),
            rule: rule.to_string(),
        });
        c.mentions.push(i);
        if !c.keys.contains(&key) {
            c.keys.push(key);
        }
        if let Some(r) = &m.role
            && !c.titles.contains(&r.title)
        {
            c.titles.push(r.title.clone());
        }
    };
    // Pass 1: names of two or more words, and every non-person name.
    let snapshot = mentions.clone();
    for (i, m) in snapshot.iter().enumerate() {
        if m.form != MentionForm::Name {
            continue;
        }
        let multi = m.text.split_whitespace().count() >= 2;
        let key = match m.kind {
            MentionKind::Organisation => org_key(&m.text),
            MentionKind::Place if m.class.as_deref() == Some("country") => {
                format!("cc:{}", m.country.clone().unwrap_or_default())
            }
            MentionKind::Nationality => {
                format!("nat:{}", m.country.clone().unwrap_or_else(|| norm(&m.text)))
            }
            _ => norm(&m.text),
        };
        if m.kind == MentionKind::Person && !multi {
            continue; // pass 2
        }
        if !multi
            && (m.rule == "default"
                || (m.kind == MentionKind::Place && m.class.as_deref() == Some("city")))
        {
            continue; // may be a surname: pass 2
        }
        // exact key
        if let Some(ci) = by_key(&index, m.kind, &key) {
            join(&mut clusters, ci, m, i, key, "same-name", &snapshot);
            of[i] = Some(ci);
            continue;
        }
        if m.kind == MentionKind::Person {
            let (g, s) = person_parts(&m.text);
            let found = clusters
                .iter()
                .enumerate()
                .rev()
                .take(SCAN)
                .find_map(|(ci, c)| {
                    if c.kind != MentionKind::Person {
                        return None;
                    }
                    let r = surname_match(c.surname.as_deref()?, s.as_deref()?)?;
                    let ok = match (&c.given, &g) {
                        (Some(a), Some(b)) => given_compatible(a, b),
                        _ => true,
                    };
                    ok.then_some((ci, r))
                });
            if let Some((ci, r)) = found {
                let rule = if r == "surname" { "same-surname" } else { r };
                index.entry((m.kind, key.clone())).or_insert(ci);
                join(&mut clusters, ci, m, i, key, rule, &snapshot);
                of[i] = Some(ci);
                continue;
            }
        }
        if m.kind == MentionKind::Organisation {
            // acronym of an earlier organisation, or "(EADS)" right after one
            let is_acr = m
                .text
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
                && m.text.chars().filter(|c| c.is_alphabetic()).count() >= 2;
            if is_acr {
                let letters: String = m.text.chars().filter(|c| c.is_alphabetic()).collect();
                let found = recent(&clusters).find(|&ci| {
                    let c = &clusters[ci];
                    c.kind == MentionKind::Organisation
                        && c.mentions.iter().any(|&k| {
                            let t = &snapshot[k].text;
                            t.split_whitespace().count() >= 2 && {
                                let ini = initials(t);
                                let generic_last = t
                                    .split_whitespace()
                                    .last()
                                    .is_some_and(|w| GENERIC.contains(&w.to_lowercase().as_str()));
                                ini == letters || (generic_last && ini[..ini.len() - 1] == letters)
                            }
                        })
                });
                if let Some(ci) = found {
                    index.entry((m.kind, key.clone())).or_insert(ci);
                    join(&mut clusters, ci, m, i, key, "acronym", &snapshot);
                    of[i] = Some(ci);
                    continue;
                }
            }
        }
        let ci = new_cluster(&mut clusters, m, i, key.clone());
        index.entry((m.kind, key)).or_insert(ci);
        of[i] = Some(ci);
    }
    // Pass 2: single-word person names and unknown single words: surnames of a person in the
    // report, else by key.
    for (i, m) in snapshot.iter().enumerate() {
        if m.form != MentionForm::Name || of[i].is_some() {
            continue;
        }
        let key = match m.kind {
            MentionKind::Organisation => org_key(&m.text),
            _ => norm(&m.text),
        };
        let mut best: Option<(usize, &'static str, usize)> = None; // cluster, rule, distance
        for ci in recent(&clusters) {
            let c = &clusters[ci];
            if c.kind != MentionKind::Person {
                continue;
            }
            let Some(sur) = c.surname.as_deref() else {
                continue;
            };
            if c.given.is_none() {
                continue;
            }
            if let Some(r) = surname_match(sur, &key) {
                let first = c.mentions[0];
                let dist = snapshot[first].start.abs_diff(m.start)
                    + if snapshot[first].start > m.start {
                        1 << 40
                    } else {
                        0
                    };
                if best.is_none_or(|b| dist < b.2) {
                    best = Some((ci, r, dist));
                }
            }
        }
        if let Some((ci, r, _)) = best {
            index
                .entry((MentionKind::Person, key.clone()))
                .or_insert(ci);
            mentions[i].kind = MentionKind::Person;
            if mentions[i].rule == "default" {
                mentions[i].rule = "surname-of-person".into();
            }
            join(&mut clusters, ci, m, i, key, r, &snapshot);
            of[i] = Some(ci);
            continue;
        }
        // the first word of an organisation's name ("Lockheed" for "Lockheed Martin")
        if m.rule == "default" {
            let prefix = format!("{key} ");
            let found = recent(&clusters).find(|&ci| {
                let c = &clusters[ci];
                c.kind == MentionKind::Organisation && c.keys.iter().any(|k| k.starts_with(&prefix))
            });
            if let Some(ci) = found {
                mentions[i].kind = MentionKind::Organisation;
                mentions[i].rule = "short-name-of-organisation".into();
                join(&mut clusters, ci, m, i, key, "short-name", &snapshot);
                of[i] = Some(ci);
                continue;
            }
        }
        // a given name alone ("Sharon" after "Sharon Rock")
        if matches!(m.kind, MentionKind::Person) || m.rule == "default" {
            let found = recent(&clusters).find(|&ci| {
                let c = &clusters[ci];
                c.kind == MentionKind::Person
                    && c.surname.is_some()
                    && c.given.as_deref() == Some(key.as_str())
            });
            if let Some(ci) = found {
                mentions[i].kind = MentionKind::Person;
                join(&mut clusters, ci, m, i, key, "given-name", &snapshot);
                of[i] = Some(ci);
                continue;
            }
        }
        let kind = mentions[i].kind;
        if let Some(ci) = by_key(&index, kind, &key) {
            join(&mut clusters, ci, m, i, key, "same-name", &snapshot);
            of[i] = Some(ci);
            continue;
        }
        // typo of an earlier single-word person (Prigozhin / Pirgozhin)
        if kind == MentionKind::Person || m.rule == "default" {
            let found = recent(&clusters).find(|&ci| {
                let c = &clusters[ci];
                c.kind == MentionKind::Person
                    && c.keys
                        .iter()
                        .any(|k| surname_match(k, &key) == Some("spelling-variant"))
            });
            if let Some(ci) = found {
                mentions[i].kind = MentionKind::Person;
                join(&mut clusters, ci, m, i, key, "spelling-variant", &snapshot);
                of[i] = Some(ci);
                continue;
            }
        }
        let mut mm = m.clone();
        mm.kind = kind;
        let ci = new_cluster(&mut clusters, &mm, i, key.clone());
        index.entry((kind, key)).or_insert(ci);
        if kind == MentionKind::Person {
            clusters[ci].surname = Some(norm(&m.text));
        }
        of[i] = Some(ci);
    }
    // Pass 3: pronouns and title descriptions, in text order.
    let snapshot = mentions.clone();
    let sent: Vec<usize> = snapshot.iter().map(|m| sentence_of(seg, m.start)).collect();
    for (i, m) in snapshot.iter().enumerate() {
        if m.form == MentionForm::Name {
            continue;
        }
        let si = sentence_of(seg, m.start);
        let lo = si.saturating_sub(if m.form == MentionForm::Pronoun { 2 } else { 5 });
        let mut cands: Vec<usize> = Vec::new();
        for k in (0..i).rev().take(SCAN) {
            let n = &snapshot[k];
            if sent[k] < lo {
                break;
            }
            if n.kind == MentionKind::Person
                && n.form == MentionForm::Name
                && of[k].is_some()
                && n.extent.1 <= m.start
            {
                cands.push(k);
            }
        }
        cands.reverse();
        let pick = if m.form == MentionForm::Pronoun {
            let g = m.class.as_deref().and_then(|s| s.chars().next());
            // a candidate whose gender is known to agree first, then one of unknown gender
            let strict = |k: &usize| clusters[of[*k].unwrap_or(0)].gender == g;
            let loose = |k: &usize| clusters[of[*k].unwrap_or(0)].gender.is_none();
            let mut r = None;
            let passes: [&dyn Fn(&usize) -> bool; 2] = [&strict, &loose];
            for fits in passes {
                if let Some(&k) = cands.iter().filter(|k| sent[**k] == si).find(|k| fits(k)) {
                    r = Some((k, "pronoun-subject-same-sentence"));
                    break;
                }
                // subject (first person) of the closest earlier sentence that has one
                for s in (lo..si).rev() {
                    if let Some(&k) = cands.iter().filter(|k| sent[**k] == s).find(|k| fits(k)) {
                        r = Some((k, "pronoun-subject-previous-sentence"));
                        break;
                    }
                }
                if r.is_some() {
                    break;
                }
            }
            r
        } else {
            let title = m.class.clone().unwrap_or_default();
            let head = title.split(' ').next_back().unwrap_or("").to_string();
            cands
                .iter()
                .rev()
                .copied()
                .find(|k| {
                    clusters[of[*k].unwrap_or(0)]
                        .titles
                        .iter()
                        .any(|t| t.split(' ').any(|w| w == head))
                })
                .map(|k| (k, "title"))
        };
        if let Some((k, rule)) = pick {
            let ci = of[k].unwrap_or(0);
            let c = &mut clusters[ci];
            c.evidence.push(Evidence {
                mention: i,
                antecedent: k,
                antecedent_span: (snapshot[k].start, snapshot[k].end),
                rule: rule.to_string(),
            });
            c.mentions.push(i);
            of[i] = Some(ci);
        }
    }
    // Drop unresolved pronouns and descriptions; renumber.
    let mut remap: HashMap<usize, usize> = HashMap::new();
    let mut kept = Vec::with_capacity(mentions.len());
    for (i, m) in std::mem::take(mentions).into_iter().enumerate() {
        if of[i].is_some() {
            remap.insert(i, kept.len());
            kept.push(m);
        }
    }
    *mentions = kept;
    let mut entities = Vec::new();
    let mut cid_map: HashMap<usize, usize> = HashMap::new();
    for (ci, c) in clusters.into_iter().enumerate() {
        let mut ms: Vec<usize> = c
            .mentions
            .iter()
            .filter_map(|k| remap.get(k).copied())
            .collect();
        if ms.is_empty() {
            continue;
        }
        ms.sort_unstable();
        let id = entities.len();
        cid_map.insert(ci, id);
        let names: Vec<&Mention> = ms
            .iter()
            .map(|&k| &mentions[k])
            .filter(|m| m.form == MentionForm::Name)
            .collect();
        let mut canonical = names
            .iter()
            .max_by_key(|m| {
                (
                    m.text.split_whitespace().count(),
                    m.text.chars().any(char::is_lowercase),
                    m.text.len(),
                )
            })
            .map(|m| {
                m.text
                    .trim_end_matches("’s")
                    .trim_end_matches("'s")
                    .to_string()
            })
            .unwrap_or_default();
        if c.kind == MentionKind::Person
            && !canonical.contains(' ')
            && let Some(p) = lex.people.get(canonical.as_str())
        {
            canonical = p.full.to_string();
        }
        let evidence = c
            .evidence
            .into_iter()
            .filter_map(|e| {
                Some(Evidence {
                    mention: *remap.get(&e.mention)?,
                    antecedent: *remap.get(&e.antecedent)?,
                    antecedent_span: e.antecedent_span,
                    rule: e.rule,
                })
            })
            .collect();
        entities.push(LocalEntity {
            id,
            kind: c.kind,
            canonical,
            mentions: ms,
            evidence,
        });
    }
    for (i, m) in mentions.iter_mut().enumerate() {
        let _ = i;
        m.entity = usize::MAX;
    }
    for e in &entities {
        for &k in &e.mentions {
            mentions[k].entity = e.id;
        }
    }
    entities
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(osa("prigozhin", "pirgozhin", 2), 1);
        assert_eq!(
            surname_match("prigozhin", "pirgozhin"),
            Some("spelling-variant")
        );
        assert_eq!(surname_match("prigozhin", "putin"), None);
        assert!(given_compatible("alexandr", "alexander"));
        assert!(!given_compatible("boris", "alexander"));
        assert_eq!(org_key("the Wagner Group"), "wagner");
        assert_eq!(initials("Institute for the Study of War"), "ISW");
    }
}
