//! No injection: for any string placed in any string field of the model, either the model is
//! refused with a diagnostic (code, label on the value, help), or every rendered file parses back
//! (systemd through `tlsgen::systemd`, TOML through toml_edit, JSON through serde_json, YAML
//! through marked-yaml, env files through lint's parser) to exactly the keys and values intended:
//! those of the same model with a plain token in that field, the token replaced by the string.
//! No extra line, section, key, flag or file; host names never make a path outside OUT.

use std::collections::BTreeMap;
use std::net::IpAddr;

use proptest::prelude::*;

#[path = "support/proptest_config.rs"]
mod proptest_config;
use proptest_config::config;

/// Models with every target and every string field as a `@N@` slot; `TOKENS[N]` is a valid value
/// for slot N that occurs nowhere else in the output.
const MODEL_CA_SIGNED: &str = r#"version: 1
pki: { dir: @0@, ca: @1@ }
etcd:
  release: "3.x"
  legacy_port: 4001
  members:
    - { name: @2@, address: @3@, id: @4@ }
    - { name: server2, address: 10.0.0.12 }
  proxies:
    - { name: @5@, client_cert: @6@ }
influxdb:
  certificate: { kind: ca-signed, cert: @7@, key: @8@, ca: @9@ }
  internode_tls: true
  file_owner: @10@
  meta_nodes:
    - { name: @11@, address: @12@ }
  data_nodes:
    - { name: @13@, address: @14@ }
telegraf:
  database: @15@
  username: @16@
  agents:
    - { name: @17@, ca: @18@, cert: @19@, key: @20@ }
elastic:
  service_name: @21@
  service_account: @22@
  service_account_secret: @23@
  mode: update
kubernetes:
  control_plane: [@24@, cp2]
  encryption:
    resources: [@25@, configmaps]
    path: @26@
    kms: { name: @27@, endpoint: @28@, api_version: v2 }
"#;

/// The second shape: a bundled certificate, Telegraf through a load balancer.
const MODEL_BUNDLE: &str = r#"version: 1
influxdb:
  certificate: { kind: bundle, pem: @29@ }
  meta_nodes: [ { name: meta1, address: 10.0.1.1 } ]
  data_nodes: [ { name: data1, address: 10.0.2.1 } ]
telegraf:
  load_balancer: @30@
  agents: [ { name: web1, ca: /etc/telegraf/ca.pem } ]
"#;

const TOKENS: [&str; 31] = [
    "/qqzdir",
    "qqzca.pem",
    "qqzmember",
    "addrqqz3.example",
    "0123456789abcdef",
    "qqzproxy",
    "qqzclient",
    "/qqz/cert.crt",
    "/qqz/key.key",
    "/qqz/ca.crt",
    "qqzuser:qqzgroup",
    "qqzmeta",
    "addrqqz12.example",
    "qqzdata",
    "addrqqz14.example",
    "qqzdb",
    "qqzinfluxuser",
    "qqzagent",
    "/qqz/agent-ca.pem",
    "/qqz/agent.pem",
    "/qqz/agent-key.pem",
    "qqzservice",
    "qqzaccount",
    "qqzsecret/path",
    "qqzcp",
    "qqzresources",
    "/qqz/enc.yaml",
    "qqzkms",
    "unix:///qqz/kms.sock",
    "/qqz/bundle.pem",
    "lbqqz.example",
];

