use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::telegraf::TelegrafConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags `insecure_skip_verify = true` in any plugin of a Telegraf configuration
    /// (`[[outputs.influxdb]]` first of all; every plugin shares the same client TLS options).
    ///
    /// ## Why is this bad?
    /// Telegraf then uses TLS "but skip[s] chain & host verification" (F-T2): anyone on the path
    /// can present a certificate and read or alter the data. InfluxData's guidance is to trust
    /// the server certificate or its CA with `tls_ca` instead (F-T6).
    ///
    /// ## Example
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   insecure_skip_verify = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   tls_ca = "/etc/telegraf/influxdb-ca.pem"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the CA must be distributed first.
    ///
    /// ## References
    /// - FACTS F-T2, F-T6 (Telegraf `plugins/common/tls`; InfluxDB Enterprise "Configure HTTPS over TLS")
    pub static RULE = Rule {
        code: "TGF002",
        name: "telegraf-insecure-skip-verify",
        target: Target::Telegraf,
        severity: Severity::Error,
        summary: "insecure_skip_verify = true",
        check: Check::Telegraf(check),
    };
}

fn check(c: &TelegrafConfig, ctx: &mut Ctx) {
    for plugin in &c.plugins {
        if let Some(s) = plugin.keys.get("insecure_skip_verify") {
            if !s.placeholder && s.value == "true" {
                ctx.report(
                    s.span(),
                    format!(
                        "`[{}]` skips verification of the server certificate",
                        plugin.kind
                    ),
                    "remove insecure_skip_verify and set tls_ca to the server's CA",
                );
            }
        }
    }
}
