//! SARIF for code hosts: `partialFingerprints` on every result, stable when lines are inserted
//! above a finding, distinct between findings, free of the file's values; the log of a whole
//! fixture tree validates against the SARIF 2.1.0 schema. GitHub annotations carry a title.

mod common;

use std::path::Path;

use serde_json::Value;

const CASE: &str = "tests/fixtures/etcd/ETCD009_plaintext-peer-url/fail";
const KEY: &str = "tlsgenFinding/v1";

fn sarif(dir: &Path, path: &str) -> Value {
    let out = common::run_in(dir, &["lint", "--format", "sarif", path]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        common::text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (rule, path, start line, fingerprint) of every result.
fn results(log: &Value) -> Vec<(String, String, u64, String)> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_string(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                loc["region"]["startLine"].as_u64().unwrap(),
                r["partialFingerprints"][KEY]
                    .as_str()
                    .unwrap_or_else(|| panic!("no {KEY} fingerprint on {r}"))
                    .to_string(),
            )
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn fingerprints_survive_lines_inserted_above_a_result() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&common::repo_root().join(CASE), &dir.path().join("case"));
    let before = results(&sarif(dir.path(), "case"));
    assert!(before.len() >= 2, "{before:?}");

    let unit = dir
        .path()
        .join("case/etcd-member.service.d/20-clct-etcd-member.conf");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(
        &unit,
        format!("# inserted\n# above every finding\n\n{text}"),
    )
    .unwrap();
    let after = results(&sarif(dir.path(), "case"));

    assert_eq!(before.len(), after.len());
    let mut moved = 0;
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1, &b.3), (&a.0, &a.1, &a.3), "{b:?} -> {a:?}");
        if b.2 != a.2 {
            assert_eq!(a.2, b.2 + 3, "{b:?} -> {a:?}");
            moved += 1;
        }
    }
    assert!(moved > 0, "no result moved: {after:?}");
}

#[test]
fn equal_findings_get_distinct_fingerprints_and_no_value_of_the_file() {
    // The same URL twice in one file (two findings with the same message: the occurrence index
    // tells them apart), and the same file under two names (the path does).
    let dir = tempfile::tempdir().unwrap();
    let text = "[[outputs.influxdb]]\n  urls = [\"http://influx.example:8086\", \"http://influx.example:8086\"]\n";
    for sub in ["a", "b"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("telegraf.conf"), text).unwrap();
    }
    let log = sarif(dir.path(), ".");
    let all = results(&log);
    let same_file: Vec<_> = all
        .iter()
        .filter(|r| r.0 == "TGF001" && r.1 == "a/telegraf.conf")
        .collect();
    assert_eq!(same_file.len(), 2, "{all:?}");
    let mut prints: Vec<&str> = all.iter().map(|r| r.3.as_str()).collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), all.len(), "fingerprints repeat: {all:?}");
    for (_, _, _, print) in &all {
        assert_eq!(print.len(), 64);
        assert!(print.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert!(
        !serde_json::to_string(&log["runs"][0]["results"][0]["partialFingerprints"])
            .unwrap()
            .contains("influx.example")
    );

    // Both keep their fingerprints when lines are inserted above them.
    std::fs::write(
        dir.path().join("a/telegraf.conf"),
        format!("# inserted\n\n{text}"),
    )
    .unwrap();
    let moved = results(&sarif(dir.path(), "."));
    let moved: Vec<_> = moved.iter().filter(|r| r.1 == "a/telegraf.conf").collect();
    let before: Vec<_> = all.iter().filter(|r| r.1 == "a/telegraf.conf").collect();
    assert_eq!(moved.len(), before.len());
    for (b, m) in before.iter().zip(&moved) {
        assert_eq!((&b.0, &b.3, b.2 + 2), (&m.0, &m.3, m.2), "{b:?} -> {m:?}");
    }
}

#[test]
fn the_sarif_of_a_fixture_tree_validates_against_the_schema() {
    let checker = common::require_program(
        "check-jsonschema",
        "check-jsonschema (pip install check-jsonschema)",
    );
    let log = sarif(&common::repo_root(), "tests/fixtures/etcd");
    let all = results(&log);
    assert!(all.len() > 20, "{}", all.len());
    // A shadowed variable (ETCD013) points at the variable as a related location.
    let shadowed = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["ruleId"] == "ETCD013"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.contains("ETCD013_shadowed-env-var/fail/"))
        })
        .expect("an ETCD013 result");
    let related = &shadowed["relatedLocations"][0];
    assert_eq!(related["id"], 0, "{shadowed}");
    let message = related["message"]["text"].as_str().unwrap();
    assert!(
        message.starts_with("`ETCD_") && message.ends_with("` is set here"),
        "{message}"
    );
    assert!(related["physicalLocation"]["region"]["startLine"].as_u64() > Some(0));
    assert_ne!(
        related["physicalLocation"],
        shadowed["locations"][0]["physicalLocation"]
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tree.sarif");
    std::fs::write(&path, serde_json::to_vec(&log).unwrap()).unwrap();
    let check = std::process::Command::new(&checker)
        .arg("--schemafile")
        .arg(common::repo_root().join("schemas/sarif-schema-2.1.0.json"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        common::text(&check.stdout),
        common::text(&check.stderr)
    );
}

#[test]
fn github_annotations_carry_the_code_and_name_as_title() {
    let out = common::run_in(&common::repo_root(), &["lint", "--format", "github", CASE]);
    let text = common::text(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    for line in lines {
        let title = line.split(",title=").nth(1).unwrap_or_default();
        let (code, rest) = title.split_once(' ').unwrap_or_default();
        let name = rest.split("::").next().unwrap_or_default();
        let rule = tlsgen::lint::registry::find(code).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(rule.name, name, "{line}");
    }
    assert!(
        text.contains(",title=ETCD009 plaintext-peer-url::"),
        "{text}"
    );
}
