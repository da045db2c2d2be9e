use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::etcd::EtcdConfig;
use crate::lint::view::Form;

crate::declare_rule! {
    /// ## What it does
    /// Flags, in systemd units, environment files and static pods:
    /// - an `ETCD_*` variable that names no etcd flag (a typo such as `ETCD_CLIENT_CERT_AUTHH`,
    ///   or a flag of another release), with the closest flag as a suggestion;
    /// - a near miss: a variable without the `ETCD_` prefix that names an etcd flag
    ///   (`CLIENT_CERT_AUTH=true`), which etcd never reads;
    /// - `config-file` (`--config-file`, `ETCD_CONFIG_FILE`) next to other settings, which etcd
    ///   then ignores, including every TLS setting of `30-certs.conf`.
    ///
    /// The removed `ETCD_CA_FILE`/`ETCD_PEER_CA_FILE` are ETCD012's. The wrapper's own variables
    /// (`ETCD_IMAGE_TAG`, `ETCD_USER`, `ETCD_SSL_DIR`, `ETCD_OPTS`, ...) are not etcd's and are
    /// not reported.
    ///
    /// ## Why is this bad?
    /// etcd only logs `unrecognized environment variable ETCD_...` (measured on etcd 3.4.23) and
    /// starts without the setting: a misspelt `ETCD_CLIENT_CERT_AUTH` leaves client certificate
    /// authentication off while the drop-in looks right. With `--config-file`, "all other flags
    /// and environment variables are ignored" (F-E2).
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_CLIENT_CERT_AUTHH=true"
    /// Environment="PEER_CLIENT_CERT_AUTH=true"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_CLIENT_CERT_AUTH=true"
    /// Environment="ETCD_PEER_CLIENT_CERT_AUTH=true"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a suggestion is a guess, and renaming a variable turns a setting on.
    ///
    /// ## References
    /// - FACTS F-E4 (E-FLAGS: etcd-io/etcd `pkg/flags/flag.go` verifyEnv, "unrecognized
    ///   environment variable"), F-E1 (`FlagToEnv`), F-E2 (E34-DOC, E34-CFG `config-file` help);
    ///   flag list: etcd 3.4.23 `etcd --help` (E34-HELP) and 3.5 (E35-HELP)
    pub static RULE = Rule {
        code: "ETCD014",
        name: "unrecognized-env-var",
        target: Target::Etcd,
        severity: Severity::Warning,
        summary: "unrecognized ETCD_* variable, a near miss without ETCD_, or config-file next to other settings",
        check: Check::Etcd(check),
    };
}

