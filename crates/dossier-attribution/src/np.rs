//! Source phrases without a parser: pronouns, capitalised name runs, descriptive noun phrases
//! ("the ministry", "two people familiar with the matter"), anonymous groups and opaque references.

use crate::text::{Tok, TokKind};

pub const PRONOUNS: &[&str] = &["he", "she", "they", "i", "we", "you", "it"];

pub const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my",
    "your", "some", "many", "several", "both", "all", "other", "another", "each", "most", "few",
    "numerous", "multiple", "various", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "dozens", "hundreds", "no",
];

const NUMBERS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("a", 1),
    ("an", 1),
    ("another", 1),
];

/// Words that can stand between a subject and its verb: auxiliaries and adverbs.
pub const BETWEEN: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "later",
    "previously",
    "then",
    "again",
    "reportedly",
    "allegedly",
    "publicly",
    "recently",
    "further",
    "earlier",
    "already",
    "once",
    "first",
    "did",
    "does",
    "do",
    "will",
    "would",
    "could",
    "may",
    "might",
    "should",
    "can",
    "must",
    "not",
    "n't",
    "never",
    "still",
    "always",
    "often",
    "repeatedly",
    "openly",
    "privately",
    "initially",
    "subsequently",
    "even",
    "clearly",
    "actually",
    "really",
    "simply",
    "apparently",
    "himself",
    "herself",
    "themselves",
    "been",
    "was",
    "were",
    "is",
    "are",
    "am",
    "be",
    "being",
    "just",
    "now",
    "today",
    "yesterday",
    "personally",
    "strongly",
    "firmly",
    "flatly",
    "categorically",
    "vehemently",
    "angrily",
    "quickly",
    "immediately",
    "told",
    "don't",
    "doesn't",
    "didn't",
    "can't",
    "won't",
    "wouldn't",
    "couldn't",
    "isn't",
    "wasn't",
    "haven't",
    "hasn't",
    "generally",
    "certainly",
    "only",
    "truly",
    "honestly",
    "definitely",
    "always",
    "sometimes",
    "usually",
];

/// Words that end a phrase: prepositions, conjunctions, relatives, auxiliaries.
pub const STOP: &[&str] = &[
    "in", "on", "at", "of", "for", "with", "by", "from", "to", "about", "into", "over", "after",
    "before", "during", "since", "under", "and", "or", "but", "that", "which", "who", "whom",
    "whose", "as", "than", "if", "because", "while", "when", "where", "whether", "so", "not", "is",
    "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "could", "may",
    "might", "should", "can", "must", "do", "does", "did", "what", "how", "why", "there", "here",
    "then", "also", "very", "too", "just", "only", "even", "said", "says", "say", "told", "tells",
    "reported", "against", "between", "through", "without", "within", "per", "via", "like",
    "unlike", "upon", "toward", "towards", "across", "around", "among", "amid", "it", "he", "she",
    "they", "we", "i", "you", "him", "them", "us", "me", "yes", "no", "now",
];

/// Heads of anonymous groups.
pub const ANON_HEADS: &[&str] = &[
    "source",
    "sources",
    "official",
    "officials",
    "people",
    "person",
    "insider",
    "insiders",
    "aide",
    "aides",
    "adviser",
    "advisers",
    "advisor",
    "advisors",
    "diplomat",
    "diplomats",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "observer",
    "observers",
    "witness",
    "witnesses",
    "resident",
    "residents",
    "spokespeople",
    "member",
    "members",
    "employee",
    "employees",
    "staffer",
    "staffers",
    "officer",
    "officers",
    "someone",
    "individuals",
    "individual",
    "figures",
    "authorities",
    "critics",
    "lawmakers",
    "investigators",
    "scientists",
    "researchers",
    "activists",
    "locals",
    "eyewitnesses",
    "commanders",
    "soldiers",
    "milbloggers",
    "bloggers",
    "insiders",
    "negotiators",
    "participants",
];

/// Heads of opaque references: media in general, reports without a reporter.
pub const OPAQUE_HEADS: &[&str] = &[
    "outlets",
    "reports",
    "report",
    "media",
    "accounts",
    "rumors",
    "rumours",
    "reporting",
    "publications",
    "sites",
    "websites",
    "posts",
    "news",
    "press",
    "speculation",
    "claims",
];

