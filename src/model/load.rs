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
    match parse_all(source) {
        (Some(cluster), problems) if problems.is_empty() => Ok(cluster),
        (_, problems) => Err(problems),
    }
}

/// Parse and type-check a model, reporting every problem of its shape at once (each unknown key,
/// each value of the wrong kind, each missing field). When the only problems are unknown keys,
/// they are left out and the rest still becomes a model, so that validation can report its own
/// problems in the same run.
pub(crate) fn parse_all(source: &Source) -> (Option<Cluster>, Vec<Problem>) {
    let (cluster, mut problems) = match parse_checked(source) {
        Ok((cluster, problems)) => (cluster, problems),
        Err(problems) => (None, problems),
    };
    // In the order of the file (the walk reports a section's keys before what is inside them).
    problems.sort_by_key(|p| p.span.map(|(offset, _)| offset));
    (cluster, problems)
}

type Parsed = (Option<Cluster>, Vec<Problem>);

fn parse_checked(source: &Source) -> Result<Parsed, Vec<Problem>> {
    if is_empty_model(&source.text) {
        return Err(vec![empty_model(source)]);
    }
    if source.text.len() > MAX_MODEL_BYTES {
        return Err(vec![Problem::error(
            "model::too-large",
            format!("{} is larger than {} bytes", source.name, MAX_MODEL_BYTES),
        )
        .with_help(
            "a cluster model is a few kilobytes; check that this is the right file",
        )]);
    }
    if let Some((depth, offset)) = too_deep(&source.text) {
        return Err(vec![Problem::error(
            "model::too-deep",
            format!("the model nests deeper than {MAX_YAML_DEPTH} levels"),
        )
        .with_label(format!("level {depth}"))
        .with_help("a cluster model nests a few levels; check that this is the right file")
        .at(source, offset, 1)]);
    }
    // A quoted scalar stays text (`"2379"`, `"false"`): the shape check refuses it where a number
    // or a boolean belongs, as the schema does, instead of serde reading it as one.
    let options = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .prevent_coercion(true)
        .toplevel_mapping();
    let mut node = marked_yaml::parse_yaml_with_options(0, source.text.as_str(), options)
        .map_err(|e| vec![load_problem(source, e)])?;
    let mut extents = std::collections::BTreeMap::new();
    scalar_extents(source, &node, &mut extents);
    source.record_scalars(extents);
    drop_nulls(&mut node);
    let checked = super::shape::check(source, &mut node);
    let mut problems = checked.problems;
    if !checked.only_unknown_keys {
        return Err(problems);
    }
    match marked_yaml::from_node::<Cluster>(&node) {
        Ok(cluster) => Ok((Some(cluster), problems)),
        Err(e) => {
            problems.push(serde_problem(source, &node, e));
            Err(problems)
        }
    }
}

/// Whether a model file holds nothing: blank lines, comments and document markers only.
fn is_empty_model(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty()
            || line.starts_with('#')
            || ["---", "..."].iter().any(|m| {
                line.strip_prefix(m).is_some_and(|rest| {
                    rest.trim().is_empty() || rest.trim_start().starts_with('#')
                })
            })
    })
}

fn empty_model(source: &Source) -> Problem {
    let problem = Problem::error(
        "model::empty",
        format!("the model {} is empty", source.name),
    )
    .with_label("nothing but comments and blank lines")
    .with_help(
        "a model starts with `version: 1` and describes at least one target, such as an \
             `etcd:` section with `release: \"3.x\"` and `members:`; examples/cluster.yaml is a \
             complete model",
    );
    if source.text.trim().is_empty() {
        problem
    } else {
        problem.at(source, 0, source.text.trim_end().len())
    }
}

/// The extent of every scalar (keys included) as the parser read it, so a diagnostic spans the
/// whole value (`a,b` in block context is one value; a quoted value ends at its closing quote).
fn scalar_extents(
    source: &Source,
    node: &Node,
    out: &mut std::collections::BTreeMap<usize, usize>,
) {
    let scalar = |s: &marked_yaml::types::MarkedScalarNode,
                  out: &mut std::collections::BTreeMap<usize, usize>| {
        // An empty (null) scalar has no text of its own; its marker may sit on the next token.
        if let (Some(m), false) = (s.span().start(), s.as_str().is_empty()) {
            let offset = source.offset(m.line(), m.column());
            if let Some(len) = crate::diag::yaml_scalar_len(&source.text, offset, s.as_str()) {
                out.insert(offset, len);
            }
        }
    };
    match node {
        Node::Scalar(s) => scalar(s, out),
        Node::Mapping(map) => {
            for (k, v) in map.iter() {
                scalar(k, out);
                scalar_extents(source, v, out);
            }
        }
        Node::Sequence(seq) => seq.iter().for_each(|n| scalar_extents(source, n, out)),
    }
}

