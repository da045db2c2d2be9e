use crate::lint::rule::{Check, Target};
use crate::lint::severity::Severity;

crate::declare_rule! {
    /// ## What it does
    /// Reports a suppression directive whose expiry has passed: the day after `until YYYY-MM-DD`
    /// has come (today is the system's UTC date, or `TLSGEN_TODAY=YYYY-MM-DD` when set). The
    /// directive then suppresses nothing, so the finding it hid is reported again as well.
    ///
    /// ## Why is this bad?
    /// An expiry records a promise: "this exception holds until the lab box is replaced". Once
    /// the day has passed, the exception is either forgotten or no longer true; either way
    /// the finding deserves a fresh look, not a silent pass.
    ///
    /// ## Example
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   # tlsgen: ignore[TGF002] self-signed lab box until 2020-03-01
    ///   insecure_skip_verify = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   tls_ca = "/etc/telegraf/lab-ca.pem"
    /// ```
    /// or, when the exception still holds, a new date after a review:
    /// `# tlsgen: ignore[TGF002] self-signed lab box until 2027-03-01`.
    ///
    /// ## Fix safety
    /// No automatic fix: only a person can decide whether the exception still holds.
    ///
    /// ## References
    /// - tlsgen README, section Lint, "Governed suppressions"
    /// - hadolint#747 (centrally managed exceptions), the issue that asks for governed ignores
    pub static RULE = Rule {
        code: "TLSGEN007",
        name: "expired-suppression",
        target: Target::Tlsgen,
        severity: Severity::Warning,
        summary: "a suppression's `until` day has passed; it suppresses nothing",
        check: Check::Engine,
    };
}
