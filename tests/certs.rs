//! `tlsgen certs`: the PKI layout of the example model, openssl accepting every leaf, idempotence,
//! re-issue of exactly what changed, renewal, existing CAs, key types, and refusals.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{insta_settings, repo_root, require_program, text, tlsgen};
use tlsgen::certs::inspect::describe_tree;

const MODEL: &str = r#"version: 1
pki:
  dir: /etc/ssl/etcd
etcd:
  release: "3.x"
  members:
    - { name: server1, address: 10.0.0.11 }
    - { name: server2, address: 10.0.0.12 }
    - { name: server3, address: etcd3.example.com }
  proxies:
    - { name: app1, client_cert: client1 }
"#;

fn certs(model: &Path, out: &Path, extra: &[&str]) -> Output {
    tlsgen()
        .arg("certs")
        .arg(model)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("tlsgen runs")
}

fn ok(out: &Output) -> String {
    let err = text(&out.stderr);
    assert!(
        out.status.success(),
        "tlsgen certs failed ({}):\n{err}",
        out.status
    );
    assert!(!err.contains("PRIVATE KEY"), "key material on stderr");
    assert!(
        text(&out.stdout).is_empty(),
        "stdout: {}",
        text(&out.stdout)
    );
    err
}

/// Every file under `dir` with its bytes.
fn snapshot_bytes(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    files
}

fn changed(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    let mut out: Vec<String> = after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(*b))
        .map(|(p, _)| p.display().to_string())
        .collect();
    out.sort();
    out
}

fn openssl(args: &[&str]) -> Output {
    Command::new(require_program("openssl", "openssl"))
        .args(args)
        .output()
        .expect("openssl runs")
}

/// `openssl verify -CAfile` on every leaf certificate under `out` (CA copies excluded).
fn verify_all(out: &Path, ca: &Path) -> usize {
    let mut n = 0;
    let ca_bytes = std::fs::read(ca).unwrap();
    for (rel, bytes) in snapshot_bytes(out) {
        let name = rel.file_name().unwrap().to_string_lossy().into_owned();
        let is_cert = name.ends_with(".pem") || name.ends_with(".crt");
        // Leaves only: not a key, not a copy of the CA certificate placed on a host.
        if !is_cert || text(&bytes).contains("PRIVATE KEY") || bytes == ca_bytes {
            continue;
        }
        let path = out.join(&rel);
        let v = openssl(&[
            "verify",
            "-CAfile",
            ca.to_str().unwrap(),
            path.to_str().unwrap(),
        ]);
        assert!(
            v.status.success(),
            "openssl verify {}: {}{}",
            rel.display(),
            text(&v.stdout),
            text(&v.stderr)
        );
        n += 1;
    }
    n
}

fn setup(model: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("cluster.yaml");
    std::fs::write(&m, model).unwrap();
    let out = dir.path().join("pki");
    (dir, m, out)
}

#[test]
fn example_model_pki_layout_with_modes_subjects_and_sans() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pki");
    ok(&certs(
        &repo_root().join("examples/cluster.yaml"),
        &out,
        &[],
    ));
    insta_settings().bind(|| insta::assert_snapshot!("certs_example_layout", describe_tree(&out)));
    // 3 members, the proxy's client1, the admin client, 5 InfluxDB nodes, Telegraf's web1.
    assert_eq!(verify_all(&out, &out.join("ca/ca.pem")), 11);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("ca"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700, "the CA directory is private");
    }
}

#[test]
fn openssl_shows_the_sans_and_extended_key_usage() {
    let (_dir, model, out) = setup(MODEL);
    ok(&certs(&model, &out, &[]));
    let x = openssl(&[
        "x509",
        "-noout",
        "-text",
        "-in",
        out.join("server3/etc/ssl/etcd/server3.pem")
            .to_str()
            .unwrap(),
    ]);
    let t = text(&x.stdout);
    assert!(t.contains("DNS:etcd3.example.com"), "{t}");
    // A member known by DNS name listens on 0.0.0.0, loopback included.
    assert!(
        t.contains("IP Address:127.0.0.1") && t.contains("DNS:localhost"),
        "{t}"
    );
    assert!(
        t.contains("TLS Web Server Authentication, TLS Web Client Authentication"),
        "{t}"
    );
    let x = openssl(&[
        "x509",
        "-noout",
        "-text",
        "-in",
        out.join("server1/etc/ssl/etcd/server1.pem")
            .to_str()
            .unwrap(),
    ]);
    let t = text(&x.stdout);
    assert!(t.contains("IP Address:10.0.0.11"), "{t}");
    assert!(
        !t.contains("127.0.0.1"),
        "no loopback listener configured, no loopback SAN: {t}"
    );
    let x = openssl(&[
        "x509",
        "-noout",
        "-text",
        "-in",
        out.join("app1/etc/ssl/etcd/client1.pem").to_str().unwrap(),
    ]);
    let t = text(&x.stdout);
    assert!(
        t.contains("TLS Web Client Authentication") && !t.contains("Server Authentication"),
        "{t}"
    );
    assert!(t.contains("Subject: CN = client1"), "{t}");
}

