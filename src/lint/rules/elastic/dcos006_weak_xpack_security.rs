use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::elastic::{ElasticOptions, JsonType};

crate::declare_rule! {
    /// ## What it does
    /// Flags DC/OS Elastic options that leave X-Pack security weak: `health_user_password`
    /// written as the default `changeme` while security is on (`xpack_security_enabled: true`,
    /// or transport encryption, which forces it on), and
    /// `xpack_security_transport_ssl_verification_mode` set to `certificate` or `none`.
    ///
    /// An absent `health_user_password` is not reported: the option only tells the scheduler
    /// which credentials its health checks use, and lint cannot see the cluster's password.
    ///
    /// ## Why is this bad?
    /// `health_user_password` defaults to `changeme` and "you are not setting the password here.
    /// You are telling the framework the credentials to use" (F-D2): writing `changeme` means
    /// the cluster's `elastic` user still has the well-known default password. With transport
    /// encryption on, `elasticsearch.yml` gets `xpack.security.enabled: true` regardless of
    /// `xpack_security_enabled` (F-D3). The verification mode defaults to `full`; `certificate`
    /// skips the host name check and `none` accepts any certificate (F-D2).
    ///
    /// ## Example
    /// ```json
    /// {"service": {"security": {"transport_encryption": {"enabled": true}}},
    ///  "elasticsearch": {"health_user_password": "changeme",
    ///    "xpack_security_transport_ssl_verification_mode": "none"}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"service": {"security": {"transport_encryption": {"enabled": true}}},
    ///  "elasticsearch": {"health_user_password": "<the password set with elasticsearch-setup-passwords>"}}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the password must first be changed in Elasticsearch, and `full`
    /// verification needs certificates that name the nodes.
    ///
    /// ## References
    /// - FACTS F-D2, F-D3 (mesosphere/universe `repo/packages/E/elastic/1200/config.json`;
    ///   mesosphere/dcos-commons `frameworks/elastic/src/main/dist/elasticsearch.yml`)
    pub static RULE = Rule {
        code: "DCOS006",
        name: "elastic-weak-xpack-security",
        target: Target::Elastic,
        severity: Severity::Warning,
        summary: "health_user_password is changeme with security on, or transport verification is not full",
        check: Check::Elastic(check),
    };
}

fn check(c: &ElasticOptions, ctx: &mut Ctx) {
    let security_on = c.bool_at(ctx.sources, &["elasticsearch", "xpack_security_enabled"])
        == Some(true)
        || c.bool_at(
            ctx.sources,
            &["service", "security", "transport_encryption", "enabled"],
        ) == Some(true);
    if security_on {
        if let Some((node, "changeme")) =
            c.str_at(ctx.sources, &["elasticsearch", "health_user_password"])
        {
            ctx.report(
                c.span(&node.span),
                "health_user_password is the default `changeme` while X-Pack security is on",
                "change the elastic user's password (elasticsearch-setup-passwords) and write the new one here",
            );
        }
    }
    let mode_path = [
        "elasticsearch",
        "xpack_security_transport_ssl_verification_mode",
    ];
    if let Some(node) = c.get(&mode_path) {
        if c.json_type(ctx.sources, node) == JsonType::String {
            let mode = node.as_str().unwrap_or("");
            let why = match mode {
                "certificate" => "checks the certificate chain but not the node's host name",
                "none" => "accepts any certificate",
                _ => return,
            };
            ctx.report(
                c.span(&node.span),
                format!("transport verification mode `{mode}` {why}"),
                "remove it (the default is full) or write \"full\"",
            );
        }
    }
}
