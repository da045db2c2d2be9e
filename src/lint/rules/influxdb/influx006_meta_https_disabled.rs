use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};

crate::declare_rule! {
    /// ## What it does
    /// Flags an Enterprise meta node (`influxdb-meta.conf`) whose `[meta] https-enabled` is
    /// false or absent (default false) — an error — and `data-use-tls = false` — a warning: the
    /// meta node then calls the data nodes in plaintext. An absent `data-use-tls` (default false)
    /// is not reported: it goes with data-node `[cluster]` HTTPS, which a cluster may leave for a
    /// later step (INFLUX005 reports `[cluster]` once the data nodes configure it).
    ///
    /// ## Why is this bad?
    /// The meta API carries users, password hashes, shard ownership and the internal JWTs.
    /// InfluxData: "By default, HTTPS is disabled. We strongly recommend enabling HTTPS." (FACTS
    /// §3.3 `https-enabled` row). The TLS procedure sets `data-use-tls` too (F-I8).
    ///
    /// ## Example
    /// ```toml
    /// [meta]
    ///   https-enabled = false
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [meta]
    ///   https-enabled = true
    ///   https-certificate = "/etc/ssl/influxdb-meta.crt"
    ///   https-private-key = "/etc/ssl/influxdb-meta.key"
    ///   data-use-tls = true
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: data nodes must switch `meta-tls-enabled` at the same time (INFLUX012).
    ///
    /// ## References
    /// - FACTS §3.3 `https-enabled`, `data-use-tls` rows (IFX-META `config-meta-nodes.md`:
    ///   "We strongly recommend enabling HTTPS", data-use-tls "Default is false")
    /// - FACTS F-I8 (IFX-TLS "Configure HTTPS over TLS")
    pub static RULE = Rule {
        code: "INFLUX006",
        name: "influxdb-meta-https-disabled",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "meta node: [meta] https-enabled false or absent; data-use-tls false",
        check: Check::Influxdb(check),
    };
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    if c.role != InfluxRole::Meta {
        return;
    }
    let header = c.header_line("meta");
    match c.get("meta", "https-enabled") {
        Some(s) if s.placeholder || s.value == "true" => {}
        Some(s) => ctx.report(s.span(), "`[meta] https-enabled` is false, so the meta API is plaintext", "set `https-enabled = true` with `https-certificate` and `https-private-key`"),
        None => ctx.report(
            header,
            "`[meta] https-enabled` is not set and defaults to false, so the meta API is plaintext",
            "add `https-enabled = true` with `https-certificate` and `https-private-key` to `[meta]`",
        ),
    }
    match c.get("meta", "data-use-tls") {
        Some(s) if !s.placeholder && s.value == "false" => ctx.report_as(
            Severity::Warning,
            s.span(),
            "`data-use-tls` is false, so this meta node calls the data nodes in plaintext",
            "set `data-use-tls = true` once the data nodes serve https",
        ),
        _ => {}
    }
}