#[test]
fn second_run_keeps_every_byte() {
    let (_dir, model, out) = setup(MODEL);
    ok(&certs(&model, &out, &[]));
    let before = snapshot_bytes(&out);
    let err = ok(&certs(&model, &out, &[]));
    assert_eq!(snapshot_bytes(&out), before);
    assert!(err.contains("wrote 0 files"), "{err}");
}

#[test]
fn model_change_reissues_only_what_changed() {
    let (_dir, model, out) = setup(MODEL);
    ok(&certs(&model, &out, &[]));
    let before = snapshot_bytes(&out);
    let changed_model = MODEL
        .replace("address: 10.0.0.12", "address: 10.0.0.22")
        .replace(
            "    - { name: server3, address: etcd3.example.com }\n",
            "    - { name: server3, address: etcd3.example.com }\n    - { name: server4, address: 10.0.0.14 }\n",
        );
    std::fs::write(&model, changed_model).unwrap();
    let err = ok(&certs(&model, &out, &[]));
    let after = snapshot_bytes(&out);
    assert_eq!(
        changed(&before, &after),
        vec![
            "server2/etc/ssl/etcd/server2-key.pem",
            "server2/etc/ssl/etcd/server2.pem",
            "server4/etc/ssl/etcd/ca.pem",
            "server4/etc/ssl/etcd/server4-key.pem",
            "server4/etc/ssl/etcd/server4.pem",
        ]
    );
    assert!(err.contains("SANs changed"), "{err}");
    assert_eq!(verify_all(&out, &out.join("ca/ca.pem")), 6);
}

#[test]
fn renew_before_reissues_what_expires_soon_and_keeps_the_ca() {
    let short = MODEL.replace(
        "  dir: /etc/ssl/etcd\n",
        "  dir: /etc/ssl/etcd\n  validity_days: 10\n",
    );
    let (_dir, model, out) = setup(&short);
    ok(&certs(&model, &out, &[]));
    let before = snapshot_bytes(&out);
    // Same model, no --renew-before: nothing is due.
    ok(&certs(&model, &out, &[]));
    assert_eq!(snapshot_bytes(&out), before);
    // Longer validity from now on, and renew what ends within 30 days: every leaf, not the CA.
    std::fs::write(&model, MODEL).unwrap();
    let err = ok(&certs(&model, &out, &["--renew-before", "30d"]));
    let after = snapshot_bytes(&out);
    let changed = changed(&before, &after);
    assert!(
        !changed
            .iter()
            .any(|p| p.starts_with("ca/ca") || p.ends_with("/ca.pem")),
        "{changed:?}"
    );
    assert_eq!(
        changed.len(),
        10,
        "5 leaves, key and certificate each: {changed:?}"
    );
    assert!(
        err.contains("expires in 9 days") || err.contains("expires in 10 days"),
        "{err}"
    );
    // The renewed ones last long enough: a second run with the same option keeps them.
    ok(&certs(&model, &out, &["--renew-before", "30d"]));
    assert_eq!(snapshot_bytes(&out), after);
}

