//! Tokens, sentences, quotations, headlines and datelines, with byte offsets into the text.

use serde::{Deserialize, Serialize};

use crate::lexicon::{AbbrevClass, LEX};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Quote,
    Symbol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentenceKind {
    /// Running prose.
    Body,
    /// A short line without final punctuation (title, subheading, label line).
    Headline,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub kind: SentenceKind,
    /// Token range `[first, last)` into `Language::tokens`.
    pub tokens: (usize, usize),
    /// Paragraph (block) index.
    pub block: usize,
    /// Most words are capitalised (title case): capitals are no evidence of names here.
    pub title_case: bool,
}

/// A quotation, which may span sentences and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quotation {
    /// From the opening mark (or the start of the paragraph if none) to the closing mark
    /// (or the end of the last paragraph if none), marks included.
    pub start: usize,
    pub end: usize,
    pub open_mark: Option<usize>,
    pub close_mark: Option<usize>,
    /// Paragraphs it spans.
    pub blocks: (usize, usize),
}

/// "MOSCOW (Reuters) -" at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dateline {
    pub start: usize,
    pub end: usize,
    pub place: (usize, usize),
    pub agency: Option<(usize, usize)>,
}

pub(crate) fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{201F}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\''
            | '`'
    )
}

fn is_apos(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Tokenise `text[start..end]`, appending to `out`. Linear in the length.
pub fn tokenize_into(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let s = &text[start..end];
    let b = s.as_bytes();
    let mut it = s.char_indices().peekable();
    let next_char = |i: usize| -> Option<char> { s[i..].chars().next() };
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() || c.is_control() {
            continue;
        }
        if c.is_alphanumeric() {
            // Word or number: scan to its end.
            let mut j = i + c.len_utf8();
            let mut all_digit = c.is_ascii_digit();
            let mut run_len = 1usize; // length of the current alphanumeric run
            let mut dotted = false;
            while let Some(d) = next_char(j) {
                if d.is_alphanumeric() {
                    all_digit &= d.is_ascii_digit();
                    run_len += 1;
                    j += d.len_utf8();
                    continue;
                }
                let after = next_char(j + d.len_utf8());
                let after_alnum = after.is_some_and(char::is_alphanumeric);
                let prev = b[j - 1];
                if is_dash(d) && after_alnum {
                    // Split "Wagner-affiliated" (capitalised head, lower-case tail) but keep
                    // "Rostov-on-Don", "al-Assad", "Jean-Pierre", "F-16".
                    let head_cap = s[i..].chars().next().is_some_and(char::is_uppercase);
                    let tail_end = s[j + d.len_utf8()..]
                        .find(|x: char| !(x.is_alphanumeric() || is_dash(x)))
                        .map_or(s.len(), |k| j + d.len_utf8() + k);
                    let tail = &s[j + d.len_utf8()..tail_end];
                    let last_part = tail.rsplit(is_dash).next().unwrap_or("");
                    let last_lower = last_part.chars().next().is_some_and(char::is_lowercase);
                    if head_cap && last_lower {
                        break;
                    }
                    run_len = 0;
                    all_digit = false;
                    j += d.len_utf8();
                    continue;
                }
                if (d == '.' || d == ',') && after_alnum {
                    let next_digit = after.is_some_and(|x| x.is_ascii_digit());
                    if prev.is_ascii_digit() && next_digit && (d == '.' || all_digit) {
                        j += 1;
                        continue;
                    }
                    if d == '.' && run_len == 1 && after.is_some_and(char::is_alphabetic) {
                        // U.S.A, e.g
                        dotted = true;
                        run_len = 0;
                        j += 1;
                        continue;
                    }
                }
                if d == '&' && after.is_some_and(|x| x.is_uppercase()) && prev.is_ascii_uppercase()
                {
                    // AT&T
                    j += 1;
                    continue;
                }
                if is_apos(d) && after_alnum {
                    // don't, O'Brien; not the possessive 's
                    let rest = &s[j + d.len_utf8()..];
                    let poss = (rest.starts_with('s') || rest.starts_with('S'))
                        && !rest[1..].starts_with(char::is_alphanumeric);
                    if !poss {
                        j += d.len_utf8();
                        run_len = 0;
                        continue;
                    }
                }
                break;
            }
            if dotted && next_char(j) == Some('.') {
                j += 1;
            }
            out.push(Token {
                start: start + i,
                end: start + j,
                kind: if all_digit || c.is_ascii_digit() {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                },
            });
            while it.peek().is_some_and(|&(k, _)| k < j) {
                it.next();
            }
            continue;
        }
        if is_apos(c)
            && i > 0
            && s[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            && matches!(next_char(i + c.len_utf8()), Some('s' | 'S'))
            && !next_char(i + c.len_utf8() + 1).is_some_and(char::is_alphanumeric)
        {
            let j = i + c.len_utf8() + 1;
            out.push(Token {
                start: start + i,
                end: start + j,
                kind: TokenKind::Word,
            });
            it.next();
            continue;
        }
        let kind = if is_quote_char(c) {
            TokenKind::Quote
        } else if c.is_ascii_punctuation() || c.is_alphabetic() || "…–—".contains(c) {
            TokenKind::Punct
        } else {
            TokenKind::Symbol
        };
        // "..." as one token
        let mut j = i + c.len_utf8();
        if c == '.' {
            while next_char(j) == Some('.') {
                j += 1;
                it.next();
            }
        }
        out.push(Token {
            start: start + i,
            end: start + j,
            kind,
        });
    }
}

/// Paragraph spans: the body spans when given (split further at line breaks), else lines.
pub fn blocks(text: &str, body: Option<&[(usize, usize)]>) -> Vec<(usize, usize)> {
    let spans: Vec<(usize, usize)> = match body {
        Some(b) => b
            .iter()
            .filter(|&&(s, e)| s < e && e <= text.len())
            .filter(|&&(s, e)| text.is_char_boundary(s) && text.is_char_boundary(e))
            .copied()
            .collect(),
        None => vec![(0, text.len())],
    };
    let mut out = Vec::new();
    for (s, e) in spans {
        let mut ls = s;
        for (k, ch) in text[s..e].char_indices() {
            if ch == '\n' || ch == '\u{2029}' {
                push_trimmed(text, ls, s + k, &mut out);
                ls = s + k + ch.len_utf8();
            }
        }
        push_trimmed(text, ls, e, &mut out);
    }
    out
}

fn push_trimmed(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let seg = &text[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let t = seg.trim();
    if !t.is_empty() {
        out.push((s + lead, s + lead + t.len()));
    }
}

/// Output of segmentation.
pub struct Segmented {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub quotes: Vec<Quotation>,
    pub datelines: Vec<Dateline>,
}

fn tok_str<'a>(text: &'a str, t: &Token) -> &'a str {
    &text[t.start..t.end]
}

fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

fn is_cap_word(text: &str, t: &Token) -> bool {
    t.kind == TokenKind::Word && first_char(tok_str(text, t)).is_some_and(char::is_uppercase)
}

/// Find a dateline at the start of a block's tokens: CAPS place [, Place] [(Agency)] dash.
fn dateline(text: &str, toks: &[Token]) -> Option<(Dateline, usize)> {
    let mut i = 0;
    let is_caps = |t: &Token| {
        let w = tok_str(text, t);
        t.kind == TokenKind::Word
            && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !w.chars().any(char::is_lowercase)
    };
    while i < toks.len() && i < 4 && is_caps(&toks[i]) {
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let place = (toks[0].start, toks[i - 1].end);
    // optional ", Region" (title case words)
    if i < toks.len() && tok_str(text, &toks[i]) == "," {
        let mut j = i + 1;
        while j < toks.len() && j < i + 5 && is_cap_word(text, &toks[j]) {
            j += 1;
        }
        if j > i + 1 {
            i = j;
        }
    }
    let mut agency = None;
    if i < toks.len() && tok_str(text, &toks[i]) == "(" {
        let mut j = i + 1;
        while j < toks.len() && j < i + 6 && tok_str(text, &toks[j]) != ")" {
            j += 1;
        }
        if j < toks.len() && j > i + 1 && tok_str(text, &toks[j]) == ")" {
            agency = Some((toks[i + 1].start, toks[j - 1].end));
            i = j + 1;
        } else {
            return None;
        }
    }
    if i < toks.len() && matches!(tok_str(text, &toks[i]), "-" | "–" | "—" | "--" | ":") {
        // the dash must be followed by more text
        if i + 1 < toks.len() {
            return Some((
                Dateline {
                    start: toks[0].start,
                    end: toks[i].end,
                    place,
                    agency,
                },
                i + 1,
            ));
        }
    }
    None
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QRole {
    Open,
    Close,
    Either,
}

fn quote_role(text: &str, t: &Token) -> QRole {
    let c = first_char(tok_str(text, t)).unwrap_or('"');
    match c {
        '\u{201C}' | '\u{201E}' | '\u{00AB}' | '\u{2018}' | '\u{201A}' | '`' => QRole::Open,
        '\u{201D}' | '\u{00BB}' | '\u{2019}' => QRole::Close,
        _ => QRole::Either,
    }
}

fn is_double(text: &str, t: &Token) -> bool {
    !matches!(
        first_char(tok_str(text, t)),
        Some('\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '`')
    )
}

/// Segment the text into tokens, sentences, quotations and datelines.
pub fn segment(text: &str, body: Option<&[(usize, usize)]>) -> Segmented {
    let lex = &*LEX;
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut sentences = Vec::new();
    let mut quotes = Vec::new();
    let mut datelines = Vec::new();
    // Open double quotation: (start byte, open mark, first block)
    let mut open_q: Option<(usize, Option<usize>, usize)> = None;
    let blks = blocks(text, body);
    for (bi, &(bs, be)) in blks.iter().enumerate() {
        let t0 = tokens.len();
        tokenize_into(text, bs, be, &mut tokens);
        let toks = &tokens[t0..];
        if toks.is_empty() {
            continue;
        }
        // A quotation left open at the end of the previous paragraph continues only when this
        // one opens with a quotation mark (news convention); otherwise it ended there.
        if let Some((qs, om, qb)) = open_q {
            let first_is_open = toks[0].kind == TokenKind::Quote
                && quote_role(text, &toks[0]) != QRole::Close
                && is_double(text, &toks[0]);
            if !first_is_open {
                let (_, pe) = blks[bi - 1];
                quotes.push(Quotation {
                    start: qs,
                    end: pe,
                    open_mark: om,
                    close_mark: None,
                    blocks: (qb, bi - 1),
                });
                open_q = None;
            }
        }
        let mut k = 0; // index within toks where the next sentence starts
        if let Some((d, next)) = dateline(text, toks) {
            datelines.push(d);
            k = next;
        }
        // Quotes in this block.
        let mut continued_open = open_q.is_some();
        for (j, t) in toks.iter().enumerate() {
            if t.kind != TokenKind::Quote || !is_double(text, t) {
                continue;
            }
            let role = quote_role(text, t);
            let before = text[..t.start].chars().next_back();
            let after = text[t.end..].chars().next();
            let space_before =
                j == 0 || before.is_none_or(|c| c.is_whitespace() || "([{—–-".contains(c));
            let space_after = after.is_none_or(char::is_whitespace);
            if continued_open && j == 0 {
                // the reopening mark of a continued quotation
                continued_open = false;
                continue;
            }
            continued_open = false;
            match open_q {
                None => {
                    let opens = match role {
                        QRole::Open => true,
                        QRole::Close => space_before && !space_after,
                        QRole::Either => space_before || !space_after,
                    };
                    if opens {
                        open_q = Some((t.start, Some(t.start), bi));
                    } else {
                        // a closing mark with no opening: the quotation started at the
                        // paragraph's start
                        quotes.push(Quotation {
                            start: bs,
                            end: t.end,
                            open_mark: None,
                            close_mark: Some(t.start),
                            blocks: (bi, bi),
                        });
                    }
                }
                Some((qs, om, qb)) => {
                    if role != QRole::Open {
                        quotes.push(Quotation {
                            start: qs,
                            end: t.end,
                            open_mark: om,
                            close_mark: Some(t.start),
                            blocks: (qb, bi),
                        });
                        open_q = None;
                    }
                }
            }
        }
        // Sentences.
        let n = toks.len();
        let mut starts = vec![k];
        let mut i = k;
        while i < n {
            let t = &toks[i];
            let w = tok_str(text, t);
            let end_mark = matches!(w, "." | "!" | "?" | "…" | "..." | "?!" | "!?")
                || (t.kind == TokenKind::Word && w.ends_with('.') && w.len() > 2 && {
                    // U.S. at a sentence end: decided below like an abbreviation
                    true
                });
            if !end_mark {
                i += 1;
                continue;
            }
            // The word before the full stop.
            let abbr_word = if t.kind == TokenKind::Word {
                Some(w.trim_end_matches('.'))
            } else if w == "." && i > 0 && toks[i - 1].end == t.start {
                let p = &toks[i - 1];
                (p.kind == TokenKind::Word).then(|| tok_str(text, p))
            } else {
                None
            };
            let mut j = i + 1;
            while j < n
                && ((toks[j].kind == TokenKind::Quote && toks[j].start == toks[j - 1].end)
                    || matches!(tok_str(text, &toks[j]), ")" | "]" | "!" | "?" | "." | "…"))
            {
                j += 1;
            }
            if j >= n {
                break;
            }
            let nx = &toks[j];
            let nw = tok_str(text, nx);
            let nf = first_char(nw).unwrap_or(' ');
            let next_lower = nf.is_lowercase();
            let next_cap_common = nf.is_uppercase() && {
                let l = nw.to_lowercase();
                lex.is_common(&l) && !lex.roles.contains(&l)
            };
            let next_opens = nx.kind == TokenKind::Quote || nw == "(" || nw == "[";
            let mut split = !next_lower;
            if let Some(a) = abbr_word
                && (w == "." || t.kind == TokenKind::Word)
            {
                let lower = a.to_lowercase();
                let single_initial = a.chars().count() == 1 && a.chars().all(char::is_uppercase);
                match lex.abbrev.get(&lower) {
                    Some(AbbrevClass::Title) => split = false,
                    Some(AbbrevClass::Month) => split = split && !nf.is_ascii_digit(),
                    Some(AbbrevClass::Suffix | AbbrevClass::General) => {
                        split = split && (next_cap_common || next_opens)
                    }
                    None if single_initial => split = split && (next_cap_common || next_opens),
                    None if t.kind == TokenKind::Word => {
                        // a dotted word not in the list (U.S.A.): like a general abbreviation
                        split = split && (next_cap_common || next_opens)
                    }
                    None => {}
                }
            }
            if split {
                starts.push(j);
            }
            i = j;
        }
        for (si, &s) in starts.iter().enumerate() {
            let e = starts.get(si + 1).copied().unwrap_or(n);
            if s >= e {
                continue;
            }
            let (ss, se) = (toks[s].start, toks[e - 1].end);
            let words: Vec<&Token> = toks[s..e]
                .iter()
                .filter(|t| t.kind == TokenKind::Word)
                .collect();
            let last = tok_str(text, &toks[e - 1]);
            let single = starts.len() == 1;
            let ends_punct = matches!(last, "." | "!" | "?" | "…" | "..." | ":" | ";")
                || toks[e - 1].kind == TokenKind::Quote
                || last.ends_with('.');
            let headline = single && !ends_punct && words.len() <= 20;
            // Title case: most longer words capitalised and no longer lower-case word that
            // is not a function word ("A Closer Look at U.S.-Russia Exchange").
            let long: Vec<&&Token> = words
                .iter()
                .filter(|t| t.end - t.start > 3 || is_cap_word(text, t))
                .collect();
            let caps = long.iter().filter(|t| is_cap_word(text, t)).count();
            let lower_content = words.iter().any(|t| {
                let w = tok_str(text, t);
                w.len() > 3 && first_char(w).is_some_and(char::is_lowercase) && !lex.is_common(w)
            });
            let title_case =
                headline && long.len() >= 2 && caps * 10 >= long.len() * 7 && !lower_content;
            sentences.push(Sentence {
                start: ss,
                end: se,
                kind: if headline {
                    SentenceKind::Headline
                } else {
                    SentenceKind::Body
                },
                tokens: (t0 + s, t0 + e),
                block: bi,
                title_case,
            });
        }
    }
    if let Some((qs, om, qb)) = open_q {
        let (last_b, pe) = blks
            .last()
            .map(|&(_, e)| (blks.len() - 1, e))
            .unwrap_or((0, text.len()));
        quotes.push(Quotation {
            start: qs,
            end: pe,
            open_mark: om,
            close_mark: None,
            blocks: (qb, last_b),
        });
    }
    Segmented {
        tokens,
        sentences,
        quotes,
        datelines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        segment(text, None)
            .sentences
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    fn words(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        tokenize_into(text, 0, text.len(), &mut v);
        v.iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn tokens() {
        assert_eq!(
            words("Meduza’s U.S. AT&T don't 1,000.5 Wagner-affiliated Rostov-on-Don 3.5%"),
            vec![
                "Meduza",
                "’s",
                "U.S.",
                "AT&T",
                "don't",
                "1,000.5",
                "Wagner",
                "-",
                "affiliated",
                "Rostov-on-Don",
                "3.5",
                "%"
            ]
        );
    }

    #[test]
    fn abbreviations_and_initials() {
        let s = "Gen. Valery Gerasimov met Mr. J. R. Smith Jr. in the U.S. on Jan. 5. The talks ended. He left at 3 p.m. Officials said so.";
        assert_eq!(
            sents(s),
            vec![
                "Gen. Valery Gerasimov met Mr. J. R. Smith Jr. in the U.S. on Jan. 5.",
                "The talks ended.",
                "He left at 3 p.m.",
                "Officials said so."
            ]
        );
    }

    #[test]
    fn decimals_and_quotes() {
        let s = "Prices rose 2.5 percent. “We are ready. We will go,” he said. “Why?” she asked.";
        assert_eq!(
            sents(s),
            vec![
                "Prices rose 2.5 percent.",
                "“We are ready.",
                "We will go,” he said.",
                "“Why?” she asked."
            ]
        );
    }

    #[test]
    fn dateline_and_headline() {
        let s = "Talks in Minsk\nMOSCOW (Reuters) - The Kremlin said on Monday it was calm.";
        let seg = segment(s, None);
        assert_eq!(seg.sentences[0].kind, SentenceKind::Headline);
        assert_eq!(seg.datelines.len(), 1);
        let d = &seg.datelines[0];
        assert_eq!(&s[d.place.0..d.place.1], "MOSCOW");
        assert_eq!(d.agency.map(|(a, b)| &s[a..b]), Some("Reuters"));
        assert_eq!(
            &s[seg.sentences[1].start..seg.sentences[1].end],
            "The Kremlin said on Monday it was calm."
        );
    }

    #[test]
    fn quote_across_paragraphs() {
        let s = "“We will stay,” he said. “We have no choice.\n“Nobody will leave.”\nThen he left.";
        let seg = segment(s, None);
        assert_eq!(seg.quotes.len(), 2);
        let q = &seg.quotes[1];
        assert_eq!(q.blocks, (0, 1));
        assert_eq!(
            &s[q.start..q.end],
            "“We have no choice.\n“Nobody will leave.”"
        );
    }
}
