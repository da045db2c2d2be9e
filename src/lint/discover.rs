//! Which files to lint: named files always, directories walked with the `ignore` crate
//! (`.gitignore`, `.ignore` and hidden files respected), in a stable order, as a stream.

use std::path::{Path, PathBuf};

use crate::diag::Problem;

/// A file to lint and whether the user named it (then a file of no known kind gets a note).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    pub explicit: bool,
}

/// The files of `paths` as a stream, for linting while the walk goes on: named files first (in
/// the order given), then each named directory walked in path order (entries sorted by name,
/// so the stream is the same on every run), without duplicates. A file both named and met on a
/// walk counts as named. Walk errors (an unreadable directory) are pushed to `errors` as the
/// stream meets them; a named path that does not exist fails at once.
pub fn stream<'a>(
    paths: &'a [PathBuf],
    errors: &'a std::sync::Mutex<Vec<String>>,
) -> Result<impl Iterator<Item = Candidate> + Send + 'a, Problem> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| crate::diag::io_problem("read", p, &e))?;
        if meta.is_file() {
            files.push(p.clone());
        } else {
            dirs.push(p.clone());
        }
    }
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let named = files.into_iter().map(|path| Candidate {
        path,
        explicit: true,
    });
    let walked = dirs.into_iter().flat_map(move |root| {
        ignore::WalkBuilder::new(&root)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build()
            .filter_map(move |entry| match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => Some(Candidate {
                    path: strip_dot(entry.path()),
                    explicit: false,
                }),
                Ok(_) => None,
                Err(e) => {
                    let mut errors = errors.lock().unwrap_or_else(|e| e.into_inner());
                    errors.push(format!("cannot walk {}: {e}", root.display()));
                    None
                }
            })
    });
    Ok(named
        .chain(walked)
        .filter(move |c| seen.insert(c.path.clone())))
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
