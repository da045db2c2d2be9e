//! How outputs see a [`Finding`]: json, sarif, github and short are written straight from a
//! [`Located`] finding; human output converts the finding to miette.

use serde::Serialize;

use super::fix::Applicability;
use super::rule::{Finding, Pos};
use super::severity::Severity;
use super::source::SourceStore;

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
    pub applicability: Applicability,
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
