//! InfluxDB 1.x rules (FACTS §3 and §8).

pub mod influx001_https_disabled;
pub mod influx002_https_certificate_missing;
pub mod influx003_auth_disabled;
pub mod influx004_pprof_exposed;
pub mod influx005_internode_plaintext;
pub mod influx006_meta_https_disabled;
pub mod influx007_insecure_tls;
pub mod influx008_shared_secret_mismatch;
pub mod influx009_tls_min_version;
pub mod influx010_tls_ciphers;
pub mod influx011_unknown_key;
pub mod influx012_meta_tls_mismatch;
