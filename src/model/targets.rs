//! The model sections of the non-etcd targets: InfluxDB Enterprise, Telegraf, DC/OS Elastic and
//! Kubernetes encryption at rest. Strict like the rest of the model; every scalar a validation error
//! may point at is an [`Sp`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::spanned::Sp;

/// InfluxDB Enterprise moved to HTTPS (InfluxEnterprise "HTTPS Setup"; FACTS section 3).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Influxdb {
    /// The certificate every node serves: `ca-signed`, `bundle` or `self-signed`.
    pub certificate: InfluxCertificate,
    /// Meta nodes: each gets the `[meta]` section of `/etc/influxdb/influxdb-meta.conf`.
    pub meta_nodes: Vec<InfluxNode>,
    /// Data nodes: each gets `[http]`, `[meta]` (and `[cluster]`, `[tls]`) of `/etc/influxdb/influxdb.conf`.
    pub data_nodes: Vec<InfluxNode>,
    /// Also encrypt data-node to data-node traffic (`[cluster] https-*`, meta `data-use-tls`; F-I8).
    /// Default false.
    #[serde(default = "default_false")]
    pub internode_tls: Sp<bool>,
    /// `[tls] min-version` of every listener: `tls1.2` (default) or `tls1.3` (F-I5, F-I6).
    #[serde(default = "default_tls_min")]
    pub tls_min_version: Sp<InfluxTlsVersion>,
    /// HTTP API port of the data nodes (default 8086); used by Telegraf urls and the runbook checks.
    #[serde(default = "default_influx_port")]
    pub http_port: Sp<u16>,
    /// `user:group` the certificate and key files should belong to (the runbook's `chown`);
    /// default `influxdb:influxdb`, the user the Debian and upstream packages run influxd as (F-I2).
    #[serde(default = "default_influx_owner")]
    pub file_owner: Sp<String>,
}

/// Kinds of certificate an InfluxDB node can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CertKind {
    /// A certificate signed by a CA, with its private key in a separate file (`cert` and `key`).
    CaSigned,
    /// One `.pem` holding both the certificate and the private key (`pem`).
    Bundle,
    /// A self-signed certificate made with `openssl req -x509` (`days`; clients skip verification).
    SelfSigned,
}

impl CertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CertKind::CaSigned => "ca-signed",
            CertKind::Bundle => "bundle",
            CertKind::SelfSigned => "self-signed",
        }
    }
}

/// The certificate of the InfluxDB nodes. Which fields apply depends on `kind`:
/// `ca-signed` needs `cert` and `key`; `bundle` needs `pem`; `self-signed` takes `days` and
/// optionally `cert` and `key` (defaults `/etc/ssl/influxdb-selfsigned.crt` and `.key`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InfluxCertificate {
    /// `ca-signed`, `bundle` or `self-signed`.
    pub kind: Sp<CertKind>,
    /// Absolute path of the certificate on every node (`ca-signed`, `self-signed`).
    #[serde(default)]
    pub cert: Option<Sp<String>>,
    /// Absolute path of the private key on every node (`ca-signed`, `self-signed`).
    #[serde(default)]
    pub key: Option<Sp<String>>,
    /// Absolute path of the bundled `.pem` (certificate and key in one file; `bundle`).
    #[serde(default)]
    pub pem: Option<Sp<String>>,
    /// Validity of a self-signed certificate in days (`self-signed`; default 365).
    #[serde(default)]
    pub days: Option<Sp<u32>>,
    /// Absolute path of the CA certificate clients use to verify the nodes (`ca-signed`, `bundle`);
    /// default: `pki.dir`/`pki.ca`.
    #[serde(default)]
    pub ca: Option<Sp<String>>,
}

/// The TLS versions tlsgen accepts as a minimum (older ones are not offered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum InfluxTlsVersion {
    /// TLS 1.2.
    #[serde(rename = "tls1.2")]
    Tls12,
    /// TLS 1.3.
    #[serde(rename = "tls1.3")]
    Tls13,
}

impl InfluxTlsVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            InfluxTlsVersion::Tls12 => "tls1.2",
            InfluxTlsVersion::Tls13 => "tls1.3",
        }
    }
}

/// One InfluxDB Enterprise node; its name is also its host directory in the output.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InfluxNode {
    /// Host name (a DNS label).
    pub name: Sp<String>,
    /// IP address or DNS name the node is reached at (must be in its certificate).
    pub address: Sp<String>,
}

/// Telegraf agents writing to InfluxDB over HTTPS (`[[outputs.influxdb]]`; FACTS section 4).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Telegraf {
    /// The agents; each gets `/etc/telegraf/telegraf.conf`.
    pub agents: Vec<TelegrafAgent>,
    /// A load balancer (DNS name or address) in front of the data nodes; when absent, the urls are
    /// the data nodes of the `influxdb` section.
    #[serde(default)]
    pub load_balancer: Option<Sp<String>>,
    /// The database to write to (default `telegraf`).
    #[serde(default = "default_telegraf_db")]
    pub database: Sp<String>,
    /// The InfluxDB user the agents authenticate as (default `telegraf`); the password is always the
    /// environment reference `$INFLUX_PASSWORD`, never a literal.
    #[serde(default = "default_telegraf_user")]
    pub username: Sp<String>,
}