/// Heads of descriptive source phrases (an identifiable role or body, unnamed here).
pub const ROLE_HEADS: &[&str] = &[
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "ministry",
    "government",
    "police",
    "army",
    "military",
    "agency",
    "committee",
    "company",
    "group",
    "team",
    "commander",
    "leader",
    "president",
    "minister",
    "secretary",
    "director",
    "chief",
    "head",
    "founder",
    "study",
    "survey",
    "statement",
    "data",
    "court",
    "judge",
    "council",
    "office",
    "department",
    "service",
    "newspaper",
    "daily",
    "channel",
    "website",
    "broadcaster",
    "magazine",
    "paper",
    "network",
    "administration",
    "kremlin",
    "prosecutor",
    "prosecutors",
    "lawyer",
    "lawyers",
    "doctor",
    "doctors",
    "author",
    "authors",
    "organisation",
    "organization",
    "institute",
    "university",
    "report",
    "document",
    "letter",
    "poll",
    "polls",
    "coalition",
    "alliance",
    "party",
    "campaign",
    "union",
    "board",
    "firm",
    "regulator",
    "watchdog",
    "governor",
    "mayor",
    "ambassador",
    "envoy",
    "general",
    "colonel",
    "professor",
    "scientist",
    "researcher",
    "analyst",
    "expert",
    "official",
    "source",
    "witness",
    "tank",
    "think",
    "man",
    "woman",
    "father",
    "mother",
    "family",
    "victim",
    "suspect",
    "owner",
    "manager",
    "ceo",
    "chairman",
    "navy",
    "coastguard",
    "guard",
    "ministries",
    "bureau",
    "foundation",
    "center",
    "centre",
    "association",
    "federation",
    "authority",
    "officials",
    "sources",
    "people",
    "outlet",
    "publication",
    "site",
    "post",
    "release",
    "filing",
    "record",
    "records",
    "image",
    "video",
    "photo",
    "footage",
    "interview",
    "unit",
    "units",
    "forces",
    "troops",
    "fighters",
    "wife",
    "husband",
    "son",
    "daughter",
    "brother",
    "sister",
    "friend",
    "colleague",
    "partner",
];

/// Title and role words that precede a person's name ("Russian Ambassador to Belarus ...").
pub const TITLE_WORDS: &[&str] = &[
    "president",
    "chief",
    "staff",
    "director",
    "minister",
    "secretary",
    "ambassador",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "general",
    "major",
    "colonel",
    "admiral",
    "captain",
    "governor",
    "senator",
    "representative",
    "mayor",
    "judge",
    "professor",
    "dr",
    "dr.",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "sir",
    "lord",
    "king",
    "queen",
    "prince",
    "commander",
    "leader",
    "head",
    "founder",
    "ceo",
    "chairman",
    "chairwoman",
    "officer",
    "agent",
    "detective",
    "inspector",
    "sergeant",
    "lieutenant",
    "deputy",
    "vice",
    "prime",
    "foreign",
    "defense",
    "defence",
    "interior",
    "press",
    "pope",
    "bishop",
    "rev",
    "coach",
    "manager",
    "chancellor",
    "premier",
    "speaker",
    "executive",
    "justice",
    "attorney",
    "counsel",
    "correspondent",
    "editor",
    "reporter",
    "analyst",
    "expert",
    "security",
    "council",
    "presidential",
    "office",
    "of",
    "to",
    "the",
    "for",
    "state",
    "national",
    "federal",
    "senior",
    "former",
    "acting",
    "first",
    "lady",
    "gen",
    "gen.",
    "lt",
    "lt.",
    "sen",
    "sen.",
    "rep",
    "rep.",
    "gov",
    "gov.",
    "col",
    "col.",
    "capt",
    "capt.",
    "chair",
    "member",
    "mp",
    "russian",
    "american",
    "belarusian",
    "ukrainian",
    "british",
    "french",
    "german",
    "chinese",
    "indonesian",
    "israeli",
    "palestinian",
    "iranian",
    "indian",
    "australian",
    "canadian",
    "u.s.",
    "us",
    "uk",
    "eu",
    "un",
    "nato",
    "kremlin",
    "white",
    "house",
    "wagner",
    "cia",
];

