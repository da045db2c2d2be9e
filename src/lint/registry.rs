//! The one table of rules: code <-> kebab name <-> rule. Adding a rule adds one line here.

use super::rule::Rule;
use super::rules;
use super::severity::Severity;

/// Rules whose findings do not all get the rule's default severity (a lesser form, a verdict that
/// depends on the release or on the value): every severity they report, the default first. A
/// rule that reports at another severity than its default must be listed here: `tlsgen rules`
/// shows this, and tests/lint_fixtures.rs checks every finding of every fixture against it.
static VARYING: &[(&str, &[Severity])] = &[
    ("CERT001", &[Severity::Error, Severity::Warning]),
    ("DCOS003", &[Severity::Error, Severity::Warning]),
    ("ETCD003", &[Severity::Error, Severity::Warning]),
    ("ETCD004", &[Severity::Error, Severity::Warning]),
    ("ETCD006", &[Severity::Error, Severity::Warning]),
    ("ETCD007", &[Severity::Error, Severity::Warning]),
    ("ETCD012", &[Severity::Error, Severity::Warning]),
    ("ETCD013", &[Severity::Error, Severity::Warning]),
    ("ETCD016", &[Severity::Error, Severity::Warning]),
    ("ETCD018", &[Severity::Error, Severity::Warning]),
    ("ETCD019", &[Severity::Error, Severity::Warning]),
    ("INFLUX006", &[Severity::Error, Severity::Warning]),
    ("INFLUX009", &[Severity::Error, Severity::Warning]),
    ("INFLUX010", &[Severity::Error, Severity::Warning]),
    ("INFLUX011", &[Severity::Error, Severity::Warning]),
    ("K8SENC005", &[Severity::Error, Severity::Warning]),
    ("K8SENC006", &[Severity::Error, Severity::Warning]),
    ("TGF005", &[Severity::Error, Severity::Warning]),
];

/// The severities findings of `rule` can get, its default first.
pub fn severities(rule: &Rule) -> &'static [Severity] {
    if let Some((_, list)) = VARYING.iter().find(|(code, _)| *code == rule.code) {
        return list;
    }
    match rule.severity {
        Severity::Error => &[Severity::Error],
        Severity::Warning => &[Severity::Warning],
        Severity::Info => &[Severity::Info],
    }
}

