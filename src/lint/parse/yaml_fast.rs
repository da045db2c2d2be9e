//! A hand-written parser for the common subset of YAML and JSON that lint reads most (kubeadm
//! static pods, EncryptionConfigurations, DC/OS `options.json`). It either builds exactly the tree
//! the marked-yaml path of [`super::yaml`] builds for a document chunk (same scalar strings, key
//! order and byte spans) or gives up (`None`) at the first thing it does not handle, and the
//! marked-yaml path runs instead. It never reports an error itself: anything wrong is a give-up.
//!
//! Handled in YAML: block mappings and block sequences (indented or not under a key, compact
//! `- key: value` and `- - x`), plain single-line scalars, single- and double-quoted single-line
//! scalars, comments, empty flow `{}` and `[]`, empty values. Given up on: anchors, aliases, tags,
//! block scalars, multi-line scalars, non-empty flow collections, `?` keys, tabs, directives,
//! document markers inside a chunk, duplicate keys, indentation that matches no open level,
//! control characters and the Unicode line separators.
//!
//! Handled in JSON: objects, arrays, single-line strings with every YAML escape (surrogate
//! `\u` escapes are given up on: the YAML scanner refuses them), JSON numbers, `true`, `false`,
//! `null`; a key must be a string and unique.
//!
//! Where marked-yaml puts a node (the span start) follows yaml-rust2's event marks: a block
//! mapping starts at its first key, a block sequence at its first `-`, a flow collection at its
//! bracket, a scalar at its first character (its quote), and an empty value at the next token
//! (the next line's content, or the end of the chunk).

use super::yaml::{scalar_len, YKey, YNode, YValue};

/// Deeper nesting is left to the marked-yaml path (and its depth check). The same bound as that
/// check, which the YAML path runs only when a chunk is given up on (see `yaml::check_depth`).
const MAX_DEPTH: usize = crate::model::MAX_YAML_DEPTH;
/// yaml-rust2 refuses a simple key longer than this.
const MAX_KEY: usize = 1024;

/// The mapping of the YAML chunk `text[start..end]`, or `None` to give up.
pub(super) fn yaml_chunk(text: &str, start: usize, end: usize) -> Option<YNode> {
    if !chars_ok(text, start, end) {
        return None;
    }
    let mut p = Yaml {
        text,
        b: text.as_bytes(),
        end,
        pos: start,
        depth: 0,
        peeked: None,
    };
    let first = p.peek()?;
    if first.indent < 0 {
        return None;
    }
    let node = p.node(&first, first.content, first.indent as usize)?;
    if !matches!(node.value, YValue::Map(_)) || p.peek()?.indent >= 0 {
        return None;
    }
    Some(node)
}

/// The object of the JSON chunk `text[start..end]`, or `None` to give up.
pub(super) fn json_chunk(text: &str, start: usize, end: usize) -> Option<YNode> {
    if !chars_ok(text, start, end) {
        return None;
    }
    let p = Json {
        text,
        b: text.as_bytes(),
        end,
    };
    let i = p.ws(start)?;
    if p.b.get(i) != Some(&b'{') || i >= end {
        return None;
    }
    let (node, j) = p.value(i, 0)?;
    (p.ws(j)? == end).then_some(node)
}

