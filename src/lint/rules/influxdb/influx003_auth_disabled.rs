use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};

crate::declare_rule! {
    /// ## What it does
    /// Flags `auth-enabled = false` in the `[http]` section of `influxdb.conf` (OSS, or an
    /// Enterprise data node). A file whose HTTP service is off (`[http] enabled = false`) is not
    /// reported.
    ///
    /// The key's default is false, but an absent key is not reported: tlsgen renders and merges
    /// TLS settings into existing configurations, and authentication is often switched on by
    /// `INFLUXDB_HTTP_AUTH_ENABLED` in the service environment, which lint does not see. An
    /// explicit `false` is a decision written in the file.
    ///
    /// ## Why is this bad?
    /// With authentication off, anyone who reaches port 8086 can read, write and drop every
    /// database; HTTPS then only hides the traffic. The default is false (FACTS §3.1
    /// `auth-enabled` row), and InfluxData's security guidance starts with "enable
    /// authentication" (F-I9).
    ///
    /// ## Example
    /// ```toml
    /// [http]
    ///   auth-enabled = false
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [http]
    ///   auth-enabled = true
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: an admin user must exist first, and every client needs credentials.
    ///
    /// ## References
    /// - FACTS §3.1 `auth-enabled` row (IFX-OSS `content/influxdb/v1/administration/config.md`,
    ///   IFX-DATA `config-data-nodes.md`: "auth-enabled … Default is false")
    /// - FACTS F-I9 (IFX-SECBP "Manage security in InfluxDB Enterprise": enable authentication)
    pub static RULE = Rule {
        code: "INFLUX003",
        name: "influxdb-auth-disabled",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "[http] auth-enabled = false",
        check: Check::Influxdb(check),
    };
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    if c.role != InfluxRole::Data || c.bool_or("http", "enabled", true) != Some(true) {
        return;
    }
    if let Some(s) = c.get("http", "auth-enabled") {
        if !s.placeholder && s.value == "false" {
            ctx.report(
                s.span(),
                "`auth-enabled` is false, so the HTTP API serves every request without credentials",
                "create an admin user, then set `auth-enabled = true`",
            );
        }
    }
}
