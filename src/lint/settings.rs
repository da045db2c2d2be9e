//! Settings: `tlsgen.toml` (found upward from the working directory) and the command line
//! (`--select`, `--extend-select`, `--ignore`, `--fail-on`) decide which rules run, at which
//! severity, and which files ignore which rules.
//!
//! ```toml
//! [lint]
//! select = ["ALL"]                 # codes, names, code prefixes (ETCD) or ALL
//! extend-select = []
//! ignore = ["ETCD008"]
//! fail-on = "warning"              # error | warning | info | never
//! [lint.severity]
//! TGF002 = "warning"
//! [lint.per-file-ignores]
//! "legacy/*.json" = ["DCOS001"]
//! # Governance of suppressions (README "Governed suppressions"):
//! require-suppression-reason = true  # a directive without a reason is reported (TLSGEN008), ignored
//! no-inline-suppressions = true      # every inline directive is reported (TLSGEN008), ignored
//! unsuppressable = ["ETCD001"]       # neither an inline directive nor the baseline hides these
//! ```
//!
//! "Today", against which an `until` date is compared, is the system's UTC date, or the
//! `TLSGEN_TODAY` environment variable (`YYYY-MM-DD`) when set (tests, reproducible CI runs).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use toml_edit::{ImDocument, Item};

use super::registry;
use super::rule::Rule;
use super::severity::Severity;
use super::view::cert::CertOptions;
use crate::diag::{Problem, Source};

pub const CONFIG_FILE: &str = "tlsgen.toml";

/// The default size cap of a linted file: 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// When a run fails (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
        }
    }

    fn parse(s: &str) -> Option<FailOn> {
        match s {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "info" => Some(FailOn::Info),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }
}

/// Rule selection from the command line.
#[derive(Debug, Clone, Default)]
pub struct CliSelection {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<FailOn>,
}

/// The resolved settings of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    enabled: BTreeSet<&'static str>,
    /// The enabled rules in registry order (what each file runs, without a lookup per rule).
    active: Vec<&'static Rule>,
    severity: BTreeMap<&'static str, Severity>,
    per_file_ignores: Vec<(GlobMatcher, bool, Vec<&'static Rule>)>,
    /// The directory per-file-ignore globs are relative to.
    base: PathBuf,
    pub fail_on: FailOn,
    /// The config file used, if any.
    pub config_path: Option<PathBuf>,
    /// Files larger than this many bytes are skipped with a note (`max-file-size`; default
    /// [`DEFAULT_MAX_FILE_SIZE`]): a linter in pre-commit reads whatever the repository holds.
    pub max_file_size: u64,
    /// Certificate checks (`[lint.certs]`, `--root`, `--check-files`, `--expiry-days`).
    pub certs: CertOptions,
    /// `require-suppression-reason`: a directive without a reason suppresses nothing.
    pub require_suppression_reason: bool,
    /// `no-inline-suppressions`: inline directives suppress nothing; only `per-file-ignores`
    /// (and `ignore`) of tlsgen.toml turn rules off.
    pub no_inline_suppressions: bool,
    /// `unsuppressable`: rules that no inline directive hides and no baseline holds.
    unsuppressable: BTreeSet<&'static str>,
    /// The day an `until` date is compared with ([`today`]).
    pub today: time::Date,
}

/// Rules that are never suppressed inline nor held by a baseline, whatever tlsgen.toml says: a
/// parse error (nothing else in that file is checked, so hiding it would hide the file for good),
/// a path that could not be read (TLSGEN004: likewise, nothing in it was checked) and the findings
/// about suppressions themselves (they are fixed where the directive is).
pub const NEVER_SUPPRESSED: &[&str] = &[
    "TLSGEN001",
    "TLSGEN002",
    "TLSGEN003",
    "TLSGEN004",
    "TLSGEN005",
    "TLSGEN007",
    "TLSGEN008",
];

/// The environment variable that overrides today's date (`YYYY-MM-DD`).
pub const TODAY_ENV: &str = "TLSGEN_TODAY";

