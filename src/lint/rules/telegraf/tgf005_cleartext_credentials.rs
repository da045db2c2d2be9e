use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::telegraf::TelegrafConfig;
use crate::lint::view::UrlParts;

crate::declare_rule! {
    /// ## What it does
    /// In `[[outputs.influxdb]]`:
    /// - `username` or `password` set while an entry of `urls` (or `url`) is `http://` to a
    ///   host that is not loopback: error, HTTP basic auth then crosses the network in
    ///   cleartext;
    /// - `password` written literally: warning. A secret-store reference (`@{store:key}`) or an
    ///   environment variable (`$VAR`, `${VAR}`) is not reported.
    ///
    /// An empty `urls` means `http://localhost:8086` (F-T1), which is loopback. A URL that
    /// carries its own password (`http://user:pass@host`) is left to TLSGEN006
    /// (`credentials-in-url`), which owns credentials written in URLs and says when http sends
    /// them in cleartext: one finding for that URL, not two.
    ///
    /// ## Why is this bad?
    /// The output sends `username`/`password` as HTTP basic auth on every write; over `http://`
    /// anyone on the path reads them. `password` is a `config.Secret`, so Telegraf can read it
    /// from a secret store instead of a world-readable config file (F-T1).
    ///
    /// ## Example
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["http://influxdb.example.com:8086"]
    ///   username = "telegraf"
    ///   password = "metricsmetricsmetrics"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   username = "telegraf"
    ///   password = "@{vault:influx_password}"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the server must serve https, and the secret must be stored first.
    ///
    /// ## References
    /// - FACTS F-T1 (TGF influxdata/telegraf `plugins/outputs/influxdb/influxdb.go`: `username`,
    ///   `password` (`config.Secret`), default URL `http://localhost:8086`; `sample.conf` "HTTP Basic Auth")
    pub static RULE = Rule {
        code: "TGF005",
        name: "telegraf-cleartext-credentials",
        target: Target::Telegraf,
        severity: Severity::Error,
        summary: "outputs.influxdb credentials over http://, or a literal password",
        check: Check::Telegraf(check),
    };
}

/// A Telegraf secret-store reference: `@{store:key}`.
fn is_secret_ref(v: &str) -> bool {
    let v = v.trim();
    v.starts_with("@{") && v.ends_with('}') && v.contains(':')
}

fn check(c: &TelegrafConfig, ctx: &mut Ctx) {
    for plugin in c.plugins.iter().filter(|p| p.kind == "outputs.influxdb") {
        let user = plugin.keys.get("username").filter(|s| s.is_set());
        let password = plugin.keys.get("password").filter(|s| s.is_set());
        let Some(cred) = password.or(user) else {
            continue;
        };
        let urls = plugin
            .lists
            .get("urls")
            .into_iter()
            .flatten()
            .chain(plugin.keys.get("url"));
        // A URL that carries its own password is TLSGEN006's (one finding for it, which says
        // http sends it in cleartext).
        let plain = urls.filter(|s| !s.placeholder).find(|s| {
            let u = UrlParts::parse(&s.value);
            u.is_plain_http()
                && u.is_local() == Some(false)
                && crate::lint::redact::url_credentials(&s.value).is_empty()
        });
        if let Some(url) = plain {
            ctx.report(
                cred.key,
                format!(
                    "`{}` is sent as basic auth in cleartext to `{}`",
                    cred.key_text, url.value
                ),
                "use an https:// URL for every entry of urls",
            );
        }
        if let Some(p) = password {
            if !p.placeholder && !is_secret_ref(&p.value) {
                ctx.report_as(
                    Severity::Warning,
                    p.value_span,
                    "`password` is written in the configuration file",
                    "reference a secret store (`@{store:key}`) or an environment variable (`${INFLUX_PASSWORD}`)",
                );
            }
        }
    }
}
