//! Template placeholders in systemd units are unknown values, never a syntax error or a cut: the
//! blanks inside `{{ … }}` split neither the `ExecStart=` words nor a URL list, and a line that is
//! a placeholder alone (`${unit_options}`, `{{ options }}`) is an unknown line that may hold any
//! setting, so nothing is reported as missing from that unit.

use tlsgen::lint::parse::systemd as unitparse;
use tlsgen::lint::source::SourceFile;
use tlsgen::lint::view::etcd::EtcdConfig;
use tlsgen::lint::{self, Input, Settings};

fn lint_text(name: &str, text: &str) -> lint::Report {
    let input = Input {
        stdin: Some((name.to_string(), text.to_string())),
        ..Input::default()
    };
    lint::lint(&input, &Settings::default()).unwrap()
}

/// `code: message` of each finding.
fn codes(report: &lint::Report) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| f.rule.code.to_string())
        .collect()
}

/// The text of each finding's span.
fn span_texts(report: &lint::Report, text: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .map(|f| text[f.span.start..f.span.end].to_string())
        .collect()
}

const DROPIN: &str = "etcd-member.service.d/40-templated.conf";

const SPLIT_URLS: &str = "[Service]\n\
ExecStart=\n\
ExecStart=/usr/bin/etcd --name {{ inventory_hostname }} \\\n  \
--listen-client-urls http://127.0.0.1:{{ port }},http://{{ addr }}:{{ port }} \\\n  \
--advertise-client-urls=http://{{ addr }}:{{ port }} \\\n  \
--listen-peer-urls {{ peer_scheme }}://{{ addr }}:2380 \\\n  \
--initial-advertise-peer-urls http://{{ addr }}:2380\n";

#[test]
fn blanks_inside_a_placeholder_split_neither_words_nor_url_lists() {
    let file = SourceFile::new(DROPIN.to_string(), SPLIT_URLS.to_string());
    let unit = unitparse::parse(SPLIT_URLS);
    assert!(unit.errors.is_empty(), "{:?}", unit.errors);
    let entry = unit.entries("Service", "ExecStart").nth(1).unwrap();
    let words: Vec<String> = unitparse::words(entry)
        .unwrap()
        .into_iter()
        .map(|w| {
            assert_eq!(SPLIT_URLS[w.span.clone()], w.text);
            w.text
        })
        .collect();
    assert_eq!(
        words,
        [
            "/usr/bin/etcd",
            "--name",
            "{{ inventory_hostname }}",
            "--listen-client-urls",
            "http://127.0.0.1:{{ port }},http://{{ addr }}:{{ port }}",
            "--advertise-client-urls=http://{{ addr }}:{{ port }}",
            "--listen-peer-urls",
            "{{ peer_scheme }}://{{ addr }}:2380",
            "--initial-advertise-peer-urls",
            "http://{{ addr }}:2380",
        ]
    );
    let config = EtcdConfig::from_units(&[(0, &file, &unit)]).unwrap();
    let urls: Vec<(String, String)> = config
        .urls(&|_| &file, "listen-client-urls")
        .iter()
        .map(|(url, span, _)| (url.clone(), SPLIT_URLS[span.start..span.end].to_string()))
        .collect();
    let client = [
        "http://127.0.0.1:{{ port }}",
        "http://{{ addr }}:{{ port }}",
    ];
    assert_eq!(
        urls,
        client.map(|u| (u.to_string(), u.to_string())).to_vec()
    );
    assert_eq!(
        config.get("advertise-client-urls").unwrap().value,
        "http://{{ addr }}:{{ port }}"
    );
}

#[test]
fn no_finding_points_at_a_cut_placeholder() {
    let report = lint_text(DROPIN, SPLIT_URLS);
    assert!(!codes(&report).contains(&"TLSGEN001".to_string()));
    for shown in span_texts(&report, SPLIT_URLS) {
        assert_eq!(
            shown.matches("{{").count(),
            shown.matches("}}").count(),
            "a finding points at a cut placeholder: {shown:?}"
        );
    }
    for f in &report.findings {
        assert!(
            !f.message.contains("http://{{`") && !f.message.contains("`}},"),
            "{}",
            f.message
        );
    }
    // The plain http peer URL is reported whole.
    let peer: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule.code == "ETCD009")
        .map(|f| SPLIT_URLS[f.span.start..f.span.end].to_string())
        .collect();
    assert_eq!(peer, ["http://{{ addr }}:2380"], "{:?}", report.findings);
}

#[test]
fn an_unquoted_environment_value_with_a_spaced_placeholder_is_one_assignment() {
    let text = "[Service]\nEnvironment=ETCD_LISTEN_CLIENT_URLS=https://{{ addr }}:2379 ETCD_NAME={{ name }}\n";
    let unit = unitparse::parse(text);
    let entry = unit.entries("Service", "Environment").next().unwrap();
    let a = unitparse::assignments(entry).unwrap();
    let names: Vec<(&str, &str, &str)> = a
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.value.as_str(),
                &text[a.value_span.clone()],
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "ETCD_LISTEN_CLIENT_URLS",
                "https://{{ addr }}:2379",
                "https://{{ addr }}:2379"
            ),
            ("ETCD_NAME", "{{ name }}", "{{ name }}"),
        ]
    );
    assert!(!codes(&lint_text(DROPIN, text)).contains(&"TLSGEN001".to_string()));
}

