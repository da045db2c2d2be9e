//! `path:line:col: CODE message`, one finding per line (editors and grep read it).

use std::io::{self, Write};

use crate::lint::Report;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        let l = f.locate(&report.sources);
        writeln!(
            out,
            "{}:{}:{}: {} {}",
            l.path, l.line, l.column, l.code, l.message
        )?;
    }
    Ok(())
}
