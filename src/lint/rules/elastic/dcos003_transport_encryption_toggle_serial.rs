use std::path::Path;

use crate::lint::placeholder::is_placeholder;
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::elastic::ElasticOptions;

crate::declare_rule! {
    /// ## What it does
    /// Compares DC/OS Elastic options with the options previously applied to the running
    /// service, and flags a change of `service.security.transport_encryption.enabled` (on to off
    /// or off to on) while `service.update_strategy` is not `parallel` (absent means the default,
    /// `serial`). When the toggle does use `parallel`, it reminds to set `serial` back afterwards
    /// (a warning).
    ///
    /// How lint knows the previously applied options: from a sibling file. For an options file
    /// `<dir>/<name>.json` it reads `<dir>/<name>.applied.json` (e.g. `options.applied.json` next
    /// to `options.json`), or else `<dir>/previous-options.json`. Keep the options you last gave
    /// to `dcos package install` or `dcos elastic update start` under that name. Without such a
    /// file the rule says nothing; the applied file itself is never compared. (`tlsgen render`
    /// writes the update as a pair: `elastic-options-update.json` with `parallel`, and
    /// `elastic-options-serial.json` to apply after the restart.)
    ///
    /// ## Why is this bad?
    /// "Toggling Transport Encryption requires doing a full-cluster restart … Since the service's
    /// default update strategy is a rolling upgrade (`serial`) changing its configuration to
    /// enable (or disable) transport encryption will result in nodes configured with TLS not
    /// being able to communicate with nodes configured with unencrypted networking (and
    /// vice-versa). A full-cluster restart is required (using the `parallel` update strategy) …
    /// Afterwards, you should set the update strategy back to `serial`." (F-D5). The default
    /// `update_strategy` is `serial` (F-D1).
    ///
    /// ## Example
    /// `options.applied.json` has `"enabled": false`, and `options.json`:
    /// ```json
    /// {"service": {"update_strategy": "serial",
    ///   "security": {"transport_encryption": {"enabled": true}}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"service": {"update_strategy": "parallel",
    ///   "security": {"transport_encryption": {"enabled": true}}}}
    /// ```
    /// then, once every node runs with TLS, the same options with `"update_strategy": "serial"`.
    ///
    /// ## Fix safety
    /// No automatic fix: a parallel update restarts every node at once, so the service is down
    /// during it; that is a decision to plan, with backups.
    ///
    /// ## References
    /// - FACTS F-D1, F-D5 (mesosphere/dcos-commons `frameworks/elastic/docs/limitations.md` and
    ///   `frameworks/elastic/docs/security.md`; `frameworks/elastic/universe/config.json`)
    pub static RULE = Rule {
        code: "DCOS003",
        name: "elastic-transport-encryption-toggle-serial",
        target: Target::Elastic,
        severity: Severity::Error,
        summary: "transport encryption toggled against the applied options without update_strategy parallel",
        check: Check::Elastic(check),
    };
}

/// File names that hold previously applied options.
const PREVIOUS_NAME: &str = "previous-options.json";
const APPLIED_SUFFIX: &str = ".applied.json";

/// The previously applied options of `path`, if a sibling file holds them: (its file name, its
/// text). Reads the copy lint holds when the sibling is in the same store (a stdin text), else the
/// disk.
fn previous(path: &str, ctx: &Ctx) -> Option<(String, String)> {
    let p = Path::new(path);
    let name = p.file_name()?.to_str()?;
    if name == PREVIOUS_NAME || name.ends_with(APPLIED_SUFFIX) {
        return None;
    }
    let stem = name.strip_suffix(".json")?;
    let dir = p.parent().unwrap_or(Path::new(""));
    for candidate in [format!("{stem}{APPLIED_SUFFIX}"), PREVIOUS_NAME.to_string()] {
        let sibling = dir.join(&candidate);
        let shown = sibling.to_string_lossy().replace('\\', "/");
        if let Some(f) = ctx.sources.find(&shown).filter(|f| !f.is_released()) {
            return Some((candidate, f.text.as_str().to_string()));
        }
        if let Ok(text) = std::fs::read_to_string(&sibling) {
            return Some((candidate, text));
        }
    }
    None
}

/// `transport_encryption.enabled` in the previous options: absent means false (F-D1); `None`
/// when unknown (a placeholder, not a boolean, or a file that does not parse).
fn previous_enabled(text: &str) -> Option<bool> {
    let docs = crate::lint::parse::yaml::parse(text, true).ok()?;
    let doc = docs.first()?;
    let node = ["service", "security", "transport_encryption", "enabled"]
        .iter()
        .try_fold(doc, |n, k| n.get(k));
    let Some(node) = node else { return Some(false) };
    let raw = text.get(node.span.clone()).unwrap_or("");
    if is_placeholder(raw) || raw.starts_with('"') {
        return None;
    }
    match node.as_str()? {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn check(c: &ElasticOptions, ctx: &mut Ctx) {
    let Some(now) = c.transport_encryption(ctx.sources) else {
        return;
    };
    let path = ctx.sources.get(c.file).path.clone();
    let Some((prev_name, prev_text)) = previous(&path, ctx) else {
        return;
    };
    let Some(before) = previous_enabled(&prev_text) else {
        return;
    };
    if before == now {
        return;
    }
    let strategy = c.get(&["service", "update_strategy"]);
    if strategy.is_some_and(|s| c.is_placeholder(ctx.sources, s)) {
        return;
    }
    let value = strategy.and_then(|s| s.as_str()).unwrap_or("serial");
    let anchor = strategy
        .map(|s| c.span(&s.span))
        .or_else(|| {
            c.get(&["service", "security", "transport_encryption", "enabled"])
                .map(|n| c.span(&n.span))
        })
        .or_else(|| c.path(&["service"]).map(|(s, _)| s))
        .unwrap_or(c.span(&(c.doc.span.start..c.doc.span.start + 1)));
    let change = format!("transport encryption changes from {before} ({prev_name}) to {now}");
    if value == "parallel" {
        ctx.report_as(
            Severity::Warning,
            anchor,
            format!("{change} with update_strategy parallel: set it back to serial after the full-cluster restart"),
            "once every node runs the new options, apply them again with \"update_strategy\": \"serial\"",
        );
    } else {
        let shown = if strategy.is_some() {
            value.to_string()
        } else {
            "serial (the default)".to_string()
        };
        ctx.report(
            anchor,
            format!("{change} while update_strategy is {shown}, so TLS and plaintext nodes cannot talk during the rolling update"),
            "set service.update_strategy to parallel for this update (a full-cluster restart: plan downtime, take backups), then back to serial",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::previous_enabled;

    #[test]
    fn previous_state_defaults_to_off_and_placeholders_are_unknown() {
        assert_eq!(
            previous_enabled("{\"service\": {\"name\": \"elastic\"}}"),
            Some(false)
        );
        assert_eq!(
            previous_enabled(
                "{\"service\": {\"security\": {\"transport_encryption\": {\"enabled\": true}}}}"
            ),
            Some(true)
        );
        assert_eq!(previous_enabled("{\"service\": {\"security\": {\"transport_encryption\": {\"enabled\": {{ tls }}}}}}"), None);
        assert_eq!(previous_enabled("{\"service\": {\"security\": {\"transport_encryption\": {\"enabled\": \"true\"}}}}"), None);
    }
}
