//! The human format: each finding drawn by miette with the file, line, column and the quoted
//! source, then a one-line summary.
//!
//! miette is handed an [`Excerpt`], not the file: the lines it shows, each long line cut to a
//! window around the span (as ruff does), so a finding on a line of megabytes prints a
//! readable line (and miette's padding, a format width limited to 65,535, never overflows),
//! while the header keeps the file's line and column.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceSpan, SpanContents};

use crate::lint::fix::Applicability;
use crate::lint::rule::Finding;
use crate::lint::severity::Severity;
use crate::lint::Report;

struct Human<'a> {
    finding: &'a Finding,
    code: String,
    source: Excerpt,
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
        let (start, end) = self.source.span;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            None,
            start,
            end - start,
        ))))
    }
}

/// Lines longer than this (in characters) are cut to a window around the span.
pub const LONG_LINE: usize = 256;
/// Characters a window shows, and of them at most this many before the span's start.
const WINDOW: usize = 160;
const BEFORE: usize = 60;
/// Lines of a span shown at most (the span is cut at the end of the last).
const SPAN_LINES: usize = 12;
/// Lines around the span that miette shows (its default).
const CONTEXT: usize = 1;

/// What miette quotes of a file for one finding: the span's lines and their context, long lines
/// cut to a window (`…` marks a cut), with the file's line numbers and, in the header, the
/// file's line and column of the span.
struct Excerpt {
    name: String,
    text: String,
    /// The 0-based line of the file where `text` starts.
    first_line: usize,
    /// The span in `text` (byte offsets).
    span: (usize, usize),
    /// The 0-based line and column (in characters) of the span's start in the file.
    line: usize,
    column: usize,
}

impl Excerpt {
    /// The excerpt of `file` for the byte range `start..end` (clamped to the text and to
    /// character boundaries).
    fn new(name: String, file: &str, start: usize, end: usize) -> Excerpt {
        let floor = |mut o: usize| {
            o = o.min(file.len());
            while !file.is_char_boundary(o) {
                o -= 1;
            }
            o
        };
        let start = floor(start);
        let end = floor(end).max(start);
        let starts = crate::lint::source::line_starts(file);
        let line_of = |o: usize| starts.partition_point(|&s| s <= o) - 1;
        let (start_line, end_line) = (line_of(start), line_of(end));
        let shown_end_line = end_line.min(start_line + SPAN_LINES - 1);
        let first = start_line.saturating_sub(CONTEXT);
        let last = (shown_end_line + CONTEXT).min(starts.len() - 1);
        let mut text = String::new();
        let (mut span_start, mut span_end) = (0, 0);
        for l in first..=last {
            let a = starts[l];
            let b = starts.get(l + 1).copied().unwrap_or(file.len());
            let whole = &file[a..b];
            // The line without its terminator (`\n` or `\r\n`), which is kept whole.
            let body = whole
                .strip_suffix('\n')
                .map_or(whole, |b| b.strip_suffix('\r').unwrap_or(b));
            let anchor = if l == start_line {
                start - a
            } else if l == end_line {
                end - a
            } else {
                0
            };
            let (wa, wb) = window(body, anchor.min(body.len()));
            if wa > 0 {
                text.push('…');
            }
            let at = text.len();
            text.push_str(&body[wa..wb]);
            if wb < body.len() {
                text.push('…');
            }
            text.push_str(&whole[body.len()..]);
            // A span's offset on its line, moved into the window when the cut left it out.
            let place = |o: usize| at + (o - a).clamp(wa, wb) - wa;
            if l == start_line {
                span_start = place(start);
            }
            if l == shown_end_line {
                span_end = if l == end_line {
                    place(end)
                } else {
                    at + wb - wa
                };
            }
        }
        Excerpt {
            name,
            line: start_line,
            column: file[starts[start_line]..start].chars().count(),
            text,
            first_line: first,
            span: (span_start, span_end.max(span_start)),
        }
    }
}

/// The byte range of `line` to show: all of it, or a window of [`WINDOW`] characters around
/// the byte offset `anchor` (a character boundary) when the line is longer than [`LONG_LINE`].
fn window(line: &str, anchor: usize) -> (usize, usize) {
    if line.len() <= LONG_LINE {
        return (0, line.len());
    }
    let before = line[..anchor].chars().count();
    let total = before + line[anchor..].chars().count();
    if total <= LONG_LINE {
        return (0, line.len());
    }
    let to = (before.saturating_sub(BEFORE) + WINDOW).min(total);
    let from = to.saturating_sub(WINDOW);
    let byte = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    };
    (byte(from), byte(to))
}

