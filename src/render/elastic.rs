//! DC/OS Elastic: the options JSON that turns on transport encryption (DC/OS Elastic "Configuring
//! TLS"; FACTS section 6), for `dcos package install` or for an update of a running service, and a
//! runbook with the `dcos security` and `dcos package` command lines (F-D4, F-D5).
//!
//! The JSON is built with serde_json rather than a template: serde_json escapes every string and
//! its maps are ordered by key, so the output is valid and stable by construction, and
//! [`check_options`] can check the very value that is written against the schema facts.
//!
//! JSON has no comments, so the options file carries no tlsgen header. Each JSON artifact is
//! accompanied by a stamp file (`<name>.tlsgen`, see [`super::merge::stamp`]) holding a hash of
//! the JSON written; `render` overwrites the JSON only when the stamp vouches for what is on disk.

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{Artifact, Target, Templates};
use crate::diag::Problem;
use crate::model::{Cluster, Elastic, ElasticMode, ADMIN_HOST};

pub const DIR: &str = "/root/tlsgen";
pub const INSTALL_JSON: &str = "/root/tlsgen/elastic-options.json";
pub const UPDATE_JSON: &str = "/root/tlsgen/elastic-options-update.json";
pub const SERIAL_JSON: &str = "/root/tlsgen/elastic-options-serial.json";
pub const RUNBOOK: &str = "/root/tlsgen/elastic-RUNBOOK.md";

/// `service` keys the package schema requires (F-D1).
pub const SERVICE_REQUIRED: &[&str] = &["name", "user", "deploy_strategy", "update_strategy"];
/// `elasticsearch` keys known from the schema facts (F-D2); the schema has
/// `additionalProperties: false`, so tlsgen never writes any other.
pub const ELASTICSEARCH_KNOWN: &[&str] = &[
    "xpack_security_enabled",
    "health_user",
    "health_user_password",
    "xpack_enabled",
    "xpack_security_transport_ssl_client_authentication",
    "xpack_security_transport_ssl_verification_mode",
    "xpack_security_http_ssl_client_authentication",
    "xpack_security_audit_enabled",
    "http_cors_allow_origin",
];

/// The options object, with `update_strategy` (`parallel` for the TLS toggle, `serial` otherwise;
/// F-D1 default `serial`, F-D5).
pub fn options(e: &Elastic, update_strategy: &str) -> Value {
    let mut root = Map::new();
    root.insert(
        "service".into(),
        json!({
            "name": e.service_name.value,
            "user": "nobody",
            "deploy_strategy": "parallel",
            "update_strategy": update_strategy,
            "service_account": e.service_account.value,
            "service_account_secret": e.service_account_secret.value,
            "security": { "transport_encryption": { "enabled": true } },
        }),
    );
    if e.legacy_xpack.value {
        // F-D4: packages up to 6.2 need X-Pack for transport encryption.
        root.insert("elasticsearch".into(), json!({ "xpack_enabled": true }));
    }
    Value::Object(root)
}

/// Check an options value against the schema facts (F-D1, F-D2): types, enums, required keys,
/// no unknown key under `elasticsearch`. Returns what is wrong, empty when it conforms.
pub fn check_options(v: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let Some(service) = v.get("service").and_then(Value::as_object) else {
        return vec!["`service` must be an object".into()];
    };
    for k in SERVICE_REQUIRED {
        if !service.contains_key(*k) {
            errs.push(format!("service.{k} is required"));
        }
    }
    for k in ["name", "user", "service_account", "service_account_secret"] {
        if service.get(k).is_some_and(|x| !x.is_string()) {
            errs.push(format!("service.{k} must be a string"));
        }
    }
    for k in ["deploy_strategy", "update_strategy"] {
        if let Some(x) = service.get(k) {
            if !matches!(x.as_str(), Some("parallel" | "serial")) {
                errs.push(format!("service.{k} must be `parallel` or `serial`"));
            }
        }
    }
    let te = service
        .get("security")
        .and_then(|s| s.get("transport_encryption"));
    match te.and_then(|t| t.get("enabled")) {
        Some(Value::Bool(_)) => {}
        _ => errs.push("service.security.transport_encryption.enabled must be a boolean".into()),
    }
    if let Some(es) = v.get("elasticsearch") {
        match es.as_object() {
            Some(es) => {
                for k in es.keys() {
                    if !ELASTICSEARCH_KNOWN.contains(&k.as_str()) {
                        errs.push(format!(
                            "elasticsearch.{k} is not in the schema (additionalProperties: false)"
                        ));
                    }
                }
                if es.get("xpack_enabled").is_some_and(|x| !x.is_boolean()) {
                    errs.push("elasticsearch.xpack_enabled must be a boolean".into());
                }
            }
            None => errs.push("`elasticsearch` must be an object".into()),
        }
    }
    errs
}

