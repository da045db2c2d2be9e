//! Seeded mutations of the fixtures (`tests/fixtures`, `tests/fixtures_messy`): 10,000 mutated
//! files, some with lines of megabytes, each linted in-process under its own name (so its kind is
//! detected as for the original) and written in every output format (SARIF for every 50th
//! case and every long line: its log repeats every rule's documentation, which is most of a
//! case's time in a debug build, and its results are what JSON writes). tlsgen never panics and
//! never fails a run because of a file's content: what is wrong in a file is a finding. A
//! few of them also go through the binary, where a panic would print "panicked" and exit 101,
//! and a content error would exit 2.
//!
//! The seed is fixed (`TLSGEN_MUTATION_SEED` explores others, `TLSGEN_MUTATIONS` sets the count):
//! a failure names the case, and the same seed gives the same case again.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use tlsgen::lint::output::{self, Format};
use tlsgen::lint::{self, Input, Report, Settings};

const FORMATS: [Format; 5] = [
    Format::Human,
    Format::Short,
    Format::Json,
    Format::Sarif,
    Format::Github,
];

/// Pieces of the syntaxes tlsgen reads, inserted by the mutations.
const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\"",
    "'",
    "\\",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ":",
    ": ",
    "- ",
    "---\n",
    "#",
    "=",
    "${X}",
    "{{ x }}",
    "%i",
    "&a ",
    "*a",
    "!!str ",
    "\t",
    " ",
    "[Service]\n",
    "Environment=\"ETCD_",
    "https://",
    "http://",
    "true",
    "false",
    "yes",
    "0",
    "é",
    "\u{feff}",
    "# tlsgen: ignore[",
    "ETCD003]",
    "-----BEGIN",
    "kind: Pod\n",
    "providers:\n",
    "- identity: {}\n",
    "[http]\n",
    "https-enabled = ",
    "[[outputs.influxdb]]\n",
    "urls = [",
    "\0",
];

/// SplitMix64: a small deterministic generator (no dependency, same sequence everywhere).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every fixture file as (path relative to the repository, bytes).
fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = common::repo_root();
    let mut out = Vec::new();
    for dir in ["tests/fixtures", "tests/fixtures_messy"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(bytes) = std::fs::read(&p) {
                    let rel = p.strip_prefix(&root).unwrap();
                    out.push((rel.to_string_lossy().replace('\\', "/"), bytes));
                }
            }
        }
    }
    out.sort();
    assert!(out.len() > 100, "only {} fixture files", out.len());
    out
}

/// A position in `bytes` (`0..=len`).
fn at(rng: &mut Rng, bytes: &[u8]) -> usize {
    rng.below(bytes.len() + 1)
}

/// One to four mutations of `bytes`; `long` adds a line of megabytes.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8], long: bool) {
    for _ in 0..1 + rng.below(4) {
        match rng.below(8) {
            // Delete a range.
            0 => {
                let a = at(rng, bytes);
                let b = (a + rng.below(64)).min(bytes.len());
                bytes.drain(a..b);
            }
            // Insert a piece of syntax.
            1 | 2 => {
                let a = at(rng, bytes);
                let piece = rng.pick(PIECES).as_bytes();
                bytes.splice(a..a, piece.iter().copied());
            }
            // Duplicate a range elsewhere.
            3 => {
                let a = at(rng, bytes);
                let b = (a + rng.below(200)).min(bytes.len());
                let copy = bytes[a..b].to_vec();
                let c = at(rng, bytes);
                bytes.splice(c..c, copy);
            }
            // Replace a byte (may leave invalid UTF-8, read lossily as from disk).
            4 => {
                if !bytes.is_empty() {
                    let a = rng.below(bytes.len());
                    bytes[a] = rng.next() as u8;
                }
            }
            // Swap two lines.
            5 => {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let mut lines: Vec<&str> = text.split('\n').collect();
                let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(i, j);
                *bytes = lines.join("\n").into_bytes();
            }
            // Truncate.
            6 => {
                let a = at(rng, bytes);
                bytes.truncate(a);
            }
            // Splice in a piece of another fixture.
            _ => {
                let a = at(rng, other);
                let b = (a + rng.below(300)).min(other.len());
                let c = at(rng, bytes);
                bytes.splice(c..c, other[a..b].iter().copied());
            }
        }
    }
    if long {
        // A line of 1-3 MB: a repeated piece (or one long word), no newline inside.
        let piece: &[u8] = match rng.below(3) {
            0 => b"x",
            1 => b"a, ",
            _ => rng.pick(PIECES).as_bytes(),
        };
        let len = (1 << 20) + rng.below(2 << 20);
        let line: Vec<u8> = piece
            .iter()
            .copied()
            .filter(|&b| b != b'\n')
            .chain(std::iter::once(b'y'))
            .cycle()
            .take(len)
            .collect();
        let c = at(rng, bytes);
        bytes.splice(c..c, line);
    }
}

