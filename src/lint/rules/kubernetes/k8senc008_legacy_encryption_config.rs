use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::kubernetes::EncryptionConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags the pre-1.13 alpha header `kind: EncryptionConfig` / `apiVersion: v1`, and an
    /// `EncryptionConfiguration` whose `apiVersion` is missing or not
    /// `apiserver.config.k8s.io/v1`.
    ///
    /// ## Why is this bad?
    /// The file format is `apiVersion: apiserver.config.k8s.io/v1`, `kind:
    /// EncryptionConfiguration` (F-K1). `kind: EncryptionConfig` with `apiVersion: v1` is the
    /// alpha format read with `--experimental-encryption-provider-config` before 1.13; current
    /// kube-apiserver does not load it, so it refuses to start with
    /// `--encryption-provider-config` pointing at such a file.
    ///
    /// ## Example
    /// ```yaml
    /// kind: EncryptionConfig
    /// apiVersion: v1
    /// resources: []
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources: []
    /// ```
    ///
    /// ## Fix safety
    /// Rewriting the header to `apiVersion: apiserver.config.k8s.io/v1` and `kind:
    /// EncryptionConfiguration` is safe: the `resources` body is the same in both formats. The
    /// kube-apiserver flag must also change to `--encryption-provider-config`.
    ///
    /// ## References
    /// - FACTS F-K1 (kubernetes/website `content/en/docs/reference/config-api/apiserver-encryption.v1.md`;
    ///   `content/en/docs/tasks/administer-cluster/kms-provider.md` at its pre-1.13 text)
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "K8SENC008",
        name: "legacy-encryption-config",
        target: Target::Kubernetes,
        severity: Severity::Error,
        summary: "the legacy `kind: EncryptionConfig` / `apiVersion: v1` header (pre-1.13 alpha)",
        check: Check::Kubernetes(check),
    };
}

const API_VERSION: &str = "apiserver.config.k8s.io/v1";
const HELP: &str = "write `apiVersion: apiserver.config.k8s.io/v1` and `kind: EncryptionConfiguration` (flag --encryption-provider-config)";

/// The header rewrite: `kind: EncryptionConfiguration` and `apiVersion:
/// apiserver.config.k8s.io/v1` (inserted above `kind` when missing). `None` when the apiVersion
/// is a template placeholder.
fn header_fix(c: &EncryptionConfig, ctx: &Ctx) -> Option<Fix> {
    let mut edits = Vec::new();
    if c.legacy {
        edits.push(Edit::replace(c.kind, "EncryptionConfiguration"));
    }
    match c.doc.entry("apiVersion") {
        Some((_, v)) => {
            if c.is_placeholder(ctx.sources, v) {
                return None;
            }
            if v.as_str().map(str::trim) != Some(API_VERSION) {
                edits.push(Edit::replace(c.span(&v.span), API_VERSION));
            }
        }
        None => {
            let (key, _) = c.doc.entry("kind")?;
            let text = ctx.sources.get(c.file).text.as_str();
            let line_start = text[..key.span.start]
                .rfind('\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            if !text[line_start..key.span.start].trim().is_empty() {
                return None;
            }
            edits.push(Edit::insert(
                c.file,
                line_start,
                format!("apiVersion: {API_VERSION}\n"),
            ));
        }
    }
    Some(Fix::safe(
        "write the apiserver.config.k8s.io/v1 EncryptionConfiguration header",
        edits,
    ))
}

fn check(c: &EncryptionConfig, ctx: &mut Ctx) {
    let fix = header_fix(c, ctx);
    if c.legacy {
        ctx.report_with_fix(
            c.kind,
            "`kind: EncryptionConfig` is the pre-1.13 alpha format, which current kube-apiserver does not load",
            HELP,
            fix,
        );
        return;
    }
    match c.doc.entry("apiVersion") {
        None => ctx.report_with_fix(
            c.kind,
            "the EncryptionConfiguration has no apiVersion",
            HELP,
            fix,
        ),
        Some((_, v)) => {
            if c.is_placeholder(ctx.sources, v) {
                return;
            }
            let value = v.as_str().unwrap_or("").trim();
            if value != API_VERSION {
                ctx.report_with_fix(
                    c.span(&v.span),
                    format!("`apiVersion: {value}` is not the EncryptionConfiguration API version"),
                    HELP,
                    fix,
                );
            }
        }
    }
}
