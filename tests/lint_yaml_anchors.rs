//! YAML that real deployments write with anchors, aliases, merge keys and content on a `---`
//! line is checked like its expanded twin; a JSON file's syntax error is told in JSON's words.

use tlsgen::lint::{self, Input, Kind, Settings};

fn lint_stdin(name: &str, text: &str, kind: Kind) -> lint::Report {
    let input = Input {
        stdin: Some((name.to_string(), text.to_string())),
        kind: Some(kind),
        ..Input::default()
    };
    lint::lint(&input, &Settings::default()).unwrap()
}

fn codes(report: &lint::Report) -> Vec<&'static str> {
    let mut c: Vec<_> = report.findings.iter().map(|f| f.rule.code).collect();
    c.sort_unstable();
    c
}

/// The quoted text of each finding, to compare where two files' findings point.
fn quoted<'a>(report: &lint::Report, text: &'a str) -> Vec<(&'static str, &'a str)> {
    let mut q: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.rule.code, &text[f.span.start..f.span.end]))
        .collect();
    q.sort_unstable();
    q
}

const ENCRYPTION_PLAIN: &str = "\
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers:
      - identity: {}
      - aescbc:
          keys:
            - name: key1
              secret: c2VjcmV0IGlzIHNlY3VyZSwgaSB0aGluayBzbyBhbmQgc28=
  - resources:
      - configmaps
    providers:
      - identity: {}
      - aescbc:
          keys:
            - name: key1
              secret: c2VjcmV0IGlzIHNlY3VyZSwgaSB0aGluayBzbyBhbmQgc28=
";

/// The same configuration, its provider list written once and aliased.
const ENCRYPTION_ANCHORED: &str = "\
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers: &providers
      - identity: {}
      - aescbc:
          keys:
            - name: key1
              secret: c2VjcmV0IGlzIHNlY3VyZSwgaSB0aGluayBzbyBhbmQgc28=
  - resources:
      - configmaps
    providers: *providers
";

#[test]
fn an_encryption_configuration_with_aliases_gets_its_findings() {
    let plain = lint_stdin("encryption.yaml", ENCRYPTION_PLAIN, Kind::K8sEncryption);
    let anchored = lint_stdin("encryption.yaml", ENCRYPTION_ANCHORED, Kind::K8sEncryption);
    assert!(codes(&plain).contains(&"K8SENC001"), "{:?}", codes(&plain));
    assert!(
        !codes(&anchored).contains(&"TLSGEN001"),
        "{:?}",
        codes(&anchored)
    );
    // The same problems. A problem of the aliased list is written once (at the anchor) and is
    // reported once there, where the plain file has it twice.
    let mut unique = codes(&plain);
    unique.dedup();
    assert_eq!(codes(&anchored), unique);
    // A finding in the aliased list points at the text that spells it, the anchor's.
    for (code, at) in quoted(&anchored, ENCRYPTION_ANCHORED) {
        assert!(!at.starts_with('*'), "{code} points at the alias: {at:?}");
    }
}

const POD_PLAIN: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.12-0
    command:
    - etcd
    - --name=master-1
    - --listen-client-urls=http://10.0.0.11:2379
    - --advertise-client-urls=http://10.0.0.11:2379
    - --client-cert-auth=false
";

/// The same pod, its container merged (`<<`) from an anchored mapping written beside the pod's
/// keys, as in `x-` extension blocks.
const POD_ANCHORED: &str = "\
--- # etcd
apiVersion: v1
kind: Pod
x-etcd: &etcd
  name: etcd
  image: registry.k8s.io/etcd:3.5.12-0
  command:
  - etcd
  - --name=master-1
  - --listen-client-urls=http://10.0.0.11:2379
  - --advertise-client-urls=http://10.0.0.11:2379
  - --client-cert-auth=false
metadata:
  name: etcd
  namespace: kube-system
spec:
  containers:
  - <<: *etcd
";

#[test]
fn a_static_pod_with_anchors_gets_its_findings() {
    let plain = lint_stdin("etcd.yaml", POD_PLAIN, Kind::EtcdPod);
    let anchored = lint_stdin("etcd.yaml", POD_ANCHORED, Kind::EtcdPod);
    assert!(!codes(&plain).is_empty());
    assert_eq!(codes(&anchored), codes(&plain));
    assert_eq!(
        quoted(&anchored, POD_ANCHORED),
        quoted(&plain, POD_PLAIN),
        "the findings quote the same text"
    );
}

/// `--- {…}` on the marker line: the document is read, not dropped.
#[test]
fn a_document_on_the_marker_line_is_linted() {
    let flow = "--- {apiVersion: v1, kind: Pod, metadata: {name: etcd}, spec: {containers: [\
                {name: etcd, command: [etcd, --client-cert-auth=false, \
                --listen-client-urls=http://10.0.0.11:2379]}]}}\n";
    let report = lint_stdin("etcd.yaml", flow, Kind::EtcdPod);
    assert!(!codes(&report).is_empty(), "nothing found in {flow:?}");
    assert!(
        !codes(&report).contains(&"TLSGEN001"),
        "{:?}",
        codes(&report)
    );
}

#[test]
fn a_json_syntax_error_is_told_in_json_words() {
    let text = "{\n  \"service\": {\"name\": \"elastic\"\n  \"security\": {}\n}\n";
    let report = lint_stdin("options.json", text, Kind::DcosElastic);
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule.code == "TLSGEN001")
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .message
            .contains("invalid JSON: expected `,` or `}`"),
        "{}",
        errors[0].message
    );
    assert_eq!(
        &text[errors[0].span.start..errors[0].span.end],
        "\"security\""
    );
}
