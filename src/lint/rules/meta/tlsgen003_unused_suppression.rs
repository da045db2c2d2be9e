use crate::lint::rule::{Check, Target};
use crate::lint::severity::Severity;

crate::declare_rule! {
    /// ## What it does
    /// Reports a suppression of an enabled rule that matched no finding: nothing on its line or
    /// the line below it (or, for `ignore-file`, in the file) triggers that rule.
    ///
    /// ## Why is this bad?
    /// Stale suppressions hide the next real finding of the same rule on that line.
    ///
    /// ## Example
    /// ```ini
    /// # tlsgen: ignore[ETCD003]
    /// Environment="ETCD_CLIENT_CERT_AUTH=true"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_CLIENT_CERT_AUTH=true"
    /// ```
    ///
    /// ## Fix safety
    /// Removing the comment is safe.
    ///
    /// ## References
    /// - ruff `RUF100` (unused `noqa`), the model for this rule
    pub static RULE = Rule {
        code: "TLSGEN003",
        name: "unused-suppression",
        target: Target::Tlsgen,
        severity: Severity::Warning,
        summary: "a suppression comment suppresses nothing",
        check: Check::Engine,
    };
}
