//! The engine: `lint(input, settings) -> Report`, in three steps, each a module:
//! [`read`] (load, cap, detect each file), [`schedule`] (the per-file pipeline in parallel, unit
//! groups, large files' turns, project views, the cross-file rules) and [`settle`]
//! (suppressions, severities, positions, sorting).

mod input;
mod par;
mod read;
mod schedule;
mod settle;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use input::{Input, Suppressed};

use crate::diag::Problem;
use crate::lint::discover;
use crate::lint::redact;
use crate::lint::rule::Finding;
use crate::lint::settings::Settings;
use crate::lint::source::{FileId, SourceStore};

/// The result of a run.
#[derive(Debug, Default)]
pub struct Report {
    pub sources: SourceStore,
    /// Sorted by path, line, column, code.
    pub findings: Vec<Finding>,
    /// Notes for stderr (named files of no known kind).
    pub notes: Vec<String>,
    /// Files linted (of a known kind).
    pub files: usize,
    /// Where the linted files came from, by file id: a path, or `None` for stdin. Filled when
    /// texts are kept (`--fix`, which reads it); a run that releases texts has the same in
    /// [`SourceFile::origin`](crate::lint::source::SourceFile::origin).
    pub origins: BTreeMap<FileId, Option<PathBuf>>,
    /// Whether the run had a baseline (`--baseline`): SARIF then says `baselineState`.
    pub baseline_active: bool,
    /// How many findings the baseline hid.
    pub baselined: usize,
    /// With [`Input::keep_suppressed`]: the findings the baseline hid, sorted like `findings`.
    pub baselined_findings: Vec<Finding>,
    /// With [`Input::keep_suppressed`]: the findings inline directives suppressed, with their
    /// reasons, sorted like `findings`.
    pub suppressed: Vec<Suppressed>,
    /// With [`Input::baseline_keys`]: the key of every reported finding a baseline can hold.
    pub baseline_keys: Vec<crate::lint::baseline::Key>,
}

/// Lint files and directories (and stdin) with the given settings.
///
/// Each file is read, detected, parsed, checked and settled (suppressions, severities, positions)
/// by one task, in parallel (rayon; `RAYON_NUM_THREADS` or the caller's pool sets the thread
/// count; a single file runs on the calling thread, no pool is started); with
/// [`Input::release_text`] its text is then dropped, and its result merged at once (memory holds
/// what the cross-file steps need, not every file's result). Cross-file steps (unit groups of
/// more than one file, the project rules) run after every file, reading a released file again
/// only when they report in it. Everything merged is sorted by path, so the report is the same
/// whatever the number of threads and the order tasks end in.
pub fn lint(input: &Input, settings: &Settings) -> Result<Report, Problem> {
    let discover::Discovered {
        candidates,
        notes: walk_notes,
    } = discover::discover(&input.paths);
    let reader = read::Reader {
        kind: input.kind,
        overrides: &input.overrides,
        settings,
    };
    // Slot `id` is file id `id`: stdin first, then the candidates in path order.
    let stdin = input
        .stdin
        .as_ref()
        .map(|(name, text)| reader.stdin(name, text));
    let scheduler = schedule::Scheduler::new(
        settings,
        input,
        input.release_text,
        &input.overrides,
        &candidates,
        input.stdin.as_ref().map(|(name, _)| name.as_str()),
    );
    let schedule::Merged {
        mut sources,
        files,
        mut notes,
        mut findings,
        mut supps,
        mut held,
        unit_groups,
        project,
        origins,
    } = scheduler.run(stdin, candidates, &reader);
    notes.sort();
    let mut notes: Vec<String> = walk_notes
        .into_iter()
        .chain(notes.into_iter().map(|(_, n)| n))
        .collect();
    let late = schedule::cross_file(unit_groups, project, &findings, settings, &sources);
    let late = settle::settle_late(
        late,
        settings,
        input,
        &mut sources,
        &mut notes,
        &mut supps,
        &mut held,
    );
    findings.extend(late);
    findings.extend(settle::suppression_findings(&supps, settings, &sources));
    if input.release_text {
        for id in 0..sources.len() {
            sources.get_mut(id).release();
        }
    }
    let findings = settle::finish(findings, &sources);
    let baselined_findings = settle::finish(held.baselined_findings, &sources);
    held.suppressed.iter_mut().for_each(|s| {
        redact::finding(&mut s.finding);
        s.reason = s.reason.as_deref().map(|r| redact::mask(r).into_owned());
    });
    held.suppressed.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                sources.get(f.span.file).path.as_str(),
                f.span.start,
                f.rule.code,
            )
        };
        key(&a.finding).cmp(&key(&b.finding))
    });
    held.keys.sort();
    Ok(Report {
        sources,
        findings,
        notes,
        files,
        origins,
        baseline_active: input.baseline.is_some(),
        baselined: held.baselined,
        baselined_findings,
        suppressed: held.suppressed,
        baseline_keys: held.keys,
    })
}
