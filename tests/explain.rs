//! `tlsgen explain`: real error strings from issue trackers (each cited next to it), variants
//! of them (other hosts, zap JSON lines), an unknown message, and `--model` / paths picking
//! different causes for the same message on two fixture trees (`tests/fixtures_explain/`).

mod common;

use serde_json::Value;

const FIX: &str = "tests/fixtures_explain";

/// `tlsgen explain --format json ARGS...` from the repository root: (exit code, JSON).
fn explain(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["explain", "--format", "json"];
    all.extend_from_slice(args);
    let o = common::run_in(&common::repo_root(), &all);
    let out = common::text(&o.stdout);
    let json = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{e}: {out}\n{}", common::text(&o.stderr)));
    (o.status.code(), json)
}

fn human(args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    let o = common::run_in(&common::repo_root(), &all);
    (o.status.code(), common::text(&o.stdout))
}

fn matches(j: &Value) -> Vec<String> {
    j["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

fn causes(j: &Value) -> Vec<String> {
    j["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

fn first_cause(j: &Value) -> String {
    causes(j).into_iter().next().expect("a cause")
}

fn status(j: &Value, id: &str) -> String {
    j["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no cause {id} in {j:#}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The message of a real log line, and what it must be matched to.
fn check(line: &str, pattern: &str, first: &str) -> Value {
    let (code, j) = explain(&[line]);
    assert_eq!(code, Some(0), "{line}");
    assert!(matches(&j).contains(&pattern.to_string()), "{line}: {j:#}");
    assert_eq!(first_cause(&j), first, "{line}: {j:#}");
    j
}

// Real strings, as posted in the issue trackers.

#[test]
fn etcd_capnslog_bad_certificate_blames_the_client_trust() {
    // https://github.com/etcd-io/etcd/issues/11770
    let j = check(
        r#"Aug  9 12:57:26 k8s-master01 etcd: rejected connection from "192.168.0.12:34990" (error "remote error: tls: bad certificate", ServerName "")"#,
        "bad-certificate",
        "client-missing-ca",
    );
    assert_eq!(j["parsed"]["format"], "etcd (capnslog)");
    assert_eq!(j["parsed"]["error"], "remote error: tls: bad certificate");
    assert_eq!(j["parsed"]["remote_addr"], "192.168.0.12:34990");
    assert_eq!(j["parsed"]["server_name"], Value::Null);
}

#[test]
fn etcd_bad_certificate_with_server_name_reads_the_dialled_host() {
    // https://github.com/etcd-io/etcd/issues/9619 (the server side of a missing --cacert)
    let j = check(
        r#"2018-04-24 14:04:22.814059 I | embed: rejected connection from "127.0.0.1:48972" (error "remote error: tls: bad certificate", ServerName "etcd-1.local")"#,
        "bad-certificate",
        "client-missing-ca",
    );
    assert_eq!(j["parsed"]["dialled_host"], "etcd-1.local");
}

#[test]
fn client_side_bad_certificate_blames_the_client_certificate() {
    // https://github.com/etcd-io/etcd/issues/9147
    check(
        r#"2018-01-16 11:27:04.714127 I | etcdserver/api/v3rpc: Failed to dial 10.161.233.80:2379: connection error: desc = "transport: remote error: tls: bad certificate"; please retry."#,
        "bad-certificate",
        "client-certificate-other-ca",
    );
}

#[test]
fn etcdctl_context_deadline_exceeded() {
    // https://github.com/etcd-io/etcd/issues/9619 (etcdctl without --cacert)
    let j = check(
        "Error: context deadline exceeded",
        "deadline-exceeded",
        "client-missing-ca",
    );
    assert!(causes(&j).contains(&"client-no-certificate".to_string()));
}

#[test]
fn zap_line_without_client_certificate() {
    // https://github.com/kragniz/python-etcd3/issues/1229
    let j = check(
        r#"{"level":"warn","ts":"2020-07-11T12:10:17.474-0400","caller":"embed/config_logging.go:279","msg":"rejected connection","remote-addr":"127.0.0.1:59996","server-name":"localhost","error":"tls: client didn't provide a certificate"}"#,
        "no-client-certificate",
        "client-no-certificate",
    );
    assert_eq!(j["parsed"]["format"], "etcd (zap)");
    assert_eq!(
        j["parsed"]["error"],
        "tls: client didn't provide a certificate"
    );
    assert_eq!(j["parsed"]["server_name"], "localhost");
}

#[test]
fn capnslog_line_without_client_certificate() {
    // https://github.com/etcd-io/jetcd/issues/748
    check(
        r#"2020-05-07 15:13:01.823481 I | embed: rejected connection from "172.22.201.110:61787" (error "tls: client didn't provide a certificate", ServerName "")"#,
        "no-client-certificate",
        "client-no-certificate",
    );
}

#[test]
fn zap_incompatible_key_usage_after_a_journal_prefix() {
    // https://github.com/voxpupuli/puppet-k8s/pull/132
    let j = check(
        r#"Jun 16 09:22:28 example etcd[10992]: {"level":"warn","ts":"2025-06-16T09:22:28.579816Z","caller":"embed/config_logging.go:169","msg":"rejected connection","remote-addr":"[::1]:35480","server-name":"","error":"tls: failed to verify certificate: x509: certificate specifies an incompatible key usage"}"#,
        "incompatible-key-usage",
        "missing-client-auth-usage",
    );
    assert_eq!(j["parsed"]["remote_addr"], "[::1]:35480");
    let c = &j["causes"][0];
    assert_eq!(c["rules"], serde_json::json!(["CERT005"]));
}

#[test]
fn capnslog_incompatible_key_usage() {
    // https://github.com/etcd-io/etcd/issues/13630
    check(
        r#"2022-01-17 21:02:17.4563 I | embed: rejected connection from "127.0.0.1:12345" (error "tls: failed to verify client's certificate: x509: certificate specifies an incompatible key usage", ServerName "")"#,
        "incompatible-key-usage",
        "missing-client-auth-usage",
    );
}

#[test]
fn first_record_not_tls_capnslog_and_zap() {
    // https://github.com/etcd-io/etcd/issues/9917
    check(
        r#"Jul 11 08:13:19 localhost etcd: rejected connection from "192.168.3.169:39692" (error "tls: first record does not look like a TLS handshake", ServerName "")"#,
        "plain-to-tls",
        "client-plain-http",
    );
    // https://github.com/kubernetes-retired/etcdadm/issues/340
    check(
        r#"etcd[402254]: {"level":"warn","ts":"2022-08-31T14:17:50.484+0800","caller":"embed/config_logging.go:169","msg":"rejected connection","remote-addr":"xxxxx:42176","server-name":"","error":"tls: first record does not look like a TLS handshake"}"#,
        "plain-to-tls",
        "client-plain-http",
    );
}

#[test]
fn influx_cli_gets_plain_http_answer() {
    // https://github.com/influxdata/influxdb/issues/17015 (the message as Go's net/http ends it)
    let j = check(
        "Failed to connect to https://influx-stage.odds-bods.com:8086: Get https://influx-stage.odds-bods.com:8086/ping: http: server gave HTTP response to HTTPS client",
        "https-to-plain-http",
        "server-plain-http",
    );
    assert_eq!(j["parsed"]["dialled_host"], "influx-stage.odds-bods.com");
    assert_eq!(j["parsed"]["dialled_port"], 8086);
}

#[test]
fn curl_unable_to_get_local_issuer() {
    // https://github.com/kubernetes-retired/kube-aws/issues/690
    check(
        "curl: (60) SSL certificate problem: unable to get local issuer certificate",
        "unknown-authority",
        "client-missing-ca",
    );
}

#[test]
fn curl_35_ssl_routines() {
    // https://github.com/etcd-io/etcd/issues/356 (https:// to a plain listener)
    check(
        "curl: (35) error:140770FC:SSL routines:SSL23_GET_SERVER_HELLO:unknown protocol",
        "https-to-plain-http",
        "server-plain-http",
    );
    // https://github.com/etcd-io/etcd/issues/4368 (the server wanted a client certificate)
    check(
        "curl: (35) error:14094410:SSL routines:SSL3_READ_BYTES:sslv3 alert handshake failure",
        "handshake-failure",
        "client-no-certificate",
    );
}

#[test]
fn zap_expired_client_certificate() {
    // https://github.com/etcd-io/etcd/issues/15740
    let j = check(
        r#"{"level":"warn","ts":"2023-04-18T07:10:00.276Z","caller":"embed/config_logging.go:169","msg":"rejected connection","remote-addr":"192.168.211.110:45886","server-name":"etcd.zragsai","error":"keys: failed to verify client certificate: x509: certificate has expired or is not yet valid: current time 2023-04-18T07:10:00Z is after 2023-04-18T07:04:06Z"}"#,
        "certificate-expired",
        "certificate-expired",
    );
    assert!(causes(&j).contains(&"clock-skew".to_string()));
}

#[test]
fn go_http_server_handshake_errors() {
    // https://github.com/influxdata/flux/issues/2075
    let j = check(
        "2019/10/28 13:43:20 http: TLS handshake error from [::1]:60342: remote error: tls: bad certificate",
        "tls-handshake-error-log",
        "client-missing-ca",
    );
    assert_eq!(j["parsed"]["format"], "go http server");
    assert_eq!(j["parsed"]["remote_addr"], "[::1]:60342");
    // https://github.com/influxdata/influxdb/issues/5958
    check(
        "2016/03/09 20:33:53 http: TLS handshake error from <IP>:<PORT>: tls: oversized record received with length <SIZE>",
        "plain-to-tls",
        "client-plain-http",
    );
}

#[test]
fn no_ip_sans_and_etcd_3_2_peer_names() {
    // https://github.com/etcd-io/etcd/issues/8328 (address replaced by a documentation one)
    let j = check(
        "failed to check the health of member 2d6aa874eef6cb44 on https://203.0.113.7:2379: Get https://203.0.113.7:2379/health: x509: cannot validate certificate for 203.0.113.7 because it doesn't contain any IP SANs",
        "x509-name-mismatch",
        "dialled-name-not-in-sans",
    );
    assert_eq!(j["parsed"]["dialled_host"], "203.0.113.7");
    // https://github.com/etcd-io/etcd/issues/8534
    let j = check(
        r#"2017-09-14 21:21:14.499424 I | etcdmain: rejected connection from "10.38.202.214:47770" (tls: "10.38.202.214" does not match any of DNSNames ["*.etcd-dev-cluster.etcd.svc"])"#,
        "x509-name-mismatch",
        "dialled-name-not-in-sans",
    );
    assert_eq!(j["parsed"]["dialled_host"], "10.38.202.214");
    assert_eq!(
        j["parsed"]["valid_for"],
        serde_json::json!(["*.etcd-dev-cluster.etcd.svc"])
    );
}

// Variants: other hosts, other log formats.

#[test]
fn valid_for_variants_read_every_host() {
    // The form of https://github.com/etcd-io/etcd/issues/7544, with other hosts.
    for (line, dialled, valid) in [
        (
            "x509: certificate is valid for 10.0.0.11, not 10.0.0.12",
            "10.0.0.12",
            vec!["10.0.0.11"],
        ),
        (
            "Get \"https://etcd-b.example.net:2379/v2/keys\": x509: certificate is valid for etcd-a.example.net, localhost, 127.0.0.1, not etcd-b.example.net",
            "etcd-b.example.net",
            vec!["etcd-a.example.net", "localhost", "127.0.0.1"],
        ),
        (
            "tls: failed to verify certificate: x509: certificate is valid for fd00::11, not fd00::12",
            "fd00::12",
            vec!["fd00::11"],
        ),
    ] {
        let j = check(line, "x509-name-mismatch", "dialled-name-not-in-sans");
        assert_eq!(j["parsed"]["dialled_host"], dialled, "{line}");
        assert_eq!(j["parsed"]["valid_for"], serde_json::json!(valid), "{line}");
    }
}

#[test]
fn unknown_authority_in_a_server_log_blames_the_client_certificate() {
    // The etcd 3.5 zap form of the log sample in https://github.com/autobase-tech/autobase/issues/954
    // (V22), with another client address.
    let j = check(
        r#"{"level":"warn","ts":"2024-03-01T10:00:00.000Z","caller":"embed/config_logging.go:169","msg":"rejected connection","remote-addr":"10.1.2.3:50514","server-name":"","error":"tls: failed to verify certificate: x509: certificate signed by unknown authority"}"#,
        "unknown-authority",
        "client-certificate-other-ca",
    );
    assert!(matches(&j).contains(&"failed-to-verify".to_string()));
    // The same error in a client: the client lacks the CA.
    check(
        "tls: failed to verify certificate: x509: certificate signed by unknown authority",
        "unknown-authority",
        "client-missing-ca",
    );
}

#[test]
fn unknown_message_has_no_known_cause_and_exits_1() {
    let (code, j) = explain(&["disk quota exceeded on /var/lib/etcd"]);
    assert_eq!(code, Some(1));
    assert!(causes(&j).is_empty());
    let (code, out) = human(&["disk quota exceeded on /var/lib/etcd"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("no known cause"), "{out}");
}

#[test]
fn human_output_ranks_causes_with_rules_and_sources() {
    let (code, out) = human(&["x509: certificate is valid for 10.0.0.11, not 10.0.0.12"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("source: https://github.com/etcd-io/etcd/issues/7544"),
        "{out}"
    );
    assert!(
        out.contains("1. [unchecked] the client dials a name or address"),
        "{out}"
    );
    assert!(
        out.contains("detected by: CERT002 san-does-not-cover-host"),
        "{out}"
    );
    assert!(out.contains("check: ") && out.contains("fix: "), "{out}");
}

// Model and paths decide between causes.

#[test]
fn model_picks_another_hosts_certificate_or_an_unknown_address() {
    let line = r#"Get "https://10.0.0.12:2379/health": x509: certificate is valid for 10.0.0.11, not 10.0.0.12"#;
    // 10.0.0.12 is server2: the certificate presented is server1's.
    let two = format!("{FIX}/models/two-members.yaml");
    let (code, j) = explain(&["--model", &two, line]);
    assert_eq!(code, Some(0));
    assert_eq!(first_cause(&j), "other-host-certificate", "{j:#}");
    assert_eq!(status(&j, "other-host-certificate"), "confirmed");
    assert_eq!(status(&j, "dialled-name-not-in-sans"), "ruled-out");
    assert_eq!(status(&j, "stale-certificate"), "ruled-out");
    // 10.0.0.12 is no host of this model: the client dials an address no certificate lists.
    let one = format!("{FIX}/models/one-member.yaml");
    let (code, j) = explain(&["--model", &one, line]);
    assert_eq!(code, Some(0));
    assert_eq!(first_cause(&j), "dialled-name-not-in-sans", "{j:#}");
    assert_eq!(status(&j, "dialled-name-not-in-sans"), "confirmed");
    assert_eq!(status(&j, "other-host-certificate"), "ruled-out");
}

#[test]
fn model_tells_a_stale_certificate() {
    // server2's own names, without its address: the certificate predates the model.
    let two = format!("{FIX}/models/two-members.yaml");
    let (_, j) = explain(&[
        "--model",
        &two,
        "x509: certificate is valid for 127.0.0.1, localhost, not 10.0.0.12",
    ]);
    assert_eq!(first_cause(&j), "stale-certificate", "{j:#}");
    assert_eq!(status(&j, "stale-certificate"), "confirmed");
}

#[test]
fn model_knows_the_plain_legacy_port() {
    let line =
        r#"Get "https://10.0.0.11:4001/v2/keys": http: server gave HTTP response to HTTPS client"#;
    let two = format!("{FIX}/models/two-members.yaml");
    let (_, j) = explain(&["--model", &two, line]);
    assert_eq!(status(&j, "server-plain-http"), "confirmed");
    let ev = j["causes"][0]["evidence"].to_string();
    assert!(ev.contains("legacy listener"), "{ev}");
    // The same message on the https client port of the other model: the model serves TLS
    // there, so the listener is not plain by design (a member not restarted is left).
    let one = format!("{FIX}/models/one-member.yaml");
    let line =
        r#"Get "https://10.0.0.11:2379/v2/keys": http: server gave HTTP response to HTTPS client"#;
    let (_, j) = explain(&["--model", &one, line]);
    assert_eq!(status(&j, "server-plain-http"), "ruled-out");
    assert_eq!(first_cause(&j), "server-not-restarted", "{j:#}");
}

#[test]
fn model_with_client_cert_auth_confirms_a_missing_client_certificate() {
    let line = "tls: client didn't provide a certificate";
    let two = format!("{FIX}/models/two-members.yaml");
    let (_, j) = explain(&["--model", &two, line]);
    assert_eq!(status(&j, "client-no-certificate"), "confirmed");
    let one = format!("{FIX}/models/one-member.yaml");
    let (_, j) = explain(&["--model", &one, line]);
    assert_eq!(status(&j, "client-no-certificate"), "unchecked");
}

#[test]
fn paths_pick_different_causes_for_the_same_message() {
    // https://github.com/etcd-io/etcd/issues/9619: etcdctl's bare timeout.
    let line = "Error: context deadline exceeded";
    let a = format!("{FIX}/etcdctl-no-ca");
    let (code, j) = explain(&[line, &a]);
    assert_eq!(code, Some(0));
    assert_eq!(first_cause(&j), "client-missing-ca", "{j:#}");
    assert_eq!(status(&j, "client-missing-ca"), "confirmed");
    let ev = j["causes"][0]["evidence"].to_string();
    assert!(ev.contains("ETCD019"), "{ev}");
    let b = format!("{FIX}/etcd-plain");
    let (code, j) = explain(&[line, &b]);
    assert_eq!(code, Some(0));
    assert_eq!(first_cause(&j), "server-plain-http", "{j:#}");
    assert_eq!(status(&j, "server-plain-http"), "confirmed");
    assert!(j["causes"][0]["evidence"].to_string().contains("ETCD001"));
    assert_eq!(status(&j, "client-missing-ca"), "unchecked");
}

#[test]
fn paths_confirm_a_plain_influxdb_behind_telegraf() {
    let line = "E! [outputs.influxdb] When writing to [https://influx1:8086]: failed doing req: Post \"https://influx1:8086/write?db=telegraf\": http: server gave HTTP response to HTTPS client";
    let tree = format!("{FIX}/influx-plain");
    let (_, j) = explain(&[line, &tree]);
    assert_eq!(first_cause(&j), "server-plain-http");
    let ev = j["causes"][0]["evidence"].to_string();
    assert!(ev.contains("INFLUX001") && ev.contains("TGF008"), "{ev}");
    // A clean etcd tree rules the plain listener out.
    let clean = format!("{FIX}/etcdctl-no-ca");
    let (_, j) = explain(&[line, &clean]);
    assert_eq!(status(&j, "server-plain-http"), "unchecked");
}

#[test]
fn a_missing_path_is_an_error_and_a_broken_file_a_note() {
    let line = "http: server gave HTTP response to HTTPS client";
    let o = common::run_in(
        &common::repo_root(),
        &[
            "explain",
            line,
            "tests/fixtures_explain/no-such-dir/etcdctl.env",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(common::text(&o.stderr).contains("cannot read"));
    let o = common::run_in(
        &common::repo_root(),
        &["explain", line, "tests/fixtures_explain/broken"],
    );
    assert_eq!(o.status.code(), Some(0));
    let err = common::text(&o.stderr);
    assert!(err.contains("TLSGEN001"), "{err}");
    // A file that did not parse rules nothing out.
    let (_, j) = explain(&[
        "tls: first record does not look like a TLS handshake",
        "tests/fixtures_explain/broken",
    ]);
    assert_eq!(status(&j, "client-plain-http"), "unchecked");
    let (_, j) = explain(&[
        "tls: first record does not look like a TLS handshake",
        "tests/fixtures_explain/influx-plain",
    ]);
    assert_eq!(status(&j, "client-plain-http"), "ruled-out");
}

// Secrets.

#[test]
fn key_material_is_refused_and_passwords_masked() {
    let o = common::run_in(
        &common::repo_root(),
        &[
            "explain",
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(!common::text(&o.stderr).contains("MIIEvQIBADANBg"));
    for format in ["human", "json"] {
        let o = common::run_in(
            &common::repo_root(),
            &[
                "explain",
                "--format",
                format,
                r#"Get "https://root:s3cretpw@10.0.0.11:2379/health": x509: certificate signed by unknown authority"#,
            ],
        );
        assert_eq!(o.status.code(), Some(0));
        let out = common::text(&o.stdout);
        assert!(!out.contains("s3cretpw"), "{format}: {out}");
    }
}

#[test]
fn stdin_is_read_with_a_dash() {
    let o = common::run_stdin(
        &common::repo_root(),
        &["explain", "--format", "json", "-"],
        "x509: certificate has expired or is not yet valid\n",
    );
    assert_eq!(o.status.code(), Some(0));
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(first_cause(&j), "certificate-expired");
}

#[test]
fn etcd_3_6_and_client_zap_lines() {
    // etcd 3.6 names the endpoint in the message (FACTS-verify-rotate V19); the error is the
    // one of https://github.com/kragniz/python-etcd3/issues/1229, from another client.
    let j = check(
        r#"{"level":"warn","ts":"2025-01-02T03:04:05.678Z","caller":"embed/config_logging.go:199","msg":"rejected connection on client endpoint","remote-addr":"10.9.8.7:41000","server-name":"etcd-2.example.net","error":"tls: client didn't provide a certificate"}"#,
        "no-client-certificate",
        "client-no-certificate",
    );
    assert_eq!(j["parsed"]["server_name"], "etcd-2.example.net");
    assert_eq!(j["parsed"]["remote_addr"], "10.9.8.7:41000");
    // A client's own zap line (the form of https://github.com/bitnami/charts/issues/4086): the
    // error field is read, and the client's side is kept.
    let j = check(
        r#"{"level":"warn","ts":"2020-10-28T18:41:11.877Z","caller":"clientv3/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":"endpoint://client-1/etcd-0:2379","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}"#,
        "deadline-exceeded",
        "client-missing-ca",
    );
    assert_eq!(j["parsed"]["format"], "etcd (zap)");
}

#[test]
fn human_output_with_a_model() {
    let two = format!("{FIX}/models/two-members.yaml");
    let (code, out) = human(&[
        "--model",
        &two,
        r#"Get "https://10.0.0.12:2379/health": x509: certificate is valid for 10.0.0.11, not 10.0.0.12"#,
    ]);
    assert_eq!(code, Some(0));
    common::insta_settings().bind(|| insta::assert_snapshot!("explain_human_model", out));
}

#[test]
fn an_invalid_model_is_a_diagnostic_and_exit_2() {
    let o = common::run_in(
        &common::repo_root(),
        &[
            "explain",
            "--model",
            "tests/models/invalid/duplicate-address.yaml",
            "x509: certificate is valid for 10.0.0.11, not 10.0.0.12",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(common::text(&o.stderr).contains("model::duplicate-address"));
}
