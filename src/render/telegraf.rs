//! Telegraf: `[[outputs.influxdb]]` writing over HTTPS (FACTS section 4).
//!
//! `https://` urls to the data nodes or a load balancer (F-T6), `tls_ca` and never the removed
//! `ssl_*` names (F-T5), `tls_cert`/`tls_key` only as a pair (F-T4), `insecure_skip_verify = true`
//! only when the model opts in (F-T6), and the password as the environment reference
//! `$INFLUX_PASSWORD` (F-T1: `password` is a secret; Telegraf substitutes `$VAR` in its config).

use serde::Serialize;

use super::influxdb::toml_str;
use super::{Artifact, Target, Templates, Var};
use crate::diag::Problem;
use crate::model::{Cluster, Telegraf, TelegrafAgent};

pub const CONF: &str = "/etc/telegraf/telegraf.conf";
/// The array of tables tlsgen writes and merges into.
pub const TABLE: &str = "outputs.influxdb";
/// The environment reference of the password; never a literal.
pub const PASSWORD_REF: &str = "$INFLUX_PASSWORD";
/// Keys of `[[outputs.influxdb]]` tlsgen owns even when it does not write them: a merge removes
/// them (the removed `ssl_*` names, F-T5; an unpaired or dropped client key pair; the insecure switch).
pub const REMOVED_WHEN_ABSENT: &[(&str, &str)] = &[
    (TABLE, "ssl_ca"),
    (TABLE, "ssl_cert"),
    (TABLE, "ssl_key"),
    (TABLE, "tls_cert"),
    (TABLE, "tls_key"),
    (TABLE, "insecure_skip_verify"),
];

#[derive(Serialize)]
struct Context<'a> {
    host: &'a str,
    keys: Vec<Var>,
}

fn kv(name: &str, value: String) -> Var {
    Var {
        name: name.to_string(),
        value,
    }
}

/// The `https://` urls the agents write to.
pub fn urls(cluster: &Cluster, t: &Telegraf) -> Vec<String> {
    let port = cluster
        .influxdb
        .as_ref()
        .map(|i| i.http_port.value)
        .unwrap_or(8086);
    match &t.load_balancer {
        Some(lb) => vec![format!("https://{}:{port}", super::etcd::url_host(lb))],
        None => cluster
            .influxdb
            .iter()
            .flat_map(|i| &i.data_nodes)
            .map(|n| format!("https://{}:{port}", super::etcd::url_host(&n.address)))
            .collect(),
    }
}

/// The keys of one agent's `[[outputs.influxdb]]`, values encoded as TOML.
pub fn output_keys(cluster: &Cluster, t: &Telegraf, a: &TelegrafAgent) -> Vec<Var> {
    let mut urls_value = toml_edit::Array::new();
    for u in urls(cluster, t) {
        urls_value.push(u);
    }
    let mut keys = vec![
        kv("urls", toml_edit::Value::Array(urls_value).to_string()),
        kv("database", toml_str(&t.database)),
        kv("username", toml_str(&t.username)),
        kv("password", toml_str(PASSWORD_REF)),
        kv("tls_ca", toml_str(&a.ca)),
    ];
    if let (Some(cert), Some(key)) = (&a.cert, &a.key) {
        keys.push(kv("tls_cert", toml_str(cert)));
        keys.push(kv("tls_key", toml_str(key)));
    }
    if a.insecure_skip_verify.value {
        keys.push(kv("insecure_skip_verify", "true".to_string()));
    }
    keys
}

/// One `telegraf.conf` per agent.
pub fn render(cluster: &Cluster, templates: &Templates) -> Result<Vec<Artifact>, Problem> {
    let Some(t) = &cluster.telegraf else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for a in &t.agents {
        let ctx = Context {
            host: &a.name,
            keys: output_keys(cluster, t, a),
        };
        out.push(
            Artifact::config(
                &a.name,
                CONF,
                templates.render("telegraf/telegraf.conf.tera", &ctx)?,
            )
            .with_target(Target::Telegraf),
        );
    }
    Ok(out)
}
