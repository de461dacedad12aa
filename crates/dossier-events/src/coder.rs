//! The coder: sparse, dictionary-and-pattern event coding in the TABARI tradition.
//!
//! Per sentence: tokens → actor/agent mentions (longest match) → noun-phrase actor groups
//! (country + agent roles, "X's government", "soldiers from X") → compound actors ("X, Y and
//! Z") → clauses (boundary words, `;`, attribution tails; comma-delimited appositives skipped)
//! → per clause the first verb or noun trigger with a code (patterns first, else the verb's
//! default) → source (first actor of the clause, or the `by` phrase of a passive), target
//! (first actor after the trigger, or where the pattern's `+` points) → auxiliary modes
//! (negated, future, hypothetical) → events.

#![allow(clippy::needless_range_loop, clippy::type_complexity)]

use std::collections::HashSet;

use crate::crosswalk::Crosswalk;
use crate::dict::{Dictionaries, PElem, Pattern, PloverInfo, Word};
use crate::token::{Token, tokenize};
use crate::{Actor, AuxMode, ClaimRef, Event, Place, Rejection, SentenceContext, Span};

/// Search windows (tokens) keep the coder linear on very long sentences.
const PATTERN_WINDOW: usize = 14;
const ROLE_WINDOW: usize = 40;
const APPOSITIVE_MAX: usize = 10;
/// Place names further than this from the trigger are rarely the event's location.
const LOC_WINDOW: usize = 40;
/// Modal auxiliaries that some verb dictionaries list as verbs.
const MODALS: &[&str] = &[
    "SHOULD", "WOULD", "COULD", "MAY", "MIGHT", "MUST", "CAN", "WILL", "SHALL",
];

/// Words that may stand between a modal and its verb ("should not have acted").
const MODAL_GAP: &[&str] = &["HAVE", "BE", "BEEN", "NOT", "N'T", "NEVER", "ALSO", "STILL"];

/// Words between a trigger and a place after it, past a comma, beyond which the place is not
/// taken as the event's.
const FAR_AFTER_WORDS: usize = 15;

