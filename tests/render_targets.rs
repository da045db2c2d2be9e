//! InfluxDB Enterprise, Telegraf, DC/OS Elastic and Kubernetes: every artifact of the example
//! models snapshotted, the key facts of FACTS sections 3 to 6 asserted on the parsed output, the
//! validation errors of those sections, and `render`'s ownership of the JSON files it wrote.

mod common;

use serde_json::Value;
use tlsgen::model::{self, Loaded};
use tlsgen::render::{
    self, elastic, influxdb, kubernetes, telegraf, Artifact, Selection, Templates,
};

const MODELS: &[&str] = &[
    "examples/targets-ca-signed.yaml",
    "examples/targets-bundle.yaml",
    "examples/targets-self-signed.yaml",
];

fn load(rel: &str) -> Loaded {
    let text = std::fs::read_to_string(common::repo_root().join(rel)).expect("model exists");
    model::load_str(rel, &text)
        .unwrap_or_else(|p| panic!("{rel} should be valid:\n{}", tlsgen::diag::render_plain(&p)))
}

fn artifacts(rel: &str) -> Vec<Artifact> {
    let loaded = load(rel);
    let templates = Templates::load(None).unwrap();
    let name = rel.rsplit('/').next().unwrap();
    render::render(&loaded.cluster, name, &templates, &Selection::default()).expect("renders")
}

fn find<'a>(arts: &'a [Artifact], host: &str, path: &str) -> &'a Artifact {
    arts.iter()
        .find(|a| a.host == host && a.path == path)
        .unwrap_or_else(|| panic!("no artifact {host}:{path}"))
}

fn toml(a: &Artifact) -> toml_edit::DocumentMut {
    a.content
        .parse()
        .unwrap_or_else(|e| panic!("{} is TOML: {e}", a.path))
}

#[test]
fn every_target_artifact_of_every_example_matches_its_snapshot() {
    for rel in MODELS {
        let loaded = load(rel);
        let arts = artifacts(rel);
        let mut doc = format!("model: {rel}\nartifacts: {}\n", arts.len());
        let codes: Vec<&str> = loaded.warnings.iter().map(|w| w.code).collect();
        doc.push_str(&format!("warnings: {}\n", codes.join(", ")));
        for a in &arts {
            doc.push_str(&format!(
                "\n==> host: {}  path: {}  mode: {:04o}  owner: {}  target: {}\n{}",
                a.host,
                a.path,
                a.mode,
                a.owner,
                a.target.as_str(),
                a.content
            ));
        }
        let stem = rel.rsplit('/').next().unwrap().trim_end_matches(".yaml");
        common::insta_settings()
            .bind(|| insta::assert_snapshot!(format!("render_targets__{stem}"), doc));
    }
}

