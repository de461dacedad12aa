//! Dictionaries in the TABARI / PETRARCH / Phoenix formats (actors, agents, verbs with patterns,
//! discards), and the phrase index used to match them. Our own lexicons are compiled into the
//! same structures (see `lexicon`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A dictionary problem that stops loading: file and 1-based line.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{file}:{line}: {msg}")]
    Syntax {
        file: PathBuf,
        line: usize,
        msg: String,
    },
    #[error("cannot read {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error(
        "{0}: no dictionary files found (expected names containing actors, agents, verbs, discards)"
    )]
    Empty(PathBuf),
}

/// A problem that does not stop loading (duplicates, unknown codes), with file and line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DictWarning {
    pub file: String,
    pub line: usize,
    pub msg: String,
}

/// One dictionary word: upper-case text; `exact` = must equal the token (TABARI `WORD_`),
/// otherwise it is a stem matching any token that starts with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub exact: bool,
}

/// Phrases indexed by their first word (or stem) for longest-match lookup over tokens.
#[derive(Debug, Clone)]
pub struct PhraseIndex<T> {
    pub entries: Vec<(Vec<Word>, T)>,
    map: HashMap<String, Vec<usize>>,
    /// Longest first word that is a stem (0 = no stems: exact lookups only).
    max_key: usize,
}

impl<T> Default for PhraseIndex<T> {
    fn default() -> Self {
        PhraseIndex {
            entries: Vec::new(),
            map: HashMap::new(),
            max_key: 0,
        }
    }
}

impl<T> PhraseIndex<T> {
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Add a phrase; returns the index of an existing identical phrase instead, if any.
    pub fn insert(&mut self, words: Vec<Word>, value: T) -> Result<usize, usize> {
        if words.is_empty() {
            return Err(usize::MAX);
        }
        let key = words[0].text.clone();
        if let Some(list) = self.map.get(&key) {
            for &k in list {
                if self.entries[k].0 == words {
                    return Err(k);
                }
            }
        }
        if !words[0].exact {
            self.max_key = self.max_key.max(key.chars().count());
        }
        let id = self.entries.len();
        self.entries.push((words, value));
        self.map.entry(key).or_default().push(id);
        Ok(id)
    }

    /// Longest phrase starting at token `i` (token norms in `toks`): (entry id, tokens used).
    pub fn longest_at(&self, toks: &[&str], i: usize) -> Option<(usize, usize)> {
        let first = toks[i];
        let mut best: Option<(usize, usize, usize)> = None; // id, len, key len
        let try_key = |key: &str, full: bool, best: &mut Option<(usize, usize, usize)>| {
            if let Some(list) = self.map.get(key) {
                for &id in list {
                    let words = &self.entries[id].0;
                    if words[0].exact && !full {
                        continue;
                    }
                    if let Some(len) = match_words(words, toks, i) {
                        let kl = words.iter().map(|w| w.text.len()).sum::<usize>();
                        let better = match *best {
                            None => true,
                            Some((_, bl, bk)) => len > bl || (len == bl && kl > bk),
                        };
                        if better {
                            *best = Some((id, len, kl));
                        }
                    }
                }
            }
        };
        try_key(first, true, &mut best);
        if self.max_key < 2 {
            return best.map(|(id, len, _)| (id, len));
        }
        // stems: proper prefixes of the token (at least 2 chars)
        let mut ends: Vec<usize> = first.char_indices().map(|(b, _)| b).skip(2).collect();
        ends.truncate(self.max_key.saturating_sub(1));
        for &e in ends.iter().rev() {
            try_key(&first[..e], false, &mut best);
        }
        best.map(|(id, len, _)| (id, len))
    }
}

fn word_matches(w: &Word, tok: &str) -> bool {
    if w.exact {
        tok == w.text
    } else {
        stem_matches(&w.text, tok)
    }
}

/// Endings a TABARI stem may take ("ARGENTIN" → ARGENTINA, ARGENTINIAN; "GONDOR" →
/// GONDORIAN): a stem does not match a different word that merely starts with it ("KU" is not
/// "KUWAIT").
const STEM_ENDINGS: &[&str] = &[
    "", "A", "E", "I", "N", "S", "AN", "IA", "ES", "IS", "ER", "ED", "ESE", "ISH", "IAN", "IAS",
    "IANS", "ANS", "ERS", "INE", "ITE", "ITES", "IST", "ISTS", "I'S", "NS", "NE", "IC", "ICS",
];

pub fn stem_matches(stem: &str, tok: &str) -> bool {
    tok.strip_prefix(stem)
        .is_some_and(|rest| STEM_ENDINGS.contains(&rest))
}

fn match_words(words: &[Word], toks: &[&str], i: usize) -> Option<usize> {
    if i + words.len() > toks.len() {
        return None;
    }
    for (k, w) in words.iter().enumerate() {
        if !word_matches(w, toks[i + k]) {
            return None;
        }
    }
    Some(words.len())
}

