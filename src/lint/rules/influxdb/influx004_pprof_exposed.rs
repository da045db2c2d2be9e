use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};

crate::declare_rule! {
    /// ## What it does
    /// Flags `pprof-enabled = true` written in `[http]` of a data node (or OSS) `influxdb.conf`
    /// unless both `auth-enabled` and `pprof-auth-enabled` are true, and `pprof-enabled = true`
    /// written in `[meta]` of `influxdb-meta.conf`, whose pprof endpoint has no authentication
    /// switch. Only a key written as true is reported (the default is also true, see INFLUX003
    /// for why absent keys are left alone).
    ///
    /// ## Why is this bad?
    /// `/debug/pprof` (and `/debug/requests`, `/debug/vars`) expose profiles, goroutine dumps
    /// and runtime details to whoever reaches the port. On data nodes `pprof-auth-enabled`
    /// protects them, but it has no effect unless `auth-enabled` is also true (FACTS §3.1
    /// `pprof-auth-enabled` row); meta nodes have only `pprof-enabled` (FACTS §3.3).
    ///
    /// ## Example
    /// ```toml
    /// [http]
    ///   pprof-enabled = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [http]
    ///   pprof-enabled = false
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe fix `pprof-enabled = false`: right when nothing scrapes `/debug` (lint cannot see
    /// that, FACTS §8); otherwise keep it and set `auth-enabled = true` and
    /// `pprof-auth-enabled = true`.
    ///
    /// ## References
    /// - FACTS §3.1 `pprof-enabled`, `pprof-auth-enabled` rows (IFX-DATA `config-data-nodes.md`,
    ///   IFX-OSS `config.md`: pprof-auth-enabled "no effect if auth-enabled or pprof-enabled is false")
    /// - FACTS §3.3 `pprof-enabled` row (IFX-META `config-meta-nodes.md`: "Default is true")
    pub static RULE = Rule {
        fix: Applicability::Unsafe,
        code: "INFLUX004",
        name: "influxdb-pprof-exposed",
        target: Target::Influxdb,
        severity: Severity::Warning,
        summary: "pprof-enabled = true without authentication in front of /debug/pprof",
        check: Check::Influxdb(check),
    };
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    let section = match c.role {
        InfluxRole::Data => "http",
        InfluxRole::Meta => "meta",
    };
    let Some(s) = c.get(section, "pprof-enabled") else {
        return;
    };
    if s.placeholder || s.value != "true" {
        return;
    }
    let fix = Some(Fix::unsafe_edit(
        format!("set `[{section}] pprof-enabled = false`"),
        vec![Edit::toml_set(c.file, &[section], "pprof-enabled", false)],
    ));
    match c.role {
        InfluxRole::Data => {
            let auth = c.bool_or("http", "auth-enabled", false);
            let pprof_auth = c.bool_or("http", "pprof-auth-enabled", false);
            // Unknown (placeholder) counts as protected: never judged.
            if auth != Some(false) && pprof_auth != Some(false) {
                return;
            }
            ctx.report_with_fix(
                s.span(),
                "`/debug/pprof` is served without authentication",
                "set `pprof-enabled = false`, or set both `auth-enabled = true` and `pprof-auth-enabled = true`",
                fix,
            );
        }
        InfluxRole::Meta => ctx.report_with_fix(
            s.span(),
            "the meta node serves `/debug/pprof` and has no switch to protect it",
            "set `pprof-enabled = false` unless you are profiling this node",
            fix,
        ),
    }
}
