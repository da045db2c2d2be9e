//! The module import graph of `src/lint`: layers import downward only (STYLE.md "Layers import
//! downward only"; issue 18, Build 4).
//!
//! Every `.rs` file under `src/lint` is one node (an inline `mod tests { … }` belongs to its
//! file). An edge `a -> b` is any path of `a` that names an item of `b`: a `use` tree (groups,
//! `self`, globs, `pub use` re-exports alike) or a path in code that starts with `crate::`,
//! `$crate::`, `super::`, `self::` or a child module declared with `mod x;`. The test fails on a
//! cycle (printed), on an edge that goes up the layer table [`LAYERS`], on a module of no layer,
//! and on an import of a module outside `src/lint` that the linter must not depend on
//! ([`FORBIDDEN`]).
//!
//! The parser is small on purpose: comments, strings and char literals are skipped, then tokens
//! are read; macros are read as the tokens they are written with (`$crate::lint::rule::Rule` in
//! `declare_rule!` is an edge of `rule.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers of `src/lint`, bottom first. A module is in the layer of the longest prefix that
/// names it; it may import its own layer (no cycle) and the layers below.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "source store and file kinds",
        &[
            "lint::source",
            "lint::placeholder",
            "lint::detect",
            "lint::severity",
        ],
    ),
    ("span-keeping parsers", &["lint::parse"]),
    // A fix is data: edits of the source store's files, built by views and rules.
    ("fix data", &["lint::fix"]),
    // One normalised view per target, and the certificate view of the files they name.
    ("views", &["lint::view"]),
    // What a rule is (Rule, Check, Ctx, Finding) and how a finding is shown.
    (
        "rule contract",
        &["lint::rule", "lint::diagnostic", "lint::redact"],
    ),
    ("rules", &["lint::rules"]),
    ("registry", &["lint::registry"]),
    (
        "settings and suppressions",
        &["lint::settings", "lint::suppress", "lint::baseline"],
    ),
    // The engine, in its steps: discover and read files, run the rules of a view; settle
    // findings; schedule the per-file pipeline and the cross-file steps; `lint()` on top.
    (
        "engine: discover, read, check",
        &[
            "lint::discover",
            "lint::walk",
            "lint::check",
            "lint::engine::input",
            "lint::engine::read",
            "lint::engine::par",
        ],
    ),
    ("engine: settle", &["lint::engine::settle"]),
    ("engine: schedule", &["lint::engine::schedule"]),
    ("engine", &["lint", "lint::engine"]),
    ("output", &["lint::output"]),
];

/// Modules of the crate outside `src/lint` that the linter must not import: the renderer (shared
/// facts live in `crate::facts`) and the command line (the fix loop lives there, above lint).
const FORBIDDEN: &[&str] = &["render", "cli"];

/// A token of Rust source, after comments and literals are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
}

/// Split source into identifiers (`$crate` included) and punctuation; skip whitespace, comments
/// (nested block comments too), string, byte-string, raw-string and char literals, lifetimes.
fn tokens(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let ident_char = |ch: char| ch == '_' || ch.is_alphanumeric();
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_string(&c, i);
        } else if (ch == 'r' || ch == 'b')
            && (next == Some('"') || next == Some('#') || next == Some('r') || next == Some('\''))
            && raw_or_byte_literal(&c, i).is_some()
        {
            i = raw_or_byte_literal(&c, i).unwrap_or(i + 1);
        } else if ch == '\'' {
            // A char literal ('a', '\n', '"') or a lifetime ('a, 'static).
            if next == Some('\\') {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < c.len() && ident_char(c[i]) {
                    i += 1;
                }
            }
        } else if ident_char(ch) || (ch == '$' && next.is_some_and(ident_char)) {
            let start = i;
            i += 1;
            while i < c.len() && ident_char(c[i]) {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            // `r#type`: a raw identifier.
            let word = word.strip_prefix("r#").map(str::to_string).unwrap_or(word);
            out.push(Tok::Ident(word));
        } else if ch == ':' && next == Some(':') {
            out.push(Tok::Path);
            i += 2;
        } else {
            out.push(Tok::Punct(ch));
            i += 1;
        }
    }
    out
}

