use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::CertView;

crate::declare_rule! {
    /// ## What it does
    /// Flags a certificate whose extended key usage extension lacks the usage the service puts
    /// it to: `serverAuth` for a certificate that serves TLS (etcd member `cert-file`, InfluxDB
    /// `https-certificate`), `clientAuth` for one presented to a server (Telegraf `tls_cert`,
    /// `ETCDCTL_CERT`, a proxy's pair), and **both** for an etcd member's `peer-cert-file`, which
    /// is used for listening and for dialing the other members (E34-SEC, F-E28). A certificate
    /// without the extension, or with anyExtendedKeyUsage, is accepted for any usage by Go and is
    /// not reported.
    ///
    /// ## Why is this bad?
    /// Go verifies the extended key usage of the peer's certificate: a peer certificate without
    /// `clientAuth` is refused by the other members ("certificate specifies an incompatible key
    /// usage") and the member cannot join; a server certificate without `serverAuth` is refused
    /// by every client.
    ///
    /// ## Example
    /// A member whose `peer-cert-file` was issued with `serverAuth` only.
    ///
    /// ## Use instead
    /// Issue member certificates with both usages (`tlsgen certs` does), client certificates
    /// with `clientAuth`.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS F-E28; E34-SEC (peer certificate used for listening and dialing); RFC 5280 §4.2.1.12
    pub static RULE = Rule {
        code: "CERT005",
        name: "extended-key-usage-missing",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "the certificate lacks serverAuth or clientAuth for the way it is used",
        check: Check::Cert(check),
    };
}

fn check(v: &CertView, ctx: &mut Ctx) {
    for e in &v.endpoints {
        let Some((n, f)) = e.cert_facts() else {
            continue;
        };
        let Some(leaf) = f.leaf() else {
            continue;
        };
        if !leaf.has_eku || leaf.any_eku {
            continue;
        }
        let mut missing = Vec::new();
        if e.server && !leaf.info.server_auth {
            missing.push("serverAuth");
        }
        if e.client && !leaf.info.client_auth {
            missing.push("clientAuth");
        }
        if missing.is_empty() {
            continue;
        }
        let uses = match (e.server, e.client) {
            (true, true) => "as a server and as a client certificate",
            (true, false) => "as a server certificate",
            _ => "as a client certificate",
        };
        ctx.report(
            n.span,
            format!(
                "certificate {} lacks extended key usage {}: the {} certificate is used {uses}",
                n.path,
                missing.join(" and "),
                e.what
            ),
            format!(
                "re-issue it with {} (tlsgen certs gives etcd member certificates both)",
                missing.join(" and ")
            ),
        );
    }
}
