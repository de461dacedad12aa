//! Outlet ratings: a CSV of domain scores in [0, 1] (the Lin et al. 2023 `domain,pc1,...` files
//! or a user-editable `domain,score[,letter][,note]` file), host normalisation, and outlet names
//! to domains (`data/outlets.tsv`).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::GradeError;
use crate::scale::Reliability;

/// One rated domain, as found by [`Ratings::lookup`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// The rated domain that matched (the host itself or a parent domain).
    pub domain: String,
    /// Score in [0, 1], 1 best.
    pub score: f64,
    /// The reliability letter: the file's own letter when it gives one, else from the score bands.
    pub letter: Reliability,
    /// Where the rating comes from: `file:line`.
    pub from: String,
    /// True when the letter was written in the file rather than derived from the score.
    #[serde(default)]
    pub letter_given: bool,
    /// The file's note for this domain, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Rating {
    /// A plain sentence saying how the letter was reached.
    pub fn explain(&self) -> String {
        if self.letter_given {
            format!(
                "{} is rated {} ({}) in {}",
                self.domain,
                self.letter,
                self.letter.label(),
                self.from
            )
        } else {
            format!(
                "{} scores {} in {}: {} ({}), {}",
                self.domain,
                fmt_score(self.score),
                self.from,
                self.letter,
                self.letter.label(),
                band_reason(self.letter)
            )
        }
    }
}

fn fmt_score(s: f64) -> String {
    let t = format!("{s:.3}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t.is_empty() { "0".into() } else { t.into() }
}

/// A row of a ratings file that was not kept, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The file's name as given to [`Ratings::parse`].
    pub source: String,
    /// 1-based line number.
    pub line: usize,
    /// The row (cut to 120 characters).
    pub row: String,
    pub problem: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {} ({:?})",
            self.source, self.line, self.problem, self.row
        )
    }
}

#[derive(Debug, Clone)]
struct Entry {
    /// The file the row came from.
    source: std::sync::Arc<str>,
    score: f64,
    letter: Option<Reliability>,
    note: Option<String>,
    line: usize,
}

/// A set of outlet ratings keyed by normalised domain.
#[derive(Debug, Clone, Default)]
pub struct Ratings {
    name: String,
    entries: HashMap<String, Entry>,
}

impl Ratings {
    /// No ratings at all: every lookup is `None` (reliability F).
    pub fn empty(name: &str) -> Ratings {
        Ratings {
            name: name.to_string(),
            entries: HashMap::new(),
        }
    }

