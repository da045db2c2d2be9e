//! Writing artifacts under `OUT/<host>/<path on host>`: atomically (temp file in the same
//! directory, fsync, rename), never over a file tlsgen did not write unless forced, and `--check`
//! with a unified diff.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use similar::TextDiff;

use super::Artifact;
use crate::diag::{io_problem, Problem};

/// Where an artifact goes under `out`. Host names and paths were validated, but this refuses any
/// component that could leave `out` all the same.
pub fn destination(out: &Path, artifact: &Artifact) -> Result<PathBuf, Problem> {
    let mut path = out.join(&artifact.host);
    let rel = Path::new(artifact.path.trim_start_matches('/'));
    for c in rel.components() {
        match c {
            Component::Normal(part) => path.push(part),
            _ => {
                return Err(Problem::error(
                    "render::path",
                    format!(
                        "artifact path {} leaves the output directory",
                        artifact.path
                    ),
                ))
            }
        }
    }
    if !crate::model::is_dns_label(&artifact.host) {
        return Err(Problem::error(
            "render::path",
            format!("host `{}` is not a safe directory name", artifact.host),
        ));
    }
    Ok(path)
}

/// Write `bytes` to `path` atomically with `mode`: the file is either the old one or the new one.
/// Never follows a symlink at `path` (the rename replaces the link itself).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), Problem> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| io_problem("create directory", dir, &e))?;
    stage(path, bytes, mode, true)?
        .persist(path)
        .map_err(|e| io_problem("rename into place", path, &e.error))?;
    Ok(())
}

#[cfg(unix)]
fn set_mode(file: &fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &fs::File, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn mode_of(meta: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_meta: &fs::Metadata) -> u32 {
    0o644
}

/// What writing an artifact would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Unchanged,
    Created,
    Updated,
}

/// The state on disk compared with an artifact.
#[derive(Debug)]
pub struct Planned<'a> {
    pub artifact: &'a Artifact,
    pub path: PathBuf,
    pub change: Change,
    pub old: Option<String>,
}

