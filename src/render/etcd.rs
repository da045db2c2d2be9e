//! etcd: the drop-ins of the CoreOS guide "Enabling HTTPS in an existing etcd cluster", per
//! member and per proxy, and an etcdctl environment file per host.
//!
//! Facts (../shared/FACTS.md): the ct drop-in form (F-E25, F-E26); `30-certs.conf` (F-E28); never the
//! same setting as flag and `ETCD_*` variable (F-E3: etcd >= 3.4 exits), which is why the member name
//! is an `Environment=` line: the base `etcd-member.service` already sets `ETCD_NAME=%m` (F-E19), so a
//! `--name` flag would shadow it; etcdctl variable names per API version (F-E33, F-E35).
//!
//! etcd runs in the wrapper's container, which sees the host's `ETCD_SSL_DIR` at
//! [`WRAPPER_SSL_MOUNT`] and no other host directory of certificates (F-E22, F-E23): the member
//! drop-in sets `ETCD_SSL_DIR` to the model's `pki.dir` and `30-certs.conf` names the files by their
//! path inside the container. etcdctl runs on the host, so `etcdctl.env` keeps host paths. The
//! CoreOS guide's `30-certs.conf` (F-E28) names `/etc/ssl/etcd/...` without `ETCD_SSL_DIR`, which
//! the container cannot open.

use std::net::IpAddr;

use serde::Serialize;

use super::{Artifact, Templates, Var};
use crate::diag::Problem;
use crate::model::{Cluster, Etcd, Member, Proxy, Release};

pub const DROPIN_DIR: &str = "/etc/systemd/system/etcd-member.service.d";
pub const CLCT_PATH: &str = "/etc/systemd/system/etcd-member.service.d/20-clct-etcd-member.conf";
pub const CERTS_PATH: &str = "/etc/systemd/system/etcd-member.service.d/30-certs.conf";
pub const ETCDCTL_ENV_PATH: &str = "/etc/etcd/etcdctl.env";
/// The Container Linux wrapper the ct drop-in starts (F-E25).
pub const WRAPPER: &str = "/usr/lib/coreos/etcd-wrapper $ETCD_OPTS";
/// Where the etcd-wrapper mounts `ETCD_SSL_DIR` in etcd's container (a fact the linter reads too).
pub use crate::facts::etcd::WRAPPER_SSL_MOUNT;

#[derive(Serialize)]
struct ClctContext {
    exec: &'static str,
    environment: Vec<Var>,
    flags: Vec<Var>,
}

#[derive(Serialize)]
struct EnvContext<'a> {
    path: &'a str,
    environment: Vec<Var>,
}

/// A URL host: IPv6 addresses in brackets.
pub fn url_host(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => format!("[{v6}]"),
        _ => address.to_string(),
    }
}

/// etcd binds listeners to IP addresses only; a member known by DNS name listens on all addresses.
pub fn listen_host(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => format!("[{v6}]"),
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => "0.0.0.0".to_string(),
    }
}

/// Effective ports of a member.
pub struct MemberPorts {
    pub client: u16,
    pub peer: u16,
    pub legacy: Option<u16>,
}

pub fn member_ports(etcd: &Etcd, m: &Member) -> MemberPorts {
    MemberPorts {
        client: m.client_port.as_ref().unwrap_or(&etcd.client_port).value,
        peer: m.peer_port.as_ref().unwrap_or(&etcd.peer_port).value,
        legacy: m
            .legacy_port
            .as_ref()
            .or(etcd.legacy_port.as_ref())
            .map(|p| p.value),
    }
}

/// `https://host:peer` of a member.
pub fn peer_url(etcd: &Etcd, m: &Member) -> String {
    format!(
        "https://{}:{}",
        url_host(&m.address),
        member_ports(etcd, m).peer
    )
}

/// `https://host:client` of a member.
pub fn client_url(etcd: &Etcd, m: &Member) -> String {
    format!(
        "https://{}:{}",
        url_host(&m.address),
        member_ports(etcd, m).client
    )
}

pub fn initial_cluster(etcd: &Etcd) -> String {
    etcd.members
        .iter()
        .map(|m| format!("{}={}", m.name.value, peer_url(etcd, m)))
        .collect::<Vec<_>>()
        .join(",")
}

fn pki_path(cluster: &Cluster, file: &str) -> String {
    format!("{}/{}", cluster.pki.dir.value.trim_end_matches('/'), file)
}

