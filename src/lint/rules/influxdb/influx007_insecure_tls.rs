use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::InfluxConfig;

/// The keys that turn certificate verification (or permission checks) off (FACTS §3.1–§3.4).
const INSECURE_KEYS: &[&str] = &[
    "meta-insecure-tls",
    "https-insecure-tls",
    "data-insecure-tls",
    "https-insecure-certificate",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags `meta-insecure-tls`, `https-insecure-tls`, `data-insecure-tls` or
    /// `https-insecure-certificate` set to true in a section of `influxdb.conf` or
    /// `influxdb-meta.conf` where influxd reads it: data node `[meta] meta-insecure-tls`,
    /// `[cluster] https-insecure-tls`, `[http]`/`[cluster] https-insecure-certificate`; meta node
    /// `[meta] https-insecure-tls`, `data-insecure-tls`, `https-insecure-certificate`. The same key
    /// elsewhere (`https-insecure-tls` under `[http]`, as one Enterprise TLS guide prints it) is
    /// ignored by influxd (measured on influxd 1.6) and is INFLUX011's alone.
    ///
    /// ## Why is this bad?
    /// The `*-insecure-tls` keys skip certificate verification between nodes ("useful when
    /// testing with self-signed certificates"): any host can pose as a meta or data node.
    /// `https-insecure-certificate` (1.12.3+) skips the permission check of the certificate and
    /// key files (F-I3).
    ///
    /// ## Example
    /// ```toml
    /// [meta]
    ///   meta-insecure-tls = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [meta]
    ///   meta-tls-enabled = true
    ///   meta-insecure-tls = false
    /// ```
    ///
    /// ## Fix safety
    /// `https-insecure-certificate = false` is safe once the key file is mode 0600; the others
    /// need certificates the peers trust.
    ///
    /// ## References
    /// - FACTS §3.1–§3.4, F-I3 (InfluxDB Enterprise configuration references, 1.12.3 release notes)
    pub static RULE = Rule {
        fix: Applicability::Unsafe,
        code: "INFLUX007",
        name: "influxdb-insecure-tls",
        target: Target::Influxdb,
        severity: Severity::Warning,
        summary: "an *-insecure-tls or https-insecure-certificate key is true",
        check: Check::Influxdb(check),
    };
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    for (name, section) in &c.sections {
        // Only where influxd reads the key: `https-insecure-tls` in `[http]` is ignored (INFLUX011
        // says so), it skips nothing.
        let Some(known) = super::influx011_unknown_key::known_keys(c.role, name) else {
            continue;
        };
        for key in INSECURE_KEYS.iter().filter(|k| known.contains(k)) {
            if let Some(s) = section.keys.get(key) {
                if !s.placeholder && s.value == "true" {
                    let what = if *key == "https-insecure-certificate" {
                        "skips the permission check of the certificate and key files"
                    } else {
                        "skips certificate verification"
                    };
                    // FACTS §8 INFLUX007: `https-insecure-certificate -> false` only if the key's
                    // mode is 0600, which lint cannot see: unsafe. The other keys get no fix.
                    let fix = (*key == "https-insecure-certificate").then(|| {
                        let table: Vec<&str> = name.split('.').filter(|p| !p.is_empty()).collect();
                        Fix::unsafe_edit(
                            format!(
                                "set `[{name}] {key} = false` (the key file must be mode 0600)"
                            ),
                            vec![Edit::toml_set(c.file, &table, key, false)],
                        )
                    });
                    ctx.report_with_fix(
                        s.span(),
                        format!("`[{name}] {key} = true` {what}"),
                        format!("set `{key} = false` and give the nodes certificates they trust"),
                        fix,
                    );
                }
            }
        }
    }
}
