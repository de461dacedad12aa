//! `dossier ingest`, `reports`, `show` and `analyse` driven as a user would, parsing `--json`.

mod common;

use std::io::Write;

use common::*;
use serde_json::Value;

#[test]
fn ingest_stores_then_recognises_unchanged_and_revised() {
    let s = Scratch::new();
    s.write(
        "in/a.html",
        page(
            "Column halts near Korvel",
            "https://herald.example/a?utm_source=rss",
            "The column stopped forty kilometres from the capital.",
        ),
    );
    s.write(
        "in/b.html",
        page(
            "Talks begin",
            "https://herald.example/b",
            "Negotiators met in Lenz on Sunday.",
        ),
    );
    s.write(
        "in/notes/c.txt",
        "A plain text report about the dam.\n\nIt has two paragraphs.\n",
    );
    let out = s.dossier(&["ingest", "--json", s.path("in").to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let j = json(&out);
    assert_eq!(j["stored"], 3);
    assert_eq!(j["unchanged"], 0);
    assert_eq!(j["rejected"].as_array().unwrap().len(), 0);

    // Same content again: nothing new.
    let again = json(&s.dossier(&["ingest", "--json", s.path("in").to_str().unwrap()]));
    assert_eq!(
        (again["stored"].clone(), again["unchanged"].clone()),
        (Value::from(0), Value::from(3))
    );

    // The page at the same canonical URL changed: a new revision, not a new report.
    s.write(
        "in2/a.html",
        page(
            "Column halts near Korvel",
            "https://herald.example/a",
            "The column stopped thirty kilometres from the capital.",
        ),
    );
    let rev = json(&s.dossier(&["ingest", "--json", s.path("in2").to_str().unwrap()]));
    assert_eq!(rev["revised"], 1);
    assert_eq!(rev["stored"], 0);

    let list = json_lines(&s.dossier(&["reports", "--json"]));
    assert_eq!(list.len(), 3);
    let a = list
        .iter()
        .find(|r| r["url"].as_str().is_some_and(|u| u.contains("/a")))
        .expect("report a listed");
    assert_eq!(a["revision"], 2);
    let id = a["id"].as_str().unwrap();

    let shown = json(&s.dossier(&["show", "--json", id]));
    assert!(
        shown["document"]["text"]
            .as_str()
            .unwrap()
            .contains("thirty kilometres")
    );
    let first = json(&s.dossier(&["show", "--json", "--revision", "1", id]));
    assert!(
        first["document"]["text"]
            .as_str()
            .unwrap()
            .contains("forty kilometres")
    );
    // Raw input is kept byte for byte.
    let raw = s.dossier(&["show", "--raw", "--revision", "1", id]);
    assert_eq!(raw.stdout, std::fs::read(s.path("in/a.html")).unwrap());

    let hits =
        json_lines(&s.dossier(&["search", "--json", "--in", "reports", "thirty kilometres"]));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], id);
    assert_eq!(hits[0]["kind"], "report");
    assert!(
        json_lines(&s.dossier(&["search", "--json", "forty"])).is_empty(),
        "old revisions are not searched, neither their reports nor their claims"
    );
    // Claims are searched too, each with the id `trace` takes.
    let claims =
        json_lines(&s.dossier(&["search", "--json", "--in", "claims", "thirty kilometres"]));
    assert_eq!(claims.len(), 1, "{claims:?}");
    assert_eq!(claims[0]["kind"], "claim");
    assert_eq!(claims[0]["report"]["id"], id);
    let claim_id = claims[0]["id"].as_str().unwrap();
    assert!(claim_id.starts_with(&format!("{id}:c")), "{claim_id}");
    assert!(
        claims[0]["text"]
            .as_str()
            .unwrap()
            .contains("thirty kilometres")
    );
    let traced = json(&s.dossier(&["trace", "--json", claim_id]));
    assert_eq!(traced["kind"], "claim", "{traced}");
    let both = String::from_utf8(s.dossier(&["search", "kilometres"]).stdout).unwrap();
    assert!(
        both.contains("claims: 1") && both.contains("reports: 1"),
        "{both}"
    );

    let missing = s.dossier(&["show", "u0000000000000000"]);
    assert_eq!(code(&missing), 1);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no report"));
}

