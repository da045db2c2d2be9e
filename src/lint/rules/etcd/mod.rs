//! etcd rules (FACTS §8, ETCD001–ETCD010). They read the merged [`EtcdConfig`] view, so each is
//! written once for flags, `ETCD_*` variables, YAML keys and static pod arguments.

pub mod etcd001_plaintext_client_listener;
pub mod etcd002_client_cert_missing;
pub mod etcd003_client_cert_auth_disabled;
pub mod etcd004_auto_tls_enabled;
pub mod etcd005_peer_cert_missing;
pub mod etcd006_peer_client_cert_auth_disabled;
pub mod etcd007_peer_auto_tls_enabled;
pub mod etcd008_trusted_ca_missing;
pub mod etcd009_plaintext_peer_url;
pub mod etcd010_tls_scheme_mismatch;
pub mod etcd011_initial_cluster_mismatch;
pub mod etcd012_removed_ca_file;
pub mod etcd013_shadowed_env_var;
pub mod etcd014_unrecognized_env_var;
pub mod etcd015_tls_min_version;
pub mod etcd016_weak_cipher_suites;
pub mod etcd017_cert_outside_wrapper_mount;
pub mod etcd018_execstart_override;
pub mod etcd019_etcdctl_insecure_tls;
pub mod etcd020_member_update_syntax;
pub mod etcd021_loopback_plaintext_bypasses_cert_auth;
pub mod etcd022_invalid_boolean;
pub(crate) mod etcdctl;

use crate::lint::rule::Ctx;
use crate::lint::view::etcd::EtcdConfig;
use crate::lint::Severity;

/// Report a key pair where one half is missing (F-E10); returns whether both are absent.
pub(crate) fn half_pair(c: &EtcdConfig, ctx: &mut Ctx, cert: &str, key: &str) -> bool {
    match (c.value(cert), c.value(key)) {
        (Some(s), None) => {
            ctx.report(
                s.key,
                format!("`{}` is set without `{key}`", s.key_text),
                format!(
                    "set `{key}` to the certificate's private key: etcd needs both files of a pair"
                ),
            );
            false
        }
        (None, Some(s)) => {
            ctx.report(
                s.key,
                format!("`{}` is set without `{cert}`", s.key_text),
                format!("set `{cert}` to the certificate that goes with this key: etcd needs both files of a pair"),
            );
            false
        }
        (None, None) => true,
        (Some(_), Some(_)) => false,
    }
}

/// Check a boolean that must be `true` (client-cert-auth, peer-client-cert-auth).
pub(crate) fn must_be_true(c: &EtcdConfig, ctx: &mut Ctx, flag: &str, what: &str) {
    let help_missing = format!(
        "set `--{flag}=true` (or `ETCD_{}=true`)",
        flag.to_ascii_uppercase().replace('-', "_")
    );
    match c.get(flag) {
        None => ctx.report(
            c.anchor,
            format!("`{flag}` is not set, so {what} connect without a client certificate"),
            help_missing,
        ),
        Some(s) if s.placeholder => {}
        Some(s) if s.bare => ctx.report_as(
            Severity::Warning,
            s.key,
            format!("bare boolean `{}` without `=true`", s.key_text),
            format!(
                "write `{}=true`: CIS scanners (checkov, trivy) only accept the literal form",
                s.key_text
            ),
        ),
        Some(s) => match s.as_bool() {
            Some(true) if s.value == "true" => {}
            Some(true) => ctx.report_as(
                Severity::Warning,
                s.value_span,
                format!(
                    "`{}` is read as true by etcd, but CIS checks expect the literal `true`",
                    s.value
                ),
                "write `true`",
            ),
            Some(false) => ctx.report(
                s.span(),
                format!(
                    "`{}` is false, so {what} connect without a client certificate",
                    s.key_text
                ),
                help_missing,
            ),
            None => ctx.report(
                s.span(),
                format!("`{}` is not a boolean etcd accepts", s.value),
                "write `true` (etcd reads booleans with Go's strconv.ParseBool)",
            ),
        },
    }
}
