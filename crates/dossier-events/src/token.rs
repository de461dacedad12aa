//! A light tokenizer: words, numbers, abbreviations and punctuation with byte offsets, plus an
//! upper-cased normal form (the dictionaries are upper-case, TABARI style). Contractions are
//! split TreeBank style ("didn't" → "did" "n't"), possessive "'s" is its own token.

/// One token: byte offsets into the sentence and its normal (upper-case) form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub norm: String,
    /// First character is upper-case in the text.
    pub cap: bool,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.norm
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric())
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Split `text` into tokens. Linear in the length of the text.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let end_of = |k: usize| if k < n { chars[k].0 } else { text.len() };
    let mut i = 0;
    while i < n {
        let (s, c) = chars[i];
        // an underscore joins words in dictionary-style text ("Dol_Amroth"): a separator
        if c.is_whitespace() || c.is_control() || c == '_' {
            i += 1;
            continue;
        }
        if is_word_char(c) {
            let mut j = i + 1;
            while j < n {
                let cj = chars[j].1;
                if is_word_char(cj) {
                    j += 1;
                    continue;
                }
                // internal joiners: hyphen, period (abbreviations / decimals), comma in numbers,
                // apostrophe inside a word (O'Brien) but not before "s"/"t" endings.
                let next_word = j + 1 < n && is_word_char(chars[j + 1].1);
                if (cj == '-' || cj == '.') && next_word {
                    j += 1;
                    continue;
                }
                if cj == ','
                    && next_word
                    && chars[j - 1].1.is_ascii_digit()
                    && chars[j + 1].1.is_ascii_digit()
                {
                    j += 1;
                    continue;
                }
                if (cj == '\'' || cj == '’') && next_word {
                    // keep O'Brien, split possessive 's and n't
                    let rest: String = chars[j + 1..n.min(j + 3)].iter().map(|x| x.1).collect();
                    let lower = rest.to_lowercase();
                    let is_s =
                        lower.starts_with('s') && (j + 2 >= n || !is_word_char(chars[j + 2].1));
                    let is_t = lower.starts_with('t')
                        && (j + 2 >= n || !is_word_char(chars[j + 2].1))
                        && chars[j - 1].1.eq_ignore_ascii_case(&'n');
                    let is_clitic = ["ll", "re", "ve"].iter().any(|e| lower == *e)
                        || lower.starts_with('d') && (j + 2 >= n || !is_word_char(chars[j + 2].1))
                        || lower.starts_with('m') && (j + 2 >= n || !is_word_char(chars[j + 2].1));
                    if !is_s && !is_t && !is_clitic {
                        j += 1;
                        continue;
                    }
                }
                break;
            }
            // abbreviation: "U.S." keeps its final period when it has internal periods
            if j < n && chars[j].1 == '.' && (j + 1 >= n || !is_word_char(chars[j + 1].1)) {
                let inner = chars[i..j].iter().filter(|x| x.1 == '.').count();
                let letters = chars[i..j].iter().filter(|x| x.1.is_alphabetic()).count();
                if inner > 0 && letters <= inner + 1 {
                    j += 1;
                }
            }
            // n't: "didn't" -> did + n't
            let mut word_end = j;
            let apos_t = j + 1 < n
                && (chars[j].1 == '\'' || chars[j].1 == '’')
                && chars[j + 1].1.eq_ignore_ascii_case(&'t')
                && j > i + 1
                && chars[j - 1].1.eq_ignore_ascii_case(&'n');
            if apos_t {
                word_end = j - 1;
            }
            if word_end > i {
                push(&mut out, text, s, end_of(word_end), c);
            }
            if apos_t {
                let st = chars[word_end].0;
                push(&mut out, text, st, end_of(j + 2), 'n');
                i = j + 2;
            } else {
                i = j;
            }
            continue;
        }
        if (c == '\'' || c == '’') && i + 1 < n && is_word_char(chars[i + 1].1) && !out.is_empty()
        {
            // clitic: 's 'll 're 've 'd 'm
            let mut j = i + 1;
            while j < n && chars[j].1.is_alphabetic() && j < i + 3 {
                j += 1;
            }
            if j >= n || !is_word_char(chars[j].1) {
                push(&mut out, text, s, end_of(j), c);
                i = j;
                continue;
            }
        }
        // punctuation: "--" and "..." as one token
        let mut j = i + 1;
        if c == '-' || c == '.' {
            while j < n && chars[j].1 == c {
                j += 1;
            }
        }
        push(&mut out, text, s, end_of(j), c);
        i = j;
    }
    out
}

fn push(out: &mut Vec<Token>, text: &str, s: usize, e: usize, first: char) {
    let raw = &text[s..e];
    let mut norm = raw.to_uppercase().replace('’', "'");
    if norm == "N'T" || norm == "N’T" {
        norm = "N'T".to_string();
    }
    out.push(Token {
        start: s,
        end: e,
        norm,
        cap: first.is_uppercase(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    fn norms(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.norm).collect()
    }
    #[test]
    fn splits() {
        assert_eq!(
            norms("Arnor didn't go."),
            ["ARNOR", "DID", "N'T", "GO", "."]
        );
        assert_eq!(
            norms("Libya's U.S. war-torn 50,000"),
            ["LIBYA", "'S", "U.S.", "WAR-TORN", "50,000"]
        );
        assert_eq!(norms("won't can't"), ["WO", "N'T", "CA", "N'T"]);
        assert_eq!(
            norms("O'Brien -- said: x"),
            ["O'BRIEN", "--", "SAID", ":", "X"]
        );
        let t = tokenize("é x");
        assert_eq!((t[1].start, t[1].end), (3, 4));
    }
}
