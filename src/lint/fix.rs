//! Fixes as data: what a rule may offer with a finding, and how its edits apply to a text.
//!
//! A [`Fix`] is a list of [`Edit`]s with an [`Applicability`]: `Safe` fixes are applied by
//! `--fix`, `Unsafe` ones only with `--unsafe-fixes` (otherwise they are shown). An edit is either
//! a replacement of a byte range of one file (systemd units, environment files, YAML, JSON), or a
//! structural TOML operation applied through `toml_edit::DocumentMut`, so comments and key order
//! survive (STYLE.md "Fixes and suppression").
//!
//! Applying (see [`apply_round`]): per file, range edits are applied from the end backward, then
//! TOML operations. The loop that chooses fixes, re-lints the new text and repeats is
//! `crate::cli::fix_loop`, above the linter (a fix is data; nothing here calls the engine).

use std::collections::BTreeMap;

use serde::Serialize;
use toml_edit::{DocumentMut, Item, TableLike, Value};

use super::source::{FileId, SourceFile, Span};

/// Whether a fix may be applied without asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps what the service does for every client (e.g. `--client-cert-auth` ->
    /// `--client-cert-auth=true`). Applied by `--fix`.
    Safe,
    /// May change behaviour, or depends on something lint cannot see (file modes, clients).
    /// Applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One step of a path to a TOML table: a key, or an element of an array of tables
/// (`[[outputs.influxdb]]` number `i`, 0-based, in file order).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TomlKey {
    Key(String),
    Index(usize),
}

impl From<&str> for TomlKey {
    fn from(s: &str) -> Self {
        TomlKey::Key(s.to_string())
    }
}

/// One text edit.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Replace a byte range of a file (an empty range inserts, an empty text deletes).
    Replace { span: Span, text: String },
    /// Set `key` of the TOML table at `table` (created when missing) to `value`. An existing
    /// value keeps its place and its trailing comment.
    TomlSet {
        file: FileId,
        table: Vec<TomlKey>,
        key: String,
        value: Value,
    },
    /// Remove `key` of the TOML table at `table`; comment lines above it stay (they move onto
    /// the next key).
    TomlRemove {
        file: FileId,
        table: Vec<TomlKey>,
        key: String,
    },
}

impl Edit {
    pub fn replace(span: Span, text: impl Into<String>) -> Edit {
        Edit::Replace {
            span,
            text: text.into(),
        }
    }

    pub fn insert(file: FileId, offset: usize, text: impl Into<String>) -> Edit {
        Edit::replace(Span::new(file, offset..offset), text)
    }

    pub fn delete(span: Span) -> Edit {
        Edit::replace(span, "")
    }

    /// `[a.b]` as a table path.
    pub fn toml_set(file: FileId, table: &[&str], key: &str, value: impl Into<Value>) -> Edit {
        Edit::TomlSet {
            file,
            table: table.iter().map(|k| TomlKey::from(*k)).collect(),
            key: key.to_string(),
            value: value.into(),
        }
    }

    pub fn toml_remove(file: FileId, table: &[&str], key: &str) -> Edit {
        Edit::TomlRemove {
            file,
            table: table.iter().map(|k| TomlKey::from(*k)).collect(),
            key: key.to_string(),
        }
    }

    pub fn file(&self) -> FileId {
        match self {
            Edit::Replace { span, .. } => span.file,
            Edit::TomlSet { file, .. } | Edit::TomlRemove { file, .. } => *file,
        }
    }

    /// Whether two edits touch the same text (same range, or same TOML key).
    pub fn overlaps(&self, other: &Edit) -> bool {
        if self.file() != other.file() {
            return false;
        }
        match (self, other) {
            (Edit::Replace { span: a, .. }, Edit::Replace { span: b, .. }) => {
                (a.start < b.end && b.start < a.end) || a.start == b.start
            }
            (
                Edit::TomlSet {
                    table: ta, key: ka, ..
                }
                | Edit::TomlRemove {
                    table: ta, key: ka, ..
                },
                Edit::TomlSet {
                    table: tb, key: kb, ..
                }
                | Edit::TomlRemove {
                    table: tb, key: kb, ..
                },
            ) => ta == tb && ka == kb,
            _ => false,
        }
    }
}

