//! Certificate-aware lint (CERT rules) on certificates made at run time, never checked in (they
//! would expire). Each case renders `examples/cluster.yaml` and runs `tlsgen certs` into one OUT
//! (the good files), breaks one thing with rcgen or `openssl` (an expired certificate, a wrong
//! SAN, a mismatched key, another CA, a loose mode, RSA 1024, an encrypted key, …), lints
//! `OUT/<host>` and snapshots the JSON (OUT replaced by `[OUT]`). Its passing case lints the same
//! host with the good files (or a variant that must stay clean) and expects no finding of the
//! rule. The untouched OUT of every example model lints without any CERT finding.

mod common;
#[path = "lint_cert/covered.rs"]
mod covered;

use std::net::{IpAddr, Ipv4Addr};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    SanType,
};
use time::{Duration, OffsetDateTime};
use tlsgen::lint::registry::RULES;
use tlsgen::lint::Target;

const MODEL: &str = "examples/cluster.yaml";
const ETCD_SSL: &str = "server1/etc/ssl/etcd";

/// Render the model and issue its certificates into a fresh OUT.
fn tree(model: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    for args in [
        vec!["render", model, "--out", dir],
        vec!["certs", model, "-o", dir],
    ] {
        let o = common::run_in(&common::repo_root(), &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{args:?}: {}",
            common::text(&o.stderr)
        );
    }
    out
}

/// `tlsgen lint --format json --select CERT <host>` in OUT: (exit code, findings, raw JSON).
fn lint(out: &Path, host: &str, args: &[&str]) -> (Option<i32>, Vec<serde_json::Value>, String) {
    let mut all = vec!["lint", "--format", "json", "--select", "CERT"];
    all.extend_from_slice(args);
    all.push(host);
    let o = common::run_in(out, &all);
    let json = common::text(&o.stdout);
    let findings = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{e}: {json}\n{}", common::text(&o.stderr)));
    (o.status.code(), findings, json)
}

fn codes(findings: &[serde_json::Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn ca(out: &Path) -> Issuer<'static, KeyPair> {
    let key = std::fs::read_to_string(out.join("ca/ca-key.pem")).unwrap();
    let cert = std::fs::read_to_string(out.join("ca/ca.pem")).unwrap();
    Issuer::from_ca_cert_pem(&cert, KeyPair::from_pem(&key).unwrap()).unwrap()
}

/// server1's certificate as `tlsgen certs` makes it: its SANs, both usages, valid for a year.
fn member_params() -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name.push(DnType::CommonName, "server1");
    p.subject_alt_names = vec![
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 11))),
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        SanType::DnsName("localhost".try_into().unwrap()),
    ];
    p.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    p.is_ca = IsCa::ExplicitNoCa;
    let now = OffsetDateTime::now_utc();
    p.not_before = now - Duration::days(1);
    p.not_after = now + Duration::days(365);
    p
}

/// Replace server1.pem by a certificate for server1's own key, signed by the cluster CA.
fn resign(out: &Path, edit: impl FnOnce(&mut CertificateParams)) {
    let key = KeyPair::from_pem(
        &std::fs::read_to_string(out.join(ETCD_SSL).join("server1-key.pem")).unwrap(),
    )
    .unwrap();
    let mut p = member_params();
    edit(&mut p);
    let cert = p.signed_by(&key, &ca(out)).unwrap();
    std::fs::write(out.join(ETCD_SSL).join("server1.pem"), cert.pem()).unwrap();
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn openssl(dir: &Path, args: &[&str]) {
    let bin = common::require_program("openssl", "openssl");
    let o = Command::new(bin)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        common::text(&o.stderr)
    );
}

// The ways to break (or vary) a good tree.

fn expired(out: &Path) {
    resign(out, |p| {
        p.not_before = OffsetDateTime::new_utc(
            time::Date::from_calendar_date(2019, time::Month::January, 1).unwrap(),
            time::Time::MIDNIGHT,
        );
        p.not_after = OffsetDateTime::new_utc(
            time::Date::from_calendar_date(2020, time::Month::January, 1).unwrap(),
            time::Time::MIDNIGHT,
        );
    });
}

fn expiring_in_10_days(out: &Path) {
    resign(out, |p| {
        p.not_after = OffsetDateTime::now_utc() + Duration::days(10) + Duration::hours(12)
    });
}

