use crate::lint::rule::{Check, Target};
use crate::lint::severity::Severity;

crate::declare_rule! {
    /// ## What it does
    /// Reports a suppression directive that does not parse: a bare `# tlsgen: ignore`, a list
    /// that is not closed or names no rule, a word other than `ignore` or `ignore-file` after
    /// `tlsgen:`, an `until` that is not a calendar date `YYYY-MM-DD`, or a directive after a
    /// value in a systemd unit or an environment file (which have no end-of-line comments). The
    /// syntax is `# tlsgen: ignore[CODE, ...] <reason> until YYYY-MM-DD` (reason and expiry
    /// optional), or `ignore-file[...]`.
    ///
    /// ## Why is this bad?
    /// A malformed directive suppresses nothing, while its reader believes it does; one after a
    /// systemd value is even part of that value.
    ///
    /// ## Example
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   # tlsgen: ignore
    ///   insecure_skip_verify = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   # tlsgen: ignore[TGF002] self-signed lab box until 2027-03-01
    ///   insecure_skip_verify = true
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: only the author knows which rule was meant.
    ///
    /// ## References
    /// - tlsgen README, section Lint, "Suppressions"
    /// - ruff's `noqa` directives (`PGH004`, blanket `noqa`), the model for reporting them
    pub static RULE = Rule {
        code: "TLSGEN005",
        name: "malformed-suppression",
        target: Target::Tlsgen,
        severity: Severity::Warning,
        summary: "a suppression directive does not parse and suppresses nothing",
        check: Check::Engine,
    };
}
