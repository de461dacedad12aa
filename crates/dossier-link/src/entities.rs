//! Cross-document entity resolution: one entity per real person, organisation or place, with
//! its aliases (and how often each was seen), roles, documents, and the evidence for every
//! mention joined to it.
//!
//! A mention is reduced to name forms: Cyrillic is transliterated with our newspaper table
//! (`data/cyrillic-latin.tsv`), a parenthesised alias is split off ("United States Air Force
//! (USAF)"), an appositive after a comma is dropped, the name is the last run of capitalised
//! words (titles and roles before it are kept as roles, `data/titles.txt`), legal-form suffixes
//! leave organisation keys (`data/org-suffixes.txt`). Each form gets a variant key: given-name
//! spellings mapped to one key (`data/name-variants.tsv`) and transliteration endings levelled
//! (-iy/-y/-i, ks/x, ye-/e-).
//!
//! A mention joins an entity of a compatible kind, in this order: same form; same variant key
//! (transliteration); acronym of a form; within the same document, a part of a form (surname, the
//! head words of an organisation); across documents, a surname or leading part shared with
//! exactly one entity (a shared role decides between several); a typo (Jaro-Winkler on the
//! variant key). Must-not-merge checks veto a join: different kinds, different numbers in the
//! names, incompatible given names, pairs listed in `data/distinct.tsv` or added by the caller.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::input::{EntityKind, MentionInput};
use crate::text;

/// Cyrillic letter → (Latin, Latin at a word start or after a vowel); plus word-final sequences.
struct Translit {
    letters: HashMap<char, (String, String)>,
    finals: Vec<(Vec<char>, String)>,
}

static CYRILLIC: LazyLock<Translit> = LazyLock::new(|| {
    let mut letters = HashMap::new();
    let mut finals = Vec::new();
    for line in include_str!("../data/cyrillic-latin.tsv").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let Some(src) = cols.next() else { continue };
        let lat = cols.next().unwrap_or("").to_string();
        if let Some(seq) = src.strip_suffix('$') {
            finals.push((seq.chars().collect(), lat));
            continue;
        }
        let Some(c) = src.chars().next() else {
            continue;
        };
        let init = cols
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or(&lat)
            .to_string();
        letters.insert(c, (lat, init));
    }
    Translit { letters, finals }
});

static VARIANTS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for line in include_str!("../data/name-variants.tsv").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let forms: Vec<&str> = line
            .split('\t')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(first) = forms.first() {
            for f in &forms {
                m.insert(f.to_string(), first.to_string());
            }
        }
    }
    m
});

