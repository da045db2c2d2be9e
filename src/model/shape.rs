//! The shape of a model, checked against the model's own JSON schema before serde reads it. serde
//! stops at the first problem; this walk reports every unknown or misplaced key, every value of the
//! wrong kind (a quoted number, a boolean where a port belongs) and every missing field in one run,
//! each at its place and in words that fit the value. The schema is generated from the types, so
//! the keys, types and descriptions checked here are those of `schemas/cluster.schema.json`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use marked_yaml::types::MarkedScalarNode;
use marked_yaml::Node;
use serde_json::{Map, Value};

use super::load::{at_loc, did_you_mean, marker_loc};
use super::spanned::Loc;
use crate::diag::{Problem, Source};

/// What the schema expects at one place of the model.
#[derive(Clone, Copy)]
enum Shape<'s> {
    /// A mapping with these properties (and `required`, `additionalProperties`).
    Object(&'s Map<String, Value>),
    /// A list of items of this schema.
    Array(&'s Value),
    Integer,
    Boolean,
    /// A string, or one of a set of strings.
    Text,
    /// Anything (no check here; serde decides).
    Any,
}

/// The model's JSON schema as a value; `Null` (no checks) in the impossible case it does not
/// serialize.
fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(super::types::Cluster)).unwrap_or(Value::Null)
    })
}

/// Every key of the model with the places it belongs (`""` for the top level, `etcd`,
/// `etcd.members[]`), in schema order.
fn key_places() -> &'static BTreeMap<String, Vec<String>> {
    static PLACES: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    PLACES.get_or_init(|| {
        let mut out = BTreeMap::new();
        let root = schema();
        index(root, shape_of(root, root), String::new(), &mut out, 0);
        out
    })
}

fn index(
    root: &Value,
    shape: Shape<'_>,
    path: String,
    out: &mut BTreeMap<String, Vec<String>>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    match shape {
        Shape::Object(map) => {
            for (key, sub) in properties(map) {
                out.entry(key.clone()).or_default().push(path.clone());
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                index(root, shape_of(root, sub), child, out, depth + 1);
            }
        }
        Shape::Array(items) => {
            index(
                root,
                shape_of(root, items),
                format!("{path}[]"),
                out,
                depth + 1,
            );
        }
        _ => {}
    }
}

fn properties(map: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    map.get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.iter())
}

/// The schema object behind a `$ref` (or a single `allOf`), for its description.
fn resolve<'s>(root: &'s Value, s: &'s Value) -> Option<&'s Map<String, Value>> {
    let map = s.as_object()?;
    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return root.get("definitions")?.get(name)?.as_object();
    }
    Some(map)
}

fn shape_of<'s>(root: &'s Value, s: &'s Value) -> Shape<'s> {
    shape_at(root, s, 0)
}

fn shape_at<'s>(root: &'s Value, s: &'s Value, depth: usize) -> Shape<'s> {
    let Some(map) = s.as_object() else {
        return Shape::Any;
    };
    if depth > 16 {
        return Shape::Any;
    }
    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return root
            .get("definitions")
            .and_then(|d| d.get(name))
            .map_or(Shape::Any, |d| shape_at(root, d, depth + 1));
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        if let Some(alternatives) = map.get(combinator).and_then(Value::as_array) {
            let shapes: Vec<Shape> = alternatives
                .iter()
                .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
                .map(|a| shape_at(root, a, depth + 1))
                .collect();
            return match shapes.as_slice() {
                [one] => *one,
                [_, ..] if shapes.iter().all(|s| matches!(s, Shape::Text)) => Shape::Text,
                _ => Shape::Any,
            };
        }
    }
    let types: Vec<&str> = match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let types: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    match types.as_slice() {
        ["object"] => Shape::Object(map),
        ["array"] => map.get("items").map_or(Shape::Any, Shape::Array),
        ["integer"] => Shape::Integer,
        ["boolean"] => Shape::Boolean,
        ["string"] => Shape::Text,
        [] if map.contains_key("enum") => Shape::Text,
        _ => Shape::Any,
    }
}

/// The result of the walk: every problem found, and whether each of them is an unknown key (then
/// the keys are gone from the tree and serde and validation can still run on the rest).
pub(crate) struct Checked {
    pub problems: Vec<Problem>,
    pub only_unknown_keys: bool,
}

/// Check a parsed model (nulls already dropped) against the schema; unknown keys are removed from
/// `node` as they are reported.
pub(crate) fn check(source: &Source, node: &mut Node) -> Checked {
    let root = schema();
    let mut walk = Walk {
        source,
        root,
        problems: Vec::new(),
        only_unknown_keys: true,
    };
    walk.node(node, shape_of(root, root), &Place::top());
    Checked {
        problems: walk.problems,
        only_unknown_keys: walk.only_unknown_keys,
    }
}