/// The report written in each format.
type Outputs = Vec<(Format, Vec<u8>)>;

/// Lint `text` as the file `name` in-process and write the report in every format (`sarif`:
/// also SARIF, whose log repeats every rule's documentation, most of the time of a case in a
/// debug build; its results are written as JSON's are).
fn lint_everywhere(name: &str, text: String, sarif: bool) -> Result<(Report, Outputs), String> {
    let input = Input {
        stdin: Some((name.to_string(), text)),
        ..Input::default()
    };
    let report = lint::lint(&input, &Settings::default())
        .map_err(|p| format!("the run failed (exit 2): {p:?}"))?;
    let mut outputs = Vec::new();
    for format in FORMATS {
        if format == Format::Sarif && !sarif {
            continue;
        }
        let mut out = Vec::new();
        output::write(&report, format, false, &mut out)
            .map_err(|e| format!("{format:?} output failed: {e}"))?;
        outputs.push((format, out));
    }
    Ok((report, outputs))
}

fn seed() -> u64 {
    std::env::var("TLSGEN_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x7e57_5eed)
}

fn count() -> usize {
    std::env::var("TLSGEN_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

/// Case `i` of the run: (name, bytes). Every 500th case has a line of megabytes.
fn case(corpus: &[(String, Vec<u8>)], rng: &mut Rng, i: usize) -> (String, Vec<u8>) {
    let (name, bytes) = rng.pick(corpus);
    let other = &rng.pick(corpus).1;
    let mut bytes = bytes.clone();
    mutate(rng, &mut bytes, other, i % 500 == 499);
    (name.clone(), bytes)
}

#[test]
fn ten_thousand_mutations_never_panic_nor_fail_the_run() {
    let corpus = corpus();
    let mut rng = Rng(seed());
    // Panics are caught per case and reported together; keep their messages off stderr.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut findings = 0usize;
    let mut long_lines = 0usize;
    for i in 0..count() {
        let (name, bytes) = case(&corpus, &mut rng, i);
        long_lines += usize::from(i % 500 == 499);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let sarif = i % 50 == 0 || i % 500 == 499;
        match catch_unwind(AssertUnwindSafe(|| lint_everywhere(&name, text, sarif))) {
            Ok(Ok((report, outputs))) => {
                findings += report.findings.len();
                // The JSON and SARIF outputs are JSON whatever the content.
                for (_, out) in outputs
                    .iter()
                    .filter(|(f, _)| matches!(f, Format::Json | Format::Sarif))
                {
                    if let Err(e) = serde_json::from_slice::<serde_json::Value>(out) {
                        failures.push(format!("case {i} ({name}): invalid JSON output: {e}"));
                    }
                }
            }
            Ok(Err(e)) => failures.push(format!("case {i} ({name}): {e}")),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("case {i} ({name}): panicked: {message}"));
            }
        }
        if failures.len() >= 20 {
            break;
        }
    }
    std::panic::set_hook(hook);
    assert!(
        failures.is_empty(),
        "seed {:#x}: {} failures:\n{}",
        seed(),
        failures.len(),
        failures.join("\n")
    );
    // The mutations reach the rules, not only the parsers' first error.
    assert!(findings > count(), "only {findings} findings");
    assert!(long_lines >= 20 || count() < 10_000);
}

/// The binary over a few mutated files of each kind (a line of megabytes among them), in every
/// format: exit 0 or 1, never "panicked" on stderr.
#[test]
fn the_binary_over_mutated_files_exits_0_or_1() {
    let corpus = corpus();
    let mut rng = Rng(seed() ^ 0xb1);
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for i in 0..4 {
        let (name, bytes) = case(&corpus, &mut rng, if i == 0 { 499 } else { i });
        let path = dir.path().join(format!("{i}")).join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        files.push(path);
    }
    for path in &files {
        for format in ["human", "short", "json", "sarif", "github"] {
            check_run(dir.path(), path, format);
        }
    }
}

fn check_run(dir: &Path, path: &Path, format: &str) {
    let out = common::tlsgen()
        .current_dir(dir)
        .args(["lint", "--format", format])
        .arg(path)
        .output()
        .unwrap();
    let stderr = common::text(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{} --format {format}: {:?}\n{stderr}",
        path.display(),
        out.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
