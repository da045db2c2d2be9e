//! The lint YAML/JSON parser (`src/lint/parse/yaml.rs`, saphyr-parser's events) on every
//! fixture, the generated corpus, generated YAML-ish text and generated documents: it never
//! panics, every span lies on character boundaries of the file, a key's or a scalar's span is the
//! text that spells it (no re-scanning: the parser's own markers), and where marked-yaml (the
//! model loader's parser, used here as a second reading) accepts a document, both read the same
//! keys and values in the same order.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tlsgen::lint::parse::yaml::{parse, YNode, YValue};
use tlsgen_dev::corpus::{self, CorpusKind};

#[path = "support/proptest_config.rs"]
mod proptest_config;
use proptest_config::config;

/// A tree without places, to compare two parsers' readings.
#[derive(Debug, PartialEq)]
enum Plain {
    Scalar(String),
    Map(Vec<(String, Plain)>),
    Seq(Vec<Plain>),
}

fn plain(n: &YNode) -> Plain {
    match &n.value {
        YValue::Scalar(s) => Plain::Scalar(s.clone()),
        YValue::Map(e) => Plain::Map(e.iter().map(|(k, v)| (k.text.clone(), plain(v))).collect()),
        YValue::Seq(i) => Plain::Seq(i.iter().map(plain).collect()),
    }
}

fn marked_plain(n: &marked_yaml::Node) -> Plain {
    match n {
        marked_yaml::Node::Scalar(s) => Plain::Scalar(s.as_str().to_string()),
        marked_yaml::Node::Mapping(m) => Plain::Map(
            m.iter()
                .map(|(k, v)| (k.as_str().to_string(), marked_plain(v)))
                .collect(),
        ),
        marked_yaml::Node::Sequence(s) => Plain::Seq(s.iter().map(marked_plain).collect()),
    }
}

/// Every span of a tree on character boundaries of `text`; a key's or a scalar's span spells
/// it: a quoted one from its opening to its closing quote, a plain one-line one exactly.
fn check_spans(text: &str, n: &YNode) {
    let ok = |s: &std::ops::Range<usize>| {
        s.start <= s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    };
    assert!(ok(&n.span), "span {:?} in {text:?}", n.span);
    // Template syntax is masked before parsing (same offsets, other characters).
    let templated = text.contains("{{") || text.contains("{%") || text.contains("<%");
    let spells = |value: &str, span: &std::ops::Range<usize>| {
        let src = &text[span.clone()];
        match src.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => {
                assert!(
                    src.len() >= 2 && src.as_bytes()[src.len() - 1] == q,
                    "{src:?} in {text:?}"
                )
            }
            Some(b'|' | b'>' | b'&' | b'!' | b'*') | None => {}
            Some(_)
                if !src.contains(['\n', '\r'])
                    && !value.contains(['\n', '\r'])
                    && !value.is_empty()
                    && !templated =>
            {
                assert_eq!(src, value, "span of a plain scalar in {text:?}")
            }
            Some(_) => {}
        }
    };
    match &n.value {
        YValue::Scalar(s) => spells(s, &n.span),
        YValue::Map(entries) => {
            for (k, v) in entries {
                assert!(ok(&k.span), "key span {:?} in {text:?}", k.span);
                spells(&k.text, &k.span);
                check_spans(text, v);
            }
        }
        YValue::Seq(items) => items.iter().for_each(|v| check_spans(text, v)),
    }
}

/// The documents of a simple stream (split at `---` lines) as marked-yaml reads them, or `None`
/// when it refuses one, or when the stream holds what the split cannot follow.
fn marked_docs(text: &str) -> Option<Vec<Plain>> {
    if text
        .lines()
        .any(|l| l.starts_with("--- ") || l.starts_with("...") || l.starts_with('%'))
        || text.contains(['\u{feff}', '\u{2028}', '\u{2029}', '\u{85}'])
    {
        return None;
    }
    let mut docs = Vec::new();
    let mut chunk = String::new();
    let mut flush = |chunk: &mut String| -> Option<()> {
        let blank = chunk
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
        if !blank {
            let node = marked_yaml::parse_yaml(0, chunk.as_str()).ok()?;
            docs.push(marked_plain(&node));
        }
        chunk.clear();
        Some(())
    };
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            flush(&mut chunk)?;
        } else {
            chunk.push_str(line);
        }
    }
    flush(&mut chunk)?;
    Some(docs)
}

