//! What a run is asked to do ([`Input`]) and what settling keeps of a finding an inline
//! directive suppressed ([`Suppressed`]): read by every step of the engine, so they sit below
//! them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::lint::detect::Kind;
use crate::lint::rule::Finding;

/// What to lint.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub paths: Vec<PathBuf>,
    /// Text read from stdin, with the name it should be linted as.
    pub stdin: Option<(String, String)>,
    /// Force the kind of named files and stdin.
    pub kind: Option<Kind>,
    /// Text to lint instead of a file's content, keyed by the discovered path (`--fix` re-lints
    /// the fixed text before writing it).
    pub overrides: BTreeMap<PathBuf, String>,
    /// Release each file's text once its findings are settled, reading it again only where a
    /// later step needs it (memory stays flat over thousands of files). `--fix` keeps the texts.
    pub release_text: bool,
    /// `--baseline`: findings it holds are not reported ([`Report::baselined`] counts them).
    pub baseline: Option<std::sync::Arc<crate::lint::baseline::Baseline>>,
    /// Keep suppressed and baselined findings in the report (SARIF shows them as such).
    pub keep_suppressed: bool,
    /// `--write-baseline`: collect the baseline key of every finding a baseline can hold.
    pub baseline_keys: bool,
}

/// A finding an inline directive suppressed, kept for SARIF (`suppressions`).
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    /// The directive's reason (SARIF's `justification`).
    pub reason: Option<String>,
}
