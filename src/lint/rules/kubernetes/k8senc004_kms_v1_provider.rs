use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::kubernetes::EncryptionConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags a `kms` provider without `apiVersion` (which defaults to `v1`) or with
    /// `apiVersion: v1`.
    ///
    /// ## Why is this bad?
    /// "KMS v1 deprecated since v1.28, disabled by default since v1.29" (enable it with
    /// `--feature-gates=KMSv1=true`); KMS v2 is stable since 1.29 (F-K7). An empty `apiVersion`
    /// is defaulted to `v1` (F-K5), so on a 1.29+ cluster kube-apiserver refuses the provider
    /// unless the feature gate is on.
    ///
    /// The rule is a warning: tlsgen's `tlsgen.toml` has no setting for the Kubernetes version
    /// yet, so lint cannot tell a 1.29+ cluster (where this is an error) from an older one.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - kms: {name: kms, endpoint: unix:///var/run/kms.sock, cachesize: 1000}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - kms: {apiVersion: v2, name: kms, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: v2 needs a plugin that speaks the v2 API, and a v1 `cachesize` must go
    /// (K8SENC005).
    ///
    /// ## References
    /// - FACTS F-K5, F-K7 (Kubernetes "Using a KMS provider for data encryption",
    ///   kubernetes/website `content/en/docs/tasks/administer-cluster/kms-provider.md`; v1.29
    ///   release blog)
    pub static RULE = Rule {
        code: "K8SENC004",
        name: "kms-v1-provider",
        target: Target::Kubernetes,
        severity: Severity::Warning,
        summary: "a kms provider uses the deprecated KMS v1 (no apiVersion, or v1)",
        check: Check::Kubernetes(check),
    };
}

const HELP: &str = "set `apiVersion: v2` with a KMS v2 plugin (v1 needs --feature-gates=KMSv1=true on Kubernetes 1.29+)";

fn check(c: &EncryptionConfig, ctx: &mut Ctx) {
    for element in c.provider_elements() {
        let Some((key, kms)) = element.node.entry("kms") else {
            continue;
        };
        match kms.entry("apiVersion") {
            None => ctx.report(
                c.span(&key.span),
                "this kms provider has no apiVersion, so it is KMS v1 (deprecated since 1.28, off by default since 1.29)",
                HELP,
            ),
            Some((_, v)) => {
                if v.as_str() == Some("v1") && !c.is_placeholder(ctx.sources, v) {
                    ctx.report(c.span(&v.span), "`apiVersion: v1` is KMS v1, deprecated since kubernetes 1.28 and off by default since 1.29", HELP);
                }
            }
        }
    }
}
