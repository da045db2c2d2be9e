//! No leaks: private key bytes never appear in any output of tlsgen. Every command that touches
//! keys (certs, lint over a directory of keys in every format, render with --check, refusals that
//! name a key file, a model that is a key) is run, and its stdout and stderr are scanned for PEM
//! private-key markers and for every base64 line of every key. Every recorded output of the test
//! suite (`snapshots/`) is scanned for the markers too.

mod common;

use std::path::{Path, PathBuf};

use common::{repo_root, run_in, text};

const MARKERS: &[&str] = &["PRIVATE KEY-----", "BEGIN ENCRYPTED", "BEGIN OPENSSH"];

fn key_lines(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            key_lines(&p, out);
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            if t.contains("PRIVATE KEY-----") {
                out.extend(
                    t.lines()
                        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
                        .map(str::to_string),
                );
            }
        }
    }
}

/// A PEM private-key block: a marker line followed by a line of base64 (a rule's documentation
/// may name the marker; a key has a body).
fn pem_key_block(output: &str) -> Option<&str> {
    let lines: Vec<&str> = output.lines().collect();
    lines.windows(2).find_map(|w| {
        let body = w[1]
            .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '+' && c != '/' && c != '=');
        let base64 = body.len() >= 16
            && body
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
        (MARKERS.iter().any(|m| w[0].contains(m)) && base64).then_some(w[0])
    })
}

fn assert_clean(what: &str, output: &str, secrets: &[String]) {
    if let Some(line) = pem_key_block(output) {
        panic!("{what} prints a private key block at `{line}`:\n{output}");
    }
    for s in secrets {
        assert!(
            !output.contains(s.as_str()),
            "{what} prints key material `{s}`"
        );
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn no_command_prints_private_key_material() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let model = std::fs::read_to_string(repo_root().join("examples/cluster.yaml")).unwrap();
    write(dir, "cluster.yaml", &model);
    let certs = run_in(dir, &["certs", "cluster.yaml", "--out", "pki"]);
    assert!(certs.status.success(), "{}", text(&certs.stderr));
    let mut secrets = Vec::new();
    key_lines(&dir.join("pki"), &mut secrets);
    assert!(secrets.len() > 10, "tlsgen certs wrote no keys to scan for");
    let ca_key = dir.join("pki/ca/ca-key.pem");
    let ca_key_text = std::fs::read_to_string(&ca_key)
        .or_else(|_| {
            // Whatever the CA key is named, take the first key file under pki/ca.
            let p = std::fs::read_dir(dir.join("pki/ca"))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("PRIVATE KEY")))
                .expect("a CA key under pki/ca");
            std::fs::read_to_string(p)
        })
        .unwrap();
    // A model that is a private key, a key pasted into a field, a key named as the CA certificate.
    write(dir, "key-as-model.yaml", &ca_key_text);
    let indented: String = ca_key_text.lines().map(|l| format!("    {l}\n")).collect();
    write(
        dir,
        "key-in-field.yaml",
        &format!("{model}\nextra: |\n{indented}"),
    );
    write(
        dir,
        "key-in-value.yaml",
        &model.replace(
            "ca: ca.pem",
            &format!("ca: \"{}\"", ca_key_text.replace('\n', "\\n")),
        ),
    );
    let key_path = dir.join("pki").join(
        std::fs::read_dir(dir.join("pki/ca"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("PRIVATE KEY")))
            .unwrap(),
    );
    write(
        dir,
        "key-as-ca-cert.yaml",
        &model.replace(
            "pki:\n",
            &format!(
                "pki:\n  ca_cert: {}\n  ca_key: {}\n",
                key_path.display(),
                key_path.display()
            ),
        ),
    );
    let key = key_path.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["certs", "cluster.yaml", "--out", "pki"],
        vec!["certs", "key-as-ca-cert.yaml", "--out", "pki2"],
        vec!["render", "key-as-model.yaml"],
        vec!["render", "key-in-field.yaml"],
        vec!["render", "key-in-value.yaml"],
        vec!["render", "cluster.yaml", "--out", "pki", "--check"],
        vec!["render", "cluster.yaml", "--out", "out"],
        vec!["render", "cluster.yaml", "--out", "out", "--check"],
        vec!["plan", "key-as-model.yaml"],
        vec!["lint", "pki"],
        vec!["lint", "pki", "--format", "json"],
        vec!["lint", "pki", "--format", "sarif"],
        vec!["lint", "pki", "--format", "github"],
        vec!["lint", "pki", "--format", "short"],
        vec!["lint", key],
        vec!["lint", key, "--kind", "etcd-env"],
        vec!["lint", key, "--kind", "telegraf"],
        vec!["lint", key, "--kind", "etcd-yaml"],
        vec!["lint", key, "--kind", "etcd-unit"],
        vec!["lint", key, "--kind", "dcos-elastic"],
        vec!["lint", key, "--kind", "k8s-encryption"],
        vec!["lint", key, "--kind", "influxdb-meta"],
    ];
    for args in &runs {
        let out = run_in(dir, args);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "tlsgen {args:?} exited {code:?}"
        );
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_clean(&format!("tlsgen {}", args.join(" ")), &all, &secrets);
    }
}

