//! Findings about the lint run itself.

pub mod tlsgen001_parse_error;
pub mod tlsgen002_unknown_suppression;
pub mod tlsgen003_unused_suppression;
pub mod tlsgen004_io_error;
pub mod tlsgen005_malformed_suppression;
pub mod tlsgen006_credentials_in_url;
pub mod tlsgen007_expired_suppression;
pub mod tlsgen008_suppression_not_allowed;
