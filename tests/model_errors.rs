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

// ---- Model and messages (issue 17): every problem at once, words that fit the value ----

/// A small valid model the cases below break in one place each.
const BASE: &str = "version: 1\netcd:\n  release: \"3.x\"\n  members:\n    - { name: server1, address: 10.0.0.11 }\n";

fn rejected(text: &str) -> Vec<Problem> {
    match model::load_str("m.yaml", text) {
        Ok(_) => panic!("should be rejected:\n{text}"),
        Err(problems) => problems,
    }
}

/// The text under a problem's label.
fn under_label(p: &Problem) -> &str {
    let (offset, len) = p.span.unwrap_or_else(|| panic!("{} has a span", p.message));
    &p.source.as_ref().expect("has a source").text[offset..offset + len]
}

/// Run tlsgen `command` on `text` written to a temp model; (exit code, stderr, whether OUT exists).
fn run_cli(command: &str, text: &str) -> (Option<i32>, String, bool) {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("cluster.yaml");
    std::fs::write(&model, text).unwrap();
    let out = tmp.path().join("out");
    let o = common::tlsgen()
        .arg(command)
        .arg(&model)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    (o.status.code(), common::text(&o.stderr), out.exists())
}

#[test]
fn every_unknown_key_of_a_model_is_reported_in_one_run() {
    let text = "version: 1\npki:\n  dri: /etc/ssl/etcd\netcd:\n  release: \"3.x\"\n  clinet_port: 2379\n  members:\n    - { name: server1, address: 10.0.0.11, adress: x }\ntelegraph: {}\n";
    let problems = rejected(text);
    let keys: Vec<&str> = problems.iter().map(under_label).collect();
    assert_eq!(
        keys,
        ["dri", "clinet_port", "adress", "telegraph"],
        "{}",
        render_plain(&problems)
    );
    for p in &problems {
        assert!(p.is_error());
        assert_eq!(p.code, "model::unknown-field", "{}", p.message);
        assert!(!p.label.is_empty() && !p.help.is_empty(), "{}", p.message);
    }
    let (code, stderr, wrote) = run_cli("render", text);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(
        stderr.matches("model::unknown-field").count(),
        4,
        "{stderr}"
    );
    assert!(!wrote, "nothing written");
}

#[test]
fn unknown_keys_and_semantic_errors_are_reported_together() {
    let text = BASE
        .replace("  members:", "  clinet_port: 2379\n  members:")
        .replace("server1", "Server_1");
    let problems = rejected(&text);
    let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
    assert_eq!(
        codes,
        ["model::unknown-field", "model::name"],
        "{}",
        render_plain(&problems)
    );
}

#[test]
fn a_misplaced_key_is_sent_to_the_section_where_it_belongs() {
    let text = BASE.replace("10.0.0.11 }", "10.0.0.11, client_cert_auth: false }");
    let problems = rejected(&text);
    assert_eq!(problems.len(), 1, "{}", render_plain(&problems));
    let p = &problems[0];
    assert_eq!(under_label(p), "client_cert_auth");
    assert!(p.message.contains("belongs under `etcd:`"), "{}", p.message);
    assert!(p.help.contains("move it under `etcd:`"), "{}", p.help);
    assert!(!p.help.contains("client_port"), "{}", p.help);
    // A typo of a key of another level: the guess comes from where the key belongs.
    let text = BASE.replace("10.0.0.11 }", "10.0.0.11, client_cert_atuh: false }");
    let p = &rejected(&text)[0];
    assert!(
        p.help.contains("did you mean `client_cert_auth`"),
        "{}",
        p.help
    );
    assert!(p.help.contains("`etcd:`"), "{}", p.help);
    assert!(!p.help.contains("did you mean `client_port`"), "{}", p.help);
}

#[test]
fn a_boolean_where_a_port_belongs_is_called_a_boolean() {
    let text = BASE.replace("  members:", "  client_port: true\n  members:");
    let problems = rejected(&text);
    assert_eq!(problems.len(), 1, "{}", render_plain(&problems));
    let p = &problems[0];
    assert_eq!(
        p.message,
        "client_port: expected a port number (integer 1-65535), found a boolean"
    );
    assert_eq!(under_label(p), "true");
    assert!(!p.help.contains("version"), "{}", p.help);
    assert!(p.help.contains("2379"), "{}", p.help);
    // The same words for text and a list, at the value.
    for (value, found) in [("abc", "found text"), ("[1, 2]", "found a list")] {
        let text = BASE.replace("  members:", &format!("  peer_port: {value}\n  members:"));
        let p = &rejected(&text)[0];
        assert!(
            p.message
                .starts_with("peer_port: expected a port number (integer 1-65535)")
                && p.message.contains(found),
            "{}",
            p.message
        );
    }
}

