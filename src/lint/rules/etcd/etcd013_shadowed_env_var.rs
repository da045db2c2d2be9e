use crate::lint::fix::{Applicability, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;
use crate::lint::view::{Form, Setting};

crate::declare_rule! {
    /// ## What it does
    /// Flags a setting given both as an `ETCD_*` variable (`Environment=`, a pod's `env:`) and as
    /// a command-line flag (`ExecStart=`, `$ETCD_OPTS`, a pod's `command`/`args`). For the
    /// CoreOS/Flatcar `etcd-wrapper` it also knows the variables the base unit and the wrapper
    /// export even when the base unit is not linted: `ETCD_DATA_DIR` (the wrapper re-exports it,
    /// so `--data-dir` always conflicts) and `ETCD_NAME=%m` of `etcd-member.service` (conflicts
    /// with `--name`, except under Flatcar's docker wrapper, which unsets it).
    ///
    /// ## Why is this bad?
    /// From etcd 3.4 a shadowed variable is fatal: measured on etcd 3.4.23, `ETCD_NAME=abc etcd
    /// --name=def` exits with `conflicting environment variable "ETCD_NAME" is shadowed by
    /// corresponding command-line flag (either unset environment variable or disable flag)`.
    /// etcd 3.3 and older only log that the variable is unused. An error for etcd 3.4 and newer
    /// (the default), a warning when `ETCD_IMAGE_TAG` pins an older release.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_CERT_FILE=/etc/ssl/certs/server1.pem"
    /// ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS --cert-file=/etc/ssl/certs/server1.pem
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_CERT_FILE=/etc/ssl/certs/server1.pem"
    /// ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS
    /// ```
    ///
    /// ## Fix safety
    /// Safe: drop the `Environment=` assignment and keep the flag (the flag already won on etcd
    /// 3.3 and older, so behaviour there does not change). Not offered for the implicit base-unit
    /// variables: remove the flag from the drop-in instead.
    ///
    /// ## References
    /// - FACTS F-E3 (E-FLAGS: etcd-io/etcd release-3.4 `pkg/flags/flag.go` Fatalf; E-CL34 "Exit on
    ///   shadowed environment variables"), F-E19 (CL-UNIT `etcd-member.service`), F-E22 (CL-WRAP),
    ///   F-E23 (FC-WRAP), F-E24
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD013",
        name: "shadowed-env-var",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "the same setting as an ETCD_* variable and as a command-line flag",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let severity = if c.at_least_3_4() {
        Severity::Error
    } else {
        Severity::Warning
    };
    let consequence = if c.at_least_3_4() {
        "etcd 3.4+ exits on a shadowed variable"
    } else {
        "the variable is ignored"
    };
    let is_flag = |s: &Setting| matches!(s.form, Form::Flag | Form::PodArg);
    // The first flag of each name, looked up per variable: linear in the number of settings.
    // (Only built when some variable is set: most files set none.)
    let mut flags: std::collections::HashMap<&str, &Setting> = std::collections::HashMap::new();
    if c.all.iter().any(|(_, s)| s.form == Form::Env) {
        for (g, s) in c.all.iter().filter(|(_, s)| is_flag(s)) {
            flags.entry(g.as_str()).or_insert(s);
        }
    }
    for (flag, env) in c.all.iter().filter(|(_, s)| s.form == Form::Env) {
        if let Some(f) = flags.get(flag.as_str()).copied() {
            // The flag already won on etcd 3.3 and older: dropping the variable keeps behaviour.
            let fix = super::remove_setting(ctx, env)
                .map(|e| Fix::safe(format!("remove `{}`", env.key_text), vec![e]));
            ctx.report_as_with_fix(
                severity,
                f.key,
                format!(
                    "`{}` is also set as `{}`, and {consequence}",
                    f.key_text, env.key_text
                ),
                format!("set it once: remove `{}` or this flag", env.key_text),
                fix,
            );
            ctx.related(env.key, format!("`{}` is set here", env.key_text));
        }
    }
    // Variables the wrapper and the base unit export (F-E19, F-E22, F-E23), when not written here.
    let Some(exec) = c.exec_start() else { return };
    let Some(w) = exec.program_index("etcd-wrapper") else {
        return;
    };
    let flatcar_docker = exec.words[w].0.contains("/flatcar/");
    let sources = ctx.sources;
    let member_unit = sources
        .get(exec.key_span.file)
        .path
        .contains("etcd-member.service");
    for (flag, var, why) in [
        (
            "data-dir",
            "ETCD_DATA_DIR",
            "etcd-wrapper exports `ETCD_DATA_DIR`",
        ),
        (
            "name",
            "ETCD_NAME",
            "etcd-member.service sets `ETCD_NAME=%m`",
        ),
    ] {
        if c.all.iter().any(|(g, s)| g == flag && s.form == Form::Env) {
            continue; // reported above
        }
        if flag == "name" && (flatcar_docker || !member_unit || c.has_base_unit) {
            continue;
        }
        if let Some((_, f)) = c.all.iter().find(|(g, s)| g == flag && is_flag(s)) {
            ctx.report_as(
                severity,
                f.key,
                format!(
                    "`{}` conflicts with `{var}`: {why}, and {consequence}",
                    f.key_text
                ),
                format!(
                    "remove `{}` and set `Environment=\"{var}=...\"` in the drop-in instead",
                    f.key_text
                ),
            );
        }
    }
}