/// Where a value stands: its key (for messages), the key's position, the schema path of its
/// mapping (`etcd.members[]`) and the schema of the property (for its description and default).
#[derive(Clone)]
struct Place<'a> {
    name: String,
    key_loc: Option<Loc>,
    path: String,
    property: Option<&'a Map<String, Value>>,
}

impl Place<'_> {
    fn top() -> Self {
        Place {
            name: String::new(),
            key_loc: None,
            path: String::new(),
            property: None,
        }
    }
}

struct Walk<'a> {
    source: &'a Source,
    root: &'static Value,
    problems: Vec<Problem>,
    only_unknown_keys: bool,
}

impl Walk<'_> {
    fn push(&mut self, problem: Problem, loc: Option<Loc>) {
        self.only_unknown_keys = false;
        self.problems.push(at_loc(problem, self.source, loc));
    }

    fn node(&mut self, node: &mut Node, shape: Shape<'static>, place: &Place<'static>) {
        match (shape, node) {
            (Shape::Any, _) => {}
            (Shape::Object(schema), Node::Mapping(map)) => {
                let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
                let known: Vec<&'static str> =
                    properties(schema).map(|(k, _)| k.as_str()).collect();
                let mut unknown = Vec::new();
                for key in map.keys() {
                    if closed && !known.contains(&key.as_str()) {
                        unknown.push(key.as_str().to_string());
                        let problem = self.unknown_key(key, &known, &place.path);
                        self.problems.push(problem);
                    }
                }
                map.retain_with_order(|k, _| !unknown.iter().any(|u| u == k.as_str()));
                let required = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str);
                let first_key = map
                    .keys()
                    .next()
                    .and_then(|k| k.span().start())
                    .map(marker_loc);
                let here = first_key
                    .or_else(|| map.span().start().map(marker_loc))
                    .or(place.key_loc);
                for missing in required {
                    if !map.keys().any(|k| k.as_str() == missing) {
                        self.push(missing_field(missing), here);
                    }
                }
                for (key, value) in map.iter_mut() {
                    let Some(sub) = schema.get("properties").and_then(|p| p.get(key.as_str()))
                    else {
                        continue;
                    };
                    let child = Place {
                        name: key.as_str().to_string(),
                        key_loc: key.span().start().map(marker_loc),
                        path: if place.path.is_empty() {
                            key.as_str().to_string()
                        } else {
                            format!("{}.{}", place.path, key.as_str())
                        },
                        property: sub.as_object(),
                    };
                    self.node(value, shape_of(self.root, sub), &child);
                }
            }
            (Shape::Array(items), Node::Sequence(seq)) => {
                let item_shape = shape_of(self.root, items);
                for (i, item) in seq.iter_mut().enumerate() {
                    let child = Place {
                        name: format!("{}[{i}]", place.name),
                        key_loc: item.span().start().map(marker_loc).or(place.key_loc),
                        path: format!("{}[]", place.path),
                        property: resolve(self.root, items),
                    };
                    self.node(item, item_shape, &child);
                }
            }
            (Shape::Integer, Node::Scalar(s)) => self.integer(s, place),
            (Shape::Boolean, Node::Scalar(s)) => self.boolean(s, place),
            (Shape::Text, Node::Scalar(_)) => {}
            (shape, node) => self.wrong_kind(shape, node, place),
        }
    }

    /// A key that is not a field of its mapping: where it belongs when it is a field elsewhere,
    /// else the closest name (here, or elsewhere when that is much closer).
    fn unknown_key(&self, key: &MarkedScalarNode, known: &[&str], path: &str) -> Problem {
        let name = key.as_str();
        let loc = key.span().start().map(marker_loc);
        let allowed = known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let places = key_places();
        if let Some(elsewhere) = places.get(name).filter(|p| !p.is_empty()) {
            let best = closest_place(elsewhere, path);
            let others: Vec<String> = elsewhere
                .iter()
                .filter(|p| *p != best)
                .map(|p| format!("`{}`", section(p)))
                .collect();
            let mut help = format!("move it {}", destination(best));
            if !others.is_empty() {
                help.push_str(&format!("; it is also a field of {}", others.join(", ")));
            }
            return at_loc(
                Problem::error(
                    "model::unknown-field",
                    format!("`{name}` belongs {}, not here", destination(best)),
                )
                .with_label("misplaced field")
                .with_help(help),
                self.source,
                loc,
            );
        }
        let local = did_you_mean(name, known);
        let score = |candidate: &str| strsim::jaro_winkler(name, candidate);
        // The closest key of another level, when it is closer than anything allowed here.
        let remote = places
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .map(|(k, p)| (score(k), k, p))
            .filter(|(s, ..)| *s >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(s, ..)| local.is_none_or(|l| *s > score(l) + 1e-9));
        let mut help = match (remote, local) {
            (Some((_, k, p)), _) => format!(
                "did you mean `{k}`? it belongs {}; ",
                destination(closest_place(p, path))
            ),
            (None, Some(l)) => format!("did you mean `{l}`? "),
            (None, None) => String::new(),
        };
        help.push_str(&format!("allowed here: {allowed}"));
        at_loc(
            Problem::error("model::unknown-field", format!("unknown field `{name}`"))
                .with_label("not a field of this section")
                .with_help(help),
            self.source,
            loc,
        )
    }

    fn integer(&mut self, s: &MarkedScalarNode, place: &Place<'static>) {
        let value = s.as_str();
        let loc = s.span().start().map(marker_loc);
        let expected = expected_integer(&place.name);
        let example = format!("`{}: {}`", base_name(&place.name), example_integer(place));
        if !s.may_coerce() {
            let numeric = value.trim().parse::<i128>().is_ok();
            let help = if numeric {
                format!(
                    "write it without quotes: `{}: {}`; quoted, it is text",
                    base_name(&place.name),
                    value.trim()
                )
            } else {
                format!("write a whole number without quotes, e.g. {example}")
            };
            self.push(
                Problem::error(
                    "model::type",
                    format!("{}: expected {expected}, found a quoted string", place.name),
                )
                .with_label("quoted")
                .with_help(help),
                loc,
            );
            return;
        }
        let found = if is_bool_word(value) {
            "a boolean".to_string()
        } else if let Ok(n) = value.parse::<i128>() {
            if n >= 0 {
                return; // serde checks the range and says so
            }
            "a negative number".to_string()
        } else if value.chars().any(|c| c.is_ascii_digit()) && value.parse::<f64>().is_ok() {
            "a decimal number".to_string()
        } else {
            format!("text `{value}`")
        };
        self.push(
            Problem::error(
                "model::type",
                format!("{}: expected {expected}, found {found}", place.name),
            )
            .with_label(format!("not {}", short_integer(&place.name)))
            .with_help(format!(
                "write {}, e.g. {example}",
                plain_integer(&place.name)
            )),
            loc,
        );
    }

    fn boolean(&mut self, s: &MarkedScalarNode, place: &Place<'static>) {
        let value = s.as_str();
        let loc = s.span().start().map(marker_loc);
        if !s.may_coerce() {
            let help = if is_bool_word(value.trim()) {
                format!(
                    "write it without quotes: `{}: {}`; quoted, it is text, and tlsgen does not \
                     guess what a text means for a security switch",
                    base_name(&place.name),
                    value.trim().to_ascii_lowercase()
                )
            } else {
                "write `true` or `false` without quotes".to_string()
            };
            self.push(
                Problem::error(
                    "model::type",
                    format!(
                        "{}: expected `true` or `false`, found a quoted string",
                        place.name
                    ),
                )
                .with_label("quoted")
                .with_help(help),
                loc,
            );
            return;
        }
        if s.as_bool().is_some() {
            return;
        }
        self.push(
            Problem::error(
                "model::type",
                format!("{} must be `true` or `false`", base_name(&place.name)),
            )
            .with_label("not `true` or `false`")
            .with_help(
                "write `true` or `false` (YAML 1.1 words such as `yes` or `on` are not accepted)",
            ),
            loc,
        );
    }

    /// A mapping, a list or a single value where another of the three belongs.
    fn wrong_kind(&mut self, shape: Shape<'_>, node: &Node, place: &Place<'static>) {
        let found = match node {
            Node::Mapping(_) => "a mapping".to_string(),
            Node::Sequence(_) => "a list".to_string(),
            Node::Scalar(s) if s.may_coerce() && is_bool_word(s.as_str()) => "a boolean".into(),
            Node::Scalar(s) if s.may_coerce() && s.as_str().parse::<f64>().is_ok() => {
                "a number".into()
            }
            Node::Scalar(s) => format!("text `{}`", s.as_str()),
        };
        let item = place.name.ends_with(']');
        let (expected, how) = match shape {
            Shape::Object(_) if item => (
                "a mapping of fields".to_string(),
                format!(
                    "write each item of `{}:` as a mapping of its fields (`- {{ key: value, ... }}`)",
                    base_name(&place.name)
                ),
            ),
            Shape::Object(_) => (
                "a mapping of fields".to_string(),
                format!("write its fields indented under `{}:`", base_name(&place.name)),
            ),
            Shape::Array(_) => (
                "a list".to_string(),
                format!(
                    "write one `- ` item per line under `{}:`",
                    base_name(&place.name)
                ),
            ),
            Shape::Integer => (
                expected_integer(&place.name),
                format!("write {}", plain_integer(&place.name)),
            ),
            Shape::Boolean => (
                "`true` or `false`".to_string(),
                "write `true` or `false`".to_string(),
            ),
            Shape::Text | Shape::Any => (
                "a single value".to_string(),
                "write one value on the line of its key".to_string(),
            ),
        };
        let help = match place
            .property
            .and_then(|p| p.get("description"))
            .and_then(Value::as_str)
        {
            Some(d) if item => format!("{how}; an item: {}", lower_first(d)),
            Some(d) => format!("{how}; {}: {}", base_name(&place.name), lower_first(d)),
            None => how,
        };
        // A scalar is pointed at itself; a mapping or a list at its key.
        let loc = match node {
            Node::Scalar(s) => s.span().start().map(marker_loc).or(place.key_loc),
            _ => place
                .key_loc
                .or_else(|| node.span().start().map(marker_loc)),
        };
        self.push(
            Problem::error(
                "model::type",
                format!("{}: expected {expected}, found {found}", place.name),
            )
            .with_label(format!("not {expected}"))
            .with_help(help),
            loc,
        );
    }
}