/// The host directory of the certificates, `pki.dir` without a trailing slash: the wrapper's
/// `ETCD_SSL_DIR` (F-E22, F-E23).
pub fn ssl_dir(cluster: &Cluster) -> String {
    let dir = cluster.pki.dir.value.trim_end_matches('/');
    if dir.is_empty() {
        "/".to_string()
    } else {
        dir.to_string()
    }
}

/// A file of `pki.dir` as etcd sees it in the wrapper's container: `/etc/ssl/certs/<file>` (F-E22,
/// F-E23).
fn container_path(file: &str) -> String {
    format!("{WRAPPER_SSL_MOUNT}/{file}")
}

fn var(name: &str, value: impl Into<String>) -> Var {
    Var {
        name: name.to_string(),
        value: value.into(),
    }
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// The flags of a member's `20-clct-etcd-member.conf`, in ct's field order.
pub fn member_flags(etcd: &Etcd, m: &Member) -> Vec<Var> {
    let ports = member_ports(etcd, m);
    let listen = listen_host(&m.address);
    let mut listen_client = format!("https://{listen}:{}", ports.client);
    if let Some(legacy) = ports.legacy {
        listen_client.push_str(&format!(",http://127.0.0.1:{legacy}"));
    }
    vec![
        var(
            "listen-peer-urls",
            format!("https://{listen}:{}", ports.peer),
        ),
        var("listen-client-urls", listen_client),
        var("initial-advertise-peer-urls", peer_url(etcd, m)),
        var("initial-cluster", initial_cluster(etcd)),
        var("advertise-client-urls", client_url(etcd, m)),
    ]
}

/// The `Environment=` assignments of a member's `20-clct-etcd-member.conf`: the member name (an
/// `Environment=` line, never `--name`: F-E3, F-E19) and the host directory the wrapper mounts at
/// [`WRAPPER_SSL_MOUNT`] (F-E22, F-E23).
pub fn member_environment(cluster: &Cluster, m: &Member) -> Vec<Var> {
    vec![
        var("ETCD_NAME", m.name.value.clone()),
        var("ETCD_SSL_DIR", ssl_dir(cluster)),
    ]
}

/// The `Environment=` assignments of a member's `30-certs.conf` (F-E28), with the files named by
/// their path inside the wrapper's container (F-E22, F-E23).
pub fn member_cert_env(cluster: &Cluster, etcd: &Etcd, m: &Member) -> Vec<Var> {
    let cert = container_path(&format!("{}.pem", m.name.value));
    let key = container_path(&format!("{}-key.pem", m.name.value));
    let ca = container_path(&cluster.pki.ca.value);
    let mut env = vec![
        var("ETCD_CERT_FILE", cert.clone()),
        var("ETCD_KEY_FILE", key.clone()),
    ];
    // A client trusted CA makes etcd demand client certificates whatever `client-cert-auth` says
    // (FACTS §1.2, the `--trusted-ca-file` row; seen on etcd 3.4.23 too), so a model that turns client
    // certificate authentication off gets no client CA: the file then says what etcd does. The
    // peer CA stays: members also use it to verify the peers they dial.
    if etcd.client_cert_auth.value {
        env.push(var("ETCD_TRUSTED_CA_FILE", ca.clone()));
    }
    env.extend([
        var(
            "ETCD_CLIENT_CERT_AUTH",
            bool_str(etcd.client_cert_auth.value),
        ),
        var("ETCD_PEER_CERT_FILE", cert),
        var("ETCD_PEER_KEY_FILE", key),
        var("ETCD_PEER_TRUSTED_CA_FILE", ca),
        var(
            "ETCD_PEER_CLIENT_CERT_AUTH",
            bool_str(etcd.peer_client_cert_auth.value),
        ),
    ]);
    env
}

/// The `Environment=` assignments of a proxy's `30-certs.conf` (F-E28, proxy variant). A proxy
/// runs the same wrapper, so its files are named inside the container too, and its directory is
/// set here, the proxy's only drop-in (F-E22, F-E23).
pub fn proxy_cert_env(cluster: &Cluster, etcd: &Etcd, p: &Proxy) -> Vec<Var> {
    let cert = container_path(&format!("{}.pem", p.client_cert.value));
    let key = container_path(&format!("{}-key.pem", p.client_cert.value));
    let ca = container_path(&cluster.pki.ca.value);
    let client = p.client_port.as_ref().unwrap_or(&etcd.client_port).value;
    let mut listen = format!("http://127.0.0.1:{client}");
    if let Some(legacy) = p.legacy_port.as_ref().or(etcd.legacy_port.as_ref()) {
        listen.push_str(&format!(",http://127.0.0.1:{}", legacy.value));
    }
    vec![
        var("ETCD_SSL_DIR", ssl_dir(cluster)),
        var("ETCD_CERT_FILE", cert.clone()),
        var("ETCD_KEY_FILE", key.clone()),
        var("ETCD_TRUSTED_CA_FILE", ca.clone()),
        var("ETCD_PEER_CERT_FILE", cert),
        var("ETCD_PEER_KEY_FILE", key),
        var("ETCD_PEER_TRUSTED_CA_FILE", ca),
        var("ETCD_LISTEN_CLIENT_URLS", listen),
    ]
}

/// etcdctl's variables for a host using `cert`/`key`, in the dialect of the release. etcdctl runs
/// on the host: host paths under `pki.dir`.
pub fn etcdctl_env(cluster: &Cluster, etcd: &Etcd, cert: &str, key: &str) -> Vec<Var> {
    let endpoints = etcd
        .members
        .iter()
        .map(|m| client_url(etcd, m))
        .collect::<Vec<_>>()
        .join(",");
    let ca = pki_path(cluster, &cluster.pki.ca.value);
    let cert = pki_path(cluster, cert);
    let key = pki_path(cluster, key);
    match etcd.release.value {
        Release::V3 => vec![
            var("ETCDCTL_API", "3"),
            var("ETCDCTL_ENDPOINTS", endpoints),
            var("ETCDCTL_CACERT", ca),
            var("ETCDCTL_CERT", cert),
            var("ETCDCTL_KEY", key),
        ],
        v2 => vec![
            var("ETCDCTL_API", "2"),
            // etcdctl 2.2 reads ETCDCTL_ENDPOINT; 2.1 only knows ETCDCTL_PEERS.
            var(
                if v2 == Release::V2_1 {
                    "ETCDCTL_PEERS"
                } else {
                    "ETCDCTL_ENDPOINT"
                },
                endpoints,
            ),
            var("ETCDCTL_CA_FILE", ca),
            var("ETCDCTL_CERT_FILE", cert),
            var("ETCDCTL_KEY_FILE", key),
        ],
    }
}

/// The two files every etcd host gets: `30-certs.conf` with `cert_env`, and `etcdctl.env` using the
/// key pair `<pair>.pem` / `<pair>-key.pem`.
fn certs_and_etcdctl(
    cluster: &Cluster,
    etcd: &Etcd,
    templates: &Templates,
    host: &str,
    cert_env: Vec<Var>,
    pair: &str,
) -> Result<[Artifact; 2], Problem> {
    let certs = ClctContext {
        exec: WRAPPER,
        environment: cert_env,
        flags: Vec::new(),
    };
    let env = EnvContext {
        path: ETCDCTL_ENV_PATH,
        environment: etcdctl_env(
            cluster,
            etcd,
            &format!("{pair}.pem"),
            &format!("{pair}-key.pem"),
        ),
    };
    Ok([
        Artifact::config(
            host,
            CERTS_PATH,
            templates.render("etcd/30-certs.conf.tera", &certs)?,
        ),
        Artifact::config(
            host,
            ETCDCTL_ENV_PATH,
            templates.render("etcd/etcdctl.env.tera", &env)?,
        ),
    ])
}

/// Every etcd artifact of the model.
pub fn render(cluster: &Cluster, templates: &Templates) -> Result<Vec<Artifact>, Problem> {
    let Some(etcd) = &cluster.etcd else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for m in &etcd.members {
        let host = m.name.value.clone();
        let clct = ClctContext {
            exec: WRAPPER,
            environment: member_environment(cluster, m),
            flags: member_flags(etcd, m),
        };
        out.push(Artifact::config(
            &host,
            CLCT_PATH,
            templates.render("etcd/20-clct-etcd-member.conf.tera", &clct)?,
        ));
        out.extend(certs_and_etcdctl(
            cluster,
            etcd,
            templates,
            &host,
            member_cert_env(cluster, etcd, m),
            &m.name.value,
        )?);
    }
    for p in &etcd.proxies {
        out.extend(certs_and_etcdctl(
            cluster,
            etcd,
            templates,
            &p.name.value,
            proxy_cert_env(cluster, etcd, p),
            &p.client_cert.value,
        )?);
    }
    Ok(out)
}
