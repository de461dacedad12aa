//! Bad input: each bad input gets one clear line naming it and the reason, the rest of the
//! batch goes on, the exit code says something was rejected, and the store is unharmed.

mod common;

use common::*;
use serde_json::Value;

fn rejection<'a>(j: &'a Value, name_part: &str) -> &'a str {
    j["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["input"].as_str().unwrap().contains(name_part))
        .and_then(|r| r["reason"].as_str())
        .unwrap_or_else(|| panic!("no rejection for {name_part} in {j}"))
}

#[test]
fn every_bad_input_is_named_and_the_batch_goes_on() {
    let s = Scratch::new();
    // Good inputs first, so we can check they survive.
    s.write(
        "in/00-good.html",
        page("Good page", "https://herald.example/good", "A good report."),
    );
    s.write(
        "in/01-binary.bin",
        (0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<u8>>(),
    );
    s.write("in/02-empty.html", "");
    s.write("in/03-blank.txt", "  \n\n ");
    let mut gz = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03".to_vec();
    gz.extend_from_slice(b"this is not deflate data at all, just junk after a gzip header");
    s.write("in/04-broken.html.gz", gz);
    s.write("in/05-trunc.warc", "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>cut");
    s.write(
        "in/06-garbage.warc",
        "WARC/1.0\r\nthis is not a header\r\n\r\n",
    );
    s.write(
        "in/07-bad-feed.xml",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>X</title><item><title>open",
    );
    s.write("in/08-bad.jsonl", b"{\"title\":\"ok\",\"text\":\"fine line\"}\n{\"text\":\"bad \xff\xfe utf8\"}\n{broken json\n");
    s.write("in/09-other.json", "{\n  \"not\": \"a report\"\n}\n");
    s.write("in/10-good.txt", "Another good report, in plain text.\n");
    let missing = s.path("does-not-exist.html");

    let out = s.dossier(&[
        "ingest",
        "--json",
        s.path("in").to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 3, "exit code 3 means something was rejected");
    let j = json(&out);
    assert_eq!(j["stored"], 3, "{j}");
    assert!(rejection(&j, "01-binary").contains("binary"));
    assert!(rejection(&j, "02-empty").contains("empty"));
    assert!(rejection(&j, "03-blank").contains("empty"));
    assert!(rejection(&j, "04-broken").contains("gzip"));
    assert!(rejection(&j, "05-trunc.warc#1").contains("truncated"));
    assert!(rejection(&j, "06-garbage.warc#1").contains("malformed"));
    assert!(rejection(&j, "07-bad-feed").contains("malformed feed"));
    assert!(rejection(&j, "08-bad.jsonl#2").contains("UTF-8"));
    assert!(rejection(&j, "08-bad.jsonl#3").contains("invalid JSON"));
    assert!(rejection(&j, "09-other").contains("neither"));
    assert!(rejection(&j, "does-not-exist").contains("no such file"));

    // Human output: one line per rejection naming the input.
    let out = s.dossier(&["ingest", s.path("in/02-empty.html").to_str().unwrap()]);
    assert_eq!(code(&out), 3);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.starts_with("rejected: ")
            && l.contains("02-empty.html")
            && l.contains("empty input")),
        "{text}"
    );

    // What was stored before is intact.
    let list = json_lines(&s.dossier(&["reports", "--json"]));
    assert_eq!(list.len(), 3);
}

#[test]
fn invalid_utf8_in_a_page_is_decoded_not_lost() {
    let s = Scratch::new();
    // Declared UTF-8, actually windows-1252: decoded by sniffing.
    s.write(
        "latin.html",
        b"<html><head><meta charset=\"utf-8\"><title>Caf\xe9</title></head><body><p>The caf\xe9 in Korvel reopened after the d\xe9marche.</p></body></html>",
    );
    let out = s.dossier(&["analyse", "--json", s.path("latin.html").to_str().unwrap()]);
    let j = json(&out);
    let text = j["reports"][0]["document"]["text"].as_str().unwrap();
    assert!(text.contains("café in Korvel"), "{text}");
    assert!(
        j["reports"][0]["charset"]
            .as_str()
            .unwrap()
            .contains("windows-1252")
    );
}

#[test]
fn a_huge_file_is_rejected_without_reading_it_all() {
    let s = Scratch::new();
    let p = s.path("huge.html");
    {
        // 200 MB of markup, written in chunks.
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
        f.write_all(b"<html><body>").unwrap();
        let chunk = "<p>filler paragraph about nothing in particular</p>\n".repeat(20_000);
        let mut written = 0usize;
        while written < 200 * 1024 * 1024 {
            f.write_all(chunk.as_bytes()).unwrap();
            written += chunk.len();
        }
    }
    s.write("small.txt", "A small report next to a huge one.\n");
    let out = s.dossier(&[
        "ingest",
        "--json",
        p.to_str().unwrap(),
        s.path("small.txt").to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 3);
    let j = json(&out);
    assert!(rejection(&j, "huge.html").contains("too large"));
    assert_eq!(j["stored"], 1);
}

#[test]
fn a_folder_without_permission_is_named() {
    let s = Scratch::new();
    let locked = s.path("in/locked");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(locked.join("x.txt"), "hidden report\n").unwrap();
    s.write("in/open/y.txt", "visible report\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads everything: run the binary as an unprivileged user then.
    let is_root = unsafe_geteuid() == 0;
    let out = if is_root {
        std::fs::set_permissions(s.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let Ok(o) = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin())
            .arg("--store")
            .arg(s.store())
            .args(["ingest", "--json"])
            .arg(s.path("in"))
            .output()
        else {
            eprintln!("setpriv not available; cannot test permissions as root");
            return;
        };
        o
    } else {
        s.dossier(&["ingest", "--json", s.path("in").to_str().unwrap()])
    };
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code(&out), 3, "{}", String::from_utf8_lossy(&out.stderr));
    let j = json(&out);
    assert!(rejection(&j, "locked").contains("permission denied"), "{j}");
    assert_eq!(j["stored"], 1);
}

fn unsafe_geteuid() -> u32 {
    // The tests avoid a libc dependency: read the effective uid from /proc.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2))
                .and_then(|u| u.parse().ok())
        })
        .unwrap_or(u32::MAX)
}

#[test]
fn an_unusable_store_is_a_clear_error() {
    let s = Scratch::new();
    s.write("store.db", vec![42u8; 8192]);
    s.write("a.txt", "report\n");
    let out = s.dossier(&["ingest", s.path("a.txt").to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("store.db"), "{err}");
}