const PREPS: &[&str] = &[
    "IN", "OF", "FROM", "BY", "WITH", "TO", "AT", "ON", "FOR", "AGAINST", "NEAR", "INTO", "ABOUT",
    "OVER", "TOWARD", "TOWARDS", "BETWEEN", "AMONG", "UNDER", "THROUGH", "AFTER", "BEFORE",
    "SINCE", "DURING", "WITHIN", "OUTSIDE", "INSIDE", "ACROSS", "AROUND", "BEHIND", "BEYOND",
    "UPON", "VIA", "PER",
];
const STOP: &[&str] = &[
    "THE",
    "A",
    "AN",
    "AND",
    "OR",
    "NOR",
    "BUT",
    "IS",
    "ARE",
    "WAS",
    "WERE",
    "BE",
    "BEEN",
    "BEING",
    "HAS",
    "HAVE",
    "HAD",
    "WILL",
    "WOULD",
    "SHALL",
    "SHOULD",
    "CAN",
    "COULD",
    "MAY",
    "MIGHT",
    "MUST",
    "DO",
    "DOES",
    "DID",
    "NOT",
    "N'T",
    "THAT",
    "WHICH",
    "WHO",
    "WHOM",
    "WHOSE",
    "WHERE",
    "WHEN",
    "WHILE",
    "IT",
    "ITS",
    "HE",
    "SHE",
    "THEY",
    "THEM",
    "THEIR",
    "HIS",
    "HER",
    "WE",
    "OUR",
    "YOU",
    "THIS",
    "THESE",
    "THOSE",
    "THERE",
    "AS",
    "IF",
    "THAN",
    "THEN",
    "ALSO",
    "SAID",
    "SAYS",
    "SAY",
    "TOLD",
    "ACCORDING",
    "WHETHER",
    "ALMOST",
    "YEARS",
    "YEAR",
    "TODAY",
    "YESTERDAY",
];
/// Words before a trigger form that make it a noun ("a strike", "the general strike").
const NOUN_CUES: &[&str] = &[
    "A",
    "AN",
    "THE",
    "ITS",
    "THEIR",
    "HIS",
    "HER",
    "OUR",
    "THIS",
    "GENERAL",
    "NATIONWIDE",
    "HUNGER",
    "'S",
    "NEW",
    "ANOTHER",
];
/// Nouns after an agent that make the phrase the agent's outlet or voice ("official news
/// agency", "police spokesman"), so the agent stays an actor.
const VOICE_NOUNS: &[&str] = &[
    "NEWS",
    "MEDIA",
    "PRESS",
    "NEWSPAPER",
    "NEWSPAPERS",
    "TELEVISION",
    "RADIO",
    "SPOKESMAN",
    "SPOKESWOMAN",
    "SPOKESPERSON",
    "SPOKESMEN",
];
const BOUNDARY_WORDS: &[&str] = &[
    "BUT", "WHILE", "WHEREAS", "ALTHOUGH", "THOUGH", "BECAUSE", "WHEN", "AFTER", "BEFORE", "UNTIL",
    "WHO", "WHICH", "WHERE", "IF", "UNLESS", "SINCE",
];
const SPEECH: &[&str] = &[
    "SAID",
    "SAYS",
    "SAY",
    "TOLD",
    "REPORTED",
    "ADDED",
    "ANNOUNCED",
    "STATED",
    "NOTED",
    "ACCORDING",
    "CLAIMED",
    "SAYING",
];
const COMPLEMENT: &[&str] = &[
    "THAT",
    "SAID",
    "SAYS",
    "CLAIMED",
    "CLAIMS",
    "ANNOUNCED",
    "REPORTED",
    "BELIEVES",
    "THINKS",
];
const BE: &[&str] = &[
    "IS", "ARE", "WAS", "WERE", "BE", "BEEN", "BEING", "'S", "GET", "GOT", "GETS",
];
const SECTORS: &[&str] = &[
    "GOV", "MIL", "REB", "SPY", "PRM", "COP", "JUD", "LEG", "PTY", "UAF", "UNK", "AGR", "BUS",
    "CVL", "CRM", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC", "HLH",
    "HRI", "MOD", "RAD", "INS", "SEP", "ENV", "DEV", "IGO", "NGO", "NGM", "MNC", "UNO", "IMG",
    "ISM", "SET", "FRM",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MKind {
    Actor(usize),
    Agent(usize),
}

#[derive(Debug, Clone)]
struct Mention {
    s: usize,
    e: usize,
    kind: MKind,
}

/// A noun-phrase actor: one or more codes (a dictionary compound like `FRO/BIL/SAM` gives
/// several), built from a country/named actor plus agent roles.
#[derive(Debug, Clone)]
struct Group {
    s: usize,
    e: usize,
    base: Vec<String>,
    has_actor: bool,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    /// Roles came from an agent before "of/in/from" ("ambassadors of X, Y and Z").
    attached: bool,
}

impl Group {
    fn codes(&self) -> Vec<String> {
        let pre: String = self.prefixes.concat();
        if self.base.is_empty() {
            let suf: String = self.suffixes.concat();
            return vec![format!("{pre}---{suf}")];
        }
        self.base
            .iter()
            .map(|b| {
                let blocks: Vec<String> = b
                    .chars()
                    .collect::<Vec<_>>()
                    .chunks(3)
                    .skip(1)
                    .map(|c| c.iter().collect())
                    .collect();
                let suf: String = self
                    .suffixes
                    .iter()
                    .filter(|x| {
                        !x.chars()
                            .collect::<Vec<_>>()
                            .chunks(3)
                            .all(|c| blocks.contains(&c.iter().collect::<String>()))
                    })
                    .cloned()
                    .collect();
                format!("{pre}{b}{suf}")
            })
            .collect()
    }
}

/// Compound actor: groups joined by "and", commas, "nor".
#[derive(Debug, Clone)]
struct Unit {
    s: usize,
    e: usize,
    groups: Vec<usize>,
}

/// What a trigger resolved to.
struct Coded {
    code: Option<String>,
    plover: Option<PloverInfo>,
    source_hint: Option<usize>,
    target_hint: Option<usize>,
    reciprocal: bool,
    end: usize,
}

/// The event coder. Build once (dictionaries compiled), then call [`Coder::code`] per sentence.
pub struct Coder {
    pub(crate) dicts: Dictionaries,
    pub(crate) crosswalk: Crosswalk,
    prep: HashSet<&'static str>,
    stop: HashSet<&'static str>,
    /// Agents without a country take one from the sentence ("police … in Moscow").
    context_country: bool,
    /// Noun triggers whose forms are also verb forms ("strike"), by name.
    noun_blocks: std::collections::HashMap<String, usize>,
    /// Drop events that have an actor but no recipient (TABARI/PETRARCH `require_dyad`);
    /// only for codes without a PLOVER coding of their own (our lexicons keep them anyway).
    require_dyad: bool,
}

/// The previous event of the sentence with both parties: a later refusal with an implicit
/// object ("…, but he refused") answers it.
#[derive(Clone, Copy)]
struct Approach {
    source: usize,
    target: usize,
    /// The approach was a contact or a request to meet ("tried to talk to", "invited").
    meet: bool,
}

impl Coder {
    /// A coder with our own lexicons (`dicts = None`), or with the user's dictionaries only.
    pub fn new(dicts: Option<Dictionaries>) -> Coder {
        match dicts {
            Some(d) => Coder::from_parts(d, Crosswalk::default()),
            None => Coder::from_parts(crate::lexicon::builtin().clone(), Crosswalk::default())
                .with_context_country(true),
        }
    }

    /// The user's dictionaries first, then our lexicons for what they do not cover.
    pub fn layered(user: Dictionaries) -> Coder {
        let mut d = user;
        d.merge(crate::lexicon::builtin());
        Coder::from_parts(d, Crosswalk::default())
    }

    pub fn from_parts(dicts: Dictionaries, crosswalk: Crosswalk) -> Coder {
        let noun_blocks = dicts
            .verb_blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                b.plover.as_ref().is_some_and(|p| p.noun)
                    || b.patterns
                        .iter()
                        .any(|p| p.plover.as_ref().is_some_and(|p| p.noun))
            })
            .map(|(k, b)| (b.name.clone(), k))
            .collect();
        Coder {
            noun_blocks,
            dicts,
            crosswalk,
            prep: PREPS.iter().copied().collect(),
            stop: STOP.iter().copied().collect(),
            context_country: false,
            require_dyad: true,
        }
    }

    /// TABARI/PETRARCH `require_dyad`: with `false`, an event whose recipient is not found is
    /// still coded (actor only, no recipients) for every code, as PETRARCH does when the option
    /// is off (its target is written `---`). Default `true`.
    pub fn with_require_dyad(mut self, on: bool) -> Coder {
        self.require_dyad = on;
        self
    }

    /// Let agents without a country ("police", "officials") take the country of the sentence:
    /// the country of the place where things happen ("in Moscow"), else the only country named.
    /// TABARI/PETRARCH leave them as `---` (off by default for user dictionaries).
    pub fn with_context_country(mut self, on: bool) -> Coder {
        self.context_country = on;
        self
    }

    /// Use the official CAMEO→PLOVER crosswalk for codes that carry no PLOVER coding.
    pub fn with_crosswalk(mut self, cw: Crosswalk) -> Coder {
        self.crosswalk = cw;
        self
    }

    pub fn dictionaries(&self) -> &Dictionaries {
        &self.dicts
    }

    /// Code one sentence. Rejected sentences (discards, datelines) give no events.
    pub fn code(&self, sentence: &str, ctx: &SentenceContext) -> Vec<Event> {
        self.code_checked(sentence, ctx).unwrap_or_default()
    }

    /// Code one sentence, saying why a sentence is rejected.
    pub fn code_checked(
        &self,
        sentence: &str,
        ctx: &SentenceContext,
    ) -> Result<Vec<Event>, Rejection> {
        let toks = tokenize(sentence);
        let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
        let n = toks.len();
        if n == 0 {
            return Ok(Vec::new());
        }
        // discards
        for i in 0..n {
            if let Some((id, _)) = self.dicts.discards.longest_at(&norms, i) {
                let story = self.dicts.discards.entries[id].1;
                return Err(if story {
                    Rejection::StoryDiscard
                } else {
                    Rejection::SentenceDiscard
                });
            }
        }
        if is_dateline(&toks, sentence) {
            return Err(Rejection::Dateline);
        }
        let date = ctx.date_num();
        // mentions
        let mut mentions: Vec<Mention> = Vec::new();
        let mut i = 0;
        while i < n {
            if !toks[i].is_word() {
                i += 1;
                continue;
            }
            let a = self.dicts.actors.longest_at(&norms, i);
            let g = self.dicts.agents.longest_at(&norms, i);
            let pick = match (a, g) {
                (Some((ai, al)), Some((gi, gl))) => {
                    if gl > al {
                        Some((MKind::Agent(gi), gl))
                    } else {
                        Some((MKind::Actor(ai), al))
                    }
                }
                (Some((ai, al)), None) => Some((MKind::Actor(ai), al)),
                (None, Some((gi, gl))) => Some((MKind::Agent(gi), gl)),
                _ => None,
            };
            if let Some((kind, len)) = pick {
                // an agent noun directly followed by a content word is a modifier
                // ("military facilities", "police station"), not an actor
                if let MKind::Agent(_) = kind
                    && let Some(next) = toks.get(i + len)
                    && next.is_word()
                    && !next.cap
                    && !self.stop.contains(next.norm.as_str())
                    && !self.prep.contains(next.norm.as_str())
                    && self
                        .dicts
                        .verbs
                        .longest_at(&norms, i + len)
                        .is_none_or(|(id, _)| {
                            // "military aid", "police patrol": a noun trigger after the agent
                            self.context_country
                                && self.dicts.verb_blocks[self.dicts.verbs.entries[id].1]
                                    .plover
                                    .as_ref()
                                    .is_some_and(|p| p.noun)
                        })
                    && self.dicts.agents.longest_at(&norms, i + len).is_none()
                    && !next.norm.ends_with("LY")
                    // "the official news agency", "a police spokesman": the agent's own
                    // outlet or voice speaks for it
                    && !VOICE_NOUNS.contains(&next.norm.as_str())
                {
                    i += len;
                    continue;
                }
                // a lower-case actor stem inside a word is too weak (e.g. "ent" in "entire")
                let ok = match kind {
                    MKind::Actor(_) => toks[i].cap || len > 1,
                    MKind::Agent(_) => true,
                };
                if ok {
                    mentions.push(Mention {
                        s: i,
                        e: i + len,
                        kind,
                    });
                    i += len;
                    continue;
                }
            }
            i += 1;
        }
        // verbs
        let mut verbs: Vec<(usize, usize, usize)> = Vec::new(); // start, len, block
        let mut covered = vec![false; n];
        for m in &mentions {
            for c in covered.iter_mut().take(m.e).skip(m.s) {
                *c = true;
            }
        }
        let mut i = 0;
        while i < n {
            if let Some((id, len)) = self.dicts.verbs.longest_at(&norms, i) {
                let block = self.dicts.verbs.entries[id].1;
                // inside a capitalised name ("the Asia-Pacific Economic Cooperation forum",
                // "the Ceasefire Violations Committee"): not a noun trigger
                let in_name = i > 0
                    && toks[i].cap
                    && self.context_country
                    && self.dicts.verb_blocks[block]
                        .plover
                        .as_ref()
                        .is_some_and(|p| p.noun)
                    && (toks[i - 1].cap && toks[i - 1].is_word()
                        || toks.get(i + len).is_some_and(|t| t.cap && t.is_word()));
                // inside an actor name: not a verb
                if !covered[i] && !in_name {
                    // "a general strike", "the strike": the noun trigger of the same word
                    let block = if len == 1
                        && i > 0
                        && (NOUN_CUES.contains(&norms[i - 1]) || norms[i - 1].contains('-'))
                        && !self.dicts.verb_blocks[block]
                            .plover
                            .as_ref()
                            .is_some_and(|p| p.noun)
                    {
                        let w = norms[i];
                        let sing = w.strip_suffix('S').unwrap_or(w);
                        self.noun_blocks
                            .get(w)
                            .or_else(|| self.noun_blocks.get(sing))
                            .copied()
                            .unwrap_or(block)
                    } else {
                        block
                    };
                    verbs.push((i, len, block));
                    i += len;
                    continue;
                }
            }
            i += 1;
        }
        // a modal is not the verb when a verb follows it ("it should have acted against"):
        // dictionaries list some modals as verbs ("SHOULD"), which a parser reads as auxiliaries
        let modal_aux = |k: usize| -> bool {
            let (s, len, _) = verbs[k];
            len == 1
                && MODALS.contains(&norms[s])
                && verbs.get(k + 1).is_some_and(|&(t, _, _)| {
                    t > s && t <= s + 3 && (s + 1..t).all(|j| MODAL_GAP.contains(&norms[j]))
                })
        };
        let keep: Vec<bool> = (0..verbs.len()).map(|k| !modal_aux(k)).collect();
        let mut keep_it = keep.into_iter();
        verbs.retain(|_| keep_it.next().unwrap_or(true));
        let is_verb_at: Vec<bool> = {
            let mut v = vec![false; n];
            for &(s, _, _) in &verbs {
                v[s] = true;
            }
            v
        };
        // groups
        let mut groups = self.groups(&mentions, &toks, &norms, &is_verb_at, date);
        let units = self.units(&groups, &norms, &is_verb_at);
        if self.context_country {
            let country_of = |g: &Group| {
                g.base
                    .first()
                    .map(|b| b.chars().take(3).collect::<String>())
            };
            let located = groups
                .iter()
                .find(|g| {
                    // "in Moscow", "in southern Serbia", "in the south of Serbia"
                    let mut k = g.s;
                    while k > 0
                        && g.s - k < 2
                        && (DIRECTIONS.contains(&norms[k - 1]) || norms[k - 1] == "THE")
                    {
                        k -= 1;
                    }
                    k > 0 && LOC_PREPS.contains(&norms[k - 1]) && g.has_actor
                })
                .and_then(country_of);
            let distinct: HashSet<String> = groups
                .iter()
                .filter(|g| g.has_actor)
                .filter_map(country_of)
                .filter(|c| !matches!(c.as_str(), "IGO" | "NGO" | "IMG" | "---"))
                .collect();
            // "ethnic Albanians in southern Serbia": an ethnic group is coded with the country
            // where it lives (CAMEO/PLOVER convention), not with its kin state
            if let Some(c) = &located {
                for g in groups.iter_mut() {
                    if g.has_actor
                        && g.s > 0
                        && norms[g.s - 1] == "ETHNIC"
                        && g.base.len() == 1
                        && g.base[0].len() == 3
                        && g.base[0] != *c
                    {
                        g.base = vec![c.clone()];
                    }
                }
            }
            let ctx_country = located.or_else(|| {
                if distinct.len() == 1 {
                    distinct.into_iter().next()
                } else {
                    None
                }
            });
            if let Some(c) = ctx_country {
                for g in groups.iter_mut() {
                    if !g.has_actor && g.base.is_empty() {
                        g.base = vec![c.clone()];
                    }
                }
            }
        }
        // "ambassadors of X, Y and Z": the roles distribute over the list
        for u in &units {
            let Some(ai) = u.groups.iter().position(|&g| groups[g].attached) else {
                continue;
            };
            let first = u.groups[ai];
            if u.groups.len() > ai + 1 {
                let (pre, suf) = (
                    groups[first].prefixes.clone(),
                    groups[first].suffixes.clone(),
                );
                for &g in &u.groups[ai + 1..] {
                    if groups[g].has_actor
                        && groups[g].suffixes.is_empty()
                        && groups[g].prefixes.is_empty()
                    {
                        groups[g].prefixes = pre.clone();
                        groups[g].suffixes = suf.clone();
                    }
                }
            }
        }
        // agent-only groups in a compound take the first actor's country ("Danish media and
        // government")
        // ("Lawmakers and officials in Fornost and Gondor": every country of an attached list)
        for u in &units {
            if let Some(&first) = u.groups.iter().find(|&&g| groups[g].has_actor) {
                let mut base = groups[first].base.clone();
                if u.groups.iter().any(|&g| groups[g].attached) {
                    for &g in &u.groups {
                        if groups[g].has_actor {
                            for b in &groups[g].base {
                                if !base.contains(b) {
                                    base.push(b.clone());
                                }
                            }
                        }
                    }
                }
                for &g in &u.groups {
                    if !groups[g].has_actor {
                        groups[g].base = base.clone();
                    }
                }
            }
        }
        // unit lookup by start token
        let mut unit_at: Vec<Option<usize>> = vec![None; n];
        for (k, u) in units.iter().enumerate() {
            unit_at[u.s] = Some(k);
        }
        // skipped (appositive) tokens and clause ids
        let skipped = self.appositives(&norms, &units, &is_verb_at);
        let clause = self.clauses(&norms, &is_verb_at, &units, &skipped);

        let mut events = Vec::new();
        let mut last_source: Option<usize> = None;
        let mut last_approach: Option<Approach> = None;
        let loc_toks = with_particle_caps(sentence, &toks);
        let mut done_clause: HashSet<usize> = HashSet::new();
        for &(v, vl, block) in &verbs {
            let cl = clause[v];
            if done_clause.contains(&cl) || skipped[v] {
                continue;
            }
            let (cs, ce) = clause_bounds(&clause, v);
            let Some(coded) = self.code_verb(&norms, v, vl, block, cs, ce) else {
                continue;
            };
            let Some(code) = coded.code.clone() else {
                continue;
            };
            done_clause.insert(cl);
            let noun = coded.plover.as_ref().is_some_and(|p| p.noun);
            // roles
            let passive = !noun && is_passive(&norms, v, cs);
            let after_by = find_by_unit(&norms, &unit_at, &units, v + vl, ce);
            let subj = self.source_unit(&norms, &units, &skipped, cs, v, coded.source_hint);
            let own = coded.plover.is_some();
            let (mut source, mut target) = if passive && after_by.is_some() {
                (after_by, subj)
            } else if passive && own {
                // "Kyiv was attacked overnight": the subject is the recipient, actor unknown
                (None, subj)
            } else {
                let tgt = match coded.target_hint {
                    Some(h) if h < v => units
                        .iter()
                        .rposition(|u| u.e <= v && u.s >= cs && u.s >= h.min(v)),
                    Some(h) => first_unit_from(&units, &skipped, h, ce),
                    // after the pattern's words, else an actor the pattern's words passed
                    // over ("allowed that Mordor isn't a really pleasant place")
                    None => first_unit_from(&units, &skipped, coded.end, ce).or_else(|| {
                        first_unit_from(&units, &skipped, v + vl, coded.end)
                            .filter(|&t| units[t].e <= coded.end)
                    }),
                };
                (subj, tgt)
            };
            if noun && source.is_none() {
                source = after_by.or_else(|| possessive_before(&units, &norms, v));
                if source == target {
                    target = first_unit_from(&units, &skipped, coded.end, ce)
                        .filter(|t| Some(*t) != source);
                }
            }
            // "talks between A and B", "a meeting between A and B": the parties of a noun
            // event are the between phrase (A the actor, B the recipient), whoever else the
            // clause names before the noun ("officials said talks between A and B …")
            let mut split: Option<(Vec<usize>, Vec<usize>)> = None;
            if noun && let Some(parties) = between_parties(&norms, &units, coded.end, ce) {
                match parties {
                    Parties::Units(a, b) => {
                        source = Some(a);
                        target = Some(b);
                    }
                    Parties::Groups(a) => {
                        source = Some(a);
                        target = None;
                        split = Some((vec![units[a].groups[0]], units[a].groups[1..].to_vec()));
                    }
                }
            }
            // "X tried to talk to Y, but he refused": a refusal with an implicit object in a
            // clause that continues the sentence answers the previous approach; a pronoun
            // subject is the one approached, and the recipient is the one who approached
            let fwd_code = code.split_once(':').map_or(code.as_str(), |(a, _)| a);
            let refusal = match &coded.plover {
                Some(p) => p.event == "REJECT",
                None => self
                    .crosswalk
                    .plover(fwd_code)
                    .is_some_and(|p| p.event == "REJECT"),
            };
            let mut answers_meeting = false;
            if refusal
                && target.is_none()
                && clause_starts_with_and(&norms, cs)
                && let Some(prev) = last_approach
                && self.implicit_object(&norms, coded.end, ce)
            {
                let same = |a: usize, b: usize| {
                    let codes = |u: usize| -> Vec<String> {
                        units[u]
                            .groups
                            .iter()
                            .flat_map(|&g| groups[g].codes())
                            .collect()
                    };
                    codes(a) == codes(b)
                };
                if source.is_none() && pronoun_subject(&norms, cs, v) {
                    source = Some(prev.target);
                    target = Some(prev.source);
                    answers_meeting = prev.meet;
                } else if source.is_some_and(|s| s == prev.target || same(s, prev.target)) {
                    target = Some(prev.source);
                    answers_meeting = prev.meet;
                }
            }
            if source.is_none() && clause_starts_with_and(&norms, cs) {
                source = last_source;
            }
            // "Germany said Russia must release them": Germany asks Russia
            let demand = obligation(&norms, cs, v);
            if let Some(sp) = demand
                && let Some(speaker) = units.iter().rposition(|u| u.e <= sp && !skipped[u.s])
                && Some(speaker) != source
            {
                target = source.or(target);
                source = Some(speaker);
            }
            let src_groups: Vec<usize> = match source {
                Some(src) => {
                    last_source = Some(src);
                    match &split {
                        Some((a, _)) => a.clone(),
                        None => units[src].groups.clone(),
                    }
                }
                // our lexicons: an event with a known recipient and an unknown actor
                None if own && target.is_some() => Vec::new(),
                None => continue,
            };
            let aux = aux_mode(
                &norms,
                cs,
                v,
                coded.plover.as_ref().map(|p| p.event.as_str()),
            );
            let (fwd, back) = match code.split_once(':') {
                Some((a, b)) => (a.to_string(), Some(b.to_string())),
                None => (code.clone(), None),
            };
            let reciprocal =
                split.is_none() && (coded.reciprocal || (target.is_none() && src_groups.len() > 1));
            let src_groups = &src_groups;
            let (actors, recipients): (Vec<usize>, Vec<usize>) = if let Some((a, b)) = &split {
                (a.clone(), b.clone())
            } else if reciprocal && target.is_none() {
                (src_groups.clone(), Vec::new())
            } else {
                (
                    src_groups.clone(),
                    target.map(|t| units[t].groups.clone()).unwrap_or_default(),
                )
            };
            if recipients.is_empty() && !reciprocal {
                // TABARI needs a target; PLOVER allows none for some types
                let allow = coded.plover.is_some() || !self.require_dyad;
                if !allow {
                    continue;
                }
            }
            let plover = coded
                .plover
                .clone()
                .map(|mut p| {
                    // PLOVER: promised cooperation is AGREE, announced conflict acts are THREATEN
                    let coop_type = matches!(
                        p.event.as_str(),
                        "AGREE"
                            | "CONSULT"
                            | "SUPPORT"
                            | "COOPERATE"
                            | "AID"
                            | "RETREAT"
                            | "CONCEDE"
                    );
                    // "X said Y must return the helicopter": a demand
                    if demand.is_some() {
                        p.event = "REQUEST".into();
                        p.mode = None;
                        return p;
                    }
                    // "failed to reach agreement", "will not accept refugees": a refusal
                    if aux == Some(AuxMode::Negated) && coop_type {
                        p.event = "REJECT".into();
                        p.mode = None;
                        return p;
                    }
                    // "tried to talk to", "sought to meet": asking for a meeting
                    if p.event == "CONSULT" && attempted(&norms, cs, v) {
                        p.event = "REQUEST".into();
                        p.mode = Some("meet".into());
                        return p;
                    }
                    // "…, but he refused" after an approach to talk: refusing to meet
                    if answers_meeting && p.event == "REJECT" && p.mode.is_none() {
                        p.mode = Some("meet".into());
                    }
                    if aux == Some(AuxMode::Future)
                        || aux == Some(AuxMode::Hypothetical) && p.event != "AGREE"
                    {
                        let coop = matches!(
                            p.event.as_str(),
                            "CONSULT" | "SUPPORT" | "COOPERATE" | "AID" | "RETREAT" | "CONCEDE"
                        );
                        let conflict = matches!(
                            p.event.as_str(),
                            "ASSAULT" | "COERCE" | "SANCTION" | "MOBILIZE" | "PROTEST"
                        );
                        if coop && aux == Some(AuxMode::Future) {
                            p.event = "AGREE".into();
                        } else if conflict && aux == Some(AuxMode::Future) {
                            p.mode = Some(threat_mode(&p.event, p.mode.as_deref()).into());
                            p.event = "THREATEN".into();
                        }
                    }
                    p
                })
                .or_else(|| {
                    self.crosswalk.plover(&fwd).map(|p| PloverInfo {
                        event: p.event,
                        mode: p.mode,
                        context: p.context,
                        noun: false,
                    })
                });
            let trig = Span {
                start: toks[v].start,
                end: toks[v + vl - 1].end,
            };
            let mk_actor = |g: usize, code: String| {
                let gr = &groups[g];
                let (country, sectors) = split_code(&code);
                Actor {
                    span: Span {
                        start: toks[gr.s].start + ctx.offset,
                        end: toks[gr.e - 1].end + ctx.offset,
                    },
                    text: sentence[toks[gr.s].start..toks[gr.e - 1].end].to_string(),
                    code,
                    country,
                    sectors,
                }
            };
            let expand = |gs: &[usize]| -> Vec<Actor> {
                let mut out = Vec::new();
                for &g in gs {
                    for c in groups[g].codes() {
                        out.push(mk_actor(g, c));
                    }
                }
                out
            };
            let claim = ctx
                .attributions
                .iter()
                .find(|a| a.start <= trig.start && trig.end <= a.end)
                .map(|a| ClaimRef {
                    source: a.source.clone(),
                    chain: a.chain.clone(),
                });
            let group = locate_tokens(&loc_toks, &norms, v, vl, cs, ce);
            let location = group
                .first()
                .zip(group.last())
                .map(|(&(s, _), &(_, e))| Place {
                    span: Span {
                        start: toks[s].start + ctx.offset,
                        end: toks[e - 1].end + ctx.offset,
                    },
                    text: sentence[toks[s].start..toks[e - 1].end].to_string(),
                });
            // "failed to reach an agreement" became a REJECT: the negation is spent on the type,
            // so the event itself is asserted, not negated.
            let negation_absorbed = aux == Some(AuxMode::Negated)
                && coded.plover.as_ref().is_some_and(|p| p.event != "REJECT")
                && plover.as_ref().is_some_and(|p| p.event == "REJECT");
            let base_event =
                |actors: Vec<Actor>, recipients: Vec<Actor>, code: &str, reciprocal: bool| {
                    let pl = if code == fwd {
                        plover.clone()
                    } else {
                        self.plover_for(code)
                    };
                    let cameo = if code.chars().all(|c| c.is_ascii_digit()) && code.len() >= 2 {
                        let ev = pl.as_ref().map(|p| p.event.as_str());
                        Some(
                            if ev == Some("REJECT")
                                && pl.as_ref().and_then(|p| p.mode.as_deref()) == Some("meet")
                                && code == "120"
                            {
                                // reject proposal to meet, discuss, negotiate
                                "125".to_string()
                            } else {
                                intent_cameo(code, ev)
                            },
                        )
                    } else {
                        None
                    };
                    Event {
                        trigger: Span {
                            start: trig.start + ctx.offset,
                            end: trig.end + ctx.offset,
                        },
                        trigger_text: sentence[trig.start..trig.end].to_string(),
                        plover_type: pl.as_ref().map(|p| p.event.clone()),
                        mode: pl.as_ref().and_then(|p| p.mode.clone()),
                        aux_mode: aux,
                        negated: aux == Some(AuxMode::Negated)
                            && !(negation_absorbed && code == fwd),
                        contexts: pl
                            .as_ref()
                            .and_then(|p| p.context.clone())
                            .map(|c| {
                                c.split(',')
                                    .map(|x| x.trim().to_string())
                                    .filter(|x| !x.is_empty())
                                    .collect()
                            })
                            .unwrap_or_default(),
                        actors,
                        recipients,
                        reciprocal,
                        code: code.to_string(),
                        cameo,
                        location: location.clone(),
                        claim: claim.clone(),
                    }
                };
            if reciprocal && recipients.is_empty() {
                events.push(base_event(expand(&actors), Vec::new(), &fwd, true));
            } else {
                events.push(base_event(
                    expand(&actors),
                    expand(&recipients),
                    &fwd,
                    false,
                ));
                if let Some(b) = back {
                    events.push(base_event(expand(&recipients), expand(&actors), &b, false));
                }
            }
            if let (Some(s), Some(t)) = (source, target)
                && s != t
            {
                let meet = plover.as_ref().is_some_and(|p| {
                    p.event == "CONSULT"
                        || p.event == "REQUEST" && p.mode.as_deref() == Some("meet")
                });
                last_approach = Some(Approach {
                    source: s,
                    target: t,
                    meet,
                });
            }
        }
        // background events ("… where 28 people have been killed") have no actor of their
        // own: with our lexicons, keep them only when no event of the sentence has one
        if self.context_country && events.iter().any(|e| !e.actors.is_empty()) {
            events.retain(|e| !e.actors.is_empty());
        }
        // one mention as both actor and recipient ("A Pakistani woman ... in Afghanistan was
        // extradited" coded AFG -> AFG from "Afghanistan") is not an event
        events.retain(|e| {
            !(e.actors.len() == 1
                && e.recipients.len() == 1
                && e.actors[0].code == e.recipients[0].code
                && e.actors[0].span == e.recipients[0].span)
        });
        Ok(events)
    }

    /// Nothing after a refusal names what is refused, or only the request itself ("he
    /// refused", "declined the invitation", "refused to meet"): its object is the approach
    /// before it. "refused to comment" names something else.
    fn implicit_object(&self, norms: &[&str], from: usize, ce: usize) -> bool {
        let mut k = from;
        while k < ce && (norms[k].ends_with("LY") || matches!(norms[k], "OUTRIGHT" | "ONCE")) {
            k += 1;
        }
        if k >= ce || matches!(norms[k], "." | "," | ";" | "!" | "\"" | "'") {
            return true;
        }
        if matches!(
            norms[k],
            "THE" | "HIS" | "HER" | "THEIR" | "ITS" | "AN" | "A"
        ) && norms.get(k + 1).is_some_and(|w| {
            matches!(
                *w,
                "REQUEST"
                    | "OFFER"
                    | "INVITATION"
                    | "CALL"
                    | "PROPOSAL"
                    | "DEMAND"
                    | "APPEAL"
                    | "OVERTURE"
                    | "OVERTURES"
                    | "PLEA"
                    | "DEMANDS"
                    | "REQUESTS"
            )
        }) {
            return true;
        }
        // "refused to meet / talk / negotiate": the complement is itself a trigger
        norms[k] == "TO"
            && k + 1 < ce
            && self
                .dicts
                .verbs
                .longest_at(norms, k + 1)
                .is_some_and(|(id, _)| {
                    let b = &self.dicts.verb_blocks[self.dicts.verbs.entries[id].1];
                    b.plover.as_ref().is_some_and(|p| {
                        matches!(p.event.as_str(), "CONSULT" | "AGREE" | "CONCEDE")
                    })
                })
    }

    fn plover_for(&self, code: &str) -> Option<PloverInfo> {
        self.crosswalk.plover(code).map(|p| PloverInfo {
            event: p.event,
            mode: p.mode,
            context: p.context,
            noun: false,
        })
    }

    fn groups(
        &self,
        mentions: &[Mention],
        toks: &[Token],
        norms: &[&str],
        is_verb: &[bool],
        date: Option<u32>,
    ) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        let mut last_via_prep = false;
        for m in mentions {
            let former =
                m.s > 0 && norms[m.s - 1] == "FORMER" || m.s > 1 && norms[m.s - 2] == "FORMER";
            let (actor_codes, agent) = match m.kind {
                MKind::Actor(id) => {
                    let e = &self.dicts.actor_entries[self.dicts.actors.entries[id].1];
                    let code = e.code_on(date).unwrap_or("---");
                    (
                        Some(
                            code.split('/')
                                .map(|s| s.trim().to_uppercase())
                                .collect::<Vec<_>>(),
                        ),
                        None,
                    )
                }
                MKind::Agent(id) => (None, Some(self.dicts.agents.entries[id].1.clone())),
            };
            let joinable = groups
                .last()
                .is_some_and(|g| self.can_join(g.e, m.s, toks, norms, is_verb));
            let prep_attach = groups.last().is_some_and(|g| {
                !g.has_actor && actor_codes.is_some() && m.s > g.e && m.s <= g.e + 2 && {
                    let p = norms[g.e];
                    (p == "OF" || p == "IN" || p == "FROM")
                        && (m.s == g.e + 1 || norms[g.e + 1] == "THE")
                }
            });
            if joinable || prep_attach {
                let g = groups.last_mut().expect("checked");
                g.e = m.e;
                if let Some(codes) = actor_codes {
                    if !g.has_actor {
                        // agents before the actor keep their roles: "human rights activists of Amnesty"
                        g.base = codes.into_iter().filter(|c| c != "---").collect();
                        g.has_actor = true;
                    }
                } else if let Some(a) = agent {
                    add_role(g, &a.code, a.prefix, former);
                }
                last_via_prep = prep_attach;
                if prep_attach {
                    g.attached = true;
                }
                continue;
            }
            let _ = last_via_prep;
            let mut g = Group {
                s: m.s,
                e: m.e,
                base: Vec::new(),
                has_actor: false,
                prefixes: Vec::new(),
                suffixes: Vec::new(),
                attached: false,
            };
            if let Some(codes) = actor_codes {
                if codes.iter().all(|c| c == "---" || c == "+++") {
                    continue;
                }
                g.base = codes;
                g.has_actor = true;
                if former {
                    g.suffixes.push("ELI".into());
                }
            } else if let Some(a) = agent {
                add_role(&mut g, &a.code, a.prefix, former);
            }
            groups.push(g);
        }
        groups
    }

    /// Two mentions belong to one noun phrase when only modifiers stand between them.
    fn can_join(
        &self,
        a_end: usize,
        b_start: usize,
        toks: &[Token],
        norms: &[&str],
        is_verb: &[bool],
    ) -> bool {
        if b_start < a_end || b_start - a_end > 4 {
            return false;
        }
        for k in a_end..b_start {
            let w = norms[k];
            if w == "'S" || w == "'" || w == "FORMER" {
                continue;
            }
            // "Ithilen's awful and evil minister": "and" between two modifiers
            let modifier = |j: usize| {
                toks[j].is_word()
                    && !toks[j].cap
                    && !self.stop.contains(norms[j])
                    && !self.prep.contains(norms[j])
                    && !is_verb[j]
            };
            if w == "AND" && k > a_end && k + 1 < b_start && modifier(k - 1) && modifier(k + 1) {
                continue;
            }
            if !toks[k].is_word() || self.stop.contains(w) || self.prep.contains(w) || is_verb[k] {
                return false;
            }
            if w.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
            {
                return false;
            }
        }
        true
    }

    fn units(&self, groups: &[Group], norms: &[&str], is_verb: &[bool]) -> Vec<Unit> {
        let mut units: Vec<Unit> = Vec::new();
        for (k, g) in groups.iter().enumerate() {
            if let Some(u) = units.last_mut() {
                let gap = &norms[u.e..g.s];
                let joiner = gap
                    .iter()
                    .any(|w| matches!(*w, "," | "AND" | "NOR" | "OR" | "&"));
                let ok = gap.len() <= 5
                    && joiner
                    && gap.iter().enumerate().all(|(j, w)| {
                        matches!(
                            *w,
                            "," | "AND"
                                | "NOR"
                                | "OR"
                                | "&"
                                | "THE"
                                | "BOTH"
                                | "NEITHER"
                                | "EITHER"
                        ) || (!self.stop.contains(w)
                            && !self.prep.contains(w)
                            && w.chars().all(|c| c.is_alphabetic() || c == '-')
                            && !is_verb[u.e + j])
                    })
                    && gap
                        .iter()
                        .filter(|w| {
                            !matches!(
                                **w,
                                "," | "AND"
                                    | "NOR"
                                    | "OR"
                                    | "&"
                                    | "THE"
                                    | "BOTH"
                                    | "NEITHER"
                                    | "EITHER"
                            )
                        })
                        .count()
                        <= 2;
                if ok {
                    u.e = g.e;
                    u.groups.push(k);
                    continue;
                }
            }
            units.push(Unit {
                s: g.s,
                e: g.e,
                groups: vec![k],
            });
        }
        // a list needs a conjunction somewhere ("X, Y and Z"); comma-only runs are split
        let mut out = Vec::new();
        for u in units {
            let has_conj = u.groups.windows(2).any(|w| {
                norms[groups[w[0]].e..groups[w[1]].s]
                    .iter()
                    .any(|t| matches!(*t, "AND" | "NOR" | "OR" | "&"))
            });
            if u.groups.len() > 1 && !has_conj {
                for &g in &u.groups {
                    out.push(Unit {
                        s: groups[g].s,
                        e: groups[g].e,
                        groups: vec![g],
                    });
                }
            } else {
                out.push(u);
            }
        }
        // agent-only groups in a compound take the country of the first actor ("Danish media
        // and government") — done by the caller through `fill_countries`.
        out
    }

    fn appositives(&self, norms: &[&str], units: &[Unit], is_verb: &[bool]) -> Vec<bool> {
        let n = norms.len();
        let mut skipped = vec![false; n];
        let mut in_unit = vec![false; n];
        // unit starting at each token, its end (linear lookups below)
        let mut unit_from: Vec<Option<usize>> = vec![None; n];
        for u in units {
            unit_from[u.s] = Some(u.e);
            for f in in_unit.iter_mut().take(u.e).skip(u.s + 1) {
                *f = true;
            }
        }
        let inside_unit = |k: usize| in_unit[k];
        let commas: Vec<usize> = (0..n)
            .filter(|&k| norms[k] == "," && !inside_unit(k))
            .collect();
        for w in commas.windows(2) {
            let (a, b) = (w[0], w[1]);
            if b - a - 1 <= APPOSITIVE_MAX && b > a + 1 {
                let seg = &norms[a + 1..b];
                // a segment that opens a new clause is not an appositive
                if BOUNDARY_WORDS.contains(&seg[0]) || seg[0] == "AND" || seg[0] == "BUT" {
                    continue;
                }
                // "After X, Prigozhin tried to talk to Putin, but he refused": a segment with
                // a subject and a trigger, followed by a coordinated clause, is the main
                // clause, not an appositive
                let coordinated = norms
                    .get(b + 1)
                    .is_some_and(|w| matches!(*w, "BUT" | "AND" | "YET" | "WHILE" | "SO"));
                let has_clause = (a + 1..b)
                    .find(|&k| unit_from[k].is_some())
                    .is_some_and(|f| (f + 1..b).any(|k| is_verb[k]));
                if coordinated && has_clause {
                    continue;
                }
                // "According to X, A spoke with B, leader of C": after a leading phrase with no
                // trigger of its own, a segment with a subject and a trigger is the main clause
                if has_clause && !(0..a).any(|k| is_verb[k]) {
                    continue;
                }
                for s in skipped.iter_mut().take(b + 1).skip(a) {
                    *s = true;
                }
            }
        }
        // parentheses
        let mut open: Option<usize> = None;
        for k in 0..n {
            match norms[k] {
                "(" => open = Some(k),
                ")" => {
                    if let Some(o) = open.take()
                        && k - o <= APPOSITIVE_MAX + 2
                    {
                        for s in skipped.iter_mut().take(k + 1).skip(o) {
                            *s = true;
                        }
                    }
                }
                _ => {}
            }
        }
        skipped
    }

    fn clauses(
        &self,
        norms: &[&str],
        is_verb: &[bool],
        units: &[Unit],
        skipped: &[bool],
    ) -> Vec<usize> {
        let n = norms.len();
        let mut in_unit = vec![false; n];
        // unit starting at each token, its end (linear lookups below)
        let mut unit_from: Vec<Option<usize>> = vec![None; n];
        for u in units {
            unit_from[u.s] = Some(u.e);
            for f in in_unit.iter_mut().take(u.e).skip(u.s + 1) {
                *f = true;
            }
        }
        let inside_unit = |k: usize| in_unit[k];
        let mut id = 0;
        let mut out = vec![0; n];
        let mut verb_before = vec![false; n + 1];
        for k in 0..n {
            verb_before[k + 1] = verb_before[k] || is_verb[k];
        }
        // last comma that opens a tail reaching the sentence end (attribution tails)
        let last_comma = (0..n)
            .rev()
            .find(|&k| norms[k] == "," && !skipped[k] && !inside_unit(k));
        for k in 0..n {
            let w = norms[k];
            let boundary = match w {
                ";" | ":" | "--" => true,
                "AND" | "OR" => {
                    // "heavily and unjustly criticized": adverbs joined, not clauses
                    let adverbs = k > 0
                        && norms[k - 1].len() > 4
                        && norms[k - 1].ends_with("LY")
                        && norms
                            .get(k + 1)
                            .is_some_and(|w| w.len() > 4 && w.ends_with("LY"));
                    !inside_unit(k) && !adverbs && {
                        // next few tokens hold a verb before any actor
                        let mut hit = false;
                        for j in k + 1..(k + 4).min(n) {
                            if is_verb[j] {
                                hit = true;
                                break;
                            }
                            if units.iter().any(|u| u.s == j) {
                                break;
                            }
                        }
                        hit
                    }
                }
                "," => {
                    Some(k) == last_comma
                        && (k + 1..n).any(|j| is_verb[j] || SPEECH.contains(&norms[j]))
                        // "The week the truce collapsed, Kadyrov tried to talk to Shoigu": a
                        // subject and its verb after a leading phrase that holds a trigger
                        || !inside_unit(k)
                            && !skipped[k]
                            && verb_before[k]
                            && (k + 1..(k + 3).min(n))
                                .find(|&j| unit_from[j].is_some())
                                .is_some_and(|us| {
                                    let ue = unit_from[us].unwrap_or(us);
                                    (ue..(ue + 3).min(n)).any(|j| is_verb[j])
                                        && !(k + 1..us).any(|j| self.prep.contains(norms[j]))
                                })
                }
                _ => BOUNDARY_WORDS.contains(&w) && !inside_unit(k),
            };
            if boundary && k > 0 {
                id += 1;
            }
            out[k] = id;
        }
        out
    }

    /// Match the verb's patterns (most specific first) or fall back to its default code.
    fn code_verb(
        &self,
        norms: &[&str],
        v: usize,
        vl: usize,
        block: usize,
        cs: usize,
        ce: usize,
    ) -> Option<Coded> {
        let b = &self.dicts.verb_blocks[block];
        let mut best: Option<(
            usize,
            usize,
            &Pattern,
            Option<usize>,
            Option<usize>,
            bool,
            usize,
        )> = None;
        for (pi, p) in b.patterns.iter().enumerate() {
            // TABARI's "complex event" marker: PETRARCH does not code it, and neither do we
            // (the next matching pattern or the verb's own code applies)
            if p.code == "+++" {
                continue;
            }
            if let Some((sh, th, rec, end)) = self.match_pattern(p, norms, v, vl, cs, ce) {
                let w = p.weight();
                let better = match best {
                    None => true,
                    Some((bw, bi, ..)) => w > bw || (w == bw && pi < bi),
                };
                if better {
                    best = Some((w, pi, p, sh, th, rec, end));
                }
            }
        }
        if let Some((_, _, p, sh, th, rec, end)) = best {
            let code = if p.code == "---" {
                None
            } else {
                Some(p.code.clone())
            };
            return Some(Coded {
                code,
                plover: p.plover.clone().or_else(|| b.plover.clone()),
                source_hint: sh,
                target_hint: th,
                reciprocal: rec,
                end: end.max(v + vl),
            });
        }
        b.code.as_ref()?;
        Some(Coded {
            code: b.code.clone(),
            plover: b.plover.clone(),
            source_hint: None,
            target_hint: None,
            reciprocal: false,
            end: v + vl,
        })
    }

    /// Returns (source hint, target hint, reciprocal, end of the match) if the pattern matches.
    #[allow(clippy::type_complexity)]
    fn match_pattern(
        &self,
        p: &Pattern,
        norms: &[&str],
        v: usize,
        vl: usize,
        cs: usize,
        ce: usize,
    ) -> Option<(Option<usize>, Option<usize>, bool, usize)> {
        let mut sh = None;
        let mut th = None;
        let mut rec = false;
        // post: forward
        let mut pos = v + vl;
        let mut adj_prev = true;
        let lim = ce.min(v + vl + PATTERN_WINDOW);
        for (e, joined) in p.post.iter() {
            let adjacent = *joined;
            let _ = adj_prev;
            match e {
                PElem::Source => sh = Some(pos),
                PElem::Target => th = Some(pos),
                PElem::Compound => rec = true,
                PElem::Skip => {
                    if pos >= lim {
                        return None;
                    }
                    pos += 1;
                }
                PElem::Word(_) | PElem::Syn(_) | PElem::AnyWord(_) => {
                    let mut found = None;
                    let end = if adjacent { (pos + 1).min(lim) } else { lim };
                    for j in pos..end {
                        if let Some(len) = self.elem_len(e, norms, j, 0) {
                            found = Some(j + len);
                            break;
                        }
                    }
                    pos = found?;
                }
            }
            adj_prev = *joined;
        }
        let end = pos;
        // pre: backward
        let mut pos = v; // exclusive
        let lo = cs.max(v.saturating_sub(PATTERN_WINDOW));
        for (e, adj_next) in p.pre.iter().rev() {
            match e {
                PElem::Source => sh = Some(pos.saturating_sub(1)),
                PElem::Target => th = Some(pos.saturating_sub(1)),
                PElem::Compound => rec = true,
                PElem::Skip => {
                    if pos <= lo {
                        return None;
                    }
                    pos -= 1;
                }
                PElem::Word(_) | PElem::Syn(_) | PElem::AnyWord(_) => {
                    let mut found = None;
                    let mut j = pos;
                    while j > lo {
                        j -= 1;
                        if let Some(len) = self.elem_len(e, norms, j, 0)
                            && j + len <= pos
                            && (!*adj_next || j + len == pos)
                        {
                            found = Some(j);
                            break;
                        }
                        if *adj_next && j + 4 < pos {
                            break;
                        }
                    }
                    pos = found?;
                }
            }
        }
        Some((sh, th, rec, end))
    }

    fn elem_len(&self, e: &PElem, norms: &[&str], j: usize, depth: usize) -> Option<usize> {
        match e {
            PElem::Word(w) => word_at(std::slice::from_ref(w), norms, j),
            PElem::AnyWord(ws) => norms
                .get(j)
                .is_some_and(|t| ws.iter().any(|w| w == t))
                .then_some(1),
            PElem::Syn(name) => {
                if depth > 4 {
                    return None;
                }
                let set = self.dicts.synsets.get(name)?;
                let mut best = None;
                for ph in set {
                    let l = if ph.len() == 1 && ph[0].text.starts_with('&') {
                        self.elem_len(
                            &PElem::Syn(ph[0].text[1..].to_string()),
                            norms,
                            j,
                            depth + 1,
                        )
                    } else {
                        word_at(ph, norms, j)
                    };
                    if let Some(l) = l
                        && best.is_none_or(|b| l > b)
                    {
                        best = Some(l);
                    }
                }
                best
            }
            _ => None,
        }
    }

    fn source_unit(
        &self,
        norms: &[&str],
        units: &[Unit],
        skipped: &[bool],
        cs: usize,
        v: usize,
        hint: Option<usize>,
    ) -> Option<usize> {
        if let Some(h) = hint
            && h < v
            && let Some(k) = units.iter().rposition(|u| u.s >= cs && u.e <= h + 1)
        {
            return Some(k);
        }
        let mut lo = cs.max(v.saturating_sub(ROLE_WINDOW));
        // "X claimed that Y attacked Z": Y, when the complement clause has its own subject
        if let Some(t) = (lo..v).rev().find(|&k| COMPLEMENT.contains(&norms[k]))
            && units.iter().any(|u| {
                u.s > t && u.e <= v && !skipped[u.s] && !self.prep.contains(norms[u.s - 1])
            })
        {
            lo = t + 1;
        }
        let cands: Vec<usize> = units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.s >= lo && u.e <= v && !skipped[u.s])
            .map(|(k, _)| k)
            .collect();
        for &k in &cands {
            let u = &units[k];
            let prev = if u.s > 0 { norms[u.s - 1] } else { "" };
            let prev2 = if u.s > 1 { norms[u.s - 2] } else { "" };
            let after_prep =
                self.prep.contains(prev) || (prev == "THE" && self.prep.contains(prev2));
            if !after_prep {
                return Some(k);
            }
        }
        cands.last().copied()
    }
}

