use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::kubernetes::EncryptionConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags a `resources` entry of an `EncryptionConfiguration` (or legacy `EncryptionConfig`)
    /// that covers `secrets` (`secrets`, `*.` or `*.*`) and whose first provider is `identity`.
    /// A first element that holds more than one provider is invalid (K8SENC007) and not judged
    /// here.
    ///
    /// ## Why is this bad?
    /// "The first provider in the list is used to encrypt resources written into the storage"
    /// (F-K3): with `identity` first, Secrets are written to etcd in plaintext, whatever
    /// providers follow. kube-bench CIS 1.2.28 looks at exactly this first provider.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - identity: {}
    ///       - kms: {apiVersion: v2, name: kms, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms, endpoint: unix:///var/run/kms.sock}
    ///       - identity: {}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: reordering changes what new writes use; existing data must be
    /// rewritten (F-K9).
    ///
    /// ## References
    /// - FACTS F-K3, F-K9 (Kubernetes "Encrypting Confidential Data at Rest"); kube-bench CIS 1.2.28
    pub static RULE = Rule {
        code: "K8SENC001",
        name: "identity-provider-first",
        target: Target::Kubernetes,
        severity: Severity::Error,
        summary: "the first provider for secrets is identity (no encryption)",
        check: Check::Kubernetes(check),
    };
}

fn check(c: &EncryptionConfig, ctx: &mut Ctx) {
    let Some(resources) = c.doc.get("resources") else {
        return;
    };
    for entry in resources.as_seq() {
        let covers_secrets = entry
            .get("resources")
            .map(|r| {
                r.as_seq()
                    .iter()
                    .filter_map(|n| n.as_str())
                    .any(|r| matches!(r, "secrets" | "*." | "*.*"))
            })
            .unwrap_or(false);
        if !covers_secrets {
            continue;
        }
        let Some(first) = entry.get("providers").and_then(|p| p.as_seq().first()) else {
            continue;
        };
        // An element holding several providers (or an unknown key) is refused by kube-apiserver
        // and reported by K8SENC007; which of its keys is "first" means nothing then.
        let [(key, _)] = first.as_map() else {
            continue;
        };
        if key.text == "identity" && !c.key_is_placeholder(ctx.sources, key) {
            ctx.report(
                c.span(&key.span),
                "`identity` is the first provider for secrets, so they are stored unencrypted",
                "put a kms (v2), secretbox or aescbc provider first and keep identity last, for reading old data",
            );
        }
    }
}
