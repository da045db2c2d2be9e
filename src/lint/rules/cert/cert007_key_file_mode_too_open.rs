use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::CertView;

crate::declare_rule! {
    /// ## What it does
    /// Flags a private key file (etcd `key-file`, `peer-key-file`, `ETCDCTL_KEY`, InfluxDB
    /// `https-private-key` or an `https-certificate` bundle holding a key, Telegraf `tls_key`)
    /// whose mode gives its group or others any access. `0600` is expected.
    ///
    /// ## Why is this bad?
    /// Anyone who can read the key can impersonate the member or client; with etcd's client
    /// certificate authentication that is full access to the data. CoreOS's guide sets
    /// `chmod 600 /etc/ssl/etcd/*-key.pem` (F-E14), InfluxData recommends `chmod 600` for the
    /// private key (F-I2), yet CoreOS's own unit sample ships keys with `mode: 0644` (F-E31).
    ///
    /// ## Example
    /// `-rw-r--r-- /etc/ssl/etcd/server1-key.pem`
    ///
    /// ## Use instead
    /// `chmod 600 /etc/ssl/etcd/server1-key.pem` and owner the service user
    /// (`chown etcd:etcd`). `tlsgen certs` writes keys 0600.
    ///
    /// ## Fix safety
    /// No automatic fix: lint does not change files on the host.
    ///
    /// ## References
    /// - FACTS F-E14, F-I2, F-E31
    pub static RULE = Rule {
        code: "CERT007",
        name: "key-file-mode-too-open",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "a private key file is accessible to its group or others (0600 expected)",
        check: Check::Cert(check),
    };
}

fn check(v: &CertView, ctx: &mut Ctx) {
    for e in &v.endpoints {
        let Some((n, f)) = e.key_file() else {
            continue;
        };
        let Some(mode) = f.mode.filter(|m| m & 0o077 != 0) else {
            continue;
        };
        let who = match (mode & 0o070 != 0, mode & 0o007 != 0) {
            (true, true) => "its group and others",
            (true, false) => "its group",
            _ => "others",
        };
        let access = if mode & 0o044 != 0 {
            "readable"
        } else {
            "accessible"
        };
        ctx.report(
            n.span,
            format!(
                "private key {} has mode {mode:04o}: {access} by {who}",
                n.path
            ),
            format!("chmod 600 {} and make the service user its owner", n.path),
        );
    }
}
