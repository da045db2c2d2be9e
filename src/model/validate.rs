//! Semantic validation of the model: every value that reaches a generated file is checked here,
//! and anything that could inject a line, a flag or a path is rejected (never silently escaped).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::load::{at_loc, key_loc};
use super::spanned::Sp;
use super::types::{Cluster, Etcd, KeyType};
use crate::diag::{Problem, Source};

/// Characters that would break out of a systemd value, a quoted string or a TOML/JSON string, or
/// expand as a systemd specifier (`%`) or a variable (`$`).
const INJECTING: &[char] = &['\n', '\r', '"', '\'', '\\', '%', '$', '`', '\0'];

/// Validate a parsed model. Returns every problem found, errors and warnings alike.
pub fn validate(cluster: &Cluster, source: &Source) -> Vec<Problem> {
    let mut v = Validator {
        source,
        problems: Vec::new(),
    };
    v.check(cluster);
    v.problems
}

pub(crate) struct Validator<'a> {
    source: &'a Source,
    pub(crate) problems: Vec<Problem>,
}

impl Validator<'_> {
    pub(crate) fn push<T>(&mut self, problem: Problem, at: &Sp<T>) {
        let p = at_loc(problem, self.source, at.loc);
        self.problems.push(p);
    }

    fn check(&mut self, c: &Cluster) {
        if *c.version != 1 {
            self.push(
                Problem::error(
                    "model::version",
                    format!("unsupported model version {}", *c.version),
                )
                .with_label("this tlsgen reads version 1")
                .with_help("write `version: 1`"),
                &c.version,
            );
        }
        self.absolute_dir(&c.pki.dir, "pki.dir");
        self.file_name(&c.pki.ca, "pki.ca");
        if let Some(etcd) = &c.etcd {
            self.etcd(etcd);
            self.etcd_key_type(c, etcd);
        }
        self.targets(c);
    }

    /// Reject characters that would inject into a generated file. Returns false when it reported.
    pub(crate) fn safe(&mut self, value: &Sp<String>, what: &str) -> bool {
        if let Some(bad) = value
            .chars()
            .find(|c| INJECTING.contains(c) || c.is_control())
        {
            let shown = match bad {
                '\n' => "a newline".to_string(),
                '\r' => "a carriage return".to_string(),
                c if c.is_control() => format!("control character U+{:04X}", c as u32),
                c => format!("`{c}`"),
            };
            self.push(
                Problem::error("model::unsafe-value", format!("{what} contains {shown}"))
                    .with_label("would inject into a generated file")
                    .with_help(
                        "remove it: tlsgen rejects newlines, quotes, backslashes, `%` (systemd \
                         specifiers), `$` and backticks instead of escaping them",
                    ),
                value,
            );
            return false;
        }
        if value.chars().any(char::is_whitespace) {
            self.push(
                Problem::error(
                    "model::unsafe-value",
                    format!("{what} contains white space"),
                )
                .with_label("would split into several words")
                .with_help("remove the spaces; names, addresses and paths here have none"),
                value,
            );
            return false;
        }
        true
    }

    pub(crate) fn absolute_dir(&mut self, value: &Sp<String>, what: &str) {
        if !self.safe(value, what) {
            return;
        }
        // Paths also reach the runbooks' shell commands (`sudo chmod 0600 <key>`): a character the
        // shell treats specially (`;`, `&`, `|`, `<`, `>`, `(`, `*`, `?`, `[`, `{`, `!`, `#`, `~`)
        // would run a second command there (found by tests/prop_injection.rs).
        if let Some(bad) = value.chars().find(|c| {
            !(c.is_ascii_alphanumeric()
                || matches!(c, '/' | '.' | '_' | '-' | '+' | '@' | ':' | ',' | '='))
        }) {
            self.push(
                Problem::error("model::unsafe-value", format!("{what} contains `{bad}`"))
                    .with_label("not a character tlsgen accepts in a path")
                    .with_help(
                        "use letters, digits and `/ . _ - + @ : , =` only: paths also appear in \
                         shell commands of the runbooks",
                    ),
                value,
            );
            return;
        }
        if !value.starts_with('/') || value.split('/').any(|part| part == ".." || part == ".") {
            self.push(
                Problem::error(
                    "model::path",
                    format!("{what} must be an absolute, normalised path"),
                )
                .with_label("not absolute, or contains `.` or `..`")
                .with_help("write an absolute path such as /etc/ssl/etcd"),
                value,
            );
        }
    }

    /// A file name inside a directory: no separators, no `..`.
    pub(crate) fn file_name(&mut self, value: &Sp<String>, what: &str) {
        if !self.safe(value, what) {
            return;
        }
        let ok = !value.is_empty()
            && value.value != ".."
            && value.value != "."
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !ok {
            self.push(
                Problem::error("model::path", format!("{what} must be a plain file name"))
                    .with_label("contains `/`, `..` or other characters")
                    .with_help("use letters, digits, `.`, `-` and `_` only, e.g. ca.pem"),
                value,
            );
        }
    }

    /// A host or member name: a DNS label, so it is also a safe directory name.
    pub(crate) fn label(&mut self, value: &Sp<String>, what: &str) {
        if !self.safe(value, what) {
            return;
        }
        if value.contains('/') || value.contains("..") {
            self.push(
                Problem::error(
                    "model::path",
                    format!("{what} `{}` would escape the output directory", value.value),
                )
                .with_label("contains `/` or `..`")
                .with_help("a name is a DNS label: letters, digits and `-`, such as server1"),
                value,
            );
            return;
        }
        if !is_dns_label(value) {
            self.push(
                Problem::error("model::name", format!("{what} `{}` is not a DNS label", value.value))
                    .with_label("not a DNS label")
                    .with_help(
                        "use 1 to 63 letters, digits and `-`, not starting or ending with `-` (e.g. server1)",
                    ),
                value,
            );
        }
    }

    pub(crate) fn address(&mut self, value: &Sp<String>, what: &str) {
        if !self.safe(value, what) {
            return;
        }
        if value.parse::<IpAddr>().is_ok() {
            return;
        }
        let looks_ip = value.chars().all(|c| c.is_ascii_digit() || c == '.');
        let ok = !looks_ip
            && value.len() <= 253
            && value.split('.').all(is_dns_label)
            && !value.ends_with('.');
        if !ok {
            self.push(
                Problem::error("model::address", format!("{what} `{}` is not an IP address or host name", value.value))
                    .with_label("invalid address")
                    .with_help("write an IPv4 or IPv6 address (10.0.0.11, fd00::11) or a DNS name (etcd1.example.com)"),
                value,
            );
        }
    }

    pub(crate) fn port(&mut self, value: &Sp<u16>, what: &str) {
        if value.value == 0 {
            self.push(
                Problem::error("model::port", format!("{what} is 0"))
                    .with_label("port out of range")
                    .with_help("use a port from 1 to 65535"),
                value,
            );
        }
    }

    fn etcd(&mut self, etcd: &Etcd) {
        self.port(&etcd.client_port, "etcd.client_port");
        self.port(&etcd.peer_port, "etcd.peer_port");
        if let Some(p) = &etcd.legacy_port {
            self.port(p, "etcd.legacy_port");
        }
        if etcd.members.is_empty() {
            let problem = Problem::error("model::members", "etcd.members is empty")
                .with_label("no member listed")
                .with_help("list at least one member with its name and address");
            let loc = key_loc(self.source, &["etcd", "members"]);
            self.problems.push(at_loc(problem, self.source, loc));
        }
        if !etcd.client_cert_auth.value {
            self.push(
                Problem::warning("model::insecure-choice", "client certificate authentication is turned off")
                    .with_label("client_cert_auth: false")
                    .with_help("any client that reaches the client port can read and write every key; set `client_cert_auth: true`"),
                &etcd.client_cert_auth,
            );
        }
        if !etcd.peer_client_cert_auth.value {
            self.push(
                Problem::warning("model::insecure-choice", "peer certificate authentication is turned off")
                    .with_label("peer_client_cert_auth: false")
                    .with_help("any host that reaches the peer port can join the cluster; set `peer_client_cert_auth: true`"),
                &etcd.peer_client_cert_auth,
            );
        }

        let mut names: BTreeMap<String, &Sp<String>> = BTreeMap::new();
        let mut ids: BTreeMap<String, &Sp<String>> = BTreeMap::new();
        // Listeners per host: (address, port) -> who.
        let mut bound: BTreeMap<(String, u16), String> = BTreeMap::new();
        let mut addresses: BTreeMap<String, (&Sp<String>, bool)> = BTreeMap::new();

        for (i, m) in etcd.members.iter().enumerate() {
            let mut duplicate_address = false;
            let what = format!("etcd.members[{i}].name");
            self.label(&m.name, &what);
            self.duplicate_name(&mut names, &m.name);
            self.address(&m.address, &format!("member {} address", m.name.value));
            let own_ports = [
                ("client_port", &m.client_port),
                ("peer_port", &m.peer_port),
                ("legacy_port", &m.legacy_port),
            ];
            for (field, p) in own_ports {
                if let Some(p) = p {
                    self.port(p, &format!("member {} {field}", m.name.value));
                }
            }
            if let Some(id) = &m.id {
                if self.safe(id, "member id") {
                    if id.len() != 16 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
                        self.push(
                            Problem::error("model::member-id", format!("member id `{}` is not 16 hex digits", id.value))
                                .with_label("malformed id")
                                .with_help("copy the id from `etcdctl member list` (e.g. 2428639343c1baab), or leave it out and tlsgen looks it up by name"),
                            id,
                        );
                    } else if let Some(first) = ids.get(&id.to_ascii_lowercase()) {
                        let line = first.loc.map(|l| l.line).unwrap_or(0);
                        self.push(
                            Problem::error(
                                "model::member-id",
                                format!("member id `{}` is used twice", id.value),
                            )
                            .with_label("duplicate id")
                            .with_help(format!(
                                "each member has its own id; the first use is on line {line}"
                            )),
                            id,
                        );
                    } else {
                        ids.insert(id.to_ascii_lowercase(), id);
                    }
                }
            }
            let overrides = m.client_port.is_some() || m.peer_port.is_some();
            let addr = m.address.value.to_ascii_lowercase();
            if let Some((first, first_overrides)) = addresses.get(&addr) {
                if !overrides && !first_overrides {
                    // One problem, one diagnostic: the port collisions this implies are not repeated.
                    duplicate_address = true;
                    let line = first.loc.map(|l| l.line).unwrap_or(0);
                    self.push(
                        Problem::error("model::duplicate-address", format!("address `{}` is used by two members", m.address.value))
                            .with_label("duplicate address")
                            .with_help(format!(
                                "give each member its own address (the first use is on line {line}), or give the members on one host their own client_port and peer_port"
                            )),
                        &m.address,
                    );
                }
            } else {
                addresses.insert(addr.clone(), (&m.address, overrides));
            }
            if duplicate_address {
                continue;
            }
            let who = m.name.value.clone();
            let client = m.client_port.as_ref().unwrap_or(&etcd.client_port);
            let peer = m.peer_port.as_ref().unwrap_or(&etcd.peer_port);
            self.bind(
                &mut bound,
                &addr,
                client,
                &format!("{who} client port"),
                &m.address,
            );
            self.bind(
                &mut bound,
                &addr,
                peer,
                &format!("{who} peer port"),
                &m.address,
            );
            if let Some(legacy) = m.legacy_port.as_ref().or(etcd.legacy_port.as_ref()) {
                // The legacy listener is on the loopback address of the member's host.
                self.bind(
                    &mut bound,
                    &addr,
                    legacy,
                    &format!("{who} legacy port"),
                    &m.address,
                );
            }
        }

        for (i, p) in etcd.proxies.iter().enumerate() {
            self.label(&p.name, &format!("etcd.proxies[{i}].name"));
            self.duplicate_name(&mut names, &p.name);
            self.file_name(
                &p.client_cert,
                &format!("proxy {} client_cert", p.name.value),
            );
            let host = format!("proxy:{}", p.name.value);
            let client = p.client_port.as_ref().unwrap_or(&etcd.client_port);
            self.port(client, "proxy client_port");
            self.bind(
                &mut bound,
                &host,
                client,
                &format!("{} client port", p.name.value),
                &p.name,
            );
            if let Some(legacy) = p.legacy_port.as_ref().or(etcd.legacy_port.as_ref()) {
                self.port(legacy, "proxy legacy_port");
                self.bind(
                    &mut bound,
                    &host,
                    legacy,
                    &format!("{} legacy port", p.name.value),
                    &p.name,
                );
            }
        }
    }

    /// Ed25519 certificates need etcd built with Go 1.13 or newer. Go 1.13 added Ed25519 keys to
    /// crypto/x509 and Ed25519 certificates to crypto/tls (Go 1.13 release notes,
    /// https://go.dev/doc/go1.13#crypto/ed25519); etcd 2.x predates it, and etcd 3.4.0's release
    /// binaries were built with Go 1.12.9 (FACTS-verify-rotate.md V21: etcd v3.4.0 `.travis.yml`,
    /// CHANGELOG-3.4 "Compile with Go 1.12.9"). So: refused for 2.1/2.2, a warning for "3.x".
    fn etcd_key_type(&mut self, c: &Cluster, etcd: &Etcd) {
        if *c.pki.key_type != KeyType::Ed25519 {
            return;
        }
        if etcd.release.is_v2() {
            self.push(
                Problem::error(
                    "model::key-type",
                    format!(
                        "etcd {} cannot load Ed25519 certificates",
                        etcd.release.as_str()
                    ),
                )
                .with_label("needs etcd built with Go 1.13 or newer")
                .with_help(
                    "use `key_type: ecdsa-p256` (the default) or an RSA key type: etcd 2.x was \
                     built with a Go older than 1.13, which cannot load Ed25519 keys",
                ),
                &c.pki.key_type,
            );
        } else {
            self.push(
                Problem::warning(
                    "model::key-type",
                    "etcd built with Go older than 1.13 cannot load Ed25519 certificates",
                )
                .with_label("ed25519")
                .with_help(
                    "etcd 3.4.0 release binaries were built with Go 1.12.9: check `etcd --version` \
                     (its `Go Version`) on every member, or use `key_type: ecdsa-p256`",
                ),
                &c.pki.key_type,
            );
        }
    }

    pub(crate) fn duplicate_name<'a>(
        &mut self,
        names: &mut BTreeMap<String, &'a Sp<String>>,
        name: &'a Sp<String>,
    ) {
        let key = name.value.to_ascii_lowercase();
        if let Some(first) = names.get(&key) {
            let line = first.loc.map(|l| l.line).unwrap_or(0);
            self.push(
                Problem::error("model::duplicate-name", format!("name `{}` is used twice", name.value))
                    .with_label("duplicate name")
                    .with_help(format!(
                        "every member and proxy needs its own name (it names its host directory and certificate); the first use is on line {line}"
                    )),
                name,
            );
        } else {
            names.insert(key, name);
        }
    }

    /// Record a listener; report a collision at the port, or at `owner` (the member's address or
    /// the proxy's name) when the port is a default that was not written in the model.
    fn bind(
        &mut self,
        bound: &mut BTreeMap<(String, u16), String>,
        host: &str,
        port: &Sp<u16>,
        who: &str,
        owner: &Sp<String>,
    ) {
        if port.value == 0 {
            return;
        }
        let key = (host.to_string(), port.value);
        if let Some(first) = bound.get(&key) {
            let problem = Problem::error("model::port-collision", format!("{who} {} collides with the {first}", port.value))
                .with_help("give every listener on one host its own port (set client_port, peer_port or legacy_port on the member)");
            if port.loc.is_some() {
                self.push(problem.with_label("port already taken on this host"), port);
            } else {
                self.push(
                    problem.with_label(format!(
                        "default port {} already taken on this host",
                        port.value
                    )),
                    owner,
                );
            }
        } else {
            bound.insert(key, who.to_string());
        }
    }
}

/// RFC 1123 label: 1-63 ASCII letters, digits and `-`, not starting or ending with `-`.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}