fn word_list(src: &'static str) -> HashSet<&'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

static TITLES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../data/titles.txt")));
static ORG_SUFFIXES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../data/org-suffixes.txt")));
static ORG_GENERIC: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../data/org-generic.txt")));
static DISTINCT: LazyLock<HashSet<(String, String)>> = LazyLock::new(|| {
    let mut s = HashSet::new();
    for line in include_str!("../data/distinct.tsv").lines() {
        if line.starts_with('#') {
            continue;
        }
        if let Some((a, b)) = line.split_once('\t') {
            s.insert((a.trim().to_string(), b.trim().to_string()));
            s.insert((b.trim().to_string(), a.trim().to_string()));
        }
    }
    s
});

const CONNECTORS: &[&str] = &[
    "and", "of", "&", "de", "du", "der", "von", "van", "for", "la", "le", "del", "da", "di",
];

/// Transliterate Cyrillic letters with the newspaper table; other characters pass through.
pub fn transliterate(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let tr = &*CYRILLIC;
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
    let is_vowel = |c: char| "аеёиоуыэюяіїєaeiouy".contains(lower(c));
    while i < chars.len() {
        let c = chars[i];
        // Word-final sequences.
        let mut done = false;
        for (seq, lat) in &tr.finals {
            let n = seq.len();
            if i + n <= chars.len()
                && chars[i..i + n]
                    .iter()
                    .zip(seq)
                    .all(|(a, b)| lower(*a) == *b)
                && chars.get(i + n).is_none_or(|c| !c.is_alphabetic())
            {
                out.push_str(lat);
                i += n;
                done = true;
                break;
            }
        }
        if done {
            continue;
        }
        if let Some((lat, init)) = tr.letters.get(&lower(c)) {
            let at_start = i == 0 || !chars[i - 1].is_alphabetic() || is_vowel(chars[i - 1]);
            let t = if at_start { init } else { lat };
            if c.is_uppercase() {
                let mut ch = t.chars();
                if let Some(f) = ch.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(ch.as_str());
                }
            } else {
                out.push_str(t);
            }
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// Variant key of one folded name word: spelling-variant table, then transliteration endings
/// and letter pairs levelled. "yevgeniy" → "evgeny", "alexandr" → "aleksandr".
pub fn variant_key(w: &str) -> String {
    if let Some(k) = VARIANTS.get(w) {
        return k.clone();
    }
    let mut s = w
        .replace('x', "ks")
        .replace("yo", "e")
        .replace('w', "v")
        .replace("kh", "h");
    if s.starts_with("ye") && s.len() > 3 {
        s.remove(0);
    }
    for (suf, rep) in [
        ("iy", "y"),
        ("ii", "y"),
        ("yi", "y"),
        ("ij", "y"),
        ("yy", "y"),
    ] {
        if s.ends_with(suf) && s.len() > 4 {
            s.truncate(s.len() - suf.len());
            s.push_str(rep);
            break;
        }
    }
    // Doubled letters collapse ("Zelenskyy", "Assad"/"Asad").
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    if let Some(k) = VARIANTS.get(&out) {
        return k.clone();
    }
    out
}

/// A name form of a mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameForm {
    /// Folded words of the name (titles, articles and legal suffixes removed).
    pub words: Vec<String>,
    /// Was the source an all-capitals single word (a candidate acronym)?
    pub acronym: bool,
}

impl NameForm {
    pub fn key(&self) -> String {
        self.words.join(" ")
    }
    pub fn variant(&self) -> String {
        self.words
            .iter()
            .map(|w| variant_key(w))
            .collect::<Vec<_>>()
            .join(" ")
    }
    /// Initials of the significant words ("united states air force" → "usaf").
    pub fn initials(&self) -> String {
        self.words
            .iter()
            .filter(|w| !CONNECTORS.contains(&w.as_str()))
            .filter_map(|w| w.chars().next())
            .collect()
    }
    fn numbers(&self) -> Vec<&str> {
        self.words
            .iter()
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .map(String::as_str)
            .collect()
    }
}

/// Does a token count as part of a name: upper case anywhere ("iPhone"), or a leading digit.
fn namelike(raw: &str) -> bool {
    raw.chars().any(char::is_uppercase) || raw.chars().next().is_some_and(|c| c.is_ascii_digit())
}

const PREPOSITIONS: &[&str] = &["in", "at", "near", "on", "from", "outside", "inside"];

/// Analyse a mention's surface into name forms (first = main form) and roles.
///
/// Pieces: parenthesised parts are aliases; of comma-separated pieces the first whose last word
/// is a name (not a title) is the head; a prepositional modifier after a name is cut ("X in
/// Y" → X). The name is the last run of name-like words in the piece (connectors inside
/// allowed); words before it that are titles or roles are kept as roles.
pub fn name_forms(surface: &str, kind: EntityKind) -> (Vec<NameForm>, Vec<String>) {
    let lat = transliterate(surface);
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in lat.chars() {
        match c {
            '(' | ')' | '[' | ']' => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    let mut forms = Vec::new();
    let mut roles = Vec::new();
    let is_person = kind == EntityKind::Person || kind == EntityKind::Other;
    for part in &parts {
        // Choose the comma piece that ends in a name.
        let pieces: Vec<&str> = part.split(',').collect();
        let head = pieces
            .iter()
            .copied()
            .find(|p| {
                text::tokens(p).last().is_some_and(|t| {
                    namelike(&p[t.span.start..t.span.end]) && !TITLES.contains(t.norm.as_str())
                })
            })
            .unwrap_or(pieces[0]);
        let mut toks = text::tokens(head);
        // Cut a prepositional modifier that follows a name.
        if let Some(cut) = (1..toks.len()).find(|&i| {
            PREPOSITIONS.contains(&toks[i].norm.as_str())
                && namelike(&head[toks[i - 1].span.start..toks[i - 1].span.end])
        }) {
            toks.truncate(cut);
        }
        if toks.is_empty() {
            continue;
        }
        let caps: Vec<bool> = toks
            .iter()
            .map(|t| namelike(&head[t.span.start..t.span.end]))
            .collect();
        let mut end = toks.len();
        while end > 0 && !caps[end - 1] {
            end -= 1;
        }
        let mut start;
        if end == 0 {
            // No name-like word (a lower-case name): the whole piece.
            start = 0;
            end = toks.len();
        } else {
            start = end - 1;
            while start > 0 {
                if caps[start - 1] {
                    start -= 1;
                } else if CONNECTORS.contains(&toks[start - 1].norm.as_str())
                    && start >= 2
                    && caps[start - 2]
                {
                    start -= 2;
                } else {
                    break;
                }
            }
        }
        let mut words: Vec<String> = Vec::new();
        for t in &toks[..start] {
            if TITLES.contains(t.norm.as_str()) {
                roles.push(t.norm.clone());
            }
        }
        for t in &toks[start..end] {
            words.push(t.norm.clone());
        }
        // Possessive: "United Kingdom 's Royal Air Force" → the words after "'s".
        if let Some(pos) = toks[start..end]
            .iter()
            .rposition(|t| t.norm == "s" && !t.capitalised)
            && pos + 1 < words.len()
        {
            words.drain(..=pos);
        }
        while words.len() > 1 && words[0] == "the" {
            words.remove(0);
        }
        // Single letters in a row are one acronym: "U . S ." → "us".
        let mut merged: Vec<String> = Vec::new();
        let mut letters = String::new();
        for w in words {
            if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
                letters.push_str(&w);
            } else {
                if !letters.is_empty() {
                    merged.push(std::mem::take(&mut letters));
                }
                merged.push(w);
            }
        }
        if !letters.is_empty() {
            merged.push(letters);
        }
        if is_person {
            while merged.len() > 1 && TITLES.contains(merged[0].as_str()) {
                roles.push(merged.remove(0));
            }
            // A long run holds more than the name ("Chrysler LLC Jim Press"): keep the last two.
            if kind == EntityKind::Person && merged.len() > 3 {
                let cut = merged.len() - 2;
                merged.drain(..cut);
            }
        }
        if kind == EntityKind::Organisation {
            while merged.len() > 1
                && merged
                    .last()
                    .is_some_and(|w| ORG_SUFFIXES.contains(w.as_str()))
            {
                merged.pop();
            }
        }
        if merged.is_empty() {
            continue;
        }
        let raw = &head[toks[start].span.start..toks[end - 1].span.end];
        let acronym = merged.len() == 1
            && (2..=6).contains(&merged[0].chars().count())
            && raw
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        let f = NameForm {
            words: merged,
            acronym,
        };
        if !forms.contains(&f) {
            forms.push(f);
        }
    }
    roles.sort();
    roles.dedup();
    (forms, roles)
}

/// Why a mention joined an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Evidence {
    /// No entity matched: a new one.
    New,
    /// The same name form was seen before.
    SameForm { alias: String },
    /// Same name up to transliteration or spelling variants.
    Transliteration { alias: String, key: String },
    /// The mention is the acronym of a form, or a form is its acronym.
    Acronym { alias: String },
    /// Part of a longer name in the same document.
    PartInDocument { alias: String },
    /// Surname or leading words shared with exactly one entity (or one sharing a role).
    PartAcrossDocuments { alias: String, role: Option<String> },
    /// The mention's leading word is the whole name of exactly one entity of its kind, and the
    /// rest are generic words (`data/org-generic.txt`).
    LeadingName { alias: String },
    /// Spelling slip: Jaro-Winkler similarity of the variant keys.
    Typo { alias: String, similarity: f64 },
}

/// The result for one input mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    /// Index of the mention in the slice given to `add`.
    pub mention: usize,
    pub entity: usize,
    pub evidence: Evidence,
}

/// A resolved entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: usize,
    pub kind: EntityKind,
    /// Display name: the longest form among the most frequent.
    pub name: String,
    /// Name form → mentions.
    pub aliases: BTreeMap<String, usize>,
    /// Roles and titles seen with its mentions → count.
    pub roles: BTreeMap<String, usize>,
    pub mentions: usize,
    pub documents: Vec<String>,
}