/// Capitalised words that are function words at the start of a sentence, not names.
pub const CAP_STOP: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "according",
    "in",
    "on",
    "at",
    "after",
    "before",
    "but",
    "and",
    "or",
    "if",
    "when",
    "while",
    "as",
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "there",
    "here",
    "what",
    "why",
    "how",
    "who",
    "where",
    "for",
    "with",
    "by",
    "from",
    "to",
    "of",
    "so",
    "yet",
    "also",
    "then",
    "now",
    "however",
    "meanwhile",
    "still",
    "although",
    "though",
    "because",
    "since",
    "until",
    "some",
    "many",
    "most",
    "all",
    "both",
    "no",
    "not",
    "one",
    "two",
    "three",
    "earlier",
    "later",
    "today",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "image",
    "photo",
    "editor's",
    "editor",
    "source",
    "sources",
    "said",
    "says",
    "despite",
    "during",
    "over",
    "under",
    "last",
    "next",
    "first",
    "each",
    "every",
    "such",
    "whether",
    "unlike",
    "like",
    "do",
    "does",
    "did",
    "is",
    "was",
    "are",
    "were",
    "would",
    "will",
    "can",
    "could",
    "should",
    "may",
    "might",
    "yes",
    "well",
    "okay",
    "oh",
    "thank",
    "thanks",
    "please",
    "dear",
    "hello",
    "hi",
    "let",
    "let's",
    "i'm",
    "it's",
    "we're",
    "i've",
    "that's",
    "there's",
    "what's",
    "you're",
    "they're",
    "he's",
    "she's",
    "don't",
    "do",
];

/// Abbreviated titles written with a full stop before a name ("Dr.", "Mr.", "Gen.").
const TITLE_ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "sgt", "sen", "rep", "gov", "rev",
    "maj", "adm", "cmdr", "pres", "supt", "det", "insp",
];

pub fn in_list(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

/// A word that can be part of a name run.
pub fn name_word(t: &Tok) -> bool {
    t.is_word() && t.cap && !in_list(CAP_STOP, &t.lower)
}

/// The kind of a source phrase, before entity resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpKind {
    Pronoun,
    Name,
    Descriptor,
    Anonymous,
    Opaque,
}

/// A source phrase found in a block: tokens `[first, last)`, the name run inside it (if any).
#[derive(Debug, Clone)]
pub struct Np {
    pub first: usize,
    /// The first token without the titles and bodies before a name ("Marco Silva" in "Union
    /// leader Marco Silva"): what the phrase's kind is read from.
    pub core: usize,
    pub last: usize,
    pub kind: NpKind,
    /// Token range of the capitalised name inside the phrase.
    pub name: Option<(usize, usize)>,
    /// The head word, lower case.
    pub head: String,
}

fn is_lower_content(t: &Tok) -> bool {
    t.is_word()
        && !t.cap
        && !matches!(t.lower.as_str(), "the" | "a" | "an")
        && !in_list(STOP, &t.lower)
        && !in_list(BETWEEN, &t.lower)
        && (!t.lower.ends_with("ly")
            || in_list(ROLE_HEADS, &t.lower)
            || matches!(
                t.lower.as_str(),
                "family"
                    | "ally"
                    | "allies"
                    | "italy"
                    | "assembly"
                    | "rally"
                    | "weekly"
                    | "monthly"
            ))
        && t.lower != "'s"
}

/// Name run ending at `e` (exclusive), walking back; returns its first token.
fn name_run_back(toks: &[Tok], lo: usize, e: usize) -> Option<usize> {
    let mut i = e;
    let mut first = None;
    while i > lo {
        let t = &toks[i - 1];
        if name_word(t)
            || (t.is_word() && t.cap && first.is_some() && in_list(TITLE_WORDS, &t.lower))
        {
            first = Some(i - 1);
            i -= 1;
            continue;
        }
        // An abbreviated title: "Dr. Ruth Ames", "Mr. Lee".
        if first.is_some()
            && t.lower == "."
            && i >= lo + 2
            && toks[i - 2].cap
            && toks[i - 2].end == t.start
            && in_list(TITLE_ABBREV, &toks[i - 2].lower)
        {
            first = Some(i - 2);
            i -= 2;
            continue;
        }
        // Connectors inside a name: "Chief of Staff", "Ambassador to Belarus", "Meduza's".
        if first.is_some()
            && i >= lo + 2
            && matches!(
                t.lower.as_str(),
                "of" | "for" | "de" | "al" | "bin" | "van" | "von" | "to" | "'s" | "-" | "&"
            )
            && name_word(&toks[i - 2])
        {
            i -= 1;
            continue;
        }
        break;
    }
    first
}

