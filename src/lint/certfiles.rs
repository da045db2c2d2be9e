//! Certificate-aware lint: the files a configuration names (etcd `cert-file`, `key-file`,
//! `trusted-ca-file`, `peer-*`, `ETCDCTL_CERT`…; InfluxDB `https-certificate`,
//! `https-private-key`; Telegraf `tls_ca`, `tls_cert`, `tls_key`) are read, when they exist, and
//! handed to the `CERT` rules as a [`CertView`] of TLS endpoints.
//!
//! ```text
//! view (EtcdConfig, InfluxConfig, TelegrafConfig) ─endpoints─▶ named paths ─resolve─▶ files
//!   ─read once per run (cache)─▶ FileFacts ─▶ CertView ─CERT rules─▶ findings on the path values
//! ```
//!
//! Where a path is looked for:
//! - `--root DIR` (or `root` in `[lint.certs]`): `DIR/<path as written>`, for every file linted.
//! - Otherwise, when the linted file sits in the layout `render` and `certs` write,
//!   `X/<host>/etc/...`, the named path is looked for under `X/<host>/` only, never on the linting
//!   machine itself (a rendered tree names the files of that host, not of this machine).
//! - Otherwise the path as written, on this machine.
//!
//! - etcd run by the CoreOS/Flatcar `etcd-wrapper` ([`runs_in_wrapper`]) reads its files inside a
//!   container that sees the host's `ETCD_SSL_DIR` (default `/etc/ssl/certs`) at `/etc/ssl/certs`
//!   (F-E22, F-E23): a path under `/etc/ssl/certs/` is the same file under `ETCD_SSL_DIR` on the
//!   host, and that host path is looked for as above. etcdctl runs on the host: its paths are host
//!   paths.
//!
//! Relative paths and placeholders are never looked up (the working directory of the service is
//! unknown). A path that is not found is silent unless `--check-files` (CERT010). Only the PEM
//! structure is read: private key bytes never reach a message; an encrypted key is recognised
//! by its `Proc-Type: 4,ENCRYPTED` header or `ENCRYPTED PRIVATE KEY` label alone.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use x509_parser::oid_registry::OID_PKCS1_RSAENCRYPTION;
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use super::diagnostic::Finding;
use super::rule::{Check, Ctx};
use super::settings::Settings;
use super::source::{SourceStore, Span};
use super::view::etcd::EtcdConfig;
use super::view::influxdb::{InfluxConfig, InfluxRole};
use super::view::telegraf::TelegrafConfig;
use super::view::Setting;
use super::View;
use crate::certs::inspect::{CertInfo, San};
use crate::render::etcd::WRAPPER_SSL_MOUNT;

/// Default of `--expiry-days`.
pub const DEFAULT_EXPIRY_DAYS: i64 = 30;

/// How certificate checks run: from `tlsgen.toml` `[lint.certs]` and the command line.
#[derive(Debug, Clone)]
pub struct CertOptions {
    /// Resolve absolute paths under this directory instead of `/`.
    pub root: Option<PathBuf>,
    /// A named file that does not exist is a finding (CERT010).
    pub check_files: bool,
    /// A certificate expiring within this many days is a warning (CERT001).
    pub expiry_days: i64,
    /// Unix seconds of "now" (fixed once per run).
    pub now: i64,
    /// Files read in this run, by resolved path (`None`: not found). It lives as long as the
    /// settings of one run (shared by the re-lints of `--fix`, which edit configurations, never
    /// certificate files); `Settings::resolve` starts a new one.
    cache: Arc<Mutex<HashMap<PathBuf, Option<Arc<FileFacts>>>>>,
}

impl Default for CertOptions {
    fn default() -> Self {
        CertOptions {
            root: None,
            check_files: false,
            expiry_days: DEFAULT_EXPIRY_DAYS,
            now: time::OffsetDateTime::now_utc().unix_timestamp(),
            cache: Arc::default(),
        }
    }
}

