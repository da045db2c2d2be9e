//! `tlsgen explain "<error text>"`: maps the runtime TLS messages of etcd, etcdctl, curl, Go
//! clients, influxd and Telegraf to their likely causes, ranked, each with the lint rules and
//! model checks that detect it ([`table`]); given a model or files ([`evidence`]), it runs those
//! checks and marks each cause confirmed or ruled out.
//!
//! The input may be the bare error or a whole log line: etcd's capnslog line
//! `rejected connection from "ADDR" (error "ERR", ServerName "SNI")`, its zap JSON line
//! (`{"msg":"rejected connection",...,"error":"ERR"}`), or Go's `http: TLS handshake error from
//! ADDR: ERR`. The error is extracted, and a server's log line ranks the causes for the server
//! side (a `bad certificate` alert in etcd's log was sent by the client).

pub mod evidence;
pub mod table;

use serde::Serialize;

use table::{Side, PATTERNS};

/// What the input says, once the log line around the error is taken off.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Parsed {
    /// The error itself (the zap `error` field, the capnslog `error "..."`, or the whole text).
    pub error: String,
    /// `etcd (zap)`, `etcd (capnslog)`, `go http server`, or `client`.
    pub format: &'static str,
    /// The remote address a server logged.
    pub remote_addr: Option<String>,
    /// The SNI server name a server logged (etcd `ServerName`).
    pub server_name: Option<String>,
    /// The host the client dialled, when the message names it (`..., not HOST`, a URL).
    pub dialled_host: Option<String>,
    /// The port of the URL in the message.
    pub dialled_port: Option<u16>,
    /// The URL scheme in the message (`http` or `https`).
    pub scheme: Option<String>,
    /// The names the presented certificate is valid for (`valid for A, B, not C`).
    pub valid_for: Vec<String>,
    #[serde(skip)]
    pub side: Option<Side>,
}

impl Parsed {
    pub fn side(&self) -> Side {
        self.side.unwrap_or(Side::Client)
    }
}

/// Take the error out of a log line and read the hosts and names it carries.
pub fn parse(input: &str) -> Parsed {
    let text = input.trim();
    let mut p = Parsed {
        error: text.to_string(),
        format: "client",
        ..Parsed::default()
    };
    if let Some(zap) = zap_line(text) {
        p = zap;
    } else if let Some(cap) = capnslog_line(text) {
        p = cap;
    } else if let Some(i) = text.find("http: TLS handshake error from ") {
        let rest = &text[i + "http: TLS handshake error from ".len()..];
        // ADDR: ERR, where ADDR may be [v6]:port.
        let split = if rest.starts_with('[') {
            rest.find("]:")
                .and_then(|j| rest[j + 2..].find(": ").map(|k| j + 2 + k))
        } else {
            rest.find(": ")
        };
        if let Some(j) = split {
            p.remote_addr = Some(rest[..j].to_string());
            p.error = format!(
                "http: TLS handshake error: {}",
                rest[j + 2..].trim_end_matches('"')
            );
        }
        p.format = "go http server";
        p.side = Some(Side::Server);
    }
    read_hosts(&mut p);
    p
}

/// etcd's zap line: `{"level":"warn",...,"msg":"rejected connection","error":"..."}`, possibly
/// after a journal prefix.
fn zap_line(text: &str) -> Option<Parsed> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    let v: serde_json::Value = serde_json::from_str(text.get(start..=end)?).ok()?;
    let obj = v.as_object()?;
    let error = obj.get("error")?.as_str()?.to_string();
    let msg = obj.get("msg").and_then(|m| m.as_str()).unwrap_or("");
    let server = msg.starts_with("rejected connection") || msg.contains("TLS handshake error");
    Some(Parsed {
        error,
        format: "etcd (zap)",
        remote_addr: obj
            .get("remote-addr")
            .and_then(|m| m.as_str())
            .map(str::to_string),
        server_name: obj
            .get("server-name")
            .and_then(|m| m.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        side: Some(if server { Side::Server } else { Side::Client }),
        ..Parsed::default()
    })
}

