//! Shared test helpers: insta writes every snapshot under the top-level `snapshots/`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// insta settings with the snapshot directory set once for all test files.
pub fn insta_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(repo_root().join("snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The tlsgen binary built for this test run.
pub fn tlsgen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tlsgen"));
    c.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    c
}

/// Run tlsgen with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    tlsgen()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("tlsgen runs")
}

/// Run tlsgen with `args` in `dir`, `input` on its stdin.
pub fn run_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = tlsgen()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tlsgen runs");
    child
        .stdin
        .take()
        .expect("a piped stdin")
        .write_all(input.as_bytes())
        .expect("tlsgen reads its stdin");
    child.wait_with_output().expect("tlsgen runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Fail (never skip) when a program an end-to-end test needs is missing.
pub fn require_program(name: &str, package: &str) -> PathBuf {
    for dir in std::env::var("PATH").unwrap_or_default().split(':') {
        let p = Path::new(dir).join(name);
        if p.is_file() {
            return p;
        }
    }
    panic!("`{name}` is not installed: install the Debian package `{package}` (scripts/test.sh does this)");
}
