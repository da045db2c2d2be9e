//! YAML and JSON (JSON is YAML flow syntax) through marked-yaml, converted into a small tree whose
//! nodes carry byte ranges of the file. Multi-document streams are split at `---` lines; template
//! syntax is masked first (same offsets); JSON tabs are read as spaces. Each document chunk goes
//! through the hand-written parser of [`super::yaml_fast`] first (several times faster, same tree)
//! and through marked-yaml when that one gives up.

use std::ops::Range;

use marked_yaml::{LoaderOptions, Node};

use super::{token_len, ParseError};
use crate::lint::placeholder::mask_templates;

/// A YAML value with its file range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YNode {
    pub value: YValue,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YValue {
    Scalar(String),
    Map(Vec<(YKey, YNode)>),
    Seq(Vec<YNode>),
}

/// A mapping key with its file range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YKey {
    pub text: String,
    pub span: Range<usize>,
}

impl YNode {
    /// The value of `key` in a mapping, with the key.
    pub fn entry(&self, key: &str) -> Option<(&YKey, &YNode)> {
        match &self.value {
            YValue::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.text == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&YNode> {
        self.entry(key).map(|(_, v)| v)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            YValue::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> &[YNode] {
        match &self.value {
            YValue::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn as_map(&self) -> &[(YKey, YNode)] {
        match &self.value {
            YValue::Map(entries) => entries,
            _ => &[],
        }
    }
}

/// Line starts of a text, to turn marked-yaml's line/column markers into byte offsets.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            starts: crate::lint::source::line_starts(text),
        }
    }

    fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts.get(line.max(1) - 1) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
        start
            + line_text
                .char_indices()
                .nth(column.max(1) - 1)
                .map(|(i, _)| i)
                .unwrap_or(line_text.len())
    }
}

/// Parse every document of a YAML stream (or one JSON value). Comment-only documents are skipped.
pub fn parse(text: &str, json: bool) -> Result<Vec<YNode>, ParseError> {
    let prepared = prepare(text, json)?;
    let mut lines = None;
    let mut docs = Vec::with_capacity(prepared.chunks.len());
    for &(start, end) in &prepared.chunks {
        let node = match fast_chunk(&prepared.text, json, start, end) {
            Some(node) => node,
            None => {
                if lines.is_none() && !json {
                    check_depth(&prepared.text, text)?;
                }
                let lines = lines.get_or_insert_with(|| Lines::new(&prepared.text));
                marked_chunk(&prepared.text, text, lines, start, end)?
            }
        };
        docs.push(node);
    }
    align_spans(&mut docs, text);
    Ok(docs)
}

/// [`parse`] through marked-yaml only (the reference the fast path is tested against).
#[doc(hidden)]
pub fn parse_marked(text: &str, json: bool) -> Result<Vec<YNode>, ParseError> {
    let prepared = prepare(text, json)?;
    check_depth(&prepared.text, text)?;
    let lines = Lines::new(&prepared.text);
    let mut docs = prepared
        .chunks
        .iter()
        .map(|&(start, end)| marked_chunk(&prepared.text, text, &lines, start, end))
        .collect::<Result<Vec<_>, _>>()?;
    align_spans(&mut docs, text);
    Ok(docs)
}

/// [`parse`] through the hand-written parser only: `None` when it gives up on any document (or
/// the text fails a pre-step). Tests and fuzz targets compare it with [`parse_marked`].
#[doc(hidden)]
pub fn parse_fast(text: &str, json: bool) -> Option<Vec<YNode>> {
    let prepared = prepare(text, json).ok()?;
    let mut docs = prepared
        .chunks
        .iter()
        .map(|&(start, end)| fast_chunk(&prepared.text, json, start, end))
        .collect::<Option<Vec<_>>>()?;
    align_spans(&mut docs, text);
    Some(docs)
}

/// Widen every span to character boundaries of the file's own text. The parsers read the
/// masked text, where a template's multi-byte characters became ASCII, so a position that is a
/// boundary there can split a character of the file (found by the `yaml` fuzz target).
fn align_spans(docs: &mut [YNode], original: &str) {
    fn align(span: &mut std::ops::Range<usize>, original: &str) {
        let mut start = span.start.min(original.len());
        while !original.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.min(original.len()).max(start);
        while !original.is_char_boundary(end) {
            end += 1;
        }
        *span = start..end;
    }
    fn walk(node: &mut YNode, original: &str) {
        align(&mut node.span, original);
        match &mut node.value {
            YValue::Scalar(_) => {}
            YValue::Map(entries) => {
                for (k, v) in entries {
                    align(&mut k.span, original);
                    walk(v, original);
                }
            }
            YValue::Seq(items) => {
                for v in items {
                    walk(v, original);
                }
            }
        }
    }
    if original.is_ascii() {
        return;
    }
    for d in docs {
        walk(d, original);
    }
}

/// The text as the parsers read it (templates masked, JSON tabs as spaces; same offsets) and the
/// byte ranges of its documents that hold more than comments.
struct Prepared<'a> {
    text: std::borrow::Cow<'a, str>,
    chunks: Vec<(usize, usize)>,
}