    /// Layer another ratings set on top: its domains replace these (a user's own file over an
    /// imported one). Each rating still names the file and line it came from.
    pub fn overlay(&mut self, top: Ratings) {
        self.entries.extend(top.entries);
        self.name = format!("{} + {}", self.name, top.name);
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Read a ratings file. Unreadable file: error naming it; bad rows: reported, rest kept.
    pub fn load(path: impl AsRef<Path>) -> Result<(Ratings, Vec<RowProblem>), GradeError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| GradeError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|e| GradeError::NotUtf8 {
            path: path.to_path_buf(),
            offset: e.utf8_error().valid_up_to(),
        })?;
        Ok(Ratings::parse(&text, &path.display().to_string()))
    }

    /// Parse ratings text. The header (first non-comment line) decides the columns when it
    /// names a `domain` column (score from `pc1` or `score`, optional `letter`, `note`);
    /// without a header, rows are `domain,score[,letter][,note]`. `#` lines and blank lines are
    /// skipped. Bad rows (missing or malformed domain, score not a number or outside [0, 1],
    /// letter not A–F, duplicate domain) are returned with their line numbers; the first row
    /// for a domain wins.
    pub fn parse(text: &str, name: &str) -> (Ratings, Vec<RowProblem>) {
        let mut ratings = Ratings::empty(name);
        let source: std::sync::Arc<str> = name.into();
        let mut problems = Vec::new();
        let mut cols: Option<Columns> = None;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let problem = |p: String| RowProblem {
                source: name.to_string(),
                line,
                row: trimmed.chars().take(120).collect(),
                problem: p,
            };
            let fields = match split_csv(trimmed) {
                Ok(f) => f,
                Err(p) => {
                    problems.push(problem(p));
                    continue;
                }
            };
            if cols.is_none() {
                match Columns::from_header(&fields) {
                    Some(Ok(h)) => {
                        cols = Some(h);
                        continue;
                    }
                    Some(Err(p)) => {
                        problems.push(problem(p));
                        return (ratings, problems);
                    }
                    None => cols = Some(Columns::positional()),
                }
            }
            let Some(c) = cols.as_ref() else { continue };
            match c.row(&fields) {
                Err(p) => problems.push(problem(p)),
                Ok((domain, score, letter, note)) => {
                    if let Some(prev) = ratings.entries.get(&domain) {
                        problems.push(problem(format!(
                            "duplicate domain {domain} (first at line {}); the first row is kept",
                            prev.line
                        )));
                        continue;
                    }
                    ratings.entries.insert(
                        domain,
                        Entry {
                            source: source.clone(),
                            score,
                            letter,
                            note,
                            line,
                        },
                    );
                }
            }
        }
        (ratings, problems)
    }

    /// The rating of a host, URL or domain: the host itself, then its parent domains down to
    /// the registrable domain (`edition.cnn.com` → `cnn.com`; `news.bbc.co.uk` → `bbc.co.uk`,
    /// never `co.uk`). `None` when nothing is rated: never a guess.
    ///
    /// A file may rate a section of a site (`theguardian.com/observer`): a URL whose first
    /// path segment names it gets that rating, any other URL of the site the site's.
    pub fn lookup(&self, host_or_domain: &str) -> Option<Rating> {
        let host = normalise_host(host_or_domain)?;
        let section = first_segment(host_or_domain);
        for cand in candidates(&host) {
            let sectioned = section.as_ref().map(|s| format!("{cand}/{s}"));
            for key in sectioned.iter().map(String::as_str).chain([cand]) {
                let Some(e) = self.entries.get(key) else {
                    continue;
                };
                return Some(Rating {
                    domain: key.to_string(),
                    score: e.score,
                    letter: e.letter.unwrap_or_else(|| letter_for_score(e.score)),
                    from: format!("{}:{}", e.source, e.line),
                    letter_given: e.letter.is_some(),
                    note: e.note.clone(),
                });
            }
        }
        None
    }
}

/// The first path segment of a URL or `domain/path`, lowercased, if any.
fn first_segment(input: &str) -> Option<String> {
    let t = input.trim();
    let t = t.find("://").map(|i| &t[i + 3..]).unwrap_or(t);
    let t = t.strip_prefix("//").unwrap_or(t);
    let (_, path) = t.split_once('/')?;
    let seg = path.split(['/', '?', '#']).next()?.trim().to_lowercase();
    (!seg.is_empty() && !seg.contains(char::is_whitespace)).then_some(seg)
}

/// A ratings key: the normalised host, with the first path segment when the file rates a
/// section (`c-span.org/wj`).
fn normalise_key(raw: &str) -> Option<String> {
    let host = normalise_host(raw)?;
    Some(match first_segment(raw) {
        Some(seg) => format!("{host}/{seg}"),
        None => host,
    })
}

/// The host, then each parent domain, stopping above the registrable domain.
fn candidates(host: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = host;
    loop {
        if !rest.contains('.') || SUFFIXES.contains(rest) {
            break;
        }
        out.push(rest);
        match rest.find('.') {
            Some(i) => rest = &rest[i + 1..],
            None => break,
        }
    }
    out
}

#[derive(Debug)]
struct Columns {
    domain: usize,
    score: usize,
    letter: Option<usize>,
    note: Option<usize>,
    positional: bool,
}