#[test]
fn renew_before_not_shorter_than_validity_is_refused() {
    let (_dir, model, out) = setup(MODEL);
    let o = certs(&model, &out, &["--renew-before", "400d"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("certs::renew-before"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn foreign_certificate_is_not_overwritten_without_force() {
    let (dir, model, out) = setup(MODEL);
    ok(&certs(&model, &out, &[]));
    // Replace server1's certificate with one from another CA.
    let other = dir.path().join("other");
    let o2 = tlsgen()
        .arg("certs")
        .arg(&model)
        .arg("-o")
        .arg(&other)
        .output()
        .unwrap();
    assert!(o2.status.success());
    let target = out.join("server1/etc/ssl/etcd/server1.pem");
    std::fs::copy(other.join("server1/etc/ssl/etcd/server1.pem"), &target).unwrap();
    std::fs::copy(
        other.join("server1/etc/ssl/etcd/server1-key.pem"),
        out.join("server1/etc/ssl/etcd/server1-key.pem"),
    )
    .unwrap();
    std::fs::write(
        &model,
        MODEL.replace("address: 10.0.0.12", "address: 10.0.0.99"),
    )
    .unwrap();
    let before = snapshot_bytes(&out);
    let o = certs(&model, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("certs::not-ours") && err.contains("server1.pem"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert!(!err.contains("PRIVATE KEY"));
    assert_eq!(
        snapshot_bytes(&out),
        before,
        "no partial write: server2's change waits too"
    );
    let err = ok(&certs(&model, &out, &["--force"]));
    assert!(err.contains("replaced (--force)"), "{err}");
    assert_eq!(verify_all(&out, &out.join("ca/ca.pem")), 5);
}

#[test]
fn unusable_ca_directory_is_an_error() {
    let (_dir, model, out) = setup(MODEL);
    ok(&certs(&model, &out, &[]));
    std::fs::remove_file(out.join("ca/ca-key.pem")).unwrap();
    let o = certs(&model, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("certs::ca-unusable"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn existing_ca_from_the_model_signs_and_stays_out_of_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let ca_key = dir.path().join("corp-ca.key");
    let ca_cert = dir.path().join("corp-ca.pem");
    let o = openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        ca_key.to_str().unwrap(),
        "-out",
        ca_cert.to_str().unwrap(),
        "-days",
        "30",
        "-subj",
        "/CN=Corp Root",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let model = dir.path().join("cluster.yaml");
    let yaml = MODEL.replace(
        "  dir: /etc/ssl/etcd\n",
        "  dir: /etc/ssl/etcd\n  ca_cert: corp-ca.pem\n  ca_key: corp-ca.key\n",
    );
    std::fs::write(&model, yaml).unwrap();
    let out = dir.path().join("pki");
    ok(&certs(&model, &out, &[]));
    assert!(!out.join("ca/ca-key.pem").exists() && !out.join("ca/ca.pem").exists());
    assert_eq!(
        std::fs::read(out.join("server1/etc/ssl/etcd/ca.pem")).unwrap(),
        std::fs::read(&ca_cert).unwrap()
    );
    assert_eq!(verify_all(&out, &ca_cert), 5);
    // Leaves end no later than the CA (30 days).
    let x = openssl(&[
        "x509",
        "-noout",
        "-checkend",
        &(31 * 86_400).to_string(),
        "-in",
        out.join("server1/etc/ssl/etcd/server1.pem")
            .to_str()
            .unwrap(),
    ]);
    assert!(!x.status.success(), "leaf outlives its CA");
}

#[test]
fn ca_cert_without_ca_key_points_at_the_model() {
    let (_dir, model, out) = setup(&MODEL.replace(
        "  dir: /etc/ssl/etcd\n",
        "  dir: /etc/ssl/etcd\n  ca_cert: corp.pem\n",
    ));
    let o = certs(&model, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr).replace(model.to_str().unwrap(), "cluster.yaml");
    insta_settings().bind(|| insta::assert_snapshot!("certs_ca_cert_without_key", err));
}

#[test]
fn host_named_ca_is_refused() {
    let (_dir, model, out) = setup(&MODEL.replace("name: app1", "name: ca"));
    let o = certs(&model, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("certs::reserved-host"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists());
}

#[test]
fn selectable_key_types_verify_with_openssl() {
    for (kt, shown) in [
        ("rsa-2048", "rsa-2048"),
        ("ed25519", "ed25519"),
        ("ecdsa-p384", "ecdsa-p384"),
    ] {
        let (_dir, model, out) = setup(&MODEL.replace(
            "  dir: /etc/ssl/etcd\n",
            &format!("  dir: /etc/ssl/etcd\n  key_type: {kt}\n"),
        ));
        ok(&certs(&model, &out, &[]));
        assert_eq!(verify_all(&out, &out.join("ca/ca.pem")), 5, "{kt}");
        let tree = describe_tree(&out);
        assert!(
            tree.contains(&format!("private key: {shown}")),
            "{kt}: {tree}"
        );
        assert!(!tree.contains("private key: ecdsa-p256"), "{kt}: {tree}");
        // Changing the key type re-issues the leaves (the CA stays).
        std::fs::write(&model, MODEL).unwrap();
        let before = snapshot_bytes(&out);
        let err = ok(&certs(&model, &out, &[]));
        assert!(err.contains("key type changed to ecdsa-p256"), "{err}");
        assert_eq!(changed(&before, &snapshot_bytes(&out)).len(), 10, "{kt}");
    }
}

#[test]
fn key_files_are_private_and_a_loose_mode_is_fixed() {
    let (_dir, model, out) = setup(MODEL);
    ok(&certs(&model, &out, &[]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = out.join("server1/etc/ssl/etcd/server1-key.pem");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let before = std::fs::read(&key).unwrap();
        let err = ok(&certs(&model, &out, &[]));
        assert!(err.contains("mode corrected"), "{err}");
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::read(&key).unwrap(),
            before,
            "same key, only the mode changed"
        );
    }
}