/// Deepest block nesting (by indentation) a YAML text may have. The YAML parser recurses once per
/// level and bounds only flow nesting (`[[[…`) itself: a thousand indented levels overflowed the
/// stack (found by tests/hostile_bounds.rs). Real files nest a few levels; a pod manifest about ten.
pub const MAX_YAML_DEPTH: usize = 100;

/// The block nesting depth of a YAML text, by indentation (`- ` items count as a level), and the
/// offset of the first line past [`MAX_YAML_DEPTH`]; `None` when the text stays within it. Linear.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut stack: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_start_matches(' ');
        let trimmed = body.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut indent = line.len() - body.len();
        let mut rest = body;
        loop {
            while stack.last().is_some_and(|&top| top >= indent) {
                stack.pop();
            }
            stack.push(indent);
            if stack.len() > MAX_YAML_DEPTH {
                return Some((stack.len(), start + indent));
            }
            // `- - - x`: each dash opens one more level on the same line.
            match rest.strip_prefix("- ") {
                Some(after) => {
                    let spaces = after.len() - after.trim_start_matches(' ').len();
                    indent += 2 + spaces;
                    rest = &after[spaces..];
                }
                None => break,
            }
        }
    }
    None
}

/// Remove mapping entries whose value is a YAML null (plain `null`, `~` or nothing), so that
/// `legacy_port: null` means the same as leaving the key out. marked-yaml hands a null scalar to
/// serde as a string, which would turn it into "invalid digit" for a number or the name `null`.
fn drop_nulls(node: &mut Node) {
    match node {
        Node::Mapping(map) => {
            map.retain_with_order(|_, v| !is_null(v));
            for (_, v) in map.iter_mut() {
                drop_nulls(v);
            }
        }
        Node::Sequence(seq) => seq.iter_mut().for_each(drop_nulls),
        Node::Scalar(_) => {}
    }
}

