//! docs/rules.md is the page SARIF's helpUri points at; it is generated from the rules' own docs.

mod common;

#[test]
fn docs_rules_md_is_generated_from_the_registry() {
    let out = common::tlsgen()
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let committed = std::fs::read_to_string(common::repo_root().join("docs/rules.md")).unwrap();
    assert!(
        common::text(&out.stdout) == committed,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
    for rule in tlsgen::lint::registry::RULES {
        let anchor = format!("<a id=\"{}\"></a>", rule.code.to_ascii_lowercase());
        assert!(committed.contains(&anchor), "{} has no anchor", rule.code);
        assert!(rule
            .help_uri()
            .ends_with(&format!("#{}", rule.code.to_ascii_lowercase())));
    }
}
