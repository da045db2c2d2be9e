//! Shell integration: completion scripts (bash driven for real through `_tlsgen`), man pages
//! (rendered with groff; docs/man/ kept fresh), `--color` and `--quiet`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const CASE: &str = "tests/fixtures/etcd/ETCD009_plaintext-peer-url/fail";

fn tlsgen(args: &[&str]) -> Output {
    common::run_in(&common::repo_root(), args)
}

/// Source the bash script, complete the words (the last one is the word being completed), and
/// return COMPREPLY.
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE=\"${{COMP_WORDS[*]}}\"\nCOMP_POINT=${{#COMP_LINE}}\n\
         _tlsgen tlsgen \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    common::text(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completion_offers_the_subcommands_and_rule_codes() {
    let out = tlsgen(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("tlsgen.bash");
    std::fs::write(&script, &out.stdout).unwrap();

    let commands = bash_complete(&script, &["tlsgen", ""]);
    for command in [
        "render",
        "plan",
        "certs",
        "lint",
        "rule",
        "rules",
        "completions",
        "man",
    ] {
        assert!(
            commands.iter().any(|c| c == command),
            "{command} not offered: {commands:?}"
        );
    }
    let lint = bash_complete(&script, &["tlsgen", "li"]);
    assert_eq!(lint, ["lint"]);

    let codes = bash_complete(&script, &["tlsgen", "rule", "ETCD00"]);
    assert!(codes.iter().any(|c| c == "ETCD003"), "{codes:?}");
    assert!(codes.iter().all(|c| c.starts_with("ETCD00")), "{codes:?}");
    let names = bash_complete(&script, &["tlsgen", "rule", "client-cert-auth-d"]);
    assert_eq!(names, ["client-cert-auth-disabled"]);
    let formats = bash_complete(&script, &["tlsgen", "lint", "--format", "sa"]);
    assert_eq!(formats, ["sarif"]);
}

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = tlsgen(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = common::text(&out.stdout);
        for word in ["lint", "completions", "color"] {
            assert!(text.contains(word), "{shell}: {word} missing");
        }
        // clap_complete lists a positional argument's possible values for bash and zsh only.
        if shell == "bash" || shell == "zsh" {
            assert!(text.contains("ETCD003"), "{shell}: no rule code");
        }
    }
    let out = tlsgen(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

fn pages(dir: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn man_writes_a_page_per_command_and_docs_man_is_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let out = tlsgen(&["man", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    let written = pages(dir.path());
    let names: Vec<&str> = written.iter().map(|(n, _)| n.as_str()).collect();
    for page in ["tlsgen.1", "tlsgen-lint.1", "tlsgen-rule.1", "tlsgen-man.1"] {
        assert!(names.contains(&page), "{page} missing: {names:?}");
    }
    // One page for tlsgen itself and one per subcommand (`help` has none).
    let subcommands = <tlsgen::cli::Cli as clap::CommandFactory>::command()
        .get_subcommands()
        .filter(|c| c.get_name() != "help")
        .count();
    assert_eq!(names.len(), subcommands + 1, "{names:?}");
    for (name, text) in &written {
        let title = name.trim_end_matches(".1");
        assert!(text.contains(&format!("\n.TH {title} 1 ")), "{name}");
        for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS"] {
            assert!(text.contains(section), "{name}: {section} missing");
        }
    }
    let lint = &written
        .iter()
        .find(|(n, _)| n == "tlsgen-lint.1")
        .unwrap()
        .1;
    for option in ["format", "stdin\\-filename", "color", "quiet"] {
        assert!(lint.contains(option), "tlsgen-lint.1 lacks {option}");
    }
    let committed = pages(&common::repo_root().join("docs/man"));
    assert!(
        committed == written,
        "docs/man is stale: run `cargo run -- man --out docs/man`"
    );
}

#[test]
fn every_man_page_renders_with_groff_without_a_warning() {
    let Ok(groff) = which("groff") else {
        eprintln!("groff not installed: the roff structure is checked by the test above");
        return;
    };
    for (name, _) in pages(&common::repo_root().join("docs/man")) {
        let out = Command::new(&groff)
            // -k: the pages are UTF-8 (`man -l` reads them through preconv); -P-cbou: plain text.
            .args(["-k", "-man", "-Tutf8", "-ww", "-P-cbou"])
            .arg(common::repo_root().join("docs/man").join(&name))
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}");
        assert!(
            out.stderr.is_empty(),
            "{name}: {}",
            common::text(&out.stderr)
        );
        let text = common::text(&out.stdout);
        assert!(text.contains("NAME") && text.contains("SYNOPSIS"), "{name}");
    }
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(program))
                .find(|p| p.is_file())
        })
        .ok_or(())
}

#[test]
fn color_always_and_never_decide_the_human_report() {
    let always = tlsgen(&["lint", "--color", "always", CASE]);
    assert_eq!(always.status.code(), Some(1));
    assert!(common::text(&always.stdout).contains("\u{1b}["));
    // The flag is the user's explicit choice: it wins over NO_COLOR.
    let forced = common::tlsgen()
        .current_dir(common::repo_root())
        .env("NO_COLOR", "1")
        .args(["--color=always", "lint", CASE])
        .output()
        .unwrap();
    assert!(common::text(&forced.stdout).contains("\u{1b}["));
    for args in [&["lint", "--color", "never", CASE][..], &["lint", CASE][..]] {
        let out = tlsgen(args);
        assert_eq!(out.status.code(), Some(1));
        assert!(!common::text(&out.stdout).contains('\u{1b}'), "{args:?}");
    }
}

#[test]
fn quiet_silences_notes_and_summaries_but_not_findings_or_errors() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = dir.path().join("notes.txt");
    std::fs::write(&unknown, "nothing here\n").unwrap();
    let unknown = unknown.to_str().unwrap();
    let loud = tlsgen(&["lint", unknown, CASE]);
    assert!(common::text(&loud.stderr).contains("note:"));
    let quiet = tlsgen(&["lint", "--quiet", unknown, CASE]);
    assert_eq!(quiet.status.code(), Some(1));
    assert!(common::text(&quiet.stderr).is_empty());
    assert_eq!(quiet.stdout, loud.stdout);

    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    for (command, extra) in [("render", None), ("plan", None), ("certs", Some("pki"))] {
        let target = extra.map_or_else(|| out.to_string(), |d| format!("{out}-{d}"));
        let args = [command, "examples/cluster.yaml", "-o", &target];
        let loud = tlsgen(&args);
        assert_eq!(
            loud.status.code(),
            Some(0),
            "{}",
            common::text(&loud.stderr)
        );
        assert!(common::text(&loud.stderr).contains("wrote"), "{command}");
        let mut quiet_args = vec!["-q"];
        quiet_args.extend(args);
        let quiet = tlsgen(&quiet_args);
        assert_eq!(quiet.status.code(), Some(0), "{command}");
        assert!(
            common::text(&quiet.stderr).is_empty(),
            "{command}: {}",
            common::text(&quiet.stderr)
        );
    }
    // Errors are still reported.
    let missing = tlsgen(&["render", "--quiet", "does-not-exist.yaml", "-o", out]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(!common::text(&missing.stderr).is_empty());
}