/// The end of a string literal starting at `i` (the opening quote).
fn skip_string(c: &[char], mut i: usize) -> usize {
    i += 1;
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// The end of a literal starting with `r` or `b` at `i` (`r"…"`, `r#"…"#`, `b"…"`, `br"…"`,
/// `b'x'`), or `None` when it is an identifier (`ref`, `r#type`, `bytes`).
fn raw_or_byte_literal(c: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if c[j] == 'b' {
        j += 1;
        match c.get(j) {
            Some('"') => return Some(skip_string(c, j)),
            Some('\'') => {
                let mut k = j + 1;
                if c.get(k) == Some(&'\\') {
                    k += 1;
                }
                k += 1;
                return (c.get(k) == Some(&'\'')).then_some(k + 1);
            }
            Some('r') => {}
            _ => return None,
        }
    }
    // `r`, then hashes, then a quote.
    j += 1;
    let mut hashes = 0;
    while c.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if c.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < c.len() {
        if c[j] == '"' && (0..hashes).all(|h| c.get(j + 1 + h) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(j)
}

/// The module path of a file under `src/` (`lint/view/etcd.rs` -> `lint::view::etcd`).
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

/// What one file imports: module paths (from the crate root) it names, and the child modules it
/// declares with `mod x;`.
#[derive(Debug, Default)]
struct FileUses {
    paths: Vec<Vec<String>>,
    children: BTreeSet<String>,
}

/// Expand one `use` tree starting at `toks[*i]` under `prefix` into full paths.
fn use_tree(toks: &[Tok], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut segs = prefix;
    while let Some(t) = toks.get(*i) {
        match t {
            Tok::Path => *i += 1,
            Tok::Ident(s) if s == "as" => {
                // `as name` (or `as _`).
                *i += 2;
                break;
            }
            Tok::Ident(s) => {
                segs.push(s.clone());
                *i += 1;
                if toks.get(*i) != Some(&Tok::Path) {
                    if let Some(Tok::Ident(a)) = toks.get(*i) {
                        if a == "as" {
                            *i += 2;
                        }
                    }
                    break;
                }
                *i += 1;
            }
            Tok::Punct('{') => {
                *i += 1;
                loop {
                    match toks.get(*i) {
                        None => return,
                        Some(Tok::Punct('}')) => {
                            *i += 1;
                            return;
                        }
                        Some(Tok::Punct(',')) => *i += 1,
                        Some(_) => use_tree(toks, i, segs.clone(), out),
                    }
                }
            }
            Tok::Punct('*') => {
                *i += 1;
                break;
            }
            _ => break,
        }
    }
    // `a::{self, b}`: `self` names `a`.
    if segs.last().is_some_and(|s| s == "self") && segs.len() > 1 {
        segs.pop();
    }
    out.push(segs);
}

/// Read one file: every path it names (resolved from the crate root) and its `mod x;` children.
/// `module` is the file's module path.
fn scan(src: &str, module: &str) -> FileUses {
    let toks = tokens(src);
    let file_scope: Vec<String> = module.split("::").map(str::to_string).collect();
    let mut uses = FileUses::default();
    // Declared children first: a path in code may name one before its declaration.
    for w in toks.windows(3) {
        if let [Tok::Ident(m), Tok::Ident(name), Tok::Punct(';')] = w {
            if m == "mod" {
                uses.children.insert(name.clone());
            }
        }
    }
    // Inline modules: (name, brace depth at which it closes).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut raw: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let scope = || {
            let mut s = file_scope.clone();
            s.extend(inline.iter().map(|(n, _)| n.clone()));
            s
        };
        match &toks[i] {
            Tok::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Tok::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Tok::Ident(m) if m == "mod" => {
                if let (Some(Tok::Ident(name)), Some(Tok::Punct('{'))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    depth += 1;
                    inline.push((name.clone(), depth));
                    i += 3;
                } else {
                    i += 1;
                }
            }
            Tok::Ident(u) if u == "use" => {
                let here = scope();
                i += 1;
                let mut paths = Vec::new();
                use_tree(&toks, &mut i, Vec::new(), &mut paths);
                for p in paths {
                    raw.push((here.clone(), p));
                }
            }
            Tok::Ident(first) if toks.get(i + 1) == Some(&Tok::Path) => {
                // A path in code: `crate::a::b`, `super::x`, `child::y`.
                let preceded_by_path = i > 0 && toks[i - 1] == Tok::Path;
                let mut segs = vec![first.clone()];
                let mut j = i + 1;
                while toks.get(j) == Some(&Tok::Path) {
                    match toks.get(j + 1) {
                        Some(Tok::Ident(s)) => {
                            segs.push(s.clone());
                            j += 2;
                        }
                        _ => break,
                    }
                }
                if !preceded_by_path {
                    raw.push((scope(), segs));
                }
                i = j.max(i + 1);
            }
            _ => i += 1,
        }
    }
    for (scope, path) in raw {
        if let Some(abs) = resolve(&scope, &path, &file_scope, &uses.children) {
            uses.paths.push(abs);
        }
    }
    uses
}

/// A path as written in `scope` (file module plus inline modules), from the crate root; `None`
/// for a path of another crate or a local name.
fn resolve(
    scope: &[String],
    path: &[String],
    file_scope: &[String],
    children: &BTreeSet<String>,
) -> Option<Vec<String>> {
    let first = path.first()?;
    let mut base: Vec<String>;
    let mut rest = &path[1..];
    match first.as_str() {
        "crate" | "$crate" => base = Vec::new(),
        "self" => base = scope.to_vec(),
        "super" => {
            base = scope.to_vec();
            base.pop()?;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        // A child module declared by this file (`mod x;`), named from the file's own scope.
        name if scope.len() == file_scope.len() && children.contains(name) => {
            base = scope.to_vec();
            rest = path;
        }
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The node a crate-root path names: the longest file module that prefixes it.
fn node_of(path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// The import graph: file module -> modules it imports (self edges dropped), plus imports of
/// crate modules outside `src/lint` (module -> first segment).
#[derive(Debug, Default)]
struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
    outside: BTreeMap<String, BTreeSet<String>>,
}

fn build_graph(files: &[(String, String)]) -> Graph {
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut g = Graph::default();
    for (module, src) in files {
        let uses = scan(src, module);
        let entry = g.edges.entry(module.clone()).or_default();
        for path in uses.paths {
            if path.first().is_some_and(|s| s == "lint") {
                if let Some(node) = node_of(&path, &modules) {
                    if &node != module {
                        entry.insert(node);
                    }
                }
            } else if let Some(first) = path.first() {
                g.outside
                    .entry(module.clone())
                    .or_default()
                    .insert(first.clone());
            }
        }
    }
    g
}

/// Every strongly connected component of more than one module (Tarjan), with one cycle through
/// its first module (`a -> b -> … -> a`) and its members.
fn components(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<(Vec<String>, Vec<String>)> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        sccs: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        let edges = s.edges;
        for w in edges.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                scc.push(w);
                if w == v {
                    break;
                }
            }
            s.sccs.push(scc);
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        sccs: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    let mut out = Vec::new();
    for scc in s.sccs.into_iter().filter(|c| c.len() > 1) {
        let members: BTreeSet<&str> = scc.iter().copied().collect();
        let start = *members.iter().next().expect("non-empty");
        // Shortest way back to `start` inside the component (breadth first).
        let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut end = None;
        'bfs: while let Some(v) = queue.pop_front() {
            for w in edges.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !members.contains(w) {
                    continue;
                }
                if w == start {
                    end = Some(v);
                    break 'bfs;
                }
                if !prev.contains_key(w) {
                    prev.insert(w, v);
                    queue.push_back(w);
                }
            }
        }
        let mut cycle = vec![start.to_string()];
        let mut v = end.expect("a component has a cycle");
        let mut back = vec![v];
        while v != start {
            v = prev[v];
            back.push(v);
        }
        back.pop();
        cycle.extend(back.into_iter().rev().map(str::to_string));
        cycle.push(start.to_string());
        out.push((cycle, members.iter().map(|m| m.to_string()).collect()));
    }
    out
}

/// The layer of a module: the index in [`LAYERS`] of its longest listed prefix.
fn layer_of(module: &str) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, usize, &'static str)> = None;
    for (n, (name, prefixes)) in LAYERS.iter().enumerate() {
        for p in *prefixes {
            let matches = module == *p || module.starts_with(&format!("{p}::"));
            if matches && best.is_none_or(|(len, _, _)| p.len() > len) {
                best = Some((p.len(), n, name));
            }
        }
    }
    best.map(|(_, n, name)| (n, name))
}

