//! The cue lexicon (`data/cues.tsv`): reporting verbs, prepositional and chain cues by class.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The class of a cue: what it says about the speaker's commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CueClass {
    Neutral,
    Confirming,
    Contested,
    Denial,
    Evidence,
    Belief,
    Intent,
}

impl CueClass {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "neutral" => CueClass::Neutral,
            "confirming" => CueClass::Confirming,
            "contested" => CueClass::Contested,
            "denial" => CueClass::Denial,
            "evidence" => CueClass::Evidence,
            "belief" => CueClass::Belief,
            "intent" => CueClass::Intent,
            _ => return None,
        })
    }
}

/// How a cue is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CueKind {
    Verb,
    Tell,
    Noun,
    Prep,
    Chain,
    Passive,
}

impl CueKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "verb" => CueKind::Verb,
            "tell" => CueKind::Tell,
            "noun" => CueKind::Noun,
            "prep" => CueKind::Prep,
            "chain" => CueKind::Chain,
            "passive" => CueKind::Passive,
            _ => return None,
        })
    }
}

/// One lexicon entry for one surface form (possibly several words).
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    pub class: CueClass,
    pub kind: CueKind,
    pub lemma: String,
    /// The form's words, lower case.
    pub words: Vec<String>,
    /// A "to"-infinitive after the cue is an attributed proposition the source holds ("wants to
    /// leave", "hopes to win", "claims to have seen"), not an event ("decided to leave").
    pub to_complement: bool,
    /// An object with an "as" predicate after the cue is the content ("described the talks as
    /// candid", "framed the march as a protest").
    pub as_complement: bool,
}

/// The loaded lexicon: entries by their first word.
#[derive(Debug)]
pub struct Lexicon {
    pub weights: HashMap<CueClass, f32>,
    by_first: HashMap<String, Vec<Cue>>,
}

const CUES_TSV: &str = include_str!("../data/cues.tsv");

fn regular_forms(lemma: &str) -> Vec<String> {
    let mut out = vec![lemma.to_string()];
    let (s, ed, ing) = if let Some(stem) = lemma.strip_suffix('e') {
        (
            format!("{lemma}s"),
            format!("{lemma}d"),
            format!("{stem}ing"),
        )
    } else if let Some(stem) = lemma.strip_suffix('y') {
        (
            format!("{stem}ies"),
            format!("{stem}ied"),
            format!("{lemma}ing"),
        )
    } else if lemma.ends_with("ss") || lemma.ends_with("sh") || lemma.ends_with("ch") {
        (
            format!("{lemma}es"),
            format!("{lemma}ed"),
            format!("{lemma}ing"),
        )
    } else {
        (
            format!("{lemma}s"),
            format!("{lemma}ed"),
            format!("{lemma}ing"),
        )
    };
    out.push(s);
    out.push(ed);
    out.push(ing);
    out
}

impl Lexicon {
    pub fn parse(tsv: &str) -> Lexicon {
        let mut weights = HashMap::new();
        let mut by_first: HashMap<String, Vec<Cue>> = HashMap::new();
        for line in tsv.lines() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols[0] == "@class" {
                if let (Some(c), Some(w)) = (
                    cols.get(1).and_then(|c| CueClass::parse(c)),
                    cols.get(2).and_then(|w| w.parse::<f32>().ok()),
                ) {
                    weights.insert(c, w);
                }
                continue;
            }
            if cols.len() < 4 {
                continue;
            }
            let (Some(class), Some(kind)) = (CueClass::parse(cols[0]), CueKind::parse(cols[1]))
            else {
                continue;
            };
            let lemma = cols[2];
            let flags: Vec<&str> = cols
                .get(4)
                .map(|f| f.split_whitespace().collect())
                .unwrap_or_default();
            let to_complement = flags.contains(&"to");
            let as_complement = flags.contains(&"as");
            let forms: Vec<String> = if cols[3].trim() == "-" {
                regular_forms(lemma)
            } else {
                let mut f: Vec<String> = cols[3].split_whitespace().map(str::to_string).collect();
                if kind != CueKind::Noun
                    && kind != CueKind::Passive
                    && !lemma.contains('_')
                    && !f.iter().any(|x| x == lemma)
                {
                    f.insert(0, lemma.to_string());
                }
                f
            };
            for form in forms {
                let words: Vec<String> = form.split('_').map(str::to_string).collect();
                let cue = Cue {
                    class,
                    kind,
                    lemma: lemma.replace('_', " "),
                    words,
                    to_complement,
                    as_complement,
                };
                let list = by_first.entry(cue.words[0].clone()).or_default();
                if !list
                    .iter()
                    .any(|c| c.words == cue.words && c.kind == cue.kind)
                {
                    list.push(cue);
                }
            }
        }
        for list in by_first.values_mut() {
            // Longest forms first, so "according to" wins over a one-word reading.
            list.sort_by_key(|c| std::cmp::Reverse(c.words.len()));
        }
        Lexicon { weights, by_first }
    }

    /// The entries whose first word is `word` (lower case), longest first.
    pub fn starting_with(&self, word: &str) -> &[Cue] {
        self.by_first.get(word).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn weight(&self, class: CueClass) -> f32 {
        self.weights.get(&class).copied().unwrap_or(0.5)
    }
}

/// The built-in lexicon.
pub fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| Lexicon::parse(CUES_TSV))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_classes_and_forms() {
        let l = lexicon();
        assert_eq!(l.weights.len(), 7);
        assert!(l.starting_with("said").iter().any(|c| c.lemma == "say"));
        assert!(
            l.starting_with("announced")
                .iter()
                .any(|c| c.kind == CueKind::Verb)
        );
        assert!(
            l.starting_with("denies")
                .iter()
                .any(|c| c.class == CueClass::Denial)
        );
        assert_eq!(
            l.starting_with("according")[0].words,
            vec!["according", "to"]
        );
        // Only verbs of a held proposition take a "to"-infinitive as content.
        let to = |w: &str, lemma: &str| {
            l.starting_with(w)
                .iter()
                .find(|c| c.lemma == lemma)
                .is_some_and(|c| c.to_complement)
        };
        assert!(to("wants", "want"));
        assert!(to("hoped", "hope"));
        assert!(!to("decided", "decide"));
        assert!(!to("agreed", "agree"));
        assert!(
            l.starting_with("framed")
                .iter()
                .any(|c| c.lemma == "frame" && c.as_complement)
        );
        // Function words are never cues.
        for w in ["that", "just", "so", "also", "the"] {
            assert!(l.starting_with(w).is_empty(), "{w}");
        }
    }
}
