use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::view::influxdb::InfluxConfig;
use crate::lint::Severity;

crate::declare_rule! {
    /// ## What it does
    /// Checks `[tls] min-version` of `influxdb.conf` and `influxdb-meta.conf`:
    /// - a value influxd does not know (its accepted values, case-insensitive, are `ssl3.0`,
    ///   `tls1.0`/`1.0`, `tls1.1`/`1.1`, `tls1.2`/`1.2`, `tls1.3`/`1.3`): error, influxd refuses
    ///   to start with `unknown tls version`;
    /// - `ssl3.0`: error;
    /// - `tls1.0`, `tls1.1` (or `1.0`, `1.1`): warning;
    /// - not set while the file turns TLS on (`https-enabled`, `meta-tls-enabled` or
    ///   `data-use-tls` true): warning, the minimum is then whatever the Go toolchain that built
    ///   influxd allows.
    ///
    /// ## Why is this bad?
    /// SSL 3.0, TLS 1.0 and TLS 1.1 are deprecated protocols with known attacks. Unset, influxd
    /// passes an empty `tls.Config` and the version floor depends on the Go release (F-I5).
    ///
    /// ## Example
    /// ```toml
    /// [tls]
    ///   min-version = "tls1.0"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [tls]
    ///   min-version = "tls1.2"
    /// ```
    ///
    /// ## Fix safety
    /// `min-version = "tls1.2"` is safe for clients newer than about 2014; very old clients lose
    /// access.
    ///
    /// ## References
    /// - FACTS F-I5, F-I6 (IFX-TLSCODE influxdata/influxdb `pkg/tlsconfig/tls_config.go` `versionsMap`,
    ///   `unknownVersion`; verified in code; IFX-SAMPLE `etc/config.sample.toml` `[tls]`)
    pub static RULE = Rule {
        code: "INFLUX009",
        name: "influxdb-tls-min-version",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "[tls] min-version unknown, ssl3.0, below tls1.2, or unset with TLS on",
        check: Check::Influxdb(check),
    };
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    match c.get("tls", "min-version") {
        Some(s) if s.placeholder => {}
        Some(s) => match s.value.trim().to_ascii_uppercase().as_str() {
            "TLS1.2" | "1.2" | "TLS1.3" | "1.3" => {}
            "SSL3.0" => ctx.report(s.span(), "`ssl3.0` allows SSL 3.0, a broken protocol", "set `min-version = \"tls1.2\"`"),
            v @ ("TLS1.0" | "1.0" | "TLS1.1" | "1.1") => ctx.report_as(
                Severity::Warning,
                s.span(),
                format!("`{}` allows TLS {}, a deprecated protocol", s.value, v.trim_start_matches("TLS")),
                "set `min-version = \"tls1.2\"`",
            ),
            _ => ctx.report(
                s.span(),
                format!("`{}` is not a TLS version influxd knows, so it refuses to start", s.value),
                "write `tls1.2` or `tls1.3`",
            ),
        },
        None if c.any_tls() => ctx.report_as(
            Severity::Warning,
            c.header_line("tls", ctx.sources.get(c.file)),
            "`[tls] min-version` is not set, so the lowest TLS version is whatever influxd's Go release allows",
            "add `[tls]` with `min-version = \"tls1.2\"`",
        ),
        None => {}
    }
}
