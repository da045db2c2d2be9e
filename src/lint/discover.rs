//! Which files to lint: named files always, directories walked (`.gitignore`, `.ignore` and
//! hidden files respected), in a stable order. On Linux the walk is `lint::walk` (relative
//! opens, its own thread-pool phase); elsewhere, and for a tree it leaves, the `ignore` crate's.

use std::path::{Path, PathBuf};

use crate::diag::Problem;

/// A file to lint and whether the user named it (then a file of no known kind gets a note).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    pub explicit: bool,
    /// The size the walk saw (0 when it did not look: a small tree), to lint large files first.
    pub size: u64,
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
                size: meta.len(),
            });
            continue;
        }
        let (files, mut errors) = match fast_walk(p).or_else(|| walk_small(p)) {
            Some(found) => found,
            None => walk_parallel(p),
        };
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

/// Files found and walk errors.
pub(super) type Walked = (Vec<Candidate>, Vec<String>);

/// The walk with relative opens (`lint::walk`), where it is built and covers the tree.
fn fast_walk(root: &Path) -> Option<Walked> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    return super::walk::walk(root);
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    return None;
}

/// Entries a small tree may have to be walked on the calling thread.
const SMALL_TREE: usize = 256;

/// Walk `root` on the calling thread if it has at most [`SMALL_TREE`] entries (`None` if it has
/// more). `ignore`'s parallel walker lets idle threads sleep 1 ms at a time, which is most of a
/// run over one or a few files; a large tree pays for these few entries twice.
fn walk_small(root: &Path) -> Option<Walked> {
    let mut found: Walked = (Vec::new(), Vec::new());
    for (n, entry) in ignore::WalkBuilder::new(root)
        .require_git(false)
        .build()
        .enumerate()
    {
        if n >= SMALL_TREE {
            return None;
        }
        push_entry(&mut found, entry, false);
    }
    Some(found)
}

/// Walk `root` on every core: reading directories and looking for ignore files in each one is
/// most of a large run's single-threaded time otherwise. Order does not matter here: the
/// caller sorts.
fn walk_parallel(root: &Path) -> Walked {
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    ignore::WalkBuilder::new(root)
        .require_git(false)
        .build_parallel()
        .run(|| {
            let found = &found;
            Box::new(move |entry| {
                let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                push_entry(&mut found, entry, true);
                ignore::WalkState::Continue
            })
        });
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// `sized`: look up the file's size (one `stat`; a large tree's run lints its large files first,
/// see `lint::lint`).
fn push_entry(found: &mut Walked, entry: Result<ignore::DirEntry, ignore::Error>, sized: bool) {
    match entry {
        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
            let size = if sized {
                entry.metadata().map_or(0, |m| m.len())
            } else {
                0
            };
            found.0.push(Candidate {
                path: strip_dot(entry.path()),
                explicit: false,
                size,
            });
        }
        Ok(_) => {}
        Err(e) => found.1.push(e.to_string()),
    }
}

pub(super) fn strip_dot(p: &Path) -> PathBuf {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join(".gitignore"), "ignored/\n*.bak\n").unwrap();
        for i in 0..files {
            let d = root.join(format!("h{i:03}")).join("etc");
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("influxdb.conf"), "[http]\n").unwrap();
            std::fs::write(d.join("old.bak"), "x").unwrap();
        }
        std::fs::create_dir_all(root.join("ignored")).unwrap();
        std::fs::write(root.join("ignored/telegraf.conf"), "").unwrap();
        std::fs::create_dir_all(root.join(".hidden")).unwrap();
        std::fs::write(root.join(".hidden/telegraf.conf"), "").unwrap();
        dir
    }

    fn sorted(mut w: Walked) -> Vec<PathBuf> {
        assert!(w.1.is_empty(), "{:?}", w.1);
        w.0.sort();
        w.0.into_iter().map(|c| c.path).collect()
    }

    /// The walk on the calling thread (small trees) and the parallel walk find the same files
    /// and honour the same ignore rules.
    #[test]
    fn small_and_parallel_walks_agree() {
        let dir = tree(20);
        let small = sorted(walk_small(dir.path()).expect("a small tree"));
        let parallel = sorted(walk_parallel(dir.path()));
        assert_eq!(small, parallel);
        // The 20 influxdb.conf only: no *.bak, nothing under ignored/, no hidden file or directory.
        assert_eq!(small.len(), 20, "{small:#?}");
        assert!(small.iter().all(|p| !p.to_string_lossy().contains("bak")));
    }

    #[test]
    fn a_large_tree_is_left_to_the_parallel_walk() {
        let dir = tree(SMALL_TREE);
        assert!(walk_small(dir.path()).is_none());
        let found = discover(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(found.len(), SMALL_TREE);
        assert!(
            found.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
    }
}
