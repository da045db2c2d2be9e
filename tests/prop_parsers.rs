//! The fuzz targets' checks (`fuzz/harness.rs`) as stable property tests: arbitrary bytes and
//! arbitrary config-shaped text go through every parser and through `tlsgen::lint::lint` over stdin
//! with every `--kind`. No panic, spans inside the text, and a lint result that is findings or one
//! parse-error finding. `scripts/fuzz.sh` runs the same checks under libFuzzer.

#[path = "../fuzz/harness.rs"]
mod harness;

use proptest::prelude::*;

#[path = "support/proptest_config.rs"]
mod proptest_config;
use proptest_config::config;

/// Pieces of the syntaxes tlsgen reads, so that generated text reaches past the first line.
const PIECES: &[&str] = &[
    "[Service]\n",
    "[Unit]\n",
    "Environment=",
    "ExecStart=",
    "ETCD_CERT_FILE=",
    "ETCD_NAME=",
    "ETCD_LISTEN_CLIENT_URLS=",
    "https://",
    "http://",
    "\"",
    "'",
    "\\",
    "\\\n",
    "\n",
    "\r\n",
    " ",
    "\t",
    "#",
    ";",
    "=",
    ":",
    ": ",
    "- ",
    "---\n",
    "...\n",
    "{",
    "}",
    "[",
    "]",
    "[[",
    "]]",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "%YAML 1.2\n",
    "{{ x }}",
    "${X}",
    "%i",
    "$",
    "`",
    "export ",
    "[http]\n",
    "https-enabled = ",
    "true",
    "false",
    "[[outputs.influxdb]]\n",
    "urls = [",
    "kind: EncryptionConfiguration\n",
    "providers:\n",
    "  - identity: {}\n",
    "spec:\n",
    "containers:\n",
    "command:\n",
    "--cert-file=",
    "\"service\": {",
    "\"security\": ",
    "\u{feff}",
    "é",
    "\u{0}",
    "\u{2028}",
    "0x",
    "1e999",
    "~",
    "null",
    "'''",
    "\"\"\"",
];

fn config_text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(PIECES).prop_map(str::to_string),
                "[a-zA-Z0-9_./-]{0,12}",
            ],
            0..64
        )
        .prop_map(|parts| parts.concat().into_bytes()),
    ]
}

proptest! {
    #![proptest_config(config(256, 0x7115_6e4e))]

    #[test]
    fn systemd_unit_parser_never_panics(data in config_text()) {
        harness::systemd_unit(&data);
    }

    #[test]
    fn envfile_parser_never_panics(data in config_text()) {
        harness::envfile(&data);
    }

    #[test]
    fn toml_parser_never_panics(data in config_text()) {
        harness::toml(&data);
    }

    #[test]
    fn yaml_parser_never_panics(data in config_text()) {
        harness::yaml(&data);
    }

    #[test]
    fn json_parser_never_panics(data in config_text()) {
        harness::json(&data);
    }

}

proptest! {
    #![proptest_config(config(64, 0x7115_6e4e))]

    #[test]
    fn model_loader_refuses_or_renders(data in config_text()) {
        harness::model(&data);
    }

    #[test]
    fn lint_under_every_kind_gives_findings_or_one_parse_error(data in config_text()) {
        harness::lint_any(&data);
    }
}

/// Every committed fuzz seed and every fixture through every check (the corpus the fuzzer starts
/// from, so a seed that once crashed stays a test).
#[test]
fn every_seed_and_fixture_passes_every_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["fuzz/seeds", "tests/fixtures", "examples", "tests/models"] {
        collect(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} seed files", files.len());
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let checks: [(&str, Check); 7] = [
            ("systemd_unit", harness::systemd_unit),
            ("envfile", harness::envfile),
            ("toml", harness::toml),
            ("yaml", harness::yaml),
            ("json", harness::json),
            ("model", harness::model),
            ("lint_any", harness::lint_any),
        ];
        // Fixtures are linted by their own tests: here they go through the parsers only.
        let n = if f.starts_with(root.join("tests/fixtures")) {
            5
        } else {
            7
        };
        for (name, check) in checks.into_iter().take(n) {
            let r = std::panic::catch_unwind(|| check(&data));
            assert!(r.is_ok(), "{name} failed on {}", f.display());
        }
    }
}

/// One of the harness's checks.
type Check = fn(&[u8]);

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if std::fs::metadata(&p)
            .map(|m| m.len() < 256 * 1024)
            .unwrap_or(false)
        {
            out.push(p);
        }
    }
}
