//! Suppression directives, end to end: `# tlsgen: ignore[CODE,...] <reason> until YYYY-MM-DD`
//! and `ignore-file[...]`, after free text, in either case, only inside real comments of the
//! file's syntax; a malformed directive is reported (TLSGEN005) and suppresses nothing.

mod common;

use std::path::Path;

/// Lint `files` (relative path, text) written into a temp dir; the codes found, in order.
fn codes(files: &[(&str, &str)]) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    lint_codes(tmp.path())
}

fn lint_codes(dir: &Path) -> Vec<String> {
    let out = common::run_in(dir, &["lint", "--format", "json", "."]);
    let json: Vec<serde_json::Value> = serde_json::from_str(&common::text(&out.stdout))
        .unwrap_or_else(|e| panic!("{e}: {}", common::text(&out.stderr)));
    assert!(
        out.status.code().unwrap_or(99) <= 1,
        "exit {:?}",
        out.status
    );
    json.iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// A telegraf.conf whose only finding is TGF002 on `insecure_skip_verify`, with `comment` on the
/// line above it.
fn telegraf(comment: &str) -> String {
    format!(
        "[[outputs.influxdb]]\n  urls = [\"https://influxdb.example.com:8086\"]\n  {comment}\n  insecure_skip_verify = true\n"
    )
}

#[test]
fn the_fixture_without_a_suppression_has_its_finding() {
    assert_eq!(
        codes(&[("telegraf.conf", &telegraf("# lab box"))]),
        ["TGF002"]
    );
}

#[test]
fn free_text_then_a_second_hash_then_the_directive_suppresses_the_line_below() {
    let found = codes(&[(
        "telegraf.conf",
        &telegraf("# lab box # tlsgen: ignore[TGF002]"),
    )]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn free_text_then_the_directive_without_a_hash_suppresses() {
    let found = codes(&[(
        "telegraf.conf",
        &telegraf("# lab box, tlsgen: ignore[TGF002]"),
    )]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_directive_is_read_in_either_case() {
    for comment in [
        "# TLSGEN: ignore[TGF002]",
        "# Tlsgen: Ignore[tgf002]",
        "# TLSGEN: IGNORE-FILE[telegraf-insecure-skip-verify]",
    ] {
        let found = codes(&[("telegraf.conf", &telegraf(comment))]);
        assert!(found.is_empty(), "{comment}: {found:?}");
    }
}

#[test]
fn a_reason_and_an_expiry_after_the_brackets_are_accepted() {
    let found = codes(&[(
        "telegraf.conf",
        &telegraf("# tlsgen: ignore[TGF002] self-signed lab box until 2027-03-01"),
    )]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_bare_or_malformed_directive_is_reported_and_suppresses_nothing() {
    for comment in [
        "# tlsgen: ignore",
        "# TLSGEN: ignore",
        "# tlsgen: ignore TGF002",
        "# tlsgen: ignore[]",
        "# tlsgen: ignore[TGF002",
        "# tlsgen: ignroe[TGF002]",
        "# tlsgen: ignore[TGF002] lab box until 2027-02-30",
        "# tlsgen: ignore[TGF002] until tomorrow",
    ] {
        let mut found = codes(&[("telegraf.conf", &telegraf(comment))]);
        found.sort();
        assert_eq!(found, ["TGF002", "TLSGEN005"], "{comment}");
    }
}

#[test]
fn prose_that_mentions_tlsgen_is_not_a_directive() {
    let found = codes(&[(
        "telegraf.conf",
        &telegraf("# rendered by tlsgen: edit the model, not this file"),
    )]);
    assert_eq!(found, ["TGF002"]);
}

#[test]
fn a_directive_inside_a_toml_string_is_not_a_comment() {
    let text = "[[outputs.influxdb]]\n  urls = [\"https://influxdb.example.com:8086\"]\n  database = \"x # tlsgen: ignore-file[TGF002]\"\n  insecure_skip_verify = true\n";
    assert_eq!(codes(&[("telegraf.conf", text)]), ["TGF002"]);
    let text = "[[outputs.influxdb]]\n  urls = [\"https://influxdb.example.com:8086\"]\n  database = '''\n# tlsgen: ignore-file[TGF002]\n'''\n  insecure_skip_verify = true\n";
    assert_eq!(codes(&[("telegraf.conf", text)]), ["TGF002"]);
}

#[test]
fn a_directive_inside_a_json_string_is_not_a_comment() {
    let text = "{\n  \"service\": {\n    \"name\": \"elastic # tlsgen: ignore-file[DCOS001]\",\n    \"security\": { \"transport_encryption\": { \"enabled\": false } }\n  }\n}\n";
    let found = codes(&[("options.json", text)]);
    assert!(found.contains(&"DCOS001".to_string()), "{found:?}");
    assert!(!found.iter().any(|c| c.starts_with("TLSGEN")), "{found:?}");
}

#[test]
fn a_directive_inside_a_yaml_string_or_block_scalar_is_not_a_comment() {
    let fail = std::fs::read_to_string(
        common::repo_root()
            .join("tests/fixtures/kubernetes/K8SENC003_secrets-not-encrypted/fail/encryption.yaml"),
    )
    .unwrap();
    assert!(codes(&[("encryption.yaml", &fail)]).contains(&"K8SENC003".to_string()));
    for extra in [
        "note: \"# tlsgen: ignore-file[K8SENC003]\"\n",
        "note: 'a # tlsgen: ignore-file[K8SENC003]'\n",
        "note: |\n  # tlsgen: ignore-file[K8SENC003]\n",
    ] {
        let found = codes(&[("encryption.yaml", &format!("{fail}{extra}"))]);
        assert!(
            found.contains(&"K8SENC003".to_string()),
            "{extra}: {found:?}"
        );
        assert!(
            !found.iter().any(|c| c.starts_with("TLSGEN")),
            "{extra}: {found:?}"
        );
    }
    // The same directive as a real YAML comment suppresses.
    let found = codes(&[(
        "encryption.yaml",
        &format!("{fail}# tlsgen: ignore-file[K8SENC003]\n"),
    )]);
    assert!(!found.contains(&"K8SENC003".to_string()), "{found:?}");
}

#[test]
fn a_directive_after_a_value_in_a_systemd_unit_is_reported_not_obeyed() {
    // systemd has no end-of-line comments: `#` there is part of the value.
    let unit = "[Service]\nEnvironment=\"ETCD_CLIENT_CERT_AUTH=false\" # tlsgen: ignore[ETCD003]\n";
    let found = codes(&[
        (
            "etcd-member.service.d/20-clct-etcd-member.conf",
            "[Service]\nEnvironment=\"ETCD_LISTEN_CLIENT_URLS=https://0.0.0.0:2379\"\nEnvironment=\"ETCD_CERT_FILE=/etc/ssl/certs/etcd.pem\"\nEnvironment=\"ETCD_KEY_FILE=/etc/ssl/certs/etcd-key.pem\"\nEnvironment=\"ETCD_TRUSTED_CA_FILE=/etc/ssl/certs/ca.pem\"\n",
        ),
        ("etcd-member.service.d/30-certs.conf", unit),
    ]);
    assert!(found.contains(&"TLSGEN005".to_string()), "{found:?}");
}
