use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::files::Cert;
use crate::lint::view::cert::CertView;

crate::declare_rule! {
    /// ## What it does
    /// Flags a CA file (etcd `trusted-ca-file`, `peer-trusted-ca-file`, `ETCDCTL_CACERT`,
    /// Telegraf `tls_ca`) holding a certificate that is not a CA: basicConstraints `CA:FALSE`,
    /// or no basicConstraints extension at all. A self-signed certificate trusted directly (a
    /// self-signed server certificate pinned as `tls_ca`) is not reported.
    ///
    /// ## Why is this bad?
    /// Usually the server's own certificate was copied where the CA belongs. Go accepts a
    /// non-CA certificate in the trust pool only as the exact peer certificate, so every other
    /// member or server signed by the real CA is refused ("certificate signed by unknown
    /// authority"), and a leaf certificate as a trust anchor hides which CA is really meant.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/server1.pem"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ca.pem"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS F-E28 (`ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ca.pem`); RFC 5280 §4.2.1.9
    pub static RULE = Rule {
        code: "CERT009",
        name: "ca-file-not-a-ca",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "a CA file holds a certificate that is not a CA",
        check: Check::Cert(check),
    };
}

fn check(v: &CertView, ctx: &mut Ctx) {
    for e in &v.endpoints {
        let Some(n) = &e.ca else {
            continue;
        };
        let Some(f) = n.facts() else {
            continue;
        };
        // A self-signed certificate trusted directly (pinned) is not reported.
        let self_signed = |c: &Cert| {
            c.info.issuer_raw == c.info.subject_raw
                && crate::lint::view::cert::files::signed_by(&c.info, &c.info)
        };
        let Some(c) = f.certs.iter().find(|c| !c.info.is_ca && !self_signed(c)) else {
            continue;
        };
        let why = if c.has_basic_constraints {
            "basicConstraints CA:FALSE"
        } else {
            "no basicConstraints extension"
        };
        ctx.report(
            n.span,
            format!(
                "{} holds `{}`, which is not a CA certificate ({why})",
                n.path,
                c.name()
            ),
            format!(
                "point `{}` at the CA certificate that issued the certificates it must trust",
                n.key
            ),
        );
    }
}
