use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::InfluxConfig;

/// Every cipher name influxd 1.x accepts in `[tls] ciphers` (IFX-TLSCODE `ciphersMap`).
const KNOWN: &[&str] = &[
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_FALLBACK_SCSV",
];

crate::declare_rule! {
    /// ## What it does
    /// Checks each entry of `[tls] ciphers` in `influxdb.conf` and `influxdb-meta.conf`:
    /// - unknown to influxd: error (it refuses to start with `unknown cipher suite`);
    /// - `TLS_FALLBACK_SCSV` (a signalling value, not a cipher), RC4, 3DES, `*_CBC_SHA256` and
    ///   RSA key exchange (`TLS_RSA_WITH_*`): error;
    /// - ECDHE `*_CBC_SHA`: warning (still allowed by the CIS apiserver list);
    /// - a `ciphers` list with `min-version = "tls1.3"`: warning, Go ignores configured suites
    ///   for TLS 1.3.
    ///
    /// ## Why is this bad?
    /// Go's `tls.InsecureCipherSuites()` lists RC4, 3DES and CBC-SHA256 suites ("RC4 suites are
    /// broken … CBC-SHA256 suites have no Lucky13 countermeasures"); RSA key exchange has no
    /// forward secrecy (F-X1). InfluxData recommends ECDHE with AES-GCM or ChaCha20 (F-I7).
    ///
    /// ## Example
    /// ```toml
    /// [tls]
    ///   ciphers = ["TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [tls]
    ///   ciphers = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305"]
    ///   min-version = "tls1.2"
    /// ```
    ///
    /// ## Fix safety
    /// Dropping the list under a TLS-1.3-only `min-version` is safe (it has no effect); removing
    /// weak suites may cut off old clients.
    ///
    /// ## References
    /// - FACTS F-I6 (IFX-TLSCODE influxdata/influxdb `pkg/tlsconfig/tls_config.go` `ciphersMap`,
    ///   `unknownCipher`; verified in code), F-I7 (IFX-DATA, IFX-META, IFX-OSS recommended ciphers)
    /// - FACTS F-X1 (GO-TLS `InsecureCipherSuites`), F-X2 (KB: ECDHE CBC_SHA kept as warning)
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "INFLUX010",
        name: "influxdb-weak-tls-ciphers",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "[tls] ciphers holds an unknown or insecure suite, TLS_FALLBACK_SCSV, or is set with tls1.3 only",
        check: Check::Influxdb(check),
    };
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    let Some(list) = c.list("tls", "ciphers") else {
        return;
    };
    for s in list {
        if s.placeholder {
            continue;
        }
        let name = s.value.trim().to_ascii_uppercase();
        if !KNOWN.contains(&name.as_str()) {
            ctx.report(
                s.span(),
                format!(
                    "`{}` is not a cipher suite influxd knows, so it refuses to start",
                    s.value
                ),
                "use a suite such as `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`",
            );
        } else if name == "TLS_FALLBACK_SCSV" {
            ctx.report(
                s.span(),
                "`TLS_FALLBACK_SCSV` is a downgrade signal, not a cipher suite",
                "remove it from `ciphers`",
            );
        } else if name.contains("_RC4_")
            || name.contains("_3DES_")
            || name.ends_with("_CBC_SHA256")
            || name.starts_with("TLS_RSA_")
        {
            ctx.report(
                s.span(),
                format!("`{}` is an insecure cipher suite", s.value),
                "keep only ECDHE suites with AES-GCM or CHACHA20-POLY1305",
            );
        } else if name.ends_with("_CBC_SHA") {
            ctx.report_as(
                Severity::Warning,
                s.span(),
                format!("`{}` is a CBC suite without AEAD", s.value),
                "prefer ECDHE suites with AES-GCM or CHACHA20-POLY1305",
            );
        }
    }
    if list.is_empty() {
        return;
    }
    if let Some(min) = c.get("tls", "min-version") {
        let v = min.value.trim().to_ascii_uppercase();
        if !min.placeholder && (v == "TLS1.3" || v == "1.3") {
            let key = c
                .section("tls")
                .and_then(|t| t.lists.get("ciphers"))
                .and_then(|l| l.first())
                .map(|s| s.key)
                .unwrap_or(min.key);
            ctx.report_as_with_fix(
                Severity::Warning,
                key,
                "`ciphers` has no effect with `min-version = \"tls1.3\"`: Go picks TLS 1.3 suites itself",
                "remove `ciphers`, or lower `min-version` to `tls1.2`",
                Some(Fix::safe("remove `[tls] ciphers`, which tls1.3 ignores", vec![Edit::toml_remove(c.file, &["tls"], "ciphers")])),
            );
        }
    }
}
