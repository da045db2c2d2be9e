use std::process::ExitCode;

use clap::Parser;
use tlsgen::cli::{self, Cli, Outcome};
use tlsgen::diag::Error;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli::run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Differences) => ExitCode::from(1),
        Err(Error::Problems(problems)) => {
            cli::eprint_problems(&problems);
            ExitCode::from(2)
        }
    }
}