/// A code valid over a date range (yyyymmdd, inclusive); `None` bounds are open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCode {
    pub code: String,
    pub from: Option<u32>,
    pub to: Option<u32>,
}

#[derive(Debug, Clone, Default)]
pub struct ActorEntry {
    pub name: String,
    pub codes: Vec<DatedCode>,
}

impl ActorEntry {
    /// The code valid on `date` (first restricted match, else the unrestricted one). Without a
    /// date, the most recent role: the line that ends last (open-ended lines end never), and of
    /// those the one that starts last; the first such line on ties. An undated sentence is
    /// about the present far more often than about a past office.
    pub fn code_on(&self, date: Option<u32>) -> Option<&str> {
        let Some(d) = date else {
            let mut best: Option<&DatedCode> = None;
            for c in &self.codes {
                let key = |c: &DatedCode| (c.to.unwrap_or(u32::MAX), c.from.unwrap_or(0));
                if best.is_none_or(|b| key(c) > key(b)) {
                    best = Some(c);
                }
            }
            return best.map(|c| c.code.as_str());
        };
        for c in &self.codes {
            if (c.from.is_some() || c.to.is_some())
                && c.from.is_none_or(|f| d >= f)
                && c.to.is_none_or(|t| d <= t)
            {
                return Some(&c.code);
            }
        }
        self.codes
            .iter()
            .find(|c| c.from.is_none() && c.to.is_none())
            .map(|c| c.code.as_str())
    }
}

/// An agent: a role code added after (`~GOV`) or before (`NGO~`) the actor's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentEntry {
    pub code: String,
    pub prefix: bool,
}

/// One element of a verb pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PElem {
    Word(Word),
    Syn(String),
    Source,
    Target,
    Compound,
    /// `^`: skip one word.
    Skip,
    /// Any one of these exact words (a word and its plural in our lexicons).
    AnyWord(Vec<String>),
}

/// One pattern: elements before and after the verb (`*`); `connected[k]` = element k must be
/// adjacent to the previous matched element (TABARI `_`).
#[derive(Debug, Clone)]
pub struct Pattern {
    pub pre: Vec<(PElem, bool)>,
    pub post: Vec<(PElem, bool)>,
    pub code: String,
    pub plover: Option<PloverInfo>,
    pub line: usize,
}

impl Pattern {
    pub fn weight(&self) -> usize {
        self.pre
            .iter()
            .chain(&self.post)
            .filter(|(e, _)| matches!(e, PElem::Word(_) | PElem::Syn(_) | PElem::AnyWord(_)))
            .count()
    }
}

/// PLOVER coding carried by our own lexicon entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PloverInfo {
    pub event: String,
    pub mode: Option<String>,
    pub context: Option<String>,
    /// Noun trigger (the actor comes as "X's" / "by X" / "of X" as well as before).
    pub noun: bool,
}

#[derive(Debug, Clone, Default)]
pub struct VerbBlock {
    pub name: String,
    pub code: Option<String>,
    pub plover: Option<PloverInfo>,
    pub patterns: Vec<Pattern>,
}

/// A set of coding dictionaries: actors, agents, verbs (with patterns and synonym sets),
/// discards. `warnings` lists duplicates and unknown codes found while loading.
#[derive(Debug, Clone, Default)]
pub struct Dictionaries {
    pub actors: PhraseIndex<usize>,
    pub actor_entries: Vec<ActorEntry>,
    pub agents: PhraseIndex<AgentEntry>,
    pub verbs: PhraseIndex<usize>,
    pub verb_blocks: Vec<VerbBlock>,
    pub synsets: HashMap<String, Vec<Vec<Word>>>,
    /// Discard phrases; `true` = the whole story is discarded.
    pub discards: PhraseIndex<bool>,
    pub warnings: Vec<DictWarning>,
}

fn syntax(file: &Path, line: usize, msg: impl Into<String>) -> DictError {
    DictError::Syntax {
        file: file.to_path_buf(),
        line,
        msg: msg.into(),
    }
}

/// Strip `#` comments and `<!-- -->` lines.
fn clean(line: &str) -> &str {
    // '#' starts a comment unless inside [...] (codes like [###])
    let mut depth = 0i32;
    let mut cut = line.len();
    for (k, c) in line.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '#' if depth <= 0 => {
                cut = k;
                break;
            }
            _ => {}
        }
    }
    let l = &line[..cut];
    let t = l.trim();
    if t.starts_with("<!") || t.starts_with("<") && t.ends_with('>') {
        return "";
    }
    t
}

