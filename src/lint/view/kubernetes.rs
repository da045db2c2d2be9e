//! The Kubernetes `EncryptionConfiguration` view (also the legacy `kind: EncryptionConfig`).

use crate::lint::parse::yaml::YNode;
use crate::lint::source::{FileId, Span};

#[derive(Debug, Clone)]
pub struct EncryptionConfig {
    pub file: FileId,
    pub doc: YNode,
    /// The span of the `kind` value.
    pub kind: Span,
    /// `kind: EncryptionConfig` (pre-1.13 alpha, F-K1).
    pub legacy: bool,
}

impl EncryptionConfig {
    pub fn from_yaml(id: FileId, doc: YNode) -> Option<Self> {
        let kind_node = doc.get("kind")?;
        let kind = kind_node.as_str()?;
        let legacy = match kind {
            "EncryptionConfiguration" => false,
            "EncryptionConfig" => true,
            _ => return None,
        };
        Some(EncryptionConfig {
            file: id,
            kind: Span::new(id, kind_node.span.clone()),
            legacy,
            doc,
        })
    }

    pub fn span(&self, range: &std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.clone())
    }
}

/// One element of a `providers` list: its provider keys (normally exactly one, F-K2).
#[derive(Debug, Clone, Copy)]
pub struct ProviderElement<'a> {
    /// Index of the `resources` entry it belongs to.
    pub entry: usize,
    /// Index in that entry's `providers` list.
    pub index: usize,
    pub node: &'a YNode,
}

impl<'a> ProviderElement<'a> {
    /// The first provider key of the element and its configuration, e.g. (`kms`, `{name: …}`).
    pub fn first(&self) -> Option<(&'a crate::lint::parse::yaml::YKey, &'a YNode)> {
        self.node.as_map().first().map(|(k, v)| (k, v))
    }
}

/// Provider keys kube-apiserver knows (F-K2).
pub const PROVIDER_TYPES: &[&str] = &["identity", "aescbc", "aesgcm", "secretbox", "kms"];

impl EncryptionConfig {
    /// The `resources` entries (`ResourceConfiguration`s) in order.
    pub fn entries(&self) -> &[YNode] {
        self.doc.get("resources").map(|r| r.as_seq()).unwrap_or(&[])
    }

    /// The resource names of an entry, each with its node.
    pub fn resource_names<'a>(
        &self,
        entry: &'a YNode,
    ) -> impl Iterator<Item = (&'a str, &'a YNode)> {
        entry
            .get("resources")
            .map(|r| r.as_seq())
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| n.as_str().map(|s| (s, n)))
    }

    /// Whether an entry lists `secrets` (or `*.`, `*.*`, which cover it; F-K3).
    pub fn covers_secrets(&self, entry: &YNode) -> bool {
        self.resource_names(entry)
            .any(|(r, _)| matches!(r, "secrets" | "*." | "*.*"))
    }

    /// Every element of every `providers` list, in file order.
    pub fn provider_elements(&self) -> Vec<ProviderElement<'_>> {
        let mut out = Vec::new();
        for (e, entry) in self.entries().iter().enumerate() {
            for (i, node) in entry
                .get("providers")
                .map(|p| p.as_seq())
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                out.push(ProviderElement {
                    entry: e,
                    index: i,
                    node,
                });
            }
        }
        out
    }

    /// The text a node covers in the file as written (templates unmasked).
    pub fn raw<'s>(
        &self,
        sources: &'s crate::lint::source::SourceStore,
        range: &std::ops::Range<usize>,
    ) -> &'s str {
        sources.text(self.span(range))
    }

    /// Whether a scalar is a template placeholder (its value unknown at lint time), judged on
    /// both the parsed value and the text as written.
    pub fn is_placeholder(&self, sources: &crate::lint::source::SourceStore, node: &YNode) -> bool {
        node.as_str()
            .is_some_and(crate::lint::placeholder::is_placeholder)
            || crate::lint::placeholder::is_placeholder(self.raw(sources, &node.span))
    }

    /// Whether a key was written as a template placeholder.
    pub fn key_is_placeholder(
        &self,
        sources: &crate::lint::source::SourceStore,
        key: &crate::lint::parse::yaml::YKey,
    ) -> bool {
        crate::lint::placeholder::is_placeholder(&key.text)
            || crate::lint::placeholder::is_placeholder(self.raw(sources, &key.span))
    }
}