/// Compare every artifact with what is on disk. Fails (before anything is written) when a file
/// that tlsgen did not write would be overwritten and `force` is off.
pub fn plan<'a>(
    out: &Path,
    artifacts: &'a [Artifact],
    force: bool,
) -> Result<Vec<Planned<'a>>, Vec<Problem>> {
    if let Some(problem) = out_not_a_directory(out) {
        return Err(vec![problem]);
    }
    let mut planned = Vec::new();
    let mut problems = Vec::new();
    for a in artifacts {
        let path = match destination(out, a) {
            Ok(p) => p,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        // A symlink planted anywhere between OUT and the file (a host directory linked to /etc)
        // would carry the write outside OUT: refuse it like a symlink at the file itself.
        if let Some(link) = linked_parent(out, &path) {
            problems.push(
                Problem::error(
                    "render::not-a-file",
                    format!(
                        "{} is a symlink inside the output directory",
                        link.display()
                    ),
                )
                .with_help("tlsgen never writes through a symlink; remove it first"),
            );
            continue;
        }
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() || !meta.is_file() => {
                problems.push(
                    Problem::error("render::not-a-file", format!("{} exists and is not a regular file", path.display()))
                        .with_help("tlsgen never writes through a symlink or over a directory; remove it first"),
                );
            }
            Ok(meta) => {
                let old = fs::read_to_string(&path).unwrap_or_default();
                let same = old == a.content && mode_of(&meta) == a.mode;
                if !same && !force && !a.is_ours_at(&path, &old) {
                    problems.push(
                        Problem::error(
                            "render::not-ours",
                            format!("{} exists and was not written by tlsgen", path.display()),
                        )
                        .with_help("move it away, or pass --force to overwrite it"),
                    );
                }
                planned.push(Planned {
                    artifact: a,
                    path,
                    change: if same {
                        Change::Unchanged
                    } else {
                        Change::Updated
                    },
                    old: Some(old),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => planned.push(Planned {
                artifact: a,
                path,
                change: Change::Created,
                old: None,
            }),
            Err(e) => problems.push(io_problem("read", &path, &e)),
        }
    }
    if problems.is_empty() {
        Ok(planned)
    } else {
        Err(problems)
    }
}

/// The one problem of an output directory that is, or lies under, something other than a
/// directory (`-o FILE`): otherwise every artifact would fail alike, one error each.
fn out_not_a_directory(out: &Path) -> Option<Problem> {
    // The nearest of `out` and its ancestors that exists must be a directory (a symlink to one
    // counts: the user named it).
    let existing = out
        .ancestors()
        .find(|p| !p.as_os_str().is_empty() && fs::symlink_metadata(p).is_ok())?;
    match fs::metadata(existing) {
        Ok(meta) if meta.is_dir() => None,
        Ok(_) => Some(
            Problem::error(
                "render::out-not-a-directory",
                if existing == out {
                    format!("the output directory {} is not a directory", out.display())
                } else {
                    format!(
                        "the output directory {} lies under {}, which is not a directory",
                        out.display(),
                        existing.display()
                    )
                },
            )
            .with_help("pass a directory (or a path to create) with -o"),
        ),
        Err(e) => Some(io_problem("read", existing, &e)),
    }
}

/// The first directory between `out` (exclusive) and `path` (exclusive) that is a symlink.
fn linked_parent(out: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(out).ok()?;
    let mut dir = out.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for c in parts.iter().take(parts.len().saturating_sub(1)) {
        dir.push(c);
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.file_type().is_symlink() => return Some(dir),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Write what changed. Returns the number of files written.
///
/// Every file is atomic (temp file in its directory, renamed into place): a failing or killed run
/// never leaves a partial file. A file that replaces an existing one is fsynced before its rename,
/// so a crash cannot lose the old content. A file that did not exist is not: a crash can at worst
/// leave it empty or missing, and a re-run (or `--check`) sees it; an fsync per new file made a
/// fresh render of 1,000 hosts (1,259 files) take 1.3-7 s instead of a fraction of a second
/// (BENCHMARKS.md). Each directory is created once, not once per file; hosts are written in
/// parallel. On an error the first failing host in order is reported (other hosts may have been
/// written, as a sequential run would have written the hosts before it); no temp file is left
/// behind.
pub fn apply(planned: &[Planned<'_>]) -> Result<usize, Problem> {
    use rayon::prelude::*;

    let todo: Vec<&Planned<'_>> = planned
        .iter()
        .filter(|p| p.change != Change::Unchanged)
        .collect();
    // Hosts are written in parallel (directory and file creation is kernel time, and hosts share
    // no directory below OUT); within a host, in order.
    let mut hosts: Vec<Vec<&Planned<'_>>> = Vec::new();
    for p in todo {
        match hosts.last_mut() {
            Some(h) if h[0].artifact.host == p.artifact.host => h.push(p),
            _ => hosts.push(vec![p]),
        }
    }
    let write_host = |files: &Vec<&Planned<'_>>| -> Result<usize, Problem> {
        let dirs: std::collections::BTreeSet<&Path> =
            files.iter().filter_map(|p| p.path.parent()).collect();
        for dir in dirs {
            // One `stat` for a directory that exists; `create_dir_all` for one that does not.
            if !dir.is_dir() {
                fs::create_dir_all(dir).map_err(|e| io_problem("create directory", dir, &e))?;
            }
        }
        for p in files {
            let replaces = p.change == Change::Updated;
            stage(
                &p.path,
                p.artifact.content.as_bytes(),
                p.artifact.mode,
                replaces,
            )?
            .persist(&p.path)
            .map_err(|e| io_problem("rename into place", &p.path, &e.error))?;
        }
        Ok(files.len())
    };
    let results: Vec<Result<usize, Problem>> = if hosts.len() > 1 {
        hosts.par_iter().map(write_host).collect()
    } else {
        hosts.iter().map(write_host).collect()
    };
    results.into_iter().sum()
}

/// Write `bytes` with `mode` to a temp file next to `path` (fsynced when `fsync`), closed; the
/// returned path removes the file when dropped unless it is persisted.
fn stage(path: &Path, bytes: &[u8], mode: u32, fsync: bool) -> Result<tempfile::TempPath, Problem> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".tlsgen-")
        .tempfile_in(dir)
        .map_err(|e| io_problem("create a temporary file in", dir, &e))?;
    tmp.write_all(bytes)
        .and_then(|_| {
            if fsync {
                tmp.as_file().sync_all()
            } else {
                Ok(())
            }
        })
        .map_err(|e| io_problem("write", tmp.path(), &e))?;
    set_mode(tmp.as_file(), mode).map_err(|e| io_problem("set the mode of", path, &e))?;
    Ok(tmp.into_temp_path())
}

/// A unified diff of what `apply` would change (empty when nothing would).
pub fn diff(out: &Path, planned: &[Planned<'_>]) -> String {
    let mut text = String::new();
    for p in planned {
        if p.change == Change::Unchanged {
            continue;
        }
        let rel = p
            .path
            .strip_prefix(out)
            .unwrap_or(&p.path)
            .display()
            .to_string();
        let old = p.old.as_deref().unwrap_or("");
        let old_name = if p.old.is_some() {
            format!("a/{rel}")
        } else {
            "/dev/null".to_string()
        };
        let d = TextDiff::from_lines(old, &p.artifact.content);
        let body = d
            .unified_diff()
            .header(&old_name, &format!("b/{rel}"))
            .to_string();
        if body.is_empty() {
            text.push_str(&format!(
                "mode of {rel} differs: expected {:o}\n",
                p.artifact.mode
            ));
        } else {
            text.push_str(&body);
        }
    }
    text
}