fn expiring_in_40_days(out: &Path) {
    resign(out, |p| {
        p.not_after = OffsetDateTime::now_utc() + Duration::days(40) + Duration::hours(12)
    });
}

fn wrong_san(out: &Path) {
    resign(out, |p| {
        p.subject_alt_names = vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 99)))]
    });
}

fn no_san(out: &Path) {
    resign(out, |p| p.subject_alt_names = Vec::new());
}

fn influx_hostname_not_in_san(out: &Path) {
    let conf = out.join("enterprise-meta-01/etc/influxdb/influxdb-meta.conf");
    let text = std::fs::read_to_string(&conf).unwrap();
    std::fs::write(&conf, format!("hostname = \"meta.example.org\"\n{text}")).unwrap();
}

fn influx_hostname_in_san(out: &Path) {
    let conf = out.join("enterprise-meta-01/etc/influxdb/influxdb-meta.conf");
    let text = std::fs::read_to_string(&conf).unwrap();
    std::fs::write(&conf, format!("hostname = \"enterprise-meta-01\"\n{text}")).unwrap();
}

fn mismatched_key(out: &Path) {
    let key = out.join(ETCD_SSL).join("server1-key.pem");
    std::fs::copy(out.join("server2/etc/ssl/etcd/server2-key.pem"), &key).unwrap();
    chmod(&key, 0o600);
}

fn telegraf_mismatched_key(out: &Path) {
    let key = out.join("web1/etc/telegraf/web1-key.pem");
    std::fs::copy(out.join("app1/etc/ssl/etcd/client1-key.pem"), &key).unwrap();
    chmod(&key, 0o600);
}

fn other_ca(out: &Path) {
    let mut p = CertificateParams::default();
    p.distinguished_name.push(DnType::CommonName, "another CA");
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let other = Issuer::new(p, KeyPair::generate().unwrap());
    let key = KeyPair::from_pem(
        &std::fs::read_to_string(out.join(ETCD_SSL).join("server1-key.pem")).unwrap(),
    )
    .unwrap();
    let cert = member_params().signed_by(&key, &other).unwrap();
    std::fs::write(out.join(ETCD_SSL).join("server1.pem"), cert.pem()).unwrap();
}

fn server_auth_only(out: &Path) {
    resign(out, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth]
    });
}

fn no_eku_extension(out: &Path) {
    resign(out, |p| p.extended_key_usages.clear());
}

fn rsa_1024(out: &Path) {
    let dir = out.join(ETCD_SSL);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:10.0.0.11,IP:127.0.0.1,DNS:localhost\n\
         extendedKeyUsage=serverAuth,clientAuth\n\
         basicConstraints=critical,CA:FALSE\n",
    )
    .unwrap();
    let ca = out.join("ca");
    let (ca_cert, ca_key) = (ca.join("ca.pem"), ca.join("ca-key.pem"));
    openssl(&dir, &["genrsa", "-out", "server1-key.pem", "1024"]);
    openssl(
        &dir,
        &[
            "req",
            "-new",
            "-key",
            "server1-key.pem",
            "-subj",
            "/CN=server1",
            "-out",
            "csr.pem",
        ],
    );
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "csr.pem",
            "-CA",
            ca_cert.to_str().unwrap(),
            "-CAkey",
            ca_key.to_str().unwrap(),
            "-set_serial",
            "4660",
            "-days",
            "90",
            "-extfile",
            "ext.cnf",
            "-out",
            "server1.pem",
        ],
    );
    chmod(&dir.join("server1-key.pem"), 0o600);
}

fn loose_mode(out: &Path) {
    chmod(&out.join(ETCD_SSL).join("server1-key.pem"), 0o644);
}

fn encrypted_key(out: &Path) {
    let dir = out.join(ETCD_SSL);
    openssl(
        &dir,
        &[
            "pkey",
            "-in",
            "server1-key.pem",
            "-aes256",
            "-passout",
            "pass:not-a-secret",
            "-out",
            "server1-key.enc.pem",
        ],
    );
    std::fs::rename(dir.join("server1-key.enc.pem"), dir.join("server1-key.pem")).unwrap();
    chmod(&dir.join("server1-key.pem"), 0o600);
}

