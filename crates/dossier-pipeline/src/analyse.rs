//! The per-report analysis pipeline and the worker loop that runs it over stored reports.
//!
//! `analyse` is a pure function of one extracted document, so it runs in parallel and can be
//! re-run on stored reports when the rules improve: bumping [`ANALYSER_VERSION`] makes every
//! stored report pending again.

use std::time::{Duration, Instant};

use dossier_core::Document;
use dossier_store::Store;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The version of the analysis rules; stored with each analysis.
pub const ANALYSER_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+a5");

/// Everything the per-report stages found in one report. Spans are byte offsets into the
/// document's clean text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// ISO 639-1 code of the body's language, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// False when the report was not analysed (e.g. not English), with the reason.
    pub analysed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_analysed_reason: Option<String>,
    /// Sentences (byte spans into the clean text), headline or body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<dossier_nlp::Sentence>,
    /// Quotations, which may run across sentences and paragraphs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<dossier_nlp::Quotation>,
    /// Datelines ("MOSCOW (Reuters) -").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datelines: Vec<dossier_nlp::Dateline>,
    /// Named, pronominal and nominal mentions of people, organisations, places and
    /// nationalities, with roles and metonymy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<dossier_nlp::Mention>,
    /// Within-report entities: mentions resolved to one another, with the evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<dossier_nlp::LocalEntity>,
    /// Place mentions geocoded to GeoNames (or our own table of rivers, seas and regions), with
    /// coordinates, the evidence and the runners-up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<dossier_geo::Place>,
    /// Time expressions with TIMEX3 values, anchored on the publication date and on the
    /// narrative; offsets into the clean text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<dossier_time::Timex>,
    /// Political events coded from the body sentences (PLOVER type and mode, CAMEO code, actors
    /// and recipients with country and sector codes), each with the claim that states it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<CodedEvent>,
    /// Sources, attributions (with their chains) and claims; `None` when not analysed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<dossier_attribution::Attributions>,
}

/// Languages the rules are written for.
const SUPPORTED: &[&str] = &["en"];

/// The language of a document: as extraction found it, else detected on the body text.
pub fn language(doc: &Document) -> Option<String> {
    if let Some(l) = &doc.metadata.language {
        return Some(l.value.clone());
    }
    let body = doc.body_text();
    let sample: String = body.chars().take(4000).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && sample.split_whitespace().count() > 3 {
        return None;
    }
    Some(iso639_1(info.lang()).to_string())
}

fn iso639_1(l: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match l {
        Eng => "en",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Ara => "ar",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Tur => "tr",
        Ces => "cs",
        Swe => "sv",
        Dan => "da",
        Fin => "fi",
        Hun => "hu",
        Ell => "el",
        Heb => "he",
        Hin => "hi",
        Tha => "th",
        Vie => "vi",
        Ind => "id",
        Ron => "ro",
        Bul => "bg",
        Bel => "be",
        other => other.code(),
    }
}

/// Analyse one document.
pub fn analyse(doc: &Document) -> Analysis {
    analyse_with(doc, &mut |_| {})
}

/// The per-report stages in the order [`analyse`] runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The language gate.
    Language,
    /// Sentences, mentions and within-report entities (`dossier-nlp`).
    Nlp,
    Time,
    Geo,
    Attribution,
    Events,
}

