//! Which files to lint: named files always, directories walked with the `ignore` crate
//! (`.gitignore`, `.ignore` and hidden files respected), in a stable order.

use std::path::{Path, PathBuf};

use crate::diag::Problem;

/// A file to lint and whether the user named it (then a file of no known kind gets a note).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    pub explicit: bool,
}

/// Expand paths into files, sorted and without duplicates.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Candidate>, Problem> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| crate::diag::io_problem("read", p, &e))?;
        if meta.is_file() {
            out.push(Candidate {
                path: p.clone(),
                explicit: true,
            });
            continue;
        }
        // Walked on every core (`ignore`'s parallel walker): reading directories and looking for
        // ignore files in each one is most of a large run's single-threaded time otherwise.
        // Order does not matter here: everything is sorted below.
        let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
        ignore::WalkBuilder::new(p)
            .require_git(false)
            .build_parallel()
            .run(|| {
                let found = &found;
                Box::new(move |entry| {
                    let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                    match entry {
                        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                            found.0.push(Candidate {
                                path: strip_dot(entry.path()),
                                explicit: false,
                            });
                        }
                        Ok(_) => {}
                        Err(e) => found.1.push(e.to_string()),
                    }
                    ignore::WalkState::Continue
                })
            });
        let (files, mut errors) = found.into_inner().unwrap_or_else(|e| e.into_inner());
        // The same error whatever the walk order.
        errors.sort();
        if let Some(e) = errors.into_iter().next() {
            return Err(
                Problem::error("io", format!("cannot walk {}: {e}", p.display()))
                    .with_help("check the directory's permissions"),
            );
        }
        out.extend(files);
    }
    out.sort();
    out.dedup_by(|a, b| {
        if a.path == b.path {
            b.explicit |= a.explicit;
            true
        } else {
            false
        }
    });
    Ok(out)
}

fn strip_dot(p: &Path) -> PathBuf {
    p.strip_prefix("./")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

/// The display form of a path: `/` separators.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}
