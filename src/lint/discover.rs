//! Which files to lint: named files always, directories walked by the `ignore` crate
//! (`.gitignore`, `.ignore`, `.git/info/exclude` and hidden entries respected, symbolic links
//! below a root not followed), in a stable order (sorted by path, whatever the walk's order).
//!
//! Nothing here stops a run: a named path that does not exist and a directory that cannot be
//! listed come back as candidates with a [`Failure`] (the engine reports them as findings), and
//! a problem of an ignore file (a bad glob) comes back as a note.

use std::path::{Path, PathBuf};

/// A file to lint and whether the user named it (then a file of no known kind gets a note).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    pub explicit: bool,
    /// The size the walk saw (0 when it did not look: a small tree), to lint large files first.
    pub size: u64,
    /// Why the path cannot be read, when the walk already knows.
    pub failure: Option<Failure>,
}

/// A path that cannot be read, with the system's reason (lowercase, see [`describe`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    /// A named path that does not exist, or leads through something that is not a directory.
    Missing(String),
    /// A directory that cannot be listed: nothing under it was linted.
    Directory(String),
    /// A file that cannot be read (found by the walk, such as an ignore file, or opened later).
    File(String),
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Sorted by path, without duplicates.
    pub candidates: Vec<Candidate>,
    /// Problems of ignore files (a bad glob), for stderr; the walk went on without them.
    pub notes: Vec<String>,
}

/// Expand paths into files, sorted and without duplicates.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(meta) if meta.is_file() => found.candidates.push(Candidate {
                path: p.clone(),
                explicit: true,
                size: meta.len(),
                failure: None,
            }),
            Ok(_) => {
                if walk_small(p, &mut found).is_none() {
                    walk_parallel(p, &mut found);
                }
            }
            Err(e) => found.candidates.push(Candidate {
                path: p.clone(),
                explicit: true,
                size: 0,
                failure: Some(Failure::Missing(describe(&e))),
            }),
        }
    }
    found.candidates.sort();
    found.candidates.dedup_by(|a, b| {
        if a.path == b.path {
            b.explicit |= a.explicit;
            if b.failure.is_none() {
                b.failure = a.failure.take();
            }
            true
        } else {
            false
        }
    });
    found.notes.sort();
    found.notes.dedup();
    found
}

