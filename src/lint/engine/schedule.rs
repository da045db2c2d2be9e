//! Schedule: the per-file pipeline (parse, view, rules, settle), run over every file in
//! parallel; large files taking turns; unit groups of several files and the project views of the
//! cross-file rules, kept small and linted after every file.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use super::input::Input;
use super::par::maybe_par;
use super::read::{Loaded, Reader};
use super::settle::{settle, Held};
use crate::lint::check::{run_rules, View};
use crate::lint::detect::Kind;
use crate::lint::discover;
use crate::lint::parse::{self, ParseError};
use crate::lint::registry;
use crate::lint::rule::{self, Check, Finding};
use crate::lint::rules;
use crate::lint::settings::Settings;
use crate::lint::source::{self, FileId, SourceStore, Span};
use crate::lint::suppress;
use crate::lint::view::{self, etcd::EtcdConfig};

/// What the per-file pipeline needs of the run, shared by every task.
pub(super) struct Scheduler<'a> {
    settings: &'a Settings,
    /// The run's input: the baseline and what settling keeps for SARIF.
    input: &'a Input,
    /// How inline suppressions are governed (tlsgen.toml, today's date).
    governance: suppress::Governance,
    release_text: bool,
    /// Texts given in memory (`--fix`): never released.
    overrides: &'a BTreeMap<PathBuf, String>,
    /// Unit groups more than one file of the run can belong to (see [`shared_unit_groups`]).
    shared_groups: HashSet<String>,
    /// Large files are linted one at a time (see [`LargeFiles`]).
    large: LargeFiles,
}

impl<'a> Scheduler<'a> {
    /// Units are linted by drop-in group (`x.service` and `x.service.d/*`). A group only one
    /// file of the run can belong to is linted by that file's task, which then keeps nothing;
    /// the files of a larger group keep their text until every file ran.
    pub fn new(
        settings: &'a Settings,
        input: &'a Input,
        release_text: bool,
        overrides: &'a BTreeMap<PathBuf, String>,
        candidates: &[discover::Candidate],
        stdin_name: Option<&str>,
    ) -> Self {
        Scheduler {
            settings,
            input,
            governance: suppress::Governance {
                today: settings.today,
                require_reason: settings.require_suppression_reason,
                no_inline: settings.no_inline_suppressions,
            },
            release_text,
            overrides,
            shared_groups: shared_unit_groups(
                candidates.iter().map(|c| discover::display_path(&c.path)),
                stdin_name.map(str::to_string),
            ),
            large: LargeFiles(std::sync::Mutex::new(())),
        }
    }

