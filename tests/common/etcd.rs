//! A harness for end-to-end tests against real etcd (Debian `etcd-server`/`etcd-client`, 3.4) on
//! 127.0.0.1: free ports, a test model, the rendered drop-ins read back the way systemd merges them,
//! certificates made with `openssl`, member processes in a guard that kills them, and bounded
//! `etcdctl` calls.
//!
//! Use it from a test file with `mod common;` and `#[path = "common/etcd.rs"] mod etcd;`.
//!
//! Facts (../../shared/FACTS.md): the base unit `etcd-member.service` sets `ETCD_NAME=%m` and
//! `ETCD_DATA_DIR`, and starts `/usr/lib/coreos/etcd-wrapper $ETCD_OPTS` with `ETCD_OPTS` unset
//! (F-E19); an unquoted `$VAR` word expands to zero or more words (F-E20); later `Environment=`
//! assignments win and drop-ins apply in lexical order (F-E21); the wrapper passes every `ETCD_*`
//! variable to etcd (F-E22); etcd >= 3.4 exits when a setting is both a flag and a variable (F-E3).
//!
//! The wrapper runs etcd in a container that sees the host directory `${ETCD_SSL_DIR:-/etc/ssl/certs}`
//! at `/etc/ssl/certs` (F-E22 rkt: `--volume ...,source="${ETCD_SSL_DIR}"` + `--mount
//! ...,target=/etc/ssl/certs`; F-E23 docker: `-v ${ETCD_SSL_DIR}:/etc/ssl/certs:ro`) and no other
//! certificate directory of the host but `/usr/share/ca-certificates`. The harness runs etcd on the
//! host, so it does what the bind mount does: a path under `/etc/ssl/certs/` in an `ETCD_*` value or
//! an argument becomes the same file under `ETCD_SSL_DIR`, and a TLS file named anywhere else is an
//! error, since etcd in the container could not open it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use tlsgen::render::etcd::WRAPPER_SSL_MOUNT;
use tlsgen::systemd::{parse, ServiceView};

use crate::common::{require_program, text, tlsgen};

/// The Container Linux wrapper the rendered `ExecStart=` names (F-E25); the harness runs etcd
/// itself in its place.
pub const WRAPPER: &str = "/usr/lib/coreos/etcd-wrapper";
/// What `%m` (the machine id) would expand to in the base unit: 32 hex digits.
pub const DUMMY_MACHINE_ID: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
/// Directory of the drop-ins under a host's output directory.
pub const DROPIN_DIR: &str = "etc/systemd/system/etcd-member.service.d";
/// The etcdctl environment file under a host's output directory.
pub const ETCDCTL_ENV: &str = "etc/etcd/etcdctl.env";
/// The other host directory of certificates the wrapper mounts, at the same path (F-E22, F-E23).
pub const WRAPPER_CA_MOUNT: &str = "/usr/share/ca-certificates";
/// The flags (and, as `ETCD_*`, variables) that name a TLS file etcd opens.
pub const TLS_FILE_FLAGS: &[&str] = &[
    "cert-file",
    "key-file",
    "trusted-ca-file",
    "ca-file",
    "client-crl-file",
    "client-cert-file",
    "client-key-file",
    "peer-cert-file",
    "peer-key-file",
    "peer-trusted-ca-file",
    "peer-ca-file",
    "peer-crl-file",
    "peer-client-cert-file",
    "peer-client-key-file",
];
/// Name of the client key pair the harness makes besides the members' (`client.pem`).
pub const CLIENT: &str = "client";

/// Bound for one short-lived helper program (openssl, etcdctl, curl, tlsgen).
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// The ports of one member, all on 127.0.0.1.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    pub client: u16,
    pub peer: u16,
    pub legacy: u16,
}

#[derive(Debug, Clone)]
pub struct MemberSpec {
    pub name: String,
    pub ports: Ports,
}

impl MemberSpec {
    pub fn client_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.ports.client)
    }
    pub fn peer_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.ports.peer)
    }
    pub fn legacy_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.ports.legacy)
    }
}

/// `n` distinct free TCP ports on 127.0.0.1: all are bound to port 0 at once (so the kernel hands
/// out distinct ones), then released.
pub fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0"))
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().expect("local address").port())
        .collect()
}

