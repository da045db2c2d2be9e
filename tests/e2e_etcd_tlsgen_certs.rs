//! End to end: a real 3-member etcd cluster (Debian `etcd-server` 3.4) on 127.0.0.1 runs on the
//! certificates `tlsgen certs` made, with client and peer TLS and client-cert-auth on both, started
//! from the drop-ins `tlsgen render` wrote. Each host's files are copied from `OUT/<host>/<pki.dir>`
//! into `pki.dir` (what deploying them does); the admin client certificate from `OUT/ca/` is the
//! etcdctl client. etcd checks peer IP SANs (F-E11), so the peers accepting each other proves the
//! members' SANs.

mod common;
#[path = "common/etcd.rs"]
mod etcd;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{require_program, text};
use etcd::{run_bounded, EtcdCluster, COMMAND_TIMEOUT};

const HEALTH_TRIES: u32 = 40;
const HEALTH_DEADLINE: Duration = Duration::from_secs(30);

/// Run `tlsgen certs` on the harness model and deploy each member's files into `pki.dir`.
fn deploy_tlsgen_pki(cluster: &EtcdCluster) {
    let model = cluster.path("cluster.yaml");
    let certs_out = cluster.path("certs-out");
    let out = run_bounded(
        common::tlsgen()
            .arg("certs")
            .arg(&model)
            .arg("-o")
            .arg(&certs_out),
        COMMAND_TIMEOUT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "tlsgen certs failed:\n{}",
        text(&out.stderr)
    );
    assert!(
        !text(&out.stderr).contains("PRIVATE KEY"),
        "key material printed"
    );
    let pki = cluster.pki_dir();
    std::fs::create_dir_all(&pki).expect("pki dir");
    let rel_pki = pki
        .strip_prefix("/")
        .expect("absolute pki dir")
        .to_path_buf();
    for m in &cluster.members {
        let host_pki = certs_out.join(&m.name).join(&rel_pki);
        for f in [
            "ca.pem".to_string(),
            format!("{}.pem", m.name),
            format!("{}-key.pem", m.name),
        ] {
            copy_keep_mode(&host_pki.join(&f), &pki.join(&f));
        }
    }
    copy_keep_mode(
        &certs_out.join("ca/admin.pem"),
        &pki.join(format!("{}.pem", etcd::CLIENT)),
    );
    copy_keep_mode(
        &certs_out.join("ca/admin-key.pem"),
        &pki.join(format!("{}-key.pem", etcd::CLIENT)),
    );

    // Every leaf verifies against the CA with openssl.
    let openssl = require_program("openssl", "openssl");
    for m in &cluster.members {
        let cert = pki.join(format!("{}.pem", m.name));
        let out = Command::new(&openssl)
            .arg("verify")
            .arg("-CAfile")
            .arg(pki.join("ca.pem"))
            .arg(&cert)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl verify {}: {}",
            cert.display(),
            text(&out.stderr)
        );
    }
}

fn copy_keep_mode(from: &Path, to: &Path) {
    std::fs::copy(from, to)
        .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", from.display(), to.display()));
}

#[test]
fn etcd_cluster_runs_on_tlsgen_certificates_with_peer_tls_and_client_cert_auth() {
    let mut cluster = EtcdCluster::new(&["t1", "t2", "t3"]);
    let model = cluster.model_yaml();
    assert!(!model.contains("client_cert_auth: false"));
    cluster.render(&model);
    deploy_tlsgen_pki(&cluster);

    // The rendered drop-ins turn on client-cert-auth and peer client-cert-auth (F-E28).
    for m in cluster.members.clone() {
        let launch = cluster.launch(&m.name, &cluster.rendered_dropins(&m.name));
        assert_eq!(
            launch.env.get("ETCD_CLIENT_CERT_AUTH").map(String::as_str),
            Some("true")
        );
        assert_eq!(
            launch
                .env
                .get("ETCD_PEER_CLIENT_CERT_AUTH")
                .map(String::as_str),
            Some("true")
        );
    }
    cluster.start_rendered();

    let admin = cluster.client_tls(Some(etcd::CLIENT));
    let endpoints = cluster.client_urls();
    let health = cluster
        .wait_healthy(&admin, &endpoints, HEALTH_TRIES, HEALTH_DEADLINE)
        .unwrap_or_else(|e| panic!("{e}\n{}", cluster.logs()));
    for url in &endpoints {
        assert!(
            health.contains(&format!("{url} is healthy")),
            "{url} missing from:\n{health}"
        );
    }

    // Writes replicate over peer TLS: put on t1, linearizable get on t3.
    let out = cluster.etcdctl(
        &admin,
        &endpoints[..1],
        &["put", "/tlsgen/certs", "issued-by-tlsgen"],
    );
    assert!(
        out.status.success(),
        "put: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let out = cluster.etcdctl(
        &admin,
        &endpoints[2..],
        &["get", "/tlsgen/certs", "--print-value-only"],
    );
    assert!(out.status.success(), "get: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "issued-by-tlsgen");

    // A member certificate (serverAuth + clientAuth) is also a valid client certificate.
    let as_member = cluster.client_tls(Some("t2"));
    let out = cluster.etcdctl(
        &as_member,
        &endpoints[1..2],
        &["get", "/tlsgen/certs", "--print-value-only"],
    );
    assert!(out.status.success(), "get as t2: {}", text(&out.stderr));

    // Without a client certificate the cluster refuses the client.
    let anonymous = cluster.client_tls(None);
    let out = cluster.etcdctl(
        &anonymous,
        &endpoints[..1],
        &[
            "--command-timeout=2s",
            "--dial-timeout=2s",
            "get",
            "/tlsgen/certs",
        ],
    );
    assert!(
        !out.status.success(),
        "a client without a certificate was served"
    );
    assert!(
        cluster.exited().is_empty(),
        "a member exited:\n{}",
        cluster.logs()
    );
}