/// Resolver tuning.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolverConfig {
    /// Jaro-Winkler at or above which two variant keys are a typo of one another.
    pub typo_similarity: f64,
    /// Shortest key (chars) eligible for typo matching.
    pub typo_min_len: usize,
    /// Allow surname / leading-part matches across documents.
    pub cross_doc_parts: bool,
}

impl Default for ResolverConfig {
    fn default() -> Self {
        ResolverConfig {
            typo_similarity: 0.93,
            typo_min_len: 6,
            cross_doc_parts: true,
        }
    }
}

/// The incremental cross-document entity resolver (serializable with serde; nothing to rebuild
/// after loading).
#[derive(Default, Serialize, Deserialize)]
pub struct EntityResolver {
    cfg: ResolverConfig,
    entities: Vec<Entity>,
    forms: HashMap<String, Vec<usize>>,
    variants: HashMap<String, Vec<usize>>,
    initials: HashMap<String, Vec<usize>>,
    /// Single words of forms (surnames, head words) → entities.
    parts: HashMap<String, Vec<usize>>,
    /// First three / last three letters of variant keys → entities (typo blocking).
    grams: HashMap<String, Vec<usize>>,
    /// Given names (variant keys) seen per person entity.
    given: HashMap<usize, BTreeSet<String>>,
    distinct: BTreeSet<(String, String)>,
    comparisons: usize,
}

