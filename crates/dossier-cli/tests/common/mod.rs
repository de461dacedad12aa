//! Helpers for binary-level tests: a scratch folder, the `dossier` command, JSON output parsing.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn store(&self) -> PathBuf {
        self.path("store.db")
    }

    /// Run `dossier --store <scratch store> ARGS...`.
    pub fn dossier(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("running dossier")
    }

    pub fn command(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new(bin());
        c.arg("--store").arg(self.store()).args(args);
        c.env_remove("RUST_LOG");
        c
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dossier"))
}

/// Parse stdout as one JSON value.
pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Parse stdout as JSON Lines.
pub fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// A small news page with boilerplate, written for these tests.
pub fn page(title: &str, url: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Test Herald</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2025-06-14T09:30:00+03:00">
</head><body><nav class="menu"><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1><p class="byline">By Mara Lind</p>
<p>{body}</p>
<p>Officials in Korvel said the situation remained tense on Saturday evening, and that talks could resume.</p>
</article><footer>© Test Herald</footer></body></html>"#
    )
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
