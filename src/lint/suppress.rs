//! Inline suppressions: `# tlsgen: ignore[CODE, name]` on the finding's line or the line above,
//! and `# tlsgen: ignore-file[CODE]` anywhere in the file. Codes and names both work; an unknown
//! code or a suppression that suppressed nothing is itself reported.

use super::registry;
use super::rule::Rule;
use super::source::{FileId, SourceFile, Span};

/// One code inside a suppression comment.
#[derive(Debug, Clone)]
pub struct SuppressedCode {
    pub text: String,
    pub span: Span,
    pub rule: Option<&'static Rule>,
    pub used: bool,
}

/// One suppression comment.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// 0-based index of the line holding the comment.
    pub line: usize,
    /// `ignore-file[...]`.
    pub file_level: bool,
    /// The comment stands alone on its line (so it covers the next line).
    pub own_line: bool,
    pub codes: Vec<SuppressedCode>,
}

const MARKER: &str = "tlsgen:";

/// Every suppression comment of a file.
pub fn scan(id: FileId, file: &SourceFile) -> Vec<Suppression> {
    let text = file.text.as_str();
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut pos = 0usize;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let line_start = pos;
        pos += raw.len();
        let Some(m) = raw.find(MARKER) else { continue };
        let Some(hash) = raw[..m].rfind('#') else {
            continue;
        };
        if !raw[hash + 1..m].trim().is_empty() {
            continue;
        }
        let after_marker = &raw[m + MARKER.len()..];
        let rest = after_marker.trim_start();
        let rest_off = line_start + m + MARKER.len() + (after_marker.len() - rest.len());
        let (file_level, after) = if let Some(a) = rest.strip_prefix("ignore-file[") {
            (true, a)
        } else if let Some(a) = rest.strip_prefix("ignore[") {
            (false, a)
        } else {
            continue;
        };
        let Some(close) = after.find(']') else {
            continue;
        };
        let list_off = rest_off + (rest.len() - after.len());
        let mut codes = Vec::new();
        let mut offset = 0;
        for part in after[..close].split(',') {
            let trimmed = part.trim();
            let lead = part.len() - part.trim_start().len();
            if !trimmed.is_empty() {
                let start = list_off + offset + lead;
                codes.push(SuppressedCode {
                    text: trimmed.to_string(),
                    span: Span::new(id, start..start + trimmed.len()),
                    rule: registry::find(trimmed),
                    used: false,
                });
            }
            offset += part.len() + 1;
        }
        out.push(Suppression {
            line: index,
            file_level,
            own_line: raw[..hash].trim().is_empty(),
            codes,
        });
    }
    out
}

/// Whether a finding of `rule` on 0-based line `line` is suppressed; marks the suppression used.
pub fn suppresses(suppressions: &mut [Suppression], rule: &'static Rule, line: usize) -> bool {
    for s in suppressions.iter_mut() {
        let applies = s.file_level || s.line == line || (s.own_line && s.line + 1 == line);
        if !applies {
            continue;
        }
        for c in s.codes.iter_mut() {
            if c.rule.is_some_and(|r| std::ptr::eq(r, rule)) {
                c.used = true;
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_codes_and_names_with_spans() {
        let text = "a\n# tlsgen: ignore[ETCD001, client-cert-auth-disabled]\nx = 1 # tlsgen: ignore-file[NOPE]\n";
        let f = SourceFile::new("f".into(), text.into());
        let s = scan(0, &f);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].line, 1);
        assert!(s[0].own_line && !s[0].file_level);
        assert_eq!(
            &text[s[0].codes[1].span.start..s[0].codes[1].span.end],
            "client-cert-auth-disabled"
        );
        assert!(s[0].codes[0].rule.is_some());
        assert!(s[1].file_level && !s[1].own_line);
        assert!(s[1].codes[0].rule.is_none());
        assert_eq!(
            &text[s[1].codes[0].span.start..s[1].codes[0].span.end],
            "NOPE"
        );
    }
}
