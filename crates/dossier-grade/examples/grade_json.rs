//! Grade the statements of one merged event from a JSON file.
//!
//! `cargo run -p dossier-grade --example grade_json -- statements.json [ratings.csv ...]`
//!
//! The JSON is `{"statements": [Statement, ...]}` or a bare array; later ratings files overlay
//! earlier ones. Statements without numbers get them from their evidence text.

use std::error::Error;

use dossier_grade::{Ratings, Statement, contradictions, grade, grade_claims, quantities};

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Input {
    Wrapped { statements: Vec<Statement> },
    Bare(Vec<Statement>),
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        return Err("usage: grade_json STATEMENTS.json [RATINGS.csv ...]".into());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut statements =
        match serde_json::from_str::<Input>(&text).map_err(|e| format!("{path}: {e}"))? {
            Input::Wrapped { statements } | Input::Bare(statements) => statements,
        };
    for s in &mut statements {
        if s.numbers.is_empty() {
            s.numbers = quantities(&s.evidence.text);
        }
    }
    let mut ratings = Ratings::empty("no ratings");
    for (i, r) in args.iter().skip(1).enumerate() {
        let (next, problems) = Ratings::load(r)?;
        for p in &problems {
            eprintln!("{p}");
        }
        if i == 0 {
            ratings = next;
        } else {
            ratings.overlay(next);
        }
    }
    let found = contradictions(&statements);
    for c in &found {
        println!(
            "{:<12} {} [{}..{}] {:?} / {} [{}..{}] {:?}{}{}",
            c.slot.name(),
            c.a.report,
            c.a.span.0,
            c.a.span.1,
            c.a_value,
            c.b.report,
            c.b.span.0,
            c.b.span.1,
            c.b_value,
            if c.same_report { " (same report)" } else { "" },
            if c.independent { " (independent)" } else { "" },
        );
    }
    let g = grade(&statements, &found, &ratings);
    println!("\nevent: {}", g.code);
    for r in &g.reasons {
        println!("  - {r}");
    }
    for (s, g) in statements.iter().zip(grade_claims(&statements, &ratings)) {
        println!("claim {}: {}  ({})", s.id, g.code, s.evidence.text);
    }
    Ok(())
}
