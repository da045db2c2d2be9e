use super::etcdctl::{api, invocations};
use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Checks `etcdctl member update` on units' `Exec*=` lines (`ExecStartPre=`,
    /// `ExecStartPost=`, ...) against the API version the command talks (`ETCDCTL_API` in front
    /// of the command or in the unit's environment, else 3 since etcd 3.4):
    /// - API v3 with v2's positional URLs (`member update <id> <urls>`) or without
    ///   `--peer-urls=`;
    /// - API v2 with `--peer-urls=`.
    ///
    /// Shell scripts are not a kind lint reads; commands inside `sh -c "..."` are not parsed.
    ///
    /// ## Why is this bad?
    /// The two etcdctl generations spell the command differently (v2: `etcdctl member update
    /// <memberID> <peerURLs>`, v3: `etcdctl member update <memberID> --peer-urls=<urls>`); the
    /// wrong one fails, and a migration step that should move a member to `https://` peer URLs
    /// does nothing (F-E29 step 4).
    ///
    /// ## Example
    /// ```ini
    /// ExecStartPre=/usr/bin/etcdctl member update 2428639343c1baab https://10.0.0.11:2380
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// ExecStartPre=/usr/bin/etcdctl member update 2428639343c1baab --peer-urls=https://10.0.0.11:2380
    /// ```
    ///
    /// ## Fix safety
    /// Safe: rewriting between `<id> <urls>` and `<id> --peer-urls=<urls>` for the API the
    /// command talks keeps its meaning.
    ///
    /// ## References
    /// - FACTS F-E34 (ECTL2: etcd-io/etcd release-3.4 `etcdctl/ctlv2/command/member_commands.go`),
    ///   F-E36 (ECTL3: release-3.5 `etcdctl/ctlv3/command/member_command.go`; E34-RT), F-E37
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD020",
        name: "member-update-syntax",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "etcdctl member update written for the other API version",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    for inv in invocations(c) {
        let pos = inv.positionals();
        let Some(at) = pos
            .windows(2)
            .position(|w| w[0].0 == "member" && w[1].0 == "update")
        else {
            continue;
        };
        let Some(api) = api(c, Some(&inv)) else {
            continue;
        };
        let args = &pos[at + 2..];
        let peer_urls = inv.flag(&["peer-urls"]);
        let update = pos[at + 1].1;
        match (api, peer_urls, args.get(1)) {
            (3, None, Some((urls, span))) => ctx.report_with_fix(
                *span,
                format!(
                    "`{urls}` is v2's positional syntax, etcdctl v3 needs `--peer-urls={urls}`"
                ),
                format!(
                    "write `member update <id> --peer-urls={urls}`, or run it with `ETCDCTL_API=2`"
                ),
                (ctx.text(*span) == *urls).then(|| {
                    Fix::safe(
                        "pass the peer URLs as `--peer-urls=`",
                        vec![Edit::replace(*span, format!("--peer-urls={urls}"))],
                    )
                }),
            ),
            (3, None, None) => ctx.report(
                update,
                "`member update` without `--peer-urls=`, so etcdctl v3 changes nothing",
                "add `--peer-urls=<comma-separated peer URLs>`",
            ),
            (2, Some((_, value, span)), _) => ctx.report_with_fix(
                span,
                "etcdctl v2 takes the peer URLs as a positional argument, not `--peer-urls`",
                format!(
                    "write `member update <id> {}`, or run it with `ETCDCTL_API=3`",
                    value.unwrap_or("<urls>")
                ),
                value
                    .filter(|v| !v.is_empty() && ctx.text(span).ends_with(*v))
                    .map(|v| {
                        Fix::safe(
                            "pass the peer URLs positionally",
                            vec![Edit::replace(span, v.to_string())],
                        )
                    }),
            ),
            _ => {}
        }
    }
}
