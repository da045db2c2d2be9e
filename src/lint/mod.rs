//! `lint`: read configuration files of etcd, InfluxDB, Telegraf, Kubernetes and DC/OS Elastic,
//! keep spans, normalise each into a view per target, run the rules of that target, and report
//! [`Finding`]s. See `src/lint/README.md` for how to add a rule.
//!
//! ```text
//! paths ─discover─▶ files ─detect─▶ Kind ─parse─▶ view (EtcdConfig, InfluxConfig, …)
//!       ─rules─▶ findings ─suppress, settings, baseline─▶ output (human, short, json, sarif, github)
//! ```

pub mod baseline;
pub mod check;
pub mod detect;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod output;
pub mod parse;
pub mod placeholder;
pub mod redact;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod settings;
pub mod severity;
pub mod source;
pub mod suppress;
pub mod view;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use detect::Kind;
pub use rule::{Check, Ctx, Finding, Rule, Target};
pub use settings::Settings;
pub use severity::Severity;
pub use source::{FileId, SourceStore, Span};

use crate::diag::Problem;
use check::{run_rules, View};
use parse::ParseError;
use view::etcd::EtcdConfig;

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
    /// `--baseline`: findings it holds are not reported ([`Report::baselined`] counts them).
    pub baseline: Option<std::sync::Arc<baseline::Baseline>>,
    /// Keep suppressed and baselined findings in the report (SARIF shows them as such).
    pub keep_suppressed: bool,
    /// `--write-baseline`: collect the baseline key of every finding a baseline can hold.
    pub baseline_keys: bool,
}

/// A finding an inline directive suppressed, kept for SARIF (`suppressions`).
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    /// The directive's reason (SARIF's `justification`).
    pub reason: Option<String>,
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
    /// [`source::SourceFile::origin`].
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
    pub baseline_keys: Vec<baseline::Key>,
}

/// What settling keeps of the findings it does not report, per file then per run.
#[derive(Debug, Default)]
struct Held {
    baselined: usize,
    baselined_findings: Vec<Finding>,
    suppressed: Vec<Suppressed>,
    keys: Vec<baseline::Key>,
}

impl Held {
    fn extend(&mut self, other: Held) {
        self.baselined += other.baselined;
        self.baselined_findings.extend(other.baselined_findings);
        self.suppressed.extend(other.suppressed);
        self.keys.extend(other.keys);
    }
}

/// A file read from disk (or stdin) and detected.
enum Loaded {
    /// Not linted; the note is for stderr when the user named the file.
    Skipped(Option<String>),
    /// A path that could not be read: a finding (TLSGEN004) or a note, see [`unreadable`].
    Unreadable {
        path: String,
        failure: discover::Failure,
        /// Its kind as far as the path tells (or `--kind` for a named file).
        kind: Option<Kind>,
    },
    File {
        path: String,
        text: String,
        origin: Option<PathBuf>,
        kind: Kind,
    },
}

/// One file after the per-file pipeline: its source (text released when allowed), its settled
/// findings, its suppressions (kept for cross-file findings and the unused-suppression check),
/// and what the cross-file steps need.
struct Processed {
    /// `None`: skipped (not linted), with an optional note.
    file: Option<source::SourceFile>,
    /// Whether the file was linted (an unreadable one has a file for its finding, not linted).
    linted: bool,
    note: Option<String>,
    supp: Vec<suppress::Suppression>,
    held: Held,
    out: FileOutput,
}

/// What the project view keeps of each file: the keys every cross-file rule of the registry
/// declares it reads (`Check::Project`, see [`view::project::ProjectKeys`]), merged by InfluxDB
/// section and by Telegraf plugin kind.
struct KeptKeys {
    influxdb: Vec<(&'static str, Vec<&'static str>)>,
    telegraf: Vec<(&'static str, Vec<&'static str>)>,
}

