use crate::lint::fix::Applicability;
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags `peer-auto-tls` (`--peer-auto-tls`, `ETCD_PEER_AUTO_TLS`, YAML
    /// `peer-transport-security.auto-tls`) set to true.
    ///
    /// ## Why is this bad?
    /// Without `peer-cert-file` and `peer-key-file`, members then use generated self-signed
    /// certificates: encryption without authentication, so any host can pose as a peer (an
    /// error). With either file set etcd ignores `peer-auto-tls` (embed `PeerSelfCert`): a
    /// warning for a dead line that CIS scanners (kube-bench 2.6) fail.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_PEER_AUTO_TLS=true"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_PEER_CERT_FILE=/etc/ssl/etcd/server1.pem"
    /// Environment="ETCD_PEER_KEY_FILE=/etc/ssl/etcd/server1-key.pem"
    /// ```
    ///
    /// ## Fix safety
    /// Removing it is safe when peer-cert-file and peer-key-file are set (it is ignored then).
    ///
    /// ## References
    /// - FACTS §1.2 `--peer-auto-tls` row; kube-bench CIS 2.6; trivy KCV-0047; KICS "Peer Auto TLS Set To True"
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD007",
        name: "peer-auto-tls-enabled",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "peer-auto-tls is true (self-signed peer certificates; ignored with a cert/key pair)",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    super::auto_tls(
        c,
        ctx,
        "peer-auto-tls",
        ("peer-cert-file", "peer-key-file"),
        "members use self-signed certificates",
    );
}