fn yaml_quote(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The model text with slot `field` set to `value` and every other slot to its token.
fn model_with(field: usize, value: &str) -> String {
    let base = if field <= 28 {
        MODEL_CA_SIGNED
    } else {
        MODEL_BUNDLE
    };
    let mut text = base.to_string();
    for (i, t) in TOKENS.iter().enumerate() {
        let v = if i == field { value } else { t };
        text = text.replace(&format!("@{i}@"), &yaml_quote(v));
    }
    text
}

/// Every rendered file, flattened to sorted `where = value` lines by its own syntax, keyed by
/// `host path`.
fn rendered(text: &str) -> Result<BTreeMap<String, Vec<String>>, Vec<tlsgen::diag::Problem>> {
    let loaded = tlsgen::model::load_str("cluster.yaml", text)?;
    let templates = tlsgen::render::Templates::load(None).unwrap();
    let artifacts = tlsgen::render::render(
        &loaded.cluster,
        "cluster.yaml",
        &templates,
        &tlsgen::render::Selection::default(),
    )
    .map_err(|p| vec![p])?;
    let out = std::path::Path::new("/out");
    let mut files = BTreeMap::new();
    for a in &artifacts {
        let dest = tlsgen::render::output::destination(out, a).expect("a path under OUT");
        assert!(
            dest.starts_with(out.join(&a.host)),
            "{} leaves OUT",
            dest.display()
        );
        assert!(
            tlsgen::model::is_dns_label(&a.host),
            "host {:?} is not a safe directory name",
            a.host
        );
        files.insert(
            format!("{} {}", a.host, a.path),
            flatten(&a.path, &a.content),
        );
    }
    Ok(files)
}

fn flatten(path: &str, content: &str) -> Vec<String> {
    let mut out = Vec::new();
    if path.ends_with(".json") {
        let v: serde_json::Value = serde_json::from_str(content)
            .unwrap_or_else(|e| panic!("{path} is not JSON: {e}\n{content}"));
        flat_json("", &v, &mut out);
    } else if path.ends_with(".yaml") {
        let node = marked_yaml::parse_yaml(0, content)
            .unwrap_or_else(|e| panic!("{path} is not YAML: {e}\n{content}"));
        flat_yaml("", &node, &mut out);
    } else if path.contains(".service.d/") {
        let unit = tlsgen::systemd::parse(content);
        assert!(
            unit.errors.is_empty(),
            "{path}: {:?}\n{content}",
            unit.errors
        );
        for s in &unit.sections {
            for e in &s.entries {
                let words = match e.key.as_str() {
                    "Environment" => tlsgen::systemd::environment(&e.value.text)
                        .unwrap_or_else(|m| panic!("{path}: {m}\n{content}"))
                        .into_iter()
                        .map(|a| format!("{}={}", a.name, a.value))
                        .collect(),
                    "ExecStart" => tlsgen::systemd::split_words(&e.value.text)
                        .unwrap_or_else(|m| panic!("{path}: {m}\n{content}"))
                        .into_iter()
                        .map(|w| w.text)
                        .collect(),
                    _ => vec![e.value.text.clone()],
                };
                // systemd expands `%` specifiers and `$VAR` in ExecStart: the value must carry none
                // it did not intend.
                for (i, w) in words.iter().enumerate() {
                    out.push(format!("[{}] {}[{i}] = {w}", s.name, e.key));
                }
            }
        }
    } else if path.ends_with(".conf") {
        let doc: toml_edit::DocumentMut = content
            .parse()
            .unwrap_or_else(|e| panic!("{path} is not TOML: {e}\n{content}"));
        flat_toml("", doc.as_item(), &mut out);
    } else if path.ends_with(".env") {
        for e in tlsgen::lint::parse::envfile::parse(content)
            .unwrap_or_else(|e| panic!("{path}: {e:?}\n{content}"))
        {
            out.push(format!("{} = {}", e.name, e.value));
        }
    } else {
        // Runbooks (Markdown with shell commands): line by line.
        // A stamp's fingerprint follows the content it vouches for.
        out.extend(content.lines().map(|l| {
            if l.starts_with("fnv1a-64 ") {
                "fnv1a-64 <fingerprint>".to_string()
            } else {
                l.to_string()
            }
        }));
    }
    out.sort();
    out
}

fn flat_json(at: &str, v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                flat_json(&format!("{at}.{k}"), v, out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                flat_json(&format!("{at}[{i}]"), v, out);
            }
        }
        serde_json::Value::String(s) => out.push(format!("{at} = (string) {s}")),
        other => out.push(format!("{at} = {other}")),
    }
}

fn flat_yaml(at: &str, n: &marked_yaml::Node, out: &mut Vec<String>) {
    match n {
        marked_yaml::Node::Mapping(m) => {
            for (k, v) in m.iter() {
                flat_yaml(&format!("{at}.{}", k.as_str()), v, out);
            }
        }
        marked_yaml::Node::Sequence(s) => {
            for (i, v) in s.iter().enumerate() {
                flat_yaml(&format!("{at}[{i}]"), v, out);
            }
        }
        // A plain scalar may be read as a number, a boolean or null: keep whether it was quoted.
        marked_yaml::Node::Scalar(s) => {
            let how = if s.may_coerce() { "plain" } else { "quoted" };
            out.push(format!("{at} = {} ({how})", s.as_str()));
        }
    }
}

