//! What a user sees of `tlsgen lint DIR`'s walk (the `ignore` crate's): `.gitignore`, `.ignore`
//! and `.git/info/exclude` honoured, also from the root's parent directories; hidden entries
//! skipped; symbolic links below the root not followed (the root itself may be one); the same
//! sorted list of files whatever the size of the tree; and a path that cannot be read is a
//! finding of its own (TLSGEN004) while the rest is linted.
//!
//! Unreadable files and directories are tested with the binary run as `nobody` (`setpriv`): root
//! reads a mode-000 file, so a test run as root would prove nothing.

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tlsgen::lint::discover::discover;

fn files(root: &Path) -> Vec<PathBuf> {
    let found = discover(&[root.to_path_buf()]);
    assert!(found.notes.is_empty(), "{:?}", found.notes);
    found
        .candidates
        .into_iter()
        .map(|c| {
            assert!(c.failure.is_none(), "{c:?}");
            c.path
        })
        .collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn ignore_files_and_hidden_entries_are_honoured() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("repo");
    // The parent's .gitignore applies below the root too.
    write(&outer.path().join(".gitignore"), "parent-ignored.conf\n");
    write(&root.join(".gitignore"), "*.bak\nbuild/\n!keep.bak\n");
    write(&root.join("etc/.ignore"), "local.conf\n");
    write(&root.join(".git/info/exclude"), "excluded/\n");
    for f in [
        "etc/influxdb.conf",
        "etc/old.bak",
        "etc/keep.bak",
        "etc/local.conf",
        "build/telegraf.conf",
        "excluded/telegraf.conf",
        ".hidden/telegraf.conf",
        "etc/.telegraf.conf",
        "parent-ignored.conf",
        "b/telegraf.conf",
    ] {
        write(&root.join(f), "[http]\n");
    }
    assert_eq!(
        files(&root),
        [
            root.join("b/telegraf.conf"),
            root.join("etc/influxdb.conf"),
            root.join("etc/keep.bak"),
        ]
    );
}

/// A root given as a symbolic link is walked; links below it are not followed.
#[test]
fn symbolic_links_below_the_root_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    write(&real.join("etc/influxdb.conf"), "[http]\n");
    std::os::unix::fs::symlink(real.join("etc"), real.join("linked-dir")).unwrap();
    std::os::unix::fs::symlink(real.join("etc/influxdb.conf"), real.join("linked.conf")).unwrap();
    assert_eq!(files(&real), [real.join("etc/influxdb.conf")]);
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert_eq!(files(&link), [link.join("etc/influxdb.conf")]);
}

/// A tree large enough for the parallel walk gives the same sorted list, run after run, and
/// the same as its parts walked one by one.
#[test]
fn the_order_is_sorted_and_the_same_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join(".gitignore"), "*.bak\n");
    for i in (0..400).rev() {
        write(&root.join(format!("h{i:03}/etc/influxdb.conf")), "[http]\n");
        write(&root.join(format!("h{i:03}/etc/old.bak")), "x");
    }
    let first = files(root);
    assert_eq!(first.len(), 400);
    assert!(first.windows(2).all(|w| w[0] < w[1]), "sorted");
    for _ in 0..3 {
        assert_eq!(files(root), first);
    }
    // Named one by one (and a duplicate): the same files, once each.
    let mut named: Vec<PathBuf> = (0..400).map(|i| root.join(format!("h{i:03}"))).collect();
    named.push(root.join("h007/etc/influxdb.conf"));
    let found = discover(&named).candidates;
    let paths: Vec<PathBuf> = found.iter().map(|c| c.path.clone()).collect();
    assert_eq!(paths, first);
    assert!(
        found
            .iter()
            .find(|c| c.path.ends_with("h007/etc/influxdb.conf"))
            .unwrap()
            .explicit
    );
}

/// Paths that fail for root too: a missing path and a path through a regular file are
/// findings, the rest of the run is linted, and no `--ignore` or `--select` removes them.
#[test]
fn missing_paths_are_findings_and_the_rest_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("etc/influxdb.conf"), "[http]\n");
    for extra in [
        &[][..],
        &["--ignore", "TLSGEN004"][..],
        &["--select", "INFLUX"][..],
    ] {
        let mut args = vec![
            "lint",
            "--format",
            "json",
            "missing.conf",
            "etc/influxdb.conf/x",
            "etc",
        ];
        args.extend_from_slice(extra);
        let out = common::run_in(dir.path(), &args);
        let stderr = common::text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let io: Vec<(&str, &str)> = findings
            .iter()
            .filter(|f| f["code"] == "TLSGEN004")
            .map(|f| (f["path"].as_str().unwrap(), f["message"].as_str().unwrap()))
            .collect();
        assert_eq!(io.len(), 2, "{args:?}: {io:?}");
        assert_eq!(io[0].0, "etc/influxdb.conf/x");
        assert!(
            io[0]
                .1
                .starts_with("cannot read this path: not a directory"),
            "{io:?}"
        );
        assert_eq!(io[1].0, "missing.conf");
        assert!(
            io[1].1.starts_with("cannot read this path: no such file"),
            "{io:?}"
        );
        for f in findings.iter().filter(|f| f["code"] == "TLSGEN004") {
            assert_eq!(f["severity"], "error");
            assert_eq!(
                (f["line"].as_u64(), f["column"].as_u64()),
                (Some(1), Some(1))
            );
        }
        // The readable file was linted.
        assert!(
            findings.iter().any(|f| f["path"] == "etc/influxdb.conf"),
            "{args:?}: {findings:?}"
        );
    }
}

