use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::kubernetes::{EncryptionConfig, PROVIDER_TYPES};

crate::declare_rule! {
    /// ## What it does
    /// Flags a `providers` element with more than one provider type (or none kube-apiserver
    /// knows), and resource names kube-apiserver rejects: capitals, a bare `*`, the
    /// `events.k8s.io` and `extensions` groups, `resource.*`, `apiserveripinfo`,
    /// `serviceipallocations`, `servicenodeportallocations`, and duplicate or overlapping names
    /// in one list (`secrets` with `*.`, anything with `*.*`).
    ///
    /// ## Why is this bad?
    /// "Exactly one provider type per list element" (F-K2): kube-apiserver stops with "more
    /// than one provider specified in a single element, should split into different list
    /// elements". The resource-name checks are kube-apiserver's own (F-K5, verified in
    /// `validation_encryption.go`): "resource name should not contain capital letters", "use
    /// '*.' to encrypt all the resources from core API group or *.* to encrypt all resources",
    /// "'*.events.k8s.io' objects are stored using the 'events' API group in etcd", "'extensions'
    /// group has been removed", "encrypting the same resource across groups is not supported",
    /// "resources which do not have REST API/s cannot be encrypted", "the same resource cannot be
    /// specified multiple times", "using overlapping resources such as 'secrets' and '*.' in the
    /// same resource list is not allowed as they will be masked" (F-K3).
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   - resources: [Secrets, "*"]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms, endpoint: unix:///var/run/kms.sock}
    ///         identity: {}
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
    /// Splitting a multi-provider element into one element per provider, in the written order,
    /// is a partial fix: the order decides which provider encrypts (F-K3), so it is shown, not
    /// applied. Resource names have no automatic fix.
    ///
    /// ## References
    /// - FACTS F-K2, F-K3, F-K5 (kubernetes/kubernetes
    ///   `staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation_encryption.go`;
    ///   kubernetes/website `content/en/docs/reference/config-api/apiserver-encryption.v1.md`)
    pub static RULE = Rule {
        fix: Applicability::Unsafe,
        code: "K8SENC007",
        name: "invalid-provider-element-or-resource",
        target: Target::Kubernetes,
        severity: Severity::Error,
        summary: "a providers element has more than one provider, or a resource name is invalid",
        check: Check::Kubernetes(check),
    };
}

/// `schema.ParseGroupResource`: `resource.group` split at the first dot.
fn group_resource(name: &str) -> (&str, &str) {
    match name.split_once('.') {
        Some((resource, group)) => (resource, group),
        None => (name, ""),
    }
}

/// Why kube-apiserver rejects one resource name, if it does.
fn invalid_name(name: &str) -> Option<(&'static str, &'static str)> {
    let (resource, group) = group_resource(name);
    if name.to_lowercase() != name {
        Some((
            "contains capital letters",
            "write resource names in lower case, e.g. secrets",
        ))
    } else if name == "*" {
        Some((
            "is a bare `*`",
            "write `*.` for every core resource or `*.*` for every resource",
        ))
    } else if matches!(
        name,
        "apiserveripinfo" | "serviceipallocations" | "servicenodeportallocations"
    ) {
        Some(("has no REST API and cannot be encrypted", "remove it"))
    } else if group == "events.k8s.io" {
        Some((
            "names the events.k8s.io group, which etcd stores as `events`",
            "write `events` instead",
        ))
    } else if group == "extensions" {
        Some((
            "names the removed extensions group",
            "remove it, or name the resource in its current group",
        ))
    } else if group == "*" && resource != "*" {
        Some((
            "names one resource across every group, which is not supported",
            "name the resource in its group, e.g. deployments.apps",
        ))
    } else {
        None
    }
}

