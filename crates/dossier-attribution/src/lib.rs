//! Attribution and claims: who says so, according to whom, all the way down.
//!
//! [`attribute`] reads a [`Document`] (optionally with sentence spans and named mentions from the
//! language stages) and returns:
//! - `sources`: the report's own root (credit line, byline, outlet), named people and bodies,
//!   anonymous groups (descriptor, count, affiliation) and opaque references ("trusted outlets"),
//!   each with its mentions and caveats (an editor's note that says a source cannot be verified);
//! - `attributions`: source, cue and content spans, cue class and weight, form (direct, indirect,
//!   mixed, floating, according-to, headline, passive), addressee, hedges, and `via`, the deeper
//!   links ("partly on the basis of", "which in turn relies on", "citing");
//! - `claims`: every body sentence (or attributed part of one) with its chain from the report's
//!   root to the deepest source (its origin), commitment and the cue that set it.
//!
//! Everything is rules and word lists: no model, bounded time (each rule looks at a window of a
//! sentence), byte spans into `doc.text`.

pub mod lexicon;
mod np;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use dossier_core::{BlockKind, Document, Span};
use serde::{Deserialize, Serialize};

use lexicon::{Cue, lexicon};
pub use lexicon::{CueClass, CueKind};
use np::{Np, NpKind, in_list};
use text::{Quote, Tok, TokKind};

/// The version of this stage's rules; stored with its output.
pub const VERSION: &str = "attribution-0.1";

// ---------------------------------------------------------------------------------------------
// Inputs

/// What kind of named mention a hint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    Person,
    Organisation,
    Place,
    Group,
    Other,
}

/// A named mention from the entities stage: its span, kind and canonical (full) name after
/// within-document coreference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameHint {
    pub span: Span,
    pub kind: HintKind,
    pub canonical: String,
}

/// Sentence spans and name hints from the language stage, as [`attribute`] takes them. Only
/// named mentions become hints, with the canonical name of their within-report entity (so a
/// typo such as "Pirgozhin" resolves to the full name the report uses elsewhere).
pub fn language_inputs(lang: &dossier_nlp::Language) -> (Vec<Span>, Vec<NameHint>) {
    use dossier_nlp::{MentionForm, MentionKind};
    let sentences = lang
        .sentences
        .iter()
        .map(|s| Span::new(s.start, s.end))
        .collect();
    let hints = lang
        .mentions
        .iter()
        .filter(|m| m.form == MentionForm::Name)
        .map(|m| NameHint {
            span: Span::new(m.start, m.end),
            kind: match m.kind {
                MentionKind::Person => HintKind::Person,
                MentionKind::Organisation => HintKind::Organisation,
                MentionKind::Place => HintKind::Place,
                MentionKind::Nationality => HintKind::Group,
            },
            canonical: lang
                .entities
                .get(m.entity)
                .map(|e| e.canonical.clone())
                .unwrap_or_else(|| m.text.clone()),
        })
        .collect();
    (sentences, hints)
}

// ---------------------------------------------------------------------------------------------
// Output

/// A span with its text, so JSON output is readable on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl TextSpan {
    fn new(doc: &str, start: usize, end: usize) -> Self {
        TextSpan {
            start,
            end,
            text: doc.get(start..end).unwrap_or("").to_string(),
        }
    }
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The report's own voice: its credit line, byline or outlet.
    Report,
    Person,
    Organisation,
    Media,
    /// A name whose kind the rules cannot tell.
    Named,
    /// An identifiable but unnamed role or body ("the ministry", "the president").
    Descriptor,
    Anonymous,
    Opaque,
    /// A pronoun or first person that could not be resolved, or hearsay with no source.
    Unspecified,
}

/// An anonymous group: "two people familiar with the matter", "Meduza's Kremlin sources".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anonymity {
    pub descriptor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The outlet or body that relays them ("Meduza" in "Meduza's Kremlin sources").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conveyed_by: Option<String>,
}

/// A caveat on a source: "the impartiality of its articles cannot be guaranteed".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caveat {
    /// The sentence of the note.
    pub text: TextSpan,
    /// The words that make it a caveat ("cannot be guaranteed", "independently verified").
    pub cue: TextSpan,
    /// Where it came from: "editors_note" or "body".
    pub from: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: usize,
    pub kind: SourceKind,
    /// Canonical name: full name for people, the phrase for anonymous and opaque sources.
    pub name: String,
    pub mentions: Vec<TextSpan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous: Option<Anonymity>,
    /// An opaque reference never confirms anything.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opaque: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<Caveat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// "“...,” X said" and "X said: “...”".
    Direct,
    /// "X said (that) ...".
    Indirect,
    /// Indirect speech with quoted words inside.
    Mixed,
    /// A quote with no cue of its own that inherits the last speaker.
    Floating,
    /// "According to X, ...".
    According,
    /// "X: ..." in a headline.
    Headline,
    /// "This was reported by X".
    Passive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// "citing X", "quoting X".
    Cites,
    /// "(partly) on the basis of X", "based on X".
    BasedOn,
    /// "which in turn relies on X".
    ReliesOn,
    /// "Meduza's sources": the outlet relays an anonymous group.
    Relays,
    /// The attribution sits inside another attribution's content.
    Nested,
}

/// One link down the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainLink {
    pub source: usize,
    pub kind: LinkKind,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<TextSpan>,
    pub mention: TextSpan,
}

/// How a pronoun or short name was resolved to a full-name source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub mention: TextSpan,
    pub antecedent: TextSpan,
    pub rule: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Commitment {
    Asserted,
    Reported,
    Future,
    Hedged,
    Hypothetical,
    Denied,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Positive,
    Negative,
}

/// A hedge or modality cue found in a content span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hedge {
    pub cue: TextSpan,
    /// evidential (reportedly), epistemic (may), hypothetical (if), future (will).
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub id: usize,
    pub source: usize,
    /// The source as written ("he", "Meduza's Kremlin sources").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_span: Option<TextSpan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Resolution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<TextSpan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue_class: Option<CueClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue_lemma: Option<String>,
    pub cue_weight: f32,
    pub content: Vec<TextSpan>,
    pub form: Form,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressee: Option<ChainLink>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<ChainLink>,
    /// The attribution whose content holds this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hedges: Vec<Hedge>,
    pub commitment: Commitment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment_cue: Option<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub span: TextSpan,
    /// Index into [`Attributions::sentences`].
    pub sentence: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<usize>,
    /// Source ids from the report's root to the deepest source.
    pub chain: Vec<usize>,
    /// The deepest source (last of `chain`).
    pub origin: usize,
    pub commitment: Commitment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment_cue: Option<TextSpan>,
    pub polarity: Polarity,
}

/// The report's own voice: its credits, authors and outlet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Root {
    pub source: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Credit lines and bylines in the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Attributions {
    pub version: String,
    pub root: Root,
    pub sources: Vec<Source>,
    pub attributions: Vec<Attribution>,
    pub claims: Vec<Claim>,
    /// The body sentences claims point to.
    pub sentences: Vec<Span>,
}

impl Attributions {
    /// The chain of an attribution: source ids from the root to the deepest source.
    pub fn chain_of(&self, attribution: usize) -> Vec<usize> {
        let mut parts = Vec::new();
        let mut cur = Some(attribution);
        let mut guard = 0;
        while let Some(a) = cur {
            parts.push(a);
            cur = self.attributions.get(a).and_then(|x| x.parent);
            guard += 1;
            if guard > 64 {
                break;
            }
        }
        let mut chain = vec![self.root.source];
        for &a in parts.iter().rev() {
            let at = &self.attributions[a];
            chain.push(at.source);
            chain.extend(at.via.iter().map(|l| l.source));
        }
        chain.dedup();
        chain
    }

