use crate::lint::rule::{Check, Target};
use crate::lint::severity::Severity;

crate::declare_rule! {
    /// ## What it does
    /// Reports a path that tlsgen could not read: a named path that does not exist (or leads
    /// through a file), a directory it cannot list, or a file it cannot open whose name says it
    /// is a kind tlsgen lints (`influxdb.conf`, `etcd.conf.yml`, an etcd drop-in, ...). The rest
    /// of the run goes on. An unreadable file whose name says nothing (a `0600` key under
    /// `/etc/kubernetes`) gets a note on stderr instead. It is emitted by the engine, not by a
    /// check, and neither `--select`, `--ignore`, per-file ignores nor suppression comments
    /// remove it: a file that was not read was not checked.
    ///
    /// ## Why is this bad?
    /// None of the settings of an unreadable file or directory were checked, so a clean report
    /// would claim more than tlsgen saw. A typo in a path given to CI would pass silently.
    ///
    /// ## Example
    /// ```sh
    /// tlsgen lint /etc/influxdb/influxdb.conf   # mode 0600, owned by influxdb, run as yourself
    /// ```
    ///
    /// ## Use instead
    /// ```sh
    /// sudo -u influxdb tlsgen lint /etc/influxdb/influxdb.conf
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - tlsgen README, section Lint
    pub static RULE = Rule {
        code: "TLSGEN004",
        name: "io-error",
        target: Target::Tlsgen,
        severity: Severity::Error,
        summary: "a path to lint cannot be read",
        check: Check::Engine,
    };
}
