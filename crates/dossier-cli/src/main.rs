//! `dossier`: turns news reports into a sourced event record.
//!
//! Exit codes: 0 success; 1 error (nothing or not everything could be done: store unreadable,
//! bad arguments to a query); 2 usage error (unknown command or flag); 3 the command finished
//! but some inputs were rejected (each is named with its reason).

use dossier_pipeline as pipeline;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use dossier_core::{BlockKind, RawReport, ReportId};
use dossier_store::{ListQuery, PutOutcome, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use dossier_pipeline::{Progress, Summary};

const EXIT_REJECTED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Turn news reports into a sourced event record"
)]
struct Cli {
    /// The store: a SQLite file (created if missing) or a postgres:// URL. Defaults to
    /// $DOSSIER_DATABASE_URL when set, else ./dossier.db.
    #[arg(long, global = true, env = "DOSSIER_STORE")]
    store: Option<String>,
    /// Outlet ratings for the reliability half of grades: a CSV of `domain,pc1,...` (the Lin et
    /// al. 2023 domain ratings format) or `domain,score[,letter][,note]`. Repeat to lay a file
    /// over another (the later wins). Unrated outlets are graded F ("cannot be judged").
    #[arg(long, global = true, env = "DOSSIER_RATINGS", value_delimiter = ',')]
    ratings: Vec<PathBuf>,
    /// Log more (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Store reports from files, folders, WARC/ARC archives, feeds, JSONL, text, or - (stdin).
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Largest single document read, in bytes (archives and JSONL stream past it).
        #[arg(long, default_value_t = 64 * 1024 * 1024)]
        max_bytes: u64,
        /// No progress bar and no rejection lines while running.
        #[arg(short, long)]
        quiet: bool,
        /// Only store; leave analysis to `dossier worker` (e.g. many workers on PostgreSQL).
        #[arg(long)]
        no_analyse: bool,
        /// Keep watching the paths and ingest files that appear or change (until interrupted).
        #[arg(long)]
        watch: bool,
        /// How often to look for changes with --watch (e.g. 2s, 1m).
        #[arg(long, default_value = "2s", value_parser = duration)]
        every: std::time::Duration,
    },
    /// Follow feeds (files or http(s) URLs): fetch each on a schedule, store new items, analyse.
    Follow {
        #[arg(required = true)]
        sources: Vec<String>,
        /// How often to fetch (e.g. 15m, 1h).
        #[arg(long, default_value = "15m", value_parser = duration)]
        every: std::time::Duration,
        /// Fetch once and exit.
        #[arg(long)]
        once: bool,
        /// Print one JSON line per round.
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 64 * 1024 * 1024)]
        max_bytes: u64,
    },
    /// Analyse stored reports that are pending (new, or analysed by older rules). Any number of
    /// workers may run at once on one store; each report is analysed once.
    Worker {
        /// Exit when nothing is left to do instead of polling for more.
        #[arg(long)]
        until_idle: bool,
        /// Reports claimed at a time.
        #[arg(long, default_value_t = 64)]
        batch: usize,
        /// Seconds a claim lasts before another worker may take it over.
        #[arg(long, default_value_t = 300)]
        lease: u64,
        /// Seconds between polls when idle.
        #[arg(long, default_value_t = 5)]
        poll: u64,
        #[arg(long)]
        json: bool,
    },
    /// Run the per-report pipeline on one input without storing it, and print what was found.
    Analyse {
        /// A file, or - for stdin.
        input: PathBuf,
        #[arg(long)]
        json: bool,
        /// Publication date to use when the input has none (RFC 3339 or YYYY-MM-DD).
        #[arg(long)]
        published: Option<String>,
    },
    /// List stored reports, newest first.
    Reports {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        limit: Option<usize>,
        /// Only reports of this outlet (name or domain).
        #[arg(long)]
        outlet: Option<String>,
    },
    /// Events merged across reports, in time order: PLOVER type, actors → recipients, and
    /// reports, outlets and independent origins counted apart.
    Timeline {
        /// Only events of this story (see `dossier stories`).
        #[arg(long)]
        story: Option<usize>,
        /// Only events where an actor or recipient name or code contains this text.
        #[arg(long)]
        actor: Option<String>,
        /// Only events on or after / before or on this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// Show each mention with its chain.
        #[arg(long)]
        mentions: bool,
        /// One JSON object per merged event.
        #[arg(long)]
        json: bool,
    },
    /// The provenance tree of a merged event, a claim (REPORT:cN), a report, or the claims whose
    /// sentence holds TEXT: down to the independent origins, with each link's evidence
    /// sentence, the counts, the grade's reasons and the contradictions.
    Trace {
        /// An event id (ev…), a claim id (REPORT:cN), a report id, or words of a sentence.
        #[arg(required = true)]
        what: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Undo a merge: take a claim, or a report's mentions, out of a merged event and keep them
    /// apart from its other mentions from now on (kept in the store; `--list` shows every split,
    /// `--undo N` removes one).
    Split {
        /// The merged event (ev…), as `timeline` prints it.
        #[arg(required_unless_present_any = ["list", "undo"])]
        event: Option<String>,
        /// The claim to take out (REPORT:cN, as `trace` prints it).
        #[arg(long, conflicts_with = "report")]
        claim: Option<String>,
        /// Take out every mention from this report.
        #[arg(long)]
        report: Option<String>,
        /// Why (kept with the split and shown in the event's `why`).
        #[arg(long, default_value = "")]
        reason: String,
        /// List the splits.
        #[arg(long, conflicts_with_all = ["event", "undo"])]
        list: bool,
        /// Remove split number N (as listed).
        #[arg(long, conflicts_with = "event")]
        undo: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// A dossier page about a person, organisation or place: aliases, roles over time, events,
    /// quotes by them, places reported, contradictions.
    Actor {
        #[arg(required = true)]
        name: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Stories across the stored reports (clusters of reports about one happening), with
    /// reports, outlets and reports left after collapsing copies counted apart; copies and
    /// rewrites found between reports; entities named across reports.
    Stories {
        /// Print the whole cross-report record (reports, stories, copies, entities) as JSON.
        #[arg(long)]
        json: bool,
        /// Stories with fewer reports are left out of the readable listing.
        #[arg(long, default_value_t = 1)]
        min_reports: usize,
    },
    /// Full-text search over claims (their text and their attribution chain, so a source's name
    /// finds what it said) and over reports (title and text); every word must match. `--json`
    /// prints one object per line, each with `kind` "claim" or "report".
    Search {
        /// The words (every one must match).
        #[arg(required = true)]
        text: Vec<String>,
        /// What to search: claims, reports, or both.
        #[arg(long = "in", default_value = "all", value_parser = ["all", "claims", "reports"])]
        within: String,
        /// At most this many hits of each kind.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one stored report: its text with its blocks and metadata.
    Show {
        id: String,
        #[arg(long)]
        revision: Option<i64>,
        #[arg(long)]
        json: bool,
        /// Print the raw input bytes as stored.
        #[arg(long, conflicts_with = "json")]
        raw: bool,
    },
    /// Serve the HTTP JSON API (see /api/openapi.json). Prints the bound address first.
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Token required for writes (Authorization: Bearer TOKEN); needed off loopback.
        #[arg(long, env = "DOSSIER_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Largest request body for POST /api/ingest, in bytes.
        #[arg(long, default_value_t = 32 * 1024 * 1024)]
        max_body: usize,
        /// Store connections serving requests at once.
        #[arg(long, default_value_t = 4)]
        connections: usize,
    },
    /// Export the record, streaming, to stdout or a file.
    Export {
        /// Output format: jsonl (every record as {"type": ..., "data": ...} lines), events-tsv and
        /// mentions-tsv (GDELT-like tables), plover (POLECAT-style JSON lines), prov-json (W3C
        /// PROV of the provenance graph), gexf or graphml (graphs for Gephi), ftm
        /// (FollowTheMoney entities for Aleph).
        #[arg(long, default_value = "jsonl")]
        format: String,
        /// For gexf and graphml: the graph of actors (events between them) or of sources
        /// (reports, outlets, sources and origins, with cites, copies and credits).
        #[arg(long)]
        graph: Option<String>,
        /// Write here instead of stdout (written to PATH.partial, then renamed).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check the store's integrity and print its counts.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Score a stage on a shared data set, beside the published anchors.
    Eval {
        /// Suite name, or `all`; `dossier eval list` lists them.
        suite: String,
        /// The shared data folder.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.verbose);
    if let Err(e) = load_ratings(&cli.ratings) {
        eprintln!("dossier: error: {e}");
        return ExitCode::from(2);
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("dossier: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Load the outlet ratings files (later files over earlier ones) for grading. Bad rows are
/// reported and skipped; an unreadable file is an error naming it.
fn load_ratings(paths: &[PathBuf]) -> Result<()> {
    let Some((first, rest)) = paths.split_first() else {
        return Ok(());
    };
    let mut problems: Vec<String> = Vec::new();
    let (mut ratings, p) = dossier_grade::Ratings::load(first)?;
    problems.extend(p.iter().map(|p| p.to_string()));
    for path in rest {
        let (more, p) = dossier_grade::Ratings::load(path)?;
        problems.extend(p.iter().map(|p| p.to_string()));
        ratings.overlay(more);
    }
    if !problems.is_empty() {
        tracing::warn!(
            "{} bad row(s) in the ratings skipped; first: {}",
            problems.len(),
            problems[0]
        );
    }
    pipeline::link::set_ratings(ratings, problems);
    Ok(())
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_tracing(verbose: u8) {
    let default = match verbose {
        0 => "warn,html5ever=error",
        1 => "info,html5ever=error",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true)
        .init();
}

fn open_store(spec: &str) -> Result<Box<dyn Store + Send>> {
    dossier_store::open(spec)
        .with_context(|| format!("opening store {}", dossier_store::display_name(spec)))
}

/// The files of a SQLite store (the database, its write-ahead log and shared memory), so that
/// ingesting the folder the store lives in does not read the store itself.
fn store_files(spec: &str) -> Vec<PathBuf> {
    if spec.starts_with("postgres://")
        || spec.starts_with("postgresql://")
        || spec.starts_with("host=")
    {
        return Vec::new();
    }
    let Ok(db) = std::fs::canonicalize(spec) else {
        return Vec::new();
    };
    let mut files = vec![db.clone()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = db.clone().into_os_string();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}

fn ingest_options(max_bytes: u64, store_spec: &str) -> dossier_ingest::Options {
    dossier_ingest::Options {
        max_bytes,
        skip: store_files(store_spec),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let store_spec = cli
        .store
        .clone()
        .or_else(|| {
            std::env::var("DOSSIER_DATABASE_URL")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| "dossier.db".to_string());
    let store_name = dossier_store::display_name(&store_spec);
    match cli.command {
        Command::Worker {
            until_idle,
            batch,
            lease,
            poll,
            json,
        } => {
            let mut store = open_store(&store_spec)?;
            let opts = pipeline::WorkOptions {
                batch: batch.max(1),
                lease: std::time::Duration::from_secs(lease),
                until_idle,
                poll: std::time::Duration::from_secs(poll.max(1)),
                ..Default::default()
            };
            let summary = pipeline::work(&mut *store, &opts)?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer(&mut out, &summary)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "analysed {}, lost claims {}, pending {} ({:.2} s, rules {})",
                    summary.analysed,
                    summary.lost_claims,
                    summary.pending,
                    summary.seconds,
                    pipeline::ANALYSER_VERSION
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Follow {
            sources,
            every,
            once,
            json,
            max_bytes,
        } => {
            let mut store = open_store(&store_spec)?;
            let mut feeds: Vec<_> = sources
                .into_iter()
                .map(pipeline::continuous::Followed::new)
                .collect();
            let mut any_rejected = false;
            pipeline::continuous::follow(
                &mut *store,
                &mut feeds,
                &ingest_options(max_bytes, &store_spec),
                every,
                once,
                Default::default(),
                &mut |r| {
                    any_rejected |= !r.summary.rejected.is_empty();
                    print_round(r, json, &store_name);
                },
            )?;
            Ok(if any_rejected {
                ExitCode::from(EXIT_REJECTED)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Ingest {
            watch: true,
            paths,
            json,
            max_bytes,
            every,
            ..
        } => {
            let mut store = open_store(&store_spec)?;
            pipeline::continuous::watch(
                &mut *store,
                &paths,
                &ingest_options(max_bytes, &store_spec),
                every,
                Default::default(),
                &mut |r| print_round(r, json, &store_name),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest {
            paths,
            json,
            max_bytes,
            quiet,
            no_analyse,
            ..
        } => {
            let mut store = open_store(&store_spec)?;
            let mut progress = Bar::new(quiet || json);
            let summary = pipeline::ingest(
                &mut *store,
                paths,
                ingest_options(max_bytes, &store_spec),
                &mut progress,
            )?;
            let work = if no_analyse {
                None
            } else {
                progress.bar.set_message("analysing");
                Some(pipeline::work(
                    &mut *store,
                    &pipeline::WorkOptions::default(),
                )?)
            };
            progress.bar.finish_and_clear();
            let mut out = std::io::stdout().lock();
            if json {
                let mut v = serde_json::to_value(&summary)?;
                if let Some(w) = &work {
                    v["analysed"] = w.analysed.into();
                }
                serde_json::to_writer(&mut out, &v)?;
                writeln!(out)?;
            } else {
                print_summary(&mut out, &summary, &store_name)?;
                if let Some(w) = &work {
                    writeln!(out, "analysed {} reports ({:.2} s)", w.analysed, w.seconds)?;
                }
            }
            Ok(if summary.rejected.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_REJECTED)
            })
        }
        Command::Analyse {
            input,
            json,
            published,
        } => analyse(input, json, published),
        Command::Reports {
            json,
            limit,
            outlet,
        } => {
            let store = open_store(&store_spec)?;
            let list = store.list_reports(&ListQuery { limit, outlet })?;
            let mut out = std::io::stdout().lock();
            if json {
                for r in &list {
                    serde_json::to_writer(&mut out, r)?;
                    writeln!(out)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            let stats = store.stats()?;
            writeln!(
                out,
                "{} reports ({} revisions) from {} outlets in {}",
                stats.reports, stats.revisions, stats.outlets, store_name
            )?;
            for r in &list {
                let date = r
                    .published
                    .as_deref()
                    .map(|d| &d[..d.len().min(16)])
                    .unwrap_or("(undated)");
                let outlet = r
                    .outlet
                    .as_deref()
                    .or(r.outlet_domain.as_deref())
                    .unwrap_or("-");
                let title = r.title.as_deref().unwrap_or("(untitled)");
                let flag = if r.is_article {
                    ""
                } else {
                    "  [not an article]"
                };
                writeln!(
                    out,
                    "{date:<16}  {}  {:<24}  {}{flag}",
                    r.id,
                    ellipsis(outlet, 24),
                    ellipsis(title, 80)
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline {
            story,
            actor,
            from,
            to,
            mentions,
            json,
        } => {
            let store = open_store(&store_spec)?;
            let rec = pipeline::link(store.as_ref())?;
            let events = pipeline::query::timeline(
                &rec,
                &pipeline::query::TimelineFilter {
                    story,
                    actor,
                    from,
                    to,
                },
            );
            let mut out = std::io::stdout().lock();
            if json {
                for e in &events {
                    serde_json::to_writer(&mut out, e)?;
                    writeln!(out)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            writeln!(
                out,
                "{} merged events from {} reports",
                events.len(),
                rec.reports.len()
            )?;
            let who = |v: &[(String, String)]| {
                if v.is_empty() {
                    "-".to_string()
                } else {
                    v.iter()
                        .map(|(c, n)| format!("{n} [{c}]"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            for e in events {
                writeln!(
                    out,
                    "{:<10}{} {:<3}{:<9} {} → {}{}   reports {} outlets {} origins {}{}{}{}   {}",
                    e.time.as_deref().unwrap_or("undated"),
                    if e.time_from == "text" { " " } else { "*" },
                    e.grade.code,
                    e.plover_type,
                    who(&e.actors),
                    who(&e.recipients),
                    e.place
                        .as_deref()
                        .map(|p| format!(" @ {p}"))
                        .unwrap_or_default(),
                    e.reports,
                    e.outlets,
                    e.origins,
                    if e.opaque_origins > 0 {
                        format!(" (+{} opaque)", e.opaque_origins)
                    } else {
                        String::new()
                    },
                    if e.negated > 0 {
                        format!("  negated in {}", e.negated)
                    } else {
                        String::new()
                    },
                    match e.contradictions.len() {
                        0 => String::new(),
                        1 => "  1 contradiction".to_string(),
                        n => format!("  {n} contradictions"),
                    },
                    e.id,
                )?;
                if mentions {
                    for r in &e.grade.reasons {
                        writeln!(out, "      grade {}: {r}", e.grade.code)?;
                    }
                    for c in &e.contradictions {
                        writeln!(
                            out,
                            "      contradiction ({}): {} vs {}\n        {}: \"{}\"\n        {}: \"{}\"",
                            c.slot,
                            c.a_value,
                            c.b_value,
                            c.a.report,
                            ellipsis(&c.a.text, 140),
                            c.b.report,
                            ellipsis(&c.b.text, 140)
                        )?;
                    }
                    for m in &e.mentions {
                        writeln!(
                            out,
                            "      {} {} [{}]: {}\n        \"{}\"",
                            m.claim.as_deref().unwrap_or(&m.report),
                            m.outlet,
                            m.grade.as_ref().map(|g| g.code.as_str()).unwrap_or("-"),
                            m.chain.join(" → "),
                            ellipsis(&m.sentence, 160)
                        )?;
                    }
                }
            }
            writeln!(out, "(* day of publication: the text gives no date)")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stories { json, min_reports } => {
            let store = open_store(&store_spec)?;
            let rec = pipeline::link(store.as_ref())?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer(&mut out, &rec)?;
                writeln!(out)?;
                return Ok(ExitCode::SUCCESS);
            }
            print_stories(&mut out, &rec, min_reports)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            text,
            within,
            limit,
            json,
        } => {
            let store = open_store(&store_spec)?;
            let text = text.join(" ");
            let claims = if within != "reports" {
                store.search_claims(&text, limit)?
            } else {
                Vec::new()
            };
            let reports = if within != "claims" {
                store.search(&text, limit)?
            } else {
                Vec::new()
            };
            let mut out = std::io::stdout().lock();
            if json {
                for h in &claims {
                    let mut v = serde_json::to_value(h)?;
                    v["kind"] = "claim".into();
                    serde_json::to_writer(&mut out, &v)?;
                    writeln!(out)?;
                }
                for h in &reports {
                    let mut v = serde_json::to_value(h)?;
                    v["kind"] = "report".into();
                    serde_json::to_writer(&mut out, &v)?;
                    writeln!(out)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            if within != "reports" {
                writeln!(out, "claims: {}", claims.len())?;
                for h in &claims {
                    writeln!(
                        out,
                        "  {}  [{}]  {}\n      {}",
                        h.id,
                        h.claim.commitment,
                        ellipsis(&h.claim.chain, 90),
                        h.snippet.replace('\n', " ")
                    )?;
                }
            }
            if within != "claims" {
                writeln!(out, "reports: {}", reports.len())?;
                for h in &reports {
                    let s = &h.summary;
                    writeln!(
                        out,
                        "  {}  {}  {}\n      {}",
                        s.id,
                        ellipsis(
                            s.outlet
                                .as_deref()
                                .or(s.outlet_domain.as_deref())
                                .unwrap_or("-"),
                            24
                        ),
                        ellipsis(s.title.as_deref().unwrap_or("(untitled)"), 80),
                        h.snippet.replace('\n', " ")
                    )?;
                }
            }
            if claims.is_empty() && reports.is_empty() {
                writeln!(out, "nothing matches {text:?}")?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show {
            id,
            revision,
            json,
            raw,
        } => {
            let store = open_store(&store_spec)?;
            let id = ReportId(id);
            let Some(r) = store.report(&id, revision)? else {
                bail!(
                    "no report {id}{}",
                    revision
                        .map(|r| format!(" revision {r}"))
                        .unwrap_or_default()
                );
            };
            let mut out = std::io::stdout().lock();
            if raw {
                let bytes = store.raw(&id, r.revision)?.unwrap_or_default();
                out.write_all(&bytes)?;
            } else {
                let analysis: Option<pipeline::Analysis> = store
                    .analysis(&id, r.revision)?
                    .and_then(|(_, j)| serde_json::from_str(&j).ok());
                if json {
                    let mut v = serde_json::to_value(&r)?;
                    v["analysis"] = serde_json::to_value(&analysis)?;
                    serde_json::to_writer_pretty(&mut out, &v)?;
                    writeln!(out)?;
                } else {
                    writeln!(
                        out,
                        "{} revision {}/{}  from {}",
                        r.id, r.revision, r.revisions, r.origin
                    )?;
                    print_document(&mut out, &r.document, r.url.as_deref())?;
                    match &analysis {
                        Some(a) => print_analysis(&mut out, &r.document, a)?,
                        None => writeln!(out, "not analysed yet (run dossier worker)")?,
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            addr,
            token,
            max_body,
            connections,
        } => {
            // One connection per request handler at a time: readers run side by side.
            let stores = (0..connections.max(1))
                .map(|_| open_store(&store_spec))
                .collect::<Result<Vec<_>>>()?;
            let config = dossier_server::Config {
                token: token.filter(|t| !t.is_empty()),
                max_body,
                max_document: max_body as u64,
            };
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            rt.block_on(dossier_server::serve(
                addr,
                std::sync::Arc::new(dossier_server::StorePool::new(stores)),
                config,
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { format, graph, out } => {
            let mut format: dossier_export::Format = format.parse()?;
            if let Some(g) = graph {
                format = format.with_graph(g.parse()?);
            }
            let store = open_store(&store_spec)?;
            let bar = if std::io::stderr().is_terminal() {
                ProgressBar::new_spinner()
            } else {
                ProgressBar::hidden()
            };
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {pos} records ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message("linking reports");
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            let rec = pipeline::link(store.as_ref())?;
            bar.set_message(format!("exporting {}", format.name()));
            let mut tick = |n: usize| bar.set_position(n as u64);
            let summary = match &out {
                Some(path) => {
                    let partial = path.with_extension("partial");
                    let file = std::fs::File::create(&partial)
                        .with_context(|| format!("creating {}", partial.display()))?;
                    let mut w = std::io::BufWriter::new(file);
                    let s = dossier_export::export_with(format, &*store, &rec, &mut w, &mut tick)?;
                    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                    std::fs::rename(&partial, path)?;
                    s
                }
                None => {
                    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                    let s = dossier_export::export_with(format, &*store, &rec, &mut w, &mut tick)?;
                    w.flush()?;
                    s
                }
            };
            bar.finish_and_clear();
            eprintln!(
                "exported {} records ({} reports) as {}",
                summary.records, summary.reports, summary.format
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Trace { what, json } => {
            let store = open_store(&store_spec)?;
            let rec = pipeline::link(store.as_ref())?;
            let t = pipeline::query::trace(store.as_ref(), &rec, &what.join(" "))?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer(&mut out, &t)?;
                writeln!(out)?;
            } else {
                write!(out, "{}", pipeline::query::render_trace(&t))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Split {
            event,
            claim,
            report,
            reason,
            list,
            undo,
            json,
        } => {
            use pipeline::split;
            let mut store = open_store(&store_spec)?;
            let mut out = std::io::stdout().lock();
            if list {
                let (s, _) = split::load(store.as_ref())?;
                if json {
                    for sp in &s.splits {
                        serde_json::to_writer(&mut out, sp)?;
                        writeln!(out)?;
                    }
                } else if s.splits.is_empty() {
                    writeln!(out, "no splits")?;
                } else {
                    for (i, sp) in s.splits.iter().enumerate() {
                        writeln!(
                            out,
                            "#{}  {}  {}  {}\n    took {} apart from {}{}",
                            i + 1,
                            sp.at,
                            sp.event,
                            sp.label,
                            sp.taken.join(", "),
                            sp.from.join(", "),
                            if sp.reason.is_empty() {
                                String::new()
                            } else {
                                format!("\n    because: {}", sp.reason)
                            }
                        )?;
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let (done, verb) = if let Some(n) = undo {
                (split::unsplit(store.as_mut(), n)?, "undid")
            } else {
                let event = event.context("say which event to split")?;
                let take = match (claim, report) {
                    (Some(c), _) => split::Take::Claim(c),
                    (None, Some(r)) => split::Take::Report(r),
                    (None, None) => {
                        bail!("say what to take out: --claim REPORT:cN or --report REPORT")
                    }
                };
                let rec = pipeline::link(store.as_ref())?;
                (
                    split::split(store.as_mut(), &rec, &event, &take, &reason)?,
                    "split",
                )
            };
            if json {
                serde_json::to_writer(&mut out, &done)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{verb} {}: {} apart from {}",
                    done.event,
                    done.taken.join(", "),
                    done.from.join(", ")
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Actor { name, json } => {
            let store = open_store(&store_spec)?;
            let rec = pipeline::link(store.as_ref())?;
            let page = pipeline::query::actor(store.as_ref(), &rec, &name.join(" "))?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer(&mut out, &page)?;
                writeln!(out)?;
            } else {
                write!(out, "{}", pipeline::query::render_actor(&page))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { json } => {
            let store = open_store(&store_spec)?;
            let integrity = store.check()?;
            let stats = store.stats()?;
            let mut out = std::io::stdout().lock();
            if json {
                let mut v = serde_json::to_value(&stats)?;
                v["integrity"] = integrity.clone().into();
                v["schema"] = dossier_store::SCHEMA_VERSION.into();
                serde_json::to_writer(&mut out, &v)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{}: integrity {integrity}; {} reports, {} revisions, {} outlets, {:.1} MB raw input",
                    store_name,
                    stats.reports,
                    stats.revisions,
                    stats.outlets,
                    stats.raw_bytes as f64 / 1e6
                )?;
            }
            Ok(if integrity == "ok" {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Eval { suite, data, json } => {
            let mut out = std::io::stdout().lock();
            if suite == "list" {
                for s in dossier_eval::suites() {
                    writeln!(out, "{:<24} {}", s.name, s.about)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            let scores = dossier_eval::run(&suite, &data)?;
            if json {
                for s in &scores {
                    serde_json::to_writer(&mut out, s)?;
                    writeln!(out)?;
                }
            } else {
                writeln!(
                    out,
                    "{:<28} {:<34} {:>8} {:>6}  anchors",
                    "suite", "metric", "dossier", "n"
                )?;
                for s in &scores {
                    let anchors: Vec<String> = s
                        .anchors
                        .iter()
                        .map(|(k, v)| format!("{k} {}", fmt_num(*v)))
                        .collect();
                    writeln!(
                        out,
                        "{:<28} {:<34} {:>8} {:>6}  {}",
                        s.suite,
                        s.metric,
                        fmt_num(s.value),
                        s.n,
                        anchors.join(", ")
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn fmt_num(v: f64) -> String {
    if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

fn analyse(input: PathBuf, json: bool, published: Option<String>) -> Result<ExitCode> {
    let published = published
        .map(|p| {
            dossier_ingest::jsonl::parse_date(&p).with_context(|| {
                format!("--published {p:?} is not a date (use 2025-06-14 or RFC 3339)")
            })
        })
        .transpose()?;
    let mut raws: Vec<RawReport> = Vec::new();
    let mut rejected = Vec::new();
    dossier_ingest::read_paths(&[input], &Default::default(), &mut |item| match item {
        dossier_ingest::Item::Raw(r) => raws.push(*r),
        dossier_ingest::Item::Rejected(r) => rejected.push(r),
        dossier_ingest::Item::Skipped => {}
    });
    let mut reports = Vec::new();
    for mut raw in raws {
        if raw.published.is_none() {
            raw.published = published;
        }
        match pipeline::build(raw) {
            Ok(n) => {
                let analysis = pipeline::analyse(&n.report.document);
                reports.push((n.report, analysis));
            }
            Err(r) => rejected.push(r),
        }
    }
    let mut out = std::io::stdout().lock();
    if json {
        let reports: Vec<serde_json::Value> = reports
            .iter()
            .map(|(r, a)| {
                let mut v = serde_json::to_value(r)?;
                v["analysis"] = serde_json::to_value(a)?;
                Ok(v)
            })
            .collect::<Result<_, serde_json::Error>>()?;
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({ "reports": reports, "rejected": rejected }),
        )?;
        writeln!(out)?;
    } else {
        for (r, a) in &reports {
            writeln!(out, "== {}  from {}", r.id, r.origin)?;
            print_document(&mut out, &r.document, r.url.as_deref())?;
            print_analysis(&mut out, &r.document, a)?;
            writeln!(out)?;
        }
        for r in &rejected {
            writeln!(out, "rejected: {}: {}", r.input, r.reason)?;
        }
    }
    Ok(if rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REJECTED)
    })
}

fn print_document(
    out: &mut impl Write,
    d: &dossier_core::Document,
    url: Option<&str>,
) -> Result<()> {
    let m = &d.metadata;
    let line = |label: &str, v: Option<String>| {
        v.map(|v| format!("{label:<10} {v}\n")).unwrap_or_default()
    };
    write!(out, "{}", line("title", d.title().map(str::to_string)))?;
    write!(out, "{}", line("url", url.map(str::to_string)))?;
    write!(
        out,
        "{}",
        line("outlet", m.outlet.label().map(str::to_string))
    )?;
    if !m.authors.is_empty() {
        let a: Vec<&str> = m.authors.iter().map(|a| a.value.as_str()).collect();
        writeln!(out, "{:<10} {}", "authors", a.join("; "))?;
    }
    if !m.credits.is_empty() {
        let a: Vec<&str> = m.credits.iter().map(|a| a.value.as_str()).collect();
        writeln!(out, "{:<10} {}", "credits", a.join("; "))?;
    }
    write!(
        out,
        "{}",
        line(
            "published",
            m.published
                .as_ref()
                .map(|p| format!("{} ({:?})", p.value.to_rfc3339(), p.signal))
        )
    )?;
    write!(
        out,
        "{}",
        line(
            "modified",
            m.modified
                .as_ref()
                .map(|p| format!("{} ({:?})", p.value.to_rfc3339(), p.signal))
        )
    )?;
    write!(
        out,
        "{}",
        line("language", m.language.as_ref().map(|l| l.value.clone()))
    )?;
    if !d.is_article {
        writeln!(
            out,
            "{:<10} not an article: {}",
            "note",
            d.not_article_reason.as_deref().unwrap_or("unknown reason")
        )?;
    }
    writeln!(out)?;
    for b in &d.blocks {
        let label = match b.kind {
            BlockKind::Heading => format!("h{}", b.level),
            k => k.as_str().to_string(),
        };
        let text = d.block_text(b);
        let mark = if b.kind.is_body() { ' ' } else { '~' };
        writeln!(out, "{mark}[{label}] {}", ellipsis(text, 160))?;
    }
    Ok(())
}

fn duration(s: &str) -> Result<std::time::Duration, String> {
    pipeline::continuous::parse_duration(s)
        .ok_or_else(|| format!("{s:?} is not a duration (use e.g. 30s, 15m, 1h)"))
}

/// One round of --watch or follow: a JSON line, or the summary lines.
fn print_round(r: &pipeline::continuous::Round, json: bool, store: &str) {
    let mut out = std::io::stdout().lock();
    let _ = if json {
        serde_json::to_writer(&mut out, r)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        print_summary(&mut out, &r.summary, store)
            .map_err(std::io::Error::other)
            .and_then(|_| {
                writeln!(
                    out,
                    "round {}: {} inputs, analysed {}",
                    r.round, r.inputs, r.analysed
                )
            })
    };
    let _ = out.flush();
}

fn print_analysis(
    out: &mut impl Write,
    _d: &dossier_core::Document,
    a: &pipeline::Analysis,
) -> Result<()> {
    if !a.analysed {
        writeln!(
            out,
            "not analysed: {}",
            a.not_analysed_reason.as_deref().unwrap_or("unknown reason")
        )?;
    }
    if !a.mentions.is_empty() {
        writeln!(
            out,
            "\nentities: {} ({} mentions)",
            a.entities.len(),
            a.mentions.len()
        )?;
        for e in &a.entities {
            let forms: std::collections::BTreeSet<&str> = e
                .mentions
                .iter()
                .filter_map(|&m| a.mentions.get(m))
                .map(|m| m.text.as_str())
                .filter(|t| *t != e.canonical)
                .collect();
            let forms: Vec<&str> = forms.into_iter().collect();
            writeln!(
                out,
                "  {:<13} {}{}",
                format!("{:?}", e.kind).to_lowercase(),
                e.canonical,
                if forms.is_empty() {
                    String::new()
                } else {
                    format!("  (also: {})", forms.join(", "))
                }
            )?;
        }
    }
    if !a.places.is_empty() {
        writeln!(out, "\nplaces: {}", a.places.len())?;
        for p in &a.places {
            writeln!(
                out,
                "  {:>6}  {:<24} {:<22} {} {:>8.3} {:>8.3}{}",
                p.start,
                ellipsis(&p.text, 24),
                ellipsis(&p.name, 22),
                if p.country.is_empty() {
                    "--"
                } else {
                    &p.country
                },
                p.lat,
                p.lon,
                if p.ambiguous { "  (ambiguous)" } else { "" }
            )?;
        }
    }
    if !a.times.is_empty() {
        writeln!(out, "\ntimes: {}", a.times.len())?;
        for t in &a.times {
            let m = t
                .modifier
                .as_ref()
                .map(|m| format!(" ({m:?})"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {:>6}  {:<28} {:?}{m}  \"{}\"",
                t.start,
                t.value,
                t.kind,
                t.text.replace('\n', " ")
            )?;
        }
    }
    if !a.events.is_empty() {
        writeln!(out, "\nevents: {}", a.events.len())?;
        let names = |v: &[dossier_events::Actor]| -> String {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.iter()
                    .map(|x| format!("{} [{}]", x.text, x.code))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        for ce in &a.events {
            let e = &ce.event;
            let claimed = ce
                .claim_index
                .and_then(|c| a.attribution.as_ref()?.claims.get(c))
                .filter(|c| c.attribution.is_some())
                .and_then(|c| a.attribution.as_ref()?.sources.get(c.origin))
                .map(|s| format!("  (claimed by {})", s.name))
                .unwrap_or_default();
            writeln!(
                out,
                "  {:>6}  {:<8} {}{}  {} → {}  \"{}\"{claimed}",
                e.trigger.start,
                e.plover_type.as_deref().unwrap_or("-"),
                e.cameo
                    .as_deref()
                    .map(|c| format!("cameo {c}"))
                    .unwrap_or_default(),
                e.aux_mode
                    .map(|m| format!(" ({m:?})").to_lowercase())
                    .unwrap_or_default(),
                names(&e.actors),
                names(&e.recipients),
                e.trigger_text
            )?;
        }
    }
    if let Some(att) = &a.attribution {
        let anonymous = att.sources.iter().filter(|s| s.anonymous.is_some()).count();
        writeln!(
            out,
            "\nclaims: {} ({} attributions, {} sources, {} anonymous)",
            att.claims.len(),
            att.attributions.len(),
            att.sources.len(),
            anonymous
        )?;
        write!(out, "{}", att.render())?;
    }
    Ok(())
}

fn print_stories(
    out: &mut impl Write,
    rec: &pipeline::LinkRecord,
    min_reports: usize,
) -> Result<()> {
    let titles: std::collections::HashMap<&str, (&str, &str)> = rec
        .reports
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                (
                    r.title.as_deref().unwrap_or("(untitled)"),
                    r.outlet.as_str(),
                ),
            )
        })
        .collect();
    writeln!(
        out,
        "{} stories from {} reports; {} copy or rewrite links; {} entities across reports",
        rec.stories.len(),
        rec.reports.len(),
        rec.copies.len(),
        rec.entities.len()
    )?;
    for s in rec.stories.iter().filter(|s| s.reports >= min_reports) {
        let day = |d: Option<chrono::DateTime<chrono::Utc>>| {
            d.map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "undated".to_string())
        };
        writeln!(
            out,
            "\nstory {}  {} .. {}  reports {}  outlets {}  after collapsing copies {}\n  {}",
            s.id,
            day(s.first),
            day(s.last),
            s.reports,
            s.outlets,
            s.independent_reports,
            ellipsis(&s.title, 100)
        )?;
        if !s.top_entities.is_empty() {
            let names: Vec<String> = s
                .top_entities
                .iter()
                .map(|(n, c)| format!("{n} ({c})"))
                .collect();
            writeln!(out, "  names: {}", names.join(", "))?;
        }
        for m in &s.members {
            let (t, o) = titles.get(m.as_str()).copied().unwrap_or(("?", "?"));
            writeln!(out, "    {m}  {:<24}  {}", ellipsis(o, 24), ellipsis(t, 70))?;
        }
    }
    if !rec.copies.is_empty() {
        writeln!(out, "\ncopies and rewrites (earlier → later):")?;
        for c in &rec.copies {
            writeln!(
                out,
                "  {} → {}  {:?}  score {:.2}  containment {:.2}",
                c.source, c.derived, c.kind, c.score, c.containment
            )?;
        }
    }
    for w in &rec.warnings {
        writeln!(out, "warning: {w}")?;
    }
    Ok(())
}

fn ellipsis(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn print_summary(out: &mut impl Write, s: &Summary, store: &str) -> Result<()> {
    writeln!(
        out,
        "stored {}, revised {}, unchanged {}, skipped {}, rejected {} ({:.1} MB in {:.2} s) into {}",
        s.stored,
        s.revised,
        s.unchanged,
        s.skipped,
        s.rejected.len(),
        s.bytes as f64 / 1e6,
        s.seconds,
        store
    )?;
    for r in &s.rejected {
        writeln!(out, "rejected: {}: {}", r.input, r.reason)?;
    }
    Ok(())
}

/// The terminal progress bar; hidden when stderr is not a terminal or output is JSON.
struct Bar {
    bar: ProgressBar,
    quiet: bool,
}

impl Bar {
    fn new(quiet: bool) -> Self {
        let quiet = quiet || !std::io::stderr().is_terminal();
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .expect("valid template"),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Bar { bar, quiet }
    }
}

impl Progress for Bar {
    fn committed(&mut self, s: &Summary, ids: &[(String, PutOutcome)]) {
        for (id, outcome) in ids {
            tracing::info!(target: "dossier::ack", id = %id, outcome = ?outcome, "committed");
        }
        self.bar.set_message(format!(
            "stored {}, revised {}, unchanged {}, rejected {}, {:.1} MB",
            s.stored,
            s.revised,
            s.unchanged,
            s.rejected.len(),
            s.bytes as f64 / 1e6
        ));
    }

    fn rejected(&mut self, r: &dossier_ingest::Rejection) {
        if !self.quiet {
            self.bar
                .suspend(|| eprintln!("rejected: {}: {}", r.input, r.reason));
        }
    }
}