fn push_unique(m: &mut HashMap<String, Vec<usize>>, k: String, e: usize) {
    let v = m.entry(k).or_default();
    if !v.contains(&e) {
        v.push(e);
    }
}

impl EntityResolver {
    pub fn new(cfg: ResolverConfig) -> Self {
        EntityResolver {
            cfg,
            ..Default::default()
        }
    }

    /// Declare two names (any surface) as never the same entity.
    pub fn must_not_merge(&mut self, a: &str, b: &str) {
        let ka = text::fold(&transliterate(a));
        let kb = text::fold(&transliterate(b));
        self.distinct.insert((ka.clone(), kb.clone()));
        self.distinct.insert((kb, ka));
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn entity(&self, id: usize) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// Candidate entities examined so far (for cost accounting).
    pub fn comparisons(&self) -> usize {
        self.comparisons
    }

    fn vetoed(&self, form: &NameForm, kind: EntityKind, e: usize) -> bool {
        let ent = &self.entities[e];
        if !kind.compatible(ent.kind) {
            return true;
        }
        let key = form.key();
        let nums = form.numbers();
        for alias in ent.aliases.keys() {
            if self.distinct.contains(&(key.clone(), alias.clone()))
                || DISTINCT.contains(&(key.clone(), alias.clone()))
            {
                return true;
            }
            // Any shared surname-like word listed as distinct (e.g. "prigozhin" vs "putin").
            let last_a = key.rsplit(' ').next().unwrap_or("");
            let last_b = alias.rsplit(' ').next().unwrap_or("");
            if DISTINCT.contains(&(last_a.to_string(), last_b.to_string())) {
                return true;
            }
        }
        // Numbers in names must agree ("A380" is not "A350"); an index may drop its number.
        if !nums.is_empty() && (kind != EntityKind::Financial || !self.no_numbers(e)) {
            let ok = ent.aliases.keys().any(|a| {
                let an: Vec<&str> = a
                    .split(' ')
                    .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
                    .collect();
                an == nums
            });
            if !ok {
                return true;
            }
        }
        // People: given names must be compatible.
        if (kind == EntityKind::Person || ent.kind == EntityKind::Person)
            && form.words.len() >= 2
            && let Some(given) = self.given.get(&e)
            && !given.is_empty()
        {
            let g = variant_key(&form.words[0]);
            let compatible = given.iter().any(|h| {
                *h == g
                    || (g.len() == 1 && h.starts_with(&g))
                    || (h.len() == 1 && g.starts_with(h.as_str()))
                    || strsim::jaro_winkler(h, &g) >= 0.9
            });
            if !compatible {
                return true;
            }
        }
        false
    }

    fn no_numbers(&self, e: usize) -> bool {
        self.entities[e]
            .aliases
            .keys()
            .all(|a| !a.chars().any(|c| c.is_ascii_digit()))
    }

    fn pick(
        &self,
        cands: &[usize],
        form: &NameForm,
        kind: EntityKind,
        doc_entities: &HashSet<usize>,
    ) -> Option<usize> {
        let ok: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&e| !self.vetoed(form, kind, e))
            .collect();
        if ok.is_empty() {
            return None;
        }
        // Prefer an entity already in this document, then the same kind, then the most mentioned.
        ok.iter().copied().max_by_key(|&e| {
            let ent = &self.entities[e];
            (
                doc_entities.contains(&e),
                ent.kind == kind,
                ent.mentions,
                std::cmp::Reverse(e),
            )
        })
    }

