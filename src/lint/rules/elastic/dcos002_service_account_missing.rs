use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::elastic::ElasticOptions;

crate::declare_rule! {
    /// ## What it does
    /// Flags DC/OS Elastic options that turn transport encryption on
    /// (`service.security.transport_encryption.enabled: true`) while `service.service_account`
    /// or `service.service_account_secret` is empty or absent (the schema default is `""`).
    ///
    /// ## Why is this bad?
    /// Transport encryption takes its certificates from the DC/OS CA, which the service reaches
    /// as a DC/OS service account whose key is in the Secret Store: the documented install
    /// options are `{"service": {"service_account": "...", "service_account_secret": "...",
    /// "security": {"transport_encryption": {"enabled": true}}}}` (F-D4). Without the account
    /// the service cannot obtain certificates and the deployment does not come up (F-D1: both
    /// default to `""`).
    ///
    /// ## Example
    /// ```json
    /// {"service": {"name": "elastic",
    ///   "security": {"transport_encryption": {"enabled": true}}}}
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
    /// No automatic fix: the account and its secret must first be created with `dcos security`
    /// and granted the permissions of F-D4.
    ///
    /// ## References
    /// - FACTS F-D1, F-D4 (mesosphere/dcos-commons `frameworks/elastic/universe/config.json`,
    ///   `frameworks/elastic/docs/security.md`; mesosphere/universe
    ///   `repo/packages/E/elastic/1200/config.json`; DC/OS Elastic security docs)
    pub static RULE = Rule {
        code: "DCOS002",
        name: "elastic-service-account-missing",
        target: Target::Elastic,
        severity: Severity::Error,
        summary: "transport encryption is on but service_account or service_account_secret is empty",
        check: Check::Elastic(check),
    };
}

fn check(c: &ElasticOptions, ctx: &mut Ctx) {
    if c.bool_at(
        ctx.sources,
        &["service", "security", "transport_encryption", "enabled"],
    ) != Some(true)
    {
        return;
    }
    let Some((enabled_span, _)) =
        c.path(&["service", "security", "transport_encryption", "enabled"])
    else {
        return;
    };
    let mut absent = Vec::new();
    for (key, help) in [
        ("service_account", "set service.service_account to the DC/OS service account (dcos security org service-accounts create)"),
        ("service_account_secret", "set service.service_account_secret to the Secret Store path of the account's key (dcos security secrets create-sa-secret)"),
    ] {
        match c.get(&["service", key]) {
            None => absent.push((key, help)),
            Some(node) => {
                if c.is_placeholder(ctx.sources, node) {
                    continue;
                }
                if node.as_str().is_some_and(|s| s.trim().is_empty()) {
                    ctx.report(c.span(&node.span), format!("service.{key} is empty while transport encryption is on"), help);
                }
            }
        }
    }
    // Absent keys have no place of their own: one finding on `enabled` names them all.
    match absent.as_slice() {
        [] => {}
        [(key, help)] => ctx.report(
            enabled_span,
            format!("transport encryption is on but service.{key} is not set, so the service cannot get certificates"),
            *help,
        ),
        _ => ctx.report(
            enabled_span,
            "transport encryption is on but service.service_account and service.service_account_secret are not set, so the service cannot get certificates",
            "create a DC/OS service account and its secret (dcos security org service-accounts create, dcos security secrets create-sa-secret) and set both",
        ),
    }
}
