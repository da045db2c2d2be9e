//! `tlsgen man --out DIR`: a man page per command, generated from the clap command the binary
//! parses (docs/man/ holds the committed copy; tests/man_pages.rs keeps it fresh).

use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::{Cli, Outcome};
use crate::diag::{Error, Problem};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The directory to write the pages into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Every page as (file name, roff text): `tlsgen.1`, then `tlsgen-<command>.1` per subcommand.
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let mut cmd = Cli::command();
    // Deferred subcommand arguments (`defer = true`) are built here, so each page lists them.
    cmd.build();
    let mut pages = vec![("tlsgen.1".to_string(), render(cmd.clone()))];
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("tlsgen-{}", sub.get_name());
        let page = sub.clone().display_name(name.clone());
        pages.push((format!("{name}.1"), render(page)));
    }
    pages
}

fn render(cmd: clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = clap_mangen::Man::new(cmd)
        .source(format!("tlsgen {}", env!("CARGO_PKG_VERSION")))
        .render(&mut out);
    out
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let io = |verb: &str, path: &Path, e: std::io::Error| -> Error {
        Problem::error("io", format!("cannot {verb} {}: {e}", path.display()))
            .with_help("pass a directory you can write to with --out")
            .into()
    };
    std::fs::create_dir_all(&args.out).map_err(|e| io("create", &args.out, e))?;
    let pages = pages();
    for (name, text) in &pages {
        let path = args.out.join(name);
        std::fs::write(&path, text).map_err(|e| io("write", &path, e))?;
    }
    if !super::quiet() {
        eprintln!(
            "wrote {} under {}",
            crate::diag::count(pages.len(), "man page", "man pages"),
            args.out.display()
        );
    }
    Ok(Outcome::Success)
}