/// Run `cmd` with stdin closed and output captured; kill it when it outlives `timeout`.
pub fn run_bounded(cmd: &mut Command, timeout: Duration) -> Result<Output, String> {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + timeout;
    let status: Option<ExitStatus> = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("waiting for {shown}: {e}"));
            }
        }
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    match status {
        Some(status) => Ok(Output {
            status,
            stdout,
            stderr,
        }),
        None => Err(format!(
            "{shown} did not finish within {timeout:?}; stderr so far:\n{}",
            text(&stderr)
        )),
    }
}

/// The stub base unit `etcd-member.service` (F-E19) with `%m` already expanded to a dummy machine
/// id (our unit parser does not expand specifiers) and the data directory moved into the test's
/// temp dir. `ETCD_OPTS` stays unset, as in the real unit.
pub fn base_unit(data_dir: &Path) -> String {
    format!(
        "[Unit]\n\
         Description=etcd (System Application Container)\n\
         [Service]\n\
         Type=notify\n\
         Environment=\"ETCD_IMAGE_TAG=v3.4.23\"\n\
         Environment=\"ETCD_NAME={DUMMY_MACHINE_ID}\"\n\
         Environment=\"ETCD_USER=etcd\"\n\
         Environment=\"ETCD_DATA_DIR={}\"\n\
         Environment=\"RKT_RUN_ARGS=--uuid-file-save=/var/lib/coreos/etcd-member-wrapper.uuid\"\n\
         ExecStart={WRAPPER} $ETCD_OPTS\n",
        data_dir.display()
    )
}

/// A process to start: program, arguments and the complete environment.
#[derive(Debug, Clone)]
pub struct Launch {
    pub program: PathBuf,
    pub args: Vec<String>,
    /// Every variable the process gets (besides `PATH`).
    pub env: BTreeMap<String, String>,
}

impl Launch {
    /// The command line as one string, for messages.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        for (k, v) in &self.env {
            let _ = write!(s, "{k}={v} ");
        }
        let _ = write!(s, "{}", self.program.display());
        for a in &self.args {
            let _ = write!(s, " {a}");
        }
        s
    }
}

/// The host file a path in etcd's container is (the wrapper's bind mount, F-E22, F-E23): under
/// `/etc/ssl/certs/` it is the same file under `ssl_dir`; other paths are returned as they are.
pub fn host_path(path: &str, ssl_dir: &str) -> String {
    match path.strip_prefix(WRAPPER_SSL_MOUNT) {
        Some(rest) if rest.starts_with('/') => format!("{}{rest}", ssl_dir.trim_end_matches('/')),
        _ => path.to_string(),
    }
}

/// Whether etcd in the wrapper's container can see `path`: under one of its two certificate mounts.
pub fn visible_in_container(path: &str) -> bool {
    [WRAPPER_SSL_MOUNT, WRAPPER_CA_MOUNT].iter().any(|m| {
        path.strip_prefix(m)
            .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1)
    })
}

/// The TLS file flag an argument sets (`--cert-file=/x`, `-cert-file /x`), with its value when it
/// is in the same word.
fn tls_flag(arg: &str) -> Option<(&str, Option<&str>)> {
    let body = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-'))?;
    let (name, value) = match body.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (body, None),
    };
    TLS_FILE_FLAGS
        .iter()
        .find(|f| **f == name)
        .map(|f| (*f, value))
}

