//! Every input that fuzzing or the property tests once broke tlsgen with, kept as a test. Each
//! names the check it failed (`fuzz/harness.rs`) and the fix. The same bytes live in
//! `fuzz/seeds/<target>/` so the fuzzer starts from them.

#[path = "../fuzz/harness.rs"]
mod harness;

use tlsgen::lint::{self, Input, Kind, Settings};

fn lint_stdin(text: &str, kind: Kind) -> lint::Report {
    let input = Input {
        stdin: Some(("stdin".to_string(), text.to_string())),
        kind: Some(kind),
        ..Input::default()
    };
    lint::lint(&input, &Settings::default()).unwrap()
}

/// proptest, `lint_any`: a unit with a line that is no assignment and an `Environment=` value that
/// is no `NAME=value` got two TLSGEN001 findings. Fixed in `src/lint/mod.rs`: a unit whose syntax
/// already failed gets no second parse error from its words.
#[test]
fn unit_with_two_syntax_problems_gets_one_parse_error() {
    let text = "[Service]\nhttps://kind: EncryptionConfiguration\nEnvironment=#";
    let report = lint_stdin(text, Kind::EtcdUnit);
    let parse_errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule.code == "TLSGEN001")
        .collect();
    assert_eq!(parse_errors.len(), 1, "{:#?}", report.findings);
    // It points at the first problem, the line that is not an assignment.
    assert_eq!(
        &text[parse_errors[0].span.start..parse_errors[0].span.end],
        "https://kind: EncryptionConfiguration"
    );
    harness::lint_any(format!("_{text}").as_bytes());
}
