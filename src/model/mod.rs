//! The cluster model: serde types of `cluster.yaml`, its loader and its validation.

mod load;
mod shape;
mod spanned;
mod targets;
mod types;
mod validate;
mod validate_targets;

pub use load::{did_you_mean, parse, too_deep, MAX_MODEL_BYTES, MAX_YAML_DEPTH};
pub use spanned::{Loc, Sp};
pub use targets::*;
pub use types::*;
pub use validate::{is_dns_label, validate};
pub use validate_targets::ADMIN_HOST;

use std::path::Path;

use crate::diag::{io_problem, Problem, Source};

/// A model that parsed and validated, with the warnings validation produced.
#[derive(Debug)]
pub struct Loaded {
    pub cluster: Cluster,
    pub source: Source,
    pub warnings: Vec<Problem>,
}

/// The model's file name as generated files cite it (no directory: the same bytes on every machine).
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cluster.yaml".to_string())
}

/// Read, parse and validate a model file. Errors (all of them, not just the first) are returned
/// together; warnings travel with the model.
pub fn load_file(path: &Path) -> Result<Loaded, Vec<Problem>> {
    let text = std::fs::read_to_string(path).map_err(|e| vec![io_problem("read", path, &e)])?;
    load_str(&path.display().to_string(), &text)
}

/// Parse and validate a model held in memory (`name` is shown in diagnostics).
pub fn load_str(name: &str, text: &str) -> Result<Loaded, Vec<Problem>> {
    let source = Source::new(name, text);
    let (cluster, mut problems) = load::parse_all(&source);
    let Some(cluster) = cluster else {
        return Err(problems);
    };
    // Unknown keys (left out of `cluster`) and validation errors are reported together.
    let (errors, warnings): (Vec<_>, Vec<_>) = validate(&cluster, &source)
        .into_iter()
        .partition(Problem::is_error);
    problems.extend(errors);
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.span.map(|(offset, _)| offset));
        return Err(problems);
    }
    Ok(Loaded {
        cluster,
        source,
        warnings,
    })
}

/// The error of a model that describes no target: render and certs would write nothing, and an
/// operator who ran them expects files (a misspelt or mis-indented section is the usual cause).
pub fn no_target(loaded: &Loaded) -> Option<Problem> {
    if loaded.cluster.has_target() {
        return None;
    }
    let problem = Problem::error("model::no-target", "the model describes no target")
        .with_label("no target section in this model")
        .with_help(
            "add at least one of the sections `etcd:`, `influxdb:`, `telegraf:`, `elastic:` or \
             `kubernetes:`; see examples/cluster.yaml",
        );
    Some(load::at_loc(
        problem,
        &loaded.source,
        loaded.cluster.version.loc,
    ))
}

/// The JSON Schema of the model, generated from the types (committed as schemas/cluster.schema.json).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Cluster);
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema always serializes");
    s.push('\n');
    s
}
