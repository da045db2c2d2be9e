//! Inline suppressions. The syntax, designed once (README "Suppressions"):
//!
//! ```text
//! # tlsgen: ignore[CODE or name, ...] <optional reason> [until YYYY-MM-DD]
//! # tlsgen: ignore-file[CODE or name, ...] <optional reason> [until YYYY-MM-DD]
//! ```
//!
//! - `ignore` covers the directive's line, and the line below when the comment stands alone on
//!   its line; `ignore-file` covers the whole file.
//! - Words are read in any case (`# TLSGEN: IGNORE[tgf002]`); spaces around `tlsgen:` and before
//!   `[` are optional; codes and names both work, comma-separated.
//! - Free text may come first in the same comment: after a second `#` (`# lab box # tlsgen:
//!   ignore[TGF002]`) or after other words (`# lab box, tlsgen: ignore[TGF002]`). In the second
//!   form `tlsgen:` must be followed by `ignore`, so prose such as "rendered by tlsgen: do not
//!   edit" is not a directive; at the start of a comment (or after a second `#`) every
//!   `tlsgen:` is one, and a wrong word there is reported.
//! - After `]`: an optional reason (free text; leading `-`, `:` dropped) and an optional expiry,
//!   `until YYYY-MM-DD`, as the last two words. Both are kept in [`Suppression`] for the
//!   governance of the adoption issue (reasons required, expired suppressions reported).
//! - A directive is read only inside a real comment of the file's syntax ([`Syntax`]): not in a
//!   TOML, YAML or JSON string, not in a YAML block scalar, never in JSON (it has no comments:
//!   use `per-file-ignores` in `tlsgen.toml`). systemd units and environment files have comments
//!   only on their own lines: a directive after a value is part of the value there, and is
//!   reported.
//! - A directive that does not parse (a bare `# tlsgen: ignore`, an unclosed `[`, no code, an
//!   invalid date) suppresses nothing and is reported (TLSGEN005); an unknown code is TLSGEN002,
//!   a suppression that matched nothing TLSGEN003.

use super::detect::Kind;
use super::registry;
use super::rule::Rule;
use super::source::{FileId, SourceFile, Span};

/// The comment syntax of a file, from its kind and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `#` or `;` at the start of a line only.
    Systemd,
    /// `#` or `;` at the start of a line only; quoted values may span lines.
    EnvFile,
    /// `#` outside strings (basic, literal, multi-line).
    Toml,
    /// `#` at the start of a line or after white space, outside quoted and block scalars.
    Yaml,
    /// No comments.
    Json,
}

impl Syntax {
    pub fn of(kind: Kind, path: &str) -> Syntax {
        match kind {
            Kind::EtcdUnit => Syntax::Systemd,
            Kind::EtcdEnv | Kind::Etcdctl => Syntax::EnvFile,
            Kind::InfluxdbData | Kind::InfluxdbMeta | Kind::Telegraf => Syntax::Toml,
            Kind::EtcdYaml | Kind::EtcdPod | Kind::K8sEncryption | Kind::DcosElastic => {
                if path.ends_with(".json") {
                    Syntax::Json
                } else {
                    Syntax::Yaml
                }
            }
        }
    }
}

/// One code inside a suppression comment.
#[derive(Debug, Clone)]
pub struct SuppressedCode {
    pub text: String,
    pub span: Span,
    pub rule: Option<&'static Rule>,
    pub used: bool,
}

/// Why a directive does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub message: String,
    pub help: String,
}

/// One suppression directive.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// 0-based index of the line holding the comment.
    pub line: usize,
    /// `ignore-file[...]`.
    pub file_level: bool,
    /// The comment stands alone on its line (so it covers the next line).
    pub own_line: bool,
    /// Empty when the directive is malformed.
    pub codes: Vec<SuppressedCode>,
    /// The free text after `]` (without the expiry), if any.
    pub reason: Option<String>,
    /// `until YYYY-MM-DD`: the last day the suppression is meant to hold.
    pub until: Option<time::Date>,
    /// The directive, from `tlsgen:` to its end.
    pub span: Span,
    /// Set when the directive does not parse; it then suppresses nothing.
    pub malformed: Option<Malformed>,
}

