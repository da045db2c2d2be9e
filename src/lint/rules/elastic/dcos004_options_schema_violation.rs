use crate::lint::fix::{Applicability, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::elastic::{ElasticOptions, JsonType};

crate::declare_rule! {
    /// ## What it does
    /// Flags DC/OS Elastic options the package schema rejects: the removed
    /// `service.security.allow_plaintext`; a key under `elasticsearch` that cannot be one of its
    /// properties (a dotted `elasticsearch.yml` name such as `xpack.security.enabled`, a name
    /// with capitals or dashes, a `service` key put there, or a near-miss of a security option
    /// such as `xpack_security_enable`); a `service.name` that breaks the name pattern; enum
    /// values of `deploy_strategy`, `update_strategy`, `log_level` and the
    /// `xpack_security_*` options; and wrong JSON types (`"enabled": "true"`).
    ///
    /// tlsgen does not carry the full list of the package's `elasticsearch` properties (over a
    /// hundred, different per version), so a well-formed but unknown name is not reported.
    ///
    /// ## Why is this bad?
    /// `dcos package install` and `dcos elastic update start` validate the options against the
    /// package's `config.json` and refuse the whole file (F-D1, F-D2): `elasticsearch` has
    /// `additionalProperties: false`; `service.name` has the pattern
    /// `^(\/?((\.\.)|(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9]))?($|\/))+$`;
    /// the strategies are `parallel|serial`; `transport_encryption.enabled` is a boolean.
    /// `allow_plaintext` existed from 2017-12-13 to 2018-01-24 only ("Removed unused
    /// `service.security.allow_plaintext` configuration property", F-D6). A typo in a security
    /// option is worse than an error: it leaves the setting at its default.
    ///
    /// ## Example
    /// ```json
    /// {"service": {"name": "Elastic_Prod", "update_strategy": "rolling",
    ///   "security": {"allow_plaintext": true, "transport_encryption": {"enabled": "true"}}},
    ///  "elasticsearch": {"xpack.security.enabled": true}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"service": {"name": "elastic-prod", "update_strategy": "serial",
    ///   "security": {"transport_encryption": {"enabled": true}}},
    ///  "elasticsearch": {"xpack_security_enabled": true}}
    /// ```
    ///
    /// ## Fix safety
    /// Removing `allow_plaintext` is safe: no package after 2018-01 reads it. The other cases
    /// need the intended value and have no automatic fix.
    ///
    /// ## References
    /// - FACTS F-D1, F-D2, F-D6 (mesosphere/dcos-commons `frameworks/elastic/universe/config.json`
    ///   and commits 05e2abcda, a68398137; mesosphere/universe
    ///   `repo/packages/E/elastic/1200/config.json`)
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "DCOS004",
        name: "elastic-options-schema-violation",
        target: Target::Elastic,
        severity: Severity::Error,
        summary: "the options break the DC/OS Elastic package schema",
        check: Check::Elastic(check),
    };
}

