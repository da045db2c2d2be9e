//! Governed suppressions (issue 25, Build 2): an expired directive is reported (TLSGEN007) and no
//! longer suppresses; tlsgen.toml can require reasons, forbid inline directives and list rules
//! no directive hides (TLSGEN008); SARIF keeps suppressed results with their justification.

mod common;

use std::path::Path;
use std::process::Output;

/// A telegraf.conf whose only finding is TGF002, with `comment` on the line above it.
fn telegraf(comment: &str) -> String {
    format!(
        "[[outputs.influxdb]]\n  urls = [\"https://influxdb.example.com:8086\"]\n  {comment}\n  insecure_skip_verify = true\n"
    )
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    tmp
}

/// `tlsgen lint --format FORMAT .` in `dir` with TLSGEN_TODAY set to `today`.
fn lint(dir: &Path, today: &str, format: &str) -> Output {
    common::tlsgen()
        .current_dir(dir)
        .env("TLSGEN_TODAY", today)
        .args(["lint", "--format", format, "."])
        .output()
        .unwrap()
}

fn codes(out: &Output) -> Vec<String> {
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            common::text(&out.stdout),
            common::text(&out.stderr)
        )
    });
    json.iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_suppression_holds_through_its_until_day_and_is_reported_the_day_after() {
    let tmp = dir_with(&[(
        "telegraf.conf",
        &telegraf("# tlsgen: ignore[TGF002] self-signed lab box until 2027-03-01"),
    )]);
    let out = lint(tmp.path(), "2027-03-01", "json");
    assert!(codes(&out).is_empty(), "{}", common::text(&out.stdout));
    assert_eq!(out.status.code(), Some(0));
    let out = lint(tmp.path(), "2027-03-02", "json");
    assert_eq!(codes(&out), ["TLSGEN007", "TGF002"]);
    assert_eq!(out.status.code(), Some(1));
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json[0]["message"],
        "this suppression expired after 2027-03-01: it suppresses nothing"
    );
    assert_eq!(
        (json[0]["line"].as_u64(), json[0]["column"].as_u64()),
        (Some(3), Some(5))
    );
}

#[test]
fn an_invalid_today_override_is_an_error() {
    let tmp = dir_with(&[("telegraf.conf", &telegraf("# lab"))]);
    let out = lint(tmp.path(), "2027-02-30", "json");
    assert_eq!(out.status.code(), Some(2));
    assert!(common::text(&out.stderr).contains("TLSGEN_TODAY=2027-02-30 is not a calendar date"));
}

#[test]
fn a_required_reason_that_is_missing_makes_the_suppression_void() {
    let config = ("tlsgen.toml", "[lint]\nrequire-suppression-reason = true\n");
    let tmp = dir_with(&[
        config,
        ("telegraf.conf", &telegraf("# tlsgen: ignore[TGF002]")),
    ]);
    let out = lint(tmp.path(), "2026-01-01", "json");
    assert_eq!(codes(&out), ["TLSGEN008", "TGF002"]);
    // An expiry alone is no reason.
    let tmp = dir_with(&[
        config,
        (
            "telegraf.conf",
            &telegraf("# tlsgen: ignore[TGF002] until 2099-01-01"),
        ),
    ]);
    assert_eq!(
        codes(&lint(tmp.path(), "2026-01-01", "json")),
        ["TLSGEN008", "TGF002"]
    );
    let tmp = dir_with(&[
        config,
        (
            "telegraf.conf",
            &telegraf("# tlsgen: ignore[TGF002] lab box"),
        ),
    ]);
    assert!(codes(&lint(tmp.path(), "2026-01-01", "json")).is_empty());
}

#[test]
fn no_inline_suppressions_reports_every_directive_and_keeps_per_file_ignores() {
    let tmp = dir_with(&[
        ("tlsgen.toml", "[lint]\nno-inline-suppressions = true\n"),
        (
            "telegraf.conf",
            &telegraf("# tlsgen: ignore[TGF002] lab box"),
        ),
    ]);
    let out = lint(tmp.path(), "2026-01-01", "json");
    assert_eq!(codes(&out), ["TLSGEN008", "TGF002"]);
    let tmp = dir_with(&[
        (
            "tlsgen.toml",
            "[lint]\nno-inline-suppressions = true\n[lint.per-file-ignores]\n\"telegraf.conf\" = [\"TGF002\"]\n",
        ),
        ("telegraf.conf", &telegraf("# lab box")),
    ]);
    assert!(codes(&lint(tmp.path(), "2026-01-01", "json")).is_empty());
}

#[test]
fn an_unsuppressable_rule_is_reported_at_the_code_that_names_it() {
    let tmp = dir_with(&[
        ("tlsgen.toml", "[lint]\nunsuppressable = [\"telegraf-insecure-skip-verify\"]\n"),
        (
            "telegraf.conf",
            // TGF001 is suppressed by the same directive: the other code still works.
            "[[outputs.influxdb]]\n  # tlsgen: ignore[TGF001, TGF002] lab box\n  urls = [\"http://influxdb.example.com:8086\"]\n  insecure_skip_verify = true\n",
        ),
    ]);
    let out = lint(tmp.path(), "2026-01-01", "json");
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, u64, u64)> = json
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("TLSGEN008", 2, 28), ("TGF002", 4, 26)]);
    assert_eq!(
        json[0]["message"],
        "TGF002 cannot be suppressed: tlsgen.toml lists it in `unsuppressable`"
    );
}

#[test]
fn sarif_keeps_suppressed_results_with_their_justification() {
    let tmp = dir_with(&[(
        "telegraf.conf",
        &telegraf("# tlsgen: ignore[TGF002] self-signed lab box until 2099-01-01"),
    )]);
    let out = lint(tmp.path(), "2026-01-01", "sarif");
    assert_eq!(
        out.status.code(),
        Some(0),
        "a suppressed result does not fail the run"
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "TGF002");
    assert_eq!(
        results[0]["suppressions"],
        serde_json::json!([{ "kind": "inSource", "justification": "self-signed lab box" }])
    );
    assert!(results[0].get("baselineState").is_none());
    // Other formats do not show it.
    assert!(codes(&lint(tmp.path(), "2026-01-01", "json")).is_empty());
}

#[test]
fn governance_settings_are_checked() {
    for (config, message) in [
        (
            "[lint]\nrequire-suppression-reason = \"yes\"\n",
            "`require-suppression-reason` must be true or false",
        ),
        (
            "[lint]\nno-inline-suppressions = 1\n",
            "`no-inline-suppressions` must be true or false",
        ),
        (
            "[lint]\nunsuppressable = [\"NOPE042\"]\n",
            "`NOPE042` is not a rule code",
        ),
    ] {
        let tmp = dir_with(&[
            ("tlsgen.toml", config),
            ("telegraf.conf", &telegraf("# lab")),
        ]);
        let out = lint(tmp.path(), "2026-01-01", "json");
        assert_eq!(out.status.code(), Some(2), "{config}");
        let stderr = common::text(&out.stderr);
        assert!(stderr.contains(message), "{config}: {stderr}");
    }
}