/// A comment of the file's syntax: byte range from its marker to the end of the line.
struct Comment {
    start: usize,
    end: usize,
    line: usize,
    own_line: bool,
    /// A `#` after a value where the syntax has no end-of-line comments.
    trailing_in_value: bool,
}

/// Position of `needle` (lower-case ASCII) in `hay`, in any case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if let Some(&last @ b':') = n.last() {
        // `tlsgen:`: anchored on the colon, rarer in text than a letter.
        let mut from = n.len() - 1;
        while let Some(i) = memchr::memchr(last, h.get(from..)?) {
            let end = from + i + 1;
            if h[end - n.len()..end].eq_ignore_ascii_case(n) {
                return Some(end - n.len());
            }
            from = end;
        }
        return None;
    }
    let first = n[0];
    let mut from = 0;
    while let Some(i) = memchr::memchr2(first, first.to_ascii_uppercase(), &h[from..]) {
        let at = from + i;
        if h.len() - at >= n.len() && h[at..at + n.len()].eq_ignore_ascii_case(n) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

const MARKER: &str = "tlsgen:";

/// Every suppression directive of a file.
pub fn scan(id: FileId, file: &SourceFile, syntax: Syntax) -> Vec<Suppression> {
    let text = file.text.as_str();
    if syntax == Syntax::Json || find_ci(text, MARKER).is_none() {
        return Vec::new();
    }
    let comments = match syntax {
        Syntax::Toml => toml_comments(text),
        Syntax::Yaml => yaml_comments(text),
        Syntax::Systemd | Syntax::EnvFile => line_comments(text, syntax == Syntax::EnvFile),
        Syntax::Json => Vec::new(),
    };
    let mut out = Vec::new();
    for c in comments {
        let body = &text[c.start..c.end];
        if find_ci(body, MARKER).is_some() {
            directives(id, text, &c, &mut out);
        }
    }
    out
}

/// The byte ranges of every comment of a text in its syntax (from the comment marker to the end
/// of its line): the same reading of comments the directives get. TLSGEN006 uses it to leave
/// example URLs of sample configurations alone.
pub fn comment_ranges(text: &str, syntax: Syntax) -> Vec<std::ops::Range<usize>> {
    let comments = match syntax {
        Syntax::Toml => toml_comments(text),
        Syntax::Yaml => yaml_comments(text),
        Syntax::Systemd | Syntax::EnvFile => line_comments(text, syntax == Syntax::EnvFile),
        Syntax::Json => Vec::new(),
    };
    comments
        .into_iter()
        .filter(|c| !c.trailing_in_value)
        .map(|c| c.start..c.end)
        .collect()
}

/// Lines whose first non-blank character is `#` or `;` (systemd units, environment files), and
/// `#` after a value (reported when it holds a directive). In an environment file a quoted
/// value may run over lines; its lines are not comments.
fn line_comments(text: &str, env_file: bool) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut open_quote: Option<u8> = None;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let start = pos;
        pos += raw.len();
        let body = raw.trim_end_matches(['\n', '\r']);
        let end = start + body.len();
        if let Some(q) = open_quote {
            open_quote = unclosed_quote(body.as_bytes(), Some(q));
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        let first = body.as_bytes().get(lead).copied();
        if matches!(first, Some(b'#' | b';')) {
            out.push(Comment {
                start: start + lead,
                end,
                line: index,
                own_line: true,
                trailing_in_value: false,
            });
            continue;
        }
        if env_file {
            if let Some(eq) = body.find('=') {
                let value = &body.as_bytes()[eq + 1..];
                if matches!(value.first(), Some(b'"' | b'\'')) {
                    open_quote = unclosed_quote(&value[1..], Some(value[0]));
                }
            }
        }
        // A `#` after white space that reads as a directive: part of the value here.
        let bytes = body.as_bytes();
        if let Some(hash) = (1..bytes.len()).find(|&i| {
            bytes[i] == b'#'
                && bytes[i - 1].is_ascii_whitespace()
                && body[i + 1..].trim_start().len() >= MARKER.len()
                && body[i + 1..].trim_start().as_bytes()[..MARKER.len()]
                    .eq_ignore_ascii_case(MARKER.as_bytes())
        }) {
            out.push(Comment {
                start: start + hash,
                end,
                line: index,
                own_line: false,
                trailing_in_value: true,
            });
        }
    }
    out
}

