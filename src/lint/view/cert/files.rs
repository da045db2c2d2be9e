//! What a certificate, key or CA file on disk holds, for the certificate view: the certificates
//! of its PEM blocks (with what the CERT rules read beyond [`CertInfo`]), the public half of its
//! private keys (never their bytes), whether a key is encrypted, and its mode. Read once per run
//! and path (the cache of [`super::CertOptions`]).

use std::net::IpAddr;
use std::path::Path;

use x509_parser::oid_registry::OID_PKCS1_RSAENCRYPTION;
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, SubjectPublicKeyInfo, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::certs::inspect::{CertInfo, San};

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
    pub fn read(path: &Path) -> Option<FileFacts> {
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

/// Whether `child` names `issuer` as its issuer and its signature verifies with `issuer`'s public
/// key. x509-parser's `verify_signature` (on ring) accepts RSA keys of 2048 to 8192 bits only;
/// openssl and Go verify a chain under a smaller RSA key (an RSA-1024 CA), so an RSA signature
/// ring refuses is checked again with RustCrypto's `rsa` (PKCS#1 v1.5, any key size up to
/// 16384 bits): a weak CA key is CERT006's finding, not a broken chain.
pub fn signed_by(child: &CertInfo, issuer: &CertInfo) -> bool {
    child.issued_by(issuer)
        || (child.issuer_raw == issuer.subject_raw
            && rsa_pkcs1v15_verifies(child, issuer) == Some(true))
}

/// The DigestInfo prefix of each PKCS#1 v1.5 signature algorithm (RFC 8017 §9.2, note 1), with the
/// digest ring computes for it.
fn pkcs1v15_digest(
    oid: &x509_parser::der_parser::oid::Oid,
) -> Option<(&'static ring::digest::Algorithm, &'static [u8])> {
    use x509_parser::oid_registry::{
        OID_PKCS1_SHA1WITHRSA, OID_PKCS1_SHA256WITHRSA, OID_PKCS1_SHA384WITHRSA,
        OID_PKCS1_SHA512WITHRSA,
    };
    const SHA1: &[u8] = &[
        0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
    ];
    const SHA256: &[u8] = &[
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    const SHA384: &[u8] = &[
        0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
        0x05, 0x00, 0x04, 0x30,
    ];
    const SHA512: &[u8] = &[
        0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
        0x05, 0x00, 0x04, 0x40,
    ];
    if *oid == OID_PKCS1_SHA256WITHRSA {
        Some((&ring::digest::SHA256, SHA256))
    } else if *oid == OID_PKCS1_SHA384WITHRSA {
        Some((&ring::digest::SHA384, SHA384))
    } else if *oid == OID_PKCS1_SHA512WITHRSA {
        Some((&ring::digest::SHA512, SHA512))
    } else if *oid == OID_PKCS1_SHA1WITHRSA {
        Some((&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, SHA1))
    } else {
        None
    }
}

/// `Some(verified)` for a PKCS#1 v1.5 RSA signature under an RSA issuer key; `None` when either is
/// of another kind (left to x509-parser).
fn rsa_pkcs1v15_verifies(child: &CertInfo, issuer: &CertInfo) -> Option<bool> {
    let (_, cert) = X509Certificate::from_der(&child.der).ok()?;
    let (_, spki) = SubjectPublicKeyInfo::from_der(&issuer.spki).ok()?;
    let PublicKey::RSA(key) = spki.parsed().ok()? else {
        return None;
    };
    let (digest, prefix) = pkcs1v15_digest(&cert.signature_algorithm.algorithm)?;
    let hashed = ring::digest::digest(digest, cert.tbs_certificate.as_ref());
    let public = rsa::RsaPublicKey::new_with_max_size(
        rsa::BigUint::from_bytes_be(key.modulus),
        rsa::BigUint::from_bytes_be(key.exponent),
        16384,
    )
    .ok()?;
    let scheme = rsa::Pkcs1v15Sign {
        hash_len: Some(hashed.as_ref().len()),
        prefix: prefix.into(),
    };
    Some(
        public
            .verify(scheme, hashed.as_ref(), &cert.signature_value.data)
            .is_ok(),
    )
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
    fn dates_and_bit_lengths() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(bit_len(&[0x80, 0]), 16);
        assert_eq!(bit_len(&[0x01, 0]), 9);
    }
}
