//! Messy, real-world-shaped etcd files (an Ansible/Jinja `30-certs.conf`, a ct-rendered EC2
//! drop-in with `${COREOS_*}` metadata, a leftover ExecStart override, a hand-written migration
//! drop-in with etcdctl on `ExecStartPre=`, Debian's commented `/etc/default/etcd`, a Helm static
//! pod, a Puppet/ERB etcdctl env file, an etcd YAML config): the ETCD rules fire exactly where a
//! file literally shows the condition, and never on a commented-out or templated value.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

type Found = Vec<(String, u64, String, String)>;

/// (path, line, code, severity) of every finding of `lint .` run in `dir`.
fn findings(dir: &Path) -> Found {
    let out = common::run_in(dir, &["lint", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", common::text(&out.stderr));
    let json = common::text(&out.stdout);
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    list.iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn own(v: &[(&str, u64, &str, &str)]) -> Found {
    v.iter()
        .map(|(p, l, c, s)| (p.to_string(), *l, c.to_string(), s.to_string()))
        .collect()
}

fn dir() -> std::path::PathBuf {
    common::repo_root().join("tests/fixtures_messy/etcd")
}

#[test]
fn messy_etcd_files_report_exactly_what_they_literally_show() {
    let found = findings(&dir());
    assert_eq!(
        found,
        own(&[
            // Jinja: the live ETCD_PEER_CA_FILE (removed in 3.4, so no peer CA at all) and a
            // variable without ETCD_; the commented ETCD_CA_FILE and every {{ }} value are silent
            (
                "ansible/etcd-member.service.d/30-certs.conf",
                13,
                "ETCD012",
                "error"
            ),
            (
                "ansible/etcd-member.service.d/30-certs.conf",
                14,
                "ETCD008",
                "warning"
            ),
            (
                "ansible/etcd-member.service.d/30-certs.conf",
                17,
                "ETCD014",
                "warning"
            ),
            // YAML: a quoted "false" is a string etcd cannot unmarshal into a bool; `yes` is
            // YAML 1.1 true (accepted); ${ETCD_TLS_MIN} is unknown; a CBC-SHA256 suite
            ("config/etcd.conf.yml", 16, "ETCD022", "error"),
            ("config/etcd.conf.yml", 25, "ETCD016", "error"),
            // ct output pinned to etcd 3.3.25: --name and --data-dir shadow the base unit's and
            // the wrapper's variables (a warning before 3.4); `on` is not a Go boolean
            (
                "ct-ec2/etcd-member.service.d/20-clct-etcd-member.conf",
                10,
                "ETCD013",
                "warning"
            ),
            (
                "ct-ec2/etcd-member.service.d/20-clct-etcd-member.conf",
                11,
                "ETCD013",
                "warning"
            ),
            (
                "ct-ec2/etcd-member.service.d/20-clct-etcd-member.conf",
                17,
                "ETCD022",
                "error"
            ),
            // Debian defaults: a typo (did you mean ..._URLS), `1` (etcd accepts it, CIS wants
            // `true`), `no`, TLS1.1; the commented `# ETCD_AUTO_TLS=yes` is silent
            ("debian/default/etcd", 14, "ETCD014", "warning"),
            ("debian/default/etcd", 28, "ETCD006", "warning"),
            ("debian/default/etcd", 29, "ETCD022", "error"),
            ("debian/default/etcd", 30, "ETCD015", "error"),
            // Helm static pod: RC4 in the live list, not the commented 3DES one; a typo in env
            ("kubeadm/etcd.yaml", 33, "ETCD016", "error"),
            ("kubeadm/etcd.yaml", 40, "ETCD014", "warning"),
            // the migration drop-in on etcd 3.4.23
            (
                "migration/etcd-member.service.d/40-tls.conf",
                7,
                "ETCD021",
                "warning"
            ),
            (
                "migration/etcd-member.service.d/40-tls.conf",
                10,
                "ETCD009",
                "error"
            ),
            (
                "migration/etcd-member.service.d/40-tls.conf",
                10,
                "ETCD011",
                "warning"
            ),
            (
                "migration/etcd-member.service.d/40-tls.conf",
                12,
                "ETCD017",
                "error"
            ),
            (
                "migration/etcd-member.service.d/40-tls.conf",
                21,
                "ETCD020",
                "error"
            ),
            (
                "migration/etcd-member.service.d/40-tls.conf",
                24,
                "ETCD013",
                "error"
            ),
            // an override without the reset line and without $ETCD_OPTS, which also leaves etcd
            // with no TLS at all
            (
                "override/etcd-member.service.d/40-override.conf",
                4,
                "ETCD002",
                "error"
            ),
            (
                "override/etcd-member.service.d/40-override.conf",
                4,
                "ETCD003",
                "error"
            ),
            (
                "override/etcd-member.service.d/40-override.conf",
                4,
                "ETCD005",
                "error"
            ),
            (
                "override/etcd-member.service.d/40-override.conf",
                4,
                "ETCD006",
                "error"
            ),
            (
                "override/etcd-member.service.d/40-override.conf",
                4,
                "ETCD018",
                "error"
            ),
            (
                "override/etcd-member.service.d/40-override.conf",
                4,
                "ETCD018",
                "warning"
            ),
            // ERB: only the literal skip-verify
            ("puppet/etcdctl.env", 8, "ETCD019", "error"),
        ]),
    );
}

/// Lines whose finding is about the key, not the templated value (`--name="${...}"` is there,
/// whatever its value).
const KEY_LEVEL: &[(&str, u64)] = &[("ct-ec2/etcd-member.service.d/20-clct-etcd-member.conf", 10)];

#[test]
fn nothing_fires_on_commented_or_templated_lines() {
    let dir = dir();
    let found = findings(&dir);
    let lines: BTreeSet<(&str, u64)> = found.iter().map(|(p, l, ..)| (p.as_str(), *l)).collect();
    let mut quiet = 0;
    let paths: BTreeSet<&String> = found.iter().map(|(p, ..)| p).collect();
    for path in paths {
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        for (i, l) in text.lines().enumerate() {
            let n = i as u64 + 1;
            let comment = l.trim_start().starts_with('#');
            let templated = ["{{", "{%", "<%", "${"].iter().any(|t| l.contains(t));
            if (comment || templated) && !KEY_LEVEL.contains(&(path.as_str(), n)) {
                assert!(
                    !lines.contains(&(path.as_str(), n)),
                    "a finding on {path}:{n}: {l}"
                );
                quiet += 1;
            }
        }
    }
    assert!(
        quiet > 20,
        "only {quiet} commented or templated lines checked"
    );
}

#[test]
fn every_new_etcd_rule_fires_somewhere_in_the_messy_set() {
    let found = findings(&dir());
    let codes: BTreeSet<&str> = found.iter().map(|(_, _, c, _)| c.as_str()).collect();
    for n in 11..=22 {
        let code = format!("ETCD0{n}");
        assert!(
            codes.contains(code.as_str()),
            "{code} fires nowhere: {codes:?}"
        );
    }
}
