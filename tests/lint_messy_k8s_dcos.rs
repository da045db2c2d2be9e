//! Messy, real-world-shaped Kubernetes EncryptionConfiguration files and DC/OS Elastic options
//! (Ansible/Jinja, Helm/Go templates, ERB, envsubst `${VAR}`, tab-indented JSON, commented-out
//! keys, the pre-1.13 format, applied-options siblings): the K8SENC and DCOS rules fire exactly
//! where a file literally shows the condition, and never on a commented-out or templated line.

mod common;

use std::path::Path;

/// (path, line, code, severity) of every finding of `lint .` run in `dir`.
fn findings(dir: &Path, args: &[&str]) -> Vec<(String, u64, String, String)> {
    let mut full = vec!["lint", "--format", "json"];
    full.extend_from_slice(args);
    let out = common::run_in(dir, &full);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        common::text(&out.stderr)
    );
    let json = common::text(&out.stdout);
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    list.iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn own(v: &[(&str, u64, &str, &str)]) -> Vec<(String, u64, String, String)> {
    v.iter()
        .map(|(p, l, c, s)| (p.to_string(), *l, c.to_string(), s.to_string()))
        .collect()
}

/// Lines a rule must never report: comments and lines holding template syntax.
fn assert_silent_on_comments_and_placeholders(dir: &Path, found: &[(String, u64, String, String)]) {
    let mut checked = 0;
    for (path, line, code, _) in found {
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        let l = text.lines().nth(*line as usize - 1).unwrap();
        let templated = ["{{", "{%", "<%", "${", "$E"].iter().any(|t| l.contains(t));
        assert!(
            !l.trim_start().starts_with('#') && !templated,
            "{code} fired on a comment or placeholder: {path}:{line}: {l}"
        );
        checked += 1;
    }
    assert!(checked > 0, "no findings at all in {}", dir.display());
}

#[test]
fn encryption_configs_report_exactly_what_they_literally_show() {
    let dir = common::repo_root().join("tests/fixtures_messy/kubernetes");
    let found = findings(&dir, &["."]);
    assert_eq!(
        found,
        own(&[
            // pre-1.13 header, and aescbc first with an ERB secret (unknown, so no K8SENC006)
            ("legacy/encryption.yaml", 2, "K8SENC008", "error"),
            ("legacy/encryption.yaml", 8, "K8SENC002", "warning"),
            // aescbc first (the commented-out identity above it is not read), its second key is
            // 16 bytes, the kms provider has no apiVersion; `# cachesize: 0` is a comment
            ("prod/encryption.yaml", 11, "K8SENC002", "warning"),
            ("prod/encryption.yaml", 16, "K8SENC006", "warning"),
            ("prod/encryption.yaml", 17, "K8SENC004", "warning"),
        ]),
    );
    assert_silent_on_comments_and_placeholders(&dir, &found);
    // The Ansible, Helm and envsubst files are all placeholders where it matters: nothing.
    for quiet in ["ansible", "helm", "envsubst"] {
        assert!(
            !found.iter().any(|(p, ..)| p.starts_with(quiet)),
            "{quiet}: {found:?}"
        );
    }
}

#[test]
fn elastic_options_report_exactly_what_they_literally_show() {
    let dir = common::repo_root().join("tests/fixtures_messy/elastic");
    let found = findings(&dir, &["."]);
    assert_eq!(
        found,
        own(&[
            // the applied options literally have TLS off
            ("prod/options.applied.json", 7, "DCOS001", "error"),
            // TLS toggled on against options.applied.json with update_strategy serial
            ("prod/options.json", 6, "DCOS003", "error"),
            ("prod/options.json", 25, "DCOS005", "warning"),
            ("prod/options.json", 26, "DCOS004", "error"),
            ("prod/options.json", 28, "DCOS006", "warning"),
            ("prod/options.json", 29, "DCOS006", "warning"),
            // the toggle done right (parallel): the reminder to set serial back
            ("staging/options.json", 4, "DCOS003", "warning"),
            ("staging/previous-options.json", 6, "DCOS001", "error"),
        ]),
    );
    assert_silent_on_comments_and_placeholders(&dir, &found);
    for quiet in ["ansible", "chef", "envsubst"] {
        assert!(
            !found.iter().any(|(p, ..)| p.starts_with(quiet)),
            "{quiet}: {found:?}"
        );
    }
}

#[test]
fn applied_options_are_read_from_disk_when_only_the_new_options_are_linted() {
    let dir = common::repo_root().join("tests/fixtures_messy/elastic");
    let found = findings(&dir, &["prod/options.json"]);
    let toggles: Vec<_> = found.iter().filter(|(_, _, c, _)| c == "DCOS003").collect();
    assert_eq!(
        toggles,
        [&(
            "prod/options.json".to_string(),
            6,
            "DCOS003".to_string(),
            "error".to_string()
        )]
    );
    // The applied file itself is never compared with anything.
    let found = findings(&dir, &["prod/options.applied.json"]);
    assert!(
        !found.iter().any(|(_, _, c, _)| c == "DCOS003"),
        "{found:?}"
    );
}