fn flat_toml(at: &str, item: &toml_edit::Item, out: &mut Vec<String>) {
    match item {
        toml_edit::Item::Table(t) => {
            for (k, v) in t.iter() {
                flat_toml(&format!("{at}.{k}"), v, out);
            }
        }
        toml_edit::Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                for (k, v) in t.iter() {
                    flat_toml(&format!("{at}[{i}].{k}"), v, out);
                }
            }
        }
        toml_edit::Item::Value(v) => flat_toml_value(at, v, out),
        toml_edit::Item::None => {}
    }
}

fn flat_toml_value(at: &str, v: &toml_edit::Value, out: &mut Vec<String>) {
    match v {
        toml_edit::Value::String(s) => out.push(format!("{at} = (string) {}", s.value())),
        toml_edit::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                flat_toml_value(&format!("{at}[{i}]"), v, out);
            }
        }
        toml_edit::Value::InlineTable(t) => {
            for (k, v) in t.iter() {
                flat_toml_value(&format!("{at}.{k}"), v, out);
            }
        }
        other => out.push(format!("{at} = {}", other.to_string().trim())),
    }
}

/// What the rendering with `token` says, with the token replaced by `value`.
fn expected(
    files: &BTreeMap<String, Vec<String>>,
    token: &str,
    value: &str,
) -> BTreeMap<String, Vec<String>> {
    files
        .iter()
        .map(|(k, lines)| {
            let mut lines: Vec<String> = lines.iter().map(|l| l.replace(token, value)).collect();
            lines.sort();
            (k.replace(token, value), lines)
        })
        .collect()
}

/// IPv6 addresses are written in brackets in URLs and in their canonical form: read them back as
/// the model wrote them.
fn normalise(files: BTreeMap<String, Vec<String>>, value: &str) -> BTreeMap<String, Vec<String>> {
    let Ok(IpAddr::V6(v6)) = value.parse::<IpAddr>() else {
        return files;
    };
    let fix = |s: &str| {
        s.replace(&format!("[{v6}]"), value)
            .replace(&v6.to_string(), value)
    };
    files
        .into_iter()
        .map(|(k, lines)| {
            let mut lines: Vec<String> = lines.iter().map(|l| fix(l)).collect();
            lines.sort();
            (fix(&k), lines)
        })
        .collect()
}

/// Check one field with one value; returns whether the model was accepted.
fn check(field: usize, value: &str) -> bool {
    let token = TOKENS[field];
    // The loader reads an empty value as an absent key (the default applies): not an injection,
    // and not what this property compares.
    if value.is_empty() {
        return false;
    }
    thread_local! {
        static BASELINES: std::cell::RefCell<BTreeMap<usize, BTreeMap<String, Vec<String>>>> =
            Default::default();
    }
    let baseline = BASELINES.with(|b| {
        b.borrow_mut()
            .entry(field)
            .or_insert_with(|| {
                rendered(&model_with(field, token)).unwrap_or_else(|p| {
                    panic!(
                        "the baseline model is refused:\n{}",
                        tlsgen::diag::render_plain(&p)
                    )
                })
            })
            .clone()
    });
    match rendered(&model_with(field, value)) {
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in &problems {
                assert!(p.is_error());
                let shown = tlsgen::diag::render_plain(std::slice::from_ref(p));
                assert!(shown.contains("help:"), "no help line:\n{shown}");
            }
            false
        }
        Ok(files) => {
            // pki.dir is joined with file names: a trailing `/` is not doubled.
            let intended = if field == 0 {
                value.trim_end_matches('/')
            } else {
                value
            };
            let want = expected(&baseline, token, intended);
            let got = normalise(files, value);
            // Runbook commands (indented lines of the Markdown) are pasted into a shell: a value
            // in one must be a single plain shell word.
            for (k, lines) in &got {
                if !k.ends_with(".md") || value.is_empty() {
                    continue;
                }
                for l in lines
                    .iter()
                    .filter(|l| l.starts_with("    ") && l.contains(value))
                {
                    assert!(
                        !value
                            .chars()
                            .any(|c| SHELL_SPECIAL.contains(&c) || c.is_whitespace()),
                        "field {field} = {value:?} reaches a shell command in {k}: {l}"
                    );
                }
            }
            if got != want {
                let keys_want: Vec<_> = want.keys().collect();
                let keys_got: Vec<_> = got.keys().collect();
                assert_eq!(
                    keys_got, keys_want,
                    "field {field} = {value:?}: other files"
                );
                for (k, w) in &want {
                    assert_eq!(
                        &got[k], w,
                        "field {field} = {value:?}: {k} reads back differently"
                    );
                }
            }
            true
        }
    }
}

