//! The source store: every file lint reads, read once, owned here; findings point into it by
//! [`Span`] (file id and byte range), and line/column are computed from a line index.

use std::sync::Arc;

/// Index of a file in the [`SourceStore`].
pub type FileId = usize;

/// A byte range of one file of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Self {
        Span {
            file,
            start: range.start,
            end: range.end.max(range.start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// A sub-range of this span, `range` being relative to its start; clamped to the span.
    pub fn sub(&self, range: std::ops::Range<usize>) -> Span {
        let start = (self.start + range.start).min(self.end);
        let end = (self.start + range.end).clamp(start, self.end);
        Span {
            file: self.file,
            start,
            end,
        }
    }
}

/// One file: its display path and text, with the byte offset of each line start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (or `--stdin-filename`), with `/` separators.
    pub path: String,
    pub text: Arc<String>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceFile {
            path,
            text: Arc::new(text),
            line_starts,
        }
    }

    /// Clamp a byte offset to the text and to a character boundary.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// Byte offset of a 1-based line and 1-based character column, clamped to that line.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.max(1) - 1) else {
            return self.text.len();
        };
        let end = self.line_end(start);
        let line_text = &self.text[start..end];
        let within = line_text
            .char_indices()
            .nth(column.max(1) - 1)
            .map(|(i, _)| i)
            .unwrap_or(line_text.len());
        start + within
    }

    /// Byte offset of the end of the line holding `offset` (before `\r\n` or `\n`).
    pub fn line_end(&self, offset: usize) -> usize {
        let offset = self.clamp(offset);
        let rest = &self.text[offset..];
        let mut end = offset + rest.find('\n').unwrap_or(rest.len());
        if end > offset && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        end
    }

    /// The 0-based index of the line holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= self.clamp(offset))
            - 1
    }

    /// The text of 0-based line `index`, without its terminator.
    pub fn line_text(&self, index: usize) -> &str {
        match self.line_starts.get(index) {
            Some(&start) => &self.text[start..self.line_end(start)],
            None => "",
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The text of a byte range, clamped.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let s = self.clamp(start);
        let e = self.clamp(end).max(s);
        &self.text[s..e]
    }
}

/// Every file read during one lint run.
#[derive(Debug, Default)]
pub struct SourceStore {
    files: Vec<SourceFile>,
}

impl SourceStore {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files.push(SourceFile::new(path, text));
        self.files.len() - 1
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    /// The text a span covers (clamped to its file).
    pub fn text(&self, span: Span) -> &str {
        self.files[span.file].slice(span.start, span.end)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_and_survive_crlf() {
        let f = SourceFile::new("a".into(), "ab\r\n# é x\nlast".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 1));
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x), (2, 5));
        assert_eq!(f.offset(2, 5), x);
        assert_eq!(f.line_text(0), "ab");
        assert_eq!(f.line_col(999), (3, 5));
    }
}
