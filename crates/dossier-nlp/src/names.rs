//! Named mentions: capitalised chunks typed by lexicons and rules, roles attached to people,
//! metonymy, pronouns and title descriptions.

use std::collections::HashSet;

use crate::lexicon::{AbbrevClass, LEX, Lexicon};
use crate::segment::{Segmented, TokenKind};
use crate::{Mention, MentionForm, MentionKind, Metonymy, Role};

struct Ctx<'a> {
    text: &'a str,
    seg: &'a Segmented,
    lex: &'a Lexicon,
    /// Capitalised words seen inside body sentences (not first, not in title case).
    mid_caps: HashSet<&'a str>,
    /// Words seen in lower case somewhere in the text.
    lower_seen: HashSet<String>,
    /// Capitalised words seen alone (no capitalised word next to them) inside sentences.
    alone: HashSet<&'a str>,
}

impl<'a> Ctx<'a> {
    fn s(&self, i: usize) -> &'a str {
        let t = &self.seg.tokens[i];
        &self.text[t.start..t.end]
    }
    fn lower(&self, i: usize) -> String {
        self.s(i).to_lowercase().replace('\u{2019}', "'")
    }
    fn is_word(&self, i: usize) -> bool {
        self.seg.tokens[i].kind == TokenKind::Word
    }
    fn cap(&self, i: usize) -> bool {
        let w = self.s(i);
        self.is_word(i)
            && w.chars().next().is_some_and(char::is_uppercase)
            && !(w.len() <= 3 && (w.ends_with("'s") || w.ends_with("’s")))
    }
    fn span(&self, a: usize, b: usize) -> &'a str {
        &self.text[self.seg.tokens[a].start..self.seg.tokens[b - 1].end]
    }
    fn adjacent(&self, i: usize) -> bool {
        i > 0 && self.seg.tokens[i - 1].end == self.seg.tokens[i].start
    }
    /// Name text with hyphen/space normalised for lexicon lookups.
    fn key(&self, a: usize, b: usize) -> String {
        let mut out = String::new();
        for i in a..b {
            if i > a && !self.adjacent(i) {
                out.push(' ');
            }
            out.push_str(self.s(i));
        }
        out
    }
    fn known(&self, name: &str) -> bool {
        self.lex.orgs.contains_key(name)
            || self.lex.places.contains_key(name)
            || self.lex.people.contains_key(name)
            || self.lex.demonyms.contains_key(name)
            || self.lex.metonyms.contains_key(name)
    }
    fn role_ending_at(&self, a: usize, end: usize) -> Option<usize> {
        // longest role phrase tokens[k..end) with k >= a
        let lo = end.saturating_sub(self.lex.role_max).max(a);
        (lo..end).find(|&k| {
            let p: Vec<String> = (k..end).map(|i| self.lower(i)).collect();
            self.lex.roles.contains(&p.join(" "))
        })
    }
    fn role_starting_at(&self, a: usize, lim: usize) -> Option<usize> {
        let hi = (a + self.lex.role_max).min(lim);
        (a + 1..=hi).rev().find(|&e| {
            let p: Vec<String> = (a..e).map(|i| self.lower(i)).collect();
            self.lex.roles.contains(&p.join(" "))
        })
    }
}

const CONNECT: &[&str] = &[
    "of", "for", "and", "de", "du", "da", "van", "von", "der", "del", "la", "le", "al", "bin", "&",
    "the", "to", "di", "des", "y",
];
/// Words always stripped from the start of a capitalised chunk.
const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "your",
    "according",
    "while",
    "when",
    "after",
    "before",
    "but",
    "and",
    "if",
    "as",
];
const PLACE_PREP: &[&str] = &["near", "across", "outside", "toward", "towards"];
const ORG_NOUNS: &[&str] = &[
    "group",
    "mercenary group",
    "private military company",
    "mercenaries",
    "forces",
    "fighters",
    "militia",
    "army",
    "company",
    "troops",
    "units",
    "personnel",
    "mercenary",
    "force",
];
const AGENT_SKIP: &[&str] = &[
    "only",
    "then",
    "initially",
    "also",
    "reportedly",
    "allegedly",
    "has",
    "have",
    "had",
    "now",
    "later",
    "first",
    "again",
    "still",
    "quickly",
    "has not",
    "would",
    "will",
    "did",
    "does",
    "is",
    "was",
    "not",
    "never",
    "already",
    "finally",
    "itself",
];
const AGENT_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "ordered",
    "orders",
    "decided",
    "decides",
    "denied",
    "denies",
    "announced",
    "announces",
    "warned",
    "warns",
    "accused",
    "accuses",
    "insisted",
    "claimed",
    "claims",
    "wants",
    "wanted",
    "hoped",
    "hopes",
    "refused",
    "refuses",
    "agreed",
    "agrees",
    "rejected",
    "rejects",
    "condemned",
    "condemns",
    "demanded",
    "demands",
    "responded",
    "confirmed",
    "confirms",
    "sent",
    "sends",
    "imposed",
    "imposes",
    "started",
    "opened",
    "has",
    "had",
    "is",
    "was",
    "will",
    "would",
    "can",
    "could",
    "must",
    "should",
    "did",
    "does",
    "failed",
    "tried",
    "sought",
    "seeks",
    "backed",
    "backs",
    "supported",
    "supports",
    "threatened",
    "threatens",
    "vowed",
    "vows",
    "called",
    "calls",
    "believes",
    "believed",
    "knew",
    "knows",
    "admitted",
    "admits",
    "approved",
    "approves",
    "blamed",
    "blames",
    "expelled",
    "recalled",
    "summoned",
    "retaliated",
    "signed",
    "signs",
    "pledged",
    "pledges",
];

