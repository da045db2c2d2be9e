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

/// ETCD004/ETCD007: `auto-tls`/`peer-auto-tls` on. etcd generates a self-signed certificate only
/// when neither file of the pair is set; with either set it ignores the flag (3.5 logs
/// `ignoring client auto TLS since certs given`; embed `Config.ClientSelfCert`/`PeerSelfCert`
/// return early unless `TLSInfo.Empty()`, FACTS §1.2 `--auto-tls` row): then the flag is dead
/// configuration, a warning, removed by a safe fix when the whole pair is set (FACTS §8).
pub(crate) fn auto_tls(
    c: &EtcdConfig,
    ctx: &mut Ctx,
    flag: &str,
    (cert, key): (&str, &str),
    effect: &str,
) {
    if flag_true(c, ctx, flag) != Some(true) {
        return;
    }
    let Some(s) = c.get(flag) else { return };
    let (has_cert, has_key) = (c.value(cert).is_some(), c.value(key).is_some());
    if !has_cert && !has_key {
        ctx.report(
            s.span(),
            format!("`{flag}` makes {effect}"),
            format!("set {cert} and {key} to a certificate from your CA and remove {flag}"),
        );
        return;
    }
    let fix = (has_cert && has_key)
        .then(|| remove_setting(ctx, s))
        .flatten()
        .map(|e| Fix::safe(format!("remove `{flag}`"), vec![e]));
    let set = match (has_cert, has_key) {
        (true, true) => format!("{cert} and {key} are set"),
        (true, false) => format!("{cert} is set"),
        _ => format!("{key} is set"),
    };
    ctx.report_as_with_fix(
        Severity::Warning,
        s.span(),
        format!("`{flag}` has no effect: {set}, so etcd ignores it"),
        format!("remove {flag}: it reads as if etcd used a self-signed certificate"),
        fix,
    );
}

/// How etcd reads a boolean setting in the form it is written (FACTS F-E1; ETCD022): Go's
/// `strconv.ParseBool` for flags, variables and pod arguments, go-yaml's YAML 1.1 words for the
/// YAML config; a bare flag is true; an empty variable is skipped by etcd, which then keeps the
/// default (false for the flags this is used on). `None` for a placeholder and for a value etcd
/// refuses, which stops it (ETCD022 reports those; rules that interpret a value stay quiet).
pub(crate) fn etcd_bool(ctx: &Ctx, s: &Setting) -> Option<bool> {
    if s.placeholder {
        return None;
    }
    if s.bare {
        return Some(true);
    }
    match s.form {
        Form::Yaml => yaml_bool(ctx, s),
        Form::Env if s.value.is_empty() => Some(false),
        _ => go_parse_bool(&s.value),
    }
}

/// Whether a boolean flag whose default is false is effectively on, as etcd reads it: `None`
/// when unknown (a placeholder) or refused (ETCD022).
pub(crate) fn flag_true(c: &EtcdConfig, ctx: &Ctx, flag: &str) -> Option<bool> {
    match c.get(flag) {
        None => Some(false),
        Some(s) => etcd_bool(ctx, s),
    }
}

/// Go's `strconv.ParseBool`, exactly (no trimming).
pub(crate) fn go_parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Check a boolean that must be `true` (client-cert-auth with trusted-ca-file,
/// peer-client-cert-auth with peer-trusted-ca-file). `fix_safe`: whether writing `true` where
/// the CA file already makes etcd require certificates changes nothing else.
pub(crate) fn must_be_true(
    c: &EtcdConfig,
    ctx: &mut Ctx,
    flag: &str,
    ca: &str,
    what: &str,
    fix_safe: bool,
) {
    let env = flag.to_ascii_uppercase().replace('-', "_");
    let help_missing = format!("set `--{flag}=true` (or `ETCD_{env}=true`)");
    let setting = c.get(flag);
    // What etcd reads; a value it refuses stops it and is ETCD022's alone.
    let on = match setting {
        None => false,
        Some(s) => match etcd_bool(ctx, s) {
            Some(b) => b,
            None => return,
        },
    };
    if !on {
        // etcd requires and verifies client certificates whenever the CA file is set, with or
        // without this flag (pkg/transport `TLSInfo.ServerConfig`: `if info.TrustedCAFile != ""
        // || info.ClientCertAuth { cfg.ClientAuth = tls.RequireAndVerifyClientCert }`; measured
        // on 3.4.23: a client without a certificate is refused).
        if let Some(ca_setting) = c.value(ca) {
            let fix = explicit_true_fix(ctx, flag, setting, ca_setting, fix_safe);
            let (span, message) = match setting {
                None => (
                    ca_setting.key,
                    format!("`{flag}` is not set, but etcd already requires a client certificate from {what} because `{ca}` is set"),
                ),
                Some(s) => (
                    s.span(),
                    format!(
                        "`{}` is {}, but etcd already requires a client certificate from {what} because `{ca}` is set",
                        s.key_text,
                        if s.value.is_empty() { "empty" } else { "false" }
                    ),
                ),
            };
            ctx.report_as_with_fix(
                Severity::Warning,
                span,
                message,
                format!("write `{flag}` as true to say so: CIS scanners (kube-bench 2.2/2.5, checkov, trivy) and readers look for it"),
                fix,
            );
            return;
        }
        match setting {
            None => ctx.report(
                c.anchor,
                format!("`{flag}` is not set, so {what} connect without a client certificate"),
                help_missing,
            ),
            Some(s) => ctx.report(
                s.span(),
                format!(
                    "`{}` is {}, so {what} connect without a client certificate",
                    s.key_text,
                    if s.value.is_empty() { "empty" } else { "false" }
                ),
                if s.form == Form::Yaml {
                    format!("set `{}: true`", s.key_text)
                } else {
                    help_missing
                },
            ),
        }
        return;
    }
    let Some(s) = setting else { return };
    if s.form == Form::Yaml {
        // go-yaml (YAML 1.1): `yes`/`on` are true there, and scanners read the YAML as YAML.
        return;
    }
    if s.bare {
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
        );
    } else if s.value != "true" {
        ctx.report_as_with_fix(
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
        );
    }
}