/// Typed properties of the schema (F-D1, F-D2).
const TYPES: &[(&[&str], JsonType)] = &[
    (&["service"], JsonType::Object),
    (&["service", "name"], JsonType::String),
    (&["service", "user"], JsonType::String),
    (&["service", "service_account"], JsonType::String),
    (&["service", "service_account_secret"], JsonType::String),
    (&["service", "deploy_strategy"], JsonType::String),
    (&["service", "update_strategy"], JsonType::String),
    (&["service", "log_level"], JsonType::String),
    (&["service", "region"], JsonType::String),
    (&["service", "virtual_network_enabled"], JsonType::Boolean),
    (&["service", "virtual_network_name"], JsonType::String),
    (
        &["service", "virtual_network_plugin_labels"],
        JsonType::String,
    ),
    (&["service", "security"], JsonType::Object),
    (&["service", "security", "custom_domain"], JsonType::String),
    (
        &["service", "security", "transport_encryption"],
        JsonType::Object,
    ),
    (
        &["service", "security", "transport_encryption", "enabled"],
        JsonType::Boolean,
    ),
    (&["elasticsearch"], JsonType::Object),
    (&["elasticsearch", "xpack_enabled"], JsonType::Boolean),
    (
        &["elasticsearch", "xpack_security_enabled"],
        JsonType::Boolean,
    ),
    (
        &["elasticsearch", "xpack_security_audit_enabled"],
        JsonType::Boolean,
    ),
    (&["elasticsearch", "health_user"], JsonType::String),
    (&["elasticsearch", "health_user_password"], JsonType::String),
    (
        &["elasticsearch", "http_cors_allow_origin"],
        JsonType::String,
    ),
    (
        &["elasticsearch", "custom_elasticsearch_yml"],
        JsonType::String,
    ),
    (&["elasticsearch", "plugins"], JsonType::String),
    (
        &[
            "elasticsearch",
            "xpack_security_transport_ssl_client_authentication",
        ],
        JsonType::String,
    ),
    (
        &[
            "elasticsearch",
            "xpack_security_transport_ssl_verification_mode",
        ],
        JsonType::String,
    ),
    (
        &[
            "elasticsearch",
            "xpack_security_http_ssl_client_authentication",
        ],
        JsonType::String,
    ),
];

/// Enumerated properties (F-D1, F-D2).
const ENUMS: &[(&[&str], &[&str])] = &[
    (&["service", "deploy_strategy"], &["parallel", "serial"]),
    (&["service", "update_strategy"], &["parallel", "serial"]),
    (
        &["service", "log_level"],
        &[
            "OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL",
        ],
    ),
    (
        &[
            "elasticsearch",
            "xpack_security_transport_ssl_client_authentication",
        ],
        &["required", "optional", "none"],
    ),
    (
        &[
            "elasticsearch",
            "xpack_security_transport_ssl_verification_mode",
        ],
        &["certificate", "full", "none"],
    ),
    (
        &[
            "elasticsearch",
            "xpack_security_http_ssl_client_authentication",
        ],
        &["required", "optional", "none"],
    ),
];

/// `elasticsearch` properties whose misspelling silently keeps an insecure default (F-D2);
/// with the other properties of the schemas near them in spelling.
const SECURITY_KEYS: &[&str] = &[
    "xpack_enabled",
    "xpack_security_enabled",
    "xpack_security_audit_enabled",
    "xpack_security_transport_ssl_client_authentication",
    "xpack_security_transport_ssl_verification_mode",
    "xpack_security_http_ssl_client_authentication",
    "health_user",
    "health_user_password",
    "http_cors_allow_origin",
];
const OTHER_NEAR_KEYS: &[&str] = &[
    "xpack_ml_enabled",
    "xpack_sql_enabled",
    "http_cors_enabled",
    "http_cors_allow_headers",
    "http_cors_allow_methods",
];

/// `service` properties, reported when written under `elasticsearch`.
const SERVICE_KEYS: &[&str] = &[
    "name",
    "user",
    "service_account",
    "service_account_secret",
    "deploy_strategy",
    "update_strategy",
    "security",
    "transport_encryption",
    "tls",
    "allow_plaintext",
];

/// The `service.name` pattern of the schema: `/`-separated segments, each empty, `..`, or
/// `.`-separated labels of `[a-z0-9-]` that neither start nor end with `-`.
pub(crate) fn valid_service_name(name: &str) -> bool {
    let label = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    name.split('/')
        .all(|seg| seg.is_empty() || seg == ".." || seg.split('.').all(label))
}

fn unknown_elasticsearch_key(key: &str) -> Option<String> {
    if !key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        let suggestion = key.to_ascii_lowercase().replace(['.', '-'], "_");
        return Some(if key.contains('.') {
            format!("write the package option (e.g. `{suggestion}`), or put elasticsearch.yml settings in custom_elasticsearch_yml (base64)")
        } else {
            format!("package options are lower case with underscores, e.g. `{suggestion}`")
        });
    }
    if SERVICE_KEYS.contains(&key) {
        return Some(format!("move `{key}` under `service`"));
    }
    if SECURITY_KEYS.contains(&key) || OTHER_NEAR_KEYS.contains(&key) {
        return None;
    }
    SECURITY_KEYS
        .iter()
        .find(|k| strsim::levenshtein(k, key) <= 2)
        .map(|k| format!("did you mean `{k}`?"))
}