fn title_abbrev(c: &Ctx, i: usize) -> bool {
    // "Mr." / "Gen." before token i
    i >= 2
        && c.s(i - 1) == "."
        && matches!(c.lex.abbrev.get(&c.lower(i - 2)), Some(AbbrevClass::Title))
}

fn namey(w: &str) -> bool {
    if w == "." {
        return true;
    }
    let mut ch = w.chars();
    ch.next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’' || c == '.')
}

#[derive(Clone)]
struct Draft {
    a: usize,
    b: usize,
    kind: MentionKind,
    rule: &'static str,
    class: Option<String>,
    country: Option<String>,
    role: Option<Role>,
    ext_a: usize,
    ext_b: usize,
}

/// Find name mentions, pronouns and title descriptions.
pub fn find(text: &str, seg: &Segmented) -> Vec<Mention> {
    let lex = &*LEX;
    let mut mid_caps = HashSet::new();
    let mut lower_seen = HashSet::new();
    let mut alone = HashSet::new();
    for s in &seg.sentences {
        let capw = |k: usize| {
            let t = &seg.tokens[k];
            t.kind == TokenKind::Word
                && text[t.start..t.end]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
        };
        for i in s.tokens.0 + 1..s.tokens.1 {
            if capw(i) && !capw(i - 1) && (i + 1 >= s.tokens.1 || !capw(i + 1)) && !s.title_case {
                let t = &seg.tokens[i];
                alone.insert(&text[t.start..t.end]);
            }
        }
        for i in s.tokens.0..s.tokens.1 {
            let t = &seg.tokens[i];
            if t.kind != TokenKind::Word {
                continue;
            }
            let w = &text[t.start..t.end];
            let f = w.chars().next().unwrap_or(' ');
            if f.is_lowercase() {
                if lower_seen.len() < 200_000 {
                    lower_seen.insert(w.to_string());
                }
            } else if f.is_uppercase() && !s.title_case && i > s.tokens.0 {
                let prev = &seg.tokens[i - 1];
                let pw = &text[prev.start..prev.end];
                if prev.kind != TokenKind::Quote && !matches!(pw, ":" | "(" | "-" | "—" | "–") {
                    mid_caps.insert(w);
                }
            }
        }
    }
    let c = Ctx {
        text,
        seg,
        lex,
        mid_caps,
        lower_seen,
        alone,
    };
    let mut drafts: Vec<Draft> = Vec::new();
    for d in &seg.datelines {
        // The dateline place (in capitals) and agency.
        let place_txt = &text[d.place.0..d.place.1];
        let title: String = title_case(place_txt);
        if let Some(p) = lex.place(&title) {
            drafts.push(Draft {
                a: usize::MAX,
                b: usize::MAX,
                kind: MentionKind::Place,
                rule: "dateline",
                class: Some(p.kind.to_string()),
                country: Some(p.country.to_string()).filter(|s| !s.is_empty()),
                role: None,
                ext_a: d.place.0,
                ext_b: d.place.1,
            });
        }
        if let Some((a, b)) = d.agency {
            drafts.push(Draft {
                a: usize::MAX,
                b: usize::MAX,
                kind: MentionKind::Organisation,
                rule: "dateline",
                class: Some("agency".into()),
                country: None,
                role: None,
                ext_a: a,
                ext_b: b,
            });
        }
    }
    for s in &seg.sentences {
        sentence_names(&c, s.tokens.0, s.tokens.1, s.title_case, &mut drafts);
    }
    let mut out: Vec<Mention> = Vec::with_capacity(drafts.len());
    for d in drafts {
        let (start, end) = if d.a == usize::MAX {
            (d.ext_a, d.ext_b)
        } else {
            (seg.tokens[d.a].start, seg.tokens[d.b - 1].end)
        };
        let (ea, eb) = if d.a == usize::MAX {
            (d.ext_a, d.ext_b)
        } else {
            (seg.tokens[d.ext_a].start, seg.tokens[d.ext_b - 1].end)
        };
        let mut m = Mention {
            start,
            end,
            text: text[start..end].to_string(),
            kind: d.kind,
            form: MentionForm::Name,
            extent: (ea.min(start), eb.max(end)),
            class: d.class,
            country: d.country,
            role: d.role,
            metonymy: None,
            rule: d.rule.to_string(),
            entity: 0,
        };
        if d.a != usize::MAX {
            m.metonymy = metonymy(&c, &m, d.a, d.b, d.ext_a);
        }
        out.push(m);
    }
    // Pronouns and title descriptions.
    for s in &seg.sentences {
        for i in s.tokens.0..s.tokens.1 {
            if !c.is_word(i) {
                continue;
            }
            let l = c.lower(i);
            if l == "he" || l == "she" {
                let t = &seg.tokens[i];
                out.push(Mention {
                    start: t.start,
                    end: t.end,
                    text: c.s(i).to_string(),
                    kind: MentionKind::Person,
                    form: MentionForm::Pronoun,
                    extent: (t.start, t.end),
                    class: Some(if l == "he" { "M" } else { "F" }.into()),
                    country: None,
                    role: None,
                    metonymy: None,
                    rule: "pronoun".into(),
                    entity: 0,
                });
            } else if l == "the" && i + 1 < s.tokens.1 {
                // the president / the Wagner founder (not followed by a name)
                let mut k = i + 1;
                if c.cap(k) && k + 1 < s.tokens.1 && !c.lex.roles.contains(&c.lower(k)) {
                    k += 1; // one affiliation word
                }
                if let Some(e) = c.role_starting_at(k, s.tokens.1)
                    && (e >= s.tokens.1 || !c.cap(e) || c.lex.is_common(&c.lower(e)))
                    && !(e < s.tokens.1 && matches!(c.lower(e).as_str(), "of" | "'s"))
                {
                    let (st, en) = (seg.tokens[i].start, seg.tokens[e - 1].end);
                    if out.iter().any(|m| m.extent.0 <= st && en <= m.extent.1) {
                        continue;
                    }
                    let title: Vec<String> = (k..e).map(|x| c.lower(x)).collect();
                    out.push(Mention {
                        start: st,
                        end: en,
                        text: text[st..en].to_string(),
                        kind: MentionKind::Person,
                        form: MentionForm::Nominal,
                        extent: (st, en),
                        class: Some(title.join(" ")),
                        country: None,
                        role: None,
                        metonymy: None,
                        rule: "title-description".into(),
                        entity: 0,
                    });
                }
            }
        }
    }
    out.sort_by_key(|m| (m.start, m.end));
    out.dedup_by(|b, a| a.start == b.start && a.end == b.end);
    out
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut ch = w.chars();
            match ch.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &ch.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_name_word(c: &Ctx, i: usize) -> bool {
    if !c.cap(i) {
        // "d'Ettorre", "al-Assad" inside a name
        let w = c.s(i);
        let particle = ["d'", "d’", "l'", "l’", "al-", "el-", "bin-"]
            .iter()
            .any(|p| w.starts_with(p) && w[p.len()..].starts_with(char::is_uppercase));
        return particle && c.is_word(i) && i > 0 && c.cap(i - 1);
    }
    if c.lex.calendar.contains(c.lower(i).as_str()) {
        return false;
    }
    let w = c.s(i);
    // the possessive token, single capital "I", contractions ("I've", "We'll")
    if let Some(p) = w.find(['\'', '’'])
        && c.lex.is_common(&w[..p].to_lowercase())
    {
        return false;
    }
    // "Jan. 5": a month abbreviation
    if i + 1 < c.seg.tokens.len()
        && c.s(i + 1) == "."
        && matches!(c.lex.abbrev.get(&c.lower(i)), Some(AbbrevClass::Month))
    {
        return false;
    }
    !(w == "I" || w.starts_with('\'') || w.starts_with('’'))
}

fn sentence_names(c: &Ctx, st: usize, en: usize, title_case: bool, out: &mut Vec<Draft>) {
    let mut i = st;
    while i < en {
        if !is_name_word(c, i) {
            i += 1;
            continue;
        }
        let a = i;
        let mut j = i + 1;
        loop {
            if j < en && is_name_word(c, j) {
                j += 1;
                continue;
            }
            if j + 1 < en && c.is_word(j) && !c.cap(j) {
                let l = c.lower(j);
                if CONNECT.contains(&l.as_str()) && is_name_word(c, j + 1) {
                    let ok = match l.as_str() {
                        "the" => j > a && matches!(c.lower(j - 1).as_str(), "of" | "for"),
                        "to" => c.role_ending_at(a, j).is_some(),
                        _ => true,
                    };
                    if ok {
                        j += 2;
                        continue;
                    }
                }
                // "of the" inside a name: Institute for the Study of War
                if (l == "of" || l == "for")
                    && j + 2 < en
                    && c.lower(j + 1) == "the"
                    && is_name_word(c, j + 2)
                {
                    j += 3;
                    continue;
                }
            }
            // "Jonathan M. Stan", "St. Louis", "Mr. Lee"
            if j + 1 < en
                && c.s(j) == "."
                && c.adjacent(j)
                && (c.s(j - 1).chars().count() == 1
                    || matches!(c.lex.abbrev.get(&c.lower(j - 1)), Some(AbbrevClass::Title)))
                && is_name_word(c, j + 1)
            {
                j += 2;
                continue;
            }
            if j + 1 < en && c.s(j) == "&" && is_name_word(c, j + 1) {
                j += 2;
                continue;
            }
            break;
        }
        let initial = a == st
            || (a > st
                && (c.seg.tokens[a - 1].kind == TokenKind::Quote
                    || matches!(c.s(a - 1), ":" | "(" | "—" | "–" | "-" | "•")));
        chunk(c, st, en, a, j, initial || title_case, title_case, out);
        i = j.max(a + 1);
    }
}

/// Split a chunk at connectors that do not belong inside one name ("Prigozhin and Putin").
#[allow(clippy::too_many_arguments)]
fn chunk(
    c: &Ctx,
    st: usize,
    en: usize,
    a: usize,
    b: usize,
    initial: bool,
    title_case: bool,
    out: &mut Vec<Draft>,
) {
    // cut at "and"/"&" unless the whole ends with an organisation head
    let last_l = c.lower(b - 1);
    let org_end = c.lex.org_heads.contains(last_l.as_str())
        && !(a + 1..b).any(|k| {
            matches!(c.lower(k).as_str(), "and" | "&")
                && (c.lex.org_heads.contains(c.lower(k - 1).as_str()) || c.known(&c.key(a, k)))
        });
    {
        for k in a + 1..b {
            let l = c.lower(k);
            if (l == "and" || l == "&")
                && !c.known(&c.key(a, b))
                && (!org_end || c.known(&c.key(a, k)))
            {
                chunk(c, st, en, a, k, initial, title_case, out);
                chunk(c, st, en, k + 1, b, title_case, title_case, out);
                return;
            }
        }
    }
    if title_case {
        evidence_spans(c, a, b, out);
        return;
    }
    // "Troy Patterson of Slate Magazine": a person and an organisation
    if c.lex.first_names.contains_key(c.s(a)) {
        for k in a + 2..b.saturating_sub(1) {
            if matches!(c.lower(k).as_str(), "of" | "for") && (a..k).all(|x| namey(c.s(x))) {
                chunk(c, st, en, a, k, initial, title_case, out);
                chunk(c, st, en, k + 1, b, false, title_case, out);
                return;
            }
        }
    }
    let mut a = a;
    // "Mr. Lee Hsien Loong": the title abbreviation is no part of the name
    if b - a >= 3
        && c.s(a + 1) == "."
        && matches!(c.lex.abbrev.get(&c.lower(a)), Some(AbbrevClass::Title))
        && !c.known(&c.key(a, b))
    {
        a += 2;
    }
    // Leading common words ("The", "According", "While") are not names.
    let org_headed = c.lex.org_heads.contains(c.lower(b - 1).as_str()) && b - a >= 3;
    while a < b
        && c.lex.is_common(&c.lower(a))
        && (!org_headed || DETERMINERS.contains(&c.lower(a).as_str()))
        && !c.known(c.s(a))
        && role_len(c, a, b) == 0
        && !(a + 1..=b.min(a + c.lex.max_name_tokens)).any(|e| c.known(&c.key(a, e)))
    {
        a += 1;
        if a < b && !is_name_word(c, a) {
            // "of" left at the start
            while a < b && !is_name_word(c, a) {
                a += 1;
            }
        }
    }
    if a >= b {
        return;
    }
    let first_initial = initial && a == first_word_of(c, st, a);
    type_chunk(c, st, en, a, b, first_initial, out);
}

fn first_word_of(c: &Ctx, st: usize, a: usize) -> usize {
    // the first word token of the sentence, or `a` itself if only quotes precede it
    let mut k = st;
    while k < a && !c.is_word(k) {
        k += 1;
    }
    k
}

fn role_len(c: &Ctx, a: usize, b: usize) -> usize {
    c.role_starting_at(a, b).map_or(0, |e| e - a)
}

/// In title-case text, keep only sub-spans the lexicons know or the body writes capitalised.
fn evidence_spans(c: &Ctx, a: usize, b: usize, out: &mut Vec<Draft>) {
    let mut i = a;
    while i < b {
        let mut found = None;
        let hi = (i + c.lex.max_name_tokens).min(b);
        for e in (i + 1..=hi).rev() {
            let k = c.key(i, e);
            if c.known(&k) {
                found = Some(e);
                break;
            }
        }
        let e = match found {
            Some(e) => e,
            None => {
                let mut e = i;
                while e < b && c.cap(e) && c.mid_caps.contains(c.s(e)) {
                    e += 1;
                }
                e
            }
        };
        if e > i {
            if let Some(d) = classify(c, i, e, i, false) {
                out.push(d);
            }
            i = e;
        } else {
            i += 1;
        }
    }
}

/// Type one chunk `[a, b)`; split off a role prefix; attach appositions.
fn type_chunk(
    c: &Ctx,
    st: usize,
    en: usize,
    a: usize,
    b: usize,
    initial: bool,
    out: &mut Vec<Draft>,
) {
    // Role prefix: "[Affiliation] Role [to|of Place] Name".
    let mut role_split = None;
    // first a role right before the name, then a role with a "to/of Place" tail
    'outer: for direct in [true, false] {
        for k in a + 1..b {
            if !person_like(c, k, b) {
                continue;
            }
            for r in (a + 1..=k).rev() {
                let tail_ok = if direct {
                    r == k
                } else {
                    matches!(c.lower(r).as_str(), "to" | "of" | "for")
                        && r + 1 < k
                        && (r + 1..k).all(|x| is_name_word(c, x) || c.lower(x) == "the")
                        && (r + 1..k).any(|x| is_name_word(c, x))
                };
                if !tail_ok {
                    continue;
                }
                if let Some(rs) = c.role_ending_at(a, r) {
                    role_split = Some((rs, r, k));
                    break 'outer;
                }
            }
        }
    }
    if let Some((rs, r, k)) = role_split {
        let title: Vec<String> = (rs..r).map(|x| c.lower(x)).collect();
        let aff = if rs > a {
            Some((a, rs))
        } else if r < k {
            Some((r + 1, k))
        } else {
            None
        };
        let aff2 = aff;
        let country = (a..k).find_map(|x| country_of(c, x));
        let role = Role {
            start: c.seg.tokens[a].start,
            end: c.seg.tokens[k - 1].end,
            text: c.span(a, k).to_string(),
            title: title.join(" "),
            affiliation: aff2.map(|(x, y)| (c.seg.tokens[x].start, c.seg.tokens[y - 1].end)),
            country,
        };
        if r < k
            && let Some(d) = classify(c, r + 1, k, st, false)
            && d.kind != MentionKind::Nationality
        {
            out.push(d);
        }
        // The affiliation is a mention of its own (Kremlin, Russian Security Council, CIA).
        if let Some((x, y)) = aff
            && let Some(d) = classify(c, x, y, st, initial && x == a)
            && d.kind != MentionKind::Nationality
        {
            out.push(d);
        }
        let mut d = Draft {
            a: k,
            b,
            kind: MentionKind::Person,
            rule: "role",
            class: None,
            country: None,
            role: Some(role),
            ext_a: a,
            ext_b: b,
        };
        extend_det(c, st, &mut d);
        out.push(d);
        return;
    }
    // Sentence-initial single unknown words need evidence.
    if initial {
        let w = c.s(a);
        let known = (a..b).any(|x| c.known(c.s(x)) || c.lex.first_names.contains_key(c.s(x)));
        let seen_mid = c.mid_caps.contains(w) && !c.lower_seen.contains(&w.to_lowercase());
        if b - a == 1 && !known && !seen_mid {
            return;
        }
        if b - a > 1 && !known && !seen_mid && c.lower_seen.contains(&w.to_lowercase()) {
            // "Sources Close" style: drop the first word, keep the rest
            if b - a >= 2 {
                return type_chunk(c, st, en, a + 1, b, false, out);
            }
            return;
        }
    }
    // A role alone at the start ("President Putin" is handled above; "Belarusian President"
    // without a name is a description, not a name).
    if role_len(c, a, b) == b - a {
        return;
    }
    // A role of something ("Prime Minister of Canada", "Chairman and Chief Operating Officer of
    // AirTran Airways"): a description; what follows "of" is the name.
    {
        let mut e = a;
        while let Some(re) = c.role_starting_at(e, b) {
            e = re;
            if e < b && matches!(c.lower(e).as_str(), "and" | "&") {
                e += 1;
            } else {
                break;
            }
        }
        if e > a && e + 1 < b && matches!(c.lower(e).as_str(), "of" | "to" | "for" | "at") {
            let mut k = e + 1;
            if c.lower(k) == "the" {
                k += 1;
            }
            if k < b {
                type_chunk(c, st, en, k, b, false, out);
            }
            return;
        }
    }
    if let Some(mut d) = classify(c, a, b, st, initial) {
        let n = c.seg.tokens.len();
        // "Apple Inc." / "John Smith Jr.": the abbreviation's full stop belongs to the name
        if d.b < n
            && c.s(d.b) == "."
            && c.adjacent(d.b)
            && matches!(
                c.lex.abbrev.get(&c.lower(d.b - 1)),
                Some(AbbrevClass::Suffix)
            )
        {
            d.b += 1;
            d.ext_b = d.ext_b.max(d.b);
        }
        if d.kind == MentionKind::Person && title_abbrev(c, d.a) && d.ext_a == d.a {
            d.ext_a = d.a - 2;
        }
        if d.b >= b {
            extend_det(c, st, &mut d);
        }
        // "Cambridge, Massachusetts", "Buxton, England": the region belongs to the place
        if d.kind == MentionKind::Place && d.b + 1 < n && c.s(d.b) == "," && d.b + 1 < en {
            let mut e = d.b + 1;
            while e < en && e < d.b + 1 + c.lex.max_name_tokens && is_name_word(c, e) {
                e += 1;
            }
            if e > d.b + 1
                && c.lex
                    .place(&c.key(d.b + 1, e))
                    .is_some_and(|p| matches!(p.kind, "country" | "region"))
                && (e >= en || !is_name_word(c, e))
            {
                d.ext_b = e;
            }
        }
        if d.kind == MentionKind::Organisation {
            org_descriptor_before(c, st, &mut d);
        }
        if d.kind == MentionKind::Person {
            lower_role_before(c, st, &mut d);
            apposition_after(c, en, &mut d);
        }
        if d.kind == MentionKind::Organisation || d.rule == "default" {
            org_noun_after(c, en, &mut d);
        }
        if d.kind == MentionKind::Organisation {
            nested(c, d.a, d.b, (d.a, d.b), out);
        }
        if d.ext_a < d.a {
            nested(c, d.ext_a, d.a, (d.a, d.b), out);
        }
        out.push(d);
    }
}