/// Whether every character of the chunk is one the subset handles: printable, `\n`, or `\r\n`.
fn chars_ok(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    // Printable ASCII and `\n` only, the usual file: one pass the compiler vectorises.
    if b[start..end].iter().fold(true, |ok, &c| {
        ok & ((b' '..=b'~').contains(&c) | (c == b'\n'))
    }) {
        return true;
    }
    let mut ascii = true;
    for i in start..end {
        match b[i] {
            b'\n' => {}
            b'\r' if i + 1 >= end || b[i + 1] != b'\n' => return false,
            b'\r' => {}
            0..=0x1f | 0x7f => return false,
            0x80.. => ascii = false,
            _ => {}
        }
    }
    ascii
        || text[start..end].chars().all(|c| {
            c < '\u{80}'
                || (c >= '\u{a0}'
                    && !matches!(
                        c,
                        '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                    ))
        })
}

/// A node whose value is "nothing" (`key:` or `-` alone), placed where yaml-rust2 marks it: at
/// the next token.
fn empty(text: &str, at: usize) -> YNode {
    let at = at.min(text.len());
    YNode {
        value: YValue::Scalar(String::new()),
        span: at..at + scalar_len(text, at, ""),
    }
}

fn scalar(value: String, start: usize, end: usize) -> YNode {
    YNode {
        value: YValue::Scalar(value),
        span: start..end,
    }
}

/// Whether two entries of a mapping share a key (marked-yaml would keep one: give up).
fn has_duplicate(entries: &[(YKey, YNode)]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries[..i].iter().any(|(o, _)| o.text == k.text));
    }
    let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.text.as_str()).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

fn map_node(entries: Vec<(YKey, YNode)>, start: usize) -> Option<YNode> {
    if has_duplicate(&entries) {
        return None;
    }
    let end = entries.last().map(|(_, v)| v.span.end).unwrap_or(start);
    Some(YNode {
        value: YValue::Map(entries),
        span: start..end.max(start),
    })
}

fn seq_node(items: Vec<YNode>, start: usize) -> YNode {
    let end = items.last().map(|v| v.span.end).unwrap_or(start);
    YNode {
        value: YValue::Seq(items),
        span: start..end.max(start),
    }
}

/// A double-quoted scalar from its quote at `p`, closed before `limit` on the same line: its
/// value and the offset after the closing quote. Every escape yaml-rust2 knows is decoded.
fn double_quoted(text: &str, p: usize, limit: usize) -> Option<(String, usize)> {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut seg = p + 1;
    let mut i = p + 1;
    while i < limit {
        match b[i] {
            b'"' => {
                out.push_str(&text[seg..i]);
                return Some((out, i + 1));
            }
            b'\n' | b'\r' | b'\t' => return None,
            b'\\' => {
                out.push_str(&text[seg..i]);
                let e = *b.get(i + 1).filter(|_| i + 1 < limit)?;
                let simple = match e {
                    b'0' => Some('\0'),
                    b'a' => Some('\x07'),
                    b'b' => Some('\x08'),
                    b't' => Some('\t'),
                    b'n' => Some('\n'),
                    b'v' => Some('\x0b'),
                    b'f' => Some('\x0c'),
                    b'r' => Some('\r'),
                    b'e' => Some('\x1b'),
                    b' ' => Some(' '),
                    b'"' => Some('"'),
                    b'/' => Some('/'),
                    b'\\' => Some('\\'),
                    b'N' => Some('\u{85}'),
                    b'_' => Some('\u{a0}'),
                    b'L' => Some('\u{2028}'),
                    b'P' => Some('\u{2029}'),
                    _ => None,
                };
                if let Some(c) = simple {
                    out.push(c);
                    i += 2;
                } else {
                    let digits = match e {
                        b'x' => 2,
                        b'u' => 4,
                        b'U' => 8,
                        _ => return None,
                    };
                    let hex = text.get(i + 2..i + 2 + digits)?;
                    if i + 2 + digits > limit || !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                        return None;
                    }
                    let code = u32::from_str_radix(hex, 16).ok()?;
                    out.push(char::from_u32(code)?);
                    i += 2 + digits;
                }
                seg = i;
            }
            _ => i += 1,
        }
    }
    None
}

/// A single-quoted scalar from its quote at `p`, closed before `limit`: value and end.
fn single_quoted(text: &str, p: usize, limit: usize) -> Option<(String, usize)> {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut seg = p + 1;
    let mut i = p + 1;
    while i < limit {
        if b[i] == b'\'' {
            out.push_str(&text[seg..i]);
            if i + 1 < limit && b[i + 1] == b'\'' {
                out.push('\'');
                i += 2;
                seg = i;
                continue;
            }
            return Some((out, i + 1));
        }
        i += 1;
    }
    None
}

