use crate::lint::rule::{Check, Target};
use crate::lint::severity::Severity;

crate::declare_rule! {
    /// ## What it does
    /// Reports a suppression directive that `tlsgen.toml` does not allow, which therefore
    /// suppresses nothing: a directive without a reason under
    /// `require-suppression-reason = true`, any inline directive under
    /// `no-inline-suppressions = true`, and a directive naming a rule listed in
    /// `unsuppressable` (or one tlsgen never lets a directive hide: a parse error, a finding
    /// about suppressions). The rules a directive names are reported as if it were not there.
    ///
    /// ## Why is this bad?
    /// A team that manages its exceptions centrally wants every exception to be visible in one
    /// place, justified, or not possible at all for the rules that matter most; a directive
    /// that slips past that policy would hide a finding nobody agreed to hide.
    ///
    /// ## Example
    /// With `require-suppression-reason = true` in `[lint]` of tlsgen.toml:
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   # tlsgen: ignore[TGF002]
    ///   insecure_skip_verify = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [[outputs.influxdb]]
    ///   urls = ["https://influxdb.example.com:8086"]
    ///   # tlsgen: ignore[TGF002] self-signed lab box, ticket OPS-42 until 2027-03-01
    ///   insecure_skip_verify = true
    /// ```
    /// Under `no-inline-suppressions`, list the file in `[lint.per-file-ignores]` instead.
    ///
    /// ## Fix safety
    /// No automatic fix: only the author knows the reason.
    ///
    /// ## References
    /// - tlsgen README, section Lint, "Governed suppressions"
    /// - hadolint#747 ("centrally managed … don't want developers to ignore rules by their own")
    pub static RULE = Rule {
        code: "TLSGEN008",
        name: "suppression-not-allowed",
        target: Target::Tlsgen,
        severity: Severity::Warning,
        summary: "a suppression directive that tlsgen.toml does not allow suppresses nothing",
        check: Check::Engine,
    };
}
