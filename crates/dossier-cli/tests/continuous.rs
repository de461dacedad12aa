//! Continuous ingest: `ingest --watch` picks up new files; `follow` fetches feeds from files and
//! from an HTTP server on loopback.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

fn feed(items: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Wire</title>"#,
    );
    for i in 0..items {
        s.push_str(&format!(
            "<item><title>Item {i}</title><link>https://loop.example/{i}</link><description>Item {i}: the ferry to Lenz resumed service.</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

#[test]
fn watch_ingests_new_files() {
    let s = Scratch::new();
    s.write("in/first.txt", "The first report in the watched folder.\n");
    let mut child = s
        .command(&[
            "ingest",
            "--watch",
            "--json",
            "--every",
            "100ms",
            s.path("in").to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["summary"]["stored"], 1);
    s.write("in/sub/second.txt", "A second report dropped in later.\n");
    let second: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(second["summary"]["stored"], 1, "{second}");
    assert_eq!(second["inputs"], 1);
    assert_eq!(json_lines(&s.dossier(&["reports", "--json"])).len(), 2);
}

/// Serve `body` to every request on loopback, answering 304 to a matching If-None-Match.
fn serve_feed(body: String, requests: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]).to_string();
            let not_modified = req.to_ascii_lowercase().contains("if-none-match: \"v1\"");
            let resp = if not_modified {
                "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n".to_string()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: \"v1\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            };
            stream.write_all(resp.as_bytes()).unwrap();
            seen.push(req);
            if Instant::now() > deadline {
                break;
            }
        }
        seen
    });
    (format!("http://{addr}/feed.xml"), handle)
}

#[test]
fn follow_fetches_over_http_with_conditional_get() {
    let s = Scratch::new();
    let (url, server) = serve_feed(feed(3), 2);
    let mut child = s
        .command(&["follow", "--json", "--every", "200ms", &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let r1: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let r2: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(r1["summary"]["stored"], 3, "{r1}");
    assert_eq!(r1["analysed"], 3);
    assert_eq!(r2["inputs"], 0, "unchanged feed is not re-read: {r2}");
    let requests = server.join().unwrap();
    assert!(
        requests[1].to_ascii_lowercase().contains("if-none-match"),
        "{}",
        requests[1]
    );
    let list = json_lines(&s.dossier(&["reports", "--json"]));
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["outlet"], "Loopback Wire");
}

#[test]
fn follow_a_file_once_and_report_failures() {
    let s = Scratch::new();
    let f = s.write("feed.xml", feed(2));
    let out = s.dossier(&["follow", "--once", "--json", f.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert_eq!(json_lines(&out)[0]["summary"]["stored"], 2);
    let again = s.dossier(&["follow", "--once", "--json", f.to_str().unwrap()]);
    assert_eq!(json_lines(&again)[0]["summary"]["unchanged"], 2);
    let missing = s.dossier(&[
        "follow",
        "--once",
        "--json",
        "http://127.0.0.1:9/nothing.xml",
    ]);
    assert_eq!(code(&missing), 3);
    let r = &json_lines(&missing)[0]["summary"]["rejected"][0];
    assert!(
        r["reason"].as_str().unwrap().contains("fetch failed"),
        "{r}"
    );
    let bad = s.dossier(&["follow", "--every", "soon", f.to_str().unwrap()]);
    assert_eq!(code(&bad), 2);
}
