//! tlsgen: render and lint the TLS configuration of a fleet of data services.

pub mod certs;
pub mod cli;
pub mod diag;
pub mod lint;
pub mod model;
pub mod plan;
pub mod render;
pub mod systemd;