/// A drop-in serving clients over https with no certificate, no CA and no client certificate
/// authentication: every one of those is reported as missing, unless a placeholder line may
/// set it.
const OPEN_BASE: &str = "[Service]\n\
Environment=\"ETCD_NAME=infra1\"\n\
Environment=\"ETCD_LISTEN_CLIENT_URLS=https://10.0.0.1:2379\"\n\
Environment=\"ETCD_ADVERTISE_CLIENT_URLS=https://10.0.0.1:2379\"\n\
Environment=\"ETCD_LISTEN_PEER_URLS=https://10.0.0.1:2380\"\n";

#[test]
fn a_whole_line_placeholder_is_an_unknown_line_not_a_parse_error() {
    let closed = lint_text(DROPIN, OPEN_BASE);
    let missing = codes(&closed);
    assert!(!missing.is_empty(), "the base drop-in has absence findings");
    assert!(!missing.contains(&"TLSGEN001".to_string()));
    for line in [
        "${unit_options}",
        "{{ options }}",
        "  {{ etcd_extra_settings | indent(0) }}",
        "<%= @extra_service_lines %>",
        "$EXTRA",
        "@EXTRA_SETTINGS@",
    ] {
        let text = format!("{OPEN_BASE}{line}\n");
        let unit = unitparse::parse(&text);
        assert!(unit.errors.is_empty(), "{line}: {:?}", unit.errors);
        assert_eq!(unit.placeholder_lines.len(), 1, "{line}");
        let at = unit.placeholder_lines[0].clone();
        assert_eq!(text[at].trim(), line.trim());
        let report = lint_text(DROPIN, &text);
        let found = codes(&report);
        assert!(
            !found.contains(&"TLSGEN001".to_string()),
            "{line}: {found:?}"
        );
        // The unit is open: what the placeholder may set is not reported as missing.
        let file = SourceFile::new(DROPIN.to_string(), text.clone());
        let config = EtcdConfig::from_units(&[(0, &file, &unit)]).unwrap();
        assert!(config.open, "{line}");
        assert!(
            found.len() < missing.len() && found.iter().all(|c| missing.contains(c)),
            "{line}: {found:?} (closed: {missing:?})"
        );
    }
    // A placeholder line in the base unit opens the whole group of drop-ins too.
    let base_text = "[Unit]\nDescription=etcd\n[Service]\n${unit_options}\n";
    let base = unitparse::parse(base_text);
    let dropin = unitparse::parse(OPEN_BASE);
    let base_file = SourceFile::new("etcd-member.service".to_string(), base_text.to_string());
    let dropin_file = SourceFile::new(DROPIN.to_string(), OPEN_BASE.to_string());
    let config =
        EtcdConfig::from_units(&[(0, &base_file, &base), (1, &dropin_file, &dropin)]).unwrap();
    assert!(config.open);
}

#[test]
fn a_line_that_is_neither_a_placeholder_nor_an_assignment_is_still_a_parse_error() {
    let text = format!("{OPEN_BASE}nonsense here\n");
    let unit = unitparse::parse(&text);
    assert_eq!(unit.errors.len(), 1);
    assert!(unit.placeholder_lines.is_empty());
    assert!(codes(&lint_text(DROPIN, &text)).contains(&"TLSGEN001".to_string()));
}

#[test]
fn a_comma_inside_a_placeholder_does_not_split_a_url_list() {
    let text = "[Service]\nEnvironment=\"ETCD_LISTEN_CLIENT_URLS={{ client_urls | join(',') }},https://10.0.0.1:2379\"\nEnvironment=\"ETCD_INITIAL_CLUSTER=<%= @peers.map { |p| \"#{p}=https://#{p}:2380\" }.join(',') %>\"\n";
    let file = SourceFile::new(DROPIN.to_string(), text.to_string());
    let unit = unitparse::parse(text);
    let config = EtcdConfig::from_units(&[(0, &file, &unit)]).unwrap();
    let urls = |flag: &str| -> Vec<(String, String)> {
        config
            .urls(&|_| &file, flag)
            .iter()
            .map(|(url, span, _)| (url.clone(), text[span.start..span.end].to_string()))
            .collect()
    };
    let client = ["{{ client_urls | join(',') }}", "https://10.0.0.1:2379"];
    assert_eq!(
        urls("listen-client-urls"),
        client.map(|u| (u.to_string(), u.to_string())).to_vec()
    );
    assert_eq!(urls("initial-cluster").len(), 1);
}

#[test]
fn a_whole_line_placeholder_opens_an_environment_file_too() {
    let base = "ETCD_NAME=infra1\nETCD_LISTEN_CLIENT_URLS=https://10.0.0.1:2379\nETCD_LISTEN_PEER_URLS=https://10.0.0.1:2380\n";
    let missing = codes(&lint_text("etc/default/etcd", base));
    assert!(
        !missing.is_empty(),
        "the base env file has absence findings"
    );
    for line in ["{{ etcd_extra_env }}", "${EXTRA_ENV}", "<%= @extra %>"] {
        let text = format!("{base}{line}\n");
        let found = codes(&lint_text("etc/default/etcd", &text));
        assert!(
            found.len() < missing.len() && found.iter().all(|c| missing.contains(c)),
            "{line}: {found:?} (closed: {missing:?})"
        );
    }
    // A placeholder inside a value opens nothing.
    let text = format!("{base}ETCD_DATA_DIR={{{{ data_dir }}}}\n");
    assert_eq!(codes(&lint_text("etc/default/etcd", &text)), missing);
}