/// Parse `text`, check its spans, and compare with marked-yaml where that one accepts the text.
/// Returns the documents when the parser accepts the text.
fn reads(text: &str, json: bool) -> Option<Vec<YNode>> {
    let parsed = parse(text, json);
    match &parsed {
        Ok(docs) => docs.iter().for_each(|d| check_spans(text, d)),
        Err(e) => {
            assert!(
                e.span.start <= e.span.end
                    && e.span.end <= text.len()
                    && text.is_char_boundary(e.span.start)
                    && text.is_char_boundary(e.span.end),
                "error span {:?} in {text:?}",
                e.span
            );
        }
    }
    if !json && !text.contains(['{', '\t']) && !text.contains("<%") {
        if let (Ok(docs), Some(reference)) = (&parsed, marked_docs(text)) {
            let ours: Vec<Plain> = docs.iter().map(plain).collect();
            assert_eq!(ours, reference, "marked-yaml reads {text:?} otherwise");
        }
    }
    parsed.ok()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
}

#[test]
fn every_fixture_is_read_with_exact_spans() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root.join("tests")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("fixtures") {
            collect(&entry.path(), &mut files);
        }
    }
    assert!(
        files.len() > 50,
        "found only {} yaml/json fixtures",
        files.len()
    );
    let mut parsed = 0;
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        let json = f.extension().is_some_and(|e| e == "json");
        // Both readings: a fixture's own syntax, and the other one (a JSON file is YAML too).
        if reads(&text, json).is_some() {
            parsed += 1;
        }
        reads(&text, !json);
    }
    // A few fixtures are broken on purpose (parse-error cases).
    assert!(
        parsed * 10 > files.len() * 9,
        "parsed only {parsed} of {} fixtures",
        files.len()
    );
}

#[test]
fn the_corpus_is_read() {
    let mut counts = [0usize; 3];
    for f in corpus::generate(1, &CorpusKind::ALL, 900) {
        let (json, slot) = match f.kind {
            CorpusKind::EtcdPod => (false, 0),
            CorpusKind::Encryption => (false, 1),
            CorpusKind::Elastic => (true, 2),
            _ => continue,
        };
        let docs = reads(&f.text, json);
        assert!(
            docs.is_some_and(|d| !d.is_empty()),
            "not read: {}:\n{}",
            f.path,
            f.text
        );
        counts[slot] += 1;
    }
    assert_eq!(
        counts,
        [100, 100, 100],
        "pods, encryption configs, options.json"
    );
}

/// Pieces of YAML and JSON, so that generated text reaches the fast path's corners.
const PIECES: &[&str] = &[
    "\n",
    "\n",
    "\n",
    "\r\n",
    " ",
    " ",
    "  ",
    "    ",
    "- ",
    "- ",
    "-",
    ": ",
    ":",
    "# c",
    " #",
    "#",
    "\"",
    "'",
    "''",
    "\\\"",
    "\\n",
    "\\u00e9",
    "\\x41",
    "\\/",
    "\\",
    "{}",
    "[]",
    "{",
    "}",
    "[",
    "]",
    ",",
    "key",
    "k2",
    "a",
    "b",
    "--flag=value",
    "https://a:2379,b",
    "é",
    "ключ",
    "~",
    "null",
    "1",
    "-1.5e3",
    "true",
    "\"q\"",
    "'s'",
    "&a ",
    "*a",
    "!t ",
    "|",
    ">",
    "?",
    "---\n",
    "...\n",
    "%",
    "\t",
    "\u{feff}",
    "\u{2028}",
];

/// Values for line-shaped text: plain, quoted (with escapes), flow, odd and empty ones.
const VALUES: &[&str] = &[
    "",
    "",
    "v",
    "a b",
    "--flag=value",
    "https://a:2379,b",
    "a#b",
    "a #b",
    "é",
    "~",
    "null",
    "\"x\\\"y\"",
    "\"\\u00e9\\t\"",
    "\"\\q\"",
    "\"open",
    "'it''s'",
    "'open",
    "{}",
    "[]",
    "{a: 1}",
    "[x]y",
    "x]y,z",
    "b: c",
    "b:",
    "-",
    "- x",
    "-x",
    "&a v",
    "*a",
    "!t v",
    "|",
    ">",
    "? x",
    ":x",
    "%x",
    "@x",
    "\"a\" b",
    "'a'#b",
    "a\tb",
];

