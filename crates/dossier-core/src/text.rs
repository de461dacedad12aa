//! Small text helpers shared by stages.

/// Normalise text for identity and change detection: Unicode quote and dash variants folded,
/// case folded, all runs of whitespace collapsed to one space, trimmed.
pub fn normalise_for_identity(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for ch in s.chars() {
        if ch.is_whitespace() || ch == '\u{00A0}' || ch == '\u{200B}' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        let ch = match ch {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            _ => ch,
        };
        out.extend(ch.to_lowercase());
    }
    out
}

/// Collapse runs of whitespace inside a line of text to single spaces and trim it.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_quotes_and_space() {
        assert_eq!(
            normalise_for_identity("  “Plans   love\nsilence” — he said "),
            "\"plans love silence\" - he said"
        );
    }

    proptest! {
        #[test]
        fn normalising_is_idempotent(s in "\\PC{0,100}") {
            let once = normalise_for_identity(&s);
            prop_assert_eq!(normalise_for_identity(&once), once.clone());
        }

        #[test]
        fn collapse_has_no_double_spaces(s in "\\PC{0,100}") {
            let c = collapse_whitespace(&s);
            prop_assert!(!c.contains("  "));
            prop_assert_eq!(c.trim(), c.as_str());
        }
    }
}
