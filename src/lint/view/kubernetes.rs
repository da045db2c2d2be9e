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