#[test]
fn no_recorded_output_of_the_suite_holds_a_private_key() {
    let dir = repo_root().join("snapshots");
    let mut scanned = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let t = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if let Some(line) = pem_key_block(&t) {
            panic!(
                "{} holds a private key block at `{line}`",
                entry.path().display()
            );
        }
        scanned += 1;
    }
    assert!(scanned > 20, "only {scanned} snapshots scanned");
}

/// A Telegraf file with a literal password, a password in a URL and a fixable finding (TGF003,
/// `ssl_ca` renamed `tls_ca`) on a line next to them, so every output path has something to
/// print around the secrets.
const TELEGRAF_WITH_SECRETS: &str = "[[outputs.influxdb]]\n  urls = [\"https://telegraf:Url5ecretValue@influxdb.example.com:8086\"]\n  username = \"telegraf\"\n  password = \"Sup3rSecretValue\"\n  ssl_ca = \"/etc/telegraf/ca.pem\"\n";
const SECRETS: &[&str] = &["Sup3rSecretValue", "Url5ecretValue"];

fn assert_no_secret(what: &str, output: &str) {
    for s in SECRETS {
        assert!(!output.contains(s), "{what} prints `{s}`:\n{output}");
    }
}

#[test]
fn every_output_path_follows_one_redaction_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "telegraf.conf", TELEGRAF_WITH_SECRETS);
    // Reports: every format, quoted lines and messages.
    for format in ["human", "short", "json", "sarif", "github"] {
        let out = run_in(dir, &["lint", "--format", format, "."]);
        assert_eq!(out.status.code(), Some(1), "--format {format}");
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_no_secret(&format!("--format {format}"), &all);
    }
    let human = text(&run_in(dir, &["lint", "."]).stdout);
    assert!(human.contains("password = \"****************\""), "{human}");
    // --diff: the diff is printed, its secrets masked (same length).
    let out = run_in(dir, &["lint", "--diff", "."]);
    let diff = text(&out.stdout);
    assert!(
        diff.contains("+  tls_ca = \"/etc/telegraf/ca.pem\""),
        "{diff}"
    );
    assert!(diff.contains("password = \"****************\""), "{diff}");
    assert_no_secret("--diff", &format!("{diff}{}", text(&out.stderr)));
    // stdin --fix: its stdout is the file itself, handed back to the user's pipe: passed
    // through whole (a masked copy would corrupt it); its report, on stderr, is masked.
    let out = common::run_stdin(
        dir,
        &["lint", "--fix", "--stdin-filename", "telegraf.conf", "-"],
        TELEGRAF_WITH_SECRETS,
    );
    assert_eq!(
        text(&out.stdout),
        TELEGRAF_WITH_SECRETS.replace("ssl_ca", "tls_ca")
    );
    assert!(
        text(&out.stderr).contains("TLSGEN006"),
        "{}",
        text(&out.stderr)
    );
    assert_no_secret("stdin --fix report", &text(&out.stderr));
    // ... except key material, which no output prints: refused, nothing on stdout.
    let key = "c2VjcmV0IGlzIHNlY3VyZSwgaXNuJ3QgaXQ/IDMyYg==";
    let encryption = format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources:\n      - secrets\n    providers:\n      - aescbc:\n          keys:\n            - name: key1\n              secret: {key}\n      - identity: {{}}\n"
    );
    let out = common::run_stdin(
        dir,
        &["lint", "--fix", "--stdin-filename", "encryption.yaml", "-"],
        &encryption,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    assert!(!text(&out.stderr).contains(key));
    assert!(
        text(&out.stderr).contains("--fix <path>"),
        "{}",
        text(&out.stderr)
    );
    // In place, --fix keeps the secrets as they were (nothing is masked in a file).
    let out = run_in(dir, &["lint", "--fix", "."]);
    assert_no_secret(
        "--fix",
        &format!("{}{}", text(&out.stdout), text(&out.stderr)),
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("telegraf.conf")).unwrap(),
        TELEGRAF_WITH_SECRETS.replace("ssl_ca", "tls_ca")
    );
}