/// A fix offered with a finding.
#[derive(Debug, Clone)]
pub struct Fix {
    pub applicability: Applicability,
    /// Lowercase, no final period; shown as "fix available (safe): <description>".
    pub description: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(description: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            description: description.into(),
            edits,
        }
    }

    pub fn unsafe_edit(description: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            applicability: Applicability::Unsafe,
            description: description.into(),
            edits,
        }
    }

    /// Whether this fix is applied with or without `--unsafe-fixes`.
    pub fn applies(&self, unsafe_fixes: bool) -> bool {
        self.applicability == Applicability::Safe || unsafe_fixes
    }
}

/// The edit that deletes the whole lines holding `start..end` (with their line terminators).
pub fn delete_lines(file: &SourceFile, id: FileId, start: usize, end: usize) -> Edit {
    let text = file.text.as_str();
    let s = file.clamp(start);
    let e = file.clamp(end).max(s);
    let line_start = text[..s].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[e..]
        .find('\n')
        .map(|i| e + i + 1)
        .unwrap_or(text.len());
    if line_end == text.len() && !text.ends_with('\n') && line_start > 0 {
        // Last line without a terminator: take the previous line's terminator instead.
        let mut from = line_start - 1;
        if from > 0 && text.as_bytes()[from - 1] == b'\r' {
            from -= 1;
        }
        return Edit::delete(Span::new(id, from..line_end));
    }
    Edit::delete(Span::new(id, line_start..line_end))
}

/// The edit that removes one word of a command line (a systemd `ExecStart=` argument, a
/// static pod `args:` item): the whole line when the word stands alone on it (apart from a
/// list dash, quotes and a `\` continuation), else the word with the blanks before it.
pub fn delete_word(file: &SourceFile, word: Span) -> Edit {
    let text = file.text.as_str();
    let s = file.clamp(word.start);
    let e = file.clamp(word.end).max(s);
    let line_start = text[..s].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = file.line_end(s);
    let before = text[line_start..s].trim();
    let after = text[e..line_end.max(e)].trim();
    let before_ok = matches!(before, "" | "-" | "- \"" | "- '" | "\"" | "'");
    let after_ok = matches!(after, "" | "\\" | "\"" | "'" | "\" \\" | "' \\");
    if before_ok && after_ok {
        // Removing the last line of a continued command: the previous line's `\` would then
        // continue into an unrelated line, so take the word back to that `\` instead.
        if !after.ends_with('\\') && line_start > 0 {
            let prev = &text[..line_start];
            let trimmed = prev.trim_end_matches(['\n', '\r']);
            if let Some(cont) = trimmed.strip_suffix('\\') {
                let from = cont.trim_end().len();
                return Edit::delete(Span::new(word.file, from..e));
            }
        }
        return delete_lines(file, word.file, s, e);
    }
    let from = text[..s].trim_end_matches([' ', '\t']).len();
    Edit::delete(Span::new(word.file, from..e))
}

/// Apply edits of one file to its text: range edits from the end backward, then TOML
/// operations through `toml_edit::DocumentMut`. Returns the new text, or why it cannot.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> Result<String, String> {
    let mut ranges: Vec<(usize, usize, &str)> = Vec::new();
    let mut toml_ops: Vec<&Edit> = Vec::new();
    for e in edits {
        match e {
            Edit::Replace { span, text: t } => ranges.push((span.start, span.end, t)),
            _ => toml_ops.push(e),
        }
    }
    ranges.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut out = text.to_string();
    let mut limit = usize::MAX;
    for (start, end, new) in ranges {
        if end > out.len()
            || start > end
            || end > limit
            || !out.is_char_boundary(start)
            || !out.is_char_boundary(end)
        {
            return Err(format!(
                "an edit of bytes {start}..{end} does not fit the text"
            ));
        }
        out.replace_range(start..end, new);
        limit = start;
    }
    if toml_ops.is_empty() {
        return Ok(out);
    }
    let mut doc: DocumentMut = out
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("cannot edit this TOML: {}", e.message()))?;
    for op in toml_ops {
        apply_toml(&mut doc, op)?;
    }
    Ok(doc.to_string())
}

