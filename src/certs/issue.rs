//! Making keys and certificates with rcgen (ring backend; RSA keys from the `rsa` crate). No ASN.1
//! by hand.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber, SignatureAlgorithm,
};
use time::{Duration, OffsetDateTime};

use super::inspect::{CertInfo, San};
use super::spec::Leaf;
use crate::diag::Problem;
use crate::model::KeyType;

/// Subject common name of a CA that tlsgen creates.
pub const CA_COMMON_NAME: &str = "tlsgen CA";

/// Certificates start five minutes in the past, so a host whose clock lags a little accepts them.
const BACKDATE: Duration = Duration::minutes(5);

fn algorithm(kt: KeyType) -> &'static SignatureAlgorithm {
    match kt {
        KeyType::EcdsaP256 => &rcgen::PKCS_ECDSA_P256_SHA256,
        KeyType::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096 => &rcgen::PKCS_RSA_SHA256,
        KeyType::Ed25519 => &rcgen::PKCS_ED25519,
    }
}

fn crypto_problem(action: &str, err: rcgen::Error) -> Problem {
    // rcgen errors name what failed, never key bytes.
    Problem::error("certs::crypto", format!("cannot {action}: {err}"))
        .with_help("this is a bug or an unsupported key; report it with the model (never the keys)")
}

/// A fresh private key of the given type.
pub fn generate(kt: KeyType) -> Result<KeyPair, Problem> {
    let alg = algorithm(kt);
    let key = match kt {
        KeyType::Rsa2048 => rsa_key(alg, 2048),
        KeyType::Rsa3072 => rsa_key(alg, 3072),
        KeyType::Rsa4096 => rsa_key(alg, 4096),
        _ => KeyPair::generate_for(alg),
    };
    key.map_err(|e| crypto_problem(&format!("generate a {} key", kt.as_str()), e))
}

/// An RSA key made by the `rsa` crate (ring signs with RSA keys but cannot make them), handed to
/// rcgen as PKCS#8.
fn rsa_key(alg: &'static rcgen::SignatureAlgorithm, bits: usize) -> Result<KeyPair, rcgen::Error> {
    use rsa::pkcs8::EncodePrivateKey;
    let key = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, bits)
        .map_err(|_| rcgen::Error::KeyGenerationUnavailable)?;
    let pem = key
        .to_pkcs8_pem(rsa::pkcs8::LineEnding::LF)
        .map_err(|_| rcgen::Error::KeyGenerationUnavailable)?;
    KeyPair::from_pkcs8_pem_and_sign_algo(&pem, alg)
}

/// A random positive 128-bit serial number (RFC 5280: unique per issuer, at most 20 octets).
fn serial() -> Result<SerialNumber, Problem> {
    let mut bytes = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).map_err(|_| {
        Problem::error("certs::crypto", "the system random number generator failed")
            .with_help("retry; check that /dev/urandom is readable")
    })?;
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    Ok(SerialNumber::from_slice(&bytes))
}

fn validity(
    params: &mut CertificateParams,
    now: OffsetDateTime,
    days: u32,
    cap: Option<OffsetDateTime>,
) {
    params.not_before = now - BACKDATE;
    let mut end = now + Duration::days(i64::from(days));
    if let Some(cap) = cap {
        end = end.min(cap);
    }
    params.not_after = end;
}

/// A self-signed CA certificate (PEM) for `key`, path length 0: it signs leaves only.
pub fn self_signed_ca(key: &KeyPair, days: u32, now: OffsetDateTime) -> Result<String, Problem> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, CA_COMMON_NAME);
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.serial_number = Some(serial()?);
    validity(&mut params, now, days, None);
    let cert = params
        .self_signed(key)
        .map_err(|e| crypto_problem("sign the CA certificate", e))?;
    Ok(cert.pem())
}

/// A new certificate for an existing CA key: tlsgen's CAs all have the subject `CN=tlsgen CA`, so
/// the renewed certificate has the same subject and key identifier and the leaves it signed still
/// chain to it; only validity and serial are new.
pub fn renew_ca(key: &KeyPair, days: u32, now: OffsetDateTime) -> Result<String, Problem> {
    self_signed_ca(key, days, now)
}

/// A leaf certificate (PEM) for `key`, signed by the CA.
pub fn leaf(
    leaf: &Leaf,
    key: &KeyPair,
    kt: KeyType,
    ca_cert: &CertInfo,
    ca_key: &KeyPair,
    days: u32,
    now: OffsetDateTime,
) -> Result<String, Problem> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, leaf.common_name.as_str());
    params.distinguished_name = dn;
    let mut sans = Vec::new();
    for s in &leaf.sans {
        sans.push(match s {
            San::Ip(ip) => SanType::IpAddress(*ip),
            San::Dns(d) => SanType::DnsName(
                d.clone()
                    .try_into()
                    .map_err(|e| crypto_problem(&format!("use `{d}` as a DNS name"), e))?,
            ),
        });
    }
    params.subject_alt_names = sans;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    if matches!(kt, KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096) {
        // TLS 1.2 RSA key exchange encrypts with the server key.
        params.key_usages.push(KeyUsagePurpose::KeyEncipherment);
    }
    if leaf.usage.server() {
        params
            .extended_key_usages
            .push(ExtendedKeyUsagePurpose::ServerAuth);
    }
    if leaf.usage.client() {
        params
            .extended_key_usages
            .push(ExtendedKeyUsagePurpose::ClientAuth);
    }
    params.use_authority_key_identifier_extension = true;
    params.serial_number = Some(serial()?);
    let cap = OffsetDateTime::from_unix_timestamp(ca_cert.not_after).ok();
    validity(&mut params, now, days, cap);
    let issuer = Issuer::from_ca_cert_der(&ca_cert.der.clone().into(), ca_key)
        .map_err(|e| crypto_problem("read the CA certificate", e))?;
    let cert = params
        .signed_by(key, &issuer)
        .map_err(|e| crypto_problem(&format!("sign the certificate of the {}", leaf.what), e))?;
    Ok(cert.pem())
}
