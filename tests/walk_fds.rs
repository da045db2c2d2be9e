//! A tree nested deeper than the limit of open files is walked whole: the `ignore` crate's walk
//! holds no directory open while it reads the ones below. The binary runs with a limit of 64
//! open files (`ulimit -n` in the shell that starts it).

#![cfg(unix)]

mod common;

use std::collections::BTreeSet;

#[test]
fn a_tree_deeper_than_the_open_files_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().to_path_buf();
    let mut want = BTreeSet::new();
    // Each level holds a second directory: a walk that kept a level open until both were read
    // would run out of descriptors.
    for i in 0..300 {
        std::fs::create_dir(deep.join("e")).unwrap();
        deep.push("d");
        std::fs::create_dir(&deep).unwrap();
        if i % 100 == 99 {
            std::fs::write(deep.join("influxdb.conf"), "[http]\n").unwrap();
            want.insert(deep.join("influxdb.conf").to_string_lossy().into_owned());
        }
    }
    let out = std::process::Command::new("bash")
        .args([
            "-c",
            r#"ulimit -n 64 && exec "$0" lint --format json "$1""#,
            env!("CARGO_BIN_EXE_tlsgen"),
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let got: BTreeSet<String> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, want, "{stderr}");
}