fn json_artifact(path: &str, value: &Value) -> Result<Artifact, Problem> {
    let errs = check_options(value);
    if !errs.is_empty() {
        return Err(Problem::error(
            "render::elastic-schema",
            format!("options JSON breaks the schema: {}", errs.join("; ")),
        )
        .with_help("this is a bug in tlsgen; please report it with the model"));
    }
    let mut content = serde_json::to_string_pretty(value).map_err(|e| {
        Problem::error("render::json", format!("cannot write JSON: {e}"))
            .with_help("this is a bug in tlsgen")
    })?;
    content.push('\n');
    let mut a = Artifact::config(ADMIN_HOST, path, content).with_target(Target::Elastic);
    a.comment = None;
    Ok(a)
}

#[derive(Serialize)]
struct RunbookContext {
    service: String,
    mode: &'static str,
    security: Vec<String>,
    commands: Vec<String>,
    update_file: &'static str,
    serial_command: String,
}

/// The Elastic artifacts: options JSON (with stamps) and the runbook.
pub fn render(cluster: &Cluster, templates: &Templates) -> Result<Vec<Artifact>, Problem> {
    let Some(e) = &cluster.elastic else {
        return Ok(Vec::new());
    };
    let svc = e.service_name.value.as_str();
    let folder = svc.trim_start_matches('/');
    let account = &e.service_account.value;
    let secret = &e.service_account_secret.value;
    // F-D4 (DC/OS 1.11+ permissions).
    let security = vec![
        "dcos security org service-accounts keypair elastic-private-key.pem elastic-public-key.pem".to_string(),
        format!("dcos security org service-accounts create -p elastic-public-key.pem -d \"{svc} service account\" {account}"),
        format!("dcos security secrets create-sa-secret --strict elastic-private-key.pem {account} {secret}"),
        format!("dcos security org users grant {account} dcos:secrets:default:/{folder}/* full"),
        format!("dcos security org users grant {account} dcos:secrets:list:default:/{folder} read"),
        format!("dcos security org users grant {account} dcos:adminrouter:ops:ca:rw full"),
        format!("dcos security org users grant {account} dcos:adminrouter:ops:ca:ro full"),
    ];
    let mut out = Vec::new();
    let (mode, commands) = match e.mode.value {
        ElasticMode::Install => {
            out.push(json_artifact(INSTALL_JSON, &options(e, "serial"))?);
            (
                "install",
                vec![format!(
                    "dcos package install elastic --options={INSTALL_JSON}"
                )],
            )
        }
        ElasticMode::Update => {
            out.push(json_artifact(UPDATE_JSON, &options(e, "parallel"))?);
            out.push(json_artifact(SERIAL_JSON, &options(e, "serial"))?);
            (
                "update",
                vec![
                    format!("dcos elastic --name={svc} update start --options={UPDATE_JSON}"),
                    format!("dcos elastic --name={svc} update status"),
                ],
            )
        }
    };
    let stamps: Vec<Artifact> = out.iter().map(super::merge::stamp).collect();
    out.extend(stamps);
    let ctx = RunbookContext {
        service: svc.to_string(),
        mode,
        security,
        commands,
        update_file: UPDATE_JSON,
        serial_command: format!("dcos elastic --name={svc} update start --options={SERIAL_JSON}"),
    };
    out.push(
        Artifact::config(
            ADMIN_HOST,
            RUNBOOK,
            templates.render("elastic/RUNBOOK.md.tera", &ctx)?,
        )
        .with_target(Target::Elastic),
    );
    Ok(out)
}