/// One Telegraf agent host.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TelegrafAgent {
    /// Host name (a DNS label).
    pub name: Sp<String>,
    /// Absolute path of the CA certificate that signed the InfluxDB certificates (`tls_ca`).
    pub ca: Sp<String>,
    /// Absolute path of the agent's client certificate (`tls_cert`; needs `key`).
    #[serde(default)]
    pub cert: Option<Sp<String>>,
    /// Absolute path of the agent's client key (`tls_key`; needs `cert`).
    #[serde(default)]
    pub key: Option<Sp<String>>,
    /// Skip verification of the server certificate. Insecure: only for self-signed certificates
    /// (F-T6); render warns. Default false.
    #[serde(default = "default_false")]
    pub insecure_skip_verify: Sp<bool>,
}

/// DC/OS Elastic with transport encryption (DC/OS Elastic "Configuring TLS"; FACTS section 6).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Elastic {
    /// The DC/OS service name (default `elastic`).
    #[serde(default = "default_elastic_name")]
    pub service_name: Sp<String>,
    /// The DC/OS service account (Mesos principal) the service runs as.
    pub service_account: Sp<String>,
    /// Path of the service account's secret in the DC/OS Secret Store.
    pub service_account_secret: Sp<String>,
    /// `install` a new service, or `update` a running one (adds `update_strategy: parallel`).
    #[serde(default = "default_elastic_mode")]
    pub mode: Sp<ElasticMode>,
    /// Add `"elasticsearch": {"xpack_enabled": true}`, which Elastic packages up to 6.2 need for
    /// transport encryption (F-D4). Default false.
    #[serde(default = "default_false")]
    pub legacy_xpack: Sp<bool>,
}

/// Whether the options are for installing the service or updating a running one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ElasticMode {
    /// `dcos package install elastic --options=...`.
    Install,
    /// `dcos elastic update start --options=...` on a running service (full-cluster restart).
    Update,
}

/// Kubernetes: encryption of resources at rest in etcd (FACTS section 5).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kubernetes {
    /// Control-plane hosts that get the `EncryptionConfiguration` (every kube-apiserver needs the
    /// same file, F-K4). Empty: the file goes to the pseudo-host `tlsgen-admin`.
    #[serde(default)]
    pub control_plane: Vec<Sp<String>>,
    /// The `EncryptionConfiguration`.
    pub encryption: KubeEncryption,
}

/// What is encrypted and with which KMS plugin.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KubeEncryption {
    /// Resources to encrypt (default `[secrets]`); lowercase, no `*` alone (F-K5).
    #[serde(default = "default_resources")]
    pub resources: Vec<Sp<String>>,
    /// The KMS provider, written first (it encrypts); `identity: {}` follows as the read fallback.
    pub kms: Kms,
    /// Where the file lives on the control-plane hosts (default
    /// `/etc/kubernetes/enc/encryption-config.yaml`).
    #[serde(default = "default_enc_path")]
    pub path: Sp<String>,
}

/// A KMS plugin.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kms {
    /// Provider name; cannot be changed once set; no `:` (F-K5, F-K6).
    pub name: Sp<String>,
    /// The plugin's UNIX socket, `unix:///path` (F-K5: the scheme must be unix).
    pub endpoint: Sp<String>,
    /// KMS API version: `v2` (default) or `v1` (deprecated since 1.28, off by default since 1.29).
    #[serde(default = "default_kms_version")]
    pub api_version: Sp<KmsVersion>,
}

/// KMS API versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum KmsVersion {
    /// KMS v1 (deprecated).
    V1,
    /// KMS v2 (stable since Kubernetes 1.29).
    V2,
}

impl KmsVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            KmsVersion::V1 => "v1",
            KmsVersion::V2 => "v2",
        }
    }
}

fn default_false() -> Sp<bool> {
    Sp::bare(false)
}
fn default_tls_min() -> Sp<InfluxTlsVersion> {
    Sp::bare(InfluxTlsVersion::Tls12)
}
fn default_influx_port() -> Sp<u16> {
    Sp::bare(8086)
}
fn default_influx_owner() -> Sp<String> {
    Sp::bare("influxdb:influxdb".to_string())
}
fn default_telegraf_db() -> Sp<String> {
    Sp::bare("telegraf".to_string())
}
fn default_telegraf_user() -> Sp<String> {
    Sp::bare("telegraf".to_string())
}
fn default_elastic_name() -> Sp<String> {
    Sp::bare("elastic".to_string())
}
fn default_elastic_mode() -> Sp<ElasticMode> {
    Sp::bare(ElasticMode::Install)
}
fn default_resources() -> Vec<Sp<String>> {
    vec![Sp::bare("secrets".to_string())]
}
fn default_enc_path() -> Sp<String> {
    Sp::bare("/etc/kubernetes/enc/encryption-config.yaml".to_string())
}
fn default_kms_version() -> Sp<KmsVersion> {
    Sp::bare(KmsVersion::V2)
}