/// The fix that writes `flag` as true next to (or in place of) what is there, in the form the
/// CA file is written in: a false value becomes `true`; a missing flag is added on the line
/// after the CA file's setting (`Environment=` line, env file line, pod argument, YAML key) or
/// after its word on a command line. `None` where the text around is not that plain.
fn explicit_true_fix(
    ctx: &Ctx,
    flag: &str,
    setting: Option<&Setting>,
    ca: &Setting,
    safe: bool,
) -> Option<Fix> {
    let make = |description: String, edit: Edit| {
        Some(if safe {
            Fix::safe(description, vec![edit])
        } else {
            Fix::unsafe_edit(description, vec![edit])
        })
    };
    if let Some(s) = setting {
        if s.bare || s.value_span.is_empty() || ctx.text(s.value_span) != s.value {
            return None;
        }
        return make(
            format!("write `true` instead of `{}`", s.value),
            Edit::replace(s.value_span, "true"),
        );
    }
    let file = ctx.file(ca.key);
    let text = file.text.as_str();
    if ca.key.file != ca.value_span.file {
        return None;
    }
    let start = ca.key.start;
    let end = ca.value_span.end.max(ca.key.end);
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = file.line_end(start);
    if end > line_end {
        return None;
    }
    let before = &text[line_start..start];
    let indent = &before[..before.len() - before.trim_start().len()];
    let after = text[end..line_end].trim_matches(['"', '\'', ' ', '\t']);
    // A YAML comment after the CA file's value stays on its line.
    let after = if matches!(ca.form, Form::Yaml | Form::PodArg) && after.starts_with('#') {
        ""
    } else {
        after
    };
    let env = format!("ETCD_{}", flag.to_ascii_uppercase().replace('-', "_"));
    let line = match ca.form {
        Form::Env => match before.trim() {
            "Environment=\"" | "Environment=" if after.is_empty() => {
                format!(
                    "{indent}{}{env}=true{}",
                    before.trim(),
                    if before.trim().ends_with('"') {
                        "\""
                    } else {
                        ""
                    }
                )
            }
            "" | "export"
                if after.is_empty()
                    && ![".yaml", ".yml", ".json"]
                        .iter()
                        .any(|e| file.path.ends_with(e)) =>
            {
                format!("{}{env}=true", before)
            }
            _ => return None,
        },
        Form::PodArg if before.trim() == "-" && after.is_empty() => {
            format!("{before}--{flag}=true")
        }
        Form::Yaml if before.trim().is_empty() && after.is_empty() => {
            format!("{before}client-cert-auth: true")
        }
        Form::Flag => {
            // After the CA file's word (and its closing quote), before the line's `\`.
            let mut at = end;
            if matches!(text.as_bytes().get(at), Some(b'"' | b'\'')) {
                at += 1;
            }
            if !matches!(
                text.as_bytes().get(at),
                None | Some(b' ' | b'\t' | b'\n' | b'\r')
            ) {
                return None;
            }
            return make(
                format!("write `--{flag}=true`"),
                Edit::insert(ca.key.file, at, format!(" --{flag}=true")),
            );
        }
        _ => return None,
    };
    make(
        format!("write `{}`", line.trim().trim_start_matches("- ")),
        Edit::insert(ca.key.file, line_end, format!("\n{line}")),
    )
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