/// The quote still open at the end of `bytes` (`open`: the quote open at its start; `\` escapes
/// in double quotes).
fn unclosed_quote(bytes: &[u8], open: Option<u8>) -> Option<u8> {
    let mut open = open;
    let mut i = 0;
    while i < bytes.len() {
        match (open, bytes[i]) {
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), c) if c == q => open = None,
            _ => {}
        }
        i += 1;
    }
    open
}

/// TOML comments: `#` outside basic, literal and multi-line strings.
fn toml_comments(text: &str) -> Vec<Comment> {
    #[derive(PartialEq)]
    enum S {
        Normal,
        Basic,
        Literal,
        MultiBasic,
        MultiLiteral,
    }
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut state, mut i, mut line, mut line_start) = (S::Normal, 0, 0, 0);
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            line_start = i + 1;
            if matches!(state, S::Basic | S::Literal) {
                state = S::Normal;
            }
            i += 1;
            continue;
        }
        match state {
            S::Normal => match c {
                b'#' => {
                    let end = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
                    let end = if end > i && b[end - 1] == b'\r' {
                        end - 1
                    } else {
                        end
                    };
                    out.push(Comment {
                        start: i,
                        end,
                        line,
                        own_line: text[line_start..i].trim().is_empty(),
                        trailing_in_value: false,
                    });
                    i = end;
                    continue;
                }
                b'"' if b[i..].starts_with(b"\"\"\"") => {
                    state = S::MultiBasic;
                    i += 3;
                    continue;
                }
                b'\'' if b[i..].starts_with(b"'''") => {
                    state = S::MultiLiteral;
                    i += 3;
                    continue;
                }
                b'"' => state = S::Basic,
                b'\'' => state = S::Literal,
                _ => {}
            },
            S::Basic | S::MultiBasic if c == b'\\' => {
                // An escaped newline is still a line.
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                    continue;
                }
                i += 2;
                continue;
            }
            S::Basic if c == b'"' => state = S::Normal,
            S::Literal if c == b'\'' => state = S::Normal,
            S::MultiBasic if b[i..].starts_with(b"\"\"\"") => {
                state = S::Normal;
                i += 3;
                continue;
            }
            S::MultiLiteral if b[i..].starts_with(b"'''") => {
                state = S::Normal;
                i += 3;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// YAML comments: `#` at the start of a line or after white space, outside quoted scalars (which
/// may span lines) and outside block scalars (`|`, `>`: lines indented deeper than the line
/// that opened them).
fn yaml_comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut quote: Option<u8> = None;
    let mut block: Option<usize> = None;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let start = pos;
        pos += raw.len();
        let body = raw.trim_end_matches(['\n', '\r']);
        let b = body.as_bytes();
        let indent = b.iter().take_while(|&&c| c == b' ').count();
        if let Some(parent) = block {
            if body.trim().is_empty() || indent > parent {
                continue;
            }
            block = None;
        }
        let mut i = 0;
        let mut comment_at = None;
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(b'"') if c == b'\\' => i += 1,
                Some(b'\'') if c == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => {
                    if c == b'#' && (i == 0 || matches!(b[i - 1], b' ' | b'\t')) {
                        comment_at = Some(i);
                        break;
                    }
                    if matches!(c, b'"' | b'\'') {
                        let before = body[..i].trim_end();
                        let at_value_start = before.is_empty()
                            || before.ends_with([':', '-', '[', '{', ',', '?'])
                                && (i == 0
                                    || matches!(b[i - 1], b' ' | b'\t' | b'[' | b'{' | b','));
                        if at_value_start {
                            quote = Some(c);
                        }
                    }
                }
            }
            i += 1;
        }
        let content = body[..comment_at.unwrap_or(body.len())].trim_end();
        if quote.is_none() && opens_block_scalar(content) {
            block = Some(indent);
        }
        if let Some(h) = comment_at {
            out.push(Comment {
                start: start + h,
                end: start + body.len(),
                line: index,
                own_line: body[..h].trim().is_empty(),
                trailing_in_value: false,
            });
        }
    }
    out
}

