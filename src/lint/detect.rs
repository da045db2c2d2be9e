//! Which kind of file is this? By path first (cheap), then by a few substring sniffs of the
//! content where the path says nothing (stdin, `*.conf`, no extension); no regex, no parse. A
//! template suffix (`*.j2`, `*.tmpl`, ...) is dropped from the name first. A file of no known
//! kind is skipped.

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

/// Suffixes of template files (Jinja, Go templates, ERB, Mustache, autoconf, `.template`): a
/// templated file is detected by its name without the suffix (`etcd.conf.yml.j2` as
/// `etcd.conf.yml`). `.in` is autoconf's and ebuilds' (`@VAR@` substitutions).
pub const TEMPLATE_SUFFIXES: &[&str] = &[
    "j2", "jinja", "jinja2", "tmpl", "tpl", "gotmpl", "erb", "mustache", "template", "in",
];

/// A file name (lower case) without its template suffix, if it has one and a name before it.
fn strip_template_suffix(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((base, suffix)) if !base.is_empty() && TEMPLATE_SUFFIXES.contains(&suffix) => base,
        _ => name,
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
    if text.contains("[[outputs.")
        || text.contains("[[inputs.")
        || text.contains("[[processors.")
        || text.contains("[[aggregators.")
        || text.contains("[agent]")
    {
        return Some(Kind::Telegraf);
    }
    // An Enterprise data node has `[meta]` next to `[http]`, `[data]` or `[cluster]`; a meta
    // node has `[meta]` alone, holding its own listener and secret settings.
    if text.contains("[meta]") {
        if text.contains("[http]") || text.contains("[data]") || text.contains("[cluster]") {
            return Some(Kind::InfluxdbData);
        }
        if [
            "internal-shared-secret",
            "data-use-tls",
            "http-bind-address",
            "https-enabled",
            "https-certificate",
            "pprof-enabled",
        ]
        .iter()
        .any(|k| text.contains(k))
        {
            return Some(Kind::InfluxdbMeta);
        }
    }
    // `[http]` is common; with an `https-*` key, or next to a section only InfluxDB has, it is
    // InfluxDB's.
    if text.contains("[http]")
        && (text.contains("https-") || text.contains("[data]") || text.contains("auth-enabled"))
        || text.contains("[continuous_queries]")
        || text.contains("[shard-precreation]")
    {
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

fn sniff_json(text: &str) -> Option<Kind> {
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

fn sniff_unit(text: &str) -> bool {
    text.contains("[Service]")
        && (text.contains("ETCD_")
            || text
                .lines()
                .any(|l| l.trim_start().starts_with("ExecStart") && l.contains("etcd")))
}

/// The kind of a text whose path says nothing (stdin without `--stdin-filename`, `etcd.conf`,
/// a name without an extension): every sniff, most specific first. A JSON object is only ever
/// JSON; TOML section headers (`[agent]`, `[meta]`) and a unit's `[Service]` come before
/// `ETCD_*` lines (a unit sets them in `Environment=`); YAML keys last.
pub fn sniff(text: &str) -> Option<Kind> {
    if text.trim_start().starts_with('{') {
        return sniff_json(text);
    }
    sniff_toml(text)
        .or_else(|| sniff_unit(text).then_some(Kind::EtcdUnit))
        .or_else(|| sniff_env(text))
        .or_else(|| sniff_yaml(text))
}

/// The kind of a file from its path (`/` separated) and text, or `None` when lint has no
/// business with it. The path decides where it says the kind (a known name, a unit's
/// extension, a YAML, JSON or TOML extension narrows the sniff to that syntax); a name that
/// says nothing (`-` for stdin, `*.conf`, `*.cfg`, no extension) is decided by [`sniff`]. A
/// template suffix (`*.j2`, `*.tmpl`, ...) is dropped first.
pub fn detect(path: &str, text: &str) -> Option<Kind> {
    if path == "-" {
        return sniff(text);
    }
    let mut parts = path.rsplit(['/', '\\']);
    let name = parts.next().unwrap_or(path);
    let dir = parts.next().unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let lower = strip_template_suffix(&lower);
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if dir.ends_with(".service.d") && ext == "conf" {
        return (dir.contains("etcd") || sniff_unit(text)).then_some(Kind::EtcdUnit);
    }
    if ext == "service" {
        return (lower.starts_with("etcd") || sniff_unit(text)).then_some(Kind::EtcdUnit);
    }
    match lower {
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
        "json" => sniff_json(text),
        "toml" => sniff_toml(text),
        "env" | "sh" | "environment" => sniff_env(text),
        // A name that says nothing: `etcd.conf` is an env file on RHEL and an etcd YAML
        // elsewhere; `/etc/default/etcd` has no extension.
        "conf" | "cfg" | "" if !lower.is_empty() => sniff(text),
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
