use crate::lint::fix::{Applicability, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Checks each entry of `cipher-suites` (flag, `ETCD_CIPHER_SUITES`, YAML key, pod argument):
    /// - an insecure suite (RC4, 3DES, `*_CBC_SHA256`, RSA key exchange `TLS_RSA_WITH_*`): error;
    /// - an ECDHE `*_CBC_SHA` suite: warning (no forward-secret AEAD, but the CIS list allows it);
    /// - a name etcd does not know (wrong case included): error, etcd stops with `unexpected TLS
    ///   cipher suite "..."`;
    /// - any list while `tls-min-version=TLS1.3`: error, etcd stops with `cipher suites cannot be
    ///   configured when only TLS1.3 is enabled`.
    ///
    /// ## Why is this bad?
    /// etcd matches names against Go's secure **and** insecure suites, so it accepts RC4 or 3DES
    /// without a word (measured on etcd 3.4.23: `TLS_RSA_WITH_RC4_128_SHA` starts, a lower-case
    /// name does not). The setting exists to "block weak cipher suites".
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_CIPHER_SUITES=TLS_RSA_WITH_3DES_EDE_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_CIPHER_SUITES=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
    /// ```
    ///
    /// ## Fix safety
    /// Safe only for removing the whole list under `tls-min-version=TLS1.3` (TLS 1.3 suites are
    /// not configurable). Dropping a suite can lock out clients that only speak it.
    ///
    /// ## References
    /// - FACTS F-E8 (E35-CS: etcd-io/etcd `client/pkg/tlsutil/cipher_suites.go`, names from Go
    ///   `tls.CipherSuites()` and `tls.InsecureCipherSuites()`, checked), F-E7 (E35-EMBED
    ///   `Validate`, checked), F-X1 (GO-TLS), F-X2 (KB CIS strong-cipher list)
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD016",
        name: "weak-cipher-suites",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "cipher-suites with an insecure or unknown suite, or set under TLS1.3-only",
        check: Check::Etcd(check),
    };
}

/// Suites Go lists as secure and that keep forward secrecy with an AEAD (plus TLS 1.3 names and
/// etcd's two ChaCha20 aliases).
const STRONG: &[&str] = &[
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

/// ECDHE with CBC and SHA-1 MAC: accepted by the CIS list (F-X2), so a warning.
const CBC_SHA: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
];

/// Go's insecure suites (RC4, 3DES, CBC-SHA256) and the RSA key exchange suites newer Go
/// releases also list as insecure (F-X1).
const INSECURE: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_RC4_128_SHA",
];

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let Some(s) = c.get("cipher-suites") else {
        return;
    };
    if s.placeholder || !s.is_set() {
        return;
    }
    if c.get("tls-min-version")
        .is_some_and(|m| m.value == "TLS1.3")
    {
        let fix =
            super::remove_setting(ctx, s).map(|e| Fix::safe("remove `cipher-suites`", vec![e]));
        ctx.report_with_fix(
            s.span(),
            "`cipher-suites` is set while `tls-min-version` is TLS1.3, so etcd will not start",
            "remove `cipher-suites`: TLS 1.3 suites are not configurable",
            fix,
        );
        return;
    }
    let sources = ctx.sources;
    for (name, span, placeholder) in s.items(sources.get(s.value_span.file)) {
        if placeholder || STRONG.contains(&name.as_str()) {
            continue;
        }
        if CBC_SHA.contains(&name.as_str()) {
            ctx.report_as(
                Severity::Warning,
                span,
                format!("`{name}` uses CBC with SHA-1, not an AEAD cipher"),
                "prefer the matching `_GCM_SHA256`/`_GCM_SHA384` or `_CHACHA20_POLY1305_SHA256` suite",
            );
        } else if INSECURE.contains(&name.as_str()) {
            ctx.report(
                span,
                format!("`{name}` is an insecure cipher suite that etcd accepts without warning"),
                "remove it; keep ECDHE suites with AES-GCM or ChaCha20-Poly1305",
            );
        } else {
            let upper = name.to_ascii_uppercase();
            let help = if upper != name
                && (STRONG.contains(&upper.as_str())
                    || CBC_SHA.contains(&upper.as_str())
                    || INSECURE.contains(&upper.as_str()))
            {
                format!("write `{upper}`: etcd matches names exactly")
            } else {
                "use a Go cipher suite name such as `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`"
                    .to_string()
            };
            ctx.report(
                span,
                format!("`{name}` is not a cipher suite etcd knows, so etcd will not start"),
                help,
            );
        }
    }
}
