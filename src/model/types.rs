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
    /// InfluxDB Enterprise meta and data nodes moved to HTTPS.
    #[serde(default)]
    pub influxdb: Option<super::targets::Influxdb>,
    /// Telegraf agents writing to InfluxDB over HTTPS.
    #[serde(default)]
    pub telegraf: Option<super::targets::Telegraf>,
    /// DC/OS Elastic with transport encryption.
    #[serde(default)]
    pub elastic: Option<super::targets::Elastic>,
    /// Kubernetes encryption at rest with a KMS provider.
    #[serde(default)]
    pub kubernetes: Option<super::targets::Kubernetes>,
}

impl Cluster {
    /// Whether the model describes at least one target (a section that render writes files for).
    pub fn has_target(&self) -> bool {
        self.etcd.is_some()
            || self.influxdb.is_some()
            || self.telegraf.is_some()
            || self.elastic.is_some()
            || self.kubernetes.is_some()
    }
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
    /// Key algorithm of the keys `tlsgen certs` generates (default `ecdsa-p256`).
    #[serde(default = "default_key_type")]
    pub key_type: Sp<KeyType>,
    /// Days a certificate issued by `tlsgen certs` stays valid (default 365).
    #[serde(default = "default_validity_days")]
    pub validity_days: Sp<u32>,
    /// Days the CA certificate created by `tlsgen certs` stays valid (default 3650).
    #[serde(default = "default_ca_validity_days")]
    pub ca_validity_days: Sp<u32>,
    /// An existing CA certificate (PEM) to issue with instead of creating a CA; a path on the machine
    /// running tlsgen, relative to the model file. Needs `ca_key`.
    #[serde(default)]
    pub ca_cert: Option<Sp<String>>,
    /// The unencrypted private key (PEM) of `ca_cert`; relative to the model file.
    #[serde(default)]
    pub ca_key: Option<Sp<String>>,
}

/// Key algorithms `tlsgen certs` can generate.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum KeyType {
    /// ECDSA on NIST P-256 with SHA-256 (the default).
    #[serde(rename = "ecdsa-p256")]
    EcdsaP256,
    /// ECDSA on NIST P-384 with SHA-384.
    #[serde(rename = "ecdsa-p384")]
    EcdsaP384,
    /// RSA, 2048-bit modulus.
    #[serde(rename = "rsa-2048")]
    Rsa2048,
    /// RSA, 3072-bit modulus.
    #[serde(rename = "rsa-3072")]
    Rsa3072,
    /// RSA, 4096-bit modulus.
    #[serde(rename = "rsa-4096")]
    Rsa4096,
    /// Ed25519.
    #[serde(rename = "ed25519")]
    Ed25519,
}

impl KeyType {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::EcdsaP256 => "ecdsa-p256",
            KeyType::EcdsaP384 => "ecdsa-p384",
            KeyType::Rsa2048 => "rsa-2048",
            KeyType::Rsa3072 => "rsa-3072",
            KeyType::Rsa4096 => "rsa-4096",
            KeyType::Ed25519 => "ed25519",
        }
    }
}

impl Default for Pki {
    fn default() -> Self {
        Pki {
            dir: default_pki_dir(),
            ca: default_ca(),
            key_type: default_key_type(),
            validity_days: default_validity_days(),
            ca_validity_days: default_ca_validity_days(),
            ca_cert: None,
            ca_key: None,
        }
    }
}

fn default_key_type() -> Sp<KeyType> {
    Sp::bare(KeyType::EcdsaP256)
}
fn default_validity_days() -> Sp<u32> {
    Sp::bare(365)
}
fn default_ca_validity_days() -> Sp<u32> {
    Sp::bare(3650)
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