#[test]
fn influxdb_sections_follow_the_certificate_kind() {
    for (rel, kind) in [
        ("examples/targets-ca-signed.yaml", "ca-signed"),
        ("examples/targets-bundle.yaml", "bundle"),
        ("examples/targets-self-signed.yaml", "self-signed"),
    ] {
        let arts = artifacts(rel);
        let loaded = load(rel);
        let i = loaded.cluster.influxdb.as_ref().unwrap();
        let insecure = kind == "self-signed";
        for n in &i.meta_nodes {
            let d = toml(find(&arts, &n.name, influxdb::META_CONF));
            let meta = d["meta"].as_table().unwrap();
            assert_eq!(meta["https-enabled"].as_bool(), Some(true));
            let cert = meta["https-certificate"].as_str().unwrap();
            let key = meta["https-private-key"].as_str().unwrap();
            if kind == "bundle" {
                assert_eq!(cert, key, "a bundle is both certificate and key");
            } else {
                assert_ne!(cert, key);
            }
            assert_eq!(
                meta.get("https-insecure-tls").and_then(|v| v.as_bool()),
                insecure.then_some(true),
                "{rel}"
            );
        }
        for n in &i.data_nodes {
            let d = toml(find(&arts, &n.name, influxdb::DATA_CONF));
            assert_eq!(d["http"]["https-enabled"].as_bool(), Some(true));
            assert!(d["http"]["https-certificate"]
                .as_str()
                .unwrap()
                .starts_with('/'));
            assert_eq!(d["meta"]["meta-tls-enabled"].as_bool(), Some(true));
            assert_eq!(
                d["meta"].get("meta-insecure-tls").and_then(|v| v.as_bool()),
                insecure.then_some(true)
            );
            assert_eq!(
                d.get("cluster").is_some(),
                i.internode_tls.value,
                "[cluster] only with internode TLS (F-I8)"
            );
            let min = d["tls"]["min-version"].as_str().unwrap();
            assert!(matches!(min, "tls1.2" | "tls1.3"), "F-I6 spelling: {min}");
        }
        // Config files: world-readable, root-owned; the runbook names the restart order and checks.
        let runbook = &find(&arts, model::ADMIN_HOST, influxdb::RUNBOOK).content;
        let meta_at = runbook.find("systemctl restart influxdb-meta").unwrap();
        let data_at = runbook.find("systemctl restart influxdb\n").unwrap();
        assert!(
            meta_at < data_at,
            "meta nodes restart before data nodes (F-I8)"
        );
        assert!(runbook.contains("chmod 0600"));
        assert_eq!(runbook.contains("influxd-ctl -bind-tls -k show"), insecure);
        assert_eq!(runbook.contains("-unsafeSsl"), insecure);
        assert_eq!(
            runbook.contains("openssl req -x509 -nodes -newkey rsa:2048"),
            insecure
        );
    }
}

#[test]
fn telegraf_writes_https_urls_trusts_a_ca_and_never_a_literal_password() {
    for rel in MODELS {
        let loaded = load(rel);
        let t = loaded.cluster.telegraf.as_ref().unwrap();
        let arts = artifacts(rel);
        for agent in &t.agents {
            let d = toml(find(&arts, &agent.name, telegraf::CONF));
            let out = d["outputs"]["influxdb"]
                .as_array_of_tables()
                .unwrap()
                .get(0)
                .unwrap();
            let urls: Vec<&str> = out["urls"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u.as_str().unwrap())
                .collect();
            assert!(!urls.is_empty());
            assert!(urls.iter().all(|u| u.starts_with("https://")), "{urls:?}");
            assert_eq!(out["tls_ca"].as_str(), Some(agent.ca.value.as_str()));
            assert_eq!(out["password"].as_str(), Some("$INFLUX_PASSWORD"));
            for removed in ["ssl_ca", "ssl_cert", "ssl_key"] {
                assert!(
                    !out.contains_key(removed),
                    "F-T5: {removed} was removed in v1.35"
                );
            }
            assert_eq!(out.contains_key("tls_cert"), agent.cert.is_some());
            assert_eq!(
                out.contains_key("tls_key"),
                agent.key.is_some(),
                "F-T4: both or neither"
            );
            assert_eq!(
                out.get("insecure_skip_verify").and_then(|v| v.as_bool()),
                agent.insecure_skip_verify.value.then_some(true)
            );
        }
        if let Some(lb) = &t.load_balancer {
            let d = toml(find(&arts, &t.agents[0].name, telegraf::CONF));
            let urls = d["outputs"]["influxdb"][0]["urls"]
                .as_array()
                .unwrap()
                .clone();
            assert_eq!(urls.len(), 1);
            assert_eq!(
                urls.get(0).unwrap().as_str().unwrap(),
                format!("https://{}:8086", lb.value)
            );
        }
    }
}

