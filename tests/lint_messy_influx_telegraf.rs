//! Messy, real-world-shaped InfluxDB and Telegraf configurations (modelled on the upstream sample
//! configs, Ansible/Jinja, Chef/ERB, Helm/Go templates and envsubst): the INFLUX and TGF rules
//! fire exactly where the file literally shows the condition, and never on a commented-out key or
//! a line holding a template placeholder. Each directory is one deployment tree, linted on its own
//! (cross-file rules compare files of the same tree).

mod common;

use std::collections::BTreeSet;

/// (path under `tests/fixtures_messy/`, line, code) of every finding of one tree, sorted as lint
/// sorts them.
fn lint_tree(tree: &str) -> Vec<(String, usize, String)> {
    let dir = format!("tests/fixtures_messy/{tree}");
    let out = common::run_in(&common::repo_root(), &["lint", "--format", "json", &dir]);
    let json = common::text(&out.stdout);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{tree}: {e}\n{json}\n{}", common::text(&out.stderr)));
    let expected_exit = if findings.is_empty() { 0 } else { 1 };
    assert_eq!(
        out.status.code(),
        Some(expected_exit),
        "{tree}: exit code\n{json}"
    );
    findings
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let rel = path.strip_prefix("tests/fixtures_messy/").unwrap_or(path);
            (
                rel.to_string(),
                f["line"].as_u64().unwrap() as usize,
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn owned(v: &[(&str, usize, &str)]) -> Vec<(String, usize, String)> {
    v.iter()
        .map(|(p, l, c)| (p.to_string(), *l, c.to_string()))
        .collect()
}

/// Whether a line is a comment or holds template syntax.
fn commented_or_placeholder(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#')
        || ["{{", "{%", "<%", "${", "$TLS", "$HOSTNAME"]
            .iter()
            .any(|m| line.contains(m))
}

/// Every finding of the trees is on a line that is neither commented out nor templated, and the
/// trees do hold such lines (so the check is not vacuous).
fn assert_silent_on_comments_and_placeholders(trees: &[&str], found: &[(String, usize, String)]) {
    let root = common::repo_root().join("tests/fixtures_messy");
    let mut quiet_lines = 0;
    let mut files = BTreeSet::new();
    for tree in trees {
        for entry in walk(&root.join(tree)) {
            let text = std::fs::read_to_string(&entry).unwrap();
            quiet_lines += text.lines().filter(|l| commented_or_placeholder(l)).count();
            files.insert(entry);
        }
    }
    assert!(
        quiet_lines > 60,
        "only {quiet_lines} commented or templated lines"
    );
    for (path, line, code) in found {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        let l = text.lines().nth(line - 1).unwrap();
        assert!(
            !commented_or_placeholder(l),
            "{code} fired on a commented or templated line {path}:{line}: {l}"
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn templated_influxdb_configs_are_unknown_not_insecure() {
    for tree in ["influxdb/ansible", "influxdb/chef", "influxdb/envsubst"] {
        assert_eq!(lint_tree(tree), Vec::new(), "{tree}");
    }
}

#[test]
fn templated_telegraf_configs_are_unknown_not_insecure() {
    for tree in ["telegraf/ansible", "telegraf/helm"] {
        assert_eq!(lint_tree(tree), Vec::new(), "{tree}");
    }
}

#[test]
fn influxdb_prod_tree_reports_exactly_the_written_problems() {
    let data = "influxdb/prod/data-01/etc/influxdb/influxdb.conf";
    let found = lint_tree("influxdb/prod");
    assert_eq!(
        found,
        owned(&[
            // meta-internal-shared-secret differs from the meta node's internal-shared-secret
            (data, 24, "INFLUX008"),
            // `https-enable` (typo) leaves https-enabled at its default, false: reported at [http]
            (data, 54, "INFLUX001"),
            (data, 60, "INFLUX004"),
            (data, 63, "INFLUX011"),
            (data, 79, "INFLUX010"),
            (data, 82, "INFLUX009"),
        ]),
    );
    assert_silent_on_comments_and_placeholders(
        &[
            "influxdb/prod",
            "influxdb/ansible",
            "influxdb/chef",
            "influxdb/envsubst",
        ],
        &found,
    );
}

#[test]
fn telegraf_prod_tree_reports_exactly_the_written_problems() {
    let agent = "telegraf/prod/agent-01/etc/telegraf/telegraf.conf";
    let found = lint_tree("telegraf/prod");
    assert_eq!(
        found,
        owned(&[
            // https://influx-01:8086 while influx-01 (same tree) serves plain http
            (agent, 27, "TGF008"),
            (agent, 37, "TGF003"),
            (agent, 40, "TGF004"),
            (agent, 42, "TGF007"),
            (agent, 46, "TGF001"),
            (agent, 49, "TGF005"),
            (agent, 49, "TGF005"),
            (agent, 61, "TGF006"),
            (
                "telegraf/prod/influx-01/etc/influxdb/influxdb.conf",
                8,
                "INFLUX001"
            ),
        ]),
    );
    assert_silent_on_comments_and_placeholders(
        &["telegraf/prod", "telegraf/ansible", "telegraf/helm"],
        &found,
    );
}