/// A bad glob in an ignore file is a note on stderr, not an aborted run.
#[test]
fn a_bad_ignore_glob_is_a_note() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join(".ignore"), "[z-a]\n");
    write(&dir.path().join("etc/influxdb.conf"), "[http]\n");
    let out = common::run_in(dir.path(), &["lint", "--format", "short", "."]);
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("note: .ignore:"), "{stderr}");
    assert!(common::text(&out.stdout).contains("etc/influxdb.conf:"));
}

/// Run the test binary as `nobody` in a copy it may execute. Fails (never skips) without
/// `setpriv`.
fn as_nobody(dir: &Path, args: &[&str]) -> std::process::Output {
    let setpriv = common::require_program("setpriv", "util-linux");
    let bin = dir.join("tlsgen");
    if !bin.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_tlsgen"), &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::process::Command::new(setpriv)
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
        .arg(&bin)
        .args(args)
        .current_dir(dir.join("tree"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// As `nobody`: an unreadable directory and an unreadable file whose name says its kind are
/// findings; an unreadable file of no known kind (a key) is a note; everything else is linted.
#[test]
fn unreadable_files_and_directories_as_nobody() {
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o755);
    let tree = dir.path().join("tree");
    write(&tree.join("ok/influxdb.conf"), "[http]\n");
    write(&tree.join("locked/influxdb.conf"), "[http]\n");
    write(&tree.join("secret/influxdb.conf"), "[http]\n");
    write(&tree.join("pki/ca.key"), "not a key\n");
    write(&tree.join("pki/etcd.yaml"), "kind: Pod\n");
    for d in ["", "ok", "locked", "secret", "pki"] {
        chmod(&tree.join(d), 0o755);
    }
    for f in ["ok/influxdb.conf", "locked/influxdb.conf"] {
        chmod(&tree.join(f), 0o644);
    }
    chmod(&tree.join("locked"), 0o000);
    chmod(&tree.join("secret/influxdb.conf"), 0o600);
    chmod(&tree.join("pki/ca.key"), 0o600);
    chmod(&tree.join("pki/etcd.yaml"), 0o600);
    for args in [
        &["lint", "--format", "json", "."][..],
        &["lint", "--format", "json", "--ignore", "TLSGEN004", "."][..],
        &[
            "lint",
            "--format",
            "json",
            "ok",
            "locked",
            "secret/influxdb.conf",
            "pki/ca.key",
        ][..],
    ] {
        let out = as_nobody(dir.path(), args);
        let stderr = common::text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", common::text(&out.stdout)));
        let io: Vec<(&str, &str)> = findings
            .iter()
            .filter(|f| f["code"] == "TLSGEN004")
            .map(|f| (f["path"].as_str().unwrap(), f["message"].as_str().unwrap()))
            .collect();
        let locked = if args.contains(&".") {
            "./locked"
        } else {
            "locked"
        };
        assert_eq!(io.len(), 2, "{args:?}: {io:?}\n{stderr}");
        assert_eq!(io[0].0.trim_start_matches("./"), "locked");
        assert!(
            io[0]
                .1
                .starts_with("cannot read this directory: permission denied"),
            "{locked}: {io:?}"
        );
        assert_eq!(io[1].0, "secret/influxdb.conf");
        assert!(
            io[1].1.starts_with(
                "cannot read this file (influxdb-data by its name): permission denied"
            ),
            "{io:?}"
        );
        assert!(
            findings.iter().any(|f| f["path"] == "ok/influxdb.conf"),
            "the readable file was linted: {findings:?}"
        );
        // No finding for the key; a note when it was named (a walk skips such files quietly
        // only if their kind is unknown: then a note too, so the user knows it was not read).
        assert!(!findings.iter().any(|f| f["path"] == "pki/ca.key"));
        assert!(
            stderr.contains("pki/ca.key: skipped, cannot read it"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    chmod(&tree.join("locked"), 0o755);
}
