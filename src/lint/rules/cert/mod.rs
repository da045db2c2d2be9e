//! Certificate rules (`CERT`): they read the files a configuration names, through the
//! [`CertView`](crate::lint::view::cert::CertView) built by `src/lint/view/cert/` (which does all
//! the I/O, once per file per run). Each finding points at the path value in the configuration.

pub mod cert001_certificate_expired;
pub mod cert002_san_does_not_cover_host;
pub mod cert003_key_does_not_match_certificate;
pub mod cert004_certificate_not_signed_by_trusted_ca;
pub mod cert005_extended_key_usage_missing;
pub mod cert006_weak_rsa_key;
pub mod cert007_key_file_mode_too_open;
pub mod cert008_encrypted_key;
pub mod cert009_ca_file_not_a_ca;
pub mod cert010_named_file_missing;