fn prepare(text: &str, json: bool) -> Result<Prepared<'_>, ParseError> {
    let masked = mask_templates(text);
    let text_for_parse = if json && masked.contains('\t') {
        std::borrow::Cow::Owned(masked.replace('\t', " "))
    } else {
        masked
    };
    if json {
        check_depth(&text_for_parse, text)?;
    }
    let chunks = split_documents(&text_for_parse)
        .into_iter()
        .filter(|&(start, end)| {
            !text_for_parse[start..end].lines().all(|l| {
                l.trim().is_empty()
                    || l.trim_start().starts_with('#')
                    || l.trim() == "..."
                    || l.starts_with("%")
            })
        })
        .collect();
    Ok(Prepared {
        text: text_for_parse,
        chunks,
    })
}

/// marked-yaml bounds flow nesting itself but recurses once per indented level: refuse a deeper
/// file before it can overflow the stack (tests/hostile_bounds.rs). A YAML file is checked only
/// before its first chunk goes to marked-yaml: a chunk the fast parser reads nests no deeper than
/// its own bound, [`MAX_YAML_DEPTH`](crate::model::MAX_YAML_DEPTH), by the same count (each
/// indented level is one of its nodes; `tests/yaml_fast_diff.rs` holds it to that). A JSON file is
/// always checked: JSON may indent lines deeper without nesting them.
fn check_depth(text_for_parse: &str, text: &str) -> Result<(), ParseError> {
    match crate::model::too_deep(text_for_parse) {
        Some((_, offset)) => Err(ParseError::new(
            format!("nested deeper than {} levels", crate::model::MAX_YAML_DEPTH),
            error_span(text_for_parse, text, offset.min(text.len())),
        )),
        None => Ok(()),
    }
}

