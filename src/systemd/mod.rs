//! A span-keeping parser for systemd unit files and drop-ins (sections, repeated keys, `\` line
//! continuations, comments, CRLF), with the word splitting systemd applies to `ExecStart=` and
//! `Environment=`. Render's tests read generated drop-ins back with it, and lint builds on it.

use std::ops::Range;

/// A parsed unit file. Never fails: lines it cannot read are collected in `errors`.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub sections: Vec<Section>,
    /// Lines that are neither a section header, an assignment, a comment nor blank.
    pub errors: Vec<SyntaxError>,
    /// Lines a template fills in (`${unit_options}`, `{{ options }}` alone on a line), as file
    /// ranges: unknown to this parser, which never sets them; lint's parser moves such lines here
    /// from `errors` (`crate::lint::parse::systemd`). A unit with one may hold any setting.
    pub placeholder_lines: Vec<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub name_span: Range<usize>,
    pub entries: Vec<Entry>,
}

/// One `Key=value` assignment.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Value,
}

/// A value with its continuation lines joined, mapping back to byte ranges of the file.
#[derive(Debug, Clone)]
pub struct Value {
    pub text: String,
    /// (offset in `text`, offset in the file, length) of each contiguous piece.
    segments: Vec<(usize, usize, usize)>,
}

impl Value {
    /// The file byte range of `range` (byte offsets into `text`).
    pub fn file_span(&self, range: Range<usize>) -> Range<usize> {
        let map = |pos: usize, end: bool| -> usize {
            for &(v, f, len) in &self.segments {
                if pos >= v && (pos < v + len || (end && pos == v + len)) {
                    return f + (pos - v);
                }
            }
            match self.segments.last() {
                Some(&(_, f, len)) => f + len,
                None => 0,
            }
        };
        let start = map(range.start, false);
        let end = map(range.end, true).max(start);
        start..end
    }

    /// The file byte range of the whole value.
    pub fn span(&self) -> Range<usize> {
        self.file_span(0..self.text.len())
    }
}

impl Unit {
    /// Every entry of `key` in `section`, in file order.
    pub fn entries<'a>(
        &'a self,
        section: &'a str,
        key: &'a str,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        self.sections
            .iter()
            .filter(move |s| s.name == section)
            .flat_map(|s| s.entries.iter())
            .filter(move |e| e.key == key)
    }
}

/// Parse unit file text.
pub fn parse(text: &str) -> Unit {
    let mut unit = Unit::default();
    let mut lines = LineIter::new(text);
    while let Some((start, line)) = lines.next() {
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let content = trimmed.trim_end();
        if content.is_empty() || content.starts_with('#') || content.starts_with(';') {
            continue;
        }
        if content.starts_with('[') {
            if content.ends_with(']') && content.len() >= 2 {
                let name = &content[1..content.len() - 1];
                let s = start + lead + 1;
                unit.sections.push(Section {
                    name: name.to_string(),
                    name_span: s..s + name.len(),
                    entries: Vec::new(),
                });
            } else {
                unit.errors.push(SyntaxError {
                    message: "section header without closing `]`".into(),
                    span: start + lead..start + lead + content.len(),
                });
            }
            continue;
        }
        let Some(eq) = content.find('=') else {
            unit.errors.push(SyntaxError {
                message: "line is not `Key=value`".into(),
                span: start + lead..start + lead + content.len(),
            });
            continue;
        };
        let key = content[..eq].trim_end();
        let key_span = start + lead..start + lead + key.len();
        // The value: after `=` and leading white space, joined over `\` continuations.
        let after = &line[lead + eq + 1..];
        let ws = after.len() - after.trim_start().len();
        let mut value_start = start + lead + eq + 1 + ws;
        let mut piece = after.trim_start();
        let mut text_out = String::new();
        let mut segments = Vec::new();
        loop {
            let body = piece.trim_end();
            if let Some(stripped) = body.strip_suffix('\\') {
                segments.push((text_out.len(), value_start, stripped.len()));
                text_out.push_str(stripped);
                text_out.push(' ');
                // Continuation: comment lines inside are skipped, as systemd does.
                let mut next = None;
                for (s, l) in lines.by_ref() {
                    let t = l.trim_start();
                    if t.starts_with('#') || t.starts_with(';') {
                        continue;
                    }
                    next = Some((s, l));
                    break;
                }
                match next {
                    Some((s, l)) => {
                        let t = l.trim_start();
                        value_start = s + (l.len() - t.len());
                        piece = t;
                    }
                    None => break,
                }
            } else {
                segments.push((text_out.len(), value_start, body.len()));
                text_out.push_str(body);
                break;
            }
        }
        let entry = Entry {
            key: key.to_string(),
            key_span,
            value: Value {
                text: text_out.trim_end().to_string(),
                segments,
            },
        };
        match unit.sections.last_mut() {
            Some(section) => section.entries.push(entry),
            None => unit.errors.push(SyntaxError {
                message: "assignment outside of a section".into(),
                span: entry.key_span.clone(),
            }),
        }
    }
    unit
}

