//! What ETCD019 and ETCD020 read: etcdctl's environment (`ETCDCTL_*` in env files and units) and
//! its invocations on units' `Exec*=` lines, with the API version each one talks.

use crate::lint::source::Span;
use crate::lint::view::etcd::{EtcdConfig, ExecLine};
use crate::lint::view::{parse_bool, Setting};

/// etcdctl flags that take a value as the next word (v2 and v3).
const VALUE_FLAGS: &[&str] = &[
    "endpoints",
    "endpoint",
    "peers",
    "C",
    "cacert",
    "cert",
    "key",
    "ca-file",
    "cert-file",
    "key-file",
    "peer-urls",
    "user",
    "password",
    "dial-timeout",
    "command-timeout",
    "keepalive-time",
    "keepalive-timeout",
    "write-out",
    "w",
    "discovery-srv",
    "d",
    "username",
    "u",
    "hex",
];

/// A word of an etcdctl command line.
#[derive(Debug)]
pub(crate) enum Word<'a> {
    /// `--name[=value]` or `--name value`; the span of the whole option.
    Flag {
        name: &'a str,
        value: Option<&'a str>,
        span: Span,
    },
    Positional {
        text: &'a str,
        span: Span,
    },
}

/// One etcdctl invocation on an `Exec*=` line.
pub(crate) struct Invocation<'a> {
    pub line: &'a ExecLine,
    /// `ETCDCTL_API=` given in front of the command (`/usr/bin/env ETCDCTL_API=2 etcdctl ...`).
    pub api_prefix: Option<&'a str>,
    pub words: Vec<Word<'a>>,
}

impl Invocation<'_> {
    pub fn flag(&self, names: &[&str]) -> Option<(&str, Option<&str>, Span)> {
        self.words.iter().find_map(|w| match w {
            Word::Flag { name, value, span } if names.contains(name) => {
                Some((*name, *value, *span))
            }
            _ => None,
        })
    }

    pub fn positionals(&self) -> Vec<(&str, Span)> {
        self.words
            .iter()
            .filter_map(|w| match w {
                Word::Positional { text, span } => Some((*text, *span)),
                _ => None,
            })
            .collect()
    }
}

pub(crate) fn invocations(c: &EtcdConfig) -> Vec<Invocation<'_>> {
    let mut out = Vec::new();
    for line in &c.exec_lines {
        let Some(p) = line.program_index("etcdctl") else {
            continue;
        };
        let api_prefix = line.words[..p]
            .iter()
            .find_map(|(w, _)| w.strip_prefix("ETCDCTL_API="));
        let mut words = Vec::new();
        let mut i = p + 1;
        while i < line.words.len() {
            let (text, span) = &line.words[i];
            i += 1;
            match text
                .strip_prefix("--")
                .or_else(|| text.strip_prefix('-'))
                .filter(|b| !b.is_empty())
            {
                Some(body) => {
                    let (name, value, span) = match body.split_once('=') {
                        Some((n, v)) => (n, Some(v), *span),
                        None if VALUE_FLAGS.contains(&body) && i < line.words.len() => {
                            let (v, vs) = &line.words[i];
                            i += 1;
                            (
                                body,
                                Some(v.as_str()),
                                Span::new(span.file, span.start..vs.end),
                            )
                        }
                        None => (body, None, *span),
                    };
                    words.push(Word::Flag { name, value, span });
                }
                None => words.push(Word::Positional { text, span: *span }),
            }
        }
        out.push(Invocation {
            line,
            api_prefix,
            words,
        });
    }
    out
}

/// The `ETCDCTL_*` variable as last set.
pub(crate) fn var<'c>(c: &'c EtcdConfig, name: &str) -> Option<&'c Setting> {
    c.other_var(name).filter(|s| !s.placeholder)
}

/// The etcdctl API an invocation (or the environment, for `None`) talks: `ETCDCTL_API` given in
/// front of the command, else in the environment, else the default: 3 since etcd 3.4, 2 before
/// (F-E37).
pub(crate) fn api(c: &EtcdConfig, inv: Option<&Invocation>) -> Option<u8> {
    let v = match inv.and_then(|i| i.api_prefix) {
        Some(v) => v.to_string(),
        None => match c.other_var("ETCDCTL_API") {
            Some(s) if s.placeholder => return None,
            Some(s) => s.value.clone(),
            None => return Some(if c.at_least_3_4() { 3 } else { 2 }),
        },
    };
    match v.trim() {
        "2" => Some(2),
        "3" => Some(3),
        _ => None,
    }
}

/// Whether an `ETCDCTL_*` boolean variable is set to true.
pub(crate) fn var_true<'c>(c: &'c EtcdConfig, name: &str) -> Option<&'c Setting> {
    var(c, name).filter(|s| parse_bool(&s.value) == Some(true))
}
