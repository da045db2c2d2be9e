//! The baseline (issue 25, Build 1): `tlsgen lint --write-baseline FILE` records the findings a
//! repository has, `--baseline FILE` reports only new ones. Matching never uses a line number,
//! values are hashed, duplicates are matched by count, stale entries are reported, and rules
//! that cannot be suppressed cannot be baselined.

mod common;

use std::path::Path;
use std::process::Output;

/// A telegraf.conf with TGF001 (http URL) and TGF005 twice (cleartext password).
const TELEGRAF: &str = "[[outputs.influxdb]]\n  urls = [\"http://influxdb.example.com:8086\"]\n  username = \"telegraf\"\n  password = \"hunter2-baseline-secret\"\n";

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(tmp.path(), path, text);
    }
    tmp
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> Output {
    common::run_in(dir, args)
}

/// The codes of a JSON report (stdout must be a JSON array, whatever else is said on stderr).
fn codes(out: &Output) -> Vec<String> {
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not a JSON array ({e}): {}\n{}",
            common::text(&out.stdout),
            common::text(&out.stderr)
        )
    });
    json.iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn write_baseline(dir: &Path) -> Output {
    let out = run(dir, &["lint", "--write-baseline", "baseline.json", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    out
}

#[test]
fn the_baseline_hides_what_it_holds_and_survives_lines_inserted_above() {
    let tmp = dir_with(&[("telegraf.conf", TELEGRAF)]);
    let before = run(tmp.path(), &["lint", "--format", "json", "."]);
    assert_eq!(codes(&before), ["TGF001", "TGF005", "TGF005"]);
    write_baseline(tmp.path());
    // Lines above every finding, and the findings' lines re-indented.
    let moved = format!(
        "# telemetry of the lab\n[agent]\n  interval = \"10s\"\n\n{}",
        TELEGRAF.replace("  urls", "    urls")
    );
    write(tmp.path(), "telegraf.conf", &moved);
    let out = run(
        tmp.path(),
        &[
            "lint",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            ".",
        ],
    );
    assert!(codes(&out).is_empty(), "{}", common::text(&out.stdout));
    assert_eq!(out.status.code(), Some(0));
    let stderr = common::text(&out.stderr);
    assert!(
        stderr.contains("3 findings hidden by the baseline baseline.json"),
        "{stderr}"
    );
    // The human report says it on stdout, last.
    let human = run(tmp.path(), &["lint", "--baseline", "baseline.json", "."]);
    let stdout = common::text(&human.stdout);
    assert!(
        stdout
            .ends_with("no findings in 1 file\n3 findings hidden by the baseline baseline.json\n"),
        "{stdout}"
    );
}

#[test]
fn a_new_finding_counts_and_a_duplicate_beyond_the_count_is_new() {
    let tmp = dir_with(&[("telegraf.conf", TELEGRAF)]);
    write_baseline(tmp.path());
    // The same http URL a second time: one TGF001 more than the baseline holds.
    let twice = TELEGRAF.replace(
        "urls = [\"http://influxdb.example.com:8086\"]",
        "urls = [\"http://influxdb.example.com:8086\"]\n[[outputs.influxdb]]\n  urls = [\"http://influxdb.example.com:8086\"]",
    );
    write(tmp.path(), "telegraf.conf", &twice);
    let out = run(
        tmp.path(),
        &[
            "lint",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(codes(&out), ["TGF001"], "{}", common::text(&out.stderr));
    assert_eq!(out.status.code(), Some(1));
    // Another value of the same setting is another finding.
    let other = TELEGRAF.replace("influxdb.example.com", "metrics.example.com");
    write(tmp.path(), "telegraf.conf", &other);
    let out = run(
        tmp.path(),
        &[
            "lint",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            ".",
        ],
    );
    assert!(codes(&out).contains(&"TGF001".to_string()));
}

#[test]
fn entries_that_no_longer_match_are_reported() {
    let tmp = dir_with(&[("telegraf.conf", TELEGRAF)]);
    write_baseline(tmp.path());
    // The URL is fixed: TGF001 and the TGF005 of a password sent over http are gone; the
    // TGF005 of a password written in the file stays, held by the baseline.
    let fixed = TELEGRAF.replace("http://", "https://");
    write(tmp.path(), "telegraf.conf", &fixed);
    let out = run(
        tmp.path(),
        &[
            "lint",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            ".",
        ],
    );
    assert!(codes(&out).is_empty(), "{}", common::text(&out.stdout));
    let stderr = common::text(&out.stderr);
    assert!(
        stderr.contains(
            "note: baseline.json: 1 entry of TGF001 in telegraf.conf matches no finding any more"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 entry of TGF005 in telegraf.conf matches no finding any more"),
        "{stderr}"
    );
}

#[test]
fn entries_of_files_the_run_did_not_lint_are_stale_only_when_the_file_is_gone() {
    let tmp = dir_with(&[("a/telegraf.conf", TELEGRAF), ("b/telegraf.conf", TELEGRAF)]);
    write_baseline(tmp.path());
    let out = run(tmp.path(), &["lint", "--baseline", "baseline.json", "a"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = common::text(&out.stderr);
    assert!(!stderr.contains("matches no finding"), "{stderr}");
    std::fs::remove_dir_all(tmp.path().join("b")).unwrap();
    let out = run(tmp.path(), &["lint", "--baseline", "baseline.json", "a"]);
    let stderr = common::text(&out.stderr);
    assert!(
        stderr.contains("1 entry of TGF001 in b/telegraf.conf matches no finding any more"),
        "{stderr}"
    );
    assert!(!stderr.contains("in a/telegraf.conf"), "{stderr}");
}

#[test]
fn the_baseline_holds_no_secret_and_is_deterministic() {
    let tmp = dir_with(&[("telegraf.conf", TELEGRAF)]);
    write_baseline(tmp.path());
    let text = std::fs::read_to_string(tmp.path().join("baseline.json")).unwrap();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!text.contains("influxdb.example.com"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["findings"].as_array().unwrap().len(), 3);
    write_baseline(tmp.path());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("baseline.json")).unwrap(),
        text
    );
}

#[test]
fn sarif_marks_results_new_or_unchanged() {
    let tmp = dir_with(&[("telegraf.conf", TELEGRAF)]);
    write_baseline(tmp.path());
    let more = format!("{TELEGRAF}  insecure_skip_verify = true\n");
    write(tmp.path(), "telegraf.conf", &more);
    let out = run(
        tmp.path(),
        &[
            "lint",
            "--format",
            "sarif",
            "--baseline",
            "baseline.json",
            ".",
        ],
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<(String, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["baselineState"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("TGF002", "new"),
        ("TGF001", "unchanged"),
        ("TGF005", "unchanged"),
        ("TGF005", "unchanged"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(states, want);
    assert_eq!(out.status.code(), Some(1), "only the new finding counts");
}

#[test]
fn unsuppressable_rules_and_parse_errors_are_never_baselined() {
    let tmp = dir_with(&[
        ("telegraf.conf", TELEGRAF),
        ("broken/telegraf.conf", "[[outputs.influxdb]\n"),
        ("tlsgen.toml", "[lint]\nunsuppressable = [\"TGF001\"]\n"),
    ]);
    let out = run(
        tmp.path(),
        &[
            "lint",
            "--format",
            "json",
            "--write-baseline",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(codes(&out), ["TLSGEN001", "TGF001"]);
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(tmp.path().join("baseline.json")).unwrap();
    assert!(
        !text.contains("TGF001") && !text.contains("TLSGEN001"),
        "{text}"
    );
    assert!(text.contains("TGF005"), "{text}");
    let out = run(
        tmp.path(),
        &[
            "lint",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(codes(&out), ["TLSGEN001", "TGF001"]);
}

#[test]
fn a_baseline_that_is_not_one_is_an_error() {
    let tmp = dir_with(&[
        ("telegraf.conf", TELEGRAF),
        ("baseline.json", "{\"version\": 2, \"findings\": []}\n"),
    ]);
    let out = run(tmp.path(), &["lint", "--baseline", "baseline.json", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = common::text(&out.stderr);
    assert!(stderr.contains("is not a tlsgen baseline"), "{stderr}");
    let out = run(tmp.path(), &["lint", "--baseline", "missing.json", "."]);
    assert_eq!(out.status.code(), Some(2));
}