/// Do what the wrapper's mount does to etcd's arguments and `ETCD_*` variables: a value under
/// `/etc/ssl/certs/` becomes the host file under `ETCD_SSL_DIR` (default `/etc/ssl/certs`), and a
/// TLS file outside the container's mounts is an error (etcd could not open it).
pub fn map_wrapper_mount(
    args: &mut [String],
    env: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    let ssl_dir = env
        .get("ETCD_SSL_DIR")
        .filter(|d| !d.is_empty())
        .cloned()
        .unwrap_or_else(|| WRAPPER_SSL_MOUNT.to_string());
    let outside = |what: String, path: &str| {
        format!(
            "{what} names `{path}`, outside the etcd-wrapper container's mounts ({WRAPPER_SSL_MOUNT} <- host \
             ETCD_SSL_DIR={ssl_dir}, {WRAPPER_CA_MOUNT}): etcd in the container cannot open it (F-E22, F-E23)"
        )
    };
    for (name, value) in env.iter_mut() {
        if name == "ETCD_SSL_DIR" {
            continue;
        }
        let is_tls = name
            .strip_prefix("ETCD_")
            .map(|r| r.to_ascii_lowercase().replace('_', "-"))
            .is_some_and(|flag| TLS_FILE_FLAGS.contains(&flag.as_str()));
        if is_tls && !value.is_empty() && !visible_in_container(value) {
            return Err(outside(format!("`{name}`"), value));
        }
        *value = host_path(value, &ssl_dir);
    }
    let mut next_is_tls: Option<String> = None;
    for arg in args.iter_mut() {
        if let Some(flag) = next_is_tls.take() {
            if !visible_in_container(arg) {
                return Err(outside(format!("`{flag}`"), arg));
            }
            *arg = host_path(arg, &ssl_dir);
            continue;
        }
        match tls_flag(arg) {
            Some((_, Some(value))) => {
                if !value.is_empty() && !visible_in_container(value) {
                    return Err(outside(format!("`{arg}`"), value));
                }
                let (head, value) = arg.split_once('=').expect("a flag with a value");
                *arg = format!("{head}={}", host_path(value, &ssl_dir));
            }
            Some((_, None)) => next_is_tls = Some(arg.clone()),
            None => *arg = host_path(arg, &ssl_dir),
        }
    }
    if let Some(flag) = next_is_tls {
        return Err(format!("`{flag}` is the last argument and has no value"));
    }
    Ok(())
}

