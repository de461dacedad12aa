//! Normalisation and tokenisation shared by every index: folding (NFKD, marks dropped, lower
//! case, a few letters with no decomposition), word and number tokens with byte offsets,
//! sentence spans, stop words and a light suffix stemmer. Everything here is linear in the input.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Byte offsets `[start, end)` into the text a record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

static STOPWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/stopwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

static WEEKDAYS: LazyLock<std::collections::HashMap<String, u8>> = LazyLock::new(|| {
    include_str!("../data/weekdays.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (w, d) = l.split_once('\t')?;
            Some((fold(w.trim()), d.trim().parse().ok()?))
        })
        .collect()
});

/// The ISO weekday (Monday = 1) a folded word names, if it is a weekday's full name.
pub fn weekday(w: &str) -> Option<u8> {
    WEEKDAYS.get(w).copied()
}

/// Is this folded word a function word?
pub fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(w)
}

/// Letters that NFKD does not decompose but newspapers write without the mark.
fn special_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ł' | 'Ł' => "l",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' => "d",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ı' => "i",
        'þ' | 'Þ' => "th",
        '’' | '‘' | '`' | '´' => "'",
        _ => return None,
    })
}

/// Fold a string for matching: compatibility decomposition, combining marks dropped, lower
/// case, and the few letters without a decomposition mapped by hand (ł → l, ß → ss).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] appending to a buffer.
pub fn fold_into(s: &str, out: &mut String) {
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if let Some(r) = special_fold(c) {
            out.push_str(r);
        } else {
            for l in c.to_lowercase() {
                out.push(l);
            }
        }
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenKind {
    Word,
    Number,
}

/// A word or number with its byte span in the source text and its folded form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub span: Span,
    /// Folded form (numbers: digits only, separators dropped).
    pub norm: String,
    pub kind: TokenKind,
    /// Starts with an upper-case letter in the source.
    pub capitalised: bool,
}

/// Split text into word and number tokens. Words are runs of letters/digits (an inner apostrophe
/// or hyphen ends the word); a number keeps inner `.`/`,` between digits ("1,200", "3.5").
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        let mut all_digits = c.is_ascii_digit();
        while let Some(&(j, d)) = iter.peek() {
            if d.is_alphanumeric() {
                all_digits &= d.is_ascii_digit();
                end = j + d.len_utf8();
                iter.next();
            } else if (d == '.' || d == ',')
                && all_digits
                && bytes.get(j + 1).is_some_and(|b| b.is_ascii_digit())
            {
                end = j + 1;
                iter.next();
            } else {
                break;
            }
        }
        let raw = &text[start..end];
        let (norm, kind) = if all_digits {
            (
                raw.chars()
                    .filter(|c| c.is_ascii_digit())
                    .collect::<String>(),
                TokenKind::Number,
            )
        } else {
            (fold(raw), TokenKind::Word)
        };
        if norm.is_empty() {
            continue;
        }
        out.push(Token {
            span: Span::new(start, end),
            norm,
            kind,
            capitalised: c.is_uppercase(),
        });
    }
    out
}

/// Sentence spans: a break after `.`, `!`, `?` (and closing quotes/brackets) followed by
/// white space, and at every line break. Spans are trimmed and never empty.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut prev_end_punct = false;
    let mut prev_char = ' ';
    let push = |s: usize, e: usize, out: &mut Vec<Span>| {
        let seg = &text[s..e];
        let lead = seg.len() - seg.trim_start().len();
        let trail = seg.len() - seg.trim_end().len();
        if lead + trail < seg.len() {
            out.push(Span::new(s + lead, e - trail));
        }
    };
    for (i, c) in text.char_indices() {
        if c == '\n' {
            push(start, i, &mut out);
            start = i + 1;
            prev_end_punct = false;
        } else if c.is_whitespace() {
            // Single upper-case letter + period ("J. Smith") is an initial, not an end.
            if prev_end_punct {
                push(start, i, &mut out);
                start = i;
            }
            prev_end_punct = false;
        } else if matches!(c, '.' | '!' | '?') {
            prev_end_punct = !(c == '.' && prev_char.is_uppercase() && is_initial(text, i));
        } else if !(prev_end_punct && matches!(c, '"' | '\'' | ')' | '”' | '’' | '»')) {
            prev_end_punct = false;
        }
        prev_char = c;
    }
    push(start, text.len(), &mut out);
    out
}

/// Is the upper-case letter before byte `dot` a lone initial (preceded by space or start)?
fn is_initial(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let mut chars = before.chars().rev();
    chars.next();
    chars.next().is_none_or(|c| c.is_whitespace() || c == '(')
}

/// A light English suffix stemmer for matching (not for display): plural and verb endings.
pub fn stem(w: &str) -> &str {
    let n = w.len();
    if n <= 4 || !w.is_ascii() {
        return w;
    }
    for suf in [
        "ations", "ation", "ings", "ing", "ies", "edly", "ed", "es", "s",
    ] {
        if let Some(s) = w.strip_suffix(suf)
            && s.len() >= 3
        {
            if suf == "s" && (s.ends_with('s') || s.ends_with('u')) {
                return w;
            }
            return s;
        }
    }
    w
}

/// 64-bit FNV-1a, then a splitmix64 finaliser: stable across runs and platforms.
pub fn hash64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// splitmix64 finaliser.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_marks_and_special_letters() {
        assert_eq!(
            fold("Łukaszenka Prigożyn Straße"),
            "lukaszenka prigozyn strasse"
        );
        assert_eq!(fold("Café"), "cafe");
    }

    #[test]
    fn tokens_keep_offsets_and_numbers() {
        let t = tokens("Wagner's 25,000 men, 3.5 km.");
        let norms: Vec<_> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(
            norms,
            [
                "wagner",
                "s",
                "25000",
                "men",
                "3.5".replace('.', "").as_str(),
                "km"
            ]
        );
        assert_eq!(
            &"Wagner's 25,000 men, 3.5 km."[t[2].span.start..t[2].span.end],
            "25,000"
        );
    }

    #[test]
    fn sentences_split_on_end_punctuation_and_lines() {
        let text = "Talks began. J. Smith said \"no.\" Then?\nNext line";
        let s: Vec<_> = sentences(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(
            s,
            [
                "Talks began.",
                "J. Smith said \"no.\"",
                "Then?",
                "Next line"
            ]
        );
    }

    #[test]
    fn stemmer_strips_common_endings() {
        assert_eq!(stem("talks"), "talk");
        assert_eq!(stem("marching"), "march");
        assert_eq!(stem("news"), "news");
        assert_eq!(stem("bus"), "bus");
    }
}
