//! `tlsgen plan`: snapshots of RUNBOOK.md and migrate.sh, shellcheck, dry runs and bad input.

mod common;

use std::path::Path;
use std::process::Command;

use common::{insta_settings, repo_root, require_program, text, tlsgen};

/// Run `tlsgen plan MODEL -o OUT` and return OUT/plan.
fn plan(model: &Path, out: &Path) -> std::path::PathBuf {
    let o = tlsgen()
        .arg("plan")
        .arg(model)
        .arg("-o")
        .arg(out)
        .output()
        .expect("tlsgen runs");
    assert!(
        o.status.success(),
        "tlsgen plan failed: {}",
        text(&o.stderr)
    );
    out.join("plan")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn shellcheck_passes(script: &Path) {
    let sc = require_program("shellcheck", "shellcheck");
    let o = Command::new(sc)
        .arg(script)
        .output()
        .expect("shellcheck runs");
    assert!(
        o.status.success(),
        "shellcheck found problems in {}:\n{}",
        script.display(),
        text(&o.stdout)
    );
}

fn snapshot_plan(model: &str, name: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = plan(&repo_root().join(model), tmp.path());
    insta_settings().bind(|| {
        insta::assert_snapshot!(
            format!("plan_{name}_runbook"),
            read(&dir.join("RUNBOOK.md"))
        );
        insta::assert_snapshot!(
            format!("plan_{name}_migrate_sh"),
            read(&dir.join("migrate.sh"))
        );
    });
    shellcheck_passes(&dir.join("migrate.sh"));
}

#[test]
fn example_model_runbook_and_script() {
    snapshot_plan("examples/cluster.yaml", "example");
}

#[test]
fn release_2_1_model_uses_curl_and_looks_ids_up() {
    snapshot_plan("tests/models/plan-release-2.1.yaml", "release_2_1");
    let tmp = tempfile::tempdir().unwrap();
    let dir = plan(
        &repo_root().join("tests/models/plan-release-2.1.yaml"),
        tmp.path(),
    );
    let script = read(&dir.join("migrate.sh"));
    assert!(script.contains("-XPUT \"$endpoint/v2/members/$id\""));
    assert!(script.contains("member_update infra0 - https://192.168.1.10:2380"));
    assert!(!script.contains("--peer-urls"));
}

#[test]
fn script_is_executable_and_files_exist_per_phase() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = plan(&repo_root().join("examples/cluster.yaml"), tmp.path());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("migrate.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
    }
    let clct = "etc/systemd/system/etcd-member.service.d/20-clct-etcd-member.conf";
    let before = read(&dir.join("files/0-before/server1").join(clct));
    assert!(before.contains("--listen-peer-urls=\"http://10.0.0.11:2380\""));
    assert!(!before.contains("https://"));
    // After the client URL phase a member runs exactly what `render` writes.
    let render_out = tmp.path().join("render");
    let o = tlsgen()
        .args(["render"])
        .arg(repo_root().join("examples/cluster.yaml"))
        .arg("-o")
        .arg(&render_out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        read(&dir.join("files/5-client-urls/server2").join(clct)),
        read(&render_out.join("server2").join(clct))
    );
    let last = read(&dir.join("files/7-legacy-removed/server2").join(clct));
    assert!(last.contains("--listen-client-urls=\"https://10.0.0.12:2379\""));
    assert!(!last.contains("4001"));
    let locksmith = read(
        &dir.join("files/6-clients/app1/etc/systemd/system/locksmithd.service.d/40-etcd-tls.conf"),
    );
    assert!(
        locksmith.contains("Environment=\"LOCKSMITHD_ETCD_KEYFILE=/etc/ssl/etcd/client1-key.pem\"")
    );
    // The plan never holds key material: certificates come from TLSGEN_PKI at run time.
    assert!(!dir.join("files/2-certs").exists());
}

#[test]
fn dry_run_prints_every_step_and_contacts_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = plan(&repo_root().join("examples/cluster.yaml"), tmp.path());
    let o = Command::new("bash")
        .arg(dir.join("migrate.sh"))
        .arg("--dry-run")
        .env("TLSGEN_PUSH", "/bin/false")
        .env("TLSGEN_RESTART", "/bin/false")
        .output()
        .unwrap();
    let out = text(&o.stdout);
    assert!(o.status.success(), "{}\n{}", out, text(&o.stderr));
    assert_eq!(out.matches("== step ").count(), 25, "{out}");
    assert!(out.contains("etcdctl --endpoints=http://10.0.0.11:2379,http://10.0.0.12:2379,http://10.0.0.13:2379 member update 2428639343c1baab --peer-urls=https://10.0.0.11:2380"));
    assert!(out.ends_with("migrate.sh: all 25 steps done\n"), "{out}");
    // Resuming skips the earlier steps.
    let o = Command::new("bash")
        .arg(dir.join("migrate.sh"))
        .args(["--dry-run", "--from-step", "24"])
        .output()
        .unwrap();
    let out = text(&o.stdout);
    assert!(o.status.success());
    assert_eq!(out.matches("(skipped)").count(), 23, "{out}");
}

#[test]
fn bad_arguments_of_the_script_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = plan(&repo_root().join("examples/cluster.yaml"), tmp.path());
    for args in [
        &["--from-step", "0"][..],
        &["--from-step", "99"],
        &["--from-step", "x"],
        &["--bogus"],
    ] {
        let o = Command::new("bash")
            .arg(dir.join("migrate.sh"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).starts_with("migrate.sh: "),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    // Without TLSGEN_PKI a real run stops before touching anything.
    let o = Command::new("bash")
        .arg(dir.join("migrate.sh"))
        .env_remove("TLSGEN_PKI")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("set TLSGEN_PKI"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn model_without_etcd_is_a_problem_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("cluster.yaml");
    std::fs::write(&model, "version: 1\n").unwrap();
    let out = tmp.path().join("out");
    let o = tlsgen()
        .arg("plan")
        .arg(&model)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    insta_settings().bind(|| insta::assert_snapshot!("plan_no_etcd_stderr", text(&o.stderr)));
    assert!(!out.exists());
}