/// What is wrong with a graph: cycles, upward edges, modules of no layer, forbidden imports.
fn problems(g: &Graph) -> Vec<String> {
    let mut out = Vec::new();
    for (cycle, members) in components(&g.edges) {
        out.push(format!("cycle: {}", cycle.join(" -> ")));
        if members.len() + 1 > cycle.len() {
            out.push(format!(
                "  (one of the cycles among {} modules: {})",
                members.len(),
                members.join(", ")
            ));
        }
    }
    for (from, tos) in &g.edges {
        let Some((lf, nf)) = layer_of(from) else {
            out.push(format!("{from} is in no layer: add it to LAYERS"));
            continue;
        };
        for to in tos {
            if let Some((lt, nt)) = layer_of(to) {
                if lt > lf {
                    out.push(format!("{from} ({nf}) imports {to} ({nt}), a higher layer"));
                }
            }
        }
    }
    for (from, tos) in &g.outside {
        for to in tos {
            if FORBIDDEN.contains(&to.as_str()) {
                out.push(format!(
                    "{from} imports crate::{to}, outside the linter's layers"
                ));
            }
        }
    }
    out
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/lint is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn lint_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rs_files(&src.join("lint"), &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).expect("under src");
            (
                module_of(rel),
                std::fs::read_to_string(p).expect("a readable source file"),
            )
        })
        .collect();
    assert!(
        files.len() > 50,
        "src/lint has its modules: {}",
        files.len()
    );
    build_graph(&files)
}

