//! `tlsgen lint --fix`: for every rule that declares a fix (`Rule::fix`), its
//! `tests/fixtures/<target>/<CODE>_<name>/fix/` case is copied to a temp dir and fixed there:
//! the rule no longer fires, a second `--fix` changes no byte, comments survive, `--diff` writes
//! nothing (its output is the snapshot), and the file keeps its mode. A rule declaring a fix
//! without a `fix/` case fails; so does a `fix/` case of a rule that declares none.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tlsgen::lint::fix::Applicability;
use tlsgen::lint::registry::RULES;

/// Every file under `dir`, relative path -> bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let dest = to.join(&rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, bytes).unwrap();
    }
}

/// The fixture folder of a rule (`tests/fixtures/<target>/<CODE>_<name>`).
fn case_dir(code: &str, name: &str) -> Option<PathBuf> {
    let root = common::repo_root().join("tests/fixtures");
    for target in std::fs::read_dir(&root).unwrap() {
        let p = target.unwrap().path().join(format!("{code}_{name}"));
        if p.is_dir() {
            return Some(p);
        }
    }
    None
}

/// Lint `.` in `dir` as JSON: (exit code, findings).
fn findings(dir: &Path, extra: &[&str]) -> (Option<i32>, Vec<serde_json::Value>, String) {
    let mut args = vec!["lint", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(".");
    let out = common::run_in(dir, &args);
    let stdout = common::text(&out.stdout);
    let stderr = common::text(&out.stderr);
    let v: Vec<serde_json::Value> = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {args:?}\n{stdout}\n{stderr}"));
    (out.status.code(), v, stderr)
}

fn of_rule<'a>(v: &'a [serde_json::Value], code: &str) -> Vec<&'a serde_json::Value> {
    v.iter().filter(|f| f["code"] == code).collect()
}

