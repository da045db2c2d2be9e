use std::path::PathBuf;

use super::Outcome;
use crate::diag::Error;
use crate::render::output::write_atomic;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the schema.
    #[arg(short, long, default_value = "schemas/cluster.schema.json")]
    pub out: PathBuf,
    /// Print the schema instead of writing it.
    #[arg(long, conflicts_with = "check")]
    pub stdout: bool,
    /// Write nothing; exit 1 when the file on disk differs from the generated schema.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let schema = crate::model::json_schema();
    if args.stdout {
        super::stdout::print(&schema, "the schema")?;
        return Ok(Outcome::Success);
    }
    if args.check {
        let current = std::fs::read_to_string(&args.out).unwrap_or_default();
        if current == schema {
            return Ok(Outcome::Success);
        }
        eprintln!(
            "{} is stale; run `tlsgen schema` to regenerate it",
            args.out.display()
        );
        return Ok(Outcome::Differences);
    }
    write_atomic(&args.out, schema.as_bytes(), 0o644)?;
    eprintln!("wrote {}", args.out.display());
    Ok(Outcome::Success)
}