impl CertOptions {
    /// Read `[lint.certs]` of `tlsgen.toml`:
    ///
    /// ```toml
    /// [lint.certs]
    /// expiry-days = 30      # CERT001 warns about certificates expiring within this many days
    /// check-files = false   # CERT010 reports named files that do not exist
    /// ```
    pub fn configure(
        &mut self,
        src: &crate::diag::Source,
        item: &toml_edit::Item,
    ) -> Result<(), crate::diag::Problem> {
        let span = item.span().unwrap_or(0..0);
        let problem = |span: std::ops::Range<usize>, message: &str| {
            crate::diag::Problem::error(
                "lint::config",
                format!("invalid {}: {message}", super::settings::CONFIG_FILE),
            )
            .with_label("here")
            .with_help("`[lint.certs]` accepts expiry-days = <days> and check-files = <bool>")
            .at(src, span.start, span.len())
        };
        let table = item
            .as_table_like()
            .ok_or_else(|| problem(span.clone(), "`certs` must be a table"))?;
        for (key, value) in table.iter() {
            let vspan = value.span().unwrap_or(span.clone());
            match key {
                "expiry-days" => {
                    self.expiry_days = value
                        .as_integer()
                        .filter(|d| (0..=36_500).contains(d))
                        .ok_or_else(|| {
                            problem(vspan, "`expiry-days` must be a number of days (0 to 36500)")
                        })?
                }
                "check-files" => {
                    self.check_files = value
                        .as_bool()
                        .ok_or_else(|| problem(vspan, "`check-files` must be true or false"))?
                }
                other => {
                    let kspan = table
                        .get_key_value(other)
                        .and_then(|(k, _)| k.span())
                        .unwrap_or(vspan);
                    return Err(problem(kspan, &format!("unknown setting `certs.{other}`")));
                }
            }
        }
        Ok(())
    }

    /// Command-line options win over `tlsgen.toml`.
    pub fn apply_cli(
        &mut self,
        root: Option<PathBuf>,
        check_files: bool,
        expiry_days: Option<u32>,
    ) {
        if root.is_some() {
            self.root = root;
        }
        self.check_files |= check_files;
        if let Some(d) = expiry_days {
            self.expiry_days = i64::from(d);
        }
    }
}

/// The public half of a key, comparable between a certificate and a private key file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKeyId {
    /// RSA modulus, big-endian without leading zeros.
    Rsa(Vec<u8>),
    /// EC point or Ed25519 key, as in the SubjectPublicKeyInfo bit string.
    Raw(Vec<u8>),
}

impl PublicKeyId {
    /// RSA modulus size in bits.
    pub fn rsa_bits(&self) -> Option<usize> {
        match self {
            PublicKeyId::Rsa(n) => Some(bit_len(n)),
            PublicKeyId::Raw(_) => None,
        }
    }
}

/// One certificate of a file, with what the rules need beyond [`CertInfo`].
#[derive(Debug, Clone)]
pub struct Cert {
    pub info: CertInfo,
    /// The certificate has an extended key usage extension (without one, Go accepts it for any
    /// usage).
    pub has_eku: bool,
    /// anyExtendedKeyUsage is listed.
    pub any_eku: bool,
    /// basicConstraints is present (CA:TRUE or CA:FALSE).
    pub has_basic_constraints: bool,
    pub public: Option<PublicKeyId>,
}

impl Cert {
    fn parse(der: &[u8]) -> Option<Cert> {
        let info = CertInfo::parse_der(der)?;
        let (_, x509) = X509Certificate::from_der(der).ok()?;
        let (has_eku, any_eku) = match x509.extended_key_usage() {
            Ok(Some(e)) => (true, e.value.any),
            _ => (false, false),
        };
        let has_basic_constraints = matches!(x509.basic_constraints(), Ok(Some(_)));
        let spki = x509.public_key();
        let public = if spki.algorithm.algorithm == OID_PKCS1_RSAENCRYPTION {
            match spki.parsed() {
                Ok(PublicKey::RSA(rsa)) => Some(PublicKeyId::Rsa(trim_zeros(rsa.modulus))),
                _ => None,
            }
        } else {
            Some(PublicKeyId::Raw(spki.subject_public_key.data.to_vec()))
        };
        Some(Cert {
            info,
            has_eku,
            any_eku,
            has_basic_constraints,
            public,
        })
    }

