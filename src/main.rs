use std::process::ExitCode;

#[cfg(all(feature = "jemalloc", target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main` (see `tikv_jemalloc_sys::malloc_conf`):
/// - `narenas:2`: one arena per core of the 2-core machines measured, not 4 per core;
/// - `dirty_decay_ms:100,muzzy_decay_ms:0`: freed pages go back to the system after 100 ms.
///   With jemalloc's default (10 s) the peak over 10,000 files was 22 MB; with 0 the system
///   time of that run tripled (a `madvise` per free run). With 100 ms: 18.1 to 19.5 MB, and the
///   run was 11% faster than with glibc's malloc (`scripts/bench.sh`, BENCHMARKS.md).
#[cfg(all(feature = "jemalloc", target_os = "linux", target_env = "gnu"))]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: Option<&'static std::ffi::c_char> =
    // SAFETY: the pointer is the first byte of a NUL-terminated string literal ('static).
    Some(unsafe { &*c"narenas:2,dirty_decay_ms:100,muzzy_decay_ms:0".as_ptr() });

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
