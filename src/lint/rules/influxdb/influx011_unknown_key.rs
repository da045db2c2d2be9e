use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::influxdb::{InfluxConfig, InfluxRole};
use crate::lint::view::Setting;

/// Keys of the sections tlsgen writes, per file role (FACTS §3.1–§3.5; IFX-DATA, IFX-META,
/// IFX-OSS, IFX-SAMPLE). Only these sections are checked.
const DATA: &[(&str, &[&str])] = &[
    (
        "http",
        &[
            "enabled",
            "flux-enabled",
            "flux-log-enabled",
            "bind-address",
            "auth-enabled",
            "realm",
            "log-enabled",
            "suppress-write-log",
            "access-log-path",
            "access-log-status-filters",
            "write-tracing",
            "pprof-enabled",
            "pprof-auth-enabled",
            "debug-pprof-enabled",
            "ping-auth-enabled",
            "prom-read-auth-enabled",
            "https-enabled",
            "https-certificate",
            "https-private-key",
            "https-insecure-certificate",
            "shared-secret",
            "max-row-limit",
            "max-connection-limit",
            "unix-socket-enabled",
            "unix-socket-permissions",
            "bind-socket",
            "max-body-size",
            "max-concurrent-write-limit",
            "max-enqueued-write-limit",
            "enqueued-write-timeout",
            "user-query-bytes-enabled",
            "cluster-tracing",
            "http-headers",
        ],
    ),
    (
        "meta",
        &[
            "dir",
            "meta-tls-enabled",
            "meta-insecure-tls",
            "meta-auth-enabled",
            "meta-internal-shared-secret",
            "retention-autocreate",
            "logging-enabled",
            "password-hash",
            "ensure-fips",
        ],
    ),
    (
        "cluster",
        &[
            "dial-timeout",
            "pool-max-idle-time",
            "pool-max-idle-streams",
            "allow-out-of-order-writes",
            "shard-reader-timeout",
            "https-enabled",
            "https-certificate",
            "https-private-key",
            "https-insecure-tls",
            "https-insecure-certificate",
            "cluster-tracing",
            "write-timeout",
            "max-concurrent-queries",
            "max-concurrent-deletes",
            "query-timeout",
            "log-queries-after",
            "log-timedout-queries",
            "max-select-point",
            "max-select-series",
            "max-select-buckets",
            "termination-query-log",
            "rpc-resettable-read-timeout",
            "rpc-resettable-write-timeout",
        ],
    ),
    (
        "tls",
        &[
            "ciphers",
            "min-version",
            "max-version",
            "advanced-expiration",
        ],
    ),
];

const META: &[(&str, &[&str])] = &[
    (
        "meta",
        &[
            "dir",
            "bind-address",
            "http-bind-address",
            "https-enabled",
            "https-certificate",
            "https-private-key",
            "https-insecure-certificate",
            "https-insecure-tls",
            "data-use-tls",
            "data-insecure-tls",
            "gossip-frequency",
            "announcement-expiration",
            "retention-autocreate",
            "election-timeout",
            "heartbeat-timeout",
            "leader-lease-timeout",
            "commit-timeout",
            "consensus-timeout",
            "cluster-tracing",
            "logging-enabled",
            "pprof-enabled",
            "lease-duration",
            "auth-enabled",
            "ldap-allowed",
            "shared-secret",
            "internal-shared-secret",
            "password-hash",
            "ensure-fips",
            "raft-portal-auth-required",
            "raft-dialer-auth-required",
        ],
    ),
    (
        "tls",
        &[
            "ciphers",
            "min-version",
            "max-version",
            "advanced-expiration",
        ],
    ),
];

/// Words that make an unknown key worth reporting even when it is not close to a known one.
const TLS_WORDS: &[&str] = &[
    "https",
    "tls",
    "ssl",
    "cert",
    "cipher",
    "private-key",
    "secret",
    "insecure",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags a key influxd does not read in a section tlsgen knows: `[http]`, `[meta]`,
    /// `[cluster]` and `[tls]` of a data node (or OSS) `influxdb.conf`; `[meta]` and `[tls]` of
    /// `influxdb-meta.conf`. Policy, so that a key added by a newer influxd is not noise:
    /// - other sections are never checked;
    /// - a key is reported only when it is close to a known key of its section (a typo, with
    ///   "did you mean") or clearly TLS-related (it contains `https`, `tls`, `ssl`, `cert`,
    ///   `cipher`, `private-key`, `secret` or `insecure`);
    /// - a TLS-related key is an error, any other near miss a warning.
    ///
    /// ## Why is this bad?
    /// influxd ignores keys it does not know without a word. Measured on influxd 1.6: with
    /// `https-enable = true` (a typo of `https-enabled`) it starts and serves plain HTTP, so a
    /// configuration that reads as secure is not (FACTS §3.1 key table).
    ///
    /// ## Example
    /// ```toml
    /// [http]
    ///   https-enable = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [http]
    ///   https-enabled = true
    /// ```
    ///
    /// ## Fix safety
    /// Renaming to the suggested key is a fix to review: it turns on what the line meant, which
    /// may change how the node listens.
    ///
    /// ## References
    /// - FACTS §3.1–§3.5 key tables (IFX-DATA `config-data-nodes.md`, IFX-META `config-meta-nodes.md`,
    ///   IFX-OSS `config.md`, IFX-SAMPLE `etc/config.sample.toml`)
    /// - influxd 1.6 measurement: `https-enable` ignored, plain HTTP served (issue 6 point 2)
    pub static RULE = Rule {
        code: "INFLUX011",
        name: "influxdb-unknown-key",
        target: Target::Influxdb,
        severity: Severity::Error,
        summary: "a key influxd ignores in [http], [meta], [cluster] or [tls] (typo or TLS-looking)",
        check: Check::Influxdb(check),
    };
}

