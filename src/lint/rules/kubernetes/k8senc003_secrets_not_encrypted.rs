use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::kubernetes::EncryptionConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags an `EncryptionConfiguration` where no `resources` list covers Secrets (`secrets`,
    /// `*.` or `*.*`), or where the list that covers them has no provider at all. (A list for
    /// Secrets whose providers are only `identity` is reported by K8SENC001, once.)
    ///
    /// ## Why is this bad?
    /// Resources that no list names are written with the default `identity` provider, that is
    /// unencrypted (F-K3): the file turns encryption at rest on for other resources and leaves
    /// Secrets, the reason for the feature, in plaintext in etcd. KICS
    /// `encryption_provider_not_properly_configured` checks the same condition. A list without
    /// providers is rejected by kube-apiserver ("at least one providers is required", F-K1, F-K5).
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   - resources: [configmaps]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resources:
    ///   - resources: [secrets, configmaps]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms, endpoint: unix:///var/run/kms.sock}
    ///       - identity: {}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: which provider should encrypt Secrets is a decision, and existing Secrets
    /// must be rewritten afterwards (F-K9).
    ///
    /// ## References
    /// - FACTS F-K1, F-K3, F-K5 (Kubernetes "Encrypting Confidential Data at Rest" and the
    ///   EncryptionConfiguration API reference, kubernetes/website; kube-apiserver
    ///   `validation_encryption.go`, kubernetes/kubernetes)
    /// - KICS `encryption_provider_not_properly_configured` (Checkmarx/kics)
    pub static RULE = Rule {
        code: "K8SENC003",
        name: "secrets-not-encrypted",
        target: Target::Kubernetes,
        severity: Severity::Error,
        summary: "no resource list with a provider covers secrets",
        check: Check::Kubernetes(check),
    };
}

fn check(c: &EncryptionConfig, ctx: &mut Ctx) {
    let entries = c.entries();
    // A templated resource name may well be `secrets`: unknown, never reported.
    let templated = entries.iter().any(|e| {
        e.get("resources")
            .map(|r| {
                c.is_placeholder(ctx.sources, r)
                    || r.as_seq().iter().any(|n| c.is_placeholder(ctx.sources, n))
            })
            .unwrap_or(false)
    });
    if templated {
        return;
    }
    match entries.iter().find(|e| c.covers_secrets(e)) {
        None => {
            let anchor = c
                .doc
                .entry("resources")
                .map(|(k, _)| c.span(&k.span))
                .unwrap_or(c.kind);
            ctx.report(
                anchor,
                "no resource list covers secrets, so they are written to etcd unencrypted",
                "add `secrets` to the resources of a list whose first provider is kms (apiVersion: v2)",
            );
        }
        Some(entry) => {
            let providers = entry.entry("providers");
            let empty = providers
                .map(|(_, p)| p.as_seq().is_empty() && !c.is_placeholder(ctx.sources, p))
                .unwrap_or(true);
            if empty {
                let anchor = providers
                    .map(|(k, _)| c.span(&k.span))
                    .or_else(|| entry.entry("resources").map(|(k, _)| c.span(&k.span)))
                    .unwrap_or(c.kind);
                ctx.report(
                    anchor,
                    "the resource list for secrets has no provider, so kube-apiserver rejects the file",
                    "list a kms provider (apiVersion: v2) first and identity last under `providers`",
                );
            }
        }
    }
}
