//! Snapshot tests: hand-written pages and texts, rendered as one line per block (kind, level,
//! text) followed by the metadata.

use chrono::DateTime;
use dossier_core::Document;
use dossier_extract::{Hints, extract_html, extract_text};

fn render(doc: &Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        assert_eq!(
            doc.text.get(b.span.start..b.span.end),
            Some(doc.block_text(b)),
            "spans point into the text"
        );
        let level = if b.level > 0 {
            format!(" h{}", b.level)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "[{}{}] {}\n",
            b.kind.as_str(),
            level,
            doc.block_text(b)
        ));
    }
    // Blocks joined by blank lines make the text.
    let joined: Vec<&str> = doc.blocks.iter().map(|b| doc.block_text(b)).collect();
    assert_eq!(joined.join("\n\n"), doc.text);
    let mut m = doc.metadata.clone();
    m.description = None;
    out.push_str(&format!(
        "is_article: {} {}\n",
        doc.is_article,
        doc.not_article_reason.as_deref().unwrap_or("")
    ));
    out.push_str(&serde_json::to_string_pretty(&m).expect("metadata serialises"));
    out
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture exists")
}

fn crawl() -> Option<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339("2025-07-01T00:00:00Z").ok()
}

fn html(name: &str, url: &str) -> Document {
    let hints = Hints {
        url: Some(url),
        fetched: crawl(),
        ..Default::default()
    };
    extract_html(&fixture(name), &hints)
}

#[test]
fn boilerplate_is_labelled() {
    let doc = html(
        "boilerplate.html",
        "https://harbourpost.example/region/2025/06/14/ferry-talks",
    );
    insta::assert_snapshot!(render(&doc));
}

#[test]
fn json_ld_only_body() {
    let doc = html(
        "jsonld_body.html",
        "https://talbote.example/lokales/bruecke",
    );
    assert!(doc.is_article);
    assert!(doc.body_text().contains("14 Millionen Euro"));
    insta::assert_snapshot!(render(&doc));
}

#[test]
fn amp_page() {
    let doc = html(
        "amp.html",
        "https://dailyline.example/amp/news/rail-strike-called-off",
    );
    insta::assert_snapshot!(render(&doc));
}

#[test]
fn front_page_is_not_an_article() {
    let doc = html("front_page.html", "https://ledger.example/");
    assert!(!doc.is_article);
    assert!(doc.not_article_reason.is_some());
    insta::assert_snapshot!(render(&doc));
}

#[test]
fn teaser_cards_and_long_comment_threads_stay_out() {
    let doc = html(
        "teasers_comments.html",
        "https://harbourpost.example/2025/02/04/pier-repairs",
    );
    let body = doc.body_text();
    assert!(body.contains("corroded piles"));
    assert!(body.contains("temporary landing"));
    assert!(!body.contains("Lighthouse open day"), "teaser card in body");
    assert!(
        !body.contains("Storm warning"),
        "linked ticker card in body"
    );
    assert!(!body.contains("Reader 3 writes"), "comments in body");
    insta::assert_snapshot!(render(&doc));
}

#[test]
fn byline_split_over_two_elements() {
    let doc = html(
        "split_byline.html",
        "https://quayside.example/news/harbour-ferries",
    );
    insta::assert_snapshot!(render(&doc));
    // Without markup, the visible byline names both authors; a lone "Authors" menu heading
    // before "Company" names nobody.
    let doc = html(
        "split_byline_no_markup.html",
        "https://quayside.example/news/harbour-ferries",
    );
    insta::assert_snapshot!("byline_split_visible", render(&doc));
}

#[test]
fn hover_cards_and_headline_teasers_stay_out() {
    let doc = html("hover_cards.html", "https://riverside.example/news/tram");
    let body = doc.body_text();
    assert!(body.contains("Mayor Ilse Varga said on Monday"));
    assert!(!body.contains("second term"));
    assert!(!body.contains("School meals"));
    insta::assert_snapshot!(render(&doc));
}

#[test]
fn nested_tables() {
    let doc = html("nested_tables.html", "https://village.example/council");
    assert!(doc.body_text().contains("removable barriers"));
    assert!(!doc.body_text().contains("Archive"));
    insta::assert_snapshot!(render(&doc));
}

#[test]
fn plain_text_report() {
    let hints = Hints {
        fetched: crawl(),
        ..Default::default()
    };
    let doc = extract_text(&fixture("report.txt"), &hints);
    insta::assert_snapshot!(render(&doc));
}

/// The seed reports, when the shared folder is present: their boilerplate is labelled.
#[test]
fn seeds_when_present() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: no seeds at {}", dir.display());
        return;
    };
    use dossier_core::BlockKind as K;
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("seed reads");
        let doc = extract_text(&text, &Hints::default());
        for b in &doc.blocks {
            let t = doc.block_text(b);
            let expect = match t {
                "Previous Article" | "Next Article" => Some(K::Navigation),
                "Write a Comment" | "Leave a Comment" => Some(K::CommentForm),
                "Source: BNR" => Some(K::SourceLine),
                "Greetings from Wagner" | "Meduza’s version of events" => Some(K::Heading),
                _ if t.starts_with("Editor’s note") || t.starts_with("Editor's note") => {
                    Some(K::EditorsNote)
                }
                _ if t.starts_with("Sharon Rock is") => Some(K::AuthorBio),
                _ => None,
            };
            if let Some(k) = expect {
                assert_eq!(b.kind, k, "{}: {t:?}", path.display());
            }
        }
        // The teaser titles after "Previous Article" / "Next Article" are not body.
        let mut after_nav = false;
        for b in &doc.blocks {
            if after_nav {
                assert!(!b.kind.is_body(), "teaser {:?}", doc.block_text(b));
            }
            after_nav = b.kind == K::Navigation;
        }
    }
}

#[test]
fn a_long_list_is_part_of_the_article_not_all_of_it() {
    // The list holds most of the prose; the short paragraphs and headings around it are the
    // article too.
    let items: String = (1..=8)
        .map(|i| format!("<li>Harbour award number {i} goes to the crew of the ferry that kept the Lenz crossing open through the storms of the winter.</li>"))
        .collect();
    let page = format!(
        r#"<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
        <div class="story"><h1>Harbour awards: the full list</h1>
        <p>Winners are in bold.</p><h2>Crew of the year</h2><ul>{items}</ul>
        <p>The ceremony was held on the pier.</p></div>
        <footer><a href="/about">About us</a></footer></body></html>"#
    );
    let doc = extract_html(&page, &Hints::default());
    let body = doc.body_text();
    assert!(body.contains("Harbour award number 3"));
    assert!(body.contains("Winners are in bold"), "{body}");
    assert!(body.contains("Crew of the year"), "{body}");
    assert!(body.contains("held on the pier"), "{body}");
    assert!(!body.contains("About us"));
}