    fn match_form(
        &mut self,
        form: &NameForm,
        kind: EntityKind,
        roles: &[String],
        doc_entities: &HashSet<usize>,
    ) -> Option<(usize, Evidence)> {
        let key = form.key();
        if let Some(c) = self.forms.get(&key).cloned() {
            self.comparisons += c.len();
            if let Some(e) = self.pick(&c, form, kind, doc_entities) {
                return Some((e, Evidence::SameForm { alias: key }));
            }
        }
        let vkey = form.variant();
        if let Some(c) = self.variants.get(&vkey).cloned() {
            self.comparisons += c.len();
            if let Some(e) = self.pick(&c, form, kind, doc_entities) {
                let alias = self.entities[e].name.clone();
                return Some((e, Evidence::Transliteration { alias, key: vkey }));
            }
        }
        // Acronyms, both ways.
        if form.acronym {
            if let Some(c) = self.initials.get(&key).cloned() {
                self.comparisons += c.len();
                if let Some(e) = self.pick(&c, form, kind, doc_entities) {
                    let alias = self.entities[e].name.clone();
                    return Some((e, Evidence::Acronym { alias }));
                }
            }
        } else if form.words.len() >= 2 {
            let ini = form.initials();
            if ini.len() >= 2
                && let Some(c) = self.forms.get(&ini).cloned()
            {
                let c: Vec<usize> = c
                    .into_iter()
                    .filter(|&e| self.entities[e].aliases.keys().any(|a| *a == ini))
                    .collect();
                self.comparisons += c.len();
                if let Some(e) = self.pick(&c, form, kind, doc_entities) {
                    return Some((e, Evidence::Acronym { alias: ini }));
                }
            }
        }
        // Parts: a one- or two-word mention that is the surname / leading words of a longer form.
        if form.words.len() <= 2 && !form.acronym {
            let part = form.variant();
            if let Some(c) = self.parts.get(&part).cloned() {
                self.comparisons += c.len();
                let same_doc: Vec<usize> = c
                    .iter()
                    .copied()
                    .filter(|e| doc_entities.contains(e))
                    .collect();
                if let Some(e) = self.pick(&same_doc, form, kind, doc_entities) {
                    return Some((
                        e,
                        Evidence::PartInDocument {
                            alias: self.entities[e].name.clone(),
                        },
                    ));
                }
                if self.cfg.cross_doc_parts {
                    let ok: Vec<usize> = c
                        .iter()
                        .copied()
                        .filter(|&e| !self.vetoed(form, kind, e) && self.entities[e].kind == kind)
                        .collect();
                    let with_role: Vec<usize> = ok
                        .iter()
                        .copied()
                        .filter(|&e| roles.iter().any(|r| self.entities[e].roles.contains_key(r)))
                        .collect();
                    let chosen = if ok.len() == 1 {
                        Some((ok[0], None))
                    } else if with_role.len() == 1 {
                        let r = roles
                            .iter()
                            .find(|r| self.entities[with_role[0]].roles.contains_key(*r))
                            .cloned();
                        Some((with_role[0], r))
                    } else {
                        None
                    };
                    if let Some((e, role)) = chosen {
                        return Some((
                            e,
                            Evidence::PartAcrossDocuments {
                                alias: self.entities[e].name.clone(),
                                role,
                            },
                        ));
                    }
                }
            }
        }
        // A full name whose surname so far was seen alone ("Prigozhin", then "Yevgeny
        // Prigozhin"): joins the one person known only by that surname.
        if kind == EntityKind::Person && form.words.len() >= 2 && !form.acronym {
            let surname = variant_key(&form.words[form.words.len() - 1]);
            if let Some(c) = self.variants.get(&surname).cloned() {
                self.comparisons += c.len();
                let ok: Vec<usize> = c
                    .into_iter()
                    .filter(|&e| {
                        self.entities[e].kind == EntityKind::Person
                            && self.given.get(&e).is_none_or(BTreeSet::is_empty)
                            && !self.vetoed(form, kind, e)
                    })
                    .collect();
                if ok.len() == 1 {
                    return Some((
                        ok[0],
                        Evidence::PartAcrossDocuments {
                            alias: self.entities[ok[0]].name.clone(),
                            role: None,
                        },
                    ));
                }
            }
        }
        // The mention's leading word is the whole name of one entity ("Ford Motor" → "Ford").
        if form.words.len() >= 2
            && !form.acronym
            && leading_parts(kind)
            && form.words[1..]
                .iter()
                .all(|w| ORG_GENERIC.contains(w.as_str()))
        {
            let lead = variant_key(&form.words[0]);
            if let Some(c) = self.variants.get(&lead).cloned() {
                self.comparisons += c.len();
                let ok: Vec<usize> = c
                    .into_iter()
                    .filter(|&e| self.entities[e].kind == kind && !self.vetoed(form, kind, e))
                    .collect();
                if ok.len() == 1 {
                    return Some((
                        ok[0],
                        Evidence::LeadingName {
                            alias: self.entities[ok[0]].name.clone(),
                        },
                    ));
                }
            }
        }
        // Typos: Jaro-Winkler on variant keys among entities sharing a 3-letter edge.
        if vkey.chars().count() >= self.cfg.typo_min_len {
            let mut c: Vec<usize> = Vec::new();
            for g in grams(&vkey) {
                if let Some(v) = self.grams.get(&g) {
                    for &e in v {
                        if !c.contains(&e) {
                            c.push(e);
                        }
                    }
                }
            }
            let mut best: Option<(usize, f64, String)> = None;
            for e in c {
                self.comparisons += 1;
                if self.vetoed(form, kind, e) {
                    continue;
                }
                for alias in self.entities[e].aliases.keys() {
                    let av: String = alias
                        .split(' ')
                        .map(variant_key)
                        .collect::<Vec<_>>()
                        .join(" ");
                    if av.chars().count() < self.cfg.typo_min_len {
                        continue;
                    }
                    // A derivation is no slip ("Europe" / "European").
                    if av.starts_with(&vkey) || vkey.starts_with(&av) {
                        continue;
                    }
                    let sim = strsim::jaro_winkler(&av, &vkey);
                    // Same number of words and the same first letter: a slip, not a new name.
                    if sim >= self.cfg.typo_similarity
                        && av.split(' ').count() == vkey.split(' ').count()
                        && av.chars().next() == vkey.chars().next()
                        && best.as_ref().is_none_or(|b| sim > b.1)
                    {
                        best = Some((e, sim, alias.clone()));
                    }
                }
            }
            if let Some((e, sim, alias)) = best {
                return Some((
                    e,
                    Evidence::Typo {
                        alias,
                        similarity: (sim * 1000.0).round() / 1000.0,
                    },
                ));
            }
        }
        None
    }

