//! Character set decoding: byte-order mark, declared charset (HTTP header, `<meta>`, XML
//! declaration), then UTF-8 validation, then statistical sniffing (chardetng).

use encoding_rs::{Encoding, UTF_8};

/// Decoded text and how its charset was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// e.g. `utf-8 (bom)`, `windows-1252 (declared)`, `iso-8859-2 (sniffed)`.
    pub charset: String,
    /// How many malformed sequences were replaced with U+FFFD.
    pub replaced: usize,
}

/// Decode bytes to text. `declared` is a charset label from outside the bytes (an HTTP
/// `Content-Type` header); `markup` says whether to look for an in-document declaration.
pub fn decode(bytes: &[u8], declared: Option<&str>, markup: bool) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..], "bom");
    }
    let declared_enc = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .map(|e| (e, "declared"))
        .or_else(|| {
            if markup {
                prescan(bytes).map(|e| (e, "declared"))
            } else {
                None
            }
        });
    if let Some((enc, how)) = declared_enc {
        // A declaration of a UTF-16 charset inside ASCII-compatible bytes is a lie (HTML spec).
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            UTF_8
        } else {
            enc
        };
        if enc == UTF_8 && std::str::from_utf8(bytes).is_err() {
            // Declared UTF-8 but is not: a mislabelled legacy page is more common than a
            // damaged one. Sniff, and keep the sniffed guess when it decodes cleanly.
            let sniffed = sniff(bytes);
            let (text, _, had_errors) = sniffed.decode(bytes);
            if !had_errors && sniffed != UTF_8 {
                return Decoded {
                    text: text.into_owned(),
                    charset: format!("{} (sniffed; declared utf-8 was invalid)", sniffed.name()),
                    replaced: 0,
                };
            }
        }
        if enc != UTF_8 && enc.is_ascii_compatible() && !bytes.is_ascii() {
            // Declared a legacy charset, yet the bytes are valid UTF-8 beyond ASCII: the page
            // was re-encoded (or its template declares a charset its content does not use).
            // Text in a legacy charset is almost never valid UTF-8 by chance, while reading
            // UTF-8 as the declared charset garbles every accented letter ("fÃ¼r").
            if std::str::from_utf8(bytes).is_ok() {
                return finish(
                    UTF_8,
                    bytes,
                    &format!("valid; declared {} ignored", enc.name()),
                );
            }
        }
        return finish(enc, bytes, how);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return finish(UTF_8, bytes, "valid");
    }
    finish(sniff(bytes), bytes, "sniffed")
}

fn sniff(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

fn finish(enc: &'static Encoding, bytes: &[u8], how: &str) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let replaced = if text.contains('\u{FFFD}') {
        // Count only replacements that decoding introduced, not ones already in the input.
        let (_, had_errors) = enc
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|t| (t, false))
            .unwrap_or_else(|| (Default::default(), true));
        if had_errors {
            text.matches('\u{FFFD}').count()
        } else {
            0
        }
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        charset: format!("{} ({how})", enc.name().to_ascii_lowercase()),
        replaced,
    }
}

/// Look for a charset declaration in the first 4 KiB of markup: `<meta charset>`,
/// `<meta http-equiv="Content-Type" content="...; charset=...">` or `<?xml encoding="...">`.
pub fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut i = 0;
    while let Some(pos) = find(&lower[i..], b"charset") {
        let at = i + pos + b"charset".len();
        i = at;
        let rest = &lower[at..];
        let rest = skip_ws(rest);
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = skip_ws(rest);
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|&b| {
                matches!(
                    b,
                    b'"' | b'\'' | b';' | b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r'
                )
            })
            .unwrap_or(rest.len());
        if let Some(enc) = Encoding::for_label(&rest[..end]) {
            return Some(enc);
        }
    }
    // XML declaration: <?xml version="1.0" encoding="ISO-8859-1"?>
    if lower.starts_with(b"<?xml") {
        let end = find(&lower, b"?>").unwrap_or(lower.len());
        let decl = &lower[..end];
        if let Some(p) = find(decl, b"encoding") {
            let rest = skip_ws(&decl[p + 8..]);
            let rest = skip_ws(rest.strip_prefix(b"=")?);
            let q = *rest.first()?;
            let rest = &rest[1..];
            let e = rest.iter().position(|&b| b == q)?;
            return Encoding::for_label(&rest[..e]);
        }
    }
    None
}

