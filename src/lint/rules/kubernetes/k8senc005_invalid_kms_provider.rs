use crate::lint::fix::{Applicability, Fix};
use crate::lint::parse::yaml::{YKey, YNode};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::kubernetes::EncryptionConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags a `kms` provider kube-apiserver rejects: `cachesize` with KMS v2, a v2 `name` with
    /// `:`, a `name` already used by another KMS provider, a missing `name` or `endpoint`, an
    /// `endpoint` whose scheme is not `unix`, a `timeout` of zero or less, `cachesize: 0` with
    /// KMS v1, or an `apiVersion` other than `v1`/`v2`.
    ///
    /// ## Why is this bad?
    /// kube-apiserver validates the file at start-up and refuses to run with any of these
    /// (F-K5, verified in `validation_encryption.go`): "cachesize is not supported in v2";
    /// "invalid KMS provider name …, must not contain ':'" (v2); "duplicate KMS provider name
    /// …, names must be unique" (a v2 name against every KMS name; a v1 name only with
    /// `--encryption-provider-config-automatic-reload`, so that case is a warning);
    /// "unsupported scheme … for KMS provider, only unix is supported"; "timeout should be a
    /// positive value"; "cachesize should be a positive value, or negative to disable" (v1,
    /// whose empty `apiVersion` defaults to v1); "only v1 and v2 are supported". The KMS v2
    /// fields are `apiVersion`, `name`, `endpoint`, `timeout`, with no `cachesize` (F-K6).
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - kms: {apiVersion: v2, name: "vault:prod", endpoint: tcp://10.0.0.5:8080, cachesize: 1000}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - kms: {apiVersion: v2, name: vault-prod, endpoint: unix:///var/run/kms/vault.sock, timeout: 3s}
    /// ```
    ///
    /// ## Fix safety
    /// Removing `cachesize` from a v2 provider is safe (v2 ignores it; the server rejects it).
    /// The other cases need a decision (a name, a socket path) and have no automatic fix.
    ///
    /// ## References
    /// - FACTS F-K5, F-K6 (kubernetes/kubernetes
    ///   `staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation_encryption.go`;
    ///   kubernetes/website `content/en/docs/tasks/administer-cluster/kms-provider.md`)
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "K8SENC005",
        name: "invalid-kms-provider",
        target: Target::Kubernetes,
        severity: Severity::Error,
        summary: "a kms provider has a setting kube-apiserver rejects",
        check: Check::Kubernetes(check),
    };
}

/// Go `time.ParseDuration` values that are zero or negative (`0`, `0s`, `-1s`, `-500ms`).
fn non_positive_duration(v: &str) -> bool {
    let v = v.trim();
    if v.starts_with('-') {
        return v.bytes().any(|b| b.is_ascii_digit());
    }
    v.bytes().any(|b| b.is_ascii_digit())
        && v.bytes().filter(|b| b.is_ascii_digit()).all(|b| b == b'0')
}

/// The edit that deletes a `key: scalar` line of a block mapping; `None` for flow style
/// (`{name: a, cachesize: 1}`) or a value that spans lines.
fn remove_block_line(
    c: &EncryptionConfig,
    ctx: &Ctx,
    key: &YKey,
    value: &YNode,
) -> Option<crate::lint::fix::Edit> {
    value.as_str()?;
    let file = ctx.sources.get(c.file);
    let text = file.text.as_str();
    let line_start = text[..key.span.start]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let line_end = file.line_end(key.span.start);
    let rest = text[value.span.end.min(line_end)..line_end].trim();
    let only_this = text[line_start..key.span.start].trim().is_empty()
        && value.span.end <= line_end
        && (rest.is_empty() || rest.starts_with('#'));
    only_this.then(|| crate::lint::fix::delete_lines(file, c.file, key.span.start, value.span.end))
}

