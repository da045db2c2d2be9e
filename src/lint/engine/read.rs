//! Read: load each file (or stdin), cap its size, refuse binary files and private keys, and
//! detect its kind. Nothing here parses: a file leaves as [`Loaded`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::lint::detect::{self, Kind};
use crate::lint::discover;
use crate::lint::settings::Settings;

/// What reading needs of the run: the forced kind, the texts given in memory, the size cap.
pub(super) struct Reader<'a> {
    /// `--kind`: the kind of named files and stdin.
    pub kind: Option<Kind>,
    /// Texts to lint instead of a file's content (`--fix` re-lints the fixed text).
    pub overrides: &'a BTreeMap<PathBuf, String>,
    pub settings: &'a Settings,
}

impl Reader<'_> {
    /// The kind of a file: forced for a named file, else detected by path and content.
    fn detect_kind(&self, path: &str, text: &str, explicit: bool) -> Option<Kind> {
        match (explicit, self.kind) {
            (true, Some(k)) => Some(k),
            _ => detect::detect(path, text),
        }
    }

    /// The text read from stdin, linted as `name`.
    pub fn stdin(&self, name: &str, text: &str) -> Loaded {
        if text.len() as u64 > self.settings.max_file_size {
            Loaded::Skipped(Some(format!(
                "{name}: skipped, {} bytes is over the size cap of {} bytes (max-file-size in tlsgen.toml)",
                text.len(),
                self.settings.max_file_size
            )))
        } else {
            self.load_text(name.to_string(), text.to_string(), true, None)
        }
    }

    /// Read one candidate of the walk. It is moved in: its path becomes the file's origin.
    pub fn candidate(&self, c: discover::Candidate) -> Loaded {
        let settings = self.settings;
        let path = discover::display_path(&c.path);
        // A path that cannot be read; its kind as far as the path says (content is not there to
        // sniff).
        let failed = |failure: discover::Failure| Loaded::Unreadable {
            kind: self.detect_kind(&path, "", c.explicit),
            path: path.clone(),
            failure,
        };
        if let Some(failure) = c.failure.clone() {
            return failed(failure);
        }
        if let Some(text) = self.overrides.get(&c.path) {
            return self.load_text(path, text.clone(), c.explicit, Some(c.path));
        }
        // Opened once: the size check and the read use the same handle. The size the walk saw
        // saves a `stat`; the read stops one byte past the cap, so a file that grew since is
        // still caught. (`File::read_to_end` would ask for the size and position again.)
        let io = |e: std::io::Error| failed(discover::Failure::File(discover::describe(&e)));
        let mut handle = match std::fs::File::open(&c.path) {
            Ok(h) => h,
            Err(e) => return io(e),
        };
        let size = match c.size {
            0 => handle.metadata().map_or(0, |m| m.len()),
            seen => seen,
        };
        let over_cap = |size: u64| {
            Loaded::Skipped(Some(format!(
                "{path}: skipped, {size} bytes is over the size cap of {} bytes (max-file-size in tlsgen.toml)",
                settings.max_file_size
            )))
        };
        if size > settings.max_file_size {
            return over_cap(size);
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        if let Err(e) = std::io::Read::read_to_end(
            &mut std::io::Read::take(&mut handle, settings.max_file_size.saturating_add(1)),
            &mut bytes,
        ) {
            return io(e);
        }
        if bytes.len() as u64 > settings.max_file_size {
            let size = handle.metadata().map_or(bytes.len() as u64, |m| m.len());
            return over_cap(size);
        }
        if bytes.contains(&0) {
            return Loaded::Skipped(
                c.explicit
                    .then(|| format!("{path}: skipped, a binary file")),
            );
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        self.load_text(path, text, c.explicit, Some(c.path))
    }

    /// Detect the kind of a file read whole.
    fn load_text(
        &self,
        path: String,
        text: String,
        explicit: bool,
        origin: Option<PathBuf>,
    ) -> Loaded {
        if crate::diag::holds_private_key(&text) {
            // Never parse a private key (under a forced kind a parse error would quote its lines). A
            // key file met on a walk is skipped silently; a configuration file holding a key is worth
            // a note: its settings go unchecked, and a key does not belong there.
            let config = self.detect_kind(&path, &text, explicit).is_some();
            return Loaded::Skipped((explicit || config).then(|| {
                format!(
                    "{path}: skipped, holds a private key (tlsgen never parses or quotes keys); move the key to its own file"
                )
            }));
        }
        match self.detect_kind(&path, &text, explicit) {
            Some(kind) => Loaded::File {
                path,
                text,
                origin,
                kind,
            },
            None => Loaded::Skipped(explicit.then(|| {
                format!(
                    "{path}: skipped, not a kind of file tlsgen lints (use --kind to force one)"
                )
            })),
        }
    }
}

/// A file read from disk (or stdin) and detected.
pub(super) enum Loaded {
    /// Not linted; the note is for stderr when the user named the file.
    Skipped(Option<String>),
    /// A path that could not be read: a finding (TLSGEN004) or a note, see [`super::schedule::unreadable`].
    Unreadable {
        path: String,
        failure: discover::Failure,
        /// Its kind as far as the path tells (or `--kind` for a named file).
        kind: Option<Kind>,
    },
    File {
        path: String,
        text: String,
        origin: Option<PathBuf>,
        kind: Kind,
    },
}