/// A nested mention: end token, kind, rule, class, country.
type Found = (
    usize,
    MentionKind,
    &'static str,
    Option<String>,
    Option<String>,
);

/// Places and people named inside an organisation's name or its modifiers ("the University of
/// Copenhagen", "the Andy Warhol Foundation", "UK RAF").
fn nested(c: &Ctx, a: usize, b: usize, whole: (usize, usize), out: &mut Vec<Draft>) {
    let mut i = a;
    while i < b {
        let mut found: Option<Found> = None;
        if is_name_word(c, i) {
            let hi = (i + c.lex.max_name_tokens).min(b);
            for e in (i + 1..=hi).rev() {
                if (i, e) == whole {
                    continue;
                }
                if let Some(p) = c.lex.place(&c.key(i, e))
                    && (matches!(p.kind, "country" | "region" | "continent")
                        || (p.kind == "city" && p.population >= 100_000))
                    && !c.lex.roles.contains(&c.lower(i))
                {
                    found = Some((
                        e,
                        MentionKind::Place,
                        "nested-place",
                        Some(p.kind.to_string()),
                        Some(p.country.to_string()).filter(|x| !x.is_empty()),
                    ));
                    break;
                }
            }
            if found.is_none()
                && i + 2 <= b
                && (i, i + 2) != whole
                && c.lex.first_names.contains_key(c.s(i))
                && is_name_word(c, i + 1)
                && namey(c.s(i + 1))
                && !c.lex.org_heads.contains(c.lower(i + 1).as_str())
            {
                found = Some((i + 2, MentionKind::Person, "nested-person", None, None));
            }
        }
        match found {
            Some((e, kind, rule, class, country)) => {
                out.push(Draft {
                    a: i,
                    b: e,
                    kind,
                    rule,
                    class,
                    country,
                    role: None,
                    ext_a: i,
                    ext_b: e,
                });
                i = e;
            }
            None => i += 1,
        }
    }
}