fn skip_ws(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn meta_charset_is_honoured() {
        let html = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9 \x93quoted\x94</body></html>";
        let d = decode(html, None, true);
        assert!(d.text.contains("café “quoted”"), "{}", d.text);
        assert_eq!(d.charset, "windows-1252 (declared)");
    }

    #[test]
    fn http_equiv_and_xml_declarations() {
        let html = b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-2'>\xb1";
        assert_eq!(decode(html, None, true).text.chars().last(), Some('ą'));
        let xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>\xe9</rss>";
        assert!(decode(xml, None, true).text.contains("<rss>é</rss>"));
    }

    #[test]
    fn bom_wins() {
        let d = decode(b"\xef\xbb\xbfhello", Some("latin1"), true);
        assert_eq!(d.text, "hello");
        assert_eq!(d.charset, "utf-8 (bom)");
        let d = decode(b"\xff\xfeh\x00i\x00", None, false);
        assert_eq!(d.text, "hi");
    }

    #[test]
    fn mislabelled_utf8_is_sniffed() {
        let html = b"<meta charset=utf-8><p>Les \xe9lections de l'ann\xe9e o\xf9 la r\xe9forme a \xe9chou\xe9</p>";
        let d = decode(html, None, true);
        assert!(d.text.contains("élections"), "{}", d.text);
        assert_eq!(d.replaced, 0);
    }

    #[test]
    fn valid_utf8_beyond_ascii_overrides_a_declared_legacy_charset() {
        let html = "<meta charset=\"iso-8859-1\"><p>Gespräche für den Frieden in Köln</p>";
        let d = decode(html.as_bytes(), None, true);
        assert!(d.text.contains("Gespräche für"), "{}", d.text);
        assert_eq!(d.charset, "utf-8 (valid; declared windows-1252 ignored)");
        // Declared GBK, bytes valid UTF-8: the same.
        let d = decode("<p>新闻发布会</p>".as_bytes(), Some("gbk"), true);
        assert_eq!(d.text, "<p>新闻发布会</p>");
        // Pure ASCII keeps its declaration (it reads the same either way), and real legacy
        // bytes keep theirs.
        assert_eq!(
            decode(b"<p>plain</p>", Some("latin1"), true).charset,
            "windows-1252 (declared)"
        );
        let d = decode(b"<p>caf\xe9</p>", Some("latin1"), true);
        assert_eq!(d.text, "<p>café</p>");
    }

    #[test]
    fn undeclared_legacy_text_is_sniffed() {
        let d = decode("Заявление министерства обороны".as_bytes(), None, false);
        assert_eq!(d.charset, "utf-8 (valid)");
        let (cp, _, _) =
            encoding_rs::WINDOWS_1251.encode("Заявление министерства обороны о переговорах");
        let d = decode(&cp, None, false);
        assert!(d.text.starts_with("Заявление"), "{}", d.text);
    }

    proptest! {
        #[test]
        fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512), markup in any::<bool>()) {
            let d = decode(&bytes, None, markup);
            prop_assert!(d.text.len() <= bytes.len() * 3 + 3);
        }

        #[test]
        fn utf8_round_trips(s in "\\PC{0,200}") {
            let d = decode(s.as_bytes(), None, false);
            prop_assert_eq!(d.text, s.strip_prefix('\u{feff}').unwrap_or(&s).to_string());
        }
    }
}