/// The [`KeptKeys`] of the registry's cross-file rules, merged once per process.
fn kept_keys() -> &'static KeptKeys {
    static KEPT: std::sync::OnceLock<KeptKeys> = std::sync::OnceLock::new();
    KEPT.get_or_init(|| {
        type Keys = Vec<(&'static str, Vec<&'static str>)>;
        fn merge(into: &mut Keys, from: &[(&'static str, &'static [&'static str])]) {
            for &(name, keys) in from {
                let at = match into.iter().position(|(n, _)| *n == name) {
                    Some(at) => at,
                    None => {
                        into.push((name, Vec::new()));
                        into.len() - 1
                    }
                };
                for key in keys {
                    if !into[at].1.contains(key) {
                        into[at].1.push(key);
                    }
                }
            }
        }
        let mut kept = KeptKeys {
            influxdb: Vec::new(),
            telegraf: Vec::new(),
        };
        for rule in registry::RULES {
            if let Check::Project(_, keys) = rule.check {
                merge(&mut kept.influxdb, keys.influxdb);
                merge(&mut kept.telegraf, keys.telegraf);
            }
        }
        kept
    })
}

/// Trim an InfluxDB view to the keys the cross-file rules read ([`kept_keys`]).
fn project_influx(mut config: view::influxdb::InfluxConfig) -> view::influxdb::InfluxConfig {
    let kept = kept_keys();
    config.sections.retain(|name, section| {
        let Some((_, keys)) = kept.influxdb.iter().find(|(n, _)| n == name) else {
            return false;
        };
        section
            .keys
            .retain(|k, s| keep_project_key(keys, k, std::slice::from_mut(s)));
        section.lists.retain(|k, l| keep_project_key(keys, k, l));
        true
    });
    config
}

/// Whether a key is kept in a project view; its kept settings drop their `key_text` (the key as
/// written, which in TOML is the map's key; the cross-file rules never read it).
fn keep_project_key(keys: &[&str], key: &str, settings: &mut [view::Setting]) -> bool {
    let keep = keys.contains(&key);
    if keep {
        for s in settings {
            s.key_text = String::new();
        }
    }
    keep
}

/// Trim a Telegraf view to the plugins and keys the cross-file rules read ([`kept_keys`]).
fn project_telegraf(mut config: view::telegraf::TelegrafConfig) -> view::telegraf::TelegrafConfig {
    let kept = kept_keys();
    config.plugins.retain_mut(|p| {
        let Some((_, keys)) = kept.telegraf.iter().find(|(kind, _)| *kind == p.kind) else {
            return false;
        };
        p.keys
            .retain(|k, s| keep_project_key(keys, k, std::slice::from_mut(s)));
        p.lists.retain(|k, l| keep_project_key(keys, k, l));
        true
    });
    config.plugins.shrink_to_fit();
    config
}

/// What the per-file pipeline hands back: its findings, and what the cross-file steps need.
#[derive(Default)]
struct FileOutput {
    findings: Vec<Finding>,
    /// A systemd unit, linted with its drop-in group.
    unit: Option<Box<PendingUnit>>,
    influxdb: Option<Box<view::influxdb::InfluxConfig>>,
    telegraf: Option<Box<view::telegraf::TelegrafConfig>>,
}

/// A systemd unit and its drop-in group; the parse is dropped when the group is linted after
/// every file (see [`shared_unit_groups`]).
struct PendingUnit {
    /// The group: the drop-in directory (`x.service.d`), see [`unit_group_key`].
    key: String,
    is_base: bool,
    name: String,
    unit: Option<crate::systemd::Unit>,
}

/// Every file's result, merged as tasks end.
#[derive(Default)]
struct Merged {
    /// One slot per file id, filled as files are merged (skipped files keep an empty one).
    sources: SourceStore,
    files: usize,
    /// Notes by file id, sorted before they are reported.
    notes: Vec<(FileId, String)>,
    findings: Vec<Finding>,
    supps: BTreeMap<FileId, Vec<suppress::Suppression>>,
    held: Held,
    /// Units of shared groups by group key: (is base unit, file name, id).
    unit_groups: BTreeMap<String, Vec<(bool, String, FileId)>>,
    /// InfluxDB and Telegraf views kept for the cross-file rules (`Check::Project`).
    project: view::project::Project,
    origins: BTreeMap<FileId, Option<PathBuf>>,
}

impl Merged {
    fn add(&mut self, id: FileId, p: Processed, release_text: bool) {
        match p.file {
            Some(file) => {
                self.files += usize::from(p.linted);
                if !release_text {
                    self.origins
                        .insert(id, file.origin().map(std::path::Path::to_path_buf));
                }
                *self.sources.get_mut(id) = file;
            }
            None => self.notes.extend(p.note.map(|n| (id, n))),
        }
        if !p.supp.is_empty() {
            self.supps.insert(id, p.supp);
        }
        self.held.extend(p.held);
        let out = p.out;
        self.findings.extend(out.findings);
        if let Some(u) = out.unit {
            let PendingUnit {
                key, is_base, name, ..
            } = *u;
            self.unit_groups
                .entry(key)
                .or_default()
                .push((is_base, name, id));
        }
        self.project.influxdb.extend(out.influxdb.map(|b| *b));
        self.project.telegraf.extend(out.telegraf.map(|b| *b));
    }
}

/// Large files (over [`LargeFiles::SIZE`]) take turns: a TOML parse takes about ten times its
/// text in memory (a 300 KB telegraf.conf, 3.4 MB), and two of them at once, one per thread,
/// would set the run's peak. Files under the size never wait, and a large file waits only for
/// another large one. The allocator is left alone: what a parse freed is the allocator's to give
/// back (the library never tunes the process's allocator).
struct LargeFiles(std::sync::Mutex<()>);

impl LargeFiles {
    const SIZE: usize = 64 * 1024;

    /// Wait for the turn of a large file; `None` (no wait) for any other.
    fn turn(&self, loaded: &Loaded) -> Option<std::sync::MutexGuard<'_, ()>> {
        match loaded {
            Loaded::File { text, .. } if text.len() > Self::SIZE => Some(
                self.0
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            ),
            _ => None,
        }
    }
}

/// The unit groups more than one file of the run can belong to (by path: the files' kinds are
/// not known yet). A unit in no other group is linted with its group of one by its own task.
fn shared_unit_groups(
    paths: impl Iterator<Item = String>,
    stdin: Option<String>,
) -> std::collections::HashSet<String> {
    let mut seen = std::collections::HashSet::new();
    let mut shared = std::collections::HashSet::new();
    for path in stdin.into_iter().chain(paths) {
        let (key, _, _) = unit_group_key(&path);
        if let Some(key) = seen.replace(key) {
            shared.insert(key);
        }
    }
    shared
}

/// Lint a unit group (base unit first, then its drop-ins in order). `failed`: whether a file's
/// syntax already failed (it gets no second parse error from its `Environment=` or
/// `ExecStart=` words; found by fuzzing).
fn lint_unit_group(
    parts: &[(FileId, &source::SourceFile, &crate::systemd::Unit)],
    settings: &Settings,
    sources: &SourceStore,
    out: &mut Vec<Finding>,
    failed: &dyn Fn(FileId) -> bool,
) {
    match EtcdConfig::from_units(parts) {
        Ok(config) => run_rules(settings, sources, out, View::Etcd(&config)),
        Err((id, e)) => {
            if !failed(id) {
                out.push(parse_finding(id, e));
            }
        }
    }
}

/// Lint files and directories (and stdin) with the given settings.
///
/// Each file is read, detected, parsed, checked and settled (suppressions, severities, positions)
/// by one task, in parallel (rayon; `RAYON_NUM_THREADS` or the caller's pool sets the thread
/// count; a single file runs on the calling thread, no pool is started), by [`lint_file`]; with
/// [`Input::release_text`] its text is then dropped, and its result merged at once (memory holds
/// what the cross-file steps need, not every file's result). Cross-file steps (unit groups of
/// more than one file, the project rules) run after every file, reading a released file again
/// only when they report in it. Everything merged is sorted by path, so the report is the same
/// whatever the number of threads and the order tasks end in.
pub fn lint(input: &Input, settings: &Settings) -> Result<Report, Problem> {
    use rayon::prelude::*;

    let mut report = Report::default();
    let discover::Discovered {
        candidates,
        notes: walk_notes,
    } = discover::discover(&input.paths);
    let detect_kind = |path: &str, text: &str, explicit: bool| match (explicit, input.kind) {
        (true, Some(k)) => Some(k),
        _ => detect::detect(path, text),
    };
    // Slot `id` is file id `id`: stdin first, then the candidates in path order.
    let stdin = input.stdin.as_ref().map(|(name, text)| {
        if text.len() as u64 > settings.max_file_size {
            Loaded::Skipped(Some(format!(
                "{name}: skipped, {} bytes is over the size cap of {} bytes (max-file-size in tlsgen.toml)",
                text.len(),
                settings.max_file_size
            )))
        } else {
            load_text(name.clone(), text.clone(), true, None, &detect_kind)
        }
    });
    // Each candidate is moved into its task: its path becomes the file's origin.
    let read = |c: discover::Candidate| -> Loaded {
        let path = discover::display_path(&c.path);
        // A path that cannot be read; its kind as far as the path says (content is not there to
        // sniff).
        let failed = |failure: discover::Failure| Loaded::Unreadable {
            kind: detect_kind(&path, "", c.explicit),
            path: path.clone(),
            failure,
        };
        if let Some(failure) = c.failure.clone() {
            return failed(failure);
        }
        if let Some(text) = input.overrides.get(&c.path) {
            return load_text(path, text.clone(), c.explicit, Some(c.path), &detect_kind);
        }
        // Opened once: the size check and the read use the same handle. The size the walk saw
        // saves a `stat`; the read stops one byte past the cap, so a file that grew since is
        // still caught. (`File::read_to_end` would ask for the size and position again.)
        let io = |e: std::io::Error| failed(discover::Failure::File(discover::describe(&e)));
        let mut handle = match std::fs::File::open(&c.path) {
            Ok(h) => h,
            Err(e) => return io(e),
        };
        let size = match c.size {
            0 => handle.metadata().map_or(0, |m| m.len()),
            seen => seen,
        };
        let over_cap = |size: u64| {
            Loaded::Skipped(Some(format!(
                "{path}: skipped, {size} bytes is over the size cap of {} bytes (max-file-size in tlsgen.toml)",
                settings.max_file_size
            )))
        };
        if size > settings.max_file_size {
            return over_cap(size);
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        if let Err(e) = std::io::Read::read_to_end(
            &mut std::io::Read::take(&mut handle, settings.max_file_size.saturating_add(1)),
            &mut bytes,
        ) {
            return io(e);
        }
        if bytes.len() as u64 > settings.max_file_size {
            let size = handle.metadata().map_or(bytes.len() as u64, |m| m.len());
            return over_cap(size);
        }
        if bytes.contains(&0) {
            return Loaded::Skipped(
                c.explicit
                    .then(|| format!("{path}: skipped, a binary file")),
            );
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        load_text(path, text, c.explicit, Some(c.path), &detect_kind)
    };
    // Units are linted by drop-in group (`x.service` and `x.service.d/*`). A group only one
    // file of the run can belong to is linted by that file's task, which then keeps nothing;
    // the files of a larger group keep their text until every file ran.
    let shared_groups = shared_unit_groups(
        candidates.iter().map(|c| discover::display_path(&c.path)),
        input.stdin.as_ref().map(|(name, _)| name.clone()),
    );
    // Large files are linted one at a time (see [`LargeFiles`]).
    let large = LargeFiles(std::sync::Mutex::new(()));
    let governance = suppress::Governance {
        today: settings.today,
        require_reason: settings.require_suppression_reason,
        no_inline: settings.no_inline_suppressions,
    };
    let process = |id: FileId, loaded: Loaded| -> Processed {
        let _turn = large.turn(&loaded);
        let (path, text, origin, kind) = match loaded {
            Loaded::Skipped(note) => {
                return Processed {
                    file: None,
                    linted: false,
                    note,
                    supp: Vec::new(),
                    held: Held::default(),
                    out: FileOutput::default(),
                }
            }
            Loaded::Unreadable {
                path,
                failure,
                kind,
            } => return unreadable(id, path, failure, kind),
            Loaded::File {
                path,
                text,
                origin,
                kind,
            } => (path, text, origin, kind),
        };
        // Overrides (`--fix`) are texts in memory: never released.
        let keep = !input.release_text
            || origin
                .as_ref()
                .is_none_or(|o| input.overrides.contains_key(o));
        let file = source::SourceFile::new(path, text).with_origin(origin);
        let store = SourceStore::single(id, file);
        let mut out = lint_file(id, kind, settings, &store);
        if settings.is_enabled(&rules::meta::tlsgen006_credentials_in_url::RULE) {
            let file = store.get(id);
            let syntax = parse::comments::Syntax::of(kind, &file.path);
            let found = rules::meta::tlsgen006_credentials_in_url::check(id, file, syntax);
            out.findings.extend(found);
        }
        if let Some(u) = out.unit.as_mut() {
            let unit = u.unit.take().expect("a unit fresh from its parse");
            if !shared_groups.contains(&u.key) {
                out.unit = None;
                let failed = |i: FileId| {
                    out.findings
                        .iter()
                        .any(|f| f.span.file == i && std::ptr::eq(f.rule, registry::parse_error()))
                };
                let mut group = Vec::new();
                lint_unit_group(
                    &[(id, store.get(id), &unit)],
                    settings,
                    &store,
                    &mut group,
                    &failed,
                );
                out.findings.extend(group);
            }
        }
        let mut file = store.into_files().pop().expect("a store of one file");
        let mut supp = suppress::scan(id, &file, parse::comments::Syntax::of(kind, &file.path));
        suppress::govern(&mut supp, governance);
        let mut held = Held::default();
        out.findings = settle(
            std::mem::take(&mut out.findings),
            settings,
            input,
            &file,
            &mut supp,
            &mut held,
        );
        // A unit of a shared group keeps its text until its group ran (the group parses it
        // again); a file with suppressions keeps it for the suppression findings (both are few
        // and small). Every text is released once the run is done.
        if !keep && out.unit.is_none() && supp.is_empty() {
            file.release();
        }
        Processed {
            file: Some(file),
            linted: true,
            note: None,
            supp,
            held,
            out,
        }
    };
    let offset = usize::from(stdin.is_some());
    let total = offset + candidates.len();
    // Each file's result is merged as soon as its task ends (nothing waits for the whole run in
    // a list of results); the merge does not depend on the order tasks end in: files go to
    // their slot, and everything else is sorted by path below.
    let merged = std::sync::Mutex::new(Merged {
        sources: SourceStore::empty_slots(total),
        ..Merged::default()
    });
    let merge = |id: FileId, p: Processed| {
        merged
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .add(id, p, input.release_text);
    };
    if let Some(l) = stdin {
        merge(0, process(0, l));
    }
    if candidates.len() <= 1 {
        // One file: no thread pool to start.
        for (i, c) in candidates.into_iter().enumerate() {
            merge(i + offset, process(i + offset, read(c)));
        }
    } else {
        // Large files first: the parse of one is the largest thing in memory, and what the run
        // keeps (findings, views for the cross-file rules) grows as files are done, so a large
        // file met early adds to little. It also keeps one thread from finishing the run alone
        // on a large file. Ids stay in path order.
        let (large, rest): (Vec<_>, Vec<_>) = candidates
            .into_iter()
            .enumerate()
            .partition(|(_, c)| c.size > LargeFiles::SIZE as u64);
        large
            .into_iter()
            .chain(rest)
            .collect::<Vec<_>>()
            .into_par_iter()
            .for_each(|(i, c)| merge(i + offset, process(i + offset, read(c))));
    }
    let Merged {
        sources,
        files,
        mut notes,
        mut findings,
        mut supps,
        mut held,
        unit_groups,
        mut project,
        origins,
    } = merged
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    report.sources = sources;
    report.files = files;
    report.origins = origins;
    notes.sort();
    report.notes = walk_notes
        .into_iter()
        .chain(notes.into_iter().map(|(_, n)| n))
        .collect();
    // Files whose syntax already failed: one problem, one diagnostic.
    let parse_failed: std::collections::BTreeSet<FileId> = findings
        .iter()
        .filter(|f| std::ptr::eq(f.rule, registry::parse_error()))
        .map(|f| f.span.file)
        .collect();
    let groups: Vec<Vec<(bool, String, FileId)>> = unit_groups.into_values().collect();
    let group_findings: Vec<Vec<Finding>> = maybe_par(groups, |mut group| {
        let mut out = Vec::new();
        // Base unit first, then drop-ins in lexical order of file name (F-E21).
        group.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        // Parsed again: the units of a shared group kept their text, not their parse.
        let units: Vec<(FileId, &source::SourceFile, crate::systemd::Unit)> = group
            .iter()
            .map(|&(_, _, id)| {
                let file = report.sources.get(id);
                (id, file, parse::systemd::parse(&file.text))
            })
            .collect();
        let parts: Vec<_> = units.iter().map(|(id, f, u)| (*id, *f, u)).collect();
        lint_unit_group(&parts, settings, &report.sources, &mut out, &|id| {
            parse_failed.contains(&id)
        });
        out
    });
    let mut late: Vec<Finding> = group_findings.into_iter().flatten().collect();
    // In path order, whatever order the walk met the files in (messages name the first file).
    let path_of = |id: FileId| report.sources.get(id).path.as_str();
    project
        .influxdb
        .sort_by(|a, b| path_of(a.file).cmp(path_of(b.file)));
    project
        .telegraf
        .sort_by(|a, b| path_of(a.file).cmp(path_of(b.file)));
    if !project.is_empty() {
        run_rules(
            settings,
            &report.sources,
            &mut late,
            View::Project(&project),
        );
    }
    drop(project);
    findings.extend(settle_late(
        late,
        settings,
        input,
        &mut report,
        &mut supps,
        &mut held,
    ));
    findings.extend(suppression_findings(&supps, settings, &report.sources));
    if input.release_text {
        for id in 0..report.sources.len() {
            report.sources.get_mut(id).release();
        }
    }
    // Messages, helps and fix descriptions may quote a value: every output gets them masked.
    findings.iter_mut().for_each(redact::finding);
    report.findings = sort(findings, &report.sources);
    held.baselined_findings.iter_mut().for_each(redact::finding);
    report.baselined_findings = sort(held.baselined_findings, &report.sources);
    held.suppressed.iter_mut().for_each(|s| {
        redact::finding(&mut s.finding);
        s.reason = s.reason.as_deref().map(|r| redact::mask(r).into_owned());
    });
    held.suppressed.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                report.sources.get(f.span.file).path.as_str(),
                f.span.start,
                f.rule.code,
            )
        };
        key(&a.finding).cmp(&key(&b.finding))
    });
    report.suppressed = held.suppressed;
    report.baselined = held.baselined;
    report.baseline_active = input.baseline.is_some();
    held.keys.sort();
    report.baseline_keys = held.keys;
    Ok(report)
}

