//! Which kind of file is this? By path first (cheap), then by a few substring sniffs of the
//! content; no regex, no parse. A file of no known kind is skipped.

use serde::Serialize;

/// The kinds of file lint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A systemd unit or drop-in running etcd (`etcd-member.service.d/*.conf`).
    EtcdUnit,
    /// An environment file of `ETCD_*` variables (`/etc/default/etcd`, `/etc/etcd/etcd.conf`).
    EtcdEnv,
    /// An etcd YAML configuration file (`etcd.conf.yml`).
    EtcdYaml,
    /// A Kubernetes static pod manifest running etcd.
    EtcdPod,
    /// An etcdctl environment file (`ETCDCTL_*`).
    Etcdctl,
    /// `influxdb.conf` (OSS, or an Enterprise data node).
    InfluxdbData,
    /// `influxdb-meta.conf` (Enterprise meta node).
    InfluxdbMeta,
    /// `telegraf.conf`, `telegraf.d/*.conf`.
    Telegraf,
    /// A Kubernetes `EncryptionConfiguration` (or legacy `EncryptionConfig`).
    K8sEncryption,
    /// DC/OS Elastic options JSON.
    DcosElastic,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::EtcdUnit => "etcd-unit",
            Kind::EtcdEnv => "etcd-env",
            Kind::EtcdYaml => "etcd-yaml",
            Kind::EtcdPod => "etcd-pod",
            Kind::Etcdctl => "etcdctl",
            Kind::InfluxdbData => "influxdb-data",
            Kind::InfluxdbMeta => "influxdb-meta",
            Kind::Telegraf => "telegraf",
            Kind::K8sEncryption => "k8s-encryption",
            Kind::DcosElastic => "dcos-elastic",
        }
    }
}

fn sniff_env(text: &str) -> Option<Kind> {
    let mut etcdctl = false;
    for line in text.lines().take(400) {
        let l = line.trim_start();
        let l = l.strip_prefix("export ").unwrap_or(l).trim_start();
        if l.starts_with("ETCDCTL_") && l.contains('=') {
            etcdctl = true;
        } else if l.starts_with("ETCD_") && l.contains('=') {
            return Some(Kind::EtcdEnv);
        }
    }
    etcdctl.then_some(Kind::Etcdctl)
}

fn sniff_toml(text: &str) -> Option<Kind> {
    if text.contains("[[outputs.") || text.contains("[[inputs.") || text.contains("[agent]") {
        return Some(Kind::Telegraf);
    }
    if text.contains("[meta]") {
        if text.contains("[http]") || text.contains("[data]") || text.contains("[cluster]") {
            return Some(Kind::InfluxdbData);
        }
        if text.contains("internal-shared-secret")
            || text.contains("data-use-tls")
            || text.contains("http-bind-address")
        {
            return Some(Kind::InfluxdbMeta);
        }
    }
    if text.contains("[http]") && (text.contains("https-enabled") || text.contains("[data]")) {
        return Some(Kind::InfluxdbData);
    }
    None
}

fn sniff_yaml(text: &str) -> Option<Kind> {
    if text.contains("EncryptionConfig") && text.contains("kind") {
        return Some(Kind::K8sEncryption);
    }
    if text.contains("kind: Pod") && text.contains("etcd") {
        return Some(Kind::EtcdPod);
    }
    if text.contains("client-transport-security")
        || text.contains("peer-transport-security")
        || text.contains("listen-client-urls:")
        || text.contains("initial-cluster:")
    {
        return Some(Kind::EtcdYaml);
    }
    None
}

fn sniff_unit(text: &str) -> bool {
    text.contains("[Service]")
        && (text.contains("ETCD_")
            || text
                .lines()
                .any(|l| l.trim_start().starts_with("ExecStart") && l.contains("etcd")))
}

/// The kind of a file from its path (`/` separated) and text, or `None` when lint has no
/// business with it.
pub fn detect(path: &str, text: &str) -> Option<Kind> {
    let mut parts = path.rsplit(['/', '\\']);
    let name = parts.next().unwrap_or(path);
    let dir = parts.next().unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if dir.ends_with(".service.d") && ext == "conf" {
        return (dir.contains("etcd") || sniff_unit(text)).then_some(Kind::EtcdUnit);
    }
    if ext == "service" {
        return (lower.starts_with("etcd") || sniff_unit(text)).then_some(Kind::EtcdUnit);
    }
    match lower.as_str() {
        "influxdb-meta.conf" => return Some(Kind::InfluxdbMeta),
        "influxdb.conf" => return Some(Kind::InfluxdbData),
        "telegraf.conf" => return Some(Kind::Telegraf),
        "etcd.conf.yml" | "etcd.conf.yaml" => {
            return Some(sniff_yaml(text).unwrap_or(Kind::EtcdYaml))
        }
        _ => {}
    }
    if dir == "telegraf.d" && ext == "conf" {
        return Some(Kind::Telegraf);
    }
    match ext {
        "yaml" | "yml" => sniff_yaml(text),
        "json" => {
            if text.contains("EncryptionConfig") {
                Some(Kind::K8sEncryption)
            } else if text.contains("\"service\"")
                && (text.contains("transport_encryption") || text.contains("\"elasticsearch\""))
            {
                Some(Kind::DcosElastic)
            } else {
                None
            }
        }
        "toml" => sniff_toml(text),
        "conf" | "cfg" => sniff_toml(text).or_else(|| {
            if sniff_unit(text) {
                Some(Kind::EtcdUnit)
            } else {
                sniff_env(text)
            }
        }),
        "env" | "" | "sh" | "environment" => sniff_env(text),
        _ if (dir == "default" || dir == "sysconfig") => sniff_env(text),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_path_and_content() {
        assert_eq!(
            detect("a/etcd-member.service.d/30-certs.conf", "[Service]\n"),
            Some(Kind::EtcdUnit)
        );
        assert_eq!(
            detect("etc/default/etcd", "ETCD_NAME=a\n"),
            Some(Kind::EtcdEnv)
        );
        assert_eq!(
            detect("etc/etcd/etcd.conf", "# x\nETCD_NAME=a\n"),
            Some(Kind::EtcdEnv)
        );
        assert_eq!(
            detect("x/etcdctl.env", "ETCDCTL_API=3\n"),
            Some(Kind::Etcdctl)
        );
        assert_eq!(detect("x/telegraf.d/out.conf", ""), Some(Kind::Telegraf));
        assert_eq!(
            detect("x/enc.yaml", "kind: EncryptionConfiguration\n"),
            Some(Kind::K8sEncryption)
        );
        assert_eq!(
            detect(
                "x/etcd.yaml",
                "kind: Pod\nspec:\n  containers:\n  - command: [etcd]\n"
            ),
            Some(Kind::EtcdPod)
        );
        assert_eq!(
            detect(
                "x/options.json",
                "{\"service\": {\"security\": {\"transport_encryption\": {}}}}"
            ),
            Some(Kind::DcosElastic)
        );
        assert_eq!(detect("README.md", "ETCD_NAME=a"), None);
        assert_eq!(detect("x/other.yaml", "a: 1"), None);
    }
}