/// One content line of a YAML chunk: where its content starts, its indentation (-1 for the end
/// of the chunk), where its content ends (before `\r\n` or `\n`) and where the next line starts.
#[derive(Debug, Clone, Copy)]
struct Line {
    content: usize,
    indent: isize,
    eol: usize,
    next: usize,
}

struct Yaml<'a> {
    text: &'a str,
    b: &'a [u8],
    end: usize,
    /// The start of the first line not read yet.
    pos: usize,
    depth: usize,
    /// The content line found from `pos` last time (`pos`, line).
    peeked: Option<(usize, Line)>,
}

/// A mapping key and the offset just after its `:`.
struct Key {
    key: YKey,
    after: usize,
}

impl Yaml<'_> {
    /// The next content line from `pos` (blank and comment-only lines skipped), without
    /// consuming it; `None` to give up (a directive or a document marker inside the chunk).
    fn peek(&mut self) -> Option<Line> {
        if let Some((at, line)) = self.peeked {
            if at == self.pos {
                return Some(line);
            }
        }
        let b = self.b;
        let mut start = self.pos;
        while start < self.end {
            let nl = memchr::memchr(b'\n', &b[start..self.end]).map(|i| start + i);
            let next = nl.map(|i| i + 1).unwrap_or(self.end);
            let mut eol = nl.unwrap_or(self.end);
            if eol > start && b[eol - 1] == b'\r' {
                eol -= 1;
            }
            let mut content = start;
            while content < eol && b[content] == b' ' {
                content += 1;
            }
            if content < eol && b[content] != b'#' {
                if content == start
                    && (b[content] == b'%'
                        || b[start..eol].starts_with(b"---")
                        || b[start..eol].starts_with(b"..."))
                {
                    return None;
                }
                let line = Line {
                    content,
                    indent: (content - start) as isize,
                    eol,
                    next,
                };
                self.peeked = Some((self.pos, line));
                return Some(line);
            }
            start = next;
        }
        let line = Line {
            content: self.end,
            indent: -1,
            eol: self.end,
            next: self.end,
        };
        self.peeked = Some((self.pos, line));
        Some(line)
    }

    /// Whether a block sequence entry (`-` then a space or the end of the line) starts at `p`.
    fn is_entry(&self, p: usize, eol: usize) -> bool {
        p < eol && self.b[p] == b'-' && (p + 1 == eol || self.b[p + 1] == b' ')
    }

    fn skip_spaces(&self, mut i: usize, eol: usize) -> usize {
        while i < eol && self.b[i] == b' ' {
            i += 1;
        }
        i
    }

    /// The block node whose first character is at `p` (column `col`) on `line`.
    fn node(&mut self, line: &Line, p: usize, col: usize) -> Option<YNode> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let node = if self.is_entry(p, line.eol) {
            self.seq(*line, p, col, false)
        } else if let Some(key) = self.key_at(p, line.eol)? {
            self.map(*line, col, key)
        } else {
            let n = self.inline(p, line.eol);
            self.pos = line.next;
            n
        };
        self.depth -= 1;
        node
    }

    /// The value that follows `key:` or `-` with nothing else on its line: a more indented node
    /// on the next lines, an indentless sequence under a key, or an empty value.
    fn value_below(&mut self, line: &Line, col: usize, under_key: bool) -> Option<YNode> {
        self.pos = line.next;
        let next = self.peek()?;
        let entry_here = next.indent == col as isize && self.is_entry(next.content, next.eol);
        if next.indent > col as isize {
            self.node(&next, next.content, next.indent as usize)
        } else if under_key && entry_here {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return None;
            }
            let seq = self.seq(next, next.content, col, true);
            self.depth -= 1;
            seq
        } else if entry_here {
            // The next token is the next entry of this sequence: yaml-rust2 marks a `-` after
            // the spaces and comment that follow it.
            Some(empty(self.text, self.after_dash(&next)))
        } else {
            // The next token is a key of this mapping or the end of a block: its first character.
            Some(empty(self.text, next.content))
        }
    }

    /// Where yaml-rust2 marks the entry `-` at the start of `line`: after it and the spaces and
    /// comment that follow it.
    fn after_dash(&self, line: &Line) -> usize {
        let q = self.skip_spaces(line.content + 1, line.eol);
        if q < line.eol && self.b[q] == b'#' {
            line.eol
        } else {
            q
        }
    }

    /// A block sequence whose first `-` is at `p` (column `col`). yaml-rust2 starts an indented
    /// sequence at its first `-` and an indentless one (`key:` then `- x` at the key's column)
    /// where it marks that `-`.
    fn seq(&mut self, mut line: Line, mut p: usize, col: usize, indentless: bool) -> Option<YNode> {
        let start = if indentless {
            self.after_dash(&line)
        } else {
            p
        };
        let mut items = Vec::new();
        loop {
            let q = self.skip_spaces(p + 1, line.eol);
            let item = if q == line.eol || self.b[q] == b'#' {
                self.value_below(&line, col, false)?
            } else {
                self.node(&line, q, col + (q - p))?
            };
            items.push(item);
            let next = self.peek()?;
            if next.indent == col as isize && self.is_entry(next.content, next.eol) {
                line = next;
                p = next.content;
                continue;
            }
            if next.indent > col as isize {
                return None;
            }
            break;
        }
        Some(seq_node(items, start))
    }

    /// A block mapping whose first key (already read) is at column `col`. yaml-rust2 starts a
    /// block mapping at the `:` of its first key.
    fn map(&mut self, mut line: Line, col: usize, first: Key) -> Option<YNode> {
        let start = first.after - 1;
        let mut entries = Vec::new();
        let mut key = first;
        loop {
            let q = self.skip_spaces(key.after, line.eol);
            let value = if q == line.eol || self.b[q] == b'#' {
                self.value_below(&line, col, true)?
            } else {
                let v = self.inline(q, line.eol)?;
                self.pos = line.next;
                v
            };
            entries.push((key.key, value));
            let next = self.peek()?;
            if next.indent == col as isize {
                key = self.key_at(next.content, next.eol)??;
                line = next;
                continue;
            }
            if next.indent > col as isize {
                return None;
            }
            break;
        }
        map_node(entries, start)
    }

    /// The mapping key at `p` (`Some(None)` when the line holds no key there; `None` to give up).
    fn key_at(&self, p: usize, eol: usize) -> Option<Option<Key>> {
        let b = self.b;
        let key_end = |i: usize| i < eol && b[i] == b':' && (i + 1 == eol || b[i + 1] == b' ');
        match b[p] {
            q @ (b'"' | b'\'') => {
                let (text, close) = if q == b'"' {
                    double_quoted(self.text, p, eol)?
                } else {
                    single_quoted(self.text, p, eol)?
                };
                Some(key_end(close).then(|| Key {
                    key: YKey {
                        text,
                        span: p..close,
                    },
                    after: close + 1,
                }))
            }
            b'-' if p + 1 == eol || b[p + 1] == b' ' => Some(None),
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'%' | b'@' | b'`' => Some(None),
            _ => {
                // Only a `:` or a `#` can end the key or the line's content (`b[p]` is
                // neither: see above), so jump from one to the next.
                let mut i = p;
                while let Some(at) = memchr::memchr2(b':', b'#', &b[i..eol]) {
                    i += at;
                    if key_end(i) {
                        if b[i - 1] == b' ' || i - p > MAX_KEY {
                            return None;
                        }
                        return Some(Some(Key {
                            key: YKey {
                                text: self.text[p..i].to_string(),
                                span: p..i,
                            },
                            after: i + 1,
                        }));
                    }
                    if b[i] == b'#' && b[i - 1] == b' ' {
                        return Some(None);
                    }
                    i += 1;
                }
                Some(None)
            }
        }
    }

    /// A value that starts at `p` and ends on its line: a plain or quoted scalar, `{}` or `[]`,
    /// then only spaces and a comment.
    fn inline(&self, p: usize, eol: usize) -> Option<YNode> {
        let b = self.b;
        let (node, after) = match b[p] {
            b'"' => {
                let (v, close) = double_quoted(self.text, p, eol)?;
                (scalar(v, p, close), close)
            }
            b'\'' => {
                let (v, close) = single_quoted(self.text, p, eol)?;
                (scalar(v, p, close), close)
            }
            b'{' if b.get(p + 1) == Some(&b'}') => (map_node(Vec::new(), p)?, p + 2),
            b'[' if b.get(p + 1) == Some(&b']') => (seq_node(Vec::new(), p), p + 2),
            b'-' if p + 1 == eol || b[p + 1] == b' ' => return None,
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'%' | b'@' | b'`' => return None,
            _ => {
                // The value ends at a comment (` #`) or the end of the line, without its
                // trailing spaces; a `: ` inside it gives up. `b[p]` is neither `:` nor `#`.
                let mut i = p;
                let mut stop = eol;
                while let Some(at) = memchr::memchr2(b':', b'#', &b[i..eol]) {
                    i += at;
                    match b[i] {
                        b':' if i + 1 == eol || b[i + 1] == b' ' => return None,
                        b'#' if b[i - 1] == b' ' => {
                            stop = i;
                            break;
                        }
                        _ => {}
                    }
                    i += 1;
                }
                let mut end = stop;
                while end > p && b[end - 1] == b' ' {
                    end -= 1;
                }
                // `end` is after an ASCII byte or the last byte of a character: a boundary.
                let v = self.text[p..end].to_string();
                return Some(scalar(v, p, end));
            }
        };
        let rest = self.skip_spaces(after, eol);
        if rest < eol && (b[rest] != b'#' || rest == after) {
            return None;
        }
        Some(node)
    }
}