    fn register(&mut self, e: usize, form: &NameForm, kind: EntityKind) {
        let key = form.key();
        push_unique(&mut self.forms, key.clone(), e);
        push_unique(&mut self.variants, form.variant(), e);
        if form.words.len() >= 2 {
            let ini = form.initials();
            if ini.len() >= 2 {
                push_unique(&mut self.initials, ini, e);
            }
            let vwords: Vec<String> = form.words.iter().map(|w| variant_key(w)).collect();
            // Surname for people; leading words for organisations and places.
            if kind == EntityKind::Person {
                if let Some(last) = vwords.last() {
                    push_unique(&mut self.parts, last.clone(), e);
                }
                if vwords.len() >= 3 {
                    push_unique(&mut self.parts, vwords[vwords.len() - 2..].join(" "), e);
                }
                self.given.entry(e).or_default().insert(vwords[0].clone());
            } else if leading_parts(kind) {
                push_unique(&mut self.parts, vwords[0].clone(), e);
                push_unique(&mut self.parts, vwords[..2].join(" "), e);
            }
        }
        for g in grams(&form.variant()) {
            push_unique(&mut self.grams, g, e);
        }
    }

    /// Resolve the mentions a report carries (`DocInput::mentions`).
    pub fn add_doc(&mut self, doc: &crate::input::DocInput) -> Vec<Resolution> {
        self.add(&doc.id, &doc.mentions)
    }

