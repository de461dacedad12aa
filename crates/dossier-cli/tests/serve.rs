//! `dossier serve` as a process: prints its bound address, answers on loopback, refuses to
//! listen elsewhere without a token.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

use common::*;

fn http(addr: &str, request: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serves_the_api_on_a_chosen_port() {
    let s = Scratch::new();
    s.write("a.txt", "A report served over HTTP.\n");
    s.dossier(&["ingest", s.path("a.txt").to_str().unwrap()]);
    let mut child = s
        .command(&["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .expect(&line)
        .to_string();
    let health = http(
        &addr,
        "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let list = http(
        &addr,
        "GET /api/reports HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let body = "Posted report about the Lenz talks.\n";
    let posted = http(
        &addr,
        &format!(
            "POST /api/ingest?name=posted HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""));
    assert!(list.contains("\"input\""), "{list}");
    assert!(
        posted.starts_with("HTTP/1.1 200") && posted.contains("\"stored\":1"),
        "{posted}"
    );
    assert_eq!(json_lines(&s.dossier(&["reports", "--json"])).len(), 2);
}

#[test]
fn refuses_public_addresses_without_token() {
    let s = Scratch::new();
    let out = s
        .command(&["serve", "--addr", "0.0.0.0:0"])
        .env_remove("DOSSIER_TOKEN")
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("token"));
}