impl Columns {
    fn positional() -> Columns {
        Columns {
            domain: 0,
            score: 1,
            letter: Some(2),
            note: Some(3),
            positional: true,
        }
    }

    /// `None` when the line is not a header (no `domain` column).
    fn from_header(fields: &[String]) -> Option<Result<Columns, String>> {
        let names: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
        let find = |wanted: &[&str]| {
            wanted
                .iter()
                .find_map(|w| names.iter().position(|n| n == w))
        };
        let domain = find(&["domain"])?;
        let Some(score) = find(&["pc1", "score"]) else {
            return Some(Err(
                "the header names no score column (pc1 or score); no rows read".to_string(),
            ));
        };
        Some(Ok(Columns {
            domain,
            score,
            letter: find(&["letter", "reliability"]),
            note: find(&["note", "notes", "comment"]),
            positional: false,
        }))
    }

    #[allow(clippy::type_complexity)]
    fn row(
        &self,
        fields: &[String],
    ) -> Result<(String, f64, Option<Reliability>, Option<String>), String> {
        let get = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or("");
        let raw_domain = get(self.domain);
        if raw_domain.is_empty() {
            return Err("missing domain".into());
        }
        let domain =
            normalise_key(raw_domain).ok_or_else(|| format!("{raw_domain:?} is not a domain"))?;
        let raw_score = get(self.score);
        if raw_score.is_empty() {
            return Err(format!("missing score for {domain}"));
        }
        let score: f64 = raw_score
            .parse()
            .map_err(|_| format!("score {raw_score:?} is not a number"))?;
        if !(0.0..=1.0).contains(&score) {
            return Err(format!("score {raw_score} is outside [0, 1]"));
        }
        let letter = match self.letter.map(get).filter(|s| !s.is_empty()) {
            None => None,
            Some(l) => Some(
                Reliability::parse(l)
                    .ok_or_else(|| format!("letter {l:?} is not one of A, B, C, D, E, F"))?,
            ),
        };
        let note = match self.note {
            None => None,
            Some(i) if self.positional => {
                let rest: Vec<&str> = fields.iter().skip(i).map(|s| s.trim()).collect();
                Some(rest.join(", ")).filter(|s| !s.trim_matches([',', ' ']).is_empty())
            }
            Some(i) => Some(get(i).to_string()).filter(|s| !s.is_empty()),
        };
        Ok((domain, score, letter, note))
    }
}

/// Split one CSV line (RFC 4180 quoting within the line; `""` is a quote).
fn split_csv(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == ',' {
            out.push(std::mem::take(&mut field));
            at_start = true;
            continue;
        } else if c == '"' && at_start && field.trim().is_empty() {
            field.clear();
            quoted = true;
        } else {
            field.push(c);
        }
        at_start = false;
    }
    if quoted {
        return Err("unterminated quote".into());
    }
    out.push(field);
    Ok(out)
}

fn lines_of(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

static SUFFIXES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lines_of(include_str!("../data/suffixes.txt")).collect());

static HOST_PREFIXES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lines_of(include_str!("../data/host_prefixes.txt")).collect());

struct Band {
    letter: Reliability,
    min: f64,
    why: &'static str,
}

static BANDS: LazyLock<Vec<Band>> = LazyLock::new(|| {
    let mut bands: Vec<Band> = lines_of(include_str!("../data/bands.tsv"))
        .filter_map(|l| {
            let mut it = l.split('\t');
            let letter = Reliability::parse(it.next()?)?;
            let min = it.next()?.trim().parse().ok()?;
            Some(Band {
                letter,
                min,
                why: it.next().unwrap_or("").trim(),
            })
        })
        .collect();
    bands.sort_by(|a, b| b.min.total_cmp(&a.min));
    bands
});

/// The reliability letter for a score in [0, 1] (bands in `data/bands.tsv`: A ≥ 0.90,
/// B ≥ 0.75, C ≥ 0.55, D ≥ 0.40, else E). F is never a score band: it means "not rated".
pub fn letter_for_score(score: f64) -> Reliability {
    BANDS
        .iter()
        .find(|b| score >= b.min)
        .map(|b| b.letter)
        .unwrap_or(Reliability::E)
}

