//! Resource bounds on hostile input: YAML alias bombs are refused (by the model at the first
//! anchor, by lint once aliases would copy more than a budget of nodes), nesting
//! depth is bounded by the parsers (a parse error, never a stack overflow), and neither costs more
//! than a few milliseconds. Long lines and many keys: `scripts/hostile-bench.sh` (50 MB inputs).

use std::time::{Duration, Instant};

mod common;

use tlsgen::lint::{self, Input, Kind, Settings};

/// The "billion laughs": nine levels of nine aliases, 9^9 strings once expanded.
fn billion_laughs() -> String {
    let mut s = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a";
    for n in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n;
    }
    s
}

fn lint_stdin(text: &str, kind: Kind) -> lint::Report {
    let input = Input {
        stdin: Some(("stdin".to_string(), text.to_string())),
        kind: Some(kind),
        ..Input::default()
    };
    lint::lint(&input, &Settings::default()).unwrap()
}

fn parse_errors(report: &lint::Report) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.rule.code == "TLSGEN001")
        .map(|f| f.message.clone())
        .collect()
}

/// Generous: the real cost is well under a millisecond; this only catches an expansion.
const FAST: Duration = Duration::from_secs(2);

#[test]
fn model_alias_bomb_is_refused_at_the_first_anchor() {
    let text = format!("version: 1\n{}", billion_laughs());
    let t = Instant::now();
    let problems = tlsgen::model::load_str("bomb.yaml", &text).unwrap_err();
    assert!(t.elapsed() < FAST, "took {:?}", t.elapsed());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "model::anchor");
    let shown = tlsgen::diag::render_plain(&problems);
    assert!(
        shown.contains("YAML anchors and aliases are not accepted in a model"),
        "{shown}"
    );
    assert!(shown.contains("bomb.yaml:2:7"), "{shown}");
    assert!(shown.contains("help:"), "{shown}");
}

#[test]
fn lint_alias_bomb_is_one_parse_error() {
    for kind in [
        Kind::EtcdYaml,
        Kind::EtcdPod,
        Kind::K8sEncryption,
        Kind::DcosElastic,
    ] {
        let t = Instant::now();
        let report = lint_stdin(&billion_laughs(), kind);
        assert!(t.elapsed() < FAST, "took {:?}", t.elapsed());
        assert_eq!(
            parse_errors(&report),
            ["cannot parse this file: aliases expand to more than 100000 nodes"],
            "{kind:?}"
        );
    }
}

#[test]
fn deep_nesting_is_a_parse_error_not_a_stack_overflow() {
    for depth in [1_000usize, 100_000] {
        let open = "[".repeat(depth);
        let close = "]".repeat(depth);
        let t = Instant::now();
        let problems =
            tlsgen::model::load_str("deep.yaml", &format!("version: 1\npki: {open}{close}"))
                .unwrap_err();
        assert_eq!(problems[0].code, "model::syntax");
        assert!(
            problems[0].message.contains("recursion limit exceeded"),
            "{}",
            problems[0].message
        );
        for (kind, text) in [
            (Kind::EtcdYaml, format!("a: {open}{close}")),
            (Kind::DcosElastic, format!("{{\"a\": {open}{close}}}")),
            (Kind::Telegraf, format!("a = {open}{close}")),
            (
                Kind::InfluxdbData,
                format!("a = {}1{}", "{b = ".repeat(depth), "}".repeat(depth)),
            ),
        ] {
            eprintln!("probe {kind:?} {depth}");
            let report = lint_stdin(&text, kind);
            let errors = parse_errors(&report);
            assert_eq!(errors.len(), 1, "{kind:?} depth {depth}: {errors:?}");
            assert!(
                errors[0].contains("recursion limit"),
                "{kind:?}: {errors:?}"
            );
        }
        assert!(
            t.elapsed() < FAST * 5,
            "depth {depth} took {:?}",
            t.elapsed()
        );
    }
}

#[test]
fn ordinary_nesting_still_parses() {
    // Real configurations nest a handful of levels (a pod manifest about eight): far from the bound.
    let depth = 64;
    let text = format!("a: {}1{}", "[".repeat(depth), "]".repeat(depth));
    assert!(parse_errors(&lint_stdin(&text, Kind::EtcdYaml)).is_empty());
    let text = format!("a = {}1{}", "[".repeat(depth), "]".repeat(depth));
    assert!(parse_errors(&lint_stdin(&text, Kind::Telegraf)).is_empty());
}

