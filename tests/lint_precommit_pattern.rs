//! The `files` pattern of `.pre-commit-hooks.yaml` (read from the file, matched as pre-commit
//! does: a regex search on the path relative to the repository root, `/` separated) selects every
//! kind of file tlsgen detects, templates of them and env-file-like names; tlsgen skips the rest
//! of what it is handed without failing the hook. The real pre-commit run is
//! `tests/lint_precommit.rs`.

mod common;

fn files_pattern() -> regex::Regex {
    let text = std::fs::read_to_string(common::repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let options = marked_yaml::LoaderOptions::default().toplevel_sequence();
    let doc = marked_yaml::parse_yaml_with_options(0, &text, options).unwrap();
    let hooks = doc.as_sequence().expect("a list of hooks");
    let hook = hooks
        .iter()
        .filter_map(|h| h.as_mapping())
        .find(|h| h.get_scalar("id").map(|s| s.as_str()) == Some("tlsgen-lint"))
        .expect("the tlsgen-lint hook");
    let files = hook.get_scalar("files").expect("a files pattern").as_str();
    regex::Regex::new(files).unwrap()
}

/// Paths a commit may change that tlsgen lints (or may lint, by content).
const MATCH: &[&str] = &[
    // etcd units, drop-ins, env files, YAML config, static pods, etcdctl env files.
    "etcd-member.service",
    "systemd/etcd-member.service.d/40-tls.conf",
    "etc/default/etcd",
    "default/etcd",
    "roles/etcd/files/etc/sysconfig/etcd-member",
    "etc/etcd/etcd.conf",
    "etcd.conf",
    "etcd",
    "config/etcd.conf.yml",
    "manifests/etcd.yaml",
    "etcdctl.env",
    "deploy/etcd.env",
    "env/etcd-tls.environment",
    "scripts/etcd-env.sh",
    // InfluxDB, Telegraf.
    "influxdb.conf",
    "etc/influxdb/influxdb-meta.conf",
    "telegraf.conf",
    "etc/telegraf/telegraf.d/outputs.conf",
    "conf/agent.toml",
    // Kubernetes encryption, DC/OS Elastic.
    "encryption.yaml",
    "k8s/encryption-config.yml",
    "dcos/options.json",
    // Templates of all of these.
    "templates/etcd.conf.yml.j2",
    "templates/telegraf.conf.tmpl",
    "templates/influxdb.conf.erb",
    "templates/etcd-member.service.d/40-tls.conf.jinja2",
    "templates/etcd.service.jinja",
    "templates/encryption.yaml.tpl",
    "charts/etcd.yaml.gotmpl",
    "templates/options.json.mustache",
    "templates/etcd.env.template",
    "etcd.service.in",
    "templates/default/etcd.j2",
    "TELEGRAF.CONF.J2",
    // Provisioning files that carry units and env files.
    "container-linux.bu",
    "ignition/etcd.ign",
];

/// Paths that are none of those.
const NO_MATCH: &[&str] = &[
    "README.md",
    "docs/etcd.md",
    "cmd/etcd.go",
    "src/lint/detect.rs",
    "Makefile",
    "LICENSE",
    "image.png",
    "Cargo.lock",
    "scripts/build.in",
    "templates/index.html.j2",
    "defaults/main",
    ".gitignore",
];

#[test]
fn pre_commit_files_pattern_selects_every_kind_tlsgen_lints() {
    let re = files_pattern();
    let missed: Vec<&str> = MATCH.iter().copied().filter(|p| !re.is_match(p)).collect();
    assert!(missed.is_empty(), "not selected: {missed:?}");
    let extra: Vec<&str> = NO_MATCH
        .iter()
        .copied()
        .filter(|p| re.is_match(p))
        .collect();
    assert!(extra.is_empty(), "selected: {extra:?}");
}

/// pre-commit hands tlsgen every selected file; those of no known kind are skipped with a note
/// and the hook passes.
#[test]
fn selected_files_of_no_known_kind_do_not_fail_the_hook() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "container-linux.bu",
            "variant: flatcar\nversion: 1.0.0\nsystemd:\n  units:\n    - name: etcd-member.service\n      enabled: true\n",
        ),
        ("ignition/etcd.ign", "{\"ignition\": {\"version\": \"3.3.0\"}}\n"),
        ("package.json", "{\"name\": \"x\", \"version\": \"1.0.0\"}\n"),
        ("nginx/site.conf", "server {\n  listen 443 ssl;\n}\n"),
        ("scripts/build.sh", "#!/bin/sh\nset -e\ncargo build\n"),
        ("etc/default/grub", "GRUB_TIMEOUT=5\n"),
    ];
    let re = files_pattern();
    let mut args = vec!["lint"];
    for (path, text) in &files {
        assert!(re.is_match(path), "{path}");
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        args.push(path);
    }
    let out = common::run_in(dir.path(), &args);
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let stdout = common::text(&out.stdout);
    assert!(stdout.contains("no findings in 0 files"), "{stdout}");
    assert_eq!(stderr.matches("skipped").count(), files.len(), "{stderr}");
}
