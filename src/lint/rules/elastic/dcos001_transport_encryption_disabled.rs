use crate::lint::placeholder::is_placeholder;
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::elastic::ElasticOptions;

crate::declare_rule! {
    /// ## What it does
    /// Flags DC/OS Elastic options where `service.security.transport_encryption.enabled` is
    /// false or absent (the schema default is false).
    ///
    /// ## Why is this bad?
    /// Without it Elasticsearch nodes talk to each other and to clients in plaintext; turning it
    /// on makes the package configure `xpack.security.transport.ssl` and `http.ssl` with
    /// certificates from the DC/OS CA (F-D1, F-D3).
    ///
    /// ## Example
    /// ```json
    /// {"service": {"name": "elastic"}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"service": {"name": "elastic", "service_account": "elastic",
    ///   "service_account_secret": "elastic/secret",
    ///   "security": {"transport_encryption": {"enabled": true}}}}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: enabling it on a running service needs a full-cluster restart with
    /// `update_strategy: parallel` (F-D5).
    ///
    /// ## References
    /// - FACTS F-D1, F-D3, F-D5 (DC/OS Elastic `config.json` schema, limitations and security docs)
    pub static RULE = Rule {
        code: "DCOS001",
        name: "elastic-transport-encryption-disabled",
        target: Target::Elastic,
        severity: Severity::Error,
        summary: "service.security.transport_encryption.enabled is false or absent",
        check: Check::Elastic(check),
    };
}

fn check(c: &ElasticOptions, ctx: &mut Ctx) {
    let help = "set service.security.transport_encryption.enabled to true (with service_account and service_account_secret)";
    match c.path(&["service", "security", "transport_encryption", "enabled"]) {
        Some((_, node)) => {
            let value = node.as_str().unwrap_or("");
            let raw = ctx.text(c.span(&node.span)).to_string();
            if value == "true" || is_placeholder(value) || is_placeholder(&raw) {
                return;
            }
            ctx.report(
                c.span(&node.span),
                "transport encryption is disabled, so Elasticsearch traffic is plaintext",
                help,
            );
        }
        None => {
            let anchor = c
                .path(&["service", "security", "transport_encryption"])
                .or_else(|| c.path(&["service", "security"]))
                .or_else(|| c.path(&["service"]))
                .map(|(s, _)| s)
                .unwrap_or(c.span(&(c.doc.span.start..c.doc.span.start + 1)));
            ctx.report(anchor, "transport encryption is not enabled (the default is false), so Elasticsearch traffic is plaintext", help);
        }
    }
}
