//! Admiralty grades, outlet ratings and slot-level contradictions for merged events.
//!
//! Pure functions on this crate's own input type, [`Statement`] (one claim of one report about
//! a merged event, with its independent origin and slot values):
//!
//! - [`Ratings`]: a user-editable outlet ratings file (the `domain,pc1,...` CSV of Lin et al.
//!   2023, or `domain,score[,letter][,note]`), with bad rows reported by line; host
//!   normalisation ([`normalise_host`]) and lookup through parent domains; outlet names to
//!   domains ([`domain_of_outlet`], `data/outlets.tsv`); score bands to letters
//!   ([`letter_for_score`], `data/bands.tsv`: A ≥ 0.90, B ≥ 0.75, C ≥ 0.55, D ≥ 0.40, else E;
//!   not rated is F).
//! - [`Reliability`] A–F and [`Credibility`] 1–6 with FM 2-22.3 wording (`data/admiralty.tsv`).
//! - [`contradictions`]: polarity, time, place, number and (soft) participant conflicts, with
//!   both evidence spans; [`between`] for two statements; [`quantities`] finds numbers with
//!   their unit nouns in a sentence.
//! - [`grade`] for a merged event, [`grade_claim`] for one claim among the others.
//!
//! # Grading rules
//!
//! Origins are the statements' `origin` keys (the caller has already collapsed copies and
//! identified anonymous groups by outlet and descriptor). The graded information is what the
//! statements assert (for an event: the assertion when any statement asserts it, else the
//! denial; for a claim: the claim, with the statements of the same polarity that do not
//! contradict it on a hard slot).
//!
//! **Reliability** (of the origin): for an event, the best letter among its non-opaque agreeing
//! origins; for a claim, its own origin's letter. An origin's letter: anonymous → F; opaque →
//! F; otherwise its domain (the statement's `origin_domain`, else the outlet list for outlets,
//! wires and reports, else the reporting outlet's domain for an outlet's own reporting) is
//! looked up in the ratings: the file's letter, else the score band; not rated or no domain → F
//! ("reliability cannot be judged"). Never a guess.
//!
//! **Credibility** (of the information), first rule that applies:
//! 1. **6** when every agreeing origin is opaque ("according to trusted outlets");
//! 2. **5** when a hard contradiction (polarity, time, place, number) sets it against an
//!    independent, non-opaque origin;
//! 3. **1** with at least 2 independent non-opaque origins that agree, at least 2 of them
//!    stating it without hedge or caveat, and no contradiction at all;
//! 4. **2** with at least 2 independent origins otherwise (a soft or same-origin contradiction,
//!    a contradiction from an opaque origin, or hedges/caveats);
//! 5. with one non-opaque origin: **4** when it is internally inconsistent (any contradiction
//!    left) or every one of its statements is hedged or caveated; **2** when it is rated A or B
//!    and unhedged; else **3**.
//!
//! [`grade_claims`] grades every statement at once: identical claims (same polarity and slot
//! values) form one group, each group is compared with the 64 largest groups, and
//! contradictions beyond six per group are counted rather than listed.
//!
//! Participant-list differences are soft (an "inconsistent enumeration": someone added or
//! missing, possibly another round): they keep an event from 1 but never make it 5.
//! Contradictions are reported, never used to drop statements.

mod contradict;
mod grade;
mod quantity;
mod ratings;
mod scale;
mod statement;
mod timex;

pub use contradict::{Contradiction, MAX_GROUPS, RARE_VS, Slot, between, contradictions};
pub use grade::{
    Counts, Grade, MAX_CLAIM_GROUPS, OriginRating, describe, grade, grade_claim, grade_claims,
    origin_reliability,
};
pub use quantity::{Qualifier, Quantity, quantities, unit_class, unit_lemma, unit_plural};
pub use ratings::{
    Rating, Ratings, RowProblem, band_reason, domain_of_outlet, letter_for_score, normalise_host,
    outlet_domain, registrable_domain,
};
pub use scale::{Credibility, Reliability};
pub use statement::{Evidence, OriginKind, Statement};

use std::path::PathBuf;

/// Errors reading grading inputs; each names the input.
#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    #[error("cannot read ratings file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("ratings file {path} is not UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 { path: PathBuf, offset: usize },
}
