//! Every artifact of the example model and of the test models, snapshotted with its host, path,
//! mode and owner; and every rendered etcd drop-in read back through the systemd parser.

mod common;

use std::collections::BTreeSet;

use tlsgen::model::{self, Loaded};
use tlsgen::render::{self, etcd, Artifact, Selection, Templates};
use tlsgen::systemd::{self, ServiceView};

/// The valid models whose artifacts are snapshotted (paths relative to the repository root).
const MODELS: &[&str] = &[
    "examples/cluster.yaml",
    "tests/models/single-member.yaml",
    "tests/models/release-2.1.yaml",
    "tests/models/release-2.2-insecure.yaml",
    "tests/models/no-legacy-port.yaml",
];

const SCHEMA_LINE: &str = "# yaml-language-server: $schema=";

fn load(rel: &str) -> Loaded {
    let text = std::fs::read_to_string(common::repo_root().join(rel)).expect("model file exists");
    match model::load_str(rel, &text) {
        Ok(loaded) => loaded,
        Err(problems) => panic!(
            "{rel} should be valid:\n{}",
            tlsgen::diag::render_plain(&problems)
        ),
    }
}

/// The etcd target's artifacts (the other targets have their own tests in render_targets.rs).
fn etcd_only(artifacts: Vec<Artifact>) -> Vec<Artifact> {
    artifacts
        .into_iter()
        .filter(|a| a.target == render::Target::Etcd)
        .collect()
}

fn artifacts(rel: &str, loaded: &Loaded) -> Vec<Artifact> {
    let templates = Templates::load(None).expect("built-in templates load");
    let name = rel.rsplit('/').next().unwrap_or(rel);
    render::render(&loaded.cluster, name, &templates, &Selection::default()).expect("renders")
}

/// One readable document per model: a header per artifact, then its exact content.
fn document(rel: &str, loaded: &Loaded, artifacts: &[Artifact]) -> String {
    let mut out = format!("model: {rel}\nartifacts: {}\n", artifacts.len());
    if !loaded.warnings.is_empty() {
        let codes: Vec<&str> = loaded.warnings.iter().map(|w| w.code).collect();
        out.push_str(&format!("warnings: {}\n", codes.join(", ")));
    }
    for a in artifacts {
        out.push_str(&format!(
            "\n==> host: {}  path: {}  mode: {:04o}  owner: {}  target: {}\n",
            a.host,
            a.path,
            a.mode,
            a.owner,
            a.target.as_str()
        ));
        out.push_str(&a.content);
    }
    out
}

#[test]
fn every_artifact_of_every_model_matches_its_snapshot() {
    for rel in MODELS {
        let loaded = load(rel);
        let arts = artifacts(rel, &loaded);
        assert!(!arts.is_empty(), "{rel} renders nothing");
        let stem = rel.rsplit('/').next().unwrap().trim_end_matches(".yaml");
        let doc = document(rel, &loaded, &arts);
        common::insta_settings().bind(|| {
            insta::assert_snapshot!(format!("render__{stem}"), doc);
        });
    }
}

#[test]
fn test_models_name_the_schema_on_their_first_line() {
    for rel in MODELS.iter().filter(|r| r.starts_with("tests/models/")) {
        let text = std::fs::read_to_string(common::repo_root().join(rel)).unwrap();
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("{SCHEMA_LINE}../../schemas/cluster.schema.json"),
            "{rel} must start with the schema line"
        );
        let schema = common::repo_root().join("tests/models/../../schemas/cluster.schema.json");
        assert!(schema.is_file(), "{rel}: the schema path must resolve");
    }
}

#[test]
fn etcd_artifacts_are_sorted_unique_and_world_readable_config() {
    for rel in MODELS {
        let loaded = load(rel);
        let all = artifacts(rel, &loaded);
        let mut keys: Vec<(&str, &str)> = all
            .iter()
            .map(|a| (a.host.as_str(), a.path.as_str()))
            .collect();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "{rel}: no artifact twice");
        let arts = etcd_only(all.clone());
        let keys: Vec<(&str, &str)> = arts
            .iter()
            .map(|a| (a.host.as_str(), a.path.as_str()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            keys, sorted,
            "{rel}: artifacts sorted by host and path, no duplicates"
        );
        for a in &arts {
            assert!(a.path.starts_with('/'), "{rel}: {} is absolute", a.path);
            assert_eq!(a.mode, 0o644, "{rel}: {} {}", a.host, a.path);
            assert_eq!(a.owner, "root:root");
            assert!(
                a.content.starts_with(&format!("# {}", render::MARKER)),
                "{rel}: {} {} starts with the tlsgen header",
                a.host,
                a.path
            );
            assert!(a.content.ends_with('\n') && !a.content.ends_with("\n\n"));
        }
    }
}