/// Every flag of etcd 3.4 and 3.5 (E34-HELP as printed by etcd 3.4.23, E35-HELP), sorted.
pub(crate) const KNOWN_FLAGS: &[&str] = &[
    "advertise-client-urls",
    "auth-token",
    "auth-token-ttl",
    "auto-compaction-mode",
    "auto-compaction-retention",
    "auto-tls",
    "backend-batch-interval",
    "backend-batch-limit",
    "backend-bbolt-freelist-type",
    "bcrypt-cost",
    "cert-file",
    "cipher-suites",
    "client-cert-allowed-hostname",
    "client-cert-auth",
    "client-cert-file",
    "client-crl-file",
    "client-key-file",
    "config-file",
    "cors",
    "data-dir",
    "debug",
    "discovery",
    "discovery-fallback",
    "discovery-proxy",
    "discovery-srv",
    "discovery-srv-name",
    "election-timeout",
    "enable-grpc-gateway",
    "enable-log-rotation",
    "enable-pprof",
    "enable-v2",
    "experimental-backend-bbolt-freelist-type",
    "experimental-bootstrap-defrag-threshold-megabytes",
    "experimental-compact-hash-check-enabled",
    "experimental-compact-hash-check-time",
    "experimental-compaction-batch-limit",
    "experimental-compaction-sleep-interval",
    "experimental-corrupt-check-time",
    "experimental-distributed-tracing-address",
    "experimental-distributed-tracing-instance-id",
    "experimental-distributed-tracing-sampling-rate",
    "experimental-distributed-tracing-service-name",
    "experimental-downgrade-check-time",
    "experimental-enable-distributed-tracing",
    "experimental-enable-lease-checkpoint",
    "experimental-enable-lease-checkpoint-persist",
    "experimental-enable-v2v3",
    "experimental-initial-corrupt-check",
    "experimental-max-learners",
    "experimental-memory-mlock",
    "experimental-peer-skip-client-san-verification",
    "experimental-snapshot-catchup-entries",
    "experimental-stop-grpc-service-on-defrag",
    "experimental-txn-mode-write-with-shared-buffer",
    "experimental-wait-cluster-ready-timeout",
    "experimental-warning-apply-duration",
    "experimental-warning-unary-request-duration",
    "experimental-watch-progress-notify-interval",
    "force-new-cluster",
    "grpc-keepalive-interval",
    "grpc-keepalive-min-time",
    "grpc-keepalive-timeout",
    "heartbeat-interval",
    "host-whitelist",
    "initial-advertise-peer-urls",
    "initial-cluster",
    "initial-cluster-state",
    "initial-cluster-token",
    "initial-election-tick-advance",
    "key-file",
    "listen-client-http-urls",
    "listen-client-urls",
    "listen-metrics-urls",
    "listen-peer-urls",
    "log-format",
    "log-level",
    "log-output",
    "log-outputs",
    "log-package-levels",
    "log-rotation-config-json",
    "logger",
    "max-concurrent-streams",
    "max-request-bytes",
    "max-snapshots",
    "max-txn-ops",
    "max-wals",
    "metrics",
    "name",
    "peer-auto-tls",
    "peer-cert-allowed-cn",
    "peer-cert-allowed-hostname",
    "peer-cert-file",
    "peer-client-cert-auth",
    "peer-client-cert-file",
    "peer-client-key-file",
    "peer-crl-file",
    "peer-key-file",
    "peer-trusted-ca-file",
    "pre-vote",
    "proxy",
    "proxy-dial-timeout",
    "proxy-failure-wait",
    "proxy-read-timeout",
    "proxy-refresh-interval",
    "proxy-write-timeout",
    "quota-backend-bytes",
    "self-signed-cert-validity",
    "snapshot-count",
    "socket-reuse-address",
    "socket-reuse-port",
    "strict-reconfig-check",
    "tls-max-version",
    "tls-min-version",
    "trusted-ca-file",
    "unsafe-no-fsync",
    "unsupported-arch",
    "v2-deprecation",
    "wal-dir",
];

/// Flags ETCD012 reports (removed in 3.4).
const REMOVED: &[&str] = &["ca-file", "peer-ca-file"];

pub(crate) fn is_known(flag: &str) -> bool {
    KNOWN_FLAGS.binary_search(&flag).is_ok() || REMOVED.contains(&flag)
}

fn suggest(flag: &str) -> Option<&'static str> {
    KNOWN_FLAGS
        .iter()
        .map(|k| (strsim::jaro_winkler(flag, k), *k))
        .filter(|(score, _)| *score > 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

fn env_name(flag: &str) -> String {
    format!("ETCD_{}", flag.to_ascii_uppercase().replace('-', "_"))
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    for (flag, s) in c.all.iter().filter(|(_, s)| s.form == Form::Env) {
        if is_known(flag) {
            continue;
        }
        let help = match suggest(flag) {
            Some(k) => format!("did you mean `{}`? etcd ignores variables that name no flag", env_name(k)),
            None => "remove it, or spell the flag name as `ETCD_` + the flag in upper case with `_` for `-`".to_string(),
        };
        ctx.report(
            s.key,
            format!("`{}` is not an etcd setting, etcd ignores it", s.key_text),
            help,
        );
    }
    if !c.is_empty() || c.from_unit {
        for s in &c.other_env {
            let flag = s.key_text.to_ascii_lowercase().replace('_', "-");
            if flag.contains('-') && KNOWN_FLAGS.binary_search(&flag.as_str()).is_ok() {
                ctx.report(
                    s.key,
                    format!(
                        "`{}` lacks the `ETCD_` prefix, etcd never reads it",
                        s.key_text
                    ),
                    format!("did you mean `{}`?", env_name(&flag)),
                );
            }
        }
    }
    if let Some(cf) = c.get("config-file").filter(|s| s.is_set()) {
        let others = c.all.iter().filter(|(f, _)| f != "config-file").count();
        if others > 0 {
            ctx.report(
                cf.key,
                format!("`{}` makes etcd ignore the {others} other flags and variables given here", cf.key_text),
                "put every setting in the config file, or drop the config file and keep the flags and variables",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_flags_are_sorted_for_binary_search() {
        assert!(super::KNOWN_FLAGS.windows(2).all(|w| w[0] < w[1]));
    }
}