    /// Resolve the named mentions of one document. Longer names are resolved first, so that a
    /// short form ("Lockheed") finds the full one ("Lockheed Martin") of the same document.
    pub fn add(&mut self, doc: &str, mentions: &[MentionInput]) -> Vec<Resolution> {
        let analysed: Vec<(Vec<NameForm>, Vec<String>)> = mentions
            .iter()
            .map(|m| name_forms(&m.text, m.kind))
            .collect();
        let mut order: Vec<usize> = (0..mentions.len()).collect();
        order.sort_by_key(|&i| {
            let w = analysed[i].0.first().map_or(0, |f| f.words.len());
            (std::cmp::Reverse(w), i)
        });
        let mut doc_entities: HashSet<usize> = HashSet::new();
        let mut out: Vec<Option<Resolution>> = vec![None; mentions.len()];
        for i in order {
            let (forms, roles) = &analysed[i];
            let kind = mentions[i].kind;
            if forms.is_empty() {
                continue;
            }
            let mut found = None;
            for f in forms {
                if let Some(m) = self.match_form(f, kind, roles, &doc_entities) {
                    found = Some(m);
                    break;
                }
            }
            let (e, evidence) = match found {
                Some(m) => m,
                None => {
                    let id = self.entities.len();
                    self.entities.push(Entity {
                        id,
                        kind,
                        name: forms[0].key(),
                        aliases: BTreeMap::new(),
                        roles: BTreeMap::new(),
                        mentions: 0,
                        documents: Vec::new(),
                    });
                    (id, Evidence::New)
                }
            };
            for f in forms {
                self.register(e, f, kind);
            }
            let ent = &mut self.entities[e];
            if ent.kind == EntityKind::Other && kind != EntityKind::Other {
                ent.kind = kind;
            }
            for f in forms {
                *ent.aliases.entry(f.key()).or_default() += 1;
            }
            for r in roles {
                *ent.roles.entry(r.clone()).or_default() += 1;
            }
            ent.mentions += 1;
            // A document is added once, all its mentions in one call: its first mention of the
            // entity lists it (a scan of the list would grow with the entity's reports).
            if doc_entities.insert(e) && ent.documents.last().is_none_or(|d| d != doc) {
                ent.documents.push(doc.to_string());
            }
            // Display name: most frequent, then longest, then first in order.
            if let Some((name, _)) = ent.aliases.iter().max_by(|(a, n), (b, m)| {
                n.cmp(m).then(a.len().cmp(&b.len())).then_with(|| b.cmp(a))
            }) && *name != ent.name
            {
                ent.name = name.clone();
            }
            out[i] = Some(Resolution {
                mention: i,
                entity: e,
                evidence,
            });
        }
        out.into_iter().flatten().collect()
    }
}