    /// The subject, or `(empty subject)`.
    pub fn name(&self) -> String {
        if self.info.subject.is_empty() {
            "(empty subject)".to_string()
        } else {
            self.info.subject.clone()
        }
    }

    /// Whether a SAN covers `host` (an IP address or a DNS name; `*.` wildcards match one label).
    pub fn covers(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if let Ok(ip) = host.parse::<IpAddr>() {
            return self.info.sans.contains(&San::Ip(ip));
        }
        self.info.sans.iter().any(|s| match s {
            San::Dns(d) => {
                let d = d.trim_end_matches('.').to_ascii_lowercase();
                match d.strip_prefix("*.") {
                    Some(suffix) => host
                        .split_once('.')
                        .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
                    None => d == host,
                }
            }
            San::Ip(_) => false,
        })
    }

    /// The SANs as `IP:…, DNS:…`, or `no subject alternative name`.
    pub fn san_list(&self) -> String {
        if self.info.sans.is_empty() {
            "no subject alternative name".to_string()
        } else {
            self.info
                .sans
                .iter()
                .map(San::display)
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

/// A private key of a file: never its bytes, only its public half when it can be derived.
#[derive(Debug, Clone)]
pub struct KeyFacts {
    /// `None` when the format is not understood (the key is then never judged).
    pub public: Option<PublicKeyId>,
}

/// What one file on disk holds.
#[derive(Debug, Clone, Default)]
pub struct FileFacts {
    /// Permission bits (Unix).
    pub mode: Option<u32>,
    /// The file could be read (not only stat-ed).
    pub readable: bool,
    pub certs: Vec<Cert>,
    pub keys: Vec<KeyFacts>,
    /// A `Proc-Type: 4,ENCRYPTED` header or an `ENCRYPTED PRIVATE KEY` block.
    pub encrypted_key: bool,
}

impl FileFacts {
    fn read(path: &Path) -> Option<FileFacts> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let mut facts = FileFacts {
            mode: mode_of(&meta),
            ..FileFacts::default()
        };
        let Ok(bytes) = std::fs::read(path) else {
            return Some(facts);
        };
        facts.readable = true;
        facts.encrypted_key = contains(&bytes, b"Proc-Type: 4,ENCRYPTED")
            || contains(&bytes, b"-----BEGIN ENCRYPTED PRIVATE KEY-----");
        for block in Pem::iter_from_buffer(&bytes) {
            let Ok(block) = block else {
                break;
            };
            match block.label.as_str() {
                "CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                    if let Some(c) = Cert::parse(&block.contents) {
                        facts.certs.push(c);
                    }
                }
                "PRIVATE KEY" => facts.keys.push(KeyFacts {
                    public: der::pkcs8_public(&block.contents),
                }),
                "RSA PRIVATE KEY" => facts.keys.push(KeyFacts {
                    public: der::pkcs1_public(&block.contents),
                }),
                "EC PRIVATE KEY" => facts.keys.push(KeyFacts {
                    public: der::sec1_public(&block.contents),
                }),
                _ => {}
            }
        }
        Some(facts)
    }

    /// The first certificate (the leaf of a chain file).
    pub fn leaf(&self) -> Option<&Cert> {
        self.certs.first()
    }
}

/// What a named file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Cert,
    Key,
    Ca,
}

/// Where a named file was looked for.
#[derive(Debug, Clone)]
pub enum Lookup {
    Found(Arc<FileFacts>),
    /// Not found at this path (as displayed).
    Missing(String),
}

/// A path named by a setting.
#[derive(Debug, Clone)]
pub struct NamedFile {
    pub role: Role,
    /// The path as written in the configuration.
    pub path: String,
    /// The key as written (`ETCD_CERT_FILE`, `https-certificate`, `tls_key`).
    pub key: String,
    /// The value of the setting: where findings point.
    pub span: Span,
    pub lookup: Lookup,
}

