//! systemd units and drop-ins, through the crate's span-keeping unit parser (`crate::systemd`):
//! `Environment=` assignments and `ExecStart=` words with byte ranges of the file. Template
//! placeholders are unknown values, never a syntax error or a cut: a placeholder's blanks split
//! no word, and a line that is template output is recorded, not an error.

use std::ops::Range;

use crate::lint::placeholder::{is_placeholder_line, mask_statement_lines, placeholder_len};
use crate::systemd::{self, Entry, Unit};

use super::ParseError;

/// Parse a unit or drop-in; template statement lines (`{% if %}`, `<% end %>`) are blanked
/// first (same offsets), so a templated unit parses and those lines carry no entry. A line that
/// is template output (`${unit_options}`, `{{ options }}`) goes to
/// [`Unit::placeholder_lines`], not to the errors: the unit may hold any setting there.
pub fn parse(text: &str) -> Unit {
    let masked = mask_statement_lines(text);
    let mut unit = systemd::parse(&masked);
    let line_at = |pos: usize| -> Option<Range<usize>> {
        let start = masked.get(..pos)?.rfind('\n').map_or(0, |i| i + 1);
        let end = masked[pos..].find('\n').map_or(masked.len(), |i| pos + i);
        let line = &masked[start..end];
        let body = line.trim_start();
        let lead = start + (line.len() - body.len());
        let body = body.trim_end();
        is_placeholder_line(body).then(|| lead..lead + body.len())
    };
    let mut lines = Vec::new();
    unit.errors.retain(|e| match line_at(e.span.start) {
        Some(line) => {
            lines.push(line);
            false
        }
        None => true,
    });
    // A placeholder alone whose expression holds `=` (`{{ opts | default('A=b') }}`) was read
    // as an assignment.
    for section in &mut unit.sections {
        section.entries.retain(|entry| {
            let whole = line_at(entry.key_span.start)
                .filter(|line| placeholder_len(&masked[line.clone()]) == Some(line.len()));
            match whole {
                Some(line) => {
                    lines.push(line);
                    false
                }
                None => true,
            }
        });
    }
    lines.sort_by_key(|l| l.start);
    unit.placeholder_lines = lines;
    unit
}

/// Split a value into words as systemd does, keeping each template placeholder whole.
fn split_words(value: &str) -> Result<Vec<systemd::Word>, String> {
    systemd::split_words_with(value, &placeholder_len)
}

/// One word of an `ExecStart=` or `Environment=` value with its file range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpannedWord {
    pub text: String,
    pub span: Range<usize>,
}

/// One `NAME=value` of an `Environment=` line, with file ranges of the name and of the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpannedAssignment {
    pub name: String,
    pub value: String,
    pub name_span: Range<usize>,
    pub value_span: Range<usize>,
}

/// The first syntax error of a unit, if any.
pub fn first_error(unit: &Unit) -> Option<ParseError> {
    unit.errors
        .first()
        .map(|e| ParseError::new(e.message.clone(), e.span.clone()))
}

/// The words of an entry's value with their file ranges.
pub fn words(entry: &Entry) -> Result<Vec<SpannedWord>, ParseError> {
    let words =
        split_words(&entry.value.text).map_err(|m| ParseError::new(m, entry.value.span()))?;
    Ok(words
        .into_iter()
        .map(|w| SpannedWord {
            span: entry.value.file_span(w.range.clone()),
            text: w.text,
        })
        .collect())
}

/// Whether an `Environment=` entry may set variables lint cannot name: a word that is a
/// placeholder without `=` (`Environment={{ etcd_env }}`) or an assignment whose name is one
/// (`"{{ k }}={{ v }}"` in a template loop).
pub fn sets_unknown_variables(entry: &Entry) -> bool {
    split_words(&entry.value.text).is_ok_and(|words| {
        words.iter().any(|w| match w.text.split_once('=') {
            Some((name, _)) => crate::lint::placeholder::is_placeholder(name),
            None => crate::lint::placeholder::is_placeholder(&w.text),
        })
    })
}

/// The assignments of an `Environment=` entry with their file ranges; a placeholder word
/// without `=` is skipped (see [`sets_unknown_variables`]).
pub fn assignments(entry: &Entry) -> Result<Vec<SpannedAssignment>, ParseError> {
    let mut out = Vec::new();
    for w in split_words(&entry.value.text).map_err(|m| ParseError::new(m, entry.value.span()))? {
        if !w.text.contains('=') && crate::lint::placeholder::is_placeholder(&w.text) {
            continue;
        }
        let Some((name, value)) = w.text.split_once('=') else {
            return Err(ParseError::new(
                format!("`{}` is not NAME=value", w.text),
                entry.value.file_span(w.range.clone()),
            ));
        };
        // The raw word is `NAME=value` or `"NAME=value"`: spans come from the raw word's own
        // offsets (always character boundaries), never from the unescaped lengths, and the closing
        // quote is dropped only when there is one (fuzzing found a span inside a UTF-8 character).
        let raw = &entry.value.text[w.range.clone()];
        let open = raw.chars().next().filter(|c| matches!(c, '"' | '\''));
        let quote = usize::from(open.is_some());
        let closing = usize::from(open.is_some_and(|q| raw.len() > 1 && raw.ends_with(q)));
        let base = w.range.start;
        let end = w.range.end - closing;
        let eq = raw
            .find('=')
            .map_or(end, |i| base + i)
            .clamp(base + quote, end);
        let name_span = entry.value.file_span(base + quote..eq);
        let value_start = (eq + 1).min(end);
        let value_span = entry.value.file_span(value_start..end);
        out.push(SpannedAssignment {
            name: name.to_string(),
            value: value.to_string(),
            name_span,
            value_span,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignment_ranges_point_inside_quotes() {
        let text = "[Service]\nEnvironment=\"ETCD_CERT_FILE=/a.pem\" ETCD_X=1\n";
        let unit = parse(text);
        let entry = unit.entries("Service", "Environment").next().unwrap();
        let a = assignments(entry).unwrap();
        assert_eq!(&text[a[0].name_span.clone()], "ETCD_CERT_FILE");
        assert_eq!(&text[a[0].value_span.clone()], "/a.pem");
        assert_eq!(&text[a[1].value_span.clone()], "1");
    }
}