/// [`analyse`], calling `lap` as each stage ends (a benchmark times the real sequence of stages
/// with it). A report the language gate leaves out ends after [`Stage::Language`].
pub fn analyse_with(doc: &Document, lap: &mut dyn FnMut(Stage)) -> Analysis {
    let language = language(doc);
    lap(Stage::Language);
    if let Some(l) = &language
        && !SUPPORTED.contains(&l.as_str())
    {
        return Analysis {
            not_analysed_reason: Some(format!("language {l} is not supported yet")),
            language,
            analysed: false,
            ..Analysis::default()
        };
    }
    let body: Vec<(usize, usize)> = doc
        .blocks
        .iter()
        .filter(|b| b.kind.is_body())
        .map(|b| (b.span.start, b.span.end))
        .collect();
    let lang = dossier_nlp::analyse(&doc.text, Some(&body));
    lap(Stage::Nlp);
    let spans: Vec<(usize, usize)> = lang.sentences.iter().map(|s| (s.start, s.end)).collect();
    let view = body_view(doc);
    let times = dossier_time::find_times_in(&view, &time_anchor(doc), Some(&spans));
    lap(Stage::Time);
    let toponyms: Vec<dossier_geo::Toponym> = lang
        .mentions
        .iter()
        .filter(|m| {
            m.kind == dossier_nlp::MentionKind::Place && m.form == dossier_nlp::MentionForm::Name
        })
        .map(|m| dossier_geo::Toponym {
            start: m.start,
            end: m.end,
        })
        .collect();
    let places = dossier_geo::geocode(&doc.text, &toponyms, &dossier_geo::Context::default());
    lap(Stage::Geo);
    let (sentences, hints) = dossier_attribution::language_inputs(&lang);
    let attribution = dossier_attribution::attribute(doc, Some(&sentences), Some(&hints));
    lap(Stage::Attribution);
    let events = code_events(doc, &lang.sentences, &attribution);
    lap(Stage::Events);
    Analysis {
        language,
        analysed: true,
        not_analysed_reason: None,
        sentences: lang.sentences,
        quotes: lang.quotes,
        datelines: lang.datelines,
        mentions: lang.mentions,
        entities: lang.entities,
        places,
        times,
        events,
        attribution: Some(attribution),
    }
}

/// An event with the claim (index into the attribution stage's claims) whose span holds its
/// trigger: an event inside reported speech is a claimed event, with that claim's chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedEvent {
    /// Index into the attribution stage's `claims`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_index: Option<usize>,
    #[serde(flatten)]
    pub event: dossier_events::Event,
}

/// The event coder with our own lexicons, built once.
static CODER: std::sync::LazyLock<dossier_events::Coder> =
    std::sync::LazyLock::new(|| dossier_events::Coder::new(None));

fn code_events(
    doc: &Document,
    sentences: &[dossier_nlp::Sentence],
    att: &dossier_attribution::Attributions,
) -> Vec<CodedEvent> {
    let date = doc
        .metadata
        .published
        .as_ref()
        .map(|p| p.value.date_naive());
    let mut out = Vec::new();
    for s in sentences
        .iter()
        .filter(|s| s.kind == dossier_nlp::SentenceKind::Body)
    {
        let Some(text) = doc.text.get(s.start..s.end) else {
            continue;
        };
        let attributions = att
            .claims
            .iter()
            .filter(|c| c.attribution.is_some() && c.span.start < s.end && c.span.end > s.start)
            .map(|c| dossier_events::AttributedSpan {
                start: c.span.start.max(s.start) - s.start,
                end: c.span.end.min(s.end) - s.start,
                source: att
                    .sources
                    .get(c.origin)
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                chain: Some(
                    c.chain
                        .iter()
                        .filter_map(|&i| att.sources.get(i).map(|o| o.name.as_str()))
                        .collect::<Vec<_>>()
                        .join(" → "),
                ),
            })
            .collect();
        let ctx = dossier_events::SentenceContext {
            date,
            offset: s.start,
            attributions,
        };
        for e in CODER.code(text, &ctx) {
            let claim = att
                .claims
                .iter()
                .position(|c| c.span.start <= e.trigger.start && e.trigger.end <= c.span.end);
            out.push(CodedEvent {
                claim_index: claim,
                event: e,
            });
        }
    }
    out
}