/// Split a block-style element: each extra provider key, alone on its line at the element's
/// key column, becomes its own `- ` list item in the written order (the two spaces before it
/// become `- `). Unsafe: the order decides which provider encrypts (F-K3). `None` for flow style.
fn split_fix(
    c: &EncryptionConfig,
    ctx: &Ctx,
    first: &crate::lint::parse::yaml::YKey,
    extra: &[&(
        crate::lint::parse::yaml::YKey,
        crate::lint::parse::yaml::YNode,
    )],
) -> Option<Fix> {
    let text = ctx.sources.get(c.file).text.as_str();
    // The element must be written `- <key>:`, so that the dash sits two columns before the key.
    if first.span.start < 2 || &text[first.span.start - 2..first.span.start] != "- " {
        return None;
    }
    let column = |offset: usize| offset - text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let mut edits = Vec::new();
    for (key, _) in extra {
        let start = key.span.start;
        let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let indent = &text[line_start..start];
        if column(start) != column(first.span.start) || !indent.bytes().all(|b| b == b' ') {
            return None;
        }
        edits.push(Edit::replace(c.span(&(start - 2..start)), "- "));
    }
    Some(Fix::unsafe_edit(
        "split the element into one list item per provider, in the written order",
        edits,
    ))
}

fn check(c: &EncryptionConfig, ctx: &mut Ctx) {
    for element in c.provider_elements() {
        let entries = element.node.as_map();
        if entries
            .iter()
            .any(|(k, _)| c.key_is_placeholder(ctx.sources, k))
        {
            continue;
        }
        let known: Vec<_> = entries
            .iter()
            .filter(|(k, _)| PROVIDER_TYPES.contains(&k.text.as_str()))
            .collect();
        if known.len() > 1 {
            let names: Vec<&str> = known.iter().map(|(k, _)| k.text.as_str()).collect();
            let fix = split_fix(c, ctx, &known[0].0, &known[1..]);
            ctx.report_with_fix(
                c.span(&known[1].0.span),
                format!(
                    "one providers element holds {} providers ({})",
                    known.len(),
                    names.join(", ")
                ),
                "split it: one `- <provider>:` list item per provider, the encrypting one first",
                fix,
            );
        } else if known.is_empty() {
            let anchor = entries
                .first()
                .map(|(k, _)| k.span.clone())
                .unwrap_or(element.node.span.clone());
            if c.is_placeholder(ctx.sources, element.node) {
                continue;
            }
            let what = entries
                .first()
                .map(|(k, _)| format!("`{}` is not a provider", k.text))
                .unwrap_or_else(|| "this providers element names no provider".to_string());
            ctx.report(
                c.span(&anchor),
                what,
                "use one of kms, secretbox, aescbc, aesgcm, identity",
            );
        }
    }
    for entry in c.entries() {
        let names: Vec<(&str, &crate::lint::parse::yaml::YNode)> = c
            .resource_names(entry)
            .filter(|(_, n)| !c.is_placeholder(ctx.sources, n))
            .collect();
        for (i, (name, node)) in names.iter().enumerate() {
            if let Some((why, help)) = invalid_name(name) {
                ctx.report(c.span(&node.span), format!("resource `{name}` {why}"), help);
                continue;
            }
            let gr = group_resource(name);
            let earlier = &names[..i];
            if earlier.iter().any(|(n, _)| group_resource(n) == gr) {
                ctx.report(
                    c.span(&node.span),
                    format!("resource `{name}` is listed twice"),
                    "remove the duplicate",
                );
                continue;
            }
            let overlap = earlier.iter().find(|(n, _)| {
                let other = group_resource(n);
                other == ("*", "*")
                    || gr == ("*", "*")
                    || (other.1 == gr.1 && (other.0 == "*" || gr.0 == "*"))
            });
            if let Some((other, _)) = overlap {
                ctx.report(
                    c.span(&node.span),
                    format!("resource `{name}` overlaps `{other}` in the same list, which kube-apiserver rejects"),
                    "keep either the wildcard or the single resources in this list, or move one to its own list",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names_follow_kube_apiserver_validation() {
        for bad in [
            "Secrets",
            "*",
            "serviceipallocations",
            "*.events.k8s.io",
            "deployments.extensions",
            "secrets.*",
        ] {
            assert!(invalid_name(bad).is_some(), "{bad}");
        }
        for good in [
            "secrets",
            "*.",
            "*.*",
            "*.apps",
            "events",
            "deployments.apps",
            "configmaps",
        ] {
            assert!(invalid_name(good).is_none(), "{good}");
        }
    }
}
