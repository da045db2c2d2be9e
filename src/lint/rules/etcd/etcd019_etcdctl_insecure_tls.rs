use super::etcdctl::{api, invocations, var, var_true, Invocation};
use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;
use crate::lint::view::parse_bool;

crate::declare_rule! {
    /// ## What it does
    /// Checks etcdctl's settings in environment files (`ETCDCTL_*`), in units' `Environment=`
    /// and in `etcdctl` commands on units' `Exec*=` lines:
    /// - `--insecure-skip-tls-verify` or `ETCDCTL_INSECURE_SKIP_TLS_VERIFY=true`: error;
    /// - `https://` endpoints without a CA (`--cacert`/`ETCDCTL_CACERT` for API v3,
    ///   `--ca-file`/`ETCDCTL_CA_FILE` for v2): warning, the system roots are trusted instead;
    /// - v2 variables `ETCDCTL_CA_FILE`, `ETCDCTL_CERT_FILE`, `ETCDCTL_KEY_FILE` under API v3
    ///   (the default since 3.4) without their v3 names: warning.
    ///
    /// ## Why is this bad?
    /// Skipping verification lets anyone on the path impersonate etcd ("CAUTION: ... only for
    /// testing purposes", F-E35). Without the cluster's CA, etcdctl trusts any public CA. etcdctl
    /// v3 does not read the v2 names: measured with etcdctl 3.4.23, `ETCDCTL_CA_FILE` only gives
    /// `unrecognized environment variable ETCDCTL_CA_FILE`, so the command runs without the
    /// CA and client certificate the file was meant to give it.
    ///
    /// ## Example
    /// ```sh
    /// ETCDCTL_ENDPOINTS=https://10.0.0.11:2379
    /// ETCDCTL_CA_FILE=/etc/ssl/etcd/ca.pem
    /// ETCDCTL_INSECURE_SKIP_TLS_VERIFY=true
    /// ```
    ///
    /// ## Use instead
    /// ```sh
    /// ETCDCTL_ENDPOINTS=https://10.0.0.11:2379
    /// ETCDCTL_CACERT=/etc/ssl/etcd/ca.pem
    /// ```
    ///
    /// ## Fix safety
    /// Partial: renaming the v2 variables to their v3 names (`ETCDCTL_CA_FILE` ->
    /// `ETCDCTL_CACERT`, `ETCDCTL_CERT_FILE` -> `ETCDCTL_CERT`, `ETCDCTL_KEY_FILE` ->
    /// `ETCDCTL_KEY`) is safe when nothing runs etcdctl with `ETCDCTL_API=2`. Turning
    /// verification on is not automatic.
    ///
    /// ## References
    /// - FACTS F-E33 (ECTL2: etcd-io/etcd release-3.4 `etcdctl/ctlv2/command/util.go`), F-E35
    ///   (ECTL3: release-3.5 `etcdctl/ctlv3/command/global.go`, `ctl.go`), F-E37 (E-CL34)
    pub static RULE = Rule {
        fix: Applicability::Unsafe,
        code: "ETCD019",
        name: "etcdctl-insecure-tls",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "etcdctl skips TLS verification, has no CA for https endpoints, or uses v2 TLS variables under API v3",
        check: Check::Etcd(check),
    };
}

const V2_TO_V3: [(&str, &str); 3] = [
    ("ETCDCTL_CA_FILE", "ETCDCTL_CACERT"),
    ("ETCDCTL_CERT_FILE", "ETCDCTL_CERT"),
    ("ETCDCTL_KEY_FILE", "ETCDCTL_KEY"),
];

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let invs = invocations(c);
    if let Some(s) = var_true(c, "ETCDCTL_INSECURE_SKIP_TLS_VERIFY") {
        ctx.report(
            s.key,
            "`ETCDCTL_INSECURE_SKIP_TLS_VERIFY` makes etcdctl accept any server certificate",
            "remove it and set `ETCDCTL_CACERT` to the etcd CA",
        );
    }
    let env_api = api(c, None);
    if env_api == Some(3) {
        for (v2, v3) in V2_TO_V3 {
            if let (Some(s), None) = (var(c, v2), var(c, v3)) {
                // Unsafe: a script may still run `ETCDCTL_API=2 etcdctl`, which reads only v2 names.
                let fix = (ctx.text(s.key) == v2).then(|| {
                    Fix::unsafe_edit(
                        format!("rename `{v2}` to `{v3}`"),
                        vec![Edit::replace(s.key, v3)],
                    )
                });
                ctx.report_as_with_fix(
                    Severity::Warning,
                    s.key,
                    format!("`{v2}` is etcdctl v2's name, API v3 ignores it"),
                    format!("rename it to `{v3}` (or set both while v2 commands remain)"),
                    fix,
                );
            }
        }
    }
    if invs.is_empty() {
        if let Some(ep) = var(c, "ETCDCTL_ENDPOINTS") {
            if ep.value.contains("https://") {
                let ca = if env_api == Some(2) {
                    "ETCDCTL_CA_FILE"
                } else {
                    "ETCDCTL_CACERT"
                };
                let v2_ca_reported = env_api == Some(3) && var(c, "ETCDCTL_CA_FILE").is_some();
                if env_api.is_some() && var(c, ca).is_none() && !v2_ca_reported && !c.open {
                    ctx.report_as(
                        Severity::Warning,
                        ep.key,
                        format!("https endpoints without `{ca}`, so etcdctl trusts any public CA"),
                        format!("set `{ca}` to the CA that signs etcd's certificates"),
                    );
                }
            }
        }
    }
    for inv in &invs {
        check_invocation(c, inv, ctx);
    }
}

fn check_invocation(c: &EtcdConfig, inv: &Invocation, ctx: &mut Ctx) {
    if let Some((_, value, span)) = inv.flag(&["insecure-skip-tls-verify"]) {
        if value.is_none_or(|v| parse_bool(v) == Some(true)) {
            ctx.report(
                span,
                "`--insecure-skip-tls-verify` makes etcdctl accept any server certificate",
                "remove it and pass `--cacert` with the etcd CA",
            );
        }
    }
    let Some(api) = api(c, Some(inv)) else { return };
    let endpoints = inv
        .flag(&["endpoints", "endpoint", "peers", "C"])
        .and_then(|(_, v, _)| v.map(str::to_string))
        .or_else(|| var(c, "ETCDCTL_ENDPOINTS").map(|s| s.value.clone()));
    if !endpoints.is_some_and(|e| e.contains("https://")) {
        return;
    }
    let (flag, env) = if api == 2 {
        ("ca-file", "ETCDCTL_CA_FILE")
    } else {
        ("cacert", "ETCDCTL_CACERT")
    };
    if inv.flag(&[flag]).is_none() && var(c, env).is_none() && !c.open {
        ctx.report_as(
            Severity::Warning,
            inv.line.words[inv.line.program_index("etcdctl").unwrap_or(0)].1,
            format!(
                "etcdctl talks to https endpoints without `--{flag}`, so it trusts any public CA"
            ),
            format!("pass `--{flag}` (or set `{env}`) with the CA that signs etcd's certificates"),
        );
    }
}
