//! `tlsgen certs`: the PKI the model needs. A CA (created, or an existing one named in `pki`), and
//! per etcd member, proxy, InfluxDB node and Telegraf agent the certificate its configuration points
//! at, laid out like `render`'s output: `OUT/<host>/<absolute path on the host>`, plus `OUT/ca/`
//! (CA key and certificate, admin client certificate) which never goes to a host.
//!
//! Idempotent: a certificate and key that still match the model (SANs, usages, key type, issuer)
//! and are not due for renewal are kept byte for byte. Nothing that tlsgen cannot prove it made (a
//! certificate not signed by the CA, a key without such a certificate) is overwritten without
//! `--force`. Keys are written 0600, certificates 0644, atomically. Key bytes never reach a message.

// Problems travel by value like everywhere else in tlsgen (render, model); boxing them here alone
// would only make this module differ.

pub mod inspect;
pub mod issue;
pub mod spec;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rcgen::{KeyPair, PublicKeyData};
use time::OffsetDateTime;

use crate::diag::{io_problem, Problem, Source};
use crate::model::{Cluster, KeyType, Sp};
use crate::render::output::write_atomic;
use inspect::{read_pem, CertInfo};
use spec::{Leaf, Place};

/// The operator's directory under OUT: CA key and certificate, admin client certificate.
pub const OPERATOR_DIR: &str = "ca";
pub const CA_CERT_FILE: &str = "ca.pem";
pub const CA_KEY_FILE: &str = "ca-key.pem";
pub const KEY_MODE: u32 = 0o600;
pub const CERT_MODE: u32 = 0o644;

/// How `tlsgen certs` runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    /// Overwrite files tlsgen did not make (and replace an unusable CA).
    pub force: bool,
    /// Re-issue what expires within this many seconds.
    pub renew_before: i64,
    /// Directory that relative `pki.ca_cert`/`pki.ca_key` paths are relative to.
    pub model_dir: PathBuf,
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Kept,
    Written,
}

/// One line of the report: a file (relative to OUT) and why it was written or kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub path: String,
    pub action: Action,
    pub reason: String,
}

/// The outcome of a run, sorted by path.
#[derive(Debug, Default)]
pub struct Report {
    pub entries: Vec<Entry>,
    pub warnings: Vec<Problem>,
}

impl Report {
    pub fn written(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.action == Action::Written)
            .count()
    }
}

/// Point a problem at a value of the model.
pub(crate) fn problem_at<T>(p: Problem, source: &Source, at: &Sp<T>) -> Problem {
    match at.loc {
        Some(loc) => {
            let offset = source.offset(loc.line, loc.column);
            let len = source.token_len(offset);
            p.at(source, offset, len)
        }
        None => p,
    }
}

/// A file to write.
struct Pending {
    rel: String,
    bytes: Vec<u8>,
    mode: u32,
    reason: String,
}

/// The CA in use.
struct Ca {
    info: CertInfo,
    pem: Vec<u8>,
    key: KeyPair,
}

struct Run<'a> {
    cluster: &'a Cluster,
    source: &'a Source,
    opts: &'a Options,
    now: OffsetDateTime,
    pending: Vec<Pending>,
    report: Report,
    problems: Vec<Problem>,
}

/// Parse a duration such as `30d`, `12h` or `2w` into seconds.
/// "expires in 3 days" for a time left in seconds (whole days, "within a day" under one).
fn expires_in(left: i64) -> String {
    match left / 86_400 {
        0 => "expires within a day".to_string(),
        days => format!("expires in {}", crate::diag::count(days, "day", "days")),
    }
}

pub fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration: write a number and a unit, e.g. 30d"))?;
    let secs = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "w" => 7 * 86_400,
        _ => {
            return Err(format!(
                "`{s}`: the unit must be d (days), h (hours) or w (weeks), e.g. 30d"
            ))
        }
    };
    n.checked_mul(secs)
        .filter(|v| *v <= 100 * 365 * 86_400)
        .ok_or_else(|| format!("`{s}` is longer than 100 years"))
}

