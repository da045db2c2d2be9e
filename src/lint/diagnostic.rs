//! The one internal diagnostic of lint: a [`Finding`]. Human output converts it to miette; json,
//! sarif, github and short are written straight from it.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::rule::Rule;
use super::source::{SourceStore, Span};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "`{other}` is not a severity (error, warning, info)"
            )),
        }
    }
}

/// One problem found in one place.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub span: Span,
    /// Lowercase, no final period.
    pub message: String,
    /// What to do about it (a rule's fixed help text is not copied into each finding).
    pub help: std::borrow::Cow<'static, str>,
    /// Edits that resolve it, if the rule can offer them (`tlsgen lint --fix`); boxed, as few
    /// findings have one and a run holds every finding until it sorts them.
    pub fix: Option<Box<super::fix::Fix>>,
    /// Line and column of the span, filled in when the run settles the finding (so outputs need
    /// no text of a file whose text was released).
    pub pos: Option<Pos>,
}

/// 1-based line and character column of a span's start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Pos {
    pub fn of(span: Span, file: &super::source::SourceFile) -> Pos {
        let (line, column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end.max(span.start));
        Pos {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// A finding with its position resolved, as json, sarif, github and short print it.
#[derive(Debug, Clone, Serialize)]
pub struct Located<'a> {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub path: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: &'a str,
    pub help: &'a str,
    /// The fix offered, if any (`null` in json).
    pub fix: Option<FixInfo<'a>>,
}

/// What output formats show of a fix.
#[derive(Debug, Clone, Serialize)]
pub struct FixInfo<'a> {
    pub applicability: super::fix::Applicability,
    pub description: &'a str,
}

impl Finding {
    pub fn locate<'a>(&'a self, sources: &'a SourceStore) -> Located<'a> {
        let file = sources.get(self.span.file);
        let Pos {
            line,
            column,
            end_line,
            end_column,
        } = self.pos.unwrap_or_else(|| Pos::of(self.span, file));
        Located {
            code: self.rule.code,
            name: self.rule.name,
            severity: self.severity,
            path: &file.path,
            line,
            column,
            end_line,
            end_column,
            message: &self.message,
            help: &self.help,
            fix: self.fix.as_ref().map(|f| FixInfo {
                applicability: f.applicability,
                description: &f.description,
            }),
        }
    }
}
