//! Tokens, quotation marks and a light sentence splitter over one block of clean text.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Punct,
    /// A quotation mark (possibly a stray one).
    Quote,
}

#[derive(Debug, Clone)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// Lower-cased text; apostrophes normalised to `'`.
    pub lower: String,
    /// Starts with an upper-case letter.
    pub cap: bool,
}

impl Tok {
    pub fn is(&self, s: &str) -> bool {
        self.lower == s
    }
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }
}

fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{201F}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{2039}'
            | '\u{203A}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\''
            | '\u{300C}'
            | '\u{300D}'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Split `text` (the block's text, starting at byte `base` of the document) into tokens.
pub fn tokenize(text: &str, base: usize) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |k: usize| -> Option<char> { chars.get(k).map(|&(_, c)| c) };
    let byte = |k: usize| -> usize { chars.get(k).map(|&(b, _)| b).unwrap_or(text.len()) };
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let s = i;
            let mut dotted = false;
            i += 1;
            while i < n {
                let c = chars[i].1;
                if c.is_alphanumeric() {
                    i += 1;
                    continue;
                }
                let next = at(i + 1);
                let next_alnum = next.is_some_and(|x| x.is_alphanumeric());
                if (c == '-' || c == '\u{2011}') && next_alnum {
                    i += 1;
                    continue;
                }
                if (c == '.' || c == ',') && next_alnum {
                    let prev_digit = chars[i - 1].1.is_ascii_digit();
                    let next_digit = next.is_some_and(|x| x.is_ascii_digit());
                    // 3.5, 1,000, U.S, e.g
                    if (prev_digit && next_digit)
                        || (c == '.' && next.is_some_and(|x| x.is_alphabetic()) && {
                            // single letters between dots: U.S.A
                            let run_len = (s..i)
                                .rev()
                                .take_while(|&k| chars[k].1.is_alphanumeric())
                                .count();
                            run_len == 1
                        })
                    {
                        if c == '.' {
                            dotted = true;
                        }
                        i += 1;
                        continue;
                    }
                }
                // Apostrophe inside a word (don't), but not the possessive 's.
                if is_apostrophe(c) && next_alnum {
                    let rest: String = chars[i + 1..n.min(i + 3)].iter().map(|&(_, c)| c).collect();
                    let possessive = rest.starts_with('s')
                        && !rest[1..].starts_with(|x: char| x.is_alphanumeric());
                    if !possessive {
                        i += 1;
                        continue;
                    }
                }
                break;
            }
            // Final dot of a dotted abbreviation (U.S.)
            if dotted && at(i) == Some('.') {
                i += 1;
            }
            let (bs, be) = (byte(s), byte(i));
            let w = &text[bs..be];
            out.push(Tok {
                start: base + bs,
                end: base + be,
                kind: TokKind::Word,
                lower: w.to_lowercase().replace('\u{2019}', "'"),
                cap: w.chars().next().is_some_and(char::is_uppercase),
            });
            continue;
        }
        if is_apostrophe(c)
            && i > 0
            && chars[i - 1].1.is_alphanumeric()
            && at(i + 1).is_some_and(|x| x == 's' || x == 'S')
            && !at(i + 2).is_some_and(|x| x.is_alphanumeric())
        {
            // possessive 's
            let (bs, be) = (byte(i), byte(i + 2));
            out.push(Tok {
                start: base + bs,
                end: base + be,
                kind: TokKind::Word,
                lower: "'s".to_string(),
                cap: false,
            });
            i += 2;
            continue;
        }
        let (bs, be) = (byte(i), byte(i + 1));
        out.push(Tok {
            start: base + bs,
            end: base + be,
            kind: if is_quote_char(c) {
                TokKind::Quote
            } else {
                TokKind::Punct
            },
            lower: c.to_string(),
            cap: false,
        });
        i += 1;
    }
    out
}

/// A quotation found in one block. Token indices are into the block's token list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Index of the opening mark, if there is one.
    pub open: Option<usize>,
    /// Index of the closing mark, if there is one.
    pub close: Option<usize>,
    /// First and one-past-last token of the quoted words.
    pub first: usize,
    pub last: usize,
}

