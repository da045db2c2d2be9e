//! Command-line interface: one file per subcommand.

pub mod certs;
pub mod explain;
pub mod fix_loop;
pub mod init;
pub mod lint;
pub mod plan;
pub mod render;
pub mod rule;
pub mod rules;
pub mod schema;
pub mod stdout;

use std::io::IsTerminal;

use clap::{Parser, Subcommand};

use crate::diag::{self, Error, Problem};

/// Render and lint the TLS configuration of etcd, InfluxDB, Telegraf, DC/OS Elastic and Kubernetes.
#[derive(Debug, Parser)]
#[command(name = "tlsgen", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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
}

/// How a command ended, as a process exit code: 0 success, 1 findings or differences, 2 error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Differences,
}

pub fn run(cli: Cli) -> Result<Outcome, Error> {
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
    }
}

/// Whether stderr gets colours: a terminal, and no `NO_COLOR`.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Print problems (errors or warnings) to stderr the way miette draws them.
pub fn eprint_problems(problems: &[Problem]) {
    let text = diag::render_with(&diag::handler(stderr_color(), 100), problems);
    eprint!("{text}");
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::Cli;

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
