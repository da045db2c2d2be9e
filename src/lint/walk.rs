//! The directory walk on Linux: each directory is opened relative to its parent's descriptor and
//! read with `getdents64`, each file's size comes from an `fstatat` relative to its directory.
//!
//! The `ignore` crate's walk opens every directory by its whole path (the kernel looks up every
//! component again), `opendir` adds an `fstat` and a 32 KB buffer per directory, and the size of
//! each file costs a `stat` by whole path. Over the 2,224 directories of 1,111 static pods this
//! walk took half the system time of a run (`perf`, `strace -c`).
//!
//! It walks what `ignore::WalkBuilder::new(root).require_git(false)` walks (the differential
//! test `tests/walk_diff.rs` holds the two to the same files): hidden entries are skipped, and
//! `.ignore`, `.gitignore` and `.git/info/exclude` apply to their directory's tree, those of the
//! root's parent directories and the global git excludes file too, with the same precedence.
//! Symbolic links are not followed (the root may be one). The ignore files are matched with the
//! `ignore` crate's own `Gitignore`. A case it does not cover returns `None`, and the caller
//! walks with `ignore`: a `.git` that is not a directory (a worktree or a submodule), and running
//! out of file descriptors (a directory stays open while a sibling below it waits;
//! `tests/walk_fds.rs`).

// The one exception to `unsafe_code = "deny"` (Cargo.toml): this walk calls `openat`,
// `getdents64` and `fstatat` through `libc`, each call with its own SAFETY comment. It is being
// replaced by a walk through the `ignore` crate alone (issue 18), which deletes this file.
#![allow(unsafe_code)]

use std::ffi::{CStr, CString, OsStr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use super::discover::{Candidate, Walked};

/// Directories walked on the calling thread before the rest of the walk goes to the thread pool
/// (a small tree is done before a pool would have started).
const SERIAL_DIRS: usize = 64;

/// The ignore files of one directory and of those above it.
struct Level {
    ignore: Gitignore,
    gitignore: Gitignore,
    exclude: Gitignore,
    up: Option<Arc<Level>>,
}

/// What applies to the whole walk.
struct Rules {
    /// The levels of the root's parent directories, nearest first, when any has a rule.
    parents: Vec<Level>,
    /// The root with its symbolic links resolved: the parents' rules match below it.
    canonical_root: PathBuf,
    global: Gitignore,
}

/// A directory to read.
struct Job {
    /// The parent's descriptor (`None`: the root, opened by its path).
    parent: Option<Arc<OwnedFd>>,
    name: CString,
    /// The path as walked: the root as given, joined with the names below it.
    path: PathBuf,
    /// The path below the root.
    rel: PathBuf,
    level: Option<Arc<Level>>,
}

/// What a directory gave: its files, its subdirectories, an error.
#[derive(Default)]
struct Read {
    files: Vec<Candidate>,
    dirs: Vec<Job>,
    errors: Vec<String>,
    /// A case left to the `ignore` crate.
    give_up: bool,
}

/// Walk `root` (a directory), or `None` for a tree the `ignore` crate must walk.
pub(super) fn walk(root: &Path) -> Option<Walked> {
    let (rules, errors) = Rules::new(root)?;
    let name = CString::new(root.as_os_str().as_bytes()).ok()?;
    let mut stack = vec![Job {
        parent: None,
        name,
        path: root.to_path_buf(),
        rel: PathBuf::new(),
        level: None,
    }];
    let mut found: Walked = (Vec::new(), errors);
    let mut dirs = 0;
    while let Some(job) = stack.pop() {
        if dirs == SERIAL_DIRS {
            stack.push(job);
            break;
        }
        dirs += 1;
        let read = read_dir(&rules, job);
        if read.give_up {
            return None;
        }
        found.0.extend(read.files);
        found.1.extend(read.errors);
        stack.extend(read.dirs);
    }
    if stack.is_empty() {
        return Some(found);
    }
    let shared = Mutex::new(found);
    let give_up = AtomicBool::new(false);
    let pool = Pool {
        rules: &rules,
        found: &shared,
        give_up: &give_up,
    };
    rayon::scope(|s| {
        for job in stack {
            spawn(s, pool, job);
        }
    });
    let found = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    (!give_up.into_inner()).then_some(found)
}

/// What the thread pool's part of a walk shares.
#[derive(Clone, Copy)]
struct Pool<'a> {
    rules: &'a Rules,
    found: &'a Mutex<Walked>,
    /// Set when a directory is left to the `ignore` crate: the rest of the walk stops.
    give_up: &'a AtomicBool,
}

fn spawn<'s>(s: &rayon::Scope<'s>, pool: Pool<'s>, job: Job) {
    s.spawn(move |s| {
        if pool.give_up.load(Ordering::Relaxed) {
            return;
        }
        let read = read_dir(pool.rules, job);
        if read.give_up {
            pool.give_up.store(true, Ordering::Relaxed);
            return;
        }
        if !read.files.is_empty() || !read.errors.is_empty() {
            let mut found = pool.found.lock().unwrap_or_else(|e| e.into_inner());
            found.0.extend(read.files);
            found.1.extend(read.errors);
        }
        for dir in read.dirs {
            spawn(s, pool, dir);
        }
    });
}

