//! Author strings to people and agency credits: "By Jane Doe and John Roe, Reuters" gives two
//! authors and one credit; dates, job titles and the outlet are not authors.

use std::sync::LazyLock;

use dossier_core::{Metadata, Signal, Signalled};

static AGENCIES: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("../data/agencies.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// Whether a name is a news agency.
pub fn is_agency(name: &str) -> bool {
    let n = name
        .trim()
        .trim_matches(|c| c == '(' || c == ')')
        .to_lowercase();
    AGENCIES.contains(&n)
}

/// Degrees and credentials written after a name (`data/credentials.txt`), lower case.
static CREDENTIALS: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("../data/credentials.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

fn is_credential(part: &str) -> bool {
    let p: String = part
        .chars()
        .filter(|c| *c != '.')
        .collect::<String>()
        .trim()
        .to_lowercase();
    !p.is_empty() && CREDENTIALS.contains(&p)
}

/// Role words that also end a byline part after a comma ("Jane Doe, Home Security Expert",
/// "…, Extension horticulture educators"); the first ten of [`ROLE_WORDS`] count too.
const MORE_ROLE_WORDS: &[&str] = &[
    "expert",
    "educator",
    "coordinator",
    "manager",
    "director",
    "specialist",
    "strategist",
    "consultant",
    "marketer",
    "officer",
    "intern",
    "dietitian",
    "nutritionist",
];

fn is_role_word(w: &str) -> bool {
    let w = w
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let singular = w.strip_suffix('s').unwrap_or(&w);
    [w.as_str(), singular]
        .iter()
        .any(|w| ROLE_WORDS.contains(w) || MORE_ROLE_WORDS.contains(w))
}

/// Words that end a person's name in a byline: job titles and roles.
const ROLE_WORDS: &[&str] = &[
    "correspondent",
    "reporter",
    "editor",
    "writer",
    "journalist",
    "contributor",
    "staff",
    "columnist",
    "producer",
    "analyst",
    "bureau",
    "chief",
    "senior",
    "special",
    "news",
];

/// Split a byline or author field into names, and add people to `authors` and agencies to
/// `credits` (without duplicates).
pub fn add_people(m: &mut Metadata, raw: &str, signal: Signal) {
    add(m, raw, signal, false);
}

/// Like [`add_people`] for names a page declares as its author (JSON-LD `Person`, an author
/// meta tag): user names in lower case ("kirstin boatto", "q_admin") are kept.
pub fn add_declared(m: &mut Metadata, raw: &str, signal: Signal) {
    add(m, raw, signal, true);
}

/// Letters and digits only, lower case: "USA TODAY" and "usatoday" compare equal.
pub(crate) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a name is the page's outlet: its site name or its domain's name ("Embarque" on
/// embarque.io), letters only.
fn is_outlet(m: &Metadata, name: &str) -> bool {
    let k = squash(name);
    if k.len() < 3 {
        return false;
    }
    let site = m.outlet.name.as_deref().map(squash);
    let domain = m.outlet.domain.as_deref().map(|d| {
        let d = d.strip_prefix("www.").unwrap_or(d);
        squash(d.split('.').next().unwrap_or(d))
    });
    site.as_deref() == Some(k.as_str()) || domain.as_deref() == Some(k.as_str())
}

fn add(m: &mut Metadata, raw: &str, signal: Signal, declared: bool) {
    let names = split_names(raw);
    let several = names.len() > 1;
    for name in names {
        // "Jane Doe and John Roe, The Daily Courier": the outlet glued on after the people.
        if several && is_outlet(m, &name) {
            continue;
        }
        let lower = name.to_lowercase();
        if is_agency(&name) {
            if !m.credits.iter().any(|c| c.value.to_lowercase() == lower) {
                m.credits.push(Signalled::new(name, signal.clone()));
            }
            continue;
        }

        // The outlet's own name in a visible byline is not a person; declared in markup it
        // stays (company blogs and personal sites name themselves as author).
        let ok = if declared {
            plausible_name(&name)
        } else {
            m.outlet.name.as_deref().map(squash) != Some(squash(&name)) && looks_like_person(&name)
        };
        if !ok {
            continue;
        }
        if !m.authors.iter().any(|a| a.value.to_lowercase() == lower) {
            m.authors.push(Signalled::new(name, signal.clone()));
        }
    }
}

/// "By Jane Doe and John Roe, Moscow correspondent | 14 June 2025" → ["Jane Doe", "John Roe"].
pub fn split_names(raw: &str) -> Vec<String> {
    let mut s = dossier_core::text::collapse_whitespace(
        &raw.replace("&amp;", "&")
            .replace("&#039;", "'")
            .replace("&#39;", "'")
            .replace("&quot;", "\""),
    );
    // A leading label: "By", "Written by:", "Author:", "von", "par", "por".
    if let Some(rest) = strip_label(&s) {
        s = rest.to_string();
    }
    // Cut at separators that start dates or other metadata.
    for sep in [
        " | ",
        " · ",
        " • ",
        " ⋅ ",
        " — ",
        " – ",
        " - ",
        "\n",
        " Reviewed by",
        ". Reviewed by",
        " Medically reviewed",
        " Fact checked",
        " Fact-checked",
        " Updated",
        " Published",
        " Posted",
    ] {
        if let Some((head, _)) = s.split_once(sep) {
            s = head.to_string();
        }
    }
    let mut out = Vec::new();
    // Comma parts after the first that are a role ("Moscow correspondent", "Sr. Director of
    // Operations", "Home and Digital Security Expert") or a credential ("MS", "RD") go whole.
    let parts: Vec<&str> = s
        .split([',', ';', '&', '/'])
        .enumerate()
        .filter(|(i, p)| {
            let words: Vec<&str> = p.split_whitespace().collect();
            let role = words.iter().take(2).any(|w| is_role_word(w))
                || words.last().is_some_and(|w| is_role_word(w));
            *i == 0 || !(is_credential(p) || role)
        })
        .map(|(_, p)| p)
        .collect();
    for (i, part) in parts.into_iter().flat_map(|p| p.split(" and ")).enumerate() {
        let p = part
            .trim()
            .trim_matches(|c: char| c == '(' || c == ')' || c == '.' || c == ':');
        if p.is_empty() || p.ends_with('-') || is_credential(p) {
            continue;
        }
        // Drop trailing role words ("Jane Doe Moscow correspondent" keeps "Jane Doe" only when
        // the role starts with a lower-case word).
        let words: Vec<&str> = p.split_whitespace().collect();
        let cut = words
            .iter()
            .position(|w| {
                ROLE_WORDS.contains(&w.to_lowercase().as_str())
                    && w.chars().next().is_some_and(char::is_lowercase)
            })
            // "Keith Barry Senior Autos Reporter": a capitalised role after a full name.
            .or_else(|| {
                words
                    .iter()
                    .skip(2)
                    .position(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
                    .map(|i| i + 2)
            })
            .unwrap_or(words.len());
        // "Jane Doe, Moscow correspondent": a role after the first name is not a person.
        if i > 0 && cut < words.len() && cut <= 2 {
            continue;
        }
        let name = words[..cut].join(" ");
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Labels that stand before an author's name (`data/byline_labels.txt`), longest first.
static LABELS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut v: Vec<String> = include_str!("../data/byline_labels.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .chain(["von", "par", "por"].map(String::from))
        .collect();
    v.sort_by_key(|l| std::cmp::Reverse(l.len()));
    v
});

/// Whether a whole text is only a byline label ("Written by", "By:", "Author").
pub fn is_label(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches([':', '-', '–', '—'])
        .trim()
        .to_lowercase();
    LABELS.contains(&t)
}

/// The text after a leading byline label and its colon, if it starts with one.
fn strip_label(s: &str) -> Option<&str> {
    for l in LABELS.iter() {
        let Some(head) = s.get(..l.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(l) {
            continue;
        }
        let rest = &s[l.len()..];
        let after = rest.trim_start_matches([' ', ':']);
        // A label is a word of its own, followed by a space or a colon.
        if after.len() < rest.len() && !after.is_empty() {
            return Some(after);
        }
    }
    None
}

/// A declared author name: short, no URL, e-mail or digits-only handle.
fn plausible_name(name: &str) -> bool {
    let words = name.split_whitespace().count();
    !is_calendar_word(name)
        && (1..=6).contains(&words)
        && name.len() <= 60
        && !name.contains('@')
        && !name.starts_with("http")
        && !name.contains("://")
        && name.chars().any(char::is_alphabetic)
        // A template placeholder ("page.head.extra.author", "{{author}}").
        && !(words == 1 && name.matches('.').count() >= 2)
        && !name.contains(['{', '}', '$'])
}

/// Single words that are never a name on their own (`data/not_names.txt`: weekdays, months).
static NOT_NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("../data/not_names.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// A one-word name that is a weekday or a month ("Sat" from "Sat, 20 Dec, 2025").
fn is_calendar_word(name: &str) -> bool {
    let w = name.trim().trim_end_matches('.').to_lowercase();
    !w.contains(' ') && NOT_NAMES.contains(&w)
}

pub fn looks_like_person(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || name.len() > 60 || is_calendar_word(name) {
        return false;
    }
    if name.chars().any(|c| c.is_ascii_digit() || c == '@') || name.starts_with("http") {
        return false;
    }
    let lower = name.to_lowercase();
    if lower
        .split_whitespace()
        .any(|w| ROLE_WORDS[..10].contains(&w))
        || lower.contains("staff")
        || lower == "admin"
        || lower.starts_with("written")
        || lower.starts_with("posted")
        || name.contains(':')
        // "Articles by Jane", "More from Jane": a link label, not a name.
        || words.iter().skip(1).any(|w| *w == "by" || *w == "from")
    {
        return false;
    }
    words
        .iter()
        .any(|w| w.chars().next().is_some_and(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_bylines() {
        assert_eq!(
            split_names("By Jane Doe and John Roe"),
            vec!["Jane Doe", "John Roe"]
        );
        assert_eq!(
            split_names("By Lena Marsh | 14 June 2025"),
            vec!["Lena Marsh"]
        );
        assert_eq!(
            split_names("Jane Doe, Reuters"),
            vec!["Jane Doe", "Reuters"]
        );
    }

    #[test]
    fn labels_and_roles() {
        assert_eq!(
            split_names("Written By: Cazzy Magennis"),
            vec!["Cazzy Magennis"]
        );
        assert_eq!(split_names("by: Ziyi Xu, Dec 17, 2025")[0], "Ziyi Xu");
        assert_eq!(
            split_names("Keith Barry Senior Autos Reporter"),
            vec!["Keith Barry"]
        );
        assert_eq!(
            split_names("Ben Applebaum-Bauch ⋅ Review Editor"),
            vec!["Ben Applebaum-Bauch"]
        );
        // A name that starts like a label word is not cut.
        assert_eq!(split_names("Byron Allen"), vec!["Byron Allen"]);
        assert!(is_label("Written by:"));
        assert!(is_label("By"));
        assert!(!is_label("Byron"));
        assert!(!looks_like_person("AI Writer"));
        // A date in the byline is not a person, nor is a link label.
        assert!(!looks_like_person("Sat"));
        assert!(!plausible_name("Dec."));
        assert!(!looks_like_person("Articles by Jane"));
        assert!(looks_like_person("Jane Decker"));
    }

    #[test]
    fn credentials_roles_and_entities() {
        assert_eq!(
            split_names("Lizzie Streit, MS, RDN, LD"),
            vec!["Lizzie Streit"]
        );
        assert_eq!(
            split_names("Paul Frew, Home and Digital Security Expert"),
            vec!["Paul Frew"]
        );
        assert_eq!(
            split_names("Shelby Loos, DVM. Reviewed by Molly Price, DVM"),
            vec!["Shelby Loos"]
        );
        assert_eq!(
            split_names("Maria &amp; Katerina"),
            vec!["Maria", "Katerina"]
        );
        assert_eq!(
            split_names("David Jackson - FullStack Editorial Team"),
            vec!["David Jackson"]
        );
        assert_eq!(split_names("Text by Hunter Dukes"), vec!["Hunter Dukes"]);
        // Several people stay several people.
        assert_eq!(
            split_names("Jane Doe, John Roe and Ann Poe"),
            vec!["Jane Doe", "John Roe", "Ann Poe"]
        );
    }

    #[test]
    fn agencies_become_credits() {
        let mut m = Metadata::default();
        m.outlet.name = Some("The Daily Courier".into());
        add_people(&mut m, "By Jane Doe, Reuters", Signal::VisibleText);
        add_people(&mut m, "Courier Staff", Signal::MetaTag);
        add_people(&mut m, "The Daily Courier", Signal::MetaTag);
        assert_eq!(
            m.authors
                .iter()
                .map(|a| a.value.as_str())
                .collect::<Vec<_>>(),
            vec!["Jane Doe"]
        );
        assert_eq!(m.credits[0].value, "Reuters");
    }
}
