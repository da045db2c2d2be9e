//! Every input that fuzzing or the property tests once broke tlsgen with, kept as a test. Each
//! names the check it failed (`fuzz/harness.rs`) and the fix. The same bytes live in
//! `fuzz/seeds/<target>/` so the fuzzer starts from them.

#[path = "../fuzz/harness.rs"]
mod harness;

use tlsgen::lint::{self, Input, Kind, Settings};

/// A seed of the fuzz corpus (`fuzz/seeds/<target>/<name>`).
fn seed(path: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/seeds")
            .join(path),
    )
    .unwrap()
}

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

/// cargo-fuzz, `systemd_unit` (scripts/fuzz.sh, first run): `Environment="A=/x"` followed by
/// invalid UTF-8 (read as U+FFFD) gave a value span that ended inside a character, because the
/// closing quote was subtracted from a word that did not end with one. Fixed in
/// `src/lint/parse/systemd.rs`: spans come from the raw word's own offsets.
#[test]
fn assignment_span_never_splits_a_character() {
    let data = seed("systemd_unit/quote-then-invalid-utf8");
    harness::systemd_unit(&data);
    let text = "[Service]\nEnvironment=\"ETCD_X=/a\"\u{fffd}\u{fffd} \"B=é\" \\ä=1\n";
    let unit = tlsgen::lint::parse::systemd::parse(text);
    let entry = unit.entries("Service", "Environment").next().unwrap();
    let a = tlsgen::lint::parse::systemd::assignments(entry).unwrap();
    assert_eq!(&text[a[0].name_span.clone()], "ETCD_X");
    assert_eq!(&text[a[0].value_span.clone()], "/a\"\u{fffd}\u{fffd}");
    assert_eq!(&text[a[1].value_span.clone()], "é");
    assert_eq!(&text[a[2].name_span.clone()], "\\ä");
    harness::lint_any(format!("\n{text}").as_bytes());
}

/// cargo-fuzz, `yaml` (CI, second session): a parse error right after a masked template
/// (`{{- ... }}` holding a multi-byte character, masked to ASCII) got a span that was a
/// character boundary of the masked text but split a character of the file's own text. Fixed in
/// `src/lint/parse/yaml.rs` (`error_span` aligns to the original text).
#[test]
fn yaml_error_after_a_masked_template_never_splits_a_character() {
    let data = seed("yaml/masked-template-before-multibyte");
    harness::yaml(&data);
    let text = harness::text(&data);
    let err = tlsgen::lint::parse::yaml::parse(&text, false).unwrap_err();
    assert!(text.is_char_boundary(err.span.start) && text.is_char_boundary(err.span.end));
    assert!(err.span.start < err.span.end, "{err:?}");
    harness::lint_any(format!("\n{text}").as_bytes());
}

/// cargo-fuzz, `yaml` (CI, second session, after the fix above): a document that parses, with
/// a mapping right after a masked template, got node and key spans on boundaries of the masked
/// text that split characters of the file. Fixed in `src/lint/parse/yaml.rs` (`align_spans`:
/// every span of both parsers is widened to the original text's character boundaries).
#[test]
fn yaml_node_spans_after_a_masked_template_never_split_a_character() {
    let data = seed("yaml/masked-template-node-span");
    harness::yaml(&data);
    harness::lint_any(&data);
}
