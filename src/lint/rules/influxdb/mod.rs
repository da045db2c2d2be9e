//! InfluxDB 1.x rules (FACTS §3 and §8).

pub mod influx001_https_disabled;
pub mod influx002_https_certificate_missing;
pub mod influx007_insecure_tls;