    /// Read and lint every file (stdin is file id 0, then the candidates in path order), in
    /// parallel, merging each file's result as soon as its task ends.
    pub fn run(
        &self,
        stdin: Option<Loaded>,
        candidates: Vec<discover::Candidate>,
        reader: &Reader<'_>,
    ) -> Merged {
        use rayon::prelude::*;

        let offset = usize::from(stdin.is_some());
        let total = offset + candidates.len();
        // Each file's result is merged as soon as its task ends (nothing waits for the whole run
        // in a list of results); the merge does not depend on the order tasks end in: files go
        // to their slot, and everything else is sorted by path later.
        let merged = std::sync::Mutex::new(Merged {
            sources: SourceStore::empty_slots(total),
            ..Merged::default()
        });
        let merge = |id: FileId, p: Processed| {
            merged
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .add(id, p, self.release_text);
        };
        if let Some(l) = stdin {
            merge(0, self.process(0, l));
        }
        if candidates.len() <= 1 {
            // One file: no thread pool to start.
            for (i, c) in candidates.into_iter().enumerate() {
                merge(i + offset, self.process(i + offset, reader.candidate(c)));
            }
        } else {
            // Large files first: the parse of one is the largest thing in memory, and what the
            // run keeps (findings, views for the cross-file rules) grows as files are done, so a
            // large file met early adds to little. It also keeps one thread from finishing the
            // run alone on a large file. Ids stay in path order.
            let (large, rest): (Vec<_>, Vec<_>) = candidates
                .into_iter()
                .enumerate()
                .partition(|(_, c)| c.size > LargeFiles::SIZE as u64);
            large
                .into_iter()
                .chain(rest)
                .collect::<Vec<_>>()
                .into_par_iter()
                .for_each(|(i, c)| {
                    merge(i + offset, self.process(i + offset, reader.candidate(c)))
                });
        }
        merged
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The per-file pipeline of one loaded file: lint it, its unit group when no other file can
    /// join it, settle its findings, release its text when nothing later needs it.
    fn process(&self, id: FileId, loaded: Loaded) -> Processed {
        let _turn = self.large.turn(&loaded);
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
        let keep = !self.release_text
            || origin
                .as_ref()
                .is_none_or(|o| self.overrides.contains_key(o));
        let file = source::SourceFile::new(path, text).with_origin(origin);
        let store = SourceStore::single(id, file);
        let mut out = lint_file(id, kind, self.settings, &store);
        if self
            .settings
            .is_enabled(&rules::meta::tlsgen006_credentials_in_url::RULE)
        {
            let file = store.get(id);
            let syntax = parse::comments::Syntax::of(kind, &file.path);
            let found = rules::meta::tlsgen006_credentials_in_url::check(id, file, syntax);
            out.findings.extend(found);
        }
        if let Some(u) = out.unit.as_mut() {
            let unit = u.unit.take().expect("a unit fresh from its parse");
            if !self.shared_groups.contains(&u.key) {
                out.unit = None;
                let failed = |i: FileId| {
                    out.findings
                        .iter()
                        .any(|f| f.span.file == i && std::ptr::eq(f.rule, registry::parse_error()))
                };
                let mut group = Vec::new();
                lint_unit_group(
                    &[(id, store.get(id), &unit)],
                    self.settings,
                    &store,
                    &mut group,
                    &failed,
                );
                out.findings.extend(group);
            }
        }
        let mut file = store.into_files().pop().expect("a store of one file");
        let mut supp = suppress::scan(id, &file, parse::comments::Syntax::of(kind, &file.path));
        suppress::govern(&mut supp, self.governance);
        let mut held = Held::default();
        out.findings = settle(
            std::mem::take(&mut out.findings),
            self.settings,
            self.input,
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
    }
}

/// One file after the per-file pipeline: its source (text released when allowed), its settled
/// findings, its suppressions (kept for cross-file findings and the unused-suppression check),
/// and what the cross-file steps need.
pub(super) struct Processed {
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
pub(super) struct FileOutput {
    findings: Vec<Finding>,
    /// A systemd unit, linted with its drop-in group.
    unit: Option<Box<PendingUnit>>,
    influxdb: Option<Box<view::influxdb::InfluxConfig>>,
    telegraf: Option<Box<view::telegraf::TelegrafConfig>>,
}

/// A systemd unit and its drop-in group; the parse is dropped when the group is linted after
/// every file (see [`shared_unit_groups`]).
pub(super) struct PendingUnit {
    /// The group: the drop-in directory (`x.service.d`), see [`unit_group_key`].
    key: String,
    is_base: bool,
    name: String,
    unit: Option<crate::systemd::Unit>,
}

/// Every file's result, merged as tasks end.
#[derive(Default)]
pub(super) struct Merged {
    /// One slot per file id, filled as files are merged (skipped files keep an empty one).
    pub(super) sources: SourceStore,
    pub(super) files: usize,
    /// Notes by file id, sorted before they are reported.
    pub(super) notes: Vec<(FileId, String)>,
    pub(super) findings: Vec<Finding>,
    pub(super) supps: BTreeMap<FileId, Vec<suppress::Suppression>>,
    pub(super) held: Held,
    /// Units of shared groups by group key: (is base unit, file name, id).
    pub(super) unit_groups: BTreeMap<String, Vec<(bool, String, FileId)>>,
    /// InfluxDB and Telegraf views kept for the cross-file rules (`Check::Project`).
    pub(super) project: view::project::Project,
    pub(super) origins: BTreeMap<FileId, Option<PathBuf>>,
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

/// A path that could not be read. A missing path, a directory, and a file whose path (or
/// `--kind`) says it is a kind tlsgen lints get a TLSGEN004 finding, which no setting or
/// suppression removes (nothing in it was checked); any other file a note (a private key
/// under `/etc/kubernetes` that a normal user cannot read is no finding).
pub(super) fn unreadable(
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

/// The cross-file steps, after every file: the units of shared drop-in groups (parsed again from
/// their kept text), then the project rules over the InfluxDB and Telegraf views, in path order.
/// `findings`: the settled findings so far (a file whose syntax failed gets no second parse
/// error). Returns the findings, not settled yet.
pub(super) fn cross_file(
    unit_groups: BTreeMap<String, Vec<(bool, String, FileId)>>,
    mut project: view::project::Project,
    findings: &[Finding],
    settings: &Settings,
    sources: &SourceStore,
) -> Vec<Finding> {
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
                let file = sources.get(id);
                (id, file, parse::systemd::parse(&file.text))
            })
            .collect();
        let parts: Vec<_> = units.iter().map(|(id, f, u)| (*id, *f, u)).collect();
        lint_unit_group(&parts, settings, sources, &mut out, &|id| {
            parse_failed.contains(&id)
        });
        out
    });
    let mut late: Vec<Finding> = group_findings.into_iter().flatten().collect();
    // In path order, whatever order the walk met the files in (messages name the first file).
    let path_of = |id: FileId| sources.get(id).path.as_str();
    project
        .influxdb
        .sort_by(|a, b| path_of(a.file).cmp(path_of(b.file)));
    project
        .telegraf
        .sort_by(|a, b| path_of(a.file).cmp(path_of(b.file)));
    if !project.is_empty() {
        run_rules(settings, sources, &mut late, View::Project(&project));
    }
    late
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
