//! Print the blocks and metadata extracted from an HTML page on stdin (for debugging):
//! `zcat page.html.gz | cargo run --example blocks -- [URL]`.

use std::io::Read;

fn main() {
    let mut html = String::new();
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .expect("read stdin");
    html.push_str(&String::from_utf8_lossy(&bytes));
    let url = std::env::args().nth(1);
    let hints = dossier_extract::Hints {
        url: url.as_deref(),
        ..Default::default()
    };
    let doc = dossier_extract::extract_html(&html, &hints);
    for b in &doc.blocks {
        let t = doc.block_text(b);
        let short: String = t.chars().take(110).collect();
        println!(
            "{:<13} {} {}",
            b.kind.as_str(),
            b.level,
            short.replace('\n', " ")
        );
    }
    let mut m = doc.metadata.clone();
    m.description = None;
    println!("{}", serde_json::to_string_pretty(&m).unwrap_or_default());
    println!("is_article={} {:?}", doc.is_article, doc.not_article_reason);
}
