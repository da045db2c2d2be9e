use std::process::ExitCode;

use clap::Parser;
use tlsgen::cli::{self, Cli, Outcome};
use tlsgen::diag::Error;

/// The allocator of the binary, chosen at compile time: jemalloc with its default options (the
/// `jemalloc` feature, on by default; see Cargo.toml for why), the system's malloc without it.
/// The library never sets or tunes an allocator.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
