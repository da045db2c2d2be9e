//! One span-keeping parser per file syntax. Each returns byte ranges into the file's text (the
//! original text: masking of template syntax keeps every offset) and fails with one
//! [`ParseError`] at the place parsing stopped.

pub mod comments;
pub mod envfile;
pub mod systemd;
pub mod toml;
pub mod yaml;

use std::ops::Range;

/// Why and where a file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Range<usize>,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        ParseError {
            message: message.into(),
            span,
        }
    }
}

pub use crate::diag::token_len;
