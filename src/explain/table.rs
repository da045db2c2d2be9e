//! The knowledge of `tlsgen explain`, as data: which runtime messages mean what, where each
//! message comes from (the upstream source or the issue thread that shows it), and the causes
//! behind it, most likely first, each with the lint rules and model checks that detect it.
//!
//! Facts: FACTS-verify-rotate.md V13 (etcd's gRPC gateway dials with the server certificate), V17
//! (a trusted CA file alone makes etcd require client certificates), V19 (etcd's log lines), V20
//! (a missing client certificate under TLS 1.2 and 1.3), V22 (alerts for an untrusted or expired
//! client certificate), V23 (protocol version alert), R03 (the trusted CA file is read at start).

/// A model fact `tlsgen explain --model` can check for a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelCheck {
    /// The dialled host is (or is not) in the SANs of a certificate the model issues.
    DialledInSans,
    /// The names the presented certificate is valid for belong to another host of the model.
    OtherHostCertificate,
    /// The model's certificate for the dialled host covers it, the presented one does not.
    StaleCertificate,
    /// The dialled port is a plain-HTTP listener of the model (etcd's legacy port).
    DialledPlainPort,
    /// The dialled port serves TLS per the model, and the client spoke plain HTTP to it.
    PlainToTlsPort,
    /// etcd `client_cert_auth` is on: every client must present a certificate.
    ClientCertRequired,
}

impl ModelCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelCheck::DialledInSans => "model-dialled-host-in-sans",
            ModelCheck::OtherHostCertificate => "model-other-host-certificate",
            ModelCheck::StaleCertificate => "model-certificate-covers-host",
            ModelCheck::DialledPlainPort => "model-dialled-plain-port",
            ModelCheck::PlainToTlsPort => "model-dialled-tls-port",
            ModelCheck::ClientCertRequired => "model-client-cert-auth",
        }
    }
}

/// One likely cause of a message.
#[derive(Debug)]
pub struct Cause {
    pub id: &'static str,
    pub title: &'static str,
    pub why: &'static str,
    /// How to check it by hand, and how to fix it.
    pub check: &'static str,
    pub fix: &'static str,
    /// Lint rules (codes) that detect it in configuration files or the files they name.
    pub rules: &'static [&'static str],
    /// Kinds of file (`tlsgen lint --kind` names) in which the rules see every case of the
    /// cause: linted without a finding, they rule it out. Empty: lint can only confirm it (the
    /// certificate rules need the certificates themselves).
    pub ruled_out_by: &'static [&'static str],
    pub model: Option<ModelCheck>,
}

/// The kinds of file that configure an etcd or InfluxDB server.
const SERVERS: &[&str] = &[
    "etcd-unit",
    "etcd-env",
    "etcd-yaml",
    "etcd-pod",
    "influxdb-data",
    "influxdb-meta",
];

/// Which side logged the message, when the line says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// A server's log (etcd `rejected connection`, Go `http: TLS handshake error from`): the
    /// remote party is the client.
    Server,
    /// A client's error (etcdctl, curl, a Go client, Telegraf).
    Client,
}

/// A family of messages.
#[derive(Debug)]
pub struct Pattern {
    pub id: &'static str,
    /// Lowercase substrings; any of them matches.
    pub needles: &'static [&'static str],
    /// What the message says, in plain words.
    pub meaning: &'static str,
    /// Where the message comes from: upstream source or issue threads that show it.
    pub sources: &'static [&'static str],
    /// Cause ids, most likely first, for a client's error.
    pub causes: &'static [&'static str],
    /// Cause ids when a server logged the message (None: the same as `causes`).
    pub server_causes: Option<&'static [&'static str]>,
}

impl Pattern {
    pub fn causes_for(&self, side: Side) -> &'static [&'static str] {
        match (side, self.server_causes) {
            (Side::Server, Some(c)) => c,
            _ => self.causes,
        }
    }
}