fn check(c: &EncryptionConfig, ctx: &mut Ctx) {
    let mut names: Vec<String> = Vec::new();
    for element in c.provider_elements() {
        let Some((key, kms)) = element.node.entry("kms") else {
            continue;
        };
        let known = |n: &YNode, ctx: &Ctx| -> Option<String> {
            if c.is_placeholder(ctx.sources, n) {
                None
            } else {
                n.as_str().map(|s| s.trim().to_string())
            }
        };
        // Empty apiVersion defaults to v1 (F-K5); a placeholder leaves the version unknown.
        let version: Option<String> = match kms.get("apiVersion") {
            None => Some("v1".to_string()),
            Some(v) => known(v, ctx).map(|s| if s.is_empty() { "v1".to_string() } else { s }),
        };
        if let (Some(ver), Some((_, v))) = (&version, kms.entry("apiVersion")) {
            if ver != "v1" && ver != "v2" {
                ctx.report(
                    c.span(&v.span),
                    format!("kms apiVersion `{ver}` is not supported (only v1 and v2)"),
                    "write `apiVersion: v2`",
                );
            }
        }
        let v2 = version.as_deref() == Some("v2");
        let v1 = version.as_deref() == Some("v1");
        match kms.entry("name") {
            Some((_, n)) => {
                if let Some(name) = known(n, ctx) {
                    if name.is_empty() {
                        ctx.report(c.span(&n.span), "the kms provider name is empty", "give the provider a name (it cannot be changed once data is encrypted)");
                    } else {
                        if v2 && name.contains(':') {
                            ctx.report(c.span(&n.span), format!("kms v2 provider name `{name}` contains `:`"), "choose a name without `:` (it becomes part of the stored prefix k8s:enc:kms:v2:<name>:)");
                        }
                        if names.contains(&name) {
                            let message = format!(
                                "kms provider name `{name}` is used by another kms provider"
                            );
                            let help = "give every kms provider a unique name";
                            if v2 {
                                ctx.report(c.span(&n.span), message, help);
                            } else if v1 {
                                ctx.report_as(
                                    Severity::Warning,
                                    c.span(&n.span),
                                    format!("{message} (rejected with automatic config reload)"),
                                    help,
                                );
                            }
                        }
                        names.push(name);
                    }
                }
            }
            None => ctx.report(
                c.span(&key.span),
                "this kms provider has no name",
                "add `name:` (it cannot be changed once data is encrypted)",
            ),
        }
        match kms.entry("endpoint") {
            Some((_, e)) => {
                if let Some(endpoint) = known(e, ctx) {
                    let scheme = endpoint
                        .split_once("://")
                        .map(|(s, _)| s.to_ascii_lowercase());
                    if endpoint.is_empty() {
                        ctx.report(
                            c.span(&e.span),
                            "the kms endpoint is empty",
                            "write the plugin's socket, e.g. unix:///var/run/kms-provider.sock",
                        );
                    } else if scheme.as_deref() != Some("unix") {
                        ctx.report(
                            c.span(&e.span),
                            format!("kms endpoint `{endpoint}` is not a unix:// socket, the only scheme kube-apiserver supports"),
                            "write the plugin's socket as unix:///path/to/socket",
                        );
                    }
                }
            }
            None => ctx.report(
                c.span(&key.span),
                "this kms provider has no endpoint",
                "add `endpoint: unix:///var/run/kms-provider.sock` (the plugin's socket)",
            ),
        }
        if let Some((_, t)) = kms.entry("timeout") {
            if known(t, ctx).is_some_and(|s| non_positive_duration(&s)) {
                ctx.report(
                    c.span(&t.span),
                    "the kms timeout is not positive",
                    "remove `timeout` (default 3s) or set a positive duration such as 3s",
                );
            }
        }
        if let Some((ck, cv)) = kms.entry("cachesize") {
            if v2 {
                let fix = remove_block_line(c, ctx, ck, cv).map(|edit| {
                    Fix::safe("remove `cachesize` from the kms v2 provider", vec![edit])
                });
                ctx.report_with_fix(
                    c.span(&ck.span),
                    "`cachesize` is not supported by kms v2",
                    "remove `cachesize` (KMS v2 caches on its own)",
                    fix,
                );
            } else if v1 && known(cv, ctx).is_some_and(|s| s.parse::<i64>() == Ok(0)) {
                ctx.report(
                    c.span(&cv.span),
                    "kms v1 `cachesize: 0` is rejected",
                    "remove it (default 1000) or set a negative value to disable the cache",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::non_positive_duration;

    #[test]
    fn zero_and_negative_durations_are_not_positive() {
        for v in ["0", "0s", "-1s", "-500ms", "0m0s"] {
            assert!(non_positive_duration(v), "{v}");
        }
        for v in ["3s", "10s", "1m30s", "100ms", ""] {
            assert!(!non_positive_duration(v), "{v}");
        }
    }
}
