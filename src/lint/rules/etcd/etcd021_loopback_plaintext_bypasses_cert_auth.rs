use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags a plain `http://` client listener on a loopback address (`listen-client-urls` or
    /// `listen-client-http-urls`) next to an `https://` one while `client-cert-auth` is on.
    ///
    /// ## Why is this bad?
    /// etcd applies `client-cert-auth` only to TLS listeners ("ignoring client cert auth for this
    /// URL", F-E9): every local process, container with host networking or SSRF-able local
    /// service gets full key-value access on the loopback port without a certificate. The CoreOS
    /// migration keeps `http://127.0.0.1:4001` only until every client speaks TLS, then removes
    /// it (F-E29 step 6). tlsgen renders it while the model has `legacy_port`.
    ///
    /// ## Example
    /// ```ini
    /// --listen-client-urls="https://10.0.0.11:2379,http://127.0.0.1:4001"
    /// --client-cert-auth=true
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// --listen-client-urls="https://10.0.0.11:2379"
    /// --client-cert-auth=true
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: local clients still using the port would lose etcd.
    ///
    /// ## References
    /// - FACTS F-E9 (E35-ETCD: etcd-io/etcd release-3.5 `server/embed/etcd.go`, release-3.4
    ///   `embed/etcd.go`), F-E29 (CLD-HTTPS, CLD-CLIENTS "Remove legacy etcd ports
    ///   configuration"); TOOLING.md (TLS files on an `http://` listener are silently ignored)
    pub static RULE = Rule {
        code: "ETCD021",
        name: "loopback-plaintext-bypasses-cert-auth",
        target: Target::Etcd,
        severity: Severity::Warning,
        summary: "a loopback http:// client listener lets local processes skip client-cert-auth",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    if super::flag_true(c, ctx, "client-cert-auth") != Some(true) {
        return;
    }
    let sources = ctx.sources;
    let file_of = |id| sources.get(id);
    let urls = c.urls(&file_of, "listen-client-urls");
    if !urls.iter().any(|(_, _, u)| u.is_tls()) {
        return; // all plain: ETCD010 says client-cert-auth is ignored
    }
    let plain = c.urls(&file_of, "listen-client-http-urls");
    for (url, span, parts) in urls.iter().chain(plain.iter()) {
        if parts.is_plain_http() && parts.is_local() == Some(true) {
            ctx.report(
                *span,
                format!("`{url}` serves clients without TLS, so local processes skip `client-cert-auth`"),
                "remove the legacy plain port once local clients use https:// with a client certificate",
            );
        }
    }
}
