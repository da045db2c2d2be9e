use std::path::PathBuf;

use super::{eprint_problems, Outcome};
use crate::certs::{self, Action, Options};
use crate::diag::{count, Error};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The cluster model (cluster.yaml).
    pub model: PathBuf,
    /// Output directory: OUT/<host>/<absolute path on the host>, and OUT/ca/ for the CA key (which
    /// never goes to a host).
    #[arg(short, long, default_value = "pki", value_name = "OUT")]
    pub out: PathBuf,
    /// Re-issue certificates that expire within this time (e.g. 30d, 12h, 2w); default: only
    /// expired ones.
    #[arg(long, value_name = "DURATION", default_value = "0d", value_parser = certs::parse_duration)]
    pub renew_before: i64,
    /// Replace files that tlsgen did not issue with this CA (and an unusable CA).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let loaded = crate::model::load_file(&args.model)?;
    if let Some(problem) = crate::model::no_target(&loaded) {
        return Err(problem.into());
    }
    eprint_problems(&loaded.warnings);
    let model_dir = args
        .model
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        })
        .unwrap_or_else(|| PathBuf::from("."));
    let opts = Options {
        out: args.out.clone(),
        force: args.force,
        renew_before: args.renew_before,
        model_dir,
    };
    let report = certs::run(&loaded.cluster, &loaded.source, &opts)?;
    eprint_problems(&report.warnings);
    if super::quiet() {
        return Ok(Outcome::Success);
    }
    for e in &report.entries {
        let verb = match e.action {
            Action::Kept => "kept",
            Action::Written => "wrote",
        };
        eprintln!("{verb:5} {} ({})", e.path, e.reason);
    }
    eprintln!(
        "wrote {} under {} ({} unchanged)",
        count(report.written(), "file", "files"),
        args.out.display(),
        report.entries.len() - report.written()
    );
    Ok(Outcome::Success)
}
