use crate::lint::fix::{Applicability, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::elastic::ElasticOptions;

crate::declare_rule! {
    /// ## What it does
    /// Flags `elasticsearch.xpack_enabled` in DC/OS Elastic options, whatever its value.
    ///
    /// ## Why is this bad?
    /// Since package 2.5.0-6.3.2 the schema says "[DEPRECATED in 2.5.0-6.3.2] X-Pack is enabled
    /// by default. Changing this setting has no effect." (F-D2): the key does nothing, and a
    /// reader may believe `false` turned X-Pack (and its security) off, or that `true` is what
    /// enables TLS. Only packages up to 6.2 needed it for transport encryption ("X-Pack is
    /// required to enable Transport Encryption", F-D4).
    ///
    /// ## Example
    /// ```json
    /// {"elasticsearch": {"xpack_enabled": true}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"elasticsearch": {}}
    /// ```
    ///
    /// ## Fix safety
    /// Removing the key is right for packages 2.5.0-6.3.2 and later; keep it (and suppress this
    /// rule for the file with `[lint.per-file-ignores]`) for a 6.2 or older package. Lint cannot
    /// see the package version, so the removal is an unsafe fix (`--unsafe-fixes`).
    ///
    /// ## References
    /// - FACTS F-D2, F-D4 (mesosphere/universe `repo/packages/E/elastic/1200/config.json`;
    ///   mesosphere/dcos-commons `frameworks/elastic/universe/config.json`,
    ///   `docs/pages/_data/services/elastic.yml`)
    pub static RULE = Rule {
        fix: Applicability::Unsafe,
        code: "DCOS005",
        name: "elastic-xpack-enabled-set",
        target: Target::Elastic,
        severity: Severity::Warning,
        summary: "elasticsearch.xpack_enabled is set (no effect since 2.5.0-6.3.2)",
        check: Check::Elastic(check),
    };
}

fn check(c: &ElasticOptions, ctx: &mut Ctx) {
    if let Some((key, _)) = c.path(&["elasticsearch", "xpack_enabled"]) {
        let fix = c
            .remove_entry(ctx.sources, &["elasticsearch", "xpack_enabled"])
            .map(|edit| {
                Fix::unsafe_edit(
                    "remove elasticsearch.xpack_enabled (packages 2.5.0-6.3.2 and later)",
                    vec![edit],
                )
            });
        ctx.report_with_fix(
            key,
            "elasticsearch.xpack_enabled has no effect since package 2.5.0-6.3.2 (X-Pack is always on)",
            "remove it, unless the package is 6.2 or older, whose docs require it for transport encryption",
            fix,
        );
    }
}
