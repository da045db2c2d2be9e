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
///
/// A large run does not keep every file's text: once a file's findings are settled (suppressed,
/// located), its text can be [released](SourceFile::release); it is read again from
/// [`origin`](SourceFile::origin) in the rare case a later step needs it (a cross-file finding
/// there, the human format quoting it).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (or `--stdin-filename`), with `/` separators.
    pub path: String,
    /// Empty while released.
    pub text: Arc<String>,
    /// Built on first use: most files of a large run have no finding and never need it.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Where the text can be read again (see [`SourceFile::origin`]).
    origin: Origin,
    /// Length and hash of the text, to tell a re-read file from a changed one.
    fingerprint: (usize, u64),
    released: bool,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> Self {
        SourceFile {
            path,
            fingerprint: (0, 0),
            text: if text.is_empty() {
                empty_text()
            } else {
                Arc::new(text)
            },
            line_starts: std::sync::OnceLock::new(),
            origin: Origin::None,
            released: false,
        }
    }

    /// The byte offset of each line start.
    fn starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// A file read from `origin`.
    pub fn with_origin(mut self, origin: Option<std::path::PathBuf>) -> Self {
        self.origin = match origin {
            None => Origin::None,
            Some(o) if o.as_os_str() == self.path.as_str() => Origin::Path,
            Some(o) => Origin::Other(o),
        };
        self
    }

    /// Where the text can be read again: `None` for stdin or a text given in memory (never
    /// released).
    pub fn origin(&self) -> Option<&std::path::Path> {
        match &self.origin {
            Origin::None => None,
            Origin::Path => Some(std::path::Path::new(&self.path)),
            Origin::Other(o) => Some(o),
        }
    }

    /// Whether the text was released (see [`SourceFile::release`]).
    pub fn is_released(&self) -> bool {
        self.released
    }

    /// Drop the text and the line index to save memory, when the file can be read again.
    pub fn release(&mut self) {
        if !matches!(self.origin, Origin::None) && !self.released {
            self.fingerprint = fingerprint(&self.text);
            self.text = empty_text();
            self.line_starts = std::sync::OnceLock::new();
            self.released = true;
        }
    }

    /// Read a released file again. Errors when it cannot be read or changed since it was linted
    /// (its findings' positions would be wrong); the file stays released then.
    pub fn restore(&mut self) -> Result<(), String> {
        if !self.released {
            return Ok(());
        }
        let text = self.reread()?;
        self.line_starts = std::sync::OnceLock::new();
        self.text = Arc::new(text);
        self.released = false;
        Ok(())
    }

    /// The text, read again without keeping it if the file was released.
    pub fn load(&self) -> Result<Arc<String>, String> {
        if self.released {
            self.reread().map(Arc::new)
        } else {
            Ok(self.text.clone())
        }
    }

    fn reread(&self) -> Result<String, String> {
        let origin = self.origin().ok_or("no file to read")?;
        let bytes = std::fs::read(origin).map_err(|e| e.to_string())?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        if fingerprint(&text) != self.fingerprint {
            return Err("it changed while tlsgen read it".to_string());
        }
        Ok(text)
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
        let line = self.starts().partition_point(|&s| s <= offset) - 1;
        let start = self.starts()[line];
        let col = self.text[start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// Byte offset of a 1-based line and 1-based character column, clamped to that line.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts().get(line.max(1) - 1) else {
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
        self.starts().partition_point(|&s| s <= self.clamp(offset)) - 1
    }

    /// The text of 0-based line `index`, without its terminator.
    pub fn line_text(&self, index: usize) -> &str {
        match self.starts().get(index) {
            Some(&start) => &self.text[start..self.line_end(start)],
            None => "",
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts().len()
    }

    /// The text of a byte range, clamped.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let s = self.clamp(start);
        let e = self.clamp(end).max(s);
        &self.text[s..e]
    }
}

/// The byte offset of each line start of `text` (the first is 0).
pub fn line_starts(text: &str) -> Vec<usize> {
    // memchr's vectorised search: this runs over every file with a finding (a byte-by-byte
    // filter was 6% of a mixed run's instructions, most of it in large telegraf.conf files).
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    starts
}

/// Length and a 64-bit hash of a text, to notice a file that changed before it was read again
/// (not a defence against forgery: a multiply-rotate over 8-byte words, FNV-style; every file is
/// hashed once, so it must cost little next to parsing it).
fn fingerprint(text: &str) -> (usize, u64) {
    let bytes = text.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("chunks of 8"));
        h = (h ^ w).wrapping_mul(0x0100_0000_01b3).rotate_left(29);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (bytes.len(), h)
}

/// Where a file's text came from. Most files are read from the path they are shown with: that
/// path is then not stored twice.
#[derive(Debug, Clone)]
enum Origin {
    /// stdin, or a text given in memory.
    None,
    /// The file at [`SourceFile::path`].
    Path,
    Other(std::path::PathBuf),
}

/// One shared empty text for released and empty files (a run over thousands of files allocates
/// none for them).
fn empty_text() -> Arc<String> {
    static EMPTY: std::sync::OnceLock<Arc<String>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Arc::new(String::new())).clone()
}

/// Every file read during one lint run, by [`FileId`]. A store can also hold one file under its
/// run-wide id ([`SourceStore::single`]): the per-file pipeline runs before the run's store
/// exists.
#[derive(Debug, Default)]
pub struct SourceStore {
    /// Id of `files[0]`.
    base: FileId,
    files: Vec<SourceFile>,
}

impl SourceStore {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.push(SourceFile::new(path, text))
    }

    /// Add a file; returns its id.
    pub fn push(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        self.base + self.files.len() - 1
    }

    /// A store of `n` empty files (ids 0 to n - 1), each slot filled later with
    /// [`SourceStore::get_mut`].
    pub fn empty_slots(n: usize) -> Self {
        SourceStore {
            base: 0,
            files: (0..n)
                .map(|_| SourceFile::new(String::new(), String::new()))
                .collect(),
        }
    }

    /// A store of one file with id `id`.
    pub fn single(id: FileId, file: SourceFile) -> Self {
        SourceStore {
            base: id,
            files: vec![file],
        }
    }

    /// Take the files back (in id order).
    pub fn into_files(self) -> Vec<SourceFile> {
        self.files
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id - self.base]
    }

    pub fn get_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id - self.base]
    }

    /// Every file, in id order, to change several at once.
    pub fn files_mut(&mut self) -> &mut [SourceFile] {
        &mut self.files
    }

    /// The file with this display path, if the store holds it.
    pub fn find(&self, path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The text a span covers (clamped to its file).
    pub fn text(&self, span: Span) -> &str {
        self.get(span.file).slice(span.start, span.end)
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
