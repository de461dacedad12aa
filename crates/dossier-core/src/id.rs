//! Stable identifiers: report ids from canonical URLs or normalised text, content hashes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

use crate::text::normalise_for_identity;

/// A report's identity: `u` + hash of its canonical URL, or `t` + hash of its normalised text
/// when it has no URL. 17 characters, stable across runs and machines.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReportId(pub String);

impl ReportId {
    /// Identity from a URL, canonicalised first (see [`canonical_url`]).
    pub fn from_url(url: &str) -> Self {
        let canon = canonical_url(url).unwrap_or_else(|| url.trim().to_string());
        ReportId(format!("u{}", short_hash(canon.as_bytes())))
    }

    /// Identity from text, normalised first (case, whitespace, punctuation variants).
    pub fn from_text(text: &str) -> Self {
        ReportId(format!(
            "t{}",
            short_hash(normalise_for_identity(text).as_bytes())
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReportId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The hash of a revision's content (title and normalised clean text): two ingests of the same
/// article with different ads or navigation around it have the same content hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContentHash(pub String);

impl ContentHash {
    pub fn of(title: Option<&str>, text: &str) -> Self {
        let mut h = Sha256::new();
        h.update(normalise_for_identity(title.unwrap_or("")).as_bytes());
        h.update([0u8]);
        h.update(normalise_for_identity(text).as_bytes());
        ContentHash(hex::encode(&h.finalize()[..16]))
    }
}

/// A 16-hex-digit SHA-256 prefix: the short stable identities used across the record.
pub fn short_hash(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..8])
}

/// Query parameters that track campaigns or sessions and never change what a page shows.
const TRACKING_PARAMS: &[&str] = &[
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "utm_id",
    "fbclid",
    "gclid",
    "mc_cid",
    "mc_eid",
    "ocid",
    "cmpid",
    "ref",
    "src",
    "smid",
    "partner",
];

/// A canonical form of an http(s) URL: lower-case host without `www.`, no fragment, no default
/// port, tracking parameters removed, remaining parameters sorted, no trailing slash on a
/// non-root path. Returns `None` for anything that is not an absolute http(s) URL.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut u = url::Url::parse(raw.trim()).ok()?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return None;
    }
    u.set_fragment(None);
    let host = u.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    u.set_host(Some(&host)).ok()?;
    let _ = u.set_port(None);
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !TRACKING_PARAMS.contains(&k.to_ascii_lowercase().as_str()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let path = u.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        u.set_path(path.trim_end_matches('/'));
    }
    // Scheme is not part of identity: http and https of one page are one report.
    let s = u.to_string();
    Some(s.replacen("http://", "https://", 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn canonical_url_drops_tracking_and_fragment() {
        assert_eq!(
            canonical_url("http://WWW.Example.com:80/a/b/?utm_source=x&b=2&a=1#top").as_deref(),
            Some("https://example.com/a/b?a=1&b=2")
        );
        assert_eq!(canonical_url("ftp://example.com/x"), None);
        assert_eq!(canonical_url("not a url"), None);
    }

    #[test]
    fn same_page_same_id() {
        assert_eq!(
            ReportId::from_url("https://example.com/story?utm_medium=rss"),
            ReportId::from_url("http://www.example.com/story/")
        );
        assert_ne!(
            ReportId::from_url("https://example.com/a"),
            ReportId::from_url("https://example.com/b")
        );
    }

    #[test]
    fn text_identity_ignores_layout() {
        assert_eq!(
            ReportId::from_text("Hello,   world.\n\nSecond  line"),
            ReportId::from_text("hello, world. second line")
        );
    }

    proptest! {
        #[test]
        fn canonical_url_is_idempotent(path in "[a-z0-9/]{0,20}", q in "[a-z]{0,5}") {
            let raw = format!("https://www.example.org/{path}?{q}=1");
            if let Some(c) = canonical_url(&raw) {
                prop_assert_eq!(canonical_url(&c), Some(c.clone()));
            }
        }

        #[test]
        fn ids_have_fixed_shape(s in ".{0,200}") {
            let id = ReportId::from_text(&s);
            prop_assert_eq!(id.0.len(), 17);
        }
    }
}
