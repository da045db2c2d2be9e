use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::CertView;

crate::declare_rule! {
    /// ## What it does
    /// Flags a private key that is not the key of the certificate it is paired with: etcd
    /// `key-file` with `cert-file`, `peer-key-file` with `peer-cert-file`, `ETCDCTL_KEY` with
    /// `ETCDCTL_CERT`, InfluxDB `https-private-key` with `https-certificate` (or the key inside an
    /// `https-certificate` bundle), Telegraf `tls_key` with `tls_cert`. The public half derived
    /// from the key (RSA modulus, EC point, Ed25519 key) is compared with the certificate's; a key
    /// in a format tlsgen cannot read is never judged.
    ///
    /// ## Why is this bad?
    /// Go's `tls.LoadX509KeyPair` refuses a mismatched pair ("private key does not match public
    /// key"): etcd and InfluxDB do not start, Telegraf's output plugin fails. A pair is mixed up
    /// easily when certificates are renewed by hand or several hosts share one directory.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/server1.pem"
    /// Environment="ETCD_KEY_FILE=/etc/ssl/etcd/server2-key.pem"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/server1.pem"
    /// Environment="ETCD_KEY_FILE=/etc/ssl/etcd/server1-key.pem"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS F-E10 (a certificate needs its key), F-E28; Go `crypto/tls.X509KeyPair`
    pub static RULE = Rule {
        code: "CERT003",
        name: "key-does-not-match-certificate",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "the private key is not the key of the certificate it is paired with",
        check: Check::Cert(check),
    };
}

fn check(v: &CertView, ctx: &mut Ctx) {
    for e in &v.endpoints {
        let (Some((cn, cf)), Some((kn, kf))) = (e.cert_facts(), e.key_file()) else {
            continue;
        };
        let Some(cert_key) = cf.leaf().and_then(|c| c.public.as_ref()) else {
            continue;
        };
        let Some(key) = kf.keys.first().and_then(|k| k.public.as_ref()) else {
            continue;
        };
        if key != cert_key {
            let what = if std::ptr::eq(cn, kn) {
                format!(
                    "the private key in {} does not match its certificate",
                    kn.path
                )
            } else {
                format!(
                    "private key {} does not match certificate {}",
                    kn.path, cn.path
                )
            };
            ctx.report(
                kn.span,
                what,
                format!(
                    "point `{}` at the key issued with the certificate, or issue a new pair",
                    kn.key
                ),
            );
        }
    }
}