impl NamedFile {
    pub fn facts(&self) -> Option<&FileFacts> {
        match &self.lookup {
            Lookup::Found(f) => Some(f),
            Lookup::Missing(_) => None,
        }
    }
}

/// One TLS endpoint of a service: a certificate, its key, the CA it trusts, and how it is used.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// `etcd client`, `etcd peer`, `etcdctl`, `InfluxDB [http]`, `Telegraf outputs.influxdb`.
    pub what: String,
    pub cert: Option<NamedFile>,
    /// `None` with a certificate: the key is in the certificate file (an InfluxDB bundle).
    pub key: Option<NamedFile>,
    pub ca: Option<NamedFile>,
    /// The certificate is presented as a TLS server certificate.
    pub server: bool,
    /// The certificate is presented as a TLS client certificate.
    pub client: bool,
    /// Hosts the service advertises, which the certificate must cover: (host, where it comes
    /// from, e.g. `advertise-client-urls`).
    pub hosts: Vec<(String, String)>,
    /// The CA file is expected to have signed the certificate (etcd: one CA verifies members,
    /// peers and clients, F-E28).
    pub ca_signs_cert: bool,
    /// The service cannot read an encrypted key (etcd, F-E31, E34-SEC "must be unencrypted").
    pub key_must_be_plain: bool,
    /// The key file may be the certificate file itself (InfluxDB `https-certificate` bundle).
    pub bundle: bool,
}

impl Endpoint {
    fn new(what: impl Into<String>) -> Self {
        Endpoint {
            what: what.into(),
            cert: None,
            key: None,
            ca: None,
            server: false,
            client: false,
            hosts: Vec::new(),
            ca_signs_cert: false,
            key_must_be_plain: false,
            bundle: false,
        }
    }

    /// The certificate file, when found.
    pub fn cert_facts(&self) -> Option<(&NamedFile, &FileFacts)> {
        let n = self.cert.as_ref()?;
        Some((n, n.facts()?))
    }

    /// The file holding the private key: the key file, or the certificate file of a bundle
    /// when it holds a key.
    pub fn key_file(&self) -> Option<(&NamedFile, &FileFacts)> {
        if let Some(k) = &self.key {
            return Some((k, k.facts()?));
        }
        if self.bundle {
            let (n, f) = self.cert_facts()?;
            if !f.keys.is_empty() || f.encrypted_key {
                return Some((n, f));
            }
        }
        None
    }

    /// Every named file of the endpoint.
    pub fn files(&self) -> impl Iterator<Item = &NamedFile> {
        [&self.cert, &self.key, &self.ca].into_iter().flatten()
    }
}

/// What the CERT rules read: the endpoints of one configuration, with their files.
#[derive(Debug, Clone)]
pub struct CertView {
    pub endpoints: Vec<Endpoint>,
    pub check_files: bool,
    pub expiry_days: i64,
    pub now: i64,
}

/// Run the CERT rules over the files named by one view. Called by the engine after the view's
/// own rules.
pub(super) fn check_view(
    settings: &Settings,
    sources: &SourceStore,
    findings: &mut Vec<Finding>,
    view: View,
) {
    let rules: Vec<_> = settings
        .active_rules()
        .iter()
        .copied()
        .filter(|r| matches!(r.check, Check::Cert(_)))
        .collect();
    if rules.is_empty() {
        return;
    }
    let opts = &settings.certs;
    let mut resolver = Resolver { opts, sources };
    let endpoints = match view {
        View::Etcd(c) => etcd_endpoints(c, sources, &mut resolver),
        View::Influxdb(c) => influx_endpoints(c, &mut resolver),
        View::Telegraf(c) => telegraf_endpoints(c, &mut resolver),
        _ => return,
    };
    if endpoints.is_empty() {
        return;
    }
    let view = CertView {
        endpoints,
        check_files: opts.check_files,
        expiry_days: opts.expiry_days,
        now: opts.now,
    };
    for rule in rules {
        if let Check::Cert(f) = rule.check {
            let mut ctx = Ctx::new(rule, sources);
            f(&view, &mut ctx);
            findings.extend(ctx.findings);
        }
    }
}