/// An I/O error as a message: the system's text, lowercase first ("permission denied (os
/// error 13)"), also when the walk wrapped the system's error in one of its own.
pub fn describe(e: &std::io::Error) -> String {
    let mut os = e.raw_os_error();
    let mut inner: Option<&(dyn std::error::Error + 'static)> =
        e.get_ref().map(|i| i as &(dyn std::error::Error + 'static));
    while let (None, Some(i)) = (os, inner) {
        os = i
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::raw_os_error);
        inner = i.source();
    }
    let text = match os {
        Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
        None => e.to_string(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

fn walker(root: &Path) -> ignore::WalkBuilder {
    let mut w = ignore::WalkBuilder::new(root);
    w.require_git(false);
    w
}

/// Entries a small tree may have to be walked on the calling thread.
const SMALL_TREE: usize = 256;

/// Walk `root` on the calling thread if it has at most [`SMALL_TREE`] entries (`None`, and
/// nothing added, if it has more). `ignore`'s parallel walker lets idle threads sleep 1 ms at a
/// time, which is most of a run over one or a few files.
fn walk_small(root: &Path, found: &mut Discovered) -> Option<()> {
    let mut small = Discovered::default();
    for (n, entry) in walker(root).build().enumerate() {
        if n >= SMALL_TREE {
            return None;
        }
        push_entry(&mut small, entry, false);
    }
    found.candidates.append(&mut small.candidates);
    found.notes.append(&mut small.notes);
    Some(())
}

/// Walk `root` on every core: reading directories and looking for ignore files in each one is
/// most of a large run's single-threaded time otherwise. Order does not matter here: the
/// caller sorts.
fn walk_parallel(root: &Path, found: &mut Discovered) {
    let shared = std::sync::Mutex::new(std::mem::take(found));
    walker(root).build_parallel().run(|| {
        let shared = &shared;
        Box::new(move |entry| {
            let mut found = shared.lock().unwrap_or_else(|e| e.into_inner());
            push_entry(&mut found, entry, true);
            ignore::WalkState::Continue
        })
    });
    *found = shared.into_inner().unwrap_or_else(|e| e.into_inner());
}

/// `sized`: look up the file's size (one `stat`; a large tree's run lints its large files first,
/// see `lint::lint`).
fn push_entry(found: &mut Discovered, entry: Result<ignore::DirEntry, ignore::Error>, sized: bool) {
    // A directory's entry carries the problems of its ignore files.
    if let Some(e) = entry.as_ref().ok().and_then(ignore::DirEntry::error) {
        push_error(found, e, None);
    }
    match entry {
        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
            let size = if sized {
                entry.metadata().map_or(0, |m| m.len())
            } else {
                0
            };
            found.candidates.push(Candidate {
                path: strip_dot(entry.path()),
                explicit: false,
                size,
                failure: None,
            });
        }
        Ok(_) => {}
        Err(e) => push_error(found, &e, None),
    }
}

/// Sort a walk error: an I/O error on a path becomes a candidate with its failure, anything else
/// (a bad glob in an ignore file) a note.
fn push_error(found: &mut Discovered, e: &ignore::Error, path: Option<&Path>) {
    use ignore::Error as E;
    match e {
        E::Partial(errors) => {
            for e in errors {
                push_error(found, e, path);
            }
        }
        E::WithPath { path, err } => push_error(found, err, Some(path)),
        E::WithDepth { err, .. } => push_error(found, err, path),
        E::Io(io) if path.is_some() => {
            let Some(path) = path else { return };
            let is_dir = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
            let failure = if is_dir {
                Failure::Directory(describe(io))
            } else {
                Failure::File(describe(io))
            };
            found.candidates.push(Candidate {
                path: strip_dot(path),
                explicit: false,
                size: 0,
                failure: Some(failure),
            });
        }
        other => found.notes.push(match path {
            Some(p) => format!(
                "{}: {other}; the walk went on without it",
                display_path(&strip_dot(p))
            ),
            None => format!("{other}; the walk went on without it"),
        }),
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

    fn sorted(mut w: Discovered) -> Vec<PathBuf> {
        assert!(w.notes.is_empty(), "{:?}", w.notes);
        assert!(w.candidates.iter().all(|c| c.failure.is_none()));
        w.candidates.sort();
        w.candidates.into_iter().map(|c| c.path).collect()
    }

    /// The walk on the calling thread (small trees) and the parallel walk find the same files
    /// and honour the same ignore rules.
    #[test]
    fn small_and_parallel_walks_agree() {
        let dir = tree(20);
        let mut small = Discovered::default();
        walk_small(dir.path(), &mut small).expect("a small tree");
        let mut parallel = Discovered::default();
        walk_parallel(dir.path(), &mut parallel);
        let (small, parallel) = (sorted(small), sorted(parallel));
        assert_eq!(small, parallel);
        // The 20 influxdb.conf only: no *.bak, nothing under ignored/, no hidden file or directory.
        assert_eq!(small.len(), 20, "{small:#?}");
        assert!(small.iter().all(|p| !p.to_string_lossy().contains("bak")));
    }

    #[test]
    fn a_large_tree_is_left_to_the_parallel_walk() {
        let dir = tree(SMALL_TREE);
        let mut found = Discovered::default();
        assert!(walk_small(dir.path(), &mut found).is_none());
        assert!(
            found.candidates.is_empty(),
            "nothing added by the abandoned walk"
        );
        let found = discover(&[dir.path().to_path_buf()]).candidates;
        assert_eq!(found.len(), SMALL_TREE);
        assert!(
            found.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
    }

    /// A named path that does not exist, or leads through a file, is a candidate that failed
    /// (root cannot read those either).
    #[test]
    fn missing_paths_are_failed_candidates() {
        let dir = tree(1);
        let file = dir.path().join("h000/etc/influxdb.conf");
        let through = file.join("y");
        let missing = dir.path().join("nope.conf");
        let found = discover(&[through.clone(), missing.clone(), file.clone()]).candidates;
        let failures: Vec<(PathBuf, Option<Failure>)> =
            found.into_iter().map(|c| (c.path, c.failure)).collect();
        assert_eq!(failures.len(), 3, "{failures:?}");
        let of = |p: &Path| failures.iter().find(|(q, _)| q == p).unwrap().1.clone();
        assert!(of(&file).is_none());
        assert!(
            matches!(of(&through), Some(Failure::Missing(m)) if m.starts_with("not a directory")),
            "{:?}",
            of(&through)
        );
        assert!(
            matches!(of(&missing), Some(Failure::Missing(m)) if m.starts_with("no such file")),
            "{:?}",
            of(&missing)
        );
    }

    /// A bad glob in an ignore file is a note; the walk goes on and the rest applies.
    #[test]
    fn a_bad_glob_is_a_note_not_an_abort() {
        let dir = tree(2);
        std::fs::write(dir.path().join(".ignore"), "[z-a]\nh001/\n").unwrap();
        let found = discover(&[dir.path().to_path_buf()]);
        assert_eq!(found.notes.len(), 1, "{:?}", found.notes);
        assert!(found.notes[0].contains(".ignore"), "{:?}", found.notes);
        let paths: Vec<PathBuf> = found.candidates.into_iter().map(|c| c.path).collect();
        assert_eq!(paths, [dir.path().join("h000/etc/influxdb.conf")]);
    }
}
