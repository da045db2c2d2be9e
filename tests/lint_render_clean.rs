//! The invariant of DESIGN.md: whatever `render` writes, `lint` passes clean, unless the model
//! explicitly opted into an insecure choice, and then lint reports exactly that choice. Every
//! model under `examples/` and `tests/models/` (not `tests/models/invalid/`) is rendered and its
//! output linted.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

/// Models that opt into an insecure choice, and the rule codes that choice must produce.
const OPTED_IN: &[(&str, &[&str])] = &[
    // Self-signed InfluxDB certificates (clients skip verification) and a Telegraf agent with
    // `insecure_skip_verify: true`, both written in the model. Also `api_version: v1` for the
    // Kubernetes KMS provider (K8SENC004) and `legacy_xpack: true` for a <= 6.2 Elastic package
    // (DCOS005: `xpack_enabled`, needed there, no effect on newer packages).
    (
        "examples/targets-self-signed.yaml",
        &["DCOS005", "INFLUX007", "K8SENC004", "TGF002"],
    ),
    // `client_cert_auth: false` and `peer_client_cert_auth: false` in the model.
    (
        "tests/models/release-2.2-insecure.yaml",
        &["ETCD003", "ETCD006"],
    ),
    // `legacy_port: 4001` with `client_cert_auth: true`: members keep plain http on 127.0.0.1
    // for old clients during the migration, where client-cert-auth does not apply (ETCD021).
    ("examples/cluster.yaml", &["ETCD021"]),
    ("tests/models/plan-release-2.1.yaml", &["ETCD021"]),
    ("tests/models/release-2.1.yaml", &["ETCD021"]),
];

fn models() -> Vec<PathBuf> {
    let root = common::repo_root();
    let mut out = Vec::new();
    for dir in ["examples", "tests/models"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(p.strip_prefix(&root).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_rendered_model_lints_clean_or_reports_exactly_its_opt_in() {
    let models = models();
    assert!(models.len() >= 2, "no models found");
    let mut linted_files = 0;
    for model in models {
        let name = model.to_string_lossy().replace('\\', "/");
        let out = tempfile::tempdir().unwrap();
        let render = common::run_in(
            &common::repo_root(),
            &["render", &name, "--out", out.path().to_str().unwrap()],
        );
        assert_eq!(
            render.status.code(),
            Some(0),
            "render {name}: {}",
            common::text(&render.stderr)
        );
        let lint = common::run_in(out.path(), &["lint", "--format", "json", "."]);
        let json = common::text(&lint.stdout);
        let findings: Vec<serde_json::Value> =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}: {json}"));
        let codes: BTreeSet<&str> = findings
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        let expected: BTreeSet<&str> = OPTED_IN
            .iter()
            .find(|(m, _)| *m == name)
            .map(|(_, c)| c.iter().copied().collect())
            .unwrap_or_default();
        assert_eq!(
            codes, expected,
            "{name}: lint of the rendered files:\n{json}"
        );
        assert_eq!(
            lint.status.code(),
            Some(if expected.is_empty() { 0 } else { 1 }),
            "{name}: exit code"
        );
        linted_files += walk_count(out.path());
    }
    assert!(linted_files > 10, "only {linted_files} rendered files");
}

fn walk_count(dir: &std::path::Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        n += if p.is_dir() { walk_count(&p) } else { 1 };
    }
    n
}
