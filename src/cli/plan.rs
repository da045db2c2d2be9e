use std::path::PathBuf;

use super::{eprint_problems, Outcome};
use crate::diag::Error;
use crate::render::Templates;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The cluster model (cluster.yaml) of the running cluster.
    pub model: PathBuf,
    /// Output directory: the plan goes to OUT/plan/ (RUNBOOK.md, migrate.sh, files/<phase>/<host>/...).
    #[arg(short, long, default_value = "out", value_name = "OUT")]
    pub out: PathBuf,
    /// Directory of templates that override the built-in ones by file name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Overwrite files that tlsgen did not write.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let loaded = crate::model::load_file(&args.model)?;
    eprint_problems(&loaded.warnings);
    let templates = Templates::load(args.templates.as_deref())?;
    let model_name = crate::model::display_name(&args.model);
    let plan = crate::plan::generate(&loaded.cluster, &model_name, &templates)?;
    let written = crate::plan::write(&args.out, &plan, args.force)?;
    if super::quiet() {
        return Ok(Outcome::Success);
    }
    eprintln!(
        "wrote the migration plan under {} ({} steps, {written} files written); read plan/RUNBOOK.md first",
        args.out.join("plan").display(),
        plan.steps.len(),
    );
    Ok(Outcome::Success)
}
