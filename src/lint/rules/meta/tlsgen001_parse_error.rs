use crate::lint::rule::{Check, Target};
use crate::lint::severity::Severity;

crate::declare_rule! {
    /// ## What it does
    /// Reports a file that tlsgen recognised (by its path or content) but cannot parse, at the
    /// place where parsing stopped. It is emitted by the engine, not by a check.
    ///
    /// ## Why is this bad?
    /// A file that does not parse is either broken for the program that reads it too, or a
    /// template that tlsgen cannot see through; either way none of its settings were checked.
    ///
    /// ## Example
    /// ```toml
    /// [http
    /// https-enabled = true
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [http]
    /// https-enabled = true
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - tlsgen README, section Lint
    pub static RULE = Rule {
        code: "TLSGEN001",
        name: "parse-error",
        target: Target::Tlsgen,
        severity: Severity::Error,
        summary: "a recognised file cannot be parsed",
        check: Check::Engine,
    };
}
