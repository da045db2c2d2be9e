//! The etcd-wrapper's certificate mount, as the end-to-end harness emulates it: etcd runs in a
//! container that sees the host's `ETCD_SSL_DIR` at `/etc/ssl/certs` only (F-E22, F-E23). tlsgen's
//! drop-ins name their files there and set `ETCD_SSL_DIR` to `pki.dir`; the CoreOS guide's
//! `30-certs.conf` (F-E28) names `/etc/ssl/etcd/...` and is refused, as etcd would fail to open it.

mod common;
#[path = "common/etcd.rs"]
mod etcd;

use std::collections::BTreeMap;

use etcd::{base_unit, launch_from_units, map_wrapper_mount, EtcdCluster};

/// The guide's `30-certs.conf` (F-E28), host paths under `/etc/ssl/etcd`, no `ETCD_SSL_DIR`.
const GUIDE_CERTS_CONF: &str = "[Service]\n\
Environment=\"ETCD_CERT_FILE=/etc/ssl/etcd/m1.pem\"\n\
Environment=\"ETCD_KEY_FILE=/etc/ssl/etcd/m1-key.pem\"\n\
Environment=\"ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ca.pem\"\n\
Environment=\"ETCD_CLIENT_CERT_AUTH=true\"\n\
Environment=\"ETCD_PEER_CERT_FILE=/etc/ssl/etcd/m1.pem\"\n\
Environment=\"ETCD_PEER_KEY_FILE=/etc/ssl/etcd/m1-key.pem\"\n\
Environment=\"ETCD_PEER_TRUSTED_CA_FILE=/etc/ssl/etcd/ca.pem\"\n\
Environment=\"ETCD_PEER_CLIENT_CERT_AUTH=true\"\n";

#[test]
fn rendered_files_reach_etcd_as_host_files_of_pki_dir() {
    let cluster = EtcdCluster::new(&["m1", "m2"]);
    cluster.render(&cluster.model_yaml());
    let pki = cluster.pki_dir();
    let pki = pki.to_str().expect("UTF-8 temp dir");
    for m in ["m1", "m2"] {
        let dropins = cluster.rendered_dropins(m);
        let certs = &dropins
            .iter()
            .find(|(n, _)| n == "30-certs.conf")
            .expect("30-certs.conf")
            .1;
        // What systemd passes on names the container's files...
        assert!(
            certs.contains(&format!("ETCD_CERT_FILE=/etc/ssl/certs/{m}.pem\"")),
            "{certs}"
        );
        assert!(!certs.contains(pki), "{certs}");
        // ...and what etcd opens, through the mount, is pki.dir on the host.
        let launch = cluster.launch(m, &dropins);
        let env = |k: &str| launch.env.get(k).map(String::as_str);
        assert_eq!(env("ETCD_SSL_DIR"), Some(pki));
        for (k, file) in [
            ("ETCD_CERT_FILE", format!("{m}.pem")),
            ("ETCD_KEY_FILE", format!("{m}-key.pem")),
            ("ETCD_TRUSTED_CA_FILE", "ca.pem".to_string()),
            ("ETCD_PEER_CERT_FILE", format!("{m}.pem")),
            ("ETCD_PEER_KEY_FILE", format!("{m}-key.pem")),
            ("ETCD_PEER_TRUSTED_CA_FILE", "ca.pem".to_string()),
        ] {
            assert_eq!(env(k), Some(format!("{pki}/{file}").as_str()), "{m} {k}");
        }
    }
    // etcdctl runs on the host: its file keeps host paths.
    let ctl = etcd::read_env_file(&cluster.out_dir().join("m1").join(etcd::ETCDCTL_ENV));
    assert_eq!(
        ctl.get("ETCDCTL_CACERT").map(String::as_str),
        Some(format!("{pki}/ca.pem").as_str())
    );
}

#[test]
fn the_guides_host_paths_are_refused_like_the_container_would() {
    let data = tempfile::tempdir().expect("temp dir");
    let units = vec![
        ("etcd-member.service".to_string(), base_unit(data.path())),
        ("30-certs.conf".to_string(), GUIDE_CERTS_CONF.to_string()),
    ];
    let err = launch_from_units(&units, std::path::Path::new("/usr/bin/etcd"))
        .expect_err("the guide's paths are outside the mount");
    assert!(
        err.contains("ETCD_CERT_FILE") && err.contains("/etc/ssl/etcd/m1.pem"),
        "{err}"
    );
    assert!(err.contains("ETCD_SSL_DIR=/etc/ssl/certs"), "{err}");

    // Setting ETCD_SSL_DIR alone does not help: the files must be named inside the container.
    let mut with_dir = units.clone();
    with_dir.push((
        "40-ssl-dir.conf".to_string(),
        "[Service]\nEnvironment=\"ETCD_SSL_DIR=/etc/ssl/etcd\"\n".to_string(),
    ));
    assert!(launch_from_units(&with_dir, std::path::Path::new("/usr/bin/etcd")).is_err());

    // Named inside the container, the same files are found under ETCD_SSL_DIR.
    with_dir[1].1 = GUIDE_CERTS_CONF.replace("/etc/ssl/etcd/", "/etc/ssl/certs/");
    let launch = launch_from_units(&with_dir, std::path::Path::new("/usr/bin/etcd"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        launch.env.get("ETCD_PEER_KEY_FILE").map(String::as_str),
        Some("/etc/ssl/etcd/m1-key.pem")
    );
}

#[test]
fn flags_are_mapped_and_checked_like_variables() {
    let mut env = BTreeMap::from([("ETCD_SSL_DIR".to_string(), "/srv/pki/".to_string())]);
    let mut args: Vec<String> = [
        "--cert-file=/etc/ssl/certs/a.pem",
        "-key-file",
        "/etc/ssl/certs/a-key.pem",
        "--trusted-ca-file=/usr/share/ca-certificates/ca.pem",
        "--listen-client-urls=https://127.0.0.1:2379",
    ]
    .map(str::to_string)
    .to_vec();
    map_wrapper_mount(&mut args, &mut env).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        args,
        [
            "--cert-file=/srv/pki/a.pem",
            "-key-file",
            "/srv/pki/a-key.pem",
            "--trusted-ca-file=/usr/share/ca-certificates/ca.pem",
            "--listen-client-urls=https://127.0.0.1:2379",
        ]
    );

    for bad in [
        vec!["--peer-cert-file=/etc/ssl/etcd/a.pem"],
        vec!["--peer-key-file", "/etc/ssl/etcd/a-key.pem"],
        vec!["--client-crl-file=crl.pem"],
        vec!["--cert-file"],
    ] {
        let mut args: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
        let err = map_wrapper_mount(&mut args, &mut BTreeMap::new())
            .expect_err("outside the mount, or no value");
        assert!(err.contains(bad[0]), "{bad:?}: {err}");
    }

    // Without ETCD_SSL_DIR the wrapper mounts /etc/ssl/certs itself (`${ETCD_SSL_DIR:-/etc/ssl/certs}`).
    let mut env = BTreeMap::from([(
        "ETCD_KEY_FILE".to_string(),
        "/etc/ssl/certs/k.pem".to_string(),
    )]);
    map_wrapper_mount(&mut [], &mut env).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(env["ETCD_KEY_FILE"], "/etc/ssl/certs/k.pem");
}
