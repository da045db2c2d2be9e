//! Validation of the `influxdb`, `telegraf`, `elastic` and `kubernetes` sections. Reuses the checks
//! of [`super::validate`] (injection characters, DNS labels, addresses, absolute paths).

use std::collections::BTreeMap;

use super::spanned::Sp;
use super::targets::{CertKind, Elastic, Influxdb, KmsVersion, Kubernetes, Telegraf};
use super::types::Cluster;
use super::validate::Validator;
use crate::diag::Problem;

/// The pseudo-host that receives per-target runbooks and workstation files (DC/OS options JSON).
pub const ADMIN_HOST: &str = "tlsgen-admin";

/// Resources kube-apiserver refuses to encrypt (F-K5).
const UNENCRYPTABLE: &[&str] = &[
    "apiserveripinfo",
    "serviceipallocations",
    "servicenodeportallocations",
];

impl Validator<'_> {
    /// Validate every target section present in the model.
    pub(crate) fn targets(&mut self, c: &Cluster) {
        if let Some(i) = &c.influxdb {
            self.influxdb(i);
        }
        if let Some(t) = &c.telegraf {
            self.telegraf(t, c.influxdb.as_ref());
        }
        if let Some(e) = &c.elastic {
            self.elastic(e);
        }
        if let Some(k) = &c.kubernetes {
            self.kubernetes(k);
        }
    }

    /// A host name of a target: a DNS label, and not the runbook pseudo-host.
    fn target_host(&mut self, name: &Sp<String>, what: &str) {
        self.label(name, what);
        if name.value.eq_ignore_ascii_case(ADMIN_HOST) {
            self.push(
                Problem::error(
                    "model::reserved-name",
                    format!("{what} `{}` is reserved", name.value),
                )
                .with_label("reserved host name")
                .with_help(format!(
                    "`{ADMIN_HOST}` is the pseudo-host that receives the runbooks; rename the host"
                )),
                name,
            );
        }
    }

    fn absolute_file(&mut self, value: &Sp<String>, what: &str) {
        self.absolute_dir(value, what);
        if value.value.ends_with('/') {
            self.push(
                Problem::error(
                    "model::path",
                    format!("{what} must name a file, not a directory"),
                )
                .with_label("ends with `/`")
                .with_help("write the full path of the file, e.g. /etc/ssl/influxdb.pem"),
                value,
            );
        }
    }

    fn misplaced<T>(&mut self, field: &Option<Sp<T>>, name: &str, kind: CertKind) {
        if let Some(f) = field {
            self.push(
                Problem::error(
                    "model::certificate",
                    format!("`{name}` does not apply to a {} certificate", kind.as_str()),
                )
                .with_label("not used by this kind")
                .with_help(match kind {
                    CertKind::CaSigned => {
                        "a ca-signed certificate takes `cert`, `key` and optionally `ca`"
                    }
                    CertKind::Bundle => {
                        "a bundle takes `pem` (certificate and key in one file) and optionally `ca`"
                    }
                    CertKind::SelfSigned => {
                        "a self-signed certificate takes `days` and optionally `cert` and `key`"
                    }
                }),
                f,
            );
        }
    }

    fn required(&mut self, field: &Option<Sp<String>>, name: &str, kind: &Sp<CertKind>) {
        match field {
            Some(p) => self.absolute_file(p, &format!("influxdb.certificate.{name}")),
            None => self.push(
                Problem::error(
                    "model::certificate",
                    format!("a {} certificate needs `{name}`", kind.as_str()),
                )
                .with_label("kind set here")
                .with_help(format!(
                    "add `{name}: /absolute/path` to influxdb.certificate"
                )),
                kind,
            ),
        }
    }

    fn influxdb(&mut self, i: &Influxdb) {
        let c = &i.certificate;
        let kind = c.kind.value;
        match kind {
            CertKind::CaSigned => {
                self.required(&c.cert, "cert", &c.kind);
                self.required(&c.key, "key", &c.kind);
                self.misplaced(&c.pem, "pem", kind);
                self.misplaced(&c.days, "days", kind);
            }
            CertKind::Bundle => {
                self.required(&c.pem, "pem", &c.kind);
                self.misplaced(&c.cert, "cert", kind);
                self.misplaced(&c.key, "key", kind);
                self.misplaced(&c.days, "days", kind);
            }
            CertKind::SelfSigned => {
                self.misplaced(&c.pem, "pem", kind);
                self.misplaced(&c.ca, "ca", kind);
                for (f, n) in [(&c.cert, "cert"), (&c.key, "key")] {
                    if let Some(p) = f {
                        self.absolute_file(p, &format!("influxdb.certificate.{n}"));
                    }
                }
                if let Some(d) = &c.days {
                    if d.value == 0 || d.value > 3650 {
                        self.push(
                            Problem::error(
                                "model::certificate",
                                format!("{} days is not a usable validity", d.value),
                            )
                            .with_label("out of range")
                            .with_help("use 1 to 3650 days (365 is the default)"),
                            d,
                        );
                    }
                }
                self.push(
                    Problem::warning("model::insecure-choice", "the InfluxDB nodes use a self-signed certificate")
                        .with_label("kind: self-signed")
                        .with_help(
                            "clients must skip verification (`-k`, `-unsafeSsl`, meta-insecure-tls); use a ca-signed \
                             certificate in production",
                        ),
                    &c.kind,
                );
            }
        }
        if let Some(ca) = &c.ca {
            self.absolute_file(ca, "influxdb.certificate.ca");
        }
        if i.meta_nodes.is_empty() {
            self.problems.push(
                Problem::error("model::members", "influxdb.meta_nodes is empty")
                    .with_help("list the meta nodes with their name and address"),
            );
        }
        if i.data_nodes.is_empty() {
            self.problems.push(
                Problem::error("model::members", "influxdb.data_nodes is empty")
                    .with_help("list the data nodes with their name and address"),
            );
        }
        self.port(&i.http_port, "influxdb.http_port");
        self.owner(&i.file_owner, "influxdb.file_owner");
        for (list, what) in [(&i.meta_nodes, "meta_nodes"), (&i.data_nodes, "data_nodes")] {
            let mut names: BTreeMap<String, &Sp<String>> = BTreeMap::new();
            for (n, node) in list.iter().enumerate() {
                self.target_host(&node.name, &format!("influxdb.{what}[{n}].name"));
                self.duplicate_name(&mut names, &node.name);
                self.address(
                    &node.address,
                    &format!("influxdb node {} address", node.name.value),
                );
            }
        }
    }

    /// `user:group`, both POSIX-portable names.
    fn owner(&mut self, value: &Sp<String>, what: &str) {
        if !self.safe(value, what) {
            return;
        }
        let portable = |s: &str| {
            !s.is_empty()
                && s.len() <= 32
                && !s.starts_with('-')
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        };
        let ok = value
            .split_once(':')
            .is_some_and(|(u, g)| portable(u) && portable(g));
        if !ok {
            self.push(
                Problem::error(
                    "model::owner",
                    format!("{what} `{}` is not `user:group`", value.value),
                )
                .with_label("expected user:group")
                .with_help("write a user and a group separated by `:`, such as influxdb:influxdb"),
                value,
            );
        }
    }

    /// A plain identifier for a TOML/JSON value: letters, digits, `_`, `-`, `.`.
    fn word(&mut self, value: &Sp<String>, what: &str, extra: &[char]) {
        if !self.safe(value, what) {
            return;
        }
        let ok = !value.is_empty()
            && value.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') || extra.contains(&c)
            });
        if !ok {
            self.push(
                Problem::error(
                    "model::name",
                    format!(
                        "{what} `{}` has characters tlsgen does not accept",
                        value.value
                    ),
                )
                .with_label("unexpected character")
                .with_help("use letters, digits, `_`, `-` and `.`"),
                value,
            );
        }
    }

    fn telegraf(&mut self, t: &Telegraf, influxdb: Option<&Influxdb>) {
        if t.agents.is_empty() {
            self.problems.push(
                Problem::error("model::members", "telegraf.agents is empty")
                    .with_help("list the agents with their name and the CA they trust"),
            );
        }
        match &t.load_balancer {
            Some(lb) => self.address(lb, "telegraf.load_balancer"),
            None if influxdb.is_none_or(|i| i.data_nodes.is_empty()) => self.problems.push(
                Problem::error("model::telegraf-urls", "telegraf has nowhere to write").with_help(
                    "add an `influxdb` section with data nodes, or set `telegraf.load_balancer`",
                ),
            ),
            None => {}
        }
        self.word(&t.database, "telegraf.database", &[]);
        self.word(&t.username, "telegraf.username", &[]);
        let mut names: BTreeMap<String, &Sp<String>> = BTreeMap::new();
        for (n, a) in t.agents.iter().enumerate() {
            self.target_host(&a.name, &format!("telegraf.agents[{n}].name"));
            self.duplicate_name(&mut names, &a.name);
            self.absolute_file(&a.ca, &format!("agent {} ca", a.name.value));
            match (&a.cert, &a.key) {
                (Some(c), Some(k)) => {
                    self.absolute_file(c, &format!("agent {} cert", a.name.value));
                    self.absolute_file(k, &format!("agent {} key", a.name.value));
                }
                (Some(one), None) | (None, Some(one)) => self.push(
                    Problem::error("model::client-cert", format!("agent {} has only half a client key pair", a.name.value))
                        .with_label("needs its partner")
                        .with_help("set both `cert` and `key`, or neither: Telegraf silently ignores one alone (F-T4)"),
                    one,
                ),
                (None, None) => {}
            }
            if a.insecure_skip_verify.value {
                self.push(
                    Problem::warning("model::insecure-choice", format!("agent {} skips server certificate verification", a.name.value))
                        .with_label("insecure_skip_verify: true")
                        .with_help("anyone on the path can read and change the metrics; trust the CA with `ca` instead (F-T6)"),
                    &a.insecure_skip_verify,
                );
            }
        }
    }

    fn elastic(&mut self, e: &Elastic) {
        // F-D1: slash-separated words of [a-z0-9.-], not starting or ending with `-`.
        if self.safe(&e.service_name, "elastic.service_name") {
            let trimmed = e.service_name.strip_prefix('/').unwrap_or(&e.service_name);
            let ok = !trimmed.is_empty()
                && trimmed
                    .split('/')
                    .all(|seg| !seg.is_empty() && seg.split('.').all(is_lower_label));
            if !ok {
                self.push(
                    Problem::error("model::name", format!("elastic.service_name `{}` is not a DC/OS service name", e.service_name.value))
                        .with_label("invalid service name")
                        .with_help("use lowercase letters, digits and `-` (not at either end), optionally in folders: elastic or /prod/elastic"),
                    &e.service_name,
                );
            }
        }
        self.word(&e.service_account, "elastic.service_account", &[]);
        self.word(
            &e.service_account_secret,
            "elastic.service_account_secret",
            &['/'],
        );
        if e.service_account_secret
            .split('/')
            .any(|s| s == ".." || s == ".")
        {
            self.push(
                Problem::error(
                    "model::name",
                    "elastic.service_account_secret contains `.` or `..` segments",
                )
                .with_label("relative segment")
                .with_help("write the Secret Store path without `.` or `..`, e.g. elastic/secret"),
                &e.service_account_secret,
            );
        }
    }

    fn kubernetes(&mut self, k: &Kubernetes) {
        let mut names: BTreeMap<String, &Sp<String>> = BTreeMap::new();
        for (n, h) in k.control_plane.iter().enumerate() {
            self.target_host(h, &format!("kubernetes.control_plane[{n}]"));
            self.duplicate_name(&mut names, h);
        }
        let enc = &k.encryption;
        self.absolute_file(&enc.path, "kubernetes.encryption.path");
        if enc.resources.is_empty() {
            self.problems.push(
                Problem::error(
                    "model::resources",
                    "kubernetes.encryption.resources is empty",
                )
                .with_help("list the resources to encrypt, e.g. [secrets]"),
            );
        }
        let mut seen: BTreeMap<String, &Sp<String>> = BTreeMap::new();
        for r in &enc.resources {
            if !self.safe(r, "resource") {
                continue;
            }
            let well_formed = !r.is_empty()
                && r.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '*')
                });
            let problem = if !well_formed {
                Some((
                    "not a lowercase resource name",
                    "write resources in lowercase, e.g. secrets or configmaps",
                ))
            } else if r.value == "*" {
                Some((
                    "`*` alone is not accepted (F-K5)",
                    "write `*.*` for every resource, or list them",
                ))
            } else if r.ends_with(".*") && r.value != "*.*" {
                Some((
                    "`resource.*` is not accepted (F-K5)",
                    "name the resource with its group, e.g. deployments.apps",
                ))
            } else if UNENCRYPTABLE.contains(&r.value.as_str()) || r.value == "*.events.k8s.io" {
                Some((
                    "kube-apiserver refuses to encrypt this resource (F-K5)",
                    "remove it; write `events` for events",
                ))
            } else if r.value.ends_with(".extensions") || r.value == "*.extensions" {
                Some((
                    "the `extensions` group is rejected by kube-apiserver (F-K5)",
                    "use the resource's current group",
                ))
            } else {
                None
            };
            if let Some((msg, help)) = problem {
                self.push(
                    Problem::error("model::resource", format!("resource `{}`: {msg}", r.value))
                        .with_label("invalid resource")
                        .with_help(help),
                    r,
                );
            } else if let Some(first) = seen.get(&r.value) {
                let line = first.loc.map(|l| l.line).unwrap_or(0);
                self.push(
                    Problem::error(
                        "model::resource",
                        format!("resource `{}` is listed twice", r.value),
                    )
                    .with_label("duplicate resource")
                    .with_help(format!(
                        "kube-apiserver rejects duplicates; the first is on line {line}"
                    )),
                    r,
                );
            } else {
                seen.insert(r.value.clone(), r);
            }
        }
        let kms = &enc.kms;
        self.word(&kms.name, "kubernetes.encryption.kms.name", &[]);
        if self.safe(&kms.endpoint, "kubernetes.encryption.kms.endpoint") {
            let path = kms.endpoint.strip_prefix("unix://");
            if !path.is_some_and(|p| p.starts_with('/') && p.len() > 1) {
                self.push(
                    Problem::error("model::kms-endpoint", format!("KMS endpoint `{}` is not a unix socket URL", kms.endpoint.value))
                        .with_label("expected unix:///path")
                        .with_help("kube-apiserver accepts only the unix scheme (F-K5), e.g. unix:///var/run/kmsplugin/socket.sock"),
                    &kms.endpoint,
                );
            }
        }
        if kms.api_version.value == KmsVersion::V1 {
            self.push(
                Problem::warning("model::deprecated", "KMS v1 is deprecated")
                    .with_label("api_version: v1")
                    .with_help(
                        "KMS v1 is deprecated since Kubernetes 1.28 and off by default since 1.29 (needs \
                         --feature-gates=KMSv1=true); use v2 (F-K7)",
                    ),
                &kms.api_version,
            );
        }
    }
}

/// A lowercase DNS label (F-D1 word).
fn is_lower_label(w: &str) -> bool {
    super::validate::is_dns_label(w) && !w.chars().any(|c| c.is_ascii_uppercase())
}