#[test]
fn elastic_options_parse_and_match_the_schema_facts() {
    for rel in MODELS {
        let loaded = load(rel);
        let e = loaded.cluster.elastic.as_ref().unwrap();
        let arts = artifacts(rel);
        let jsons: Vec<&Artifact> = arts.iter().filter(|a| a.path.ends_with(".json")).collect();
        for a in &jsons {
            assert!(a.comment.is_none(), "JSON has no header");
            let v: Value = serde_json::from_str(&a.content).expect("valid JSON");
            assert_eq!(
                elastic::check_options(&v),
                Vec::<String>::new(),
                "{}",
                a.path
            );
            let service = &v["service"];
            assert_eq!(service["name"], Value::from(e.service_name.value.as_str()));
            assert_eq!(
                service["service_account"],
                Value::from(e.service_account.value.as_str())
            );
            assert_eq!(
                service["service_account_secret"],
                Value::from(e.service_account_secret.value.as_str())
            );
            assert_eq!(
                service["security"]["transport_encryption"]["enabled"],
                Value::Bool(true)
            );
            let expected = if a.path == elastic::UPDATE_JSON {
                "parallel"
            } else {
                "serial"
            };
            assert_eq!(service["update_strategy"], Value::from(expected), "F-D5");
            assert!(
                v.get("service").unwrap().get("allow_plaintext").is_none(),
                "F-D6"
            );
            // Stable key order: keys sorted, so re-serialising gives the same bytes.
            assert_eq!(serde_json::to_string_pretty(&v).unwrap() + "\n", a.content);
            // Every JSON file has its stamp.
            assert!(arts.iter().any(|s| s.path == format!("{}.tlsgen", a.path)));
        }
        let runbook = &find(&arts, model::ADMIN_HOST, elastic::RUNBOOK).content;
        assert!(runbook.contains("dcos security secrets create-sa-secret"));
        match e.mode.value {
            model::ElasticMode::Install => {
                assert_eq!(jsons.len(), 1);
                assert!(runbook.contains("dcos package install elastic --options="));
            }
            model::ElasticMode::Update => {
                assert_eq!(jsons.len(), 2);
                assert!(runbook.contains("full-cluster restart"), "F-D5");
                assert!(runbook.contains("back to `serial`"), "F-D5");
            }
        }
    }
    // The checker itself rejects what the schema rejects.
    let bad: Value = serde_json::json!({
        "service": {"name": "e", "user": "nobody", "deploy_strategy": "rolling", "security": {"transport_encryption": {"enabled": "yes"}}},
        "elasticsearch": {"xpack_enabled": true, "tls": true}
    });
    let errs = elastic::check_options(&bad);
    assert_eq!(errs.len(), 4, "{errs:?}");
}

