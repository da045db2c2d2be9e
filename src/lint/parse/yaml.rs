//! YAML and JSON (JSON is YAML flow syntax) through saphyr-parser's events, built into a small
//! tree whose nodes carry byte ranges of the file. Template syntax is masked first (same offsets);
//! JSON tabs are read as spaces.
//!
//! The events carry the start and the end of every scalar, so a span is what the parser read,
//! never a re-scan of the text. Their markers count characters, not bytes (saphyr-parser 0.0.12:
//! `Marker::index` is "the index (in chars)", and the scanner adds one per character it skips,
//! but bytes for a directive's parameters): [`Offsets`] turns line and column into byte offsets
//! once, as the events arrive.
//!
//! Anchors and aliases are expanded: an alias is a copy of the anchored node, spans included, so
//! a finding on an aliased value points at the text that spells it (the anchor's definition,
//! where an edit changes it for every alias), while the key of an entry is the key as written.
//! Copies are bounded by [`ALIAS_NODE_BUDGET`] nodes per file (an alias bomb is one parse error
//! before it can grow), and nesting by [`MAX_YAML_DEPTH`](crate::model::MAX_YAML_DEPTH) levels
//! (the tree is built on an explicit stack; the bound keeps the rules' recursion shallow).
//! YAML merge keys (`<<: *base`) merge the anchored mapping's entries under the explicit ones.

use std::borrow::Cow;
use std::ops::Range;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span};

use super::{token_len, ParseError};
use crate::lint::placeholder::mask_templates;
use crate::model::MAX_YAML_DEPTH;

/// Nodes that aliases may copy into one file's tree, all aliases together. Real configurations
/// alias a handful of small nodes; nine levels of nine aliases (the "billion laughs") would be
/// 9^9 copies, refused at the first alias past this.
pub const ALIAS_NODE_BUDGET: usize = 100_000;

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

    /// The number of nodes of this subtree (itself included).
    fn size(&self) -> usize {
        match &self.value {
            YValue::Scalar(_) => 1,
            YValue::Map(entries) => 1 + entries.iter().map(|(_, v)| 1 + v.size()).sum::<usize>(),
            YValue::Seq(items) => 1 + items.iter().map(YNode::size).sum::<usize>(),
        }
    }
}

/// Parse every document of a YAML stream (or one JSON value). Documents that hold nothing (only
/// comments, or an empty `---`) are skipped.
pub fn parse(text: &str, json: bool) -> Result<Vec<YNode>, ParseError> {
    let masked = mask_templates(text);
    let for_parse: Cow<'_, str> = if json && masked.contains('\t') {
        Cow::Owned(masked.replace('\t', " "))
    } else {
        masked
    };
    // A JSON file must be JSON: serde_json checks it first (and words its errors), then the
    // YAML reader builds the tree with places.
    if json {
        if let Some(e) = json_error(&for_parse, text) {
            return Err(e);
        }
    }
    match Builder::new(&for_parse).run() {
        Ok(mut docs) => {
            align_spans(&mut docs, text);
            Ok(docs)
        }
        Err((message, offset)) => Err(ParseError::new(
            message,
            error_span(&for_parse, text, offset.min(text.len())),
        )),
    }
}

/// The error of a JSON file in JSON's words (serde_json's message and place); `None` when the
/// text is JSON.
fn json_error(for_parse: &str, text: &str) -> Option<ParseError> {
    let err = serde_json::from_str::<serde::de::IgnoredAny>(for_parse).err()?;
    let message = err.to_string();
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    // serde_json counts the column in bytes from the line start (1-based; 0 at a line's end).
    let line_start = crate::lint::source::line_starts(for_parse)
        .get(err.line().saturating_sub(1))
        .copied()
        .unwrap_or(text.len());
    let offset = (line_start + err.column().saturating_sub(1)).min(text.len());
    Some(ParseError::new(
        format!("invalid JSON: {message}"),
        error_span(for_parse, text, offset),
    ))
}