/// etcd's capnslog line: `rejected connection from "ADDR" (error "ERR", ServerName "SNI")`, or
/// the 3.2 form `rejected connection from "ADDR" (ERR)`.
fn capnslog_line(text: &str) -> Option<Parsed> {
    let i = text.find("rejected connection from \"")?;
    let rest = &text[i + "rejected connection from \"".len()..];
    let q = rest.find('"')?;
    let addr = rest[..q].to_string();
    let rest = rest[q + 1..].trim_start();
    let inner = rest.strip_prefix('(')?;
    let inner = inner.strip_suffix(')').unwrap_or(inner);
    let (error, server_name) = match inner.strip_prefix("error \"") {
        Some(e) => match e.rfind("\", ServerName \"") {
            Some(j) => (
                e[..j].to_string(),
                Some(
                    e[j + "\", ServerName \"".len()..]
                        .trim_end_matches('"')
                        .to_string(),
                ),
            ),
            None => (e.trim_end_matches('"').to_string(), None),
        },
        None => (inner.to_string(), None),
    };
    Some(Parsed {
        error,
        format: "etcd (capnslog)",
        remote_addr: Some(addr),
        server_name: server_name.filter(|s| !s.is_empty()),
        side: Some(Side::Server),
        ..Parsed::default()
    })
}

/// Hosts, port, scheme and the certificate's names from the error text.
fn read_hosts(p: &mut Parsed) {
    let e = p.error.clone();
    if let Some(i) = e.find("certificate is valid for ") {
        let rest = &e[i + "certificate is valid for ".len()..];
        if let Some(j) = rest.rfind(", not ") {
            p.valid_for = rest[..j]
                .split(", ")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            p.dialled_host = Some(word(&rest[j + ", not ".len()..]));
        }
    } else if let Some(i) = e.find("but wanted to match ") {
        p.dialled_host = Some(word(&e[i + "but wanted to match ".len()..]));
    } else if let Some(i) = e.find("cannot validate certificate for ") {
        p.dialled_host = Some(word(&e[i + "cannot validate certificate for ".len()..]));
    } else if let Some(i) = e.find("does not match any of DNSNames [") {
        // etcd 3.2's peer check: the remote IP against the peer certificate's names.
        p.dialled_host = e[..i]
            .rfind("tls: \"")
            .map(|j| word(&e[j + "tls: \"".len()..i]));
        p.valid_for = e[i + "does not match any of DNSNames [".len()..]
            .split(']')
            .next()
            .unwrap_or("")
            .split([' ', ','])
            .map(|s| s.trim_matches('"').to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    // The first URL in the message: scheme, host and port.
    for scheme in ["https://", "http://"] {
        if let Some(i) = e.find(scheme) {
            let rest = &e[i + scheme.len()..];
            let end = rest.find(['/', '"', ' ', ',', '\'']).unwrap_or(rest.len());
            let hostport = rest[..end].trim_end_matches([':', '.', ';']);
            let hostport = hostport.rsplit('@').next().unwrap_or(hostport);
            let (host, port) = split_host_port(hostport);
            p.scheme = Some(scheme.trim_end_matches("://").to_string());
            if p.dialled_host.is_none() && !host.is_empty() {
                p.dialled_host = Some(host);
            }
            p.dialled_port = port;
            break;
        }
    }
    if p.dialled_host.is_none() {
        if let Some(sni) = &p.server_name {
            p.dialled_host = Some(sni.clone());
        }
    }
}

fn word(s: &str) -> String {
    s.trim_start()
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',' || c == ')')
        .next()
        .unwrap_or("")
        .trim_end_matches(['.', ':', ';'])
        .to_string()
}

fn split_host_port(s: &str) -> (String, Option<u16>) {
    if let Some(rest) = s.strip_prefix('[') {
        if let Some(j) = rest.find(']') {
            let port = rest[j + 1..].strip_prefix(':').and_then(|p| p.parse().ok());
            return (rest[..j].to_string(), port);
        }
    }
    match s.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
            (h.to_string(), p.parse().ok())
        }
        _ => (s.to_string(), None),
    }
}

/// Whether a cause applies, after the checks that could run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Confirmed,
    /// Nothing given (model, paths) could tell.
    Unchecked,
    RuledOut,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Unchecked => "unchecked",
            Status::RuledOut => "ruled out",
        }
    }
    fn order(self) -> u8 {
        match self {
            Status::Confirmed => 0,
            Status::Unchecked => 1,
            Status::RuledOut => 2,
        }
    }
}

/// One ranked cause of an explanation.
#[derive(Debug, Clone, Serialize)]
pub struct RankedCause {
    pub rank: usize,
    pub id: &'static str,
    pub title: &'static str,
    pub why: &'static str,
    pub check: &'static str,
    pub fix: &'static str,
    pub rules: Vec<&'static str>,
    pub model_check: Option<&'static str>,
    pub status: Status,
    /// What the checks saw (model facts, lint findings), one line each.
    pub evidence: Vec<String>,
}

