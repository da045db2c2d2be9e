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
    /// Use this tlsgen.toml instead of searching upward from the working directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
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
    let settings = Settings::resolve(&cwd, args.config.as_deref(), &cli)?;
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
    let report = lint::lint(&input, &settings)?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut stdout = std::io::stdout().lock();
    output::write(&report, args.format, color, &mut stdout)
        .and_then(|_| stdout.flush())
        .map_err(|e| Problem::error("io", format!("cannot write the report: {e}")))?;
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