fn leaf_as_ca(out: &Path) {
    std::fs::copy(
        out.join("server2/etc/ssl/etcd/server2.pem"),
        out.join(ETCD_SSL).join("ca.pem"),
    )
    .unwrap();
}

fn missing_cert(out: &Path) {
    std::fs::remove_file(out.join(ETCD_SSL).join("server1.pem")).unwrap();
}

fn not_pem(out: &Path) {
    std::fs::write(out.join(ETCD_SSL).join("ca.pem"), "not a certificate\n").unwrap();
}

fn unchanged(_: &Path) {}

/// One rule's failing run and its passing run.
struct Case {
    /// Snapshot name: `lint_cert_<name>`.
    name: &'static str,
    code: &'static str,
    host: &'static str,
    fail: fn(&Path),
    fail_args: &'static [&'static str],
    pass: fn(&Path),
    pass_args: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "CERT001_expired",
        code: "CERT001",
        host: "server1",
        fail: expired,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT001_expiring",
        code: "CERT001",
        host: "server1",
        fail: expiring_in_10_days,
        fail_args: &[],
        pass: expiring_in_40_days,
        pass_args: &[],
    },
    Case {
        name: "CERT001_expiry_days_flag",
        code: "CERT001",
        host: "server1",
        fail: expiring_in_40_days,
        fail_args: &["--expiry-days", "60"],
        pass: expiring_in_40_days,
        pass_args: &["--expiry-days", "39"],
    },
    Case {
        name: "CERT002_wrong_san",
        code: "CERT002",
        host: "server1",
        fail: wrong_san,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT002_no_san",
        code: "CERT002",
        host: "server1",
        fail: no_san,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT002_influxdb_hostname",
        code: "CERT002",
        host: "enterprise-meta-01",
        fail: influx_hostname_not_in_san,
        fail_args: &[],
        pass: influx_hostname_in_san,
        pass_args: &[],
    },
    Case {
        name: "CERT003_mismatched_key",
        code: "CERT003",
        host: "server1",
        fail: mismatched_key,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT003_telegraf_mismatched_key",
        code: "CERT003",
        host: "web1",
        fail: telegraf_mismatched_key,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT004_wrong_ca",
        code: "CERT004",
        host: "server1",
        fail: other_ca,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT005_peer_without_client_auth",
        code: "CERT005",
        host: "server1",
        fail: server_auth_only,
        fail_args: &[],
        // No extended key usage extension: Go accepts the certificate for any usage.
        pass: no_eku_extension,
        pass_args: &[],
    },
    Case {
        name: "CERT006_rsa_1024",
        code: "CERT006",
        host: "server1",
        fail: rsa_1024,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT007_loose_mode",
        code: "CERT007",
        host: "server1",
        fail: loose_mode,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT008_encrypted_key",
        code: "CERT008",
        host: "server1",
        fail: encrypted_key,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT009_leaf_as_ca",
        code: "CERT009",
        host: "server1",
        fail: leaf_as_ca,
        fail_args: &[],
        pass: unchanged,
        pass_args: &[],
    },
    Case {
        name: "CERT010_missing_with_check_files",
        code: "CERT010",
        host: "server1",
        fail: missing_cert,
        fail_args: &["--check-files"],
        // Without --check-files a file that is not there is not looked at.
        pass: missing_cert,
        pass_args: &[],
    },
    Case {
        name: "CERT010_not_pem",
        code: "CERT010",
        host: "server1",
        fail: not_pem,
        fail_args: &[],
        pass: unchanged,
        pass_args: &["--check-files"],
    },
];

fn run(name: &str) {
    let case = CASES.iter().find(|c| c.name == name).expect("a case");
    let out = tree(MODEL);
    (case.fail)(out.path());
    let (code, findings, json) = lint(out.path(), case.host, case.fail_args);
    assert!(
        codes(&findings).iter().any(|c| c == case.code),
        "{name}: no {} in {json}",
        case.code
    );
    assert_eq!(code, Some(1), "{name}: exit code");
    let placeholder = out.path().to_str().unwrap();
    let json = json.replace(placeholder, "[OUT]");
    common::insta_settings().bind(|| {
        insta::assert_snapshot!(format!("lint_cert_{name}"), json);
    });
    let good = tree(MODEL);
    (case.pass)(good.path());
    let (_, findings, json) = lint(good.path(), case.host, case.pass_args);
    assert!(
        !codes(&findings).iter().any(|c| c == case.code),
        "{name}: the passing case reports {}: {json}",
        case.code
    );
}