/// Lines of `text` with their start offsets, without the line terminator (`\n` or `\r\n`).
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> LineIter<'a> {
    fn new(text: &'a str) -> Self {
        LineIter { text, pos: 0 }
    }
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        let start = self.pos;
        self.pos += advance;
        Some((start, line))
    }
}

/// One word of a command line or an `Environment=` value, unquoted, with its range in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub range: Range<usize>,
}

/// Split a value into words the way systemd does for `ExecStart=` and `Environment=`: white space
/// separates words, double and single quotes group (anywhere in a word) and are removed, and C-style
/// backslash escapes are resolved. Returns an error message for an unterminated quote.
pub fn split_words(value: &str) -> Result<Vec<Word>, String> {
    split_words_with(value, &|_| None)
}

/// [`split_words`], where `opaque(rest)` gives the length of a run at the start of `rest` that is
/// kept whole and verbatim, blanks, quotes and backslashes included (lint passes template
/// placeholders: a template engine replaces `{{ addr }}` before systemd reads the line).
pub fn split_words_with(
    value: &str,
    opaque: &dyn Fn(&str) -> Option<usize>,
) -> Result<Vec<Word>, String> {
    let mut words = Vec::new();
    let mut i = 0;
    loop {
        while let Some(c) = value[i..].chars().next().filter(|c| c.is_whitespace()) {
            i += c.len_utf8();
        }
        if i >= value.len() {
            break;
        }
        let start = i;
        let mut word = String::new();
        let mut quote: Option<char> = None;
        while let Some(c) = value[i..].chars().next() {
            if let Some(len) = opaque(&value[i..]).filter(|&n| n > 0 && i + n <= value.len()) {
                // `len` is a run of the text: its end is a character boundary unless the caller
                // got it wrong; then the run is not opaque.
                if let Some(run) = value.get(i..i + len) {
                    word.push_str(run);
                    i += len;
                    continue;
                }
            }
            match quote {
                None if c.is_whitespace() => break,
                None if c == '"' || c == '\'' => quote = Some(c),
                Some(q) if c == q => quote = None,
                _ if c == '\\' => {
                    i += 1;
                    if let Some(e) = value[i..].chars().next() {
                        word.push(match e {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            other => other,
                        });
                        i += e.len_utf8();
                    }
                    continue;
                }
                _ => word.push(c),
            }
            i += c.len_utf8();
        }
        if quote.is_some() {
            return Err("unterminated quote".into());
        }
        words.push(Word {
            text: word,
            range: start..i,
        });
    }
    Ok(words)
}

/// An `Environment=` assignment `NAME=value`, with ranges (in the entry's value) of the name and the
/// value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvAssignment {
    pub name: String,
    pub value: String,
    pub word: Word,
}