#[test]
fn quoted_numbers_and_booleans_are_refused_at_the_value() {
    let text = BASE.replace(
        "  members:",
        "  client_port: \"2379\"\n  client_cert_auth: \"false\"\n  peer_client_cert_auth: 'true'\n  members:",
    );
    let problems = rejected(&text);
    let values: Vec<&str> = problems.iter().map(under_label).collect();
    assert_eq!(
        values,
        ["\"2379\"", "\"false\"", "'true'"],
        "{}",
        render_plain(&problems)
    );
    for p in &problems {
        assert_eq!(p.code, "model::type");
        assert!(p.message.contains("quoted"), "{}", p.message);
        assert!(p.help.contains("without quotes"), "{}", p.help);
    }
    assert!(
        problems[0].help.contains("client_port: 2379"),
        "{}",
        problems[0].help
    );
    assert!(
        problems[1].help.contains("client_cert_auth: false"),
        "{}",
        problems[1].help
    );
}

#[test]
fn the_schema_types_numbers_and_booleans_as_unquoted_values_only() {
    // The committed schema agrees with the loader: a number or a switch is never also a string,
    // so an editor flags `client_port: "2379"` as tlsgen does.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_root().join("schemas/cluster.schema.json")).unwrap(),
    )
    .unwrap();
    fn walk(v: &serde_json::Value, seen: &mut usize) {
        match v {
            serde_json::Value::Object(map) => {
                let types: Vec<&str> = match map.get("type") {
                    Some(serde_json::Value::String(t)) => vec![t.as_str()],
                    Some(serde_json::Value::Array(ts)) => {
                        ts.iter().filter_map(|t| t.as_str()).collect()
                    }
                    _ => vec![],
                };
                if types.iter().any(|t| matches!(*t, "integer" | "boolean")) {
                    *seen += 1;
                    assert!(!types.contains(&"string"), "{v}");
                }
                map.values().for_each(|v| walk(v, seen));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, seen)),
            _ => {}
        }
    }
    let mut seen = 0;
    walk(&schema, &mut seen);
    assert!(seen > 10, "the schema has ports and switches: {seen}");
    let etcd = &schema["definitions"]["Etcd"]["properties"];
    assert_eq!(etcd["client_cert_auth"]["type"], "boolean");
    assert_eq!(etcd["client_port"]["type"], "integer");
}

#[test]
fn an_empty_model_says_it_is_empty_and_how_a_model_starts() {
    for text in ["", "\n", "# a comment only\n\n", "---\n"] {
        let problems = rejected(text);
        assert_eq!(problems.len(), 1, "{text:?}: {}", render_plain(&problems));
        let p = &problems[0];
        assert_eq!(p.code, "model::empty", "{text:?}");
        assert!(p.message.contains("empty"), "{}", p.message);
        assert!(!p.message.contains("missing field"), "{}", p.message);
        assert!(p.help.contains("version: 1"), "{}", p.help);
    }
}

#[test]
fn a_model_without_any_target_is_an_error_for_render_and_certs() {
    let text = "version: 1\npki:\n  dir: /etc/ssl/etcd\n";
    for command in ["render", "certs"] {
        let (code, stderr, wrote) = run_cli(command, text);
        assert_eq!(code, Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains("describes no target"),
            "{command}: {stderr}"
        );
        assert!(
            stderr.contains("`etcd:`") && stderr.contains("`kubernetes:`"),
            "{stderr}"
        );
        assert!(!wrote, "{command}: nothing written");
    }
}