/// The CAMEO code of a promised (AGREE) or threatened (THREATEN) act: "express intent to …"
/// (03x) and "threaten …" (13x) codes for the act's root.
fn intent_cameo(code: &str, event: Option<&str>) -> String {
    let root = code.get(..2).unwrap_or("");
    match (event, root) {
        (Some("AGREE"), "04") => "036".into(),
        (Some("AGREE"), "05") => "032".into(),
        (Some("AGREE"), "06") => "031".into(),
        (Some("AGREE"), "07") => "033".into(),
        (Some("AGREE"), "08") => "035".into(),
        (Some("THREATEN"), "19") if code.starts_with("191") => "1381".into(),
        (Some("THREATEN"), "19") if code.starts_with("192") => "1382".into(),
        (Some("THREATEN"), "18" | "19" | "20" | "15") => "138".into(),
        (Some("THREATEN"), "17") => "137".into(),
        (Some("THREATEN"), "16") => "131".into(),
        (Some("THREATEN"), "14") => "1312".into(),
        (Some("REJECT"), "03") => "127".into(),
        (Some("REJECT"), "04") => "125".into(),
        (Some("REJECT"), "05") => "120".into(),
        (Some("REJECT"), "06") => "121".into(),
        (Some("REJECT"), "07") => "122".into(),
        (Some("REJECT"), "08") => "124".into(),
        (Some("REQUEST"), "07") => "103".into(),
        (Some("REQUEST"), "04") => "108".into(),
        (Some("REQUEST"), r) if r != "10" => "100".into(),
        _ => code.to_string(),
    }
}