/// Turns saphyr-parser's markers into byte offsets of the text it read. A marker's line is
/// 1-based and its column 0-based, in characters; its `index` counts characters too, except after
/// a directive's parameters, which it counts in bytes: line and column are the reliable pair (a
/// line start resets the column). A cursor walks the characters of the current line from the
/// last position, so a line is walked once however many markers it holds (events come in text
/// order); an ASCII text needs no walk at all.
struct Offsets<'a> {
    text: &'a str,
    starts: Vec<usize>,
    ascii: bool,
    line: usize,
    col: usize,
    byte: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Offsets {
            text,
            starts: crate::lint::source::line_starts(text),
            ascii: text.is_ascii(),
            line: 0,
            col: 0,
            byte: 0,
        }
    }

    fn at(&mut self, m: &Marker) -> usize {
        let line = m.line().max(1) - 1;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let end = self.starts.get(line + 1).map_or(self.text.len(), |&e| e);
        if self.ascii {
            return (start + m.col()).min(end);
        }
        if line != self.line || m.col() < self.col || self.byte < start {
            (self.line, self.col, self.byte) = (line, 0, start);
        }
        while self.col < m.col() {
            match self.text[self.byte..end].chars().next() {
                Some(c) => {
                    self.byte += c.len_utf8();
                    self.col += 1;
                }
                None => break,
            }
        }
        self.byte
    }

    fn range(&mut self, span: &Span) -> Range<usize> {
        let start = self.at(&span.start);
        let end = self.at(&span.end);
        start..end.max(start)
    }
}

/// An open collection.
enum Frame {
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<(YKey, YNode)>,
        key: Option<YKey>,
        merges: bool,
    },
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<YNode>,
    },
}

/// A parse failure: the message and the byte offset in the text read.
type Failure = (String, usize);

struct Builder<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
    stack: Vec<Frame>,
    docs: Vec<YNode>,
    /// Anchored nodes by saphyr-parser's anchor id (ids grow from 1 through the stream).
    anchors: Vec<Option<YNode>>,
    copied: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Builder {
            text,
            offsets: Offsets::new(text),
            stack: Vec::new(),
            docs: Vec::new(),
            anchors: Vec::new(),
            copied: 0,
        }
    }

    fn run(mut self) -> Result<Vec<YNode>, Failure> {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, span) = match next {
                Ok(ev) => ev,
                Err(e) => {
                    let at = self.offsets.at(e.marker());
                    return Err((e.info().to_string(), at));
                }
            };
            match event {
                Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    self.stack.clear();
                }
                Event::Scalar(value, style, anchor, _tag) => {
                    let mut span = self.offsets.range(&span);
                    let b = self.text.as_bytes();
                    let value = match style {
                        // An absent value (`key:`, `- `, `{a, b}`, an empty document) is a plain
                        // `~` whose marker covers the next token: nothing, placed there. A `~`
                        // written out stays `~`.
                        ScalarStyle::Plain if value == "~" && b.get(span.start) != Some(&b'~') => {
                            span.end = span.start;
                            String::new()
                        }
                        // The end marker of a quoted scalar lies after the blanks and the comment
                        // that follow it on its line: end at its closing quote.
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                            span.end = quoted_end(b, span.start, span.end);
                            value.into_owned()
                        }
                        _ => value.into_owned(),
                    };
                    let node = YNode {
                        value: YValue::Scalar(value),
                        span,
                    };
                    self.complete(node, anchor)?;
                }
                Event::Alias(id) => {
                    let at = self.offsets.range(&span);
                    let Some(Some(node)) = self.anchors.get(id) else {
                        return Err(("an alias refers to no anchor".into(), at.start));
                    };
                    self.copied += node.size();
                    if self.copied > ALIAS_NODE_BUDGET {
                        return Err((
                            format!("aliases expand to more than {ALIAS_NODE_BUDGET} nodes"),
                            at.start,
                        ));
                    }
                    let node = node.clone();
                    self.complete(node, 0)?;
                }
                Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                    let start = self.offsets.at(&span.start);
                    if self.stack.len() >= MAX_YAML_DEPTH {
                        let flow = matches!(self.text.as_bytes().get(start), Some(b'[' | b'{'));
                        let message = if flow {
                            "recursion limit exceeded".to_string()
                        } else {
                            format!("nested deeper than {MAX_YAML_DEPTH} levels")
                        };
                        return Err((message, start));
                    }
                    self.stack
                        .push(if matches!(event, Event::MappingStart(..)) {
                            Frame::Map {
                                start,
                                anchor,
                                entries: Vec::new(),
                                key: None,
                                merges: false,
                            }
                        } else {
                            Frame::Seq {
                                start,
                                anchor,
                                items: Vec::new(),
                            }
                        });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let (node, anchor) = match self.stack.pop() {
                        Some(Frame::Map {
                            start,
                            anchor,
                            entries,
                            merges,
                            ..
                        }) => (map_node(entries, start, merges)?, anchor),
                        Some(Frame::Seq {
                            start,
                            anchor,
                            items,
                        }) => {
                            let end = items.last().map_or(start, |v| v.span.end);
                            let node = YNode {
                                value: YValue::Seq(items),
                                span: start..end.max(start),
                            };
                            (node, anchor)
                        }
                        None => continue,
                    };
                    self.complete(node, anchor)?;
                }
            }
        }
        Ok(self.docs)
    }

    /// A node is complete: remember it under its anchor and put it in its parent.
    fn complete(&mut self, node: YNode, anchor: usize) -> Result<(), Failure> {
        if anchor > 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            self.anchors[anchor] = Some(node.clone());
        }
        match self.stack.last_mut() {
            None => {
                // A document that holds nothing (comments only, an empty `---`) is skipped.
                let nothing = node.span.is_empty() && node.as_str() == Some("");
                if !nothing {
                    self.docs.push(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                merges,
                ..
            }) => match key.take() {
                Some(k) => {
                    *merges |= k.text == "<<";
                    entries.push((k, node));
                }
                None => match node.value {
                    YValue::Scalar(text) => {
                        *key = Some(YKey {
                            text,
                            span: node.span,
                        })
                    }
                    _ => {
                        return Err(("a mapping key must be a scalar".into(), node.span.start));
                    }
                },
            },
        }
        Ok(())
    }
}

