//! Writes: never through a symlink planted in OUT (at the file or at any directory on the way),
//! `--check` writes nothing, a refused model creates nothing, and every write is atomic (a temp
//! file in the same directory renamed over the old one, so a reader sees the old file or the new).

mod common;

use std::path::Path;

use common::{repo_root, run_in, text};

fn setup() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_root().join("examples/cluster.yaml"),
        tmp.path().join("cluster.yaml"),
    )
    .unwrap();
    tmp
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            out.push(format!(
                "{} {}",
                p.strip_prefix(dir).unwrap().display(),
                std::fs::read(&p).map(|b| b.len()).unwrap_or(0)
            ));
            if meta.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
#[test]
fn render_never_writes_through_a_symlinked_host_directory() {
    let tmp = setup();
    let dir = tmp.path();
    let victim = dir.join("victim");
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::create_dir_all(&victim).unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("out/server1")).unwrap();
    let out = run_in(dir, &["render", "cluster.yaml", "--out", "out"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is a symlink inside the output directory"),
        "{stderr}"
    );
    assert!(
        listing(&victim).is_empty(),
        "wrote through the link: {:?}",
        listing(&victim)
    );
    // Nothing else was written either: the refusal comes before any write.
    let written: Vec<_> = listing(&dir.join("out"));
    assert_eq!(written, ["server1 0"], "{written:?}");
}

#[cfg(unix)]
#[test]
fn render_never_writes_through_a_symlink_deeper_in_out() {
    let tmp = setup();
    let dir = tmp.path();
    assert!(run_in(dir, &["render", "cluster.yaml", "--out", "out"])
        .status
        .success());
    let victim = dir.join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    let etc = dir.join("out/server2/etc");
    std::fs::rename(&etc, dir.join("moved")).unwrap();
    std::os::unix::fs::symlink(&victim, &etc).unwrap();
    let out = run_in(dir, &["render", "cluster.yaml", "--out", "out", "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(listing(&victim).is_empty());
    // And a symlink at the file itself.
    std::fs::remove_file(&etc).unwrap();
    std::fs::rename(dir.join("moved"), &etc).unwrap();
    let file = etc.join("systemd/system/etcd-member.service.d/30-certs.conf");
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(victim.join("x"), &file).unwrap();
    let out = run_in(dir, &["render", "cluster.yaml", "--out", "out", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!victim.join("x").exists());
}

#[test]
fn check_and_refusals_write_nothing() {
    let tmp = setup();
    let dir = tmp.path();
    let out = run_in(dir, &["render", "cluster.yaml", "--out", "out", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(!dir.join("out").exists(), "--check created OUT");
    std::fs::write(
        dir.join("bad.yaml"),
        std::fs::read_to_string(dir.join("cluster.yaml"))
            .unwrap()
            .replace("name: server2", "name: \"../../x\""),
    )
    .unwrap();
    let out = run_in(dir, &["render", "bad.yaml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("out").exists(), "a refused model created OUT");
    assert!(run_in(dir, &["render", "cluster.yaml", "--out", "out"])
        .status
        .success());
    let before = listing(&dir.join("out"));
    std::fs::write(
        dir.join("changed.yaml"),
        std::fs::read_to_string(dir.join("cluster.yaml"))
            .unwrap()
            .replace("client_port: 2379", "client_port: 2479"),
    )
    .unwrap();
    let out = run_in(dir, &["render", "changed.yaml", "--out", "out", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("2479"),
        "the diff shows the change"
    );
    assert_eq!(listing(&dir.join("out")), before, "--check wrote");
}

/// A reader racing a render sees every file whole: the old content or the new, never a mix or an
/// empty file, and no temporary file is left behind.
#[test]
fn writes_are_atomic_for_a_concurrent_reader() {
    let tmp = setup();
    let dir = tmp.path();
    let path = dir.join("out/f.conf");
    let old = "old\n".repeat(50_000);
    let new = "new\n".repeat(60_000);
    tlsgen::render::output::write_atomic(&path, old.as_bytes(), 0o644).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (path, stop, old, new) = (path.clone(), stop.clone(), old.clone(), new.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && reads < 100_000 {
                let got = std::fs::read_to_string(&path).unwrap();
                assert!(
                    got == old || got == new,
                    "a torn read of {} bytes",
                    got.len()
                );
                reads += 1;
            }
            reads
        })
    };
    for i in 0..50 {
        let content = if i % 2 == 0 { &new } else { &old };
        tlsgen::render::output::write_atomic(&path, content.as_bytes(), 0o644).unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let reads = reader.join().unwrap();
    assert!(reads > 0);
    let names: Vec<_> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["f.conf"], "a temporary file was left behind");
}
