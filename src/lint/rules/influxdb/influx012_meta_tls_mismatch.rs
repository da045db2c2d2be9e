use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::InfluxRole;
use crate::lint::view::project::{Project, ProjectKeys};

crate::declare_rule! {
    /// ## What it does
    /// When the linted paths hold both InfluxDB Enterprise data node (`influxdb.conf`) and meta
    /// node (`influxdb-meta.conf`) files, flags a data node (a file with a `[meta]` or `[cluster]`
    /// section; OSS files have neither) whose `[meta] meta-tls-enabled`
    /// (default false) differs from a meta node's `[meta] https-enabled` (default false).
    /// Placeholders are unknown and never compared.
    ///
    /// ## Why is this bad?
    /// `meta-tls-enabled` is how a data node calls the meta API: "Set to true … if
    /// https-enabled is set to true" on the meta nodes (FACTS §3.2). With TLS on one side only,
    /// the data node speaks HTTP to an HTTPS listener (or HTTPS to an HTTP one) and cannot
    /// join or read the cluster's metadata.
    ///
    /// ## Example
    /// ```toml
    /// # influxdb-meta.conf
    /// [meta]
    ///   https-enabled = true
    /// # influxdb.conf
    /// [meta]
    ///   meta-tls-enabled = false
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// # influxdb.conf
    /// [meta]
    ///   meta-tls-enabled = true
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: which side is right depends on the rollout step (meta nodes switch
    /// first, then data nodes, F-I8).
    ///
    /// ## References
    /// - FACTS §3.2 `meta-tls-enabled` row (IFX-DATA `config-data-nodes.md`)
    /// - FACTS §3.3 `https-enabled` row (IFX-META `config-meta-nodes.md`), F-I8 (IFX-TLS order of restarts)
    pub static RULE = Rule {
        code: "INFLUX012",
        name: "influxdb-meta-tls-mismatch",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "data node meta-tls-enabled differs from the meta nodes' https-enabled",
        check: Check::Project(check, &READS),
    };
}

/// The keys INFLUX012 reads of every InfluxDB file of the run: the meta node's TLS switch, the
/// data node's, and the sections that make a data node an Enterprise one.
const READS: ProjectKeys = ProjectKeys {
    influxdb: &[
        ("meta", &["https-enabled", "meta-tls-enabled"]),
        ("cluster", &[]),
    ],
    telegraf: &[],
};

fn check(p: &Project, ctx: &mut Ctx) {
    let metas: Vec<_> = p
        .influx(InfluxRole::Meta)
        .filter_map(|m| m.bool_or("meta", "https-enabled", false).map(|on| (m, on)))
        .collect();
    if metas.is_empty() {
        return;
    }
    for data in p
        .influx(InfluxRole::Data)
        .filter(|d| d.is_enterprise_data())
    {
        let Some(tls) = data.bool_or("meta", "meta-tls-enabled", false) else {
            continue;
        };
        let differ: Vec<_> = metas.iter().filter(|(_, on)| *on != tls).collect();
        let Some((first, on)) = differ.first() else {
            continue;
        };
        let span = data
            .get("meta", "meta-tls-enabled")
            .map(|s| s.span())
            .unwrap_or_else(|| data.header_line("meta"));
        let more = if differ.len() > 1 {
            format!(" and {} other meta node files", differ.len() - 1)
        } else {
            String::new()
        };
        let (here, help) = if *on {
            (
                "false",
                "set `[meta] meta-tls-enabled = true` on every data node",
            )
        } else {
            ("true", "set `[meta] https-enabled = true` on the meta nodes first, or `meta-tls-enabled = false` until they serve https")
        };
        ctx.report(
            span,
            format!(
                "`meta-tls-enabled` is {here} here but `https-enabled` is {on} in {}{more}",
                ctx.sources.get(first.file).path
            ),
            help,
        );
    }
}
