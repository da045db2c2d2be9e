//! The engine: `lint(input, settings) -> Report`, in three steps, each a module:
//! [`read`] (load, cap, detect each file), [`schedule`] (the per-file pipeline in parallel, unit
//! groups, large files' turns, project views, the cross-file rules) and [`settle`]
//! (suppressions, severities, positions, sorting).

mod par;
mod read;
mod schedule;
mod settle;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::Problem;
use crate::lint::detect::Kind;
use crate::lint::discover;
use crate::lint::rule::Finding;
use crate::lint::settings::Settings;
use crate::lint::source::{FileId, SourceStore};

/// What to lint.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub paths: Vec<PathBuf>,
    /// Text read from stdin, with the name it should be linted as.
    pub stdin: Option<(String, String)>,
    /// Force the kind of named files and stdin.
    pub kind: Option<Kind>,
    /// Text to lint instead of a file's content, keyed by the discovered path (`--fix` re-lints
    /// the fixed text before writing it).
    pub overrides: BTreeMap<PathBuf, String>,
    /// Release each file's text once its findings are settled, reading it again only where a
    /// later step needs it (memory stays flat over thousands of files). `--fix` keeps the texts.
    pub release_text: bool,
}

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
    let late = settle::settle_late(late, settings, &mut sources, &mut notes, &mut supps);
    findings.extend(late);
    findings.extend(settle::suppression_findings(&supps, settings, &sources));
    if input.release_text {
        for id in 0..sources.len() {
            sources.get_mut(id).release();
        }
    }
    let findings = settle::finish(findings, &sources);
    Ok(Report {
        sources,
        findings,
        notes,
        files,
        origins,
    })
}
