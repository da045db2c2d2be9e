//! Reading certificates and keys back (x509-parser, rcgen): what `tlsgen certs` needs to decide
//! whether an existing file still matches the model, and a text description of a PKI tree for
//! snapshots and for humans. Never prints or returns private key material.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::Path;

use rcgen::{KeyPair, PublicKeyData};
use x509_parser::oid_registry::{
    OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_NIST_EC_P384, OID_PKCS1_RSAENCRYPTION,
    OID_SIG_ED25519,
};
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, GeneralName, SubjectPublicKeyInfo, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::model::KeyType;

/// A subject alternative name, ordered IPs first then DNS names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum San {
    Ip(IpAddr),
    Dns(String),
}

impl San {
    /// `IP:10.0.0.11` / `DNS:localhost`, the way `openssl x509 -text` writes them.
    pub fn display(&self) -> String {
        match self {
            San::Ip(ip) => format!("IP:{ip}"),
            San::Dns(d) => format!("DNS:{d}"),
        }
    }
}

/// The facts of one certificate that `tlsgen certs` compares with the model.
#[derive(Debug, Clone)]
pub struct CertInfo {
    pub der: Vec<u8>,
    pub subject: String,
    pub subject_raw: Vec<u8>,
    pub issuer: String,
    pub issuer_raw: Vec<u8>,
    pub common_name: Option<String>,
    pub sans: BTreeSet<San>,
    pub server_auth: bool,
    pub client_auth: bool,
    pub is_ca: bool,
    /// Unix seconds.
    pub not_before: i64,
    /// Unix seconds.
    pub not_after: i64,
    /// SubjectPublicKeyInfo, DER.
    pub spki: Vec<u8>,
    pub key_type: Option<KeyType>,
}

impl CertInfo {
    pub fn parse_der(der: &[u8]) -> Option<CertInfo> {
        let (_, cert) = X509Certificate::from_der(der).ok()?;
        let mut sans = BTreeSet::new();
        if let Ok(Some(ext)) = cert.subject_alternative_name() {
            for name in &ext.value.general_names {
                match name {
                    GeneralName::DNSName(d) => {
                        sans.insert(San::Dns(d.to_string()));
                    }
                    GeneralName::IPAddress(bytes) => {
                        if let Some(ip) = ip_from_bytes(bytes) {
                            sans.insert(San::Ip(ip));
                        }
                    }
                    _ => {}
                }
            }
        }
        let (server_auth, client_auth) = match cert.extended_key_usage() {
            Ok(Some(eku)) => (eku.value.server_auth, eku.value.client_auth),
            _ => (false, false),
        };
        let is_ca = matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca);
        let common_name = cert
            .subject()
            .iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .map(str::to_string);
        Some(CertInfo {
            der: der.to_vec(),
            subject: cert.subject().to_string(),
            subject_raw: cert.subject().as_raw().to_vec(),
            issuer: cert.issuer().to_string(),
            issuer_raw: cert.issuer().as_raw().to_vec(),
            common_name,
            sans,
            server_auth,
            client_auth,
            is_ca,
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            spki: cert.public_key().raw.to_vec(),
            key_type: key_type_of_spki(cert.public_key()),
        })
    }

    /// Whether `issuer` signed this certificate: same issuer name and a valid signature.
    pub fn issued_by(&self, issuer: &CertInfo) -> bool {
        if self.issuer_raw != issuer.subject_raw {
            return false;
        }
        let Ok((_, cert)) = X509Certificate::from_der(&self.der) else {
            return false;
        };
        let Ok((_, spki)) = SubjectPublicKeyInfo::from_der(&issuer.spki) else {
            return false;
        };
        cert.verify_signature(Some(&spki)).is_ok()
    }

    /// The days between not-before and not-after, rounded down.
    pub fn validity_days(&self) -> i64 {
        (self.not_after - self.not_before) / 86_400
    }
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(bytes).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(bytes).ok()?)),
        _ => None,
    }
}