/// Whether a line's content (comment removed) ends with a block scalar header (`|`, `>-`, `|2+`).
fn opens_block_scalar(content: &str) -> bool {
    let last = content.rsplit([' ', '\t']).next().unwrap_or("");
    let Some(rest) = last.strip_prefix(['|', '>']) else {
        return false;
    };
    let before = content[..content.len() - last.len()].trim_end();
    rest.len() <= 2
        && rest.bytes().all(|c| matches!(c, b'+' | b'-' | b'1'..=b'9'))
        && (before.is_empty() || before.ends_with(':') || before.ends_with('-'))
}

/// The directives of one comment.
fn directives(id: FileId, text: &str, c: &Comment, out: &mut Vec<Suppression>) {
    let body = &text[c.start..c.end];
    // Every `tlsgen:` at a word boundary.
    let mut hits = Vec::new();
    let mut from = 0;
    while let Some(p) = find_ci(&body[from..], MARKER) {
        let at = from + p;
        let boundary = body[..at]
            .bytes()
            .next_back()
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/')));
        if boundary {
            hits.push(at);
        }
        from = at + MARKER.len();
    }
    for (n, &at) in hits.iter().enumerate() {
        // The directive runs to the next `tlsgen:` (without the `#` and blanks before it).
        let end = hits.get(n + 1).map_or(body.len(), |&next| {
            body[..next]
                .trim_end_matches([' ', '\t', '#', ';', ','])
                .len()
        });
        let before = body[..at].trim_end();
        let headed = before
            .chars()
            .all(|ch| matches!(ch, '#' | ';' | ' ' | '\t'))
            || before.ends_with('#');
        let after = &body[at + MARKER.len()..end];
        let word_start = after.len() - after.trim_start().len();
        let word_len = after[word_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic() || *b == b'-')
            .count();
        let word = &after[word_start..word_start + word_len];
        let file_level = word.eq_ignore_ascii_case("ignore-file");
        let is_ignore = file_level || word.eq_ignore_ascii_case("ignore");
        if !is_ignore && !headed {
            continue;
        }
        let span_start = c.start + at;
        let span = Span::new(id, span_start..c.start + end.max(at + MARKER.len()));
        let mut s = Suppression {
            line: c.line,
            file_level,
            own_line: c.own_line,
            codes: Vec::new(),
            reason: None,
            until: None,
            span,
            malformed: None,
        };
        let list_at = at + MARKER.len() + word_start + word_len;
        let result = if c.trailing_in_value {
            Err(Malformed {
                message: "this directive follows a value, where the file's syntax has no comments".into(),
                help: "systemd units and environment files read `#` after a value as part of it: put the directive on its own line above the finding".into(),
            })
        } else if !is_ignore {
            Err(Malformed {
                message: format!(
                    "`tlsgen:` is followed by `{}`, not `ignore[…]` or `ignore-file[…]`",
                    after.trim()
                ),
                help: "write `# tlsgen: ignore[CODE]` or `# tlsgen: ignore-file[CODE]`".into(),
            })
        } else {
            parse_list(id, c.start, body, list_at, end, &mut s)
        };
        if let Err(m) = result {
            s.codes.clear();
            s.malformed = Some(m);
        }
        out.push(s);
    }
}

