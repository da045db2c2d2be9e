//! Fixture-driven: every `tests/fixtures/<target>/<CODE>_<name>/{fail,pass}` is linted; `fail`
//! runs with only its rule selected (`--select CODE`, as ruff's `for_rule` does, so a stray
//! finding of another rule cannot hide in its snapshot) and must produce it; `pass` runs with
//! every rule and must be clean; the human and json output of each case are snapshots.
//! `tests/fixtures/verdicts/<case>/` holds files linted with every rule whose `expect` file says,
//! line by line, exactly which findings a line gets (one problem, one diagnostic, no two verdicts
//! on one value that contradict each other). Meta-tests: every rule has fixtures and a doc, codes
//! and names are unique, messages are lowercase without a final period, and every finding has a
//! severity `tlsgen rules` lists for its rule.

mod common;
// CERT rules are covered by tests/lint_cert.rs (certificates made at run time), not fixtures.
#[path = "lint_cert/covered.rs"]
mod cert_covered;

use std::collections::{BTreeMap, BTreeSet};
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

/// `tlsgen lint --format FORMAT [--select CODE] [--config DIR/tlsgen.toml] DIR`, from the
/// repository root (a case with a `tlsgen.toml` runs with it: the rules of tlsgen.toml's own
/// options, such as TLSGEN008, need one).
fn lint(dir: &Path, format: &str, select: Option<&str>) -> (Option<i32>, String, String) {
    let config = dir.join("tlsgen.toml");
    let config = config.is_file().then(|| rel(&config));
    let dir = rel(dir);
    let mut args = vec!["lint", "--format", format];
    if let Some(code) = select {
        args.extend(["--select", code]);
    }
    if let Some(config) = &config {
        args.extend(["--config", config]);
    }
    args.push(&dir);
    let out = common::run_in(&common::repo_root(), &args);
    (
        out.status.code(),
        common::text(&out.stdout),
        common::text(&out.stderr),
    )
}

/// The severities `tlsgen rules --format json` shows for each rule code.
fn shown_severities() -> BTreeMap<String, Vec<String>> {
    let out = common::run_in(&common::repo_root(), &["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.iter()
        .map(|r| {
            let list = r["severities"]
                .as_array()
                .unwrap_or_else(|| panic!("no severities list: {r}"))
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect::<Vec<_>>();
            assert_eq!(
                Some(list[0].as_str()),
                r["severity"].as_str(),
                "the default comes first"
            );
            (r["code"].as_str().unwrap().to_string(), list)
        })
        .collect()
}

#[test]
fn every_fixture_case_fails_or_passes_as_named() {
    let cases = cases();
    assert!(
        cases.len() >= RULES.len() - cert_covered::COVERED.len() - RUNTIME_COVERED.len(),
        "only {} fixture cases",
        cases.len()
    );
    let shown = shown_severities();
    for (name, dir) in cases {
        let code = name.split('_').next().unwrap().to_string();
        for side in ["fail", "pass"] {
            let case_dir = dir.join(side);
            assert!(case_dir.is_dir(), "{name} has no {side} case");
            // TLSGEN002/TLSGEN003 judge suppressions of other rules, which must run too.
            let about_other_rules = matches!(code.as_str(), "TLSGEN002" | "TLSGEN003");
            let select = (side == "fail" && !about_other_rules).then_some(code.as_str());
            let (status, json, stderr) = lint(&case_dir, "json", select);
            let findings: Vec<serde_json::Value> = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{name}/{side}: {e}\n{json}\n{stderr}"));
            let codes: Vec<&str> = findings
                .iter()
                .map(|f| f["code"].as_str().unwrap())
                .collect();
            if side == "fail" {
                assert!(
                    codes.contains(&code.as_str())
                        && (about_other_rules || codes.iter().all(|c| *c == code)),
                    "{name}/fail (--select {code}) does not produce {code} alone: {codes:?}"
                );
                assert_eq!(status, Some(1), "{name}/fail exit code");
            } else {
                assert!(codes.is_empty(), "{name}/pass is not clean: {json}");
                assert_eq!(status, Some(0), "{name}/pass exit code");
            }
            for f in &findings {
                let (code, severity) =
                    (f["code"].as_str().unwrap(), f["severity"].as_str().unwrap());
                assert!(
                    shown[code].iter().any(|s| s == severity),
                    "{name}/{side}: a {code} finding is {severity}, but `tlsgen rules` shows {:?}",
                    shown[code]
                );
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
            let (_, human, _) = lint(&case_dir, "human", select);
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

/// `tests/fixtures/verdicts/<case>/expect`: one line per checked source line,
/// `<path in the case>:<line> CODE:severity[:fix] ...` (`:fix` when the finding offers a fix;
/// nothing after the location: no finding there).
/// The case is linted with every rule; each listed line must get exactly the listed findings.
#[test]
fn verdicts_one_problem_one_diagnostic() {
    let root = common::repo_root().join("tests/fixtures/verdicts");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let shown = shown_severities();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect = std::fs::read_to_string(case.join("expect"))
            .unwrap_or_else(|e| panic!("{name}: no expect file: {e}"));
        let (_, json, stderr) = lint(&case, "json", None);
        let findings: Vec<serde_json::Value> =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}\n{json}\n{stderr}"));
        let prefix = format!("{}/", rel(&case));
        let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in &findings {
            let (code, severity) = (f["code"].as_str().unwrap(), f["severity"].as_str().unwrap());
            assert!(
                shown[code].iter().any(|s| s == severity),
                "{name}: a {code} finding is {severity}, but `tlsgen rules` shows {:?}",
                shown[code]
            );
            let path = f["path"].as_str().unwrap();
            let path = path.strip_prefix(&prefix).unwrap_or(path);
            let fix = if f["fix"].is_null() { "" } else { ":fix" };
            got.entry(format!("{path}:{}", f["line"]))
                .or_default()
                .push(format!("{code}:{severity}{fix}"));
        }
        let mut checked = 0;
        for line in expect.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let at = words.next().unwrap();
            let file = at.rsplit_once(':').map(|(f, _)| f).unwrap();
            assert!(case.join(file).is_file(), "{name}: expect names {file}");
            let mut want: Vec<String> = words.map(str::to_string).collect();
            want.sort();
            let mut have = got.get(at).cloned().unwrap_or_default();
            have.sort();
            assert_eq!(have, want, "{name}: findings on {at}\n{json}");
            checked += 1;
        }
        assert!(checked > 0, "{name}: the expect file checks no line");
    }
}
