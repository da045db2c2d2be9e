use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::telegraf::TelegrafConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags a `tls_min_version` (any plugin) that is not exactly `TLS12` or `TLS13`: `TLS10`
    /// and `TLS11` allow deprecated protocols; any other spelling (`1.2`, `tls1.2`, `TLS1.2`,
    /// `tls12`) is not a value Telegraf knows.
    ///
    /// ## Why is this bad?
    /// Telegraf accepts only the exact keys `TLS10`, `TLS11`, `TLS12`, `TLS13` and otherwise stops
    /// with `unsupported version` (F-T3). Since v1.24.0 the default minimum is already TLS 1.2, so
    /// `TLS10`/`TLS11` only weaken it.
    ///
    /// ## Example
    /// ```toml
    /// [[outputs.influxdb]]
    ///   tls_min_version = "tls1.2"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [[outputs.influxdb]]
    ///   tls_min_version = "TLS12"
    /// ```
    ///
    /// ## Fix safety
    /// Safe for a misspelt 1.2 or 1.3 (`tls1.2` → `TLS12`): the intent is unambiguous. Raising
    /// `TLS10`/`TLS11` is not automatic: the server may only speak the old protocol.
    ///
    /// ## References
    /// - FACTS F-T3 (TGF influxdata/telegraf `plugins/common/tls/common.go` `tlsVersionMap`,
    ///   `TLSMinVersionDefault`; verified in code; `CHANGELOG.md` v1.24.0; commit e96bbe83c5)
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "TGF004",
        name: "telegraf-tls-min-version",
        target: Target::Telegraf,
        severity: Severity::Error,
        summary: "tls_min_version is TLS10/TLS11 or not a value Telegraf accepts",
        check: Check::Telegraf(check),
    };
}

/// The exact value a loose spelling means, if it means 1.2 or 1.3.
fn canonical(v: &str) -> Option<&'static str> {
    let squashed: String = v
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    match squashed.trim_start_matches("TLS").trim_start_matches('V') {
        "12" => Some("TLS12"),
        "13" => Some("TLS13"),
        _ => None,
    }
}

fn check(c: &TelegrafConfig, ctx: &mut Ctx) {
    for plugin in &c.plugins {
        let Some(s) = plugin.keys.get("tls_min_version") else {
            continue;
        };
        if s.placeholder {
            continue;
        }
        match s.value.as_str() {
            "TLS12" | "TLS13" => {}
            "TLS10" | "TLS11" => ctx.report(
                s.span(),
                format!("`{}` allows a deprecated TLS version", s.value),
                "set `tls_min_version = \"TLS12\"` (the default since telegraf 1.24)",
            ),
            v => {
                let (help, fix) = match canonical(v) {
                    Some(good) => (
                        format!("write `{good}`"),
                        Some(Fix::safe(
                            format!("write `{good}`"),
                            vec![Edit::replace(s.value_span, format!("\"{good}\""))],
                        )),
                    ),
                    None => ("write `TLS12` or `TLS13`".to_string(), None),
                };
                ctx.report_with_fix(s.span(), format!("`{v}` is not a version telegraf accepts, so it stops with `unsupported version`"), help, fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn loose_spellings_of_1_2_and_1_3_map_to_the_exact_keys() {
        for v in ["tls1.2", "TLS1.2", "1.2", "tls12", "TLSv1.2"] {
            assert_eq!(canonical(v), Some("TLS12"), "{v}");
        }
        assert_eq!(canonical("tls1.3"), Some("TLS13"));
        assert_eq!(canonical("tls1.0"), None);
        assert_eq!(canonical("modern"), None);
    }
}