/// The clean text with everything but body blocks (title, headings, paragraphs...) blanked out
/// (spaces, newlines kept), so stages see only what the report says while their offsets stay
/// offsets into the clean text.
pub fn body_view(doc: &Document) -> String {
    let mut bytes = doc.text.as_bytes().to_vec();
    let mut keep = vec![false; bytes.len()];
    for b in &doc.blocks {
        if b.kind.is_body() {
            let end = b.span.end.min(bytes.len());
            if b.span.start < end {
                keep[b.span.start..end].fill(true);
            }
        }
    }
    for (byte, kept) in bytes.iter_mut().zip(&keep) {
        if !kept && *byte != b'\n' {
            *byte = b' ';
        }
    }
    // Block spans lie on character boundaries, so blanking whole blocks keeps valid UTF-8; if a
    // span ever did not, fall back to the unblanked text rather than shift offsets.
    String::from_utf8(bytes).unwrap_or_else(|_| doc.text.clone())
}

/// The anchor for time expressions: the publication day in the publication's own offset.
fn time_anchor(doc: &Document) -> dossier_time::Anchor {
    match &doc.metadata.published {
        Some(p) => dossier_time::Anchor {
            dct: Some(p.value.date_naive()),
            tz: Some(*p.value.offset()),
        },
        None => dossier_time::Anchor::default(),
    }
}

/// What a worker run did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WorkSummary {
    /// Analyses stored by this worker.
    pub analysed: usize,
    /// Analyses thrown away because the claim expired and another worker took the report.
    pub lost_claims: usize,
    /// Reports still pending when the run ended.
    pub pending: i64,
    pub seconds: f64,
}

/// Options of the worker loop.
#[derive(Debug, Clone)]
pub struct WorkOptions {
    pub worker: String,
    pub batch: usize,
    pub lease: Duration,
    /// Exit when nothing is left to do; otherwise poll every `poll`.
    pub until_idle: bool,
    pub poll: Duration,
}