fn threat_mode(event: &str, mode: Option<&str>) -> &'static str {
    match (event, mode) {
        ("COERCE", Some("arrest")) => "arrest",
        ("COERCE", Some("seize")) => "occupy",
        ("COERCE" | "SANCTION" | "PROTEST", _) => "restrict",
        _ => "violence",
    }
}

fn add_role(g: &mut Group, code: &str, prefix: bool, former: bool) {
    let code = if former {
        "ELI".to_string()
    } else {
        code.to_string()
    };
    let list = if prefix {
        &mut g.prefixes
    } else {
        &mut g.suffixes
    };
    if !list.contains(&code) {
        list.push(code);
    }
}

fn word_at(ph: &[Word], norms: &[&str], j: usize) -> Option<usize> {
    if j + ph.len() > norms.len() {
        return None;
    }
    for (k, w) in ph.iter().enumerate() {
        let t = norms[j + k];
        let ok = if w.exact {
            t == w.text
        } else {
            crate::dict::stem_matches(&w.text, t)
        };
        if !ok {
            return None;
        }
    }
    Some(ph.len())
}

fn clause_bounds(clause: &[usize], v: usize) -> (usize, usize) {
    let c = clause[v];
    let mut s = v;
    while s > 0 && clause[s - 1] == c {
        s -= 1;
    }
    let mut e = v + 1;
    while e < clause.len() && clause[e] == c {
        e += 1;
    }
    (s, e)
}

