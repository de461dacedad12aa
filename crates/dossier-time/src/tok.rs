//! A small tokenizer: runs of letters, runs of digits, single other characters, with byte offsets.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TK {
    Word,
    Num,
    Punct,
}

#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub s: usize,
    pub e: usize,
    pub low: String,
    pub kind: TK,
    /// Whitespace between the previous token and this one.
    pub space: bool,
    /// A line break (or a sentence boundary given by the caller) before this token.
    pub brk: bool,
    /// First letter is upper case.
    pub cap: bool,
}

pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut it = text.char_indices().peekable();
    let mut space = false;
    let mut brk = false;
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            space = true;
            if c == '\n' {
                brk = true;
            }
            continue;
        }
        let kind;
        let mut e = i + c.len_utf8();
        if c.is_alphabetic() {
            kind = TK::Word;
            while let Some(&(j, d)) = it.peek() {
                if d.is_alphabetic() {
                    e = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
        } else if c.is_ascii_digit() {
            kind = TK::Num;
            while let Some(&(j, d)) = it.peek() {
                if d.is_ascii_digit() {
                    e = j + 1;
                    it.next();
                } else {
                    break;
                }
            }
        } else {
            kind = TK::Punct;
        }
        let raw = &text[i..e];
        let low = if kind == TK::Punct {
            // Typographic apostrophes and dashes read as their ASCII forms.
            match c {
                '\u{2019}' | '\u{2018}' => "'".to_string(),
                '\u{2013}' | '\u{2014}' => "-".to_string(),
                _ => raw.to_string(),
            }
        } else {
            raw.to_lowercase()
        };
        out.push(Tok {
            s: i,
            e,
            low,
            kind,
            space: space || out.is_empty(),
            brk,
            cap: c.is_uppercase(),
        });
        space = false;
        brk = false;
    }
    out
}
