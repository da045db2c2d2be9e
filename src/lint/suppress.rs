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
//!
//! Governance ([`govern`], README "Governed suppressions"): a directive whose `until` day is
//! before today is expired (TLSGEN007) and suppresses nothing; `tlsgen.toml` can require a
//! reason (`require-suppression-reason`), forbid inline directives (`no-inline-suppressions`)
//! and list rules no directive hides (`unsuppressable`); a directive refused by the first two,
//! and a code of an unsuppressable rule, is reported (TLSGEN008) and suppresses nothing.

use super::parse::comments::{comments, Comment, Syntax, MARKER};
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
    /// Set by [`govern`] when the directive parses but may not suppress.
    pub refused: Option<Refusal>,
}

/// Why a well-formed directive suppresses nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Its `until` day is before today (TLSGEN007).
    Expired(time::Date),
    /// It has no reason and tlsgen.toml requires one (TLSGEN008).
    NoReason,
    /// tlsgen.toml forbids inline directives (TLSGEN008).
    Inline,
}

/// What tlsgen.toml asks of directives (see [`govern`]).
#[derive(Debug, Clone, Copy)]
pub struct Governance {
    pub today: time::Date,
    pub require_reason: bool,
    pub no_inline: bool,
}

/// Mark the directives that may not suppress: inline ones when they are forbidden, expired ones,
/// then those without a reason when one is required (the first that applies is kept).
pub fn govern(suppressions: &mut [Suppression], g: Governance) {
    for s in suppressions.iter_mut().filter(|s| s.malformed.is_none()) {
        s.refused = if g.no_inline {
            Some(Refusal::Inline)
        } else if let Some(until) = s.until.filter(|&u| u < g.today) {
            Some(Refusal::Expired(until))
        } else if g.require_reason && s.reason.is_none() {
            Some(Refusal::NoReason)
        } else {
            None
        };
    }
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

/// Every suppression directive of a file.
pub fn scan(id: FileId, file: &SourceFile, syntax: Syntax) -> Vec<Suppression> {
    let text = file.text.as_str();
    if syntax == Syntax::Json || find_ci(text, MARKER).is_none() {
        return Vec::new();
    }
    let comments = comments(text, syntax);
    let mut out = Vec::new();
    for c in comments {
        let body = &text[c.start..c.end];
        if find_ci(body, MARKER).is_some() {
            directives(id, text, &c, &mut out);
        }
    }
    out
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
            refused: None,
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
pub fn parse_date(s: &str) -> Option<time::Date> {
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
    suppressing(suppressions, rule, line).is_some()
}

/// The directive that suppresses a finding of `rule` on 0-based line `line`, if any (refused
/// directives suppress nothing); marks it used.
pub fn suppressing<'a>(
    suppressions: &'a mut [Suppression],
    rule: &'static Rule,
    line: usize,
) -> Option<&'a Suppression> {
    let at = suppressions.iter_mut().position(|s| {
        let applies = s.refused.is_none()
            && (s.file_level || s.line == line || (s.own_line && s.line + 1 == line));
        applies
            && s.codes.iter_mut().any(|c| {
                let hit = c.rule.is_some_and(|r| std::ptr::eq(r, rule));
                c.used |= hit;
                hit
            })
    })?;
    Some(&suppressions[at])
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
    fn governance_refuses_in_order_inline_expired_then_no_reason() {
        let day = |d: u8| time::Date::from_calendar_date(2027, time::Month::March, d).unwrap();
        let text = "# tlsgen: ignore[TGF002] lab until 2027-03-01\n# tlsgen: ignore[TGF002]\n# tlsgen: ignore[TGF002\n";
        let g = Governance {
            today: day(1),
            require_reason: false,
            no_inline: false,
        };
        let mut s = scan_text(text, Syntax::Toml);
        govern(&mut s, g);
        assert_eq!([&s[0].refused, &s[1].refused], [&None, &None]);
        govern(
            &mut s,
            Governance {
                today: day(2),
                require_reason: true,
                ..g
            },
        );
        assert_eq!(s[0].refused, Some(Refusal::Expired(day(1))));
        assert_eq!(s[1].refused, Some(Refusal::NoReason));
        // A malformed directive is reported as such, not refused.
        assert_eq!(s[2].refused, None);
        govern(
            &mut s,
            Governance {
                no_inline: true,
                ..g
            },
        );
        assert_eq!(s[0].refused, Some(Refusal::Inline));
        // A refused directive suppresses nothing and is not marked used.
        let rule = registry::find("TGF002").unwrap();
        assert!(suppressing(&mut s, rule, 1).is_none());
        assert!(s.iter().all(|d| d.codes.iter().all(|c| !c.used)));
        govern(&mut s, g);
        assert_eq!(
            suppressing(&mut s, rule, 1).and_then(|d| d.reason.as_deref()),
            Some("lab")
        );
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
                for r in crate::lint::parse::comments::comment_ranges(&text, syntax) {
                    assert!(text.get(r).is_some());
                }
            }
            let masked = crate::lint::redact::mask(&text);
            assert_eq!(masked.len(), text.len(), "{text:?}");
        }
    }
}