/// The problem of a mapping without a required field.
pub(crate) fn missing_field(missing: &str) -> Problem {
    Problem::error("model::missing-field", format!("missing field `{missing}`"))
        .with_label(format!("this mapping has no `{missing}`"))
        .with_help(format!(
            "add `{missing}:` here; see examples/cluster.yaml and schemas/cluster.schema.json"
        ))
}

/// YAML 1.2 core booleans (the words serde reads as a boolean).
fn is_bool_word(value: &str) -> bool {
    matches!(
        value,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// `members[0]` -> `members`: the key as written in the file.
fn base_name(name: &str) -> &str {
    name.split('[').next().unwrap_or(name)
}

fn expected_integer(name: &str) -> String {
    let name = base_name(name);
    if name.ends_with("port") {
        "a port number (integer 1-65535)".to_string()
    } else if name == "version" {
        "the model version (the integer 1)".to_string()
    } else if name.ends_with("days") {
        "a number of days (a whole number)".to_string()
    } else {
        "a whole number".to_string()
    }
}

fn short_integer(name: &str) -> &'static str {
    let name = base_name(name);
    if name.ends_with("port") {
        "a port number"
    } else if name.ends_with("days") {
        "a number of days"
    } else {
        "a whole number"
    }
}

fn plain_integer(name: &str) -> &'static str {
    let name = base_name(name);
    if name.ends_with("port") {
        "a number from 1 to 65535"
    } else if name == "version" {
        "`version: 1`"
    } else {
        "a whole number"
    }
}

