use crate::lint::fix::{self, Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::telegraf::TelegrafConfig;

/// Removed key and its replacement (F-T5).
const RENAMES: &[(&str, &str)] = &[
    ("ssl_ca", "tls_ca"),
    ("ssl_cert", "tls_cert"),
    ("ssl_key", "tls_key"),
];

crate::declare_rule! {
    /// ## What it does
    /// Flags `ssl_ca`, `ssl_cert` and `ssl_key` in any plugin of a Telegraf configuration.
    ///
    /// ## Why is this bad?
    /// They were "Deprecated in 1.7; use TLS variables above" and removed in Telegraf 1.35.0
    /// (struct tag `deprecated:"1.7.0;1.35.0;use 'tls_ca' instead"`). From 1.35 Telegraf refuses a
    /// configuration that still uses them; before, each was read only when its `tls_*`
    /// equivalent was empty, so a leftover `ssl_ca` next to a `tls_ca` was silently ignored
    /// (F-T5).
    ///
    /// ## Example
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   ssl_ca = "/etc/telegraf/ca.pem"
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
    /// Safe: rename the key to its `tls_*` name (what `telegraf config migrate` does), unless the
    /// `tls_*` key is already set, in which case the `ssl_*` line was dead and is removed.
    ///
    /// ## References
    /// - FACTS F-T5 (TGF influxdata/telegraf `plugins/common/tls/config.go` "Deprecated in 1.7";
    ///   `CHANGELOG.md` v1.35.0; commit 728cb3aca2, #17119 migration)
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "TGF003",
        name: "telegraf-deprecated-ssl-keys",
        target: Target::Telegraf,
        severity: Severity::Error,
        summary: "ssl_ca / ssl_cert / ssl_key (removed in Telegraf 1.35, deprecated since 1.7)",
        check: Check::Telegraf(check),
    };
}

fn check(c: &TelegrafConfig, ctx: &mut Ctx) {
    for plugin in &c.plugins {
        for (old, new) in RENAMES {
            let Some(s) = plugin.keys.get(old) else {
                continue;
            };
            let (help, fix) = if plugin.keys.contains_key(new) {
                let file = ctx.sources.get(s.key.file);
                (
                    format!("remove `{old}`: `{new}` is set and wins"),
                    Fix::safe(
                        format!("remove `{old}`, which `{new}` overrides"),
                        vec![fix::delete_lines(
                            file,
                            s.key.file,
                            s.key.start,
                            s.value_span.end,
                        )],
                    ),
                )
            } else {
                (
                    format!("rename it to `{new}` (`telegraf config migrate` does this)"),
                    Fix::safe(
                        format!("rename `{old}` to `{new}`"),
                        vec![Edit::replace(s.key, *new)],
                    ),
                )
            };
            ctx.report_with_fix(
                s.key,
                format!("`{old}` was removed in telegraf 1.35 (deprecated since 1.7)"),
                help,
                Some(fix),
            );
        }
    }
}
