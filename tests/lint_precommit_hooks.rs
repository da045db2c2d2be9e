//! `.pre-commit-hooks.yaml` offers two hooks for the same check: `tlsgen-lint` (`language: rust`,
//! pre-commit builds tlsgen) and `tlsgen-lint-system` (`language: system`, the installed tlsgen).
//! They must not drift apart: same `entry`, `files`, `args` and `require_serial`. The system hook
//! is also run for real by `pre-commit try-repo` with this build's tlsgen on PATH (no build, so
//! it is fast enough for every test run).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// Every hook by id, as its scalar fields (a missing field is absent from the map).
fn hooks() -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(common::repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let options = marked_yaml::LoaderOptions::default().toplevel_sequence();
    let doc = marked_yaml::parse_yaml_with_options(0, &text, options).unwrap();
    let mut hooks = BTreeMap::new();
    for hook in doc.as_sequence().expect("a list of hooks").iter() {
        let hook = hook.as_mapping().expect("a hook is a mapping");
        let mut fields = BTreeMap::new();
        for (key, value) in hook.iter() {
            let value = match value.as_scalar() {
                Some(s) => s.as_str().to_string(),
                // `args` is a list: compare it as its items joined.
                None => value
                    .as_sequence()
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(|i| i.as_scalar().map(|s| s.as_str().to_string()))
                            .collect::<Vec<_>>()
                            .join("\u{0}")
                    })
                    .unwrap_or_default(),
            };
            fields.insert(key.as_str().to_string(), value);
        }
        let id = fields.get("id").expect("a hook has an id").clone();
        assert!(hooks.insert(id.clone(), fields).is_none(), "{id} twice");
    }
    hooks
}

#[test]
fn the_rust_and_the_system_hook_run_the_same_check() {
    let hooks = hooks();
    let rust = hooks.get("tlsgen-lint").expect("the tlsgen-lint hook");
    let system = hooks
        .get("tlsgen-lint-system")
        .expect("the tlsgen-lint-system hook");
    assert_eq!(rust.get("language").map(String::as_str), Some("rust"));
    assert_eq!(system.get("language").map(String::as_str), Some("system"));
    assert_eq!(rust.get("entry").map(String::as_str), Some("tlsgen lint"));
    for field in [
        "entry",
        "files",
        "args",
        "require_serial",
        "types",
        "exclude",
    ] {
        assert_eq!(rust.get(field), system.get(field), "`{field}` differs");
    }
    assert!(rust.get("files").is_some_and(|f| !f.is_empty()));
}

fn run(program: &Path, dir: &Path, args: &[&str], path_env: &std::ffi::OsStr) -> Output {
    Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("PATH", path_env)
        .env(
            "PRE_COMMIT_HOME",
            common::repo_root().join("target/pre-commit-cache"),
        )
        .env("GIT_AUTHOR_NAME", "tlsgen test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "tlsgen test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .output()
        .unwrap()
}

#[test]
fn the_system_hook_runs_the_tlsgen_on_path() {
    let pre_commit = common::require_program("pre-commit", "pre-commit (pip install pre-commit)");
    let git = common::require_program("git", "git");
    // PATH: this build's tlsgen first, then the rest (git, python for pre-commit).
    let bin = Path::new(env!("CARGO_BIN_EXE_tlsgen")).parent().unwrap();
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let path_env = std::env::join_paths(paths).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    assert!(run(&git, repo, &["init", "-q"], &path_env).status.success());
    std::fs::create_dir_all(repo.join("telegraf")).unwrap();
    std::fs::write(
        repo.join("telegraf/telegraf.conf"),
        "[[outputs.influxdb]]\n  urls = [\"http://influxdb.example.com:8086\"]\n  database = \"telegraf\"\n",
    )
    .unwrap();
    std::fs::write(repo.join("notes.txt"), "not selected\n").unwrap();
    assert!(run(&git, repo, &["add", "."], &path_env).status.success());

    // try-repo takes the checkout as it is, uncommitted changes included.
    let root = common::repo_root();
    let args = [
        "try-repo",
        root.to_str().unwrap(),
        "tlsgen-lint-system",
        "--all-files",
    ];
    let bad = run(&pre_commit, repo, &args, &path_env);
    let output = format!("{}{}", common::text(&bad.stdout), common::text(&bad.stderr));
    assert_eq!(bad.status.code(), Some(1), "{output}");
    assert!(
        output.contains("TGF001") && output.contains("telegraf/telegraf.conf"),
        "{output}"
    );

    std::fs::write(
        repo.join("telegraf/telegraf.conf"),
        "[[outputs.influxdb]]\n  urls = [\"https://influxdb.example.com:8086\"]\n  tls_ca = \"/etc/telegraf/ca.pem\"\n",
    )
    .unwrap();
    assert!(run(&git, repo, &["add", "."], &path_env).status.success());
    let good = run(&pre_commit, repo, &args, &path_env);
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}{}",
        common::text(&good.stdout),
        common::text(&good.stderr)
    );
}
