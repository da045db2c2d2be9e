use crate::lint::rule::{Check, Target};
use crate::lint::severity::Severity;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `# tlsgen: ignore[...]` or `# tlsgen: ignore-file[...]` comment naming a code or
    /// name that is not a rule.
    ///
    /// ## Why is this bad?
    /// A misspelt suppression suppresses nothing, and the reader believes it does.
    ///
    /// ## Example
    /// ```ini
    /// # tlsgen: ignore[ETCD0003]
    /// Environment="ETCD_CLIENT_CERT_AUTH=false"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # tlsgen: ignore[ETCD003]
    /// Environment="ETCD_CLIENT_CERT_AUTH=false"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - `tlsgen rules` lists every code and name
    pub static RULE = Rule {
        code: "TLSGEN002",
        name: "unknown-suppression",
        target: Target::Tlsgen,
        severity: Severity::Warning,
        summary: "a suppression comment names no known rule",
        check: Check::Engine,
    };
}
