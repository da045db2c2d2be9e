use std::io::Write;
use std::path::PathBuf;

use super::{eprint_problems, Outcome};
use crate::diag::{count, Error, Problem};
use crate::render::{self, output, Selection, Target, Templates};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The cluster model (cluster.yaml).
    pub model: PathBuf,
    /// Output directory: files go to OUT/<host>/<absolute path on the host>.
    #[arg(short, long, default_value = "out", value_name = "OUT")]
    pub out: PathBuf,
    /// Only this host (repeatable).
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,
    /// Only this target (repeatable).
    #[arg(long = "only", value_name = "TARGET")]
    pub targets: Vec<Target>,
    /// Only artifacts whose path on the host ends with this (e.g. 30-certs.conf).
    #[arg(long, value_name = "PATH")]
    pub file: Option<String>,
    /// Directory of templates that override the built-in ones by file name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Print the one selected artifact to stdout instead of writing files.
    #[arg(long, conflicts_with_all = ["check", "list"])]
    pub stdout: bool,
    /// Write nothing; exit 1 and print a unified diff when OUT differs from the model.
    #[arg(long, conflicts_with = "list")]
    pub check: bool,
    /// List the artifacts (host, path, mode, owner) instead of writing them.
    #[arg(long)]
    pub list: bool,
    /// Overwrite files that tlsgen did not write.
    #[arg(long)]
    pub force: bool,
    /// Merge tlsgen's keys into the existing TOML files (influxdb.conf, influxdb-meta.conf,
    /// telegraf.conf) found under DIR/<host>/<path>, keeping every other byte; DIR may be OUT.
    #[arg(long, value_name = "DIR")]
    pub merge_into: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let loaded = crate::model::load_file(&args.model)?;
    if let Some(problem) = crate::model::no_target(&loaded) {
        return Err(problem.into());
    }
    eprint_problems(&loaded.warnings);
    let templates = Templates::load(args.templates.as_deref())?;
    let model_name = crate::model::display_name(&args.model);
    let selection = Selection {
        hosts: args.hosts.clone(),
        targets: args.targets.clone(),
    };
    let mut artifacts = render::render(&loaded.cluster, &model_name, &templates, &selection)?;
    if let Some(suffix) = &args.file {
        artifacts.retain(|a| a.path.ends_with(suffix.as_str()));
    }
    if artifacts.is_empty() {
        // The model has targets, so a selection (--only, --file) left nothing: say so, not
        // "wrote 0 files".
        return Err(Problem::error(
            "render::nothing-selected",
            "the selection matches no artifact of the model",
        )
        .with_help(format!(
            "check --only ({}) and --file against `tlsgen render {} --list`",
            if args.targets.is_empty() {
                "every target".to_string()
            } else {
                args.targets
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            args.model.display()
        ))
        .into());
    }
    if let Some(dir) = &args.merge_into {
        render::merge::merge_into(&mut artifacts, dir)?;
    }
    if args.list {
        let mut stdout = super::stdout::lock();
        for a in &artifacts {
            writeln!(
                stdout,
                "{}\t{}\t{:04o}\t{}\t{}",
                a.host,
                a.path,
                a.mode,
                a.owner,
                a.target.as_str()
            )
            .map_err(|e| super::stdout::write_problem("the list", &e))?;
        }
        super::stdout::finish(stdout, "the list")?;
        return Ok(Outcome::Success);
    }
    if args.stdout {
        if artifacts.len() != 1 {
            let listed: Vec<String> = artifacts
                .iter()
                .map(|a| format!("{} {}", a.host, a.path))
                .collect();
            return Err(Problem::error(
                "render::stdout",
                format!(
                    "--stdout needs exactly one artifact, and {} match",
                    artifacts.len()
                ),
            )
            .with_help(format!(
                "narrow it with --host and --file; candidates: {}",
                if listed.is_empty() {
                    "none".to_string()
                } else {
                    listed.join("; ")
                }
            ))
            .into());
        }
        super::stdout::print(&artifacts[0].content, "the artifact")?;
        return Ok(Outcome::Success);
    }
    let planned = output::plan(&args.out, &artifacts, args.force || args.check)?;
    if args.check {
        let diff = output::diff(&args.out, &planned);
        if diff.is_empty() {
            if super::quiet() {
                return Ok(Outcome::Success);
            }
            eprintln!(
                "{} under {} {} up to date",
                count(planned.len(), "file", "files"),
                args.out.display(),
                if planned.len() == 1 { "is" } else { "are" }
            );
            return Ok(Outcome::Success);
        }
        super::stdout::print(&diff, "the diff")?;
        return Ok(Outcome::Differences);
    }
    let written = output::apply(&planned)?;
    if super::quiet() {
        return Ok(Outcome::Success);
    }
    eprintln!(
        "wrote {} under {} ({} unchanged)",
        count(written, "file", "files"),
        args.out.display(),
        planned.len() - written
    );
    Ok(Outcome::Success)
}
