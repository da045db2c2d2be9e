use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::kubernetes::EncryptionConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags a `resources` entry of an `EncryptionConfiguration` whose first provider, the one
    /// every write uses, is `aescbc` or `aesgcm`: encryption with a raw key kept in the file on
    /// the control-plane host. (`identity` first is K8SENC001; `kms` v1 is K8SENC004; a first
    /// element holding several providers is K8SENC007 alone.)
    ///
    /// ## Why is this bad?
    /// "The first provider in the list is used to encrypt resources written into the storage"
    /// (F-K3). The Kubernetes provider table rates `aescbc` "Weak … Not recommended due to CBC's
    /// vulnerability to padding oracle attacks. Key material accessible from control plane host",
    /// and `aesgcm` "Must be rotated every 200,000 writes … Not recommended for use except when an
    /// automated key rotation scheme is implemented"; "Storing the raw encryption key in the
    /// EncryptionConfig only moderately improves your security posture … Please use kms provider"
    /// (F-K4). kube-bench CIS 1.2.28 accepts only `aescbc`, `kms` or `secretbox` first, so an
    /// `aesgcm` first provider also fails the benchmark.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - aesgcm: {keys: [{name: key1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}
    ///       - identity: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms, endpoint: unix:///var/run/kms.sock}
    ///       - aesgcm: {keys: [{name: key1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}
    ///       - identity: {}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a new first provider needs a running KMS plugin, and existing data must
    /// be rewritten after the change (F-K9).
    ///
    /// ## References
    /// - FACTS F-K3, F-K4 (Kubernetes "Encrypting Confidential Data at Rest",
    ///   kubernetes/website `content/en/docs/tasks/administer-cluster/encrypt-data.md`)
    /// - kube-bench CIS 1.2.28 (aquasecurity/kube-bench `cfg/cis-*/master.yaml`)
    pub static RULE = Rule {
        code: "K8SENC002",
        name: "weak-first-provider",
        target: Target::Kubernetes,
        severity: Severity::Warning,
        summary: "the first provider is aescbc or aesgcm (a local key) rather than kms v2 or secretbox",
        check: Check::Kubernetes(check),
    };
}

const HELP: &str = "put a kms provider with apiVersion: v2 first, and keep the local-key provider after it only to read old data";

fn check(c: &EncryptionConfig, ctx: &mut Ctx) {
    for entry in c.entries() {
        let Some(first) = entry.get("providers").and_then(|p| p.as_seq().first()) else {
            continue;
        };
        // Several providers in one element: refused by kube-apiserver, K8SENC007's.
        let [(key, _)] = first.as_map() else {
            continue;
        };
        if c.key_is_placeholder(ctx.sources, key) {
            continue;
        }
        let message = match key.text.as_str() {
            "aesgcm" => "`aesgcm` is the first provider: a local key that must be rotated every 200,000 writes, and kube-bench 1.2.28 fails it",
            "aescbc" => "`aescbc` is the first provider: a local key readable on the control-plane host, and CBC is open to padding oracle attacks",
            _ => continue,
        };
        ctx.report(c.span(&key.span), message, HELP);
    }
}