/// `ARNOR_` → exact ARNOR; `BULGAR` → stem; `MINAS_TIRITH` → MINAS_ TIRITH (exact first word).
pub fn parse_phrase(s: &str) -> Vec<Word> {
    let s = s.trim().trim_start_matches('+');
    let mut out = Vec::new();
    let parts: Vec<&str> = s.split(|c: char| c == '_' || c.is_whitespace()).collect();
    // a word followed by '_' (or a following word) is exact; the last word is a stem unless
    // the phrase ends with '_'.
    let ends_exact = s.ends_with('_');
    let words: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    let nw = words.len();
    for (k, w) in words.iter().enumerate() {
        let exact = k + 1 < nw || ends_exact;
        out.push(Word {
            text: w.to_uppercase(),
            exact,
        });
    }
    out
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.chars().all(|c| {
            c.is_ascii_alphanumeric() || c == '-' || c == '+' || c == '#' || c == '/' || c == '~'
        })
}

/// `950601` → 19950601, `080508` → 20080508, 8 digits as they are.
fn parse_date(s: &str) -> Option<u32> {
    let s = s.trim();
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match s.len() {
        8 => s.parse().ok(),
        6 => {
            let v: u32 = s.parse().ok()?;
            let yy = v / 10000;
            Some(if yy < 40 { 20000000 + v } else { 19000000 + v })
        }
        _ => None,
    }
}

/// Parse the inside of `[...]` in an actor file: `CODE`, `CODE <D`, `CODE >D`, `CODE D1-D2`.
fn parse_dated(inner: &str, file: &Path, line: usize) -> Result<DatedCode, DictError> {
    let inner = inner.trim();
    let (code, rest) = match inner.find(|c: char| c.is_whitespace() || c == '<' || c == '>') {
        Some(k) => (&inner[..k], inner[k..].trim()),
        None => (inner, ""),
    };
    let code = code.trim();
    if code.is_empty() || !valid_code(code) {
        return Err(syntax(file, line, format!("bad actor code {inner:?}")));
    }
    let mut dc = DatedCode {
        code: code.to_uppercase(),
        from: None,
        to: None,
    };
    if rest.is_empty() {
        return Ok(dc);
    }
    let bad = || syntax(file, line, format!("bad date restriction {inner:?}"));
    if let Some(d) = rest.strip_prefix('<') {
        dc.to = Some(parse_date(d).ok_or_else(bad)?.saturating_sub(1));
    } else if let Some(d) = rest.strip_prefix('>') {
        dc.from = Some(parse_date(d).ok_or_else(bad)?);
    } else if let Some((a, b)) = rest.split_once('-') {
        dc.from = Some(parse_date(a).ok_or_else(bad)?);
        dc.to = Some(parse_date(b).ok_or_else(bad)?);
    } else {
        return Err(bad());
    }
    Ok(dc)
}

