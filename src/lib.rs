//! tlsgen: render and lint the TLS configuration of a fleet of data services.

// `diag::Problem` carries its source text and labels so every error can quote the user's file; it
// travels once per failing command, so its size on the error path does not matter.
#![allow(clippy::result_large_err)]

pub mod certs;
pub mod cli;
pub mod diag;
pub mod explain;
pub mod facts;
pub mod lint;
pub mod model;
pub mod plan;
pub mod render;
pub mod systemd;