#[cfg(unix)]
fn set_modes(dir: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    for rel in tree(dir).keys() {
        std::fs::set_permissions(dir.join(rel), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[cfg(unix)]
fn modes(dir: &Path) -> Vec<u32> {
    use std::os::unix::fs::PermissionsExt;
    tree(dir)
        .keys()
        .map(|rel| {
            std::fs::metadata(dir.join(rel))
                .unwrap()
                .permissions()
                .mode()
                & 0o7777
        })
        .collect()
}

#[test]
fn every_fixable_rule_is_fixed_idempotently_keeping_comments() {
    let fixable: Vec<_> = RULES.iter().filter(|r| r.fix.is_some()).collect();
    assert!(fixable.len() >= 5, "only {} fixable rules", fixable.len());
    for rule in fixable {
        let code = rule.code;
        let case = case_dir(code, rule.name)
            .unwrap_or_else(|| panic!("{code} has no fixture folder"))
            .join("fix");
        assert!(
            case.is_dir(),
            "{code} declares a fix but has no fix case {}",
            case.display()
        );
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&case, tmp.path());
        #[cfg(unix)]
        set_modes(tmp.path(), 0o640);
        let original = tree(tmp.path());
        let unsafe_needed = rule.fix == Some(Applicability::Unsafe);
        let mut fix_args = vec!["--fix"];
        if unsafe_needed {
            fix_args.push("--unsafe-fixes");
        }

        // The rule fires, and each of its findings offers a fix.
        let (status, before, _) = findings(tmp.path(), &[]);
        assert_eq!(status, Some(1), "{code}: the fix case must fail");
        let own = of_rule(&before, code);
        assert!(!own.is_empty(), "{code}/fix does not produce {code}");
        for f in &own {
            assert!(
                f["fix"]["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{code}/fix: a finding without a fix: {f}"
            );
        }

        // --diff shows the edit and writes nothing.
        let mut diff_args = vec!["lint", "--diff"];
        diff_args.extend_from_slice(&fix_args[1..]);
        diff_args.push(".");
        let out = common::run_in(tmp.path(), &diff_args);
        let diff = common::text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{code}: --diff exit code");
        assert!(
            diff.contains("\n-") && diff.contains("\n+"),
            "{code}: {diff}"
        );
        assert_eq!(tree(tmp.path()), original, "{code}: --diff wrote a file");
        common::insta_settings().bind(|| {
            insta::assert_snapshot!(format!("fix__{code}"), diff);
        });

        // An unsafe fix is not applied by --fix alone.
        if unsafe_needed {
            let (_, after_safe, _) = findings(tmp.path(), &["--fix"]);
            assert!(
                !of_rule(&after_safe, code).is_empty(),
                "{code}: an unsafe fix was applied without --unsafe-fixes"
            );
        }

        // --fix: the rule is gone, in the report of --fix and in a fresh lint.
        let (_, after, stderr) = findings(tmp.path(), &fix_args);
        assert!(of_rule(&after, code).is_empty(), "{code}: {after:?}");
        assert!(stderr.contains("fixed "), "{code}: {stderr}");
        let (_, relint, _) = findings(tmp.path(), &[]);
        assert!(of_rule(&relint, code).is_empty(), "{code}: {relint:?}");
        let fixed = tree(tmp.path());
        assert_ne!(fixed, original, "{code}: --fix changed nothing");

        // Comments and every line the diff does not remove survive.
        for (rel, bytes) in &original {
            let old = String::from_utf8_lossy(bytes);
            let new = String::from_utf8_lossy(&fixed[rel]);
            for line in old.lines().filter(|l| l.trim_start().starts_with('#')) {
                assert!(new.contains(line), "{code}: comment `{line}` lost");
            }
            for line in old.lines() {
                let removed = diff.lines().any(|d| d.strip_prefix('-') == Some(line));
                assert!(removed || new.contains(line), "{code}: `{line}` lost");
            }
        }
        #[cfg(unix)]
        assert!(
            modes(tmp.path()).iter().all(|&m| m == 0o640),
            "{code}: --fix changed a file mode"
        );

        // Idempotent: a second --fix changes no byte, and --diff has nothing to show.
        let _ = findings(tmp.path(), &fix_args);
        assert_eq!(
            tree(tmp.path()),
            fixed,
            "{code}: second --fix changed bytes"
        );
        let out = common::run_in(tmp.path(), &diff_args);
        assert_eq!(common::text(&out.stdout), "", "{code}: diff after --fix");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{code}: --diff exit after --fix"
        );
    }
}

#[test]
fn fix_cases_belong_to_rules_that_declare_a_fix() {
    let root = common::repo_root().join("tests/fixtures");
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap().path();
        if !target.is_dir() {
            continue;
        }
        for case in std::fs::read_dir(&target).unwrap() {
            let case = case.unwrap().path();
            if !case.join("fix").is_dir() {
                continue;
            }
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let code = name.split('_').next().unwrap();
            let rule = RULES.iter().find(|r| r.code == code);
            assert!(
                rule.is_some_and(|r| r.fix.is_some()),
                "{name} has a fix case but {code} declares no `fix:`"
            );
        }
    }
}

#[test]
fn stdin_fix_prints_the_fixed_text_and_the_report_on_stderr() {
    let case = common::repo_root()
        .join("tests/fixtures/influxdb/INFLUX007_influxdb-insecure-tls/fix/influxdb.conf");
    let text = std::fs::read_to_string(&case).unwrap();
    let out = common::run_stdin(
        &common::repo_root(),
        &[
            "lint",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "short",
            "--stdin-filename",
            "influxdb.conf",
            "-",
        ],
        &text,
    );
    let stdout = common::text(&out.stdout);
    assert_eq!(
        stdout,
        text.replace(
            "https-insecure-certificate = true",
            "https-insecure-certificate = false"
        )
    );
    assert!(!common::text(&out.stderr).contains("INFLUX007"));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn human_output_shows_the_fix_and_json_carries_it() {
    let case = common::repo_root().join("tests/fixtures/etcd/ETCD004_auto-tls-enabled/fix");
    let out = common::run_in(&case, &["lint", "."]);
    let human = common::text(&out.stdout);
    assert!(
        human.contains("fix available (safe): remove `auto-tls`"),
        "{human}"
    );
    assert!(human.contains("1 fixable with `--fix`"), "{human}");
    let (_, json, _) = findings(&case, &[]);
    let f = of_rule(&json, "ETCD004")[0];
    assert_eq!(f["fix"]["applicability"], "safe");
    let (_, json, _) = findings(
        &common::repo_root().join("tests/fixtures/influxdb/INFLUX007_influxdb-insecure-tls/fail"),
        &[],
    );
    assert!(json.iter().all(|f| f.get("fix").is_some()));
}

#[test]
fn diff_refuses_to_print_a_file_with_key_material() {
    // The file must be linted (a PEM private key would be skipped at load, before the guard)
    // and have a fix, so `--diff` has a diff to hold back: an EncryptionConfiguration with an
    // aescbc key and K8SENC005's fixable v1-only `cachesize` under a KMS v2 provider.
    let tmp = tempfile::tempdir().unwrap();
    let secret = "c2VjcmV0IGlzIHNlY3VyZSwgaXNuJ3QgaXQ/IDMyYg==";
    let text = std::fs::read_to_string(common::repo_root().join(
        "tests/fixtures/kubernetes/K8SENC005_invalid-kms-provider/fix/encryption.yaml",
    ))
    .unwrap()
    .replace(
        "      - identity: {}\n",
        &format!(
            "      - aescbc:\n          keys:\n            - name: key1\n              secret: {secret}\n      - identity: {{}}\n"
        ),
    );
    assert!(text.contains(secret));
    let path = tmp.path().join("encryption.yaml");
    std::fs::write(&path, &text).unwrap();
    let out = common::run_in(tmp.path(), &["lint", "--diff", "."]);
    let stderr = common::text(&out.stderr);
    // The guard was reached: there is a fix, and it is not shown.
    assert!(stderr.contains("would fix 1 finding in 1 file"), "{stderr}");
    assert!(stderr.contains("holds secret key material"), "{stderr}");
    assert_eq!(common::text(&out.stdout), "");
    assert!(!stderr.contains(secret));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // Without the key, the same file's diff is printed: the guard is what held it back.
    let plain = text.replace(&format!("              secret: {secret}\n"), "");
    std::fs::write(&path, &plain).unwrap();
    let out = common::run_in(tmp.path(), &["lint", "--diff", "."]);
    assert!(
        common::text(&out.stdout).contains("-          cachesize: 1000"),
        "{}",
        common::text(&out.stderr)
    );
}