fn person_like(c: &Ctx, k: usize, b: usize) -> bool {
    let n = b - k;
    if n == 0 || n > 4 {
        return false;
    }
    let key = c.key(k, b);
    if (k + 2..b).any(|e| {
        let p = c.key(k, e);
        c.lex.places.contains_key(&p) || c.lex.orgs.contains_key(&p)
    }) {
        return false;
    }
    if (c.known(c.s(k))
        && !c.lex.people.contains_key(c.s(k))
        && !c.lex.first_names.contains_key(c.s(k)))
        || c.lex.roles.contains(&c.lower(k))
    {
        return false;
    }
    if c.lex.orgs.contains_key(&key)
        || c.lex.places.contains_key(&key)
        || c.lex.org_heads.contains(c.lower(b - 1).as_str())
    {
        return false;
    }
    (k..b).all(|x| namey(c.s(x)) && !c.lex.is_common(&c.lower(x)))
}

fn country_of(c: &Ctx, x: usize) -> Option<String> {
    let w = c.s(x);
    if let Some(cc) = c.lex.demonyms.get(w) {
        return Some(cc.to_string()).filter(|s| !s.is_empty());
    }
    if let Some(p) = c.lex.place(w)
        && p.kind == "country"
    {
        return Some(p.country.to_string());
    }
    if let Some((cc, _)) = c.lex.metonyms.get(w) {
        return Some(cc.to_string());
    }
    None
}