/// Why a score band gets its letter, with the band's bounds.
pub fn band_reason(letter: Reliability) -> String {
    match BANDS.iter().position(|b| b.letter == letter) {
        Some(i) => {
            let b = &BANDS[i];
            let upper = if i == 0 {
                String::new()
            } else {
                format!(" and below {:.2}", BANDS[i - 1].min)
            };
            format!("{} (score at least {:.2}{upper})", b.why, b.min)
        }
        None => "not rated: reliability cannot be judged".to_string(),
    }
}

/// Normalise a host, URL or domain for lookup: lowercase; scheme, user, path, query, port and
/// trailing dot removed; leading `www.`, `m.`, `amp.` (see `data/host_prefixes.txt`) stripped.
/// `None` when what remains is not a host name with at least one dot.
pub fn normalise_host(input: &str) -> Option<String> {
    let mut s = input.trim().to_lowercase();
    if let Some(i) = s.find("://") {
        s.replace_range(..i + 3, "");
    } else if let Some(rest) = s.strip_prefix("//") {
        s = rest.to_string();
    }
    if let Some(i) = s.find(['/', '?', '#']) {
        s.truncate(i);
    }
    if let Some(i) = s.rfind('@') {
        s.replace_range(..=i, "");
    }
    if let Some(i) = s.rfind(':')
        && s[i + 1..].chars().all(|c| c.is_ascii_digit())
    {
        s.truncate(i);
    }
    let s = s.trim_end_matches('.');
    let mut labels: Vec<&str> = s.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.starts_with('-')
                || l.ends_with('-')
                || !l
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
    {
        return None;
    }
    while labels.len() > 2 && HOST_PREFIXES.contains(labels[0]) {
        labels.remove(0);
    }
    Some(labels.join("."))
}

/// The registrable domain of a host (`edition.cnn.com` → `cnn.com`, `news.bbc.co.uk` →
/// `bbc.co.uk`), after [`normalise_host`].
pub fn registrable_domain(host: &str) -> Option<String> {
    let host = normalise_host(host)?;
    candidates(&host).last().map(|s| s.to_string())
}

static OUTLETS: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for l in lines_of(include_str!("../data/outlets.tsv")) {
        if let Some((name, domain)) = l.split_once('\t') {
            m.entry(fold_name(name)).or_insert(domain.trim());
        }
    }
    m
});

fn fold_name(name: &str) -> String {
    let s = name.trim().replace(['\u{2019}', '\u{2018}', '`'], "'");
    let s = s
        .strip_suffix("'s")
        .or_else(|| s.strip_suffix('\''))
        .unwrap_or(&s);
    let s: String = s
        .chars()
        .filter(|c| *c != '.')
        .flat_map(char::to_lowercase)
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The domain of a well-known outlet by name or alias (`data/outlets.tsv`): "Reuters" →
/// `reuters.com`, "Institute for the Study of War" → `understandingwar.org`, "Meduza's" →
/// `meduza.io`. Case, dots and a leading "the" do not matter.
pub fn domain_of_outlet(name: &str) -> Option<&'static str> {
    let f = fold_name(name);
    if let Some(d) = OUTLETS.get(&f) {
        return Some(d);
    }
    match f.strip_prefix("the ") {
        Some(rest) => OUTLETS.get(rest).copied(),
        None => OUTLETS.get(&format!("the {f}")).copied(),
    }
}