    /// A readable view: each claim under its chain.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut last: Option<Vec<usize>> = None;
        for c in &self.claims {
            if last.as_ref() != Some(&c.chain) {
                let names: Vec<String> = c
                    .chain
                    .iter()
                    .map(|&s| {
                        let src = &self.sources[s];
                        let mut n = format!(
                            "{} [{}]",
                            src.name,
                            format!("{:?}", src.kind).to_lowercase()
                        );
                        if !src.caveats.is_empty() {
                            n.push_str(" (caveat)");
                        }
                        n
                    })
                    .collect();
                out.push_str(&names.join(" → "));
                out.push('\n');
                last = Some(c.chain.clone());
            }
            out.push_str(&format!(
                "    [{:?}] {}\n",
                c.commitment,
                c.span.text.replace('\n', " ")
            ));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Working state

struct BlockInfo {
    kind: BlockKind,
    toks: Vec<Tok>,
    quotes: Vec<Quote>,
    /// Sentences as token ranges.
    sents: Vec<(usize, usize)>,
    /// Index of the first sentence in the document's sentence list.
    sent_base: usize,
    /// Per token: inside a quotation (see [`quoted_tokens`]).
    quoted: Vec<bool>,
}

/// A source phrase before registration: token range in a block.
#[derive(Clone)]
struct Phrase {
    block: usize,
    np: Np,
}

/// A deeper link before registration: phrase, kind, partial, cue tokens.
type ViaLink = (Phrase, LinkKind, bool, Option<(usize, usize)>);
/// A quote's speaker: phrase, cue tokens, cue, addressee, position.
type Found = (Np, (usize, usize), &'static Cue, Option<Np>, usize);

struct Cand {
    block: usize,
    source: Phrase,
    cue: Option<(usize, usize)>,
    cue_info: Option<(CueClass, String)>,
    content: Vec<(usize, usize)>,
    form: Form,
    addressee: Option<Phrase>,
    via: Vec<ViaLink>,
    /// Content lies in another block (passive "This was reported by").
    content_block: Option<usize>,
    /// The cue is negated ("does not intend to", "did not say that"): the content is not held.
    negated: bool,
}

const HEDGE_EVIDENTIAL: &[&str] = &[
    "reportedly",
    "allegedly",
    "purportedly",
    "supposedly",
    "reputedly",
    "apparently",
    "ostensibly",
];
const HEDGE_EPISTEMIC: &[&str] = &[
    "may",
    "might",
    "could",
    "possibly",
    "probably",
    "likely",
    "unlikely",
    "perhaps",
    "maybe",
    "seemingly",
    "presumably",
    "conceivably",
];
const HYPOTHETICAL: &[&str] = &["if", "unless", "would", "whether"];
const FUTURE: &[&str] = &["will", "shall", "'ll", "won't"];
const NEGATION: &[&str] = &[
    "not", "n't", "never", "no", "nor", "neither", "nobody", "nothing",
];

const PLACE_WORDS: &[&str] = &[
    "states", "kingdom", "republic", "nations", "city", "county", "province", "island", "islands",
];
const ORG_WORDS: &[&str] = &[
    "ministry",
    "department",
    "service",
    "agency",
    "institute",
    "university",
    "council",
    "committee",
    "party",
    "army",
    "navy",
    "force",
    "forces",
    "group",
    "office",
    "bank",
    "company",
    "inc",
    "corp",
    "corporation",
    "association",
    "foundation",
    "commission",
    "court",
    "police",
    "government",
    "administration",
    "kremlin",
    "guard",
    "union",
    "organisation",
    "organization",
    "isw",
    "nato",
    "un",
    "eu",
    "cia",
    "fbi",
    "house",
    "center",
    "centre",
    "tank",
    "board",
    "federation",
    "league",
    "club",
    "church",
    "parliament",
    "senate",
    "congress",
    "assembly",
];
const MEDIA_WORDS: &[&str] = &[
    "newspaper",
    "daily",
    "outlet",
    "channel",
    "broadcaster",
    "website",
    "magazine",
    "paper",
    "network",
    "news",
    "times",
    "post",
    "journal",
    "radio",
    "tv",
    "television",
    "telegraph",
    "guardian",
    "herald",
    "tribune",
    "gazette",
    "press",
    "wire",
    "reuters",
    "bbc",
    "cnn",
    "ap",
    "afp",
    "tass",
    "ria",
    "meduza",
    "rtvi",
    "bnr",
    "wikinews",
    "bloomberg",
    "politico",
];

fn lower_words(toks: &[Tok]) -> Vec<&str> {
    toks.iter()
        .filter(|t| t.is_word())
        .map(|t| t.lower.as_str())
        .collect()
}

/// Match a cue at token `i`: the entry and one past its last token.
fn match_cue(toks: &[Tok], i: usize, hi: usize) -> Option<(&'static Cue, usize)> {
    let t = toks.get(i)?;
    if !t.is_word() {
        return None;
    }
    'entries: for cue in lexicon().starting_with(&t.lower) {
        let mut j = i;
        for w in &cue.words {
            if j >= hi || !toks[j].is_word() || toks[j].lower != *w {
                continue 'entries;
            }
            j += 1;
        }
        return Some((cue, j));
    }
    None
}

/// Which tokens lie inside a quotation. An unopened quote runs from the start of the sentence
/// that holds its closing mark. Linear in tokens plus quotes (a difference array).
fn quoted_tokens(n: usize, quotes: &[Quote], sents: &[(usize, usize)]) -> Vec<bool> {
    let mut diff = vec![0i32; n + 1];
    for q in quotes {
        let first = match (q.open, sents.is_empty()) {
            (None, false) => sents[sent_of(sents, q.last)].0,
            _ => q.first,
        };
        let last = q.last.min(n);
        if first < last {
            diff[first] += 1;
            diff[last] -= 1;
        }
    }
    let mut depth = 0;
    diff[..n]
        .iter()
        .map(|d| {
            depth += d;
            depth > 0
        })
        .collect()
}

/// Labelled byte intervals, sorted by start, for overlap queries that stay cheap when
/// intervals are local (the usual case): a query scans back from the last interval starting
/// before its end and stops as soon as no earlier interval reaches its start.
struct Intervals {
    items: Vec<(usize, usize, usize)>,
    /// Running maximum of ends over `items[..=i]`.
    reach: Vec<usize>,
}

impl Intervals {
    fn new(items: impl Iterator<Item = (usize, usize, usize)>) -> Intervals {
        let mut items: Vec<(usize, usize, usize)> =
            items.map(|(label, s, e)| (s, e, label)).collect();
        items.sort_unstable();
        let mut m = 0;
        let reach = items
            .iter()
            .map(|&(_, e, _)| {
                m = m.max(e);
                m
            })
            .collect();
        Intervals { items, reach }
    }

    /// `(label, start, end)` of every interval overlapping `[s, e)`, or touching it when empty.
    fn overlapping(&self, s: usize, e: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let hi = self.items.partition_point(|&(a, _, _)| a <= e);
        (0..hi)
            .rev()
            .take_while(move |&j| self.reach[j] >= s)
            .map(|j| self.items[j])
            .filter(move |&(a, z, _)| a <= e && z >= s)
            .map(|(a, z, label)| (label, a, z))
    }
}

/// Mark tokens `[a, z)` as used.
fn mark(used: &mut [bool], (a, z): (usize, usize)) {
    let z = z.min(used.len());
    if a < z {
        used[a..z].fill(true);
    }
}

/// The sentence holding token `i` (sentences are sorted and disjoint); the last sentence when
/// no sentence holds it.
fn sent_of(sents: &[(usize, usize)], i: usize) -> usize {
    let k = sents.partition_point(|&(a, _)| a <= i);
    if k > 0 && i < sents[k - 1].1 {
        k - 1
    } else {
        sents.len().saturating_sub(1)
    }
}

/// Trim punctuation at the ends of a token range.
fn trim(toks: &[Tok], mut a: usize, mut b: usize) -> Option<(usize, usize)> {
    while a < b && toks[a].kind != TokKind::Word {
        a += 1;
    }
    while b > a && toks[b - 1].kind != TokKind::Word {
        b -= 1;
    }
    if a < b { Some((a, b)) } else { None }
}

fn word_count(toks: &[Tok], a: usize, b: usize) -> usize {
    toks[a..b].iter().filter(|t| t.is_word()).count()
}

/// Verbs whose complement may come without "that" ("he said the port is shut"). Verbs that
/// usually take a noun object ("know the difference", "announced the closure") need "that", a
/// quote or a colon.
const BARE_COMPLEMENT: &[&str] = &[
    "say",
    "tell",
    "think",
    "believe",
    "claim",
    "insist",
    "argue",
    "warn",
    "admit",
    "fear",
    "hope",
    "guess",
    "suspect",
    "feel",
    "add",
    "allege",
    "assert",
    "doubt",
    "maintain",
    "contend",
    "have no doubt",
    "feel that",
    "quoted as saying",
    "reiterate",
    "stress",
    "insist",
];

/// A subject pronoun that may open a bare complement clause ("I know it's hard").
fn bare_pronoun(t: &Tok) -> bool {
    matches!(
        t.lower.as_str(),
        "he" | "she" | "it" | "they" | "we" | "i" | "you" | "there"
    )
}

/// Skip words that may stand between subject and verb, backwards from `i` (exclusive).
fn skip_between_back(toks: &[Tok], lo: usize, mut i: usize) -> usize {
    let mut n = 0;
    while i > lo && n < 4 && toks[i - 1].is_word() && in_list(np::BETWEEN, &toks[i - 1].lower) {
        i -= 1;
        n += 1;
    }
    i
}

/// Nouns for what a source issues (`data/documents.txt`).
static DOC_NOUNS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/documents.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

fn doc_noun(w: &str) -> bool {
    DOC_NOUNS.contains(w)
}

/// Words that may follow the head of an issuer phrase: "the press service representing the
/// leadership", "officials at the ministry", "the office of the president".
const ISSUER_LINKS: &[&str] = &[
    "of",
    "for",
    "to",
    "at",
    "in",
    "inside",
    "within",
    "representing",
    "on",
    "behalf",
    "speaking",
    "acting",
    "close",
    "familiar",
    "with",
    "the",
    "a",
    "an",
];

/// Does a phrase starting at token `a` open its clause?
fn opens_clause(toks: &[Tok], lo: usize, a: usize) -> bool {
    a == lo
        || matches!(toks[a - 1].lower.as_str(), "," | ";" | ":" | "and" | "but")
        || toks[a - 1].kind == TokKind::Quote
}

/// The issuer inside a subject phrase that ends at `e` (exclusive) and names a document:
/// "a statement from the ministry", "a communication from the press service representing X",
/// "the minister's public remarks". The source is the issuer, not the document.
fn issuer_np(toks: &[Tok], lo: usize, e: usize) -> Option<Np> {
    if e <= lo {
        return None;
    }
    if doc_noun(&toks[e - 1].lower) {
        // "X's (adjective)* DOC"
        let mut k = e - 1;
        let mut steps = 0;
        while k > lo
            && steps < 3
            && toks[k - 1].is_word()
            && !toks[k - 1].cap
            && toks[k - 1].lower != "'s"
            && !in_list(np::STOP, &toks[k - 1].lower)
            && !in_list(np::DETERMINERS, &toks[k - 1].lower)
        {
            k -= 1;
            steps += 1;
        }
        if k < lo + 2 || toks[k - 1].lower != "'s" {
            return None;
        }
        let n = np::np_back(toks, lo, k - 1)?;
        let ok = matches!(
            n.kind,
            NpKind::Name | NpKind::Descriptor | NpKind::Anonymous
        ) && opens_clause(toks, lo, n.first);
        return ok.then_some(n);
    }
    // "(det) (adjective)* DOC (issued)? from|by ISSUER" with the issuer running up to `e`.
    let floor = e.saturating_sub(18).max(lo);
    let mut d = e;
    while d > floor {
        d -= 1;
        let t = &toks[d];
        if !t.is_word() && t.lower != "'s" && t.lower != "-" {
            return None;
        }
        if !doc_noun(&t.lower) || d + 2 >= e {
            continue;
        }
        let mut p = d + 1;
        if matches!(
            toks[p].lower.as_str(),
            "issued" | "released" | "published" | "sent" | "signed"
        ) {
            p += 1;
        }
        if p + 1 >= e || !matches!(toks[p].lower.as_str(), "from" | "by") {
            continue;
        }
        let mut a = d;
        let mut steps = 0;
        while a > lo
            && steps < 3
            && toks[a - 1].is_word()
            && !toks[a - 1].cap
            && !in_list(np::DETERMINERS, &toks[a - 1].lower)
            && !in_list(np::STOP, &toks[a - 1].lower)
        {
            a -= 1;
            steps += 1;
        }
        if a > lo && in_list(np::DETERMINERS, &toks[a - 1].lower) {
            a -= 1;
        }
        if !opens_clause(toks, lo, a) {
            return None;
        }
        return issuer_phrase(toks, p + 1, e);
    }
    None
}

/// An issuer phrase `[p, e)`: "the press service representing the Belarusian leadership".
fn issuer_phrase(toks: &[Tok], p: usize, e: usize) -> Option<Np> {
    let mut s = p;
    while s < e && matches!(toks[s].lower.as_str(), "the" | "a" | "an") {
        s += 1;
    }
    if s >= e
        || toks[p..e].iter().any(|t| {
            (!t.is_word() && t.lower != "'s" && t.lower != "-")
                || (in_list(np::STOP, &t.lower) && !in_list(ISSUER_LINKS, &t.lower))
        })
    {
        return None;
    }
    let mut h = s;
    while h < e
        && !(in_list(ISSUER_LINKS, &toks[h].lower)
            || (!toks[h].cap && toks[h].lower.ends_with("ing")))
    {
        h += 1;
    }
    if h == s {
        return None;
    }
    let head_tok = h - 1;
    let head = toks[head_tok].lower.clone();
    let name = if np::name_word(&toks[head_tok]) {
        let mut a = head_tok;
        while a > s && np::name_word(&toks[a - 1]) {
            a -= 1;
        }
        Some((a, h))
    } else {
        None
    };
    let kind = if name.is_some() {
        NpKind::Name
    } else if in_list(np::ANON_HEADS, &head) {
        NpKind::Anonymous
    } else if in_list(np::OPAQUE_HEADS, &head) {
        NpKind::Opaque
    } else if in_list(np::ROLE_HEADS, &head) {
        NpKind::Descriptor
    } else {
        return None;
    };
    Some(Np {
        first: p,
        core: p,
        last: e,
        kind,
        name,
        head,
    })
}

/// Words that may open an apposition or an affiliation after a name: "Ann Lee, spokeswoman for
/// the navy, said", "Bo Kim, of the health office, said".
fn opens_apposition(t: &Tok) -> bool {
    t.is_word()
        && (t.cap
            || in_list(np::DETERMINERS, &t.lower)
            || matches!(
                t.lower.as_str(),
                "who" | "which" | "of" | "for" | "from" | "at" | "with" | "and" | "in" | "speaking"
            )
            || !in_list(np::STOP, &t.lower) && !in_list(np::BETWEEN, &t.lower))
}

/// The subject before a comma at `c` that closes one or more appositions: "Ann Lee, head of
/// exhibits at the City Museum, Leeds, said" is Ann Lee (the name that opens the clause), not
/// the museum; "The security firm Acme, has said" is the whole phrase before the comma.
fn apposed_subject(toks: &[Tok], lo: usize, c: usize, aux: bool) -> Option<Np> {
    let floor = c.saturating_sub(32).max(lo);
    // The phrase before the comma opens the clause by itself (with an auxiliary after the
    // comma: "..., said X" is inverted, not this).
    if aux
        && c > lo
        && let Some(n) = np::np_back(toks, lo, c)
        && n.first == lo
        && matches!(n.kind, NpKind::Name)
        && n.name.is_some_and(|(_, z)| z == c)
    {
        return Some(n);
    }
    // "The firm's chief, Ann Cole, said": a role and the name set beside it.
    if let Some(name) = np::np_back(toks, lo, c)
        && name.kind == NpKind::Name
        && name.first > lo + 1
        && toks[name.first - 1].lower == ","
        && name.name.is_some_and(|(a, z)| a == name.first && z == c)
        && let Some(role) = np::np_back(toks, lo, name.first - 1)
        && matches!(role.kind, NpKind::Descriptor)
        && in_list(np::ROLE_HEADS, &role.head)
        && opens_clause(toks, lo, role.first)
    {
        return Some(Np {
            first: role.first,
            core: name.first,
            last: name.last,
            kind: NpKind::Name,
            name: name.name,
            head: name.head,
        });
    }
    let mut k = c;
    let mut commas = 0;
    while k > floor && commas < 4 {
        k -= 1;
        let t = &toks[k];
        if t.kind == TokKind::Quote || matches!(t.lower.as_str(), ":" | ";" | "(" | ")") {
            return None;
        }
        if t.lower != "," {
            continue;
        }
        commas += 1;
        if !toks.get(k + 1).is_some_and(opens_apposition) {
            return None;
        }
        if let Some(n) = np::np_back(toks, lo, k)
            && matches!(n.kind, NpKind::Name | NpKind::Pronoun)
            && n.name.is_none_or(|(_, z)| z == k)
            && opens_clause(toks, lo, n.first)
        {
            return Some(n);
        }
    }
    None
}

/// The subject of a cue at token `i` in sentence `[lo, hi)`.
fn subject_before(toks: &[Tok], lo: usize, i: usize) -> Option<Np> {
    let e = skip_between_back(toks, lo, i);
    if e > lo && toks[e - 1].lower == "," {
        if let Some(n) = apposed_subject(toks, lo, e - 1, e < i) {
            return Some(n);
        }
        // Apposition or relative clause: "Jeff Rathke, the spokesperson, said".
        let mut c = e - 1;
        let floor = c.saturating_sub(14).max(lo);
        while c > floor {
            c -= 1;
            if toks[c].lower == "," {
                let inner = &toks[c + 1..e - 1];
                let ok = inner.first().is_some_and(|t| {
                    in_list(np::DETERMINERS, &t.lower)
                        || matches!(t.lower.as_str(), "who" | "which")
                        || t.cap
                }) && !inner.iter().any(|t| t.kind == TokKind::Quote);
                if ok
                    && let Some(n) = np::np_back(toks, lo, c)
                    && matches!(n.kind, NpKind::Name | NpKind::Pronoun)
                {
                    return Some(n);
                }
                break;
            }
        }
        return None;
    }
    match np::np_back(toks, lo, e) {
        Some(n) => Some(np::extend_postmod(toks, lo, n)),
        None => np::tail_np(toks, lo, e),
    }
}

// ---------------------------------------------------------------------------------------------
// The stage

/// Attribute every statement in a document. `sentences` (spans into `doc.text`) and `names`
/// (named mentions with canonical names) come from the language stages when available.
pub fn attribute(
    doc: &Document,
    sentences: Option<&[Span]>,
    names: Option<&[NameHint]>,
) -> Attributions {
    let text = doc.text.as_str();
    let mut blocks: Vec<BlockInfo> = Vec::new();
    let mut all_sents: Vec<Span> = Vec::new();
    for b in &doc.blocks {
        if !(b.kind.is_body() || b.kind == BlockKind::EditorsNote) {
            continue;
        }
        for span in chunks(text, b.span, sentences) {
            let Some(bt) = span.slice(text) else {
                continue;
            };
            push_block(&mut blocks, &mut all_sents, b.kind, bt, span, sentences);
        }
    }
    let mut st = State::new(doc, names);
    for bi in 0..blocks.len() {
        if blocks[bi].kind == BlockKind::EditorsNote || is_note_block(&blocks[bi]) {
            continue;
        }
        find_in_block(&blocks, bi, &mut st.cands);
    }
    st.finish(&blocks, all_sents)
}

/// Blocks longer than this many bytes are read in pieces of whole sentences, so that the
/// rules that compare candidates within a block stay bounded on pathological input.
const MAX_BLOCK_BYTES: usize = 20_000;

/// A block's span, cut at sentence ends into pieces of at most [`MAX_BLOCK_BYTES`] where
/// possible (a single longer sentence stays whole).
fn chunks(text: &str, span: Span, sentences: Option<&[Span]>) -> Vec<Span> {
    if span.end.saturating_sub(span.start) <= MAX_BLOCK_BYTES {
        return vec![span];
    }
    let Some(bt) = span.slice(text) else {
        return vec![span];
    };
    let ends: Vec<usize> = match sentences {
        Some(ss) => ss
            .iter()
            .filter(|s| s.end > span.start && s.end < span.end)
            .map(|s| s.end)
            .collect(),
        None => {
            let toks = text::tokenize(bt, span.start);
            text::split_sentences(&toks)
                .iter()
                .filter(|&&(_, z)| z > 0)
                .map(|&(_, z)| toks[z - 1].end)
                .collect()
        }
    };
    let mut out = Vec::new();
    let mut start = span.start;
    let mut last_end = None;
    for e in ends {
        if e <= start {
            continue;
        }
        if e - start > MAX_BLOCK_BYTES
            && let Some(le) = last_end
            && le > start
        {
            out.push(Span::new(start, le));
            start = le;
        }
        last_end = Some(e);
    }
    if start < span.end {
        out.push(Span::new(start, span.end));
    }
    out
}

fn push_block(
    blocks: &mut Vec<BlockInfo>,
    all_sents: &mut Vec<Span>,
    kind: BlockKind,
    bt: &str,
    span: Span,
    sentences: Option<&[Span]>,
) {
    let toks = text::tokenize(bt, span.start);
    let quotes = text::pair_quotes(bt, span.start, &toks);
    let sents = match sentences {
        Some(ss) => {
            let mut out = Vec::new();
            let first = ss.partition_point(|s| s.end <= span.start);
            for s in ss[first..]
                .iter()
                .take_while(|s| s.start < span.end)
                .filter(|s| s.end > span.start)
            {
                let a = toks.partition_point(|t| t.start < s.start.max(span.start));
                let z = toks.partition_point(|t| t.start < s.end.min(span.end));
                if a < z {
                    out.push((a, z));
                }
            }
            if out.is_empty() && !toks.is_empty() {
                out.push((0, toks.len()));
            }
            out
        }
        None => text::split_sentences(&toks),
    };
    let sent_base = all_sents.len();
    if kind != BlockKind::EditorsNote {
        for &(a, z) in &sents {
            all_sents.push(Span::new(toks[a].start, toks[z - 1].end));
        }
    }
    let quoted = quoted_tokens(toks.len(), &quotes, &sents);
    blocks.push(BlockInfo {
        kind,
        toks,
        quotes,
        sents,
        sent_base,
        quoted,
    });
}

fn is_note_block(b: &BlockInfo) -> bool {
    let w = lower_words(&b.toks[..b.toks.len().min(3)]);
    w.starts_with(&["editor", "'s", "note"]) || w.starts_with(&["editor's", "note"])
}

/// Find attribution candidates in one block.
fn find_in_block(blocks: &[BlockInfo], bi: usize, cands: &mut Vec<Cand>) {
    let b = &blocks[bi];
    let toks = &b.toks;
    let start_len = cands.len();
    let mut used_quote = vec![false; b.quotes.len()];
    let mut used_cue = vec![false; toks.len()];

    // Headline form: "Lukashenko: ..." in a title or heading.
    if matches!(b.kind, BlockKind::Title | BlockKind::Heading) {
        if let Some(colon) = toks.iter().take(6).position(|t| t.lower == ":") {
            let name_ok =
                colon > 0 && colon <= 4 && toks[..colon].iter().all(|t| t.is_word() && t.cap);
            let rest = &toks[colon + 1..];
            let words = rest.iter().filter(|t| t.is_word()).count();
            let lower = rest.iter().filter(|t| t.is_word() && !t.cap).count();
            let quoted = rest.first().is_some_and(|t| t.kind == TokKind::Quote);
            if name_ok
                && words >= 3
                && (quoted || lower * 2 >= words)
                && let Some(c) = trim(toks, colon + 1, toks.len())
            {
                cands.push(Cand {
                    block: bi,
                    source: Phrase {
                        block: bi,
                        np: Np {
                            first: 0,
                            core: 0,
                            last: colon,
                            kind: NpKind::Name,
                            name: Some((0, colon)),
                            head: toks[colon - 1].lower.clone(),
                        },
                    },
                    cue: Some((colon, colon + 1)),
                    cue_info: None,
                    content: vec![c],
                    form: Form::Headline,
                    addressee: None,
                    via: Vec::new(),
                    content_block: None,
                    negated: false,
                });
            }
        }
        return;
    }

    // A. Quotes with a cue after or before them.
    for qi in 0..b.quotes.len() {
        let q = b.quotes[qi].clone();
        let si = sent_of(&b.sents, q.last.min(toks.len().saturating_sub(1)));
        let (_, s_hi) = b.sents.get(si).copied().unwrap_or((0, toks.len()));
        let first = if q.open.is_none() {
            // An orphan closing mark: the quote starts at its sentence.

            b.sents[sent_of(&b.sents, q.last)].0
        } else {
            q.first
        };
        let Some(content) = trim(toks, first, q.last) else {
            continue;
        };
        let mut found: Option<Found> = None;
        if let Some(close) = q.close {
            let mut j = close + 1;
            let hi = toks.len().min(close + 14);
            // Room for an apposition between the speaker and the cue ("..., editor at the
            // Gazette, said").
            let hi_appos = toks.len().min(close + 32);
            if j < hi && toks[j].lower == "," {
                j += 1;
            }
            // Dash form: “...” — X
            if j < hi
                && matches!(toks[j].lower.as_str(), "—" | "–" | "-")
                && let Some(n) = np::np_fwd(toks, j + 1, s_hi.max(j + 1).min(toks.len()))
                && n.kind == NpKind::Name
                && n.last >= toks.len().saturating_sub(1)
            {
                cands.push(Cand {
                    block: bi,
                    source: Phrase { block: bi, np: n },
                    cue: Some((j, j + 1)),
                    cue_info: None,
                    content: vec![content],
                    form: Form::Direct,
                    addressee: None,
                    via: Vec::new(),
                    content_block: None,
                    negated: false,
                });
                used_quote[qi] = true;
                continue;
            }
            // CUE SRC: “...,” said X
            if let Some((cue, ce)) = match_cue(toks, j, hi)
                && matches!(cue.kind, CueKind::Verb | CueKind::Tell)
                && let Some(n) = np::np_fwd(toks, ce, hi.min(toks.len()))
                && (n.first == ce || n.first == ce + 1)
            {
                found = Some((n, (j, ce), cue, None, j));
            }
            // A quote that ends its sentence ("... him.”) followed by a new sentence that starts
            // with a common word is not attributed by what follows.
            let ends_sentence =
                close > 0 && matches!(toks[close - 1].lower.as_str(), "." | "!" | "?");
            if ends_sentence && j < toks.len() && toks[j].cap && !np::name_word(&toks[j]) {
                found = None;
            }
            // SRC CUE: “...,” X said
            else if found.is_none() {
                for k in j + 1..hi_appos {
                    if toks[k].kind == TokKind::Quote
                        || (toks[k].kind == TokKind::Punct
                            && toks[k].lower != "'s"
                            && !(toks[k].lower == "," && k + 1 < hi_appos))
                    {
                        break;
                    }
                    // A capitalised cue word after the first is part of a name ("The
                    // Huffington Post").
                    if toks[k].cap {
                        continue;
                    }
                    if let Some((cue, ce)) = match_cue(toks, k, toks.len()) {
                        if !matches!(cue.kind, CueKind::Verb | CueKind::Tell | CueKind::Noun)
                            || matches!(cue.class, CueClass::Belief | CueClass::Intent)
                                && ends_sentence
                        {
                            break;
                        }
                        if let Some(n) = subject_before(toks, j, k)
                            && n.first == j
                        {
                            let addr = if cue.kind == CueKind::Tell {
                                np::np_fwd(toks, ce, toks.len().min(ce + 8))
                            } else {
                                None
                            };
                            found = Some((n, (k, ce), cue, addr, k));
                        }
                        break;
                    }
                }
            }
        }
        // SRC CUE: “...” / SRC CUE, “...”
        if found.is_none()
            && let Some(open) = q.open
        {
            let mut k = open;
            while k > 0 && matches!(toks[k - 1].lower.as_str(), ":" | ",") {
                k -= 1;
            }
            if k < open || (k > 0 && toks[k - 1].is_word()) {
                // the cue ends at k
                let lo = b.sents[sent_of(&b.sents, k.saturating_sub(1))].0;
                for cs in (k.saturating_sub(10).max(lo)..k).rev() {
                    if let Some((cue, ce)) = match_cue(toks, cs, k) {
                        // The cue may be followed by a short phrase: "remarked to the paper,
                        // “...”", "said of his time there, “...”".
                        if (ce == k || pp_between(toks, ce, k))
                            && matches!(cue.kind, CueKind::Verb | CueKind::Tell)
                            && let Some(n) = subject_before(toks, lo, cs)
                        {
                            found = Some((n, (cs, ce), cue, None, cs));
                        }
                        break;
                    }
                }
                // Colon after a name: "Lukashenko: “...”"
                if found.is_none()
                    && k < open
                    && toks[k].lower == ":"
                    && let Some(n) = np::np_back(toks, lo, k)
                    && n.kind == NpKind::Name
                    && n.first == lo
                {
                    cands.push(Cand {
                        block: bi,
                        source: Phrase { block: bi, np: n },
                        cue: Some((k, k + 1)),
                        cue_info: None,
                        content: vec![content],
                        form: Form::Direct,
                        addressee: None,
                        via: Vec::new(),
                        content_block: None,
                        negated: false,
                    });
                    used_quote[qi] = true;
                    continue;
                }
            }
        }
        if let Some((n, cue_rng, cue, addr, _)) = found {
            let mut content_v = vec![content];
            // Split quote: “Q1,” X said, “Q2.”
            let mut after = cue_rng.1.max(n.last);
            if let Some(a) = &addr {
                after = after.max(a.last);
            }
            if let Some(q2i) = b.quotes.iter().position(|q2| {
                q2.open.is_some_and(|o| {
                    o > after
                        && o <= after + 5
                        && matches!(toks[o - 1].lower.as_str(), "," | "." | ":" | ";")
                        && toks[after..o].iter().all(|t| t.kind != TokKind::Quote)
                        && toks[after..o - 1].iter().all(|t| t.is_word() && !t.cap)
                })
            }) && let Some(c2) = trim(toks, b.quotes[q2i].first, b.quotes[q2i].last)
            {
                content_v.push(c2);
                used_quote[q2i] = true;
            }
            used_quote[qi] = true;
            mark(&mut used_cue, cue_rng);
            cands.push(Cand {
                block: bi,
                source: Phrase { block: bi, np: n },
                cue: Some(cue_rng),
                cue_info: Some((cue.class, cue.lemma.clone())),
                content: content_v,
                form: Form::Direct,
                addressee: addr.map(|np| Phrase { block: bi, np }),
                via: Vec::new(),
                content_block: None,
                negated: false,
            });
        }
    }

    // B. Cues inside each sentence.
    for &(lo, hi) in &b.sents {
        let mut i = lo;
        let sent_start = cands.len();
        let mut chain_cues: Vec<(usize, usize, &'static Cue)> = Vec::new();
        while i < hi {
            let Some((cue, ce)) = match_cue(toks, i, hi) else {
                i += 1;
                continue;
            };
            // A capitalised cue word inside a sentence is part of a name ("United States").
            let in_name = toks[i].cap && i > lo && toks[i - 1].kind != TokKind::Quote;
            if in_name || used_cue[i] || b.quoted.get(i).copied().unwrap_or(false) {
                i = ce;
                continue;
            }
            let prev = if i > lo {
                Some(toks[i - 1].lower.as_str())
            } else {
                None
            };
            let mut cue = cue;
            if matches!(prev, Some("was" | "were" | "is" | "are" | "been" | "be"))
                && ce < hi
                && toks[ce].lower == "by"
                && let Some(p) = lexicon()
                    .starting_with(&toks[i].lower)
                    .iter()
                    .find(|c| c.kind == CueKind::Passive)
            {
                cue = p;
            }
            // "think tank", "reports" as a noun after an adjective handled by the phrase rules.
            if ce < hi && toks[ce].lower == "tank" {
                i = ce;
                continue;
            }
            match cue.kind {
                CueKind::Chain => {
                    chain_cues.push((i, ce, cue));
                }
                CueKind::Prep => {
                    if let Some(n) = np::np_fwd(toks, ce, hi) {
                        let after = n.last;
                        let mut content = Vec::new();
                        let at_start = i == lo
                            || matches!(
                                prev,
                                Some("," | ":" | ";" | "—" | "–" | "(" | "and" | "but")
                            ) && i <= lo + 1;
                        if i > lo && matches!(prev, Some(",")) {
                            if let Some(c) = trim(toks, lo, i - 1) {
                                content.push(c);
                            }
                            if after < hi
                                && toks[after].lower == ","
                                && let Some(c) = trim(toks, after + 1, hi)
                            {
                                content.push(c);
                            }
                        } else if at_start
                            || prev
                                .is_some_and(|p| !toks[i - 1].is_word() || p == "and" || p == "but")
                        {
                            if let Some(c) = trim(toks, after, hi) {
                                content.push(c);
                            }
                        } else if let Some(c) = trim(toks, lo, i) {
                            // "X happened according to Y."
                            content.push(c);
                        }
                        if !content.is_empty() {
                            cands.push(Cand {
                                block: bi,
                                source: Phrase { block: bi, np: n },
                                cue: Some((i, ce)),
                                cue_info: Some((cue.class, cue.lemma.clone())),
                                content,
                                form: Form::According,
                                addressee: None,
                                via: Vec::new(),
                                content_block: None,
                                negated: false,
                            });
                        }
                    }
                }
                CueKind::Passive => {
                    // "This was reported by X"
                    let aux = matches!(prev, Some("was" | "were" | "is" | "are" | "been" | "be"));
                    let what =
                        i >= lo + 2 && matches!(toks[i - 2].lower.as_str(), "what" | "which");
                    if aux
                        && !what
                        && ce < hi
                        && toks[ce].lower == "by"
                        && let Some(n) = np::np_fwd(toks, ce + 1, hi)
                    {
                        let subj = &toks[lo];
                        let anaphoric =
                            matches!(subj.lower.as_str(), "this" | "that" | "it" | "these")
                                && lo + 3 >= i;
                        let mut content_block = None;
                        let mut content = Vec::new();
                        if anaphoric {
                            // The previous sentence, in this block or the one before.
                            let si = sent_of(&b.sents, lo);
                            if si > 0 {
                                let (a, z) = b.sents[si - 1];
                                if let Some(c) = trim(toks, a, z) {
                                    content.push(c);
                                }
                            } else if bi > 0 && blocks[bi - 1].kind.is_body() {
                                let pb = &blocks[bi - 1];
                                if let Some(&(a, z)) = pb.sents.last()
                                    && let Some(c) = trim(&pb.toks, a, z)
                                {
                                    content.push(c);
                                    content_block = Some(bi - 1);
                                }
                            }
                        } else if let Some(c) = trim(toks, lo, i - 1) {
                            content.push(c);
                        }
                        if !content.is_empty() {
                            cands.push(Cand {
                                block: bi,
                                source: Phrase { block: bi, np: n },
                                cue: Some((i, ce)),
                                cue_info: Some((cue.class, cue.lemma.clone())),
                                content,
                                form: Form::Passive,
                                addressee: None,
                                via: Vec::new(),
                                content_block,
                                negated: false,
                            });
                        }
                    }
                }
                CueKind::Verb | CueKind::Tell | CueKind::Noun => {
                    if let Some(c) = verb_cue(toks, &b.quotes, lo, hi, i, ce, cue, bi) {
                        mark(&mut used_cue, (i, ce));
                        cands.push(c);
                    }
                }
            }
            i = ce;
        }
        // Coordinated reports: "A thinks X, but B thinks Y" — A's content ends before the
        // conjunction that opens B's clause (a source after "that" is nested, not cut).
        let starts: Vec<usize> = cands[sent_start..]
            .iter()
            .filter(|c| c.source.block == bi && c.cue.is_some())
            .map(|c| c.source.np.first)
            .collect();
        for c in cands[sent_start..].iter_mut() {
            let Some(&(a, z)) = c.content.last() else {
                continue;
            };
            let cut = starts
                .iter()
                .copied()
                .filter(|&s| a < s && s < z)
                .find(|&s| {
                    s >= 2
                        && (matches!(toks[s - 1].lower.as_str(), "but" | "yet" | ";")
                            || (toks[s - 1].lower == "and" && toks[s - 2].lower == ","))
                });
            if let Some(s) = cut
                && let Some(t) = trim(toks, a, s - 1)
                && let Some(last) = c.content.last_mut()
            {
                *last = t;
            }
        }
        // Chain cues link to the attribution before them in this sentence.
        for (cs, ce, cue) in chain_cues {
            let mut s = ce;
            // "on the basis of what was reported by X"
            let w: Vec<&str> = toks[s..hi.min(s + 5)]
                .iter()
                .map(|t| t.lower.as_str())
                .collect();
            for skip in [
                &["what", "was", "reported", "by"][..],
                &["what", "was", "said", "by"],
                &["what", "was", "published", "by"],
                &["reports", "by"],
                &["reporting", "by"],
                &["information", "from"],
                &["reports", "from"],
                &["reporting", "from"],
                &["a", "report", "by"],
            ] {
                if w.len() >= skip.len() && w[..skip.len()] == *skip {
                    s += skip.len();
                    break;
                }
            }
            let Some(n) = np::np_fwd(toks, s, hi) else {
                continue;
            };
            let partial = cs > lo
                && matches!(
                    toks[cs - 1].lower.as_str(),
                    "partly" | "partially" | "part" | "largely" | "mainly" | "mostly"
                );
            let kind = match cue.lemma.as_str() {
                "citing" | "quoting" => LinkKind::Cites,
                "relies on" | "drawing on" | "sourced from" => LinkKind::ReliesOn,
                _ => LinkKind::BasedOn,
            };
            let owner = cands[sent_start..]
                .iter_mut()
                .rev()
                .find(|c| c.cue.is_some_and(|(a, _)| a < cs));
            if let Some(c) = owner {
                c.via
                    .push((Phrase { block: bi, np: n }, kind, partial, Some((cs, ce))));
            } else if cs == lo || toks[cs - 1].lower == "," {
                // "Citing X, ..." / "Based on X, ..." with no other cue: like "according to".
                let content = if cs == lo {
                    trim(toks, n.last, hi)
                } else {
                    trim(toks, lo, cs - 1)
                };
                if let Some(c) = content {
                    cands.push(Cand {
                        block: bi,
                        source: Phrase { block: bi, np: n },
                        cue: Some((cs, ce)),
                        cue_info: Some((cue.class, cue.lemma.clone())),
                        content: vec![c],
                        form: Form::According,
                        addressee: None,
                        via: Vec::new(),
                        content_block: None,
                        negated: false,
                    });
                }
            }
        }
    }

    // C. Floating quotes: a quote that opens a sentence and has no cue inherits the last speaker.
    let mut last_speaker: Option<Phrase> = cands[..start_len]
        .iter()
        .rev()
        .take(1)
        .filter(|c| {
            c.block + 2 >= bi
                && matches!(
                    c.form,
                    Form::Direct | Form::Floating | Form::Indirect | Form::Mixed
                )
        })
        .map(|c| c.source.clone())
        .next();
    let block_cands: Vec<(usize, Phrase)> = cands[start_len..]
        .iter()
        .filter(|c| matches!(c.form, Form::Direct | Form::Indirect | Form::Mixed))
        .map(|c| {
            (
                c.content.first().map(|x| x.0).unwrap_or(0),
                c.source.clone(),
            )
        })
        .collect();
    for (qi, q) in b.quotes.iter().enumerate() {
        if used_quote[qi] {
            continue;
        }
        let Some(open) = q.open else { continue };
        if let Some((_, p)) = block_cands.iter().rev().find(|(pos, _)| *pos < open) {
            last_speaker = Some(p.clone());
        }
        let si = sent_of(&b.sents, open);
        let starts_sentence = b.sents[si].0 == open;
        let Some(content) = trim(toks, q.first, q.last) else {
            continue;
        };
        // Not inside another attribution's content.
        let covered = cands[start_len..].iter().any(|c| {
            c.block == bi
                && c.content
                    .iter()
                    .any(|&(a, z)| a <= content.0 && content.1 <= z)
        });
        if !starts_sentence || covered || word_count(toks, content.0, content.1) < 4 {
            continue;
        }
        if let Some(sp) = &last_speaker {
            cands.push(Cand {
                block: bi,
                source: sp.clone(),
                cue: None,
                cue_info: None,
                content: vec![content],
                form: Form::Floating,
                addressee: None,
                via: Vec::new(),
                content_block: None,
                negated: false,
            });
        }
    }
}

/// Is `[a, z)` one prepositional phrase ("to The City Paper", "of his time at the club")?
fn pp_between(toks: &[Tok], a: usize, z: usize) -> bool {
    a < z
        && matches!(
            toks[a].lower.as_str(),
            "to" | "of" | "about" | "on" | "in" | "at" | "during" | "after" | "with"
        )
        && toks[a + 1..z].iter().all(|t| {
            (t.is_word() || matches!(t.lower.as_str(), "'s" | "-"))
                && !matches!(
                    t.lower.as_str(),
                    "that" | "which" | "who" | "and" | "but" | "or" | "if" | "because"
                )
                && !in_list(FINITE, &t.lower)
        })
}

/// Finite verbs that mark a clause after a cue with no "that": auxiliaries and frequent
/// irregular past forms ("noted the findings show ...", "stated Lopez left ...").
const FINITE: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may",
    "might", "must", "should", "does", "did", "began", "left", "made", "took", "came", "went",
    "became", "grew", "knew", "saw", "held", "kept", "lost", "won", "ran", "sent", "fell",
    "remains", "remained", "exceeded", "show", "shows", "showed",
];

/// Does the complement at `k` read as a clause without "that": a noun phrase (a determiner, a
/// name, a number or plain words, at most one "of/with/in/for" inside) followed within a few
/// words by a finite verb ("Lopez left the firm", "the findings show ...")? An object noun
/// phrase ("announced the closure of the plant") has none.
fn clause_like(toks: &[Tok], k: usize, hi: usize) -> bool {
    let Some(first) = toks.get(k) else {
        return false;
    };
    if !first.is_word()
        || np::in_list(np::PRONOUNS, &first.lower)
        || (in_list(np::STOP, &first.lower) && !in_list(np::DETERMINERS, &first.lower))
        || in_list(FINITE, &first.lower)
    {
        return false;
    }
    let mut preps = 0;
    for x in k + 1..hi.min(k + 8) {
        let t = &toks[x];
        if in_list(FINITE, &t.lower) {
            // An object followed by its own relative or passive ("the car he had") is not
            // a clause: the word before the verb must not be a pronoun subject of a new clause.
            return x > k && !np::in_list(np::PRONOUNS, &toks[x - 1].lower);
        }
        if !t.is_word() && !matches!(t.lower.as_str(), "'s" | "-") {
            return false;
        }
        if matches!(t.lower.as_str(), "of" | "with" | "in" | "for") {
            preps += 1;
            if preps > 1 {
                return false;
            }
            continue;
        }
        if in_list(np::STOP, &t.lower) || np::in_list(np::PRONOUNS, &t.lower) {
            return false;
        }
    }
    false
}

/// A "that" after a short adverbial or addressee phrase that follows a cue at `k`: the phrase
/// opens with a preposition, a time word or a comma, has no clause of its own, and the "that" is
/// not a relative pronoun ("the report that was published"). Returns the position of "that".
fn that_after_adverbial(toks: &[Tok], k: usize, hi: usize) -> Option<usize> {
    let t = toks.get(k)?;
    let opener = matches!(
        t.lower.as_str(),
        "on" | "in"
            | "at"
            | "to"
            | "during"
            | "before"
            | "after"
            | "through"
            | "via"
            | "over"
            | "last"
            | "this"
            | "earlier"
            | "later"
            | "yesterday"
            | "today"
            | "tonight"
            | "again"
            | "publicly"
            | ","
    );
    if !opener {
        return None;
    }
    let comma = t.lower == ",";
    for x in k + 1..hi.min(k + 8) {
        let w = &toks[x];
        if w.lower == "that" {
            if x == k + 1 || (comma && toks[x - 1].lower != ",") {
                return None;
            }
            // A noun's complement ("to the point that", "in the hope that").
            if matches!(
                toks[x - 1].lower.as_str(),
                "point"
                    | "fact"
                    | "idea"
                    | "extent"
                    | "degree"
                    | "way"
                    | "hope"
                    | "belief"
                    | "view"
                    | "sense"
                    | "notion"
                    | "news"
                    | "event"
                    | "case"
            ) {
                return None;
            }
            let next = toks.get(x + 1)?;
            if matches!(
                next.lower.as_str(),
                "was" | "is" | "were" | "are" | "has" | "have" | "had" | "will" | "would" | "can"
            ) {
                return None;
            }
            return Some(x);
        }
        if w.kind == TokKind::Quote
            || (!w.is_word() && !matches!(w.lower.as_str(), "," | "'s" | "-"))
            || matches!(
                w.lower.as_str(),
                "which"
                    | "who"
                    | "whom"
                    | "whose"
                    | "because"
                    | "if"
                    | "when"
                    | "while"
                    | "about"
                    | "so"
                    | "such"
            )
            || (w.lower == "," && !comma)
        {
            return None;
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn verb_cue(
    toks: &[Tok],
    quotes: &[Quote],
    lo: usize,
    hi: usize,
    i: usize,
    ce: usize,
    cue: &'static Cue,
    bi: usize,
) -> Option<Cand> {
    let prev = if i > lo {
        toks[i - 1].lower.as_str()
    } else {
        ""
    };
    // A noun reading: "the report", "a statement", "to say".
    if in_list(np::DETERMINERS, prev)
        || prev == "'s"
        || prev == "to" && cue.class != CueClass::Denial
    {
        return None;
    }
    // A participle after a degree adverb is an adjective: "the best known effects", "a widely
    // reported claim".
    if matches!(
        prev,
        "well"
            | "best"
            | "better"
            | "most"
            | "least"
            | "less"
            | "little"
            | "widely"
            | "commonly"
            | "generally"
            | "long"
            | "much"
    ) && (toks[i].lower.ends_with("ed") || toks[i].lower.ends_with('n'))
    {
        return None;
    }
    // Participles and gerunds as modifiers: "the reported exchange".
    if toks[i].lower.ends_with("ing")
        && matches!(
            prev,
            "of" | "by" | "for" | "after" | "before" | "while" | "without"
        )
    {
        return None;
    }
    let lemma = cue.lemma.as_str();
    let bare_ok = in_list(BARE_COMPLEMENT, lemma) && cue.kind != CueKind::Noun;
    let is_intent = cue.class == CueClass::Intent;
    let e0 = skip_between_back(toks, lo, i);
    let mut subj = issuer_np(toks, lo, e0).or_else(|| subject_before(toks, lo, i));
    // A relative clause: "X's remarks, which framed ... as ..., reflected ...", "Smith, who said
    // that ..., left": the antecedent speaks, and the content ends with the clause.
    let mut hi = hi;
    let mut relative = false;
    if subj.is_none()
        && e0 >= lo + 2
        && matches!(toks[e0 - 1].lower.as_str(), "which" | "who")
        && toks[e0 - 2].lower == ","
    {
        let a = e0 - 2;
        subj = issuer_np(toks, lo, a).or_else(|| {
            np::np_back(toks, lo, a).filter(|n| {
                matches!(
                    n.kind,
                    NpKind::Name | NpKind::Anonymous | NpKind::Descriptor
                )
            })
        });
        relative = subj.is_some();
        if relative
            && let Some(end) = (ce..hi).find(|&k| matches!(toks[k].lower.as_str(), "," | ";"))
        {
            hi = end;
        }
    }
    // Passive readings are not speech by the subject ("was told", "is known").
    let between = &toks[skip_between_back(toks, lo, i)..i];
    let passive = between.iter().any(|t| {
        matches!(
            t.lower.as_str(),
            "was" | "were" | "is" | "are" | "been" | "be" | "being"
        )
    }) && (lemma != "quoted as saying");
    if passive {
        return None;
    }
    let negated = between
        .iter()
        .any(|t| matches!(t.lower.as_str(), "not" | "n't" | "never") || t.lower.ends_with("n't"));
    let mut inverted = false;
    if subj.is_none()
        && (prev == ","
            || toks
                .get(i.wrapping_sub(1))
                .is_some_and(|t| t.kind == TokKind::Quote))
    {
        // "..., said the minister."
        if let Some(n) = np::np_fwd(toks, ce, hi) {
            let end_ok = n.last >= hi
                || toks[n.last..hi].iter().all(|t| !t.is_word())
                || toks[n.last].lower == ",";
            if end_ok {
                subj = Some(n);
                inverted = true;
            }
        }
    }
    let n = subj?;
    if cue.kind == CueKind::Noun && n.kind == NpKind::Descriptor && n.head == "the" {
        return None;
    }
    let mut content = Vec::new();
    let mut form = Form::Indirect;
    let mut addressee = None;
    let mut j = if inverted { n.last } else { ce };
    if inverted {
        // content before the comma
        if let Some(c) = trim(toks, lo, i) {
            content.push(c);
        }
    } else {
        if cue.kind == CueKind::Tell
            && j < hi
            && toks[j].is_word()
            && toks[j].lower != "that"
            && let Some(a) = np::np_fwd(toks, j, hi.min(j + 8))
        {
            j = a.last;
            addressee = Some(Phrase { block: bi, np: a });
        }
        // adverbials before the complement: "on Monday", "in a statement", "to reporters"
        let mut k = j;
        let mut has_that = false;
        let mut that_at = None;
        let mut marker = false;
        if k < hi {
            let t = &toks[k];
            if t.lower == "that" {
                has_that = true;
                k += 1;
                that_at = Some(k - 1);
                // "that, over the last months, ..." opens with an adverbial.
                if k + 1 < hi && toks[k].lower == "," {
                    k += 1;
                }
            } else if matches!(t.lower.as_str(), ":" | ",")
                && k + 1 < hi
                && toks[k + 1].kind == TokKind::Quote
            {
                marker = true;
                k += 1;
            } else if t.kind == TokKind::Quote {
                marker = true;
            } else if let Some(x) = that_after_adverbial(toks, k, hi) {
                // "announced on Friday that ...", "stated to the paper that ...", "explains, in
                // a light tone, that ...".
                has_that = true;
                that_at = Some(x);
                k = x + 1;
            }
        }
        // "wants to ...", "hopes to ...": a held proposition. "decided to ..." is an event.
        let mut to_end = None;
        if cue.to_complement && k < hi && toks[k].lower == "to" {
            marker = true;
            // The infinitive ends before a contrast or a new clause of the main subject: "hoped
            // to settle it, but failed", "does not intend to provoke it, even as ...".
            to_end = (k..hi).find(|&x| {
                toks[x].lower == ","
                    && toks.get(x + 1).is_some_and(|t| {
                        matches!(
                            t.lower.as_str(),
                            "but"
                                | "yet"
                                | "although"
                                | "though"
                                | "while"
                                | "whereas"
                                | "even"
                                | "as"
                                | "because"
                                | "since"
                                | "despite"
                                | "which"
                        )
                    })
            });
        }
        // "framed the talks as candid": the object and its "as" predicate, to the clause end.
        let as_end = (cue.as_complement
            && !has_that
            && !marker
            && k < hi
            && toks[k].is_word()
            && toks[k].lower != "as")
            .then(|| {
                (k + 1..hi.min(k + 10))
                    .take_while(|&x| toks[x].is_word())
                    .find(|&x| toks[x].lower == "as")
                    .map(|_| {
                        (k..hi)
                            .find(|&x| matches!(toks[x].lower.as_str(), "," | ";"))
                            .unwrap_or(hi)
                    })
            })
            .flatten();
        let rest_words = if k < hi { word_count(toks, k, hi) } else { 0 };
        if let Some(end) = as_end {
            if let Some(c) = trim(toks, k, end) {
                content.push(c);
            }
        } else if rest_words == 0
            || (k < hi && !toks[k].is_word() && toks[k].kind != TokKind::Quote)
        {
            // Cue at the end: "..., X said." / "“...” X said." (quotes handled before).
            if n.first > lo
                && toks[n.first - 1].lower == ","
                && let Some(c) = trim(toks, lo, n.first - 1)
            {
                content.push(c);
            }
        } else if has_that
            || marker
            || (bare_ok && !is_intent && !relative)
            || (!is_intent
                && !relative
                && cue.kind != CueKind::Noun
                && cue.class != CueClass::Denial
                && clause_like(toks, k, hi))
            || (!is_intent
                && cue.kind != CueKind::Noun
                && k < hi
                && matches!(
                    toks[k].lower.as_str(),
                    "he" | "she"
                        | "it"
                        | "they"
                        | "we"
                        | "i"
                        | "you"
                        | "there"
                        | "it's"
                        | "there's"
                        | "i'm"
                        | "we're"
                        | "they're"
                        | "he's"
                        | "she's"
                ))
        {
            // Other verbs take a bare clause only when it opens with a subject pronoun
            // ("I know it's hard"), never a noun object ("I know the difference").
            // A bare complement must look like a clause: not a preposition or an object pronoun.
            let first = &toks[k];
            let bad_start = !has_that
                && !marker
                && (matches!(
                    first.lower.as_str(),
                    "to" | "for"
                        | "about"
                        | "of"
                        | "on"
                        | "in"
                        | "with"
                        | "at"
                        | "by"
                        | "from"
                        | "him"
                        | "her"
                        | "them"
                        | "me"
                        | "us"
                        | "so"
                        | "and"
                        | "or"
                        | "but"
                        | "as"
                        | "was"
                        | "were"
                        | "is"
                        | "are"
                        | "be"
                        | "been"
                        | "out"
                        | "up"
                        | "off"
                        | "over"
                        | "back"
                        | "down"
                        | "into"
                        | "what"
                        | "how"
                        | "why"
                        | "when"
                        | "where"
                        | "whether"
                        | "if"
                        | "much"
                        | "more"
                        | "a"
                        | "an"
                        | "like"
                ) || first.lower.ends_with("ly"));
            if bad_start {
                return None;
            }
            // The complementiser belongs to the content ("said | that it would ...").
            if let Some(c) = trim(toks, that_at.unwrap_or(k), to_end.unwrap_or(hi)) {
                // A bare complement is a clause: more than one word ("expect it", "show you"
                // are objects), and more than a pronoun and its verb.
                let words = word_count(toks, c.0, c.1);
                let object_pronoun = matches!(toks[c.0].lower.as_str(), "you" | "it")
                    && toks
                        .get(c.0 + 1)
                        .is_some_and(|t| in_list(np::DETERMINERS, &t.lower));
                if !has_that
                    && !marker
                    && (words < 2 || (bare_pronoun(&toks[c.0]) && words < 3) || object_pronoun)
                {
                    return None;
                }
                content.push(c);
                if toks[c.0..c.1].iter().any(|t| t.kind == TokKind::Quote) {
                    form = if toks[c.0].kind == TokKind::Quote
                        && quotes
                            .iter()
                            .any(|q| q.open == Some(c.0) && q.last + 1 >= c.1)
                    {
                        Form::Direct
                    } else {
                        Form::Mixed
                    };
                }
            }
        }
        // Parenthetical: "The plan, he said, was ..."
        if content.is_empty()
            && n.first > lo
            && toks[n.first - 1].lower == ","
            && j < hi
            && toks[j].lower == ","
        {
            if let Some(c) = trim(toks, lo, n.first - 1) {
                content.push(c);
            }
            if let Some(c) = trim(toks, j + 1, hi) {
                content.push(c);
            }
        }
        // "As Lee told the paper, the river has dropped": the clause after the comma.
        if content.is_empty()
            && n.first == lo + 1
            && toks[lo].lower == "as"
            && j < hi
            && toks[j].lower == ","
            && !is_intent
            && let Some(c) = trim(toks, j + 1, hi)
            && word_count(toks, c.0, c.1) >= 3
        {
            content.push(c);
        }
    }
    if content.is_empty() {
        return None;
    }
    if cue.kind == CueKind::Noun
        && form == Form::Indirect
        && !toks[content[0].0..].first().is_some_and(|_| true)
    {
        return None;
    }
    Some(Cand {
        block: bi,
        source: Phrase { block: bi, np: n },
        cue: Some((i, ce)),
        cue_info: Some((cue.class, cue.lemma.clone())),
        content,
        form,
        addressee,
        via: Vec::new(),
        content_block: None,
        negated,
    })
}

// ---------------------------------------------------------------------------------------------
// Registration, resolution, chains, claims

struct State<'a> {
    doc: &'a Document,
    names: Option<&'a [NameHint]>,
    cands: Vec<Cand>,
    sources: Vec<Source>,
    keys: HashMap<String, usize>,
}

fn name_text(toks: &[Tok], text: &str, a: usize, b: usize) -> String {
    text.get(toks[a].start..toks[b - 1].end)
        .unwrap_or("")
        .to_string()
}

impl<'a> State<'a> {
    fn new(doc: &'a Document, names: Option<&'a [NameHint]>) -> Self {
        State {
            doc,
            names,
            cands: Vec::new(),
            sources: Vec::new(),
            keys: HashMap::new(),
        }
    }

    fn add_source(&mut self, key: String, kind: SourceKind, name: String) -> usize {
        if let Some(&id) = self.keys.get(&key) {
            return id;
        }
        let id = self.sources.len();
        self.sources.push(Source {
            id,
            kind,
            name,
            mentions: Vec::new(),
            anonymous: None,
            opaque: kind == SourceKind::Opaque,
            caveats: Vec::new(),
        });
        self.keys.insert(key, id);
        id
    }

    fn root(&mut self) -> Root {
        let md = &self.doc.metadata;
        let text = &self.doc.text;
        let mut credits: Vec<String> = md.credits.iter().map(|c| c.value.clone()).collect();
        let mut evidence = Vec::new();
        for b in &self.doc.blocks {
            let t = self.doc.block_text(b);
            match b.kind {
                BlockKind::SourceLine => {
                    evidence.push(TextSpan::new(text, b.span.start, b.span.end));
                    let c = credit_name(t);
                    if !c.is_empty() && !credits.iter().any(|x| x.eq_ignore_ascii_case(&c)) {
                        credits.push(c);
                    }
                }
                BlockKind::Byline => evidence.push(TextSpan::new(text, b.span.start, b.span.end)),
                _ => {}
            }
        }
        let authors: Vec<String> = md.authors.iter().map(|a| a.value.clone()).collect();
        let outlet = md.outlet.label().map(str::to_string);
        let name = credits
            .first()
            .cloned()
            .or_else(|| outlet.clone())
            .or_else(|| authors.first().cloned())
            .unwrap_or_else(|| "report".to_string());
        let id = self.add_source("@root".to_string(), SourceKind::Report, name.clone());
        // The credited name is also how the body may refer to it.
        self.keys.insert(norm_key(&name), id);
        Root {
            source: id,
            credits,
            authors,
            outlet,
            evidence,
        }
    }

    fn finish(mut self, blocks: &[BlockInfo], sentences: Vec<Span>) -> Attributions {
        let text = self.doc.text.as_str();
        let root = self.root();
        // Person names seen, in document order, for pronoun and short-name resolution.
        let persons = self.person_names(blocks);
        let mut cands = std::mem::take(&mut self.cands);
        // Drop candidates whose cue lies inside another's source phrase, and duplicate cues.
        let mut keep = vec![true; cands.len()];
        let mut by_block: HashMap<usize, Vec<usize>> = HashMap::new();
        for (x, c) in cands.iter().enumerate() {
            by_block.entry(c.block).or_default().push(x);
        }
        for (x, c) in cands.iter().enumerate() {
            let Some((cs, _)) = c.cue else { continue };
            for &y in &by_block[&c.block] {
                let d = &cands[y];
                if x != y
                    && d.source.block == c.block
                    && d.source.np.first <= cs
                    && cs < d.source.np.last
                {
                    keep[x] = false;
                }
                if y < x && d.block == c.block && d.cue == c.cue && keep[y] {
                    keep[x] = false;
                }
            }
        }
        let mut order: Vec<usize> = (0..cands.len()).filter(|&x| keep[x]).collect();
        order.sort_by_key(|&x| {
            let c = &cands[x];
            (c.block, c.cue.map(|q| q.0).unwrap_or(c.content[0].0))
        });
        let mut atts: Vec<Attribution> = Vec::new();
        let mut last_anon: Option<usize> = None;
        let mut last_by_kind: HashMap<&'static str, usize> = HashMap::new();
        let mut cand_of: Vec<usize> = Vec::new();
        for x in order {
            let c = &mut cands[x];
            let b = &blocks[c.source.block];
            let cb = c.content_block.unwrap_or(c.block);
            let content: Vec<TextSpan> = c
                .content
                .iter()
                .map(|&(a, z)| {
                    TextSpan::new(text, blocks[cb].toks[a].start, blocks[cb].toks[z - 1].end)
                })
                .collect();
            let np = c.source.np.clone();
            let at_pos = b.toks[np.first].start;
            let (src, resolved) = self.register(
                b,
                &np,
                at_pos,
                &persons,
                &atts,
                &mut last_anon,
                &last_by_kind,
            );
            let src_span = TextSpan::new(text, b.toks[np.first].start, b.toks[np.last - 1].end);
            self.sources[src].mentions.push(src_span.clone());
            let mut via = Vec::new();
            // "Meduza's Kremlin sources": the outlet relays the group.
            let mut source_id = src;
            if let Some(conv) = self.sources[src]
                .anonymous
                .as_ref()
                .and_then(|a| a.conveyed_by.clone())
            {
                let cid = self.lookup_or_add_named(&conv);
                source_id = cid;
                via.push(ChainLink {
                    source: src,
                    kind: LinkKind::Relays,
                    partial: false,
                    cue: None,
                    mention: src_span.clone(),
                });
            }
            for (ph, kind, partial, cue) in c.via.drain(..) {
                let pb = &blocks[ph.block];
                let pos = pb.toks[ph.np.first].start;
                let (vid, _) = self.register(
                    pb,
                    &ph.np,
                    pos,
                    &persons,
                    &atts,
                    &mut last_anon,
                    &last_by_kind,
                );
                let m = TextSpan::new(
                    text,
                    pb.toks[ph.np.first].start,
                    pb.toks[ph.np.last - 1].end,
                );
                self.sources[vid].mentions.push(m.clone());
                let mut conv_link = None;
                if let Some(conv) = self.sources[vid]
                    .anonymous
                    .as_ref()
                    .and_then(|a| a.conveyed_by.clone())
                {
                    conv_link = Some(self.lookup_or_add_named(&conv));
                }
                if let Some(cid) = conv_link {
                    via.push(ChainLink {
                        source: cid,
                        kind,
                        partial,
                        cue: cue.map(|(a, z)| {
                            TextSpan::new(text, pb.toks[a].start, pb.toks[z - 1].end)
                        }),
                        mention: m.clone(),
                    });
                    via.push(ChainLink {
                        source: vid,
                        kind: LinkKind::Relays,
                        partial: false,
                        cue: None,
                        mention: m,
                    });
                } else {
                    via.push(ChainLink {
                        source: vid,
                        kind,
                        partial,
                        cue: cue.map(|(a, z)| {
                            TextSpan::new(text, pb.toks[a].start, pb.toks[z - 1].end)
                        }),
                        mention: m,
                    });
                }
            }
            let addressee = c.addressee.as_ref().map(|ph| {
                let pb = &blocks[ph.block];
                let pos = pb.toks[ph.np.first].start;
                let (aid, _) = self.register(
                    pb,
                    &ph.np,
                    pos,
                    &persons,
                    &atts,
                    &mut last_anon,
                    &last_by_kind,
                );
                let m = TextSpan::new(
                    text,
                    pb.toks[ph.np.first].start,
                    pb.toks[ph.np.last - 1].end,
                );
                ChainLink {
                    source: aid,
                    kind: LinkKind::Cites,
                    partial: false,
                    cue: None,
                    mention: m,
                }
            });
            let kind_key = match self.sources[src].kind {
                SourceKind::Person => "person",
                SourceKind::Anonymous => "anon",
                SourceKind::Organisation | SourceKind::Media | SourceKind::Named => "org",
                _ => "other",
            };
            last_by_kind.insert(kind_key, src);
            let cue = c
                .cue
                .map(|(a, z)| TextSpan::new(text, b.toks[a].start, b.toks[z - 1].end));
            let (class, lemma) = match &c.cue_info {
                Some((cl, l)) => (Some(*cl), Some(l.clone())),
                None => (None, None),
            };
            let weight = class.map(|cl| lexicon().weight(cl)).unwrap_or(0.6);
            let (hedges, mut commitment, commitment_cue) =
                modality(&blocks[cb], &c.content, text, class, cue.as_ref());
            if c.negated {
                commitment = Commitment::Denied;
            }
            atts.push(Attribution {
                id: atts.len(),
                source: source_id,
                source_span: Some(src_span),
                resolved,
                cue,
                cue_class: class,
                cue_lemma: lemma,
                cue_weight: weight,
                content,
                form: c.form,
                addressee,
                via,
                parent: None,
                hedges,
                commitment,
                commitment_cue,
            });
            cand_of.push(x);
        }
        // Nesting: an attribution whose cue lies in another's content.
        let contents = Intervals::new(
            atts.iter()
                .enumerate()
                .flat_map(|(o, at)| at.content.iter().map(move |c| (o, c.start, c.end))),
        );
        for a in 0..atts.len() {
            let Some(cue) = atts[a].cue.clone() else {
                continue;
            };
            let mut best: Option<(usize, usize)> = None;
            for (o, cs, ce) in contents.overlapping(cue.start, cue.end) {
                if o != a && cs <= cue.start && cue.end <= ce {
                    let len = ce - cs;
                    if best.is_none_or(|(bo, l)| (len, o) < (l, bo)) {
                        best = Some((o, len));
                    }
                }
            }
            if let Some((o, _)) = best {
                // no cycles
                let mut p = Some(o);
                let mut ok = true;
                let mut guard = 0;
                while let Some(q) = p {
                    if q == a || guard > 64 {
                        ok = false;
                        break;
                    }
                    p = atts[q].parent;
                    guard += 1;
                }
                if ok {
                    atts[a].parent = Some(o);
                }
            }
        }
        self.caveats(blocks);
        let mut out = Attributions {
            version: VERSION.to_string(),
            root,
            sources: std::mem::take(&mut self.sources),
            attributions: atts,
            claims: Vec::new(),
            sentences,
        };
        let reserved = out.sources.len();
        let claims = make_claims(&out, blocks, text, reserved);
        if claims.iter().any(|c| c.chain.contains(&reserved)) {
            self_unspecified(&mut out);
        }
        out.claims = claims;
        out
    }

    fn lookup_or_add_named(&mut self, name: &str) -> usize {
        let key = norm_key(name);
        let kind = kind_of_name(name, "");
        self.add_source(key, kind, name.to_string())
    }

    /// Names of people in document order: (byte start, end, canonical).
    fn person_names(&self, blocks: &[BlockInfo]) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        if let Some(hints) = self.names {
            for h in hints.iter().filter(|h| h.kind == HintKind::Person) {
                out.push((h.span.start, h.span.end, h.canonical.clone()));
            }
            out.sort();
            return out;
        }
        let text = self.doc.text.as_str();
        for b in blocks {
            let t = &b.toks;
            let mut i = 0;
            while i < t.len() {
                if np::name_word(&t[i]) {
                    let mut j = i;
                    while j < t.len() && np::name_word(&t[j]) {
                        j += 1;
                    }
                    let (ca, cz) = strip_titles(t, i, j);
                    let words: Vec<&str> = t[i..j].iter().map(|x| x.lower.as_str()).collect();
                    let org = words
                        .iter()
                        .any(|w| in_list(ORG_WORDS, w) || in_list(MEDIA_WORDS, w));
                    let all_titles = t[ca..cz].iter().any(|x| in_list(np::TITLE_WORDS, &x.lower));
                    if cz - ca >= 2 && !org && !all_titles {
                        out.push((t[ca].start, t[cz - 1].end, name_text(t, text, ca, cz)));
                    }
                    i = j;
                } else {
                    i += 1;
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn register(
        &mut self,
        b: &BlockInfo,
        np: &Np,
        at: usize,
        persons: &[(usize, usize, String)],
        atts: &[Attribution],
        last_anon: &mut Option<usize>,
        last_by_kind: &HashMap<&'static str, usize>,
    ) -> (usize, Option<Resolution>) {
        let text = self.doc.text.as_str();
        let toks = &b.toks;
        let mention = TextSpan::new(text, toks[np.first].start, toks[np.last - 1].end);
        // A named-mention hint inside the phrase wins: the one nearest its head (the last person
        // or organisation: "the Russian opposition newspaper Meduza" is Meduza, not Russian).
        if let Some(hints) = self.names
            && let Some(h) = hints
                .iter()
                .filter(|h| {
                    h.span.start >= mention.start
                        && h.span.end <= mention.end
                        && np.kind == NpKind::Name
                        || (np.kind == NpKind::Pronoun && h.span.start == mention.start)
                })
                .max_by_key(|h| {
                    (
                        matches!(h.kind, HintKind::Person | HintKind::Organisation),
                        h.span.end,
                    )
                })
        {
            let kind = match h.kind {
                HintKind::Person => SourceKind::Person,
                HintKind::Organisation => {
                    if kind_of_name(&h.canonical, &mention.text.to_lowercase()) == SourceKind::Media
                    {
                        SourceKind::Media
                    } else {
                        SourceKind::Organisation
                    }
                }
                _ => SourceKind::Named,
            };
            let id = self.add_source(norm_key(&h.canonical), kind, h.canonical.clone());
            let res = (h.canonical != mention.text).then(|| Resolution {
                mention: mention.clone(),
                antecedent: TextSpan::new(text, h.span.start, h.span.end),
                rule: "named mention".to_string(),
            });
            return (id, res);
        }
        match np.kind {
            NpKind::Pronoun => {
                let p = np.head.as_str();
                if matches!(p, "he" | "she" | "him" | "her") {
                    if let Some((s, e, name)) = persons.iter().rev().find(|(s, _, _)| *s < at) {
                        let id = self.add_source(norm_key(name), SourceKind::Person, name.clone());
                        return (
                            id,
                            Some(Resolution {
                                mention,
                                antecedent: TextSpan::new(text, *s, *e),
                                rule: format!("pronoun '{p}' → the last person named before it"),
                            }),
                        );
                    }
                } else if matches!(p, "they" | "it") {
                    let k = if p == "it" { "org" } else { "anon" };
                    if let Some(&id) = last_by_kind.get(k).or_else(|| {
                        if p == "they" {
                            last_by_kind.get("org")
                        } else {
                            None
                        }
                    }) {
                        let ante = self.sources[id]
                            .mentions
                            .last()
                            .cloned()
                            .unwrap_or(mention.clone());
                        return (
                            id,
                            Some(Resolution {
                                mention,
                                antecedent: ante,
                                rule: format!(
                                    "pronoun '{p}' → the last group or body quoted before it"
                                ),
                            }),
                        );
                    }
                } else if matches!(p, "i" | "we") {
                    // First person inside a quote: the quote's speaker.
                    if let Some(a) = atts
                        .iter()
                        .rev()
                        .find(|a| a.content.iter().any(|c| c.start <= at && at < c.end))
                    {
                        let id = a.source;
                        let ante = a.source_span.clone().unwrap_or(mention.clone());
                        return (
                            id,
                            Some(Resolution {
                                mention,
                                antecedent: ante,
                                rule: format!("'{p}' inside a quote → its speaker"),
                            }),
                        );
                    }
                }
                let id = self.add_source(
                    format!("@pronoun:{p}"),
                    SourceKind::Unspecified,
                    mention.text.clone(),
                );
                (id, None)
            }
            NpKind::Name => {
                let (ca, cz) = np
                    .name
                    .map(|(a, z)| strip_titles(toks, a, z))
                    .unwrap_or((np.first, np.last));
                let canonical = name_text(toks, text, ca, cz);
                // Kind from the phrase without the titles and bodies before the name.
                let core_start = toks[np.core.clamp(np.first, np.last - 1)].start;
                let lower_np = text
                    .get(core_start..mention.end)
                    .unwrap_or(&mention.text)
                    .to_lowercase();
                let mut kind = kind_of_name(&canonical, &lower_np);
                // A short name: the last full name that ends or starts with it.
                if cz - ca == 1 {
                    let w = canonical.as_str();
                    if let Some((s, e, full)) = persons.iter().rev().find(|(s, _, full)| {
                        *s < at
                            && full != w
                            && (full.ends_with(&format!(" {w}"))
                                || full.starts_with(&format!("{w} ")))
                    }) {
                        let id = self.add_source(norm_key(full), SourceKind::Person, full.clone());
                        return (
                            id,
                            Some(Resolution {
                                mention,
                                antecedent: TextSpan::new(text, *s, *e),
                                rule: "short name → the full name given earlier".to_string(),
                            }),
                        );
                    }
                    // Near-miss spellings of a known name ("Pirgozhin").
                    if let Some((s, e, full)) = persons.iter().rev().find(|(_, _, full)| {
                        full.split(' ')
                            .next_back()
                            .is_some_and(|last| near_miss(last, w))
                    }) {
                        let id = self.add_source(norm_key(full), SourceKind::Person, full.clone());
                        return (
                            id,
                            Some(Resolution {
                                mention,
                                antecedent: TextSpan::new(text, *s, *e),
                                rule: "misspelt short name → the full name".to_string(),
                            }),
                        );
                    }
                }
                let starts_the = toks[np.core.clamp(np.first, np.last - 1)].lower == "the";
                if kind == SourceKind::Named
                    && !starts_the
                    && cz - ca >= 2
                    && !lower_np
                        .split(' ')
                        .any(|w| in_list(ORG_WORDS, w) || in_list(PLACE_WORDS, w))
                {
                    kind = SourceKind::Person;
                }
                if let Some(&id) = self.keys.get(&norm_key(&canonical)) {
                    return (id, None);
                }
                let id = self.add_source(norm_key(&canonical), kind, canonical);
                (id, None)
            }
            NpKind::Anonymous | NpKind::Opaque | NpKind::Descriptor => {
                let words: Vec<&str> = toks[np.first..np.last]
                    .iter()
                    .map(|t| t.lower.as_str())
                    .collect();
                // "the source" / "Meduza's source": the group named before.
                let definite_single =
                    matches!(words.first(), Some(&"the")) || words.contains(&"'s");
                let bare = words.iter().filter(|w| **w != "the").count() == 1;
                if np.kind == NpKind::Anonymous
                    && bare
                    && let Some(id) = *last_anon
                    && same_head(&self.sources[id], &np.head)
                {
                    let ante = self.sources[id]
                        .mentions
                        .last()
                        .cloned()
                        .unwrap_or(mention.clone());
                    return (
                        id,
                        Some(Resolution {
                            mention,
                            antecedent: ante,
                            rule: "bare anonymous head → the group named before".to_string(),
                        }),
                    );
                }
                if np.kind == NpKind::Anonymous
                    && definite_single
                    && !np.head.ends_with('s')
                    && let Some(id) = *last_anon
                    && same_head(&self.sources[id], &np.head)
                {
                    let ante = self.sources[id]
                        .mentions
                        .last()
                        .cloned()
                        .unwrap_or(mention.clone());
                    return (
                        id,
                        Some(Resolution {
                            mention,
                            antecedent: ante,
                            rule: "definite anonymous source → the group named before".to_string(),
                        }),
                    );
                }
                if np.kind == NpKind::Descriptor {
                    let name = strip_det(&mention.text);
                    if let Some(&id) = self.keys.get(&norm_key(&name)) {
                        return (id, None);
                    }
                    // "the newspaper" / "the outlet": the last media source.
                    let id = self.add_source(norm_key(&name), SourceKind::Descriptor, name);
                    return (id, None);
                }
                let (affiliation, conveyed_by) = affiliation_of(toks, np, text, &self.keys);
                let descriptor = mention.text.clone();
                let key = format!(
                    "@anon:{}:{}:{}",
                    conveyed_by.as_deref().unwrap_or("").to_lowercase(),
                    affiliation.as_deref().unwrap_or("").to_lowercase(),
                    if affiliation.is_none() {
                        np.head.trim_end_matches('s').to_string()
                    } else {
                        String::new()
                    }
                );
                let kind = if np.kind == NpKind::Opaque {
                    SourceKind::Opaque
                } else {
                    SourceKind::Anonymous
                };
                let id = self.add_source(key, kind, descriptor.clone());
                if self.sources[id].anonymous.is_none() && kind == SourceKind::Anonymous {
                    self.sources[id].anonymous = Some(Anonymity {
                        descriptor,
                        count: np::count_of(toks, np),
                        affiliation,
                        conveyed_by,
                    });
                }
                if kind == SourceKind::Anonymous {
                    *last_anon = Some(id);
                }
                (id, None)
            }
        }
    }

    /// Editor's notes and verification caveats become caveats on the source they name.
    fn caveats(&mut self, blocks: &[BlockInfo]) {
        let text = self.doc.text.as_str();
        for b in blocks {
            let note = b.kind == BlockKind::EditorsNote || is_note_block(b);
            for &(lo, hi) in &b.sents {
                let toks = &b.toks[lo..hi];
                let Some(cue) = caveat_cue(toks) else {
                    continue;
                };
                if !note {
                    continue;
                }
                let sent = TextSpan::new(text, toks[0].start, toks[hi - lo - 1].end);
                let cue = TextSpan::new(text, toks[cue.0].start, toks[cue.1 - 1].end);
                let caveat = Caveat {
                    text: sent.clone(),
                    cue,
                    from: "editors_note".to_string(),
                };
                // The source the note names.
                let mut target = None;
                for (i, t) in toks.iter().enumerate() {
                    if !np::name_word(t)
                        || (i < 3 && matches!(t.lower.as_str(), "editor" | "editor's" | "note"))
                    {
                        continue;
                    }
                    if let Some(&id) = self.keys.get(&norm_key(&t.lower)) {
                        target = Some(id);
                        break;
                    }
                    if let Some(s) = self.sources.iter().find(|s| {
                        s.name.eq_ignore_ascii_case(&t.lower)
                            || s.name.to_lowercase().ends_with(&format!(" {}", t.lower))
                    }) {
                        target = Some(s.id);
                        break;
                    }
                }
                let id = target.unwrap_or(0);
                if !self.sources.is_empty() {
                    self.sources[id].caveats.push(caveat);
                }
            }
        }
    }
}

/// Does an earlier anonymous group have the same head noun ("the source" after "sources close
/// to X"; not "analysts" after "spokespeople")?
fn same_head(src: &Source, head: &str) -> bool {
    let stem = |w: &str| -> String {
        match w {
            "people" => "person".to_string(),
            _ => w.trim_end_matches('s').to_string(),
        }
    };
    let h = stem(head);
    let text = src
        .anonymous
        .as_ref()
        .map(|a| a.descriptor.as_str())
        .unwrap_or(src.name.as_str())
        .to_lowercase();
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| !w.is_empty() && stem(w) == h)
}

fn self_unspecified(out: &mut Attributions) -> usize {
    let id = out.sources.len();
    out.sources.push(Source {
        id,
        kind: SourceKind::Unspecified,
        name: "unnamed reports (hearsay)".to_string(),
        mentions: Vec::new(),
        anonymous: None,
        opaque: true,
        caveats: Vec::new(),
    });
    id
}

fn caveat_cue(toks: &[Tok]) -> Option<(usize, usize)> {
    let neg = toks.iter().position(|t| {
        matches!(
            t.lower.as_str(),
            "cannot"
                | "not"
                | "nor"
                | "n't"
                | "unable"
                | "unverified"
                | "unconfirmed"
                | "impossible"
        )
    })?;
    let key = toks.iter().enumerate().skip(neg).find(|(_, t)| {
        t.lower.starts_with("verif")
            || t.lower.starts_with("guarantee")
            || t.lower.starts_with("confirm")
            || t.lower.starts_with("independent")
            || t.lower.starts_with("unverified")
    })?;
    Some((neg, key.0 + 1))
}

fn near_miss(a: &str, b: &str) -> bool {
    if a.len() < 5 || a.len() != b.len() || a == b {
        return false;
    }
    let mut ac: Vec<char> = a.to_lowercase().chars().collect();
    let mut bc: Vec<char> = b.to_lowercase().chars().collect();
    if ac.first() != bc.first() || ac.last() != bc.last() {
        return false;
    }
    let diff = ac.iter().zip(&bc).filter(|(x, y)| x != y).count();
    ac.sort_unstable();
    bc.sort_unstable();
    diff <= 2 && ac == bc
}

fn norm_key(s: &str) -> String {
    let s = s.to_lowercase().replace('\u{2019}', "'");
    let s = s.strip_prefix("the ").unwrap_or(&s).to_string();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_det(s: &str) -> String {
    for d in ["the ", "The ", "a ", "A ", "an ", "An "] {
        if let Some(r) = s.strip_prefix(d) {
            return r.to_string();
        }
    }
    s.to_string()
}

/// Strip title and role words at the start of a name run, keeping at least one word.
fn strip_titles(toks: &[Tok], a: usize, z: usize) -> (usize, usize) {
    let words: Vec<&str> = toks[a..z].iter().map(|t| t.lower.as_str()).collect();
    let org = words
        .iter()
        .any(|w| in_list(ORG_WORDS, w) || in_list(MEDIA_WORDS, w));
    if org
        && !words.iter().any(|w| {
            in_list(
                &[
                    "president",
                    "director",
                    "minister",
                    "secretary",
                    "ambassador",
                    "spokesperson",
                    "chief",
                    "leader",
                    "head",
                ],
                w,
            )
        })
    {
        return (a, z);
    }
    let mut s = a;
    let mut last_title = None;
    for (k, t) in toks.iter().enumerate().take(z).skip(a) {
        if in_list(np::TITLE_WORDS, &t.lower)
            || t.lower == "'s"
            || (t.lower == "." && k > a && in_list(np::TITLE_WORDS, &toks[k - 1].lower))
        {
            last_title = Some(k);
        }
    }
    if let Some(k) = last_title
        && k + 1 < z
    {
        s = k + 1;
    }
    (s, z)
}

fn kind_of_name(name: &str, phrase: &str) -> SourceKind {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let ph: Vec<&str> = phrase
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words
        .iter()
        .chain(ph.iter())
        .any(|w| in_list(MEDIA_WORDS, w))
    {
        SourceKind::Media
    } else if words.iter().chain(ph.iter()).any(|w| in_list(ORG_WORDS, w)) {
        SourceKind::Organisation
    } else {
        SourceKind::Named
    }
}

/// Affiliation ("Kremlin" in "sources close to the Kremlin") and conveyor ("Meduza" in
/// "Meduza's Kremlin sources") of an anonymous group.
fn affiliation_of(
    toks: &[Tok],
    np: &Np,
    text: &str,
    keys: &HashMap<String, usize>,
) -> (Option<String>, Option<String>) {
    let t = &toks[np.first..np.last];
    let mut conveyor = None;
    let mut affiliation = None;
    // After a post-modifier connector.
    let conn = t.iter().position(|x| {
        matches!(
            x.lower.as_str(),
            "to" | "inside" | "within" | "in" | "at" | "from" | "of" | "with" | "for"
        )
    });
    if let Some(c) = conn {
        let rest: Vec<&Tok> = t[c + 1..]
            .iter()
            .filter(|x| !matches!(x.lower.as_str(), "the" | "a" | "an"))
            .collect();
        if let (Some(f), Some(l)) = (rest.first(), rest.last())
            && (!matches!(t[c].lower.as_str(), "with") || rest.iter().any(|x| x.cap))
        {
            affiliation = text.get(f.start..l.end).map(str::to_string);
        }
    }
    // Capitalised pre-modifiers: conveyor if possessive or a known source, else affiliation.
    let mut head_pos = conn.unwrap_or(t.len());
    // The head itself is no affiliation, even capitalised at a sentence start ("Analysts").
    if head_pos > 0 && in_list(np::ANON_HEADS, &t[head_pos - 1].lower) {
        head_pos -= 1;
    }
    let mut k = 0;
    while k < head_pos {
        if np::name_word(&t[k]) {
            let mut e = k;
            while e < head_pos && (np::name_word(&t[e]) || t[e].lower == "u.s.") {
                e += 1;
            }
            let name = text
                .get(t[k].start..t[e.max(k + 1) - 1].end)
                .unwrap_or("")
                .to_string();
            let possessive = e < head_pos && t[e].lower == "'s";
            let known =
                keys.contains_key(&norm_key(&name)) || in_list(MEDIA_WORDS, &name.to_lowercase());
            if (possessive || known) && conveyor.is_none() {
                conveyor = Some(name);
            } else if affiliation.is_none() {
                affiliation = Some(name);
            }
            k = e.max(k + 1);
        } else {
            if t[k].lower == "u.s." && affiliation.is_none() {
                affiliation = Some("U.S.".to_string());
            }
            k += 1;
        }
    }
    (affiliation, conveyor)
}

/// Hedges, commitment and the cue that set it, for content ranges in a block.
fn modality(
    b: &BlockInfo,
    content: &[(usize, usize)],
    text: &str,
    class: Option<CueClass>,
    cue: Option<&TextSpan>,
) -> (Vec<Hedge>, Commitment, Option<TextSpan>) {
    let mut hedges = Vec::new();
    for &(a, z) in content {
        hedges.extend(hedges_in(&b.toks, a, z, text));
    }
    let (mut commitment, mut ccue) = (Commitment::Reported, cue.cloned());
    if class == Some(CueClass::Denial) {
        return (hedges, Commitment::Denied, ccue);
    }
    if class == Some(CueClass::Intent) {
        commitment = Commitment::Future;
    }
    if let Some(h) = strongest(&hedges)
        && h.0 > commitment
    {
        commitment = h.0;
        ccue = Some(h.1.clone());
    }
    (hedges, commitment, ccue)
}

fn strongest(hedges: &[Hedge]) -> Option<(Commitment, &TextSpan)> {
    hedges
        .iter()
        .map(|h| {
            let c = match h.kind.as_str() {
                "hypothetical" => Commitment::Hypothetical,
                "future" => Commitment::Future,
                _ => Commitment::Hedged,
            };
            (c, &h.cue)
        })
        .max_by_key(|(c, _)| *c)
}

fn hedges_in(toks: &[Tok], a: usize, z: usize, text: &str) -> Vec<Hedge> {
    let mut out = Vec::new();
    let mut i = a;
    while i < z {
        let w = toks[i].lower.as_str();
        let mut kind = None;
        let mut end = i + 1;
        if in_list(HEDGE_EVIDENTIAL, w) {
            kind = Some("evidential");
        } else if in_list(HEDGE_EPISTEMIC, w) {
            kind = Some("epistemic");
        } else if matches!(w, "is" | "are" | "was" | "were")
            && i + 2 < z
            && matches!(
                toks[i + 1].lower.as_str(),
                "said"
                    | "believed"
                    | "thought"
                    | "reported"
                    | "understood"
                    | "rumoured"
                    | "rumored"
                    | "alleged"
            )
            && toks[i + 2].lower == "to"
        {
            kind = Some("evidential");
            end = i + 3;
        } else if matches!(
            w,
            "appears" | "appeared" | "seems" | "seemed" | "appear" | "seem"
        ) && i + 1 < z
            && toks[i + 1].lower == "to"
        {
            kind = Some("epistemic");
            end = i + 2;
        } else if in_list(HYPOTHETICAL, w) {
            kind = Some("hypothetical");
        } else if in_list(FUTURE, w)
            || (w == "going"
                && i + 1 < z
                && toks[i + 1].lower == "to"
                && i > a
                && matches!(toks[i - 1].lower.as_str(), "is" | "are" | "am" | "'s"))
        {
            kind = Some("future");
        }
        if let Some(k) = kind {
            out.push(Hedge {
                cue: TextSpan::new(text, toks[i].start, toks[end - 1].end),
                kind: k.to_string(),
            });
        }
        i = end;
    }
    out
}

fn polarity(toks: &[Tok], a: usize, z: usize) -> Polarity {
    if toks[a..z]
        .iter()
        .any(|t| in_list(NEGATION, &t.lower) || t.lower.ends_with("n't"))
    {
        Polarity::Negative
    } else {
        Polarity::Positive
    }
}

fn make_claims(
    out: &Attributions,
    blocks: &[BlockInfo],
    text: &str,
    unspecified: usize,
) -> Vec<Claim> {
    let mut claims = Vec::new();
    let depth = |a: usize| {
        let mut d = 0;
        let mut p = out.attributions[a].parent;
        while let Some(q) = p {
            d += 1;
            if d > 64 {
                break;
            }
            p = out.attributions[q].parent;
        }
        d
    };
    let mut cue_positions: Vec<usize> = out
        .attributions
        .iter()
        .filter_map(|a| a.cue.as_ref().map(|c| c.start))
        .collect();
    cue_positions.sort_unstable();
    let contents = Intervals::new(
        out.attributions
            .iter()
            .enumerate()
            .flat_map(|(ai, at)| at.content.iter().map(move |c| (ai, c.start, c.end))),
    );
    for b in blocks {
        if !matches!(
            b.kind,
            BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem | BlockKind::Table
        ) || is_note_block(b)
        {
            continue;
        }
        // The attribution whose content runs to the end of the previous sentence of this
        // paragraph: its source still speaks for a hedged sentence that follows ("According to
        // X, ... . He reportedly ...").
        let mut carry: Option<usize> = None;
        for (k, &(lo, hi)) in b.sents.iter().enumerate() {
            let s = b.toks[lo].start;
            let e = b.toks[hi - 1].end;
            let sentence = b.sent_base + k;
            let inherited = carry.take();
            let last_word_end = trim(&b.toks, lo, hi).map(|(_, z)| b.toks[z - 1].end);
            // Attributed parts of the sentence, innermost attribution first.
            let mut parts: Vec<(usize, usize, usize)> = contents
                .overlapping(s, e)
                .map(|(ai, cs, ce)| (ai, cs.max(s), ce.min(e)))
                .filter(|&(_, cs, ce)| cs < ce)
                .collect();
            parts.sort_unstable();
            parts.sort_by_key(|&(ai, cs, ce)| (std::cmp::Reverse(depth(ai)), ce - cs));
            let mut taken: Vec<(usize, usize)> = Vec::new();
            for (ai, cs, ce) in parts {
                if taken.iter().any(|&(x, y)| x <= cs && ce <= y) {
                    continue;
                }
                taken.push((cs, ce));
                let a = &out.attributions[ai];
                if last_word_end.is_some_and(|le| ce >= le)
                    && carries_paragraph(a)
                    && carry.is_none_or(|c| depth(ai) < depth(c))
                {
                    carry = Some(ai);
                }
                let chain = out.chain_of(ai);
                let ta = b.toks.partition_point(|t| t.start < cs);
                let tz = b.toks.partition_point(|t| t.start < ce);
                let hedges = hedges_in(&b.toks, ta, tz, text);
                let (mut commitment, mut ccue) = (a.commitment, a.commitment_cue.clone());
                if commitment != Commitment::Denied
                    && let Some((c, cue)) = strongest(&hedges)
                    && c > commitment
                {
                    commitment = c;
                    ccue = Some(cue.clone());
                }
                claims.push(Claim {
                    span: TextSpan::new(text, cs, ce),
                    sentence,
                    attribution: Some(ai),
                    origin: *chain.last().unwrap_or(&out.root.source),
                    chain,
                    commitment,
                    commitment_cue: ccue,
                    polarity: if ta < tz {
                        polarity(&b.toks, ta, tz)
                    } else {
                        Polarity::Positive
                    },
                });
            }
            let k0 = cue_positions.partition_point(|&p| p < s);
            if !taken.is_empty() || cue_positions.get(k0).is_some_and(|&p| p < e) {
                continue;
            }
            // The report's own voice.
            let Some((ta, tz)) = trim(&b.toks, lo, hi) else {
                continue;
            };
            if word_count(&b.toks, ta, tz) < 3 {
                continue;
            }
            let hedges = hedges_in(&b.toks, ta, tz, text);
            let mut chain = vec![out.root.source];
            let (mut commitment, mut ccue) = (Commitment::Asserted, None);
            if let Some((c, cue)) = strongest(&hedges) {
                commitment = c;
                ccue = Some(cue.clone());
            }
            let mut attribution = None;
            if hedges.iter().any(|h| {
                h.kind == "evidential" && !h.cue.text.to_lowercase().starts_with("apparently")
            }) {
                // A hedge says someone reports it: the paragraph's source when its attribution
                // still holds, else unnamed reports.
                if let Some(ai) = inherited
                    && !about_source(out, ai, &b.toks[ta])
                {
                    chain = out.chain_of(ai);
                    attribution = Some(ai);
                    carry = Some(ai);
                } else {
                    chain.push(unspecified);
                }
            }
            claims.push(Claim {
                span: TextSpan::new(text, b.toks[ta].start, b.toks[tz - 1].end),
                sentence,
                attribution,
                origin: *chain.last().unwrap_or(&out.root.source),
                chain,
                commitment,
                commitment_cue: ccue,
                polarity: polarity(&b.toks, ta, tz),
            });
        }
    }
    claims
}

/// Does an attribution that runs to the end of a sentence keep speaking for the hedged
/// sentence after it? Reports do; denials, beliefs and intentions do not.
fn carries_paragraph(a: &Attribution) -> bool {
    a.commitment != Commitment::Denied
        && !matches!(
            a.cue_class,
            Some(CueClass::Denial | CueClass::Belief | CueClass::Intent)
        )
        && !matches!(a.form, Form::Headline)
}

/// Is a hedged sentence that opens with `first` about the source of attribution `ai` ("Silva
/// told ... . Silva reportedly wants ...")? Then someone else reports it, not that source.
fn about_source(out: &Attributions, ai: usize, first: &Tok) -> bool {
    let src = &out.sources[out.attributions[ai].source];
    match first.lower.as_str() {
        "he" | "she" => src.kind == SourceKind::Person,
        "they" | "it" => matches!(
            src.kind,
            SourceKind::Anonymous
                | SourceKind::Organisation
                | SourceKind::Media
                | SourceKind::Descriptor
                | SourceKind::Named
        ),
        w => {
            np::name_word(first)
                && src
                    .name
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|x| x.eq_ignore_ascii_case(w))
        }
    }
}

/// The credited name in a source line: "Source: BNR" → "BNR", "(Reuters)" → "Reuters".
fn credit_name(line: &str) -> String {
    let mut s = line.trim();
    if let Some((head, rest)) = s.split_once(':')
        && head.split_whitespace().count() <= 3
    {
        s = rest.trim();
    }
    let s = s.trim_matches(|c: char| {
        c == '(' || c == ')' || c == '—' || c == '–' || c == '-' || c.is_whitespace()
    });
    let lower = s.to_lowercase();
    for p in ["with ", "additional reporting by ", "reporting by "] {
        if lower.starts_with(p) {
            return s[p.len()..].trim().to_string();
        }
    }
    s.to_string()
}
