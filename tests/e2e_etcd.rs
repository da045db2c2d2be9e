//! End-to-end (issue 2): real etcd 3.4 (Debian `etcd-server`/`etcd-client`) as a 3-member cluster
//! on 127.0.0.1, configured only from the files `tlsgen render` writes for a test model, read back
//! the way systemd merges a unit and its drop-ins. Fails, never skips, when etcd is missing.

mod common;
#[path = "common/etcd.rs"]
mod etcd;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::text;
use etcd::{read_env_file, EtcdCluster, DUMMY_MACHINE_ID, ETCDCTL_ENV};

/// Health gate: tries and total time.
const HEALTH_TRIES: u32 = 40;
const HEALTH_DEADLINE: Duration = Duration::from_secs(30);

#[test]
fn three_members_run_over_tls_from_the_rendered_files_alone() {
    let started = Instant::now();
    let mut cluster = EtcdCluster::new(&["m1", "m2", "m3"]);
    cluster.render(&cluster.model_yaml());
    cluster.make_pki();

    // The command systemd would run: the base unit's ETCD_NAME (`%m`) is overridden by the
    // drop-in's Environment= line, not by a `--name` flag that etcd >= 3.4 rejects (F-E3), and
    // the unset `$ETCD_OPTS` word expands to nothing (F-E19, F-E20).
    for m in cluster.members.clone() {
        let launch = cluster.launch(&m.name, &cluster.rendered_dropins(&m.name));
        assert_eq!(
            launch.env.get("ETCD_NAME").map(String::as_str),
            Some(m.name.as_str())
        );
        assert!(
            launch
                .args
                .iter()
                .all(|a| !a.starts_with("--name") && !a.contains('$')),
            "{}",
            launch.describe()
        );
        assert_eq!(
            launch.env.get("ETCD_DATA_DIR").map(String::as_str),
            cluster.data_dir(&m.name).to_str()
        );
    }
    cluster.start_rendered();

    let with_cert = cluster.client_tls(Some(etcd::CLIENT));
    let endpoints = cluster.client_urls();
    let health = cluster
        .wait_healthy(&with_cert, &endpoints, HEALTH_TRIES, HEALTH_DEADLINE)
        .unwrap_or_else(|e| panic!("{e}"));
    let healthy_after = started.elapsed();
    for url in &endpoints {
        assert!(
            health.contains(&format!("{url} is healthy")),
            "{url} missing from:\n{health}"
        );
    }
    // Each member took its TLS settings from 30-certs.conf: etcd logs what it parsed. (etcd 3.4.23
    // asks for a client certificate whenever a trusted CA file is set, so the refusal below alone
    // would not tell `client-cert-auth = false` apart.)
    let pki = cluster.pki_dir();
    for m in &cluster.members {
        let log = std::fs::read_to_string(cluster.log_path(&m.name)).unwrap_or_default();
        let tls = format!(
            "cert = {pki}/{name}.pem, key = {pki}/{name}-key.pem, trusted-ca = {pki}/ca.pem, client-cert-auth = true",
            pki = pki.display(),
            name = m.name
        );
        for kind in ["ClientTLS", "peerTLS"] {
            assert!(
                log.contains(&format!("embed: {kind}: {tls}")),
                "{}: no `{kind}: {tls}` in its log:\n{log}",
                m.name
            );
        }
    }
    // Each member answers on its own too.
    for url in &endpoints {
        let out = cluster.etcdctl(
            &with_cert,
            std::slice::from_ref(url),
            &["endpoint", "health"],
        );
        assert!(out.status.success(), "{url}: {}", text(&out.stderr));
    }

    // put on m1, linearizable get from m3.
    let value = "over-tls-42";
    let out = cluster.etcdctl(&with_cert, &endpoints[..1], &["put", "/tlsgen/e2e", value]);
    assert!(
        out.status.success(),
        "put: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout).trim(), "OK");
    let out = cluster.etcdctl(
        &with_cert,
        &endpoints[2..],
        &["get", "/tlsgen/e2e", "--print-value-only"],
    );
    assert!(out.status.success(), "get: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), value);

    // Members know each other by their names and https peer URLs.
    let out = cluster.etcdctl(
        &with_cert,
        &endpoints[..1],
        &["member", "list", "-w", "json"],
    );
    assert!(out.status.success(), "member list: {}", text(&out.stderr));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("member list json");
    let mut seen: Vec<(String, Vec<String>, Vec<String>)> = list["members"]
        .as_array()
        .expect("members array")
        .iter()
        .map(|m| {
            let urls = |k: &str| -> Vec<String> {
                m[k].as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|u| u.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            (
                m["name"].as_str().unwrap_or_default().to_string(),
                urls("peerURLs"),
                urls("clientURLs"),
            )
        })
        .collect();
    seen.sort();
    let expected: Vec<(String, Vec<String>, Vec<String>)> = cluster
        .members
        .iter()
        .map(|m| (m.name.clone(), vec![m.peer_url()], vec![m.client_url()]))
        .collect();
    assert_eq!(seen, expected);

    // A client without a certificate is refused, within a bounded time. etcdctl 3.4 reports the
    // failed handshake only as a gRPC deadline; the member names the TLS failure in its log, and
    // curl (TLS 1.2, where the server's alert arrives during the handshake) names it on stderr.
    let rejections = |cluster: &EtcdCluster| {
        std::fs::read_to_string(cluster.log_path("m1"))
            .unwrap_or_default()
            .matches("tls: client didn't provide a certificate")
            .count()
    };
    let rejected_before = rejections(&cluster);
    let ca = cluster.pki_dir().join("ca.pem");
    let no_cert = cluster.client_tls(None);
    let t = Instant::now();
    let out = cluster.etcdctl(
        &no_cert,
        &endpoints[..1],
        &[
            "--dial-timeout=3s",
            "--command-timeout=5s",
            "get",
            "/tlsgen/e2e",
        ],
    );
    let refused_in = t.elapsed();
    let stderr = text(&out.stderr);
    assert!(
        !out.status.success(),
        "a client without certificate got: {}",
        text(&out.stdout)
    );
    assert!(!text(&out.stdout).contains(value));
    assert!(
        stderr.contains("context deadline exceeded") && stderr.contains("TransientFailure"),
        "unexpected etcdctl error:\n{stderr}"
    );
    assert!(
        refused_in < Duration::from_secs(10),
        "refusal took {refused_in:?}"
    );
    assert!(
        rejections(&cluster) > rejected_before,
        "m1 logged no rejected TLS connection:\n{}",
        cluster.logs()
    );
    let out = curl(&[
        "--tls-max",
        "1.2",
        "--cacert",
        p(&ca),
        &format!("{}/version", endpoints[0]),
    ]);
    assert!(
        !out.status.success(),
        "curl without certificate: {}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("alert bad certificate"),
        "curl: {}",
        text(&out.stderr)
    );
    // The same request with the client certificate is served.
    let out = curl(&[
        "--cacert",
        p(&ca),
        "--cert",
        p(&cluster.pki_dir().join("client.pem")),
        "--key",
        p(&cluster.pki_dir().join("client-key.pem")),
        &format!("{}/version", endpoints[0]),
    ]);
    assert!(
        out.status.success(),
        "curl with certificate: {}",
        text(&out.stderr)
    );

    // Peers need a certificate too (ETCD_PEER_CLIENT_CERT_AUTH=true): the peer port serves its
    // member list to a member certificate and refuses a caller without one.
    let peer_members = format!("{}/members", cluster.members[1].peer_url());
    let out = curl(&[
        "--cacert",
        p(&ca),
        "--cert",
        p(&cluster.pki_dir().join("m1.pem")),
        "--key",
        p(&cluster.pki_dir().join("m1-key.pem")),
        &peer_members,
    ]);
    assert!(
        out.status.success(),
        "peer port with certificate: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains(&cluster.members[2].peer_url()),
        "{}",
        text(&out.stdout)
    );
    let out = curl(&["--tls-max", "1.2", "--cacert", p(&ca), &peer_members]);
    assert!(
        !out.status.success() && text(&out.stderr).contains("alert bad certificate"),
        "peer port without certificate: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // The loopback plain-HTTP port (a migration aid) answers.
    let out = curl(&[&format!("{}/version", cluster.members[0].legacy_url())]);
    assert!(out.status.success(), "curl: {}", text(&out.stderr));
    let version: serde_json::Value = serde_json::from_slice(&out.stdout).expect("version json");
    assert!(
        version["etcdserver"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3."),
        "{version}"
    );

    // The rendered etcdctl.env alone configures etcdctl (member certificate as client).
    let env = read_env_file(&cluster.out_dir().join("m2").join(ETCDCTL_ENV));
    let out = etcd::run_bounded(
        Command::new(&cluster.etcdctl)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(&env)
            .args([
                "--dial-timeout=3s",
                "--command-timeout=5s",
                "get",
                "/tlsgen/e2e",
                "--print-value-only",
            ]),
        Duration::from_secs(15),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "etcdctl with etcdctl.env: {}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout).trim(), value);

    assert!(
        cluster.exited().is_empty(),
        "members died: {:?}",
        cluster.exited()
    );
    eprintln!(
        "e2e etcd: healthy after {healthy_after:?}, refusal in {refused_in:?}, total {:?}",
        started.elapsed()
    );
}

/// Why the member name is an `Environment=` line: the base unit sets `ETCD_NAME=%m` (F-E19), so a
/// ct-style drop-in that passes `--name` instead (F-E25) makes etcd >= 3.4 exit (F-E3). Checked on
/// the real binary with the rendered drop-in rewritten the way ct would write it.
#[test]
fn a_name_flag_next_to_the_base_units_etcd_name_stops_etcd() {
    let mut cluster = EtcdCluster::new(&["m1"]);
    cluster.render(&cluster.model_yaml());
    cluster.make_pki();
    let dropins: Vec<(String, String)> = cluster
        .rendered_dropins("m1")
        .into_iter()
        .map(|(name, body)| {
            if !name.starts_with("20-") {
                return (name, body);
            }
            assert!(body.contains("Environment=\"ETCD_NAME=m1\"\n"), "{body}");
            let ct_style = body.replace("Environment=\"ETCD_NAME=m1\"\n", "").replace(
                &format!("{} $ETCD_OPTS \\\n", etcd::WRAPPER),
                &format!("{} $ETCD_OPTS \\\n  --name=\"m1\" \\\n", etcd::WRAPPER),
            );
            assert_ne!(ct_style, body);
            (name, ct_style)
        })
        .collect();
    let launch = cluster.launch("m1", &dropins);
    assert_eq!(
        launch.env.get("ETCD_NAME").map(String::as_str),
        Some(DUMMY_MACHINE_ID)
    );
    assert!(
        launch.args.iter().any(|a| a == "--name=m1"),
        "{}",
        launch.describe()
    );
    cluster.start("m1", &launch);
    let status = cluster
        .wait_exit("m1", Duration::from_secs(15))
        .unwrap_or_else(|| {
            panic!(
                "etcd kept running with --name and ETCD_NAME:\n{}",
                cluster.logs()
            )
        });
    assert!(!status.success(), "{status}");
    let log = cluster.logs();
    assert!(
        log.contains("conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag"),
        "{log}"
    );
}

/// curl with a bounded time, HTTP/1.1 (etcd's client port also speaks gRPC).
fn curl(args: &[&str]) -> Output {
    let curl = common::require_program("curl", "curl");
    etcd::run_bounded(
        Command::new(curl)
            .args(["-sS", "--http1.1", "--max-time", "5"])
            .args(args),
        Duration::from_secs(10),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn p(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}