/// The clause's subject before the trigger is a personal pronoun ("but he refused", "and they
/// declined"), with no other noun before it.
fn pronoun_subject(norms: &[&str], cs: usize, v: usize) -> bool {
    let mut k = cs;
    while k < v && matches!(norms[k], "BUT" | "AND" | "YET" | "," | "THEN" | "SO") {
        k += 1;
    }
    k < v
        && matches!(norms[k], "HE" | "SHE" | "THEY" | "IT")
        && norms[k + 1..v].iter().all(|w| {
            matches!(
                *w,
                "FLATLY" | "SIMPLY" | "REPORTEDLY" | "ALLEGEDLY" | "ALSO" | "HAS" | "HAD" | "HAVE"
            )
        })
}

/// An attempt shortly before the trigger ("tried to talk", "sought to meet", "attempted to").
fn attempted(norms: &[&str], cs: usize, v: usize) -> bool {
    let lo = cs.max(v.saturating_sub(4));
    norms[lo..v].windows(2).any(|w| {
        matches!(
            w[0],
            "TRIED"
                | "TRIES"
                | "TRY"
                | "TRYING"
                | "ATTEMPTED"
                | "ATTEMPTS"
                | "SOUGHT"
                | "SEEKS"
                | "SEEKING"
        ) && w[1] == "TO"
    })
}

fn clause_starts_with_and(norms: &[&str], cs: usize) -> bool {
    matches!(norms.get(cs), Some(&"AND") | Some(&"OR") | Some(&"BUT"))
        || cs > 0 && norms[cs - 1] == "AND"
}

/// The parties named by a "between A and B" phrase right after a noun trigger.
enum Parties {
    /// Two units: "between Gondor and the leader of Rohan".
    Units(usize, usize),
    /// One compound unit whose first group is A and the rest B.
    Groups(usize),
}

/// "talks between A and B" (also "among", and "held between"): the unit right after the
/// preposition, and either the unit after its "and" or the unit's own compound groups.
fn between_parties(norms: &[&str], units: &[Unit], from: usize, ce: usize) -> Option<Parties> {
    let mut k = from;
    // "talks held between", "talks were held between", "a phone call between": up to two
    // words of the noun phrase or its passive before the preposition
    while k < ce
        && k < from + 2
        && (BE.contains(&norms[k])
            || norms[k].ends_with("ED")
            || matches!(norms[k], "HELD" | "CALL" | "CALLS" | "CONVERSATION"))
    {
        k += 1;
    }
    if k >= ce || !matches!(norms[k], "BETWEEN" | "AMONG") {
        return None;
    }
    let mut p = k + 1;
    while p < ce && p < k + 3 && matches!(norms[p], "THE" | "TOP" | "SENIOR") {
        p += 1;
    }
    let a = units.iter().position(|u| u.s == p && u.e <= ce)?;
    if units[a].groups.len() > 1 {
        return Some(Parties::Groups(a));
    }
    let e = units[a].e;
    if e < ce && norms[e] == "AND" {
        let mut q = e + 1;
        while q < ce && q < e + 3 && matches!(norms[q], "THE" | "TOP" | "SENIOR") {
            q += 1;
        }
        if let Some(b) = units.iter().position(|u| u.s == q && u.e <= ce) {
            return Some(Parties::Units(a, b));
        }
    }
    None
}

fn first_unit_from(units: &[Unit], skipped: &[bool], from: usize, ce: usize) -> Option<usize> {
    units
        .iter()
        .position(|u| u.s >= from && u.s < ce && u.s < from + ROLE_WINDOW && !skipped[u.s])
}

fn possessive_before(units: &[Unit], norms: &[&str], v: usize) -> Option<usize> {
    units
        .iter()
        .rposition(|u| u.e <= v && v - u.e <= 3 && norms.get(u.e) == Some(&"'S"))
}

fn find_by_unit(
    norms: &[&str],
    unit_at: &[Option<usize>],
    units: &[Unit],
    from: usize,
    ce: usize,
) -> Option<usize> {
    let end = ce.min(from + 8);
    for k in from..end {
        if norms[k] == "BY" {
            for j in k + 1..(k + 4).min(ce) {
                if let Some(u) = unit_at[j] {
                    let _ = units;
                    return Some(u);
                }
            }
        }
    }
    None
}

fn is_passive(norms: &[&str], v: usize, cs: usize) -> bool {
    let w = norms[v];
    if !(w.ends_with("ED") || w.ends_with("EN") || w.ends_with('T') || w == "HELD" || w == "MET") {
        return false;
    }
    let mut k = v;
    let lo = cs.max(v.saturating_sub(4));
    while k > lo {
        k -= 1;
        let t = norms[k];
        if BE.contains(&t) && t != "'S" {
            return true;
        }
        if !(t.ends_with("LY")
            || t == "NOT"
            || t == "N'T"
            || t == "ALSO"
            || t == "AND"
            || t == "REPORTEDLY")
        {
            return false;
        }
    }
    false
}

/// "must" or "has to" shortly before the trigger, after a speech verb (its position is
/// returned): the speaker demands the act ("Russia said Sudan must return the helicopter").
fn obligation(norms: &[&str], cs: usize, v: usize) -> Option<usize> {
    let lo = cs.max(v.saturating_sub(4));
    let m = (lo..v).find(|&k| {
        norms[k] == "MUST" || matches!(norms[k], "HAS" | "HAVE") && norms.get(k + 1) == Some(&"TO")
    })?;
    norms[..m]
        .iter()
        .rposition(|w| SPEECH.contains(w) || DEMAND_SPEECH.contains(w))
}

/// Verbs that introduce what someone requires of others.
const DEMAND_SPEECH: &[&str] = &[
    "DECLARED",
    "CONCLUDED",
    "REITERATED",
    "INSISTED",
    "STRESSED",
    "WARNED",
    "ISSUED",
    "SAYS",
];

