use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::rules::influxdb::influx011_unknown_key::unknown_key_verdict;
use crate::lint::severity::Severity;
use crate::lint::view::telegraf::TelegrafConfig;
use crate::lint::view::Setting;

/// Options of `[[outputs.influxdb]]`: its own (F-T1), the client TLS options (F-T2), the
/// deprecated ones still read or reported elsewhere (`url`, `precision`, `ssl_*`: TGF003), and
/// the options every output plugin takes (Telegraf `docs/CONFIGURATION.md`).
const KNOWN: &[&str] = &[
    // F-T1
    "urls",
    "url",
    "local_address",
    "database",
    "database_tag",
    "exclude_database_tag",
    "skip_database_creation",
    "retention_policy",
    "retention_policy_tag",
    "exclude_retention_policy_tag",
    "write_consistency",
    "timeout",
    "username",
    "password",
    "user_agent",
    "udp_payload",
    "http_proxy",
    "http_headers",
    "content_encoding",
    "influx_uint_support",
    "influx_omit_timestamp",
    "precision",
    // F-T2 (client TLS), F-T5 (deprecated names)
    "tls_enable",
    "tls_ca",
    "tls_cert",
    "tls_key",
    "tls_key_pwd",
    "tls_server_name",
    "tls_min_version",
    "tls_max_version",
    "tls_cipher_suites",
    "tls_renegotiation_method",
    "insecure_skip_verify",
    "ssl_ca",
    "ssl_cert",
    "ssl_key",
    // every output plugin
    "alias",
    "log_level",
    "name_override",
    "name_prefix",
    "name_suffix",
    "namepass",
    "namedrop",
    "namepass_separator",
    "namedrop_separator",
    "fieldpass",
    "fielddrop",
    "fieldinclude",
    "fieldexclude",
    "tagpass",
    "tagdrop",
    "taginclude",
    "tagexclude",
    "metricpass",
    "metric_buffer_limit",
    "metric_batch_size",
    "flush_interval",
    "flush_jitter",
    "startup_error_behavior",
    "buffer_strategy",
    "buffer_directory",
];

/// Words that make an unknown option worth reporting even when it is not close to a known one.
const TLS_WORDS: &[&str] = &["tls", "ssl", "cert", "cipher", "insecure", "https"];

crate::declare_rule! {
    /// ## What it does
    /// Flags an option of `[[outputs.influxdb]]` that Telegraf does not know, with "did you
    /// mean". Policy, so that an option added by a newer Telegraf is not noise: only options
    /// close to a known one (a typo) or clearly TLS-related (`tls`, `ssl`, `cert`, `cipher`,
    /// `insecure`, `https`) are reported, each as an error: Telegraf does not start with any of
    /// them. Other plugins are not checked.
    ///
    /// ## Why is this bad?
    /// Telegraf stops at startup when a plugin table holds a field it does not use, so a typo
    /// such as `tls_cerr` takes the agent down on the next restart; until then the file reads as
    /// if the option were set. The known options are those of F-T1 and F-T2; "an unknown option
    /// stops Telegraf" is F2-T1 (Telegraf 1.39.3).
    ///
    /// ## Example
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   tls_ca_file = "/etc/telegraf/ca.pem"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   tls_ca = "/etc/telegraf/ca.pem"
    /// ```
    ///
    /// ## Fix safety
    /// Renaming to the suggested option is a fix to review: it turns on what the line meant.
    ///
    /// ## References
    /// - FACTS F-T1, F-T2, F2-T1 (TGF influxdata/telegraf `plugins/outputs/influxdb/{influxdb.go,sample.conf}`,
    ///   `plugins/common/tls/{client.go,client.conf}`)
    pub static RULE = Rule {
        code: "TGF007",
        name: "telegraf-unknown-option",
        target: Target::Telegraf,
        severity: Severity::Error,
        summary: "an [[outputs.influxdb]] option Telegraf does not know (typo or TLS-looking)",
        check: Check::Telegraf(check),
    };
}

fn check(c: &TelegrafConfig, ctx: &mut Ctx) {
    for plugin in c.plugins.iter().filter(|p| p.kind == "outputs.influxdb") {
        let mut unknown: Vec<&Setting> = plugin
            .keys
            .values()
            .chain(plugin.lists.values().filter_map(|l| l.first()))
            .filter(|s| !KNOWN.contains(&s.key_text.as_str()))
            .collect();
        unknown.sort_by_key(|s| s.key.start);
        for s in unknown {
            let key = s.key_text.as_str();
            // Which unknown options are reported is the shared policy (near misses and
            // TLS-looking ones); every one reported is an error, since Telegraf refuses to
            // start on any of them (F2-T1).
            let Some((_, suggestion)) = unknown_key_verdict(key, KNOWN, TLS_WORDS) else {
                continue;
            };
            let help = match suggestion {
                Some(k) => format!("did you mean `{k}`?"),
                None => "remove it; `[[outputs.influxdb]]` has no such option".to_string(),
            };
            ctx.report(
                s.key,
                format!(
                    "`{key}` is not an option of `[[outputs.influxdb]]`; telegraf refuses to start"
                ),
                help,
            );
        }
    }
}