/// `items.map(f)` in parallel, or on the calling thread when there is at most one item (a run over
/// one file starts no thread pool).
fn maybe_par<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    use rayon::prelude::*;
    if items.len() <= 1 {
        items.into_iter().map(f).collect()
    } else {
        items.into_par_iter().map(f).collect()
    }
}

/// A path that could not be read. A missing path, a directory, and a file whose path (or
/// `--kind`) says it is a kind tlsgen lints get a TLSGEN004 finding, which no setting or
/// suppression removes (nothing in it was checked); any other file a note (a private key
/// under `/etc/kubernetes` that a normal user cannot read is no finding).
fn unreadable(
    id: FileId,
    path: String,
    failure: discover::Failure,
    kind: Option<Kind>,
) -> Processed {
    use discover::Failure;
    let message = match (&failure, kind) {
        (Failure::Missing(e), _) => format!("cannot read this path: {e}"),
        (Failure::Directory(e), _) => {
            format!("cannot read this directory: {e}; nothing under it was linted")
        }
        (Failure::File(e), Some(kind)) => {
            format!("cannot read this file ({} by its name): {e}", kind.as_str())
        }
        (Failure::File(e), None) => {
            return Processed {
                file: None,
                linted: false,
                note: Some(format!(
                    "{path}: skipped, cannot read it: {e}; its name is of no kind tlsgen lints"
                )),
                supp: Vec::new(),
                held: Held::default(),
                out: FileOutput::default(),
            };
        }
    };
    let rule = &rules::meta::tlsgen004_io_error::RULE;
    // No text: the finding points at the path, line 1, column 1.
    let file = source::SourceFile::new(path, String::new());
    let span = Span::new(id, 0..0);
    let finding = Finding {
        rule,
        severity: rule.severity,
        span,
        message,
        help: "check that the path exists and that you may read it; tlsgen checked nothing in it"
            .into(),
        fix: None,
        pos: Some(rule::Pos::of(span, &file)),
        related: Box::default(),
    };
    Processed {
        file: Some(file),
        linted: false,
        note: None,
        supp: Vec::new(),
        held: Held::default(),
        out: FileOutput {
            findings: vec![finding],
            ..FileOutput::default()
        },
    }
}

