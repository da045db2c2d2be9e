//! `tlsgen lint`'s directory walk (on Linux its own, `src/lint/walk.rs`) finds the files the
//! `ignore` crate's walk finds, with `.gitignore`, `.ignore`, `.git/info/exclude`, the ignore
//! files of the root's parent directories and hidden entries: on generated trees and on a few
//! fixed ones (a tree large enough for the thread pool, a worktree's `.git` file, symbolic
//! links).

#![cfg(unix)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;

#[path = "support/proptest_config.rs"]
mod proptest_config;
use proptest_config::config;

/// The files `ignore::WalkBuilder` finds under `root` with tlsgen's settings, or `Err` if the
/// walk met an error (a bad glob in an ignore file).
fn reference(root: &Path) -> Result<Vec<PathBuf>, ()> {
    let mut files = Vec::new();
    let mut failed = false;
    for entry in ignore::WalkBuilder::new(root).require_git(false).build() {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                files.push(e.path().to_path_buf());
            }
            Ok(_) => {}
            Err(_) => failed = true,
        }
    }
    files.sort();
    if failed {
        Err(())
    } else {
        Ok(files)
    }
}

/// The files tlsgen's discovery finds under `root`.
fn tlsgen(root: &Path) -> Result<Vec<PathBuf>, ()> {
    tlsgen::lint::discover::discover(&[root.to_path_buf()])
        .map(|c| c.into_iter().map(|c| c.path).collect())
        .map_err(|_| ())
}

fn agree(root: &Path) -> Result<Vec<PathBuf>, ()> {
    let want = reference(root);
    let got = tlsgen(root);
    assert_eq!(got, want, "tree at {}", root.display());
    got
}

const DIRS: &[&str] = &["a", "b", ".h", "c d", "x.bak", "d"];
const FILES: &[&str] = &["f.conf", "g.yaml", ".hidden", "k.bak", "a", "x"];
const PATTERNS: &[&str] = &[
    "*.bak",
    "!k.bak",
    "a/",
    "/b",
    "b",
    ".h",
    "!.h",
    "!.hidden",
    "c*",
    "**/g.yaml",
    "!g.yaml",
    "a/**",
    "# a comment",
    "",
    "/a/b/",
    "*",
    "!*/",
    "!f.conf",
    "d/f.conf",
    "x?",
    ".*",
    "[",
];

/// Where an ignore file goes: 0 the root's parent, 1 the root, 2.. a generated directory.
#[derive(Debug, Clone)]
struct IgnoreFile {
    at: usize,
    name: &'static str,
    lines: Vec<&'static str>,
}

#[derive(Debug, Clone)]
struct Tree {
    dirs: Vec<Vec<&'static str>>,
    files: Vec<(usize, &'static str)>,
    ignores: Vec<IgnoreFile>,
}

fn tree() -> impl Strategy<Value = Tree> {
    let dir = prop::collection::vec(prop::sample::select(DIRS), 1..4);
    (
        prop::collection::vec(dir, 0..8),
        prop::collection::vec((0usize..10, prop::sample::select(FILES)), 0..24),
        prop::collection::vec(
            (
                0usize..10,
                prop::sample::select(&[".gitignore", ".ignore", ".git/info/exclude"][..]),
                prop::collection::vec(prop::sample::select(PATTERNS), 1..4),
            )
                .prop_map(|(at, name, lines)| IgnoreFile { at, name, lines }),
            0..4,
        ),
    )
        .prop_map(|(dirs, files, ignores)| Tree {
            dirs,
            files,
            ignores,
        })
}

/// Write `tree` under a new directory; returns it and the root to walk (`outer/root`).
fn write(tree: &Tree) -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("root");
    std::fs::create_dir_all(&root).unwrap();
    // 0: the parent, 1: the root, then every generated directory.
    let mut places = vec![outer.path().to_path_buf(), root.clone()];
    for d in &tree.dirs {
        let p = d.iter().fold(root.clone(), |p, c| p.join(c));
        std::fs::create_dir_all(&p).unwrap();
        places.push(p);
    }
    for &(at, name) in &tree.files {
        let dir = &places[1 + at % (places.len() - 1)];
        if !dir.join(name).exists() {
            std::fs::write(dir.join(name), "x").unwrap();
        }
    }
    for ig in &tree.ignores {
        let path = places[ig.at % places.len()].join(ig.name);
        if path.is_dir() {
            continue;
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, ig.lines.join("\n") + "\n").unwrap();
    }
    (outer, root)
}

proptest! {
    #![proptest_config(config(256, 0x3a1c_d1f5))]

    #[test]
    fn generated_trees_walk_alike(t in tree()) {
        let (_dir, root) = write(&t);
        agree(&root).ok();
    }
}

/// More directories than the walk reads on the calling thread, with ignore files at three
/// depths: the thread pool's part of the walk honours them too.
#[test]
fn a_tree_for_the_thread_pool() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), "*.bak\nskip/\n").unwrap();
    for i in 0..150 {
        let d = root.join(format!("h{i:03}/etc"));
        std::fs::create_dir_all(d.join("skip")).unwrap();
        std::fs::write(d.join("influxdb.conf"), "[http]\n").unwrap();
        std::fs::write(d.join("old.bak"), "x").unwrap();
        std::fs::write(d.join("skip/telegraf.conf"), "x").unwrap();
        if i % 10 == 0 {
            std::fs::write(d.join(".ignore"), "influxdb.conf\n").unwrap();
            std::fs::write(d.join("keep.bak"), "x").unwrap();
            std::fs::write(d.join(".gitignore"), "!keep.bak\n").unwrap();
        }
    }
    let files = agree(root).unwrap();
    assert_eq!(files.len(), 135 + 15, "{files:#?}");
}

/// A `.git` file (a worktree, a submodule) sends the walk to the `ignore` crate: still alike.
#[test]
fn a_worktree_git_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("w/etc")).unwrap();
    std::fs::write(
        root.join("w/.git"),
        "gitdir: /nonexistent/.git/worktrees/w\n",
    )
    .unwrap();
    std::fs::write(root.join("w/.gitignore"), "*.bak\n").unwrap();
    std::fs::write(root.join("w/etc/influxdb.conf"), "[http]\n").unwrap();
    std::fs::write(root.join("w/etc/old.bak"), "x").unwrap();
    let files = agree(root).unwrap();
    assert_eq!(files, [root.join("w/etc/influxdb.conf")]);
}

/// A root given as a symbolic link is walked; links below it are not followed.
#[test]
fn symbolic_links() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir_all(real.join("etc")).unwrap();
    std::fs::write(real.join("etc/influxdb.conf"), "[http]\n").unwrap();
    std::os::unix::fs::symlink(real.join("etc"), real.join("linked-dir")).unwrap();
    std::os::unix::fs::symlink(real.join("etc/influxdb.conf"), real.join("linked.conf")).unwrap();
    let files = agree(&real).unwrap();
    assert_eq!(files, [real.join("etc/influxdb.conf")]);
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert_eq!(tlsgen(&link).unwrap(), [link.join("etc/influxdb.conf")]);
}

/// A directory that cannot be read is an error of the walk, as it was with `ignore`.
#[test]
fn an_unreadable_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(locked.join("influxdb.conf"), "[http]\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read_dir(&locked).is_ok(); // root reads anything
    let got = tlsgen(dir.path());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if readable {
        assert_eq!(got.unwrap(), [locked.join("influxdb.conf")]);
    } else {
        assert!(got.is_err());
    }
}
