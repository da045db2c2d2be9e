use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use super::Outcome;
use crate::diag::{Error, Problem};
use crate::lint::output::{self, Format};
use crate::lint::settings::{CliSelection, FailOn, Settings};
use crate::lint::{self, Input, Kind};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and directories to lint (directories are walked, honouring .gitignore); `-` reads
    /// stdin (name it with --stdin-filename).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// The path stdin is linted as (detects its kind and names it in findings).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Read named files and stdin as this kind instead of detecting it.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    /// Run only these rules (codes, names, code prefixes such as ETCD, or ALL; comma-separated).
    #[arg(long, value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Run these rules as well.
    #[arg(long, value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Do not run these rules.
    #[arg(long, value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Exit 1 when a finding has at least this severity [default: warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Apply safe fixes in place (TOML through toml_edit, so comments stay), then report what
    /// remains; with stdin, print the fixed text on stdout and the report on stderr.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, apply unsafe fixes as well.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them (exit 1 when there is one).
    #[arg(long)]
    pub diff: bool,
    /// Use this tlsgen.toml instead of searching upward from the working directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Resolve the absolute paths of certificate, key and CA files under DIR (default: the
    /// host directory of a rendered tree `OUT/<host>/etc/...`, else `/`).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Report certificate, key and CA files that a configuration names but that do not exist.
    #[arg(long)]
    pub check_files: bool,
    /// Warn about certificates expiring within N days [default: 30].
    #[arg(long, value_name = "N")]
    pub expiry_days: Option<u32>,
    /// Report only findings this baseline does not hold (written by --write-baseline); says
    /// how many it hid and which of its entries no longer match.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["write_baseline", "fix", "diff"])]
    pub baseline: Option<PathBuf>,
    /// Write every finding a baseline can hold to FILE (JSON, sorted, values hashed), then
    /// report only the findings it cannot hold.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    pub write_baseline: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir()
        .map_err(|e| Problem::error("io", format!("cannot read the working directory: {e}")))?;
    let cli = CliSelection {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        fail_on: args.fail_on,
    };
    let mut settings = Settings::resolve(&cwd, args.config.as_deref(), &cli)?;
    settings
        .certs
        .apply_cli(args.root.clone(), args.check_files, args.expiry_days);
    let mut input = Input {
        kind: args.kind,
        ..Input::default()
    };
    let wants_stdin = args.paths.iter().any(|p| p.as_os_str() == "-")
        || (args.paths.is_empty() && args.stdin_filename.is_some());
    if wants_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Problem::error("io", format!("cannot read stdin: {e}"))
                .with_help("pass UTF-8 text on stdin")
        })?;
        input.stdin = Some((
            args.stdin_filename
                .clone()
                .unwrap_or_else(|| "-".to_string()),
            text,
        ));
    }
    input.paths = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    if input.paths.is_empty() && !wants_stdin {
        input.paths.push(PathBuf::from("."));
    }
    if args.fix || args.diff {
        return run_fix(&args, &input, &settings);
    }
    // Nothing is fixed: file texts are released as soon as their findings are placed.
    input.release_text = true;
    input.keep_suppressed = args.format == Format::Sarif;
    if let Some(path) = &args.baseline {
        input.baseline = Some(std::sync::Arc::new(lint::baseline::Baseline::load(path)?));
    }
    input.baseline_keys = args.write_baseline.is_some();
    let mut report = lint::lint(&input, &settings)?;
    if let Some(path) = &args.write_baseline {
        write_baseline(path, &mut report, &settings, input.keep_suppressed)?;
    }
    if !super::quiet() {
        for note in &report.notes {
            eprintln!("note: {note}");
        }
    }
    if let Some(b) = &input.baseline {
        // An entry of a file this run did not lint (a run over part of the tree) is not stale,
        // unless that file is gone.
        let linted: std::collections::BTreeSet<String> = (0..report.sources.len())
            .map(|id| lint::baseline::normalise_path(&report.sources.get(id).path))
            .collect();
        let stale = b.stale().into_iter().filter(|(key, _)| {
            linted.contains(&key.path) || !std::path::Path::new(&key.path).exists()
        });
        for (key, n) in stale {
            eprintln!(
                "note: {}: {} of {} in {} matches no finding any more (write the baseline again to drop it)",
                b.path.display(),
                crate::diag::count(n, "entry", "entries"),
                key.code,
                key.path
            );
        }
    }
    let hidden = report.baselined;
    let baseline_path = args.baseline.as_ref().or(args.write_baseline.as_ref());
    let color = super::color_for(std::io::stdout().is_terminal());
    let mut stdout = super::stdout::lock();
    output::write(&report, args.format, color, &mut stdout)
        .map_err(|e| super::stdout::write_problem("the report", &e))?;
    if let Some(path) = baseline_path {
        // The human report ends with this line; other formats keep stdout to their own syntax.
        let line = format!(
            "{} hidden by the baseline {}",
            crate::diag::count(hidden, "finding", "findings"),
            path.display()
        );
        if args.format == Format::Human {
            writeln!(stdout, "{line}")
                .map_err(|e| super::stdout::write_problem("the report", &e))?;
        } else {
            eprintln!("note: {line}");
        }
    }
    super::stdout::finish(stdout, "the report")?;
    if report
        .findings
        .iter()
        .any(|f| settings.fail_on.fails(f.severity))
    {
        Ok(Outcome::Differences)
    } else {
        Ok(Outcome::Success)
    }
}