/// Today's date: [`TODAY_ENV`] when set, else the system's UTC date.
pub fn today() -> Result<time::Date, Problem> {
    match std::env::var(TODAY_ENV) {
        Ok(v) if !v.trim().is_empty() => super::suppress::parse_date(v.trim()).ok_or_else(|| {
            Problem::error(
                "lint::today",
                format!("{TODAY_ENV}={v} is not a calendar date"),
            )
            .with_help(format!("write it as YYYY-MM-DD, or unset {TODAY_ENV}"))
        }),
        _ => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enabled: registry::RULES.iter().map(|r| r.code).collect(),
            active: registry::RULES.to_vec(),
            severity: BTreeMap::new(),
            per_file_ignores: Vec::new(),
            base: PathBuf::from("."),
            fail_on: FailOn::Warning,
            config_path: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            certs: CertOptions::default(),
            require_suppression_reason: false,
            no_inline_suppressions: false,
            unsuppressable: BTreeSet::new(),
            today: time::OffsetDateTime::now_utc().date(),
        }
    }
}

impl Settings {
    pub fn is_enabled(&self, rule: &Rule) -> bool {
        self.enabled.contains(rule.code)
    }

    /// Whether no inline directive may hide findings of `rule` and no baseline may hold them
    /// (`unsuppressable` in tlsgen.toml, and [`NEVER_SUPPRESSED`]).
    pub fn unsuppressable(&self, rule: &Rule) -> bool {
        NEVER_SUPPRESSED.contains(&rule.code) || self.unsuppressable.contains(rule.code)
    }

    /// Whether `unsuppressable` of tlsgen.toml lists `rule` (not the built-in list).
    pub fn listed_unsuppressable(&self, rule: &Rule) -> bool {
        self.unsuppressable.contains(rule.code)
    }

    /// The enabled rules, in registry order.
    pub fn active_rules(&self) -> &[&'static Rule] {
        &self.active
    }

    /// The severity of a finding after `[lint.severity]` overrides.
    pub fn severity(&self, rule: &Rule, found: Severity) -> Severity {
        self.severity.get(rule.code).copied().unwrap_or(found)
    }

    /// Whether `[lint.per-file-ignores]` turns `rule` off for `path` (as displayed).
    pub fn ignored_for(&self, rule: &Rule, path: &str) -> bool {
        if self.per_file_ignores.is_empty() {
            return false;
        }
        let p = Path::new(path);
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let rel = abs.strip_prefix(&self.base).unwrap_or(p);
        let name = p.file_name().map(Path::new).unwrap_or(p);
        self.per_file_ignores.iter().any(|(glob, basename, rules)| {
            rules.iter().any(|r| std::ptr::eq(*r, rule))
                && (glob.is_match(rel) || glob.is_match(p) || (*basename && glob.is_match(name)))
        })
    }

