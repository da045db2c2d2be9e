//! InfluxDB Enterprise: the HTTPS settings of InfluxEnterprise "HTTPS Setup" (FACTS section 3).
//!
//! Per meta node, `[meta]` of `influxdb-meta.conf` (F-I8, table 3.3); per data node `[meta]`,
//! `[http]` (table 3.1), `[cluster]` when internode TLS is asked for (3.4, F-I8) and `[tls]`
//! `min-version` (F-I5, F-I6) of `influxdb.conf`; a runbook with the restart order (meta nodes,
//! then data nodes, F-I8) and the checks (`influxd-ctl -bind-tls [-k]`, `influx -ssl [-unsafeSsl]`).
//! Values are encoded as TOML by toml_edit; the templates only lay the lines out.

use serde::Serialize;

use super::{Artifact, Target, Templates, Var};
use crate::diag::Problem;
use crate::model::{CertKind, Cluster, Influxdb, ADMIN_HOST};

pub const META_CONF: &str = "/etc/influxdb/influxdb-meta.conf";
pub const DATA_CONF: &str = "/etc/influxdb/influxdb.conf";
pub const RUNBOOK: &str = "/root/tlsgen/influxdb-RUNBOOK.md";
/// Where a self-signed certificate and key go unless the model says otherwise (IFX-TLS).
pub const SELF_SIGNED_CERT: &str = "/etc/ssl/influxdb-selfsigned.crt";
pub const SELF_SIGNED_KEY: &str = "/etc/ssl/influxdb-selfsigned.key";

/// Keys tlsgen owns even when it does not write them: a merge removes them when the model does not
/// ask for them (the insecure switches of the self-signed variant). `(table, key)`.
pub const META_REMOVED_WHEN_ABSENT: &[(&str, &str)] = &[
    ("meta", "https-insecure-tls"),
    ("meta", "data-insecure-tls"),
];
pub const DATA_REMOVED_WHEN_ABSENT: &[(&str, &str)] = &[
    ("meta", "meta-insecure-tls"),
    ("cluster", "https-insecure-tls"),
];

/// A TOML table of owned keys, values already encoded as TOML.
#[derive(Debug, Serialize)]
pub struct Section {
    pub name: &'static str,
    pub keys: Vec<Var>,
}

#[derive(Serialize)]
struct ConfContext<'a> {
    host: &'a str,
    kind: &'static str,
    sections: Vec<Section>,
}

#[derive(Serialize)]
struct NodeCmd {
    name: String,
    command: String,
}

#[derive(Serialize)]
struct RunbookContext<'a> {
    kind: &'static str,
    self_signed: bool,
    meta: Vec<NodeCmd>,
    data: Vec<NodeCmd>,
    nodes: Vec<NodeCmd>,
    files: Vec<String>,
    permissions: Vec<String>,
    meta_conf: &'a str,
    data_conf: &'a str,
    ctl_check: String,
    influx_checks: Vec<String>,
}

/// A TOML string, escaped by toml_edit.
pub fn toml_str(s: &str) -> String {
    toml_edit::Value::from(s).to_string()
}

fn toml_bool(b: bool) -> String {
    toml_edit::Value::from(b).to_string()
}

fn kv(name: &str, value: String) -> Var {
    Var {
        name: name.to_string(),
        value,
    }
}

/// The certificate and key paths the nodes serve (a bundle is both: FACTS table 3.1, `https-certificate` note).
pub fn cert_and_key(i: &Influxdb) -> (String, String) {
    let c = &i.certificate;
    match c.kind.value {
        CertKind::CaSigned => (
            c.cert.as_ref().map(|s| s.value.clone()).unwrap_or_default(),
            c.key.as_ref().map(|s| s.value.clone()).unwrap_or_default(),
        ),
        CertKind::Bundle => {
            let pem = c.pem.as_ref().map(|s| s.value.clone()).unwrap_or_default();
            (pem.clone(), pem)
        }
        CertKind::SelfSigned => (
            c.cert
                .as_ref()
                .map(|s| s.value.clone())
                .unwrap_or_else(|| SELF_SIGNED_CERT.to_string()),
            c.key
                .as_ref()
                .map(|s| s.value.clone())
                .unwrap_or_else(|| SELF_SIGNED_KEY.to_string()),
        ),
    }
}

/// The CA clients verify the nodes with (none for self-signed).
pub fn client_ca(cluster: &Cluster, i: &Influxdb) -> Option<String> {
    if i.certificate.kind.value == CertKind::SelfSigned {
        return None;
    }
    Some(match &i.certificate.ca {
        Some(ca) => ca.value.clone(),
        None => format!(
            "{}/{}",
            cluster.pki.dir.value.trim_end_matches('/'),
            cluster.pki.ca.value
        ),
    })
}

/// `[meta]` of a meta node's `influxdb-meta.conf` (F-I8; table 3.3).
pub fn meta_sections(i: &Influxdb) -> Vec<Section> {
    let insecure = i.certificate.kind.value == CertKind::SelfSigned;
    let (cert, key) = cert_and_key(i);
    let mut meta = vec![
        kv("https-enabled", toml_bool(true)),
        kv("https-certificate", toml_str(&cert)),
        kv("https-private-key", toml_str(&key)),
    ];
    if insecure {
        meta.push(kv("https-insecure-tls", toml_bool(true)));
    }
    if i.internode_tls.value {
        meta.push(kv("data-use-tls", toml_bool(true)));
        if insecure {
            meta.push(kv("data-insecure-tls", toml_bool(true)));
        }
    }
    vec![
        Section {
            name: "meta",
            keys: meta,
        },
        tls_section(i),
    ]
}

fn tls_section(i: &Influxdb) -> Section {
    Section {
        name: "tls",
        keys: vec![kv(
            "min-version",
            toml_str(i.tls_min_version.value.as_str()),
        )],
    }
}