/// Parse `[CODE, ...] reason until DATE` of a directive, from `list_at` to `end` in `body`
/// (which starts at byte `base` of the file).
fn parse_list(
    id: FileId,
    base: usize,
    body: &str,
    list_at: usize,
    end: usize,
    s: &mut Suppression,
) -> Result<(), Malformed> {
    let kw = if s.file_level {
        "ignore-file"
    } else {
        "ignore"
    };
    let rest = &body[list_at..end];
    let open = rest.len() - rest.trim_start().len();
    if !rest[open..].starts_with('[') {
        return Err(Malformed {
            message: if rest.trim().is_empty() {
                format!("a bare `{kw}` names no rule")
            } else {
                format!("`{kw}` must be followed by `[CODE, ...]`")
            },
            help: format!(
                "name the rules: `# tlsgen: {kw}[CODE]` (codes or names, comma-separated; `tlsgen rules` lists them)"
            ),
        });
    }
    let list_start = list_at + open + 1;
    let Some(close) = body[list_start..end].find(']') else {
        return Err(Malformed {
            message: format!("the `[` of this `{kw}` is not closed"),
            help: format!("close the list: `# tlsgen: {kw}[CODE]`"),
        });
    };
    let mut offset = list_start;
    for part in body[list_start..list_start + close].split(',') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let lead = part.len() - part.trim_start().len();
            let start = base + offset + lead;
            s.codes.push(SuppressedCode {
                text: trimmed.to_string(),
                span: Span::new(id, start..start + trimmed.len()),
                rule: registry::find(trimmed),
                used: false,
            });
        }
        offset += part.len() + 1;
    }
    if s.codes.is_empty() {
        return Err(Malformed {
            message: format!("this `{kw}[]` names no rule"),
            help: format!("name the rules: `# tlsgen: {kw}[CODE]`"),
        });
    }
    let tail = body[list_start + close + 1..end]
        .trim()
        .trim_start_matches(['-', ':', '—', '–'])
        .trim();
    let words: Vec<&str> = tail.split_whitespace().collect();
    let mut reason = tail;
    if let Some(&last) = words.last() {
        let until_at = words.len().checked_sub(2);
        if last.eq_ignore_ascii_case("until") {
            return Err(bad_date("nothing"));
        }
        if let Some(u) = until_at.filter(|&u| words[u].eq_ignore_ascii_case("until")) {
            s.until = Some(parse_date(last).ok_or_else(|| bad_date(&format!("`{last}`")))?);
            // The reason is what comes before `until` (ASCII, 5 bytes, checked above).
            let with_until = tail[..tail.len() - last.len()].trim_end();
            reason = if u == 0 {
                ""
            } else {
                with_until[..with_until.len() - "until".len()].trim_end()
            };
        }
    }
    s.reason = (!reason.is_empty()).then(|| reason.to_string());
    Ok(())
}

fn bad_date(what: &str) -> Malformed {
    Malformed {
        message: format!("`until` is followed by {what}, not a date"),
        help: "write the last day the suppression holds as `until YYYY-MM-DD`, at the end of the comment".into(),
    }
}

