//! The repository's `.pre-commit-hooks.yaml` with the real `pre-commit`: in a temporary git
//! repository, a commit holding a bad telegraf.conf fails with the finding printed; a clean one
//! passes. The hook is built from this checkout's HEAD (`language: rust`), in a cache under
//! `target/` so the release build (minutes) happens once.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=tlsgen test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env(
            "PRE_COMMIT_HOME",
            common::repo_root().join("target/pre-commit-cache"),
        )
        .output()
        .expect("git runs")
}

#[test]
fn pre_commit_hook_blocks_a_bad_telegraf_conf_and_passes_a_clean_one() {
    let pre_commit = common::require_program("pre-commit", "pre-commit (pip install pre-commit)");
    common::require_program("git", "git");
    let root = common::repo_root();
    let head = git(&root, &["rev-parse", "HEAD"]);
    let sha = common::text(&head.stdout).trim().to_string();
    assert_eq!(
        sha.len(),
        40,
        "HEAD of the checkout: {}",
        common::text(&head.stderr)
    );

    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    assert!(git(repo, &["init", "-q"]).status.success());
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {sha}\n    hooks:\n      - id: tlsgen-lint\n",
            root.display()
        ),
    )
    .unwrap();
    let install = Command::new(&pre_commit)
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", root.join("target/pre-commit-cache"))
        .args(["install"])
        .output()
        .unwrap();
    assert!(
        install.status.success(),
        "{}",
        common::text(&install.stderr)
    );

    std::fs::create_dir_all(repo.join("telegraf")).unwrap();
    std::fs::write(
        repo.join("telegraf/telegraf.conf"),
        "[[outputs.influxdb]]\n  urls = [\"http://influxdb.example.com:8086\"]\n  database = \"telegraf\"\n",
    )
    .unwrap();
    assert!(git(repo, &["add", "."]).status.success());
    let bad = git(repo, &["commit", "-q", "-m", "bad"]);
    let output = format!("{}{}", common::text(&bad.stdout), common::text(&bad.stderr));
    assert!(
        !bad.status.success(),
        "the commit of a bad telegraf.conf passed:\n{output}"
    );
    assert!(
        output.contains("TGF001") && output.contains("telegraf/telegraf.conf"),
        "{output}"
    );

    std::fs::write(
        repo.join("telegraf/telegraf.conf"),
        "[[outputs.influxdb]]\n  urls = [\"https://influxdb.example.com:8086\"]\n  tls_ca = \"/etc/telegraf/ca.pem\"\n",
    )
    .unwrap();
    assert!(git(repo, &["add", "."]).status.success());
    let good = git(repo, &["commit", "-q", "-m", "good"]);
    assert!(
        good.status.success(),
        "{}{}",
        common::text(&good.stdout),
        common::text(&good.stderr)
    );
}
