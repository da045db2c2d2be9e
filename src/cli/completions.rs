//! `tlsgen completions SHELL`: a completion script generated from the same clap command the
//! binary parses, so it offers every subcommand, option and rule code there is.

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Outcome};
use crate::diag::{Error, Problem};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell: bash (source it, or put it in ~/.local/share/bash-completion/completions/tlsgen),
    /// zsh (a file `_tlsgen` on $fpath), fish (~/.config/fish/completions/tlsgen.fish) or
    /// powershell (dot-source it from $PROFILE).
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// The shells `tlsgen completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// The completion script for a shell.
pub fn script(shell: CompletionShell) -> Vec<u8> {
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
    };
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "tlsgen", &mut out);
    out
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&script(args.shell))
        .and_then(|()| stdout.flush())
        .map_err(|e| Problem::error("io", format!("cannot write the completion script: {e}")))?;
    Ok(Outcome::Success)
}