/// Every pattern, most specific first: when several match, the causes of the earlier ones rank
/// higher.
pub const PATTERNS: &[Pattern] = &[
    Pattern {
        id: "x509-name-mismatch",
        needles: &[
            "certificate is valid for",
            "is not valid for any names",
            "doesn't contain any ip sans",
            "does not match any of dnsnames",
            "does not match any of ipaddresses",
            "no alternative certificate subject name matches",
            "ssl: no alternative",
        ],
        meaning: "the certificate the server presented does not list the name or address the \
                  client dialled",
        sources: &[
            "golang/go src/crypto/x509/verify.go (HostnameError)",
            "https://github.com/etcd-io/etcd/issues/7544",
            "https://github.com/etcd-io/etcd/issues/8328",
            "https://github.com/etcd-io/etcd/issues/8534",
        ],
        causes: &[
            "dialled-name-not-in-sans",
            "other-host-certificate",
            "stale-certificate",
        ],
        server_causes: None,
    },
    Pattern {
        id: "incompatible-key-usage",
        needles: &["incompatible key usage"],
        meaning: "a certificate was used for a purpose its extended key usage does not allow \
                  (a server certificate used as a client certificate, or the reverse)",
        sources: &[
            "golang/go src/crypto/x509/verify.go (IncompatibleUsage)",
            "https://github.com/etcd-io/etcd/issues/9785",
            "https://github.com/etcd-io/etcd/issues/13630",
            "https://github.com/etcd-io/etcd/issues/16590",
            "https://github.com/voxpupuli/puppet-k8s/pull/132",
        ],
        causes: &["missing-client-auth-usage", "missing-server-auth-usage"],
        server_causes: None,
    },
    Pattern {
        id: "certificate-expired",
        needles: &[
            "certificate has expired",
            "certificate is not yet valid",
            "certificate expired",
            "alert certificate expired",
        ],
        meaning: "a certificate is outside its validity period at the verifier's clock",
        sources: &[
            "golang/go src/crypto/x509/verify.go (CertificateInvalidError, Expired)",
            "https://github.com/etcd-io/etcd/issues/15740",
        ],
        causes: &["certificate-expired", "clock-skew"],
        server_causes: None,
    },
    Pattern {
        id: "unknown-authority",
        needles: &[
            "certificate signed by unknown authority",
            "unable to get local issuer certificate",
            "self signed certificate in certificate chain",
            "self-signed certificate in certificate chain",
            "unable to verify the first certificate",
            "issuer is not recognized",
            "issuer has been marked as not trusted",
            "alert unknown ca",
            "tls: unknown certificate authority",
        ],
        meaning: "the verifier has no CA certificate that signed the certificate it was shown",
        sources: &[
            "golang/go src/crypto/x509/verify.go (UnknownAuthorityError)",
            "https://github.com/kubernetes-retired/kube-aws/issues/690",
            "https://github.com/etcd-io/etcd/issues/8733",
            "https://github.com/autobase-tech/autobase/issues/954",
        ],
        causes: &["client-missing-ca", "server-certificate-other-ca", "ca-not-reloaded"],
        server_causes: Some(&[
            "client-certificate-other-ca",
            "ca-not-reloaded",
            "client-missing-ca",
        ]),
    },
    Pattern {
        id: "no-client-certificate",
        needles: &[
            "client didn't provide a certificate",
            "certificate required",
            "peer did not return a certificate",
        ],
        meaning: "the server requires a client certificate and the client sent none",
        sources: &[
            "golang/go src/crypto/tls/handshake_server.go (processCertsFromClient)",
            "https://github.com/kragniz/python-etcd3/issues/1229",
            "https://github.com/etcd-io/jetcd/issues/748",
        ],
        causes: &["client-no-certificate", "client-key-pair-incomplete"],
        server_causes: None,
    },
    Pattern {
        id: "bad-certificate",
        needles: &["remote error: tls: bad certificate", "alert bad certificate"],
        meaning: "the other side of the connection refused a certificate (in a server's log: \
                  the client refused the server's certificate; in a client's error: the server \
                  refused the client's certificate, or got none)",
        sources: &[
            "golang/go src/crypto/tls/alert.go (alertBadCertificate)",
            "https://github.com/etcd-io/etcd/issues/11770",
            "https://github.com/etcd-io/etcd/issues/14324",
            "https://github.com/etcd-io/etcd/issues/13485",
            "https://github.com/etcd-io/etcd/issues/9619",
        ],
        causes: &[
            "client-certificate-other-ca",
            "missing-client-auth-usage",
            "client-no-certificate",
            "certificate-expired",
        ],
        server_causes: Some(&[
            "client-missing-ca",
            "dialled-name-not-in-sans",
            "missing-client-auth-usage",
            "certificate-expired",
        ]),
    },
    Pattern {
        id: "https-to-plain-http",
        needles: &[
            "server gave http response to https client",
            "wrong version number",
            "unknown protocol",
            "ssl23_get_server_hello",
            "packet length too long",
        ],
        meaning: "the client spoke TLS and the server answered in plain HTTP",
        sources: &[
            "golang/go src/net/http/transport.go (\"server gave HTTP response to HTTPS client\")",
            "https://github.com/influxdata/influxdb/issues/17015",
            "https://github.com/etcd-io/etcd/issues/356",
        ],
        causes: &["server-plain-http", "server-not-restarted"],
        server_causes: None,
    },
    Pattern {
        id: "plain-to-tls",
        needles: &[
            "first record does not look like a tls handshake",
            "client sent an http request to an https server",
            "oversized record received",
        ],
        meaning: "the server expects TLS and the client spoke plain HTTP (or another protocol)",
        sources: &[
            "golang/go src/crypto/tls/conn.go (readRecordOrCCS)",
            "https://github.com/etcd-io/etcd/issues/9917",
            "https://github.com/etcd-io/etcd/issues/13280",
            "https://github.com/kubernetes-retired/etcdadm/issues/340",
            "https://github.com/influxdata/influxdb/issues/5958",
        ],
        causes: &["client-plain-http", "peer-plain-http", "probe-without-tls"],
        server_causes: None,
    },
    Pattern {
        id: "protocol-version",
        needles: &[
            "protocol version not supported",
            "alert protocol version",
            "unsupported protocol",
            "offered only unsupported versions",
            "server selected unsupported protocol version",
            "no protocols available",
        ],
        meaning: "client and server share no TLS version",
        sources: &[
            "golang/go src/crypto/tls/handshake_server.go (readClientHello, alertProtocolVersion)",
            "https://github.com/etcd-io/etcd/issues/8733",
        ],
        causes: &["tls-version-mismatch"],
        server_causes: None,
    },
    Pattern {
        id: "handshake-failure",
        needles: &[
            "alert handshake failure",
            "remote error: tls: handshake failure",
            "no cipher suite supported",
            "no shared cipher",
        ],
        meaning: "the handshake was refused without a precise reason: no shared cipher suite, \
                  or (TLS 1.2, newer Go) a client certificate the server required and did not get",
        sources: &[
            "golang/go src/crypto/tls/handshake_server.go",
            "https://github.com/etcd-io/etcd/issues/4368",
        ],
        causes: &["client-no-certificate", "tls-version-mismatch"],
        server_causes: None,
    },
    Pattern {
        id: "failed-to-verify",
        needles: &[
            "tls: failed to verify certificate",
            "failed to verify client's certificate",
            "failed to verify client certificate",
            "ssl certificate problem",
        ],
        meaning: "certificate verification failed (the reason follows in the message)",
        sources: &[
            "golang/go src/crypto/tls/handshake_client.go and handshake_server.go (\"tls: failed to verify certificate\")",
            "https://github.com/autobase-tech/autobase/issues/954",
        ],
        causes: &[
            "client-missing-ca",
            "dialled-name-not-in-sans",
            "certificate-expired",
        ],
        server_causes: Some(&[
            "client-certificate-other-ca",
            "missing-client-auth-usage",
            "certificate-expired",
        ]),
    },
    Pattern {
        id: "deadline-exceeded",
        needles: &["context deadline exceeded", "deadlineexceeded"],
        meaning: "the client gave up waiting; gRPC clients (etcdctl v3, kube-apiserver) retry a \
                  failing TLS handshake silently until the deadline, so after a TLS change this \
                  usually hides a handshake error",
        sources: &[
            "https://github.com/etcd-io/etcd/issues/9619",
            "https://github.com/bitnami/charts/issues/4086",
        ],
        causes: &[
            "client-missing-ca",
            "client-no-certificate",
            "client-plain-http",
            "server-plain-http",
            "dialled-name-not-in-sans",
        ],
        server_causes: None,
    },
    Pattern {
        id: "tls-handshake-error-log",
        needles: &["http: tls handshake error from"],
        meaning: "a Go HTTP server (influxd, Telegraf's listeners, etcd 2) could not complete a \
                  handshake with a client; the reason follows the client's address",
        sources: &[
            "golang/go src/net/http/server.go (\"http: TLS handshake error from\")",
            "https://github.com/influxdata/influxdb/issues/24317",
            "https://github.com/influxdata/flux/issues/2075",
        ],
        causes: &["client-missing-ca", "client-plain-http", "probe-without-tls"],
        server_causes: None,
    },
];

