//! End-to-end (issue 3): a 3-member cluster of Debian's etcd 3.4 on 127.0.0.1 starts on plain HTTP
//! from the plan's "before" files, keeps taking writes from a bounded background writer, and is
//! moved to HTTPS by the rendered `migrate.sh` through a local adapter: `TLSGEN_PUSH` copies into a
//! per-host directory, `TLSGEN_RESTART` asks this test to restart the member from that directory's
//! drop-ins (merged the way systemd does, by the shared harness). Fails, never skips, when etcd,
//! etcdctl or openssl is missing.

mod common;
#[path = "common/etcd.rs"]
mod etcd;

use std::collections::BTreeSet;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{text, tlsgen};
use etcd::{run_bounded, ClientTls, EtcdCluster, COMMAND_TIMEOUT, DROPIN_DIR};

/// The whole migration may take this long before the test kills the script.
const MIGRATION_DEADLINE: Duration = Duration::from_secs(150);
/// The background writer stops after this many writes even if nobody stops it.
const WRITER_MAX_WRITES: u32 = 3000;

/// Local `TLSGEN_PUSH`: copy SRC to `<hosts>/<HOST>/<DEST>` with MODE; log owner and mode.
const PUSH_HOOK: &str = r#"#!/usr/bin/env bash
set -euo pipefail
host=$1 src=$2 dest=$3 mode=$4 owner=$5
install -D -m "$mode" "$src" "$HOOK_ROOT/hosts/$host$dest"
printf '%s %s %s %s\n' "$host" "$dest" "$mode" "$owner" >> "$HOOK_ROOT/pushes.log"
"#;

/// Local `TLSGEN_RESTART`: etcd restarts are done by the test (it owns the processes); the hook
/// files a request and waits, bounded, for the answer. Other units do not exist here.
const RESTART_HOOK: &str = r#"#!/usr/bin/env bash
set -euo pipefail
host=$1 unit=$2 how=$3
printf '%s %s %s\n' "$host" "$unit" "$how" >> "$HOOK_ROOT/restarts.log"
[ "$unit" = etcd-member.service ] || exit 0
rm -f "$HOOK_ROOT/done-$host"
: > "$HOOK_ROOT/req-$host"
for _ in $(seq 1 600); do
  if [ -f "$HOOK_ROOT/done-$host" ]; then
    status=$(cat "$HOOK_ROOT/done-$host")
    rm -f "$HOOK_ROOT/done-$host"
    exit "$status"
  fi
  sleep 0.1
done
echo "restart hook: no answer for $host" >&2
exit 1
"#;

/// Kills the migration script if the test fails while it runs.
struct ScriptGuard(Child);

impl Drop for ScriptGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Stops and joins the writer thread, also when an assertion fails.
struct Writer {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<WriterReport>>,
}

