use std::collections::BTreeSet;

use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// - Compares this member's entry in `initial-cluster` (`name=peerURL,...`, matched by
    ///   `name`) with its `initial-advertise-peer-urls`: they must list the same URLs.
    /// - Flags peer URLs (`initial-advertise-peer-urls`, `initial-cluster`) written in one
    ///   drop-in and changed by a later one: a member that is already bootstrapped ignores both
    ///   on restart, so the change does nothing until `etcdctl member update`.
    ///
    /// ## Why is this bad?
    /// "URLs in `initial-cluster` should match the value of `initial-advertise-peer-urls` on the
    /// respective nodes"; a mismatch stops a new member from bootstrapping. The `initial-*`
    /// settings "are used in bootstrapping ... and ignored when restarting an existing member":
    /// changing peer URLs of a running member needs `etcdctl member update` first (F-E12).
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_NAME=server1"
    /// Environment="ETCD_INITIAL_ADVERTISE_PEER_URLS=https://10.0.0.11:2380"
    /// Environment="ETCD_INITIAL_CLUSTER=server1=http://10.0.0.11:2380,server2=https://10.0.0.12:2380"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_NAME=server1"
    /// Environment="ETCD_INITIAL_ADVERTISE_PEER_URLS=https://10.0.0.11:2380"
    /// Environment="ETCD_INITIAL_CLUSTER=server1=https://10.0.0.11:2380,server2=https://10.0.0.12:2380"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: which of the two values is right is the operator's call, and a running
    /// member needs `etcdctl member update`.
    ///
    /// ## References
    /// - FACTS F-E12 (E34-DOC l.124, E34-CLU l.39, E34-RT "Update advertise peer URLs"), F-E29
    pub static RULE = Rule {
        code: "ETCD011",
        name: "initial-cluster-mismatch",
        target: Target::Etcd,
        severity: Severity::Warning,
        summary: "initial-cluster entry differs from initial-advertise-peer-urls, or peer URLs changed by a later drop-in",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let sources = ctx.sources;
    if let (Some(name), Some(adv), Some(cluster)) = (
        c.value("name"),
        c.value("initial-advertise-peer-urls"),
        c.value("initial-cluster"),
    ) {
        if !name.placeholder && !adv.placeholder && !cluster.placeholder {
            let advertised: BTreeSet<String> = adv
                .items(sources.get(adv.value_span.file))
                .into_iter()
                .map(|(u, _, _)| norm(&u))
                .collect();
            let mut mine: BTreeSet<String> = BTreeSet::new();
            let mut first_span = None;
            for (item, span, _) in cluster.items(sources.get(cluster.value_span.file)) {
                if let Some((n, url)) = item.split_once('=') {
                    if n.trim() == name.value.trim() {
                        mine.insert(norm(url));
                        first_span.get_or_insert(span);
                    }
                }
            }
            match first_span {
                Some(span) if mine != advertised => ctx.report(
                    span,
                    format!("the `initial-cluster` entry of `{}` differs from `initial-advertise-peer-urls` ({})", name.value, adv.value),
                    "list the same peer URLs in both: a new member will not bootstrap otherwise",
                ),
                None => ctx.report(
                    cluster.value_span,
                    format!("`initial-cluster` has no entry for this member `{}`", name.value),
                    format!("add `{}={}` to `initial-cluster`", name.value, adv.value),
                ),
                _ => {}
            }
        }
    }
    // Peer URLs written in one drop-in and changed in a later one (F-E12).
    for flag in ["initial-advertise-peer-urls", "initial-cluster"] {
        let written: Vec<_> = c
            .overridden_env
            .iter()
            .chain(c.all.iter())
            .filter(|(f, s)| f == flag && s.form == crate::lint::view::Form::Env)
            .map(|(_, s)| s)
            .collect();
        for pair in written.windows(2) {
            let (old, new) = (pair[0], pair[1]);
            if old.key.file != new.key.file
                && !old.placeholder
                && !new.placeholder
                && norm_list(&old.value) != norm_list(&new.value)
            {
                ctx.report(
                    new.key,
                    format!("`{}` changes peer URLs set in `{}`, which a bootstrapped member ignores", new.key_text, sources.get(old.key.file).path),
                    "run `etcdctl member update <id> --peer-urls=<new urls>` first, then change the URLs in one place",
                );
            }
        }
    }
}

fn norm(url: &str) -> String {
    url.trim().trim_end_matches('/').to_ascii_lowercase()
}

fn norm_list(v: &str) -> BTreeSet<String> {
    v.split(',').map(norm).filter(|s| !s.is_empty()).collect()
}
