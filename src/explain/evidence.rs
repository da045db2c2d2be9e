//! The checks behind `tlsgen explain --model MODEL PATHS...`: model facts (is the dialled host in
//! a certificate the model issues, is the dialled port a plain listener of the model) and lint
//! runs on the paths with only the rules that detect the candidate causes. Each check marks its
//! cause confirmed or ruled out and says what it saw; nothing it prints quotes a file (lint
//! messages are masked by the redaction policy, and no key file is ever read here).

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::table::{self, ModelCheck};
use super::{Explanation, Status};
use crate::certs::inspect::San;
use crate::certs::spec::{self, Leaf};
use crate::lint::detect;
use crate::lint::redact;
use crate::lint::Report;
use crate::model::{Cluster, Loaded};

/// Whether a SAN names `host` (an IP compares as an address, a name without case).
fn san_covers(san: &San, host: &str) -> bool {
    match (san, host.parse::<IpAddr>()) {
        (San::Ip(ip), Ok(h)) => *ip == h,
        (San::Dns(d), Err(_)) => d.eq_ignore_ascii_case(host),
        _ => false,
    }
}

fn is_loopback_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The model's server certificates (members and InfluxDB nodes).
fn server_leaves(loaded: &Loaded) -> Vec<Leaf> {
    match spec::plan(&loaded.cluster, &loaded.source) {
        Ok(plan) => plan
            .leaves
            .into_iter()
            .filter(|l| l.usage.server())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn owner_of<'a>(leaves: &'a [Leaf], host: &str) -> Option<&'a Leaf> {
    leaves
        .iter()
        .find(|l| l.sans.iter().any(|s| san_covers(s, host)))
}

/// The leaf whose names are the presented certificate's (its non-loopback names).
fn owner_of_names<'a>(leaves: &'a [Leaf], names: &[String]) -> Option<&'a Leaf> {
    let specific: Vec<&String> = names.iter().filter(|n| !is_loopback_name(n)).collect();
    if specific.is_empty() {
        return None;
    }
    leaves.iter().find(|l| {
        specific
            .iter()
            .all(|n| l.sans.iter().any(|s| san_covers(s, n)))
    })
}

