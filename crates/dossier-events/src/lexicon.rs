//! Our own lexicons (data files under `data/`), compiled once into [`Dictionaries`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use crate::dict::{
    ActorEntry, AgentEntry, DatedCode, Dictionaries, PElem, PloverInfo, VerbBlock, Word, plural,
    verb_forms,
};

const COUNTRIES: &str = include_str!("../data/countries.tsv");
const ACTORS: &str = include_str!("../data/actors.tsv");
const AGENTS: &str = include_str!("../data/agents.tsv");
const TRIGGERS: &str = include_str!("../data/triggers.tsv");
const ADJECTIVES: &str = include_str!("../data/adjectives.txt");

/// Upper-cased demonyms and group adjectives ("Syrian", "U.S.", "Muslim"): every name of a
/// countries.tsv line but its first, plus data/adjectives.txt.
static DEMONYMS: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
    let mut out = std::collections::HashSet::new();
    for line in COUNTRIES.lines().filter(|l| !l.starts_with('#')) {
        if let Some(names) = line.split('\t').nth(1) {
            for n in names.split('|').skip(1) {
                out.insert(n.trim().to_uppercase());
            }
        }
    }
    for line in ADJECTIVES.lines().filter(|l| !l.starts_with('#')) {
        if !line.trim().is_empty() {
            out.insert(line.trim().to_uppercase());
        }
    }
    out
});

/// Is this upper-cased phrase a demonym or group adjective (not a place)?
pub fn is_demonym(w: &str) -> bool {
    DEMONYMS.contains(w)
}

/// Upper-cased capitals and seats of government of countries.tsv ("MOSCOW", "WHITE HOUSE").
static CAPITALS: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
    let mut out = std::collections::HashSet::new();
    for line in COUNTRIES.lines().filter(|l| !l.starts_with('#')) {
        if let Some(names) = line.split('\t').nth(2) {
            for n in names.split('|').filter(|n| !n.trim().is_empty()) {
                out.insert(n.trim().to_uppercase());
            }
        }
    }
    out
});

/// Is this upper-cased phrase a capital or seat of government (a place as well as an actor)?
pub fn is_capital(w: &str) -> bool {
    CAPITALS.contains(w)
}

static BUILTIN: LazyLock<Dictionaries> =
    LazyLock::new(|| build().expect("built-in lexicons are valid (tested)"));

/// Our lexicons as dictionaries (parsed once).
pub fn builtin() -> &'static Dictionaries {
    &BUILTIN
}

fn exact_phrase(s: &str) -> Vec<Word> {
    crate::token::tokenize(s)
        .into_iter()
        .map(|t| Word {
            text: t.norm,
            exact: true,
        })
        .collect()
}

fn date(s: &str) -> Result<Option<u32>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let d: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    if d.len() != 8 {
        return Err(format!("bad date {s:?} (want YYYY-MM-DD)"));
    }
    d.parse().map(Some).map_err(|e| format!("{e}"))
}

