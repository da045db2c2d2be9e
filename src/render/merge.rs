//! Merging into existing TOML files, and recognising files tlsgen wrote that cannot carry a header.
//!
//! **Merge** (`render --merge-into DIR`): when `DIR/<host>/<path>` holds a host's existing
//! `influxdb.conf`, `influxdb-meta.conf` or `telegraf.conf` that tlsgen did not write, the artifact
//! becomes that file with only the keys tlsgen owns edited (through toml_edit): the keys of the
//! rendered file are set (an existing key keeps its place, its comments and its trailing comment; a
//! new key goes after the last key of its table, indented like its siblings; a missing table goes at
//! the end), and the keys listed as "removed when absent" (insecure switches, Telegraf's removed
//! `ssl_*` names) are deleted. Everything else stays byte-identical, CRLF line ends and a missing
//! final newline included. `DIR` may be the output directory itself (merge in place).
//!
//! **Ownership**: `render` overwrites an existing file only when it is ours: it carries the tlsgen
//! marker, or its stamp file vouches for it (JSON, see [`stamp`]), or the new content is exactly
//! what merging into it gives (so no byte of the foreign file is lost; see [`is_merge_of`]).

use std::path::Path;

use toml_edit::{DocumentMut, Item, Table};

use super::{influxdb, telegraf, Artifact, Target, MARKER};
use crate::diag::{io_problem, Problem, Source};

/// Suffix of the stamp file written next to an artifact without comments (JSON).
pub const STAMP_SUFFIX: &str = ".tlsgen";

/// 64-bit FNV-1a: a stable, dependency-free fingerprint (protection against accidents, not attacks).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn stamp_line(content: &str) -> String {
    format!("fnv1a-64 {:016x}", fnv1a64(content.as_bytes()))
}

/// The stamp of a comment-less artifact: `<path>.tlsgen`, holding the marker (added as the header by
/// `render`) and the fingerprint of the content written.
pub fn stamp(a: &Artifact) -> Artifact {
    let name = a.path.rsplit('/').next().unwrap_or(&a.path);
    Artifact::config(
        &a.host,
        &format!("{}{STAMP_SUFFIX}", a.path),
        format!("# Fingerprint of {name} as tlsgen wrote it; render overwrites it only while it matches.\n{}\n", stamp_line(&a.content)),
    )
    .with_target(a.target)
}

/// Whether the stamp next to `dest` vouches that `existing` is what tlsgen wrote there.
pub fn vouches(a: &Artifact, dest: &Path, existing: &str) -> bool {
    if a.comment.is_some() {
        return false;
    }
    let mut stamp_path = dest.as_os_str().to_owned();
    stamp_path.push(STAMP_SUFFIX);
    let Ok(text) = std::fs::read_to_string(Path::new(&stamp_path)) else {
        return false;
    };
    text.lines().take(3).any(|l| l.contains(MARKER))
        && text.lines().any(|l| l == stamp_line(existing))
}

/// The keys a merge deletes when the rendered file does not set them, or None when the artifact is
/// not a TOML file tlsgen merges.
pub fn removed_when_absent(a: &Artifact) -> Option<&'static [(&'static str, &'static str)]> {
    match (a.target, a.path.as_str()) {
        (Target::Influxdb, influxdb::META_CONF) => Some(influxdb::META_REMOVED_WHEN_ABSENT),
        (Target::Influxdb, influxdb::DATA_CONF) => Some(influxdb::DATA_REMOVED_WHEN_ABSENT),
        (Target::Telegraf, telegraf::CONF) => Some(telegraf::REMOVED_WHEN_ABSENT),
        _ => None,
    }
}

