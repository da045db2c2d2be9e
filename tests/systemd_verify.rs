//! `systemd-analyze verify` accepts the rendered drop-ins of every member and proxy on top of a
//! stub of Container Linux's `etcd-member.service` (FACTS F-E19), and prints nothing.
//!
//! One adaptation: the rendered `ExecStart=` names `/usr/lib/coreos/etcd-wrapper` (F-E25), which
//! does not exist on a test machine, and `verify` fails when the command is not an executable. The
//! test replaces exactly that path with a tiny `etcd-wrapper` script in the temp dir, and asserts it
//! replaced exactly one occurrence, so the rest of the drop-in is checked byte for byte as rendered.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use tlsgen::model;
use tlsgen::render::{self, etcd, Artifact, Selection, Templates};

const MODELS: &[&str] = &[
    "examples/cluster.yaml",
    "tests/models/single-member.yaml",
    "tests/models/release-2.1.yaml",
    "tests/models/release-2.2-insecure.yaml",
    "tests/models/no-legacy-port.yaml",
];

const WRAPPER: &str = "/usr/lib/coreos/etcd-wrapper";

/// The Container Linux base unit (F-E19, CL-UNIT), with its wrapper at `wrapper`.
fn base_unit(wrapper: &Path) -> String {
    format!(
        "[Unit]
Description=etcd (System Application Container)
Documentation=https://github.com/etcd-io/etcd
Wants=network-online.target network.target
After=network-online.target
Conflicts=etcd.service
Conflicts=etcd2.service

[Service]
Type=notify
Restart=on-failure
RestartSec=10s
TimeoutStartSec=0
LimitNOFILE=40000

Environment=\"ETCD_IMAGE_TAG=v3.4.23\"
Environment=\"ETCD_NAME=%m\"
Environment=\"ETCD_USER=etcd\"
Environment=\"ETCD_DATA_DIR=/var/lib/etcd\"

ExecStart={} $ETCD_OPTS

[Install]
WantedBy=multi-user.target
",
        wrapper.display()
    )
}

/// A unit directory with the stub base unit, the wrapper script and the given drop-ins.
struct UnitDir {
    dir: tempfile::TempDir,
}

impl UnitDir {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let wrapper = dir.path().join("etcd-wrapper");
        std::fs::write(&wrapper, "#!/bin/sh\nexec true\n").unwrap();
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(dir.path().join("etcd-member.service"), base_unit(&wrapper)).unwrap();
        std::fs::create_dir(dir.path().join("etcd-member.service.d")).unwrap();
        UnitDir { dir }
    }

    fn add_dropins(&self, dropins: &[(String, String)]) {
        let d = self.dir.path().join("etcd-member.service.d");
        for (name, content) in dropins {
            std::fs::write(d.join(name), content).unwrap();
        }
    }

    fn wrapper(&self) -> PathBuf {
        self.dir.path().join("etcd-wrapper")
    }

    /// Exit code and everything `systemd-analyze verify` printed.
    fn verify(&self) -> (Option<i32>, String) {
        let program = common::require_program("systemd-analyze", "systemd");
        let unit_path = format!("{}:", self.dir.path().display());
        let out = Command::new(program)
            .env("SYSTEMD_UNIT_PATH", unit_path)
            .env("SYSTEMD_LOG_COLOR", "0")
            .arg("verify")
            .arg(self.dir.path().join("etcd-member.service"))
            .output()
            .expect("systemd-analyze runs");
        let mut printed = common::text(&out.stdout);
        printed.push_str(&common::text(&out.stderr));
        (out.status.code(), printed)
    }
}

fn rendered(rel: &str) -> Vec<Artifact> {
    let text = std::fs::read_to_string(common::repo_root().join(rel)).unwrap();
    let loaded = model::load_str(rel, &text).expect("valid model");
    let templates = Templates::load(None).unwrap();
    render::render(
        &loaded.cluster,
        "cluster.yaml",
        &templates,
        &Selection::default(),
    )
    .unwrap()
}

/// The drop-ins of one host, with the wrapper path pointed at `wrapper`.
fn dropins_of(artifacts: &[Artifact], host: &str, wrapper: &Path) -> Vec<(String, String)> {
    artifacts
        .iter()
        .filter(|a| a.host == host && a.path.starts_with(&format!("{}/", etcd::DROPIN_DIR)))
        .map(|a| {
            let name = a.path.rsplit('/').next().unwrap().to_string();
            let uses = a.content.matches(WRAPPER).count();
            let content = if name.starts_with("20-clct") {
                assert_eq!(uses, 1, "{host} {name}: one ExecStart with the wrapper");
                a.content.replace(WRAPPER, &wrapper.display().to_string())
            } else {
                assert_eq!(uses, 0, "{host} {name}");
                a.content.clone()
            };
            (name, content)
        })
        .collect()
}

#[test]
fn rendered_dropins_pass_systemd_analyze_verify_silently() {
    let mut checked = 0;
    for rel in MODELS {
        let artifacts = rendered(rel);
        // The etcd hosts: a model may render other targets' files for other hosts too.
        let mut hosts: Vec<&str> = artifacts
            .iter()
            .filter(|a| a.path.starts_with(&format!("{}/", etcd::DROPIN_DIR)))
            .map(|a| a.host.as_str())
            .collect();
        hosts.dedup();
        for host in hosts {
            let dir = UnitDir::new();
            let dropins = dropins_of(&artifacts, host, &dir.wrapper());
            assert!(!dropins.is_empty(), "{rel} {host} has drop-ins");
            dir.add_dropins(&dropins);
            let (code, printed) = dir.verify();
            assert_eq!(code, Some(0), "{rel} {host}: verify failed:\n{printed}");
            assert!(
                printed.is_empty(),
                "{rel} {host}: verify printed warnings:\n{printed}"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 15,
        "every member and proxy of every model: {checked}"
    );
}

#[test]
fn verify_reports_a_broken_dropin() {
    // Proves the test above can fail: systemd exits 0 on these, so only the output tells.
    let artifacts = rendered("examples/cluster.yaml");
    let dir = UnitDir::new();
    let mut dropins = dropins_of(&artifacts, "server1", &dir.wrapper());
    let certs = dropins
        .iter_mut()
        .find(|(n, _)| n == "30-certs.conf")
        .unwrap();
    certs
        .1
        .push_str("ETCD_CERT_FILE /etc/ssl/etcd/server1.pem\n");
    dir.add_dropins(&dropins);
    let (_, printed) = dir.verify();
    assert!(
        printed.contains("30-certs.conf"),
        "verify names the broken drop-in:\n{printed}"
    );
    assert!(!printed.is_empty());

    // A missing wrapper is reported too (why the rendered path is pointed at the stub).
    let missing = UnitDir::new();
    missing.add_dropins(&dropins_of(&artifacts, "server1", Path::new(WRAPPER)));
    let (code, printed) = missing.verify();
    assert!(
        code != Some(0) || !printed.is_empty(),
        "a missing ExecStart binary is reported"
    );
    assert!(printed.contains(WRAPPER), "{printed}");
}