/// `--write-baseline`: write the keys of the findings a baseline can hold, then drop those
/// findings from the report (they are held from now on; the rest still counts).
fn write_baseline(
    path: &std::path::Path,
    report: &mut lint::Report,
    settings: &Settings,
    keep_held: bool,
) -> Result<(), Problem> {
    let keys = std::mem::take(&mut report.baseline_keys);
    let entries = keys.len();
    let text = lint::baseline::render(keys);
    crate::render::output::write_atomic(path, text.as_bytes(), 0o644)?;
    let (kept, held): (Vec<_>, Vec<_>) = std::mem::take(&mut report.findings)
        .into_iter()
        .partition(|f| settings.unsuppressable(f.rule));
    report.findings = kept;
    report.baselined = held.len();
    report.baseline_active = true;
    if keep_held {
        report.baselined_findings = held;
    }
    eprintln!(
        "wrote {} to {}",
        crate::diag::count(entries, "baseline entry", "baseline entries"),
        path.display()
    );
    Ok(())
}

/// `--fix` and `--diff`: fix in memory until nothing applicable is left, then write the changed
/// files atomically (keeping their mode), or print their diff. The exit status reflects the
/// findings that remain (`--diff`: whether there is a diff).
fn run_fix(args: &Args, input: &Input, settings: &Settings) -> Result<Outcome, Error> {
    let run = super::fix_loop::fix_loop(input, settings, args.unsafe_fixes)?;
    let quiet = super::quiet();
    for note in run.report.notes.iter().chain(&run.notes) {
        if !quiet {
            eprintln!("note: {note}");
        }
    }
    let files = run.changed.len();
    let plural = |n: usize, w: &str| crate::diag::count(n, w, &format!("{w}s"));
    if args.diff {
        let mut stdout = super::stdout::lock();
        for c in &run.changed {
            // Key material is never printed, masked or not; other secrets are masked (the
            // policy of `lint::redact`, the same as quoted lines of the human output).
            if lint::redact::holds_key_material(&c.old) || lint::redact::holds_key_material(&c.new)
            {
                eprintln!(
                    "note: {}: holds secret key material, its diff is not shown (run --fix to apply it)",
                    c.path
                );
                continue;
            }
            stdout
                .write_all(
                    lint::fix::unified_diff(
                        &c.path,
                        &lint::redact::mask(&c.old),
                        &lint::redact::mask(&c.new),
                    )
                    .as_bytes(),
                )
                .map_err(|e| super::stdout::write_problem("the diff", &e))?;
        }
        super::stdout::finish(stdout, "the diff")?;
        if !quiet {
            eprintln!(
                "would fix {} in {}",
                plural(run.fixed, "finding"),
                plural(files, "file")
            );
        }
        return Ok(if files > 0 {
            Outcome::Differences
        } else {
            Outcome::Success
        });
    }
    let mut stdin_text = None;
    for c in &run.changed {
        match &c.origin {
            Some(path) => {
                let mode = file_mode(path)?;
                crate::render::output::write_atomic(path, c.new.as_bytes(), mode)?;
            }
            None => stdin_text = Some(c.new.clone()),
        }
    }
    let color = super::color_for(std::io::stdout().is_terminal());
    let write_err =
        |e: std::io::Error| Problem::error("io", format!("cannot write the report: {e}"));
    if input.stdin.is_some() {
        // stdout carries the fixed text (unchanged when nothing was fixed); the report goes to
        // stderr.
        let text = stdin_text.unwrap_or_else(|| {
            input
                .stdin
                .as_ref()
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        });
        // stdout is the file itself, handed back to the pipe the user opened: it is passed
        // through (a masked copy would corrupt it), except key material, which no output of
        // tlsgen prints in any form (the policy of `lint::redact`, as `--diff`).
        let original = input.stdin.as_ref().map_or("", |(_, t)| t.as_str());
        if lint::redact::holds_key_material(&text) || lint::redact::holds_key_material(original) {
            return Err(Problem::error(
                "key-material",
                "stdin holds secret key material; tlsgen does not print it",
            )
            .with_help("fix the file in place instead: `tlsgen lint --fix <path>`")
            .into());
        }
        super::stdout::print(&text, "the fixed text")?;
        let mut stderr = std::io::stderr().lock();
        output::write(&run.report, args.format, false, &mut stderr).map_err(write_err)?;
    } else {
        let mut stdout = super::stdout::lock();
        output::write(&run.report, args.format, color, &mut stdout).map_err(write_err)?;
        super::stdout::finish(stdout, "the report")?;
    }
    if !quiet {
        eprintln!(
            "fixed {} in {}",
            plural(run.fixed, "finding"),
            plural(files, "file")
        );
    }
    if run
        .report
        .findings
        .iter()
        .any(|f| settings.fail_on.fails(f.severity))
    {
        Ok(Outcome::Differences)
    } else {
        Ok(Outcome::Success)
    }
}

/// The permission bits of a file, to keep them when it is rewritten.
fn file_mode(path: &std::path::Path) -> Result<u32, Problem> {
    let meta = std::fs::metadata(path)
        .map_err(|e| crate::diag::io_problem("read the mode of", path, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Ok(0o644)
    }
}
