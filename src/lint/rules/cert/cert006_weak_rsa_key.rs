use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::CertView;

/// The smallest RSA modulus accepted.
const MIN_BITS: usize = 2048;

crate::declare_rule! {
    /// ## What it does
    /// Flags an RSA key under 2048 bits: in a named certificate or CA file, or in a key file
    /// whose certificate is not (already reported) the same key.
    ///
    /// ## Why is this bad?
    /// NIST SP 800-57 and SP 800-131A disallow RSA keys under 2048 bits (112-bit security)
    /// since 2013; the CA/Browser Forum requires 2048 bits; Go 1.24 refuses RSA keys under 1024
    /// bits outright. A 1024-bit key gives an attacker who records traffic a realistic target.
    ///
    /// ## Example
    /// A key made with `openssl genrsa 1024`.
    ///
    /// ## Use instead
    /// An ECDSA P-256 key (tlsgen's default) or RSA of 2048 bits or more.
    ///
    /// ## Fix safety
    /// No automatic fix: a new key and certificate are needed.
    ///
    /// ## References
    /// - NIST SP 800-131A Rev. 2 §2; NIST SP 800-57 Part 1 Table 2; CA/B Forum BR §6.1.5
    pub static RULE = Rule {
        code: "CERT006",
        name: "weak-rsa-key",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "an RSA key under 2048 bits",
        check: Check::Cert(check),
    };
}

fn check(v: &CertView, ctx: &mut Ctx) {
    for e in &v.endpoints {
        let cert_key = e
            .cert_facts()
            .and_then(|(_, f)| f.leaf())
            .and_then(|c| c.public.clone());
        for n in [&e.cert, &e.ca].into_iter().flatten() {
            let Some(f) = n.facts() else {
                continue;
            };
            if let Some(c) = f.certs.iter().find(|c| {
                c.public
                    .as_ref()
                    .and_then(|p| p.rsa_bits())
                    .is_some_and(|b| b < MIN_BITS)
            }) {
                let bits = c.public.as_ref().and_then(|p| p.rsa_bits()).unwrap_or(0);
                ctx.report(
                    n.span,
                    format!(
                        "certificate `{}` in {} has a {bits}-bit RSA key; {MIN_BITS} bits is the minimum",
                        c.name(),
                        n.path
                    ),
                    "issue a new certificate with an ECDSA P-256 key or an RSA key of 2048 bits or more",
                );
            }
        }
        let Some(k) = &e.key else {
            continue;
        };
        let Some(public) = k
            .facts()
            .and_then(|f| f.keys.first())
            .and_then(|k| k.public.as_ref())
        else {
            continue;
        };
        let Some(bits) = public.rsa_bits().filter(|b| *b < MIN_BITS) else {
            continue;
        };
        if cert_key.as_ref() == Some(public) {
            continue;
        }
        ctx.report(
            k.span,
            format!("private key {} is a {bits}-bit RSA key; {MIN_BITS} bits is the minimum", k.path),
            "generate a new key (ECDSA P-256, or RSA of 2048 bits or more) and issue its certificate",
        );
    }
}