/// A domain for an outlet given either as a host/URL/domain or as a name.
pub fn outlet_domain(name_or_host: &str) -> Option<String> {
    let t = name_or_host.trim();
    if t.contains('.')
        && !t.contains(char::is_whitespace)
        && let Some(h) = normalise_host(t)
    {
        return Some(h);
    }
    domain_of_outlet(t).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_normalise() {
        let n = |s| normalise_host(s);
        assert_eq!(
            n("https://www.Reuters.com/world/x?y=1").as_deref(),
            Some("reuters.com")
        );
        assert_eq!(
            n("http://user@m.bbc.co.uk:8080/news").as_deref(),
            Some("bbc.co.uk")
        );
        assert_eq!(n("amp.cnn.com.").as_deref(), Some("cnn.com"));
        assert_eq!(n("www.com").as_deref(), Some("www.com"));
        assert_eq!(n("reuters"), None);
        assert_eq!(n("not a domain.com"), None);
        assert_eq!(n(""), None);
        assert_eq!(
            registrable_domain("edition.cnn.com").as_deref(),
            Some("cnn.com")
        );
        assert_eq!(
            registrable_domain("news.bbc.co.uk").as_deref(),
            Some("bbc.co.uk")
        );
        assert_eq!(registrable_domain("co.uk"), None);
        assert_eq!(
            first_segment("https://x.com/Observer/a?b").as_deref(),
            Some("observer")
        );
        assert_eq!(first_segment("x.com"), None);
        assert_eq!(first_segment("https://x.com/"), None);
        assert_eq!(
            normalise_key("c-span.org/wj").as_deref(),
            Some("c-span.org/wj")
        );
    }

    #[test]
    fn outlets_resolve() {
        assert_eq!(domain_of_outlet("Reuters"), Some("reuters.com"));
        assert_eq!(domain_of_outlet("the Associated Press"), Some("apnews.com"));
        assert_eq!(domain_of_outlet("A.P."), Some("apnews.com"));
        assert_eq!(domain_of_outlet("Meduza’s"), Some("meduza.io"));
        assert_eq!(
            domain_of_outlet("institute for the study of war"),
            Some("understandingwar.org")
        );
        assert_eq!(domain_of_outlet("The Insider"), Some("theins.ru"));
        assert_eq!(domain_of_outlet("Insider"), Some("businessinsider.com"));
        assert_eq!(domain_of_outlet("Guardian"), Some("theguardian.com"));
        assert_eq!(domain_of_outlet("Kremlin"), None);
        assert_eq!(
            outlet_domain("https://www.bnr.bg/post/1").as_deref(),
            Some("bnr.bg")
        );
        assert_eq!(outlet_domain("BNR").as_deref(), Some("bnr.bg"));
    }

    #[test]
    fn outlet_table_is_consistent() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut n = 0;
        for l in lines_of(include_str!("../data/outlets.tsv")) {
            let (name, domain) = l.split_once('\t').expect("name<TAB>domain");
            assert_eq!(normalise_host(domain).as_deref(), Some(domain), "{l}");
            if let Some(prev) = seen.insert(fold_name(name), domain) {
                assert_eq!(prev, domain, "{name} maps to two domains");
            }
            n += 1;
        }
        assert!(n >= 100, "{n} outlet names");
    }

    #[test]
    fn bands() {
        assert_eq!(letter_for_score(1.0), Reliability::A);
        assert_eq!(letter_for_score(0.9), Reliability::A);
        assert_eq!(letter_for_score(0.8), Reliability::B);
        assert_eq!(letter_for_score(0.548), Reliability::D);
        assert_eq!(letter_for_score(0.55), Reliability::C);
        assert_eq!(letter_for_score(0.344), Reliability::E);
        assert_eq!(letter_for_score(0.0), Reliability::E);
        assert!(band_reason(Reliability::C).contains("below 0.75"));
    }

    #[test]
    fn csv_split() {
        assert_eq!(split_csv(r#"a,"b,c",d"#).unwrap(), ["a", "b,c", "d"]);
        assert_eq!(split_csv(r#"a,"say ""x""""#).unwrap(), ["a", "say \"x\""]);
        assert!(split_csv(r#"a,"b"#).is_err());
        assert_eq!(split_csv("a,,").unwrap(), ["a", "", ""]);
    }
}