fn extend_det(c: &Ctx, st: usize, d: &mut Draft) {
    // "the American think tank": the determiner belongs to the noun, not the adjective
    if d.kind == MentionKind::Nationality && d.b < c.seg.tokens.len() && c.is_word(d.b) {
        return;
    }
    if d.ext_a > st && c.lower(d.ext_a - 1) == "the" {
        d.ext_a -= 1;
    }
}

/// "former president Donald Trump", "opposition leader Alexei Navalny"
fn lower_role_before(c: &Ctx, st: usize, d: &mut Draft) {
    if d.role.is_some() || d.a == 0 {
        return;
    }
    let end = d.ext_a;
    let Some(rs) = c.role_ending_at(st, end) else {
        return;
    };
    if rs == end {
        return;
    }
    let mut rs = rs;
    // "activist and philosopher": coordinated roles
    while rs >= st + 2 && c.lower(rs - 1) == "and" {
        match c.role_ending_at(st, rs - 1) {
            Some(r2) if r2 < rs - 1 => rs = r2,
            _ => break,
        }
    }
    let mut k = rs;
    while k > st && k + 3 > rs && c.is_word(k - 1) {
        let l = c.lower(k - 1);
        if l == "the" || l == "a" || c.lex.is_common(&l) && !c.cap(k - 1) {
            break;
        }
        k -= 1;
    }
    let title: Vec<String> = (rs..end).map(|x| c.lower(x)).collect();
    d.role = Some(Role {
        start: c.seg.tokens[k].start,
        end: c.seg.tokens[end - 1].end,
        text: c.span(k, end).to_string(),
        title: title.join(" "),
        affiliation: (k < rs).then(|| (c.seg.tokens[k].start, c.seg.tokens[rs - 1].end)),
        country: (k..rs).find_map(|x| country_of(c, x)),
    });
    d.ext_a = k;
    if k > st && c.lower(k - 1) == "the" {
        d.ext_a = k - 1;
    }
    if d.rule == "default" {
        d.rule = "role";
    }
}

