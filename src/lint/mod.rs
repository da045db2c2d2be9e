//! `lint`: read configuration files of etcd, InfluxDB, Telegraf, Kubernetes and DC/OS Elastic,
//! keep spans, normalise each into a view per target, run the rules of that target, and report
//! [`Finding`]s. See `src/lint/README.md` for how to add a rule.
//!
//! ```text
//! paths ─discover─▶ files ─detect─▶ Kind ─parse─▶ view (EtcdConfig, InfluxConfig, …)
//!       ─rules─▶ findings ─suppress, settings─▶ output (human, short, json, sarif, github)
//! ```

pub mod certfiles;
pub mod detect;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod output;
pub mod parse;
pub mod placeholder;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod view;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use detect::Kind;
pub use diagnostic::{Finding, Severity};
pub use rule::{Check, Ctx, Rule, Target};
pub use settings::Settings;
pub use source::{FileId, SourceStore, Span};

use crate::diag::Problem;
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
    /// Where the linted files came from, by file id: a path, or `None` for stdin.
    pub origins: BTreeMap<FileId, Option<PathBuf>>,
}

/// A parsed unit waiting for its group (base unit and drop-ins).
struct UnitFile {
    id: FileId,
    unit: crate::systemd::Unit,
}

/// A file read from disk (or stdin) and detected, before it enters the source store.
enum Loaded {
    /// Not linted; the note is for stderr when the user named the file.
    Skipped(Option<String>),
    File {
        path: String,
        text: String,
        origin: Option<PathBuf>,
        kind: Kind,
    },
}

/// The parts of an InfluxDB view the project view keeps for the cross-file rules
/// (`Check::Project`: INFLUX008, INFLUX012, TGF008). Everything else is dropped once the file's
/// own rules ran, so a run over thousands of files does not hold every file's settings; a new
/// cross-file rule that reads another section adds it here.
const PROJECT_INFLUX_SECTIONS: &[&str] = &["", "meta", "http", "cluster", "tls"];

/// The Telegraf plugins the project view keeps (the cross-file rules compare outputs with the
/// InfluxDB servers they write to); inputs, often thousands of lines, are dropped.
const PROJECT_TELEGRAF_PLUGINS: &str = "outputs.";

/// What the per-file pipeline hands back: its findings, and what the cross-file steps need.
#[derive(Default)]
struct FileOutput {
    findings: Vec<Finding>,
    /// (group key, is base unit, file name, unit) of a systemd unit, grouped after every file.
    unit: Option<(String, bool, String, UnitFile)>,
    influxdb: Option<view::influxdb::InfluxConfig>,
    telegraf: Option<view::telegraf::TelegrafConfig>,
}

