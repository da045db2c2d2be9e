//! etcd facts shared by the renderer (`render::etcd`) and the linter (the certificate view and
//! ETCD017).

/// Where the etcd-wrapper mounts the host directory `ETCD_SSL_DIR`, read-only, inside etcd's
/// container: the only certificate directory etcd sees (F-E22, F-E23). Both wrappers, checked in
/// their source (`app-admin/etcd-wrapper/files/etcd-wrapper`):
/// - Container Linux, rkt (coreos/coreos-overlay): `ETCD_SSL_DIR="${ETCD_SSL_DIR:-/etc/ssl/certs}"`,
///   `--volume coreos-etc-ssl-certs,kind=host,source="${ETCD_SSL_DIR}",readOnly=true`,
///   `--mount volume=coreos-etc-ssl-certs,target=/etc/ssl/certs`, and `--inherit-env` (every
///   `ETCD_*` variable reaches etcd unchanged);
/// - Flatcar, docker (flatcar/scripts): `docker run ... -v ${ETCD_SSL_DIR}:/etc/ssl/certs:ro
///   --env-file <(env; ...)`.
pub const WRAPPER_SSL_MOUNT: &str = "/etc/ssl/certs";
