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
//!   both evidence spans; [`between`] for two statements; [`quantities_near`] finds the
//!   counts that belong to an event (number, what it counts, qualifier or range, span) in the
//!   trigger's clause near the trigger; [`quantities`] finds every number with its unit noun.
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
//!
//! # Slots that contradict (details in [`contradictions`])
//!
//! - **Polarity**: one statement asserts, another denies. Hard.
//! - **Time**: hard only for two dates at least two days apart that both sentences write out
//!   ("June 24" vs "June 27"). Soft: one day apart (time zones, late-night events,
//!   "yesterday" read from different publication days), hours of one day, a week, month or
//!   year against a date, or a date read from a relative expression ("on Saturday").
//! - **Place**: neither place's parts contain the other's. Hard when both are resolved paths
//!   ("Rostov-on-Don, 61, RU", "Minsk, Belarus") in different countries or in different known
//!   regions of one country. Soft when either is a bare name ("Latin Quarter", "Parliament
//!   House") that may lie inside the other, a country alone (often the setting named in
//!   passing: "the war in Ukraine"), or for two towns of one region, or of one country with a
//!   region unknown (a suburb, a neighbouring town).
//! - **Number**: two counts of the same kind whose ranges do not overlap. Hard, except running
//!   tolls (killed, injured, detained...: `data/running_measures.txt`), revised as reports
//!   come in, which are soft. Money compares only for the same purpose ("$32 billion
//!   deficit" never against "$311 billion spending plan"). Only counts
//!   compare: a number with what it counts ("25,000 fighters", "at least 13 killed", "two
//!   helicopters", "$1 billion"); years, dates, clock times, ages, labels ("Flight 752"),
//!   durations ("3 days later"), percentages and distances are not counts. Counts of different
//!   things ("killed" vs "injured", "fighters" vs "tanks", dollars vs people) never compare.
//!   "about" widens a figure by 25 %, a round number by 10 %; "at least", "more than",
//!   "dozens of" are open above, "up to" below, "13 to 15" is a range: none of them
//!   contradicts a value inside its range. The caller should pass [`quantities_near`] of the
//!   event's trigger, so that only numbers of the event's own clause, within
//!   [`NEAR_TOKENS`] words of the trigger, are compared.
//! - **Participants**: lists that differ. Soft.

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
pub use quantity::{
    ABOUT_TOLERANCE, NEAR_TOKENS, Qualifier, Quantity, ROUND_TOLERANCE, is_count_unit, quantities,
    quantities_near, sentence_offsets, unit_class, unit_lemma, unit_plural,
};
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