/// Text made of YAML-ish lines: an indentation, entry dashes, a key, a value, a comment.
fn lines() -> impl Strategy<Value = String> {
    let line = (
        proptest::sample::select(&[0, 0, 0, 2, 2, 2, 4, 4, 1, 3, 6][..]),
        proptest::sample::select(&["", "", "", "", "- ", "- ", "-   ", "- - ", "-"][..]),
        proptest::sample::select(&["", "k:", "k: ", "key: ", "\"k q\": ", "'k': ", "k2:  "][..]),
        proptest::sample::select(VALUES),
        proptest::sample::select(&["", "", " # c", "#c", "  "][..]),
        proptest::sample::select(&["\n", "\n", "\n", "\r\n", "\n\n", "\n  # c\n"][..]),
    )
        .prop_map(|(indent, dash, key, value, comment, end)| {
            format!("{}{dash}{key}{value}{comment}{end}", " ".repeat(indent))
        });
    proptest::collection::vec(line, 1..12).prop_map(|l| l.concat())
}

fn soup() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(
            prop_oneof![
                4 => proptest::sample::select(PIECES).prop_map(str::to_string),
                1 => "[a-z0-9_./=-]{1,8}",
            ],
            0..48,
        )
        .prop_map(|parts| parts.concat()),
        lines(),
    ]
}

/// A document tree of the handled subset, rendered later with random styles.
#[derive(Debug, Clone)]
enum Tree {
    /// A scalar as written in YAML (plain or quoted) and as written in JSON.
    Scalar(&'static str, &'static str),
    Empty,
    EmptyMap,
    EmptySeq,
    Map(Vec<Tree>),
    Seq(Vec<Tree>),
}

/// Scalars of the subset, YAML spelling and JSON spelling.
const SCALARS: &[(&str, &str)] = &[
    ("etcd", "\"etcd\""),
    (
        "--cert-file=/etc/k/server.crt",
        "\"--cert-file=/etc/k/server.crt\"",
    ),
    (
        "https://127.0.0.1:2379,https://10.0.0.1:2379",
        "\"https://a:2379,b\"",
    ),
    ("a#b", "\"a#b\""),
    ("v1,v2 x]y {z}", "\"v1\""),
    ("-x", "-1"),
    ("100m", "100"),
    ("null", "null"),
    ("~", "true"),
    ("true", "false"),
    ("0.5", "0.5"),
    ("2000001000", "-0"),
    ("1e3", "1e3"),
    ("é ключ 😀", "\"é ключ 😀\""),
    ("\"x\\\"y\"", "\"x\\\"y\""),
    (
        "\"\\t\\u00e9\\x41\\/\\\\ \\N\\_\"",
        "\"\\t\\u00e9\\/\\\\ \\b\\f\\r\"",
    ),
    ("\"\"", "\"\""),
    ("'it''s'", "\"it's\""),
    ("''", "\"'\""),
    ("'a # b: c'", "\"a # b: c\""),
];

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        6 => proptest::sample::select(SCALARS).prop_map(|(y, j)| Tree::Scalar(y, j)),
        1 => Just(Tree::Empty),
        1 => Just(Tree::EmptyMap),
        1 => Just(Tree::EmptySeq),
    ];
    leaf.prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..5).prop_map(Tree::Map),
            proptest::collection::vec(inner, 1..5).prop_map(Tree::Seq),
        ]
    })
}

fn top_map() -> impl Strategy<Value = Tree> {
    proptest::collection::vec(tree(), 1..6).prop_map(Tree::Map)
}

/// Style choices drawn one at a time from random bytes.
struct Style<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Style<'_> {
    fn pick(&mut self, n: u8) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b % n
    }
}

struct Yaml<'a> {
    out: String,
    style: Style<'a>,
    step: usize,
}