macro_rules! cases {
    ($($test:ident => $name:literal,)*) => {
        $(#[test] fn $test() { run($name) })*
        const TESTED: &[&str] = &[$($name),*];
    };
}

cases! {
    expired_certificate => "CERT001_expired",
    expiring_certificate_warns => "CERT001_expiring",
    expiry_days_flag_moves_the_window => "CERT001_expiry_days_flag",
    san_not_covering_advertised_urls => "CERT002_wrong_san",
    san_not_covering_influxdb_hostname => "CERT002_influxdb_hostname",
    certificate_without_any_san => "CERT002_no_san",
    key_of_another_member => "CERT003_mismatched_key",
    telegraf_key_of_another_certificate => "CERT003_telegraf_mismatched_key",
    certificate_of_another_ca => "CERT004_wrong_ca",
    peer_certificate_without_client_auth => "CERT005_peer_without_client_auth",
    rsa_1024_key => "CERT006_rsa_1024",
    key_readable_by_others => "CERT007_loose_mode",
    encrypted_etcd_key => "CERT008_encrypted_key",
    leaf_certificate_as_trusted_ca => "CERT009_leaf_as_ca",
    missing_file_with_check_files => "CERT010_missing_with_check_files",
    ca_file_without_pem => "CERT010_not_pem",
}

#[test]
fn every_cert_rule_has_a_failing_and_a_passing_case() {
    let cert_rules: Vec<&str> = RULES
        .iter()
        .filter(|r| r.target == Target::Cert)
        .map(|r| r.code)
        .collect();
    assert_eq!(
        cert_rules,
        covered::COVERED,
        "covered.rs lists the CERT rules"
    );
    for code in covered::COVERED {
        assert!(
            CASES
                .iter()
                .any(|c| c.code == *code && TESTED.contains(&c.name)),
            "{code} has no case in tests/lint_cert.rs"
        );
    }
    for c in CASES {
        assert!(TESTED.contains(&c.name), "{} is not run", c.name);
    }
}

/// What `render` and `certs` write together lints without any CERT finding, host by host, for
/// every example model (with `--check-files` for the model whose every file `certs` makes).
#[test]
fn rendered_models_with_their_certificates_have_no_cert_finding() {
    let mut models: Vec<PathBuf> = std::fs::read_dir(common::repo_root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    models.sort();
    assert!(models.len() >= 2);
    let mut linted = 0;
    for model in models {
        let name = format!("examples/{}", model.file_name().unwrap().to_string_lossy());
        let out = tree(&name);
        let args: &[&str] = if name == MODEL {
            &["--check-files"]
        } else {
            &[]
        };
        let mut hosts: Vec<String> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        hosts.sort();
        for host in hosts {
            let (code, findings, json) = lint(out.path(), &host, args);
            assert!(findings.is_empty(), "{name} {host}: {json}");
            assert_eq!(code, Some(0), "{name} {host}");
            linted += 1;
        }
    }
    assert!(linted >= 10, "only {linted} hosts linted");
}

/// `--root DIR` resolves the paths of a configuration that is not in the render layout.
#[test]
fn root_flag_resolves_paths_of_a_config_outside_the_layout() {
    let out = tree(MODEL);
    loose_mode(out.path());
    let conf = out.path().join("copy/etcd-member.service.d");
    std::fs::create_dir_all(&conf).unwrap();
    // Both drop-ins: 30-certs.conf names /etc/ssl/certs/… inside the etcd-wrapper's container,
    // the host directory behind it is 20-clct-etcd-member.conf's ETCD_SSL_DIR (F-E22).
    for dropin in ["20-clct-etcd-member.conf", "30-certs.conf"] {
        std::fs::copy(
            out.path()
                .join("server1/etc/systemd/system/etcd-member.service.d")
                .join(dropin),
            conf.join(dropin),
        )
        .unwrap();
    }
    let (_, findings, json) = lint(out.path(), "copy", &["--root", "server1"]);
    assert_eq!(codes(&findings), ["CERT007", "CERT007"], "{json}");
    // Without --root the paths are this machine's /etc/ssl/etcd/…, which the test never creates.
    if !Path::new("/etc/ssl/etcd/server1-key.pem").exists() {
        let (_, findings, json) = lint(out.path(), "copy", &[]);
        assert!(findings.is_empty(), "{json}");
    }
}

/// `[lint.certs]` of tlsgen.toml sets the window and --check-files; a wrong value is a problem
/// pointing into the file.
#[test]
fn tlsgen_toml_certs_settings() {
    let out = tree(MODEL);
    expiring_in_40_days(out.path());
    std::fs::remove_file(out.path().join(ETCD_SSL).join("server1-key.pem")).unwrap();
    std::fs::write(
        out.path().join("tlsgen.toml"),
        "[lint.certs]\nexpiry-days = 60\ncheck-files = true\n",
    )
    .unwrap();
    let (_, findings, json) = lint(out.path(), "server1", &[]);
    let codes = codes(&findings);
    assert!(codes.contains(&"CERT001".to_string()), "{json}");
    assert!(codes.contains(&"CERT010".to_string()), "{json}");
    std::fs::write(
        out.path().join("tlsgen.toml"),
        "[lint.certs]\nexpiry-days = \"soon\"\n",
    )
    .unwrap();
    let o = common::run_in(out.path(), &["lint", "server1"]);
    assert_eq!(o.status.code(), Some(2));
    let err = common::text(&o.stderr);
    assert!(
        err.contains("`expiry-days` must be a number of days"),
        "{err}"
    );
}

/// Key bytes never reach the output, whatever is wrong with the key.
#[test]
fn no_key_material_in_any_output() {
    let out = tree(MODEL);
    mismatched_key(out.path());
    loose_mode(out.path());
    let key = std::fs::read_to_string(out.path().join(ETCD_SSL).join("server1-key.pem")).unwrap();
    let body: Vec<&str> = key
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 16)
        .collect();
    assert!(!body.is_empty());
    for format in ["human", "json", "sarif", "github", "short"] {
        let o = common::run_in(
            out.path(),
            &["lint", "--format", format, "--select", "CERT", "server1"],
        );
        let all = common::text(&o.stdout) + &common::text(&o.stderr);
        assert!(
            all.contains("CERT003") || format == "sarif",
            "{format}: {all}"
        );
        for line in &body {
            assert!(!all.contains(line), "{format} prints key material");
        }
    }
}

/// An RSA-1024 CA signs server1's certificate (openssl does, and verifies the chain): the chain
/// holds, so CERT004 says nothing; the weak CA key is CERT006's finding.
#[test]
fn rsa_1024_ca_chain_verifies_and_its_weak_key_is_cert006() {
    let out = tree(MODEL);
    let dir = out.path().join(ETCD_SSL);
    openssl(
        &dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:1024",
            "-nodes",
            "-keyout",
            "weak-ca-key.pem",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=weak etcd CA",
            "-days",
            "30",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:10.0.0.11,IP:127.0.0.1,DNS:localhost\n\
         extendedKeyUsage=serverAuth,clientAuth\n\
         basicConstraints=critical,CA:FALSE\n",
    )
    .unwrap();
    openssl(
        &dir,
        &[
            "req",
            "-new",
            "-key",
            "server1-key.pem",
            "-subj",
            "/CN=server1",
            "-out",
            "csr.pem",
        ],
    );
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-sha256",
            "-in",
            "csr.pem",
            "-CA",
            "ca.pem",
            "-CAkey",
            "weak-ca-key.pem",
            "-set_serial",
            "4661",
            "-days",
            "20",
            "-extfile",
            "ext.cnf",
            "-out",
            "server1.pem",
        ],
    );
    // The chain is valid for openssl (security level 1 allows an RSA-1024 CA).
    openssl(
        &dir,
        &[
            "verify",
            "-auth_level",
            "1",
            "-CAfile",
            "ca.pem",
            "server1.pem",
        ],
    );
    let (_, findings, json) = lint(out.path(), "server1", &[]);
    // Every certificate of the host that names this CA file is the one signed above.
    assert!(!codes(&findings).contains(&"CERT004".to_string()), "{json}");
    assert!(!codes(&findings).contains(&"CERT009".to_string()), "{json}");
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "CERT006" && f["message"].as_str().unwrap().contains("1024")),
        "{json}"
    );
}