impl Quote {
    pub fn closed(&self) -> bool {
        self.close.is_some()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Double,
    Single,
    Guillemet,
    Angle,
}

fn style_of(c: &str) -> (Style, i8) {
    // role: 1 = opens, -1 = closes, 0 = either
    match c {
        "\u{201C}" => (Style::Double, 1),
        "\u{201E}" | "\u{201F}" => (Style::Double, 1),
        "\u{201D}" => (Style::Double, -1),
        "\"" => (Style::Double, 0),
        "\u{00AB}" => (Style::Guillemet, 1),
        "\u{00BB}" => (Style::Guillemet, -1),
        "\u{2039}" => (Style::Angle, 1),
        "\u{203A}" => (Style::Angle, -1),
        "\u{300C}" => (Style::Double, 1),
        "\u{300D}" => (Style::Double, -1),
        "\u{2018}" | "\u{201A}" => (Style::Single, 1),
        _ => (Style::Single, -1), // ’ '
    }
}

/// Pair quotation marks in one block's tokens. A quote that never closes ends at the block's end;
/// a closing mark with no opening one becomes a quote with `open: None` that starts at its
/// sentence (the caller decides where). Nested quotes of another style stay inside the outer one.
pub fn pair_quotes(text: &str, base: usize, toks: &[Tok]) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Style)> = None;
    let byte_before = |t: &Tok| -> Option<char> { text[..t.start - base].chars().next_back() };
    let byte_after = |t: &Tok| -> Option<char> { text[t.end - base..].chars().next() };
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokKind::Quote {
            continue;
        }
        let (style, role) = style_of(&t.lower);
        let before = byte_before(t);
        let after = byte_after(t);
        let space_before = before.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c));
        let space_after = after.is_none_or(|c| c.is_whitespace());
        match open {
            None => {
                let opens = match role {
                    1 => true,
                    -1 => {
                        // ” used as an opener (Swedish style) or a single quote opening after a
                        // space; otherwise an orphan closer.
                        space_before && !space_after
                    }
                    _ => !space_after || space_before,
                };
                if opens {
                    if style == Style::Single && !space_before {
                        continue;
                    }
                    open = Some((i, style));
                } else if style != Style::Single {
                    out.push(Quote {
                        open: None,
                        close: Some(i),
                        first: 0,
                        last: i,
                    });
                }
            }
            Some((o, ostyle)) => {
                let closes = match (ostyle, style) {
                    (Style::Double, Style::Double) => {
                        role != 1 || t.lower == "\u{201C}" && toks[o].lower == "\u{201E}"
                    }
                    (Style::Guillemet, Style::Guillemet) => role == -1,
                    (Style::Angle, Style::Angle) => role == -1,
                    (Style::Single, Style::Single) => {
                        role != 1 && !after.is_some_and(|c| c.is_alphanumeric())
                    }
                    _ => false,
                };
                let closes = closes
                    || (ostyle == Style::Double
                        && t.lower == "\u{201C}"
                        && toks[o].lower == "\u{201E}");
                if closes {
                    out.push(Quote {
                        open: Some(o),
                        close: Some(i),
                        first: o + 1,
                        last: i,
                    });
                    open = None;
                }
            }
        }
    }
    if let Some((o, _)) = open {
        out.push(Quote {
            open: Some(o),
            close: None,
            first: o + 1,
            last: toks.len(),
        });
    }
    out
}

const ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "sr", "jr", "prof", "gen", "lt", "col", "capt", "sgt", "sen",
    "rep", "gov", "rev", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "approx", "est", "fig",
    "maj", "adm", "cmdr", "gov", "pres", "supt", "det", "insp",
];

/// Sentence boundaries over one block's tokens: ranges `[first, last)` of token indices.
pub fn split_sentences(toks: &[Tok]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    let n = toks.len();
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        let end_mark =
            t.kind == TokKind::Punct && matches!(t.lower.as_str(), "." | "!" | "?" | "…");
        if end_mark {
            if t.lower == "." && i > 0 {
                let p = &toks[i - 1];
                if p.is_word()
                    && p.end == t.start
                    && (ABBREV.contains(&p.lower.as_str())
                        || (p.lower.chars().count() == 1 && p.cap))
                {
                    i += 1;
                    continue;
                }
            }
            // Take closing quotes and brackets that follow.
            let mut j = i + 1;
            while j < n
                && ((toks[j].kind == TokKind::Quote && toks[j].start == toks[j - 1].end)
                    || matches!(toks[j].lower.as_str(), ")" | "]" | "!" | "?" | "."))
            {
                j += 1;
            }
            if j >= n {
                break;
            }
            let nx = &toks[j];
            let starts = nx.cap
                || nx.lower.starts_with(|c: char| c.is_ascii_digit())
                || nx.kind == TokKind::Quote
                || nx.lower == "(";
            if starts {
                out.push((s, j));
                s = j;
                i = j;
                continue;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    if s < n {
        out.push((s, n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s, 0).into_iter().map(|t| t.lower).collect()
    }

    #[test]
    fn tokens() {
        assert_eq!(
            words("Meduza’s U.S. officials don't 1,000.5 “x”"),
            vec![
                "meduza",
                "'s",
                "u.s.",
                "officials",
                "don't",
                "1,000.5",
                "“",
                "x",
                "”"
            ]
        );
    }

    #[test]
    fn quotes_pair_and_unclosed() {
        let s = "He said “one ‘two’ three” and «four» then \"five";
        let t = tokenize(s, 0);
        let q = pair_quotes(s, 0, &t);
        assert_eq!(q.len(), 3);
        assert!(q[0].closed() && q[1].closed() && !q[2].closed());
        assert_eq!(q[2].last, t.len());
    }

    #[test]
    fn sentences() {
        let s = "Mr. Smith said so. “It is,” he said. U.S. officials agreed. Then J. Doe left.";
        let t = tokenize(s, 0);
        assert_eq!(split_sentences(&t).len(), 4);
    }
}
