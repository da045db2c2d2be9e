use serde::Serialize;

use super::Outcome;
use crate::diag::Error;
use crate::lint::registry::RULES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Serialize)]
struct Row {
    code: &'static str,
    name: &'static str,
    target: &'static str,
    severity: &'static str,
    summary: &'static str,
    help_uri: String,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let rows: Vec<Row> = RULES
        .iter()
        .map(|r| Row {
            code: r.code,
            name: r.name,
            target: r.target.as_str(),
            severity: r.severity.as_str(),
            summary: r.summary,
            help_uri: r.help_uri(),
        })
        .collect();
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
        ),
        Format::Table => {
            let w_code = rows.iter().map(|r| r.code.len()).max().unwrap_or(4);
            let w_name = rows.iter().map(|r| r.name.len()).max().unwrap_or(4);
            println!(
                "{:<w_code$}  {:<w_name$}  {:<10}  {:<8}  SUMMARY",
                "CODE", "NAME", "TARGET", "SEVERITY"
            );
            for r in &rows {
                println!(
                    "{:<w_code$}  {:<w_name$}  {:<10}  {:<8}  {}",
                    r.code, r.name, r.target, r.severity, r.summary
                );
            }
        }
    }
    Ok(Outcome::Success)
}