    /// Resolve settings: the config file (explicit, or found upward from `cwd`), then the CLI.
    pub fn resolve(
        cwd: &Path,
        explicit: Option<&Path>,
        cli: &CliSelection,
    ) -> Result<Settings, Problem> {
        let found = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => cwd
                .ancestors()
                .map(|d| d.join(CONFIG_FILE))
                .find(|p| p.is_file()),
        };
        let mut settings = Settings {
            today: today()?,
            ..Settings::default()
        };
        let mut config_select: Option<Vec<&'static Rule>> = None;
        let mut extend: Vec<&'static Rule> = Vec::new();
        let mut ignore: Vec<&'static Rule> = Vec::new();
        if let Some(path) = &found {
            let text = std::fs::read_to_string(path)
                .map_err(|e| crate::diag::io_problem("read", path, &e))?;
            let src = Source::new(path.display().to_string(), text);
            let doc = ImDocument::parse(src.text.as_str().to_string()).map_err(|e| {
                let span = e.span().unwrap_or(0..0);
                Problem::error(
                    "lint::config",
                    format!("{} is not valid TOML", path.display()),
                )
                .with_label(e.message().lines().next().unwrap_or("here").to_string())
                .with_help("fix the TOML syntax of the config file")
                .at(&src, span.start, span.len())
            })?;
            settings.base = path
                .parent()
                .map(|p| {
                    if p.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        p
                    }
                })
                .unwrap_or(Path::new("."))
                .to_path_buf();
            if settings.base.is_relative() {
                settings.base = cwd.join(&settings.base);
            }
            settings.config_path = Some(path.clone());
            if let Some(lint) = doc.get("lint").and_then(Item::as_table_like) {
                for (key, item) in lint.iter() {
                    let span = item.span().unwrap_or(0..0);
                    match key {
                        "select" => config_select = Some(rule_list(&src, item)?),
                        "extend-select" => extend.extend(rule_list(&src, item)?),
                        "ignore" => ignore.extend(rule_list(&src, item)?),
                        "fail-on" => {
                            settings.fail_on =
                                item.as_str().and_then(FailOn::parse).ok_or_else(|| {
                                    config_problem(
                                        &src,
                                        span.clone(),
                                        "`fail-on` must be one of error, warning, info, never",
                                    )
                                })?
                        }
                        "severity" => {
                            let table = item.as_table_like().ok_or_else(|| {
                                config_problem(
                                    &src,
                                    span.clone(),
                                    "`severity` must be a table of CODE = \"error|warning|info\"",
                                )
                            })?;
                            for (code, sev) in table.iter() {
                                let sspan = sev.span().unwrap_or(span.clone());
                                let rule = one_rule(&src, code, sspan.clone())?;
                                let s = sev
                                    .as_str()
                                    .and_then(|s| s.parse::<Severity>().ok())
                                    .ok_or_else(|| {
                                        config_problem(
                                            &src,
                                            sspan,
                                            "a severity is one of \"error\", \"warning\", \"info\"",
                                        )
                                    })?;
                                settings.severity.insert(rule.code, s);
                            }
                        }
                        "per-file-ignores" => {
                            let table = item.as_table_like().ok_or_else(|| {
                                config_problem(
                                    &src,
                                    span.clone(),
                                    "`per-file-ignores` must be a table of \"glob\" = [codes]",
                                )
                            })?;
                            for (pattern, codes) in table.iter() {
                                let pspan = codes.span().unwrap_or(span.clone());
                                let glob = Glob::new(pattern).map_err(|e| {
                                    config_problem(
                                        &src,
                                        pspan.clone(),
                                        &format!("invalid glob `{pattern}`: {e}"),
                                    )
                                })?;
                                let rules = rule_list(&src, codes)?;
                                settings.per_file_ignores.push((
                                    glob.compile_matcher(),
                                    !pattern.contains('/'),
                                    rules,
                                ));
                            }
                        }
                        "certs" => settings.certs.configure(&src, item)?,
                        "require-suppression-reason" | "no-inline-suppressions" => {
                            let on = item.as_bool().ok_or_else(|| {
                                config_problem(
                                    &src,
                                    span.clone(),
                                    &format!("`{key}` must be true or false"),
                                )
                            })?;
                            if key == "require-suppression-reason" {
                                settings.require_suppression_reason = on;
                            } else {
                                settings.no_inline_suppressions = on;
                            }
                        }
                        "unsuppressable" => settings
                            .unsuppressable
                            .extend(rule_list(&src, item)?.iter().map(|r| r.code)),
                        "max-file-size" => {
                            settings.max_file_size = item
                                .as_integer()
                                .and_then(|n| u64::try_from(n).ok())
                                .filter(|&n| n > 0)
                                .ok_or_else(|| {
                                    config_problem(
                                        &src,
                                        span.clone(),
                                        "`max-file-size` must be a positive number of bytes",
                                    )
                                })?
                        }
                        other => {
                            return Err(config_problem(
                                &src,
                                lint.get_key_value(other)
                                    .and_then(|(k, _)| k.span())
                                    .unwrap_or(span),
                                &format!("unknown setting `{other}`"),
                            ))
                        }
                    }
                }
            }
        }
        let cli_rules = |list: &[String]| -> Result<Vec<&'static Rule>, Problem> {
            let mut out = Vec::new();
            for s in list
                .iter()
                .flat_map(|s| s.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                let rules = registry::select(s);
                if rules.is_empty() {
                    return Err(unknown_rule_problem(s));
                }
                out.extend(rules);
            }
            Ok(out)
        };
        let select = match &cli.select {
            Some(list) => Some(cli_rules(list)?),
            None => config_select,
        };
        extend.extend(cli_rules(&cli.extend_select)?);
        ignore.extend(cli_rules(&cli.ignore)?);
        let mut enabled: BTreeSet<&'static str> = match select {
            Some(rules) => rules.iter().map(|r| r.code).collect(),
            None => registry::RULES.iter().map(|r| r.code).collect(),
        };
        enabled.extend(extend.iter().map(|r| r.code));
        for r in ignore {
            enabled.remove(r.code);
        }
        settings.active = registry::RULES
            .iter()
            .copied()
            .filter(|r| enabled.contains(r.code))
            .collect();
        settings.enabled = enabled;
        if let Some(f) = cli.fail_on {
            settings.fail_on = f;
        }
        Ok(settings)
    }
}

