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
