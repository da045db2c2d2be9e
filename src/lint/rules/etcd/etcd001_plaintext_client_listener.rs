use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags an entry of `--listen-client-urls` / `ETCD_LISTEN_CLIENT_URLS` (or the YAML key, or
    /// a static pod argument) that is `http://` on a host other than loopback.
    ///
    /// ## Why is this bad?
    /// Clients reach etcd in plaintext over the network: keys, values and credentials can be
    /// read and changed on the way. TLS settings do not help an `http://` listener; etcd ignores
    /// them for it (F-E9). The CoreOS migration keeps plain HTTP only on `127.0.0.1:4001`, for
    /// local legacy clients, and removes it afterwards (F-E29).
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_LISTEN_CLIENT_URLS=http://0.0.0.0:2379"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_LISTEN_CLIENT_URLS=https://10.0.0.11:2379,http://127.0.0.1:4001"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: every client must move to `https://` first.
    ///
    /// ## References
    /// - FACTS F-E9, F-E29 (etcd `embed/etcd.go`; CoreOS "Enabling HTTPS in an existing etcd cluster")
    /// - kube-bench CIS 2.1 intent
    pub static RULE = Rule {
        code: "ETCD001",
        name: "plaintext-client-listener",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "a client listen URL is plain http:// on a non-loopback host",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let sources = ctx.sources;
    for (url, span, parts) in c.urls(&|id| sources.get(id), "listen-client-urls").iter() {
        if parts.is_plain_http() && parts.is_local() == Some(false) {
            ctx.report(
                *span,
                format!("client listener `{url}` is plain http on a non-loopback address"),
                "listen on https:// with cert-file and key-file; keep plain http only on 127.0.0.1 for local clients",
            );
        }
    }
}
