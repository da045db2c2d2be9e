//! A JSON array of findings: `code`, `name`, `severity`, `path`, `line`, `column`, `end_line`,
//! `end_column` (1-based; columns count characters), `message`, `help`, `fix`
//! (`{applicability: "safe"|"unsafe", description}` or `null`).

use std::io::{self, Write};

use crate::lint::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let located: Vec<_> = report
        .findings
        .iter()
        .map(|f| f.locate(&report.sources))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &located)?;
    writeln!(out)
}