/// Merge `units` (base unit first, then drop-ins, already in lexical order of file name) the way
/// systemd does and derive the etcd process from the effective `ExecStart=`: `$VAR` words expanded
/// from the merged environment (an unset variable gives no word, F-E20), the wrapper replaced by
/// `etcd`, only the `ETCD_*` variables passed on (what the wrapper exports, F-E22), and paths in
/// the container mapped to the host as the wrapper's mount does ([`map_wrapper_mount`]).
pub fn launch_from_units(units: &[(String, String)], etcd: &Path) -> Result<Launch, String> {
    let mut view = ServiceView::default();
    for (name, body) in units {
        let unit = parse(body);
        if let Some(e) = unit.errors.first() {
            return Err(format!("{name}: {} at bytes {:?}", e.message, e.span));
        }
        view.apply(&unit).map_err(|e| format!("{name}: {e}"))?;
    }
    let words = view
        .exec_start
        .clone()
        .ok_or("no effective ExecStart= after merging the units")?;
    let mut expanded = Vec::new();
    for w in words {
        if let Some(name) = w.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
            expanded.push(view.env(name).unwrap_or_default().to_string());
        } else if let Some(name) = w.strip_prefix('$') {
            if let Some(v) = view.env(name) {
                expanded.extend(v.split_whitespace().map(str::to_string));
            }
        } else if w.contains('$') {
            return Err(format!("the harness cannot expand `{w}`"));
        } else {
            expanded.push(w);
        }
    }
    let Some((program, args)) = expanded.split_first() else {
        return Err("ExecStart= expands to nothing".into());
    };
    if program != WRAPPER {
        return Err(format!("ExecStart= runs `{program}`, expected `{WRAPPER}`"));
    }
    let mut env = view
        .environment
        .iter()
        .filter(|(k, _)| k.starts_with("ETCD_"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut args = args.to_vec();
    map_wrapper_mount(&mut args, &mut env)?;
    Ok(Launch {
        program: etcd.to_path_buf(),
        args,
        env,
    })
}

/// TLS material of an etcdctl call; `None` leaves the flag out.
#[derive(Debug, Clone, Default)]
pub struct ClientTls {
    pub cacert: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

/// A running member process.
struct Running {
    child: Child,
}

/// A test cluster of etcd members on 127.0.0.1 in a temp dir. Dropping it kills and reaps every
/// process it started (and prints the member logs when the test is failing).
pub struct EtcdCluster {
    pub dir: tempfile::TempDir,
    pub members: Vec<MemberSpec>,
    pub etcd: PathBuf,
    pub etcdctl: PathBuf,
    running: BTreeMap<String, Running>,
}

impl EtcdCluster {
    /// Members `names` with fresh ports. Fails (never skips) when etcd, etcdctl or openssl is missing.
    pub fn new(names: &[&str]) -> Self {
        let etcd = require_program("etcd", "etcd-server");
        let etcdctl = require_program("etcdctl", "etcd-client");
        require_program("openssl", "openssl");
        let ports = free_ports(names.len() * 3);
        let members = names
            .iter()
            .zip(ports.chunks(3))
            .map(|(n, p)| MemberSpec {
                name: n.to_string(),
                ports: Ports {
                    client: p[0],
                    peer: p[1],
                    legacy: p[2],
                },
            })
            .collect();
        let dir = tempfile::Builder::new()
            .prefix("tlsgen-e2e-etcd-")
            .tempdir()
            .expect("temp dir");
        EtcdCluster {
            dir,
            members,
            etcd,
            etcdctl,
            running: BTreeMap::new(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    /// Where the certificates the hosts use live (the model's `pki.dir`).
    pub fn pki_dir(&self) -> PathBuf {
        self.path("pki")
    }
    /// The CA's private key is kept apart from what the hosts get.
    pub fn ca_private_dir(&self) -> PathBuf {
        self.path("ca-private")
    }
    /// tlsgen's output directory.
    pub fn out_dir(&self) -> PathBuf {
        self.path("out")
    }
    pub fn data_dir(&self, member: &str) -> PathBuf {
        self.path(&format!("{member}.etcd"))
    }
    pub fn log_path(&self, member: &str) -> PathBuf {
        self.path(&format!("{member}.log"))
    }
    pub fn member(&self, name: &str) -> &MemberSpec {
        self.members
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no member `{name}` in the harness"))
    }
    pub fn client_urls(&self) -> Vec<String> {
        self.members.iter().map(MemberSpec::client_url).collect()
    }

    /// A model of the members, all at 127.0.0.1 with per-member port overrides, release 3.x, and
    /// `pki.dir` in the temp dir.
    pub fn model_yaml(&self) -> String {
        let mut y = String::new();
        let _ = writeln!(y, "version: 1");
        let _ = writeln!(y, "pki:\n  dir: \"{}\"", self.pki_dir().display());
        let _ = writeln!(y, "etcd:\n  release: \"3.x\"\n  members:");
        for m in &self.members {
            let _ = writeln!(
                y,
                "    - name: {}\n      address: 127.0.0.1\n      client_port: {}\n      peer_port: {}\n      legacy_port: {}",
                m.name, m.ports.client, m.ports.peer, m.ports.legacy
            );
        }
        y
    }

    /// Write `yaml` as `cluster.yaml` and run `tlsgen render cluster.yaml -o OUT`; panics with
    /// tlsgen's output when it fails.
    pub fn render(&self, yaml: &str) -> PathBuf {
        let model = self.path("cluster.yaml");
        std::fs::write(&model, yaml).expect("write model");
        let out = self.out_dir();
        let output = run_bounded(
            tlsgen().arg("render").arg(&model).arg("-o").arg(&out),
            COMMAND_TIMEOUT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            output.status.success(),
            "tlsgen render failed ({}):\n{}{}\nmodel:\n{yaml}",
            output.status,
            text(&output.stdout),
            text(&output.stderr)
        );
        out
    }

    fn openssl(&self, args: &[&str]) {
        let output = run_bounded(
            Command::new("openssl")
                .args(args)
                .current_dir(self.dir.path()),
            COMMAND_TIMEOUT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            output.status.success(),
            "openssl {args:?} failed: {}",
            text(&output.stderr)
        );
    }

    /// A CA (`pki/ca.pem`, its key outside `pki/`), one certificate per member named as render
    /// expects (`<member>.pem`, `<member>-key.pem`; SAN IP:127.0.0.1 and DNS:localhost, both
    /// serverAuth and clientAuth, so it serves clients and peers), and a client-only pair
    /// `client.pem`/`client-key.pem`. Private keys are EC P-256, mode 0600.
    pub fn make_pki(&self) {
        let pki = self.pki_dir();
        let private = self.ca_private_dir();
        std::fs::create_dir_all(&pki).expect("pki dir");
        std::fs::create_dir_all(&private).expect("ca private dir");
        let ca = pki.join("ca.pem");
        let ca_key = private.join("ca-key.pem");
        self.openssl(&[
            "req",
            "-x509",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            p(&ca_key),
            "-out",
            p(&ca),
            "-days",
            "2",
            "-subj",
            "/CN=tlsgen e2e CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        set_mode(&ca_key, 0o600);
        let server_ext = "basicConstraints=CA:FALSE\n\
                          keyUsage=critical,digitalSignature,keyEncipherment\n\
                          extendedKeyUsage=serverAuth,clientAuth\n\
                          subjectAltName=IP:127.0.0.1,DNS:localhost\n";
        let client_ext = "basicConstraints=CA:FALSE\n\
                          keyUsage=critical,digitalSignature,keyEncipherment\n\
                          extendedKeyUsage=clientAuth\n";
        let mut pairs: Vec<(&str, &str)> = self
            .members
            .iter()
            .map(|m| (m.name.as_str(), server_ext))
            .collect();
        pairs.push((CLIENT, client_ext));
        for (serial, (name, ext)) in pairs.into_iter().enumerate() {
            let key = pki.join(format!("{name}-key.pem"));
            let cert = pki.join(format!("{name}.pem"));
            let csr = private.join(format!("{name}.csr"));
            let ext_file = private.join(format!("{name}.ext"));
            std::fs::write(&ext_file, ext).expect("write extension file");
            self.openssl(&[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                p(&key),
                "-out",
                p(&csr),
                "-subj",
                &format!("/CN={name}"),
            ]);
            set_mode(&key, 0o600);
            self.openssl(&[
                "x509",
                "-req",
                "-in",
                p(&csr),
                "-CA",
                p(&ca),
                "-CAkey",
                p(&ca_key),
                "-set_serial",
                &(serial + 2).to_string(),
                "-days",
                "2",
                "-extfile",
                p(&ext_file),
                "-out",
                p(&cert),
            ]);
        }
    }

    /// TLS flags for etcdctl with the key pair `name` from `pki/` (`None`: CA only, no client
    /// certificate).
    pub fn client_tls(&self, name: Option<&str>) -> ClientTls {
        let pki = self.pki_dir();
        ClientTls {
            cacert: Some(pki.join("ca.pem")),
            cert: name.map(|n| pki.join(format!("{n}.pem"))),
            key: name.map(|n| pki.join(format!("{n}-key.pem"))),
        }
    }

    /// The rendered drop-ins of `member`, as (file name, text), in lexical order of file name
    /// (systemd's order, F-E21).
    pub fn rendered_dropins(&self, member: &str) -> Vec<(String, String)> {
        let dir = self.out_dir().join(member).join(DROPIN_DIR);
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|entry| {
                let entry = entry.expect("dir entry");
                let name = entry.file_name().to_string_lossy().into_owned();
                let body = std::fs::read_to_string(entry.path()).expect("read drop-in");
                (name, body)
            })
            .filter(|(name, _)| name.ends_with(".conf"))
            .collect();
        files.sort();
        files
    }

    /// The process systemd would start for `member`: the stub base unit, then `dropins`.
    pub fn launch(&self, member: &str, dropins: &[(String, String)]) -> Launch {
        let mut units = vec![(
            "etcd-member.service".to_string(),
            base_unit(&self.data_dir(member)),
        )];
        units.extend(dropins.iter().cloned());
        launch_from_units(&units, &self.etcd)
            .unwrap_or_else(|e| panic!("cannot derive the etcd command of `{member}`: {e}"))
    }

    /// Start `member` with exactly the environment of `launch` plus `PATH` (like `env -i`), output
    /// appended to its log file.
    pub fn start(&mut self, member: &str, launch: &Launch) {
        assert!(
            !self.running.contains_key(member),
            "member `{member}` is already running"
        );
        let log = self.log_path(member);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("open member log");
        let file2 = file.try_clone().expect("clone log handle");
        let child = Command::new(&launch.program)
            .args(&launch.args)
            .env_clear()
            .envs(&launch.env)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(file2)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", launch.describe()));
        self.running.insert(member.to_string(), Running { child });
    }

    /// Start every member from its rendered drop-ins.
    pub fn start_rendered(&mut self) {
        let names: Vec<String> = self.members.iter().map(|m| m.name.clone()).collect();
        for name in names {
            let launch = self.launch(&name, &self.rendered_dropins(&name));
            self.start(&name, &launch);
        }
    }

    /// Members that exited on their own, with their exit status.
    pub fn exited(&mut self) -> Vec<(String, ExitStatus)> {
        let mut gone = Vec::new();
        for (name, r) in &mut self.running {
            if let Ok(Some(status)) = r.child.try_wait() {
                gone.push((name.clone(), status));
            }
        }
        gone
    }

    /// Wait up to `timeout` for `member` to exit on its own; `None` if it is still running (or was
    /// never started).
    pub fn wait_exit(&mut self, member: &str, timeout: Duration) -> Option<ExitStatus> {
        let r = self.running.get_mut(member)?;
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = r.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stop `member`: SIGTERM to the process this harness started, wait up to 10 s, then SIGKILL.
    pub fn stop(&mut self, member: &str) {
        let Some(mut r) = self.running.remove(member) else {
            return;
        };
        if let Ok(None) = r.child.try_wait() {
            let _ = run_bounded(
                Command::new("kill")
                    .arg("-TERM")
                    .arg(r.child.id().to_string()),
                Duration::from_secs(5),
            );
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = r.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = r.child.kill();
        let _ = r.child.wait();
    }

    /// Run etcdctl (API v3) against `endpoints` with only `ETCDCTL_API` and `PATH` in its
    /// environment, bounded by [`COMMAND_TIMEOUT`].
    pub fn etcdctl(&self, tls: &ClientTls, endpoints: &[String], args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.etcdctl);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("ETCDCTL_API", "3")
            .arg(format!("--endpoints={}", endpoints.join(",")));
        if let Some(ca) = &tls.cacert {
            cmd.arg(format!("--cacert={}", ca.display()));
        }
        if let Some(cert) = &tls.cert {
            cmd.arg(format!("--cert={}", cert.display()));
        }
        if let Some(key) = &tls.key {
            cmd.arg(format!("--key={}", key.display()));
        }
        cmd.args(args);
        run_bounded(&mut cmd, COMMAND_TIMEOUT)
            .unwrap_or_else(|e| panic!("{e}\nmember logs:\n{}", self.logs()))
    }

    /// Poll `etcdctl endpoint health` on `endpoints` until every one is healthy: at most `tries`
    /// attempts and `deadline` in total. Returns the successful output, or an error carrying the
    /// last output and the member logs (also as soon as a member has exited).
    pub fn wait_healthy(
        &mut self,
        tls: &ClientTls,
        endpoints: &[String],
        tries: u32,
        deadline: Duration,
    ) -> Result<String, String> {
        let start = Instant::now();
        let mut last = String::new();
        for attempt in 1..=tries {
            let exited = self.exited();
            if !exited.is_empty() {
                return Err(format!(
                    "members exited before becoming healthy: {exited:?}\nlast etcdctl output:\n{last}\nmember logs:\n{}",
                    self.logs()
                ));
            }
            let output = self.etcdctl(
                tls,
                endpoints,
                &[
                    "--dial-timeout=2s",
                    "--command-timeout=3s",
                    "endpoint",
                    "health",
                ],
            );
            last = format!("{}{}", text(&output.stdout), text(&output.stderr));
            if output.status.success() {
                return Ok(last);
            }
            if start.elapsed() >= deadline || attempt == tries {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(format!(
            "endpoints {endpoints:?} not healthy after {:?}; last etcdctl output:\n{last}\nmember logs:\n{}",
            start.elapsed(),
            self.logs()
        ))
    }

    /// The log of every member started so far.
    pub fn logs(&self) -> String {
        let mut s = String::new();
        for m in &self.members {
            let path = self.log_path(&m.name);
            if let Ok(log) = std::fs::read_to_string(&path) {
                let _ = writeln!(s, "===== {} ({}) =====\n{log}", m.name, path.display());
            }
        }
        s
    }
}

impl Drop for EtcdCluster {
    fn drop(&mut self) {
        for r in self.running.values_mut() {
            let _ = r.child.kill();
            let _ = r.child.wait();
        }
        if std::thread::panicking() {
            eprintln!("etcd member logs:\n{}", self.logs());
        }
    }
}

fn p(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

/// Parse an environment file (`NAME=value` lines, `#` comments) such as the rendered
/// `etcdctl.env`.
pub fn read_env_file(path: &Path) -> BTreeMap<String, String> {
    let body =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, v) = l
                .split_once('=')
                .unwrap_or_else(|| panic!("{}: `{l}` is not NAME=value", path.display()));
            (k.to_string(), v.to_string())
        })
        .collect()
}