/// Parse the built-in data; errors name the file and line.
pub fn build() -> Result<Dictionaries, String> {
    let mut d = Dictionaries::default();
    // countries
    for (ln, line) in COUNTRIES.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            return Err(format!(
                "countries.tsv:{}: want code<TAB>names[<TAB>capitals]",
                ln + 1
            ));
        }
        let code = cols[0].trim().to_string();
        let id = d.actor_entries.len();
        d.actor_entries.push(ActorEntry {
            name: code.clone(),
            codes: vec![DatedCode {
                code: code.clone(),
                from: None,
                to: None,
            }],
        });
        for name in cols[1].split('|').filter(|s| !s.trim().is_empty()) {
            let _ = d.actors.insert(exact_phrase(name), id);
        }
        if let Some(caps) = cols.get(2) {
            let cid = d.actor_entries.len();
            d.actor_entries.push(ActorEntry {
                name: format!("{code} capital"),
                codes: vec![DatedCode {
                    code: code.clone(),
                    from: None,
                    to: None,
                }],
            });
            for name in caps.split('|').filter(|s| !s.trim().is_empty()) {
                let _ = d.actors.insert(exact_phrase(name), cid);
            }
        }
    }
    // dated actors: lines with the same names form one entry
    let mut by_names: HashMap<String, usize> = HashMap::new();
    let mut name_owner: HashMap<String, String> = HashMap::new();
    for (ln, line) in ACTORS.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            return Err(format!(
                "actors.tsv:{}: want names<TAB>code<TAB>from<TAB>to",
                ln + 1
            ));
        }
        let from = date(cols.get(2).copied().unwrap_or(""))
            .map_err(|e| format!("actors.tsv:{}: {e}", ln + 1))?;
        let to = date(cols.get(3).copied().unwrap_or(""))
            .map_err(|e| format!("actors.tsv:{}: {e}", ln + 1))?;
        let names = cols[0].to_string();
        // a name on lines with different name sets would silently take the codes of
        // whichever line came last: every dated line of one actor repeats the same names
        for n in names.split('|') {
            let key = n.trim().to_uppercase();
            match name_owner.get(&key) {
                Some(other) if *other != names => {
                    return Err(format!(
                        "actors.tsv:{}: name {n:?} is also on a line with the names {other:?} \
                         (lines of one actor must list the same names)",
                        ln + 1
                    ));
                }
                _ => {
                    name_owner.insert(key, names.clone());
                }
            }
        }
        let id = *by_names.entry(names.clone()).or_insert_with(|| {
            d.actor_entries.push(ActorEntry {
                name: names.clone(),
                codes: Vec::new(),
            });
            d.actor_entries.len() - 1
        });
        d.actor_entries[id].codes.push(DatedCode {
            code: cols[1].trim().to_string(),
            from,
            to,
        });
        for name in cols[0].split('|').filter(|s| !s.trim().is_empty()) {
            // later tables override countries: replace an existing identical phrase
            let w = exact_phrase(name);
            if let Err(k) = d.actors.insert(w, id) {
                d.actors.entries[k].1 = id;
            }
        }
    }
    // agents
    for (ln, line) in AGENTS.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            return Err(format!("agents.tsv:{}: want nouns<TAB>sector", ln + 1));
        }
        let entry = AgentEntry {
            code: cols[1].trim().to_string(),
            prefix: false,
        };
        for name in cols[0].split('|').filter(|s| !s.trim().is_empty()) {
            let _ = d.agents.insert(exact_phrase(name), entry.clone());
        }
    }
    // triggers
    let mut blocks: HashMap<(String, bool), usize> = HashMap::new();
    for (ln, line) in TRIGGERS.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 {
            return Err(format!(
                "triggers.tsv:{}: want 7 columns, found {}",
                ln + 1,
                cols.len()
            ));
        }
        let head = cols[0].trim();
        let noun = cols[6].trim() == "N";
        let (base, irregular) = match head.find('{') {
            Some(k) => (
                head[..k].trim(),
                head[k + 1..]
                    .trim_end_matches('}')
                    .split_whitespace()
                    .collect::<Vec<_>>(),
            ),
            None => (head, Vec::new()),
        };
        let info = PloverInfo {
            event: cols[2].trim().to_string(),
            mode: Some(cols[3].trim().to_string()).filter(|s| !s.is_empty()),
            context: Some(cols[5].trim().to_string()).filter(|s| !s.is_empty()),
            noun,
        };
        let cameo = cols[4].trim().to_string();
        // `---`: the pattern names no event ("refused to comment"), as in TABARI
        if cameo != "---" && (cameo.is_empty() || !cameo.chars().all(|c| c.is_ascii_digit())) {
            return Err(format!("triggers.tsv:{}: bad CAMEO code {cameo:?}", ln + 1));
        }
        let key = (base.to_uppercase(), noun);
        let b = match blocks.get(&key) {
            Some(&b) => b,
            None => {
                d.verb_blocks.push(VerbBlock {
                    name: base.to_uppercase(),
                    code: None,
                    plover: None,
                    patterns: Vec::new(),
                });
                let b = d.verb_blocks.len() - 1;
                blocks.insert(key, b);
                let mut forms: Vec<String> = if noun {
                    let mut f = vec![base.to_uppercase()];
                    if let Some(p) = plural(base) {
                        f.push(p);
                    }
                    f
                } else {
                    verb_forms(base)
                };
                forms.extend(irregular.iter().map(|s| s.to_uppercase()));
                for f in forms {
                    let w: Vec<Word> = f
                        .split('_')
                        .map(|x| Word {
                            text: x.to_string(),
                            exact: true,
                        })
                        .collect();
                    let _ = d.verbs.insert(w, b);
                }
                b
            }
        };
        let pat = cols[1].trim();
        if pat == "*" {
            d.verb_blocks[b].code = Some(cameo);
            d.verb_blocks[b].plover = Some(info);
        } else {
            let mut p = crate::dict::parse_pattern_pub(
                &format!("{pat} [{cameo}]"),
                Path::new("triggers.tsv"),
                ln + 1,
            )
            .map_err(|e| e.to_string())?;
            // pattern words match exactly, or their plural ("* ROAD" matches "roads")
            for (e, _) in p.pre.iter_mut().chain(p.post.iter_mut()) {
                if let PElem::Word(w) = e {
                    let mut alts = vec![w.text.clone()];
                    if w.text.len() > 2
                        && let Some(pl) = plural(&w.text)
                        && pl != w.text
                    {
                        alts.push(pl);
                    }
                    *e = PElem::AnyWord(alts);
                }
            }
            p.plover = Some(info);
            d.verb_blocks[b].patterns.push(p);
        }
    }
    Ok(d)
}

const MONTHS_DAYS: &[&str] = &[
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
    "JAN.",
    "FEB.",
    "AUG.",
    "SEPT.",
    "OCT.",
    "NOV.",
    "DEC.",
];

pub fn is_month_or_day(w: &str) -> bool {
    MONTHS_DAYS.contains(&w)
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_parses() {
        let d = super::build().unwrap();
        assert!(d.actor_entries.len() > 200);
        assert!(d.verb_blocks.len() > 150);
    }
}