/// Characters a POSIX shell or bash treats specially inside a word.
const SHELL_SPECIAL: &[char] = &[
    ';', '&', '|', '<', '>', '(', ')', '*', '?', '[', ']', '{', '}', '!', '#', '~', '$', '`', '"',
    '\'', '\\',
];

/// Characters that break out of one syntax or another.
const HOSTILE: &[&str] = &[
    "\n",
    "\r",
    "\"",
    "'",
    "\\",
    "%",
    "%n",
    "$",
    "${X}",
    "`",
    "\0",
    " ",
    "\t",
    "#",
    ";",
    "&",
    "|",
    "<",
    ">",
    "(",
    ")",
    "*",
    "?",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ": ",
    "=",
    "!",
    "@",
    "~",
    "..",
    "/",
    "//",
    "/../",
    "-",
    "--",
    "\u{feff}",
    "\u{2028}",
    "\u{85}",
    "é",
    "\u{202e}",
    "'''",
    "\"\"\"",
    "\\n",
    "\\x00",
    "{{",
    "}}",
    "{%",
    "null",
    "true",
    "1e3",
    "0x1f",
    "-1",
    "*.*",
    "&a",
    "!!binary",
    "? ",
    "- ",
    "\n[Service]\nExecStart=/bin/sh",
    "\nETCD_X=1",
    "\n[http]\nx=1",
    "\"}, \"x\": {\"",
    "\n  - identity: {}",
];

fn hostile_value(field: usize) -> impl Strategy<Value = String> {
    let token = TOKENS[field];
    prop_oneof![
        // The token with something hostile inserted at a random place.
        (0..=token.len(), proptest::sample::select(HOSTILE)).prop_map(move |(at, bad)| {
            let at = (0..=at)
                .rev()
                .find(|i| token.is_char_boundary(*i))
                .unwrap_or(0);
            format!("{}{bad}{}", &token[..at], &token[at..])
        }),
        // Short arbitrary text.
        "\\PC{0,16}",
        proptest::collection::vec(any::<char>(), 0..12).prop_map(|c| c.into_iter().collect()),
        // Addresses and paths of every shape.
        proptest::sample::select(
            &[
                "::1",
                "fd00::11",
                "10.0.0.1",
                "999.1.1.1",
                "a.b",
                "-a",
                "a-",
                "/",
                "/a/",
                "/a/./b",
                "unix:///",
                "unix://a",
                "",
                " ",
                "A",
                "a_b",
                "x.pem",
                ".",
                "..",
                "a:b",
                ":",
                "a:b:c",
            ][..]
        )
        .prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(config(24, 0x001a_5ec7))]

    #[test]
    fn any_string_in_any_field_is_refused_or_reads_back_exactly(
        (field, values) in (0..TOKENS.len()).prop_flat_map(|f| {
            (Just(f), proptest::collection::vec(hostile_value(f), 1..8))
        }),
    ) {
        for value in &values {
            check(field, value);
        }
    }
}

/// Every field with every hostile piece, inserted in the middle of its token: a fixed sweep, so
/// every (field, character) pair is tried on every run.
#[test]
fn every_hostile_piece_in_every_field() {
    for (i, a) in TOKENS.iter().enumerate() {
        for (j, b) in TOKENS.iter().enumerate() {
            assert!(i == j || !a.contains(b), "token {b} is part of token {a}");
        }
    }
    let mut accepted = 0;
    let mut refused = 0;
    for (field, token) in TOKENS.iter().enumerate() {
        assert!(check(field, token), "the token of field {field} is refused");
        for bad in HOSTILE {
            let at = token.len() / 2;
            let at = (0..=at).rev().find(|i| token.is_char_boundary(*i)).unwrap();
            let value = format!("{}{bad}{}", &token[..at], &token[at..]);
            if check(field, &value) {
                accepted += 1;
            } else {
                refused += 1;
            }
        }
    }
    assert!(
        accepted > 0 && refused > 0,
        "accepted {accepted}, refused {refused}"
    );
}
