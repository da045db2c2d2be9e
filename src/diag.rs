//! User-facing problems: every error tlsgen reports is a [`Problem`], rendered by miette with the
//! file, line and column of the offending value and a help line.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
};

/// A source file kept in memory so diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: Arc<String>,
    /// Extents of the YAML scalars the parser read, by start offset (see [`Source::record_scalars`]).
    scalars: Arc<OnceLock<BTreeMap<usize, usize>>>,
    /// Byte offset of each line start, built on first use: [`Source::offset`] runs once per
    /// spanned value of a model, and walking from the top each time was quadratic (40% of a
    /// 1,000-host render).
    line_starts: Arc<OnceLock<Vec<usize>>>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: Arc::new(text.into()),
            scalars: Arc::default(),
            line_starts: Arc::default(),
        }
    }

    /// Remember the extent (start offset -> length) of every scalar a YAML parser read from this
    /// text, so [`Source::token_len`] spans a value exactly. The first record wins.
    pub fn record_scalars(&self, extents: BTreeMap<usize, usize>) {
        let _ = self.scalars.set(extents);
    }

    /// Byte offset of a 1-based line and (character) column, clamped to the text.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let text = self.text.as_str();
        let starts = self
            .line_starts
            .get_or_init(|| crate::lint::source::line_starts(text));
        let Some(&start) = starts.get(line.max(1) - 1) else {
            return text.len();
        };
        let rest = &text[start..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let line_text = &rest[..line_end];
        let col = column.max(1) - 1;
        let within = line_text
            .char_indices()
            .nth(col)
            .map(|(i, _)| i)
            .unwrap_or(line_text.len());
        start + within
    }

    /// The extent of the scalar token starting at `offset`: the scalar the parser read there when
    /// it was recorded ([`Source::record_scalars`]); otherwise a quoted string up to its closing
    /// quote, or up to the end of the line, a comment, or a flow separator.
    pub fn token_len(&self, offset: usize) -> usize {
        if let Some(&len) = self.scalars.get().and_then(|m| m.get(&offset)) {
            return len;
        }
        let rest = self.text.len().saturating_sub(offset);
        token_len(&self.text, offset).max(1).min(rest)
    }
}

/// The length of the YAML scalar that starts at `offset` and that a parser read as `value`: a
/// quoted scalar ends at its closing quote (escapes `\"` and `''` skipped, line breaks allowed);
/// a plain scalar is the source text from its start that spells `value`, where a run of
/// whitespace and line breaks in the source stands for a run of spaces or line breaks in the
/// value (line folding). Commas, brackets and braces are part of a block-context plain scalar
/// exactly when the value holds them. `None` when the source does not spell the value (a block
/// scalar `|`/`>`, a tag or anchor first).
pub fn yaml_scalar_len(text: &str, offset: usize, value: &str) -> Option<usize> {
    let rest = text.get(offset..)?;
    let bytes = rest.as_bytes();
    match bytes.first() {
        Some(b'"') => {
            let mut escaped = false;
            for (i, &c) in bytes.iter().enumerate().skip(1) {
                if escaped {
                    escaped = false;
                } else if c == b'\\' {
                    escaped = true;
                } else if c == b'"' {
                    return Some(i + 1);
                }
            }
            None
        }
        Some(b'\'') => {
            let mut i = 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Some(i + 1);
                }
                i += 1;
            }
            None
        }
        Some(b'|' | b'>' | b'!' | b'&' | b'*') => None,
        _ => {
            let is_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
            let mut src = rest.char_indices().peekable();
            let mut val = value.chars().peekable();
            let mut end = 0;
            while let Some(&v) = val.peek() {
                let (i, c) = *src.peek()?;
                if is_ws(v) {
                    if !is_ws(c) {
                        return None;
                    }
                    while val.peek().is_some_and(|&v| is_ws(v)) {
                        val.next();
                    }
                    while src.peek().is_some_and(|&(_, c)| is_ws(c)) {
                        src.next();
                    }
                    continue;
                }
                if c != v {
                    return None;
                }
                src.next();
                val.next();
                end = i + c.len_utf8();
            }
            Some(end)
        }
    }
}

/// Whether a text holds a PEM private key (then no diagnostic quotes it).
pub fn holds_private_key(text: &str) -> bool {
    text.contains("PRIVATE KEY-----")
}

/// The extent of the scalar token at `offset`: a quoted string up to its closing quote, otherwise
/// up to the end of the line, a ` #` comment, or a flow separator (`,`, `]`, `}`).
pub fn token_len(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let rest = &text[offset..];
    let bytes = rest.as_bytes();
    match bytes.first() {
        None => 0,
        Some(&q @ (b'"' | b'\'')) => {
            let mut escaped = false;
            for (i, &c) in bytes.iter().enumerate().skip(1) {
                if c == b'\n' {
                    return i;
                }
                if q == b'"' && c == b'\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    return i + 1;
                }
                escaped = false;
            }
            rest.len()
        }
        Some(_) => {
            let mut end = rest.len();
            for (i, &b) in bytes.iter().enumerate() {
                let comment = b == b'#' && i > 0 && (bytes[i - 1] == b' ' || bytes[i - 1] == b'\t');
                let key_end = b == b':'
                    && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
                if matches!(b, b'\n' | b'\r' | b',' | b'}' | b']') || comment || key_end {
                    end = i;
                    break;
                }
            }
            rest[..end].trim_end().len()
        }
    }
}

/// One problem, with an optional place in an optional source file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Stable code, e.g. `model::duplicate-name`.
    pub code: &'static str,
    pub message: String,
    pub label: String,
    pub help: String,
    pub severity: Severity,
    pub span: Option<(usize, usize)>,
    pub source: Option<Source>,
}