fn check(c: &ElasticOptions, ctx: &mut Ctx) {
    if let Some((key, _)) = c.path(&["service", "security", "allow_plaintext"]) {
        // F-D6: no package after 2018-01 reads the key, so removing it changes nothing.
        let fix = c
            .remove_entry(ctx.sources, &["service", "security", "allow_plaintext"])
            .map(|edit| Fix::safe("remove service.security.allow_plaintext", vec![edit]));
        ctx.report_with_fix(
            key,
            "service.security.allow_plaintext was removed from the package in 2018-01 and is rejected",
            "remove it; transport encryption has no plaintext fallback",
            fix,
        );
    }
    if let Some(es) = c.get(&["elasticsearch"]) {
        for (key, _) in es.as_map() {
            if crate::lint::placeholder::is_placeholder(c.raw(ctx.sources, &key.span)) {
                continue;
            }
            if let Some(help) = unknown_elasticsearch_key(&key.text) {
                ctx.report(
                    c.span(&key.span),
                    format!("`{}` is not an option of the elasticsearch section, which allows no other keys", key.text),
                    help,
                );
            }
        }
    }
    for (path, expected) in TYPES {
        let Some(node) = c.get(path) else { continue };
        let found = c.json_type(ctx.sources, node);
        if found != *expected && found != JsonType::Placeholder {
            let hint = match (expected, found) {
                (JsonType::Boolean, JsonType::String) => {
                    "write true or false without quotes".to_string()
                }
                _ => format!("write {}", expected.describe()),
            };
            ctx.report(
                c.span(&node.span),
                format!(
                    "{} must be {}, not {}",
                    path.join("."),
                    expected.describe(),
                    found.describe()
                ),
                hint,
            );
        }
    }
    for (path, allowed) in ENUMS {
        let Some(node) = c.get(path) else { continue };
        if c.json_type(ctx.sources, node) != JsonType::String {
            continue;
        }
        let value = node.as_str().unwrap_or("");
        if !allowed.contains(&value) {
            ctx.report(
                c.span(&node.span),
                format!(
                    "{} `{value}` is not one of {}",
                    path.join("."),
                    allowed.join(", ")
                ),
                format!("write one of {}", allowed.join(", ")),
            );
        }
    }
    if let Some(node) = c.get(&["service", "name"]) {
        if c.json_type(ctx.sources, node) == JsonType::String {
            let name = node.as_str().unwrap_or("");
            if !valid_service_name(name) {
                ctx.report(
                    c.span(&node.span),
                    format!("service.name `{name}` does not match the package's name pattern"),
                    "use lower-case letters, digits and `-` (not at either end), in `/`-separated folders, e.g. /prod/elastic",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_follow_the_schema_pattern() {
        for good in [
            "elastic",
            "/prod/elastic",
            "prod/elastic-2",
            "a.b",
            "../elastic",
            "/",
        ] {
            assert!(valid_service_name(good), "{good}");
        }
        for bad in [
            "Elastic",
            "elastic_prod",
            "-elastic",
            "elastic-",
            "a..b",
            "prod/ elastic",
        ] {
            assert!(!valid_service_name(bad), "{bad}");
        }
    }

    #[test]
    fn elasticsearch_keys_that_cannot_be_properties() {
        assert!(unknown_elasticsearch_key("xpack.security.enabled").is_some());
        assert!(unknown_elasticsearch_key("XPACK_ENABLED").is_some());
        assert!(unknown_elasticsearch_key("service_account").is_some());
        assert!(unknown_elasticsearch_key("xpack_security_enable").is_some());
        for ok in [
            "xpack_security_enabled",
            "xpack_ml_enabled",
            "plugins",
            "gateway_recover_after_time",
            "http_cors_enabled",
        ] {
            assert!(unknown_elasticsearch_key(ok).is_none(), "{ok}");
        }
    }
}
