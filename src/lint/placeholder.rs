//! Template placeholders: a value that is (or contains) a Jinja/Go-template `{{ }}`/`{% %}`, ERB
//! `<%= %>`, shell or systemd `${VAR}`/`$VAR`, or autoconf `@VAR@` is unknown at lint time, never
//! insecure. Every rule asks [`is_placeholder`] before it judges a value.

use std::borrow::Cow;

/// Whether `value` holds a template placeholder, so its effective value is unknown.
pub fn is_placeholder(value: &str) -> bool {
    // One pass over the pairs of bytes (it runs for every value of every file): `{{`, `{%`, `<%`,
    // `${`, `$(`, and `$VAR` (shell, systemd: a dollar followed by a letter or underscore).
    let b = value.as_bytes();
    // Most values hold none of the bytes a placeholder starts with: one vectorised search.
    if memchr::memchr3(b'{', b'<', b'$', b).is_none() && !value.starts_with('@') {
        return false;
    }
    if b.windows(2).any(|w| match (w[0], w[1]) {
        (b'{', b'{' | b'%') | (b'<', b'%') | (b'$', b'{' | b'(' | b'_') => true,
        (b'$', c) => c.is_ascii_alphabetic(),
        _ => false,
    }) {
        return true;
    }
    // `@VAR@` (autoconf, ebuild substitutions such as `@ETCD_IMAGE_TAG@`).
    if let Some(rest) = value.strip_prefix('@') {
        if let Some(inner) = rest.strip_suffix('@') {
            return !inner.is_empty()
                && inner
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_');
        }
    }
    false
}

/// The openers of placeholders that may hold blanks or commas, with their closers.
const DELIMITED: [(&str, &str); 5] = [
    ("{{", "}}"),
    ("{%", "%}"),
    ("<%", "%>"),
    ("${", "}"),
    ("$(", ")"),
];

/// The length of the placeholder `rest` starts with (`{{ addr }}`, `{% x %}`, `<%= @x %>`,
/// `${VAR}`, `$(cmd)`), or `None`. A template engine (or the shell) replaces the whole run, so
/// the blanks and commas inside it split no word and no list. An opener without its closer is no
/// placeholder.
pub fn placeholder_len(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    if b.len() < 2 || !matches!(b[0], b'{' | b'<' | b'$') {
        return None;
    }
    DELIMITED.iter().find_map(|(open, close)| {
        let after = rest.strip_prefix(open)?;
        after.find(close).map(|k| open.len() + k + close.len())
    })
}

/// Split a comma-separated list (a URL list) at the commas outside placeholders
/// (`{{ peers | join(',') }},https://10.0.0.1:2379` is two items).
pub fn split_list(value: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut i = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let bytes = value.as_bytes();
        while i < bytes.len() {
            // A placeholder starts with an ASCII byte, so `i` is a character boundary there.
            if matches!(bytes[i], b'{' | b'<' | b'$') {
                if let Some(len) = placeholder_len(&value[i..]) {
                    i += len;
                    continue;
                }
            }
            if bytes[i] == b',' {
                let item = &value[start..i];
                i += 1;
                start = i;
                return Some(item);
            }
            i += 1;
        }
        done = true;
        Some(&value[start..])
    })
}

/// Whether a line (without its line break) is template output rather than syntax: a
/// placeholder alone (`${unit_options}`, `{{ options }}`, `<%= @lines %>`, `$EXTRA`,
/// `@EXTRA@`), or a line without `=` that holds one. Such a line is unknown, not an error.
pub fn is_placeholder_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    let whole = placeholder_len(t) == Some(t.len())
        || t.strip_prefix('$').is_some_and(|name| {
            name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        })
        || is_placeholder(t) && t.starts_with('@') && t.ends_with('@');
    whole || !t.contains('=') && !t.starts_with(['[', '#', ';']) && is_placeholder(t)
}

/// Whether a file contains template syntax worth masking before parsing.
pub fn has_template_syntax(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("<%")
}

/// Mask template syntax so a structured parser can read a templated file, keeping every byte
/// offset: lines that hold only a statement tag (`{% if %}`, `<% end %>`, `{{- /* */ -}}`) become
/// spaces, and an unquoted `{{ expr }}` or `<%= expr %>` becomes a quoted string of the same
/// length. Rules read values from the original text, so they still see the placeholder.
pub fn mask_templates(text: &str) -> Cow<'_, str> {
    if !has_template_syntax(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !blank_statement(line, &mut out) {
            out.push_str(&mask_line(line));
        }
    }
    Cow::Owned(out)
}

