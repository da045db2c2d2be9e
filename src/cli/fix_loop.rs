//! `tlsgen lint --fix`: lint, apply the chosen fixes to the texts in memory, re-lint, until no
//! applicable fix is left. The loop sits next to the command line, above the linter it calls
//! (STYLE.md "Layers import downward only": a fix is data, `crate::lint::fix`; the loop that
//! re-lints lives here).
//!
//! Per round, the chosen fixes are taken in finding order; a fix whose edits overlap an edit
//! already chosen is left for the next round ([`choose`]); [`apply_round`] applies them per file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::diag::Problem;
use crate::lint::fix::{apply_round, Edit, Fix};
use crate::lint::rule::Finding;
use crate::lint::settings::Settings;
use crate::lint::source::FileId;
use crate::lint::{registry, Input, Report};

/// At most this many fix-and-relint rounds; more means two fixes undo each other.
pub const MAX_ROUNDS: usize = 10;

/// The fixes to apply in one round: those applicable, taken in finding order, skipping any that
/// overlaps an edit already taken (it gets its turn in the next round).
pub fn choose<'f>(
    findings: impl IntoIterator<Item = &'f Finding>,
    unsafe_fixes: bool,
) -> Vec<&'f Fix> {
    let mut chosen: Vec<&Fix> = Vec::new();
    let mut taken: Vec<&Edit> = Vec::new();
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        if !fix.applies(unsafe_fixes) || fix.edits.is_empty() {
            continue;
        }
        if fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| t.overlaps(e)))
        {
            continue;
        }
        taken.extend(fix.edits.iter());
        chosen.push(fix);
    }
    chosen
}

/// One file `--fix` changed.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The file's path, or `None` for stdin.
    pub origin: Option<PathBuf>,
    /// The path as findings name it.
    pub path: String,
    pub old: String,
    pub new: String,
}

/// The result of `--fix`: the report of the fixed text, the files that changed, how many
/// findings were fixed, and notes (edits that could not be applied, no convergence).
#[derive(Debug)]
pub struct FixRun {
    pub report: Report,
    pub changed: Vec<Changed>,
    pub fixed: usize,
    pub notes: Vec<String>,
}

/// Lint, apply the chosen fixes to the texts in memory, re-lint, until no applicable fix is left
/// (at most [`MAX_ROUNDS`] rounds). Nothing is written here: the caller writes `changed` (or
/// shows it as a diff).
pub fn fix_loop(input: &Input, settings: &Settings, unsafe_fixes: bool) -> Result<FixRun, Problem> {
    type Origin = Option<PathBuf>;
    let mut input = input.clone();
    let mut originals: BTreeMap<Origin, (String, String)> = BTreeMap::new();
    let mut notes: BTreeSet<String> = BTreeSet::new();
    // Per file: fixes applied, and, for the last round, the text before it, whether it parsed,
    // and how many fixes that round applied there.
    let mut fixed: BTreeMap<Origin, usize> = BTreeMap::new();
    let mut last: BTreeMap<Origin, (String, bool, usize)> = BTreeMap::new();
    // Files whose fixes broke their syntax: reverted, never fixed again in this run.
    let mut frozen: BTreeSet<Origin> = BTreeSet::new();
    let mut round = 0;
    let report = loop {
        let report = crate::lint::lint(&input, settings)?;
        let parse_error = registry::parse_error();
        let broken = |id: FileId| {
            report
                .findings
                .iter()
                .any(|f| f.span.file == id && std::ptr::eq(f.rule, parse_error))
        };
        // A fix must never break a file: revert the last round there (a bug in a rule's fix).
        let mut reverted = false;
        for (&id, origin) in &report.origins {
            if let Some((before, was_ok, n)) = last.get(origin) {
                if *was_ok && broken(id) {
                    notes.insert(format!(
                        "{}: its fixes would break the file's syntax, so they were not applied (please report this as a tlsgen bug)",
                        report.sources.get(id).path
                    ));
                    *fixed.entry(origin.clone()).or_default() -= n;
                    set_text(&mut input, origin, before.clone());
                    frozen.insert(origin.clone());
                    reverted = true;
                }
            }
        }
        last.clear();
        if reverted {
            continue;
        }
        let is_frozen = |id: FileId| report.origins.get(&id).is_none_or(|o| frozen.contains(o));
        let candidates = report.findings.iter().filter(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.edits.iter().all(|e| !is_frozen(e.file())))
        });
        let fixes = choose(candidates, unsafe_fixes);
        if fixes.is_empty() {
            break report;
        }
        if round == MAX_ROUNDS {
            notes.insert(format!(
                "fixes did not converge after {MAX_ROUNDS} rounds; {} fixable findings remain",
                fixes.len()
            ));
            break report;
        }
        round += 1;
        let texts: BTreeMap<FileId, &str> = report
            .origins
            .keys()
            .map(|&id| (id, report.sources.get(id).text.as_str()))
            .collect();
        let (new, errors) = apply_round(&texts, &fixes);
        for (id, e) in errors {
            notes.insert(format!(
                "{}: fixes not applied: {e}",
                report.sources.get(id).path
            ));
        }
        if new.is_empty() {
            break report;
        }
        for fix in &fixes {
            if fix.edits.iter().all(|e| new.contains_key(&e.file())) {
                let first = fix.edits[0].file();
                if let Some(origin) = report.origins.get(&first) {
                    *fixed.entry(origin.clone()).or_default() += 1;
                    if let Some(l) = last.get_mut(origin) {
                        l.2 += 1;
                    } else {
                        let before = report.sources.get(first).text.to_string();
                        last.insert(origin.clone(), (before, !broken(first), 1));
                    }
                }
            }
        }
        for (id, text) in new {
            let Some(origin) = report.origins.get(&id).cloned() else {
                continue;
            };
            let file = report.sources.get(id);
            originals
                .entry(origin.clone())
                .or_insert_with(|| (file.path.clone(), file.text.to_string()));
            last.entry(origin.clone())
                .or_insert_with(|| (file.text.to_string(), !broken(id), 0));
            set_text(&mut input, &origin, text);
        }
    };
    let fixed = fixed.values().sum();
    let changed = originals
        .into_iter()
        .filter_map(|(origin, (path, old))| {
            let new = match &origin {
                Some(p) => input.overrides.get(p)?.clone(),
                None => input.stdin.as_ref()?.1.clone(),
            };
            (new != old).then_some(Changed {
                origin,
                path,
                old,
                new,
            })
        })
        .collect();
    Ok(FixRun {
        report,
        changed,
        fixed,
        notes: notes.into_iter().collect(),
    })
}

/// Replace the text lint reads for a file (or stdin).
fn set_text(input: &mut Input, origin: &Option<PathBuf>, text: String) {
    match origin {
        Some(path) => {
            input.overrides.insert(path.clone(), text);
        }
        None => {
            if let Some((_, stdin)) = input.stdin.as_mut() {
                *stdin = text;
            }
        }
    }
}