impl Yaml<'_> {
    /// End the current line, sometimes with a comment, then sometimes a blank or comment line.
    fn eol(&mut self) {
        if self.style.pick(6) == 0 {
            self.out.push_str(" # note: x");
        }
        self.out.push('\n');
        match self.style.pick(8) {
            0 => self.out.push('\n'),
            1 => {
                let n = self.style.pick(7) as usize;
                self.out.push_str(&" ".repeat(n));
                self.out.push_str("# comment - a: b\n");
            }
            _ => {}
        }
    }

    /// `node` as the value after `key:` (the key is written) for a mapping at column `col`.
    fn value(&mut self, node: &Tree, col: usize) {
        match node {
            Tree::Scalar(y, _) => {
                self.out.push(' ');
                self.out.push_str(y);
                self.eol();
            }
            Tree::Empty => self.eol(),
            Tree::EmptyMap => {
                self.out.push_str(" {}");
                self.eol();
            }
            Tree::EmptySeq => {
                self.out.push_str(" []");
                self.eol();
            }
            Tree::Map(entries) => {
                self.eol();
                self.map(entries, col + self.step, None);
            }
            Tree::Seq(items) => {
                self.eol();
                let indentless = self.style.pick(2) == 0;
                self.seq(items, if indentless { col } else { col + self.step }, None);
            }
        }
    }

    /// A block mapping at column `col`; `first` is the text already on the first key's line
    /// (`- ` of a compact entry), else the key is indented.
    fn map(&mut self, entries: &[Tree], col: usize, mut first: Option<()>) {
        for (i, v) in entries.iter().enumerate() {
            if first.take().is_none() {
                self.out.push_str(&" ".repeat(col));
            }
            match self.style.pick(4) {
                0 => self.out.push_str(&format!("\"k{i}\":")),
                1 => self.out.push_str(&format!("'k {i}':")),
                _ => self.out.push_str(&format!("key-{i}.x:")),
            }
            self.value(v, col);
        }
    }

    /// A block sequence whose `-` are at column `col`.
    fn seq(&mut self, items: &[Tree], col: usize, mut first: Option<()>) {
        for item in items {
            if first.take().is_none() {
                self.out.push_str(&" ".repeat(col));
            }
            self.out.push('-');
            match item {
                Tree::Scalar(y, _) => {
                    self.out.push(' ');
                    self.out.push_str(y);
                    self.eol();
                }
                Tree::Empty => self.eol(),
                Tree::EmptyMap => {
                    self.out.push_str(" {}");
                    self.eol();
                }
                Tree::EmptySeq => {
                    self.out.push_str(" []");
                    self.eol();
                }
                Tree::Map(entries) => {
                    if self.style.pick(3) == 0 {
                        self.eol();
                        self.map(entries, col + self.step, None);
                    } else {
                        let pad = 1 + self.style.pick(2) as usize;
                        self.out.push_str(&" ".repeat(pad));
                        self.map(entries, col + 1 + pad, Some(()));
                    }
                }
                Tree::Seq(inner) => {
                    if self.style.pick(3) == 0 {
                        self.eol();
                        self.seq(inner, col + self.step, None);
                    } else {
                        self.out.push(' ');
                        self.seq(inner, col + 2, Some(()));
                    }
                }
            }
        }
    }
}

fn render_yaml(tree: &Tree, bytes: &[u8]) -> String {
    let mut y = Yaml {
        out: String::new(),
        style: Style { bytes, at: 0 },
        step: 2,
    };
    y.step = 2 + 2 * y.style.pick(2) as usize;
    if y.style.pick(4) == 0 {
        y.out.push_str("# leading comment\n---\n");
    }
    let col = y.style.pick(2) as usize;
    if let Tree::Map(entries) = tree {
        y.map(entries, col, None);
    }
    if y.style.pick(4) == 0 {
        y.out.push_str("---\n# trailing comment only\n");
    }
    let crlf = y.style.pick(3) == 0;
    if crlf {
        y.out.replace('\n', "\r\n")
    } else {
        y.out
    }
}