/// The end of the quoted scalar that starts at `start` (its quote), within `end`: after the
/// closing quote (`\"` escapes a double quote, `''` is a single quote in a single-quoted one).
fn quoted_end(b: &[u8], start: usize, end: usize) -> usize {
    let Some(&q @ (b'"' | b'\'')) = b.get(start) else {
        return end;
    };
    let mut i = start + 1;
    while i < end {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q => {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            }
            _ => i += 1,
        }
    }
    end
}

/// A finished mapping: merge keys applied, duplicate keys refused.
fn map_node(mut entries: Vec<(YKey, YNode)>, start: usize, merges: bool) -> Result<YNode, Failure> {
    if let Some(dup) = duplicate(&entries) {
        return Err(("duplicate key".into(), dup));
    }
    let end = entries.last().map_or(start, |(_, v)| v.span.end);
    if merges {
        entries = merge(entries)?;
    }
    Ok(YNode {
        value: YValue::Map(entries),
        span: start..end.max(start),
    })
}

/// The start of the second of two keys that are the same, if any.
fn duplicate(entries: &[(YKey, YNode)]) -> Option<usize> {
    if entries.len() <= 16 {
        return entries.iter().enumerate().find_map(|(i, (k, _))| {
            entries[..i]
                .iter()
                .any(|(o, _)| o.text == k.text)
                .then_some(k.span.start)
        });
    }
    let mut keys: Vec<(&str, usize)> = entries
        .iter()
        .map(|(k, _)| (k.text.as_str(), k.span.start))
        .collect();
    keys.sort_unstable();
    keys.windows(2)
        .find(|w| w[0].0 == w[1].0)
        .map(|w| w[0].1.max(w[1].1))
}

/// YAML's merge key: `<<: *base` (or a list of mappings) adds the entries of the merged mappings
/// whose keys the mapping does not set itself; of several merged mappings the first one wins.
/// The merged entries take the place of the `<<` entry, so that a rule reading in order sees them
/// where they were merged.
fn merge(entries: Vec<(YKey, YNode)>) -> Result<Vec<(YKey, YNode)>, Failure> {
    let own: std::collections::HashSet<String> = entries
        .iter()
        .filter(|(k, _)| k.text != "<<")
        .map(|(k, _)| k.text.clone())
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        if k.text != "<<" {
            out.push((k, v));
            continue;
        }
        let sources = match v.value {
            YValue::Map(_) => vec![v],
            YValue::Seq(items) => items,
            YValue::Scalar(_) => {
                return Err(("a merge key (`<<`) needs a mapping".into(), v.span.start));
            }
        };
        for source in sources {
            let YValue::Map(merged) = source.value else {
                return Err((
                    "a merge key (`<<`) needs a mapping".into(),
                    source.span.start,
                ));
            };
            for (mk, mv) in merged {
                if !own.contains(&mk.text) && seen.insert(mk.text.clone()) {
                    out.push((mk, mv));
                }
            }
        }
    }
    Ok(out)
}