/// Every cause a pattern can name.
pub const CAUSES: &[Cause] = &[
    Cause {
        id: "dialled-name-not-in-sans",
        title: "the client dials a name or address the server certificate does not list",
        why: "Go and curl check the dialled host against the certificate's subject alternative \
              names (an IP needs an IP SAN, a name a DNS SAN); a VIP, a load balancer, \
              `localhost` or a new address that was never put in the certificate fails",
        check: "openssl x509 -in <server cert> -noout -ext subjectAltName, and compare with the \
                host in the client's endpoint",
        fix: "dial a name the certificate lists, or add the host to the member's names in the \
              model and re-issue with `tlsgen certs`",
        rules: &["CERT002"],
        ruled_out_by: &[],
        model: Some(ModelCheck::DialledInSans),
    },
    Cause {
        id: "other-host-certificate",
        title: "the server presents another host's certificate",
        why: "a certificate copied to the wrong member (or one certificate shared by every \
              member) lists the other host's address",
        check: "compare the SANs of the certificate on the host with that host's address",
        fix: "install each member's own certificate (`tlsgen certs` writes OUT/<host>/...)",
        rules: &["CERT002"],
        ruled_out_by: &[],
        model: Some(ModelCheck::OtherHostCertificate),
    },
    Cause {
        id: "stale-certificate",
        title: "the certificate on the host was issued before its names changed",
        why: "the address or name changed (or the certificate was made by hand) and the \
              certificate was not re-issued",
        check: "openssl x509 -noout -ext subjectAltName on the deployed certificate",
        fix: "re-run `tlsgen certs MODEL -o OUT` and deploy OUT/<host>/ (etcd reloads server \
              certificates on the next handshake)",
        rules: &["CERT002"],
        ruled_out_by: &[],
        model: Some(ModelCheck::StaleCertificate),
    },
    Cause {
        id: "client-missing-ca",
        title: "the client does not trust the CA that signed the server certificate",
        why: "a private CA is in no system store: the client needs it named (etcdctl --cacert or \
              ETCDCTL_CACERT, v2 --ca-file, curl --cacert, Telegraf tls_ca); without it Go says \
              `certificate signed by unknown authority`, curl `unable to get local issuer \
              certificate`, and etcd logs the client's alert as `remote error: tls: bad \
              certificate`",
        check: "openssl s_client -connect HOST:PORT -CAfile <ca.pem> shows `Verify return code: 0`",
        fix: "give the client the CA file (`ETCDCTL_CACERT=/abs/path/ca.pem`, `tls_ca` in \
              telegraf.conf)",
        rules: &["ETCD019", "CERT004", "CERT009"],
        ruled_out_by: &["etcdctl"],
        model: None,
    },
    Cause {
        id: "server-certificate-other-ca",
        title: "the server certificate was signed by another CA than the one the client trusts",
        why: "certificates re-issued from a new CA (or a test CA left in place) no longer chain \
              to the CA file the client names",
        check: "openssl verify -CAfile <client's ca.pem> <server cert>",
        fix: "re-issue the server certificate from the CA the clients trust, or give clients a \
              bundle of the old and new CA during a rotation",
        rules: &["CERT004", "CERT009"],
        ruled_out_by: &[],
        model: None,
    },
    Cause {
        id: "client-certificate-other-ca",
        title: "the client certificate is not signed by a CA in the server's trusted CA file",
        why: "etcd verifies client and peer certificates against --trusted-ca-file / \
              --peer-trusted-ca-file; a client certificate from another CA is refused (Go \
              alert bad_certificate or unknown_ca)",
        check: "openssl verify -CAfile <server's trusted-ca-file> <client cert>",
        fix: "issue the client certificate from the server's CA (`tlsgen certs` issues proxy and \
              admin certificates from the cluster CA)",
        rules: &["CERT004", "ETCD008"],
        ruled_out_by: &[],
        model: None,
    },
    Cause {
        id: "ca-not-reloaded",
        title: "the trusted CA file changed but the server was not restarted",
        why: "etcd reads --trusted-ca-file once at start (certificates and keys are re-read on \
              every handshake, the CA is not); a new CA appended to the bundle is refused until \
              a restart",
        check: "compare the CA file's modification time with the process start time \
                (systemctl show -p ActiveEnterTimestamp etcd-member)",
        fix: "restart the members one at a time after changing a CA file",
        rules: &[],
        ruled_out_by: &[],
        model: None,
    },
    Cause {
        id: "missing-client-auth-usage",
        title: "a certificate used as a client certificate lacks the clientAuth usage",
        why:
            "etcd's gRPC gateway dials etcd itself with the server certificate (--cert-file), and \
              members dial peers with the peer certificate: with client-cert-auth on, both need \
              clientAuth besides serverAuth; kubeadm adds it for this reason",
        check: "openssl x509 -in <cert> -noout -ext extendedKeyUsage shows TLS Web Client \
                Authentication",
        fix: "re-issue the certificate with serverAuth and clientAuth (`tlsgen certs` does for \
              members)",
        rules: &["CERT005"],
        ruled_out_by: &[],
        model: None,
    },
    Cause {
        id: "missing-server-auth-usage",
        title: "a certificate used as a server certificate lacks the serverAuth usage",
        why: "a client-only certificate installed as a server's --cert-file is refused by every \
              client that verifies it",
        check: "openssl x509 -in <cert> -noout -ext extendedKeyUsage shows TLS Web Server \
                Authentication",
        fix: "install the server's own certificate, or re-issue it with serverAuth",
        rules: &["CERT005"],
        ruled_out_by: &[],
        model: None,
    },
    Cause {
        id: "certificate-expired",
        title: "a certificate has expired (or is not valid yet)",
        why: "Go refuses a certificate outside its NotBefore..NotAfter window, server or client \
              alike",
        check: "openssl x509 -in <cert> -noout -dates",
        fix: "re-issue it (`tlsgen certs --renew-before 30d` renews what expires soon)",
        rules: &["CERT001"],
        ruled_out_by: &[],
        model: None,
    },
    Cause {
        id: "clock-skew",
        title: "the clocks of the two hosts disagree",
        why: "a certificate issued seconds ago is `not yet valid` on a host whose clock is behind",
        check: "timedatectl on both hosts (NTP synchronized: yes)",
        fix: "synchronise the clocks (chrony, systemd-timesyncd)",
        rules: &[],
        ruled_out_by: &[],
        model: None,
    },
    Cause {
        id: "client-no-certificate",
        title: "the client presents no client certificate where the server requires one",
        why: "etcd requires a client certificate when client-cert-auth is on or a trusted CA \
              file is set; etcdctl needs --cert and --key (ETCDCTL_CERT, ETCDCTL_KEY), curl \
              --cert and --key, Telegraf tls_cert and tls_key",
        check: "run the client with its certificate and key named; etcd logs `tls: client didn't \
                provide a certificate` for each refused client",
        fix: "give the client a certificate from the cluster CA (`tlsgen certs` writes \
              OUT/ca/admin.pem for etcdctl)",
        rules: &["TGF006"],
        ruled_out_by: &[],
        model: Some(ModelCheck::ClientCertRequired),
    },
    Cause {
        id: "client-key-pair-incomplete",
        title: "the client names a certificate without its key (or the reverse)",
        why: "a client given only one half of the pair sends no certificate at all (Telegraf \
              `tls_cert` without `tls_key`)",
        check: "look for tls_cert/tls_key, --cert/--key set as a pair",
        fix: "name both files",
        rules: &["TGF006", "CERT003"],
        ruled_out_by: &["telegraf"],
        model: None,
    },
    Cause {
        id: "server-plain-http",
        title: "the client uses https:// but the server listens on plain HTTP",
        why:
            "the listener has no TLS (an http:// listen URL, `https-enabled` false or a typo that \
              influxd ignores), or the client dialled the plain legacy port",
        check: "curl -v http://HOST:PORT/health answers; the listen URLs or https-enabled of the \
                server",
        fix: "turn TLS on for that listener, or dial the https port",
        rules: &[
            "ETCD001",
            "ETCD010",
            "ETCD021",
            "INFLUX001",
            "INFLUX011",
            "TGF008",
        ],
        ruled_out_by: SERVERS,
        model: Some(ModelCheck::DialledPlainPort),
    },
    Cause {
        id: "server-not-restarted",
        title: "the server still runs its configuration from before the TLS change",
        why: "a drop-in or config file was changed without `systemctl daemon-reload` and a \
              restart, so the process still serves the old plain listener",
        check: "systemctl show -p ActiveEnterTimestamp and compare with the file's time; \
                `ps -o args` of the process",
        fix: "systemctl daemon-reload, then restart the service",
        rules: &[],
        ruled_out_by: &[],
        model: None,
    },
    Cause {
        id: "client-plain-http",
        title: "a client speaks plain HTTP to a TLS listener",
        why: "an http:// endpoint left in a client (etcdctl ETCDCTL_ENDPOINTS, flannel, \
              Telegraf urls, a health check) after the server moved to https",
        check: "the remote address in the server's log names the client; look at its endpoints",
        fix: "switch the client's endpoints to https:// and give it the CA file",
        rules: &["TGF001"],
        ruled_out_by: &["telegraf"],
        model: Some(ModelCheck::PlainToTlsPort),
    },
    Cause {
        id: "peer-plain-http",
        title: "a member dials its peers over http:// while they listen with TLS",
        why: "peer URLs (initial-cluster, initial-advertise-peer-urls, or the member list) still \
              say http:// after the peer listeners moved to https",
        check: "etcdctl member list shows the peer URLs",
        fix: "`etcdctl member update` each peer URL to https (tlsgen plan orders the steps)",
        rules: &["ETCD009", "ETCD011"],
        ruled_out_by: &["etcd-unit", "etcd-env", "etcd-yaml", "etcd-pod"],
        model: None,
    },
    Cause {
        id: "probe-without-tls",
        title: "a health check or port scanner connects without TLS",
        why: "load balancer probes and monitoring that open a TCP connection (or send plain \
              HTTP) show up as handshake errors; harmless, but noisy",
        check: "the remote address in the log is a load balancer or monitoring host",
        fix: "point the probe at /health over https, or at a plain metrics listener",
        rules: &[],
        ruled_out_by: &[],
        model: None,
    },
    Cause {
        id: "tls-version-mismatch",
        title: "client and server share no TLS version or cipher suite",
        why: "etcd accepts only TLS 1.2 and 1.3; an old client (TLS 1.0/1.1) or a min-version / \
              cipher-suites setting that leaves nothing in common fails the handshake",
        check: "openssl s_client -connect HOST:PORT -tls1_2 (and -tls1_3)",
        fix: "allow TLS 1.2 on both sides and a cipher suite both know",
        rules: &["ETCD015", "ETCD016", "INFLUX009", "INFLUX010", "TGF004"],
        ruled_out_by: SERVERS,
        model: None,
    },
];