#[test]
fn encryption_configuration_puts_kms_first_and_identity_last() {
    for rel in MODELS {
        let loaded = load(rel);
        let k = loaded.cluster.kubernetes.as_ref().unwrap();
        let arts = artifacts(rel);
        let configs: Vec<&Artifact> = arts
            .iter()
            .filter(|a| a.path == k.encryption.path.value)
            .collect();
        assert_eq!(configs.len(), k.control_plane.len().max(1));
        for a in configs {
            assert_eq!(a.mode, 0o600, "F-K4: readable only by kube-apiserver");
            let node = marked_yaml::parse_yaml(0, &a.content).expect("valid YAML");
            let root = node.as_mapping().unwrap();
            assert_eq!(
                root.get_scalar("apiVersion").unwrap().as_str(),
                "apiserver.config.k8s.io/v1"
            );
            assert_eq!(
                root.get_scalar("kind").unwrap().as_str(),
                "EncryptionConfiguration"
            );
            let entries = root.get_sequence("resources").unwrap();
            assert_eq!(entries.len(), 1);
            let entry = entries[0].as_mapping().unwrap();
            let resources: Vec<&str> = entry
                .get_sequence("resources")
                .unwrap()
                .iter()
                .map(|r| r.as_scalar().unwrap().as_str())
                .collect();
            let expected: Vec<&str> = k
                .encryption
                .resources
                .iter()
                .map(|r| r.value.as_str())
                .collect();
            assert_eq!(resources, expected);
            let providers = entry.get_sequence("providers").unwrap();
            assert_eq!(providers.len(), 2);
            let first = providers[0].as_mapping().unwrap();
            assert_eq!(first.len(), 1, "F-K2: one provider type per element");
            let kms = first
                .get_mapping("kms")
                .expect("F-K3: KMS first, it encrypts");
            assert_eq!(
                kms.get_scalar("apiVersion").unwrap().as_str(),
                k.encryption.kms.api_version.value.as_str()
            );
            assert_eq!(
                kms.get_scalar("name").unwrap().as_str(),
                k.encryption.kms.name.value
            );
            assert!(
                kms.get_scalar("endpoint")
                    .unwrap()
                    .as_str()
                    .starts_with("unix:///"),
                "F-K5"
            );
            assert!(kms.get("cachesize").is_none(), "F-K5: no cachesize with v2");
            let last = providers[1].as_mapping().unwrap();
            assert!(
                last.get_mapping("identity").is_some_and(|m| m.is_empty()),
                "identity: {{}} last"
            );
        }
        let runbook = &find(&arts, model::ADMIN_HOST, kubernetes::RUNBOOK).content;
        let prefix =
            kubernetes::storage_prefix(k.encryption.kms.api_version.value, &k.encryption.kms.name);
        assert!(runbook.contains(&format!("`{prefix}`")), "F-K8");
    }
    let ca = load("examples/targets-ca-signed.yaml");
    let bundle = load("examples/targets-bundle.yaml");
    assert_eq!(
        ca.cluster
            .kubernetes
            .unwrap()
            .encryption
            .kms
            .api_version
            .value,
        model::KmsVersion::V2
    );
    assert_eq!(
        bundle
            .cluster
            .kubernetes
            .unwrap()
            .encryption
            .kms
            .api_version
            .value,
        model::KmsVersion::V2,
        "v2 by default"
    );
    assert_eq!(
        kubernetes::storage_prefix(model::KmsVersion::V2, "kms-plugin"),
        "k8s:enc:kms:v2:kms-plugin:"
    );
}

#[test]
fn insecure_and_deprecated_choices_warn_where_they_are_written() {
    let loaded = load("examples/targets-self-signed.yaml");
    let text = tlsgen::diag::render_plain(&loaded.warnings);
    common::insta_settings().bind(|| insta::assert_snapshot!("render_targets__warnings", text));
    assert!(load("examples/targets-ca-signed.yaml").warnings.is_empty());
}

/// Invalid models of these sections: each error points at the value with a label and a help line.
#[test]
fn invalid_target_sections_are_reported_at_the_offending_value() {
    let cases: &[(&str, &str)] = &[
        (
            "bundle-without-pem",
            "version: 1\ninfluxdb:\n  certificate: { kind: bundle, cert: /etc/ssl/x.crt }\n  meta_nodes: [ { name: m1, address: 10.0.0.1 } ]\n  data_nodes: [ { name: d1, address: 10.0.0.2 } ]\n",
        ),
        (
            "relative-cert-path",
            "version: 1\ninfluxdb:\n  certificate: { kind: ca-signed, cert: influxdb.crt, key: /etc/ssl/influxdb.key }\n  meta_nodes: [ { name: m1, address: 10.0.0.1 } ]\n  data_nodes: [ { name: d1, address: 10.0.0.2 } ]\n",
        ),
        (
            "half-client-pair",
            "version: 1\ntelegraf:\n  load_balancer: lb.example.com\n  agents:\n    - { name: a1, ca: /etc/ca.pem, cert: /etc/a1.pem }\n",
        ),
        (
            "kms-tcp-endpoint",
            "version: 1\nkubernetes:\n  encryption:\n    kms: { name: k, endpoint: \"tcp://10.0.0.1:9000\" }\n",
        ),
        (
            "kms-name-colon",
            "version: 1\nkubernetes:\n  encryption:\n    kms: { name: \"a:b\", endpoint: \"unix:///k.sock\" }\n",
        ),
        (
            "resource-star",
            "version: 1\nkubernetes:\n  encryption:\n    resources: [secrets, \"*\"]\n    kms: { name: k, endpoint: \"unix:///k.sock\" }\n",
        ),
        (
            "elastic-bad-name",
            "version: 1\nelastic:\n  service_name: Elastic_1\n  service_account: e\n  service_account_secret: e/s\n",
        ),
        (
            "elastic-unknown-key",
            "version: 1\nelastic:\n  service_account: e\n  service_account_secret: e/s\n  allow_plaintext: true\n",
        ),
        (
            "reserved-host",
            "version: 1\ntelegraf:\n  load_balancer: lb.example.com\n  agents:\n    - { name: tlsgen-admin, ca: /etc/ca.pem }\n",
        ),
    ];
    let mut all = String::new();
    for (name, yaml) in cases {
        let problems = match model::load_str(&format!("{name}.yaml"), yaml) {
            Ok(_) => panic!("{name} should be rejected"),
            Err(p) => p,
        };
        for p in &problems {
            assert!(p.is_error());
            assert!(!p.help.is_empty(), "{name}: every error has a help line");
            assert!(
                p.span.is_some(),
                "{name}: every error points at the model: {}",
                p.message
            );
        }
        all.push_str(&format!(
            "--- {name}\n{}",
            tlsgen::diag::render_plain(&problems)
        ));
    }
    common::insta_settings().bind(|| insta::assert_snapshot!("render_targets__invalid", all));
}

