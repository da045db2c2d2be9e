//! The hand-written YAML/JSON fast path (`src/lint/parse/yaml_fast.rs`) against the marked-yaml
//! path it stands in for: on every fixture, on a generated corpus, on generated YAML-ish text and
//! on generated documents of the handled subset, it either gives up or returns the very same tree
//! (scalars, key order, byte spans). On the corpus's static pods, EncryptionConfigurations and
//! `options.json`, and on generated subset documents, it must not give up (else the speed-up
//! would be fake).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tlsgen::lint::parse::yaml::{parse_fast, parse_marked, YNode};
use tlsgen_dev::corpus::{self, CorpusKind};

#[path = "support/proptest_config.rs"]
mod proptest_config;
use proptest_config::config;

/// The fast path's tree when it handles `text`, after checking it equals marked-yaml's.
fn agrees(text: &str, json: bool) -> Option<Vec<YNode>> {
    let fast = parse_fast(text, json)?;
    // `parse` checks a YAML file's depth only when a chunk goes to marked-yaml: a chunk the fast
    // path reads must be within the bound by `too_deep`'s count too.
    if !json {
        assert_eq!(
            tlsgen::model::too_deep(text),
            None,
            "the fast path read a document too_deep refuses: {text:?}"
        );
    }
    let slow = parse_marked(text, json);
    assert_eq!(
        Ok(&fast),
        slow.as_ref(),
        "fast path and marked-yaml differ (json: {json}) on {text:?}"
    );
    Some(fast)
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
fn every_fixture_is_given_up_on_or_parsed_the_same() {
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
    let mut handled = 0;
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        let json = f.extension().is_some_and(|e| e == "json");
        // Both readings: a fixture's own syntax, and the other one (a JSON file is YAML too).
        if agrees(&text, json).is_some() {
            handled += 1;
        }
        agrees(&text, !json);
    }
    // Most fixtures are in the subset; the rest (flow maps, block scalars, broken files) are
    // given up on and parsed by marked-yaml.
    assert!(
        handled * 2 > files.len(),
        "the fast path handled only {handled} of {} fixtures",
        files.len()
    );
}

#[test]
fn the_corpus_is_parsed_the_same_and_never_given_up_on() {
    let mut counts = [0usize; 3];
    for f in corpus::generate(1, &CorpusKind::ALL, 900) {
        let (json, slot) = match f.kind {
            CorpusKind::EtcdPod => (false, 0),
            CorpusKind::Encryption => (false, 1),
            CorpusKind::Elastic => (true, 2),
            _ => continue,
        };
        assert!(
            agrees(&f.text, json).is_some(),
            "the fast path gave up on {}:\n{}",
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
    fn yaml_ish_text_is_given_up_on_or_parsed_the_same(text in soup()) {
        agrees(&text, false);
    }

    #[test]
    fn json_ish_text_is_given_up_on_or_parsed_the_same(text in soup()) {
        agrees(&text, true);
    }

    #[test]
    fn subset_yaml_documents_are_handled_and_parsed_the_same(
        tree in top_map(),
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let text = render_yaml(&tree, &bytes);
        prop_assert!(agrees(&text, false).is_some(), "gave up on {:?}", text);
    }

    #[test]
    fn json_documents_are_handled_and_parsed_the_same(
        tree in top_map(),
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let text = render_json(&tree, &bytes);
        prop_assert!(agrees(&text, true).is_some(), "gave up on {:?}", text);
    }
}

/// The YAML-ish text reaches the fast path often enough for the property above to mean something.
#[test]
fn yaml_ish_text_reaches_the_fast_path() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::new(config(1, 0x5eed_fa57));
    let (mut yaml, mut json, mut slow) = (0, 0, 0);
    let n = 2000;
    for _ in 0..n {
        let text = soup().new_tree(&mut runner).unwrap().current();
        // Only documents count: a comment-only text is trivially "handled".
        let docs = |d: Option<Vec<YNode>>| usize::from(d.is_some_and(|d| !d.is_empty()));
        yaml += docs(agrees(&text, false));
        slow += usize::from(parse_marked(&text, false).is_ok_and(|d| !d.is_empty()));
        json += docs(agrees(&text, true));
    }
    eprintln!("handled: yaml {yaml}/{n} (marked-yaml parsed {slow}), json {json}/{n}");
    // Most text marked-yaml accepts here has multi-line plain scalars, tabs or flow mappings,
    // which the fast path leaves to it; a fifth is in the subset.
    assert!(
        yaml >= 20 && yaml * 6 >= slow,
        "the fast path handled {yaml} of {n} (marked-yaml parsed {slow})"
    );
}

/// Around the depth bound, in every shape of nesting the fast path reads, `parse` refuses a
/// document exactly when `too_deep` does, whichever parser reads it.
#[test]
fn the_depth_bound_is_the_same_on_the_fast_path() {
    use tlsgen::lint::parse::yaml::parse;
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
        ("indentless sequences", |n| {
            let mut t = String::new();
            for i in 0..n {
                t += &format!("{}k{i}:\n{}- ", "  ".repeat(i), "  ".repeat(i));
                t += "x\n";
            }
            t
        }),
        ("scalars below keys", |n| {
            (0..n)
                .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
                .collect::<String>()
                + &format!("{}value\n", "  ".repeat(n))
        }),
    ];
    let mut fast_near_bound = 0;
    for (name, shape) in shapes {
        for n in 90..=110 {
            let text = shape(n);
            let deep = tlsgen::model::too_deep(&text).is_some();
            let parsed = parse(&text, false);
            let refused = matches!(&parsed, Err(e) if e.message.contains("nested deeper"));
            assert_eq!(refused, deep, "{name} at {n}: {parsed:?}");
            if !deep && parse_fast(&text, false).is_some() {
                fast_near_bound += 1;
            }
        }
    }
    // The fast path does read documents this deep (else the check above proves nothing).
    assert!(fast_near_bound > 20, "{fast_near_bound}");
}
