//! Evaluation suites. Each suite reads a data set from the shared data folder, runs one stage
//! on it, and scores it with the metric the field publishes for that data, printed beside the
//! published or locally measured anchors (from the data folder's README).

pub mod attribution;
pub mod entities;
pub mod events;
pub mod extraction;
pub mod geo;
pub mod link;
pub mod time;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One figure: our value for a metric on a suite, beside the anchors' values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub suite: String,
    pub metric: String,
    pub value: f64,
    /// Anchor name → its figure on the same data and metric.
    pub anchors: BTreeMap<String, f64>,
    /// How many items the figure is over.
    #[serde(default)]
    pub n: usize,
}

impl Score {
    pub fn new(suite: &str, metric: &str, value: f64, n: usize) -> Self {
        Score {
            suite: suite.to_string(),
            metric: metric.to_string(),
            value,
            anchors: BTreeMap::new(),
            n,
        }
    }

    pub fn anchor(mut self, name: &str, value: f64) -> Self {
        self.anchors.insert(name.to_string(), value);
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("unknown suite {0:?} (known: {1})")]
    UnknownSuite(String, String),
    #[error("data set not found at {0} (pass --data DIR, the shared data folder)")]
    MissingData(PathBuf),
    #[error("{path}: {reason}")]
    BadData { path: PathBuf, reason: String },
    #[error("io error on {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

pub type Result<T> = std::result::Result<T, EvalError>;

/// A suite: a name, what it measures, and how to run it on a data folder.
pub struct Suite {
    pub name: &'static str,
    pub about: &'static str,
    pub run: fn(data: &Path) -> Result<Vec<Score>>,
}

/// Every suite this build knows.
pub fn suites() -> Vec<Suite> {
    vec![
        Suite {
            name: "attribution",
            about: "GUM Wikinews (43 docs, 451 relations): source/cue/content P/R/F, exact and overlap",
            run: attribution::gum,
        },
        Suite {
            name: "geo",
            about: "GeoVirus (229 articles, 2,170 toponyms): acc@161km, AUC, gold and end-to-end; Wagner places",
            run: geo::all,
        },
        Suite {
            name: "events",
            about: "events: PETRARCH unit suite, PLOVER gold (type F1, dyads, confusion), event location, speed",
            run: events::all,
        },
        Suite {
            name: "entities",
            about: "MEANTIME NAM recall (753) and GUM Wikinews named-mention P/R/F per type, sentence starts, MB/s",
            run: entities::all,
        },
        Suite {
            name: "link",
            about: "cross-report: MEANTIME entity B3, ECB+ story BCubed and event CoNLL, RSS-week scale",
            run: link::all,
        },
        Suite {
            name: "extraction",
            about: "every extraction suite below",
            run: extraction::all,
        },
        Suite {
            name: "extraction-aeb",
            about: "article-extraction-benchmark (181 pages): body 4-gram shingle F1",
            run: extraction::aeb,
        },
        Suite {
            name: "extraction-wcxb",
            about: "WCXB dev articles (793 pages): body word F1, titles, authors, dates, ms/page",
            run: extraction::wcxb,
        },
        Suite {
            name: "extraction-fundus",
            about: "Fundus news evaluation (80 articles): body ROUGE-LSum",
            run: extraction::fundus,
        },
        Suite {
            name: "extraction-dates",
            about: "htmldate Media Cloud 2020 (200 pages): publication day P/R/F",
            run: extraction::dates,
        },
        Suite {
            name: "extraction-meta",
            about: "Readability news test pages and Fundus parser fixtures: title, byline, date, body",
            run: extraction::meta,
        },
        Suite {
            name: "time",
            about: "TempEval-3 platinum (138 timexes) and MEANTIME s0-5: strict/relaxed/value F1; Wagner narrative cases; MB/s",
            run: time::all,
        },
    ]
}

/// Run one suite by name (`all` runs every suite).
pub fn run(name: &str, data: &Path) -> Result<Vec<Score>> {
    let all = suites();
    if name == "all" {
        let mut out = Vec::new();
        // Aggregate suites repeat their parts: run the parts only.
        for s in all.iter().filter(|s| !s.about.starts_with("every ")) {
            out.extend((s.run)(data)?);
        }
        return Ok(out);
    }
    match all.iter().find(|s| s.name == name) {
        Some(s) => (s.run)(data),
        None => Err(EvalError::UnknownSuite(
            name.to_string(),
            all.iter().map(|s| s.name).collect::<Vec<_>>().join(", "),
        )),
    }
}

/// Read a file that may be gzip-compressed (by its `.gz` name).
pub fn read_maybe_gz(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let bytes = std::fs::read(path).map_err(|e| EvalError::Io(path.to_path_buf(), e))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| EvalError::Io(path.to_path_buf(), e))?;
        Ok(out)
    } else {
        Ok(bytes)
    }
}

/// Check that a data folder exists.
pub fn require(dir: &Path) -> Result<()> {
    if dir.exists() {
        Ok(())
    } else {
        Err(EvalError::MissingData(dir.to_path_buf()))
    }
}
