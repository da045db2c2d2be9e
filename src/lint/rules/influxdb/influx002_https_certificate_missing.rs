use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};

crate::declare_rule! {
    /// ## What it does
    /// Flags HTTPS switched on without a usable certificate: in `influxdb.conf` `[http]` or
    /// `[cluster]`, and in `influxdb-meta.conf` `[meta]`, `https-enabled = true` with
    /// `https-certificate` empty (or absent where its default is empty: meta and cluster), or a
    /// certificate-only file (`.crt`, `.cer`, `.cert`) without `https-private-key`.
    ///
    /// ## Why is this bad?
    /// The node fails to start its HTTPS listener. `https-certificate` is a PEM bundle of
    /// certificate and key, or the certificate only with the key in `https-private-key`
    /// (FACTS §3.1, §3.3). The data node's `[http]` default `/etc/ssl/influxdb.pem` is
    /// accepted.
    ///
    /// ## Example
    /// ```toml
    /// [meta]
    ///   https-enabled = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [meta]
    ///   https-enabled = true
    ///   https-certificate = "/etc/ssl/influxdb-meta.crt"
    ///   https-private-key = "/etc/ssl/influxdb-meta.key"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS §3.1, §3.3, §3.4 (InfluxDB Enterprise data and meta node configuration references)
    pub static RULE = Rule {
        code: "INFLUX002",
        name: "influxdb-https-certificate-missing",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "https enabled without a certificate (or a cert-only file without its key)",
        check: Check::Influxdb(check),
    };
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    let sections: &[(&str, bool)] = match c.role {
        InfluxRole::Data => &[("http", true), ("cluster", false)],
        InfluxRole::Meta => &[("meta", false)],
    };
    for &(name, has_default) in sections {
        let Some(enabled) = c.get(name, "https-enabled") else {
            continue;
        };
        if enabled.placeholder || enabled.value != "true" {
            continue;
        }
        match c.get(name, "https-certificate") {
            Some(cert) if cert.placeholder => {}
            Some(cert) if cert.value.trim().is_empty() => ctx.report(
                cert.span(),
                format!("`[{name}] https-certificate` is empty while https is enabled"),
                "set https-certificate to a PEM bundle, or to the certificate with https-private-key for the key",
            ),
            None if !has_default => ctx.report(
                enabled.span(),
                format!("`[{name}]` enables https without `https-certificate`"),
                "set https-certificate (and https-private-key unless the file bundles the key)",
            ),
            Some(cert) => {
                let lower = cert.value.to_ascii_lowercase();
                let cert_only = [".crt", ".cer", ".cert"].iter().any(|e| lower.ends_with(e));
                let key = c.get(name, "https-private-key").filter(|k| k.placeholder || !k.value.trim().is_empty());
                if cert_only && key.is_none() {
                    ctx.report(
                        cert.span(),
                        format!("`{}` looks like a certificate without its key and `https-private-key` is not set", cert.value),
                        "set https-private-key to the certificate's key, or point https-certificate at a bundle",
                    );
                }
            }
            None => {}
        }
    }
}
