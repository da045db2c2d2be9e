//! The baseline: the findings a repository already had when it adopted tlsgen, written once
//! (`tlsgen lint --write-baseline FILE`) and read on each run (`--baseline FILE`), so that only
//! new findings count.
//!
//! A finding is matched by its [`Key`]: the rule's code, the file's path, and a fingerprint of
//! what the finding points at, never a line number, so lines inserted or removed above it do not
//! break the match. The fingerprint is the SHA-256 (ring) of the code, the text of the line
//! before the finding's span (the key a value belongs to: `insecure_skip_verify =`,
//! `Environment="ETCD_CLIENT_CERT_AUTH=`) and the text of the span, both normalised (whitespace
//! and quotes dropped: `Environment="A=1"` and `Environment=A=1` match), cut to 128 bits; a value
//! (a password, a token) never reaches the file in clear. Identical keys are matched by count: a baseline that holds a key
//! twice hides two such findings, and a third is new.
//!
//! Not every finding can be held: a rule listed in `unsuppressable` of tlsgen.toml, a parse
//! error (TLSGEN001: nothing else in that file is checked, a baseline would hide the file for
//! good) and the findings about suppressions (TLSGEN002, 003, 005, 007, 008) are always reported
//! ([`crate::lint::settings::NEVER_SUPPRESSED`]). Entries that match no finding of a run are
//! stale: the run says so, so the file shrinks as findings are fixed.
//!
//! The file is JSON, sorted and deterministic (the same findings give the same bytes):
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     { "code": "TGF002", "path": "telegraf/telegraf.conf", "fingerprint": "…", "count": 1 }
//!   ]
//! }
//! ```
//!
//! Paths are the paths the run displays, without a leading `./`: run tlsgen from the same
//! directory with the same kind of arguments (`tlsgen lint .` or `tlsgen lint etc/`) that wrote
//! the baseline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::rule::Rule;
use crate::diag::Problem;

/// The format version written and the only one read.
pub const VERSION: u64 = 1;

/// What a baseline entry matches: (code, path, fingerprint).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub code: String,
    pub path: String,
    pub fingerprint: String,
}

impl Key {
    /// The key of a finding of `rule` in the file displayed as `path`, whose span covers
    /// `text`, preceded on its line by `before`.
    pub fn of(rule: &Rule, path: &str, before: &str, text: &str) -> Key {
        Key {
            code: rule.code.to_string(),
            path: normalise_path(path),
            fingerprint: fingerprint(rule.code, before, text),
        }
    }

    /// The key of a finding of `rule` over `span` (byte offsets) of a file's `source`.
    pub fn at(rule: &Rule, path: &str, source: &str, span: std::ops::Range<usize>) -> Key {
        let line_start = source
            .get(..span.start)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let before = source.get(line_start..span.start).unwrap_or("");
        Key::of(rule, path, before, source.get(span).unwrap_or(""))
    }
}

/// A path as a baseline keeps it: without leading `./`.
pub fn normalise_path(path: &str) -> String {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.trim_start_matches('/');
    }
    p.to_string()
}

/// The text a finding points at, without whitespace and quotes.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\''))
        .collect()
}

/// The fingerprint of a finding of rule `code` whose span covers `text`, preceded on its line
/// by `before`: 32 hex digits of SHA-256 over the code and the normalised texts.
pub fn fingerprint(code: &str, before: &str, text: &str) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(code.as_bytes());
    ctx.update(b"\0");
    ctx.update(normalise(before).as_bytes());
    ctx.update(b"\0");
    ctx.update(normalise(text).as_bytes());
    let digest = ctx.finish();
    digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One entry of the file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: String,
    path: String,
    fingerprint: String,
    count: usize,
}

/// The file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u64,
    findings: Vec<Entry>,
}

/// A baseline read from its file; each match takes one from its key's count.
#[derive(Debug)]
pub struct Baseline {
    pub path: PathBuf,
    left: Mutex<BTreeMap<Key, usize>>,
}

