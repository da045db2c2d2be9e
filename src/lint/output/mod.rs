//! Output formats, one file each. Findings go to stdout and nothing else does.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use std::io::{self, Write};

use super::Report;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report (colour only on a terminal, never with NO_COLOR).
    Human,
    /// `path:line:col: CODE message`, one per line.
    Short,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::`).
    Github,
}

/// Write a report in a format.
pub fn write(report: &Report, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, color, out),
        Format::Short => short::write(report, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
    }
}