fn config_problem(src: &Source, span: std::ops::Range<usize>, message: &str) -> Problem {
    Problem::error("lint::config", format!("invalid {CONFIG_FILE}: {message}"))
        .with_label("here")
        .with_help("see the Lint section of the README for the settings tlsgen.toml accepts")
        .at(src, span.start, span.len())
}

fn unknown_rule_problem(s: &str) -> Problem {
    let help = match registry::suggest(s) {
        Some(c) => format!("did you mean `{c}`? `tlsgen rules` lists every rule"),
        None => "`tlsgen rules` lists every rule".to_string(),
    };
    Problem::error(
        "lint::unknown-rule",
        format!("`{s}` is not a rule code, name or prefix"),
    )
    .with_help(help)
}

fn one_rule(
    src: &Source,
    key: &str,
    span: std::ops::Range<usize>,
) -> Result<&'static Rule, Problem> {
    registry::find(key).ok_or_else(|| {
        let p = unknown_rule_problem(key);
        Problem {
            source: None,
            span: None,
            ..p
        }
        .with_label("unknown rule")
        .at(src, span.start, span.len())
    })
}

fn rule_list(src: &Source, item: &Item) -> Result<Vec<&'static Rule>, Problem> {
    let span = item.span().unwrap_or(0..0);
    let arr = item.as_array().ok_or_else(|| {
        config_problem(
            src,
            span.clone(),
            "expected an array of rule codes or names",
        )
    })?;
    let mut out = Vec::new();
    for v in arr.iter() {
        let vspan = v.span().unwrap_or(span.clone());
        let s = v
            .as_str()
            .ok_or_else(|| config_problem(src, vspan.clone(), "expected a string"))?;
        let rules = registry::select(s);
        if rules.is_empty() {
            let p = unknown_rule_problem(s);
            return Err(p
                .with_label("unknown rule")
                .at(src, vspan.start, vspan.len()));
        }
        out.extend(rules);
    }
    Ok(out)
}

/// `[lint.certs]` of `tlsgen.toml` and the command line, read into the certificate view's options.
impl CertOptions {
    /// Read `[lint.certs]` of `tlsgen.toml`:
    ///
    /// ```toml
    /// [lint.certs]
    /// expiry-days = 30      # CERT001 warns about certificates expiring within this many days
    /// check-files = false   # CERT010 reports named files that do not exist
    /// ```
    pub fn configure(
        &mut self,
        src: &crate::diag::Source,
        item: &toml_edit::Item,
    ) -> Result<(), crate::diag::Problem> {
        let span = item.span().unwrap_or(0..0);
        let problem = |span: std::ops::Range<usize>, message: &str| {
            crate::diag::Problem::error(
                "lint::config",
                format!("invalid {}: {message}", CONFIG_FILE),
            )
            .with_label("here")
            .with_help("`[lint.certs]` accepts expiry-days = <days> and check-files = <bool>")
            .at(src, span.start, span.len())
        };
        let table = item
            .as_table_like()
            .ok_or_else(|| problem(span.clone(), "`certs` must be a table"))?;
        for (key, value) in table.iter() {
            let vspan = value.span().unwrap_or(span.clone());
            match key {
                "expiry-days" => {
                    self.expiry_days = value
                        .as_integer()
                        .filter(|d| (0..=36_500).contains(d))
                        .ok_or_else(|| {
                            problem(vspan, "`expiry-days` must be a number of days (0 to 36500)")
                        })?
                }
                "check-files" => {
                    self.check_files = value
                        .as_bool()
                        .ok_or_else(|| problem(vspan, "`check-files` must be true or false"))?
                }
                other => {
                    let kspan = table
                        .get_key_value(other)
                        .and_then(|(k, _)| k.span())
                        .unwrap_or(vspan);
                    return Err(problem(kspan, &format!("unknown setting `certs.{other}`")));
                }
            }
        }
        Ok(())
    }

    /// Command-line options win over `tlsgen.toml`.
    pub fn apply_cli(
        &mut self,
        root: Option<PathBuf>,
        check_files: bool,
        expiry_days: Option<u32>,
    ) {
        if root.is_some() {
            self.root = root;
        }
        self.check_files |= check_files;
        if let Some(d) = expiry_days {
            self.expiry_days = i64::from(d);
        }
    }
}
