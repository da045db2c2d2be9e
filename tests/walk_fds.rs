//! A tree nested deeper than the limit of open files: `lint::walk` holds each level's directory
//! open while it reads the one below, runs out of descriptors and leaves the tree to the
//! `ignore` crate's walk, which finds every file. Alone in its test binary: it lowers the
//! process's limit of open files.

#![cfg(all(target_os = "linux", target_env = "gnu"))]
// An exception to `unsafe_code = "deny"` (Cargo.toml): the test lowers the process's limit of
// open files with `setrlimit` (no safe binding in std), alone in its test binary. It goes with
// `src/lint/walk.rs`, which the walk through `ignore` alone replaces (issue 18).
#![allow(unsafe_code)]

use std::path::PathBuf;

#[test]
fn a_tree_deeper_than_the_open_files_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().to_path_buf();
    let mut want: Vec<PathBuf> = Vec::new();
    // Each level holds a second directory: the level stays open until both were read.
    for i in 0..300 {
        std::fs::create_dir(deep.join("e")).unwrap();
        deep.push("d");
        std::fs::create_dir(&deep).unwrap();
        if i % 100 == 99 {
            std::fs::write(deep.join("influxdb.conf"), "[http]\n").unwrap();
            want.push(deep.join("influxdb.conf"));
        }
    }
    want.sort();
    let mut old = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` and `setrlimit` read and write the process's limit through a valid
    // pointer; nothing else in this test binary opens files meanwhile.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut old), 0);
        let low = libc::rlimit {
            rlim_cur: 64,
            rlim_max: old.rlim_max,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &low), 0);
    }
    let got = tlsgen::lint::discover::discover(&[dir.path().to_path_buf()]);
    // SAFETY: as above.
    unsafe {
        libc::setrlimit(libc::RLIMIT_NOFILE, &old);
    }
    let got: Vec<PathBuf> = got.unwrap().into_iter().map(|c| c.path).collect();
    assert_eq!(got, want);
}
