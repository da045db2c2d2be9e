//! Comments as each file syntax has them (systemd units, environment files, TOML, YAML; JSON
//! has none): where a comment starts and ends, and whether it stands alone on its line. Read by
//! the suppression directives (`suppress.rs`) and by rules that leave commented-out examples alone
//! (TLSGEN006).

use crate::lint::detect::Kind;

/// The marker of a suppression directive (`# tlsgen: ignore[…]`): a systemd or environment-file
/// value that holds one after a `#` is read as a (misplaced) comment, so it can be reported.
pub const MARKER: &str = "tlsgen:";

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

/// A comment of the file's syntax: byte range from its marker to the end of the line.
pub struct Comment {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub own_line: bool,
    /// A `#` after a value where the syntax has no end-of-line comments.
    pub trailing_in_value: bool,
}

/// Every comment of a text in its syntax, in file order.
pub fn comments(text: &str, syntax: Syntax) -> Vec<Comment> {
    match syntax {
        Syntax::Toml => toml_comments(text),
        Syntax::Yaml => yaml_comments(text),
        Syntax::Systemd | Syntax::EnvFile => line_comments(text, syntax == Syntax::EnvFile),
        Syntax::Json => Vec::new(),
    }
}

/// The byte ranges of every comment of a text in its syntax (from the comment marker to the end
/// of its line): the same reading of comments the directives get. TLSGEN006 uses it to leave
/// example URLs of sample configurations alone.
pub fn comment_ranges(text: &str, syntax: Syntax) -> Vec<std::ops::Range<usize>> {
    comments(text, syntax)
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