/// Merge the keys of `rendered` into `existing`, deleting `removed` keys that `rendered` lacks.
pub fn merge_toml(
    existing: &str,
    rendered: &str,
    removed: &[(&str, &str)],
) -> Result<String, toml_edit::TomlError> {
    let lone_lf = existing.replace("\r\n", "").contains('\n');
    let crlf = existing.contains("\r\n") && !lone_lf;
    let text = if crlf {
        existing.replace("\r\n", "\n")
    } else {
        existing.to_string()
    };
    let mut doc: DocumentMut = text.parse()?;
    let ours: DocumentMut = rendered.parse()?;
    let before: Vec<String> = doc.as_table().iter().map(|(k, _)| k.to_string()).collect();
    merge_table(doc.as_table_mut(), ours.as_table());
    keep_trailing_comments_in_place(&mut doc, &before);
    for (table, key) in removed {
        let in_ours = find_table(ours.as_table(), table).is_some_and(|t| t.contains_key(key));
        if !in_ours {
            if let Some(t) = find_table_mut(doc.as_table_mut(), table) {
                remove_keeping_comments(t, key);
            }
        }
    }
    let mut out = doc.to_string();
    if !text.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    Ok(out)
}

fn merge_table(dst: &mut Table, src: &Table) {
    for (k, item) in src.iter() {
        match item {
            Item::Value(v) => set_value(dst, k, v.clone()),
            Item::Table(t) => {
                if !matches!(dst.get(k), Some(Item::Table(_))) {
                    let mut fresh = Table::new();
                    fresh.set_implicit(t.is_implicit());
                    dst.insert(k, Item::Table(fresh));
                }
                if let Some(Item::Table(d)) = dst.get_mut(k) {
                    merge_table(d, t);
                }
            }
            Item::ArrayOfTables(arr) => match dst.get_mut(k) {
                Some(Item::ArrayOfTables(d)) if !d.is_empty() => {
                    if let (Some(d0), Some(s0)) = (d.get_mut(0), arr.get(0)) {
                        merge_table(d0, s0);
                    }
                }
                _ => {
                    let mut fresh = toml_edit::ArrayOfTables::new();
                    for t in arr.iter() {
                        let mut n = Table::new();
                        merge_table(&mut n, t);
                        fresh.push(n);
                    }
                    dst.insert(k, Item::ArrayOfTables(fresh));
                }
            },
            Item::None => {}
        }
    }
}

/// Set `k = v` in `dst`: an existing key keeps its decor (comments, spacing, trailing comment); a new
/// one is indented like its siblings.
fn set_value(dst: &mut Table, k: &str, mut v: toml_edit::Value) {
    if let Some(Item::Value(old)) = dst.get_mut(k) {
        let decor = old.decor().clone();
        if old.to_string().trim() == v.to_string().trim() {
            return;
        }
        *v.decor_mut() = decor;
        *old = v;
        return;
    }
    let indent = dst
        .iter()
        .filter_map(|(name, _)| dst.key(name))
        .filter_map(|key| {
            key.leaf_decor()
                .prefix()
                .and_then(|p| p.as_str())
                .map(str::to_string)
        })
        .map(|p| p.rsplit('\n').next().unwrap_or("").to_string())
        .find(|p| p.chars().all(|c| c == ' ' || c == '\t'))
        .unwrap_or_default();
    dst.insert(k, Item::Value(v));
    if let Some(mut key) = dst.key_mut(k) {
        key.leaf_decor_mut().set_prefix(indent);
    }
}

/// Comments after the last table of a file belong to that table; toml_edit keeps them as the
/// document's trailing text, which it prints after any table appended by the merge. Move them in
/// front of the first appended table so they stay under the table they followed.
fn keep_trailing_comments_in_place(doc: &mut DocumentMut, before: &[String]) {
    let trailing = doc.trailing().as_str().unwrap_or("").to_string();
    if trailing.trim().is_empty() {
        return;
    }
    let first_new = doc
        .as_table()
        .iter()
        .map(|(k, _)| k.to_string())
        .find(|k| !before.contains(k));
    let Some(name) = first_new else {
        return;
    };
    let mut prefix = trailing;
    if !prefix.ends_with('\n') {
        prefix.push('\n');
    }
    let decor = match doc.as_table_mut().get_mut(&name) {
        Some(Item::Table(t)) => first_header_decor(t),
        Some(Item::ArrayOfTables(a)) => a.get_mut(0).map(|t| t.decor_mut()),
        _ => None,
    };
    if let Some(decor) = decor {
        decor.set_prefix(format!("{prefix}\n"));
        doc.set_trailing("");
    }
}

