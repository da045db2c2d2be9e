//! Every invalid model in `tests/models/invalid/` is rejected with one diagnostic that names its
//! code, points at the exact offending text (file:line:col and a label) and carries a help line;
//! the CLI prints the same text, exits 2 and creates nothing.

mod common;

use std::path::Path;

use tlsgen::diag::{render_plain, Problem};
use tlsgen::model;

/// (file, code, line, exact text under the label) of the first problem of each invalid model.
const CASES: &[(&str, &str, usize, &str)] = &[
    (
        "duplicate-address",
        "model::duplicate-address",
        8,
        "10.0.0.11",
    ),
    ("duplicate-key", "model::duplicate-key", 8, "client_port"),
    (
        "duplicate-member-id",
        "model::member-id",
        8,
        "2428639343C1BAAB",
    ),
    ("duplicate-name", "model::duplicate-name", 8, "server1"),
    (
        "duplicate-name-proxy",
        "model::duplicate-name",
        10,
        "server1",
    ),
    ("empty-members", "model::members", 6, "members"),
    ("inject-backslash", "model::unsafe-value", 9, r"'client\\1'"),
    ("inject-dollar", "model::unsafe-value", 7, "$ETCD_OPTS"),
    (
        "inject-newline",
        "model::unsafe-value",
        7,
        r#""server1\nExecStartPre=/bin/sh""#,
    ),
    ("inject-percent", "model::unsafe-value", 5, "ca-%m.pem"),
    (
        "inject-quote",
        "model::unsafe-value",
        5,
        r#"'/etc/ssl/etcd" ETCD_AUTO_TLS=true'"#,
    ),
    (
        "invalid-hostname",
        "model::address",
        7,
        "etcd_1.example.com",
    ),
    ("invalid-ip", "model::address", 7, "10.0.0.256"),
    (
        "malformed-member-id",
        "model::member-id",
        7,
        "2428639343c1baaz",
    ),
    ("missing-field", "model::missing-field", 7, "name"),
    ("name-dotdot", "model::path", 9, r#""..""#),
    ("name-not-dns-label", "model::name", 7, "Server_1"),
    ("name-slash", "model::path", 7, "etc/passwd"),
    ("port-70000", "model::port", 6, "70000"),
    ("port-collision", "model::port-collision", 7, "2379"),
    ("port-zero", "model::port", 7, "0"),
    ("relative-pki-dir", "model::path", 5, "etc/ssl/etcd"),
    (
        "unknown-field",
        "model::unknown-field",
        6,
        "client_cert_atuh",
    ),
    ("unknown-release", "model::type", 5, r#""3.5""#),
    ("unsupported-version", "model::version", 3, "2"),
    ("wrong-type-bool", "model::type", 6, "yes"),
    ("yaml-syntax", "model::syntax", 8, "{"),
];

fn rel(name: &str) -> String {
    format!("tests/models/invalid/{name}.yaml")
}

fn problems_of(name: &str) -> Vec<Problem> {
    let rel = rel(name);
    let text = std::fs::read_to_string(common::repo_root().join(&rel)).expect("model exists");
    match model::load_str(&rel, &text) {
        Ok(_) => panic!("{rel} should be rejected"),
        Err(problems) => problems,
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

#[test]
fn every_invalid_model_has_an_expectation() {
    let dir = common::repo_root().join("tests/models/invalid");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.0.to_string()).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "CASES and tests/models/invalid/*.yaml disagree"
    );
    for f in &files {
        let text = std::fs::read_to_string(dir.join(format!("{f}.yaml"))).unwrap();
        assert!(
            text.starts_with(
                "# yaml-language-server: $schema=../../../schemas/cluster.schema.json\n"
            ),
            "{f}.yaml names the schema on its first line"
        );
    }
}

#[test]
fn each_invalid_model_points_at_the_exact_value_with_a_label_and_help() {
    for &(name, code, line, span_text) in CASES {
        let problems = problems_of(name);
        assert_eq!(
            problems.len(),
            1,
            "{name}: one problem, one diagnostic:\n{}",
            render_plain(&problems)
        );
        let p = &problems[0];
        assert!(p.is_error(), "{name}");
        assert_eq!(p.code, code, "{name}");
        assert!(!p.label.is_empty(), "{name}: has a label");
        assert!(!p.help.is_empty(), "{name}: has a help line");
        let (offset, len) = p.span.unwrap_or_else(|| panic!("{name}: has a span"));
        let source = p.source.as_ref().expect("has a source");
        assert_eq!(
            &source.text[offset..offset + len],
            span_text,
            "{name}: label text"
        );
        assert_eq!(line_of(&source.text, offset), line, "{name}: line");
        let rendered = render_plain(&problems);
        assert!(
            rendered.contains(&format!("[{}:{line}:", rel(name))),
            "{name}: shows file:line:col\n{rendered}"
        );
        assert!(
            rendered.contains("help: "),
            "{name}: shows the help\n{rendered}"
        );
    }
}

#[test]
fn error_output_matches_snapshots() {
    for &(name, ..) in CASES {
        let rendered = render_plain(&problems_of(name));
        common::insta_settings().bind(|| {
            insta::assert_snapshot!(format!("model_error__{name}"), rendered);
        });
    }
}

#[test]
fn cli_prints_the_same_diagnostic_exits_2_and_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    for &(name, ..) in CASES {
        let out = tmp.path().join(name);
        let output = common::tlsgen()
            .current_dir(common::repo_root())
            .args(["render", &rel(name), "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(output.stdout.is_empty(), "{name}: nothing on stdout");
        assert_eq!(
            common::text(&output.stderr),
            render_plain(&problems_of(name)),
            "{name}: the CLI prints what render_plain draws"
        );
        assert!(!Path::new(&out).exists(), "{name}: no output directory");
    }
}