/// "Sergey Naryshkin, leader of the Russian Foreign Intelligence Service" and
/// "the Wagner founder and leader, Yevgeny Prigozhin".
fn apposition_after(c: &Ctx, en: usize, d: &mut Draft) {
    // before: "..., Name"
    if d.role.is_none() && d.ext_a >= 2 && c.s(d.ext_a - 1) == "," {
        let end = d.ext_a - 1;
        if let Some(rs) = c.role_ending_at(end.saturating_sub(6), end) {
            // walk back over "founder and leader", affiliation words and a determiner
            let mut k = rs;
            while k > 0 && k + 8 > end {
                let l = c.lower(k - 1);
                if l == "and" || c.lex.roles.contains(&l) || c.cap(k - 1) {
                    k -= 1;
                    continue;
                }
                break;
            }
            let det = k > 0 && matches!(c.lower(k - 1).as_str(), "the" | "a" | "an");
            if det || k == 0 || c.s(k - 1) == "," {
                let mut t0 = k;
                while t0 < end && (c.cap(t0) && !c.lex.roles.contains(&c.lower(t0))) {
                    t0 += 1;
                }
                let title: Vec<String> = (t0..end).map(|x| c.lower(x)).collect();
                d.role = Some(Role {
                    start: c.seg.tokens[k].start,
                    end: c.seg.tokens[end - 1].end,
                    text: c.span(k, end).to_string(),
                    title: title.join(" "),
                    affiliation: (t0 > k)
                        .then(|| (c.seg.tokens[k].start, c.seg.tokens[t0 - 1].end)),
                    country: (k..t0).find_map(|x| country_of(c, x)),
                });
                d.ext_a = if det { k - 1 } else { k };
                return;
            }
        }
    }
    // after: "Name, [the|a] role [of|at ... Org]"
    let b = d.b;
    if d.role.is_none() && b + 1 < en && c.s(b) == "," {
        let mut k = b + 1;
        if matches!(c.lower(k).as_str(), "the" | "a" | "an") {
            k += 1;
        }
        // modifiers: "former", "deputy", an affiliation word
        let mut m = k;
        while m < en
            && m < k + 3
            && c.role_starting_at(m, en).is_none()
            && c.is_word(m)
            && (!c.lex.is_common(&c.lower(m)) || matches!(c.lower(m).as_str(), "former" | "senior"))
        {
            m += 1;
        }
        if k > b + 1 || m > k || c.role_starting_at(m, en).is_some() {
            // ok: "the ...", modifiers, or a role right after the comma
        }
        if m < en
            && c.lex.is_common(&c.lower(b + 1))
            && !matches!(
                c.lower(b + 1).as_str(),
                "the" | "a" | "an" | "former" | "senior"
            )
        {
            return;
        }
        if let Some(re) = c.role_starting_at(m, en) {
            let title: Vec<String> = (m..re).map(|x| c.lower(x)).collect();
            let mut e = re;
            let mut aff = None;
            if e < en && matches!(c.lower(e).as_str(), "of" | "at" | "for" | "to") {
                let mut x = e + 1;
                if x < en && c.lower(x) == "the" {
                    x += 1;
                }
                let y0 = x;
                while x < en && (is_name_word(c, x) || (x > y0 && c.lower(x) == "of")) {
                    x += 1;
                }
                if x > y0 {
                    aff = Some((y0, x));
                    e = x;
                }
            }
            let aff = aff.or((m > k).then_some((k, m)));
            d.role = Some(Role {
                start: c.seg.tokens[b + 1].start,
                end: c.seg.tokens[e - 1].end,
                text: c.span(b + 1, e).to_string(),
                title: title.join(" "),
                affiliation: aff.map(|(x, y)| (c.seg.tokens[x].start, c.seg.tokens[y - 1].end)),
                country: aff.and_then(|(x, y)| (x..y).find_map(|z| country_of(c, z))),
            });
            d.ext_b = e;
        }
    }
}

