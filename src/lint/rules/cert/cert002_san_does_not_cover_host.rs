use std::collections::BTreeSet;

use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::CertView;

crate::declare_rule! {
    /// ## What it does
    /// Flags a server certificate whose subject alternative names do not cover a host the
    /// service advertises: for an etcd member, the hosts of the `https://` URLs of
    /// `advertise-client-urls` (client certificate) and `initial-advertise-peer-urls` (peer
    /// certificate); for InfluxDB, the node's `hostname`. IP hosts must be IP SANs; DNS hosts
    /// must match a DNS SAN (a `*.` wildcard covers one label). The common name is not
    /// consulted, as Go ignores it.
    ///
    /// ## Why is this bad?
    /// Clients verify the server's certificate against the host they dial, which is the
    /// advertised URL. etcd peers also check the IP SANs of a peer certificate against the
    /// remote address (F-E11). InfluxDB's `hostname` "must match a hostname/wildcard in the
    /// certificate", else `http: TLS handshake error` and the cluster breaks (FACTS §3.3).
    ///
    /// ## Example
    /// ```ini
    /// --advertise-client-urls=https://10.0.0.99:2379
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/server1.pem"   # SANs: IP:10.0.0.11
    /// ```
    ///
    /// ## Use instead
    /// Re-issue the certificate with the advertised address as a SAN (`tlsgen certs` puts each
    /// member's address, 127.0.0.1 and localhost in its certificate), or advertise an address
    /// the certificate covers.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS F-E11, F-E28, §3.3 `hostname`; RFC 6125 §6.4 (wildcards)
    pub static RULE = Rule {
        code: "CERT002",
        name: "san-does-not-cover-host",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "the certificate's subject alternative names do not cover an advertised host",
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
        let mut seen = BTreeSet::new();
        for (host, from) in &e.hosts {
            if !seen.insert(host) || leaf.covers(host) {
                continue;
            }
            ctx.report(
                n.span,
                format!(
                    "certificate {} does not cover {host}, advertised in `{from}`: {}",
                    n.path,
                    match leaf.info.sans.len() {
                        0 => "it has no subject alternative name".to_string(),
                        1 => format!("its only name is {}", leaf.san_list()),
                        _ => format!("its names are {}", leaf.san_list()),
                    }
                ),
                format!(
                    "re-issue the certificate with {host} as a subject alternative name, or advertise a name it covers"
                ),
            );
        }
    }
}