/// [`severities`] as `tlsgen rules` shows them: `error`, or `error/warning`.
pub fn severities_text(rule: &Rule) -> String {
    severities(rule)
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every rule, ordered by code.
pub static RULES: &[&Rule] = &[
    &rules::cert::cert001_certificate_expired::RULE,
    &rules::cert::cert002_san_does_not_cover_host::RULE,
    &rules::cert::cert003_key_does_not_match_certificate::RULE,
    &rules::cert::cert004_certificate_not_signed_by_trusted_ca::RULE,
    &rules::cert::cert005_extended_key_usage_missing::RULE,
    &rules::cert::cert006_weak_rsa_key::RULE,
    &rules::cert::cert007_key_file_mode_too_open::RULE,
    &rules::cert::cert008_encrypted_key::RULE,
    &rules::cert::cert009_ca_file_not_a_ca::RULE,
    &rules::cert::cert010_named_file_missing::RULE,
    &rules::elastic::dcos001_transport_encryption_disabled::RULE,
    &rules::elastic::dcos002_service_account_missing::RULE,
    &rules::elastic::dcos003_transport_encryption_toggle_serial::RULE,
    &rules::elastic::dcos004_options_schema_violation::RULE,
    &rules::elastic::dcos005_xpack_enabled_set::RULE,
    &rules::elastic::dcos006_weak_xpack_security::RULE,
    &rules::etcd::etcd001_plaintext_client_listener::RULE,
    &rules::etcd::etcd002_client_cert_missing::RULE,
    &rules::etcd::etcd003_client_cert_auth_disabled::RULE,
    &rules::etcd::etcd004_auto_tls_enabled::RULE,
    &rules::etcd::etcd005_peer_cert_missing::RULE,
    &rules::etcd::etcd006_peer_client_cert_auth_disabled::RULE,
    &rules::etcd::etcd007_peer_auto_tls_enabled::RULE,
    &rules::etcd::etcd008_trusted_ca_missing::RULE,
    &rules::etcd::etcd009_plaintext_peer_url::RULE,
    &rules::etcd::etcd010_tls_scheme_mismatch::RULE,
    &rules::etcd::etcd011_initial_cluster_mismatch::RULE,
    &rules::etcd::etcd012_removed_ca_file::RULE,
    &rules::etcd::etcd013_shadowed_env_var::RULE,
    &rules::etcd::etcd014_unrecognized_env_var::RULE,
    &rules::etcd::etcd015_tls_min_version::RULE,
    &rules::etcd::etcd016_weak_cipher_suites::RULE,
    &rules::etcd::etcd017_cert_outside_wrapper_mount::RULE,
    &rules::etcd::etcd018_execstart_override::RULE,
    &rules::etcd::etcd019_etcdctl_insecure_tls::RULE,
    &rules::etcd::etcd020_member_update_syntax::RULE,
    &rules::etcd::etcd021_loopback_plaintext_bypasses_cert_auth::RULE,
    &rules::etcd::etcd022_invalid_boolean::RULE,
    &rules::influxdb::influx001_https_disabled::RULE,
    &rules::influxdb::influx002_https_certificate_missing::RULE,
    &rules::influxdb::influx003_auth_disabled::RULE,
    &rules::influxdb::influx004_pprof_exposed::RULE,
    &rules::influxdb::influx005_internode_plaintext::RULE,
    &rules::influxdb::influx006_meta_https_disabled::RULE,
    &rules::influxdb::influx007_insecure_tls::RULE,
    &rules::influxdb::influx008_shared_secret_mismatch::RULE,
    &rules::influxdb::influx009_tls_min_version::RULE,
    &rules::influxdb::influx010_tls_ciphers::RULE,
    &rules::influxdb::influx011_unknown_key::RULE,
    &rules::influxdb::influx012_meta_tls_mismatch::RULE,
    &rules::kubernetes::k8senc001_identity_provider_first::RULE,
    &rules::kubernetes::k8senc002_weak_first_provider::RULE,
    &rules::kubernetes::k8senc003_secrets_not_encrypted::RULE,
    &rules::kubernetes::k8senc004_kms_v1_provider::RULE,
    &rules::kubernetes::k8senc005_invalid_kms_provider::RULE,
    &rules::kubernetes::k8senc006_invalid_encryption_key::RULE,
    &rules::kubernetes::k8senc007_invalid_provider_element_or_resource::RULE,
    &rules::kubernetes::k8senc008_legacy_encryption_config::RULE,
    &rules::telegraf::tgf001_plaintext_url::RULE,
    &rules::telegraf::tgf002_insecure_skip_verify::RULE,
    &rules::telegraf::tgf003_deprecated_ssl_keys::RULE,
    &rules::telegraf::tgf004_tls_min_version::RULE,
    &rules::telegraf::tgf005_cleartext_credentials::RULE,
    &rules::telegraf::tgf006_client_cert_without_key::RULE,
    &rules::telegraf::tgf007_unknown_option::RULE,
    &rules::telegraf::tgf008_https_to_plaintext_influxdb::RULE,
    &rules::meta::tlsgen001_parse_error::RULE,
    &rules::meta::tlsgen002_unknown_suppression::RULE,
    &rules::meta::tlsgen003_unused_suppression::RULE,
    &rules::meta::tlsgen004_io_error::RULE,
    &rules::meta::tlsgen005_malformed_suppression::RULE,
    &rules::meta::tlsgen006_credentials_in_url::RULE,
    &rules::meta::tlsgen007_expired_suppression::RULE,
    &rules::meta::tlsgen008_suppression_not_allowed::RULE,
];

/// A rule by code (case-insensitive) or kebab name.
pub fn find(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

/// The rules a selector means: a code, a name, a code prefix (`ETCD`, `ETCD00`) or `ALL`.
pub fn select(selector: &str) -> Vec<&'static Rule> {
    if selector.eq_ignore_ascii_case("ALL") {
        return RULES.to_vec();
    }
    if let Some(r) = find(selector) {
        return vec![r];
    }
    let upper = selector.to_ascii_uppercase();
    if upper.is_empty() {
        return Vec::new();
    }
    RULES
        .iter()
        .copied()
        .filter(|r| r.code.starts_with(&upper))
        .collect()
}

/// The closest known code or name, for "did you mean".
pub fn suggest(key: &str) -> Option<&'static str> {
    RULES
        .iter()
        .flat_map(|r| [r.code, r.name])
        .map(|c| {
            (
                strsim::jaro_winkler(&key.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The parse-error rule, emitted by the engine.
pub fn parse_error() -> &'static Rule {
    &rules::meta::tlsgen001_parse_error::RULE
}

#[cfg(test)]
mod tests {
    use super::{find, severities, RULES, VARYING};

    #[test]
    fn varying_severities_name_real_rules_and_start_with_their_default() {
        for (code, list) in VARYING {
            let rule = find(code).unwrap_or_else(|| panic!("{code} is not a rule"));
            assert_eq!(list.first(), Some(&rule.severity), "{code}: default first");
            assert!(list.len() > 1, "{code}: one severity does not vary");
        }
        for r in RULES {
            assert_eq!(severities(r)[0], r.severity);
        }
    }
}
