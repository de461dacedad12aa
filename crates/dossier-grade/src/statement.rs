//! The input records: one statement (a claim of one report about one merged event) with its
//! independent origin and its slot values.

use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;

/// What kind of root a statement's independent origin is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OriginKind {
    /// The reporting outlet's own journalism.
    Outlet,
    /// A wire agency credited by the report (AP, Reuters, AFP...).
    Wire,
    /// A named person or organisation ("Peskov", "the Belarusian presidential press service").
    NamedSource,
    /// An anonymous group, identified by (reporting outlet, descriptor).
    Anonymous,
    /// An unresolvable root ("according to trusted outlets"): never confirms anything.
    Opaque,
    /// A named report or document (an ISW assessment, a ministry statement).
    Report,
}

/// Where a statement was read: the report and the byte span of its sentence(s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub report: String,
    pub span: (usize, usize),
    pub text: String,
}

/// One statement about a merged event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// The claim id.
    pub id: String,
    /// The report it was read in.
    pub report: String,
    /// The reporting outlet's name.
    pub outlet: String,
    /// The reporting outlet's domain, when known.
    #[serde(default)]
    pub domain: Option<String>,
    /// Independent-origin key: statements with the same key share one root (after collapsing
    /// copies and identifying anonymous groups by outlet and descriptor).
    pub origin: String,
    pub origin_kind: OriginKind,
    /// A readable name for the origin ("anonymous sources inside the Kremlin, via Meduza");
    /// the key is shown when absent.
    #[serde(default)]
    pub origin_label: Option<String>,
    /// The origin's domain when it is an outlet, a wire or a publisher with a web site.
    #[serde(default)]
    pub origin_domain: Option<String>,
    /// The statement denies the event (or is denied by its source).
    #[serde(default)]
    pub negated: bool,
    /// Hedged ("reportedly", "may have", "it is believed").
    #[serde(default)]
    pub hedged: bool,
    /// Caveats attached to it ("cannot be independently verified", an editor's note).
    #[serde(default)]
    pub caveats: Vec<String>,
    /// Actor and recipient codes or normalised names.
    #[serde(default)]
    pub participants: Vec<String>,
    /// TIMEX3 value.
    #[serde(default)]
    pub time: Option<String>,
    /// Place (a normalised name, a "place, region, country" path or a gazetteer id).
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub numbers: Vec<Quantity>,
    pub evidence: Evidence,
}

impl Statement {
    /// The origin's readable name.
    pub fn origin_name(&self) -> &str {
        self.origin_label.as_deref().unwrap_or(&self.origin)
    }

    /// Who "says" the statement, for reasons: the outlet for an outlet's or wire's own
    /// reporting, else the origin and the outlet that carries it.
    pub fn speaker(&self) -> String {
        match self.origin_kind {
            OriginKind::Outlet | OriginKind::Wire => self.origin_name().to_string(),
            _ if self.origin_name().eq_ignore_ascii_case(&self.outlet) => self.outlet.clone(),
            _ => format!("{} (in {})", self.origin_name(), self.outlet),
        }
    }

    /// Opaque origins never confirm.
    pub fn is_opaque(&self) -> bool {
        self.origin_kind == OriginKind::Opaque
    }
}