impl Problem {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            code,
            message: message.into(),
            label: String::new(),
            help: String::new(),
            severity: Severity::Error,
            span: None,
            source: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(code, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Point at a byte range of a source.
    pub fn at(mut self, source: &Source, offset: usize, len: usize) -> Self {
        let offset = offset.min(source.text.len());
        let len = len.min(source.text.len() - offset);
        if holds_private_key(&source.text) {
            // Never quote a file that holds a private key: name the place, show no line of it.
            let line = source.text[..offset].matches('\n').count() + 1;
            self.message = format!(
                "{} ({} line {line}; not shown: the file holds a private key)",
                self.message, source.name
            );
            return self;
        }
        self.span = Some((offset, len));
        self.source = Some(source.clone());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.help.is_empty() {
            None
        } else {
            Some(Box::new(&self.help))
        }
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source
            .as_ref()
            .map(|s| s.text.as_ref() as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (offset, len) = self.span?;
        let label = if self.label.is_empty() {
            None
        } else {
            Some(self.label.clone())
        };
        Some(Box::new(std::iter::once(LabeledSpan::new(
            label, offset, len,
        ))))
    }
}

/// How diagnostics are drawn: colours only on a terminal, never with `NO_COLOR`.
pub fn handler(color: bool, width: usize) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme).with_width(width)
}

/// Render problems the way a user sees them (no colour, fixed width): used by the CLI when stderr is
/// not a terminal, and by snapshot tests.
pub fn render_plain(problems: &[Problem]) -> String {
    render_with(&handler(false, 100), problems)
}

pub fn render_with(handler: &GraphicalReportHandler, problems: &[Problem]) -> String {
    let mut out = String::new();
    for p in problems {
        let named;
        let wrapped: &dyn Diagnostic = match &p.source {
            Some(src) => {
                named = WithName {
                    inner: p,
                    named: NamedSource::new(src.name.clone(), src.text.clone()),
                };
                &named
            }
            None => p,
        };
        let _ = handler.render_report(&mut out, wrapped);
        out.push('\n');
    }
    out
}

/// Attaches the file name so miette prints `[path:line:col]`.
struct WithName<'a> {
    inner: &'a Problem,
    named: NamedSource<Arc<String>>,
}

impl fmt::Debug for WithName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}
impl fmt::Display for WithName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}
impl std::error::Error for WithName<'_> {}
impl Diagnostic for WithName<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.help()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.named)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
}

/// The errors a command can end with; each maps to exit code 2.
#[derive(Debug)]
pub enum Error {
    /// One or more problems with the user's input.
    Problems(Vec<Problem>),
}

impl From<Problem> for Error {
    fn from(p: Problem) -> Self {
        Error::Problems(vec![p])
    }
}

impl From<Vec<Problem>> for Error {
    fn from(p: Vec<Problem>) -> Self {
        Error::Problems(p)
    }
}

/// A count with its noun, singular for one: `count(1, "file", "files")` is "1 file". Every
/// message that counts goes through here, so no "1 files" or "1 days" reaches a user.
pub fn count<N>(n: N, one: &str, many: &str) -> String
where
    N: Copy + fmt::Display + PartialEq + From<u8>,
{
    if n == N::from(1) {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A message from a parser in our style: its first letter lowercased when the first word is plain
/// prose (`Expected a value` -> `expected a value`), everything else kept as written, so the
/// names a user wrote (`ETCD_NAME`, `Foo`) and acronyms (`YAML`, `EOF`) survive; a first word
/// that is quoted or holds a digit or `_` is an identifier and stays too. A final period goes.
pub fn parser_message(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let first = message.split_whitespace().next().unwrap_or("");
    let mut chars = first.chars();
    let prose = match chars.next() {
        // One capital and lowercase letters, or the article `A`; `X` alone may be a name.
        Some(c) if c.is_uppercase() => {
            let rest = chars.as_str();
            (!rest.is_empty() && rest.chars().all(char::is_lowercase)) || first == "A"
        }
        _ => false,
    };
    if !prose {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message.chars();
    if let Some(c) = rest.next() {
        out.extend(c.to_lowercase());
    }
    out.extend(rest);
    out
}

/// An I/O failure on a named path, as a problem.
pub fn io_problem(action: &str, path: &std::path::Path, err: &std::io::Error) -> Problem {
    Problem::error("io", format!("cannot {action} {}: {err}", path.display()))
        .with_help("check that the path exists and that you may read and write it")
}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod message_tests {
    use super::{count, parser_message};

    #[test]
    fn counts_take_the_singular_for_one_only() {
        assert_eq!(count(1usize, "file", "files"), "1 file");
        assert_eq!(count(0usize, "file", "files"), "0 files");
        assert_eq!(count(2i64, "day", "days"), "2 days");
        assert_eq!(count(1u32, "match", "matches"), "1 match");
    }

    #[test]
    fn parser_messages_lowercase_only_a_first_word_of_prose() {
        assert_eq!(parser_message("Expected a value."), "expected a value");
        assert_eq!(
            parser_message("`ETCD_NAME` is not NAME=value"),
            "`ETCD_NAME` is not NAME=value"
        );
        assert_eq!(
            parser_message("YAML anchors are not supported here"),
            "YAML anchors are not supported here"
        );
        assert_eq!(parser_message("EOF while parsing"), "EOF while parsing");
        assert_eq!(
            parser_message("Invalid key `Foo` in `Bar`"),
            "invalid key `Foo` in `Bar`"
        );
        assert_eq!(parser_message("A mapping key"), "a mapping key");
        assert_eq!(parser_message("X is not set"), "X is not set");
        assert_eq!(parser_message(""), "");
    }
}