/// `YYYY-MM-DD`, a real calendar day.
fn parse_date(s: &str) -> Option<time::Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        s[r].bytes().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let day = u8::try_from(num(8..10)?).ok()?;
    time::Date::from_calendar_date(year, month, day).ok()
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

    fn scan_text(text: &str, syntax: Syntax) -> Vec<Suppression> {
        scan(0, &SourceFile::new("f".into(), text.into()), syntax)
    }

    #[test]
    fn finds_codes_and_names_with_spans() {
        let text = "a\n# tlsgen: ignore[ETCD001, client-cert-auth-disabled]\nx = 1 # tlsgen: ignore-file[NOPE]\n";
        let s = scan_text(text, Syntax::Toml);
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

    #[test]
    fn keeps_the_reason_and_the_expiry() {
        let s = scan_text(
            "# lab # TLSGEN: Ignore[TGF002] - self-signed lab box until 2027-03-01\n",
            Syntax::Toml,
        );
        assert_eq!(s.len(), 1);
        assert!(s[0].malformed.is_none(), "{:?}", s[0].malformed);
        assert!(s[0].own_line);
        assert_eq!(s[0].reason.as_deref(), Some("self-signed lab box"));
        assert_eq!(
            s[0].until,
            Some(time::Date::from_calendar_date(2027, time::Month::March, 1).unwrap())
        );
        let s = scan_text("# tlsgen: ignore[TGF002] until 2028-02-29\n", Syntax::Toml);
        assert_eq!(s[0].reason, None);
        assert!(s[0].until.is_some());
        // `until` elsewhere is part of the reason.
        let s = scan_text(
            "# tlsgen: ignore[TGF002] until the upgrade lands\n",
            Syntax::Toml,
        );
        assert_eq!(s[0].reason.as_deref(), Some("until the upgrade lands"));
        assert!(s[0].until.is_none() && s[0].malformed.is_none());
    }

    #[test]
    fn reports_malformed_directives() {
        for text in [
            "# tlsgen: ignore\n",
            "# tlsgen: ignore TGF002\n",
            "# tlsgen: ignore[ , ]\n",
            "# tlsgen: ignore[TGF002\n",
            "# tlsgen: ignroe[TGF002]\n",
            "# tlsgen: ignore[TGF002] until 2027-02-29\n",
            "# tlsgen: ignore[TGF002] until 2027-3-1\n",
            "# tlsgen: ignore[TGF002] lab until\n",
        ] {
            let s = scan_text(text, Syntax::Toml);
            assert_eq!(s.len(), 1, "{text}");
            assert!(s[0].malformed.is_some(), "{text}");
            assert!(s[0].codes.is_empty(), "{text}");
        }
        // Prose is not a directive.
        assert!(scan_text("# generated by tlsgen: edit the model\n", Syntax::Toml).is_empty());
    }

    #[test]
    fn reads_only_real_comments() {
        let toml = "a = \"# tlsgen: ignore[X]\"\nb = '''\n# tlsgen: ignore[X]\n'''\nc = \"\"\"\n# tlsgen: ignore[X]\\\n\"\"\"\n";
        assert!(scan_text(toml, Syntax::Toml).is_empty());
        let yaml = "a: \"# tlsgen: ignore[X]\"\nb: 'x # tlsgen: ignore[X]'\nc: |\n  # tlsgen: ignore[X]\nd: \"multi\n  # tlsgen: ignore[X] \"\n";
        assert!(scan_text(yaml, Syntax::Yaml).is_empty());
        let yaml = "c: |\n  text\n# tlsgen: ignore[X]\nd: it's # tlsgen: ignore[Y]\n";
        let s = scan_text(yaml, Syntax::Yaml);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].line, s[0].own_line), (2, true));
        assert_eq!((s[1].line, s[1].own_line), (3, false));
        assert!(scan_text("{\"a\": \"# tlsgen: ignore[X]\"}\n", Syntax::Json).is_empty());
        let env = "A=\"one\n# tlsgen: ignore[X]\"\n# tlsgen: ignore[Y]\n";
        let s = scan_text(env, Syntax::EnvFile);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].codes[0].text, "Y");
    }

    #[test]
    fn a_directive_after_a_systemd_value_is_malformed() {
        let s = scan_text(
            "[Service]\nEnvironment=\"A=1\" # tlsgen: ignore[ETCD003]\n; tlsgen: ignore[ETCD003]\n",
            Syntax::Systemd,
        );
        assert_eq!(s.len(), 2);
        assert!(s[0].malformed.is_some());
        assert!(s[1].malformed.is_none() && s[1].own_line);
    }

    #[test]
    fn two_directives_in_one_comment() {
        let s = scan_text(
            "# tlsgen: ignore[TGF002] lab # tlsgen: ignore-file[TGF001]\n",
            Syntax::Toml,
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].reason.as_deref(), Some("lab"));
        assert!(s[1].file_level);
    }

    /// Pieces that exercise every state of the comment readers and the directive parser,
    /// joined at random (a fixed seed): nothing panics, every span lies on the text.
    #[test]
    fn random_joins_of_syntax_pieces_never_panic() {
        const PIECES: &[&str] = &[
            "#",
            "# ",
            "tlsgen:",
            "TLSGEN:",
            "ignore",
            "ignore-file",
            "[",
            "]",
            ",",
            "TGF002",
            "'",
            "\"",
            "\'\'\'",
            "\"\"\"",
            "\\",
            "\n",
            "\r\n",
            " ",
            "|",
            ">-",
            ":",
            "- ",
            "until",
            " 2027-02-28",
            "2027-02-30",
            "é",
            ";",
            "=",
            "a",
            "https://u:p@h",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..4_000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            for syntax in [
                Syntax::Systemd,
                Syntax::EnvFile,
                Syntax::Toml,
                Syntax::Yaml,
                Syntax::Json,
            ] {
                for s in scan_text(&text, syntax) {
                    assert!(s.span.start <= s.span.end && s.span.end <= text.len());
                    for c in &s.codes {
                        assert!(text.get(c.span.start..c.span.end).is_some());
                    }
                }
                for r in comment_ranges(&text, syntax) {
                    assert!(text.get(r).is_some());
                }
            }
            let masked = crate::lint::redact::mask(&text);
            assert_eq!(masked.len(), text.len(), "{text:?}");
        }
    }
}