/// Widen every span to character boundaries of the file's own text. The parser reads the masked
/// text, where a template's multi-byte characters became ASCII, so a position that is a boundary
/// there can split a character of the file (found by the `yaml` fuzz target).
fn align_spans(docs: &mut [YNode], original: &str) {
    fn align(span: &mut Range<usize>, original: &str) {
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

/// The span of an error at `offset`: the token there, at least one character, on character
/// boundaries of the file's own text (never half of a character: a token of length 0 before a
/// multi-byte character once made a span that split it, and template masking changes which bytes
/// start a character, found by the `yaml` fuzz target).
fn error_span(text_for_parse: &str, original: &str, offset: usize) -> Range<usize> {
    let mut start = offset.min(original.len()).min(text_for_parse.len());
    while !(original.is_char_boundary(start) && text_for_parse.is_char_boundary(start)) {
        start -= 1;
    }
    let mut end = (start + token_len(text_for_parse, start).max(1))
        .min(original.len())
        .max(start);
    while !original.is_char_boundary(end) {
        end += 1;
    }
    start..end
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
        assert_eq!(d.get("empty").unwrap().as_str(), Some(""));
    }

    /// saphyr-parser's markers count characters: spans after multi-byte characters (in keys,
    /// values, comments) are byte ranges of the same text.
    #[test]
    fn spans_after_multibyte_characters_are_byte_ranges() {
        let text = "# héllo ключ 😀\nnäme: \"wért\" # é\nlist:\n  - ü: 😀x\n  - 'ß'\n";
        let d = &parse(text, false).unwrap()[0];
        let at = |r: &Range<usize>| &text[r.clone()];
        let (k, v) = d.entry("näme").unwrap();
        assert_eq!((at(&k.span), at(&v.span)), ("näme", "\"wért\""));
        let list = d.get("list").unwrap().as_seq();
        let (k, v) = list[0].entry("ü").unwrap();
        assert_eq!((at(&k.span), at(&v.span)), ("ü", "😀x"));
        assert_eq!(at(&list[1].span), "'ß'");
        // Backwards too: an error after them points at the right byte.
        let bad = "é: 😀\nb: [x, \"ü\" ü\n";
        let err = parse(bad, false).unwrap_err();
        assert!(bad.is_char_boundary(err.span.start) && bad.is_char_boundary(err.span.end));
        assert!(err.span.start > bad.find('b').unwrap(), "{err:?}");
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

    /// A JSON file's syntax error is told in JSON's words (serde_json's), at its place.
    #[test]
    fn json_errors_use_json_wording() {
        let text = "{\n  \"service\": {\"name\": \"elastic\"\n  \"tls\": true\n}\n";
        let err = parse(text, true).unwrap_err();
        assert_eq!(err.message, "invalid JSON: expected `,` or `}`");
        assert_eq!(&text[err.span.clone()], "\"tls\"");
        for (text, message) in [
            ("{\"a\": }", "invalid JSON: expected value"),
            ("{\"a\": 1,}", "invalid JSON: key must be a string"),
            ("{\"a\": 1} x", "invalid JSON: trailing characters"),
            ("{\"a\": [1, 2}", "invalid JSON: expected `,` or `]`"),
            ("{\"a\": \"é", "invalid JSON: EOF while parsing a string"),
        ] {
            let err = parse(text, true).unwrap_err();
            assert_eq!(err.message, message, "{text:?}");
            assert!(text.is_char_boundary(err.span.start) && err.span.end <= text.len());
        }
        // The same text as YAML keeps YAML's words.
        assert!(!parse("a: [1, 2}", false)
            .unwrap_err()
            .message
            .contains("JSON"));
    }

    /// Anchors and aliases are expanded: an alias is the anchored node, spans included (they point
    /// at the text that spells the value); the entry's key is where it is written.
    #[test]
    fn aliases_are_expanded_with_the_anchors_spans() {
        let text = "common: &tls\n  cert: /a.crt\n  auth: \"false\"\nserver: *tls\n\
                    url: &u https://x:2379\nurls: [*u, *u]\n";
        let d = &parse(text, false).unwrap()[0];
        let server = d.get("server").unwrap();
        assert_eq!(server.get("auth").unwrap().as_str(), Some("false"));
        assert_eq!(&text[server.get("auth").unwrap().span.clone()], "\"false\"");
        assert_eq!(
            server.get("auth").unwrap().span,
            d.get("common").unwrap().get("auth").unwrap().span
        );
        let (k, _) = d.entry("server").unwrap();
        assert_eq!(&text[k.span.clone()], "server");
        let urls = d.get("urls").unwrap().as_seq();
        assert_eq!(urls.len(), 2);
        assert_eq!(urls[1].as_str(), Some("https://x:2379"));
        assert_eq!(&text[urls[1].span.clone()], "https://x:2379");
        assert_eq!(&text[d.get("url").unwrap().span.clone()], "https://x:2379");
    }

    /// `<<: *base` merges the base's entries; the mapping's own keys win, wherever they are.
    #[test]
    fn merge_keys_merge_under_the_own_entries() {
        let text = "base: &b {a: 1, b: 2}\nother: &o {c: 5, a: 9}\n\
                    m:\n  b: 3\n  <<: [*b, *o]\n  d: 4\n";
        let m = parse(text, false).unwrap()[0].get("m").unwrap().clone();
        let keys: Vec<&str> = m.as_map().iter().map(|(k, _)| k.text.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c", "d"]);
        assert_eq!(m.get("a").unwrap().as_str(), Some("1"));
        assert_eq!(m.get("b").unwrap().as_str(), Some("3"));
        assert!(parse("a: &x 1\nb:\n  <<: *x\n", false).is_err());
    }

    /// The "billion laughs": nine levels of nine aliases is one error, at once, never 9^9 nodes.
    #[test]
    fn an_alias_bomb_is_one_bounded_error() {
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        let mut prev = 'a';
        for n in 'b'..='i' {
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{n}: &{n} [{refs}]\n"));
            prev = n;
        }
        let t = std::time::Instant::now();
        let err = parse(&text, false).unwrap_err();
        assert!(
            t.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            t.elapsed()
        );
        assert_eq!(
            err.message,
            format!("aliases expand to more than {ALIAS_NODE_BUDGET} nodes")
        );
        assert!(text[err.span.clone()].starts_with('*'));
        // Fewer levels fit the budget and are read.
        let small: String = text.lines().take(4).map(|l| format!("{l}\n")).collect();
        assert_eq!(
            parse(&small, false).unwrap()[0]
                .get("d")
                .unwrap()
                .as_seq()
                .len(),
            9
        );
    }

    /// Content on a `---` line belongs to the document it starts.
    #[test]
    fn content_after_a_document_marker_is_parsed() {
        let text = "--- {a: 1}\n--- !Tagged\nkind: Pod\n--- key: v\n--- |\n  text\n---\n# c\n";
        let docs = parse(text, false);
        // `--- key: v` is not YAML (a block mapping cannot start on the marker line): an error
        // at its place, never silently dropped.
        let err = docs.unwrap_err();
        assert_eq!(err.span.start, text.find("key: v").unwrap() + 3);
        let text = "--- {a: 1}\n--- !Tagged\nkind: Pod\n--- |\n  text\n---\n# c\n--- \"q\"\n";
        let docs = parse(text, false).unwrap();
        assert_eq!(docs.len(), 4);
        assert_eq!(docs[0].get("a").unwrap().as_str(), Some("1"));
        assert_eq!(&text[docs[0].get("a").unwrap().span.clone()], "1");
        assert_eq!(docs[1].get("kind").unwrap().as_str(), Some("Pod"));
        assert_eq!(docs[2].as_str(), Some("text\n"));
        assert_eq!(docs[3].as_str(), Some("q"));
    }

    #[test]
    fn duplicate_keys_and_complex_keys_are_errors_at_their_place() {
        let text = "a: 1\nb: 2\na: 3\n";
        let err = parse(text, false).unwrap_err();
        assert_eq!(
            (err.message.as_str(), err.span.start),
            ("duplicate key", 10)
        );
        let err = parse("? [a]\n: 1\n", false).unwrap_err();
        assert_eq!(err.message, "a mapping key must be a scalar");
    }

    /// saphyr-parser counts a directive's parameters in bytes in `Marker::index`: spans come from
    /// line and column, so a non-ASCII directive does not shift the spans after it (found by
    /// tests/yaml_parse.rs).
    #[test]
    fn a_non_ascii_directive_does_not_shift_spans() {
        let text = "%é e\n---\nk2: v\n";
        let docs = parse(text, false).unwrap();
        let (k, v) = docs[0].entry("k2").unwrap();
        assert_eq!((&text[k.span.clone()], &text[v.span.clone()]), ("k2", "v"));
    }
}
