//! Fixture-driven: every `tests/fixtures/<target>/<CODE>_<name>/{fail,pass}` is linted; `fail`
//! must produce its rule, `pass` must be clean; the human and json output of each case are
//! snapshots. Meta-tests: every rule has fixtures and a doc, codes and names are unique, and
//! messages are lowercase without a final period.

mod common;
// CERT rules are covered by tests/lint_cert.rs (certificates made at run time), not fixtures.
#[path = "lint_cert/covered.rs"]
mod cert_covered;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tlsgen::lint::registry::RULES;

/// Rules whose failing case git cannot hold, tested at run time instead: TLSGEN004 (a path that
/// cannot be read: a missing path, a mode-000 file read as `nobody`) in tests/walk_behaviour.rs.
const RUNTIME_COVERED: &[&str] = &["TLSGEN004"];

fn cases() -> Vec<(String, PathBuf)> {
    let root = common::repo_root().join("tests/fixtures");
    let mut out = Vec::new();
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap().path();
        if !target.is_dir() {
            continue;
        }
        for case in std::fs::read_dir(&target).unwrap() {
            let case = case.unwrap().path();
            if case.join("fail").is_dir() || case.join("pass").is_dir() {
                let name = case.file_name().unwrap().to_string_lossy().into_owned();
                out.push((name, case));
            }
        }
    }
    out.sort();
    out
}

/// The fixture folder of a case name (`ETCD003_client-cert-auth-disabled`).
fn cases_dirs(name: &str) -> Option<PathBuf> {
    cases().into_iter().find(|(n, _)| n == name).map(|(_, p)| p)
}

fn rel(p: &Path) -> String {
    p.strip_prefix(common::repo_root())
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn lint(dir: &Path, format: &str) -> (Option<i32>, String, String) {
    let out = common::run_in(
        &common::repo_root(),
        &["lint", "--format", format, &rel(dir)],
    );
    (
        out.status.code(),
        common::text(&out.stdout),
        common::text(&out.stderr),
    )
}

#[test]
fn every_fixture_case_fails_or_passes_as_named() {
    let cases = cases();
    assert!(
        cases.len() >= RULES.len() - cert_covered::COVERED.len() - RUNTIME_COVERED.len(),
        "only {} fixture cases",
        cases.len()
    );
    for (name, dir) in cases {
        let code = name.split('_').next().unwrap().to_string();
        for side in ["fail", "pass"] {
            let case_dir = dir.join(side);
            assert!(case_dir.is_dir(), "{name} has no {side} case");
            let (status, json, stderr) = lint(&case_dir, "json");
            let findings: Vec<serde_json::Value> = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{name}/{side}: {e}\n{json}\n{stderr}"));
            let codes: Vec<&str> = findings
                .iter()
                .map(|f| f["code"].as_str().unwrap())
                .collect();
            if side == "fail" {
                assert!(
                    codes.contains(&code.as_str()),
                    "{name}/fail does not produce {code}: {codes:?}"
                );
                assert_eq!(status, Some(1), "{name}/fail exit code");
            } else {
                assert!(codes.is_empty(), "{name}/pass is not clean: {json}");
                assert_eq!(status, Some(0), "{name}/pass exit code");
            }
            for f in &findings {
                let message = f["message"].as_str().unwrap();
                let first = message.chars().next().unwrap();
                assert!(
                    !first.is_uppercase(),
                    "{name}: message starts upper-case: {message}"
                );
                assert!(
                    !message.ends_with('.'),
                    "{name}: message ends with a period: {message}"
                );
            }
            let (_, human, _) = lint(&case_dir, "human");
            common::insta_settings().bind(|| {
                insta::assert_snapshot!(format!("lint_{name}_{side}_human"), human);
                insta::assert_snapshot!(format!("lint_{name}_{side}_json"), json);
            });
        }
    }
}

#[test]
fn every_rule_has_fixtures_a_doc_and_a_unique_code_and_name() {
    let cases: BTreeSet<String> = cases().into_iter().map(|(n, _)| n).collect();
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    for r in RULES {
        assert!(codes.insert(r.code), "duplicate code {}", r.code);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        assert!(
            cert_covered::COVERED.contains(&r.code)
                || RUNTIME_COVERED.contains(&r.code)
                || cases.contains(&format!("{}_{}", r.code, r.name)),
            "{} has no fixture folder {}_{}",
            r.code,
            r.code,
            r.name
        );
        if r.fix.is_some() {
            let case = cases_dirs(&format!("{}_{}", r.code, r.name));
            assert!(
                case.is_some_and(|c| c.join("fix").is_dir()),
                "{} declares a fix but has no fix/ fixture case (tests/lint_fix.rs)",
                r.code
            );
        }
        for heading in [
            "What it does",
            "Why is this bad?",
            "Example",
            "Use instead",
            "Fix safety",
            "References",
        ] {
            assert!(
                r.doc_section(heading).is_some_and(|s| !s.is_empty()),
                "{} doc lacks `## {heading}`",
                r.code
            );
        }
        assert!(
            r.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} name is not kebab",
            r.code
        );
        let prefix = r.code.trim_end_matches(|c: char| c.is_ascii_digit());
        let ok = prefix.len() < r.code.len()
            && prefix.starts_with(|c: char| c.is_ascii_uppercase())
            && prefix
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        assert!(ok, "{} is not PREFIX+digits", r.code);
    }
}
