use std::path::PathBuf;

use super::Outcome;
use crate::diag::Error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write the built-in templates into (as `<target>/<name>.tera`).
    #[arg(long, value_name = "DIR")]
    pub templates: PathBuf,
    /// Overwrite templates that already exist there.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let written = crate::render::engine::write_builtins(&args.templates, args.force)?;
    for p in &written {
        eprintln!("wrote {}", p.display());
    }
    eprintln!(
        "edit them and pass `--templates {}` to `tlsgen render`; a file you delete falls back to the built-in",
        args.templates.display()
    );
    Ok(Outcome::Success)
}