struct Resolver<'a> {
    opts: &'a CertOptions,
    sources: &'a SourceStore,
}

impl Resolver<'_> {
    /// A named file from a setting; `None` for an empty, relative or placeholder path.
    fn named(&mut self, role: Role, s: Option<&Setting>) -> Option<NamedFile> {
        self.named_in(role, s, &Mount::Host)
    }

    /// A named file from a setting read where `mount` says; `None` for an empty, relative or
    /// placeholder path, or a container path whose host directory is unknown.
    fn named_in(&mut self, role: Role, s: Option<&Setting>, mount: &Mount) -> Option<NamedFile> {
        let s = s?;
        let path = s.value.trim();
        if s.placeholder || path.is_empty() || !path.starts_with('/') {
            return None;
        }
        let host = mount.host_path(path)?;
        let resolved = self.resolve(&host, s.value_span.file);
        let lookup = {
            // Read without the lock held: the other threads' lookups do not wait on this one's
            // file system calls. Two threads may read the same new file; the first one kept.
            let cache = &self.opts.cache;
            let known = cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&resolved)
                .cloned();
            let facts = known.unwrap_or_else(|| {
                let read = FileFacts::read(&resolved).map(Arc::new);
                cache
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .entry(resolved.clone())
                    .or_insert(read)
                    .clone()
            });
            match facts {
                Some(f) => Lookup::Found(f),
                None => Lookup::Missing(resolved.to_string_lossy().replace('\\', "/")),
            }
        };
        Some(NamedFile {
            role,
            path: path.to_string(),
            key: s.key_text.clone(),
            span: s.value_span,
            lookup,
        })
    }

    /// Where the absolute path `path`, named in file `file`, is on this machine.
    fn resolve(&self, path: &str, file: usize) -> PathBuf {
        let rel = path.trim_start_matches('/');
        if let Some(root) = &self.opts.root {
            return root.join(rel);
        }
        match host_dir(&self.sources.get(file).path) {
            Some(dir) => dir.join(rel),
            None => PathBuf::from(path),
        }
    }
}

/// Where a service reads the paths it is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mount {
    /// On the host: paths as written.
    Host,
    /// In the etcd-wrapper's container, which sees this host directory (`ETCD_SSL_DIR`) at
    /// `/etc/ssl/certs` (F-E22, F-E23); `None`: the directory is a placeholder, unknown.
    Wrapper(Option<String>),
}

impl Mount {
    /// The host path of `path`: under the wrapper's `/etc/ssl/certs/`, the same file under
    /// `ETCD_SSL_DIR`; other paths are the same on the host (the wrapper's other mounts keep their
    /// paths, and a path outside them is ETCD017's). `None` when the host directory is unknown.
    pub fn host_path(&self, path: &str) -> Option<String> {
        let Mount::Wrapper(dir) = self else {
            return Some(path.to_string());
        };
        match path.strip_prefix(WRAPPER_SSL_MOUNT) {
            Some(rest) if rest.starts_with('/') => {
                let dir = dir.as_deref()?.trim_end_matches('/');
                Some(format!("{dir}{rest}"))
            }
            _ => Some(path.to_string()),
        }
    }
}

/// Whether a unit group runs etcd through the CoreOS/Flatcar `etcd-wrapper`: its effective
/// `ExecStart=` runs it, or it is only drop-ins of `etcd-member.service`, which keep the base
/// unit's `ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS` (F-E19).
pub fn runs_in_wrapper(c: &EtcdConfig, sources: &SourceStore) -> bool {
    if !c.from_unit {
        return false;
    }
    match c.exec_start() {
        Some(l) => l.program_index("etcd-wrapper").is_some(),
        None => {
            !c.has_base_unit
                && sources
                    .get(c.anchor.file)
                    .path
                    .replace('\\', "/")
                    .contains("etcd-member.service.d/")
        }
    }
}

