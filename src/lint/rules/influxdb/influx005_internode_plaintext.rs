use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};

/// Keys that only an Enterprise data node's `[meta]` section has (FACTS §3.2).
const ENTERPRISE_META_KEYS: &[&str] = &[
    "meta-tls-enabled",
    "meta-insecure-tls",
    "meta-auth-enabled",
    "meta-internal-shared-secret",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags an Enterprise data node (`influxdb.conf`) that talks to other nodes in plaintext:
    /// `[meta] meta-tls-enabled = false` (data → meta) or `[cluster] https-enabled = false`
    /// (data ↔ data). An absent key is reported too (both default to false) when the file shows
    /// it is an Enterprise data node: its `[meta]` holds another `meta-*` key, or it has a
    /// `[cluster]` section with keys. OSS files have neither and are not reported.
    ///
    /// ## Why is this bad?
    /// Internode traffic carries writes, queries and the JWT tokens of the internal API; "the
    /// payload of a JWT token is encoded, but is not encrypted", so "to provide encrypted
    /// internode communication, you must enable HTTPS" (F-I4). The TLS procedure enables both
    /// `[meta] meta-tls-enabled` and `[cluster] https-enabled` on data nodes (F-I8).
    ///
    /// ## Example
    /// ```toml
    /// [meta]
    ///   meta-tls-enabled = false
    /// [cluster]
    ///   https-enabled = false
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [meta]
    ///   meta-tls-enabled = true
    /// [cluster]
    ///   https-enabled = true
    ///   https-certificate = "/etc/ssl/influxdb.crt"
    ///   https-private-key = "/etc/ssl/influxdb.key"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: meta nodes must serve HTTPS first, and every data node needs a
    /// certificate.
    ///
    /// ## References
    /// - FACTS §3.2 `meta-tls-enabled` row, §3.4 `[cluster] https-enabled` (IFX-DATA `config-data-nodes.md`)
    /// - FACTS F-I4 (IFX-RN Enterprise v1.6.4 release notes), F-I8 (IFX-TLS "Configure HTTPS over TLS")
    pub static RULE = Rule {
        code: "INFLUX005",
        name: "influxdb-internode-plaintext",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "Enterprise data node: [meta] meta-tls-enabled or [cluster] https-enabled is false",
        check: Check::Influxdb(check),
    };
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    if c.role != InfluxRole::Data {
        return;
    }
    if let Some(meta) = c.section("meta") {
        match meta.keys.get("meta-tls-enabled") {
            Some(s) if !s.placeholder && s.value == "false" => ctx.report(
                s.span(),
                "`meta-tls-enabled` is false, so this data node talks to the meta nodes in plaintext",
                "set `meta-tls-enabled = true` once the meta nodes serve https",
            ),
            None if ENTERPRISE_META_KEYS.iter().any(|k| meta.keys.contains_key(k)) => ctx.report(
                c.header_line("meta"),
                "`[meta] meta-tls-enabled` is not set and defaults to false, so this data node talks to the meta nodes in plaintext",
                "add `meta-tls-enabled = true` to `[meta]` once the meta nodes serve https",
            ),
            _ => {}
        }
    }
    if let Some(cluster) = c.section("cluster") {
        match cluster.keys.get("https-enabled") {
            Some(s) if !s.placeholder && s.value == "false" => ctx.report(
                s.span(),
                "`[cluster] https-enabled` is false, so data nodes exchange writes and queries in plaintext",
                "set `https-enabled = true` with `https-certificate` and `https-private-key` in `[cluster]`",
            ),
            None if !cluster.keys.is_empty() => ctx.report(
                c.header_line("cluster"),
                "`[cluster] https-enabled` is not set and defaults to false, so data nodes exchange writes and queries in plaintext",
                "add `https-enabled = true` with `https-certificate` and `https-private-key` to `[cluster]`",
            ),
            _ => {}
        }
    }
}
