//! The human format: each finding drawn by miette with the file, line, column and the quoted
//! source, then a one-line summary.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource};

use crate::lint::fix::Applicability;
use crate::lint::rule::Finding;
use crate::lint::severity::Severity;
use crate::lint::Report;

struct Human<'a> {
    finding: &'a Finding,
    code: String,
    source: NamedSource<Arc<String>>,
}

impl fmt::Debug for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Human<'_> {}

impl Diagnostic for Human<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.finding.help.is_empty())
            .then(|| Box::new(&self.finding.help) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.finding.span;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            None,
            s.start,
            s.len(),
        ))))
    }
}

pub fn write(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let handler = crate::diag::handler(color, 100);
    let mut text = String::new();
    // Findings are sorted by file: each file's text is loaded (read again if the run released
    // it) and masked once, and dropped before the next file's.
    let mut current: Option<(usize, Option<Arc<String>>)> = None;
    for f in &report.findings {
        let file = report.sources.get(f.span.file);
        let source = match &current {
            Some((id, t)) if *id == f.span.file => t.clone(),
            _ => {
                let t = file.load().ok().map(|t| redacted(&t));
                current = Some((f.span.file, t.clone()));
                t
            }
        };
        text.clear();
        match source {
            Some(source) => {
                let h = Human {
                    finding: f,
                    code: format!("{} {}", f.rule.code, f.rule.name),
                    source: NamedSource::new(file.path.clone(), source),
                };
                let _ = handler.render_report(&mut text, &h);
            }
            // The file changed or vanished since it was linted: no quote, the place as text.
            None => {
                let l = f.locate(&report.sources);
                text.push_str(&format!(
                    "{}:{}:{}: {} {} {}\n  help: {}\n",
                    l.path, l.line, l.column, f.severity, f.rule.code, f.message, f.help
                ));
            }
        }
        if let Some(fix) = &f.fix {
            text.push_str(&format!(
                "  fix available ({}): {}\n",
                fix.applicability.as_str(),
                fix.description
            ));
        }
        text.push('\n');
        out.write_all(text.as_bytes())?;
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let files = report.files;
    let plural = |n: usize, word: &str| crate::diag::count(n, word, &format!("{word}s"));
    if report.findings.is_empty() {
        writeln!(out, "no findings in {}", plural(files, "file"))
    } else {
        writeln!(
            out,
            "{} ({}, {}, {}) in {}",
            plural(report.findings.len(), "finding"),
            plural(count(Severity::Error), "error"),
            plural(count(Severity::Warning), "warning"),
            plural(count(Severity::Info), "info"),
            plural(files, "file")
        )?;
        let fixable = |a: Applicability| {
            report
                .findings
                .iter()
                .filter(|f| f.fix.as_ref().is_some_and(|x| x.applicability == a))
                .count()
        };
        let (safe, unsafe_fixes) = (fixable(Applicability::Safe), fixable(Applicability::Unsafe));
        if safe > 0 {
            writeln!(out, "{safe} fixable with `--fix`")?;
        }
        if unsafe_fixes > 0 {
            writeln!(
                out,
                "{unsafe_fixes} more fixable with `--fix --unsafe-fixes` (review them first: `--diff`)"
            )?;
        }
        Ok(())
    }
}

/// The file's text with secret values masked (same length; the policy of
/// [`crate::lint::redact`]), shared when nothing was masked.
fn redacted(text: &Arc<String>) -> Arc<String> {
    match crate::lint::redact::mask(text) {
        std::borrow::Cow::Borrowed(_) => text.clone(),
        std::borrow::Cow::Owned(s) => Arc::new(s),
    }
}