fn is_null(node: &Node) -> bool {
    match node {
        Node::Scalar(s) => {
            s.may_coerce() && matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL")
        }
        _ => false,
    }
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

pub(crate) fn marker_loc(m: &marked_yaml::Marker) -> Loc {
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
            Problem::error(
                "model::anchor",
                "YAML anchors and aliases are not accepted in a model",
            )
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
                .with_label("the YAML parser stopped here")
                .with_help(
                    "fix the YAML syntax at or just before this place (an unclosed bracket or \
                     quote, or wrong indentation)",
                )
                .at(source, offset, 1)
        }
        LoadError::DuplicateKey(inner) => {
            let key = inner.key.as_str().to_string();
            let first = inner.prev_key.span().start().map(|m| m.line()).unwrap_or(0);
            at_loc(
                Problem::error(
                    "model::duplicate-key",
                    format!("key `{key}` is given twice"),
                )
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
    let path = err.path().map(str::to_string);
    let inner = err.into_inner();
    let loc = inner.start_mark().map(|m| marker_loc(&m));
    let field = path
        .as_deref()
        .and_then(|p| p.rsplit('.').next())
        .map(|last| last.split('[').next().unwrap_or(last).to_string())
        .unwrap_or_default();
    match inner {
        E::UnknownFieldError(field, expected, _) => {
            let loc = loc.or_else(|| find_key(root, &field));
            let mut help = match did_you_mean(&field, expected) {
                Some(s) => format!("did you mean `{s}`? "),
                None => String::new(),
            };
            help.push_str(&format!(
                "allowed here: {}",
                expected
                    .iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
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
            Problem::error(
                "model::type",
                if field.is_empty() {
                    "expected a boolean".to_string()
                } else {
                    format!("{field} must be `true` or `false`")
                },
            )
            .with_label("not `true` or `false`")
            .with_help(
                "write `true` or `false` (YAML 1.1 words such as `yes` or `on` are not accepted)",
            ),
            source,
            loc,
        ),
        E::IntegerParseFailure(e, _) => {
            use std::num::IntErrorKind;
            let out_of_range = matches!(
                e.kind(),
                IntErrorKind::PosOverflow | IntErrorKind::NegOverflow
            );
            let problem = if field.ends_with("port") && out_of_range {
                let shown = loc
                    .map(|l| {
                        let offset = source.offset(l.line, l.column);
                        source.text[offset..offset + source.token_len(offset)].to_string()
                    })
                    .unwrap_or_default();
                Problem::error("model::port", format!("{field} {shown} is out of range"))
                    .with_label("port out of range")
                    .with_help("use a port from 1 to 65535")
            } else if out_of_range {
                Problem::error("model::type", format!("{field} is out of range: {e}"))
                    .with_label("number out of range")
                    .with_help(format!(
                        "write a smaller whole number; schemas/cluster.schema.json gives the range of `{field}`"
                    ))
            } else {
                Problem::error("model::type", format!("{field}: expected a whole number"))
                    .with_label("not a whole number")
                    .with_help("write digits only, without quotes or a sign")
            };
            at_loc(problem, source, loc)
        }
        E::FloatParseFailure(e, _) => at_loc(
            Problem::error("model::type", format!("expected a number: {e}"))
                .with_label("not a number")
                .with_help("write a plain number"),
            source,
            loc,
        ),
        E::Other(msg, _) => {
            if let Some(missing) = msg
                .strip_prefix("missing field `")
                .and_then(|rest| rest.strip_suffix('`'))
            {
                // Point at the mapping that lacks the field: its first key, or the mapping itself.
                let map = path
                    .as_deref()
                    .and_then(|p| node_at(root, p))
                    .unwrap_or(root);
                let first_key = map
                    .as_mapping()
                    .and_then(|m| m.keys().next())
                    .and_then(|k| k.span().start())
                    .map(marker_loc);
                let problem = Problem::error("model::missing-field", format!("missing field `{missing}`"))
                    .with_label(format!("this mapping has no `{missing}`"))
                    .with_help(format!(
                        "add `{missing}:` here; see examples/cluster.yaml and schemas/cluster.schema.json"
                    ));
                return at_loc(problem, source, first_key.or(loc));
            }
            let (label, help) = if msg.starts_with("unknown variant") {
                (
                    "unknown value",
                    "use one of the values listed; quote version-like values (\"3.x\")",
                )
            } else {
                (
                    "wrong type",
                    "check the value's type against schemas/cluster.schema.json",
                )
            };
            // serde says "unknown variant"; users wrote a value.
            let msg = match msg.strip_prefix("unknown variant ") {
                Some(rest) if !field.is_empty() => format!("unknown {field} {rest}"),
                Some(rest) => format!("unknown value {rest}"),
                None => msg,
            };
            at_loc(
                Problem::error("model::type", msg)
                    .with_label(label)
                    .with_help(help),
                source,
                loc,
            )
        }
    }
}

/// The node at a serde path such as `etcd.members[1]` (as marked-yaml's `serde-path` renders it).
fn node_at<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    let mut node = root;
    for part in path.split('.') {
        let (key, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = node.as_mapping()?.get_node(key)?;
        }
        for index in indices.split(['[', ']']).filter(|s| !s.is_empty()) {
            node = node.as_sequence()?.get(index.parse::<usize>().ok()?)?;
        }
    }
    Some(node)
}

/// Where the key at `path` (e.g. `["etcd", "members"]`) stands in the source, for checks on values
/// the typed model keeps without a position (such as a list).
pub(crate) fn key_loc(source: &Source, path: &[&str]) -> Option<Loc> {
    let options = LoaderOptions::default().toplevel_mapping();
    let root = marked_yaml::parse_yaml_with_options(0, source.text.as_str(), options).ok()?;
    let (last, parents) = path.split_last()?;
    let mut node = &root;
    for key in parents {
        node = node.as_mapping()?.get_node(key)?;
    }
    let map = node.as_mapping()?;
    let key = map.keys().find(|k| k.as_str() == *last)?;
    key.span().start().map(marker_loc)
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
    let mut scored: Vec<(f64, &'a str)> = expected
        .iter()
        .map(|e| (strsim::jaro_winkler(got, e), *e))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        // Two candidates equally close (`serverl` vs server1/server2/server3): no guess.
        [(best, _), (second, _), ..] if (best - second).abs() < 1e-9 => None,
        [(_, e), ..] => Some(e),
        [] => None,
    }
}

#[cfg(test)]
mod tests {
    /// A diagnostic spans the whole value the parser read: commas belong to a block-context plain
    /// scalar, a flow-context value stops at its comma, a quoted one ends at its closing quote.
    #[test]
    fn spans_cover_the_value_read_not_a_token_cut_at_a_comma() {
        let cases = [
            ("  dir: etc/ssl/a,b # rel\n", "etc/ssl/a,b"),
            (
                "  dir: \"etc/ssl/\\\"a\\\",b\"\n",
                "\"etc/ssl/\\\"a\\\",b\"",
            ),
            ("  {dir: etc/ssl/a, ca: ca.pem}\n", "etc/ssl/a"),
        ];
        for (pki, expected) in cases {
            let pki = if pki.trim_start().starts_with('{') {
                format!("pki:{}", pki.trim_start_matches(' ').replace("{", " {"))
            } else {
                format!("pki:\n{pki}")
            };
            let text = format!(
                "version: 1\n{pki}etcd:\n  release: \"3.x\"\n  members:\n    - {{ name: server1, address: 10.0.0.11 }}\n"
            );
            let problems = crate::model::load_str("m.yaml", &text).expect_err(&text);
            // A relative path, or (with the quote) an unsafe value: both point at `dir`'s value.
            let p = &problems[0];
            assert!(
                matches!(p.code, "model::path" | "model::unsafe-value"),
                "{text}"
            );
            let (offset, len) = p.span.unwrap();
            assert_eq!(&text[offset..offset + len], expected, "{text}");
        }
    }
}
