use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::{CertView, Lookup, Role};

crate::declare_rule! {
    /// ## What it does
    /// With `--check-files` (or `check-files = true` in `[lint.certs]`), flags a certificate,
    /// key or CA file that a configuration names and that does not exist. Always (whenever the
    /// file exists and can be read), flags a certificate or CA file holding no PEM certificate,
    /// and a key file holding no PEM private key (an encrypted key counts as a key; see CERT008).
    ///
    /// Where a path is looked for: under `--root DIR`; else, for a file in the layout
    /// `render` and `certs` write (`OUT/<host>/etc/...`), under `OUT/<host>/`; else as written.
    ///
    /// ## Why is this bad?
    /// etcd, InfluxDB and Telegraf fail to start (or the output plugin fails) when a named file
    /// is missing or holds no PEM block ("failed to find any PEM data"). Checking files before a
    /// deployment catches a path typo or a certificate not yet copied to the host.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/sever1.pem"
    /// ```
    ///
    /// ## Use instead
    /// The path of a file that exists on the host (`tlsgen certs -o OUT` writes it to
    /// `OUT/<host>/<path>`).
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS F-E10, F-E28; Go `crypto/tls.X509KeyPair` ("failed to find any PEM data")
    pub static RULE = Rule {
        code: "CERT010",
        name: "named-file-missing",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "a named certificate, key or CA file is missing (--check-files) or holds no PEM block",
        check: Check::Cert(check),
    };
}

fn check(v: &CertView, ctx: &mut Ctx) {
    for e in &v.endpoints {
        for n in e.files() {
            match &n.lookup {
                Lookup::Missing(looked) if v.check_files => {
                    let message = if *looked == n.path {
                        format!("{} does not exist", n.path)
                    } else {
                        format!("{} does not exist (looked for {looked})", n.path)
                    };
                    ctx.report(
                        n.span,
                        message,
                        "create the file, or fix the path (`tlsgen certs -o OUT` writes OUT/<host>/<path>)",
                    );
                }
                Lookup::Missing(_) => {}
                Lookup::Found(f) if f.readable => {
                    let empty = match n.role {
                        Role::Cert | Role::Ca => f.certs.is_empty().then_some("no PEM certificate"),
                        Role::Key => {
                            (f.keys.is_empty() && !f.encrypted_key).then_some("no PEM private key")
                        }
                    };
                    if let Some(what) = empty {
                        ctx.report(
                            n.span,
                            format!("{} holds {what}", n.path),
                            format!(
                                "point `{}` at a PEM file, or replace the file's content",
                                n.key
                            ),
                        );
                    }
                }
                Lookup::Found(_) => {}
            }
        }
    }
}