/// The decor of the first header printed for a table: its own, or (implicit table) its first child's.
fn first_header_decor(t: &mut Table) -> Option<&mut toml_edit::Decor> {
    if !t.is_implicit() {
        return Some(t.decor_mut());
    }
    let first = t.iter().map(|(k, _)| k.to_string()).next()?;
    match t.get_mut(&first)? {
        Item::Table(c) => first_header_decor(c),
        Item::ArrayOfTables(a) => a.get_mut(0).map(|c| c.decor_mut()),
        _ => None,
    }
}

/// Delete `key` from `t` without losing the comment lines above it: they move onto the next key.
/// When the key is the last of its table and a boolean, it is set to `false` in place instead (its
/// comments stay where they are); otherwise it is deleted.
fn remove_keeping_comments(t: &mut Table, key: &str) {
    let Some(prefix) = t.key(key).map(|k| {
        k.leaf_decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_string()
    }) else {
        return;
    };
    let names: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
    let next = names
        .iter()
        .position(|k| k == key)
        .and_then(|i| names.get(i + 1))
        .cloned();
    // The comment lines, without the indentation of the key line itself.
    let comments = match prefix.rfind('\n') {
        Some(i) => &prefix[..=i],
        None => "",
    };
    match next {
        Some(n) => {
            if let Some(mut nk) = t.key_mut(&n) {
                let own = nk
                    .leaf_decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .unwrap_or("")
                    .to_string();
                nk.leaf_decor_mut().set_prefix(format!("{comments}{own}"));
            }
            t.remove(key);
        }
        None if !comments.trim().is_empty() && t.get(key).and_then(Item::as_bool).is_some() => {
            set_value(t, key, toml_edit::Value::from(false));
        }
        None => {
            t.remove(key);
        }
    }
}

fn find_table<'a>(root: &'a Table, dotted: &str) -> Option<&'a Table> {
    let mut t = root;
    for part in dotted.split('.') {
        t = match t.get(part)? {
            Item::Table(x) => x,
            Item::ArrayOfTables(a) => a.get(0)?,
            _ => return None,
        };
    }
    Some(t)
}

fn find_table_mut<'a>(root: &'a mut Table, dotted: &str) -> Option<&'a mut Table> {
    let mut t = root;
    for part in dotted.split('.') {
        t = match t.get_mut(part)? {
            Item::Table(x) => x,
            Item::ArrayOfTables(a) => a.get_mut(0)?,
            _ => return None,
        };
    }
    Some(t)
}

/// Whether `a.content` is exactly what merging `a` into `existing` gives: overwriting `existing`
/// with it then keeps every byte that is not an owned key.
pub fn is_merge_of(a: &Artifact, existing: &str) -> bool {
    let Some(removed) = removed_when_absent(a) else {
        return false;
    };
    merge_toml(existing, &a.content, removed).is_ok_and(|m| m == a.content)
}

/// Replace the content of every mergeable artifact whose file exists under `dir/<host>/<path>` and
/// was not written by tlsgen with the merge of the rendered keys into that file. Returns how many
/// were merged. A file that is not valid TOML is an error pointing at the place toml_edit names.
pub fn merge_into(artifacts: &mut [Artifact], dir: &Path) -> Result<usize, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut merged = 0;
    for a in artifacts.iter_mut() {
        let Some(removed) = removed_when_absent(a) else {
            continue;
        };
        let path = match super::output::destination(dir, a) {
            Ok(p) => p,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let existing = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                problems.push(io_problem("read", &path, &e));
                continue;
            }
        };
        if a.is_ours(&existing) {
            continue;
        }
        match merge_toml(&existing, &a.content, removed) {
            Ok(text) => {
                a.content = text;
                merged += 1;
            }
            Err(e) => {
                let source = Source::new(path.display().to_string(), existing.clone());
                let (offset, len) = e
                    .span()
                    .map(|r| (r.start, r.end.saturating_sub(r.start).max(1)))
                    .unwrap_or((0, 0));
                problems.push(
                    Problem::error(
                        "merge::toml",
                        format!("{} is not valid TOML: {}", path.display(), e.message()),
                    )
                    .with_label("cannot parse here")
                    .with_help(
                        "fix the file (or move it away) before merging tlsgen's keys into it",
                    )
                    .at(&source, offset, len),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(problems)
    }
}