impl Rules {
    /// The rules of the walk of `root`, with the errors of its parents' ignore files (`None`: a
    /// parent's `.git` is not a directory).
    fn new(root: &Path) -> Option<(Rules, Vec<String>)> {
        let global = match std::env::current_dir() {
            Ok(cwd) => GitignoreBuilder::new(cwd).build_global().0,
            Err(_) => Gitignore::empty(),
        };
        // The parents' rules as `ignore` reads them: from the resolved root's parent upward.
        let mut parents = Vec::new();
        let mut errors = Vec::new();
        let canonical = root.canonicalize().ok();
        if let Some(canonical) = &canonical {
            let mut dir = canonical.parent();
            while let Some(d) = dir {
                let has = |name: &str| d.join(name).exists();
                let names = Names {
                    ignore: has(".ignore"),
                    gitignore: has(".gitignore"),
                    git: has(".git"),
                };
                let level = level_of(d, &names, None, &mut errors)?;
                parents.push(level);
                dir = d.parent();
            }
        }
        if parents.iter().all(Level::is_empty) {
            parents.clear();
        }
        Some((
            Rules {
                parents,
                canonical_root: canonical.unwrap_or_else(|| root.to_path_buf()),
                global,
            },
            errors,
        ))
    }

    /// Whether the entry at `path` (`rel` below the root) is left out of the walk.
    fn ignored(&self, level: Option<&Level>, path: &Path, rel: &Path, is_dir: bool) -> bool {
        let (mut ig, mut gi, mut ex) = (Match::None, Match::None, Match::None);
        let mut take = |l: &Level, p: &Path| {
            if ig.is_none() {
                ig = l.ignore.matched(p, is_dir).map(|_| ());
            }
            if gi.is_none() {
                gi = l.gitignore.matched(p, is_dir).map(|_| ());
            }
            if ex.is_none() {
                ex = l.exclude.matched(p, is_dir).map(|_| ());
            }
        };
        let mut at = level;
        while let Some(l) = at {
            take(l, path);
            at = l.up.as_deref();
        }
        if !self.parents.is_empty() {
            let abs = self.canonical_root.join(rel);
            for l in &self.parents {
                take(l, &abs);
            }
        }
        let m = ig
            .or(gi)
            .or(ex)
            .or(self.global.matched(path, is_dir).map(|_| ()));
        match m {
            Match::Ignore(()) => true,
            Match::Whitelist(()) => false,
            Match::None => is_hidden(rel),
        }
    }
}

fn is_hidden(rel: &Path) -> bool {
    rel.file_name()
        .is_some_and(|n| n.as_bytes().first() == Some(&b'.'))
}

impl Level {
    fn is_empty(&self) -> bool {
        self.ignore.is_empty() && self.gitignore.is_empty() && self.exclude.is_empty()
    }
}

/// Which ignore-related names a directory holds.
#[derive(Default)]
struct Names {
    ignore: bool,
    gitignore: bool,
    git: bool,
}

impl Names {
    fn any(&self) -> bool {
        self.ignore || self.gitignore || self.git
    }
}

/// The level of directory `dir`, or `None` if its `.git` is not a directory.
fn level_of(
    dir: &Path,
    names: &Names,
    up: Option<Arc<Level>>,
    errors: &mut Vec<String>,
) -> Option<Level> {
    let mut build = |names: bool, file: PathBuf| -> Gitignore {
        // `ignore` skips a missing or unreadable file and keeps the lines it could read
        // (`create_gitignore`); a line that is no glob is an error of the walk.
        if !names || !file.exists() {
            return Gitignore::empty();
        }
        let mut builder = GitignoreBuilder::new(dir);
        if let Some(e) = builder.add(&file) {
            if !e.is_io() {
                errors.push(e.to_string());
            }
        }
        builder.build().unwrap_or_else(|e| {
            errors.push(e.to_string());
            Gitignore::empty()
        })
    };
    let ignore = build(names.ignore, dir.join(".ignore"));
    let gitignore = build(names.gitignore, dir.join(".gitignore"));
    let exclude = if names.git {
        match std::fs::metadata(dir.join(".git")) {
            Ok(m) if m.is_dir() => build(true, dir.join(".git/info/exclude")),
            Ok(_) => return None,
            Err(_) => Gitignore::empty(),
        }
    } else {
        Gitignore::empty()
    };
    Some(Level {
        ignore,
        gitignore,
        exclude,
        up,
    })
}

/// `getdents64`'s buffer: one call reads a directory of about 1,000 entries.
const DENTS: usize = 32 * 1024;

