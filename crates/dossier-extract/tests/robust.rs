//! Robustness: arbitrary input, deep nesting and huge pages neither panic nor hang.

use std::time::{Duration, Instant};

use dossier_extract::{Hints, extract_html, extract_text};
use proptest::prelude::*;

fn check(doc: &dossier_core::Document) {
    for b in &doc.blocks {
        assert!(b.span.end <= doc.text.len());
        assert!(doc.text.is_char_boundary(b.span.start) && doc.text.is_char_boundary(b.span.end));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_string_as_html(s in "\\PC{0,400}") {
        check(&extract_html(&s, &Hints::default()));
    }

    #[test]
    fn any_string_as_text(s in "(\\PC{0,80}\n){0,12}") {
        check(&extract_text(&s, &Hints::default()));
    }

    /// Tag soup: fragments of markup, scripts, JSON-LD and entities in any order.
    #[test]
    fn tag_soup(parts in prop::collection::vec(prop_oneof![
        Just("<div class=\"article-body\">"), Just("</div>"), Just("<p>"), Just("</p>"),
        Just("<table><tr><td>"), Just("</td></tr></table>"), Just("<h2>"), Just("</h2>"),
        Just("<a href=\"/x\">"), Just("</a>"), Just("<script>var x = '</p>';"), Just("</script>"),
        Just("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"articleBody\":\"x\","),
        Just("<time datetime=\"2099-01-01\">"), Just("By Jane Doe"), Just("Previous Article"),
        Just("Ein längerer Satz mit Wörtern, Kommas und Punkten. "), Just("日本語の文章です。"),
        Just("&amp;&#0;&#xD800;"), Just("<!--"), Just("-->"), Just("<nav>"), Just("<br>"),
        Just("\u{0}"), Just("<li>"), Just("<blockquote>"),
    ], 0..80)) {
        let html: String = parts.concat();
        check(&extract_html(&html, &Hints::default()));
    }
}

#[test]
fn invalid_bytes_decoded_lossily() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let s = String::from_utf8_lossy(&bytes);
    check(&extract_html(&s, &Hints::default()));
    check(&extract_text(&s, &Hints::default()));
}

#[test]
fn deep_nesting_100k() {
    let depth = 100_000;
    let mut html = String::with_capacity(depth * 12);
    html.push_str("<html><body>");
    for _ in 0..depth {
        html.push_str("<div>");
    }
    html.push_str("<p>The innermost paragraph holds the only text on this page, and it is long enough to count.</p>");
    for _ in 0..depth {
        html.push_str("</div>");
    }
    let t = Instant::now();
    let doc = extract_html(&html, &Hints::default());
    check(&doc);
    assert!(t.elapsed() < Duration::from_secs(60));
    let spans = "<span>".repeat(depth);
    check(&extract_html(
        &format!("<p>{spans}text</p>"),
        &Hints::default(),
    ));
}

#[test]
fn huge_page_50mb() {
    let para = "<p>The committee met again on Tuesday, and the minutes, which run to several pages, were published in full on the council's website.</p>\n";
    let mut html = String::from("<html><head><script>");
    html.push_str(&"var a = 1;".repeat(500_000));
    html.push_str("</script></head><body><article>");
    while html.len() < 50_000_000 {
        html.push_str(para);
    }
    html.push_str("</article></body></html>");
    let t = Instant::now();
    let doc = extract_html(&html, &Hints::default());
    check(&doc);
    assert!(doc.is_article);
    assert!(t.elapsed() < Duration::from_secs(120), "{:?}", t.elapsed());
}
