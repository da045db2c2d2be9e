use crate::lint::fix::{Applicability, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags `peer-auto-tls` (`--peer-auto-tls`, `ETCD_PEER_AUTO_TLS`, YAML
    /// `peer-transport-security.auto-tls`) set to true.
    ///
    /// ## Why is this bad?
    /// Members then use generated self-signed certificates: encryption without authentication,
    /// so any host can pose as a peer.
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
        summary: "peer-auto-tls is true (self-signed peer certificates)",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    if c.flag_true("peer-auto-tls") != Some(true) {
        return;
    }
    let Some(s) = c.get("peer-auto-tls") else {
        return;
    };
    let pair = c.value("peer-cert-file").is_some() && c.value("peer-key-file").is_some();
    let help = if pair {
        "remove peer-auto-tls: peer-cert-file and peer-key-file are set, so etcd ignores it anyway"
    } else {
        "set peer-cert-file and peer-key-file to certificates from your CA and remove peer-auto-tls"
    };
    // FACTS §8: removing it is safe when the peer-cert-file/peer-key-file pair is set (etcd ignores it then).
    let fix = if pair {
        super::remove_setting(ctx, s).map(|e| Fix::safe("remove `peer-auto-tls`", vec![e]))
    } else {
        None
    };
    ctx.report_with_fix(
        s.span(),
        "`peer-auto-tls` makes members use self-signed certificates",
        help,
        fix,
    );
}