/// Create or bring up to date every key and certificate the model needs under `opts.out`.
/// Either everything that must change is written, or (on any problem) nothing is.
pub fn run(cluster: &Cluster, source: &Source, opts: &Options) -> Result<Report, Vec<Problem>> {
    let mut run = Run {
        cluster,
        source,
        opts,
        now: OffsetDateTime::now_utc(),
        pending: Vec::new(),
        report: Report::default(),
        problems: Vec::new(),
    };
    run.check_model();
    if !run.problems.is_empty() {
        return Err(run.problems);
    }
    let plan = spec::plan(cluster, source)?;
    let Some(ca) = run.ca()? else {
        return Err(run.problems);
    };
    for copy in &plan.ca_copies {
        run.ca_copy(copy, &ca);
    }
    for leaf in &plan.leaves {
        if let Err(p) = run.leaf(leaf, &ca) {
            run.problems.push(p);
        }
    }
    if !run.problems.is_empty() {
        return Err(run.problems);
    }
    run.write()?;
    run.report.entries.sort();
    Ok(run.report)
}

impl Run<'_> {
    fn path(&self, rel: &str) -> PathBuf {
        self.opts.out.join(rel)
    }

    fn check_model(&mut self) {
        let pki = &self.cluster.pki;
        for (days, what) in [
            (&pki.validity_days, "pki.validity_days"),
            (&pki.ca_validity_days, "pki.ca_validity_days"),
        ] {
            if days.value == 0 || days.value > 36_500 {
                self.problems.push(problem_at(
                    Problem::error(
                        "certs::validity",
                        format!("{what} must be from 1 to 36500 days"),
                    )
                    .with_label("out of range")
                    .with_help("write a number of days, such as 365"),
                    self.source,
                    days,
                ));
            }
        }
        if i64::from(pki.validity_days.value) * 86_400 <= self.opts.renew_before {
            self.problems.push(problem_at(
                Problem::error(
                    "certs::renew-before",
                    format!(
                        "--renew-before is not shorter than pki.validity_days ({}): every run would re-issue every certificate",
                        crate::diag::count(pki.validity_days.value, "day", "days")
                    ),
                )
                .with_label("validity of new certificates")
                .with_help("pass a shorter --renew-before, or raise pki.validity_days"),
                self.source,
                &pki.validity_days,
            ));
        }
        match (&pki.ca_cert, &pki.ca_key) {
            (Some(cert), None) => self.problems.push(problem_at(
                Problem::error("certs::ca-files", "pki.ca_cert needs pki.ca_key")
                    .with_label("no key for this CA certificate")
                    .with_help("name the CA's unencrypted private key in pki.ca_key, or drop ca_cert to let tlsgen create a CA"),
                self.source,
                cert,
            )),
            (None, Some(key)) => self.problems.push(problem_at(
                Problem::error("certs::ca-files", "pki.ca_key needs pki.ca_cert")
                    .with_label("no certificate for this CA key")
                    .with_help("name the CA certificate in pki.ca_cert"),
                self.source,
                key,
            )),
            _ => {}
        }
        for p in [&pki.ca_cert, &pki.ca_key].into_iter().flatten() {
            if p.value.is_empty() || p.value.contains(['\n', '\r', '\0']) {
                self.problems.push(problem_at(
                    Problem::error("certs::ca-files", "not a usable path")
                        .with_label("empty or contains a line break")
                        .with_help(
                            "write the path of a PEM file, relative to the model file or absolute",
                        ),
                    self.source,
                    p,
                ));
            }
        }
    }

    fn read(&mut self, path: &Path) -> Option<Option<(Vec<u8>, u32)>> {
        match fs::symlink_metadata(path) {
            Ok(meta) if !meta.is_file() => {
                self.problems.push(
                    Problem::error("certs::not-a-file", format!("{} exists and is not a regular file", path.display()))
                        .with_help("tlsgen never writes through a symlink or over a directory; remove it first"),
                );
                None
            }
            Ok(meta) => match fs::read(path) {
                Ok(b) => Some(Some((b, mode_of(&meta)))),
                Err(e) => {
                    self.problems.push(io_problem("read", path, &e));
                    None
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(None),
            Err(e) => {
                self.problems.push(io_problem("read", path, &e));
                None
            }
        }
    }

    fn keep(&mut self, rel: &str, reason: &str) {
        self.report.entries.push(Entry {
            path: rel.to_string(),
            action: Action::Kept,
            reason: reason.to_string(),
        });
    }

    fn put(&mut self, rel: &str, bytes: Vec<u8>, mode: u32, reason: &str) {
        self.pending.push(Pending {
            rel: rel.to_string(),
            bytes,
            mode,
            reason: reason.to_string(),
        });
    }

    fn not_ours(&mut self, rel: &str, why: &str) {
        self.problems.push(
            Problem::error(
                "certs::not-ours",
                format!("{} exists and {why}", self.path(rel).display()),
            )
            .with_help("move it away, or pass --force to replace it"),
        );
    }

    /// The CA: the model's existing one, or `OUT/ca/` (created or renewed as needed).
    fn ca(&mut self) -> Result<Option<Ca>, Vec<Problem>> {
        let pki = &self.cluster.pki;
        if let (Some(cert), Some(key)) = (&pki.ca_cert, &pki.ca_key) {
            return self.external_ca(cert, key).map(Some).map_err(|p| vec![p]);
        }
        let cert_rel = format!("{OPERATOR_DIR}/{CA_CERT_FILE}");
        let key_rel = format!("{OPERATOR_DIR}/{CA_KEY_FILE}");
        let cert_path = self.path(&cert_rel);
        let key_path = self.path(&key_rel);
        let (Some(cert_file), Some(key_file)) = (self.read(&cert_path), self.read(&key_path))
        else {
            return Ok(None);
        };
        let days = pki.ca_validity_days.value;
        let fresh = |run: &mut Self, reason: &str| -> Result<Option<Ca>, Vec<Problem>> {
            let key = issue::generate(run.cluster.pki.key_type.value).map_err(|p| vec![p])?;
            let pem = issue::self_signed_ca(&key, days, run.now).map_err(|p| vec![p])?;
            run.put(&key_rel, key.serialize_pem().into_bytes(), KEY_MODE, reason);
            run.put(&cert_rel, pem.clone().into_bytes(), CERT_MODE, reason);
            Ok(Some(ca_from(pem.into_bytes(), key)))
        };
        match (cert_file, key_file) {
            (None, None) => fresh(self, "new CA"),
            (cert_file, key_file) => {
                let usable =
                    cert_file
                        .as_ref()
                        .zip(key_file.as_ref())
                        .and_then(|((c, _), (k, _))| {
                            let certs = read_pem(c);
                            let keys = read_pem(k);
                            let info = certs.certs.into_iter().next()?;
                            let key = keys.keys.into_iter().next()?;
                            (info.is_ca && info.spki == key.subject_public_key_info())
                                .then_some((info, key))
                        });
                let Some((info, key)) = usable else {
                    if self.opts.force {
                        return fresh(self, "new CA (--force replaced an unusable one)");
                    }
                    self.problems.push(
                        Problem::error(
                            "certs::ca-unusable",
                            format!("{} and {} are not a CA certificate and its key", cert_path.display(), key_path.display()),
                        )
                        .with_help("restore the CA files, or pass --force to create a new CA (every certificate is then re-issued)"),
                    );
                    return Ok(None);
                };
                let (cert_bytes, cert_mode) = cert_file.unwrap_or_default();
                let key_mode = key_file.map(|(_, m)| m).unwrap_or(KEY_MODE);
                if key_mode != KEY_MODE {
                    let bytes = key.serialize_pem().into_bytes();
                    let raw = fs::read(&key_path).unwrap_or(bytes);
                    self.put(&key_rel, raw, KEY_MODE, "mode set to 0600");
                } else {
                    self.keep(&key_rel, "CA key");
                }
                if info.not_after - self.now.unix_timestamp() <= self.opts.renew_before {
                    let pem = issue::renew_ca(&key, days, self.now).map_err(|p| vec![p])?;
                    self.put(
                        &cert_rel,
                        pem.clone().into_bytes(),
                        CERT_MODE,
                        "CA renewed with the same key",
                    );
                    return Ok(Some(ca_from(pem.into_bytes(), key)));
                }
                if cert_mode != CERT_MODE {
                    self.put(&cert_rel, cert_bytes.clone(), CERT_MODE, "mode set to 0644");
                } else {
                    self.keep(&cert_rel, "CA certificate");
                }
                Ok(Some(Ca {
                    info,
                    pem: cert_bytes,
                    key,
                }))
            }
        }
    }

    fn external_ca(&mut self, cert: &Sp<String>, key: &Sp<String>) -> Result<Ca, Problem> {
        let resolve = |p: &str| {
            let p = Path::new(p);
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                self.opts.model_dir.join(p)
            }
        };
        let cert_path = resolve(&cert.value);
        let key_path = resolve(&key.value);
        let at = |p: Problem, sp: &Sp<String>| problem_at(p, self.source, sp);
        let cert_bytes = fs::read(&cert_path).map_err(|e| {
            at(
                Problem::error(
                    "certs::ca-files",
                    format!(
                        "cannot read the CA certificate {}: {e}",
                        cert_path.display()
                    ),
                )
                .with_label("this file")
                .with_help("paths are relative to the model file"),
                cert,
            )
        })?;
        let key_bytes = fs::read(&key_path).map_err(|e| {
            at(
                Problem::error(
                    "certs::ca-files",
                    format!("cannot read the CA key {}: {e}", key_path.display()),
                )
                .with_label("this file")
                .with_help("paths are relative to the model file"),
                key,
            )
        })?;
        let info = read_pem(&cert_bytes)
            .certs
            .into_iter()
            .next()
            .ok_or_else(|| {
                at(
                    Problem::error(
                        "certs::ca-files",
                        format!("{} holds no readable certificate", cert_path.display()),
                    )
                    .with_label("not a PEM certificate")
                    .with_help("name a PEM file that starts with -----BEGIN CERTIFICATE-----"),
                    cert,
                )
            })?;
        if !info.is_ca {
            return Err(at(
                Problem::error(
                    "certs::ca-files",
                    format!("{} is not a CA certificate", cert_path.display()),
                )
                .with_label("basicConstraints CA is not true")
                .with_help("name the certificate of a CA (one that may sign other certificates)"),
                cert,
            ));
        }
        let key_pair = read_pem(&key_bytes).keys.into_iter().next().ok_or_else(|| {
            at(
                Problem::error("certs::ca-files", format!("{} holds no readable private key", key_path.display()))
                    .with_label("not an unencrypted PEM private key")
                    .with_help("name an unencrypted PKCS#8, SEC1 or PKCS#1 PEM key (decrypt it first with openssl pkey)"),
                key,
            )
        })?;
        if key_pair.subject_public_key_info() != info.spki {
            return Err(at(
                Problem::error(
                    "certs::ca-files",
                    "the CA key does not belong to the CA certificate",
                )
                .with_label("a different key")
                .with_help("name the private key that matches pki.ca_cert"),
                key,
            ));
        }
        let left = info.not_after - self.now.unix_timestamp();
        if left <= 0 {
            return Err(at(
                Problem::error(
                    "certs::ca-expired",
                    format!("the CA certificate {} has expired", cert_path.display()),
                )
                .with_label("expired CA")
                .with_help("renew the CA first; tlsgen does not renew a CA it did not create"),
                cert,
            ));
        }
        if left <= self.opts.renew_before {
            self.report.warnings.push(at(
                Problem::warning(
                    "certs::ca-expiring",
                    format!("the CA certificate {}", expires_in(left)),
                )
                .with_label("expires soon")
                .with_help("renew the CA; certificates issued now end when it ends"),
                cert,
            ));
        }
        Ok(Ca {
            info,
            pem: cert_bytes,
            key: key_pair,
        })
    }

    /// A copy of the CA certificate on a host.
    fn ca_copy(&mut self, rel: &str, ca: &Ca) {
        let Some(existing) = self.read(&self.path(rel)) else {
            return;
        };
        match existing {
            None => self.put(rel, ca.pem.clone(), CERT_MODE, "new"),
            Some((bytes, mode)) if bytes == ca.pem && mode == CERT_MODE => {
                self.keep(rel, "CA certificate")
            }
            Some((bytes, _)) => {
                let ours = read_pem(&bytes).certs.first().is_some_and(|c| {
                    c.subject_raw == ca.info.subject_raw && c.spki == ca.info.spki
                });
                if ours || self.opts.force {
                    let why = if bytes == ca.pem {
                        "mode set to 0644"
                    } else {
                        "CA certificate updated"
                    };
                    self.put(rel, ca.pem.clone(), CERT_MODE, why);
                } else {
                    self.not_ours(rel, "is not a certificate of this CA");
                }
            }
        }
    }

    /// Keep, copy or issue one leaf.
    fn leaf(&mut self, leaf: &Leaf, ca: &Ca) -> Result<(), Problem> {
        let kt = self.cluster.pki.key_type.value;
        // What each place holds now.
        let mut states = Vec::new();
        for place in &leaf.places {
            let files: Vec<String> = match place {
                Place::Pair { cert, key } => vec![cert.clone(), key.clone()],
                Place::Bundle { pem } => vec![pem.clone()],
            };
            let mut contents = Vec::new();
            for f in &files {
                match self.read(&self.path(f)) {
                    Some(c) => contents.push(c),
                    None => return Ok(()),
                }
            }
            states.push(contents);
        }
        // Is a place's pair ours, and does it still match?
        let mut reuse: Option<Vec<Vec<u8>>> = None;
        let mut reason = "new".to_string();
        for (place, contents) in leaf.places.iter().zip(&states) {
            if contents.iter().all(Option::is_none) {
                continue;
            }
            let (cert, key) = match place {
                Place::Pair { .. } => {
                    let cert = contents[0].as_ref().map(|(b, _)| read_pem(b));
                    let key = contents[1].as_ref().map(|(b, _)| read_pem(b));
                    (
                        cert.and_then(|c| c.certs.into_iter().next()),
                        key.and_then(|k| k.keys.into_iter().next()),
                    )
                }
                Place::Bundle { .. } => {
                    let pem = contents[0].as_ref().map(|(b, _)| read_pem(b));
                    match pem {
                        Some(p) => (p.certs.into_iter().next(), p.keys.into_iter().next()),
                        None => (None, None),
                    }
                }
            };
            let ours = cert.as_ref().is_some_and(|c| c.issued_by(&ca.info));
            let key_fits = match (&cert, &key) {
                (Some(c), Some(k)) => k.subject_public_key_info() == c.spki,
                _ => false,
            };
            let first_file = match place {
                Place::Pair { cert, .. } => cert,
                Place::Bundle { pem } => pem,
            };
            if !ours {
                if !self.opts.force {
                    let why = if cert.is_none() {
                        "holds no certificate of this CA (a key without its certificate, or unreadable)"
                    } else {
                        "was not issued by this CA"
                    };
                    self.not_ours(first_file, why);
                    continue;
                }
                reason = "replaced (--force)".to_string();
                continue;
            }
            let Some(c) = cert else { continue };
            if !key_fits {
                if !self.opts.force && key.is_some() {
                    self.not_ours(
                        first_file,
                        "has a key that does not belong to its certificate",
                    );
                    continue;
                }
                reason = "key missing or replaced".to_string();
                continue;
            }
            match self.mismatch(leaf, &c, key.as_ref(), kt) {
                Some(why) => reason = why,
                None => {
                    if reuse.is_none() {
                        reuse = Some(
                            contents
                                .iter()
                                .map(|c| c.as_ref().map(|(b, _)| b.clone()).unwrap_or_default())
                                .collect(),
                        );
                    }
                }
            }
        }
        let reused = reuse.is_some();
        let wanted: Vec<Vec<u8>> = match reuse {
            Some(bytes) => bytes,
            None => {
                let key = issue::generate(kt)?;
                let pem = issue::leaf(
                    leaf,
                    &key,
                    kt,
                    &ca.info,
                    &ca.key,
                    self.cluster.pki.validity_days.value,
                    self.now,
                )?;
                let key_pem = key.serialize_pem();
                match leaf.places.first() {
                    Some(Place::Bundle { .. }) => vec![format!("{pem}{key_pem}").into_bytes()],
                    _ => vec![pem.into_bytes(), key_pem.into_bytes()],
                }
            }
        };
        for (place, contents) in leaf.places.iter().zip(&states) {
            let files: Vec<(&String, u32)> = match place {
                Place::Pair { cert, key } => vec![(cert, CERT_MODE), (key, KEY_MODE)],
                Place::Bundle { pem } => vec![(pem, KEY_MODE)],
            };
            for (((rel, mode), now), want) in files.iter().zip(contents).zip(&wanted) {
                match now {
                    Some((bytes, m)) if bytes == want && m == mode => self.keep(rel, &leaf.what),
                    Some((bytes, _)) if bytes == want => {
                        self.put(rel, want.clone(), *mode, "mode corrected")
                    }
                    _ if reused => self.put(rel, want.clone(), *mode, "copied from another host"),
                    _ => self.put(rel, want.clone(), *mode, &reason),
                }
            }
        }
        Ok(())
    }

    /// Why an existing leaf no longer fits, or None when it does.
    fn mismatch(
        &self,
        leaf: &Leaf,
        cert: &CertInfo,
        key: Option<&KeyPair>,
        kt: KeyType,
    ) -> Option<String> {
        let key_type = key.and_then(inspect::key_type_of_key);
        if key_type != Some(kt) || cert.key_type != Some(kt) {
            return Some(format!("key type changed to {}", kt.as_str()));
        }
        if cert.sans != leaf.sans {
            let have: BTreeSet<String> = cert.sans.iter().map(|s| s.display()).collect();
            let want: BTreeSet<String> = leaf.sans.iter().map(|s| s.display()).collect();
            let added: Vec<&String> = want.difference(&have).collect();
            let removed: Vec<&String> = have.difference(&want).collect();
            return Some(format!(
                "SANs changed (added {added:?}, removed {removed:?})"
            ));
        }
        if cert.common_name.as_deref() != Some(leaf.common_name.as_str()) {
            return Some("subject changed".to_string());
        }
        if cert.server_auth != leaf.usage.server() || cert.client_auth != leaf.usage.client() {
            return Some("extended key usage changed".to_string());
        }
        let now = self.now.unix_timestamp();
        if cert.not_before > now + 300 {
            return Some("not valid yet".to_string());
        }
        let left = cert.not_after - now;
        if left <= 0 {
            return Some("expired".to_string());
        }
        if left <= self.opts.renew_before {
            return Some(expires_in(left));
        }
        None
    }

    /// Write everything pending, CA files first; the operator directory is 0700.
    fn write(&mut self) -> Result<(), Vec<Problem>> {
        let ops = self.path(OPERATOR_DIR);
        let pending = std::mem::take(&mut self.pending);
        if pending
            .iter()
            .any(|p| p.rel.starts_with(&format!("{OPERATOR_DIR}/")))
        {
            fs::create_dir_all(&ops).map_err(|e| vec![io_problem("create directory", &ops, &e)])?;
            set_dir_private(&ops).map_err(|e| vec![io_problem("set the mode of", &ops, &e)])?;
        }
        for p in &pending {
            let path = self.path(&p.rel);
            write_atomic(&path, &p.bytes, p.mode).map_err(|e| vec![e])?;
            self.report.entries.push(Entry {
                path: p.rel.clone(),
                action: Action::Written,
                reason: p.reason.clone(),
            });
        }
        if ops.is_dir() {
            set_dir_private(&ops).map_err(|e| vec![io_problem("set the mode of", &ops, &e)])?;
        }
        Ok(())
    }
}

fn ca_from(pem: Vec<u8>, key: KeyPair) -> Ca {
    let info = read_pem(&pem)
        .certs
        .into_iter()
        .next()
        .expect("rcgen writes a readable certificate");
    Ca { info, pem, key }
}

#[cfg(unix)]
fn mode_of(meta: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_meta: &fs::Metadata) -> u32 {
    0o644
}

#[cfg(unix)]
fn set_dir_private(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn set_dir_private(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}
