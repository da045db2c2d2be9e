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
//! - etcd run by the CoreOS/Flatcar `etcd-wrapper` ([`mount::runs_in_wrapper`]) reads its files inside a
//!   container that sees the host's `ETCD_SSL_DIR` (default `/etc/ssl/certs`) at `/etc/ssl/certs`
//!   (F-E22, F-E23): a path under `/etc/ssl/certs/` is the same file under `ETCD_SSL_DIR` on the
//!   host, and that host path is looked for as above. etcdctl runs on the host: its paths are host
//!   paths.
//!
//! Relative paths and placeholders are never looked up (the working directory of the service is
//! unknown). A path that is not found is silent unless `--check-files` (CERT010). Only the PEM
//! structure is read: private key bytes never reach a message; an encrypted key is recognised
//! by its `Proc-Type: 4,ENCRYPTED` header or `ENCRYPTED PRIVATE KEY` label alone.
//!
//! Modules: `files` (what a file on disk holds), `mount` (where a named path is on the host);
//! this module builds the view. The engine runs the `CERT` rules over it (`lint::check`).

pub mod files;
pub mod mount;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::lint::source::{SourceStore, Span};
use crate::lint::view::etcd::EtcdConfig;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};
use crate::lint::view::telegraf::TelegrafConfig;
use crate::lint::view::Setting;
use files::FileFacts;
use mount::{etcd_mount, host_dir, Mount};

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

/// Finds the files a view names (through the run's cache of [`CertOptions`]).
pub struct Resolver<'a> {
    opts: &'a CertOptions,
    sources: &'a SourceStore,
}

impl<'a> Resolver<'a> {
    pub fn new(opts: &'a CertOptions, sources: &'a SourceStore) -> Self {
        Resolver { opts, sources }
    }

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

pub fn etcd_endpoints(c: &EtcdConfig, sources: &SourceStore, r: &mut Resolver) -> Vec<Endpoint> {
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

pub fn influx_endpoints(c: &InfluxConfig, r: &mut Resolver) -> Vec<Endpoint> {
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

pub fn telegraf_endpoints(c: &TelegrafConfig, r: &mut Resolver) -> Vec<Endpoint> {
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
