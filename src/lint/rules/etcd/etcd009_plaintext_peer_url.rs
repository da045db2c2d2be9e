use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags `http://` peer URLs on non-loopback hosts in `listen-peer-urls`,
    /// `initial-advertise-peer-urls` and the entries of `initial-cluster` (every form: flag,
    /// `ETCD_*` variable, YAML key, static pod argument). A host that is a template placeholder
    /// is unknown and not reported; the scheme still is.
    ///
    /// ## Why is this bad?
    /// Replication traffic between members travels in plaintext. Moving a running member to
    /// https needs `etcdctl member update` for each member before the restart, because the
    /// `initial-*` settings are ignored once a member has bootstrapped (F-E12, F-E29).
    ///
    /// ## Example
    /// ```ini
    /// ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \
    ///   --listen-peer-urls="http://10.0.0.11:2380"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \
    ///   --listen-peer-urls="https://10.0.0.11:2380"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: needs `etcdctl member update` for every member.
    ///
    /// ## References
    /// - FACTS F-E12, F-E29 (CoreOS "Enabling HTTPS in an existing etcd cluster"; etcd runtime reconfiguration)
    pub static RULE = Rule {
        code: "ETCD009",
        name: "plaintext-peer-url",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "a peer URL uses http://",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let sources = ctx.sources;
    for flag in [
        "listen-peer-urls",
        "initial-advertise-peer-urls",
        "initial-cluster",
    ] {
        for (url, span, parts) in c.urls(&|id| sources.get(id), flag).iter() {
            if parts.is_plain_http() && parts.is_local() != Some(true) {
                ctx.report(
                    *span,
                    format!("peer URL `{url}` in `{flag}` is plain http"),
                    "use https:// with peer-cert-file and peer-key-file; a running member also needs `etcdctl member update`",
                );
            }
        }
    }
}
