use crate::lint::parse::comments::{comment_ranges, Syntax};
use crate::lint::rule::Finding;
use crate::lint::rule::{Check, Target};
use crate::lint::severity::Severity;
use crate::lint::source::{FileId, SourceFile, Span};
use crate::lint::view::is_loopback_host;

crate::declare_rule! {
    /// ## What it does
    /// Reports a password written in a URL (`https://user:password@host:2379`), wherever the
    /// URL is in a linted file: an etcd flag on `ExecStart=` or in an `ETCD_*` variable
    /// (`--initial-cluster`, endpoints), `ETCDCTL_ENDPOINTS`, a Telegraf `urls` entry, etcd
    /// YAML, a `curl` on `ExecStartPost=` (the Compose guide's `curl -L
    /// https://user:pass@hostname:port/…`). One finding per URL, at the password; when the URL is
    /// `http://` to a host that is not loopback, the message says the password crosses the
    /// network in cleartext. A password that is a reference (`${VAR}`, `$VAR`, a template
    /// placeholder, `@{store:key}`) is not reported, nor is a URL in a comment (sample
    /// configurations carry example credentials; the URL is masked in output all the same).
    ///
    /// This rule owns credentials written in a URL: TGF005 (Telegraf `username`/`password`
    /// sent over `http://`) does not report a URL that carries its own credentials, so
    /// `http://user:pass@host` is one finding. The plaintext transport itself stays the plaintext
    /// rule's (TGF001 for Telegraf), a separate problem.
    ///
    /// ## Why is this bad?
    /// A URL is logged, shown in `ps` and `/proc/*/cmdline` (ExecStart arguments are readable by
    /// every local user), copied into monitoring and error messages; the password travels with
    /// it, and over `http://` anyone on the path reads it. tlsgen masks it in every output, but
    /// the file still holds it.
    ///
    /// ## Example
    /// ```ini
    /// ETCDCTL_ENDPOINTS=https://root:example-pw@10.0.0.11:2379
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// ETCDCTL_ENDPOINTS=https://10.0.0.11:2379
    /// ETCDCTL_USER=root
    /// # and the password from a prompt, a secret store or ETCDCTL_PASSWORD set at run time
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the credentials must be stored somewhere else first.
    ///
    /// ## References
    /// - RFC 3986 §3.2.1: "Use of the format \"user:password\" in the userinfo field is
    ///   deprecated"
    /// - etcd `etcdctl` `--user` / `ETCDCTL_USER`, `ETCDCTL_PASSWORD`; Telegraf
    ///   `outputs.influxdb` `username`/`password` (`config.Secret`, F-T1)
    pub static RULE = Rule {
        code: "TLSGEN006",
        name: "credentials-in-url",
        target: Target::Tlsgen,
        severity: Severity::Error,
        summary: "a URL carries a password",
        check: Check::Engine,
    };
}

/// The findings of one file: each URL of its text with a literal password (see
/// [`crate::lint::redact::url_credentials`], the same test the masking uses), outside comments
/// of the file's syntax (masked there too, but not reported: sample configurations carry
/// example URLs such as Telegraf's `mongodb://user:auth_key@…`).
pub fn check(id: FileId, file: &SourceFile, syntax: Syntax) -> Vec<Finding> {
    let text = file.text.as_str();
    if !text.contains("://") {
        return Vec::new();
    }
    let creds = crate::lint::redact::url_credentials(text);
    if creds.is_empty() {
        return Vec::new();
    }
    let comments = comment_ranges(text, syntax);
    creds
        .into_iter()
        .filter(|c| !comments.iter().any(|r| r.contains(&c.password.start)))
        .map(|c| {
            let user = &text[c.user.clone()];
            let cleartext = c.scheme == "http" && !is_loopback_host(&c.host);
            let message = if cleartext {
                format!("this URL carries the password of `{user}`, and http sends it in cleartext")
            } else {
                format!("this URL carries the password of `{user}`")
            };
            let help = if cleartext {
                "use https:// and pass the credentials another way (etcdctl `--user` or `ETCDCTL_USER` with the password from a prompt or the environment, Telegraf `username`/`password` from a secret store, curl `--netrc-file`)"
            } else {
                "pass the credentials another way (etcdctl `--user` or `ETCDCTL_USER` with the password from a prompt or the environment, Telegraf `username`/`password` from a secret store, curl `--netrc-file`)"
            };
            Finding {
                rule: &RULE,
                severity: RULE.severity,
                span: Span::new(id, c.password),
                message,
                help: help.into(),
                fix: None,
                pos: None,
                related: Box::default(),
            }
        })
        .collect()
}
