use crate::facts::etcd::WRAPPER_SSL_MOUNT;
use crate::lint::rule::{Check, Ctx, Target};
use crate::lint::severity::Severity;
use crate::lint::view::cert::mount::runs_in_wrapper;
use crate::lint::view::etcd::EtcdConfig;

crate::declare_rule! {
    /// ## What it does
    /// For etcd run by the CoreOS/Flatcar `etcd-wrapper` (an `ExecStart=` running it, or an
    /// `etcd-member.service` drop-in that keeps the base unit's command), flags certificate,
    /// key, CA and CRL paths that are not inside the container's mounts: `/etc/ssl/certs` (where
    /// the wrapper mounts the host's `ETCD_SSL_DIR`, default `/etc/ssl/certs`),
    /// `/usr/share/ca-certificates`, or a target of an extra volume in `RKT_RUN_ARGS`
    /// (`--mount volume=...,target=/dir`) or a docker `-v host:/dir`. One finding per unit, at
    /// the first such path. Whether or not the unit sets `ETCD_SSL_DIR`: without it the wrapper
    /// still mounts only `/etc/ssl/certs`.
    ///
    /// ## Why is this bad?
    /// The wrapper runs etcd in a container and passes every `ETCD_*` variable through, so the
    /// paths are read inside the container. It mounts host `${ETCD_SSL_DIR:-/etc/ssl/certs}`
    /// read-only at `/etc/ssl/certs` and nothing else of `/etc/ssl` (F-E22, F-E23): a key under
    /// `/etc/ssl/etcd` is invisible and etcd fails to start. The CoreOS HTTPS guide's own
    /// `30-certs.conf` has this gap (F-E28: `/etc/ssl/etcd/...`, no `ETCD_SSL_DIR`); tlsgen's
    /// drop-ins set `ETCD_SSL_DIR` to `pki.dir` and name the files under `/etc/ssl/certs/`. An
    /// error: etcd refuses to start on a certificate, key or CA file it cannot read (TOOLING,
    /// measured on etcd 3.4.23), and the wrappers' code mounts nothing else (F-E22, F-E23, read
    /// in the wrappers' source; extra volumes in `RKT_RUN_ARGS` or `-v` are honoured).
    ///
    /// ## Example
    /// ```ini
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/server1.pem"
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// Environment="ETCD_SSL_DIR=/etc/ssl/etcd"
    /// Environment="ETCD_CERT_FILE=/etc/ssl/certs/server1.pem"
    /// ```
    /// or an extra volume (rkt wrapper):
    /// ```ini
    /// Environment="RKT_RUN_ARGS=--uuid-file-save=/var/lib/coreos/etcd-member-wrapper.uuid --volume etcd-ssl,kind=host,source=/etc/ssl/etcd,readOnly=true --mount volume=etcd-ssl,target=/etc/ssl/etcd"
    /// Environment="ETCD_CERT_FILE=/etc/ssl/etcd/server1.pem"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: where the files are on the host is not in the drop-in.
    ///
    /// ## References
    /// - FACTS F-E22 (CL-WRAP: coreos/coreos-overlay `app-admin/etcd-wrapper/files/etcd-wrapper`),
    ///   F-E23 (FC-WRAP), F-E19 (CL-UNIT), F-E28 (CLD-HTTPS)
    pub static RULE = Rule {
        code: "ETCD017",
        name: "cert-outside-wrapper-mount",
        target: Target::Etcd,
        severity: Severity::Error,
        summary: "certificate paths the etcd-wrapper container cannot see",
        check: Check::Etcd(check),
    };
}

const PATH_FLAGS: &[&str] = &[
    "cert-file",
    "key-file",
    "trusted-ca-file",
    "client-crl-file",
    "client-cert-file",
    "client-key-file",
    "peer-cert-file",
    "peer-key-file",
    "peer-trusted-ca-file",
    "peer-crl-file",
    "peer-client-cert-file",
    "peer-client-key-file",
];

/// Mount targets inside the container: the wrapper's two, and extra volumes in `*RUN_ARGS`.
fn mounts(c: &EtcdConfig) -> Vec<String> {
    let mut out = vec![
        WRAPPER_SSL_MOUNT.to_string(),
        "/usr/share/ca-certificates".to_string(),
    ];
    for s in c
        .other_env
        .iter()
        .filter(|s| s.key_text.ends_with("RUN_ARGS"))
    {
        let words: Vec<&str> = s.value.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            for part in w.split(',') {
                if let Some(t) = part.strip_prefix("target=") {
                    out.push(t.to_string());
                }
            }
            let docker = match *w {
                "-v" | "--volume" => words.get(i + 1).copied(),
                _ => w
                    .strip_prefix("--volume=")
                    .or_else(|| w.strip_prefix("-v=")),
            };
            if let Some(target) = docker.and_then(|v| v.split(':').nth(1)) {
                out.push(target.to_string());
            }
        }
    }
    out
}

fn check(c: &EtcdConfig, ctx: &mut Ctx) {
    if !runs_in_wrapper(c, ctx.sources) {
        return;
    }
    let mounts = mounts(c);
    let mut outside = Vec::new();
    for flag in PATH_FLAGS {
        let Some(s) = c.value(flag) else { continue };
        if s.placeholder || !s.value.starts_with('/') {
            continue;
        }
        let inside = mounts.iter().any(|m| {
            let m = m.trim_end_matches('/');
            s.value
                .strip_prefix(m)
                .is_some_and(|rest| rest.starts_with('/'))
        });
        if !inside {
            outside.push(s);
        }
    }
    outside.sort_by_key(|s| (s.value_span.file, s.value_span.start));
    let Some(first) = outside.first() else {
        return;
    };
    let more = match outside.len() {
        1 => String::new(),
        n => format!(" (and {} more paths)", n - 1),
    };
    let ssl_dir = c
        .wrapper_var("ETCD_SSL_DIR")
        .filter(|d| !d.placeholder && !d.value.trim().is_empty())
        .map(|d| d.value.trim().trim_end_matches('/').to_string());
    let (dir, file) = first
        .value
        .rsplit_once('/')
        .map(|(d, f)| (if d.is_empty() { "/" } else { d }, f))
        .unwrap_or(("/", &first.value));
    let help = match ssl_dir {
        Some(d) if first.value.starts_with(&format!("{d}/")) => format!(
            "`{d}` is mounted at {WRAPPER_SSL_MOUNT} in the container: write `{WRAPPER_SSL_MOUNT}{}`",
            &first.value[d.len()..]
        ),
        Some(d) => format!(
            "the container sees only ETCD_SSL_DIR (`{d}`) at {WRAPPER_SSL_MOUNT}: put the file there and write `{WRAPPER_SSL_MOUNT}/{file}`, or mount `{dir}` with an extra volume in RKT_RUN_ARGS"
        ),
        None => format!(
            "set Environment=\"ETCD_SSL_DIR={dir}\" (the wrapper mounts it at {WRAPPER_SSL_MOUNT}) and write `{WRAPPER_SSL_MOUNT}/{file}`, or mount `{dir}` with an extra volume in RKT_RUN_ARGS"
        ),
    };
    ctx.report(
        first.value_span,
        format!(
            "`{}` is outside the etcd-wrapper container's mounts{more}, etcd cannot read it",
            first.value
        ),
        help,
    );
}
