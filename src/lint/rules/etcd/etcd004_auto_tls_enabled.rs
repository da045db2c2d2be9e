use crate::lint::fix::{Applicability, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags `auto-tls` (`--auto-tls`, `ETCD_AUTO_TLS`, YAML `client-transport-security.auto-tls`)
    /// set to true.
    ///
    /// ## Why is this bad?
    /// etcd then generates a self-signed certificate: "encryption, but not authentication"
    /// (etcd security guide). Clients cannot tell the member from an impostor.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_AUTO_TLS=true"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/server1.pem"
    /// Environment="ETCD_KEY_FILE=/etc/ssl/etcd/server1-key.pem"
    /// ```
    ///
    /// ## Fix safety
    /// Removing `auto-tls` is safe when `cert-file` and `key-file` are set: etcd ignores it then.
    ///
    /// ## References
    /// - FACTS §1.2 `--auto-tls` row; kube-bench CIS 2.3; checkov CKV_K8S_118; trivy KCV-0044; KICS "Auto TLS Set To True"
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD004",
        name: "auto-tls-enabled",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "auto-tls is true (self-signed client certificate)",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    if c.flag_true("auto-tls") != Some(true) {
        return;
    }
    let Some(s) = c.get("auto-tls") else { return };
    let pair = c.value("cert-file").is_some() && c.value("key-file").is_some();
    let help = if pair {
        "remove auto-tls: cert-file and key-file are set, so etcd ignores it anyway"
    } else {
        "set cert-file and key-file to a certificate from your CA and remove auto-tls"
    };
    // FACTS §8: removing it is safe when the cert-file/key-file pair is set (etcd ignores it then).
    let fix = if pair {
        super::remove_setting(ctx, s).map(|e| Fix::safe("remove `auto-tls`", vec![e]))
    } else {
        None
    };
    ctx.report_with_fix(
        s.span(),
        "`auto-tls` makes etcd serve clients a self-signed certificate",
        help,
        fix,
    );
}
