//! Settle: apply suppressions, per-file ignores and severity overrides to findings, give them
//! positions, report the suppressions that are unknown or unused, mask secrets, and sort.

use std::collections::BTreeMap;

use super::par::maybe_par;
use crate::lint::redact;
use crate::lint::registry;
use crate::lint::rule::{self, Finding};
use crate::lint::rules;
use crate::lint::settings::Settings;
use crate::lint::source::{self, FileId, SourceStore};
use crate::lint::suppress;

/// Apply a file's suppressions, per-file ignores and severity overrides to findings in it; clamp
/// their spans and fill in their positions. Marks the suppressions that matched.
pub(super) fn settle(
    findings: Vec<Finding>,
    settings: &Settings,
    file: &source::SourceFile,
    supp: &mut [suppress::Suppression],
) -> Vec<Finding> {
    let mut out = Vec::with_capacity(findings.len());
    for mut f in findings {
        if !settings.is_enabled(f.rule) || settings.ignored_for(f.rule, &file.path) {
            continue;
        }
        let line = file.line_index(f.span.start);
        if suppress::suppresses(supp, f.rule, line) {
            continue;
        }
        f.severity = settings.severity(f.rule, f.severity);
        f.span.start = file.clamp(f.span.start);
        f.span.end = file.clamp(f.span.end).max(f.span.start);
        f.pos = Some(rule::Pos::of(f.span, file));
        out.push(f);
    }
    out
}

/// A file settled late: its id, findings, suppressions (with their use marked), a note.
type Settled = (
    FileId,
    Vec<Finding>,
    Vec<suppress::Suppression>,
    Option<String>,
);

/// Settle the findings of the cross-file steps, file by file (in parallel), reading a released
/// file again while its findings are settled (then releasing it again). A file that cannot be
/// read again or changed meanwhile keeps its findings unplaced (line 1) and gets a note.
pub(super) fn settle_late(
    late: Vec<Finding>,
    settings: &Settings,
    sources: &mut SourceStore,
    notes: &mut Vec<String>,
    supps: &mut BTreeMap<FileId, Vec<suppress::Suppression>>,
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
        let settled = settle(findings, settings, file, &mut supp);
        if was_released {
            file.release();
        }
        (id, settled, supp, note)
    });
    let mut out = Vec::new();
    for (id, settled, supp, note) in done {
        out.extend(settled);
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