/// The table at a path (a key, or an element of an array of tables after its key), created as
/// a standard table on the way when `create`.
fn table_at<'d>(
    doc: &'d mut DocumentMut,
    path: &[TomlKey],
    create: bool,
) -> Option<&'d mut dyn TableLike> {
    let mut current: &mut dyn TableLike = doc.as_table_mut();
    let mut i = 0;
    while i < path.len() {
        let TomlKey::Key(k) = &path[i] else {
            return None;
        };
        if !current.contains_key(k) {
            if !create || matches!(path.get(i + 1), Some(TomlKey::Index(_))) {
                return None;
            }
            current.insert(k, Item::Table(toml_edit::Table::new()));
        }
        let item = current.get_mut(k)?;
        let index = match (item.is_array_of_tables(), path.get(i + 1)) {
            (true, Some(TomlKey::Index(n))) => {
                i += 1;
                Some(*n)
            }
            (true, _) => Some(0),
            (false, _) => None,
        };
        current = match index {
            Some(n) => item.as_array_of_tables_mut()?.get_mut(n)?,
            None => item.as_table_like_mut()?,
        };
        i += 1;
    }
    Some(current)
}

fn path_text(path: &[TomlKey]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|k| match k {
            TomlKey::Key(k) => k.clone(),
            TomlKey::Index(i) => format!("#{i}"),
        })
        .collect();
    parts.join(".")
}

fn apply_toml(doc: &mut DocumentMut, op: &Edit) -> Result<(), String> {
    match op {
        Edit::TomlSet {
            table, key, value, ..
        } => {
            let t = table_at(doc, table, true)
                .ok_or_else(|| format!("no TOML table [{}]", path_text(table)))?;
            match t.get_mut(key) {
                Some(Item::Value(old)) => {
                    let decor = old.decor().clone();
                    *old = value.clone();
                    *old.decor_mut() = decor;
                }
                Some(other) => *other = Item::Value(value.clone()),
                None => {
                    t.insert(key, Item::Value(value.clone()));
                }
            }
            Ok(())
        }
        Edit::TomlRemove { table, key, .. } => {
            let Some(t) = table_at(doc, table, false) else {
                return Ok(());
            };
            // Keep the comment lines above the removed key: hand them to the next key.
            let prefix = t
                .key(key)
                .and_then(|k| k.leaf_decor().prefix())
                .and_then(|p| p.as_str())
                .map(str::to_string);
            let next = {
                let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
                keys.iter()
                    .position(|k| k == key)
                    .and_then(|i| keys.get(i + 1).cloned())
            };
            t.remove(key);
            if let Some(prefix) = prefix.filter(|p| p.contains('#')) {
                if let Some(mut k) = next.as_deref().and_then(|n| t.key_mut(n)) {
                    let old = k
                        .leaf_decor()
                        .prefix()
                        .and_then(|p| p.as_str())
                        .unwrap_or("")
                        .to_string();
                    // The comment lines (through their last newline), then the next key's own
                    // indentation.
                    let comments = &prefix[..prefix.rfind('\n').map_or(0, |i| i + 1)];
                    k.leaf_decor_mut().set_prefix(format!("{comments}{old}"));
                }
            }
            Ok(())
        }
        Edit::Replace { .. } => Ok(()),
    }
}

/// The new texts of one round: per file id, the text after every chosen fix. A file whose edits
/// cannot be applied keeps its text and gets a note.
pub fn apply_round(
    texts: &BTreeMap<FileId, &str>,
    fixes: &[&Fix],
) -> (BTreeMap<FileId, String>, Vec<(FileId, String)>) {
    let mut by_file: BTreeMap<FileId, Vec<&Edit>> = BTreeMap::new();
    for fix in fixes {
        for e in &fix.edits {
            by_file.entry(e.file()).or_default().push(e);
        }
    }
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (id, edits) in by_file {
        let Some(text) = texts.get(&id) else { continue };
        match apply_edits(text, &edits) {
            Ok(new) if new != *text => {
                out.insert(id, new);
            }
            Ok(_) => {}
            Err(e) => errors.push((id, e)),
        }
    }
    (out, errors)
}

/// `a/<path>` for a relative path (as git prints it), the path itself for an absolute one.
fn header(path: &str, prefix: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{prefix}{path}")
    }
}

