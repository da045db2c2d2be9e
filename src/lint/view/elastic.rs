//! The DC/OS Elastic options JSON view (F-D1).

use crate::lint::parse::yaml::YNode;
use crate::lint::source::{FileId, Span};

#[derive(Debug, Clone)]
pub struct ElasticOptions {
    pub file: FileId,
    pub doc: YNode,
}

impl ElasticOptions {
    pub fn span(&self, range: &std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.clone())
    }

    /// Follow a path of keys; returns the last key's span and its value.
    pub fn path(&self, keys: &[&str]) -> Option<(Span, &YNode)> {
        let mut node = &self.doc;
        let mut key_span = 0..0;
        for k in keys {
            let (key, value) = node.entry(k)?;
            key_span = key.span.clone();
            node = value;
        }
        Some((self.span(&key_span), node))
    }
}

/// The JSON type of a value as written (JSON scalars are all strings in the parsed tree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
    Boolean,
    Number,
    Null,
    Object,
    Array,
    /// A template placeholder: unknown.
    Placeholder,
}

impl JsonType {
    pub fn describe(self) -> &'static str {
        match self {
            JsonType::String => "a string",
            JsonType::Boolean => "a boolean",
            JsonType::Number => "a number",
            JsonType::Null => "null",
            JsonType::Object => "an object",
            JsonType::Array => "an array",
            JsonType::Placeholder => "a template placeholder",
        }
    }
}

impl ElasticOptions {
    /// The value at a path of keys.
    pub fn get(&self, keys: &[&str]) -> Option<&YNode> {
        self.path(keys).map(|(_, n)| n)
    }

    /// The text a range covers in the file as written (templates unmasked).
    pub fn raw<'s>(
        &self,
        sources: &'s crate::lint::source::SourceStore,
        range: &std::ops::Range<usize>,
    ) -> &'s str {
        sources.text(self.span(range))
    }

    /// Whether a value is (or holds) a template placeholder, judged on the parsed value and on
    /// the text as written.
    pub fn is_placeholder(&self, sources: &crate::lint::source::SourceStore, node: &YNode) -> bool {
        node.as_str()
            .is_some_and(crate::lint::placeholder::is_placeholder)
            || crate::lint::placeholder::is_placeholder(self.raw(sources, &node.span))
    }

    /// The JSON type of a value as written.
    pub fn json_type(&self, sources: &crate::lint::source::SourceStore, node: &YNode) -> JsonType {
        use crate::lint::parse::yaml::YValue;
        match &node.value {
            YValue::Map(_) => JsonType::Object,
            YValue::Seq(_) => JsonType::Array,
            YValue::Scalar(s) => {
                if self.is_placeholder(sources, node) {
                    return JsonType::Placeholder;
                }
                let raw = self.raw(sources, &node.span);
                if raw.starts_with('"') || raw.starts_with('\'') {
                    JsonType::String
                } else if s == "true" || s == "false" {
                    JsonType::Boolean
                } else if s == "null" || s == "~" || s.is_empty() {
                    JsonType::Null
                } else if s.parse::<f64>().is_ok() {
                    JsonType::Number
                } else {
                    // A bare word (YAML-style options): read as a string.
                    JsonType::String
                }
            }
        }
    }

    /// A boolean written as a JSON boolean; `None` when absent, a placeholder or another type.
    pub fn bool_at(
        &self,
        sources: &crate::lint::source::SourceStore,
        keys: &[&str],
    ) -> Option<bool> {
        let node = self.get(keys)?;
        (self.json_type(sources, node) == JsonType::Boolean).then(|| node.as_str() == Some("true"))
    }

    /// A string value that is known (not a placeholder); `None` when absent or a placeholder.
    pub fn str_at(
        &self,
        sources: &crate::lint::source::SourceStore,
        keys: &[&str],
    ) -> Option<(&YNode, &str)> {
        let node = self.get(keys)?;
        if self.is_placeholder(sources, node) {
            return None;
        }
        node.as_str().map(|s| (node, s))
    }

    /// Whether transport encryption is on: `Some(true)`/`Some(false)` when known (absent means the
    /// schema default, false; F-D1), `None` when a placeholder or not a boolean.
    pub fn transport_encryption(&self, sources: &crate::lint::source::SourceStore) -> Option<bool> {
        match self.get(&["service", "security", "transport_encryption", "enabled"]) {
            None => Some(false),
            Some(_) => self.bool_at(
                sources,
                &["service", "security", "transport_encryption", "enabled"],
            ),
        }
    }
}

impl ElasticOptions {
    /// The edit that removes one `"key": scalar` entry of a JSON object written one entry per
    /// line, keeping the JSON valid: the entry's line with its trailing comma, or, for the last
    /// entry of its object, the entry with the comma before it. `None` when the entry shares its
    /// line with others (flow style) or its value is not a scalar.
    pub fn remove_entry(
        &self,
        sources: &crate::lint::source::SourceStore,
        keys: &[&str],
    ) -> Option<crate::lint::fix::Edit> {
        let (key_span, value) = self.path(keys)?;
        value.as_str()?;
        let text = sources.get(self.file).text.as_str();
        let key_start = key_span.start;
        let value_end = value.span.end.min(text.len());
        let line_start = text[..key_start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        if !text[line_start..key_start].trim().is_empty() {
            return None;
        }
        let after = &text[value_end..];
        let next = after.trim_start_matches([' ', '\t']);
        if let Some(rest) = next.strip_prefix(',') {
            // `"k": v,` then a line break: delete the whole line.
            let rest = rest.trim_start_matches([' ', '\t', '\r']);
            if !rest.starts_with('\n') {
                return None;
            }
            let comma = value_end + (after.len() - next.len());
            return Some(crate::lint::fix::delete_lines(
                sources.get(self.file),
                self.file,
                key_start,
                comma + 1,
            ));
        }
        let rest = next.trim_start_matches(['\r', '\n', ' ', '\t']);
        if !rest.starts_with('}') {
            return None;
        }
        // The last entry: take the comma of the entry before it, or the line when it is alone.
        let before = text[..line_start].trim_end();
        if before.ends_with(',') {
            let from = before.len() - 1;
            return Some(crate::lint::fix::Edit::delete(
                self.span(&(from..value_end)),
            ));
        }
        if before.ends_with('{') {
            return Some(crate::lint::fix::delete_lines(
                sources.get(self.file),
                self.file,
                key_start,
                value_end,
            ));
        }
        None
    }
}