#[test]
fn lint_modules_import_downward_only() {
    let g = lint_graph();
    let found = problems(&g);
    assert!(
        found.is_empty(),
        "the import graph of src/lint is not layered:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_graph_sees_the_imports_it_must() {
    let g = lint_graph();
    // A rule file imports its view and the rule contract: the scan reads `use` groups.
    let etcd001 = &g.edges["lint::rules::etcd::etcd001_plaintext_client_listener"];
    assert!(etcd001.contains("lint::rule"), "{etcd001:?}");
    assert!(etcd001.contains("lint::view::etcd"), "{etcd001:?}");
    // The engine names modules in code through a `use` (`parse::systemd::parse` after
    // `use crate::lint::parse`), and `lint/mod.rs` re-exports it (`pub use engine::{lint, ..}`).
    let schedule = &g.edges["lint::engine::schedule"];
    assert!(schedule.contains("lint::parse"), "{schedule:?}");
    assert!(schedule.contains("lint::registry"), "{schedule:?}");
    assert!(schedule.contains("lint::engine::settle"), "{schedule:?}");
    assert!(
        g.edges["lint"].contains("lint::engine"),
        "{:?}",
        g.edges["lint"]
    );
}

fn synthetic(files: &[(&str, &str)]) -> Graph {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(m, s)| (m.to_string(), s.to_string()))
        .collect();
    build_graph(&files)
}

#[test]
fn a_cycle_is_found_and_printed() {
    let g = synthetic(&[
        ("lint", "pub mod a; pub mod b; pub mod c;"),
        // A group with a nested group and a re-export.
        ("lint::a", "pub use crate::lint::{b::{self, X}, source};"),
        // A fully qualified path in code.
        ("lint::b", "fn f() { let _ = crate::lint::c::g(); }"),
        // `super::` from a file module, inside a string and a comment nothing counts.
        (
            "lint::c",
            "// use crate::lint::rule;\nconst S: &str = \"crate::lint::rule::x\";\nuse super::a::Y;",
        ),
        ("lint::source", ""),
        ("lint::rule", ""),
    ]);
    assert_eq!(
        g.edges["lint::a"],
        BTreeSet::from(["lint::b".to_string(), "lint::source".to_string()])
    );
    assert_eq!(g.edges["lint::c"], BTreeSet::from(["lint::a".to_string()]));
    let found = components(&g.edges);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, ["lint::a", "lint::b", "lint::c", "lint::a"]);
    let found = problems(&g);
    assert!(
        found.contains(&"cycle: lint::a -> lint::b -> lint::c -> lint::a".to_string()),
        "{found:?}"
    );
}

#[test]
fn an_upward_import_and_a_forbidden_one_are_found() {
    let g = synthetic(&[
        ("lint", ""),
        // A view importing the registry: up the table, and the renderer: forbidden.
        (
            "lint::view::etcd",
            "use crate::lint::registry::RULES;\nuse crate::render::etcd::WRAPPER_SSL_MOUNT;",
        ),
        (
            "lint::registry",
            "mod inner { use super::super::view::etcd::X; }",
        ),
        ("lint::view", ""),
    ]);
    let found = problems(&g);
    assert!(
        found.contains(
            &"lint::view::etcd (views) imports lint::registry (registry), a higher layer"
                .to_string()
        ),
        "{found:?}"
    );
    assert!(
        found.contains(
            &"lint::view::etcd imports crate::render, outside the linter's layers".to_string()
        ),
        "{found:?}"
    );
    // Inside an inline module, `super::super` is the file's parent.
    assert!(g.edges["lint::registry"].contains("lint::view::etcd"));
}

#[test]
fn a_layered_graph_has_no_problem() {
    let g = synthetic(&[
        (
            "lint",
            "use self::rule::Rule; fn f() { registry::find(\"x\"); }\nmod registry;\nmod rule;",
        ),
        ("lint::registry", "use super::rule::Rule;"),
        (
            "lint::rule",
            "use super::source::Span; fn g(_: &'static str, c: char) { let _ = '\"'; }",
        ),
        ("lint::source", "#[cfg(test)] mod tests { use super::*; }"),
    ]);
    assert_eq!(
        g.edges["lint"],
        BTreeSet::from(["lint::registry".to_string(), "lint::rule".to_string()])
    );
    assert!(problems(&g).is_empty(), "{:?}", problems(&g));
}
