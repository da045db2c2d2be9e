use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::telegraf::TelegrafConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags a plugin that sets `tls_cert` without `tls_key`, or `tls_key` without `tls_cert`
    /// (an empty value counts as unset; a placeholder counts as set).
    ///
    /// ## Why is this bad?
    /// Telegraf loads the client certificate only when both are set; one alone is silently
    /// ignored (F-T4), so a server that requires client certificates refuses the connection and
    /// the configuration reads as if mutual TLS were on.
    ///
    /// ## Example
    /// ```toml
    /// [[outputs.influxdb]]
    ///   tls_cert = "/etc/telegraf/agent.pem"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [[outputs.influxdb]]
    ///   tls_cert = "/etc/telegraf/agent.pem"
    ///   tls_key = "/etc/telegraf/agent-key.pem"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the missing file's path is unknown.
    ///
    /// ## References
    /// - FACTS F-T4 (TGF influxdata/telegraf `plugins/common/tls/client.go` / older `config.go`:
    ///   `if c.TLSCert != "" && c.TLSKey != ""` loads the key pair; verified in code)
    pub static RULE = Rule {
        code: "TGF006",
        name: "telegraf-client-cert-without-key",
        target: Target::Telegraf,
        severity: Severity::Error,
        summary: "tls_cert without tls_key (or the reverse): the client certificate is not sent",
        check: Check::Telegraf(check),
    };
}

fn check(c: &TelegrafConfig, ctx: &mut Ctx) {
    for plugin in &c.plugins {
        let cert = plugin
            .keys
            .get("tls_cert")
            .filter(|s| s.placeholder || s.is_set());
        let key = plugin
            .keys
            .get("tls_key")
            .filter(|s| s.placeholder || s.is_set());
        match (cert, key) {
            (Some(s), None) => ctx.report(
                s.key,
                format!(
                    "`[{}]` sets `tls_cert` without `tls_key`, so no client certificate is sent",
                    plugin.kind
                ),
                "add `tls_key` with the certificate's private key",
            ),
            (None, Some(s)) => ctx.report(
                s.key,
                format!(
                    "`[{}]` sets `tls_key` without `tls_cert`, so no client certificate is sent",
                    plugin.kind
                ),
                "add `tls_cert` with the client certificate",
            ),
            _ => {}
        }
    }
}
