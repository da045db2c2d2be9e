use crate::lint::fix::Applicability;
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags `peer-client-cert-auth` (`--peer-client-cert-auth`, `ETCD_PEER_CLIENT_CERT_AUTH`,
    /// YAML `peer-transport-security.client-cert-auth`) that is missing or not `true`; the bare
    /// boolean form is a warning, as in ETCD003.
    /// In etcd's YAML config (read with go-yaml, YAML 1.1) `yes`/`on` are true and clean; a
    /// value etcd refuses stops etcd and is ETCD022's alone.
    ///
    /// With `peer-trusted-ca-file` set, a missing or false `peer-client-cert-auth` is a warning:
    /// etcd then requires peer certificates anyway, and the finding says so.
    ///
    /// ## Why is this bad?
    /// Without it any host that reaches the peer port can join the replication stream. The etcd
    /// 3.5 docs recommend it (CVE-2023-44487). Not reported for a proxy (no peer listener).
    ///
    /// The peer listener's TLS configuration is built like the client one: a set
    /// `peer-trusted-ca-file` alone makes etcd require and verify peer certificates
    /// (`TLSInfo.ServerConfig`, FACTS §1.2). Then the flag is missing only for CIS scanners
    /// (kube-bench 2.5, checkov, trivy) and readers: a warning.
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_PEER_CLIENT_CERT_AUTH=false"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_PEER_CLIENT_CERT_AUTH=true"
    /// ```
    ///
    /// ## Fix safety
    /// Rewriting the bare flag to `=true` is safe. So is writing `peer-client-cert-auth=true`
    /// when `peer-trusted-ca-file` is set (in place of `false`, or on the line after the CA
    /// file): etcd already requires peer certificates, and the flag changes nothing else on the
    /// peer side. Turning it on without a peer CA file is not offered.
    ///
    /// ## References
    /// - FACTS §1.2 `--peer-client-cert-auth` row, F-E28; kube-bench CIS 2.5; checkov CKV_K8S_121; trivy KCV-0046
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD006",
        name: "peer-client-cert-auth-disabled",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "peer-client-cert-auth is not true",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let sources = ctx.sources;
    if c.peer_tls_expected(&|id| sources.get(id)) {
        super::must_be_true(
            c,
            ctx,
            "peer-client-cert-auth",
            "peer-trusted-ca-file",
            "peers",
            true,
        );
    }
}
