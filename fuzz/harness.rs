//! The checks every fuzz target runs, shared with the stable property tests
//! (`tests/prop_parsers.rs` includes this file with `#[path]`). Each function takes arbitrary bytes
//! and panics only when tlsgen breaks a promise: a parser panicked, returned a span outside the
//! text (or inside a UTF-8 character), or lint returned something other than findings or one
//! parse-error finding per file.

#![allow(dead_code)]

use std::ops::Range;

use tlsgen::lint::{self, Input, Kind, Settings};

/// Every `--kind` lint accepts.
pub const KINDS: [Kind; 10] = [
    Kind::EtcdUnit,
    Kind::EtcdEnv,
    Kind::EtcdYaml,
    Kind::EtcdPod,
    Kind::Etcdctl,
    Kind::InfluxdbData,
    Kind::InfluxdbMeta,
    Kind::Telegraf,
    Kind::K8sEncryption,
    Kind::DcosElastic,
];

/// Text as lint reads a file: lossy UTF-8.
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn assert_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a UTF-8 character"
    );
}

/// systemd unit files: the span-keeping parser, word splitting and `Environment=` parsing.
pub fn systemd_unit(data: &[u8]) {
    let text = text(data);
    let unit = tlsgen::systemd::parse(&text);
    for e in &unit.errors {
        assert_span(&text, &e.span, "unit syntax error");
    }
    for section in &unit.sections {
        assert_span(&text, &section.name_span, "section name");
        for entry in &section.entries {
            assert_span(&text, &entry.key_span, "key");
            assert_span(&text, &entry.value.span(), "value");
            if let Ok(words) = tlsgen::lint::parse::systemd::words(entry) {
                for w in &words {
                    assert_span(&text, &w.span, "word");
                }
            }
            if let Ok(assignments) = tlsgen::lint::parse::systemd::assignments(entry) {
                for a in &assignments {
                    assert_span(&text, &a.name_span, "assignment name");
                    assert_span(&text, &a.value_span, "assignment value");
                }
            }
            let _ = tlsgen::systemd::environment(&entry.value.text);
        }
    }
    let mut view = tlsgen::systemd::ServiceView::default();
    let _ = view.apply(&unit);
}

/// Environment files (`KEY=value`, quotes, `export`).
pub fn envfile(data: &[u8]) {
    let text = text(data);
    match tlsgen::lint::parse::envfile::parse(&text) {
        Ok(entries) => {
            for e in &entries {
                assert_span(&text, &e.name_span, "env name");
                assert_span(&text, &e.value_span, "env value");
            }
        }
        Err(e) => assert_span(&text, &e.span, "env parse error"),
    }
}

/// TOML (InfluxDB, Telegraf) through toml_edit with templates masked.
pub fn toml(data: &[u8]) {
    let text = text(data);
    if let Err(e) = tlsgen::lint::parse::toml::parse(&text) {
        assert!(e.span.start <= e.span.end && e.span.end <= text.len());
    }
}

fn yaml_node(text: &str, node: &tlsgen::lint::parse::yaml::YNode, depth: usize) {
    use tlsgen::lint::parse::yaml::YValue;
    assert_span(text, &node.span, "yaml node");
    // An iterative bound would be nicer, but the tree is as deep as the input allows; the parser
    // itself must refuse what is too deep before this recursion could matter.
    assert!(depth < 100_000, "yaml tree deeper than the input");
    match &node.value {
        YValue::Scalar(_) => {}
        YValue::Map(entries) => {
            for (k, v) in entries {
                assert_span(text, &k.span, "yaml key");
                yaml_node(text, v, depth + 1);
            }
        }
        YValue::Seq(items) => {
            for i in items {
                yaml_node(text, i, depth + 1);
            }
        }
    }
}

fn yaml_or_json(data: &[u8], json: bool) {
    let text = text(data);
    match tlsgen::lint::parse::yaml::parse(&text, json) {
        Ok(docs) => {
            for d in &docs {
                yaml_node(&text, d, 0);
            }
        }
        Err(e) => assert_span(&text, &e.span, "yaml parse error"),
    }
}

/// YAML streams (etcd config, pod manifests, EncryptionConfiguration).
pub fn yaml(data: &[u8]) {
    yaml_or_json(data, false);
}

/// JSON (DC/OS Elastic options), read as YAML flow syntax.
pub fn json(data: &[u8]) {
    yaml_or_json(data, true);
}

/// The model loader: a model either loads (and then renders without a panic, every artifact to a
/// safe host directory) or is refused with errors that each carry a code and a message.
pub fn model(data: &[u8]) {
    let text = text(data);
    match tlsgen::model::load_str("fuzz.yaml", &text) {
        Ok(loaded) => {
            let templates = tlsgen::render::Templates::load(None).expect("built-in templates load");
            let selection = tlsgen::render::Selection::default();
            if let Ok(artifacts) =
                tlsgen::render::render(&loaded.cluster, "fuzz.yaml", &templates, &selection)
            {
                let out = std::path::Path::new("/nonexistent-out");
                for a in &artifacts {
                    let dest = tlsgen::render::output::destination(out, a)
                        .expect("a validated model renders only to paths under OUT");
                    assert!(dest.starts_with(out.join(&a.host)));
                }
            }
        }
        Err(problems) => {
            assert!(
                !problems.is_empty(),
                "a refused model has at least one error"
            );
            for p in &problems {
                assert!(p.is_error());
            }
            let shown = tlsgen::diag::render_plain(&problems);
            assert!(!shown.is_empty());
        }
    }
}

/// Lint text from stdin as `kind` and check the shape of the report.
pub fn lint_as(data: &[u8], kind: Kind) {
    let text = text(data);
    let input = Input {
        stdin: Some(("stdin".to_string(), text.clone())),
        kind: Some(kind),
        ..Input::default()
    };
    let report = lint::lint(&input, &Settings::default()).expect("linting stdin never fails");
    // stdin with --kind is always linted, unless it holds a private key (skipped, never quoted).
    let expected_files = usize::from(!tlsgen::diag::holds_private_key(&text));
    assert_eq!(report.files, expected_files, "files linted");
    let parse_errors = report
        .findings
        .iter()
        .filter(|f| f.rule.code == "TLSGEN001")
        .count();
    assert!(
        parse_errors <= 1,
        "{parse_errors} parse-error findings for one file (kind {})",
        kind.as_str()
    );
    for f in &report.findings {
        let file = report.sources.get(f.span.file);
        assert_span(&file.text, &(f.span.start..f.span.end), f.rule.code);
        assert!(!f.message.is_empty());
    }
    let mut out = Vec::new();
    for format in [
        lint::output::Format::Human,
        lint::output::Format::Json,
        lint::output::Format::Sarif,
    ] {
        out.clear();
        lint::output::write(&report, format, false, &mut out).expect("writes to memory");
    }
}

/// Lint arbitrary bytes under every kind (the first byte picks where to start, so a fuzzer can
/// focus on one kind without losing the others).
pub fn lint_any(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        for k in KINDS {
            lint_as(b"", k);
        }
        return;
    };
    let start = usize::from(first) % KINDS.len();
    for i in 0..KINDS.len() {
        lint_as(rest, KINDS[(start + i) % KINDS.len()]);
    }
}