#[test]
fn ingest_reads_every_format_by_content() {
    let s = Scratch::new();
    // A feed with a misleading extension.
    s.write(
        "in/feed.txt",
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Regional Wire</title>
<item><title>Dam closed</title><link>https://wire.example/dam</link><pubDate>Sun, 15 Jun 2025 08:00:00 +0000</pubDate>
<description>&lt;p&gt;Engineers closed the Saskal Dam spillway on Sunday.&lt;/p&gt;</description></item>
<item><title>Rally in Korvel</title><link>https://wire.example/rally</link><description>Thousands rallied in the capital.</description></item>
</channel></rss>"#,
    );
    s.write(
        "in/feed.atom",
        r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:x</id><updated>2025-06-15T00:00:00Z</updated>
<entry><title>Envoy arrives</title><id>urn:1</id><link href="https://atom.example/1"/><updated>2025-06-15T10:00:00Z</updated><summary>The envoy arrived in Lenz.</summary></entry></feed>"#,
    );
    s.write(
        "in/feed.json",
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"JSON Desk","items":[{"id":"1","url":"https://json.example/1","title":"Curfew","content_text":"A curfew was declared in Ostrava Nova."}]}"#,
    );
    s.write(
        "in/lines.jsonl",
        "{\"url\":\"https://l.example/1\",\"title\":\"One\",\"text\":\"First line report.\",\"published\":\"2025-06-14\",\"outlet\":\"Lines\"}\n{\"title\":\"Two\",\"html\":\"<p>Second report in HTML.</p>\"}\n",
    );
    // A gzip-compressed page.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(page("Zipped", "https://herald.example/z", "A compressed page.").as_bytes())
        .unwrap();
    s.write("in/page.html.gz", gz.finish().unwrap());
    // A WARC with a request, a response and a redirect.
    let html = page("Archived", "https://herald.example/w", "An archived page.");
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{}",
        html.len(),
        html
    );
    let redirect = "HTTP/1.1 301 Moved\r\nLocation: https://herald.example/w\r\n\r\n";
    let rec = |ty: &str, uri: &str, body: &str| {
        format!(
            "WARC/1.0\r\nWARC-Type: {ty}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-06-16T12:00:00Z\r\nContent-Type: application/http; msgtype={ty}\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        )
    };
    let warc = format!(
        "{}{}{}",
        rec(
            "request",
            "https://herald.example/w",
            "GET /w HTTP/1.1\r\n\r\n"
        ),
        rec("response", "https://herald.example/w", &http),
        rec("response", "http://herald.example/w", redirect)
    );
    s.write("in/crawl.warc", warc);

    let out = s.dossier(&["ingest", "--json", s.path("in").to_str().unwrap()]);
    let j = json(&out);
    assert_eq!(j["rejected"].as_array().unwrap().len(), 0, "{j}");
    // 2 rss + 1 atom + 1 json feed + 2 jsonl + 1 gz page + 1 warc page.
    assert_eq!(j["stored"], 8, "{j}");
    assert_eq!(
        j["skipped"], 2,
        "request and redirect records are skipped: {j}"
    );

    let list = json_lines(&s.dossier(&["reports", "--json"]));
    let by_url = |u: &str| {
        list.iter()
            .find(|r| r["url"] == u)
            .unwrap_or_else(|| panic!("{u} in {list:?}"))
    };
    assert_eq!(
        by_url("https://wire.example/dam")["outlet"],
        "Regional Wire"
    );
    assert!(
        by_url("https://wire.example/dam")["published"]
            .as_str()
            .unwrap()
            .starts_with("2025-06-15T08:00")
    );
    assert_eq!(by_url("https://l.example/1")["outlet"], "Lines");
    assert!(
        by_url("https://herald.example/w")["input"]
            .as_str()
            .unwrap()
            .ends_with("crawl.warc")
    );
}

#[test]
fn stdin_and_analyse() {
    let s = Scratch::new();
    let mut child = s
        .command(&["ingest", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Report from stdin about the Mirra River crossing.\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(json(&out)["stored"], 1);

    let f = s.write(
        "one.html",
        page("Analysed", "https://herald.example/an", "Text to analyse."),
    );
    let out = s.dossier(&["analyse", "--json", f.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    let j = json(&out);
    let r = &j["reports"][0];
    let text = r["document"]["text"].as_str().unwrap();
    // Every block's span points into the clean text.
    for b in r["document"]["blocks"].as_array().unwrap() {
        let (start, end) = (
            b["span"]["start"].as_u64().unwrap() as usize,
            b["span"]["end"].as_u64().unwrap() as usize,
        );
        assert!(text.get(start..end).is_some_and(|t| !t.is_empty()), "{b}");
    }
    assert!(text.contains("Text to analyse."));
    // Nothing was stored by analyse.
    assert_eq!(json_lines(&s.dossier(&["reports", "--json"])).len(), 1);

    let t = s.write("undated.txt", "An undated statement.\n");
    let out = s.dossier(&[
        "analyse",
        "--json",
        "--published",
        "2025-06-14",
        t.to_str().unwrap(),
    ]);
    let j = json(&out);
    assert!(
        j["reports"][0]["document"]["metadata"]["published"]["value"]
            .as_str()
            .unwrap()
            .starts_with("2025-06-14")
    );
    let bad = s.dossier(&["analyse", "--published", "soon", t.to_str().unwrap()]);
    assert_eq!(code(&bad), 1);
}

#[test]
fn human_output_and_usage_errors() {
    let s = Scratch::new();
    s.write("a.txt", "Short report.\n");
    let out = s.dossier(&["ingest", s.path("a.txt").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("stored 1, revised 0, unchanged 0"));
    let out = s.dossier(&["reports"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 reports"));
    let out = s.dossier(&["no-such-command"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn ingesting_the_folder_that_holds_the_store_passes_over_the_store() {
    let s = Scratch::new();
    s.write(
        "a.html",
        page(
            "Column halts near Korvel",
            "https://herald.example/a",
            "The column stopped forty kilometres from the capital.",
        ),
    );
    let root = s.dir.path().to_str().unwrap().to_string();
    for _ in 0..2 {
        let out = s.dossier(&["ingest", "--json", &root]);
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        let j = json(&out);
        assert_eq!(j["rejected"].as_array().unwrap().len(), 0, "{j}");
    }
    // The store's own files are passed over only inside a folder: named on its own, it is read
    // (and refused as not a report).
    let out = s.dossier(&["ingest", "--json", s.store().to_str().unwrap()]);
    assert_eq!(json(&out)["rejected"].as_array().unwrap().len(), 1);
}