fn names(l: &Leaf) -> String {
    l.sans
        .iter()
        .map(|s| match s {
            San::Ip(ip) => ip.to_string(),
            San::Dns(d) => d.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Mark the causes a model fact decides.
pub fn apply_model(e: &mut Explanation, loaded: &Loaded, model_name: &str) {
    let leaves = server_leaves(loaded);
    let parsed = e.parsed.clone();
    for c in &mut e.causes {
        let Some(check) = table::cause(c.id).and_then(|t| t.model) else {
            continue;
        };
        let verdict = match check {
            ModelCheck::DialledInSans => {
                parsed
                    .dialled_host
                    .as_deref()
                    .map(|d| match owner_of(&leaves, d) {
                        Some(l) => (
                            Status::RuledOut,
                            format!(
                                "{model_name}: the certificate of {} lists {d} ({})",
                                l.what,
                                names(l)
                            ),
                        ),
                        None => (
                            Status::Confirmed,
                            format!("{model_name}: no certificate the model issues lists {d}"),
                        ),
                    })
            }
            ModelCheck::OtherHostCertificate | ModelCheck::StaleCertificate => {
                parsed.dialled_host.as_deref().map(|d| {
                    let dialled = owner_of(&leaves, d);
                    let presented = owner_of_names(&leaves, &parsed.valid_for);
                    other_or_stale(check, d, dialled, presented, &parsed.valid_for, model_name)
                })
            }
            ModelCheck::DialledPlainPort => parsed
                .dialled_port
                .and_then(|port| plain_port(&loaded.cluster, parsed.dialled_host.as_deref(), port))
                .map(|(plain, why)| {
                    (
                        if plain {
                            Status::Confirmed
                        } else {
                            Status::RuledOut
                        },
                        format!("{model_name}: {why}"),
                    )
                }),
            ModelCheck::PlainToTlsPort => match (parsed.scheme.as_deref(), parsed.dialled_port) {
                (Some("http"), Some(port)) => {
                    plain_port(&loaded.cluster, parsed.dialled_host.as_deref(), port).map(
                        |(plain, why)| {
                            (
                                if plain {
                                    Status::RuledOut
                                } else {
                                    Status::Confirmed
                                },
                                format!("{model_name}: {why}"),
                            )
                        },
                    )
                }
                _ => None,
            },
            ModelCheck::ClientCertRequired => loaded.cluster.etcd.as_ref().and_then(|etcd| {
                etcd.client_cert_auth.value.then(|| {
                    (
                        Status::Confirmed,
                        format!(
                            "{model_name}: client_cert_auth is on, so etcd refuses every client \
                             without a certificate"
                        ),
                    )
                })
            }),
        };
        if let Some((status, why)) = verdict {
            c.status = status;
            c.evidence.push(why);
        }
    }
}

fn other_or_stale(
    check: ModelCheck,
    d: &str,
    dialled: Option<&Leaf>,
    presented: Option<&Leaf>,
    valid_for: &[String],
    model_name: &str,
) -> (Status, String) {
    let shown = valid_for.join(", ");
    match (check, dialled, presented) {
        (ModelCheck::OtherHostCertificate, Some(d_leaf), Some(p_leaf))
            if d_leaf.what != p_leaf.what =>
        {
            (
                Status::Confirmed,
                format!(
                    "{model_name}: {d} is {}, but the certificate presented ({shown}) has the \
                     names of {}",
                    d_leaf.what, p_leaf.what
                ),
            )
        }
        (ModelCheck::OtherHostCertificate, None, _) => (
            Status::RuledOut,
            format!("{model_name}: {d} is no host of the model"),
        ),
        (ModelCheck::OtherHostCertificate, Some(d_leaf), _) => (
            Status::RuledOut,
            format!(
                "{model_name}: the names presented ({shown}) are no other host's than {}",
                d_leaf.what
            ),
        ),
        (_, Some(d_leaf), Some(p_leaf)) if d_leaf.what != p_leaf.what => (
            Status::RuledOut,
            format!(
                "{model_name}: the certificate presented is {}'s, not an old one of {}",
                p_leaf.what, d_leaf.what
            ),
        ),
        (_, Some(d_leaf), _) => (
            Status::Confirmed,
            format!(
                "{model_name}: the certificate the model issues for {} lists {d}; the one \
                 presented ({shown}) does not",
                d_leaf.what
            ),
        ),
        (_, None, _) => (
            Status::RuledOut,
            format!("{model_name}: {d} is no host of the model, so no certificate of it is stale"),
        ),
    }
}

/// Whether `port` (on `host`, when it is a member's address) is a plain-HTTP listener of the
/// model's etcd: (plain, what the model says).
fn plain_port(cluster: &Cluster, host: Option<&str>, port: u16) -> Option<(bool, String)> {
    let etcd = cluster.etcd.as_ref()?;
    let members: Vec<_> = etcd
        .members
        .iter()
        .filter(|m| host.is_none_or(|h| m.address.value.eq_ignore_ascii_case(h)))
        .collect();
    let members = if members.is_empty() {
        etcd.members.iter().collect()
    } else {
        members
    };
    for m in members {
        let legacy = m
            .legacy_port
            .as_ref()
            .or(etcd.legacy_port.as_ref())
            .map(|p| p.value);
        let client = m
            .client_port
            .as_ref()
            .map_or(etcd.client_port.value, |p| p.value);
        let peer = m
            .peer_port
            .as_ref()
            .map_or(etcd.peer_port.value, |p| p.value);
        let name = &m.name.value;
        if legacy == Some(port) {
            return Some((
                true,
                format!("port {port} is {name}'s legacy listener, plain http:// on 127.0.0.1"),
            ));
        }
        if client == port {
            return Some((
                false,
                format!("port {port} is {name}'s https:// client port"),
            ));
        }
        if peer == port {
            return Some((false, format!("port {port} is {name}'s https:// peer port")));
        }
    }
    None
}

/// The rules worth running on the paths: those of the candidate causes.
pub fn rules_to_run(e: &Explanation) -> Vec<String> {
    let set: BTreeSet<&str> = e
        .causes
        .iter()
        .flat_map(|c| c.rules.iter().copied())
        .collect();
    set.into_iter().map(str::to_string).collect()
}

/// Mark causes by the lint findings of their rules; a cause whose rules found nothing is ruled
/// out when a file their target reads was linted.
pub fn apply_lint(e: &mut Explanation, report: &mut Report) {
    // A file that did not parse was not checked by any rule.
    let unparsed: BTreeSet<String> = report
        .findings
        .iter()
        .filter(|f| f.rule.code == "TLSGEN001")
        .map(|f| f.locate(&report.sources).path.to_string())
        .collect();
    let mut kinds: BTreeSet<&'static str> = BTreeSet::new();
    for file in report.sources.files_mut().iter() {
        if unparsed.contains(&file.path) {
            continue;
        }
        if let Some(kind) = detect::detect(&file.path, &file.text) {
            kinds.insert(kind.as_str());
        }
    }
    for c in &mut e.causes {
        if c.rules.is_empty() {
            continue;
        }
        let mut seen = Vec::new();
        for f in &report.findings {
            if c.rules.contains(&f.rule.code) {
                let l = f.locate(&report.sources);
                seen.push(format!(
                    "{}:{}:{}: {} {}",
                    l.path,
                    l.line,
                    l.column,
                    f.rule.code,
                    redact::mask(&f.message)
                ));
            }
        }
        if !seen.is_empty() {
            c.status = Status::Confirmed;
            c.evidence.extend(seen);
            continue;
        }
        let checked =
            table::cause(c.id).is_some_and(|t| t.ruled_out_by.iter().any(|k| kinds.contains(k)));
        if checked && c.status != Status::Confirmed {
            c.status = Status::RuledOut;
            c.evidence.push(format!(
                "lint: no finding of {} in the {} linted file(s)",
                c.rules.join(", "),
                report.files
            ));
        }
    }
}