/// The key type of a public key, if it is one tlsgen generates.
pub fn key_type_of_spki(spki: &SubjectPublicKeyInfo<'_>) -> Option<KeyType> {
    let alg = &spki.algorithm.algorithm;
    if *alg == OID_SIG_ED25519 {
        return Some(KeyType::Ed25519);
    }
    if *alg == OID_KEY_TYPE_EC_PUBLIC_KEY {
        let curve = spki.algorithm.parameters.as_ref()?.as_oid().ok()?;
        if curve == OID_EC_P256 {
            return Some(KeyType::EcdsaP256);
        }
        if curve == OID_NIST_EC_P384 {
            return Some(KeyType::EcdsaP384);
        }
        return None;
    }
    if *alg == OID_PKCS1_RSAENCRYPTION {
        return match spki.parsed().ok()? {
            PublicKey::RSA(rsa) => match rsa.key_size() {
                2048 => Some(KeyType::Rsa2048),
                3072 => Some(KeyType::Rsa3072),
                4096 => Some(KeyType::Rsa4096),
                _ => None,
            },
            _ => None,
        };
    }
    None
}

/// The key type of a key pair, from its public half.
pub fn key_type_of_key(key: &KeyPair) -> Option<KeyType> {
    let der = key.subject_public_key_info();
    let (_, spki) = SubjectPublicKeyInfo::from_der(&der).ok()?;
    key_type_of_spki(&spki)
}

/// What a PEM file holds: its certificates (in order) and its private keys. A block that does not
/// parse is counted, never shown.
#[derive(Default)]
pub struct PemContents {
    pub certs: Vec<CertInfo>,
    pub keys: Vec<KeyPair>,
    pub unreadable: usize,
}

pub fn read_pem(bytes: &[u8]) -> PemContents {
    let mut out = PemContents::default();
    for block in Pem::iter_from_buffer(bytes) {
        let Ok(block) = block else {
            out.unreadable += 1;
            break;
        };
        if block.label == "CERTIFICATE" {
            match CertInfo::parse_der(&block.contents) {
                Some(c) => out.certs.push(c),
                None => out.unreadable += 1,
            }
        } else if block.label.ends_with("PRIVATE KEY") {
            match KeyPair::try_from(block.contents.as_slice()) {
                Ok(k) => out.keys.push(k),
                Err(_) => out.unreadable += 1,
            }
        } else {
            out.unreadable += 1;
        }
    }
    out
}

/// A stable text description of every file under `dir` (sorted): path, mode, and for PEM files the
/// subject, issuer, SANs, extended key usages, key type and validity length of each certificate, and
/// the type of each private key (never its bytes). Dates are left out so the text is reproducible.
pub fn describe_tree(dir: &Path) -> String {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    let mut out = String::new();
    for rel in files {
        let path = dir.join(&rel);
        let mode = mode_of(&path);
        let _ = writeln!(out, "{rel} ({mode:04o})");
        let bytes = std::fs::read(&path).unwrap_or_default();
        out.push_str(&describe_pem(&bytes));
    }
    out
}

/// The description of one PEM file's blocks, indented by two spaces.
pub fn describe_pem(bytes: &[u8]) -> String {
    let pem = read_pem(bytes);
    let mut out = String::new();
    for c in &pem.certs {
        let _ = writeln!(out, "  certificate: {}", c.subject);
        let _ = writeln!(out, "    issuer: {}", c.issuer);
        let _ = writeln!(
            out,
            "    key: {}",
            c.key_type.map(KeyType::as_str).unwrap_or("unknown")
        );
        let _ = writeln!(out, "    ca: {}", c.is_ca);
        if !c.sans.is_empty() {
            let sans: Vec<String> = c.sans.iter().map(San::display).collect();
            let _ = writeln!(out, "    sans: {}", sans.join(", "));
        }
        let mut eku = Vec::new();
        if c.server_auth {
            eku.push("serverAuth");
        }
        if c.client_auth {
            eku.push("clientAuth");
        }
        if !eku.is_empty() {
            let _ = writeln!(out, "    extended key usage: {}", eku.join(", "));
        }
        let _ = writeln!(
            out,
            "    valid for: {}",
            crate::diag::count(c.validity_days(), "day", "days")
        );
    }
    for k in &pem.keys {
        let _ = writeln!(
            out,
            "  private key: {}",
            key_type_of_key(k).map(KeyType::as_str).unwrap_or("unknown")
        );
    }
    if pem.unreadable > 0 {
        let _ = writeln!(out, "  unreadable blocks: {}", pem.unreadable);
    }
    out
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, files);
        } else if let Ok(rel) = p.strip_prefix(root) {
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o7777)
        .unwrap_or(0)
}

#[cfg(not(unix))]
fn mode_of(_path: &Path) -> u32 {
    0
}