fn render_json(tree: &Tree, bytes: &[u8]) -> String {
    fn ws(out: &mut String, style: &mut Style<'_>) {
        out.push_str(["", " ", "\n  ", "\r\n", "\t"][style.pick(5) as usize]);
    }
    fn go(node: &Tree, out: &mut String, style: &mut Style<'_>) {
        match node {
            Tree::Scalar(_, j) => out.push_str(j),
            Tree::Empty => out.push_str("\"\""),
            Tree::EmptyMap => out.push_str("{}"),
            Tree::EmptySeq => out.push_str("[ ]"),
            Tree::Map(entries) => {
                out.push('{');
                for (i, v) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    ws(out, style);
                    out.push_str(&format!("\"k{i}\\u00e9\""));
                    if style.pick(3) == 0 {
                        out.push(' ');
                    }
                    out.push(':');
                    ws(out, style);
                    go(v, out, style);
                }
                ws(out, style);
                out.push('}');
            }
            Tree::Seq(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    ws(out, style);
                    go(v, out, style);
                }
                ws(out, style);
                out.push(']');
            }
        }
    }
    let mut style = Style { bytes, at: 0 };
    let mut out = String::new();
    go(tree, &mut out, &mut style);
    if style.pick(2) == 0 {
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(config(2048, 0x5eed_fa57))]

    #[test]
    fn yaml_ish_text_is_read_or_refused_with_a_place(text in soup()) {
        reads(&text, false);
    }

    #[test]
    fn json_ish_text_is_read_or_refused_with_a_place(text in soup()) {
        reads(&text, true);
    }

    #[test]
    fn generated_yaml_documents_are_read(
        tree in top_map(),
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let text = render_yaml(&tree, &bytes);
        prop_assert!(reads(&text, false).is_some(), "not read: {:?}", text);
    }

    #[test]
    fn generated_json_documents_are_read(
        tree in top_map(),
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let text = render_json(&tree, &bytes);
        prop_assert!(reads(&text, true).is_some(), "not read: {:?}", text);
    }
}

/// The YAML-ish text is often a document both parsers read, so that the comparison with
/// marked-yaml above means something.
#[test]
fn yaml_ish_text_is_often_compared() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::new(config(1, 0x5eed_fa57));
    let (mut both, n) = (0, 2000);
    for _ in 0..n {
        let text = soup().new_tree(&mut runner).unwrap().current();
        let ours = reads(&text, false).is_some_and(|d| !d.is_empty());
        if ours && !text.contains(['{', '\t']) && marked_docs(&text).is_some() {
            both += 1;
        }
    }
    assert!(both >= 20, "compared only {both} of {n}");
}

fn depth(n: &YNode) -> usize {
    match &n.value {
        YValue::Scalar(_) => 0,
        YValue::Map(e) => 1 + e.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        YValue::Seq(i) => 1 + i.iter().map(depth).max().unwrap_or(0),
    }
}

/// Around the depth bound, in every shape of nesting: a document nested deeper than 100
/// collections is one parse error, one within it is read.
#[test]
fn the_depth_bound_holds_in_every_shape() {
    type Shape = (&'static str, fn(usize) -> String);
    let shapes: [Shape; 5] = [
        ("maps", |n| {
            (0..n)
                .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
                .collect::<String>()
                + &format!("{}leaf: x\n", "  ".repeat(n))
        }),
        ("dash chain", |n| format!("a:\n{}x\n", "- ".repeat(n))),
        ("items of maps", |n| {
            (0..n)
                .map(|i| format!("{}- k{i}:\n", "    ".repeat(i)))
                .collect::<String>()
                .replacen("- k0", "k0", 1)
                .replace("\n    ", "\n  ")
        }),
        ("scalars below keys", |n| {
            (0..n)
                .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
                .collect::<String>()
                + &format!("{}value\n", "  ".repeat(n))
        }),
        ("flow", |n| {
            format!("a: {}1{}\n", "[".repeat(n), "]".repeat(n))
        }),
    ];
    for (name, shape) in shapes {
        let (mut read, mut refused) = (0, 0);
        for n in 30..=120 {
            let text = shape(n);
            match parse(&text, false) {
                Ok(docs) => {
                    let d = docs.iter().map(depth).max().unwrap_or(0);
                    assert!(d <= 100, "{name} at {n}: read {d} levels");
                    read += 1;
                }
                Err(e) => {
                    assert!(
                        e.message.contains("nested deeper than 100")
                            || e.message.contains("recursion limit"),
                        "{name} at {n}: {e:?}"
                    );
                    refused += 1;
                }
            }
        }
        assert!(
            read > 5 && refused > 5,
            "{name}: read {read}, refused {refused}"
        );
    }
}
