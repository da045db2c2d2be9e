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

/// Just enough DER to find the public half of a private key (PKCS#1, SEC1, PKCS#8).
mod der {
    use super::{trim_zeros, PublicKeyId};

    const SEQUENCE: u8 = 0x30;
    const INTEGER: u8 = 0x02;
    const OCTET_STRING: u8 = 0x04;
    const BIT_STRING: u8 = 0x03;
    const OID: u8 = 0x06;
    const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

    /// One TLV: (tag, content, rest).
    fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, rest) = input.split_first()?;
        let (&len0, rest) = rest.split_first()?;
        let (len, rest) = if len0 < 0x80 {
            (len0 as usize, rest)
        } else {
            let n = (len0 & 0x7f) as usize;
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n].iter().fold(0usize, |a, &b| (a << 8) | b as usize);
            (len, &rest[n..])
        };
        if rest.len() < len {
            return None;
        }
        Some((tag, &rest[..len], &rest[len..]))
    }

    fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
        let (t, content, rest) = tlv(input)?;
        (t == tag).then_some((content, rest))
    }

    /// RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, … }
    pub fn pkcs1_public(der: &[u8]) -> Option<PublicKeyId> {
        let (seq, _) = expect(der, SEQUENCE)?;
        let (_, rest) = expect(seq, INTEGER)?;
        let (modulus, _) = expect(rest, INTEGER)?;
        Some(PublicKeyId::Rsa(trim_zeros(modulus)))
    }

    /// ECPrivateKey ::= SEQUENCE { version, privateKey, [0] parameters OPT, [1] publicKey OPT }
    pub fn sec1_public(der: &[u8]) -> Option<PublicKeyId> {
        let (seq, _) = expect(der, SEQUENCE)?;
        let (_, rest) = expect(seq, INTEGER)?;
        let (_, mut rest) = expect(rest, OCTET_STRING)?;
        while let Some((tag, content, next)) = tlv(rest) {
            if tag == 0xa1 {
                let (bits, _) = expect(content, BIT_STRING)?;
                return Some(PublicKeyId::Raw(bits.get(1..)?.to_vec()));
            }
            rest = next;
        }
        None
    }

    /// PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, privateKey OCTET STRING, … }
    pub fn pkcs8_public(der: &[u8]) -> Option<PublicKeyId> {
        let (seq, _) = expect(der, SEQUENCE)?;
        let (_, rest) = expect(seq, INTEGER)?;
        let (alg, rest) = expect(rest, SEQUENCE)?;
        let (oid, _) = expect(alg, OID)?;
        let (inner, _) = expect(rest, OCTET_STRING)?;
        if oid == OID_RSA {
            pkcs1_public(inner)
        } else if oid == OID_EC {
            sec1_public(inner)
        } else if oid == OID_ED25519 {
            use ring::signature::KeyPair as _;
            let (seed, _) = expect(inner, OCTET_STRING)?;
            let pair = ring::signature::Ed25519KeyPair::from_seed_unchecked(seed).ok()?;
            Some(PublicKeyId::Raw(pair.public_key().as_ref().to_vec()))
        } else {
            None
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn reads_long_form_lengths_and_rejects_truncated_input() {
            let mut long = vec![0x04, 0x81, 0x80];
            long.extend([7u8; 0x80]);
            let (tag, content, rest) = tlv(&long).unwrap();
            assert_eq!((tag, content.len(), rest.len()), (0x04, 0x80, 0));
            assert!(tlv(&[0x04, 0x05, 1, 2]).is_none());
            assert!(pkcs8_public(&[0x30, 0x03, 0x02, 0x01]).is_none());
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