/// A value to show in an example: the property's default, else the usual port of that name.
fn example_integer(place: &Place<'_>) -> u64 {
    if let Some(n) = place
        .property
        .and_then(|p| p.get("default"))
        .and_then(Value::as_u64)
    {
        return n;
    }
    match base_name(&place.name) {
        "client_port" => 2379,
        "peer_port" => 2380,
        "legacy_port" => 4001,
        "http_port" => 8086,
        "validity_days" => 365,
        "ca_validity_days" => 3650,
        _ => 1,
    }
}

/// Of the places a key belongs, the one that shares the most of `path` (its nearest section).
fn closest_place<'p>(places: &'p [String], path: &str) -> &'p str {
    let shared = |p: &str| {
        p.split('.')
            .zip(path.split('.'))
            .take_while(|(a, b)| a == b && !a.is_empty())
            .count()
    };
    places
        .iter()
        .max_by_key(|p| (shared(p), std::cmp::Reverse(p.len())))
        .map(String::as_str)
        .unwrap_or_default()
}

/// `etcd.members[]` -> `etcd.members`.
fn section(path: &str) -> &str {
    path.strip_suffix("[]").unwrap_or(path)
}

/// Where a key goes, as a phrase: "under `etcd:`", "into each item of `etcd.members:`".
fn destination(path: &str) -> String {
    if path.is_empty() {
        "to the top level of the model".to_string()
    } else if let Some(list) = path.strip_suffix("[]") {
        format!("into an item of `{list}:`")
    } else {
        format!("under `{path}:`")
    }
}

fn lower_first(s: &str) -> String {
    crate::diag::parser_message(s)
}
