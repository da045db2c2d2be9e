use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Checks `ExecStart=` lines of drop-ins:
    /// - an `ExecStart=` command in a drop-in with no empty `ExecStart=` before it since the
    ///   last command (the base unit's command counts when the base unit is not linted): error;
    /// - an override that runs `etcd-wrapper` without `$ETCD_OPTS`: warning.
    ///
    /// ## Why is this bad?
    /// A service that is not `Type=oneshot` may have only one `ExecStart=` command; systemd
    /// appends a drop-in's line to the base unit's, refuses the unit ("Service has more than one
    /// ExecStart= setting") and etcd does not start. The empty line resets the list; ct writes
    /// it before its own command (F-E25). The base `etcd-member.service` runs
    /// `etcd-wrapper $ETCD_OPTS`, a hook other drop-ins use to add flags (F-E19): an override
    /// without it silently drops those flags.
    ///
    /// ## Example
    /// ```ini
    /// [Service]
    /// ExecStart=/usr/lib/coreos/etcd-wrapper --listen-client-urls=https://10.0.0.11:2379
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [Service]
    /// ExecStart=
    /// ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS --listen-client-urls=https://10.0.0.11:2379
    /// ```
    ///
    /// ## Fix safety
    /// Safe: insert `ExecStart=` on the line before the override (the override is what the
    /// author meant to run); insert ` $ETCD_OPTS` after the wrapper path (empty when unset,
    /// F-E20).
    ///
    /// ## References
    /// - FACTS F-E25, F-E26 (CT `config/types/common.go` assembleUnit), F-E19 (CL-UNIT), F-E20,
    ///   F-E21 (SYSD systemd.service(5) `ExecStart=`)
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD018",
        name: "execstart-override-without-reset",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "a drop-in ExecStart= without the empty reset line, or an override dropping $ETCD_OPTS",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    if !c.from_unit {
        return;
    }
    // Without the base unit, assume it has its command (etcd-member.service does, F-E19).
    let mut commands = if c.has_base_unit { 0 } else { 1 };
    for l in c.exec_lines.iter().filter(|l| l.key == "ExecStart") {
        if l.words.is_empty() {
            commands = 0;
            continue;
        }
        commands += 1;
        if commands > 1 && l.dropin {
            let reset = Edit::insert(l.key_span.file, l.key_span.start, "ExecStart=\n");
            ctx.report_with_fix(
                l.key_span,
                "`ExecStart=` adds a second command instead of replacing the unit's, so systemd refuses the service",
                "put an empty `ExecStart=` line right before this one",
                Some(Fix::safe("insert the empty `ExecStart=` reset line", vec![reset])),
            );
        }
    }
    if let Some(exec) = c.exec_start().filter(|l| l.dropin) {
        if let Some(w) = exec.program_index("etcd-wrapper") {
            if !exec.words.iter().any(|(t, _)| t.contains("ETCD_OPTS")) {
                let at = exec.words[w].1;
                let add = Edit::insert(at.file, at.end, " $ETCD_OPTS");
                ctx.report_as_with_fix(
                    Severity::Warning,
                    at,
                    "this `ExecStart=` override drops `$ETCD_OPTS`, so flags other drop-ins add there are lost",
                    "write `$ETCD_OPTS` right after the etcd-wrapper path",
                    Some(Fix::safe("insert `$ETCD_OPTS` after the wrapper", vec![add])),
                );
            }
        }
    }
}
