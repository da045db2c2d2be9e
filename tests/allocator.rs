//! How the binary starts on Linux with glibc: its allocator (`src/main.rs`: jemalloc with its
//! compiled-in options, except for a `lint` of a few files, which allocates with the C
//! library's malloc) and its link (`build.rs`).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::Path;
use std::process::Command;

const POD: &str = "tests/fixtures/etcd/ETCD002_client-cert-missing/pass/etcd.yaml";

fn tlsgen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tlsgen"))
}

/// jemalloc prints each option it reads with `confirm_conf`; the environment adds it, the
/// binary's `malloc_conf` string must still be read.
#[test]
fn jemalloc_reads_the_compiled_in_options() {
    let out = tlsgen()
        .arg("--version")
        .env("_RJEM_MALLOC_CONF", "confirm_conf:true")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("\"narenas:2,dirty_decay_ms:100,muzzy_decay_ms:0\""),
        "{stderr}"
    );
    for option in ["narenas:2", "dirty_decay_ms:100", "muzzy_decay_ms:0"] {
        assert!(
            stderr.contains(&format!("-- Set conf value: {option}\n")),
            "{option} not set:\n{stderr}"
        );
    }
}

/// The allocations of `tlsgen lint ARGS` that went through the C library's malloc, as valgrind
/// counts them (it replaces glibc's malloc, not jemalloc). Memory errors fail the test, so
/// memory freed by the other allocator than the one that gave it would too.
fn c_library_allocations(args: &[&Path]) -> u64 {
    let out = Command::new("valgrind")
        .args(["--error-exitcode=99", "--"])
        .arg(env!("CARGO_BIN_EXE_tlsgen"))
        .args(["lint", "--format", "short"])
        .args(args)
        .output()
        .expect("valgrind is needed (scripts/test.sh installs it)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(99), "memory errors:\n{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("total heap usage:"))
        .unwrap_or_else(|| panic!("no heap summary:\n{stderr}"));
    let count = line.split("total heap usage:").nth(1).unwrap();
    let count = count.split_whitespace().next().unwrap().replace(',', "");
    count.parse().unwrap()
}

#[test]
fn a_lint_of_a_few_files_allocates_with_the_c_library_and_a_directory_with_jemalloc() {
    let dir = tempfile::tempdir().unwrap();
    let pod = dir.path().join("etcd.yaml");
    std::fs::copy(POD, &pod).unwrap();
    let one_file = c_library_allocations(&[&pod]);
    let directory = c_library_allocations(&[dir.path()]);
    // One file: the whole run (arguments, the file, its findings) goes through glibc.
    assert!(
        one_file > 200,
        "{one_file} allocations through glibc for one file"
    );
    // A directory: jemalloc; what is left is glibc's own (stdio, locale), a handful.
    assert!(
        directory < 30,
        "{directory} allocations through glibc for a directory"
    );
}

/// `build.rs` links the binary without PIE (57 fewer page faults at start-up): the ELF header's
/// type is `ET_EXEC` (2), not `ET_DYN` (3).
#[test]
fn the_binary_is_linked_position_dependent() {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_tlsgen")).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF");
    let e_type = u16::from_le_bytes([bytes[16], bytes[17]]);
    assert_eq!(
        e_type, 2,
        "ELF type {e_type}: built as a position-independent executable"
    );
}