/// Is the capitalised token at `i` at the start of a sentence (so its capital says nothing)?
fn sentence_initial(toks: &[Tok], lo: usize, i: usize) -> bool {
    i == lo || matches!(toks[i - 1].kind, TokKind::Quote) || toks[i - 1].lower == ":"
}

/// The source phrase that ends at token `e` (exclusive), at or after `lo`.
pub fn np_back(toks: &[Tok], lo: usize, e: usize) -> Option<Np> {
    if e <= lo {
        return None;
    }
    let last = &toks[e - 1];
    if !last.is_word() {
        return None;
    }
    if in_list(PRONOUNS, &last.lower) {
        return Some(Np {
            first: e - 1,
            core: e - 1,
            last: e,
            kind: NpKind::Pronoun,
            name: None,
            head: last.lower.clone(),
        });
    }
    let head = last.lower.clone();
    // A sentence-initial common noun ("Sources think") reads as lower case.
    let cap_common = last.cap
        && sentence_initial(toks, lo, e - 1)
        && (in_list(ANON_HEADS, &head)
            || in_list(OPAQUE_HEADS, &head)
            || in_list(ROLE_HEADS, &head));
    let mut first;
    let mut name = None;
    let mut ext_core = None;
    if name_word(last) && !cap_common {
        let f = name_run_back(toks, lo, e)?;
        name = Some((f, e));
        first = f;
        // Lower-case modifiers and a determiner before the name ("the opposition newspaper Meduza").
        let mut j = first;
        let mut steps = 0;
        while j > lo
            && steps < 5
            && (is_lower_content(&toks[j - 1])
                || toks[j - 1].cap && in_list(TITLE_WORDS, &toks[j - 1].lower))
        {
            j -= 1;
            steps += 1;
        }
        if j > lo
            && in_list(DETERMINERS, &toks[j - 1].lower)
            && !matches!(
                toks[j - 1].lower.as_str(),
                "that" | "this" | "these" | "those" | "no"
            )
            && (j < first || toks[j - 1].lower == "the")
        {
            first = j - 1;
        } else if j < first && (j == lo || toks[j - 1].lower == "'s") {
            first = j;
        }
        // The whole subject when it opens the clause: titles, roles and the bodies they belong
        // to before the name ("Executive director of the Dallas chapter of the Council Alia
        // Salem", "American academic and professor Marc Lamont Hill").
        ext_core = Some(first);
        let mut x = first;
        let mut steps = 0;
        while x > lo && steps < 16 {
            let t = &toks[x - 1];
            let ok = t.is_word()
                && (name_word(t)
                    || in_list(TITLE_WORDS, &t.lower)
                    || is_lower_content(t)
                    || matches!(t.lower.as_str(), "of" | "the" | "and" | "&" | "'s" | "for"))
                || t.lower == "-";
            if !ok {
                break;
            }
            x -= 1;
            steps += 1;
        }
        if x < first
            && (x == lo
                || matches!(toks[x - 1].lower.as_str(), "," | ":" | ";")
                || toks[x - 1].kind == TokKind::Quote)
            && !matches!(
                toks[x].lower.as_str(),
                "of" | "and" | "-" | "&" | "'s" | "for"
            )
        {
            first = x;
        }
    } else if is_lower_content(last) || cap_common {
        let mut j = e - 1;
        let mut steps = 0;
        while j > lo && steps < 6 {
            let t = &toks[j - 1];
            if is_lower_content(t) || (t.is_word() && t.cap && !in_list(CAP_STOP, &t.lower)) {
                j -= 1;
                steps += 1;
                continue;
            }
            if t.lower == "'s" && j >= lo + 2 && toks[j - 2].is_word() {
                // "Meduza's Kremlin sources": the possessor is part of the phrase.
                j -= 1;
                if let Some(f) = name_run_back(toks, lo, j) {
                    j = f;
                } else {
                    j -= 1;
                }
                steps += 1;
                continue;
            }
            break;
        }
        let has_det = j > lo && in_list(DETERMINERS, &toks[j - 1].lower);
        if has_det {
            j -= 1;
        }
        let known = in_list(ANON_HEADS, &head)
            || in_list(OPAQUE_HEADS, &head)
            || in_list(ROLE_HEADS, &head);
        // An unknown head counts only as a whole definite phrase opening the clause.
        let clause_start = j == lo
            || (j > lo && matches!(toks[j - 1].lower.as_str(), "," | ";" | ":" | "and" | "but"));
        if !(known || has_det && clause_start && toks[j].lower == "the") {
            return None;
        }
        // Without a determiner the phrase must start the clause.
        if !has_det && j > lo {
            let p = &toks[j - 1];
            if p.is_word() && !in_list(STOP, &p.lower) && p.lower != "'s" {
                return None;
            }
        }
        first = j;
    } else {
        return None;
    }
    let mut out = classify(toks, first, e, name, head);
    if let Some(c) = ext_core {
        out.core = c;
    }
    Some(out)
}

