//! The serde types of `cluster.yaml`. Strict: unknown fields are errors.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::spanned::Sp;

/// The whole model: one file describes one fleet.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "tlsgen cluster model")]
pub struct Cluster {
    /// Version of the model format. Only `1` exists.
    pub version: Sp<u32>,
    /// Where certificates live on the hosts.
    #[serde(default)]
    pub pki: Pki,
    /// An etcd cluster moved to HTTPS (CoreOS "Enabling HTTPS in an existing etcd cluster").
    #[serde(default)]
    pub etcd: Option<Etcd>,
}

/// Certificate locations on the hosts.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pki {
    /// Absolute directory on every host that holds the certificates and keys.
    #[serde(default = "default_pki_dir")]
    pub dir: Sp<String>,
    /// File name of the CA certificate inside `dir`.
    #[serde(default = "default_ca")]
    pub ca: Sp<String>,
}

impl Default for Pki {
    fn default() -> Self {
        Pki {
            dir: default_pki_dir(),
            ca: default_ca(),
        }
    }
}

fn default_pki_dir() -> Sp<String> {
    Sp::bare("/etc/ssl/etcd".to_string())
}
fn default_ca() -> Sp<String> {
    Sp::bare("ca.pem".to_string())
}

/// The flag dialect of the etcd release the cluster runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Release {
    /// etcd 2.1 and older: v2 API, member update with curl.
    #[serde(rename = "2.1")]
    V2_1,
    /// etcd 2.2 and 2.3: v2 API, `etcdctl member update <id> <urls>`.
    #[serde(rename = "2.2")]
    V2_2,
    /// etcd 3.x: v3 API (`ETCDCTL_API=3`), `etcdctl member update <id> --peer-urls=<urls>`.
    #[serde(rename = "3.x")]
    V3,
}

impl Release {
    pub fn is_v2(self) -> bool {
        matches!(self, Release::V2_1 | Release::V2_2)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Release::V2_1 => "2.1",
            Release::V2_2 => "2.2",
            Release::V3 => "3.x",
        }
    }
}

/// An etcd cluster: members and proxies.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Etcd {
    /// Flag dialect: "2.1", "2.2" or "3.x".
    pub release: Sp<Release>,
    /// HTTPS client port (default 2379).
    #[serde(default = "default_client_port")]
    pub client_port: Sp<u16>,
    /// HTTPS peer port (default 2380).
    #[serde(default = "default_peer_port")]
    pub peer_port: Sp<u16>,
    /// Plain-HTTP client port kept on 127.0.0.1 only, for old local clients during a migration.
    /// Absent or null: none.
    #[serde(default)]
    pub legacy_port: Option<Sp<u16>>,
    /// Require client certificates from clients (`--client-cert-auth`). Default true.
    #[serde(default = "default_true")]
    pub client_cert_auth: Sp<bool>,
    /// Require client certificates from peers (`--peer-client-cert-auth`). Default true.
    #[serde(default = "default_true")]
    pub peer_client_cert_auth: Sp<bool>,
    /// The members of the cluster.
    pub members: Vec<Member>,
    /// etcd proxies (v2 proxy mode) that listen on loopback and reach the members with a client
    /// certificate.
    #[serde(default)]
    pub proxies: Vec<Proxy>,
}

fn default_client_port() -> Sp<u16> {
    Sp::bare(2379)
}
fn default_peer_port() -> Sp<u16> {
    Sp::bare(2380)
}
fn default_true() -> Sp<bool> {
    Sp::bare(true)
}

/// One etcd member; its name is also its host directory in the output.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Member name (a DNS label); also names its certificate `<name>.pem` / `<name>-key.pem`.
    pub name: Sp<String>,
    /// IP address or DNS name the member is reached at.
    pub address: Sp<String>,
    /// Member id as printed by `etcdctl member list` (16 hex digits), if known.
    #[serde(default)]
    pub id: Option<Sp<String>>,
    /// Overrides `etcd.client_port` for this member.
    #[serde(default)]
    pub client_port: Option<Sp<u16>>,
    /// Overrides `etcd.peer_port` for this member.
    #[serde(default)]
    pub peer_port: Option<Sp<u16>>,
    /// Overrides `etcd.legacy_port` for this member.
    #[serde(default)]
    pub legacy_port: Option<Sp<u16>>,
}

/// An etcd proxy host.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proxy {
    /// Proxy host name (a DNS label).
    pub name: Sp<String>,
    /// Name of its client key pair in `pki.dir`: `<client_cert>.pem` and `<client_cert>-key.pem`.
    pub client_cert: Sp<String>,
    /// Loopback port the proxy serves plain HTTP on (default: `etcd.client_port`).
    #[serde(default)]
    pub client_port: Option<Sp<u16>>,
    /// Overrides `etcd.legacy_port` for this proxy.
    #[serde(default)]
    pub legacy_port: Option<Sp<u16>>,
}