/// "the Russian opposition newspaper Meduza", "aircraft manufacturer Boeing".
fn org_descriptor_before(c: &Ctx, st: usize, d: &mut Draft) {
    let mut k = d.ext_a;
    if k > st && c.lower(k - 1) == "the" {
        return; // "the" right before the name: no descriptor
    }
    // one or two descriptor words ("think tank", "news agency")
    let desc_end = k;
    let mut found = false;
    for len in [2usize, 1] {
        if k >= st + len {
            let p: Vec<String> = (k - len..k).map(|x| c.lower(x)).collect();
            if (k - len..k).all(|x| c.is_word(x) && !c.cap(x))
                && c.lex.org_descriptors.contains(p.join(" ").as_str())
            {
                k -= len;
                found = true;
                break;
            }
        }
    }
    if !found {
        return;
    }
    // modifiers: lower-case words that are no function words, demonyms, places
    let mut m = k;
    while m > st && m + 4 > k && c.is_word(m - 1) {
        let w = c.s(m - 1);
        let l = c.lower(m - 1);
        let ok = (!c.cap(m - 1) && !c.lex.is_common(&l) && !c.lex.roles.contains(&l))
            || c.lex.demonyms.contains_key(w)
            || c.lex.place(w).is_some();
        if !ok {
            break;
        }
        m -= 1;
    }
    let _ = desc_end;
    d.ext_a = m;
    if m > st && matches!(c.lower(m - 1).as_str(), "the" | "a" | "an") {
        d.ext_a = m - 1;
    }
}

/// "the Wagner mercenary group", "Wagner PMCs", "Wagner forces".
fn org_noun_after(c: &Ctx, en: usize, d: &mut Draft) {
    let b = d.b;
    for n in ORG_NOUNS {
        let parts: Vec<&str> = n.split(' ').collect();
        if b + parts.len() <= en
            && parts
                .iter()
                .enumerate()
                .all(|(k, p)| c.is_word(b + k) && !c.cap(b + k) && c.lower(b + k) == *p)
        {
            if d.kind != MentionKind::Organisation && d.kind != MentionKind::Person {
                d.kind = MentionKind::Organisation;
                d.rule = "generic-org-noun";
            } else if d.kind == MentionKind::Person {
                // a bare person-guess followed by "group" is an organisation
                d.kind = MentionKind::Organisation;
                d.rule = "generic-org-noun";
            }
            d.ext_b = b + parts.len();
            return;
        }
    }
}

