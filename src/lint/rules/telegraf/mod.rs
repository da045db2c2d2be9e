//! Telegraf rules (FACTS §4 and §8).

pub mod tgf001_plaintext_url;
pub mod tgf002_insecure_skip_verify;
pub mod tgf003_deprecated_ssl_keys;
pub mod tgf004_tls_min_version;
pub mod tgf005_cleartext_credentials;
pub mod tgf006_client_cert_without_key;
pub mod tgf007_unknown_option;
pub mod tgf008_https_to_plaintext_influxdb;