#[test]
fn ed25519_is_refused_for_etcd_2_and_a_warning_for_3() {
    let with_key = |release: &str| {
        BASE.replace("version: 1\n", "version: 1\npki:\n  key_type: ed25519\n")
            .replace("\"3.x\"", &format!("\"{release}\""))
    };
    for release in ["2.1", "2.2"] {
        let problems = rejected(&with_key(release));
        assert_eq!(problems.len(), 1, "{}", render_plain(&problems));
        assert_eq!(problems[0].code, "model::key-type");
        assert_eq!(under_label(&problems[0]), "ed25519");
        assert!(
            problems[0].message.contains(release),
            "{}",
            problems[0].message
        );
    }
    let loaded = model::load_str("m.yaml", &with_key("3.x")).expect("3.x loads");
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    let w = &loaded.warnings[0];
    assert_eq!(w.code, "model::key-type");
    let all = format!("{} {}", w.message, w.help);
    for needle in ["Go", "1.13", "3.4.0", "1.12.9"] {
        assert!(all.contains(needle), "{needle}: {all}");
    }
    for command in ["render", "certs"] {
        let (code, stderr, _) = run_cli(command, &with_key("3.x"));
        assert_eq!(code, Some(0), "{command}: {stderr}");
        assert!(stderr.contains("model::key-type"), "{command}: {stderr}");
    }
    // The default key type raises nothing.
    assert!(model::load_str("m.yaml", BASE).unwrap().warnings.is_empty());
}

#[test]
fn counts_agree_with_their_nouns() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let one = |extra: &[&str]| {
        let o = common::tlsgen()
            .current_dir(common::repo_root())
            .args([
                "render",
                "examples/cluster.yaml",
                "--host",
                "server1",
                "--file",
                "30-certs.conf",
                "-o",
            ])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", common::text(&o.stderr));
        common::text(&o.stderr)
    };
    let wrote = one(&[]);
    assert!(wrote.contains("wrote 1 file under"), "{wrote}");
    let checked = one(&["--check"]);
    assert!(
        checked.contains("1 file under") && checked.contains("is up to date"),
        "{checked}"
    );
    // A certificate that ends within two days expires "in 1 day".
    let model = tmp.path().join("cluster.yaml");
    let base = "version: 1\netcd:\n  release: \"3.x\"\n  members:\n    - { name: server1, address: 10.0.0.11 }\n";
    std::fs::write(
        &model,
        base.replace("version: 1\n", "version: 1\npki:\n  validity_days: 2\n"),
    )
    .unwrap();
    let pki = tmp.path().join("pki");
    let certs = |extra: &[&str]| {
        let o = common::tlsgen()
            .arg("certs")
            .arg(&model)
            .arg("-o")
            .arg(&pki)
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", common::text(&o.stderr));
        common::text(&o.stderr)
    };
    certs(&[]);
    // Issued with exactly two days; a second later fewer than two whole days are left.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&model, base).unwrap();
    let renewed = certs(&["--renew-before", "30d"]);
    assert!(renewed.contains("expires in 1 day)"), "{renewed}");
    assert!(!renewed.contains("1 days"), "{renewed}");
}

#[test]
fn parse_errors_keep_the_case_of_what_the_user_wrote() {
    // `to_lowercase()` on the whole message turned `ETCD_NAME` into `etcd_name`: only a first
    // word in plain prose is lowercased.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("etc/systemd/system/etcd-member.service.d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("20-env.conf"),
        "[Service]\nEnvironment=ETCD_NAME\n",
    )
    .unwrap();
    let o = common::tlsgen()
        .current_dir(tmp.path())
        .args(["lint", "--format", "json", "etc"])
        .output()
        .unwrap();
    let json = common::text(&o.stdout);
    assert!(
        json.contains("`ETCD_NAME` is not NAME=value"),
        "{json}\n{}",
        common::text(&o.stderr)
    );
}

#[test]
fn a_selection_that_matches_nothing_is_an_error_not_zero_files() {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("cluster.yaml");
    std::fs::write(&model, BASE).unwrap();
    let out = tmp.path().join("out");
    for extra in [
        &["--only", "kubernetes"][..],
        &["--file", "no-such.conf"][..],
    ] {
        let o = common::tlsgen()
            .arg("render")
            .arg(&model)
            .arg("-o")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap();
        let stderr = common::text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains("render::nothing-selected"), "{stderr}");
        assert!(!stderr.contains("wrote 0"), "{stderr}");
        assert!(!out.exists(), "{extra:?}");
    }
}
