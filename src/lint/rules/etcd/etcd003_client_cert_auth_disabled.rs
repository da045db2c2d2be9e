use crate::lint::fix::Applicability;
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// Flags `client-cert-auth` (`--client-cert-auth`, `ETCD_CLIENT_CERT_AUTH`, YAML
    /// `client-transport-security.client-cert-auth`) that is missing or not `true`. A bare
    /// `--client-cert-auth` without `=true`, or a value etcd reads as true but spelt otherwise
    /// (`1`, `True`), is a warning: etcd accepts it, CIS scanners do not.
    /// In etcd's YAML config (read with go-yaml, YAML 1.1) `yes`/`on` are true and clean. A
    /// value etcd refuses (`yes` in a variable, a quoted `"true"` or `1` in YAML) stops etcd and
    /// is ETCD022's alone.
    ///
    /// With `trusted-ca-file` set, a missing or false `client-cert-auth` is a warning: etcd then
    /// requires client certificates anyway, and the finding says so.
    ///
    /// ## Why is this bad?
    /// Without client certificate authentication any client that reaches the port may read and
    /// write the whole keyspace. The etcd 3.5 docs recommend it "to prevent attacks from
    /// unauthenticated clients (e.g. CVE-2023-44487)". Not reported for a proxy or for clients
    /// served on loopback plain HTTP only (etcd ignores it there, F-E9).
    ///
    /// etcd requires and verifies a client certificate whenever `trusted-ca-file` is set, with
    /// or without `client-cert-auth` (`pkg/transport` `TLSInfo.ServerConfig`: `if
    /// info.TrustedCAFile != "" || info.ClientCertAuth { cfg.ClientAuth =
    /// tls.RequireAndVerifyClientCert }`, FACTS §1.2; measured on etcd 3.4.23: a client without a
    /// certificate is refused). Clients are then not unauthenticated, but kube-bench (CIS 2.2),
    /// checkov and trivy look for `client-cert-auth=true` and fail the member, and a reader
    /// takes the missing flag for "off": a warning.
    ///
    /// ## Example
    /// ```yaml
    /// - --client-cert-auth=false
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - --client-cert-auth=true
    /// ```
    ///
    /// ## Fix safety
    /// Rewriting a bare `--client-cert-auth` to `--client-cert-auth=true` is safe. Turning it on
    /// without a trusted CA file is not offered: every client then needs a certificate. With
    /// `trusted-ca-file` set, writing `client-cert-auth=true` (in place of `false`, or on the line
    /// after the CA file) is offered as unsafe: the TLS handshake stays the same, but with etcd's
    /// own authentication on (`etcdctl auth enable`, which lint cannot see) etcd then takes a
    /// client certificate's common name as the user name of a request without a token
    /// (`EtcdServer.AuthInfoFromCtx` reads `ClientCertAuthEnabled`).
    ///
    /// ## References
    /// - FACTS §1.2 `--client-cert-auth` row, F-E25; kube-bench CIS 2.2; checkov CKV_K8S_117; trivy KCV-0043
    pub static RULE = Rule {
        fix: Applicability::Safe,
        code: "ETCD003",
        name: "client-cert-auth-disabled",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "client-cert-auth is not true",
        check: Check::Etcd(check),
    };
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    let sources = ctx.sources;
    if c.client_tls_expected(&|id| sources.get(id)) {
        super::must_be_true(
            c,
            ctx,
            "client-cert-auth",
            "trusted-ca-file",
            "clients",
            false,
        );
    }
}