/// Where etcd of `c` reads its files: in the wrapper's container, with the host directory of
/// `ETCD_SSL_DIR` (default `/etc/ssl/certs`, F-E22), or on the host.
pub fn etcd_mount(c: &EtcdConfig, sources: &SourceStore) -> Mount {
    if !runs_in_wrapper(c, sources) {
        return Mount::Host;
    }
    match c.wrapper_var("ETCD_SSL_DIR") {
        Some(d) if d.placeholder => Mount::Wrapper(None),
        Some(d) if d.value.trim().starts_with('/') => {
            Mount::Wrapper(Some(d.value.trim().to_string()))
        }
        // Empty: the rkt wrapper's `${ETCD_SSL_DIR:-/etc/ssl/certs}` default. Relative: unknown.
        Some(d) if !d.value.trim().is_empty() => Mount::Wrapper(None),
        _ => Mount::Wrapper(Some(WRAPPER_SSL_MOUNT.to_string())),
    }
}

/// The host directory of a file in the `render`/`certs` layout `X/<host>/etc/...`: `X/<host>`.
/// `None` for a file under the machine's own `/etc` (or `./etc`, `etc/`).
pub fn host_dir(linted: &str) -> Option<PathBuf> {
    let path = if linted.contains('\\') {
        std::borrow::Cow::Owned(linted.replace('\\', "/"))
    } else {
        std::borrow::Cow::Borrowed(linted)
    };
    // The last `etc` component, found from the end (this runs for every file a setting names).
    let mut end = path.len();
    let etc_start = path.rsplit('/').find_map(|part| {
        let start = end - part.len();
        end = start.saturating_sub(1);
        (part == "etc").then_some(start)
    })?;
    let before = path.get(..etc_start.checked_sub(1)?)?;
    let host = before.rsplit('/').next().unwrap_or(before);
    if host.is_empty() || host == "." || host == ".." {
        return None;
    }
    Some(PathBuf::from(before))
}

fn etcd_endpoints(c: &EtcdConfig, sources: &SourceStore, r: &mut Resolver) -> Vec<Endpoint> {
    let file_of = |id| sources.get(id);
    let proxy = c.is_proxy(&file_of);
    let tls_hosts = |flag: &str| -> Vec<(String, String)> {
        c.urls(&file_of, flag)
            .iter()
            .filter(|(_, _, u)| u.scheme.as_deref() == Some("https"))
            .filter_map(|(_, _, u)| u.host.clone().map(|h| (h, flag.to_string())))
            .collect()
    };
    let mount = etcd_mount(c, sources);
    let mut out = Vec::new();
    for (what, peer, hosts_flag, [cert, key, ca]) in [
        (
            "etcd client",
            false,
            "advertise-client-urls",
            ["cert-file", "key-file", "trusted-ca-file"],
        ),
        (
            "etcd peer",
            true,
            "initial-advertise-peer-urls",
            ["peer-cert-file", "peer-key-file", "peer-trusted-ca-file"],
        ),
    ] {
        let mut e = Endpoint::new(if proxy {
            format!("{what} (proxy)")
        } else {
            what.to_string()
        });
        e.cert = r.named_in(Role::Cert, c.get(cert), &mount);
        e.key = r.named_in(Role::Key, c.get(key), &mount);
        e.ca = r.named_in(Role::Ca, c.get(ca), &mount);
        // A member's client certificate serves clients; its peer certificate serves peers and
        // dials them (F-E28). A proxy presents both as client certificates.
        e.server = !proxy;
        e.client = proxy || peer;
        if !proxy {
            e.hosts = tls_hosts(hosts_flag);
        }
        e.ca_signs_cert = true;
        e.key_must_be_plain = true;
        out.push(e);
    }
    // etcdctl (v3 `ETCDCTL_CERT`…, v2 `ETCDCTL_CERT_FILE`…): a client certificate, on the host.
    let mut e = Endpoint::new("etcdctl");
    e.cert = r.named(
        Role::Cert,
        c.other_var("ETCDCTL_CERT")
            .or(c.other_var("ETCDCTL_CERT_FILE")),
    );
    e.key = r.named(
        Role::Key,
        c.other_var("ETCDCTL_KEY")
            .or(c.other_var("ETCDCTL_KEY_FILE")),
    );
    e.ca = r.named(
        Role::Ca,
        c.other_var("ETCDCTL_CACERT")
            .or(c.other_var("ETCDCTL_CA_FILE")),
    );
    e.client = true;
    out.push(e);
    out.retain(|e| e.files().next().is_some());
    out
}