/// Extend a phrase back over a post-modifier: "sources | close to | the Kremlin".
pub fn extend_postmod(toks: &[Tok], lo: usize, np: Np) -> Np {
    let f = np.first;
    for conn in [
        &["close", "to"][..],
        &["familiar", "with"],
        &["with", "knowledge", "of"],
        &["inside"],
        &["within"],
        &["in"],
        &["at"],
        &["for"],
        &["from"],
        &["of"],
        &["with"],
    ] {
        let k = conn.len();
        if f < lo + k + 1 {
            continue;
        }
        if (0..k).all(|x| toks[f - k + x].lower == conn[x])
            && let Some(inner) = np_back(toks, lo, f - k)
            && matches!(
                inner.kind,
                NpKind::Anonymous | NpKind::Descriptor | NpKind::Opaque
            )
        {
            let mut out = classify(
                toks,
                inner.first,
                np.last,
                inner.name.or(np.name),
                inner.head.clone(),
            );
            if out.kind == NpKind::Name {
                out.kind = inner.kind;
            }
            out.head = inner.head;
            if in_list(ANON_HEADS, &out.head) {
                out.kind = NpKind::Anonymous;
            }
            return out;
        }
    }
    np
}

fn classify(
    toks: &[Tok],
    first: usize,
    last: usize,
    name: Option<(usize, usize)>,
    head: String,
) -> Np {
    let _ = toks;
    let kind = match name {
        Some((_, nl)) if nl == last => NpKind::Name,
        _ => head_kind(&head),
    };
    Np {
        first,
        core: first,
        last,
        kind,
        name,
        head,
    }
}

fn head_kind(head: &str) -> NpKind {
    if in_list(OPAQUE_HEADS, head) {
        NpKind::Opaque
    } else if in_list(ANON_HEADS, head) {
        NpKind::Anonymous
    } else {
        NpKind::Descriptor
    }
}