/// Detect the kind of a file read whole.
fn load_text(
    path: String,
    text: String,
    explicit: bool,
    origin: Option<PathBuf>,
    detect_kind: &(dyn Fn(&str, &str, bool) -> Option<Kind> + Sync),
) -> Loaded {
    if crate::diag::holds_private_key(&text) {
        // Never parse a private key (under a forced kind a parse error would quote its lines). A
        // key file met on a walk is skipped silently; a configuration file holding a key is worth
        // a note: its settings go unchecked, and a key does not belong there.
        let config = detect_kind(&path, &text, explicit).is_some();
        return Loaded::Skipped((explicit || config).then(|| {
            format!(
                "{path}: skipped, holds a private key (tlsgen never parses or quotes keys); move the key to its own file"
            )
        }));
    }
    match detect_kind(&path, &text, explicit) {
        Some(kind) => Loaded::File {
            path,
            text,
            origin,
            kind,
        },
        None => Loaded::Skipped(explicit.then(|| {
            format!("{path}: skipped, not a kind of file tlsgen lints (use --kind to force one)")
        })),
    }
}

/// The per-file pipeline: parse one file of the store, build its view, run the rules of its
/// target. Units and the views the cross-file rules need are handed back.
fn lint_file(id: FileId, kind: Kind, settings: &Settings, sources: &SourceStore) -> FileOutput {
    let mut out = FileOutput::default();
    let findings = &mut out.findings;
    let file = sources.get(id);
    let path = file.path.as_str();
    let text = file.text.as_str();
    match kind {
        Kind::EtcdUnit => {
            let unit = parse::systemd::parse(text);
            if let Some(e) = parse::systemd::first_error(&unit) {
                findings.push(parse_finding(id, e));
            }
            let (key, is_base, name) = unit_group_key(path);
            out.unit = Some(Box::new(PendingUnit {
                key,
                is_base,
                name,
                unit: Some(unit),
            }));
        }
        Kind::EtcdEnv | Kind::Etcdctl => match parse::envfile::parse(text) {
            Ok(entries) => {
                // An etcdctl file gets the etcd view too: its `ETCDCTL_*` variables are
                // `other_env` there, read by ETCD019/ETCD020.
                let config = EtcdConfig::from_env_file(id, file, &entries);
                run_rules(settings, sources, findings, View::Etcd(&config));
            }
            Err(e) => findings.push(parse_finding(id, e)),
        },
        Kind::EtcdYaml | Kind::EtcdPod | Kind::K8sEncryption | Kind::DcosElastic => {
            let json = path.ends_with(".json");
            match parse::yaml::parse(text, json) {
                Ok(docs) => {
                    for doc in docs {
                        lint_yaml_doc(kind, id, file, doc, settings, sources, findings);
                    }
                }
                Err(e) => findings.push(parse_finding(id, e)),
            }
        }
        Kind::InfluxdbData | Kind::InfluxdbMeta | Kind::Telegraf => {
            match parse::toml::parse(text) {
                Ok(doc) => {
                    if kind == Kind::Telegraf {
                        let config = view::telegraf::TelegrafConfig::from_toml(id, file, &doc);
                        run_rules(settings, sources, findings, View::Telegraf(&config));
                        out.telegraf = Some(Box::new(project_telegraf(config)));
                    } else {
                        let role = if kind == Kind::InfluxdbMeta {
                            view::influxdb::InfluxRole::Meta
                        } else {
                            view::influxdb::InfluxRole::Data
                        };
                        let config = view::influxdb::InfluxConfig::from_toml(id, file, &doc, role);
                        run_rules(settings, sources, findings, View::Influxdb(&config));
                        out.influxdb = Some(Box::new(project_influx(config)));
                    }
                }
                Err(e) => findings.push(parse_finding(id, e)),
            }
        }
    }
    out
}

