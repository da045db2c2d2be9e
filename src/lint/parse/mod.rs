//! One span-keeping parser per file syntax. Each returns byte ranges into the file's text (the
//! original text: masking of template syntax keeps every offset) and fails with one
//! [`ParseError`] at the place parsing stopped.

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

/// The extent of the scalar token at `offset`: a quoted string up to its closing quote, otherwise
/// up to the end of the line, a ` #` comment, or a flow separator (`,`, `]`, `}`).
pub fn token_len(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let rest = &text[offset..];
    let bytes = rest.as_bytes();
    match bytes.first() {
        None => 0,
        Some(&q @ (b'"' | b'\'')) => {
            let mut escaped = false;
            for (i, &c) in bytes.iter().enumerate().skip(1) {
                if c == b'\n' {
                    return i;
                }
                if q == b'"' && c == b'\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    return i + 1;
                }
                escaped = false;
            }
            rest.len()
        }
        Some(_) => {
            let mut end = rest.len();
            for (i, &b) in bytes.iter().enumerate() {
                let comment = b == b'#' && i > 0 && (bytes[i - 1] == b' ' || bytes[i - 1] == b'\t');
                let key_end = b == b':'
                    && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
                if matches!(b, b'\n' | b'\r' | b',' | b'}' | b']') || comment || key_end {
                    end = i;
                    break;
                }
            }
            rest[..end].trim_end().len()
        }
    }
}