/// The keys influxd reads in `section` of a file of `role`; `None` for a section tlsgen does not
/// check (its keys are unknown here). Shared with INFLUX007.
pub(crate) fn known_keys(role: InfluxRole, section: &str) -> Option<&'static [&'static str]> {
    let table = match role {
        InfluxRole::Data => DATA,
        InfluxRole::Meta => META,
    };
    table.iter().find(|(n, _)| *n == section).map(|(_, k)| *k)
}

/// The closest known key, when close enough to be a typo.
pub(crate) fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(key, k),
                strsim::damerau_levenshtein(key, k),
                *k,
            )
        })
        .filter(|(jw, dl, _)| *jw >= 0.92 || (*dl <= 2 && key.len() >= 6))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, _, k)| k)
}

/// Whether an unknown key is worth a finding, and at which severity: reported when it is close to
/// a known key (a typo: a warning) or TLS-looking by one of `tls_words` (an error), so a key a
/// newer release adds is not noise. Returns the severity and the suggestion. Shared with TGF007.
pub(crate) fn unknown_key_verdict<'k>(
    key: &str,
    known: &[&'k str],
    tls_words: &[&str],
) -> Option<(Severity, Option<&'k str>)> {
    let suggestion = closest(key, known);
    let tls = tls_words.iter().any(|w| key.contains(w))
        || suggestion.is_some_and(|k| tls_words.iter().any(|w| k.contains(w)));
    match (tls, suggestion) {
        (true, s) => Some((Severity::Error, s)),
        (false, Some(s)) => Some((Severity::Warning, Some(s))),
        (false, None) => None,
    }
}

fn check(c: &InfluxConfig, ctx: &mut Ctx) {
    let table = match c.role {
        InfluxRole::Data => DATA,
        InfluxRole::Meta => META,
    };
    for (name, known) in table {
        let Some(section) = c.section(name) else {
            continue;
        };
        let settings = section
            .keys
            .values()
            .chain(section.lists.values().filter_map(|l| l.first()));
        let mut unknown: Vec<&Setting> = settings
            .filter(|s| !known.contains(&s.key_text.as_str()))
            .collect();
        unknown.sort_by_key(|s| s.key.start);
        for s in unknown {
            let key = s.key_text.as_str();
            let Some((severity, suggestion)) = unknown_key_verdict(key, known, TLS_WORDS) else {
                continue;
            };
            // A key of another section of this file (`https-insecure-tls` written under `[http]`,
            // as one Enterprise TLS guide prints it): say where it works, not a look-alike here.
            let elsewhere: Vec<String> = table
                .iter()
                .filter(|(other, keys)| other != name && keys.contains(&key))
                .map(|(other, _)| format!("`[{other}]`"))
                .collect();
            let help = match suggestion {
                _ if !elsewhere.is_empty() => format!(
                    "influxd reads `{key}` only in {} of this file; here it does nothing: move it or remove it",
                    elsewhere.join(", ")
                ),
                Some(k) => format!("did you mean `{k}`?"),
                None => format!(
                    "remove it; `[{name}]` has no such key (see the configuration reference)"
                ),
            };
            ctx.report_as(
                severity,
                s.key,
                format!("influxd does not read `{key}` in `[{name}]` and ignores it silently"),
                help,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{closest, DATA};

    #[test]
    fn typos_get_a_suggestion_and_unrelated_keys_do_not() {
        let http = DATA.iter().find(|(n, _)| *n == "http").unwrap().1;
        assert_eq!(closest("https-enable", http), Some("https-enabled"));
        assert_eq!(closest("auth-enable", http), Some("auth-enabled"));
        assert_eq!(
            closest("https-private-keys", http),
            Some("https-private-key")
        );
        assert_eq!(closest("some-future-option", http), None);
        assert_eq!(closest("x", http), None);
    }
}