/// Lint files and directories (and stdin) with the given settings.
///
/// Files are read, detected, parsed and checked in parallel (rayon; `RAYON_NUM_THREADS` or the
/// caller's pool sets the thread count), each by [`lint_file`]; results are merged in path order,
/// so the report is the same whatever the number of threads. Cross-file steps (unit groups, the
/// project rules) run after every file.
pub fn lint(input: &Input, settings: &Settings) -> Result<Report, Problem> {
    use rayon::prelude::*;

    let mut report = Report::default();
    let mut findings: Vec<Finding> = Vec::new();
    let candidates = discover::discover(&input.paths)?;
    let detect_kind = |path: &str, text: &str, explicit: bool| match (explicit, input.kind) {
        (true, Some(k)) => Some(k),
        _ => detect::detect(path, text),
    };
    let mut loaded: Vec<Loaded> = Vec::with_capacity(candidates.len() + 1);
    if let Some((name, text)) = input
        .stdin
        .as_ref()
        .filter(|(name, text)| {
            let over = text.len() as u64 > settings.max_file_size;
            if over {
                report.notes.push(format!(
                    "{name}: skipped, {} bytes is over the size cap of {} bytes (max-file-size in tlsgen.toml)",
                    text.len(),
                    settings.max_file_size
                ));
            }
            !over
        })
    {
        loaded.push(load_text(
            name.clone(),
            text.clone(),
            true,
            None,
            &detect_kind,
        ));
    }
    let read: Vec<Result<Loaded, Problem>> = candidates
        .par_iter()
        .map(|c| {
            let path = discover::display_path(&c.path);
            if let Some(text) = input.overrides.get(&c.path) {
                return Ok(load_text(
                    path,
                    text.clone(),
                    c.explicit,
                    Some(c.path.clone()),
                    &detect_kind,
                ));
            }
            let size = std::fs::metadata(&c.path).map_or(0, |m| m.len());
            if size > settings.max_file_size {
                return Ok(Loaded::Skipped(Some(format!(
                    "{path}: skipped, {size} bytes is over the size cap of {} bytes (max-file-size in tlsgen.toml)",
                    settings.max_file_size
                ))));
            }
            let bytes =
                std::fs::read(&c.path).map_err(|e| crate::diag::io_problem("read", &c.path, &e))?;
            if bytes.contains(&0) {
                return Ok(Loaded::Skipped(
                    c.explicit
                        .then(|| format!("{path}: skipped, a binary file")),
                ));
            }
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            };
            Ok(load_text(
                path,
                text,
                c.explicit,
                Some(c.path.clone()),
                &detect_kind,
            ))
        })
        .collect();
    for r in read {
        loaded.push(r?);
    }
    let mut kinds: Vec<(FileId, Kind)> = Vec::with_capacity(loaded.len());
    for l in loaded {
        match l {
            Loaded::Skipped(note) => report.notes.extend(note),
            Loaded::File {
                path,
                text,
                origin,
                kind,
            } => {
                report.files += 1;
                let id = report.sources.add(path, text);
                report.origins.insert(id, origin);
                kinds.push((id, kind));
            }
        }
    }
    let outputs: Vec<FileOutput> = kinds
        .par_iter()
        .map(|&(id, kind)| lint_file(id, kind, settings, &report.sources))
        .collect();
    // Units grouped by their drop-in directory (`x.service.d`), in systemd's order.
    let mut unit_groups: BTreeMap<String, Vec<(bool, String, UnitFile)>> = BTreeMap::new();
    // InfluxDB and Telegraf views kept for the cross-file rules (`Check::Project`).
    let mut project = view::project::Project::default();
    for out in outputs {
        findings.extend(out.findings);
        if let Some((key, is_base, name, unit)) = out.unit {
            unit_groups
                .entry(key)
                .or_default()
                .push((is_base, name, unit));
        }
        project.influxdb.extend(out.influxdb);
        project.telegraf.extend(out.telegraf);
    }
    // Files whose syntax already failed: one problem, one diagnostic.
    let parse_failed: std::collections::BTreeSet<FileId> = findings
        .iter()
        .filter(|f| std::ptr::eq(f.rule, registry::parse_error()))
        .map(|f| f.span.file)
        .collect();
    let groups: Vec<Vec<(bool, String, UnitFile)>> = unit_groups.into_values().collect();
    let group_findings: Vec<Vec<Finding>> = groups
        .into_par_iter()
        .map(|mut group| {
            let mut out = Vec::new();
            // Base unit first, then drop-ins in lexical order of file name (F-E21).
            group.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let parts: Vec<(FileId, &source::SourceFile, &crate::systemd::Unit)> = group
                .iter()
                .map(|(_, _, u)| (u.id, report.sources.get(u.id), &u.unit))
                .collect();
            match EtcdConfig::from_units(&parts) {
                Ok(config) => run_rules(settings, &report.sources, &mut out, View::Etcd(&config)),
                // A unit whose syntax already failed gets no second parse error from its
                // `Environment=` or `ExecStart=` words (found by fuzzing).
                Err((id, e)) => {
                    if !parse_failed.contains(&id) {
                        out.push(parse_finding(id, e));
                    }
                }
            }
            out
        })
        .collect();
    findings.extend(group_findings.into_iter().flatten());
    if !project.is_empty() {
        run_rules(
            settings,
            &report.sources,
            &mut findings,
            View::Project(&project),
        );
    }
    report.findings = finish(findings, settings, &report.sources);
    Ok(report)
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
            out.unit = Some((key, is_base, name, UnitFile { id, unit }));
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
                        let mut config = config;
                        config
                            .plugins
                            .retain(|p| p.kind.starts_with(PROJECT_TELEGRAF_PLUGINS));
                        out.telegraf = Some(config);
                    } else {
                        let role = if kind == Kind::InfluxdbMeta {
                            view::influxdb::InfluxRole::Meta
                        } else {
                            view::influxdb::InfluxRole::Data
                        };
                        let config = view::influxdb::InfluxConfig::from_toml(id, file, &doc, role);
                        run_rules(settings, sources, findings, View::Influxdb(&config));
                        let mut config = config;
                        config
                            .sections
                            .retain(|name, _| PROJECT_INFLUX_SECTIONS.contains(&name.as_str()));
                        out.influxdb = Some(config);
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

/// A view handed to the rules of its target.
#[derive(Clone, Copy)]
enum View<'v> {
    Etcd(&'v EtcdConfig),
    Influxdb(&'v view::influxdb::InfluxConfig),
    Telegraf(&'v view::telegraf::TelegrafConfig),
    Kubernetes(&'v view::kubernetes::EncryptionConfig),
    Elastic(&'v view::elastic::ElasticOptions),
    Project(&'v view::project::Project),
}

/// Run every enabled rule of the view's target.
fn run_rules(settings: &Settings, sources: &SourceStore, findings: &mut Vec<Finding>, view: View) {
    for rule in registry::RULES.iter().copied() {
        if !settings.is_enabled(rule) {
            continue;
        }
        let mut ctx = Ctx::new(rule, sources);
        match (rule.check, view) {
            (Check::Etcd(f), View::Etcd(c)) => f(c, &mut ctx),
            (Check::Influxdb(f), View::Influxdb(c)) => f(c, &mut ctx),
            (Check::Telegraf(f), View::Telegraf(c)) => f(c, &mut ctx),
            (Check::Kubernetes(f), View::Kubernetes(c)) => f(c, &mut ctx),
            (Check::Elastic(f), View::Elastic(c)) => f(c, &mut ctx),
            (Check::Project(f), View::Project(p)) => f(p, &mut ctx),
            _ => continue,
        }
        findings.extend(ctx.findings);
    }
    certfiles::check_view(settings, sources, findings, view);
}

fn parse_finding(id: FileId, e: ParseError) -> Finding {
    Finding {
        rule: registry::parse_error(),
        severity: registry::parse_error().severity,
        span: Span::new(id, e.span),
        message: format!(
            "cannot parse this file: {}",
            e.message.trim_end_matches('.').to_lowercase()
        ),
        help: "fix the syntax; tlsgen checks nothing else in a file it cannot parse".to_string(),
        fix: None,
    }
}

/// Apply suppressions, per-file ignores and severity overrides; report unknown and unused
/// suppressions; sort.
fn finish(findings: Vec<Finding>, settings: &Settings, sources: &SourceStore) -> Vec<Finding> {
    use rayon::prelude::*;

    let mut by_file: Vec<Vec<Finding>> = (0..sources.len()).map(|_| Vec::new()).collect();
    for f in findings {
        if let Some(v) = by_file.get_mut(f.span.file) {
            v.push(f);
        }
    }
    // Per file, in parallel: suppressions are scanned in every file (unknown ones are findings).
    let per_file: Vec<Vec<Finding>> = by_file
        .into_par_iter()
        .enumerate()
        .map(|(id, file_findings)| {
            let mut out = Vec::new();
            let file = sources.get(id);
            let mut supp = suppress::scan(id, file);
            for mut f in file_findings {
                if !settings.is_enabled(f.rule) || settings.ignored_for(f.rule, &file.path) {
                    continue;
                }
                let line = file.line_index(f.span.start);
                if suppress::suppresses(&mut supp, f.rule, line) {
                    continue;
                }
                f.severity = settings.severity(f.rule, f.severity);
                f.span.start = file.clamp(f.span.start);
                f.span.end = file.clamp(f.span.end).max(f.span.start);
                out.push(f);
            }
            for s in &supp {
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
                        help,
                        fix: None,
                    });
                }
            }
            out
        })
        .collect();
    let mut out: Vec<Finding> = per_file.into_iter().flatten().collect();
    out.par_sort_by(|a, b| {
        let fa = sources.get(a.span.file);
        let fb = sources.get(b.span.file);
        (
            fa.path.as_str(),
            a.span.start,
            a.rule.code,
            a.span.end,
            &a.message,
        )
            .cmp(&(
                fb.path.as_str(),
                b.span.start,
                b.rule.code,
                b.span.end,
                &b.message,
            ))
    });
    out.dedup_by(|a, b| a.span == b.span && std::ptr::eq(a.rule, b.rule) && a.message == b.message);
    out
}