/// The span of an error at `offset`: the token there, at least one character, on character
/// boundaries of the file's own text (never half of a character: a token of length 0 before a
/// multi-byte character once made a span that split it, and template masking changes which bytes
/// start a character, found by the `yaml` fuzz target).
fn error_span(text_for_parse: &str, original: &str, offset: usize) -> std::ops::Range<usize> {
    let mut start = offset.min(original.len());
    while !original.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (offset + token_len(text_for_parse, offset).max(1))
        .min(original.len())
        .max(start);
    while !original.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

fn fast_chunk(text: &str, json: bool, start: usize, end: usize) -> Option<YNode> {
    if json {
        super::yaml_fast::json_chunk(text, start, end)
    } else {
        super::yaml_fast::yaml_chunk(text, start, end)
    }
}

/// One document chunk through marked-yaml. `original` is the file's own text (error spans are
/// clamped to it and fall on its character boundaries).
fn marked_chunk(
    text_for_parse: &str,
    original: &str,
    lines: &Lines<'_>,
    start: usize,
    end: usize,
) -> Result<YNode, ParseError> {
    let chunk = &text_for_parse[start..end];
    let first_line = text_for_parse[..start]
        .bytes()
        .filter(|&b| b == b'\n')
        .count();
    let conv = |line: usize, col: usize| lines.offset(line + first_line, col);
    let options = LoaderOptions::default();
    let node = marked_yaml::parse_yaml_with_options(0, chunk, options).map_err(|e| {
        let (marker, message) = describe(&e);
        let offset = marker.map(|m| conv(m.line(), m.column())).unwrap_or(start);
        let offset = offset.min(original.len());
        ParseError::new(message, error_span(text_for_parse, original, offset))
    })?;
    Ok(convert(&node, text_for_parse, &conv))
}

fn describe(e: &marked_yaml::LoadError) -> (Option<&marked_yaml::Marker>, String) {
    use marked_yaml::LoadError::*;
    match e {
        TopLevelMustBeMapping(m) => (Some(m), "the document is not a mapping".into()),
        TopLevelMustBeSequence(m) => (Some(m), "the document is not a sequence".into()),
        UnexpectedAnchor(m) => (Some(m), "YAML anchors are not supported here".into()),
        MappingKeyMustBeScalar(m) => (Some(m), "a mapping key must be a scalar".into()),
        UnexpectedTag(m) => (Some(m), "YAML tags are not supported here".into()),
        ScanError(m, err) => {
            let text = err.to_string();
            let msg = text.split(" at ").next().unwrap_or(&text).to_string();
            (Some(m), msg)
        }
        DuplicateKey(_) => (None, "duplicate key".into()),
    }
}

/// Byte ranges of the documents of a stream, split at lines that start with `---`.
fn split_documents(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    // Only a line that starts with `---` can be a marker: jump from one such line to the next.
    let b = text.as_bytes();
    let first = text.starts_with("---").then_some(0);
    let rest = memchr::memmem::find_iter(b, b"\n---").map(|i| i + 1);
    for pos in first.into_iter().chain(rest) {
        let next = memchr::memchr(b'\n', &b[pos..]).map_or(text.len(), |i| pos + i + 1);
        let l = text[pos..next].trim_end();
        if l == "---" || l.starts_with("--- ") {
            if pos > start || !out.is_empty() {
                out.push((start, pos));
            }
            // The content after `--- ` on the marker line is rare; skip the marker line.
            start = next;
        }
    }
    out.push((start, text.len()));
    out
}

/// The extent of a scalar the parser read as `value` at `start`: the source text that spells it
/// (so a block-context `a,b` or `[x]` value keeps its commas and brackets); the lexical token for
/// a block scalar or a tagged one.
pub(super) fn scalar_len(text: &str, start: usize, value: &str) -> usize {
    crate::diag::yaml_scalar_len(text, start, value).unwrap_or_else(|| token_len(text, start))
}

fn convert(node: &Node, text: &str, conv: &dyn Fn(usize, usize) -> usize) -> YNode {
    let start = node
        .span()
        .start()
        .map(|m| conv(m.line(), m.column()))
        .unwrap_or(0)
        .min(text.len());
    match node {
        Node::Scalar(s) => YNode {
            value: YValue::Scalar(s.as_str().to_string()),
            span: start..start + scalar_len(text, start, s.as_str()),
        },
        Node::Mapping(m) => {
            let mut entries = Vec::new();
            for (k, v) in m.iter() {
                let ks = k
                    .span()
                    .start()
                    .map(|m| conv(m.line(), m.column()))
                    .unwrap_or(start)
                    .min(text.len());
                entries.push((
                    YKey {
                        text: k.as_str().to_string(),
                        span: ks..ks + scalar_len(text, ks, k.as_str()),
                    },
                    convert(v, text, conv),
                ));
            }
            let end = entries.last().map(|(_, v)| v.span.end).unwrap_or(start);
            YNode {
                value: YValue::Map(entries),
                span: start..end.max(start),
            }
        }
        Node::Sequence(s) => {
            let items: Vec<YNode> = s.iter().map(|n| convert(n, text, conv)).collect();
            let end = items.last().map(|v| v.span.end).unwrap_or(start);
            YNode {
                value: YValue::Seq(items),
                span: start..end.max(start),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_keys_and_values_in_every_document() {
        let text = "# c\na: 1\n---\nkind: X\nb:\n  - \"q v\"\n";
        let docs = parse(text, false).unwrap();
        assert_eq!(docs.len(), 2);
        let (k, v) = docs[1].entry("b").unwrap();
        assert_eq!(&text[k.span.clone()], "b");
        assert_eq!(&text[v.as_seq()[0].span.clone()], "\"q v\"");
        assert_eq!(v.as_seq()[0].as_str(), Some("q v"));
    }

    /// Spans of scalars are the text that spells the value, not a token that stops at a comma.
    #[test]
    fn scalar_spans_follow_the_value_in_block_and_flow_context() {
        let text = "listen-client-urls: https://a:2379,https://b:2379\n\
                    cipher-suites:\n  - TLS_A,TLS_B # two in one\n  - x]y,z\n\
                    flow: {k: a,b, l: [c, d]}\n\
                    q: \"say \\\"hi\\\", ok\" # c\n\
                    s: 'it''s, ok'\n\
                    c: v1,v2 # comment, with comma\n\
                    folded: one,\n  two\n\
                    empty:\n";
        let docs = parse(text, false).unwrap();
        let d = &docs[0];
        let at = |n: &YNode| &text[n.span.clone()];
        assert_eq!(
            at(d.get("listen-client-urls").unwrap()),
            "https://a:2379,https://b:2379"
        );
        let list = d.get("cipher-suites").unwrap().as_seq();
        assert_eq!(at(&list[0]), "TLS_A,TLS_B");
        assert_eq!(at(&list[1]), "x]y,z");
        let flow = d.get("flow").unwrap();
        assert_eq!(at(flow.get("k").unwrap()), "a");
        let (bk, b) = flow.entry("b").unwrap();
        assert_eq!((at(b), &text[bk.span.clone()]), ("", "b"));
        let l = flow.get("l").unwrap().as_seq();
        assert_eq!((at(&l[0]), at(&l[1])), ("c", "d"));
        let q = d.get("q").unwrap();
        assert_eq!(at(q), "\"say \\\"hi\\\", ok\"");
        assert_eq!(q.as_str(), Some("say \"hi\", ok"));
        assert_eq!(at(d.get("s").unwrap()), "'it''s, ok'");
        assert_eq!(at(d.get("c").unwrap()), "v1,v2");
        assert_eq!(at(d.get("folded").unwrap()), "one,\n  two");
        assert_eq!(d.get("empty").unwrap().span.len(), 0);
    }

    /// Found by the `json` fuzz target: an error token of length 0 before a two-byte character.
    #[test]
    fn error_spans_never_split_a_character() {
        let text = "#: \u{1}\n\u{a0}\n0` ";
        let err = parse(text, true).unwrap_err();
        assert!(text.is_char_boundary(err.span.start) && text.is_char_boundary(err.span.end));
        assert!(!err.span.is_empty());
    }

    #[test]
    fn json_with_tabs_parses_and_errors_have_a_place() {
        let text = "{\n\t\"service\": {\"name\": \"elastic\"}\n}";
        let docs = parse(text, true).unwrap();
        let name = docs[0].get("service").unwrap().get("name").unwrap();
        assert_eq!(&text[name.span.clone()], "\"elastic\"");
        let err = parse("a: [1,\n", false).unwrap_err();
        assert!(err.span.start <= 7);
    }

    /// `split_documents` jumps between lines that start with `---`; a line-by-line split (what
    /// it replaced) finds the same documents.
    #[test]
    fn documents_split_as_line_by_line() {
        fn by_lines(text: &str) -> Vec<(usize, usize)> {
            let (mut out, mut start, mut pos) = (Vec::new(), 0, 0);
            for line in text.split_inclusive('\n') {
                let l = line.trim_end();
                if l == "---" || l.starts_with("--- ") {
                    if pos > start || !out.is_empty() {
                        out.push((start, pos));
                    }
                    start = pos + line.len();
                }
                pos += line.len();
            }
            out.push((start, text.len()));
            out
        }
        for text in [
            "",
            "---",
            "---\n",
            "a: 1\n",
            "---\na: 1\n---\nb: 2\n",
            "a: 1\n---\r\nb: 2\r\n---",
            "--- x\n----\n---a\n --- \nk: '---'\n--- \n",
            "---\n---\n\n---\n",
            "a: |\n  ---\n---\tz\n---",
        ] {
            assert_eq!(split_documents(text), by_lines(text), "{text:?}");
        }
    }
}
