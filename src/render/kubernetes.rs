//! Kubernetes: an `EncryptionConfiguration` with the KMS provider first and `identity: {}` last
//! (FACTS section 5: F-K1 kind and apiVersion, F-K2 one provider per element, F-K3 the first
//! provider encrypts and identity reads what is still plain, F-K6 KMS fields, F-K7 v2 by default),
//! and a runbook with the verification (F-K8: the stored value starts with
//! `k8s:enc:kms:v2:<name>:`) and the re-encryption of existing secrets (F-K9).
//! Strings are written as YAML double-quoted scalars, encoded by serde_json (JSON strings are
//! valid YAML).

use serde::Serialize;

use super::{Artifact, Target, Templates};
use crate::diag::Problem;
use crate::model::{Cluster, KmsVersion, ADMIN_HOST};

pub const RUNBOOK: &str = "/root/tlsgen/kubernetes-RUNBOOK.md";

#[derive(Serialize)]
struct KmsContext {
    api_version: &'static str,
    name: String,
    endpoint: String,
}

#[derive(Serialize)]
struct Context {
    resources: Vec<String>,
    kms: KmsContext,
}

#[derive(Serialize)]
struct RunbookContext {
    resources: Vec<String>,
    api_version: &'static str,
    hosts: Vec<String>,
    path: String,
    prefix: String,
}

fn yaml_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The prefix of a value stored through this provider (F-K8).
pub fn storage_prefix(version: KmsVersion, name: &str) -> String {
    format!("k8s:enc:kms:{}:{name}:", version.as_str())
}

/// The configuration per control-plane host, and the runbook.
pub fn render(cluster: &Cluster, templates: &Templates) -> Result<Vec<Artifact>, Problem> {
    let Some(k) = &cluster.kubernetes else {
        return Ok(Vec::new());
    };
    let enc = &k.encryption;
    let ctx = Context {
        resources: enc.resources.iter().map(|r| yaml_str(r)).collect(),
        kms: KmsContext {
            api_version: enc.kms.api_version.value.as_str(),
            name: yaml_str(&enc.kms.name),
            endpoint: yaml_str(&enc.kms.endpoint),
        },
    };
    let content = templates.render("kubernetes/encryption-config.yaml.tera", &ctx)?;
    let hosts: Vec<String> = if k.control_plane.is_empty() {
        vec![ADMIN_HOST.to_string()]
    } else {
        k.control_plane.iter().map(|h| h.value.clone()).collect()
    };
    let mut out = Vec::new();
    for h in &hosts {
        let mut a = Artifact::config(h, &enc.path, content.clone()).with_target(Target::Kubernetes);
        // F-K4: readable only by the user kube-apiserver runs as.
        a.mode = 0o600;
        out.push(a);
    }
    let rb = RunbookContext {
        resources: enc.resources.iter().map(|r| r.value.clone()).collect(),
        api_version: enc.kms.api_version.value.as_str(),
        hosts,
        path: enc.path.value.clone(),
        prefix: storage_prefix(enc.kms.api_version.value, &enc.kms.name),
    };
    out.push(
        Artifact::config(
            ADMIN_HOST,
            RUNBOOK,
            templates.render("kubernetes/RUNBOOK.md.tera", &rb)?,
        )
        .with_target(Target::Kubernetes),
    );
    Ok(out)
}
