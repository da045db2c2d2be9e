//! Detection of a file's kind where its name says nothing: stdin without `--stdin-filename`, an
//! etcd YAML config named `etcd.conf`, and templates whose name ends in a template suffix
//! (`etcd.conf.yml.j2`, `telegraf.conf.tmpl`). Each is linted exactly as its kind would be when
//! forced with `--kind`.

mod common;

use std::path::{Path, PathBuf};

use tlsgen::lint::{self, detect::detect, Input, Kind, Settings};

/// Each finding as `code line:column`, in report order.
fn findings(report: &lint::Report) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| {
            let pos = f.pos.as_ref().expect("settled findings have a position");
            format!("{} {}:{}", f.rule.code, pos.line, pos.column)
        })
        .collect()
}

fn lint_stdin(name: &str, text: &str, kind: Option<Kind>) -> lint::Report {
    let input = Input {
        stdin: Some((name.to_string(), text.to_string())),
        kind,
        ..Input::default()
    };
    lint::lint(&input, &Settings::default()).unwrap()
}

fn lint_path(path: &Path, kind: Option<Kind>) -> lint::Report {
    let input = Input {
        paths: vec![path.to_path_buf()],
        kind,
        ..Input::default()
    };
    lint::lint(&input, &Settings::default()).unwrap()
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(common::repo_root().join(rel)).unwrap()
}

/// One sample per kind, as it would be piped to `tlsgen lint -`.
fn samples() -> Vec<(Kind, String)> {
    vec![
        (
            Kind::Telegraf,
            fixture("tests/fixtures/telegraf/TGF001_telegraf-plaintext-url/fail/telegraf.conf"),
        ),
        (
            Kind::InfluxdbData,
            fixture("tests/fixtures/influxdb/INFLUX001_influxdb-https-disabled/fail/influxdb.conf"),
        ),
        (
            Kind::InfluxdbMeta,
            "[meta]\n  dir = \"/var/lib/influxdb/meta\"\n  https-enabled = false\n  internal-shared-secret = \"\"\n"
                .to_string(),
        ),
        (
            Kind::EtcdUnit,
            "[Unit]\nDescription=etcd\n\n[Service]\nExecStart=/usr/bin/etcd --name infra1 \\\n  --listen-client-urls=http://0.0.0.0:2379 \\\n  --advertise-client-urls=http://10.0.0.1:2379\n"
                .to_string(),
        ),
        (
            Kind::EtcdUnit,
            fixture("tests/fixtures/etcd/ETCD001_plaintext-client-listener/fail/etcd-member.service.d/30-certs.conf"),
        ),
        (
            Kind::EtcdEnv,
            fixture("tests/fixtures_messy/etcd/debian/default/etcd"),
        ),
        (
            Kind::Etcdctl,
            fixture("tests/fixtures/etcd/ETCD019_etcdctl-insecure-tls/fail/etcdctl.env"),
        ),
        (
            Kind::EtcdYaml,
            fixture("tests/fixtures_messy/etcd/config/etcd.conf.yml"),
        ),
        (
            Kind::EtcdPod,
            fixture("tests/fixtures_messy/etcd/kubeadm/etcd.yaml"),
        ),
        (
            Kind::K8sEncryption,
            fixture("tests/fixtures/kubernetes/K8SENC002_weak-first-provider/fail/encryption.yaml"),
        ),
        (
            Kind::DcosElastic,
            fixture("tests/fixtures/elastic/DCOS001_elastic-transport-encryption-disabled/fail/options.json"),
        ),
    ]
}

#[test]
fn stdin_without_a_name_is_detected_by_content() {
    for (kind, text) in samples() {
        assert_eq!(detect("-", &text), Some(kind), "{text}");
        let detected = lint_stdin("-", &text, None);
        assert!(
            detected.notes.is_empty() && detected.files == 1,
            "{kind:?} on stdin was skipped: {:?}",
            detected.notes
        );
        let forced = lint_stdin("-", &text, Some(kind));
        assert_eq!(findings(&detected), findings(&forced), "{kind:?}");
    }
}

#[test]
fn stdin_text_of_no_known_kind_is_still_skipped() {
    for text in [
        "# just a readme\n\nnothing to see\n",
        "[server]\nport = 80\n",
        "a: 1\nb: [2, 3]\n",
        "{\"name\": \"x\"}\n",
        "",
    ] {
        assert_eq!(detect("-", text), None, "{text}");
        let report = lint_stdin("-", text, None);
        assert_eq!(report.files, 0, "{text}");
        assert_eq!(report.notes.len(), 1, "{text}");
    }
}