fn block_nesting(depth: usize) -> String {
    (0..depth)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect()
}

#[test]
fn deep_block_nesting_in_a_model_is_refused_before_parsing() {
    for depth in [150usize, 1_000, 2_500] {
        let text = format!(
            "version: 1\npki:\n{}",
            block_nesting(depth).replace('\n', "\n ")
        );
        let t = Instant::now();
        let problems = tlsgen::model::load_str("deep.yaml", &text).unwrap_err();
        assert!(t.elapsed() < FAST, "depth {depth} took {:?}", t.elapsed());
        assert_eq!(problems[0].code, "model::too-deep");
        let shown = tlsgen::diag::render_plain(&problems);
        assert!(shown.contains("nests deeper than 100 levels"), "{shown}");
        assert!(shown.contains("help:"), "{shown}");
    }
    // Sequences count too: `- - - x`.
    let text = format!("version: 1\npki:\n{}x\n", "- ".repeat(200));
    assert_eq!(
        tlsgen::model::load_str("seq.yaml", &text).unwrap_err()[0].code,
        "model::too-deep"
    );
    // Real nesting is far below the bound.
    assert_eq!(tlsgen::model::too_deep(&block_nesting(50)), None);
    for example in [
        "cluster.yaml",
        "targets-ca-signed.yaml",
        "targets-bundle.yaml",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(example);
        assert_eq!(
            tlsgen::model::too_deep(&std::fs::read_to_string(path).unwrap()),
            None
        );
    }
}

#[test]
fn deep_block_nesting_in_linted_yaml_is_one_parse_error() {
    for depth in [150usize, 1_000, 2_000] {
        let t = Instant::now();
        for kind in [Kind::EtcdYaml, Kind::EtcdPod, Kind::K8sEncryption] {
            let report = lint_stdin(&block_nesting(depth), kind);
            assert_eq!(
                parse_errors(&report),
                ["cannot parse this file: nested deeper than 100 levels"],
                "{kind:?} depth {depth}"
            );
        }
        let seq = format!("a:\n{}x\n", "- ".repeat(depth));
        assert_eq!(parse_errors(&lint_stdin(&seq, Kind::EtcdYaml)).len(), 1);
        assert!(t.elapsed() < FAST, "depth {depth} took {:?}", t.elapsed());
    }
}

#[test]
fn files_over_the_size_cap_are_skipped_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Over the default 10 MiB: skipped, with a note, and nothing else is wrong.
    let big = format!(
        "[[outputs.influxdb]]\nurls = [\"http://a:8086\"]\n{}",
        "# padding\n".repeat(1_100_000)
    );
    std::fs::write(dir.join("telegraf.conf"), &big).unwrap();
    let t = Instant::now();
    let out = common::run_in(dir, &["lint", "telegraf.conf"]);
    assert!(t.elapsed() < FAST * 5, "took {:?}", t.elapsed());
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("telegraf.conf: skipped, 11000046 bytes is over the size cap of 10485760 bytes (max-file-size in tlsgen.toml)"),
        "{stderr}"
    );
    // The cap is configurable; a file under it is linted (TGF001: plain http).
    std::fs::write(
        dir.join("tlsgen.toml"),
        "[lint]\nmax-file-size = 20000000\n",
    )
    .unwrap();
    let out = common::run_in(dir, &["lint", "telegraf.conf", "--format", "short"]);
    assert_eq!(out.status.code(), Some(1), "{}", common::text(&out.stderr));
    assert!(common::text(&out.stdout).contains("TGF001"));
    std::fs::write(dir.join("tlsgen.toml"), "[lint]\nmax-file-size = 10\n").unwrap();
    std::fs::write(
        dir.join("telegraf.conf"),
        "[[outputs.influxdb]]\nurls = [\"http://a\"]\n",
    )
    .unwrap();
    let out = common::run_in(dir, &["lint", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert!(common::text(&out.stderr).contains("over the size cap of 10 bytes"));
    // A bad value is a configuration error (exit 2).
    std::fs::write(
        dir.join("tlsgen.toml"),
        "[lint]\nmax-file-size = \"10MB\"\n",
    )
    .unwrap();
    let out = common::run_in(dir, &["lint", "telegraf.conf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::text(&out.stderr).contains("`max-file-size` must be a positive number of bytes")
    );
}
