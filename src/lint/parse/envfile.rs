//! Environment files (`/etc/default/etcd`, `/etc/etcd/etcd.conf`, etcdctl env files): `KEY=value`
//! lines with optional `export`, single or double quotes, `#` comments and trailing ` # comments`.
//! Lines that are not assignments (shell code) are skipped; only an unterminated quote fails.

use std::ops::Range;

use super::ParseError;

/// One `NAME=value` assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub name: String,
    /// The value with quotes removed and escapes resolved.
    pub value: String,
    pub name_span: Range<usize>,
    /// The value as written, quotes included.
    pub value_span: Range<usize>,
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parse every assignment of an environment file, in order.
pub fn parse(text: &str) -> Result<Vec<EnvEntry>, ParseError> {
    // Template statement lines (`{% if %}`, `<% end %>`) are blanked, keeping offsets.
    let masked = crate::lint::placeholder::mask_statement_lines(text);
    let text: &str = &masked;
    let mut out = Vec::new();
    let mut pos = 0usize;
    for raw in text.split_inclusive('\n') {
        let line_start = pos;
        pos += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut offset = line_start + (line.len() - trimmed.len());
        let mut rest = trimmed;
        if let Some(after) = rest
            .strip_prefix("export ")
            .or_else(|| rest.strip_prefix("export\t"))
        {
            let after_trim = after.trim_start();
            offset += rest.len() - after_trim.len();
            rest = after_trim;
        }
        let Some(eq) = rest.find('=') else { continue };
        let name = &rest[..eq];
        if !is_name(name) {
            continue;
        }
        let value_start = offset + eq + 1;
        let raw_value = &rest[eq + 1..];
        let (value, len) = unquote(raw_value)
            .map_err(|m| ParseError::new(m, value_start..line_start + line.len()))?;
        out.push(EnvEntry {
            name: name.to_string(),
            value,
            name_span: offset..offset + eq,
            value_span: value_start..value_start + len,
        });
    }
    Ok(out)
}

/// Whether the file holds a line of template output (`{{ etcd_env }}`, `${EXTRA_ENV}`,
/// `<%= @extra %>` alone on a line, see [`crate::lint::placeholder::is_placeholder_line`]): it may
/// set any variable, so nothing can be said to be missing from the file.
pub fn has_placeholder_lines(text: &str) -> bool {
    let masked = crate::lint::placeholder::mask_statement_lines(text);
    masked.lines().any(|line| {
        let t = line.trim_start();
        let t = t.strip_prefix("export ").unwrap_or(t);
        !t.trim_start().starts_with('#') && crate::lint::placeholder::is_placeholder_line(t)
    })
}

/// Decode a value as a shell would for the simple forms env files use; returns the value and the
/// length of its written form (without a trailing comment).
fn unquote(raw: &str) -> Result<(String, usize), String> {
    let mut out = String::new();
    let mut chars = raw.char_indices().peekable();
    let mut end = 0;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' => {
                let mut closed = false;
                while let Some((j, d)) = chars.next() {
                    if d == c {
                        closed = true;
                        end = j + 1;
                        break;
                    }
                    if c == '"' && d == '\\' {
                        if let Some((_, e)) = chars.next() {
                            out.push(e);
                        }
                        continue;
                    }
                    out.push(d);
                }
                if !closed {
                    return Err(format!("unterminated {c} quote"));
                }
            }
            ' ' | '\t' => {
                // An unquoted blank ends the value; what follows is a comment or another word.
                break;
            }
            '\\' => {
                if let Some((j, e)) = chars.next() {
                    out.push(e);
                    end = j + e.len_utf8();
                }
            }
            _ => {
                out.push(c);
                end = i + c.len_utf8();
            }
        }
    }
    Ok((out, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_export_comments_and_crlf() {
        let text = "# comment\r\nexport ETCD_NAME=\"s 1\"\r\nETCD_X='a#b' # trailing\nif true; then\nETCD_Y=plain # c\nETCD_Z=";
        let e = parse(text).unwrap();
        let names: Vec<_> = e
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("ETCD_NAME", "s 1"),
                ("ETCD_X", "a#b"),
                ("ETCD_Y", "plain"),
                ("ETCD_Z", "")
            ]
        );
        assert_eq!(&text[e[0].value_span.clone()], "\"s 1\"");
        assert_eq!(&text[e[2].value_span.clone()], "plain");
        assert_eq!(&text[e[1].name_span.clone()], "ETCD_X");
    }

    #[test]
    fn placeholder_lines_are_found_and_values_are_not_lines() {
        assert!(has_placeholder_lines("A=1\n{{ extra }}\n"));
        assert!(has_placeholder_lines("A=1\r\n  ${EXTRA}\r\n"));
        assert!(!has_placeholder_lines(
            "A={{ a }}\n# {{ b }}\n{% if x %}\n{% endif %}\n"
        ));
        assert!(!has_placeholder_lines("if true; then\nA=1\nfi\n"));
    }

    #[test]
    fn unterminated_quote_fails_at_the_value() {
        let err = parse("A=1\nB=\"open\n").unwrap_err();
        assert_eq!(err.span.start, 6);
    }
}