/// PLOVER auxiliary mode from the words before the trigger in its clause.
fn aux_mode(norms: &[&str], cs: usize, v: usize, event: Option<&str>) -> Option<AuxMode> {
    let lo = cs.max(v.saturating_sub(6));
    let win = &norms[lo..v];
    let has = |w: &str| win.contains(&w);
    let pair = |a: &str, b: &str| win.windows(2).any(|x| x[0] == a && x[1] == b);
    let refusal_event = matches!(event, Some("REJECT"));
    if has("NOT")
        || has("N'T")
        || has("NEVER")
        || pair("NO", "LONGER")
        || has("FAILED")
        || has("FAILS")
        || has("FAIL")
        || (!refusal_event
            && (has("REFUSED")
                || has("REFUSES")
                || has("DECLINED")
                || has("DENIED")
                || has("DENIES")))
    {
        return Some(AuxMode::Negated);
    }
    let clause = &norms[cs..v];
    if clause.contains(&"IF")
        || clause.contains(&"UNLESS")
        || has("COULD")
        || has("MIGHT")
        || has("MAY")
        || has("SHOULD")
        || pair("WOULD", "BE") && clause.contains(&"IF")
    {
        return Some(AuxMode::Hypothetical);
    }
    if has("WILL")
        || has("'LL")
        || has("SHALL")
        || pair("GOING", "TO")
        || pair("ABOUT", "TO")
        || has("PLANS")
        || has("PLANNED")
        || has("PLAN")
        || has("INTENDS")
        || has("INTEND")
        || pair("EXPECTED", "TO")
        || pair("SET", "TO")
        || has("WOULD")
        || pair("IS", "TO")
        || pair("ARE", "TO")
        || has("PROMISED")
        || has("PLEDGED")
        || has("VOWED")
        || pair("PREPARED", "TO")
        || pair("READY", "TO")
        || pair("WILLING", "TO")
        || pair("SWORN", "TO")
        || pair("SWORE", "TO")
        || has("AGREED") && !matches!(event, Some("AGREE"))
    {
        return Some(AuxMode::Future);
    }
    None
}

/// Split a CAMEO-style actor code into PLOVER country and sector codes.
pub fn split_code(code: &str) -> (Option<String>, Vec<String>) {
    let mut blocks: Vec<String> = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    for ch in chars.chunks(3) {
        blocks.push(ch.iter().collect());
    }
    if blocks.is_empty() {
        return (None, Vec::new());
    }
    let first = blocks[0].clone();
    if first == "---" {
        return (None, blocks[1..].to_vec());
    }
    if SECTORS.contains(&first.as_str())
        && !matches!(first.as_str(), "IGO" | "NGO" | "IMG" | "MNC" | "UNO")
    {
        return (None, blocks);
    }
    (Some(first), blocks[1..].to_vec())
}

fn is_dateline(toks: &[Token], text: &str) -> bool {
    // "CEBU CITY: --", "MOSCOW (Reuters) -" style openings
    let lim = toks.len().min(6);
    for k in 1..lim {
        let w = toks[k].norm.as_str();
        if w == ":" || w == "--" || w == "-" || w == "(" {
            let all_upper = toks[..k].iter().all(|t| {
                let raw = &text[t.start..t.end];
                t.is_word() && raw.chars().any(|c| c.is_alphabetic()) && raw == t.norm
            });
            return all_upper && toks[..k].iter().any(|t| t.norm.len() > 1);
        }
    }
    false
}

/// Nouns after which "of X" names a place ("the city of Fallujah", "outskirts of Kabul").
const PLACE_NOUNS: &[&str] = &[
    "CITY",
    "TOWN",
    "VILLAGE",
    "PROVINCE",
    "DISTRICT",
    "REGION",
    "AREA",
    "CAPITAL",
    "OUTSKIRTS",
    "SUBURBS",
    "SUBURB",
    "STATE",
    "COUNTY",
    "NORTH",
    "SOUTH",
    "EAST",
    "WEST",
    "CENTER",
    "CENTRE",
    "PART",
    "PARTS",
    "STREETS",
    "HEART",
    "VICINITY",
    "BORDER",
    "PORT",
    "ISLAND",
    "REPUBLIC",
    "NEIGHBORHOOD",
    "NEIGHBOURHOOD",
    "QUARTER",
    "GOVERNORATE",
    "COUNTRYSIDE",
    "VILLAGES",
    "TOWNS",
    "CITIES",
    "PROVINCES",
    "DISTRICTS",
    "AREAS",
    "REGIONS",
    "ENVIRONS",
    "NEIGHBORHOODS",
    "NEIGHBOURHOODS",
    "CAMP",
    "OUTSKIRT",
    "SQUARE",
    "FOOTHILLS",
    "PERIMETER",
    "SECTOR",
    "CORRIDOR",
    "EDGE",
    "MIDDLE",
    "DOWNTOWN",
    "SLUM",
    "SETTLEMENT",
    "SETTLEMENTS",
];
const LOC_PREPS: &[&str] = &[
    "IN",
    "AT",
    "NEAR",
    "OUTSIDE",
    "INSIDE",
    "ACROSS",
    "AROUND",
    "THROUGHOUT",
    "INTO",
    "ONTO",
    "OFF",
    "THROUGH",
];
/// Further prepositions that introduce an event's place (for `locate` only, not for the
/// actors' context country: "an attack on Russia" names a target).
const MORE_LOC_PREPS: &[&str] = &["OVER", "ABOVE", "ALONG", "WITHIN", "BESIDE", "AMID"];
const DIRECTIONS: &[&str] = &[
    "NORTHERN",
    "SOUTHERN",
    "EASTERN",
    "WESTERN",
    "CENTRAL",
    "NORTHEASTERN",
    "NORTHWESTERN",
    "SOUTHEASTERN",
    "SOUTHWESTERN",
    "NORTH",
    "SOUTH",
    "EAST",
    "WEST",
];

/// Lower-case particles inside place names ("Rio de Janeiro", "Deir ez-Zor").
const NAME_PARTICLES: &[&str] = &[
    "DE", "DEL", "DA", "DO", "DOS", "DAS", "DI", "DU", "LA", "LE", "AL", "EL", "EZ", "ES", "ASH",
    "AD", "AN", "BIN", "IBN", "VAN", "VON", "DER", "DEN", "Y", "SUR", "AM", "AUF",
];
/// Abbreviations that continue a name across their period ("St. Paul", "Mt. Kenya").
const NAME_ABBREVS: &[&str] = &["ST", "MT", "FT", "PT"];

/// Nouns that follow a place name and keep it a place ("Hasakah province").
const ADMIN_NOUNS: &[&str] = &[
    "PROVINCE",
    "CITY",
    "DISTRICT",
    "GOVERNORATE",
    "REGION",
    "COUNTY",
    "STATE",
    "VILLAGE",
    "TOWN",
    "AREA",
    "NEIGHBORHOOD",
    "NEIGHBOURHOOD",
    "CAMP",
    "COUNTRYSIDE",
    "SUBURB",
    "SUBURBS",
    "OUTSKIRTS",
    "MUNICIPALITY",
    "PREFECTURE",
    "HIGHWAY",
    "VALLEY",
    "AIRPORT",
];

/// Places named by a place-name modifier ("a Jerusalem hotel", "the Beit Yahoun road").
const SITE_NOUNS: &[&str] = &[
    "ROAD",
    "STREET",
    "MARKET",
    "HOTEL",
    "RESTAURANT",
    "HOME",
    "HOUSE",
    "STATION",
    "MOSQUE",
    "CHURCH",
    "SQUARE",
    "BRIDGE",
    "PORT",
    "BASE",
    "CHECKPOINT",
    "SETTLEMENT",
    "PRISON",
    "SITE",
    "BACKSTREETS",
    "STREETS",
    "RESIDENCE",
    "APARTMENT",
    "SUBURB",
    "AREAS",
    "SUBURBS",
    "RESIDENTS",
];

/// Where the capitalised name starting at `s` ends (exclusive): capitalised words, plus
/// lower-case particles and hyphenated parts inside the name, and "St." style abbreviations.
fn name_end(toks: &[Token], norms: &[&str], s: usize, hi: usize) -> usize {
    let mut j = s;
    while j < hi {
        let t = &toks[j];
        let month_abbrev =
            MONTH_ABBREVS.contains(&norms[j]) && j + 1 < toks.len() && norms[j + 1] == ".";
        if t.cap && t.is_word() && !crate::lexicon::is_month_or_day(norms[j]) && !month_abbrev {
            j += 1;
            // "St. Paul": the period is its own token
            if j + 1 < hi
                && norms[j] == "."
                && NAME_ABBREVS.contains(&norms[j - 1])
                && toks[j + 1].cap
                && toks[j].start == toks[j - 1].end
            {
                j += 1;
                continue;
            }
            // "Bay of Bengal"
            if j + 1 < hi && norms[j] == "OF" && toks[j + 1].cap && toks[j + 1].is_word() {
                j += 1;
            }
            continue;
        }
        // "Rio de Janeiro", "Deir ez-Zor", "al-Qanat Street": particles inside a name
        if j > s && t.is_word() && !t.cap {
            let particle = NAME_PARTICLES.contains(&norms[j])
                || norms[j]
                    .split_once('-')
                    .is_some_and(|(a, _)| NAME_PARTICLES.contains(&a));
            if particle && norms[j].contains('-') {
                j += 1;
                continue;
            }
            if particle && j + 1 < hi && toks[j + 1].cap && toks[j + 1].is_word() {
                j += 1;
                continue;
            }
        }
        break;
    }
    j
}

/// A demonym or group adjective directly followed by a lower-case word is a modifier ("the
/// Thai border", "U.S. patrol", "Islamist fighters"), not a place; place names used as
/// modifiers ("a Jerusalem hotel") stay places.
fn is_modifier(toks: &[Token], norms: &[&str], s: usize, e: usize, hi: usize) -> bool {
    if e <= s {
        return false;
    }
    if HYPHEN_MODIFIER_ENDS
        .iter()
        .any(|x| norms[e - 1].ends_with(x))
    {
        return true;
    }
    if e >= hi {
        return false;
    }
    let t = &toks[e];
    let w = norms[e];
    // "the 1967 Mideast war", "the Syria conflict": a place naming a war is not where the
    // event happened
    if !t.cap && CONFLICT_NOUNS.contains(&w) {
        return true;
    }
    let follows = t.is_word()
        && !t.cap
        && !w.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !STOP.contains(&w)
        && !PREPS.contains(&w);
    follows && demonym_not_place(&norms[s..e].join(" "))
}

/// A demonym or group adjective of our lexicons that is not also a place's name: the country
/// table lists aliases such as "Gaza", "West Bank" or "Holland" beside "Syrian" and "Thai".
fn demonym_not_place(w: &str) -> bool {
    if !crate::lexicon::is_demonym(w) {
        return false;
    }
    let words: Vec<&str> = w.split(' ').collect();
    let last = words[words.len() - 1];
    let place = if words.len() > 1 {
        matches!(
            last,
            "BANK"
                | "STRIP"
                | "REPUBLIC"
                | "FEDERATION"
                | "HERZEGOVINA"
                | "ISLANDS"
                | "KINGDOM"
                | "AMERICA"
                | "IRELAND"
                | "CONGO"
                | "CHINA"
                | "KOREA"
        )
    } else {
        last.len() >= 4
            && (last.ends_with('A') || last.ends_with("LAND") || last.ends_with("STAN"))
            && !last.ends_with("AN")
    };
    !place
}

/// Nouns after which a place name is a modifier naming a war, not a location.
const CONFLICT_NOUNS: &[&str] = &["WAR", "WARS", "CONFLICT", "CONFLICTS", "CRISIS"];

fn is_org(toks: &[Token], s: usize, e: usize) -> bool {
    (s..e).any(|k| {
        let w = toks[k].norm.as_str();
        // "the West Bank", "the Left Bank": a river bank, not a bank
        ORG_WORDS.contains(&w)
            && !(w == "BANK"
                && k > s
                && matches!(
                    toks[k - 1].norm.as_str(),
                    "WEST" | "EAST" | "LEFT" | "RIGHT" | "NORTH" | "SOUTH"
                ))
    })
}

/// Hyphenated participles that make a name a modifier ("Serb-held town", "the U.S.-led
/// coalition", "ISIS-controlled areas").
const HYPHEN_MODIFIER_ENDS: &[&str] = &[
    "-HELD",
    "-LED",
    "-RUN",
    "-CONTROLLED",
    "-DOMINATED",
    "-BASED",
    "-BACKED",
    "-OCCUPIED",
    "-RULED",
    "-ALLIED",
    "-LINKED",
    "-AFFILIATED",
    "-INSPIRED",
    "-SPONSORED",
    "-ORGANIZED",
    "-ORGANISED",
    "-FUNDED",
    "-ARMED",
    "-TRAINED",
    "-MADE",
    "-BOUND",
    "-BORN",
    "-STYLE",
    "-AFFILIATE",
    "-LINKED",
    "-MAJORITY",
    "-POPULATED",
    "-INHABITED",
    "-ADMINISTERED",
    "-CONTROL",
];