/// The source phrase that starts at token `s`, ending before `hi`: "according to X, ...".
pub fn np_fwd(toks: &[Tok], s: usize, hi: usize) -> Option<Np> {
    let mut i = s;
    while i < hi && matches!(toks[i].lower.as_str(), "the" | "a" | "an") {
        i += 1;
    }
    if i >= hi {
        return None;
    }
    if in_list(PRONOUNS, &toks[i].lower)
        || matches!(toks[i].lower.as_str(), "him" | "her" | "them" | "me" | "us")
    {
        let h = toks[i].lower.clone();
        return Some(Np {
            first: i,
            core: i,
            last: i + 1,
            kind: NpKind::Pronoun,
            name: None,
            head: h,
        });
    }
    let mut e = i;
    let mut name: Option<(usize, usize)> = None;
    let mut count = 0;
    while e < hi && count < 14 {
        let t = &toks[e];
        if !t.is_word() {
            if t.lower == "-" {
                e += 1;
                continue;
            }
            break;
        }
        if t.lower == "'s" {
            e += 1;
            continue;
        }
        if t.cap && !in_list(CAP_STOP, &t.lower) {
            match name {
                Some((nf, nl)) if nl == e => name = Some((nf, e + 1)),
                _ => name = Some((e, e + 1)),
            }
            e += 1;
            count += 1;
            continue;
        }
        if matches!(
            t.lower.as_str(),
            "of" | "for"
                | "to"
                | "in"
                | "inside"
                | "within"
                | "at"
                | "with"
                | "close"
                | "familiar"
                | "near"
                | "from"
        ) && e + 1 < hi
        {
            // Keep a post-modifier only when something follows that can belong to the phrase.
            let nx = &toks[e + 1];
            if nx.is_word()
                && (nx.cap
                    || in_list(DETERMINERS, &nx.lower)
                    || nx.lower == "to"
                    || nx.lower == "with"
                    || is_lower_content(nx))
            {
                e += 1;
                count += 1;
                continue;
            }
            break;
        }
        if matches!(t.lower.as_str(), "and" | "&") && e + 1 < hi && toks[e + 1].cap {
            e += 1;
            continue;
        }
        if in_list(DETERMINERS, &t.lower)
            && e > i
            && matches!(
                toks[e - 1].lower.as_str(),
                "of" | "to" | "in" | "inside" | "with" | "at" | "from" | "near" | "within"
            )
        {
            e += 1;
            continue;
        }
        if is_lower_content(t) || in_list(DETERMINERS, &t.lower) && e == i {
            e += 1;
            count += 1;
            continue;
        }
        break;
    }
    // Do not end on a connector.
    while e > i
        && matches!(
            toks[e - 1].lower.as_str(),
            "of" | "for"
                | "to"
                | "in"
                | "and"
                | "with"
                | "at"
                | "close"
                | "familiar"
                | "inside"
                | "-"
                | "'s"
                | "near"
                | "from"
                | "within"
        )
    {
        e -= 1;
    }
    if e <= i {
        return None;
    }
    let first = if s < i { s } else { i };
    // Head: the last word before the first post-modifier.
    let mut h = i;
    while h < e
        && !matches!(
            toks[h].lower.as_str(),
            "of" | "for"
                | "to"
                | "in"
                | "inside"
                | "within"
                | "at"
                | "with"
                | "close"
                | "familiar"
                | "near"
                | "from"
        )
    {
        h += 1;
    }
    let head_tok = if h > i { h - 1 } else { i };
    let head = toks[head_tok].lower.clone();
    let name_is_head = name.is_some_and(|(nf, nl)| nf <= head_tok && head_tok < nl);
    let kind = if name_is_head {
        NpKind::Name
    } else {
        let k = head_kind(&head);
        if k == NpKind::Descriptor
            && name.is_none()
            && !in_list(ROLE_HEADS, &head)
            && !in_list(DETERMINERS, &toks[first].lower)
        {
            return None;
        }
        k
    };
    Some(Np {
        first,
        core: first,
        last: e,
        kind,
        name,
        head,
    })
}

/// The number of people in an anonymous group, when the phrase says it.
pub fn count_of(toks: &[Tok], np: &Np) -> Option<u32> {
    let t = &toks[np.first];
    if let Some(&(_, n)) = NUMBERS.iter().find(|(w, _)| *w == t.lower) {
        // "a source" counts one; "a group of" does not say.
        return Some(n);
    }
    if let Ok(n) = t.lower.parse::<u32>() {
        return Some(n);
    }
    if !np.head.ends_with('s') && np.kind == NpKind::Anonymous && np.head != "people" {
        return Some(1);
    }
    None
}

/// A phrase with a post-modifier whose last word is not a known head:
/// "two people familiar with the matter", "officials at the ministry".
pub fn tail_np(toks: &[Tok], lo: usize, e: usize) -> Option<Np> {
    for f in (e.saturating_sub(5).max(lo + 1)..e).rev() {
        for conn in [
            &["close", "to"][..],
            &["familiar", "with"],
            &["with", "knowledge", "of"],
            &["inside"],
            &["within"],
            &["at"],
            &["for"],
            &["from"],
            &["in"],
        ] {
            let k = conn.len();
            if f < lo + k || !(0..k).all(|x| toks[f - k + x].lower == conn[x]) {
                continue;
            }
            // Between the connector and the verb: a plain phrase.
            if !toks[f..e]
                .iter()
                .all(|t| t.is_word() && !in_list(STOP, &t.lower) || in_list(DETERMINERS, &t.lower))
            {
                continue;
            }
            let inner = np_back(toks, lo, f - k)?;
            if matches!(
                inner.kind,
                NpKind::Anonymous | NpKind::Descriptor | NpKind::Opaque
            ) {
                return Some(Np {
                    first: inner.first,
                    core: inner.first,
                    last: e,
                    kind: inner.kind,
                    name: inner.name,
                    head: inner.head,
                });
            }
            return None;
        }
    }
    None
}
