//! One fixture through every `--format`, SARIF validated against the OASIS schema, stdin,
//! rule selection, tlsgen.toml, exit codes, `tlsgen rule` and `tlsgen rules`.

mod common;

use std::io::Write;
use std::process::Stdio;

const CASE: &str = "tests/fixtures/etcd/ETCD009_plaintext-peer-url/fail";

fn lint(args: &[&str]) -> std::process::Output {
    let mut all = vec!["lint"];
    all.extend_from_slice(args);
    common::run_in(&common::repo_root(), &all)
}

#[test]
fn one_fixture_through_every_format() {
    for format in ["human", "short", "json", "sarif", "github"] {
        let out = lint(&["--format", format, CASE]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(
            common::text(&out.stderr).is_empty(),
            "{format} wrote to stderr: {}",
            common::text(&out.stderr)
        );
        let stdout = common::text(&out.stdout);
        if format == "json" || format == "sarif" {
            serde_json::from_str::<serde_json::Value>(&stdout)
                .unwrap_or_else(|e| panic!("{format}: {e}"));
        }
        common::insta_settings()
            .bind(|| insta::assert_snapshot!(format!("lint_format_{format}"), stdout));
    }
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let checker = common::require_program(
        "check-jsonschema",
        "check-jsonschema (pip install check-jsonschema)",
    );
    let dir = tempfile::tempdir().unwrap();
    for (name, case) in [
        ("findings", CASE),
        (
            "clean",
            "tests/fixtures/etcd/ETCD009_plaintext-peer-url/pass",
        ),
    ] {
        let out = lint(&["--format", "sarif", case]);
        let path = dir.path().join(format!("{name}.sarif"));
        std::fs::write(&path, &out.stdout).unwrap();
        let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), tlsgen::lint::registry::RULES.len());
        assert!(rules.iter().all(|r| r["fullDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
            && r["helpUri"].is_string()));
        let check = std::process::Command::new(&checker)
            .arg("--schemafile")
            .arg(common::repo_root().join("schemas/sarif-schema-2.1.0.json"))
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{name}: {}{}",
            common::text(&check.stdout),
            common::text(&check.stderr)
        );
    }
}

#[test]
fn stdin_is_linted_under_its_stdin_filename() {
    let mut child = common::tlsgen()
        .current_dir(common::repo_root())
        .args([
            "lint",
            "--format",
            "short",
            "--stdin-filename",
            "conf/telegraf.conf",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"[[outputs.influxdb]]\n  urls = [\"http://10.1.1.1:8086\"]\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::text(&out.stdout), "conf/telegraf.conf:2:11: TGF001 `http://10.1.1.1:8086` sends metrics and credentials in plaintext\n");
}

#[test]
fn select_ignore_fail_on_and_config_file_decide_findings_and_exit_code() {
    let codes = |out: &std::process::Output| -> Vec<String> {
        let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        v.iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let all = lint(&["--format", "json", CASE]);
    assert_eq!(codes(&all), ["ETCD009", "ETCD009", "ETCD009", "ETCD010"]);
    let only = lint(&["--format", "json", "--select", "plaintext-peer-url", CASE]);
    assert_eq!(codes(&only), ["ETCD009", "ETCD009", "ETCD009"]);
    let ignored = lint(&["--format", "json", "--ignore", "ETCD009,ETCD010", CASE]);
    assert_eq!(codes(&ignored), Vec::<String>::new());
    assert_eq!(ignored.status.code(), Some(0));
    let never = lint(&["--format", "json", "--fail-on", "never", CASE]);
    assert_eq!(never.status.code(), Some(0));
    let unknown = lint(&["--select", "ETCD999", CASE]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(common::text(&unknown.stderr).contains("is not a rule code"));

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("etcd-member.service.d");
    std::fs::create_dir_all(&d).unwrap();
    for f in ["20-clct-etcd-member.conf", "30-certs.conf"] {
        std::fs::copy(
            common::repo_root()
                .join(CASE)
                .join("etcd-member.service.d")
                .join(f),
            d.join(f),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("tlsgen.toml"),
        "[lint]\nignore = [\"tls-scheme-mismatch\"]\n[lint.severity]\nETCD009 = \"info\"\n",
    )
    .unwrap();
    let nested = dir.path().join("sub");
    std::fs::create_dir_all(&nested).unwrap();
    let out = common::run_in(&nested, &["lint", "--format", "json", ".."]);
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v.iter()
            .all(|f| f["code"] == "ETCD009" && f["severity"] == "info"),
        "{v:?}"
    );
    assert!(!v.is_empty());
    assert_eq!(out.status.code(), Some(0), "infos never fail by default");
    std::fs::write(
        dir.path().join("tlsgen.toml"),
        "[lint]\nselect = [\"NOPE1\"]\n",
    )
    .unwrap();
    let bad = common::run_in(&nested, &["lint", ".."]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        common::text(&bad.stderr).contains("tlsgen.toml"),
        "{}",
        common::text(&bad.stderr)
    );
}

#[test]
fn named_file_of_unknown_kind_gets_a_note_and_missing_path_is_a_finding() {
    let out = lint(&["README.md"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(common::text(&out.stderr).contains("README.md: skipped"));
    // A missing path is a TLSGEN004 finding (tests/walk_behaviour.rs), not an aborted run.
    let missing = lint(&["does/not/exist.conf"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(common::text(&missing.stdout).contains("TLSGEN004"));
}

#[test]
fn rule_prints_its_doc_and_rules_lists_every_rule() {
    let by_code = common::run_in(&common::repo_root(), &["rule", "ETCD003"]);
    let by_name = common::run_in(&common::repo_root(), &["rule", "client-cert-auth-disabled"]);
    assert_eq!(by_code.stdout, by_name.stdout);
    let doc = common::text(&by_code.stdout);
    assert!(doc.contains("## What it does") && doc.contains("CVE-2023-44487"));
    let list = common::run_in(&common::repo_root(), &["rules", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows.len(), tlsgen::lint::registry::RULES.len());
    let table = common::text(&common::run_in(&common::repo_root(), &["rules"]).stdout);
    common::insta_settings().bind(|| insta::assert_snapshot!("lint_rules_table", table));
    let unknown = common::run_in(&common::repo_root(), &["rule", "ETCD0003"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(common::text(&unknown.stderr).contains("did you mean"));
}