/// Month abbreviations written with a period ("Dec. 26"): a date, not a name.
const MONTH_ABBREVS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT", "NOV", "DEC",
];

/// Is token `k` inside a named actor of our lexicons that starts at or before it ("the Islamic
/// State of Iraq and the Levant", "ISIS fighters")? Capitals and seats of government ("the
/// White House") are places too.
fn in_named_actor(toks: &[Token], norms: &[&str], k: usize) -> bool {
    let d = crate::lexicon::builtin();
    (k.saturating_sub(8)..=k).any(|p| {
        (toks[p].cap || p == k)
            && d.actors.longest_at(norms, p).is_some_and(|(id, len)| {
                p + len > k
                    && !crate::lexicon::is_capital(&norms[p..p + len].join(" "))
                    && d.actors.entries[id].1 < d.actor_entries.len()
                    && d.actor_entries[d.actors.entries[id].1]
                        .code_on(None)
                        .is_some_and(|c| c.len() > 3)
            })
    })
}

/// Refine a place name: "the Homs neighbourhood of Baba Amr" and "Afghanistan's Takhar province"
/// name the more specific place second.
fn refine_place(toks: &[Token], norms: &[&str], s: usize, e: usize, hi: usize) -> (usize, usize) {
    if let Some(r) = specific_after(toks, norms, e, hi) {
        return r;
    }
    // "X's Y"
    if e + 1 < hi && norms[e] == "'S" && toks[e + 1].cap && toks[e + 1].is_word() {
        let e2 = name_end(toks, norms, e + 1, hi);
        let site = SITE_NOUNS.contains(&norms[e2 - 1]) || ORG_WORDS.contains(&norms[e2 - 1]);
        if e2 > e + 1
            && !site
            && !is_org(toks, e + 1, e2)
            && !is_modifier(toks, norms, e + 1, e2, hi)
            || e2 < hi && ADMIN_NOUNS.contains(&norms[e2])
        {
            return (e + 1, e2);
        }
    }
    // "X neighbourhood of Y"
    if e + 2 < hi
        && ADMIN_NOUNS.contains(&norms[e])
        && norms[e + 1] == "OF"
        && toks[e + 2].cap
        && toks[e + 2].is_word()
    {
        let e2 = name_end(toks, norms, e + 2, hi);
        if e2 > e + 2 && !is_org(toks, e + 2, e2) {
            return (e + 2, e2);
        }
    }
    (s, e)
}

/// After a name or demonym ending at `e`: "['s] [adjectives] capital|district|… [of] Y" names
/// the more specific place Y ("the Belarus capital Minsk", "Dagestan's regional capital
/// Makhachkala", "Baghdad's southern district of Saiydiah").
fn specific_after(toks: &[Token], norms: &[&str], e: usize, hi: usize) -> Option<(usize, usize)> {
    let mut j = e;
    let poss = j < hi && norms[j] == "'S";
    if poss {
        j += 1;
    }
    let mut adj = 0;
    while j < hi
        && adj < 2
        && toks[j].is_word()
        && !toks[j].cap
        && !STOP.contains(&norms[j])
        && !PREPS.contains(&norms[j])
        && !ADMIN_NOUNS.contains(&norms[j])
        && norms[j] != "CAPITAL"
    {
        j += 1;
        adj += 1;
    }
    if j >= hi {
        return None;
    }
    let noun = !toks[j].cap && (ADMIN_NOUNS.contains(&norms[j]) || norms[j] == "CAPITAL");
    if !noun {
        return None;
    }
    j += 1;
    if j < hi && norms[j] == "," {
        j += 1;
    }
    if j < hi && norms[j] == "OF" {
        j += 1;
    }
    if j < hi && norms[j] == "THE" {
        j += 1;
    }
    if j >= hi || !toks[j].cap || !toks[j].is_word() {
        return None;
    }
    let e2 = name_end(toks, norms, j, hi);
    (e2 > j && !is_org(toks, j, e2) && !is_modifier(toks, norms, j, e2, hi)).then_some((j, e2))
}

/// Further members of a list of place names after the one ending at `*j` ("X, Y and Z",
/// "X and western Y"); advances `*j` past them.
fn list_members(
    toks: &[Token],
    norms: &[&str],
    j: &mut usize,
    hi: usize,
    group: &mut Vec<(usize, usize)>,
) {
    while group.len() < 12 && *j + 1 < hi && matches!(norms[*j], "," | "AND" | "OR") {
        let mut s2 = *j + 1;
        if s2 < hi && norms[s2] == "AND" && norms[*j] == "," {
            s2 += 1;
        }
        while s2 < hi && (DIRECTIONS.contains(&norms[s2]) && !toks[s2].cap || norms[s2] == "THE") {
            s2 += 1;
        }
        if s2 >= hi || !toks[s2].cap {
            return;
        }
        let e2 = name_end(toks, norms, s2, hi);
        if e2 == s2 || is_org(toks, s2, e2) || is_modifier(toks, norms, s2, e2, hi) {
            return;
        }
        // a comma list must go on to a place, not a clause ("in X, Y said")
        if norms[*j] == "," && e2 < hi && !matches!(norms[e2], "," | "AND" | "OR" | ".") {
            return;
        }
        // "Vienna, Austria, in 1999", "Laredo, Texas": a place and, after a bare comma, the
        // country or region that contains it (the list ends there), not two places
        let sep_comma = norms[*j] == ",";
        let goes_on = matches!(norms[e2.min(hi - 1)], "AND" | "OR")
            || norms[e2.min(hi - 1)] == ","
                && e2 + 1 < hi
                && toks[e2 + 1].cap
                && toks[e2 + 1].is_word();
        let ends = e2 >= hi || !goes_on;
        if sep_comma && group.len() == 1 && ends {
            return;
        }
        group.push((s2, e2));
        *j = e2;
    }
}

/// Place-name candidates: capitalised sequences after a locative preposition ("in", "near"…),
/// optionally after "the" or a direction word; returns token ranges.
pub(crate) fn place_candidates(
    toks: &[Token],
    norms: &[&str],
    lo: usize,
    hi: usize,
) -> Vec<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    let mut k = lo;
    while k < hi {
        // "Damboa town", "the Istanbul area": a name before a lower-case admin noun
        if toks[k].cap && toks[k].is_word() && (k == 0 || !toks[k - 1].cap) {
            // "The Michoacan state": the article is not part of the name
            let n0 = if norms[k] == "THE" && k + 1 < hi && toks[k + 1].cap {
                k + 1
            } else {
                k
            };
            let e = name_end(toks, norms, n0, hi);
            if e > n0
                && e < hi
                && !toks[e].cap
                && !STOP.contains(&norms[n0])
                && (ADMIN_NOUNS.contains(&norms[e]) || SITE_NOUNS.contains(&norms[e]))
                && !is_org(toks, n0, e)
                && !HYPHEN_MODIFIER_ENDS
                    .iter()
                    .any(|x| norms[e - 1].ends_with(x))
                && !demonym_not_place(&norms[n0..e].join(" "))
            {
                out.push(vec![(n0, e)]);
                k = e + 1;
                continue;
            }
        }
        // "the regional capital, Grozny", "four villages: Demsare, Wunamokoh and Dikajam": a
        // place noun followed by a comma or colon and a name (and list) in apposition
        if matches!(norms[k], "," | ":")
            && k > 0
            && k + 1 < hi
            && !toks[k - 1].cap
            && PLACE_NOUNS.contains(&norms[k - 1])
            && toks[k + 1].cap
            && toks[k + 1].is_word()
        {
            let e = name_end(toks, norms, k + 1, hi);
            if e > k + 1
                && !is_org(toks, k + 1, e)
                && !is_modifier(toks, norms, k + 1, e, hi)
                && !is_named_actor(norms, k + 1, e)
                && !demonym_not_place(&norms[k + 1..e].join(" "))
            {
                let mut e = e;
                let mut group = vec![(k + 1, e)];
                list_members(toks, norms, &mut e, hi, &mut group);
                out.push(group);
                k = e.max(k + 1);
                continue;
            }
        }
        let of_place = norms[k] == "OF"
            && k > 0
            && (PLACE_NOUNS.contains(&norms[k - 1])
                || SHARE_NOUNS.contains(&norms[k - 1])
                || SITE_OF_NOUNS.contains(&norms[k - 1]));
        // "attacks on Aleppo", "the offensive against Raqqa", "marched towards Dagapur"
        let target_place = matches!(norms[k], "ON" | "AGAINST" | "TOWARDS" | "TOWARD")
            && k > 0
            && ATTACK_NOUNS.contains(&norms[k - 1]);
        // "on the al-Qanat Street", "on Jolo island"
        let on_site = norms[k] == "ON" && on_named_site(toks, norms, k + 1, hi);
        if LOC_PREPS.contains(&norms[k])
            || MORE_LOC_PREPS.contains(&norms[k])
            || of_place
            || target_place
            || on_site
        {
            let mut j = k + 1;
            // determiners, directions and lower-case modifiers before the name
            let mut skipped = 0;
            while j < hi
                && skipped < 4
                && (norms[j] == "THE"
                    || norms[j] == "A"
                    || DIRECTIONS.contains(&norms[j]) && !toks[j].cap
                    || !toks[j].cap
                        && toks[j].is_word()
                        && !norms[j].starts_with(|c: char| c.is_ascii_digit())
                        && !STOP.contains(&norms[j])
                        && !PREPS.contains(&norms[j])
                        && j + 1 < hi
                        && (toks[j + 1].cap || PLACE_NOUNS.contains(&norms[j + 1])))
            {
                j += 1;
                skipped += 1;
            }
            // "the city of X", "the outskirts of X"
            if j + 1 < hi && PLACE_NOUNS.contains(&norms[j]) && norms[j + 1] == "OF" {
                k = j + 1;
                continue;
            }
            let s = j;
            let j = name_end(toks, norms, s, hi);
            // "in the Syrian capital Damascus": a demonym before the place noun
            if j > s
                && is_modifier(toks, norms, s, j, hi)
                && let Some((s2, mut e2)) = specific_after(toks, norms, j, hi)
            {
                let mut group = vec![(s2, e2)];
                list_members(toks, norms, &mut e2, hi, &mut group);
                out.push(group);
                k = e2.max(k + 1);
                continue;
            }
            if j > s
                && !is_org(toks, s, j)
                && !is_modifier(toks, norms, s, j, hi)
                && !in_named_actor(toks, norms, s)
            {
                let (s, mut j) = refine_place(toks, norms, s, j, hi);
                let mut group = vec![(s, j)];
                // "in X and Y", "the villages of X, Y and Z": every member
                list_members(toks, norms, &mut j, hi, &mut group);
                out.push(group);
                k = j.max(k + 1);
                continue;
            }
        }
        k += 1;
    }
    out
}

/// Shares of a territory: "captured much of Liberia", "70 percent of Bosnia", "the eastern
/// third of Congo".
const SHARE_NOUNS: &[&str] = &[
    "HALF",
    "THIRD",
    "THIRDS",
    "PERCENT",
    "MUCH",
    "MOST",
    "CHUNK",
    "SWATHE",
    "SWATHES",
    "SWATH",
    "SWATHS",
    "PORTION",
    "PORTIONS",
    "BULK",
    "REST",
    "SECTION",
    "SECTIONS",
    "STRETCH",
    "STRETCHES",
    "EXPANSES",
];

/// Sites and relative positions named by "of X": "the rebel stronghold of Jaffna", "the
/// airport of Kandahar", "northeast of Baghdad", "the hilltop of Beaufort".
const SITE_OF_NOUNS: &[&str] = &[
    "STRONGHOLD",
    "STRONGHOLDS",
    "BASTION",
    "ENCLAVE",
    "HOMETOWN",
    "AIRPORT",
    "SETTLEMENT",
    "SETTLEMENTS",
    "RESORT",
    "RESORTS",
    "HILLTOP",
    "HILLS",
    "MOUNTAINTOP",
    "SLOPE",
    "SLOPES",
    "COAST",
    "COASTS",
    "SHORES",
    "BANKS",
    "WATERS",
    "BOROUGH",
    "FARMS",
    "JUNGLES",
    "HUB",
    "OUTPOST",
    "HEARTLAND",
    "ENVIRONS",
    "BATTLEFIELDS",
    "NORTHEAST",
    "NORTHWEST",
    "SOUTHEAST",
    "SOUTHWEST",
];

