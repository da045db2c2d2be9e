//! Settle: apply suppressions (governed), per-file ignores, severity overrides and the baseline to
//! findings, give them positions, report the suppressions that are unknown, unused, malformed,
//! expired or not allowed, mask secrets, and sort.

use std::collections::BTreeMap;

use super::input::{Input, Suppressed};
use super::par::maybe_par;
use crate::lint::baseline;
use crate::lint::redact;
use crate::lint::registry;
use crate::lint::rule::{self, Finding};
use crate::lint::rules;
use crate::lint::settings::Settings;
use crate::lint::source::{self, FileId, SourceStore};
use crate::lint::suppress;

/// What settling keeps of the findings it does not report, per file then per run.
#[derive(Debug, Default)]
pub(super) struct Held {
    pub(super) baselined: usize,
    pub(super) baselined_findings: Vec<Finding>,
    pub(super) suppressed: Vec<Suppressed>,
    pub(super) keys: Vec<baseline::Key>,
}

impl Held {
    pub(super) fn extend(&mut self, other: Held) {
        self.baselined += other.baselined;
        self.baselined_findings.extend(other.baselined_findings);
        self.suppressed.extend(other.suppressed);
        self.keys.extend(other.keys);
    }
}

/// Apply a file's suppressions, per-file ignores, severity overrides and the baseline to
/// findings in it; clamp their spans and fill in their positions. Marks the suppressions that
/// matched; what is not reported goes to `held` (counted, kept for SARIF when asked), as do the
/// baseline keys of the reported findings with `--write-baseline`. A rule that is unsuppressable
/// is neither suppressed inline nor held by the baseline.
pub(super) fn settle(
    findings: Vec<Finding>,
    settings: &Settings,
    input: &Input,
    file: &source::SourceFile,
    supp: &mut [suppress::Suppression],
    held: &mut Held,
) -> Vec<Finding> {
    let mut out = Vec::with_capacity(findings.len());
    for mut f in findings {
        if !settings.is_enabled(f.rule) || settings.ignored_for(f.rule, &file.path) {
            continue;
        }
        let line = file.line_index(f.span.start);
        f.severity = settings.severity(f.rule, f.severity);
        f.span.start = file.clamp(f.span.start);
        f.span.end = file.clamp(f.span.end).max(f.span.start);
        f.pos = Some(rule::Pos::of(f.span, file));
        if settings.unsuppressable(f.rule) {
            out.push(f);
            continue;
        }
        if let Some(s) = suppress::suppressing(supp, f.rule, line) {
            if input.keep_suppressed {
                let reason = s.reason.clone();
                held.suppressed.push(Suppressed { finding: f, reason });
            }
            continue;
        }
        if input.baseline.is_some() || input.baseline_keys {
            let key = baseline::Key::at(f.rule, &file.path, &file.text, f.span.start..f.span.end);
            if input.baseline.as_ref().is_some_and(|b| b.take(&key)) {
                held.baselined += 1;
                if input.keep_suppressed {
                    held.baselined_findings.push(f);
                }
                continue;
            }
            if input.baseline_keys {
                held.keys.push(key);
            }
        }
        out.push(f);
    }
    out
}

/// A file settled late: its id, findings, suppressions (with their use marked), a note.
type Settled = (
    FileId,
    Vec<Finding>,
    Vec<suppress::Suppression>,
    Held,
    Option<String>,
);

/// Settle the findings of the cross-file steps, file by file (in parallel), reading a released
/// file again while its findings are settled (then releasing it again). A file that cannot be
/// read again or changed meanwhile keeps its findings unplaced (line 1) and gets a note.
pub(super) fn settle_late(
    late: Vec<Finding>,
    settings: &Settings,
    input: &Input,
    sources: &mut SourceStore,
    notes: &mut Vec<String>,
    supps: &mut BTreeMap<FileId, Vec<suppress::Suppression>>,
    held: &mut Held,
) -> Vec<Finding> {
    let mut by_file: BTreeMap<FileId, Vec<Finding>> = BTreeMap::new();
    for f in late {
        by_file.entry(f.span.file).or_default().push(f);
    }
    // Each file with late findings, with its suppressions, taken out for a parallel pass.
    let jobs: Vec<(FileId, Vec<Finding>, Vec<suppress::Suppression>)> = by_file
        .into_iter()
        .map(|(id, findings)| (id, findings, supps.remove(&id).unwrap_or_default()))
        .collect();
    let files = sources.files_mut();
    let mut slots: Vec<Option<&mut source::SourceFile>> = files.iter_mut().map(Some).collect();
    let work: Vec<_> = jobs
        .into_iter()
        .filter_map(|(id, findings, supp)| {
            slots
                .get_mut(id)
                .and_then(Option::take)
                .map(|file| (id, file, findings, supp))
        })
        .collect();
    let done: Vec<Settled> = maybe_par(work, |(id, file, findings, mut supp)| {
        let was_released = file.is_released();
        let note = file
            .restore()
            .err()
            .map(|e| format!("{}: cannot read it again: {e}", file.path));
        let mut file_held = Held::default();
        let settled = settle(findings, settings, input, file, &mut supp, &mut file_held);
        if was_released {
            file.release();
        }
        (id, settled, supp, file_held, note)
    });
    let mut out = Vec::new();
    for (id, settled, supp, file_held, note) in done {
        out.extend(settled);
        held.extend(file_held);
        notes.extend(note);
        if !supp.is_empty() {
            supps.insert(id, supp);
        }
    }
    out
}

