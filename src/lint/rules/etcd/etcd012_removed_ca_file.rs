use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;
use crate::lint::view::{Form, Setting};

crate::declare_rule! {
    /// ## What it does
    /// Flags the removed `ca-file` and `peer-ca-file` settings in every form: `--ca-file` and
    /// `--peer-ca-file` on a command line, `ETCD_CA_FILE` and `ETCD_PEER_CA_FILE` variables,
    /// `ca-file` keys of an etcd YAML config. An error for etcd 3.4 and newer (the default when no
    /// `ETCD_IMAGE_TAG` pins an older release), a warning for older releases, where they are only
    /// deprecated.
    ///
    /// ## Why is this bad?
    /// The flags were deprecated since etcd 2.1 and are absent from etcd 3.4's flag set (F-E5).
    /// Measured on etcd 3.4.23: `--ca-file=...` stops etcd with `flag provided but not defined:
    /// -ca-file`; `ETCD_CA_FILE=...` is only logged as `unrecognized environment variable` and
    /// ignored, so the member silently stops verifying client certificates against that CA. The
    /// CoreOS etcd2 docs (F-E18) and the "Customizing the etcd unit" sample (F-E31) still use
    /// them, so they live on in copied drop-ins.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_CA_FILE=/etc/ssl/etcd/ca.pem"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ca.pem"
    /// Environment="ETCD_CLIENT_CERT_AUTH=true"
    /// ```
    ///
    /// ## Fix safety
    /// Safe: etcd's own help text says "`--ca-file ca.crt` could be replaced by
    /// `--trusted-ca-file ca.crt --client-cert-auth` and etcd will perform the same" (peer
    /// analog). The fix renames the key and adds the matching `client-cert-auth=true` when it is
    /// not set (variables of units and environment files, command-line flags); none when
    /// `client-cert-auth` is explicitly off, and none for YAML keys or pod arguments.
    ///
    /// ## References
    /// - FACTS F-E5 (E23-HELP: etcd-io/etcd release-2.3 `etcdmain/help.go`; E34-CFG: release-3.4
    ///   `etcdmain/config.go` has no `ca-file`; E-CL34 "Deprecated etcd --ca-file flag"), F-E18,
    ///   F-E27, F-E31
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD012",
        name: "removed-ca-file",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "removed ca-file / peer-ca-file setting",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let severity = if c.at_least_3_4() {
        Severity::Error
    } else {
        Severity::Warning
    };
    for (flag, trusted, auth) in [
        ("ca-file", "trusted-ca-file", "client-cert-auth"),
        (
            "peer-ca-file",
            "peer-trusted-ca-file",
            "peer-client-cert-auth",
        ),
    ] {
        for (f, s) in c.all.iter().filter(|(f, _)| f == flag) {
            let what = if matches!(s.form, Form::Env | Form::Yaml) && c.at_least_3_4() {
                "etcd 3.4 ignores it"
            } else if c.at_least_3_4() {
                "etcd 3.4 refuses to start"
            } else {
                "it is deprecated since etcd 2.1 and gone in 3.4"
            };
            let (t, a) = names(s.form, trusted, auth);
            let fix = rename_fix(c, ctx, s, &t, &a, auth);
            ctx.report_as_with_fix(
                severity,
                s.key,
                format!("`{}` was removed from etcd ({what})", s.key_text),
                format!("write `{t}` with the same file and `{a}=true`, etcd's documented equivalent of `{f}`"),
                fix,
            );
        }
    }
}

/// The replacement names in the form the setting was written in.
fn names(form: Form, trusted: &str, auth: &str) -> (String, String) {
    match form {
        Form::Env => (env(trusted), env(auth)),
        Form::Yaml => (
            trusted.trim_start_matches("peer-").to_string(),
            auth.trim_start_matches("peer-").to_string(),
        ),
        _ => (format!("--{trusted}"), format!("--{auth}")),
    }
}

fn env(flag: &str) -> String {
    format!("ETCD_{}", flag.to_ascii_uppercase().replace('-', "_"))
}

/// Rename the key to its `trusted-ca-file` form and, when the matching `client-cert-auth` is not
/// set at all, add it as `true` (variables of a unit or an environment file, command-line flags).
fn rename_fix(
    c: &EtcdConfig,
    ctx: &Ctx,
    s: &Setting,
    trusted: &str,
    auth: &str,
    auth_flag: &str,
) -> Option<Fix> {
    if s.placeholder || ctx.text(s.key) != s.key_text {
        return None;
    }
    let add_auth = match c.get(auth_flag) {
        None => true,
        Some(_) if super::flag_true(c, ctx, auth_flag) == Some(true) => false,
        Some(_) => return None, // explicitly off: not the documented equivalent
    };
    let file = ctx.file(s.key);
    let mut edits = vec![Edit::replace(s.key, trusted.to_string())];
    if add_auth {
        match s.form {
            Form::Env if c.from_unit => {
                let end = file.line_end(s.key.start);
                edits.push(Edit::insert(
                    s.key.file,
                    end,
                    format!("\nEnvironment=\"{auth}=true\""),
                ));
            }
            Form::Env if !file.path.ends_with(".yaml") && !file.path.ends_with(".yml") => {
                let end = file.line_end(s.key.start);
                edits.push(Edit::insert(s.key.file, end, format!("\n{auth}=true")));
            }
            Form::Flag if s.value_span.file == s.key.file => {
                let mut end = s.value_span.end;
                if matches!(file.text.as_bytes().get(end), Some(b'"' | b'\'')) {
                    end += 1;
                }
                edits.push(Edit::insert(s.key.file, end, format!(" {auth}=true")));
            }
            _ => return None,
        }
    }
    Some(Fix::safe(
        format!(
            "write `{trusted}`{}",
            if add_auth {
                format!(" and `{auth}=true`")
            } else {
                String::new()
            }
        ),
        edits,
    ))
}
