//! Language analysis for one report: sentences and tokens with byte offsets, named mentions
//! (people, organisations, places, nationalities) with the roles attached to people and
//! metonymy labelled, and within-report coreference with its evidence.
//!
//! Rules and lexicons only (data files in `data/`, parsed once); no model is downloaded.
//! Everything is linear in the length of the text.
//!
//! ```
//! let text = "Belarusian President Alexander Lukashenko met Prigozhin. He said the talks went well.";
//! let lang = dossier_nlp::analyse(text, None);
//! assert_eq!(lang.sentences.len(), 2);
//! let luka = lang.mentions.iter().find(|m| m.text == "Alexander Lukashenko").unwrap();
//! assert_eq!(luka.role.as_ref().unwrap().title, "president");
//! ```

mod coref;
pub mod lexicon;
mod names;
pub mod segment;

use serde::{Deserialize, Serialize};

pub use segment::{Dateline, Quotation, Sentence, SentenceKind, Token, TokenKind};

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    Person,
    Organisation,
    Place,
    /// A nationality or other group adjective used on its own ("the Russians", "Belarusian").
    Nationality,
}

/// How a mention refers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionForm {
    /// A proper name.
    Name,
    /// A personal pronoun in subject position ("he", "she").
    Pronoun,
    /// A definite description by title ("the president").
    Nominal,
}

/// A role or title attached to a person ("Russian Ambassador to Belarus", "the Wagner founder
/// and leader", "leader of the Russian Foreign Intelligence Service").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The title words, lower case ("chief of staff", "founder and leader").
    pub title: String,
    /// The organisation or place the role belongs to ("Kremlin", "Russian Security Council").
    pub affiliation: Option<(usize, usize)>,
    /// ISO 3166 code when a demonym or country in the role gives it.
    pub country: Option<String>,
}

/// A place or seat standing for an institution ("the Kremlin ordered").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metonymy {
    /// What the name stands for ("Russian presidency", "government of United States").
    pub stands_for: String,
    pub country: Option<String>,
    /// Which rule fired: `agent-verb` (followed by a verb) or `between-capitals`.
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The name itself (or the pronoun, or the description).
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: MentionKind,
    pub form: MentionForm,
    /// The whole noun phrase: determiner, premodifying role and appositive role included
    /// ("Russian Ambassador to Belarus Boris Gryzlov", "the Oka River").
    pub extent: (usize, usize),
    /// Finer class from the lexicons (outlet, agency, armed_group, country, city, river, …).
    pub class: Option<String>,
    /// ISO 3166 code when the lexicons give one.
    pub country: Option<String>,
    pub role: Option<Role>,
    pub metonymy: Option<Metonymy>,
    /// Why this span was typed so (`lexicon-org`, `first-name`, `org-head`, `role`, …).
    pub rule: String,
    /// Within-report entity (index into `Language::entities`).
    pub entity: usize,
}

/// Why a mention was put in an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Index of the mention in `Language::mentions`.
    pub mention: usize,
    /// The mention it was resolved to.
    pub antecedent: usize,
    pub antecedent_span: (usize, usize),
    /// `same-name`, `surname`, `spelling-variant`, `acronym`, `pronoun-subject`, `title`, …
    pub rule: String,
}

/// One entity within the report: a cluster of mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalEntity {
    pub id: usize,
    pub kind: MentionKind,
    /// The longest name among its mentions.
    pub canonical: String,
    /// Indices into `Language::mentions`, in text order.
    pub mentions: Vec<usize>,
    pub evidence: Vec<Evidence>,
}

/// The language layer of one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Language {
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub quotes: Vec<Quotation>,
    pub datelines: Vec<Dateline>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<LocalEntity>,
}

/// Analyse a report's clean text. `body` limits the analysis to these byte spans (the body
/// blocks); each span is a paragraph. Without it, every line of the text is a paragraph.
pub fn analyse(text: &str, body: Option<&[(usize, usize)]>) -> Language {
    let seg = segment::segment(text, body);
    let mut mentions = names::find(text, &seg);
    let entities = coref::resolve(text, &seg, &mut mentions);
    Language {
        sentences: seg.sentences,
        tokens: seg.tokens,
        quotes: seg.quotes,
        datelines: seg.datelines,
        mentions,
        entities,
    }
}

/// Sentences only (cheaper than [`analyse`]).
pub fn sentences(text: &str, body: Option<&[(usize, usize)]>) -> Vec<Sentence> {
    segment::segment(text, body).sentences
}