/// Read one directory: its files (with their sizes) and the subdirectories to read.
fn read_dir(rules: &Rules, job: Job) -> Read {
    let mut out = Read::default();
    let at = job
        .parent
        .as_ref()
        .map_or(libc::AT_FDCWD, |p| p.as_raw_fd());
    // The root may be a symbolic link (the user named it); nothing below it is followed.
    let nofollow = if job.parent.is_some() {
        libc::O_NOFOLLOW
    } else {
        0
    };
    // SAFETY: `name` is a NUL-terminated string and `at` an open descriptor (or AT_FDCWD).
    let fd = unsafe {
        libc::openat(
            at,
            job.name.as_ptr(),
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC | nofollow,
        )
    };
    if fd < 0 {
        let e = std::io::Error::last_os_error();
        // Out of descriptors (a tree nested deeper than the limit of open files: each level
        // holds its directory open while the one below is read): the `ignore` crate walks by
        // path instead.
        if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) {
            out.give_up = true;
        } else {
            out.errors.push(format!("{}: {e}", job.path.display()));
        }
        return out;
    }
    // SAFETY: `fd` was just opened and nothing else owns it.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let mut names = Names::default();
    let Some(entries) = entries(&fd, &mut names) else {
        out.errors.push(io_error(&job.path));
        return out;
    };
    let level = if names.any() {
        match level_of(&job.path, &names, job.level.clone(), &mut out.errors) {
            Some(l) => Some(Arc::new(l)),
            None => {
                out.give_up = true;
                return out;
            }
        }
    } else {
        job.level.clone()
    };
    // Subdirectories open relative to this one: it stays open while they wait.
    let fd = Arc::new(fd);
    for (name, kind) in entries {
        let os = OsStr::from_bytes(name.to_bytes());
        let path = job.path.join(os);
        let rel = job.rel.join(os);
        let mut stat = None;
        let kind = match kind {
            libc::DT_UNKNOWN => {
                stat = fstatat(fd.as_raw_fd(), &name);
                match stat {
                    Some(st) => match st.st_mode & libc::S_IFMT {
                        libc::S_IFDIR => libc::DT_DIR,
                        libc::S_IFREG => libc::DT_REG,
                        _ => libc::DT_UNKNOWN,
                    },
                    None => libc::DT_UNKNOWN,
                }
            }
            k => k,
        };
        let is_dir = kind == libc::DT_DIR;
        if !(is_dir || kind == libc::DT_REG) || rules.ignored(level.as_deref(), &path, &rel, is_dir)
        {
            continue;
        }
        if is_dir {
            out.dirs.push(Job {
                parent: Some(Arc::clone(&fd)),
                name,
                path,
                rel,
                level: level.clone(),
            });
        } else {
            let size = stat
                .or_else(|| fstatat(fd.as_raw_fd(), &name))
                .map_or(0, |st| u64::try_from(st.st_size).unwrap_or(0));
            out.files.push(Candidate {
                path: super::discover::strip_dot(&path),
                explicit: false,
                size,
            });
        }
    }
    out
}

thread_local! {
    /// `getdents64`'s buffer, one per thread: zeroing a new one for each directory was 18% of
    /// the instructions of a run over the pods (callgrind).
    static DENTS_BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; DENTS]);
}

/// The names and types in directory `fd` (without `.` and `..`), noting the ignore-related
/// names; `None` if it cannot be read (`errno` says why).
fn entries(fd: &OwnedFd, names: &mut Names) -> Option<Vec<(CString, u8)>> {
    DENTS_BUF.with_borrow_mut(|buf| {
        let mut entries = Vec::new();
        loop {
            // SAFETY: the buffer is `buf.len()` bytes long and `fd` an open directory.
            let n = unsafe {
                libc::syscall(
                    libc::SYS_getdents64,
                    fd.as_raw_fd(),
                    buf.as_mut_ptr(),
                    buf.len(),
                )
            };
            if n < 0 {
                return None;
            }
            if n == 0 {
                return Some(entries);
            }
            let mut off = 0;
            let n = usize::try_from(n).unwrap_or(0).min(buf.len());
            // `struct linux_dirent64`: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
            while off + 19 < n {
                let reclen = usize::from(u16::from_ne_bytes([buf[off + 16], buf[off + 17]]));
                let kind = buf[off + 18];
                let end = (off + reclen).min(n);
                let Ok(name) = CStr::from_bytes_until_nul(&buf[off + 19..end]) else {
                    break;
                };
                off += reclen.max(1);
                match name.to_bytes() {
                    b"." | b".." => continue,
                    b".ignore" => names.ignore = true,
                    b".gitignore" => names.gitignore = true,
                    b".git" => names.git = true,
                    _ => {}
                }
                entries.push((name.to_owned(), kind));
            }
        }
    })
}

/// `fstatat` without following a symbolic link.
fn fstatat(dir: RawFd, name: &CStr) -> Option<libc::stat> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `name` is NUL-terminated, `dir` an open directory and `st` room for a `stat`.
    let rc = unsafe {
        libc::fstatat(
            dir,
            name.as_ptr(),
            st.as_mut_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    // SAFETY: `fstatat` filled `st` when it returned 0.
    (rc == 0).then(|| unsafe { st.assume_init() })
}

/// The last system error, for `path`.
fn io_error(path: &Path) -> String {
    format!("{}: {}", path.display(), std::io::Error::last_os_error())
}