/// Unknown suppressions (TLSGEN002) and suppressions that matched nothing (TLSGEN003). Files
/// with suppressions keep their text, so these findings are placed here.
pub(super) fn suppression_findings(
    supps: &BTreeMap<FileId, Vec<suppress::Suppression>>,
    settings: &Settings,
    sources: &SourceStore,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (&id, supp) in supps {
        let file = sources.get(id);
        for s in supp {
            if let Some(refused) = &s.refused {
                let (rule, message, help) = match refused {
                    suppress::Refusal::Expired(until) => (
                        &rules::meta::tlsgen007_expired_suppression::RULE,
                        format!("this suppression expired after {until}: it suppresses nothing"),
                        "fix the finding, or review the exception and give it a new `until` date",
                    ),
                    suppress::Refusal::NoReason => (
                        &rules::meta::tlsgen008_suppression_not_allowed::RULE,
                        "this suppression gives no reason and tlsgen.toml requires one: it suppresses nothing".to_string(),
                        "say why after the list: `# tlsgen: ignore[CODE] <reason> until YYYY-MM-DD`",
                    ),
                    suppress::Refusal::Inline => (
                        &rules::meta::tlsgen008_suppression_not_allowed::RULE,
                        "tlsgen.toml forbids inline suppressions (no-inline-suppressions): this one suppresses nothing".to_string(),
                        "fix the finding, or list the file in `[lint.per-file-ignores]` of tlsgen.toml",
                    ),
                };
                if settings.is_enabled(rule) && !settings.ignored_for(rule, &file.path) {
                    out.push(Finding {
                        rule,
                        severity: settings.severity(rule, rule.severity),
                        span: s.span,
                        message,
                        help: help.into(),
                        fix: None,
                        pos: Some(rule::Pos::of(s.span, file)),
                        related: Box::default(),
                    });
                }
                // Its codes are not judged: the directive itself is the finding.
                continue;
            }
            if let Some(m) = &s.malformed {
                let rule = &rules::meta::tlsgen005_malformed_suppression::RULE;
                if settings.is_enabled(rule) && !settings.ignored_for(rule, &file.path) {
                    out.push(Finding {
                        rule,
                        severity: settings.severity(rule, rule.severity),
                        span: s.span,
                        message: m.message.clone(),
                        help: m.help.clone().into(),
                        fix: None,
                        pos: Some(rule::Pos::of(s.span, file)),
                        related: Box::default(),
                    });
                }
            }
            for c in &s.codes {
                let (rule, message, help) = match c.rule {
                    None => (
                        &rules::meta::tlsgen002_unknown_suppression::RULE,
                        format!("`{}` is not a rule code or name", c.text),
                        match registry::suggest(&c.text) {
                            Some(s) => {
                                format!("did you mean `{s}`? `tlsgen rules` lists every rule")
                            }
                            None => "`tlsgen rules` lists every rule".to_string(),
                        },
                    ),
                    Some(r) if settings.unsuppressable(r) => {
                        (
                            &rules::meta::tlsgen008_suppression_not_allowed::RULE,
                            if settings.listed_unsuppressable(r) {
                                format!("{} cannot be suppressed: tlsgen.toml lists it in `unsuppressable`", r.code)
                            } else {
                                format!("{} cannot be suppressed: it is about the file or its suppressions", r.code)
                            },
                            "fix the finding; a directive does not hide this rule".to_string(),
                        )
                    }
                    Some(r) if !c.used && settings.is_enabled(r) => (
                        &rules::meta::tlsgen003_unused_suppression::RULE,
                        format!("this suppression of {} matches no finding", r.code),
                        "remove it, or move it onto the line of the finding or the line above"
                            .to_string(),
                    ),
                    Some(_) => continue,
                };
                if !settings.is_enabled(rule) || settings.ignored_for(rule, &file.path) {
                    continue;
                }
                out.push(Finding {
                    rule,
                    severity: settings.severity(rule, rule.severity),
                    span: c.span,
                    message,
                    help: help.into(),
                    fix: None,
                    pos: Some(rule::Pos::of(c.span, file)),
                    related: Box::default(),
                });
            }
        }
    }
    out
}

/// Sort by path, position, code; drop exact duplicates.
fn sort(mut out: Vec<Finding>, sources: &SourceStore) -> Vec<Finding> {
    use rayon::prelude::*;

    let key = |f: &Finding| {
        (
            sources.get(f.span.file).path.as_str(),
            f.span.start,
            f.rule.code,
        )
    };
    let cmp = |a: &Finding, b: &Finding| {
        key(a)
            .cmp(&key(b))
            .then_with(|| (a.span.end, &a.message).cmp(&(b.span.end, &b.message)))
    };
    // A few findings: no thread pool to start for them.
    if out.len() > 1_000 {
        out.par_sort_by(cmp);
    } else {
        out.sort_by(cmp);
    }
    out.dedup_by(|a, b| a.span == b.span && std::ptr::eq(a.rule, b.rule) && a.message == b.message);
    out
}

/// The last step of a run: every output gets messages, helps and fix descriptions masked (they
/// may quote a value), sorted by path, position and code, without exact duplicates.
pub(super) fn finish(mut findings: Vec<Finding>, sources: &SourceStore) -> Vec<Finding> {
    findings.iter_mut().for_each(redact::finding);
    sort(findings, sources)
}
