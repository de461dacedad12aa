//! CAMEO → PLOVER crosswalk. The official table (`CAMEO2PLOVER-2021.txt`, CC BY-SA) is read at
//! run time from a user path; without it a root-level mapping (CAMEO 2-digit root → PLOVER type,
//! from the CAMEO and PLOVER manuals' definitions) is used.

use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PloverCode {
    pub event: String,
    pub mode: Option<String>,
    pub context: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Crosswalk {
    map: HashMap<String, PloverCode>,
}

#[derive(Debug, thiserror::Error)]
pub enum CrosswalkError {
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    #[error("{file}:{line}: {msg}")]
    Syntax {
        file: String,
        line: usize,
        msg: String,
    },
}

const ROOTS: &[(&str, &str)] = &[
    ("03", "AGREE"),
    ("04", "CONSULT"),
    ("05", "SUPPORT"),
    ("06", "COOPERATE"),
    ("07", "AID"),
    ("08", "CONCEDE"),
    ("09", "ACCUSE"),
    ("10", "REQUEST"),
    ("11", "ACCUSE"),
    ("12", "REJECT"),
    ("13", "THREATEN"),
    ("14", "PROTEST"),
    ("15", "MOBILIZE"),
    ("16", "SANCTION"),
    ("17", "COERCE"),
    ("18", "ASSAULT"),
    ("19", "ASSAULT"),
    ("20", "ASSAULT"),
];

impl Crosswalk {
    /// Parse the official crosswalk file (`CODE: EVENT, mode, context # comment`).
    pub fn load(path: impl AsRef<Path>) -> Result<Crosswalk, CrosswalkError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| CrosswalkError::Io(path.display().to_string(), e))?;
        Self::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, file: &str) -> Result<Crosswalk, CrosswalkError> {
        let mut map = HashMap::new();
        for (ln0, raw) in text.lines().enumerate() {
            let l = raw.split('#').next().unwrap_or("").trim();
            if l.is_empty() || l.chars().all(|c| c == '~' || c == '-' || c == '=') {
                continue;
            }
            let Some((code, rest)) = l.split_once(':') else {
                return Err(CrosswalkError::Syntax {
                    file: file.into(),
                    line: ln0 + 1,
                    msg: "expected 'CODE: EVENT, mode, context'".into(),
                });
            };
            let code = code.trim();
            if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(CrosswalkError::Syntax {
                    file: file.into(),
                    line: ln0 + 1,
                    msg: format!("bad CAMEO code {code:?}"),
                });
            }
            let mut parts = rest.split(',').map(|s| s.trim());
            let event = parts.next().unwrap_or("").to_uppercase();
            if event.is_empty() {
                continue;
            }
            let nonempty = |s: Option<&str>| s.map(|x| x.to_string()).filter(|x| !x.is_empty());
            let mode = nonempty(parts.next());
            let context = nonempty(parts.next());
            map.insert(
                code.to_string(),
                PloverCode {
                    event,
                    mode,
                    context,
                },
            );
        }
        Ok(Crosswalk { map })
    }

    /// PLOVER coding of a CAMEO code: the most specific entry (4, 3, 2 digits), else the root.
    /// CAMEO 01/02 (statements, appeals) have no PLOVER type.
    pub fn plover(&self, cameo: &str) -> Option<PloverCode> {
        let digits: String = cameo.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.len() < 2 {
            return None;
        }
        for k in (2..=digits.len().min(4)).rev() {
            if let Some(p) = self.map.get(&digits[..k]) {
                return Some(p.clone());
            }
        }
        let root = &digits[..2];
        let ev = if root == "08" && digits.len() >= 3 && digits[..3] >= *"084" {
            "RETREAT"
        } else {
            ROOTS.iter().find(|(r, _)| *r == root)?.1
        };
        Some(PloverCode {
            event: ev.to_string(),
            mode: None,
            context: None,
        })
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}