/// A matched pattern, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub id: &'static str,
    pub meaning: &'static str,
    pub sources: &'static [&'static str],
}

/// The answer of `tlsgen explain`.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub parsed: Parsed,
    pub matches: Vec<Match>,
    pub causes: Vec<RankedCause>,
}

/// Match the message and list its causes in table order (not yet checked).
pub fn explain(input: &str) -> Explanation {
    let mut parsed = parse(input);
    let lower = format!("{}\n{}", parsed.error, input).to_lowercase();
    // Shown in every format: a password in a URL of the message is masked.
    parsed.error = crate::lint::redact::mask(&parsed.error).into_owned();
    let mut matches = Vec::new();
    let mut causes: Vec<RankedCause> = Vec::new();
    for p in PATTERNS {
        if !p.needles.iter().any(|n| lower.contains(n)) {
            continue;
        }
        matches.push(Match {
            id: p.id,
            meaning: p.meaning,
            sources: p.sources,
        });
        for id in p.causes_for(parsed.side()) {
            if causes.iter().any(|c| c.id == *id) {
                continue;
            }
            let Some(c) = table::cause(id) else { continue };
            causes.push(RankedCause {
                rank: 0,
                id: c.id,
                title: c.title,
                why: c.why,
                check: c.check,
                fix: c.fix,
                rules: c.rules.to_vec(),
                model_check: c.model.map(|m| m.as_str()),
                status: Status::Unchecked,
                evidence: Vec::new(),
            });
        }
    }
    let mut e = Explanation {
        parsed,
        matches,
        causes,
    };
    rerank(&mut e);
    e
}

/// Confirmed causes first, ruled-out ones last, table order otherwise; ranks from 1.
pub fn rerank(e: &mut Explanation) {
    e.causes.sort_by_key(|c| c.status.order());
    for (i, c) in e.causes.iter_mut().enumerate() {
        c.rank = i + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capnslog_line_gives_error_and_server_name() {
        let p = parse(
            r#"2018-04-24 14:04:22.814059 I | embed: rejected connection from "127.0.0.1:48972" (error "remote error: tls: bad certificate", ServerName "etcd-1.local")"#,
        );
        assert_eq!(p.error, "remote error: tls: bad certificate");
        assert_eq!(p.server_name.as_deref(), Some("etcd-1.local"));
        assert_eq!(p.remote_addr.as_deref(), Some("127.0.0.1:48972"));
        assert_eq!(p.side(), Side::Server);
    }

    #[test]
    fn valid_for_list_and_dialled_host() {
        let p = parse("Get \"https://10.0.0.12:2379/health\": x509: certificate is valid for 127.0.0.1, localhost, 10.0.0.11, not 10.0.0.12");
        assert_eq!(p.valid_for, ["127.0.0.1", "localhost", "10.0.0.11"]);
        assert_eq!(p.dialled_host.as_deref(), Some("10.0.0.12"));
        assert_eq!(p.dialled_port, Some(2379));
        assert_eq!(p.scheme.as_deref(), Some("https"));
    }

    /// Truncated and hostile lines give an explanation, never a panic.
    #[test]
    fn truncated_lines_do_not_panic() {
        for line in [
            "",
            "{",
            "}{",
            "{\"error\":1}",
            "rejected connection from \"",
            "rejected connection from \"a\" (error \"",
            "rejected connection from \"a\" (error \"x\", ServerName \"",
            "http: TLS handshake error from [",
            "http: TLS handshake error from [::1]:",
            "certificate is valid for , not ",
            "certificate is valid for",
            "tls: \"does not match any of DNSNames [",
            "does not match any of DNSNames [",
            "https://",
            "https://[",
            "https://[::1",
            "http://:",
            "but wanted to match ",
            "cannot validate certificate for ",
            "é https://é:é/ certificate is valid for é, not é",
        ] {
            let e = explain(line);
            assert!(e.causes.iter().enumerate().all(|(i, c)| c.rank == i + 1));
        }
    }

    #[test]
    fn go_handshake_log_with_ipv6_client() {
        let p = parse("2019/10/28 13:43:20 http: TLS handshake error from [::1]:60342: remote error: tls: bad certificate");
        assert_eq!(p.remote_addr.as_deref(), Some("[::1]:60342"));
        assert!(p.error.ends_with("remote error: tls: bad certificate"));
        assert_eq!(p.side(), Side::Server);
    }
}
