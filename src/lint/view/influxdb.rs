//! The InfluxDB view: the sections of `influxdb.conf` (OSS or Enterprise data node) or
//! `influxdb-meta.conf` (Enterprise meta node), each key a [`Setting`] with spans.

use std::collections::BTreeMap;

use toml_edit::{ImDocument, Item, Table, Value};

use super::{Form, KeyMap, Setting};
use crate::lint::source::{FileId, SourceFile, Span};

/// Which InfluxDB configuration file this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InfluxRole {
    /// `influxdb.conf`: OSS, or an Enterprise data node.
    Data,
    /// `influxdb-meta.conf`: an Enterprise meta node.
    Meta,
}

/// One `[section]` of the file.
#[derive(Debug, Clone)]
pub struct InfluxSection {
    /// The first line of the header (`[http]`).
    pub header: Span,
    pub keys: KeyMap<Setting>,
    /// Arrays of scalars (`[tls] ciphers`), each item a setting.
    pub lists: KeyMap<Vec<Setting>>,
}

#[derive(Debug, Clone)]
pub struct InfluxConfig {
    pub role: InfluxRole,
    pub file: FileId,
    /// Start of the file, for findings about a missing section.
    pub anchor: Span,
    /// Sections by name; top-level keys are under `""`.
    pub sections: KeyMap<InfluxSection>,
}

impl InfluxConfig {
    pub fn from_toml(
        id: FileId,
        file: &SourceFile,
        doc: &ImDocument<String>,
        role: InfluxRole,
    ) -> Self {
        let mut sections = BTreeMap::new();
        let root = doc.as_table();
        let (top, top_lists) = toml_settings(id, file, root);
        sections.insert(
            String::new(),
            InfluxSection {
                header: Span::new(id, 0..0),
                keys: top,
                lists: top_lists,
            },
        );
        for (name, item) in root.iter() {
            if let Item::Table(t) = item {
                let (keys, lists) = toml_settings(id, file, t);
                // The first line of the header: where a missing key of the section is reported.
                let header = t
                    .span()
                    .map(|h| h.start..file.line_end(h.start).min(h.end).max(h.start))
                    .unwrap_or(0..0);
                sections.insert(
                    name.to_string(),
                    InfluxSection {
                        header: Span::new(id, header),
                        keys,
                        lists,
                    },
                );
            }
        }
        InfluxConfig {
            role,
            file: id,
            anchor: Span::new(id, 0..file.line_end(0)),
            sections: sections.into(),
        }
    }

    pub fn section(&self, name: &str) -> Option<&InfluxSection> {
        self.sections.get(name)
    }

    pub fn get(&self, section: &str, key: &str) -> Option<&Setting> {
        self.sections.get(section)?.keys.get(key)
    }

    /// The items of an array key (`[tls] ciphers`).
    pub fn list(&self, section: &str, key: &str) -> Option<&[Setting]> {
        self.sections
            .get(section)?
            .lists
            .get(key)
            .map(Vec::as_slice)
    }

    /// The boolean value of a key: `Some(default)` when absent, `None` when the value is a
    /// placeholder or not a boolean (unknown, never judged).
    pub fn bool_or(&self, section: &str, key: &str, default: bool) -> Option<bool> {
        match self.get(section, key) {
            None => Some(default),
            Some(s) if s.placeholder => None,
            Some(s) => match s.value.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
        }
    }

    /// Where to report a missing key of `section`: the first line of its header (`[meta]`),
    /// or the file's first line when the section is absent.
    pub fn header_line(&self, section: &str) -> Span {
        self.sections
            .get(section)
            .map(|s| s.header)
            .filter(|h| !h.is_empty())
            .unwrap_or(self.anchor)
    }

    /// Whether a data-role file looks like an Enterprise data node (it has a `[meta]` or
    /// `[cluster]` section), so cross-file rules may compare it with meta nodes.
    pub fn is_enterprise_data(&self) -> bool {
        self.role == InfluxRole::Data
            && (self.sections.contains_key("meta") || self.sections.contains_key("cluster"))
    }

    /// Whether the file turns on any TLS listener or TLS client (`[http]`, `[cluster]` or meta
    /// `[meta] https-enabled`, data `[meta] meta-tls-enabled`); a placeholder counts as on.
    pub fn any_tls(&self) -> bool {
        let on = |section: &str, key: &str| {
            self.get(section, key)
                .is_some_and(|s| s.placeholder || s.value == "true")
        };
        match self.role {
            InfluxRole::Data => {
                on("http", "https-enabled")
                    || on("cluster", "https-enabled")
                    || on("meta", "meta-tls-enabled")
            }
            InfluxRole::Meta => on("meta", "https-enabled") || on("meta", "data-use-tls"),
        }
    }
}

/// The scalar keys of a table as settings, and its arrays of scalars as lists of settings.
pub fn toml_settings(
    id: FileId,
    file: &SourceFile,
    table: &Table,
) -> (KeyMap<Setting>, KeyMap<Vec<Setting>>) {
    let mut keys = BTreeMap::new();
    let mut lists = BTreeMap::new();
    for (name, item) in table.iter() {
        let Some((k, _)) = table.get_key_value(name) else {
            continue;
        };
        let key_span = k.span().unwrap_or(0..0);
        match item {
            Item::Value(Value::Array(arr)) => {
                let mut items = Vec::new();
                for v in arr.iter() {
                    let span = v.span().unwrap_or(key_span.clone());
                    items.push(Setting::new(
                        file,
                        id,
                        name,
                        key_span.clone(),
                        scalar_text(v, file, &span),
                        string_inner(v, span),
                        Form::Toml,
                    ));
                }
                lists.insert(name.to_string(), items);
            }
            Item::Value(v) => {
                let span = v.span().unwrap_or(key_span.clone());
                let setting = Setting::new(
                    file,
                    id,
                    name,
                    key_span.clone(),
                    scalar_text(v, file, &span),
                    span,
                    Form::Toml,
                );
                keys.insert(name.to_string(), setting);
            }
            _ => {}
        }
    }
    (keys.into(), lists.into())
}

fn string_inner(v: &Value, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let _ = v;
    span
}

/// The text of a scalar: a string's content, a boolean or number as written.
fn scalar_text(v: &Value, file: &SourceFile, span: &std::ops::Range<usize>) -> String {
    match v {
        Value::String(s) => s.value().clone(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Integer(i) => i.value().to_string(),
        _ => file.slice(span.start, span.end).to_string(),
    }
}