/// A unified diff of one file (3 lines of context), empty when nothing changed.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&header(path, "a/"), &header(path, "b/"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("x".into(), text.into())
    }

    #[test]
    fn range_edits_apply_from_the_end_and_overlaps_wait() {
        let e1 = Edit::insert(0, 3, "=true");
        let e2 = Edit::replace(Span::new(0, 0..1), "A");
        let new = apply_edits("abc def", &[&e1, &e2]).unwrap();
        assert_eq!(new, "Abc=true def");
        assert!(Edit::insert(0, 3, "x").overlaps(&e1));
        assert!(!Edit::insert(1, 3, "x").overlaps(&e1));
        assert!(Edit::replace(Span::new(0, 2..5), "").overlaps(&e1));
    }

    #[test]
    fn toml_set_and_remove_keep_comments_and_order() {
        let text = "# top\n[http]\n  # keep me\n  https-insecure-certificate = true # why\n  bind-address = \":8086\"\n\n[data]\n  dir = \"/x\"\n";
        let set = Edit::toml_set(0, &["http"], "https-insecure-certificate", false);
        let add = Edit::toml_set(0, &["tls"], "min-version", "tls1.2");
        let new = apply_edits(text, &[&set, &add]).unwrap();
        assert_eq!(
            new,
            "# top\n[http]\n  # keep me\n  https-insecure-certificate = false # why\n  bind-address = \":8086\"\n\n[data]\n  dir = \"/x\"\n\n[tls]\nmin-version = \"tls1.2\"\n"
        );
        let rm = Edit::toml_remove(0, &["http"], "https-insecure-certificate");
        let new = apply_edits(text, &[&rm]).unwrap();
        assert_eq!(
            new,
            "# top\n[http]\n  # keep me\n  bind-address = \":8086\"\n\n[data]\n  dir = \"/x\"\n"
        );
    }

    #[test]
    fn toml_paths_address_array_of_tables_elements() {
        let text = "[[outputs.influxdb]]\n  urls = [\"a\"]\n\n[[outputs.influxdb]]\n  urls = [\"b\"]\n  ssl_ca = \"/ca\" # ca\n";
        let set = Edit::TomlSet {
            file: 0,
            table: vec!["outputs".into(), "influxdb".into(), TomlKey::Index(1)],
            key: "ssl_ca".into(),
            value: "/other".into(),
        };
        let new = apply_edits(text, &[&set]).unwrap();
        assert!(new.contains("ssl_ca = \"/other\" # ca\n"), "{new}");
        assert!(new.starts_with("[[outputs.influxdb]]\n  urls = [\"a\"]\n\n"));
    }

    #[test]
    fn deleting_a_word_keeps_continuations_valid() {
        let f = file("[Service]\nExecStart=/usr/bin/etcd \\\n  --auto-tls=true \\\n  --name=a\n");
        let s = f.text.find("--auto-tls=true").unwrap();
        let e = delete_word(&f, Span::new(0, s..s + 15));
        let new = apply_edits(&f.text, &[&e]).unwrap();
        assert_eq!(new, "[Service]\nExecStart=/usr/bin/etcd \\\n  --name=a\n");

        let f = file("[Service]\nExecStart=/usr/bin/etcd \\\n  --name=a \\\n  --auto-tls\n");
        let s = f.text.find("--auto-tls").unwrap();
        let e = delete_word(&f, Span::new(0, s..s + 10));
        let new = apply_edits(&f.text, &[&e]).unwrap();
        assert_eq!(new, "[Service]\nExecStart=/usr/bin/etcd \\\n  --name=a\n");

        let f = file("ExecStart=/usr/bin/etcd --auto-tls --name=a\n");
        let s = f.text.find("--auto-tls").unwrap();
        let e = delete_word(&f, Span::new(0, s..s + 10));
        let new = apply_edits(&f.text, &[&e]).unwrap();
        assert_eq!(new, "ExecStart=/usr/bin/etcd --name=a\n");
    }

    #[test]
    fn deleting_the_last_line_without_newline_takes_the_one_before() {
        let f = file("A=1\r\nB=2");
        let e = delete_lines(&f, 0, 5, 8);
        assert_eq!(apply_edits(&f.text, &[&e]).unwrap(), "A=1");
    }
}