#[test]
fn cat_telegraf_conf_into_lint_dash_reports_its_findings() {
    let text = fixture("tests/fixtures/telegraf/TGF001_telegraf-plaintext-url/fail/telegraf.conf");
    let mut child = common::tlsgen()
        .args(["lint", "--format", "short", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = common::text(&out.stdout);
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("TGF001"), "{stdout}{stderr}");
    assert!(!stderr.contains("skipped"), "{stderr}");
}

/// Detection by content agrees with detection by name for every fixture file the name decides.
#[test]
fn content_alone_gives_the_kind_the_name_gives_for_every_fixture() {
    let mut files = Vec::new();
    for root in ["tests/fixtures", "tests/fixtures_messy"] {
        walk(&common::repo_root().join(root), &mut files);
    }
    let mut checked = 0;
    let mut wrong = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let shown = path.to_string_lossy().replace('\\', "/");
        let Some(by_name) = detect(&shown, &text) else {
            continue;
        };
        checked += 1;
        let by_content = detect("-", &text);
        if by_content != Some(by_name) {
            wrong.push(format!("{shown}: name {by_name:?}, content {by_content:?}"));
        }
    }
    assert!(checked > 100, "only {checked} fixture files were detected");
    // A few files hold nothing that says what they are (an empty drop-in, a telegraf.d part
    // with only comments): the name decides those, and content alone cannot.
    wrong.retain(|w| !CONTENT_SAYS_NOTHING.iter().any(|p| w.contains(p)));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Fixture files whose text alone does not say their kind (see the test above).
const CONTENT_SAYS_NOTHING: &[&str] = &[
    // `[http]` with `enabled = false` only: any TOML could hold that.
    "TGF008_telegraf-https-to-plaintext-influxdb/pass/influx1/etc/influxdb/influxdb.conf",
];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn etcd_yaml_config_named_etcd_conf_is_linted_as_etcd_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("etcd.conf");
    std::fs::write(
        &path,
        fixture("tests/fixtures_messy/etcd/config/etcd.conf.yml"),
    )
    .unwrap();
    let detected = lint_path(&path, None);
    let forced = lint_path(&path, Some(Kind::EtcdYaml));
    assert!(detected.notes.is_empty(), "{:?}", detected.notes);
    assert!(!findings(&forced).is_empty());
    assert_eq!(findings(&detected), findings(&forced));
    // The RHEL env file of the same name stays an env file.
    std::fs::write(
        &path,
        "ETCD_NAME=infra1\nETCD_LISTEN_CLIENT_URLS=http://0.0.0.0:2379\n",
    )
    .unwrap();
    assert_eq!(
        findings(&lint_path(&path, None)),
        findings(&lint_path(&path, Some(Kind::EtcdEnv)))
    );
}

#[test]
fn ambiguous_names_are_decided_by_content_and_known_names_by_the_name() {
    let yaml = fixture("tests/fixtures_messy/etcd/config/etcd.conf.yml");
    let env = "ETCD_NAME=infra1\n";
    let unit = "[Service]\nExecStart=/usr/bin/etcd --name a\n";
    let telegraf = "[[outputs.influxdb]]\n  urls = [\"http://x:8086\"]\n";
    for (path, text, kind) in [
        ("etc/etcd/etcd.conf", yaml.as_str(), Some(Kind::EtcdYaml)),
        ("etc/etcd/etcd.conf", env, Some(Kind::EtcdEnv)),
        ("etc/etcd/config", yaml.as_str(), Some(Kind::EtcdYaml)),
        ("etc/sysconfig/etcd", env, Some(Kind::EtcdEnv)),
        ("etc/default/etcd", env, Some(Kind::EtcdEnv)),
        ("deploy/etcd.cfg", unit, Some(Kind::EtcdUnit)),
        ("deploy/agent.conf", telegraf, Some(Kind::Telegraf)),
        // The name decides where it says the kind, whatever the content.
        ("etc/telegraf/telegraf.conf", "", Some(Kind::Telegraf)),
        ("etc/influxdb/influxdb.conf", "", Some(Kind::InfluxdbData)),
        // A name of another kind of file is never sniffed.
        ("docs/etcd.md", env, None),
        ("src/main.go", yaml.as_str(), None),
        ("notes/unit.txt", unit, None),
    ] {
        assert_eq!(detect(path, text), kind, "{path}");
    }
}

#[test]
fn template_suffixes_are_detected_by_the_name_without_them() {
    let yaml = fixture("tests/fixtures_messy/etcd/config/etcd.conf.yml");
    let telegraf =
        fixture("tests/fixtures/telegraf/TGF001_telegraf-plaintext-url/fail/telegraf.conf");
    let influx =
        fixture("tests/fixtures/influxdb/INFLUX001_influxdb-https-disabled/fail/influxdb.conf");
    let dropin = fixture(
        "tests/fixtures/etcd/ETCD001_plaintext-client-listener/fail/etcd-member.service.d/30-certs.conf",
    );
    let enc =
        fixture("tests/fixtures/kubernetes/K8SENC002_weak-first-provider/fail/encryption.yaml");
    let cases: Vec<(&str, &str, Kind)> = vec![
        ("etcd.conf.yml", &yaml, Kind::EtcdYaml),
        ("telegraf.conf", &telegraf, Kind::Telegraf),
        ("influxdb.conf", &influx, Kind::InfluxdbData),
        (
            "etcd-member.service.d/30-certs.conf",
            &dropin,
            Kind::EtcdUnit,
        ),
        ("encryption.yaml", &enc, Kind::K8sEncryption),
    ];
    for suffix in [
        "j2", "jinja", "jinja2", "tmpl", "tpl", "gotmpl", "erb", "mustache", "template", "in", "J2",
    ] {
        for (name, text, kind) in &cases {
            let templated = format!("{name}.{suffix}");
            assert_eq!(detect(&templated, text), Some(*kind), "{templated}");
            // Linted as the file without the suffix is.
            let dir = tempfile::tempdir().unwrap();
            let plain = dir.path().join("plain").join(name);
            let with = dir.path().join("with").join(&templated);
            for p in [&plain, &with] {
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            let a = lint_path(&plain, None);
            let b = lint_path(&with, None);
            assert!(b.notes.is_empty(), "{templated}: {:?}", b.notes);
            assert!(!findings(&a).is_empty(), "{name}");
            assert_eq!(findings(&a), findings(&b), "{templated}");
        }
    }
    // A suffix alone is no kind, and an unknown name under a suffix is decided as without it.
    assert_eq!(detect("x/README.md.j2", &yaml), None);
    assert_eq!(detect("x/.j2", &yaml), None);
    assert_eq!(detect("x/j2", "a: 1\n"), None);
}