/// The group of a unit file: drop-ins of `x.service.d/` and the base unit `x.service` next to
/// that directory share one. Returns (key, is base unit, file name).
fn unit_group_key(path: &str) -> (String, bool, String) {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    if dir.ends_with(".service.d") {
        (dir.to_string(), false, name.to_string())
    } else if name.ends_with(".service") {
        let key = if dir.is_empty() {
            format!("{name}.d")
        } else {
            format!("{dir}/{name}.d")
        };
        (key, true, name.to_string())
    } else {
        (path.to_string(), false, name.to_string())
    }
}

fn lint_yaml_doc(
    kind: Kind,
    id: FileId,
    file: &source::SourceFile,
    doc: parse::yaml::YNode,
    settings: &Settings,
    sources: &SourceStore,
    findings: &mut Vec<Finding>,
) {
    let yaml_kind = doc.get("kind").and_then(|k| k.as_str()).unwrap_or("");
    if yaml_kind == "EncryptionConfiguration"
        || yaml_kind == "EncryptionConfig"
        || kind == Kind::K8sEncryption
    {
        if let Some(config) = view::kubernetes::EncryptionConfig::from_yaml(id, doc) {
            run_rules(settings, sources, findings, View::Kubernetes(&config));
        }
        return;
    }
    match kind {
        Kind::DcosElastic => {
            let config = view::elastic::ElasticOptions { file: id, doc };
            run_rules(settings, sources, findings, View::Elastic(&config));
        }
        _ => {
            let config = if doc.get("spec").is_some() {
                EtcdConfig::from_pod(id, file, &doc)
            } else if kind == Kind::EtcdYaml {
                Some(EtcdConfig::from_yaml(id, file, &doc))
            } else {
                None
            };
            if let Some(config) = config {
                run_rules(settings, sources, findings, View::Etcd(&config));
            }
        }
    }
}

