use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};
use crate::lint::view::project::{Project, ProjectKeys};
use crate::lint::view::Setting;

crate::declare_rule! {
    /// ## What it does
    /// Checks the internal authentication of an InfluxDB Enterprise cluster.
    /// In one file: a meta node with `[meta] auth-enabled = true` and an empty or absent
    /// `internal-shared-secret`, or a data node with `[meta] meta-auth-enabled = true` and an
    /// empty or absent `meta-internal-shared-secret`.
    /// Across files, when the linted paths hold both meta node files and Enterprise data node
    /// files (an `influxdb.conf` with a `[meta]` or `[cluster]` section): a data node's
    /// `meta-auth-enabled` (default false) differs from a meta node's `auth-enabled` (default
    /// false), or its `meta-internal-shared-secret` differs from a meta node's
    /// `internal-shared-secret` (both written and not placeholders). Secrets are compared, never
    /// printed.
    ///
    /// ## Why is this bad?
    /// Since Enterprise 1.6.4 a meta node with authentication on and an empty internal shared
    /// secret "logs an error and does not start" (F-I4). The data node's `meta-auth-enabled`
    /// "must equal meta nodes' `[meta] auth-enabled`" and `meta-internal-shared-secret` "must
    /// equal meta nodes' `internal-shared-secret`" (FACTS §3.2, §3.3); otherwise the data nodes'
    /// calls to the meta API are refused and the cluster stops accepting schema changes.
    ///
    /// ## Example
    /// ```toml
    /// # influxdb-meta.conf
    /// [meta]
    ///   auth-enabled = true
    ///   internal-shared-secret = ""
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// # influxdb-meta.conf (every meta node)
    /// [meta]
    ///   auth-enabled = true
    ///   internal-shared-secret = "a long pass phrase"
    /// # influxdb.conf (every data node)
    /// [meta]
    ///   meta-auth-enabled = true
    ///   meta-internal-shared-secret = "a long pass phrase"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the secret is a choice, and every node must change together.
    ///
    /// ## References
    /// - FACTS F-I4 (IFX-RN Enterprise v1.6.4 release notes)
    /// - FACTS §3.2 `meta-auth-enabled`, `meta-internal-shared-secret` rows (IFX-DATA `config-data-nodes.md`)
    /// - FACTS §3.3 `auth-enabled`, `internal-shared-secret` rows (IFX-META `config-meta-nodes.md`:
    ///   "This value must be the same value as the `[meta] meta-internal-shared-secret`")
    pub static RULE = Rule {
        code: "INFLUX008",
        name: "influxdb-shared-secret-mismatch",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "internal auth on with an empty secret, or data and meta nodes disagree on auth or secret",
        check: Check::Project(check, &READS),
    };
}

/// The keys INFLUX008 reads of every InfluxDB file of the run: the auth switch and secret of
/// both roles (see [`keys`]), and the sections that make a data node an Enterprise one.
const READS: ProjectKeys = ProjectKeys {
    influxdb: &[
        (
            "meta",
            &[
                "auth-enabled",
                "internal-shared-secret",
                "meta-auth-enabled",
                "meta-internal-shared-secret",
            ],
        ),
        ("cluster", &[]),
    ],
    telegraf: &[],
};

/// The auth switch and secret of one file: data `[meta] meta-auth-enabled` /
/// `meta-internal-shared-secret`, meta `[meta] auth-enabled` / `internal-shared-secret`.
fn keys(c: &InfluxConfig) -> (&'static str, &'static str) {
    match c.role {
        InfluxRole::Data => ("meta-auth-enabled", "meta-internal-shared-secret"),
        InfluxRole::Meta => ("auth-enabled", "internal-shared-secret"),
    }
}

/// A secret that is written, known and not empty.
fn known_secret(s: Option<&Setting>) -> Option<&str> {
    s.filter(|s| !s.placeholder && !s.value.is_empty())
        .map(|s| s.value.as_str())
}