/// `[meta]`, `[http]`, `[cluster]` (internode TLS only) and `[tls]` of a data node (F-I8; 3.1–3.5).
pub fn data_sections(i: &Influxdb) -> Vec<Section> {
    let insecure = i.certificate.kind.value == CertKind::SelfSigned;
    let (cert, key) = cert_and_key(i);
    let mut meta = vec![kv("meta-tls-enabled", toml_bool(true))];
    if insecure {
        meta.push(kv("meta-insecure-tls", toml_bool(true)));
    }
    let https = || {
        vec![
            kv("https-enabled", toml_bool(true)),
            kv("https-certificate", toml_str(&cert)),
            kv("https-private-key", toml_str(&key)),
        ]
    };
    let mut out = vec![
        Section {
            name: "meta",
            keys: meta,
        },
        Section {
            name: "http",
            keys: https(),
        },
    ];
    if i.internode_tls.value {
        let mut cluster = https();
        if insecure {
            cluster.push(kv("https-insecure-tls", toml_bool(true)));
        }
        out.push(Section {
            name: "cluster",
            keys: cluster,
        });
    }
    out.push(tls_section(i));
    out
}

/// Every InfluxDB artifact of the model.
pub fn render(cluster: &Cluster, templates: &Templates) -> Result<Vec<Artifact>, Problem> {
    let Some(i) = &cluster.influxdb else {
        return Ok(Vec::new());
    };
    let kind = i.certificate.kind.value;
    let mut out = Vec::new();
    for n in &i.meta_nodes {
        let ctx = ConfContext {
            host: &n.name,
            kind: kind.as_str(),
            sections: meta_sections(i),
        };
        out.push(
            Artifact::config(
                &n.name,
                META_CONF,
                templates.render("influxdb/influxdb-meta.conf.tera", &ctx)?,
            )
            .with_target(Target::Influxdb),
        );
    }
    for n in &i.data_nodes {
        let ctx = ConfContext {
            host: &n.name,
            kind: kind.as_str(),
            sections: data_sections(i),
        };
        out.push(
            Artifact::config(
                &n.name,
                DATA_CONF,
                templates.render("influxdb/influxdb.conf.tera", &ctx)?,
            )
            .with_target(Target::Influxdb),
        );
    }
    out.push(
        Artifact::config(
            ADMIN_HOST,
            RUNBOOK,
            templates.render("influxdb/RUNBOOK.md.tera", &runbook(cluster, i))?,
        )
        .with_target(Target::Influxdb),
    );
    Ok(out)
}

fn runbook<'a>(cluster: &Cluster, i: &'a Influxdb) -> RunbookContext<'a> {
    let self_signed = i.certificate.kind.value == CertKind::SelfSigned;
    let (cert, key) = cert_and_key(i);
    let days = i.certificate.days.as_ref().map(|d| d.value).unwrap_or(365);
    let names = |list: &[crate::model::InfluxNode]| -> Vec<NodeCmd> {
        list.iter()
            .map(|n| NodeCmd {
                name: n.name.value.clone(),
                command: String::new(),
            })
            .collect()
    };
    let mut nodes = Vec::new();
    for n in i.meta_nodes.iter().chain(&i.data_nodes) {
        if nodes.iter().any(|c: &NodeCmd| c.name == n.name.value) {
            continue;
        }
        nodes.push(NodeCmd {
            name: n.name.value.clone(),
            // IFX-TLS: openssl req -x509 -nodes -newkey rsa:2048 -keyout … -out … -days …
            command: format!(
                "sudo openssl req -x509 -nodes -newkey rsa:2048 -keyout {key} -out {cert} -days {days} \
                 -subj /CN={addr} -addext subjectAltName=DNS:{name},{san}",
                addr = n.address.value,
                name = n.name.value,
                san = san(&n.address.value),
            ),
        });
    }
    let owner = &i.file_owner.value;
    // F-I2: certificate 644, key 600, owned by the user influxd runs as.
    let permissions = if cert == key {
        vec![
            format!("sudo chown {owner} {cert}"),
            format!("sudo chmod 0600 {cert}"),
        ]
    } else {
        vec![
            format!("sudo chown {owner} {cert} {key}"),
            format!("sudo chmod 0644 {cert}"),
            format!("sudo chmod 0600 {key}"),
        ]
    };
    let files = if cert == key {
        vec![format!(
            "{cert}   (certificate and private key in one file)"
        )]
    } else {
        vec![
            format!("{cert}   (certificate)"),
            format!("{key}   (private key)"),
        ]
    };
    let k = if self_signed { " -k" } else { "" };
    let ca = client_ca(cluster, i);
    let influx_checks = i
        .data_nodes
        .iter()
        .map(|n| match &ca {
            Some(ca) => format!(
                "SSL_CERT_FILE={ca} influx -ssl -host {} -port {} -execute 'SHOW DATABASES'",
                n.address.value, i.http_port.value
            ),
            None => format!(
                "influx -ssl -unsafeSsl -host {} -port {} -execute 'SHOW DATABASES'",
                n.address.value, i.http_port.value
            ),
        })
        .collect();
    RunbookContext {
        kind: i.certificate.kind.value.as_str(),
        self_signed,
        meta: names(&i.meta_nodes),
        data: names(&i.data_nodes),
        nodes,
        files,
        permissions,
        meta_conf: META_CONF,
        data_conf: DATA_CONF,
        ctl_check: format!("influxd-ctl -bind-tls{k} show"),
        influx_checks,
    }
}

fn san(address: &str) -> String {
    if address.parse::<std::net::IpAddr>().is_ok() {
        format!("IP:{address}")
    } else {
        format!("DNS:{address}")
    }
}
