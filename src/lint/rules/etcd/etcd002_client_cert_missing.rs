use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags a member whose client side has no server certificate: `cert-file` and `key-file`
    /// (`ETCD_CERT_FILE`, `ETCD_KEY_FILE`, `client-transport-security` in YAML) are both
    /// missing, or only one of the pair is set.
    ///
    /// ## Why is this bad?
    /// Without the pair etcd cannot serve clients over TLS; with only one of them TLS is not
    /// configured at all ("if either a client-to-server or peer certificate is supplied the key
    /// must also be set", F-E10). kube-bench CIS 2.1 fails the node.
    ///
    /// Not reported for a proxy (loopback-only plain listeners and no peer listener, F-E28),
    /// whose pair is a client certificate, nor when `auto-tls` is on (see ETCD004), nor when an
    /// `https://` listener lacks the pair (see ETCD010, a startup failure).
    ///
    /// ## Example
    /// ```ini
    /// [Service]
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/server1.pem"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [Service]
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/server1.pem"
    /// Environment="ETCD_KEY_FILE=/etc/ssl/etcd/server1-key.pem"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the files must exist on the host.
    ///
    /// ## References
    /// - FACTS F-E10, F-E28; kube-bench CIS 2.1; checkov CKV_K8S_116; trivy KCV-0042
    pub static RULE = Rule {
        code: "ETCD002",
        name: "client-cert-missing",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "cert-file/key-file missing or only one of the pair set",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    if !super::half_pair(c, ctx, "cert-file", "key-file") {
        return;
    }
    let sources = ctx.sources;
    let file_of = |id| sources.get(id);
    let https_listener = c
        .urls(&file_of, "listen-client-urls")
        .iter()
        .any(|(_, _, u)| u.is_tls());
    if c.client_tls_expected(&file_of)
        && super::flag_true(c, ctx, "auto-tls") == Some(false)
        && !https_listener
    {
        ctx.report(
            c.anchor,
            "no client certificate: `cert-file` and `key-file` are not set",
            "set cert-file and key-file (ETCD_CERT_FILE, ETCD_KEY_FILE) to the member's certificate and key",
        );
    }
}