fn check(p: &Project, ctx: &mut Ctx) {
    for c in &p.influxdb {
        let (auth_key, secret_key) = keys(c);
        let Some(auth) = c.get("meta", auth_key) else {
            continue;
        };
        if auth.placeholder || auth.value != "true" {
            continue;
        }
        match c.get("meta", secret_key) {
            Some(s) if s.placeholder || !s.value.is_empty() => {}
            Some(s) => ctx.report(s.key, format!("`{secret_key}` is empty while `{auth_key}` is true"), format!("set `{secret_key}` to a long pass phrase, the same on every data and meta node")),
            None => ctx.report(auth.span(), format!("`{auth_key}` is true but `{secret_key}` is not set"), format!("add `{secret_key}` with a long pass phrase, the same on every data and meta node")),
        }
    }
    // Each meta node's auth switch and secret, read once: a run over thousands of files compares
    // every data node with every meta node, so the comparison must not look keys up again.
    let metas: Vec<(&InfluxConfig, Option<bool>, Option<&str>)> = p
        .influx(InfluxRole::Meta)
        .map(|m| {
            (
                m,
                m.bool_or("meta", "auth-enabled", false),
                known_secret(m.get("meta", "internal-shared-secret")),
            )
        })
        .collect();
    if metas.is_empty() {
        return;
    }
    // Per auth value: the first meta node file with it and how many have it.
    let mut auth_seen: [(Option<&InfluxConfig>, usize); 2] = [(None, 0), (None, 0)];
    // Known secrets: how many meta node files have each, and the first one with a secret other
    // than the first file's.
    let mut secrets: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut known: Vec<(&InfluxConfig, &str)> = Vec::new();
    for &(m, auth, secret) in &metas {
        if let Some(a) = auth {
            let seen = &mut auth_seen[usize::from(a)];
            seen.0.get_or_insert(m);
            seen.1 += 1;
        }
        if let Some(s) = secret {
            *secrets.entry(s).or_default() += 1;
            known.push((m, s));
        }
    }
    let first_other_than_first = known
        .first()
        .and_then(|(_, s0)| known.iter().find(|(_, s)| s != s0))
        .map(|(m, _)| *m);
    for data in p
        .influx(InfluxRole::Data)
        .filter(|d| d.is_enterprise_data())
    {
        let Some(data_auth) = data.bool_or("meta", "meta-auth-enabled", false) else {
            continue;
        };
        // Meta nodes whose known auth differs from this data node's.
        let (first, count) = auth_seen[usize::from(!data_auth)];
        if let Some(first) = first {
            let span = data
                .get("meta", "meta-auth-enabled")
                .map(|s| s.span())
                .unwrap_or_else(|| data.header_line("meta"));
            ctx.report(
                span,
                format!(
                    "`meta-auth-enabled` is {data_auth} here but `auth-enabled` is {} in {}{}",
                    !data_auth,
                    ctx.sources.get(first.file).path,
                    others(count)
                ),
                "set `[meta] meta-auth-enabled` on data nodes to the meta nodes' `[meta] auth-enabled`",
            );
        }
        let Some(secret) = known_secret(data.get("meta", "meta-internal-shared-secret")) else {
            continue;
        };
        // Meta nodes with a known secret other than this data node's: the first in path order,
        // and how many.
        let count = known.len() - secrets.get(secret).copied().unwrap_or(0);
        let first = match known.first() {
            Some((m, s0)) if *s0 != secret => Some(*m),
            _ => first_other_than_first,
        };
        if let (Some(first), Some(s), true) = (
            first,
            data.get("meta", "meta-internal-shared-secret"),
            count > 0,
        ) {
            ctx.report(
                s.key,
                format!(
                    "`meta-internal-shared-secret` differs from `internal-shared-secret` in {}{}",
                    ctx.sources.get(first.file).path,
                    others(count)
                ),
                "use the same pass phrase on every data and meta node",
            );
        }
    }
}

fn others(n: usize) -> String {
    match n {
        0 | 1 => String::new(),
        2 => " and 1 other meta node file".to_string(),
        n => format!(" and {} other meta node files", n - 1),
    }
}