impl Baseline {
    /// Read a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, Problem> {
        let text =
            std::fs::read_to_string(path).map_err(|e| crate::diag::io_problem("read", path, &e))?;
        let bad = |what: String| {
            Problem::error(
                "lint::baseline",
                format!("{} is not a tlsgen baseline: {what}", path.display()),
            )
            .with_help("write it again with `tlsgen lint --write-baseline FILE`")
        };
        let file: File = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if file.version != VERSION {
            return Err(bad(format!(
                "version {} (this tlsgen reads version {VERSION})",
                file.version
            )));
        }
        let mut left = BTreeMap::new();
        for e in file.findings {
            let key = Key {
                code: e.code,
                path: normalise_path(&e.path),
                fingerprint: e.fingerprint,
            };
            *left.entry(key).or_insert(0) += e.count;
        }
        Ok(Baseline {
            path: path.to_path_buf(),
            left: Mutex::new(left),
        })
    }

    /// A baseline of these keys (tests, and a caller that builds one in memory).
    pub fn of(path: PathBuf, keys: impl IntoIterator<Item = Key>) -> Baseline {
        let mut left = BTreeMap::new();
        for k in keys {
            *left.entry(k).or_insert(0) += 1;
        }
        Baseline {
            path,
            left: Mutex::new(left),
        }
    }

    /// Whether the baseline holds a finding of this key; takes it from the count.
    pub fn take(&self, key: &Key) -> bool {
        let mut left = self
            .left
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match left.get_mut(key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// The entries no finding matched, with how many of each: (key, count), sorted.
    pub fn stale(&self) -> Vec<(Key, usize)> {
        let left = self
            .left
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        left.iter()
            .filter(|(_, &n)| n > 0)
            .map(|(k, &n)| (k.clone(), n))
            .collect()
    }
}

/// The text of a baseline holding these keys (one entry per key, with its count), sorted.
pub fn render(keys: impl IntoIterator<Item = Key>) -> String {
    let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
    for k in keys {
        *counts.entry(k).or_insert(0) += 1;
    }
    let file = File {
        version: VERSION,
        findings: counts
            .into_iter()
            .map(|(k, count)| Entry {
                code: k.code,
                path: k.path,
                fingerprint: k.fingerprint,
                count,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::registry;

    #[test]
    fn fingerprints_ignore_whitespace_and_quotes_but_not_values() {
        let r = registry::find("TGF002").unwrap();
        let a = Key::of(r, "./t/telegraf.conf", "", "insecure_skip_verify = true");
        let b = Key::of(r, "t/telegraf.conf", "", "insecure_skip_verify=\"true\"");
        assert_eq!(a, b);
        let c = Key::of(r, "t/telegraf.conf", "", "insecure_skip_verify = false");
        assert_ne!(a.fingerprint, c.fingerprint);
        let other = registry::find("TGF001").unwrap();
        assert_ne!(
            a.fingerprint,
            Key::of(other, "t/telegraf.conf", "", "insecure_skip_verify = true").fingerprint
        );
        assert_eq!(a.fingerprint.len(), 32);
        // The same value under another key is another finding; the line number is not part of
        // the key, the key on the line is.
        let text = "[a]\n  x = true\n  y = true\n";
        let x = Key::at(r, "f", text, 10..14);
        let y = Key::at(r, "f", text, 21..25);
        assert_ne!(x, y);
        let moved = format!("# new line\n{text}");
        assert_eq!(x, Key::at(r, "f", &moved, 21..25));
    }

    #[test]
    fn counts_match_duplicates_and_the_rest_is_stale() {
        let r = registry::find("TGF002").unwrap();
        let k = Key::of(r, "a.conf", "", "x = true");
        let b = Baseline::of("b.json".into(), [k.clone(), k.clone()]);
        assert!(b.take(&k) && b.take(&k));
        assert!(!b.take(&k));
        let other = Key::of(r, "b.conf", "", "x = true");
        let b = Baseline::of("b.json".into(), [k.clone(), other.clone()]);
        assert!(b.take(&k));
        assert_eq!(b.stale(), vec![(other, 1)]);
    }

    #[test]
    fn the_file_is_sorted_and_reads_back() {
        let r = registry::find("TGF002").unwrap();
        let keys = [
            Key::of(r, "z.conf", "", "a"),
            Key::of(r, "a.conf", "", "b"),
            Key::of(r, "a.conf", "", "b"),
        ];
        let text = render(keys.clone());
        assert_eq!(text, render(keys.iter().rev().cloned()));
        assert!(text.find("a.conf").unwrap() < text.find("z.conf").unwrap());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, &text).unwrap();
        let b = Baseline::load(&path).unwrap();
        assert!(b.take(&keys[1]) && b.take(&keys[1]) && !b.take(&keys[1]));
        std::fs::write(&path, text.replace("\"version\": 1", "\"version\": 9")).unwrap();
        assert!(Baseline::load(&path).is_err());
    }
}
