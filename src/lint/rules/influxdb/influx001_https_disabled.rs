use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};

crate::declare_rule! {
    /// ## What it does
    /// Flags an `influxdb.conf` (OSS, or Enterprise data node) whose `[http]` section has
    /// `https-enabled = false`, or does not set it (the default is false). A file whose HTTP
    /// service is off (`[http] enabled = false`) is not reported.
    ///
    /// ## Why is this bad?
    /// The HTTP API carries queries, writes and credentials in plaintext. InfluxData "strongly
    /// recommends" enabling HTTPS (F-I8, F-I9).
    ///
    /// ## Example
    /// ```toml
    /// [http]
    ///   https-enabled = false
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [http]
    ///   https-enabled = true
    ///   https-certificate = "/etc/ssl/influxdb.crt"
    ///   https-private-key = "/etc/ssl/influxdb.key"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: clients must switch to https.
    ///
    /// ## References
    /// - FACTS §3.1 `https-enabled` row, F-I8, F-I9 (InfluxDB config reference; Enterprise "Configure HTTPS over TLS")
    pub static RULE = Rule {
        code: "INFLUX001",
        name: "influxdb-https-disabled",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "[http] https-enabled is false or absent",
        check: Check::Influxdb(check),
    };
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    if c.role != InfluxRole::Data {
        return;
    }
    let http = c.section("http");
    if let Some(enabled) = c.get("http", "enabled") {
        if enabled.placeholder || enabled.value == "false" {
            return;
        }
    }
    match c.get("http", "https-enabled") {
        Some(s) if s.placeholder || s.value == "true" => {}
        Some(s) => ctx.report(s.span(), "`https-enabled` is false, so the HTTP API is plaintext", "set `https-enabled = true` with `https-certificate` and `https-private-key`"),
        None => ctx.report(
            http.map(|h| h.header).filter(|h| !h.is_empty()).unwrap_or(c.anchor),
            "`[http] https-enabled` is not set and defaults to false, so the HTTP API is plaintext",
            "add `https-enabled = true` with `https-certificate` and `https-private-key` to `[http]`",
        ),
    }
}
