//! UTF-8 text that was decoded as Windows-1252 or Latin-1 somewhere upstream ("fÃ¼r" for
//! "für", "Investorâ€™s" for "Investor’s"): a page declared as Latin-1 but written in UTF-8,
//! or text double-encoded by its publisher. Each run of characters that map back to single
//! bytes is re-read as UTF-8, sequence by sequence; only complete, valid multi-byte sequences
//! are replaced, so genuine Latin-1 text ("café", "Ångström") stays as it is.

use std::borrow::Cow;

/// The byte a character stands for when Windows-1252 (or Latin-1) decoding produced it.
fn byte_of(c: char) -> Option<u8> {
    let b = match c {
        '\u{80}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ => return None,
    };
    Some(b)
}

/// Length of the UTF-8 sequence a lead byte starts (2 to 4), if it is one.
fn lead_len(b: u8) -> Option<usize> {
    match b {
        0xc2..=0xdf => Some(2),
        0xe0..=0xef => Some(3),
        0xf0..=0xf4 => Some(4),
        _ => None,
    }
}

/// `s` with mis-decoded UTF-8 sequences repaired, borrowed when there were none.
pub fn fix(s: &str) -> Cow<'_, str> {
    // Fast path: every mis-decoded sequence starts with a character from U+00C2 to U+00F4,
    // written C3 82 to C3 B4 in UTF-8.
    if !s
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == 0xc3 && (0x82..=0xb4).contains(&w[1]))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut copied = 0; // byte offset in `s` up to which `out` holds the input
    let mut it = s.char_indices();
    while let Some((at, c)) = it.next() {
        let Some(n) = byte_of(c).and_then(lead_len) else {
            continue;
        };
        let mut bytes = [0u8; 4];
        bytes[0] = byte_of(c).unwrap_or(0);
        let mut ahead = it.clone();
        let mut end = at + c.len_utf8();
        let ok = (1..n).all(|k| match ahead.next() {
            Some((j, x)) => match byte_of(x) {
                Some(b) if (0x80..=0xbf).contains(&b) => {
                    bytes[k] = b;
                    end = j + x.len_utf8();
                    true
                }
                _ => false,
            },
            None => false,
        });
        if let Some(fixed) = ok.then(|| std::str::from_utf8(&bytes[..n]).ok()).flatten() {
            out.push_str(&s[copied..at]);
            out.push_str(fixed);
            copied = end;
            it = ahead;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::fix;
    use proptest::prelude::*;

    proptest! {
        /// Any text: no panic, and text without mis-decoded sequences comes back unchanged.
        #[test]
        fn any_text(s in "\\PC{0,200}") {
            let f = fix(&s);
            if !s.chars().any(|c| ('\u{c2}'..='\u{f4}').contains(&c)) {
                prop_assert_eq!(f.as_ref(), s.as_str());
            }
        }

        /// UTF-8 text read as Latin-1 comes back whole.
        #[test]
        fn round_trip(s in "[a-z äöüéèçñß€’“”—]{0,80}") {
            let garbled: String = s.bytes().map(|b| b as char).collect();
            let fixed = fix(&garbled);
            prop_assert_eq!(fixed.as_ref(), s.as_str());
        }
    }

    #[test]
    fn long_input_in_linear_time() {
        let s = "fÃ¼r Ã".repeat(200_000);
        let t = std::time::Instant::now();
        let f = fix(&s);
        assert!(f.starts_with("für"));
        assert!(t.elapsed().as_secs_f64() < 5.0);
    }

    #[test]
    fn repairs_utf8_read_as_latin1_or_windows_1252() {
        assert_eq!(fix("jetzt fÃ¼r nur 5,99 Euro"), "jetzt für nur 5,99 Euro");
        assert_eq!(fix("tras su sanciÃ³n"), "tras su sanción");
        assert_eq!(fix("A DIY Investorâ€™s Guide"), "A DIY Investor’s Guide");
        assert_eq!(fix("Investor\u{e2}\u{80}\u{99}s"), "Investor’s");
    }

    #[test]
    fn leaves_genuine_text_alone() {
        for s in [
            "café au lait, Ångström, naïve, Müller",
            "l’été — « déjà vu »",
            "長沙 日本語 한국어",
            "Â",
            "price: 5 €",
        ] {
            assert_eq!(fix(s), s);
        }
    }
}
