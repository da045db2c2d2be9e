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

use crate::lint::fix::{self, Edit, Fix};
use crate::lint::rule::Ctx;
use crate::lint::severity::Severity;
use crate::lint::source::Span;
use crate::lint::view::etcd::EtcdConfig;
use crate::lint::view::{Form, Setting};

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
        // etcd reads its YAML config with go-yaml (YAML 1.1): `yes`/`on` are true there, and a
        // value etcd refuses (a quoted "true", `1`) stops etcd, which ETCD022 reports.
        Some(s) if s.form == Form::Yaml => {
            if yaml_bool(ctx, s) == Some(false) {
                ctx.report(
                    s.span(),
                    format!(
                        "`{}` is false, so {what} connect without a client certificate",
                        s.key_text
                    ),
                    format!("set `{}: true`", s.key_text),
                )
            }
        }
        Some(s) if s.bare => {
            let fix = bare_true_fix(ctx, s);
            ctx.report_as_with_fix(
                Severity::Warning,
                s.key,
                format!("bare boolean `{}` without `=true`", s.key_text),
                format!(
                    "write `{}=true`: CIS scanners (checkov, trivy) only accept the literal form",
                    s.key_text
                ),
                fix,
            )
        }
        Some(s) => match s.as_bool() {
            Some(true) if s.value == "true" => {}
            Some(true) => ctx.report_as_with_fix(
                Severity::Warning,
                s.value_span,
                format!(
                    "`{}` is read as true by etcd, but CIS checks expect the literal `true`",
                    s.value
                ),
                "write `true`",
                // Same value for etcd (Go's strconv.ParseBool), the spelling scanners accept.
                (!s.value_span.is_empty()).then(|| {
                    Fix::safe(
                        format!("write `true` instead of `{}`", s.value),
                        vec![Edit::replace(s.value_span, "true")],
                    )
                }),
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

/// A boolean of etcd's YAML config as etcd reads it: go-yaml v2 resolves the YAML 1.1 words
/// (`y`, `yes`, `on`, `true` in three cases, and their negatives) to a bool; a quoted string or
/// anything else is refused when etcd decodes the config into its Go `bool` field (measured on
/// etcd 3.4.23: `"true"` and `1` stop etcd, `yes` and `on` start it). `None`: refused.
pub(crate) fn yaml_bool(ctx: &Ctx, s: &Setting) -> Option<bool> {
    if yaml_quoted(ctx, s) {
        return None;
    }
    yaml_word_bool(&s.value)
}

/// The YAML 1.1 boolean words go-yaml v2 resolves (etcd reads its config through it).
pub(crate) fn yaml_word_bool(v: &str) -> Option<bool> {
    match v {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            Some(false)
        }
        _ => None,
    }
}

/// Whether a YAML setting's value is a quoted scalar (a string, never a bool for go-yaml).
pub(crate) fn yaml_quoted(ctx: &Ctx, s: &Setting) -> bool {
    let file = ctx.file(s.value_span);
    let before = file.slice(s.value_span.start.saturating_sub(1), s.value_span.start);
    s.form == Form::Yaml && (before == "\"" || before == "'")
}

/// The safe fix of a bare boolean flag (`--client-cert-auth` -> `--client-cert-auth=true`): etcd
/// reads both as true (FACTS §8 ETCD003/ETCD006: "bare form -> `=true`: yes").
fn bare_true_fix(ctx: &Ctx, s: &Setting) -> Option<Fix> {
    let raw = ctx.text(s.key);
    let at = raw.find(s.key_text.as_str())? + s.key_text.len();
    Some(Fix::safe(
        format!("write `{}=true`", s.key_text),
        vec![Edit::insert(s.key.file, s.key.start + at, "=true")],
    ))
}

/// The edit that removes a setting wherever it was written: a command-line word (with its
/// quotes), an `Environment=` assignment or an env file line, a YAML `key: value` line alone on
/// its line. `None` where removing it cleanly is not certain (YAML flow style, a pod's `env:`
/// item, a word glued to others).
pub(crate) fn remove_setting(ctx: &Ctx, s: &Setting) -> Option<Edit> {
    let file = ctx.file(s.key);
    let text = file.text.as_str();
    let mut start = s.key.start.min(s.value_span.start);
    let mut end = s.key.end.max(s.value_span.end);
    if s.key.file != s.value_span.file {
        return None;
    }
    let quote_at = |i: usize| matches!(text.as_bytes().get(i), Some(b'"' | b'\''));
    // Closing quote of a quoted value (`--auto-tls="true"`, `auto-tls: "true"`).
    let vs = s.value_span.start;
    if !s.bare
        && vs > s.key.end
        && quote_at(vs - 1)
        && text.as_bytes().get(end) == text.as_bytes().get(vs - 1)
    {
        end += 1;
    }
    // Quotes around the whole word or assignment (`"--auto-tls=true"`, `"ETCD_AUTO_TLS=true"`).
    if start > 0
        && quote_at(start - 1)
        && text.as_bytes().get(end) == text.as_bytes().get(start - 1)
    {
        start -= 1;
        end += 1;
    }
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = file.line_end(start);
    if end > line_end {
        return None;
    }
    let before = text[line_start..start].trim();
    let after = text[end..line_end].trim();
    let span = Span::new(s.key.file, start..end);
    match s.form {
        Form::Flag => Some(fix::delete_word(file, span)),
        Form::PodArg => (before == "-" && (after.is_empty() || after.starts_with('#')))
            .then(|| fix::delete_lines(file, s.key.file, start, end)),
        Form::Yaml => (before.is_empty() && (after.is_empty() || after.starts_with('#')))
            .then(|| fix::delete_lines(file, s.key.file, start, end)),
        Form::Env => {
            let yaml = [".yaml", ".yml", ".json"]
                .iter()
                .any(|e| file.path.ends_with(e));
            if yaml {
                None
            } else if matches!(before, "" | "Environment=" | "export") && after.is_empty() {
                Some(fix::delete_lines(file, s.key.file, start, end))
            } else if before.starts_with("Environment=") {
                let from = text[..start].trim_end_matches([' ', '\t']).len();
                Some(Edit::delete(Span::new(s.key.file, from..end)))
            } else {
                None
            }
        }
        Form::Toml => None,
    }
}
