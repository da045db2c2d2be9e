//! Where the files a configuration names are on the host: the etcd-wrapper's container mount
//! (F-E22, F-E23) and the host directory of the `render`/`certs` layout.

use std::path::PathBuf;

use crate::facts::etcd::WRAPPER_SSL_MOUNT;
use crate::lint::source::SourceStore;
use crate::lint::view::etcd::EtcdConfig;

/// Where a service reads the paths it is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mount {
    /// On the host: paths as written.
    Host,
    /// In the etcd-wrapper's container, which sees this host directory (`ETCD_SSL_DIR`) at
    /// `/etc/ssl/certs` (F-E22, F-E23); `None`: the directory is a placeholder, unknown.
    Wrapper(Option<String>),
}

impl Mount {
    /// The host path of `path`: under the wrapper's `/etc/ssl/certs/`, the same file under
    /// `ETCD_SSL_DIR`; other paths are the same on the host (the wrapper's other mounts keep their
    /// paths, and a path outside them is ETCD017's). `None` when the host directory is unknown.
    pub fn host_path(&self, path: &str) -> Option<String> {
        let Mount::Wrapper(dir) = self else {
            return Some(path.to_string());
        };
        match path.strip_prefix(WRAPPER_SSL_MOUNT) {
            Some(rest) if rest.starts_with('/') => {
                let dir = dir.as_deref()?.trim_end_matches('/');
                Some(format!("{dir}{rest}"))
            }
            _ => Some(path.to_string()),
        }
    }
}

/// Whether a unit group runs etcd through the CoreOS/Flatcar `etcd-wrapper`: its effective
/// `ExecStart=` runs it, or it is only drop-ins of `etcd-member.service`, which keep the base
/// unit's `ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS` (F-E19).
pub fn runs_in_wrapper(c: &EtcdConfig, sources: &SourceStore) -> bool {
    if !c.from_unit {
        return false;
    }
    match c.exec_start() {
        Some(l) => l.program_index("etcd-wrapper").is_some(),
        None => {
            !c.has_base_unit
                && sources
                    .get(c.anchor.file)
                    .path
                    .replace('\\', "/")
                    .contains("etcd-member.service.d/")
        }
    }
}

/// Where etcd of `c` reads its files: in the wrapper's container, with the host directory of
/// `ETCD_SSL_DIR` (default `/etc/ssl/certs`, F-E22), or on the host.
pub fn etcd_mount(c: &EtcdConfig, sources: &SourceStore) -> Mount {
    if !runs_in_wrapper(c, sources) {
        return Mount::Host;
    }
    match c.wrapper_var("ETCD_SSL_DIR") {
        Some(d) if d.placeholder => Mount::Wrapper(None),
        Some(d) if d.value.trim().starts_with('/') => {
            Mount::Wrapper(Some(d.value.trim().to_string()))
        }
        // Empty: the rkt wrapper's `${ETCD_SSL_DIR:-/etc/ssl/certs}` default. Relative: unknown.
        Some(d) if !d.value.trim().is_empty() => Mount::Wrapper(None),
        _ => Mount::Wrapper(Some(WRAPPER_SSL_MOUNT.to_string())),
    }
}

/// The host directory of a file in the `render`/`certs` layout `X/<host>/etc/...`: `X/<host>`.
/// `None` for a file under the machine's own `/etc` (or `./etc`, `etc/`).
pub fn host_dir(linted: &str) -> Option<PathBuf> {
    let path = if linted.contains('\\') {
        std::borrow::Cow::Owned(linted.replace('\\', "/"))
    } else {
        std::borrow::Cow::Borrowed(linted)
    };
    // The last `etc` component, found from the end (this runs for every file a setting names).
    let mut end = path.len();
    let etc_start = path.rsplit('/').find_map(|part| {
        let start = end - part.len();
        end = start.saturating_sub(1);
        (part == "etc").then_some(start)
    })?;
    let before = path.get(..etc_start.checked_sub(1)?)?;
    let host = before.rsplit('/').next().unwrap_or(before);
    if host.is_empty() || host == "." || host == ".." {
        return None;
    }
    Some(PathBuf::from(before))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_dir_is_the_render_layout_only() {
        assert_eq!(
            host_dir("out/server1/etc/systemd/system/x.service.d/30-certs.conf"),
            Some(PathBuf::from("out/server1"))
        );
        assert_eq!(
            host_dir("/etc/systemd/system/x.service.d/30-certs.conf"),
            None
        );
        assert_eq!(host_dir("./etc/telegraf/telegraf.conf"), None);
        assert_eq!(host_dir("telegraf.conf"), None);
        assert_eq!(host_dir("etc/telegraf/telegraf.conf"), None);
        assert_eq!(host_dir("../etc/telegraf/telegraf.conf"), None);
        assert_eq!(host_dir("h1/etc"), Some(PathBuf::from("h1")));
        assert_eq!(
            host_dir("a\\b\\etc\\x\\etc\\y.conf"),
            Some(PathBuf::from("a/b/etc/x"))
        );
        assert_eq!(host_dir("kubernetes/h1/manifests/etcd.yaml"), None);
    }

    #[test]
    fn wrapper_paths_are_read_from_etcd_ssl_dir_on_the_host() {
        let dir = Mount::Wrapper(Some("/etc/ssl/etcd/".to_string()));
        assert_eq!(
            dir.host_path("/etc/ssl/certs/server1.pem").as_deref(),
            Some("/etc/ssl/etcd/server1.pem")
        );
        // Other paths are the same on the host (a path outside the mounts is ETCD017's).
        assert_eq!(
            dir.host_path("/etc/ssl/certsx/a.pem").as_deref(),
            Some("/etc/ssl/certsx/a.pem")
        );
        assert_eq!(Mount::Wrapper(None).host_path("/etc/ssl/certs/a.pem"), None);
        assert_eq!(
            Mount::Host.host_path("/etc/ssl/certs/a.pem").as_deref(),
            Some("/etc/ssl/certs/a.pem")
        );
    }
}
