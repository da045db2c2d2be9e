//! `file-len FILE`: read FILE and print its length in bytes.
//!
//! The reference of the one-file benchmark (`scripts/bench.sh`): the least a linter of one named
//! file must do (start a process, read the file, write a line), built with the workspace's release
//! profile and linked like `tlsgen` (a position-independent executable, the toolchain's default).
//! `tlsgen lint FILE` is measured against it, interleaved, in the same run.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("usage: file-len FILE");
        return ExitCode::from(2);
    };
    match std::fs::read(&path) {
        Ok(bytes) => match writeln!(std::io::stdout().lock(), "{}", bytes.len()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("file-len: cannot write: {e}");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("file-len: cannot read {}: {e}", path.to_string_lossy());
            ExitCode::from(2)
        }
    }
}
