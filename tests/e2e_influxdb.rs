//! End to end: Debian's `influxd` (1.6) serves HTTPS with the `influxdb.conf` tlsgen renders for a
//! data node, and `curl --cacert ca.pem https://127.0.0.1:PORT/ping` answers 204; once with a
//! CA-signed certificate and key, once with a bundled `.pem` used as both.
//!
//! The rendered file is the base; the test only adds what a test bed needs (its own ports and
//! directories, no usage reporting) by merging them in with tlsgen's own TOML merge. influxd 1.6
//! ignores the Enterprise-only keys (`meta-tls-enabled`) silently (TOOLING.md).

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tlsgen::model;
use tlsgen::render::{self, influxdb, merge, Selection, Templates};

const TIMEOUT: Duration = Duration::from_secs(30);

/// Kills influxd when the test ends, whether it passed or not.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("program runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        common::text(&out.stderr)
    );
}

/// A CA and a server certificate for 127.0.0.1, made with openssl: (ca.pem, cert, key).
fn make_certs(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    common::require_program("openssl", "openssl");
    let ca_key = dir.join("ca-key.pem");
    let ca = dir.join("ca.pem");
    let key = dir.join("server-key.pem");
    let csr = dir.join("server.csr");
    let cert = dir.join("server.pem");
    let ext = dir.join("ext.cnf");
    std::fs::write(&ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n").unwrap();
    run(Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-nodes",
            "-newkey",
            "rsa:2048",
            "-days",
            "2",
            "-subj",
            "/CN=tlsgen test CA",
        ])
        .arg("-keyout")
        .arg(&ca_key)
        .arg("-out")
        .arg(&ca));
    run(Command::new("openssl")
        .args([
            "req",
            "-nodes",
            "-newkey",
            "rsa:2048",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&csr));
    run(Command::new("openssl")
        .args(["x509", "-req", "-days", "2", "-CAcreateserial"])
        .arg("-in")
        .arg(&csr)
        .arg("-CA")
        .arg(&ca)
        .arg("-CAkey")
        .arg(&ca_key)
        .arg("-extfile")
        .arg(&ext)
        .arg("-out")
        .arg(&cert));
    (ca, cert, key)
}

/// The rendered `influxdb.conf` of the one data node of a model with this certificate line.
fn rendered_data_conf(certificate: &str) -> String {
    let yaml = format!(
        "version: 1\ninfluxdb:\n  certificate: {certificate}\n  meta_nodes:\n    - {{ name: meta1, address: 127.0.0.1 }}\n  data_nodes:\n    - {{ name: data1, address: 127.0.0.1 }}\n"
    );
    let loaded = model::load_str("e2e.yaml", &yaml)
        .unwrap_or_else(|p| panic!("model is valid:\n{}", tlsgen::diag::render_plain(&p)));
    let templates = Templates::load(None).unwrap();
    let arts = render::render(
        &loaded.cluster,
        "e2e.yaml",
        &templates,
        &Selection::default(),
    )
    .unwrap();
    arts.into_iter()
        .find(|a| a.host == "data1" && a.path == influxdb::DATA_CONF)
        .expect("data node config rendered")
        .content
}

/// Start influxd with the rendered config plus the test bed's settings; ping it over HTTPS.
fn serve_and_ping(dir: &Path, rendered: &str, ca: &Path) {
    let influxd = common::require_program("influxd", "influxdb");
    let curl = common::require_program("curl", "curl");
    let http = free_port();
    let rpc = free_port();
    let d = dir.display();
    // The test bed: loopback ports, private directories, no usage reporting (Debian's build uses
    // `reporting-enabled`, upstream `reporting-disabled`; TOOLING.md), no monitor writes.
    let bed = format!(
        "reporting-disabled = true\nreporting-enabled = false\nbind-address = \"127.0.0.1:{rpc}\"\n\
         [meta]\n  dir = \"{d}/meta\"\n[data]\n  dir = \"{d}/data\"\n  wal-dir = \"{d}/wal\"\n\
         [http]\n  bind-address = \"127.0.0.1:{http}\"\n  log-enabled = false\n\
         [monitor]\n  store-enabled = false\n"
    );
    // Every key of the rendered file goes into the bed; the [http] TLS keys are tlsgen's.
    let config = merge::merge_toml(&bed, rendered, &[]).expect("both are TOML");
    assert!(config.contains("https-enabled = true"), "{config}");
    let conf = dir.join("influxdb.conf");
    std::fs::write(&conf, &config).unwrap();
    let log = std::fs::File::create(dir.join("influxd.log")).unwrap();
    let child = Command::new(influxd)
        .arg("-config")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("influxd starts");
    let mut guard = Guard(child);
    let url = format!("https://127.0.0.1:{http}/ping");
    let start = Instant::now();
    let mut last = String::new();
    for _ in 0..120 {
        if start.elapsed() > TIMEOUT {
            break;
        }
        if let Ok(Some(status)) = guard.0.try_wait() {
            panic!(
                "influxd exited with {status}:\n{}",
                std::fs::read_to_string(dir.join("influxd.log")).unwrap_or_default()
            );
        }
        let out = Command::new(&curl)
            .args([
                "-sS",
                "--max-time",
                "2",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--cacert",
            ])
            .arg(ca)
            .arg(&url)
            .output()
            .expect("curl runs");
        last = format!(
            "{} {}",
            common::text(&out.stdout),
            common::text(&out.stderr)
        );
        if common::text(&out.stdout) == "204" {
            // Plain HTTP on the same port is refused: the listener is TLS only.
            let plain = Command::new(&curl)
                .args([
                    "-sS",
                    "--max-time",
                    "2",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                ])
                .arg(format!("http://127.0.0.1:{http}/ping"))
                .output()
                .expect("curl runs");
            assert_ne!(
                common::text(&plain.stdout),
                "204",
                "plain HTTP must not be served"
            );
            return;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!(
        "no 204 from {url} within {TIMEOUT:?} (last: {last}); influxd log:\n{}",
        std::fs::read_to_string(dir.join("influxd.log")).unwrap_or_default()
    );
}

#[test]
fn influxd_serves_https_with_the_rendered_ca_signed_config() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cert, key) = make_certs(tmp.path());
    let rendered = rendered_data_conf(&format!(
        "{{ kind: ca-signed, cert: {}, key: {}, ca: {} }}",
        cert.display(),
        key.display(),
        ca.display()
    ));
    serve_and_ping(tmp.path(), &rendered, &ca);
}

#[test]
fn influxd_serves_https_with_the_rendered_bundle_config() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cert, key) = make_certs(tmp.path());
    let bundle = tmp.path().join("influxdb.pem");
    let mut pem = std::fs::read(&key).unwrap();
    pem.extend(std::fs::read(&cert).unwrap());
    std::fs::write(&bundle, pem).unwrap();
    let rendered = rendered_data_conf(&format!("{{ kind: bundle, pem: {} }}", bundle.display()));
    assert!(rendered.contains(&format!("https-private-key = \"{}\"", bundle.display())));
    serve_and_ping(tmp.path(), &rendered, &ca);
}
