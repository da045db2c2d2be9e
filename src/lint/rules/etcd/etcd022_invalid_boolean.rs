use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::source::Span;
use crate::lint::view::etcd::EtcdConfig;
use crate::lint::view::Form;

crate::declare_rule! {
    /// ## What it does
    /// Flags a boolean etcd setting whose value etcd refuses, in the way etcd reads each form:
    /// - flags, `ETCD_*` variables and pod arguments go through Go's `strconv.ParseBool`, which
    ///   accepts exactly `1 t T TRUE true True 0 f F FALSE false False`: `yes`, `on`, `enabled`
    ///   or a value with literal quotes (`Environment="ETCD_CLIENT_CERT_AUTH=\"true\""`) is
    ///   refused; an empty variable is skipped by etcd, an empty flag value is refused;
    /// - keys of an etcd YAML config go through YAML 1.1 and then JSON into a Go `bool`: unquoted
    ///   `true`/`false`, `yes`/`no`, `on`/`off`, `y`/`n` work; a quoted `"true"` (a string) or
    ///   `1` (a number) is refused.
    ///
    /// It alone reports such a value: the rules that read these flags (ETCD003 and ETCD006 on
    /// `client-cert-auth`, ETCD004 and ETCD007 on `auto-tls`, ETCD008, ...) read them as etcd does
    /// and say nothing about a value etcd refuses.
    ///
    /// ## Why is this bad?
    /// etcd stops at start-up. Measured on etcd 3.4.23: `ETCD_CLIENT_CERT_AUTH=yes` gives
    /// `invalid value "yes" for ETCD_CLIENT_CERT_AUTH: parse error`, a quoted value gives
    /// `invalid value "\"true\""`, `--client-cert-auth=on` gives `invalid boolean value "on"`;
    /// `ETCD_CLIENT_CERT_AUTH=1` and `=TRUE` start. In the YAML config `client-cert-auth: "true"`
    /// fails with `cannot unmarshal string into Go struct field ... of type bool`, `: 1` with
    /// `cannot unmarshal number`, while `: yes` and `: on` start.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_PEER_AUTO_TLS=no"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_PEER_AUTO_TLS=false"
    /// ```
    ///
    /// ## Fix safety
    /// Safe for unambiguous spellings (`yes`/`on` -> `true`, `no`/`off` -> `false`, the quotes of
    /// a YAML string removed): etcd could not start with the old value, and the new one says what
    /// it said. No fix for a value with literal quotes inside a variable.
    ///
    /// ## References
    /// - TOOLING.md "etcd 3.4 refuses `yes` as a boolean, values containing literal quotes";
    ///   FACTS F-E1/F-E3 (E-FLAGS: etcd-io/etcd `pkg/flags/flag.go` sets env values with
    ///   `flag.FlagSet.Set`, Go `strconv.ParseBool`); measured on Debian's etcd 3.4.23
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD022",
        name: "invalid-boolean",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "a boolean setting with a value etcd refuses (yes, on, quoted \"true\", YAML 1)",
        check: Check::Etcd(check),
    };
}

/// etcd's boolean flags (E34-HELP, E35-HELP).
const BOOLS: &[&str] = &[
    "auto-tls",
    "client-cert-auth",
    "debug",
    "enable-grpc-gateway",
    "enable-log-rotation",
    "enable-pprof",
    "enable-v2",
    "experimental-enable-lease-checkpoint",
    "experimental-enable-v2v3",
    "experimental-initial-corrupt-check",
    "experimental-peer-skip-client-san-verification",
    "force-new-cluster",
    "peer-auto-tls",
    "peer-client-cert-auth",
    "pre-vote",
    "socket-reuse-address",
    "socket-reuse-port",
    "strict-reconfig-check",
    "unsafe-no-fsync",
];

/// What the value means to a human, for the help line.
fn meant(v: &str) -> Option<bool> {
    let t = v.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    match t.as_str() {
        "1" | "t" | "true" | "y" | "yes" | "on" | "enable" | "enabled" => Some(true),
        "0" | "f" | "false" | "n" | "no" | "off" | "disable" | "disabled" => Some(false),
        _ => None,
    }
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let sources = ctx.sources;
    for (_, s) in c.all.iter().filter(|(f, _)| BOOLS.contains(&f.as_str())) {
        // A value etcd refuses; the rules that interpret these flags (ETCD003, ETCD004, ETCD006,
        // ETCD008, ...) read them with the same `etcd_bool` and stay quiet on it.
        if s.placeholder || s.bare || super::etcd_bool(ctx, s).is_some() {
            continue;
        }
        let file = sources.get(s.value_span.file);
        let before = file.slice(s.value_span.start.saturating_sub(1), s.value_span.start);
        let quoted = super::yaml_quoted(ctx, s);
        let help = match (meant(&s.value), s.form) {
            (Some(b), Form::Yaml) => format!("write `{b}` without quotes"),
            (Some(b), _) => format!("write `{b}`: etcd reads booleans with Go's strconv.ParseBool"),
            (None, _) => "write `true` or `false`".to_string(),
        };
        let shown = if quoted {
            format!("the quoted string `{before}{}{before}`", s.value)
        } else if s.value.is_empty() {
            "an empty value".to_string()
        } else {
            format!("`{}`", s.value)
        };
        // An unambiguous spelling written where lint can see it exactly: safe, since etcd could
        // not start with the old value. A quoted YAML string loses its quotes too.
        let written = ctx.text(s.value_span) == s.value && !s.value.contains(['"', '\'']);
        let fix = meant(&s.value)
            .filter(|_| written && !s.value.is_empty())
            .map(|b| {
                let span = if quoted {
                    Span::new(
                        s.value_span.file,
                        s.value_span.start - 1..s.value_span.end + 1,
                    )
                } else {
                    s.value_span
                };
                Fix::safe(
                    format!("write `{b}`"),
                    vec![Edit::replace(span, b.to_string())],
                )
            });
        ctx.report_with_fix(
            s.span(),
            format!(
                "{shown} is not a boolean etcd accepts for `{}`, so etcd will not start",
                s.key_text
            ),
            help,
            fix,
        );
    }
}
