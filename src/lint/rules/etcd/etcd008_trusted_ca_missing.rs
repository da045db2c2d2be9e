use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags `client-cert-auth` on without `trusted-ca-file`, and `peer-client-cert-auth` on
    /// without `peer-trusted-ca-file`.
    ///
    /// ## Why is this bad?
    /// Client certificates are then checked against the system trust store, so a certificate
    /// from any public CA is accepted. kube-bench CIS 2.7 asks for a CA unique to etcd; the
    /// CoreOS `30-certs.conf` sets both CA files (F-E28).
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_CLIENT_CERT_AUTH=true"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_CLIENT_CERT_AUTH=true"
    /// Environment="ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ca.pem"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS F-E28; kube-bench CIS 2.7
    pub static RULE = Rule {
        code: "ETCD008",
        name: "trusted-ca-missing",
        target: Target::Etcd,
        severity: Severity::Warning,
        summary: "client certificate auth on without a trusted CA file",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    if c.open {
        return;
    }
    for (auth, ca) in [
        ("client-cert-auth", "trusted-ca-file"),
        ("peer-client-cert-auth", "peer-trusted-ca-file"),
    ] {
        if super::flag_true(c, ctx, auth) == Some(true) && c.value(ca).is_none() {
            if let Some(s) = c.get(auth) {
                ctx.report(
                    s.span(),
                    format!("`{auth}` is on but `{ca}` is not set, so any publicly trusted certificate is accepted"),
                    format!("set `{ca}` to the CA that signs etcd's certificates"),
                );
            }
        }
    }
}
