//! Parse `cluster.yaml` into the typed model, turning every YAML and serde error into a
//! [`Problem`] that points at the offending line and column.

use marked_yaml::{LoadError, LoaderOptions, Node};

use super::spanned::Loc;
use super::types::Cluster;
use crate::diag::{Problem, Source};

/// Largest model file tlsgen reads, as a guard against runaway input.
pub const MAX_MODEL_BYTES: usize = 4 * 1024 * 1024;

/// Parse and type-check a model. Semantic validation is [`super::validate`].
pub fn parse(source: &Source) -> Result<Cluster, Vec<Problem>> {
    if source.text.len() > MAX_MODEL_BYTES {
        return Err(vec![Problem::error(
            "model::too-large",
            format!("{} is larger than {} bytes", source.name, MAX_MODEL_BYTES),
        )
        .with_help("a cluster model is a few kilobytes; check that this is the right file")]);
    }
    let options = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .toplevel_mapping();
    let node = marked_yaml::parse_yaml_with_options(0, source.text.as_str(), options)
        .map_err(|e| vec![load_problem(source, e)])?;
    marked_yaml::from_node::<Cluster>(&node).map_err(|e| vec![serde_problem(source, &node, e)])
}

pub(crate) fn at_loc(problem: Problem, source: &Source, loc: Option<Loc>) -> Problem {
    match loc {
        Some(loc) => {
            let offset = source.offset(loc.line, loc.column);
            let len = source.token_len(offset);
            problem.at(source, offset, len)
        }
        None => problem,
    }
}

fn marker_loc(m: &marked_yaml::Marker) -> Loc {
    Loc {
        line: m.line(),
        column: m.column(),
    }
}

fn load_problem(source: &Source, err: LoadError) -> Problem {
    match err {
        LoadError::TopLevelMustBeMapping(m) | LoadError::TopLevelMustBeSequence(m) => at_loc(
            Problem::error("model::syntax", "the model must be a YAML mapping")
                .with_label("expected `version: 1` and the sections of the model here")
                .with_help("start the file with `version: 1`; see examples/cluster.yaml"),
            source,
            Some(marker_loc(&m)),
        ),
        LoadError::UnexpectedAnchor(m) => at_loc(
            Problem::error("model::anchor", "YAML anchors and aliases are not accepted in a model")
                .with_label("anchor")
                .with_help("write the values out; a model is small, and aliases hide what a host gets"),
            source,
            Some(marker_loc(&m)),
        ),
        LoadError::MappingKeyMustBeScalar(m) => at_loc(
            Problem::error("model::syntax", "a mapping key must be a plain string")
                .with_label("complex key")
                .with_help("use a plain string as the key"),
            source,
            Some(marker_loc(&m)),
        ),
        LoadError::UnexpectedTag(m) => at_loc(
            Problem::error("model::syntax", "YAML tags are not accepted in a model")
                .with_label("tag")
                .with_help("remove the `!tag`; the model's types come from its keys"),
            source,
            Some(marker_loc(&m)),
        ),
        LoadError::ScanError(m, e) => {
            let offset = source.offset(m.line(), m.column());
            Problem::error("model::syntax", format!("invalid YAML: {}", e.info()))
                .with_label("here")
                .with_help("fix the YAML syntax (indentation, quotes, brackets) at this place")
                .at(source, offset, 1)
        }
        LoadError::DuplicateKey(inner) => {
            let key = inner.key.as_str().to_string();
            let first = inner.prev_key.span().start().map(|m| m.line()).unwrap_or(0);
            at_loc(
                Problem::error("model::duplicate-key", format!("key `{key}` is given twice"))
                    .with_label("second definition")
                    .with_help(format!(
                        "remove one of them; the first is on line {first}, and YAML keeps only one"
                    )),
                source,
                inner.key.span().start().map(marker_loc),
            )
        }
    }
}

fn serde_problem(source: &Source, root: &Node, err: marked_yaml::FromNodeError) -> Problem {
    use marked_yaml::Error as E;
    let inner = err.into_inner();
    let loc = inner.start_mark().map(|m| marker_loc(&m));
    match inner {
        E::UnknownFieldError(field, expected, _) => {
            let loc = loc.or_else(|| find_key(root, &field));
            let mut help = match did_you_mean(&field, expected) {
                Some(s) => format!("did you mean `{s}`? "),
                None => String::new(),
            };
            help.push_str(&format!(
                "allowed here: {}",
                expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
            ));
            at_loc(
                Problem::error("model::unknown-field", format!("unknown field `{field}`"))
                    .with_label("not a field of this section")
                    .with_help(help),
                source,
                loc,
            )
        }
        E::NotBoolean(_) => at_loc(
            Problem::error("model::type", "expected a boolean")
                .with_label("not `true` or `false`")
                .with_help("write `true` or `false` (YAML 1.1 words such as `yes` or `on` are not accepted)"),
            source,
            loc,
        ),
        E::IntegerParseFailure(e, _) => at_loc(
            Problem::error("model::type", format!("expected a whole number: {e}"))
                .with_label("not a valid number here")
                .with_help("ports are whole numbers from 1 to 65535; `version` is 1"),
            source,
            loc,
        ),
        E::FloatParseFailure(e, _) => at_loc(
            Problem::error("model::type", format!("expected a number: {e}"))
                .with_label("not a number")
                .with_help("write a plain number"),
            source,
            loc,
        ),
        E::Other(msg, _) => {
            let help = if msg.starts_with("missing field") {
                "add the field; see examples/cluster.yaml and schemas/cluster.schema.json".to_string()
            } else if msg.starts_with("unknown variant") {
                "use one of the values listed; quote version-like values (\"3.x\")".to_string()
            } else {
                "check the value's type against schemas/cluster.schema.json".to_string()
            };
            at_loc(
                Problem::error("model::type", msg)
                    .with_label("here")
                    .with_help(help),
                source,
                loc,
            )
        }
    }
}

/// Where a mapping key with this name first appears (serde's unknown-field errors carry no place).
fn find_key(node: &Node, key: &str) -> Option<Loc> {
    match node {
        Node::Mapping(map) => {
            for (k, v) in map.iter() {
                if k.as_str() == key {
                    return k.span().start().map(marker_loc);
                }
                if let Some(loc) = find_key(v, key) {
                    return Some(loc);
                }
            }
            None
        }
        Node::Sequence(seq) => seq.iter().find_map(|n| find_key(n, key)),
        Node::Scalar(_) => None,
    }
}

/// The closest expected name, if it is close enough to be a typo.
pub fn did_you_mean<'a>(got: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|e| (strsim::jaro_winkler(got, e), *e))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, e)| e)
}
