use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;
use crate::lint::view::Form;

crate::declare_rule! {
    /// ## What it does
    /// Checks `tls-min-version` and `tls-max-version` (flag, `ETCD_TLS_MIN_VERSION`, YAML key,
    /// pod argument):
    /// - a value other than exactly `TLS1.2` or `TLS1.3` (`tls1.2`, `TLS1.1`, `1.2`): etcd stops
    ///   with `unexpected TLS version "..." (must be one of: TLS1.2, TLS1.3)`;
    /// - a minimum above the maximum: etcd stops with `min version (...) is greater than max
    ///   version (...)`;
    /// - either setting while `ETCD_IMAGE_TAG` pins a release without it (before v3.4.25, or
    ///   v3.5.0 to v3.5.7): as a flag etcd stops (`flag provided but not defined:
    ///   -tls-min-version`, measured on etcd 3.4.23); as a variable it is ignored with a warning.
    ///
    /// A missing `tls-min-version` is not reported: where the flag exists its default is
    /// already `TLS1.2`.
    ///
    /// ## Why is this bad?
    /// Each case either keeps the member from starting or leaves a setting that looks enforced
    /// without effect.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_TLS_MIN_VERSION=tls1.2"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_TLS_MIN_VERSION=TLS1.2"
    /// ```
    ///
    /// ## Fix safety
    /// Safe for spelling only: `tls1.2` -> `TLS1.2`, `tls1.3` -> `TLS1.3` (etcd accepts nothing
    /// else, so the value could not have worked). Versions below 1.2 and unsupported releases
    /// need a decision.
    ///
    /// ## References
    /// - FACTS F-E6 (E35-TLSV: etcd-io/etcd release-3.5 `client/pkg/tlsutil/versions.go`
    ///   `GetTLSVersion`, checked), F-E7 (E35-EMBED `Validate`, checked), §1.2 `--tls-min-version`
    ///   row (E-CL34 "v3.4.25", E-CL35 "v3.5.8")
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD015",
        name: "tls-min-version-invalid",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "tls-min-version / tls-max-version not TLS1.2 or TLS1.3, min > max, or unsupported by the pinned release",
        check: Check::Etcd(check),
    };
}

/// Whether an etcd release has `--tls-min-version`/`--tls-max-version` (v3.4.25+, v3.5.8+).
pub(crate) fn has_tls_version_flags(v: (u32, u32, u32)) -> bool {
    match (v.0, v.1) {
        (3, 4) => v.2 >= 25,
        (3, 5) => v.2 >= 8,
        (major, minor) => (major, minor) > (3, 5),
    }
}

fn rank(value: &str) -> Option<u8> {
    match value {
        "TLS1.2" => Some(2),
        "TLS1.3" => Some(3),
        _ => None,
    }
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let mut ranks = [None, None];
    for (i, flag) in ["tls-min-version", "tls-max-version"]
        .into_iter()
        .enumerate()
    {
        let Some(s) = c.get(flag) else { continue };
        if s.placeholder {
            continue;
        }
        if let Some(v) = c.version().filter(|v| !has_tls_version_flags(*v)) {
            let effect = if s.form == Form::Env {
                "ignores"
            } else {
                "refuses"
            };
            ctx.report(
                s.key,
                format!(
                    "etcd {}.{}.{} {effect} `{}`: it exists from v3.4.25 and v3.5.8",
                    v.0, v.1, v.2, s.key_text
                ),
                "remove it, or pin ETCD_IMAGE_TAG to v3.4.25, v3.5.8 or newer",
            );
            continue;
        }
        if s.value.is_empty() {
            continue;
        }
        match rank(&s.value) {
            Some(r) => ranks[i] = Some((r, s)),
            None => {
                let upper = s.value.to_ascii_uppercase();
                let help = match upper.as_str() {
                    "TLS1.2" | "TLS12" | "1.2" => "write `TLS1.2` (etcd compares the exact text)",
                    "TLS1.3" | "TLS13" | "1.3" => "write `TLS1.3` (etcd compares the exact text)",
                    _ => "write `TLS1.2` or `TLS1.3`: etcd supports no older TLS version",
                };
                // Only the spelling differs: etcd could not start with it, so the fix is safe.
                let fix = rank(&upper)
                    .filter(|_| ctx.text(s.value_span) == s.value)
                    .map(|_| {
                        Fix::safe(
                            format!("write `{upper}`"),
                            vec![Edit::replace(s.value_span, upper.clone())],
                        )
                    });
                ctx.report_with_fix(
                    s.value_span,
                    format!(
                        "`{}` is not a TLS version etcd accepts, so etcd will not start",
                        s.value
                    ),
                    help,
                    fix,
                );
            }
        }
    }
    if let [Some((min, _)), Some((max, s))] = ranks {
        if min > max {
            ctx.report(
                s.value_span,
                "`tls-max-version` is below `tls-min-version`, so etcd will not start",
                "raise `tls-max-version` to at least `tls-min-version`, or remove it",
            );
        }
    }
}