fn influx_endpoints(c: &InfluxConfig, r: &mut Resolver) -> Vec<Endpoint> {
    let sections: &[&str] = match c.role {
        InfluxRole::Data => &["http", "cluster"],
        InfluxRole::Meta => &["meta"],
    };
    // The node's hostname must match the certificate (FACTS §3.3 `hostname`).
    let hostname = c
        .get("", "hostname")
        .filter(|s| !s.placeholder && s.is_set())
        .map(|s| s.value.trim().to_string());
    let mut out = Vec::new();
    for section in sections {
        if c.get(section, "https-enabled")
            .is_some_and(|s| !s.placeholder && s.value == "false")
        {
            continue;
        }
        let mut e = Endpoint::new(format!("InfluxDB [{section}]"));
        e.cert = r.named(Role::Cert, c.get(section, "https-certificate"));
        e.key = r.named(Role::Key, c.get(section, "https-private-key"));
        e.bundle = true;
        e.server = true;
        if let Some(h) = &hostname {
            e.hosts.push((h.clone(), "hostname".to_string()));
        }
        if e.files().next().is_some() {
            out.push(e);
        }
    }
    out
}

fn telegraf_endpoints(c: &TelegrafConfig, r: &mut Resolver) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for p in &c.plugins {
        let mut e = Endpoint::new(format!("Telegraf {}", p.kind));
        e.cert = r.named(Role::Cert, p.keys.get("tls_cert"));
        e.key = r.named(Role::Key, p.keys.get("tls_key"));
        e.ca = r.named(Role::Ca, p.keys.get("tls_ca"));
        e.client = p.kind.starts_with("outputs.");
        if e.files().next().is_some() {
            out.push(e);
        }
    }
    out
}

