use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::files::date;
use crate::lint::view::cert::CertView;

crate::declare_rule! {
    /// ## What it does
    /// Reads every certificate and CA file a configuration names (when the file exists) and
    /// flags a certificate that has expired (error) or expires within `--expiry-days` days
    /// (warning; default 30, `expiry-days` in `[lint.certs]` of `tlsgen.toml`). When a file holds
    /// several certificates (a chain, a CA bundle), the one that expires first is reported.
    ///
    /// ## Why is this bad?
    /// Go's TLS stack (etcd, InfluxDB, Telegraf) rejects an expired certificate during the
    /// handshake: an expired member certificate breaks peer traffic and every client, an expired
    /// CA breaks every certificate it issued. Certificates renewed only after the outage is
    /// noticed are the most common TLS incident of long-running etcd clusters.
    ///
    /// ## Example
    /// ```ini
    /// [Service]
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/server1.pem"   # notAfter 2020-01-01
    /// ```
    ///
    /// ## Use instead
    /// Re-issue the certificate (`tlsgen certs` re-issues expired certificates, and those due
    /// within `--renew-before`), copy it to the host, restart the service.
    ///
    /// ## Fix safety
    /// No automatic fix: a new certificate must be issued and deployed.
    ///
    /// ## References
    /// - RFC 5280 §4.1.2.5 (validity); FACTS F-E28 (the files of `30-certs.conf`)
    pub static RULE = Rule {
        code: "CERT001",
        name: "certificate-expired",
        target: Target::Cert,
        severity: Severity::Error,
        summary: "a named certificate or CA has expired, or expires within --expiry-days",
        check: Check::Cert(check),
    };
}

fn check(v: &CertView, ctx: &mut Ctx) {
    for e in &v.endpoints {
        for n in [&e.cert, &e.ca].into_iter().flatten() {
            let Some(f) = n.facts() else {
                continue;
            };
            let Some(c) = f.certs.iter().min_by_key(|c| c.info.not_after) else {
                continue;
            };
            let left = c.info.not_after - v.now;
            if left < 0 {
                ctx.report_as(
                    Severity::Error,
                    n.span,
                    format!(
                        "certificate `{}` in {} expired on {}",
                        c.name(),
                        n.path,
                        date(c.info.not_after)
                    ),
                    "issue a new certificate (`tlsgen certs` re-issues expired ones), deploy it and restart the service",
                );
            } else if left < v.expiry_days.saturating_mul(86_400) {
                ctx.report_as(
                    Severity::Warning,
                    n.span,
                    format!(
                        "certificate `{}` in {} expires in {}, within the {} of --expiry-days",
                        c.name(),
                        n.path,
                        crate::diag::count(left / 86_400, "day", "days"),
                        crate::diag::count(v.expiry_days, "day", "days")
                    ),
                    "renew it before it expires (`tlsgen certs --renew-before 30d` re-issues it)",
                );
            }
        }
    }
}
