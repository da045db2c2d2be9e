//! TLSGEN006 credentials-in-url: a password written in a URL is reported once, wherever the URL
//! is (an etcd flag on ExecStart, an `ETCD_*` or `ETCDCTL_ENDPOINTS` variable, a Telegraf `urls`
//! entry, etcd YAML, a `curl` on `ExecStartPost=`), and never printed by any output.

mod common;

/// Lint `files` written into a temp dir in `format`: (findings as JSON, stdout, stderr).
fn lint(files: &[(&str, &str)], format: &str) -> (Vec<serde_json::Value>, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = tmp.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    let json = common::run_in(tmp.path(), &["lint", "--format", "json", "."]);
    let findings = serde_json::from_str(&common::text(&json.stdout))
        .unwrap_or_else(|e| panic!("{e}: {}", common::text(&json.stderr)));
    let out = common::run_in(tmp.path(), &["lint", "--format", format, "."]);
    (
        findings,
        common::text(&out.stdout),
        common::text(&out.stderr),
    )
}

fn of<'a>(findings: &'a [serde_json::Value], code: &str) -> Vec<&'a serde_json::Value> {
    findings.iter().filter(|f| f["code"] == code).collect()
}

const PASSWORD: &str = "Passw0rd";

/// Each place a URL with credentials is met, as (path, text).
fn places() -> Vec<(&'static str, String)> {
    vec![
        (
            "etcd-member.service.d/20-clct-etcd-member.conf",
            format!(
                "[Service]\nExecStart=\nExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \\\n  --name=s1 \\\n  --initial-cluster=s1=https://root:{PASSWORD}@10.0.0.11:2380\n"
            ),
        ),
        (
            "etcd-member.service.d/40-env.conf",
            format!(
                "[Service]\nEnvironment=\"ETCD_INITIAL_CLUSTER=s1=https://root:{PASSWORD}@10.0.0.11:2380\"\n"
            ),
        ),
        (
            "etcd-member.service.d/50-check.conf",
            format!(
                "[Service]\nExecStartPost=/usr/bin/curl -L https://user:{PASSWORD}@10.0.0.11:2379/v2/members\n"
            ),
        ),
        (
            "etcdctl.env",
            format!("ETCDCTL_API=3\nETCDCTL_ENDPOINTS=https://root:{PASSWORD}@10.0.0.11:2379\n"),
        ),
        (
            "telegraf.conf",
            format!("[[outputs.influxdb]]\n  urls = [\"https://telegraf:{PASSWORD}@influxdb.example.com:8086\"]\n"),
        ),
        (
            // TGF001's message quotes this URL: messages are masked too.
            "telegraf.d/http.conf",
            format!("[[outputs.influxdb]]\n  urls = [\"http://telegraf:{PASSWORD}@influxdb.example.com:8086\"]\n"),
        ),
        (
            "etcd.conf.yml",
            format!("name: s1\ninitial-cluster: s1=https://root:{PASSWORD}@10.0.0.11:2380\n"),
        ),
    ]
}

#[test]
fn a_password_in_a_url_is_reported_once_in_every_place() {
    for (path, text) in places() {
        let (findings, _, stderr) = lint(&[(path, &text)], "json");
        let found = of(&findings, "TLSGEN006");
        assert_eq!(found.len(), 1, "{path}: {findings:?} {stderr}");
        // The finding points at the password (so every quote of it is masked).
        let line = text
            .lines()
            .nth(found[0]["line"].as_u64().unwrap() as usize - 1);
        assert!(line.unwrap().contains(PASSWORD), "{path}: {found:?}");
    }
}

#[test]
fn no_output_format_prints_the_password_of_a_url() {
    for (path, text) in places() {
        for format in ["human", "short", "json", "sarif", "github"] {
            let (_, stdout, stderr) = lint(&[(path, &text)], format);
            assert!(
                !stdout.contains(PASSWORD) && !stderr.contains(PASSWORD),
                "{path} --format {format} prints the password:\n{stdout}\n{stderr}"
            );
        }
    }
}

#[test]
fn a_user_without_a_password_or_a_placeholder_is_not_a_credential() {
    for url in [
        "https://root@10.0.0.11:2379",
        "https://root:${ETCD_ROOT_PASSWORD}@10.0.0.11:2379",
        "https://{{ user }}:{{ password }}@10.0.0.11:2379",
        "https://10.0.0.11:2379",
    ] {
        let (findings, _, _) = lint(
            &[(
                "etcdctl.env",
                &format!("ETCDCTL_API=3\nETCDCTL_ENDPOINTS={url}\n"),
            )],
            "json",
        );
        assert!(of(&findings, "TLSGEN006").is_empty(), "{url}: {findings:?}");
    }
}

#[test]
fn credentials_over_http_are_one_finding_of_tlsgen006_not_also_tgf005() {
    // TGF005 reports `username`/`password` sent over http://; a URL that carries its own
    // credentials is TLSGEN006's (it says http sends them in cleartext), and TGF005 stays quiet
    // about that URL. TGF001 still reports the plaintext transport (another problem: metrics).
    let text = "[[outputs.influxdb]]\n  urls = [\"http://telegraf:Passw0rd@influxdb.example.com:8086\"]\n  username = \"telegraf\"\n  password = \"@{vault:influx}\"\n";
    let (findings, _, _) = lint(&[("telegraf.conf", text)], "json");
    let creds = of(&findings, "TLSGEN006");
    assert_eq!(creds.len(), 1, "{findings:?}");
    assert!(
        creds[0]["message"].as_str().unwrap().contains("cleartext"),
        "{creds:?}"
    );
    assert!(of(&findings, "TGF005").is_empty(), "{findings:?}");
}

#[test]
fn an_example_url_in_a_comment_is_masked_but_not_reported() {
    // Telegraf's sample configuration carries such examples in comments.
    let text = "[[outputs.influxdb]]\n  urls = [\"https://influxdb.example.com:8086\"]\n  ## e.g. mongodb://user:auth_key@10.10.3.30:27017\n  insecure_skip_verify = true\n";
    let (findings, human, _) = lint(&[("telegraf.conf", text)], "human");
    assert!(of(&findings, "TLSGEN006").is_empty(), "{findings:?}");
    assert!(
        human.contains("mongodb://user:********@10.10.3.30"),
        "{human}"
    );
}
