//! Messy real-world input: template placeholders (Jinja, ERB, Go templates, shell, autoconf),
//! CRLF, no trailing newline, non-ASCII comments, commented-out keys, broken files and a
//! 7,000-line telegraf.conf. Lint never panics, exits 0 or 1, and placeholders produce no finding.

mod common;

#[test]
fn messy_directory_lints_without_panic_and_placeholders_are_unknown_not_insecure() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::repo_root().join("tests/fixtures/messy");
    copy_dir(&root, dir.path());
    // A 7,000-line telegraf.conf in the shape of the upstream sample: every plugin commented out,
    // a few live ones.
    let mut big = String::from("# Telegraf Configuration\n[agent]\n  interval = \"10s\"\n");
    let mut i = 0;
    while big.lines().count() < 7000 {
        big.push_str(&format!("\n# # Plugin number {i}\n# [[inputs.plugin{i}]]\n#   ## option\n#   servers = [\"http://localhost:{i}\"]\n"));
        if i % 50 == 0 {
            big.push_str(&format!("[[inputs.http_response]]\n  urls = [\"https://svc{i}.example.com\"]\n  tls_ca = \"/etc/ca.pem\"\n"));
        }
        i += 1;
    }
    big.push_str("[[outputs.influxdb]]\n  urls = [\"https://influx.example.com:8086\"]\n");
    std::fs::create_dir_all(dir.path().join("plain/big")).unwrap();
    std::fs::write(dir.path().join("plain/big/telegraf.conf"), &big).unwrap();

    let out = common::run_in(dir.path(), &["lint", "--format", "json", "."]);
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "exit {code:?}: {}",
        common::text(&out.stderr)
    );
    let json = common::text(&out.stdout);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let placeholder: Vec<_> = findings
        .iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("placeholder/"))
        .collect();
    assert!(
        placeholder.is_empty(),
        "placeholders produced findings: {placeholder:#?}"
    );
    // The broken files get exactly one parse-error each, at the place they fail.
    let parse_errors: Vec<&str> = findings
        .iter()
        .filter(|f| f["code"] == "TLSGEN001")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        parse_errors,
        ["plain/etcd.conf.yml", "plain/options.json"],
        "{json}"
    );
    // The rest are the real problems of plain/etcd.service (a bare boolean flag, an https
    // listener without its key pair, no peer TLS); the CRLF influxdb.conf and the big
    // telegraf.conf are clean.
    let found: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    let service = "plain/etcd.service";
    assert_eq!(
        found,
        [
            ("plain/etcd.conf.yml", "TLSGEN001"),
            (service, "ETCD005"),
            (service, "ETCD006"),
            (service, "ETCD003"),
            (service, "ETCD008"),
            (service, "ETCD010"),
            ("plain/options.json", "TLSGEN001"),
        ],
        "{json}"
    );
    for format in ["human", "short", "sarif", "github"] {
        let out = common::run_in(dir.path(), &["lint", "--format", format, "."]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{format}");
    }
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}