impl Writer {
    fn finish(mut self) -> WriterReport {
        self.stop.store(true, Ordering::SeqCst);
        self.handle
            .take()
            .expect("joined once")
            .join()
            .expect("writer thread")
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

#[derive(Debug, Default)]
struct WriterReport {
    acknowledged: Vec<String>,
    failed_attempts: u32,
    longest_gap: Duration,
}

/// One way to reach the cluster: endpoint and TLS flags.
#[derive(Clone)]
struct Route {
    endpoint: String,
    tls: Vec<String>,
}

fn put(etcdctl: &Path, route: &Route, key: &str, value: &str) -> bool {
    let mut cmd = Command::new(etcdctl);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ETCDCTL_API", "3")
        .arg(format!("--endpoints={}", route.endpoint))
        .args(&route.tls)
        .args([
            "--dial-timeout=1s",
            "--command-timeout=2s",
            "put",
            key,
            value,
        ]);
    matches!(run_bounded(&mut cmd, Duration::from_secs(5)), Ok(o) if o.status.success())
}

/// A writer that puts `w/<n>` through whichever route answers, remembering the one that worked.
fn start_writer(etcdctl: PathBuf, routes: Vec<Route>) -> Writer {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::spawn(move || {
        let mut report = WriterReport::default();
        let mut good = 0usize;
        let mut last_ack = Instant::now();
        for n in 0..WRITER_MAX_WRITES {
            if flag.load(Ordering::SeqCst) {
                break;
            }
            let key = format!("w/{n:05}");
            let mut acked = false;
            for i in 0..routes.len() {
                let r = (good + i) % routes.len();
                if put(&etcdctl, &routes[r], &key, &n.to_string()) {
                    good = r;
                    acked = true;
                    break;
                }
                report.failed_attempts += 1;
            }
            if acked {
                report.longest_gap = report.longest_gap.max(last_ack.elapsed());
                last_ack = Instant::now();
                report.acknowledged.push(key);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        report
    });
    Writer {
        stop,
        handle: Some(handle),
    }
}

fn dropins_of(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| {
            let e = e.expect("dir entry");
            let name = e.file_name().to_string_lossy().into_owned();
            let body = std::fs::read_to_string(e.path()).expect("read drop-in");
            (name, body)
        })
        .filter(|(n, _)| n.ends_with(".conf"))
        .collect();
    files.sort();
    files
}

fn write_executable(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, body).expect("write hook");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod hook");
}

fn keys(cluster: &EtcdCluster, tls: &ClientTls, prefix: &str) -> BTreeSet<String> {
    let o = cluster.etcdctl(
        tls,
        &cluster.client_urls(),
        &[
            "--command-timeout=10s",
            "get",
            prefix,
            "--prefix",
            "--keys-only",
        ],
    );
    assert!(o.status.success(), "get {prefix}: {}", text(&o.stderr));
    text(&o.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn live_cluster_moves_from_http_to_https_without_losing_a_write() {
    let started = Instant::now();
    let mut cluster = EtcdCluster::new(&["m1", "m2", "m3"]);
    cluster.make_pki();
    let model = cluster.path("cluster.yaml");
    std::fs::write(&model, cluster.model_yaml()).expect("write model");
    let out = cluster.path("out");
    let o = run_bounded(
        tlsgen().arg("plan").arg(&model).arg("-o").arg(&out),
        COMMAND_TIMEOUT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "tlsgen plan: {}", text(&o.stderr));
    let plan = out.join("plan");

    // The hosts start from the plan's "before" state: plain HTTP, no certificates configured.
    let hook_root = cluster.path("hooks");
    let names: Vec<String> = cluster.members.iter().map(|m| m.name.clone()).collect();
    for name in &names {
        let src = plan.join("files/0-before").join(name).join(DROPIN_DIR);
        let dst = hook_root.join("hosts").join(name).join(DROPIN_DIR);
        std::fs::create_dir_all(&dst).expect("host dir");
        for (file, body) in dropins_of(&src) {
            std::fs::write(dst.join(file), body).expect("copy before state");
        }
        let launch = cluster.launch(name, &dropins_of(&dst));
        cluster.start(name, &launch);
    }
    let plain = ClientTls::default();
    let http_urls = cluster
        .client_urls()
        .iter()
        .map(|u| u.replace("https://", "http://"))
        .collect::<Vec<_>>();
    cluster
        .wait_healthy(&plain, &http_urls, 40, Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("plain cluster: {e}"));
    let boot = started.elapsed();

    // Keys written before the migration.
    for i in 0..20 {
        let o = cluster.etcdctl(
            &plain,
            &http_urls,
            &["put", &format!("before/{i:02}"), &i.to_string()],
        );
        assert!(o.status.success(), "put before/{i}: {}", text(&o.stderr));
    }

    // The background writer: legacy loopback listeners, plain client URLs, then TLS client URLs.
    let with_cert = cluster.client_tls(Some("client"));
    let tls_flags = vec![
        format!("--cacert={}", with_cert.cacert.as_ref().unwrap().display()),
        format!("--cert={}", with_cert.cert.as_ref().unwrap().display()),
        format!("--key={}", with_cert.key.as_ref().unwrap().display()),
    ];
    let mut routes = Vec::new();
    for m in &cluster.members {
        routes.push(Route {
            endpoint: m.legacy_url(),
            tls: Vec::new(),
        });
    }
    for u in &http_urls {
        routes.push(Route {
            endpoint: u.clone(),
            tls: Vec::new(),
        });
    }
    for u in cluster.client_urls() {
        routes.push(Route {
            endpoint: u,
            tls: tls_flags.clone(),
        });
    }
    let writer = start_writer(cluster.etcdctl.clone(), routes);

    // Run the plan through the local adapter.
    write_executable(&hook_root.join("push"), PUSH_HOOK);
    write_executable(&hook_root.join("restart"), RESTART_HOOK);
    let log = cluster.path("migrate.log");
    let log_file = std::fs::File::create(&log).expect("script log");
    let child = Command::new("bash")
        .arg(plan.join("migrate.sh"))
        .env("HOOK_ROOT", &hook_root)
        .env("TLSGEN_PKI", cluster.pki_dir())
        .env("TLSGEN_PUSH", hook_root.join("push"))
        .env("TLSGEN_RESTART", hook_root.join("restart"))
        .env("TLSGEN_GATE_TRIES", "60")
        .env("TLSGEN_GATE_SLEEP", "0.5")
        .env("TLSGEN_GATE_TIMEOUT", "8")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("log handle"))
        .stderr(log_file)
        .spawn()
        .expect("start migrate.sh");
    let mut script = ScriptGuard(child);
    let script_log = || std::fs::read_to_string(&log).unwrap_or_default();
    let migration_start = Instant::now();
    let mut restarts = 0;
    let status = loop {
        if let Some(status) = script.0.try_wait().expect("wait for migrate.sh") {
            break status;
        }
        assert!(
            migration_start.elapsed() < MIGRATION_DEADLINE,
            "migrate.sh did not finish in {MIGRATION_DEADLINE:?}:\n{}",
            script_log()
        );
        for name in &names {
            let req = hook_root.join(format!("req-{name}"));
            if req.exists() {
                std::fs::remove_file(&req).expect("take request");
                cluster.stop(name);
                let dropins = dropins_of(&hook_root.join("hosts").join(name).join(DROPIN_DIR));
                let launch = cluster.launch(name, &dropins);
                cluster.start(name, &launch);
                restarts += 1;
                std::fs::write(hook_root.join(format!("done-{name}")), "0").expect("answer hook");
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let migration = migration_start.elapsed();
    let report = writer.finish();
    let log_text = script_log();
    assert!(
        status.success(),
        "migrate.sh failed ({status}):\n{log_text}"
    );

    // Every health gate passed: each announced gate check was followed by its pass line.
    let announced = log_text.matches("+ health gate: ").count();
    let passed = log_text.matches("  gate passed: ").count();
    assert!(
        announced > 0 && announced == passed,
        "gates {passed}/{announced}:\n{log_text}"
    );
    assert!(
        log_text.contains("migrate.sh: all 21 steps done"),
        "{log_text}"
    );
    assert_eq!(restarts, 15, "member restarts:\n{log_text}");

    // Clients are served only on https with a client certificate.
    let tls_urls = cluster.client_urls();
    let before = keys(&cluster, &with_cert, "before/");
    assert_eq!(
        before.len(),
        20,
        "keys written before the migration: {before:?}"
    );
    let written = keys(&cluster, &with_cert, "w/");
    let lost: Vec<&String> = report
        .acknowledged
        .iter()
        .filter(|k| !written.contains(*k))
        .collect();
    assert!(lost.is_empty(), "acknowledged writes lost: {lost:?}");
    assert!(
        report.acknowledged.len() >= 5,
        "the writer barely wrote: {report:?}"
    );
    let no_cert = cluster.client_tls(None);
    let o = cluster.etcdctl(
        &no_cert,
        &tls_urls,
        &[
            "--dial-timeout=2s",
            "--command-timeout=3s",
            "get",
            "before/00",
        ],
    );
    assert!(
        !o.status.success(),
        "a client without certificate was served"
    );
    let o = cluster.etcdctl(
        &plain,
        &http_urls,
        &[
            "--dial-timeout=2s",
            "--command-timeout=3s",
            "get",
            "before/00",
        ],
    );
    assert!(
        !o.status.success(),
        "a plain-HTTP client was served on a client port"
    );

    // Nothing listens on the legacy ports any more.
    for m in &cluster.members {
        assert!(
            TcpStream::connect(("127.0.0.1", m.ports.legacy)).is_err(),
            "{} still listens on its legacy port {}",
            m.name,
            m.ports.legacy
        );
    }

    // The member list shows https peer URLs.
    let o = cluster.etcdctl(&with_cert, &tls_urls, &["member", "list"]);
    assert!(o.status.success(), "member list: {}", text(&o.stderr));
    let list = text(&o.stdout);
    for m in &cluster.members {
        assert!(
            list.contains(&format!(
                ", {}, https://127.0.0.1:{}, ",
                m.name, m.ports.peer
            )),
            "{list}"
        );
    }

    // Keys went out etcd:etcd 0600 (an etcd running as user etcd cannot read a root-owned key).
    let pushes = std::fs::read_to_string(hook_root.join("pushes.log")).expect("pushes log");
    for name in &names {
        let key = format!(
            "{}/{name}-key.pem 0600 etcd:etcd",
            cluster.pki_dir().display()
        );
        assert!(pushes.contains(&key), "no push of {key}:\n{pushes}");
    }

    eprintln!(
        "e2e plan: cluster up in {boot:?}, migration {migration:?} ({restarts} restarts), {} writes acknowledged, \
         {} failed attempts, longest gap between acknowledged writes {:?}, total {:?}",
        report.acknowledged.len(),
        report.failed_attempts,
        report.longest_gap,
        started.elapsed()
    );
}
