//! The Admiralty (NATO) scale: source reliability A–F and information credibility 1–6, with the
//! wording of FM 2-22.3 Appendix B and the MISP `admiralty-scale` short labels
//! (`data/admiralty.tsv`).

use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// Reliability of a source (origin), A best to E worst; F when it cannot be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

/// Credibility of a piece of information, 1 (confirmed) to 5 (improbable); 6 when it cannot be
/// judged. Always in 1..=6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Credibility(u8);

struct Wording {
    label: String,
    short_label: String,
    explanation: String,
}

struct Table {
    reliability: Vec<Wording>,
    credibility: Vec<Wording>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut reliability: Vec<Option<Wording>> = (0..6).map(|_| None).collect();
    let mut credibility: Vec<Option<Wording>> = (0..6).map(|_| None).collect();
    for line in include_str!("../data/admiralty.tsv").lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 5 {
            continue;
        }
        let w = Wording {
            label: cols[2].to_string(),
            short_label: cols[3].to_string(),
            explanation: cols[4].to_string(),
        };
        match cols[0] {
            "reliability" => {
                if let Some(r) = Reliability::parse(cols[1]) {
                    reliability[r.index()] = Some(w);
                }
            }
            "credibility" => {
                if let Ok(n) = cols[1].parse::<u8>()
                    && let Some(c) = Credibility::new(n)
                {
                    credibility[usize::from(c.0) - 1] = Some(w);
                }
            }
            _ => {}
        }
    }
    let fill = |v: Vec<Option<Wording>>| {
        v.into_iter()
            .map(|w| {
                w.unwrap_or(Wording {
                    label: String::new(),
                    short_label: String::new(),
                    explanation: String::new(),
                })
            })
            .collect()
    };
    Table {
        reliability: fill(reliability),
        credibility: fill(credibility),
    }
});

impl Reliability {
    pub const ALL: [Reliability; 6] = [
        Reliability::A,
        Reliability::B,
        Reliability::C,
        Reliability::D,
        Reliability::E,
        Reliability::F,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The letter, `'A'`..=`'F'`.
    pub fn code(self) -> char {
        (b'A' + self as u8) as char
    }

    /// `"A"`..`"F"` (either case, surrounding blanks ignored).
    pub fn parse(s: &str) -> Option<Reliability> {
        match s.trim() {
            "A" | "a" => Some(Reliability::A),
            "B" | "b" => Some(Reliability::B),
            "C" | "c" => Some(Reliability::C),
            "D" | "d" => Some(Reliability::D),
            "E" | "e" => Some(Reliability::E),
            "F" | "f" => Some(Reliability::F),
            _ => None,
        }
    }

    /// FM 2-22.3 rating, e.g. "Usually Reliable".
    pub fn label(self) -> &'static str {
        &TABLE.reliability[self.index()].label
    }

    /// MISP short label, e.g. "Reliability cannot be judged".
    pub fn short_label(self) -> &'static str {
        &TABLE.reliability[self.index()].short_label
    }

    /// FM 2-22.3 explanation.
    pub fn explanation(self) -> &'static str {
        &TABLE.reliability[self.index()].explanation
    }
}

impl fmt::Display for Reliability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl Credibility {
    pub const CONFIRMED: Credibility = Credibility(1);
    pub const PROBABLY_TRUE: Credibility = Credibility(2);
    pub const POSSIBLY_TRUE: Credibility = Credibility(3);
    pub const DOUBTFUL: Credibility = Credibility(4);
    pub const IMPROBABLE: Credibility = Credibility(5);
    pub const CANNOT_BE_JUDGED: Credibility = Credibility(6);

    /// `Some` for 1..=6.
    pub fn new(n: u8) -> Option<Credibility> {
        (1..=6).contains(&n).then_some(Credibility(n))
    }

    pub fn value(self) -> u8 {
        self.0
    }

    fn index(self) -> usize {
        usize::from(self.0) - 1
    }

    /// FM 2-22.3 rating, e.g. "Probably True".
    pub fn label(self) -> &'static str {
        &TABLE.credibility[self.index()].label
    }

    /// MISP short label, e.g. "Confirmed by other sources".
    pub fn short_label(self) -> &'static str {
        &TABLE.credibility[self.index()].short_label
    }

    /// FM 2-22.3 explanation.
    pub fn explanation(self) -> &'static str {
        &TABLE.credibility[self.index()].explanation
    }
}

impl TryFrom<u8> for Credibility {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Credibility::new(n).ok_or_else(|| format!("credibility must be 1..=6, got {n}"))
    }
}

impl From<Credibility> for u8 {
    fn from(c: Credibility) -> u8 {
        c.0
    }
}

impl fmt::Display for Credibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_wording() {
        for r in Reliability::ALL {
            assert!(!r.label().is_empty(), "{r}");
            assert!(!r.explanation().is_empty(), "{r}");
        }
        for n in 1..=6 {
            let c = Credibility::new(n).unwrap();
            assert!(!c.label().is_empty(), "{c}");
            assert!(!c.short_label().is_empty(), "{c}");
        }
        assert_eq!(Reliability::B.label(), "Usually Reliable");
        assert_eq!(Reliability::F.short_label(), "Reliability cannot be judged");
        assert_eq!(
            Credibility::CONFIRMED.short_label(),
            "Confirmed by other sources"
        );
        assert_eq!(Credibility::DOUBTFUL.label(), "Doubtfully True");
        assert!(Credibility::new(0).is_none() && Credibility::new(7).is_none());
        assert!(serde_json::from_str::<Credibility>("7").is_err());
        assert_eq!(
            serde_json::to_string(&Credibility::IMPROBABLE).unwrap(),
            "5"
        );
    }
}