/// `YYYY-MM-DD` of unix seconds.
pub fn date(unix: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        Err(_) => unix.to_string(),
    }
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(meta.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode_of(_meta: &std::fs::Metadata) -> Option<u32> {
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn trim_zeros(b: &[u8]) -> Vec<u8> {
    let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b[start..].to_vec()
}

fn bit_len(n: &[u8]) -> usize {
    match n.first() {
        Some(&first) => (n.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

/// The public half of a private key (PKCS#1, SEC1, PKCS#8), read with RustCrypto's `pkcs1`,
/// `sec1` and `pkcs8` crates. Only the public half leaves this module: never a private byte.
mod der {
    use super::{trim_zeros, PublicKeyId};
    use pkcs8::der::asn1::OctetStringRef;
    use pkcs8::der::Decode as _;
    use pkcs8::ObjectIdentifier;

    /// rsaEncryption (RFC 8017).
    const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
    /// id-ecPublicKey (RFC 5480).
    const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
    /// id-Ed25519 (RFC 8410).
    const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

    /// RSAPrivateKey (PKCS#1): the modulus.
    pub fn pkcs1_public(der: &[u8]) -> Option<PublicKeyId> {
        let key = pkcs1::RsaPrivateKey::from_der(der).ok()?;
        Some(PublicKeyId::Rsa(trim_zeros(key.modulus.as_bytes())))
    }

    /// ECPrivateKey (SEC1): its optional public key, the point as in a certificate.
    pub fn sec1_public(der: &[u8]) -> Option<PublicKeyId> {
        let key = sec1::EcPrivateKey::from_der(der).ok()?;
        Some(PublicKeyId::Raw(key.public_key?.to_vec()))
    }

    /// PrivateKeyInfo (PKCS#8): the public half of the key it wraps, by algorithm.
    pub fn pkcs8_public(der: &[u8]) -> Option<PublicKeyId> {
        let info = pkcs8::PrivateKeyInfo::from_der(der).ok()?;
        let oid = info.algorithm.oid;
        if oid == OID_RSA {
            pkcs1_public(info.private_key)
        } else if oid == OID_EC {
            sec1_public(info.private_key)
                .or_else(|| info.public_key.map(|p| PublicKeyId::Raw(p.to_vec())))
        } else if oid == OID_ED25519 {
            use ring::signature::KeyPair as _;
            // CurvePrivateKey ::= OCTET STRING (RFC 8410): the 32-byte seed.
            let seed = OctetStringRef::from_der(info.private_key).ok()?;
            let pair =
                ring::signature::Ed25519KeyPair::from_seed_unchecked(seed.as_bytes()).ok()?;
            Some(PublicKeyId::Raw(pair.public_key().as_ref().to_vec()))
        } else {
            None
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Truncated or foreign DER is no key (never a panic), in every format.
        #[test]
        fn rejects_truncated_and_foreign_input() {
            for bad in [
                &[][..],
                &[0x30, 0x03, 0x02, 0x01],
                &[0x04, 0x05, 1, 2],
                &[0x30, 0x81],
                &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
            ] {
                assert!(pkcs8_public(bad).is_none());
                assert!(pkcs1_public(bad).is_none());
                assert!(sec1_public(bad).is_none());
            }
        }

        /// A key made by rcgen (ring) in each algorithm gives the public key of its certificate.
        #[test]
        fn public_half_matches_the_certificate() {
            for alg in [
                &rcgen::PKCS_ECDSA_P256_SHA256,
                &rcgen::PKCS_ECDSA_P384_SHA384,
                &rcgen::PKCS_ED25519,
            ] {
                let key = rcgen::KeyPair::generate_for(alg).unwrap();
                let public = pkcs8_public(&key.serialize_der()).expect("a public half");
                assert_eq!(public, PublicKeyId::Raw(key.public_key_raw().to_vec()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_dir_is_the_render_layout_only() {
        assert_eq!(
            host_dir("out/server1/etc/systemd/system/x.service.d/30-certs.conf"),
            Some(PathBuf::from("out/server1"))
        );
        assert_eq!(
            host_dir("/etc/systemd/system/x.service.d/30-certs.conf"),
            None
        );
        assert_eq!(host_dir("./etc/telegraf/telegraf.conf"), None);
        assert_eq!(host_dir("telegraf.conf"), None);
        assert_eq!(host_dir("etc/telegraf/telegraf.conf"), None);
        assert_eq!(host_dir("../etc/telegraf/telegraf.conf"), None);
        assert_eq!(host_dir("h1/etc"), Some(PathBuf::from("h1")));
        assert_eq!(
            host_dir("a\\b\\etc\\x\\etc\\y.conf"),
            Some(PathBuf::from("a/b/etc/x"))
        );
        assert_eq!(host_dir("kubernetes/h1/manifests/etcd.yaml"), None);
    }

    #[test]
    fn wrapper_paths_are_read_from_etcd_ssl_dir_on_the_host() {
        let dir = Mount::Wrapper(Some("/etc/ssl/etcd/".to_string()));
        assert_eq!(
            dir.host_path("/etc/ssl/certs/server1.pem").as_deref(),
            Some("/etc/ssl/etcd/server1.pem")
        );
        // Other paths are the same on the host (a path outside the mounts is ETCD017's).
        assert_eq!(
            dir.host_path("/etc/ssl/certsx/a.pem").as_deref(),
            Some("/etc/ssl/certsx/a.pem")
        );
        assert_eq!(Mount::Wrapper(None).host_path("/etc/ssl/certs/a.pem"), None);
        assert_eq!(
            Mount::Host.host_path("/etc/ssl/certs/a.pem").as_deref(),
            Some("/etc/ssl/certs/a.pem")
        );
    }

    #[test]
    fn dates_and_bit_lengths() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(bit_len(&[0x80, 0]), 16);
        assert_eq!(bit_len(&[0x01, 0]), 9);
    }
}
