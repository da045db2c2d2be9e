use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::telegraf::TelegrafConfig;
use crate::lint::view::UrlParts;

crate::declare_rule! {
    /// ## What it does
    /// Flags an `http://` entry of `urls` in an `[[outputs.influxdb]]` plugin whose host is not
    /// loopback.
    ///
    /// ## Why is this bad?
    /// Metrics, and the `username`/`password` of the output, travel in plaintext. InfluxData's
    /// guidance is `https://<domain>:8086` with the server's CA trusted (F-T6). An empty `urls`
    /// defaults to `http://localhost:8086` (F-T1), which is loopback and not reported here.
    ///
    /// ## Example
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["http://influxdb.example.com:8086"]
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
    /// No automatic fix: the server must serve https.
    ///
    /// ## References
    /// - FACTS F-T1, F-T6 (Telegraf `plugins/outputs/influxdb`; InfluxDB Enterprise "Configure HTTPS over TLS")
    pub static RULE = Rule {
        code: "TGF001",
        name: "telegraf-plaintext-url",
        target: Target::Telegraf,
        severity: Severity::Error,
        summary: "an outputs.influxdb URL is http:// to a non-loopback host",
        check: Check::Telegraf(check),
    };
}

fn check(c: &TelegrafConfig, ctx: &mut Ctx) {
    for plugin in c.plugins.iter().filter(|p| p.kind == "outputs.influxdb") {
        let urls = plugin.lists.get("urls").cloned().unwrap_or_default();
        let single = plugin.keys.get("url").cloned();
        for s in urls.iter().chain(single.iter()) {
            if s.placeholder {
                continue;
            }
            let parts = UrlParts::parse(&s.value);
            if parts.is_plain_http() && parts.is_local() == Some(false) {
                ctx.report(
                    s.span(),
                    format!("`{}` sends metrics and credentials in plaintext", s.value),
                    "use an https:// URL and trust the server's CA with tls_ca",
                );
            }
        }
    }
}
