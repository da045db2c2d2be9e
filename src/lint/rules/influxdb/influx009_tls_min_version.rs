use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::InfluxConfig;

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
    /// Safe: adding `min-version = "tls1.2"` where it is unset (FACTS §8), and writing a
    /// misspelt 1.2 or 1.3 (`TLS12`, `tlsv1.2`) the way influxd reads it, since influxd does not
    /// start with it. Unsafe: raising `ssl3.0`, `tls1.0` or `tls1.1` to `tls1.2`, which cuts off
    /// the old clients that setting was written for.
    ///
    /// ## References
    /// - FACTS F-I5, F-I6 (IFX-TLSCODE influxdata/influxdb `pkg/tlsconfig/tls_config.go` `versionsMap`,
    ///   `unknownVersion`; verified in code; IFX-SAMPLE `etc/config.sample.toml` `[tls]`)
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "INFLUX009",
        name: "influxdb-tls-min-version",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "[tls] min-version unknown, ssl3.0, below tls1.2, or unset with TLS on",
        check: Check::Influxdb(check),
    };
}

/// The version a misspelling of 1.2 or 1.3 means (`TLS12`, `tlsv1.2`, `TLS 1.3`).
fn canonical(v: &str) -> Option<&'static str> {
    let squashed: String = v
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    match squashed.trim_start_matches("TLS").trim_start_matches('V') {
        "12" => Some("tls1.2"),
        "13" => Some("tls1.3"),
        _ => None,
    }
}

fn set_min(c: &InfluxConfig, value: &str, safe: bool) -> Option<Fix> {
    let description = format!("set `[tls] min-version = \"{value}\"`");
    let edits = vec![Edit::toml_set(c.file, &["tls"], "min-version", value)];
    Some(if safe {
        Fix::safe(description, edits)
    } else {
        Fix::unsafe_edit(description, edits)
    })
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    match c.get("tls", "min-version") {
        Some(s) if s.placeholder => {}
        Some(s) => match s.value.trim().to_ascii_uppercase().as_str() {
            "TLS1.2" | "1.2" | "TLS1.3" | "1.3" => {}
            "SSL3.0" => ctx.report_with_fix(s.span(), "`ssl3.0` allows SSL 3.0, a broken protocol", "set `min-version = \"tls1.2\"`", set_min(c, "tls1.2", false)),
            v @ ("TLS1.0" | "1.0" | "TLS1.1" | "1.1") => ctx.report_as_with_fix(
                Severity::Warning,
                s.span(),
                format!("`{}` allows TLS {}, a deprecated protocol", s.value, v.trim_start_matches("TLS")),
                "set `min-version = \"tls1.2\"`",
                set_min(c, "tls1.2", false),
            ),
            _ => {
                let meant = canonical(&s.value);
                let help = match meant {
                    Some(m) => format!("write `{m}`"),
                    None => "write `tls1.2` or `tls1.3`".to_string(),
                };
                ctx.report_with_fix(
                    s.span(),
                    format!("`{}` is not a TLS version influxd knows, so it refuses to start", s.value),
                    help,
                    meant.and_then(|m| set_min(c, m, true)),
                );
            }
        },
        None if c.any_tls() => ctx.report_as_with_fix(
            Severity::Warning,
            c.header_line("tls"),
            "`[tls] min-version` is not set, so the lowest TLS version is whatever influxd's Go release allows",
            "add `[tls]` with `min-version = \"tls1.2\"`",
            set_min(c, "tls1.2", true),
        ),
        None => {}
    }
}