/// Mask only the lines that hold a template statement tag (`{% if x %}`, `{% endif %}`,
/// `<% if @tls %>`, `<% end %>`, `{{- /* */ -}}`) as spaces, keeping every byte offset, for line
/// syntaxes (systemd units, env files) where such a line is not `Key=value` and where a
/// `{{ expr }}` inside a value is kept as written (rules see it as a placeholder).
pub fn mask_statement_lines(text: &str) -> Cow<'_, str> {
    if !has_template_syntax(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !blank_statement(line, &mut out) {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// Push a statement-only line as spaces (line break kept) and say so; leave `out` alone otherwise.
fn blank_statement(line: &str, out: &mut String) -> bool {
    let body = line.trim_end_matches(['\n', '\r']);
    let t = body.trim();
    let statement = (t.starts_with("{%") && t.ends_with("%}"))
        || (t.starts_with("<%") && !t.starts_with("<%=") && t.ends_with("%>"))
        || (t.starts_with("{{-") || t.starts_with("{{/*"))
            && t.ends_with("}}")
            && !t.contains(':')
            && !t.contains('=');
    if !statement || t.is_empty() {
        return false;
    }
    for c in body.chars() {
        out.extend(std::iter::repeat_n(' ', c.len_utf8()));
    }
    out.push_str(&line[body.len()..]);
    true
}

/// Turn unquoted `{{ … }}` / `<%= … %>` runs of one line into same-length quoted strings.
fn mask_line(line: &str) -> Cow<'_, str> {
    if !line.contains("{{") && !line.contains("<%") {
        return Cow::Borrowed(line);
    }
    let bytes = line.as_bytes();
    let mut out = bytes.to_vec();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'#' => break,
            None => {
                let close = match (b, bytes.get(i + 1)) {
                    (b'{', Some(b'{')) => Some("}}"),
                    (b'<', Some(b'%')) => Some("%>"),
                    _ => None,
                };
                if let Some(close) = close {
                    if let Some(rel) = line[i + 2..].find(close) {
                        let end = i + 2 + rel + 2;
                        out[i] = b'"';
                        out[end - 1] = b'"';
                        for o in out.iter_mut().take(end - 1).skip(i + 1) {
                            if *o == b'"' || *o == b'\\' {
                                *o = b'\'';
                            }
                        }
                        i = end;
                        continue;
                    }
                }
            }
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII bytes, so the result is still UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| line.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_template_dialects() {
        for v in [
            "{{ etcd_cert }}",
            "https://{{ ip }}:2379",
            "<%= @cert %>",
            "${CERT}",
            "$ETCD_OPTS",
            "@ETCD_IMAGE_TAG@",
            "{% if x %}",
            "$(hostname)",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in [
            "true",
            "http://10.0.0.1:2379",
            "/etc/ssl/a.pem",
            "50$",
            "user@host",
            "@",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn placeholder_runs_split_neither_words_nor_lists() {
        assert_eq!(placeholder_len("{{ a b }}:2379"), Some(9));
        assert_eq!(placeholder_len("<%= @x.join(', ') %>,"), Some(20));
        assert_eq!(placeholder_len("${A},"), Some(4));
        assert_eq!(placeholder_len("$(hostname -i)"), Some(14));
        for no in ["{{ open", "$A", "{a}", "<a>", "", "{"] {
            assert_eq!(placeholder_len(no), None, "{no}");
        }
        let items: Vec<&str> = split_list("{{ p | join(',') }},https://a:1,,x${B,C}").collect();
        assert_eq!(items, ["{{ p | join(',') }}", "https://a:1", "", "x${B,C}"]);
        assert_eq!(split_list("a").collect::<Vec<_>>(), ["a"]);
        assert_eq!(split_list("").collect::<Vec<_>>(), [""]);
        assert_eq!(split_list("a,{{ b").collect::<Vec<_>>(), ["a", "{{ b"]);
        // Non-ASCII text is stepped over byte by byte without slicing inside a character.
        assert_eq!(
            split_list("é,ü{{ ö, ä }},€").collect::<Vec<_>>(),
            ["é", "ü{{ ö, ä }}", "€"]
        );
    }

    #[test]
    fn whole_line_placeholders_are_unknown_lines() {
        for line in [
            "${unit_options}",
            "  {{ options }}",
            "{{ a }} {{ b }}",
            "<%= @lines %>",
            "$EXTRA",
            "@EXTRA_SETTINGS@",
            "{{ opts | default('A=b') }}",
        ] {
            assert!(is_placeholder_line(line), "{line}");
        }
        for line in [
            "nonsense",
            "A={{ b }}",
            "[{{ section }}",
            "# {{ c }}",
            "",
            "$",
            "@",
            "50$ off",
        ] {
            assert!(!is_placeholder_line(line), "{line}");
        }
    }

    #[test]
    fn statement_lines_of_units_become_blank_and_values_stay() {
        let text = "[Service]\n{% if tls %}\r\nEnvironment=\"A={{ a }}\"\n  {%- endif %}\n<% if @x -%>\nB=<%= @b %>\n<% end %>\n";
        let masked = mask_statement_lines(text);
        assert_eq!(masked.len(), text.len());
        for (m, t) in masked.split('\n').zip(text.split('\n')) {
            let statement = ["{%", "<% if", "<% end"]
                .iter()
                .any(|p| t.trim_start().starts_with(p));
            if statement {
                assert!(m.trim().is_empty() && m.len() == t.len(), "{t:?} -> {m:?}");
            } else {
                assert_eq!(m, t);
            }
        }
        // The CRLF of a blanked line stays; a `{{ }}` inside a value stays as written.
        assert!(masked.contains(" \r\nEnvironment=\"A={{ a }}\"\n"));
        assert!(matches!(
            mask_statement_lines("[Service]\nA=b\n"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn masking_keeps_offsets_and_quotes_bare_expressions() {
        let text =
            "{% if tls %}\nhttps-enabled = {{ tls }}\nname = \"{{ n }}\"\n{% endif %}\n# é\n";
        let masked = mask_templates(text);
        assert_eq!(masked.len(), text.len());
        assert!(masked.contains("https-enabled = \"{ tls }\""));
        assert!(masked.contains("name = \"{{ n }}\""));
        assert!(!masked.contains("{%"));
        assert!(masked.ends_with("# é\n"));
    }
}