/// Parse the words of one `Environment=` value into assignments.
pub fn environment(value: &str) -> Result<Vec<EnvAssignment>, String> {
    split_words(value)?
        .into_iter()
        .map(|w| match w.text.split_once('=') {
            Some((name, v)) if !name.is_empty() => Ok(EnvAssignment {
                name: name.to_string(),
                value: v.to_string(),
                word: w,
            }),
            _ => Err(format!("`{}` is not NAME=value", w.text)),
        })
        .collect()
}

/// The merged view systemd builds of a unit and its drop-ins, for the `[Service]` keys etcd cares
/// about: the environment (later assignments win) and the effective `ExecStart=` command (an empty
/// assignment resets the list).
#[derive(Debug, Clone, Default)]
pub struct ServiceView {
    pub environment: Vec<(String, String)>,
    pub exec_start: Option<Vec<String>>,
}

impl ServiceView {
    /// Apply one unit file (the base unit first, then drop-ins in lexical order of file name).
    pub fn apply(&mut self, unit: &Unit) -> Result<(), String> {
        for entry in unit.entries("Service", "Environment") {
            if entry.value.text.is_empty() {
                self.environment.clear();
                continue;
            }
            for a in environment(&entry.value.text)? {
                self.environment.retain(|(n, _)| *n != a.name);
                self.environment.push((a.name, a.value));
            }
        }
        for entry in unit.entries("Service", "ExecStart") {
            if entry.value.text.is_empty() {
                self.exec_start = None;
            } else {
                let words = split_words(&entry.value.text)?;
                self.exec_start = Some(words.into_iter().map(|w| w.text).collect());
            }
        }
        Ok(())
    }

    pub fn env(&self, name: &str) -> Option<&str> {
        self.environment
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_continuations_and_maps_spans_back() {
        let text =
            "[Service]\r\nExecStart=\nExecStart=/bin/etcd \\\n  --name=\"a b\" \\\n  --x=1\n";
        let unit = parse(text);
        let entries: Vec<_> = unit.entries("Service", "ExecStart").collect();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].value.text, "");
        let v = &entries[1].value;
        let words = split_words(&v.text).unwrap();
        assert_eq!(
            words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(),
            ["/bin/etcd", "--name=a b", "--x=1"]
        );
        let span = v.file_span(words[2].range.clone());
        assert_eq!(&text[span], "--x=1");
        let span = v.file_span(words[1].range.clone());
        assert_eq!(&text[span], "--name=\"a b\"");
    }

    #[test]
    fn environment_assignments_and_merge() {
        let base = parse("[Service]\nEnvironment=\"ETCD_NAME=%m\" ETCD_DATA_DIR=/var/lib/etcd\n");
        let drop = parse("[Service]\nEnvironment=\"ETCD_NAME=server1\"\n");
        let mut view = ServiceView::default();
        view.apply(&base).unwrap();
        view.apply(&drop).unwrap();
        assert_eq!(view.env("ETCD_NAME"), Some("server1"));
        assert_eq!(view.env("ETCD_DATA_DIR"), Some("/var/lib/etcd"));
    }

    #[test]
    fn opaque_runs_are_kept_whole_and_verbatim() {
        // A run the caller marks opaque (here `<…>`) keeps its blanks, quotes and backslashes.
        let opaque =
            |rest: &str| -> Option<usize> { rest.strip_prefix('<')?.find('>').map(|i| i + 2) };
        let value = r#"--a=<x "y" \n> "b c" d<e f>g"#;
        let words = split_words_with(value, &opaque).unwrap();
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, [r#"--a=<x "y" \n>"#, "b c", "d<e f>g"]);
        assert_eq!(&value[words[2].range.clone()], "d<e f>g");
        // Without it, systemd's splitting.
        let plain: Vec<String> = split_words(value)
            .unwrap()
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(plain, ["--a=<x", "y", "\n>", "b c", "d<e", "f>g"]);
    }

    #[test]
    fn bad_lines_are_errors_not_panics() {
        let unit = parse("Key=outside\n[Unit\nnonsense\n[Service]\nA=\\");
        assert_eq!(unit.errors.len(), 3);
        assert_eq!(unit.entries("Service", "A").count(), 1);
        assert!(split_words("\"open").is_err());
    }
}