/// The base unit of Container Linux as far as etcd's settings go (FACTS F-E19).
const BASE_UNIT: &str = "[Service]\n\
Type=notify\n\
Environment=\"ETCD_IMAGE_TAG=v3.4.23\"\n\
Environment=\"ETCD_NAME=%m\"\n\
Environment=\"ETCD_USER=etcd\"\n\
Environment=\"ETCD_DATA_DIR=/var/lib/etcd\"\n\
ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS\n";

/// `--some-flag` as etcd's environment variable `ETCD_SOME_FLAG` (F-E1).
fn flag_env(flag: &str) -> String {
    format!("ETCD_{}", flag.to_ascii_uppercase().replace('-', "_"))
}

/// Reads every rendered 20-clct / 30-certs back through `systemd::parse` and the merged
/// `ServiceView` (base unit, then drop-ins in lexical order, F-E21) and checks the flags and the
/// `ETCD_*` variables etcd ends up with, and that no setting is both a flag and a variable (F-E3).
#[test]
fn rendered_dropins_read_back_to_the_intended_etcd_settings() {
    for rel in MODELS {
        let loaded = load(rel);
        let arts = etcd_only(artifacts(rel, &loaded));
        let etcd_model = loaded.cluster.etcd.as_ref().expect("test models have etcd");
        let pki = loaded
            .cluster
            .pki
            .dir
            .value
            .trim_end_matches('/')
            .to_string();
        // etcd reads its files in the etcd-wrapper's container, which sees the host's
        // `ETCD_SSL_DIR` at /etc/ssl/certs only (F-E22, F-E23): the drop-ins set ETCD_SSL_DIR to
        // pki.dir and name the files under /etc/ssl/certs/.
        let mount = "/etc/ssl/certs";
        let ca = format!("{mount}/{}", loaded.cluster.pki.ca.value);
        let hosts: BTreeSet<&str> = arts.iter().map(|a| a.host.as_str()).collect();
        for host in hosts {
            let mut dropins: Vec<&Artifact> = arts
                .iter()
                .filter(|a| a.host == host && a.path.starts_with(etcd::DROPIN_DIR))
                .collect();
            dropins.sort_by(|a, b| a.path.cmp(&b.path));
            let mut view = ServiceView::default();
            view.apply(&systemd::parse(BASE_UNIT)).unwrap();
            for d in &dropins {
                let unit = systemd::parse(&d.content);
                assert!(
                    unit.errors.is_empty(),
                    "{rel} {host} {}: {:?}",
                    d.path,
                    unit.errors
                );
                assert_eq!(
                    unit.sections
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>(),
                    ["Service"],
                    "{rel} {host} {}: one [Service] section",
                    d.path
                );
                view.apply(&unit).unwrap();
            }
            let exec = view.exec_start.clone().expect("an ExecStart is left");
            assert_eq!(exec[0], "/usr/lib/coreos/etcd-wrapper", "{rel} {host}");
            assert_eq!(
                exec[1], "$ETCD_OPTS",
                "{rel} {host}: $ETCD_OPTS kept (F-E25)"
            );
            let flags: Vec<(String, String)> = exec[2..]
                .iter()
                .map(|w| {
                    let (name, value) = w
                        .strip_prefix("--")
                        .and_then(|f| f.split_once('='))
                        .unwrap_or_else(|| panic!("{rel} {host}: `{w}` is not --flag=value"));
                    (name.to_string(), value.to_string())
                })
                .collect();
            // F-E3: etcd >= 3.4 exits when a flag shadows an ETCD_* variable.
            for (flag, _) in &flags {
                assert!(
                    view.env(&flag_env(flag)).is_none(),
                    "{rel} {host}: --{flag} is also set as {} (F-E3)",
                    flag_env(flag)
                );
            }
            let flag = |name: &str| {
                flags
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
            };
            let env = |name: &str| view.env(name).map(str::to_string);

            if let Some(m) = etcd_model.members.iter().find(|m| m.name.value == host) {
                let ports = etcd::member_ports(etcd_model, m);
                let url_host = etcd::url_host(&m.address);
                let listen = etcd::listen_host(&m.address);
                assert_eq!(
                    env("ETCD_NAME").as_deref(),
                    Some(host),
                    "{rel}: member name"
                );
                let mut listen_client = format!("https://{listen}:{}", ports.client);
                if let Some(l) = ports.legacy {
                    listen_client.push_str(&format!(",http://127.0.0.1:{l}"));
                }
                let expected_flags = [
                    (
                        "listen-peer-urls",
                        format!("https://{listen}:{}", ports.peer),
                    ),
                    ("listen-client-urls", listen_client),
                    (
                        "initial-advertise-peer-urls",
                        format!("https://{url_host}:{}", ports.peer),
                    ),
                    ("initial-cluster", etcd::initial_cluster(etcd_model)),
                    (
                        "advertise-client-urls",
                        format!("https://{url_host}:{}", ports.client),
                    ),
                ];
                assert_eq!(flags.len(), expected_flags.len(), "{rel} {host}: {flags:?}");
                for (name, value) in &expected_flags {
                    assert_eq!(flag(name), Some(value.as_str()), "{rel} {host} --{name}");
                }
                // Every initial-cluster entry is an https peer URL of a member (F-E12).
                for entry in etcd::initial_cluster(etcd_model).split(',') {
                    let (_, url) = entry.split_once('=').unwrap();
                    assert!(url.starts_with("https://"), "{rel}: {entry}");
                }
                let cert = format!("{mount}/{host}.pem");
                let key = format!("{mount}/{host}-key.pem");
                let expected_env = [
                    ("ETCD_SSL_DIR", pki.clone()),
                    ("ETCD_CERT_FILE", cert.clone()),
                    ("ETCD_KEY_FILE", key.clone()),
                    // No client CA when client certificate authentication is off: etcd would
                    // demand client certificates anyway.
                    (
                        "ETCD_TRUSTED_CA_FILE",
                        if etcd_model.client_cert_auth.value {
                            ca.clone()
                        } else {
                            String::new()
                        },
                    ),
                    (
                        "ETCD_CLIENT_CERT_AUTH",
                        etcd_model.client_cert_auth.value.to_string(),
                    ),
                    ("ETCD_PEER_CERT_FILE", cert),
                    ("ETCD_PEER_KEY_FILE", key),
                    ("ETCD_PEER_TRUSTED_CA_FILE", ca.clone()),
                    (
                        "ETCD_PEER_CLIENT_CERT_AUTH",
                        etcd_model.peer_client_cert_auth.value.to_string(),
                    ),
                ];
                for (name, value) in &expected_env {
                    let expected = (!value.is_empty()).then_some(value.as_str());
                    assert_eq!(env(name).as_deref(), expected, "{rel} {host} {name}");
                }
            } else {
                let p = etcd_model
                    .proxies
                    .iter()
                    .find(|p| p.name.value == host)
                    .expect("a host is a member or a proxy");
                // A proxy keeps the base unit's ExecStart and gets only variables (F-E28 proxy).
                assert!(
                    flags.is_empty(),
                    "{rel} {host}: proxy has no flags: {flags:?}"
                );
                let client = p
                    .client_port
                    .as_ref()
                    .unwrap_or(&etcd_model.client_port)
                    .value;
                let mut listen = format!("http://127.0.0.1:{client}");
                if let Some(l) = p.legacy_port.as_ref().or(etcd_model.legacy_port.as_ref()) {
                    listen.push_str(&format!(",http://127.0.0.1:{}", l.value));
                }
                let cert = format!("{mount}/{}.pem", p.client_cert.value);
                let key = format!("{mount}/{}-key.pem", p.client_cert.value);
                let expected_env = [
                    ("ETCD_SSL_DIR", pki.clone()),
                    ("ETCD_CERT_FILE", cert.clone()),
                    ("ETCD_KEY_FILE", key.clone()),
                    ("ETCD_TRUSTED_CA_FILE", ca.clone()),
                    ("ETCD_PEER_CERT_FILE", cert),
                    ("ETCD_PEER_KEY_FILE", key),
                    ("ETCD_PEER_TRUSTED_CA_FILE", ca.clone()),
                    ("ETCD_LISTEN_CLIENT_URLS", listen),
                ];
                for (name, value) in &expected_env {
                    let expected = (!value.is_empty()).then_some(value.as_str());
                    assert_eq!(env(name).as_deref(), expected, "{rel} {host} {name}");
                }
                assert_eq!(env("ETCD_CLIENT_CERT_AUTH"), None, "{rel} {host}");
                assert_eq!(env("ETCD_PEER_CLIENT_CERT_AUTH"), None, "{rel} {host}");
                // The proxy listens on loopback only.
                for url in env("ETCD_LISTEN_CLIENT_URLS").unwrap().split(',') {
                    assert!(url.starts_with("http://127.0.0.1:"), "{rel} {host}: {url}");
                }
            }
            // Nothing but the base unit's and tlsgen's variables, all with ETCD_ names; every file
            // is inside the container's mount, and through it a file of pki.dir on the host.
            for (name, value) in &view.environment {
                assert!(name.starts_with("ETCD_"), "{rel} {host}: {name}");
                if name.ends_with("_FILE") {
                    let rest = value
                        .strip_prefix(&format!("{mount}/"))
                        .unwrap_or_else(|| panic!("{rel} {host}: {name}={value} outside {mount}"));
                    assert!(
                        !rest.is_empty() && !rest.contains('/'),
                        "{rel} {host}: {value}"
                    );
                }
            }
        }
    }
}