impl miette::SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let got = *inner.span();
        let data = self
            .text
            .as_bytes()
            .get(got.offset()..got.offset() + got.len())
            .ok_or(MietteError::OutOfBounds)?;
        // The header reads the label's own span, without context: the file's place.
        let (line, column) = if span.offset() == self.span.0
            && context_lines_before == 0
            && context_lines_after == 0
        {
            (self.line, self.column)
        } else {
            (self.first_line + inner.line(), inner.column())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            got,
            line,
            column,
            inner.line_count(),
        )))
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
                    source: Excerpt::new(file.path.clone(), &source, f.span.start, f.span.end),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, start: usize, end: usize) -> String {
        let ex = Excerpt::new("f.conf".into(), text, start, end);
        let h = HumanTest { source: ex };
        let mut out = String::new();
        crate::diag::handler(false, 100)
            .render_report(&mut out, &h)
            .unwrap();
        out
    }

    /// A bare diagnostic around an excerpt.
    struct HumanTest {
        source: Excerpt,
    }
    impl fmt::Debug for HumanTest {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("m")
        }
    }
    impl fmt::Display for HumanTest {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("m")
        }
    }
    impl std::error::Error for HumanTest {}
    impl Diagnostic for HumanTest {
        fn source_code(&self) -> Option<&dyn miette::SourceCode> {
            Some(&self.source)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            let (s, e) = self.source.span;
            Some(Box::new(std::iter::once(LabeledSpan::new(None, s, e - s))))
        }
    }

    #[test]
    fn short_lines_are_quoted_whole_with_their_context() {
        let text = "a = 1\nb = 2\nc = 3\nd = 4\n";
        let ex = Excerpt::new("f".into(), text, 12, 13);
        assert_eq!(ex.text, "b = 2\nc = 3\nd = 4\n");
        assert_eq!((ex.first_line, ex.line, ex.column), (1, 2, 0));
        assert_eq!(&ex.text[ex.span.0..ex.span.1], "c");
        let out = render(text, 12, 13);
        assert!(out.contains("[f.conf:3:1]"), "{out}");
        assert!(out.contains(" 3 │ c = 3"), "{out}");
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_span() {
        let long = format!(
            "key = \"{}é{}\" junk",
            "a".repeat(70_000),
            "b".repeat(70_000)
        );
        let text = format!("[x]\n{long}\nnext\n");
        let start = text.find("junk").unwrap();
        let ex = Excerpt::new("f".into(), &text, start, start + 4);
        assert_eq!(&ex.text[ex.span.0..ex.span.1], "junk");
        assert_eq!(ex.line, 1);
        // Characters, not bytes: `é` is two bytes.
        assert_eq!(ex.column, 7 + 70_000 + 1 + 70_000 + 2);
        let shown = ex.text.lines().nth(1).unwrap();
        assert!(shown.starts_with('…') && shown.ends_with("junk"), "{shown}");
        assert!(shown.chars().count() <= WINDOW + 2);
        let out = render(&text, start, start + 4);
        assert!(
            out.contains(&format!("[f.conf:2:{}]", ex.column + 1)),
            "{out}"
        );
        assert!(out.lines().all(|l| l.chars().count() < 200), "{out}");
    }

    #[test]
    fn a_span_across_long_lines_is_cut_at_both_ends() {
        let line = "x".repeat(500);
        let text = format!("{line}\n{line}\r\n{line}");
        let (start, end) = (250, 501 + 502 + 250);
        let ex = Excerpt::new("f".into(), &text, start, end);
        let lines: Vec<&str> = ex.text.split('\n').collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[1].ends_with("…\r"), "{:?}", lines[1]);
        assert!(ex.span.1 > ex.span.0);
        let out = render(&text, start, end);
        assert!(out.contains("[f.conf:1:251]"), "{out}");
    }

    #[test]
    fn spans_at_the_edges_stay_inside_the_text() {
        for text in ["", "\n", "a", "é", "x\r\n", &"y".repeat(300)] {
            for start in 0..=text.len() + 2 {
                for end in [start, start + 1, text.len() + 5] {
                    let ex = Excerpt::new("f".into(), text, start, end);
                    assert!(ex.span.0 <= ex.span.1 && ex.span.1 <= ex.text.len());
                    assert!(ex.text.is_char_boundary(ex.span.0));
                    assert!(ex.text.is_char_boundary(ex.span.1));
                    render(text, start, end);
                }
            }
        }
    }
}
