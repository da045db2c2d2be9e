use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::files::{signed_by, Cert};
use crate::lint::view::cert::CertView;

crate::declare_rule! {
    /// ## What it does
    /// Flags an etcd certificate that does not chain to the CA file configured next to it:
    /// `cert-file` to `trusted-ca-file`, `peer-cert-file` to `peer-trusted-ca-file`. The chain
    /// may go through intermediates that follow the leaf in the certificate file. Signatures are
    /// verified, not only names, whatever the CA's key size (an RSA-1024 CA verifies, as with
    /// openssl and Go; its weak key is CERT006's).
    ///
    /// ## Why is this bad?
    /// A member's peer certificate is used for listening *and* for dialing the other members
    /// (E34-SEC), which verify it with their `peer-trusted-ca-file`: a certificate from another
    /// CA is refused and the member cannot join. In the layout etcd's and CoreOS's guides use
    /// (F-E28) one CA (`ca.pem`) issues every member, proxy and client certificate and is the
    /// trusted CA of both sides, so a certificate it did not sign is a mix-up (an old CA, another
    /// cluster's certificate).
    ///
    /// Telegraf's `tls_ca` and `ETCDCTL_CACERT` verify the *server*, not the client certificate
    /// next to them, so they are not compared.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_PEER_CERT_FILE=/etc/ssl/etcd/server1.pem"        # issued by old-ca
    /// Environment="ETCD_PEER_TRUSTED_CA_FILE=/etc/ssl/etcd/ca.pem"
    /// ```
    ///
    /// ## Use instead
    /// Issue the certificate from the CA in `ca.pem` (`tlsgen certs` does), or trust the CA that
    /// issued it on every member.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS F-E28; E34-SEC (`--peer-cert-file` is used for listening and dialing); RFC 5280 §6
    pub static RULE = Rule {
        code: "CERT004",
        name: "certificate-not-signed-by-trusted-ca",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "the certificate does not chain to the trusted CA configured with it",
        check: Check::Cert(check),
    };
}

fn check(v: &CertView, ctx: &mut Ctx) {
    for e in &v.endpoints {
        if !e.ca_signs_cert {
            continue;
        }
        let (Some((cn, cf)), Some(ca)) = (e.cert_facts(), e.ca.as_ref()) else {
            continue;
        };
        let Some(caf) = ca.facts() else {
            continue;
        };
        let Some(leaf) = cf.leaf() else {
            continue;
        };
        if caf.certs.is_empty() || chains_to(leaf, &cf.certs[1..], &caf.certs) {
            continue;
        }
        let cas: Vec<String> = caf
            .certs
            .iter()
            .map(|c| format!("`{}`", c.name()))
            .collect();
        ctx.report(
            cn.span,
            format!(
                "certificate {} (issued by `{}`) is not signed by the CA in {} ({})",
                cn.path,
                leaf.info.issuer,
                ca.path,
                cas.join(", ")
            ),
            format!(
                "issue the certificate from the CA in {}, or point `{}` at the CA that issued it",
                ca.path, ca.key
            ),
        );
    }
}

/// Whether `leaf` chains to one of `cas`, possibly through `intermediates`.
fn chains_to(leaf: &Cert, intermediates: &[Cert], cas: &[Cert]) -> bool {
    if cas.iter().any(|ca| ca.info.der == leaf.info.der) {
        return true;
    }
    let mut current = &leaf.info;
    for _ in 0..=intermediates.len() {
        if cas.iter().any(|ca| signed_by(current, &ca.info)) {
            return true;
        }
        match intermediates
            .iter()
            .find(|i| i.info.der != current.der && signed_by(current, &i.info))
        {
            Some(i) => current = &i.info,
            None => return false,
        }
    }
    false
}