struct Json<'a> {
    text: &'a str,
    b: &'a [u8],
    end: usize,
}

impl Json<'_> {
    /// Skip white space and line breaks; `None` at a comment.
    fn ws(&self, mut i: usize) -> Option<usize> {
        while i < self.end {
            match self.b[i] {
                b' ' | b'\n' | b'\r' => i += 1,
                b'#' => return None,
                _ => break,
            }
        }
        Some(i)
    }

    /// The value at `i` and the offset after it.
    fn value(&self, i: usize, depth: usize) -> Option<(YNode, usize)> {
        if depth > MAX_DEPTH {
            return None;
        }
        match *self.b[..self.end].get(i)? {
            b'{' => {
                let mut j = self.ws(i + 1)?;
                let mut entries = Vec::new();
                if self.b.get(j) == Some(&b'}') && j < self.end {
                    return Some((map_node(entries, i)?, j + 1));
                }
                loop {
                    if self.b[..self.end].get(j) != Some(&b'"') {
                        return None;
                    }
                    let (text, kend) = double_quoted(self.text, j, self.end)?;
                    let key = YKey {
                        text,
                        span: j..kend,
                    };
                    let mut c = kend;
                    while c < self.end && self.b[c] == b' ' {
                        c += 1;
                    }
                    if self.b[..self.end].get(c) != Some(&b':') {
                        return None;
                    }
                    let (v, after) = self.value(self.ws(c + 1)?, depth + 1)?;
                    entries.push((key, v));
                    j = self.ws(after)?;
                    match self.b[..self.end].get(j) {
                        Some(b',') => j = self.ws(j + 1)?,
                        Some(b'}') => return Some((map_node(entries, i)?, j + 1)),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                let mut j = self.ws(i + 1)?;
                let mut items = Vec::new();
                if self.b.get(j) == Some(&b']') && j < self.end {
                    return Some((seq_node(items, i), j + 1));
                }
                loop {
                    let (v, after) = self.value(j, depth + 1)?;
                    items.push(v);
                    j = self.ws(after)?;
                    match self.b[..self.end].get(j) {
                        Some(b',') => j = self.ws(j + 1)?,
                        Some(b']') => return Some((seq_node(items, i), j + 1)),
                        _ => return None,
                    }
                }
            }
            b'"' => {
                let (v, close) = double_quoted(self.text, i, self.end)?;
                Some((scalar(v, i, close), close))
            }
            _ => {
                let mut j = i;
                while j < self.end
                    && (self.b[j].is_ascii_alphanumeric()
                        || matches!(self.b[j], b'.' | b'+' | b'-'))
                {
                    j += 1;
                }
                let token = &self.text[i..j];
                if !(matches!(token, "true" | "false" | "null") || is_json_number(token)) {
                    return None;
                }
                if j < self.end && !matches!(self.b[j], b' ' | b'\n' | b'\r' | b',' | b']' | b'}') {
                    return None;
                }
                Some((scalar(token.to_string(), i, j), j))
            }
        }
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - from
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::super::yaml::{parse_fast, parse_marked};

    /// The fast path's tree for `text` (asserted equal to marked-yaml's), or `None` if it gave up.
    fn fast(text: &str, json: bool) -> Option<Vec<super::YNode>> {
        let fast = parse_fast(text, json)?;
        let slow = parse_marked(text, json);
        assert_eq!(
            Ok(&fast),
            slow.as_ref(),
            "fast and marked-yaml differ on {text:?}"
        );
        Some(fast)
    }

    fn handled(text: &str, json: bool) -> Vec<super::YNode> {
        fast(text, json).unwrap_or_else(|| panic!("the fast path gave up on {text:?}"))
    }

    fn gives_up(text: &str, json: bool) {
        assert!(fast(text, json).is_none(), "expected a give-up on {text:?}");
    }

    #[test]
    fn comments_after_plain_scalars_and_hashes_inside_them() {
        let d = handled("a: b #c\nd: b#c\n", false);
        assert_eq!(d[0].get("a").and_then(|n| n.as_str()), Some("b"));
        assert_eq!(d[0].get("d").and_then(|n| n.as_str()), Some("b#c"));
    }

    #[test]
    fn quoted_scalars_with_escapes() {
        let text = "a: \"x\\\"y\"\nb: 'it''s'\nc: \"\\t\\u00e9\\x41\\/\\\\\" # c\n\"q k\": 1\n";
        let d = handled(text, false);
        assert_eq!(d[0].get("a").and_then(|n| n.as_str()), Some("x\"y"));
        assert_eq!(d[0].get("b").and_then(|n| n.as_str()), Some("it's"));
        assert_eq!(d[0].get("c").and_then(|n| n.as_str()), Some("\té\x41/\\"));
        assert_eq!(d[0].get("q k").and_then(|n| n.as_str()), Some("1"));
    }

    #[test]
    fn colons_commas_and_dashes_inside_plain_scalars() {
        let text = "url: https://a:2379,b\ncmd:\n- etcd\n- --flag=value\n- -x\nk: x]y,{z}\n";
        let d = handled(text, false);
        assert_eq!(
            d[0].get("url").and_then(|n| n.as_str()),
            Some("https://a:2379,b")
        );
        let cmd = d[0].get("cmd").unwrap().as_seq();
        assert_eq!(cmd[1].as_str(), Some("--flag=value"));
        gives_up("k: [x, y]\n", false);
        gives_up("k: [x]y\n", false);
        gives_up("k: a: b\n", false);
    }

    #[test]
    fn empty_values_take_the_place_of_the_next_token() {
        for text in [
            "key:",
            "key:\n",
            "key:   # c\n",
            "a:\nb: 1\n",
            "a:\n  # c\nb: 1\n",
            "a:\n  b:\nc: 1\n",
            "a:\n  b:\n\n# c\n",
            "s:\n-\n- b\n-\n",
            "s:\n  -\n  - \"q\"\n",
            "a:\n\"b\": 1\n",
            "a:\n'b': 1\n",
            "- x: 1\n",
        ] {
            if text.starts_with('-') {
                gives_up(text, false);
            } else {
                handled(text, false);
            }
        }
    }

    #[test]
    fn crlf_line_ends() {
        let text = "a: b\r\nc:\r\n  - d # e\r\n  - 'f'\r\ng:\r\n";
        let d = handled(text, false);
        assert_eq!(d[0].get("a").and_then(|n| n.as_str()), Some("b"));
        handled("{\r\n  \"a\": [1,\r\n 2]\r\n}\r\n", true);
        gives_up("a: b\rc: d\n", false);
    }

    #[test]
    fn comment_only_chunks_and_document_markers() {
        let d = handled("# only a comment\n---\na: 1\n---\n# c\n---\nb: 2\n", false);
        assert_eq!(d.len(), 2);
        gives_up("a: 1\n...\n", false);
        gives_up("%YAML 1.2\na: 1\n", false);
    }

    #[test]
    fn nested_and_indentless_sequences_and_compact_mappings() {
        for text in [
            "a:\n- - x\n  - y\n- z\n",
            "a:\n  - - x\n    - - y\n",
            "a:\n  -\n    - x\n  - b: 1\n    c:\n    - d\n    e: {}\n",
            "spec:\n  containers:\n  - command:\n    - etcd\n    image: x\n  volumes: []\n",
            "a:\n  -   k: 1\n      l: 2\n",
            "  a: 1\n  b: 2\n",
            "a:\n  b\n",
            "k: é ü\n\"ключ\": значение\n",
        ] {
            handled(text, false);
        }
    }

    #[test]
    fn the_rest_of_yaml_is_given_up_on() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  x\n",
            "a: >\n  x\n",
            "a: b\n  c\n",
            "a: \"b\n  c\"\n",
            "a: {b: 1}\n",
            "? a\n: b\n",
            "a:\n\tb: 1\n",
            "a: 1\na: 2\n",
            "a:\n    b: 1\n  c: 2\n",
            "- a\n",
            "a\n",
            "a : b\n",
            "\u{feff}a: 1\n",
            "a: \"\\ud800\"\n",
            "a: \"b\" c\n",
            "a: \"b\"#c\n",
        ] {
            gives_up(text, false);
        }
    }

    #[test]
    fn json_scalars_are_spelled_as_written() {
        let text = "{\n  \"n\": -1.5e+3, \"z\": 0, \"t\": true, \"f\": false, \"u\": null,\n  \"s\": \"a\\\"b\\\\c\\/d\\u00e9\\n\",\n  \"e\": {}, \"l\": [], \"m\": [1, {\"x\": [\"y\"]}]\n}\n";
        let d = handled(text, true);
        assert_eq!(d[0].get("n").and_then(|n| n.as_str()), Some("-1.5e+3"));
        assert_eq!(d[0].get("u").and_then(|n| n.as_str()), Some("null"));
        assert_eq!(d[0].get("s").and_then(|n| n.as_str()), Some("a\"b\\c/dé\n"));
        handled("{\"a\":1,\"b\" : \"x\"}", true);
        handled("{\n\t\"service\": {\"name\": \"elastic\"}\n}", true);
    }

    #[test]
    fn json_outside_the_subset_is_given_up_on() {
        for text in [
            "[1, 2]",
            "{\"a\": 1, \"a\": 2}",
            "{\"a\": 01}",
            "{\"a\": 1,}",
            "{a: 1}",
            "{\"a\": \"\\ud83d\\ude00\"}",
            "{\"a\": 1} # c",
            "{\"a\": 1} x",
            "{\"a\": 1 2}",
        ] {
            gives_up(text, true);
        }
    }
}
