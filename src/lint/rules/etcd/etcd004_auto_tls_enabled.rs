use crate::lint::fix::Applicability;
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags `auto-tls` (`--auto-tls`, `ETCD_AUTO_TLS`, YAML `client-transport-security.auto-tls`)
    /// set to true.
    ///
    /// ## Why is this bad?
    /// Without `cert-file` and `key-file` etcd then generates a self-signed certificate:
    /// "encryption, but not authentication" (etcd security guide). Clients cannot tell the
    /// member from an impostor: an error.
    ///
    /// With `cert-file` or `key-file` set etcd ignores `auto-tls` (3.5 logs `ignoring client auto
    /// TLS since certs given`) and serves the configured certificate: a warning, for a line that
    /// reads as if the certificate were self-signed and that CIS scanners (kube-bench 2.3) fail.
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
        summary: "auto-tls is true (self-signed client certificate; ignored with a cert/key pair)",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    super::auto_tls(
        c,
        ctx,
        "auto-tls",
        ("cert-file", "key-file"),
        "etcd serve clients a self-signed certificate",
    );
}
