//! The committed JSON Schema is the one the model types generate.

mod common;

#[test]
fn committed_schema_matches_the_model_types() {
    let path = common::repo_root().join("schemas/cluster.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = tlsgen::model::json_schema();
    assert!(
        committed == generated,
        "schemas/cluster.schema.json is stale: run `cargo run -- schema` and commit the result"
    );
}

#[test]
fn schema_is_json_and_describes_the_model() {
    let schema: serde_json::Value = serde_json::from_str(&tlsgen::model::json_schema()).unwrap();
    assert_eq!(schema["title"], "tlsgen cluster model");
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown top-level fields are errors"
    );
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(required.contains(&"version"));
    assert!(schema["properties"]["etcd"].is_object());
}

#[test]
fn schema_check_subcommand_agrees() {
    let out = common::run_in(
        &common::repo_root(),
        &["schema", "--check", "--out", "schemas/cluster.schema.json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "`tlsgen schema --check` disagrees: {}",
        common::text(&out.stderr)
    );
}
