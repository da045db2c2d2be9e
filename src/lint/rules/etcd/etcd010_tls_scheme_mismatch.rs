use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags TLS settings that the listen URLs make meaningless, in both directions:
    /// - `cert-file`/`key-file` or `client-cert-auth` set while every `listen-client-urls` entry
    ///   is `http://` or `unix://` (same for the peer settings and `listen-peer-urls`): etcd logs
    ///   "ignoring key and cert files" and serves plaintext;
    /// - an `https://` (or `unixs://`) listen URL with no cert/key pair and no auto-tls: etcd
    ///   refuses to start ("TLS key/cert … must be provided for client url … with HTTPS scheme").
    ///
    /// A proxy's cert/key pair (loopback-only plain listeners, no peer listener, F-E28) is the
    /// client certificate it presents to the members, not server TLS, and is not reported.
    ///
    /// ## Why is this bad?
    /// The first case looks secure in review and is not; the second takes the member down at the
    /// next restart.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_LISTEN_CLIENT_URLS=http://10.0.0.11:2379"
    /// Environment="ETCD_CLIENT_CERT_AUTH=true"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_LISTEN_CLIENT_URLS=https://10.0.0.11:2379"
    /// Environment="ETCD_CLIENT_CERT_AUTH=true"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - FACTS F-E9 (etcd release-3.4 and 3.5 `embed/etcd.go`), F-E28
    pub static RULE = Rule {
        code: "ETCD010",
        name: "tls-scheme-mismatch",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "TLS settings on http-only listeners, or an https listener without a key pair",
        check: Check::Etcd(check),
    };
}

struct Side {
    urls: &'static str,
    cert: &'static str,
    key: &'static str,
    auth: &'static str,
    auto: &'static str,
}

const SIDES: [Side; 2] = [
    Side {
        urls: "listen-client-urls",
        cert: "cert-file",
        key: "key-file",
        auth: "client-cert-auth",
        auto: "auto-tls",
    },
    Side {
        urls: "listen-peer-urls",
        cert: "peer-cert-file",
        key: "peer-key-file",
        auth: "peer-client-cert-auth",
        auto: "peer-auto-tls",
    },
];

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let sources = ctx.sources;
    let file_of = |id| sources.get(id);
    let proxy = c.is_proxy(&file_of);
    for side in &SIDES {
        let urls = c.urls(&file_of, side.urls);
        if urls.is_empty() || urls.iter().any(|(_, _, u)| u.scheme.is_none()) {
            continue;
        }
        let all_plain = urls
            .iter()
            .all(|(_, _, u)| matches!(u.scheme.as_deref(), Some("http" | "unix")));
        if all_plain {
            let mut ignored: Vec<&str> = Vec::new();
            if !proxy {
                ignored.extend(
                    [side.cert, side.key]
                        .into_iter()
                        .filter(|f| c.value(f).is_some()),
                );
            }
            if super::flag_true(c, ctx, side.auth) == Some(true) {
                ignored.push(side.auth);
            }
            if let Some(first) = ignored.first().and_then(|f| c.get(f)) {
                let list = ignored
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                ctx.report(
                    first.key,
                    format!(
                        "{list} ignored: every `{}` entry is plain http or unix",
                        side.urls
                    ),
                    format!(
                        "serve `{}` over https:// so these settings take effect, or remove them",
                        side.urls
                    ),
                );
            }
        } else if c.value(side.cert).is_none()
            && c.value(side.key).is_none()
            && super::flag_true(c, ctx, side.auto) == Some(false)
            && !c.open
        {
            if let Some((url, span, _)) = urls.iter().find(|(_, _, u)| u.is_tls()) {
                ctx.report(
                    *span,
                    format!(
                        "`{url}` is https but `{}` and `{}` are not set, so etcd will not start",
                        side.cert, side.key
                    ),
                    format!("set `{}` and `{}`", side.cert, side.key),
                );
            }
        }
    }
}
