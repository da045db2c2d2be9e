//! How the binary meets its input and output: a reader that closes the pipe early, an output
//! directory that is a file, a finding on a line of megabytes, a missing path in human output.

mod common;

use std::process::Stdio;

/// `tlsgen … | head -c1`: the reader goes away; the command ends quietly (no panic, nothing on
/// stderr, its usual exit code). The reader's end is closed before the child writes, so every
/// write meets a closed pipe; repeated, as pipes are racy.
#[test]
fn closed_pipes_end_quietly() {
    let root = common::repo_root();
    let fixture = "tests/fixtures/etcd/ETCD003_client-cert-auth-disabled/fail";
    let commands: &[(&[&str], i32)] = &[
        (&["rules"], 0),
        (&["rules", "--format", "json"], 0),
        (&["rules", "--format", "markdown"], 0),
        (&["rule", "ETCD003"], 0),
        (&["rule", "client-cert-auth-disabled"], 0),
        (&["schema", "--stdout"], 0),
        (&["render", "examples/cluster.yaml", "--list"], 0),
        (
            &[
                "render",
                "examples/cluster.yaml",
                "--stdout",
                "--host",
                "server1",
                "--file",
                "30-certs.conf",
            ],
            0,
        ),
        (&["lint", "--format", "human", fixture], 1),
        (&["lint", "--format", "json", fixture], 1),
        (&["lint", "--format", "sarif", fixture], 1),
    ];
    for (args, code) in commands {
        for _ in 0..4 {
            let mut child = common::tlsgen()
                .current_dir(&root)
                .args(*args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            drop(child.stdout.take());
            let out = child.wait_with_output().unwrap();
            let stderr = common::text(&out.stderr);
            assert_eq!(out.status.code(), Some(*code), "{args:?}: {stderr}");
            assert_eq!(stderr, "", "{args:?}");
        }
    }
    // The same through a shell pipe, as a user types it.
    let out = std::process::Command::new("bash")
        .args([
            "-c",
            r#"for i in 1 2 3 4 5; do "$0" rules | head -1 >/dev/null; echo "${PIPESTATUS[0]}"; done"#,
            env!("CARGO_BIN_EXE_tlsgen"),
        ])
        .output()
        .unwrap();
    assert_eq!(common::text(&out.stdout), "0\n0\n0\n0\n0\n");
    assert_eq!(common::text(&out.stderr), "");
}

/// `render -o FILE`: one error, not one per artifact.
#[test]
fn render_into_a_file_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out");
    std::fs::write(&file, "x").unwrap();
    let model = common::repo_root().join("examples/cluster.yaml");
    for out in [file.clone(), file.join("below")] {
        let run = common::tlsgen()
            .arg("render")
            .arg(&model)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = common::text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert_eq!(
            stderr.matches("render::out-not-a-directory").count(),
            1,
            "{stderr}"
        );
        assert!(!stderr.contains("Not a directory"), "{stderr}");
        // miette wraps long messages: `\n  │ ` inside one.
        let message = stderr.replace("\n  │ ", " ");
        assert!(message.contains("is not a directory"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    }
}

/// A parse error past column 65,535 (a line of 2 MB): human output shows a window of the line,
/// with the file's line and column in its header, as JSON reports them (miette panicked on it).
#[test]
fn a_finding_on_a_line_of_megabytes() {
    let dir = tempfile::tempdir().unwrap();
    let long = "a".repeat(2 << 20);
    std::fs::write(
        dir.path().join("telegraf.conf"),
        format!("[agent]\nhostname = \"{long}\" junk\n"),
    )
    .unwrap();
    let json = common::run_in(dir.path(), &["lint", "--format", "json", "telegraf.conf"]);
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    let (line, column) = (
        findings[0]["line"].as_u64().unwrap(),
        findings[0]["column"].as_u64().unwrap(),
    );
    assert_eq!(line, 2);
    assert!(column > 2 << 20, "{column}");
    let human = common::run_in(dir.path(), &["lint", "telegraf.conf"]);
    let stdout = common::text(&human.stdout);
    let stderr = common::text(&human.stderr);
    assert_eq!(human.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stdout.contains(&format!("[telegraf.conf:{line}:{column}]")),
        "{stdout}"
    );
    assert!(stdout.contains("…aaaa"), "{stdout}");
    assert!(stdout.contains("\" junk"), "{stdout}");
    assert!(stdout.len() < 4_000, "{} bytes", stdout.len());
}

/// A missing path in human output: the finding, drawn without a quote to show.
#[test]
fn a_missing_path_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run_in(dir.path(), &["lint", "nope/etcd.conf.yml"]);
    let stdout = common::text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{}", common::text(&out.stderr));
    assert!(stdout.contains("TLSGEN004 io-error"), "{stdout}");
    assert!(stdout.contains("[nope/etcd.conf.yml:1:1]"), "{stdout}");
    assert!(
        stdout.contains("cannot read this path: no such file or directory"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 finding (1 error, 0 warnings, 0 infos) in 0 files"),
        "{stdout}"
    );
}