/// Nouns of attacks and advances after which "on/against/towards X" names the place attacked.
const ATTACK_NOUNS: &[&str] = &[
    "ATTACK",
    "ATTACKS",
    "ASSAULT",
    "ASSAULTS",
    "OFFENSIVE",
    "RAID",
    "RAIDS",
    "AIRSTRIKE",
    "AIRSTRIKES",
    "STRIKES",
    "BOMBARDMENT",
    "SHELLING",
    "ADVANCE",
    "ADVANCED",
    "ADVANCING",
    "MARCH",
    "MARCHED",
    "MARCHING",
    "MARCHES",
    "PUSH",
    "ONSLAUGHT",
    "INCURSION",
    "CONVERGED",
];

/// Capitalised or lower-case nouns that end a named site reached with "on" ("on Marjayoun
/// Road", "on Jolo island").
const SITE_ENDS: &[&str] = &[
    "ROAD",
    "STREET",
    "ISLAND",
    "ISLANDS",
    "SQUARE",
    "AVENUE",
    "HIGHWAY",
    "BOULEVARD",
    "BRIDGE",
    "HILL",
    "HILLS",
    "HEIGHTS",
    "PLATEAU",
    "PENINSULA",
    "COAST",
    "FRONT",
    "BORDER",
    "FRONTIER",
];

/// A name after "on" (optionally "the") whose last word (or the word after it) is a site noun.
fn on_named_site(toks: &[Token], norms: &[&str], from: usize, hi: usize) -> bool {
    let mut j = from;
    if j < hi && norms[j] == "THE" {
        j += 1;
    }
    if j >= hi || !toks[j].cap {
        return false;
    }
    let e = name_end(toks, norms, j, hi);
    e > j && (SITE_ENDS.contains(&norms[e - 1]) || e < hi && SITE_ENDS.contains(&norms[e]))
}

/// Words that make a capitalised phrase an organisation, not a place.
const ORG_WORDS: &[&str] = &[
    "UNIVERSITY",
    "CENTER",
    "CENTRE",
    "ALLIANCE",
    "PARTY",
    "ARMY",
    "ASSOCIATION",
    "COUNCIL",
    "MINISTRY",
    "COMMITTEE",
    "FRONT",
    "MOVEMENT",
    "COMPANY",
    "AGENCY",
    "FORCE",
    "FORCES",
    "COURT",
    "HOSPITAL",
    "CONSULATE",
    "EMBASSY",
    "SCHOOL",
    "BANK",
    "UNION",
    "ORGANIZATION",
    "ORGANISATION",
    "INSTITUTE",
    "GROUP",
    "NEWS",
    "TIMES",
    "POST",
    "TELEVISION",
    "RADIO",
];
/// Verbs whose direct object is typically a place ("captured Hayyan", "shelled Kharkiv").
const PLACE_OBJECT_VERBS: &[&str] = &[
    "CAPTURE",
    "SEIZE",
    "ENTER",
    "STORM",
    "PATROL",
    "SHELL",
    "BOMB",
    "RAID",
    "BESIEGE",
    "OVERRUN",
    "OCCUPY",
    "VISIT",
    "REACH",
    "HIT",
    "STRIKE",
    "STRUCK",
    "TARGET",
    "ATTACK",
    "INVADE",
    "LIBERATE",
    "RETAKE",
    "TOOK",
    "TAKE",
    "BOMBARD",
    "CAPTURING",
    "SHELLING",
    "BOMBING",
    "ENTERED",
    "STORMED",
];

fn object_place(
    toks: &[Token],
    norms: &[&str],
    v: usize,
    vl: usize,
    hi: usize,
) -> Option<Vec<(usize, usize)>> {
    let w = norms[v];
    let stem_ok = PLACE_OBJECT_VERBS
        .iter()
        .any(|p| w.starts_with(p) || w == *p);
    if !stem_ok {
        return None;
    }
    let mut j = v + vl;
    if j < hi && norms[j] == "THE" {
        j += 1;
    }
    let s = j;
    let j = name_end(toks, norms, s, hi);
    if j > s
        && !is_org(toks, s, j)
        && !is_modifier(toks, norms, s, j, hi)
        && !is_named_actor(norms, s, j)
        && !in_named_actor(toks, norms, s)
    {
        let (s, mut j) = refine_place(toks, norms, s, j, hi);
        let mut group = vec![(s, j)];
        list_members(toks, norms, &mut j, hi, &mut group);
        Some(group)
    } else {
        None
    }
}

/// Is the phrase a named actor of our lexicons that is not a country or a city ("the
/// Taliban", "Islamic State")? Such objects of "attacked", "struck" are targets, not places.
fn is_named_actor(norms: &[&str], s: usize, e: usize) -> bool {
    let d = crate::lexicon::builtin();
    d.actors.longest_at(norms, s).is_some_and(|(id, len)| {
        s + len == e
            && d.actors.entries[id].1 < d.actor_entries.len()
            && d.actor_entries[d.actors.entries[id].1]
                .code_on(None)
                .is_some_and(|c| c.len() > 3)
    })
}

/// "al-Tijara", "el-Arish": a lower-case article joined to a capitalised name starts a name.
fn particle_name(text: &str, t: &Token) -> bool {
    let raw = &text[t.start..t.end];
    raw.split_once('-').is_some_and(|(a, b)| {
        NAME_PARTICLES.contains(&a.to_uppercase().as_str())
            && b.chars().next().is_some_and(|c| c.is_uppercase())
    })
}

/// Words between two place names that make the second a reference point or container of the
/// first ("Amara, south of Baghdad", "al-Thawra, near Damascus", "a village in northern Idlib").
fn relation_gap(norms: &[&str], a_end: usize, b_start: usize) -> bool {
    if b_start <= a_end || b_start - a_end > 8 {
        return false;
    }
    let gap = &norms[a_end..b_start];
    let relational = gap
        .iter()
        .any(|w| matches!(*w, "NEAR" | "OUTSIDE" | "IN" | "OF" | "NEARBY" | "CLOSE"));
    relational
        && gap.iter().all(|w| {
            matches!(
                *w,
                "," | "THE"
                    | "A"
                    | "NEAR"
                    | "OUTSIDE"
                    | "IN"
                    | "OF"
                    | "NEARBY"
                    | "CLOSE"
                    | "TO"
                    | "KM"
                    | "KILOMETERS"
                    | "KILOMETRES"
                    | "MILES"
                    | "("
                    | ")"
                    | "SOME"
                    | "ABOUT"
                    | "AROUND"
                    | "JUST"
                    | "CENTRAL"
                    | "OUTSKIRTS"
                    | "EDGE"
                    | "SOUTHEAST"
                    | "SOUTHWEST"
                    | "NORTHEAST"
                    | "NORTHWEST"
            ) || DIRECTIONS.contains(w)
                || w.chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        })
}

/// Tokens for the location rules: names that start with a lower-case article ("al-Tijara")
/// count as capitalised. Copies the tokens only when the sentence has such a name.
fn with_particle_caps<'a>(text: &str, toks: &'a [Token]) -> std::borrow::Cow<'a, [Token]> {
    let needs = |t: &Token| !t.cap && t.norm.contains('-') && particle_name(text, t);
    if !toks.iter().any(needs) {
        return std::borrow::Cow::Borrowed(toks);
    }
    std::borrow::Cow::Owned(
        toks.iter()
            .map(|t| {
                let mut t = t.clone();
                if needs(&t) {
                    t.cap = true;
                }
                t
            })
            .collect(),
    )
}

/// `toks` from [`with_particle_caps`].
fn locate_tokens(
    toks: &[Token],
    norms: &[&str],
    v: usize,
    vl: usize,
    cs: usize,
    ce: usize,
) -> Vec<(usize, usize)> {
    let lo = cs.max(v.saturating_sub(LOC_WINDOW));
    let hi = ce.min(v + vl + LOC_WINDOW);
    let cands = place_candidates(toks, norms, lo, hi);
    if let Some(o) = object_place(toks, norms, v, vl, hi) {
        // "captured Saddam on Dec. 12 in Tikrit": an object followed, past other words, by a
        // locative phrase is a person or a target; the locative phrase names the place (a
        // container right after the object, "Kirkuk in northern Iraq", does not)
        let o_end = o[o.len() - 1].1;
        if let Some(c) = cands.iter().find(|c| c[0].0 > o_end)
            && c[0].0 - o_end <= 8
            && norms[c[0].0 - 1] != "OF"
            && !(o_end..c[0].0).any(|k| norms[k] == "," || norms[k] == "AND")
            && (o_end..c[0].0).any(|k| norms[k] == "IN" || norms[k] == "AT")
            && !relation_gap(norms, o_end, c[0].0)
        {
            return c.clone();
        }
        return o;
    }
    // a place followed by its reference point or container: the chain's first, most specific
    // place is where it happened
    let mut head: Vec<usize> = (0..cands.len()).collect();
    for i in 1..cands.len() {
        let prev_end = cands[i - 1][cands[i - 1].len() - 1].1;
        if relation_gap(norms, prev_end, cands[i][0].0)
            && !(prev_end..cands[i][0].0).any(|k| k >= v && k < v + vl)
        {
            head[i] = head[i - 1];
        }
    }
    // a place far after the trigger, past a comma, is usually in another clause or an
    // afterthought ("killed on Monday, after clashes erupted ... in X")
    let idx_after = cands.iter().position(|c| c[0].0 >= v + vl).filter(|&i| {
        let s = cands[i][0].0;
        let words = (v + vl..s).filter(|&k| toks[k].is_word()).count();
        words <= FAR_AFTER_WORDS || !(v + vl..s).any(|k| norms[k] == ",")
    });
    let idx_before = cands.iter().rposition(|c| c[c.len() - 1].1 <= v);
    let pick_idx = idx_after.or(idx_before).map(|i| head[i]);
    let pick = pick_idx.map(|i| &cands[i]);
    // a country is vaguer than a town named in the same clause: prefer the town
    if let Some(p) = pick
        && p.len() == 1
        && is_country(norms, p[0].0, p[0].1)
        && let Some(o) = cands
            .iter()
            .filter(|c| c.len() > 1 || !is_country(norms, c[0].0, c[0].1))
            .min_by_key(|c| c[0].0.abs_diff(v))
    {
        return o.clone();
    }
    let mut out = pick.cloned().unwrap_or_default();
    // "in Berlin and in the German town of Mainz": a second locative phrase joined by "and"
    // is a second place of the same event
    if let Some(i) = pick_idx
        && let Some(next) = cands.get(i + 1)
        && let Some(&(_, e)) = out.last()
        && next[0].0 > e
        && next[0].0 - e <= 7
        && norms.get(e) == Some(&"AND")
        && norms
            .get(e + 1)
            .is_some_and(|w| LOC_PREPS.contains(w) || MORE_LOC_PREPS.contains(w))
        && !(e..next[0].0).any(|k| k >= v && k < v + vl)
    {
        out.extend(next.iter().copied());
    }
    out
}

/// Is the phrase exactly a country name of our lexicon?
fn is_country(norms: &[&str], s: usize, e: usize) -> bool {
    let d = crate::lexicon::builtin();
    d.actors.longest_at(norms, s).is_some_and(|(id, len)| {
        let ent = &d.actor_entries[d.actors.entries[id].1];
        s + len == e
            && !ent.name.ends_with(" capital")
            && ent.code_on(None).is_some_and(|c| c.len() == 3)
    })
}

/// Event location for a given trigger span (byte offsets into `sentence`): token ranges of the
/// place name(s), as byte spans. Rules only: the nearest locative phrase after the trigger in
/// its clause, else the nearest one before it.
pub fn locate(sentence: &str, trigger: Span) -> Vec<Span> {
    let toks = tokenize(sentence);
    let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
    let Some(v) = toks.iter().position(|t| t.end > trigger.start) else {
        return Vec::new();
    };
    let ve = toks
        .iter()
        .rposition(|t| t.start < trigger.end)
        .unwrap_or(v)
        .max(v);
    let n = toks.len();
    // clause: between hard boundaries
    let hard = |w: &str| {
        matches!(w, ";" | ":" | "--") || matches!(w, "WHO" | "WHICH" | "BUT" | "WHILE" | "WHEREAS")
    };
    let mut cs = v;
    while cs > 0 && !hard(norms[cs - 1]) {
        cs -= 1;
    }
    let mut ce = ve + 1;
    while ce < n && !hard(norms[ce]) {
        ce += 1;
    }
    let loc_toks = with_particle_caps(sentence, &toks);
    let mut found = locate_tokens(&loc_toks, &norms, v, ve + 1 - v, cs, ce);
    if found.is_empty() {
        found = locate_tokens(&loc_toks, &norms, v, ve + 1 - v, 0, n);
    }
    found
        .into_iter()
        .map(|(s, e)| Span {
            start: toks[s].start,
            end: toks[e - 1].end,
        })
        .collect()
}