/// Decide the type of `[a, b)`.
fn classify(c: &Ctx, a: usize, b: usize, st: usize, initial: bool) -> Option<Draft> {
    let key = c.key(a, b);
    let lex = c.lex;
    let mk = |kind, rule, class: Option<&str>, country: Option<&str>| Draft {
        a,
        b,
        kind,
        rule,
        class: class.map(str::to_string),
        country: country.filter(|s| !s.is_empty()).map(str::to_string),
        role: None,
        ext_a: a,
        ext_b: b,
    };
    if let Some(p) = lex.people.get(key.as_str()) {
        let _ = p;
        return Some(mk(MentionKind::Person, "lexicon-person", None, None));
    }
    if let Some(o) = lex.orgs.get(&key) {
        return Some(mk(
            MentionKind::Organisation,
            "lexicon-org",
            Some(o.class),
            Some(o.country),
        ));
    }
    let last = c.lower(b - 1);
    let first_l = c.lower(a);
    if let Some(p) = lex.place(&key) {
        // "Russian Federation" is a place, "Moscow" too
        return Some(mk(
            MentionKind::Place,
            "lexicon-place",
            Some(p.kind),
            Some(p.country),
        ));
    }
    if let Some(cc) = lex.demonyms.get(&key) {
        return Some(mk(MentionKind::Nationality, "demonym", None, Some(cc)));
    }
    // plural demonyms: "Russians", "Americans"
    if b - a == 1
        && let Some(sing) = key.strip_suffix('s')
        && let Some(cc) = lex.demonyms.get(sing)
    {
        return Some(mk(MentionKind::Nationality, "demonym", None, Some(cc)));
    }
    let two_word_person = b - a == 2 && lex.first_names.contains_key(c.s(a));
    if first_l == "air" && b - a >= 2 {
        return Some(mk(MentionKind::Organisation, "org-head", None, None));
    }
    if lex.org_heads.contains(last.as_str())
        && !(b - a == 1 && lex.is_common(&last))
        && !two_word_person
    {
        let country = (a..b).find_map(|x| country_of(c, x));
        return Some(mk(
            MentionKind::Organisation,
            "org-head",
            None,
            country.as_deref(),
        ));
    }
    if b - a >= 3 && c.lower(a + 1) == "of" && lex.org_heads.contains(first_l.as_str()) {
        let country = (a..b).find_map(|x| country_of(c, x));
        return Some(mk(
            MentionKind::Organisation,
            "org-head",
            None,
            country.as_deref(),
        ));
    }
    if b - a >= 2 && lex.place_heads.contains(last.as_str()) {
        return Some(mk(MentionKind::Place, "place-head", Some(&last), None));
    }
    if b - a >= 3 && c.lower(a + 1) == "of" && lex.place_heads.contains(first_l.as_str()) {
        return Some(mk(MentionKind::Place, "place-head", Some(&first_l), None));
    }
    if b - a >= 2
        && lex.first_names.contains_key(c.s(a))
        && (a..b).all(|x| namey(c.s(x)))
        && (b - a == 2 || !lex.org_heads.contains(last.as_str()))
    {
        return Some(mk(MentionKind::Person, "first-name", None, None));
    }
    // A demonym or country modifying a known name: "Russian Wagner", "German Der Spiegel".
    if b - a >= 2
        && (lex.demonyms.contains_key(c.s(a))
            || lex.place(c.s(a)).is_some_and(|p| p.kind == "country"))
    {
        if let Some(mut d) = classify(c, a + 1, b, st, false) {
            d.ext_a = a;
            if d.country.is_none() {
                d.country = country_of(c, a);
            }
            return Some(d);
        }
        // the rest is no name ("US Government" with a common head): the modifier alone
        return classify(c, a, a + 1, st, false);
    }
    if b - a >= 2 && lex.first_names.contains_key(c.s(a)) && (a..b).all(|x| namey(c.s(x))) {
        return Some(mk(MentionKind::Person, "first-name", None, None));
    }
    if title_abbrev(c, a) {
        return Some(mk(MentionKind::Person, "title-abbreviation", None, None));
    }
    if b - a >= 2 && lex.people.contains_key(c.s(b - 1)) {
        return Some(mk(MentionKind::Person, "known-surname", None, None));
    }
    let w = c.s(a);
    if b - a == 1 {
        if w.chars().count() == 1
            || lex.is_common(&w.to_lowercase())
            || (b < c.seg.tokens.len()
                && c.s(b) == "."
                && matches!(lex.abbrev.get(&w.to_lowercase()), Some(AbbrevClass::Title)))
        {
            return None;
        }
        let letters = w.chars().filter(|ch| ch.is_alphabetic()).count();
        if letters >= 2 && !w.chars().any(char::is_lowercase) && w.chars().count() <= 6 {
            return Some(mk(MentionKind::Organisation, "acronym", None, None));
        }
        if lex.is_common(&w.to_lowercase()) {
            return None;
        }
        if lex.first_names.contains_key(w) && !initial {
            return Some(mk(MentionKind::Person, "first-name", None, None));
        }
        let lw = w.to_lowercase();
        if w.chars().count() >= 5
            && w.chars().skip(1).all(char::is_lowercase)
            && c.lex.surname_endings.iter().any(|e| lw.ends_with(e))
        {
            return Some(mk(MentionKind::Person, "surname-ending", None, None));
        }
        if b + 1 < c.seg.tokens.len() && c.s(b) == "," && c.lower(b + 1) == "who" {
            return Some(mk(MentionKind::Person, "who-clause", None, None));
        }
        if a > st && PLACE_PREP.contains(&c.lower(a - 1).as_str()) {
            return Some(mk(MentionKind::Place, "preposition", None, None));
        }
        if b < c.seg.tokens.len() && c.s(b) == "," && b + 1 < c.seg.tokens.len() {
            let nx = c.s(b + 1);
            if lex
                .place(nx)
                .is_some_and(|p| p.kind == "country" || p.kind == "region")
            {
                return Some(mk(MentionKind::Place, "place-comma-region", None, None));
            }
        }
        return Some(mk(MentionKind::Organisation, "default", None, None));
    }
    // Shortened forms elsewhere in the report: people keep their last name ("Nardelli"),
    // organisations their first word ("Lockheed", "Northrop").
    let last_alone = c.alone.contains(c.s(b - 1));
    let first_alone = c.alone.contains(c.s(a));
    let plain = b - a <= 3 && (a..b).all(|x| namey(c.s(x)));
    if last_alone && !first_alone && plain {
        return Some(mk(MentionKind::Person, "surname-reused", None, None));
    }
    if first_alone && !last_alone && plain {
        return Some(mk(
            MentionKind::Organisation,
            "first-word-reused",
            None,
            None,
        ));
    }
    // A country or continent inside the name: "GM Europe", "Air India".
    if (a..b).any(|x| {
        lex.place(c.s(x))
            .is_some_and(|p| matches!(p.kind, "country" | "continent"))
    }) {
        return Some(mk(MentionKind::Organisation, "place-in-name", None, None));
    }
    if (a..b).all(|x| namey(c.s(x))) && b - a <= 3 && !(a > st && c.lower(a - 1) == "the") {
        return Some(mk(MentionKind::Person, "default", None, None));
    }
    Some(mk(MentionKind::Organisation, "default", None, None))
}

fn metonymy(c: &Ctx, m: &Mention, a: usize, b: usize, ext_a: usize) -> Option<Metonymy> {
    if !matches!(m.kind, MentionKind::Place | MentionKind::Organisation) {
        return None;
    }
    let (cc, what) = c.lex.metonyms.get(m.text.as_str())?;
    let n = c.seg.tokens.len();
    // agent: next word (after adverbs) is a verb
    let mut k = b;
    while k < n && c.is_word(k) && AGENT_SKIP.contains(&c.lower(k).as_str()) && k < b + 3 {
        k += 1;
    }
    let agent = (k < n && c.is_word(k) && AGENT_VERBS.contains(&c.lower(k).as_str()))
        || (k > b
            && matches!(
                c.lower(b).as_str(),
                "has" | "had" | "is" | "was" | "will" | "would" | "did" | "does"
            ));
    // "between Moscow and Washington"
    let between = {
        let before_and = a >= 2 && c.lower(a - 1) == "and" && {
            let mut x = a - 1;
            while x > 0 && x + 4 > a && c.lower(x) != "between" {
                x -= 1;
            }
            c.lower(x) == "between"
        };
        let after_between = ext_a >= 1 && c.lower(ext_a - 1) == "between";
        before_and || after_between
    };
    // a place preceded by a preposition of location is a place
    if ext_a >= 1 && PLACE_PREP.contains(&c.lower(ext_a - 1).as_str()) && !between {
        return None;
    }
    if agent || between {
        return Some(Metonymy {
            stands_for: what.clone(),
            country: Some(cc.to_string()),
            rule: if agent {
                "agent-verb"
            } else {
                "between-capitals"
            }
            .to_string(),
        });
    }
    None
}
