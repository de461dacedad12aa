//! Admiralty grades for a merged event ([`grade`]) and for one claim among the others
//! ([`grade_claim`]). The rules are in the crate documentation.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::contradict::{self, Contradiction};
use crate::ratings::{Rating, Ratings, domain_of_outlet, outlet_domain};
use crate::scale::{Credibility, Reliability};
use crate::statement::{OriginKind, Statement};

/// What was counted: reports, outlets and independent origins kept apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub statements: usize,
    pub reports: usize,
    pub outlets: usize,
    /// Independent non-opaque origins agreeing with the graded information.
    pub origins: usize,
    /// Opaque origins among them (not counted in `origins`).
    pub opaque_origins: usize,
    /// Statements that say the opposite (polarity).
    pub opposing: usize,
}

/// An Admiralty grade with the reasons, in plain sentences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    pub reliability: Reliability,
    pub credibility: Credibility,
    /// "B2".
    pub code: String,
    pub reasons: Vec<String>,
    pub counts: Counts,
}

/// The reliability of one statement's origin, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OriginRating {
    pub origin: String,
    pub kind: OriginKind,
    pub reliability: Reliability,
    /// The rating used, when the origin has a rated domain.
    pub rating: Option<Rating>,
    pub reason: String,
}

/// Reliability of a statement's origin: anonymous and opaque origins are F; otherwise the
/// origin's domain (given, or from the outlet list for outlets, wires and reports; the
/// reporting outlet's domain for an outlet's own reporting) is looked up in the ratings, and an
/// unrated origin is F. Never a guess.
pub fn origin_reliability(st: &Statement, ratings: &Ratings) -> OriginRating {
    let name = st.origin_name().to_string();
    let f = |reason: String| OriginRating {
        origin: name.clone(),
        kind: st.origin_kind,
        reliability: Reliability::F,
        rating: None,
        reason,
    };
    match st.origin_kind {
        OriginKind::Anonymous => {
            return f("anonymous sources: reliability cannot be judged".to_string());
        }
        OriginKind::Opaque => {
            return f(
                "an opaque origin that cannot be traced: reliability cannot be judged".to_string(),
            );
        }
        _ => {}
    }
    let mut domain = st.origin_domain.clone();
    if domain.is_none()
        && matches!(
            st.origin_kind,
            OriginKind::Outlet | OriginKind::Wire | OriginKind::Report
        )
    {
        domain = outlet_domain(&st.origin).or_else(|| {
            st.origin_label
                .as_deref()
                .and_then(domain_of_outlet)
                .map(str::to_string)
        });
    }
    if domain.is_none() && st.origin_kind == OriginKind::Outlet {
        domain = st.domain.clone().or_else(|| outlet_domain(&st.outlet));
    }
    let Some(domain) = domain else {
        return f("no domain known for it, so no rating: reliability cannot be judged".to_string());
    };
    match ratings.lookup(&domain) {
        Some(r) => OriginRating {
            origin: name,
            kind: st.origin_kind,
            reliability: r.letter,
            reason: r.explain(),
            rating: Some(r),
        },
        None if ratings.is_empty() => f(format!(
            "no outlet ratings are loaded (--ratings), so {domain} has none: reliability cannot be judged"
        )),
        None => f(format!(
            "{domain} is not rated in {}: reliability cannot be judged",
            ratings.name()
        )),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn list(items: &[String], max: usize) -> String {
    let mut v: Vec<String> = items.iter().take(max).cloned().collect();
    if items.len() > max {
        v.push(format!("{} more", items.len() - max));
    }
    v.join("; ")
}

/// Describe a contradiction in one sentence.
pub fn describe(c: &Contradiction, by_id: &HashMap<&str, &Statement>) -> String {
    let who = |id: &str| {
        by_id
            .get(id)
            .map(|s| s.speaker())
            .unwrap_or_else(|| id.to_string())
    };
    let (wa, wb) = (who(&c.a_statement), who(&c.b_statement));
    let place = if c.same_report {
        format!(" inside one report ({})", c.a.report)
    } else {
        String::new()
    };
    match c.slot {
        contradict::Slot::Polarity => format!("contradicted{place}: {}", c.detail),
        contradict::Slot::Participants => format!(
            "participant lists differ{place}: {wa} lists {}, {wb} lists {} ({})",
            c.a_value, c.b_value, c.detail
        ),
        slot if c.soft => format!(
            "may differ{place} ({}): {wa} says {}, {wb} says {}; {}",
            slot.name(),
            c.a_value,
            c.b_value,
            c.detail
        ),
        slot => format!(
            "contradicted{place} ({}): {wa} says {}, {wb} says {}",
            slot.name(),
            c.a_value,
            c.b_value
        ),
    }
}

/// The kinds of contradictions that stop short of a 5, in words.
fn minor_kinds(
    minor: &[&Contradiction],
    more: usize,
    opaque: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let (mut inside, mut from_opaque) = (0, 0);
    // soft differences by slot: participants, time, place, number
    let mut soft = [0usize; 4];
    for c in minor {
        if opaque(&c.a_statement) || opaque(&c.b_statement) {
            from_opaque += 1;
        } else if c.soft {
            match c.slot {
                contradict::Slot::Participants => soft[0] += 1,
                contradict::Slot::Time => soft[1] += 1,
                contradict::Slot::Place => soft[2] += 1,
                contradict::Slot::Number | contradict::Slot::Polarity => soft[3] += 1,
            }
        } else {
            inside += 1;
        }
    }
    let mut v = Vec::new();
    let wording = [
        ("difference", "differences", "in the participants named"),
        (
            "difference",
            "differences",
            "in time that may be none (a day or less apart, relative or coarser dates)",
        ),
        (
            "difference",
            "differences",
            "in place names that may lie one inside the other",
        ),
        (
            "difference",
            "differences",
            "in a toll, revised as reports come in",
        ),
    ];
    for (n, (one, many, what)) in soft.iter().zip(wording) {
        if *n > 0 {
            v.push(format!("{} {what}", plural(*n, one, many)));
        }
    }
    if inside > 0 {
        v.push(format!(
            "{} inside one origin",
            plural(inside, "contradiction", "contradictions")
        ));
    }
    if from_opaque > 0 {
        v.push(format!(
            "{} from an opaque origin",
            plural(from_opaque, "contradiction", "contradictions")
        ));
    }
    if more > 0 {
        v.push(format!("{more} more"));
    }
    v
}

struct Subject<'a> {
    /// Statements carrying the graded information.
    agreeing: Vec<&'a Statement>,
    /// Statements saying the opposite.
    opposing: usize,
    /// Contradictions that bear on it.
    contradictions: Vec<&'a Contradiction>,
    /// The reliability comes from this statement alone (claim) or from the best origin (event).
    own: Option<&'a Statement>,
    /// Contradictions counted but not listed in `contradictions` (hard-independent, minor).
    more_hard: usize,
    more_minor: usize,
}

fn by_id_index(all: &[Statement]) -> HashMap<&str, &Statement> {
    all.iter().rev().map(|s| (s.id.as_str(), s)).collect()
}

fn own_reason(r: &OriginRating) -> String {
    format!(
        "reliability {} ({}): the claim's origin {}: {}",
        r.reliability,
        r.reliability.label(),
        r.origin,
        r.reason
    )
}

fn assess(subject: Subject<'_>, by_id: &HashMap<&str, &Statement>, ratings: &Ratings) -> Grade {
    let agreeing = &subject.agreeing;
    // origins in first-seen order
    let mut origin_order: Vec<&str> = Vec::new();
    let mut origin_stmts: HashMap<&str, Vec<&Statement>> = HashMap::new();
    for s in agreeing {
        let e = origin_stmts.entry(s.origin.as_str()).or_default();
        if e.is_empty() {
            origin_order.push(s.origin.as_str());
        }
        e.push(s);
    }
    let reports: HashSet<&str> = agreeing.iter().map(|s| s.report.as_str()).collect();
    let outlets: HashSet<String> = agreeing
        .iter()
        .map(|s| {
            s.domain
                .clone()
                .or_else(|| outlet_domain(&s.outlet))
                .unwrap_or_else(|| s.outlet.trim().to_lowercase())
        })
        .collect();
    let confirming: Vec<&str> = origin_order
        .iter()
        .copied()
        .filter(|o| !origin_stmts[o][0].is_opaque())
        .collect();
    let opaque: Vec<&str> = origin_order
        .iter()
        .copied()
        .filter(|o| origin_stmts[o][0].is_opaque())
        .collect();
    // an origin is "clean" when one of its statements is neither hedged nor caveated
    let clean = |o: &str| {
        origin_stmts[o]
            .iter()
            .any(|s| !s.hedged && s.caveats.is_empty())
    };
    let clean_confirming = confirming.iter().filter(|o| clean(o)).count();
    let counts = Counts {
        statements: agreeing.len(),
        reports: reports.len(),
        outlets: outlets.len(),
        origins: confirming.len(),
        opaque_origins: opaque.len(),
        opposing: subject.opposing,
    };
    let mut reasons = Vec::new();

    // counting
    let labels: Vec<String> = confirming
        .iter()
        .map(|o| origin_stmts[o][0].origin_name().to_string())
        .collect();
    let mut count = format!(
        "{} from {} {} back to {}",
        plural(counts.reports, "report", "reports"),
        plural(counts.outlets, "outlet", "outlets"),
        if counts.reports == 1 {
            "traces"
        } else {
            "trace"
        },
        plural(counts.origins, "independent origin", "independent origins"),
    );
    if !labels.is_empty() {
        count.push_str(&format!(" ({})", list(&labels, 5)));
    }
    if !opaque.is_empty() {
        let ol: Vec<String> = opaque
            .iter()
            .map(|o| origin_stmts[o][0].origin_name().to_string())
            .collect();
        count.push_str(&format!(
            "; {} that {} nothing ({})",
            plural(opaque.len(), "opaque origin", "opaque origins"),
            if opaque.len() == 1 {
                "confirms"
            } else {
                "confirm"
            },
            list(&ol, 3)
        ));
    }
    reasons.push(count);
    if subject.opposing > 0 {
        reasons.push(format!(
            "{} {} the opposite",
            plural(subject.opposing, "statement", "statements"),
            if subject.opposing == 1 { "says" } else { "say" }
        ));
    }

    // reliability
    let reliability = match subject.own {
        Some(s) => {
            let r = origin_reliability(s, ratings);
            reasons.push(own_reason(&r));
            r.reliability
        }
        None => {
            let rated: Vec<OriginRating> = confirming
                .iter()
                .map(|o| origin_reliability(origin_stmts[o][0], ratings))
                .collect();
            match rated.iter().min_by_key(|r| r.reliability) {
                Some(best) => {
                    let of = if rated.len() > 1 {
                        format!("best of {} origins", rated.len())
                    } else {
                        "the only origin".to_string()
                    };
                    reasons.push(format!(
                        "reliability {} ({}): {of}, {}: {}",
                        best.reliability,
                        best.reliability.label(),
                        best.origin,
                        best.reason
                    ));
                    best.reliability
                }
                None => {
                    reasons.push(format!(
                        "reliability F ({}): no origin other than an opaque one",
                        Reliability::F.label()
                    ));
                    Reliability::F
                }
            }
        }
    };

    // contradictions
    let origin_opaque = |id: &str| by_id.get(id).is_some_and(|s| s.is_opaque());
    let (hard, minor): (Vec<&Contradiction>, Vec<&Contradiction>) =
        subject.contradictions.iter().copied().partition(|c| {
            !c.soft
                && c.independent
                && !origin_opaque(&c.a_statement)
                && !origin_opaque(&c.b_statement)
        });

    let n_hard = hard.len() + subject.more_hard;
    let n_minor = minor.len() + subject.more_minor;
    let n_conf = confirming.len();
    let names = list(&labels, 5);
    let (credibility, why) = if n_conf == 0 {
        (
            Credibility::CANNOT_BE_JUDGED,
            "every origin is opaque, so nothing confirms it".to_string(),
        )
    } else if n_hard > 0 {
        (
            Credibility::IMPROBABLE,
            format!(
                "contradicted by an independent origin ({})",
                plural(n_hard, "contradiction", "contradictions")
            ),
        )
    } else if n_conf >= 2 && n_minor == 0 && clean_confirming >= 2 {
        (
            Credibility::CONFIRMED,
            format!("{n_conf} independent origins agree ({names}) and nothing contradicts it"),
        )
    } else if n_conf >= 2 {
        let mut buts = Vec::new();
        buts.extend(minor_kinds(&minor, subject.more_minor, &origin_opaque));
        if clean_confirming < 2 {
            buts.push(format!(
                "only {clean_confirming} of them {} it without hedge or caveat",
                if clean_confirming == 1 {
                    "states"
                } else {
                    "state"
                }
            ));
        }
        (
            Credibility::PROBABLY_TRUE,
            format!(
                "{n_conf} independent origins agree ({names}), but {}",
                buts.join(" and ")
            ),
        )
    } else if n_minor > 0 {
        (
            Credibility::DOUBTFUL,
            format!(
                "one origin ({names}), internally inconsistent: {}",
                minor_kinds(&minor, subject.more_minor, &origin_opaque).join(" and ")
            ),
        )
    } else if clean_confirming == 0 {
        let caveats: Vec<String> = agreeing
            .iter()
            .flat_map(|s| s.caveats.iter().cloned())
            .collect::<Vec<_>>();
        let mut caveats_dedup: Vec<String> = Vec::new();
        for c in caveats {
            if !caveats_dedup.contains(&c) {
                caveats_dedup.push(c);
            }
        }
        let what = if caveats_dedup.is_empty() {
            "hedged".to_string()
        } else {
            format!("hedged or caveated: \"{}\"", list(&caveats_dedup, 2))
        };
        (
            Credibility::DOUBTFUL,
            format!("one origin ({names}), and it is {what}"),
        )
    } else {
        // the reliability of that one origin, whatever the graded statement's own origin
        let r = origin_reliability(origin_stmts[confirming[0]][0], ratings).reliability;
        if r <= Reliability::B {
            (
                Credibility::PROBABLY_TRUE,
                format!("one well-rated origin ({names}, {r}), unhedged, not confirmed by another"),
            )
        } else {
            (
                Credibility::POSSIBLY_TRUE,
                format!("one origin ({names}), unhedged, not confirmed by another"),
            )
        }
    };
    reasons.push(format!(
        "credibility {} ({}): {why}",
        credibility,
        credibility.label()
    ));
    for c in hard.iter().chain(minor.iter()).take(6) {
        reasons.push(describe(c, by_id));
    }
    if n_hard + n_minor > 6 {
        reasons.push(format!("and {} more contradictions", n_hard + n_minor - 6));
    }
    Grade {
        code: format!("{reliability}{credibility}"),
        reliability,
        credibility,
        reasons,
        counts,
    }
}

/// The grade of a merged event from all its statements and their contradictions (from
/// [`contradictions`](crate::contradictions)). The graded information is what most statements
/// say: the assertion when any statement asserts it, else the denial.
pub fn grade(
    statements: &[Statement],
    contradictions: &[Contradiction],
    ratings: &Ratings,
) -> Grade {
    let asserted = statements.iter().any(|s| !s.negated);
    let agreeing: Vec<&Statement> = statements
        .iter()
        .filter(|s| s.negated != asserted)
        .collect();
    let opposing = statements.len() - agreeing.len();
    assess(
        Subject {
            agreeing,
            opposing,
            contradictions: contradictions.iter().collect(),
            own: None,
            more_hard: 0,
            more_minor: 0,
        },
        &by_id_index(statements),
        ratings,
    )
}

/// The grade of one claim among the statements about the same event (the claim may or may not
/// be among them). Reliability is that of the claim's own origin; credibility counts the
/// statements that agree with it (same polarity, no hard contradiction with it) and the
/// contradictions between it and the others ([`between`](crate::between)).
pub fn grade_claim(claim: &Statement, statements: &[Statement], ratings: &Ratings) -> Grade {
    let mut found: Vec<Contradiction> = Vec::new();
    let mut agreeing: Vec<&Statement> = vec![claim];
    let mut opposing = 0;
    for s in statements {
        if s.id == claim.id {
            continue;
        }
        let cs = contradict::between(claim, s);
        let hard = cs.iter().any(|c| !c.soft);
        if s.negated != claim.negated {
            opposing += 1;
        } else if !hard {
            agreeing.push(s);
        }
        found.extend(cs);
    }
    let mut all: Vec<Statement> = Vec::with_capacity(statements.len() + 1);
    if !statements.iter().any(|s| s.id == claim.id) {
        all.push(claim.clone());
    }
    all.extend(statements.iter().cloned());
    assess(
        Subject {
            agreeing,
            opposing,
            contradictions: found.iter().collect(),
            own: Some(claim),
            more_hard: 0,
            more_minor: 0,
        },
        &by_id_index(&all),
        ratings,
    )
}

/// Compare each group of identical claims with at most this many of the largest groups in
/// [`grade_claims`].
pub const MAX_CLAIM_GROUPS: usize = 64;

/// In [`grade_claims`], other groups whose contradictions are kept in full per group of claims,
/// for each of hard and minor (the reasons list 6; the rest are counted).
const LISTED_PER_CLAIM: usize = 6;

/// Everything that decides how a claim relates to the others, apart from its origin.
#[derive(PartialEq, Eq, Hash)]
struct Signature {
    negated: bool,
    time: Option<String>,
    place: Option<String>,
    numbers: Vec<(String, Option<String>, u64, crate::quantity::Qualifier)>,
    participants: Vec<String>,
}

fn signature(s: &Statement) -> Signature {
    let mut numbers: Vec<(String, Option<String>, u64, crate::quantity::Qualifier)> = s
        .numbers
        .iter()
        .map(|q| {
            (
                q.unit.clone(),
                q.measure.clone(),
                q.value.to_bits(),
                q.qualifier,
            )
        })
        .collect();
    numbers.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    let mut participants: Vec<String> = s
        .participants
        .iter()
        .map(|p| {
            p.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect();
    participants.sort();
    participants.dedup();
    Signature {
        negated: s.negated,
        time: s.time.as_ref().map(|t| t.trim().to_uppercase()),
        place: s.place.as_ref().map(|p| p.trim().to_lowercase()),
        numbers,
        participants,
    }
}

/// [`grade_claim`] for every statement, in input order, without comparing every pair: claims
/// with the same slot values and polarity form one group, and each group is compared with the
/// [`MAX_CLAIM_GROUPS`] largest groups (all of them when there are no more), so 10,000 claims
/// cost groups × 64 comparisons, not 50 million.
pub fn grade_claims(statements: &[Statement], ratings: &Ratings) -> Vec<Grade> {
    let mut index: HashMap<Signature, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let g = *index.entry(signature(s)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| std::cmp::Reverse(groups[g].len()));
    let top: Vec<usize> = order.iter().copied().take(MAX_CLAIM_GROUPS).collect();
    let by_id = by_id_index(statements);
    let preps: Vec<contradict::Prepared<'_>> = groups
        .iter()
        .map(|m| contradict::Prepared::new(&statements[m[0]]))
        .collect();
    let in_top: Vec<bool> = (0..groups.len()).map(|g| top.contains(&g)).collect();
    // each unordered pair once: (hard, soft)
    let mut cache: HashMap<(usize, usize), (bool, bool)> = HashMap::new();
    let mut out: Vec<Option<Grade>> = vec![None; statements.len()];
    for (g, members) in groups.iter().enumerate() {
        let rep = &statements[members[0]];
        let others: Box<dyn Iterator<Item = usize>> = if in_top[g] {
            Box::new((0..groups.len()).filter(move |&h| h != g))
        } else {
            Box::new(top.iter().copied())
        };
        let mut agreeing: Vec<&Statement> = members.iter().map(|&i| &statements[i]).collect();
        let mut opposing = 0;
        let mut found: Vec<Contradiction> = Vec::new();
        let (mut more_hard, mut more_minor) = (0, 0);
        let (mut listed_hard, mut listed_minor) = (0, 0);
        for h in others {
            let other = &statements[groups[h][0]];
            let key = (g.min(h), g.max(h));
            let (hard, soft) = *cache
                .entry(key)
                .or_insert_with(|| contradict::clash(&preps[g], &preps[h]));
            let polar = other.negated != rep.negated;
            if polar {
                opposing += groups[h].len();
            } else if !hard {
                agreeing.extend(groups[h].iter().map(|&i| &statements[i]));
            }
            if !(polar || hard || soft) {
                continue;
            }
            let independent = rep.origin != other.origin && !rep.is_opaque() && !other.is_opaque();
            let counts_hard = (polar || hard) && independent;
            if counts_hard && listed_hard < LISTED_PER_CLAIM {
                listed_hard += 1;
                found.extend(contradict::between(rep, other));
            } else if !counts_hard && listed_minor < LISTED_PER_CLAIM {
                listed_minor += 1;
                found.extend(contradict::between(rep, other));
            } else if counts_hard {
                more_hard += 1;
            } else {
                more_minor += 1;
            }
        }
        // one assessment per group; each member then gets its own origin's reliability
        let base = assess(
            Subject {
                agreeing,
                opposing,
                contradictions: found.iter().collect(),
                own: Some(rep),
                more_hard,
                more_minor,
            },
            &by_id,
            ratings,
        );
        for &i in members {
            let r = origin_reliability(&statements[i], ratings);
            let mut grade = base.clone();
            grade.reliability = r.reliability;
            grade.code = format!("{}{}", r.reliability, grade.credibility);
            if let Some(line) = grade
                .reasons
                .iter_mut()
                .find(|l| l.starts_with("reliability "))
            {
                *line = own_reason(&r);
            }
            out[i] = Some(grade);
        }
    }
    out.into_iter().flatten().collect()
}