/// `render` re-writes the JSON it wrote without --force, and refuses a JSON file it did not write
/// (or one edited since) until --force.
#[test]
fn json_files_are_recognised_by_their_stamp() {
    let tmp = tempfile::tempdir().unwrap();
    let model = common::repo_root().join("examples/targets-bundle.yaml");
    let out = tmp.path().join("out");
    let render = |extra: &[&str]| {
        let mut args = vec![
            "render",
            model.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--only",
            "elastic",
        ];
        args.extend_from_slice(extra);
        common::run_in(tmp.path(), &args)
    };
    assert!(render(&[]).status.success());
    let json = out
        .join("tlsgen-admin")
        .join(elastic::UPDATE_JSON.trim_start_matches('/'));
    let original = std::fs::read_to_string(&json).unwrap();
    // Again: unchanged, no --force needed.
    let again = render(&[]);
    assert!(again.status.success(), "{}", common::text(&again.stderr));
    // A stale file tlsgen wrote (stamp matches) is replaced without --force.
    let stale = original.replace("\"serial\"", "\"parallel\"");
    std::fs::write(&json, &stale).unwrap();
    let stamp = json.with_file_name("elastic-options-update.json.tlsgen");
    let stamp_text = std::fs::read_to_string(&stamp).unwrap();
    let line = format!("fnv1a-64 {:016x}", render::merge::fnv1a64(stale.as_bytes()));
    let old_line = stamp_text.lines().last().unwrap().to_string();
    std::fs::write(&stamp, stamp_text.replace(&old_line, &line)).unwrap();
    let refresh = render(&[]);
    assert!(
        refresh.status.success(),
        "{}",
        common::text(&refresh.stderr)
    );
    assert_eq!(std::fs::read_to_string(&json).unwrap(), original);
    // A hand edit (stamp no longer matches) is protected.
    std::fs::write(&json, original.replace("nobody", "root")).unwrap();
    let refused = render(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(common::text(&refused.stderr).contains("render::not-ours"));
    assert!(
        std::fs::read_to_string(&json).unwrap().contains("root"),
        "nothing overwritten"
    );
    // A foreign file with no stamp at all is protected too.
    std::fs::remove_file(&stamp).unwrap();
    std::fs::write(&json, &original).unwrap();
    let other = out
        .join("tlsgen-admin")
        .join(elastic::SERIAL_JSON.trim_start_matches('/'));
    std::fs::remove_file(other.with_file_name("elastic-options-serial.json.tlsgen")).unwrap();
    std::fs::write(&other, "{\"service\": {}}\n").unwrap();
    let foreign = render(&[]);
    assert_eq!(foreign.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        "{\"service\": {}}\n"
    );
    assert!(render(&["--force"]).status.success());
    assert_eq!(std::fs::read_to_string(&json).unwrap(), original);
}
