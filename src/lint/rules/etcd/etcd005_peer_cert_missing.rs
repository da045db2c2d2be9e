use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags a member without a peer certificate: `peer-cert-file` and `peer-key-file`
    /// (`ETCD_PEER_CERT_FILE`, `ETCD_PEER_KEY_FILE`, `peer-transport-security` in YAML) both
    /// missing, or only one of them set.
    ///
    /// ## Why is this bad?
    /// Members replicate every write to each other; without peer TLS that traffic is plaintext
    /// and any host that reaches port 2380 can pose as a member. The peer pair is used both to
    /// listen and to dial other members (etcd security guide). Not reported for a proxy, which
    /// has no peer listener, nor when an `https://` peer listener lacks the pair (ETCD010).
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_PEER_KEY_FILE=/etc/ssl/etcd/server1-key.pem"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_PEER_CERT_FILE=/etc/ssl/etcd/server1.pem"
    /// Environment="ETCD_PEER_KEY_FILE=/etc/ssl/etcd/server1-key.pem"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS F-E10, §1.2 `--peer-cert-file` row; kube-bench CIS 2.4; checkov CKV_K8S_119; trivy KCV-0045
    pub static RULE = Rule {
        code: "ETCD005",
        name: "peer-cert-missing",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "peer-cert-file/peer-key-file missing or only one of the pair set",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    if !super::half_pair(c, ctx, "peer-cert-file", "peer-key-file") {
        return;
    }
    let sources = ctx.sources;
    let file_of = |id| sources.get(id);
    let https_listener = c
        .urls(&file_of, "listen-peer-urls")
        .iter()
        .any(|(_, _, u)| u.is_tls());
    if c.peer_tls_expected(&file_of)
        && super::flag_true(c, ctx, "peer-auto-tls") == Some(false)
        && !https_listener
    {
        ctx.report(
            c.anchor,
            "no peer certificate: `peer-cert-file` and `peer-key-file` are not set",
            "set peer-cert-file and peer-key-file (ETCD_PEER_CERT_FILE, ETCD_PEER_KEY_FILE) to the member's certificate and key",
        );
    }
}