pub fn cause(id: &str) -> Option<&'static Cause> {
    CAUSES.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every cause a pattern names exists, every cause is named by a pattern, every rule code
    /// is a rule, every pattern cites a source, needles are lowercase.
    #[test]
    fn table_is_consistent() {
        for p in PATTERNS {
            assert!(!p.sources.is_empty(), "{} cites no source", p.id);
            for n in p.needles {
                assert_eq!(*n, n.to_lowercase(), "{}: needle {n} not lowercase", p.id);
            }
            for c in p.causes.iter().chain(p.server_causes.unwrap_or(&[])) {
                assert!(cause(c).is_some(), "{}: no cause {c}", p.id);
            }
        }
        for c in CAUSES {
            assert!(
                PATTERNS
                    .iter()
                    .any(|p| p.causes.contains(&c.id)
                        || p.server_causes.unwrap_or(&[]).contains(&c.id)),
                "cause {} is named by no pattern",
                c.id
            );
            for k in c.ruled_out_by {
                assert!(
                    <crate::lint::detect::Kind as clap::ValueEnum>::value_variants()
                        .iter()
                        .any(|v| v.as_str() == *k),
                    "cause {}: {k} is not a kind of file",
                    c.id
                );
            }
            for r in c.rules {
                assert!(
                    crate::lint::registry::find(r).is_some(),
                    "cause {}: {r} is not a rule",
                    c.id
                );
            }
        }
    }
}