impl Default for WorkOptions {
    fn default() -> Self {
        WorkOptions {
            worker: format!("{}-{}", hostname(), std::process::id()),
            batch: 64,
            lease: Duration::from_secs(300),
            until_idle: true,
            poll: Duration::from_secs(5),
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".to_string())
}

/// Claim, analyse (in parallel) and store until idle (or forever, polling).
pub fn work(
    store: &mut dyn Store,
    opts: &WorkOptions,
) -> Result<WorkSummary, dossier_store::StoreError> {
    let start = Instant::now();
    let mut summary = WorkSummary::default();
    // The cross-report stage follows the analyses: after each idle moment, and at least every
    // few seconds while busy.
    let mut linker = crate::link::Updater::default();
    let mut linked_at = Instant::now();
    let mut link_cost = Duration::ZERO;
    let mut unlinked = false;
    // While idle with reports leased by others: since when, and how many were pending then.
    let mut waiting: Option<(Instant, i64)> = None;
    loop {
        let claimed = store.claim_for_analysis(
            &opts.worker,
            ANALYSER_VERSION,
            opts.batch,
            opts.lease.as_secs() as i64,
        )?;
        if claimed.is_empty() {
            if unlinked || linker.leads() {
                // Nothing to analyse: a good moment to save the cross-report state whole. The
                // worker that leads the cross-report stage also folds what others analysed.
                linker.flush(store)?;
                unlinked = false;
                linked_at = Instant::now();
            }
            if opts.until_idle {
                // Idle means nothing pending. What is pending but not claimable is leased by
                // other workers: wait while they make progress, and long enough for the lease
                // of a worker that died to run out, then take its reports over.
                let pending = store.pending_analysis(ANALYSER_VERSION)?;
                if pending == 0 {
                    break;
                }
                let (since, seen) = *waiting.get_or_insert((Instant::now(), pending));
                if pending < seen {
                    waiting = Some((Instant::now(), pending));
                } else if since.elapsed() > opts.lease + Duration::from_secs(2) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(200).min(opts.poll));
                continue;
            }
            std::thread::sleep(opts.poll);
            continue;
        }
        waiting = None;
        let results: Vec<(usize, String, Vec<dossier_store::ClaimText>)> = claimed
            .par_iter()
            .enumerate()
            .map(|(i, c)| {
                let a = analyse(&c.document);
                let claims = claim_texts(&a);
                (
                    i,
                    serde_json::to_string(&a).expect("analysis serialises"),
                    claims,
                )
            })
            .collect();
        for (i, json, claims) in results {
            let c = &claimed[i];
            if store.put_analysis(
                &opts.worker,
                &c.id,
                c.revision,
                ANALYSER_VERSION,
                &json,
                &claims,
            )? {
                summary.analysed += 1;
                tracing::debug!(target: "dossier::ack", id = %c.id, revision = c.revision, "analysed");
            } else {
                summary.lost_claims += 1;
            }
        }
        unlinked = true;
        // While busy, link at most every 10 s, and never spend more than a fifth of the time
        // on it (saving the state grows with the store).
        if linked_at.elapsed() > Duration::from_secs(10).max(link_cost * 5) {
            let t = Instant::now();
            linker.update(store)?;
            link_cost = t.elapsed();
            unlinked = false;
            linked_at = Instant::now();
        }
    }
    if unlinked || linker.leads() {
        // A worker that does not lead leaves the rest to the leader, which folds it before it
        // stops (or took over the lock from one that did).
        linker.flush(store)?;
    }
    linker.release(store)?;
    summary.pending = store.pending_analysis(ANALYSER_VERSION)?;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_core::BlockKind;

    fn doc(text: &str) -> Document {
        let mut d = Document::new();
        d.push_block(BlockKind::Paragraph, 0, text);
        d
    }

    #[test]
    fn english_is_analysed_other_languages_are_marked() {
        let en = analyse(&doc(
            "The delegation arrived in the capital on Sunday and met the president for talks about the ceasefire.",
        ));
        assert_eq!(en.language.as_deref(), Some("en"));
        assert!(en.analysed);
        let pl = analyse(&doc(
            "Delegacja przybyła do stolicy w niedzielę i spotkała się z prezydentem, aby rozmawiać o zawieszeniu broni.",
        ));
        assert_eq!(pl.language.as_deref(), Some("pl"));
        assert!(!pl.analysed);
        assert!(pl.not_analysed_reason.unwrap().contains("pl"));
    }
}

#[cfg(test)]
mod roundtrip {
    use super::*;
    use dossier_core::BlockKind;

    /// What the store keeps must read back: the cross-report pass and `show` deserialise it.
    #[test]
    fn stored_analysis_reads_back() {
        let mut d = Document::new();
        d.push_block(
            BlockKind::Paragraph,
            0,
            "Russian President Vladimir Putin met Belarusian President Alexander Lukashenko in \
             Minsk on June 24, 2023, the Kremlin said. Lukashenko said the talks failed.",
        );
        let a = analyse(&d);
        assert!(!a.events.is_empty() && !a.places.is_empty() && !a.times.is_empty());
        let json = serde_json::to_string(&a).unwrap();
        let back: Analysis = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}

/// An analysis's claims as the store indexes them for search: id (`cN`, as in `REPORT:cN`),
/// span, commitment, text and the attribution chain as labels from the report's own voice to
/// the deepest source.
pub fn claim_texts(a: &Analysis) -> Vec<dossier_store::ClaimText> {
    let Some(att) = &a.attribution else {
        return Vec::new();
    };
    att.claims
        .iter()
        .enumerate()
        .map(|(i, c)| dossier_store::ClaimText {
            claim: format!("c{i}"),
            start: c.span.start as i64,
            end: c.span.end as i64,
            commitment: serde_json::to_value(c.commitment)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            text: c.span.text.split_whitespace().collect::<Vec<_>>().join(" "),
            chain: c
                .chain
                .iter()
                .filter_map(|&s| att.sources.get(s).map(|o| o.name.as_str()))
                .collect::<Vec<_>>()
                .join(" → "),
        })
        .collect()
}