fn parse_finding(id: FileId, e: ParseError) -> Finding {
    Finding {
        rule: registry::parse_error(),
        severity: registry::parse_error().severity,
        span: Span::new(id, e.span),
        message: format!(
            "cannot parse this file: {}",
            crate::diag::parser_message(&e.message)
        ),
        help: "fix the syntax; tlsgen checks nothing else in a file it cannot parse".into(),
        fix: None,
        pos: None,
        related: Box::default(),
    }
}

/// Apply a file's suppressions, per-file ignores, severity overrides and the baseline to
/// findings in it; clamp their spans and fill in their positions. Marks the suppressions that
/// matched; what is not reported goes to `held` (counted, kept for SARIF when asked), as do the
/// baseline keys of the reported findings with `--write-baseline`. A rule that is unsuppressable
/// is neither suppressed inline nor held by the baseline.
fn settle(
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
fn settle_late(
    late: Vec<Finding>,
    settings: &Settings,
    input: &Input,
    report: &mut Report,
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
    let files = report.sources.files_mut();
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
        report.notes.extend(note);
        if !supp.is_empty() {
            supps.insert(id, supp);
        }
    }
    out
}

/// Unknown suppressions (TLSGEN002) and suppressions that matched nothing (TLSGEN003). Files
/// with suppressions keep their text, so these findings are placed here.
fn suppression_findings(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_views_keep_only_what_cross_file_rules_declare() {
        let text = "hostname = \"d1\"\n[meta]\n  meta-auth-enabled = true\n  dir = \"/m\"\n[http]\n  https-enabled = true\n  log-enabled = true\n[cluster]\n  x = 1\n[data]\n  dir = \"/d\"\n";
        let file = source::SourceFile::new("influxdb.conf".into(), text.into());
        let doc = parse::toml::parse(text).expect("valid toml");
        let role = view::influxdb::InfluxRole::Data;
        let kept = project_influx(view::influxdb::InfluxConfig::from_toml(
            0, &file, &doc, role,
        ));
        // Declared by INFLUX008 and TGF008.
        assert!(kept.get("meta", "meta-auth-enabled").is_some());
        assert!(kept.get("http", "https-enabled").is_some());
        // Read by no cross-file rule: dropped; `[cluster]` is kept for its presence only.
        assert!(kept.get("meta", "dir").is_none());
        assert!(kept.get("http", "log-enabled").is_none());
        assert!(kept.get("", "hostname").is_none());
        assert!(kept.get("cluster", "x").is_none());
        let names: Vec<&str> = kept.sections.keys().map(String::as_str).collect();
        assert_eq!(names, ["cluster", "http", "meta"]);

        let text = "[[outputs.influxdb]]\n  urls = [\"https://d1:8086\"]\n  timeout = \"5s\"\n[[inputs.cpu]]\n  percpu = true\n";
        let file = source::SourceFile::new("telegraf.conf".into(), text.into());
        let doc = parse::toml::parse(text).expect("valid toml");
        let kept = project_telegraf(view::telegraf::TelegrafConfig::from_toml(0, &file, &doc));
        // TGF008 declares `outputs.influxdb` url and urls; inputs are dropped.
        assert_eq!(kept.plugins.len(), 1);
        assert!(kept.plugins[0].lists.contains_key("urls"));
        assert!(!kept.plugins[0].keys.contains_key("timeout"));
    }
}