fn read(path: &Path) -> Result<String, DictError> {
    let bytes = std::fs::read(path).map_err(|e| DictError::Io(path.to_path_buf(), e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Which files to load, by kind.
#[derive(Debug, Clone, Default)]
pub struct DictFiles {
    pub actors: Vec<PathBuf>,
    pub agents: Vec<PathBuf>,
    pub verbs: Vec<PathBuf>,
    pub discards: Vec<PathBuf>,
}

impl Dictionaries {
    /// Load every dictionary in `dir`: files whose names contain `actors`, `agents`,
    /// `discards`, and verb files (names containing `verbs`, or a `CAMEO.*.txt` verb file).
    pub fn load(dir: impl AsRef<Path>) -> Result<Dictionaries, DictError> {
        Self::load_files(&Self::files_in(dir.as_ref())?)
    }

    /// Like [`Dictionaries::load`], but a line with a syntax error is reported in `warnings`
    /// and skipped instead of stopping the load (the published Phoenix files have a few).
    pub fn load_lenient(dir: impl AsRef<Path>) -> Result<Dictionaries, DictError> {
        let dir = dir.as_ref();
        let strict = Self::load(dir);
        match strict {
            Ok(d) => Ok(d),
            Err(DictError::Syntax { .. }) => Self::load_files_lenient(&Self::files_in(dir)?),
            Err(e) => Err(e),
        }
    }

    /// Lenient loading of explicit files (see [`Dictionaries::load_lenient`]).
    pub fn load_files_lenient(files: &DictFiles) -> Result<Dictionaries, DictError> {
        type AddFn = fn(&mut Dictionaries, &str, &Path) -> Result<(), DictError>;
        let mut d = Dictionaries::default();
        let kinds: [(&Vec<PathBuf>, AddFn); 4] = [
            (&files.actors, Dictionaries::add_actors),
            (&files.agents, Dictionaries::add_agents),
            (&files.verbs, Dictionaries::add_verbs),
            (&files.discards, Dictionaries::add_discards),
        ];
        for (paths, add) in kinds {
            for p in paths {
                let mut lines: Vec<String> = read(p)?.lines().map(|l| l.to_string()).collect();
                let mut skipped = Vec::new();
                loop {
                    // synonym sets of earlier verb files stay visible
                    let mut part = Dictionaries {
                        synsets: d.synsets.clone(),
                        ..Default::default()
                    };
                    match add(&mut part, &lines.join("\n"), p) {
                        Ok(()) => {
                            d.merge(&part);
                            break;
                        }
                        Err(DictError::Syntax { line, msg, .. })
                            if line >= 1 && line <= lines.len() && skipped.len() < 1000 =>
                        {
                            skipped.push(DictWarning {
                                file: p.display().to_string(),
                                line,
                                msg: format!("{msg}: line skipped"),
                            });
                            lines[line - 1] = String::new();
                        }
                        Err(e) => return Err(e),
                    }
                }
                d.warnings.extend(skipped);
            }
        }
        Ok(d)
    }

    fn files_in(dir: &Path) -> Result<DictFiles, DictError> {
        let rd = std::fs::read_dir(dir).map_err(|e| DictError::Io(dir.to_path_buf(), e))?;
        let mut names: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        let mut files = DictFiles::default();
        for p in names {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if !(n.ends_with(".txt") || n.ends_with(".dict")) {
                continue;
            }
            if n.contains("actors") {
                files.actors.push(p);
            } else if n.contains("agents") {
                files.agents.push(p);
            } else if n.contains("discards") {
                files.discards.push(p);
            } else if n.contains("verbs") || (n.starts_with("cameo.") && !n.contains("codefile")) {
                files.verbs.push(p);
            }
        }
        if files.actors.is_empty() && files.agents.is_empty() && files.verbs.is_empty() {
            return Err(DictError::Empty(dir.to_path_buf()));
        }
        Ok(files)
    }

    pub fn load_files(files: &DictFiles) -> Result<Dictionaries, DictError> {
        let mut d = Dictionaries::default();
        for p in &files.actors {
            d.add_actors(&read(p)?, p)?;
        }
        for p in &files.agents {
            d.add_agents(&read(p)?, p)?;
        }
        for p in &files.verbs {
            d.add_verbs(&read(p)?, p)?;
        }
        for p in &files.discards {
            d.add_discards(&read(p)?, p)?;
        }
        Ok(d)
    }

    fn warn(&mut self, file: &Path, line: usize, msg: String) {
        self.warnings.push(DictWarning {
            file: file.display().to_string(),
            line,
            msg,
        });
    }

    /// A bad code is a syntax error; a bad date restriction is reported and that code skipped
    /// (the published Phoenix dictionaries contain a few).
    fn push_dated(&mut self, id: usize, c: &str, file: &Path, ln: usize) -> Result<(), DictError> {
        match parse_dated(c, file, ln) {
            Ok(dc) => self.actor_entries[id].codes.push(dc),
            Err(DictError::Syntax { msg, .. }) if msg.starts_with("bad date") => {
                self.warn(file, ln, format!("{msg}: code skipped"))
            }
            Err(e) => return Err(e),
        }
        Ok(())
    }

    /// Parse an actor file (TABARI format).
    pub fn add_actors(&mut self, text: &str, file: &Path) -> Result<(), DictError> {
        let mut current: Option<(usize, usize)> = None; // entry id, line
        let mut pending_names: Vec<(Vec<Word>, usize)> = Vec::new();
        let flush = |d: &mut Dictionaries, names: &mut Vec<(Vec<Word>, usize)>, entry: usize| {
            for (w, ln) in names.drain(..) {
                let label = w
                    .iter()
                    .map(|x| x.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if let Err(k) = d.actors.insert(w, entry) {
                    let prev = d.actors.entries[k].1;
                    if prev != entry {
                        d.warn(
                            file,
                            ln,
                            format!(
                                "duplicate actor {label:?} (first defined as {})",
                                d.actor_entries[prev].name
                            ),
                        );
                    }
                }
            }
        };
        for (ln0, raw) in text.lines().enumerate() {
            let ln = ln0 + 1;
            let l = clean(raw);
            if l.is_empty() {
                continue;
            }
            let (name_part, codes) = match split_codes(l, file, ln) {
                Ok(x) => x,
                // a malformed synonym in a long published file: report it, keep loading
                Err(DictError::Syntax { msg, .. }) if l.starts_with('+') && !l.contains('[') => {
                    self.warn(file, ln, format!("{msg}: synonym skipped"));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let indented = raw.starts_with(char::is_whitespace);
            if name_part.is_empty() {
                // code line(s) for the current entry
                let Some((id, _)) = current else {
                    return Err(syntax(
                        file,
                        ln,
                        "code line without an actor name before it",
                    ));
                };
                for c in codes {
                    self.push_dated(id, &c, file, ln)?;
                }
                continue;
            }
            let _ = indented;
            if let Some(syn) = name_part.strip_prefix('+') {
                let Some((id, _)) = current else {
                    return Err(syntax(
                        file,
                        ln,
                        "synonym (+) line without a primary actor before it",
                    ));
                };
                let w = parse_phrase(syn);
                if w.is_empty() {
                    return Err(syntax(file, ln, "empty synonym"));
                }
                pending_names.push((w, ln));
                for c in codes {
                    self.push_dated(id, &c, file, ln)?;
                }
                continue;
            }
            // new primary entry: flush names of the previous one
            if let Some((id, _)) = current {
                flush(self, &mut pending_names, id);
            }
            let w = parse_phrase(name_part);
            if w.is_empty() {
                return Err(syntax(file, ln, "empty actor name"));
            }
            let id = self.actor_entries.len();
            self.actor_entries.push(ActorEntry {
                name: name_part.to_string(),
                codes: Vec::new(),
            });
            pending_names.push((w, ln));
            for c in codes {
                self.push_dated(id, &c, file, ln)?;
            }
            current = Some((id, ln));
        }
        if let Some((id, _)) = current {
            flush(self, &mut pending_names, id);
        }
        // entries without any code
        let mut missing = Vec::new();
        for (k, e) in self.actor_entries.iter().enumerate() {
            if e.codes.is_empty() {
                missing.push(k);
            }
        }
        for k in missing {
            let name = self.actor_entries[k].name.clone();
            self.warn(file, 0, format!("actor {name:?} has no code"));
        }
        Ok(())
    }

    /// Parse an agents file: `NOUN {PLURALS} [~CODE]`, `!MACRO! = A, B`.
    pub fn add_agents(&mut self, text: &str, file: &Path) -> Result<(), DictError> {
        let mut macros: Vec<(String, Vec<String>)> = Vec::new();
        for (ln0, raw) in text.lines().enumerate() {
            let ln = ln0 + 1;
            let l = clean(raw);
            if l.is_empty() {
                continue;
            }
            if l.starts_with('!') && l.contains('=') {
                let (name, vals) = l.split_once('=').unwrap_or((l, ""));
                let name = name.trim().to_string();
                if !(name.len() > 2 && name.ends_with('!')) {
                    return Err(syntax(
                        file,
                        ln,
                        format!("bad substitution set name {name:?}"),
                    ));
                }
                let vals = vals
                    .split(',')
                    .map(|v| v.trim().to_uppercase())
                    .filter(|v| !v.is_empty())
                    .collect();
                macros.push((name, vals));
                continue;
            }
            let (name_part, codes) = split_codes(l, file, ln)?;
            if codes.len() != 1 {
                return Err(syntax(
                    file,
                    ln,
                    format!("agent line needs exactly one [code], found {}", codes.len()),
                ));
            }
            let code = codes[0].trim().replace(' ', "");
            if !code.contains('~') {
                return Err(syntax(
                    file,
                    ln,
                    format!("agent code {code:?} lacks '~' (use [~ROLE] or [ROLE~])"),
                ));
            }
            let prefix = code.ends_with('~');
            let role = code.trim_matches('~').to_uppercase();
            if !valid_code(&role) || role.is_empty() {
                self.warn(file, ln, format!("unknown agent code {code:?}"));
                continue;
            }
            let entry = AgentEntry { code: role, prefix };
            // plurals: {} = none, {A B} = listed, absent = regular
            let (noun, plurals) = match name_part.find('{') {
                Some(k) => {
                    let Some(e) = name_part.find('}') else {
                        return Err(syntax(file, ln, "unbalanced '{'"));
                    };
                    let inner = &name_part[k + 1..e];
                    (
                        name_part[..k].trim(),
                        Some(
                            inner
                                .split_whitespace()
                                .map(|s| s.to_string())
                                .collect::<Vec<_>>(),
                        ),
                    )
                }
                None => (name_part.trim(), None),
            };
            if noun.is_empty() {
                return Err(syntax(file, ln, "empty agent name"));
            }
            let mut forms = vec![noun.to_string()];
            match plurals {
                Some(p) => forms.extend(p),
                None => {
                    if let Some(pl) = plural(noun) {
                        forms.push(pl);
                    }
                }
            }
            // expand macros
            let mut expanded = Vec::new();
            for f in forms {
                expand_macros(&f, &macros, &mut expanded);
            }
            for f in expanded {
                let mut w = parse_phrase(&f);
                if let Some(last) = w.last_mut() {
                    last.exact = true;
                }
                if w.is_empty() {
                    continue;
                }
                if let Err(k) = self.agents.insert(w, entry.clone())
                    && self.agents.entries[k].1 != entry
                {
                    self.warn(
                        file,
                        ln,
                        format!("duplicate agent {f:?} with a different code"),
                    );
                }
            }
        }
        Ok(())
    }

    pub fn add_discards(&mut self, text: &str, file: &Path) -> Result<(), DictError> {
        for (ln0, raw) in text.lines().enumerate() {
            let l = clean(raw);
            if l.is_empty() {
                continue;
            }
            let story = l.starts_with('+');
            let mut w = parse_phrase(l.trim_start_matches('+'));
            for x in w.iter_mut() {
                x.exact = true;
            }
            if w.is_empty() {
                continue;
            }
            if self.discards.insert(w, story).is_err() {
                self.warn(file, ln0 + 1, format!("duplicate discard {l:?}"));
            }
        }
        Ok(())
    }

    /// Parse a verb file (TABARI / PETRARCH-1 format; PETRARCH-2 `(…)`/`{…}` groups in
    /// patterns are read as plain words).
    pub fn add_verbs(&mut self, text: &str, file: &Path) -> Result<(), DictError> {
        let mut block: Option<usize> = None;
        let mut syn: Option<String> = None;
        for (ln0, raw) in text.lines().enumerate() {
            let ln = ln0 + 1;
            let l = clean(raw);
            if l.is_empty() {
                continue;
            }
            if l.starts_with("---") {
                let inner = l.trim_matches('-').trim();
                let (name, codes) = split_codes(inner, file, ln)?;
                if name.is_empty() {
                    return Err(syntax(file, ln, "verb block header without a verb"));
                }
                let code = codes
                    .first()
                    .map(|c| c.trim().to_string())
                    .filter(|c| c != "---" && !c.is_empty());
                self.verb_blocks.push(VerbBlock {
                    name: name.trim_end_matches('_').to_string(),
                    code,
                    plover: None,
                    patterns: Vec::new(),
                });
                block = Some(self.verb_blocks.len() - 1);
                syn = None;
                continue;
            }
            if let Some(name) = l.strip_prefix('&') {
                let name = name
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('_')
                    .to_uppercase();
                if name.is_empty() {
                    return Err(syntax(file, ln, "empty synonym set name"));
                }
                if self.synsets.contains_key(&name) {
                    self.warn(file, ln, format!("duplicate synonym set &{name}"));
                }
                self.synsets.entry(name.clone()).or_default();
                syn = Some(name);
                continue;
            }
            if let Some(p) = l.strip_prefix('-') {
                let Some(b) = block else {
                    return Err(syntax(file, ln, "pattern line outside a verb block"));
                };
                syn = None;
                let pat = parse_pattern(p, file, ln)?;
                if !valid_code(&pat.code) {
                    self.warn(file, ln, format!("unknown event code {:?}", pat.code));
                }
                self.verb_blocks[b].patterns.push(pat);
                continue;
            }
            if let Some(s) = &syn
                && let Some(member) = l.strip_prefix('+')
            {
                let member = member.trim();
                let words = if let Some(setname) = member.strip_prefix('&') {
                    vec![Word {
                        text: format!("&{}", setname.trim_end_matches('_').to_uppercase()),
                        exact: true,
                    }]
                } else {
                    parse_phrase(member)
                };
                if !words.is_empty() {
                    self.synsets.get_mut(s).expect("synset exists").push(words);
                }
                continue;
            }
            // a verb form line (primary or +synonym) inside a block
            let Some(b) = block else {
                return Err(syntax(
                    file,
                    ln,
                    format!("verb {l:?} outside a '--- VERB [code] ---' block"),
                ));
            };
            let (forms_part, codes) = split_codes(l, file, ln)?;
            let _ = codes; // per-form codes are rare; the block code applies
            let (base, irregular) = match forms_part.find('{') {
                Some(k) => {
                    let Some(e) = forms_part.find('}') else {
                        return Err(syntax(file, ln, "unbalanced '{'"));
                    };
                    (
                        forms_part[..k].trim(),
                        Some(
                            forms_part[k + 1..e]
                                .split_whitespace()
                                .map(|s| s.trim_start_matches('+').to_string())
                                .collect::<Vec<_>>(),
                        ),
                    )
                }
                None => (forms_part.trim(), None),
            };
            let base = base.trim_start_matches('+').replace('+', "");
            if base.is_empty() {
                return Err(syntax(file, ln, "empty verb form"));
            }
            let mut forms: Vec<String> = Vec::new();
            match irregular {
                Some(list) if !list.is_empty() => {
                    forms.push(base.clone());
                    forms.extend(list.into_iter().map(|s| s.replace('+', "")));
                }
                _ => forms.extend(verb_forms(&base)),
            }
            for f in forms {
                let mut w = parse_phrase(&f);
                for x in w.iter_mut() {
                    x.exact = true;
                }
                if w.is_empty() {
                    continue;
                }
                if let Err(k) = self.verbs.insert(w, b)
                    && self.verbs.entries[k].1 != b
                {
                    let prev = self.verbs.entries[k].1;
                    let pn = self.verb_blocks[prev].name.clone();
                    self.warn(
                        file,
                        ln,
                        format!("duplicate verb form {f:?} (also in block {pn})"),
                    );
                }
            }
        }
        // unknown synonym sets used in patterns
        let mut unknown = Vec::new();
        for b in &self.verb_blocks {
            for p in &b.patterns {
                for (e, _) in p.pre.iter().chain(&p.post) {
                    if let PElem::Syn(s) = e
                        && !self.synsets.contains_key(s)
                    {
                        unknown.push((p.line, s.clone()));
                    }
                }
            }
        }
        for (ln, s) in unknown {
            self.warn(file, ln, format!("unknown synonym set &{s}"));
        }
        Ok(())
    }

    /// Add everything from `other` after this dictionary's entries (ours win on ties).
    pub fn merge(&mut self, other: &Dictionaries) {
        let base = self.actor_entries.len();
        self.actor_entries
            .extend(other.actor_entries.iter().cloned());
        for (w, id) in &other.actors.entries {
            let _ = self.actors.insert(w.clone(), id + base);
        }
        for (w, a) in &other.agents.entries {
            let _ = self.agents.insert(w.clone(), a.clone());
        }
        let vb = self.verb_blocks.len();
        self.verb_blocks.extend(other.verb_blocks.iter().cloned());
        for (w, id) in &other.verbs.entries {
            let _ = self.verbs.insert(w.clone(), id + vb);
        }
        for (k, v) in &other.synsets {
            self.synsets.entry(k.clone()).or_insert_with(|| v.clone());
        }
        for (w, s) in &other.discards.entries {
            let _ = self.discards.insert(w.clone(), *s);
        }
        self.warnings.extend(other.warnings.iter().cloned());
    }
}

fn expand_macros(f: &str, macros: &[(String, Vec<String>)], out: &mut Vec<String>) {
    for (name, vals) in macros {
        if let Some(k) = f.find(name.as_str()) {
            for v in vals {
                let s = format!("{}{}{}", &f[..k], v, &f[k + name.len()..]);
                expand_macros(&s, macros, out);
            }
            return;
        }
    }
    out.push(f.to_string());
}

/// Split `NAME [CODE] [CODE2]` into the name and the bracket contents.
fn split_codes<'a>(
    l: &'a str,
    file: &Path,
    ln: usize,
) -> Result<(&'a str, Vec<String>), DictError> {
    let mut codes = Vec::new();
    let name_end = l.find('[').unwrap_or(l.len());
    let mut rest = &l[name_end..];
    while let Some(k) = rest.find('[') {
        let Some(e) = rest[k..].find(']') else {
            return Err(syntax(file, ln, "unbalanced '[' (missing ']')"));
        };
        let inner = rest[k + 1..k + e].trim();
        if inner.is_empty() {
            return Err(syntax(file, ln, "empty code []"));
        }
        codes.push(inner.to_string());
        rest = &rest[k + e + 1..];
    }
    if rest.contains(']') || l[..name_end].contains(']') {
        return Err(syntax(file, ln, "unbalanced ']'"));
    }
    Ok((l[..name_end].trim(), codes))
}

fn parse_pattern(p: &str, file: &Path, ln: usize) -> Result<Pattern, DictError> {
    let (body, codes) = split_codes(p, file, ln)?;
    let Some(code) = codes.first() else {
        return Err(syntax(file, ln, "pattern without [code]"));
    };
    let body = body.replace(['(', ')', '{', '}'], " ");
    if !body.contains('*') {
        return Err(syntax(file, ln, "pattern without '*' (the verb position)"));
    }
    let mut pre = Vec::new();
    let mut post = Vec::new();
    let mut after = false;
    // tokens: split on whitespace; '_' joins words that must be adjacent
    let mut prev_join = false;
    let mut star_joined = false;
    for chunk in body.split_whitespace() {
        let pieces: Vec<&str> = chunk.split('_').collect();
        let np = pieces.len();
        for (k, piece) in pieces.iter().enumerate() {
            let joined_before = if k == 0 { prev_join } else { true };
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let target = if after { &mut post } else { &mut pre };
            match piece {
                "*" => {
                    star_joined = joined_before;
                    after = true;
                    prev_join = k + 1 < np;
                    continue;
                }
                "$" => target.push((PElem::Source, joined_before)),
                "+" => target.push((PElem::Target, joined_before)),
                "%" => target.push((PElem::Compound, joined_before)),
                s if s.starts_with('&') => {
                    target.push((PElem::Syn(s[1..].to_uppercase()), joined_before))
                }
                "^" => target.push((PElem::Skip, joined_before)),
                s if s.starts_with('^') || s.starts_with('~') => {}
                s => {
                    // plus-prefixed words ("+ KNOWN") are targets then words
                    let s2 = s.trim_start_matches('+');
                    if s2.len() < s.len() {
                        target.push((PElem::Target, joined_before));
                    }
                    if !s2.is_empty() {
                        target.push((
                            PElem::Word(Word {
                                text: s2.to_uppercase(),
                                exact: k + 1 < np,
                            }),
                            joined_before,
                        ));
                    }
                }
            }
            prev_join = k + 1 < np;
        }
        if !chunk.ends_with('_') {
            prev_join = false;
        }
    }
    // For pre-elements, the flag means: adjacent to the next element (or to the verb).
    let n = pre.len();
    let mut pre2 = Vec::with_capacity(n);
    for k in 0..n {
        let adj_next = if k + 1 < n { pre[k + 1].1 } else { star_joined };
        pre2.push((pre[k].0.clone(), adj_next));
    }
    Ok(Pattern {
        pre: pre2,
        post,
        code: code.trim().to_string(),
        plover: None,
        line: ln,
    })
}

/// Regular English plural of an agent noun.
pub fn plural(noun: &str) -> Option<String> {
    let n = noun.trim_end_matches('_').to_uppercase();
    if n.is_empty() {
        return None;
    }
    let last = n.chars().last()?;
    let prev = n.chars().rev().nth(1).unwrap_or(' ');
    Some(
        if n.ends_with('S')
            || n.ends_with('X')
            || n.ends_with("CH")
            || n.ends_with("SH")
            || n.ends_with('Z')
        {
            format!("{n}ES")
        } else if last == 'Y' && !"AEIOU".contains(prev) {
            format!("{}IES", &n[..n.len() - 1])
        } else if n.ends_with("MAN") {
            format!("{}MEN", &n[..n.len() - 3])
        } else {
            format!("{n}S")
        },
    )
}

/// Regular verb forms (TABARI-style generation): base, -S, -ED, -ING, with e-drop, y→ie and
/// consonant doubling variants. Multi-word verbs inflect their first word.
pub fn verb_forms(base: &str) -> Vec<String> {
    let base = base.trim_end_matches('_').to_uppercase();
    let (head, tail) = match base.find(['_', ' ']) {
        Some(k) => (base[..k].to_string(), base[k..].to_string()),
        None => (base.clone(), String::new()),
    };
    let h = head.as_str();
    let mut out = vec![head.clone()];
    let last = h.chars().last().unwrap_or(' ');
    let prev = h.chars().rev().nth(1).unwrap_or(' ');
    let vowel = |c: char| "AEIOU".contains(c);
    if h.ends_with('S')
        || h.ends_with('X')
        || h.ends_with('Z')
        || h.ends_with("CH")
        || h.ends_with("SH")
        || h.ends_with('O')
    {
        out.push(format!("{h}ES"));
    } else if last == 'Y' && !vowel(prev) {
        out.push(format!("{}IES", &h[..h.len() - 1]));
    } else {
        out.push(format!("{h}S"));
    }
    if last == 'E' {
        out.push(format!("{h}D"));
        out.push(format!("{}ING", &h[..h.len() - 1]));
    } else if last == 'Y' && !vowel(prev) {
        out.push(format!("{}IED", &h[..h.len() - 1]));
        out.push(format!("{h}ING"));
    } else {
        out.push(format!("{h}ED"));
        out.push(format!("{h}ING"));
        let prev2 = h.chars().rev().nth(2).unwrap_or(' ');
        if !vowel(last) && last != 'W' && last != 'X' && last != 'Y' && vowel(prev) && !vowel(prev2)
        {
            out.push(format!("{h}{last}ED"));
            out.push(format!("{h}{last}ING"));
        }
    }
    out.into_iter().map(|f| format!("{f}{tail}")).collect()
}

/// Parse one pattern line body (`* WORDS [CODE]`) — used by our lexicon loader.
pub fn parse_pattern_pub(p: &str, file: &Path, ln: usize) -> Result<Pattern, DictError> {
    parse_pattern(p, file, ln)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn forms() {
        assert!(verb_forms("BAN").contains(&"BANNED".to_string()));
        assert!(verb_forms("DEPART").contains(&"DEPARTS".to_string()));
        assert!(!verb_forms("DEPART").contains(&"DEPARTES".to_string()));
        assert!(verb_forms("ARRIVE").contains(&"ARRIVING".to_string()));
        assert!(verb_forms("BREAK_DOWN").contains(&"BREAKS_DOWN".to_string()));
        assert_eq!(plural("POLICEMAN").as_deref(), Some("POLICEMEN"));
    }
    #[test]
    fn dates() {
        assert_eq!(parse_date("950601"), Some(19950601));
        assert_eq!(parse_date("080508"), Some(20080508));
    }
}
