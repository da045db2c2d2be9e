//! Command-line interface: one file per subcommand.

pub mod certs;
pub mod completions;
pub mod explain;
pub mod fix_loop;
pub mod init;
pub mod lint;
pub mod man;
pub mod plan;
pub mod render;
pub mod rule;
pub mod rules;
pub mod schema;
pub mod stdout;

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use clap::{Parser, Subcommand};

use crate::diag::{self, Error, Problem};

/// Render and lint the TLS configuration of etcd, InfluxDB, Telegraf, DC/OS Elastic and Kubernetes.
#[derive(Debug, Parser)]
#[command(name = "tlsgen", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour output: `auto` colours a terminal unless NO_COLOR is set; `always` and
    /// `never` override both.
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorChoice,
    /// Print only findings, differences and errors: no notes, no "wrote N files" summaries.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// The run's `--color` (set by [`run`]; a process runs one command).
static COLOR: AtomicU8 = AtomicU8::new(0);
/// The run's `--quiet`.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Whether a stream gets colours under the run's `--color`: `auto` colours a terminal unless
/// `NO_COLOR` is set to a non-empty value.
pub fn color_for(is_terminal: bool) -> bool {
    let choice = match COLOR.load(Ordering::Relaxed) {
        1 => ColorChoice::Always,
        2 => ColorChoice::Never,
        _ => ColorChoice::Auto,
    };
    colors(choice, is_terminal, std::env::var_os("NO_COLOR").as_deref())
}

/// The decision of [`color_for`], given the environment's `NO_COLOR` (no-color.org: set and not
/// empty means no colour; an explicit `--color always` is the user's choice and wins).
fn colors(choice: ColorChoice, is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

/// Whether the run was asked to be `--quiet` (summaries and notes on stderr are left out).
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// `defer`: a subcommand's arguments are built only when it runs, not the seven others' too.
/// A one-file `lint` runs 44,000 fewer instructions (of 1.08 million, callgrind) and 7 fewer
/// page faults; help and errors are the same (`tests::deferred_subcommands_are_complete`).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Render every file the model asks for, per host, under OUT/<host>/<path on host>.
    Render(render::Args),
    /// Write the zero-downtime HTTP->HTTPS migration of a live etcd cluster: OUT/plan/RUNBOOK.md,
    /// OUT/plan/migrate.sh and the files of each phase.
    Plan(plan::Args),
    /// Create a CA (or use the model's) and every key and certificate the model needs, under
    /// OUT/<host>/<path on host>; keeps what still matches, re-issues what changed or expires.
    Certs(certs::Args),
    /// Write the JSON Schema of cluster.yaml (generated from tlsgen's types).
    Schema(schema::Args),
    /// Write the built-in templates out for editing (use them with `render --templates DIR`).
    Init(init::Args),
    /// Lint configuration files (etcd, InfluxDB, Telegraf, Kubernetes encryption, DC/OS Elastic).
    Lint(lint::Args),
    /// Print the documentation of one lint rule (by code or name).
    Rule(rule::Args),
    /// List every lint rule.
    Rules(rules::Args),
    /// Explain a TLS error message (etcd, etcdctl, curl, Go clients, influxd, Telegraf): its
    /// likely causes, ranked, with the rules and model checks that detect them.
    Explain(explain::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell) on stdout.
    Completions(completions::Args),
    /// Write a man page per command (tlsgen.1, tlsgen-lint.1, ...) into a directory.
    Man(man::Args),
}

/// How a command ended, as a process exit code: 0 success, 1 findings or differences, 2 error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Differences,
}

pub fn run(cli: Cli) -> Result<Outcome, Error> {
    let color = match cli.color {
        ColorChoice::Auto => 0,
        ColorChoice::Always => 1,
        ColorChoice::Never => 2,
    };
    COLOR.store(color, Ordering::Relaxed);
    QUIET.store(cli.quiet, Ordering::Relaxed);
    match cli.command {
        Command::Render(args) => render::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Certs(args) => certs::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Init(args) => init::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Rule(args) => rule::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// Whether stderr gets colours (`--color`; by default a terminal, and no `NO_COLOR`).
pub fn stderr_color() -> bool {
    color_for(std::io::stderr().is_terminal())
}

/// Print problems (errors or warnings) to stderr the way miette draws them.
pub fn eprint_problems(problems: &[Problem]) {
    let text = diag::render_with(&diag::handler(stderr_color(), 100), problems);
    eprint!("{text}");
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use clap::{CommandFactory, Parser};

    use super::{colors, Cli, ColorChoice};

    #[test]
    fn color_auto_follows_the_terminal_and_no_color_and_the_flag_overrides_both() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(colors(ColorChoice::Auto, true, None));
        assert!(colors(ColorChoice::Auto, true, empty));
        assert!(!colors(ColorChoice::Auto, true, set));
        assert!(!colors(ColorChoice::Auto, false, None));
        assert!(colors(ColorChoice::Always, false, set));
        assert!(!colors(ColorChoice::Never, true, None));
    }

    /// `--color` and `--quiet` are accepted before and after the subcommand.
    #[test]
    fn color_and_quiet_are_global() {
        let cli = Cli::try_parse_from(["tlsgen", "--color", "never", "lint", "-q", "a"]).unwrap();
        assert_eq!((cli.color, cli.quiet), (ColorChoice::Never, true));
        let cli = Cli::try_parse_from(["tlsgen", "render", "m.yaml", "--quiet", "--color=always"])
            .unwrap();
        assert_eq!((cli.color, cli.quiet), (ColorChoice::Always, true));
        let cli = Cli::try_parse_from(["tlsgen", "lint"]).unwrap();
        assert_eq!((cli.color, cli.quiet), (ColorChoice::Auto, false));
        assert!(Cli::try_parse_from(["tlsgen", "lint", "--color", "sometimes"]).is_err());
    }

    /// The subcommands' arguments are built only when the subcommand runs (`defer`); clap's own
    /// checks must still see all of them, and so must the help.
    #[test]
    fn deferred_subcommands_are_complete() {
        Cli::command().debug_assert();
        let help = Cli::try_parse_from(["tlsgen", "lint", "--help"]).unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
        let help = help.to_string();
        for option in ["--format", "--stdin-filename", "--expiry-days", "[PATH]..."] {
            assert!(help.contains(option), "{option} missing from:\n{help}");
        }
        let cli = Cli::try_parse_from(["tlsgen", "lint", "--format", "json", "a.toml"]).unwrap();
        let super::Command::Lint(args) = cli.command else {
            panic!("not lint: {cli:?}");
        };
        assert_eq!(args.paths, [std::path::PathBuf::from("a.toml")]);
    }
}