/// Kinds whose names are found by their leading word ("Lockheed" of "Lockheed Martin"); a
/// place's or product's leading word usually names something else ("London" / "London
/// Heathrow", "iPod" / "iPod nano").
fn leading_parts(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Organisation | EntityKind::Financial | EntityKind::Other
    )
}

fn grams(vkey: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in vkey.split(' ') {
        let chars: Vec<char> = w.chars().collect();
        if chars.len() >= 5 {
            out.push(format!("^{}", chars[..3].iter().collect::<String>()));
            out.push(format!(
                "{}$",
                chars[chars.len() - 3..].iter().collect::<String>()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Span;

    fn m(text: &str, kind: EntityKind) -> MentionInput {
        MentionInput {
            span: Span::new(0, text.len()),
            text: text.to_string(),
            kind,
        }
    }

    #[test]
    fn transliterates_newspaper_style() {
        assert_eq!(transliterate("Евгений Пригожин"), "Yevgeny Prigozhin");
        assert_eq!(variant_key("yevgeniy"), "evgeny");
        assert_eq!(variant_key("alexandr"), "aleksandr");
        assert_eq!(variant_key("alexander"), "aleksandr");
    }

    #[test]
    fn forms_split_roles_and_aliases() {
        let (f, r) = name_forms(
            "JSA Research defence analyst Paul Nesbit",
            EntityKind::Person,
        );
        assert_eq!(f[0].key(), "paul nesbit");
        assert!(r.contains(&"defence".to_string()));
        let (f, _) = name_forms(
            "the United States Air Force ( USAF )",
            EntityKind::Organisation,
        );
        assert_eq!(
            f.iter().map(NameForm::key).collect::<Vec<_>>(),
            ["united states air force", "usaf"]
        );
        assert!(f[1].acronym);
        let (f, _) = name_forms("General Motors Corporation", EntityKind::Organisation);
        assert_eq!(f[0].key(), "general motors");
    }

    #[test]
    fn typo_and_transliteration_join_but_putin_stays_apart() {
        let mut r = EntityResolver::default();
        r.add(
            "a",
            &[
                m("Yevgeny Prigozhin", EntityKind::Person),
                m("Vladimir Putin", EntityKind::Person),
            ],
        );
        let out = r.add(
            "b",
            &[
                m("Evgeny Pirgozhin", EntityKind::Person),
                m("Putin", EntityKind::Person),
                m("Евгений Пригожин", EntityKind::Person),
            ],
        );
        assert_eq!(out[0].entity, 0, "{out:?}");
        assert_eq!(out[1].entity, 1);
        assert_eq!(out[2].entity, 0);
        assert_eq!(r.entities().len(), 2);
    }

    #[test]
    fn different_given_names_do_not_merge() {
        let mut r = EntityResolver::default();
        r.add("a", &[m("Bill Clinton", EntityKind::Person)]);
        let out = r.add("b", &[m("Hillary Clinton", EntityKind::Person)]);
        assert_eq!(out[0].evidence, Evidence::New);
    }
}
