//! Standard output for every command: the one place that writes to it.
//!
//! A reader that stops early (`tlsgen rules | head -1`) closes the pipe; the next write fails
//! with `BrokenPipe` (Rust ignores `SIGPIPE`), and `println!` panics on it. Here a closed pipe
//! is the reader's choice, not an error: the rest of the output is dropped without a word and
//! the command ends with its usual exit code. Any other write error is reported.

use std::io::{self, Write};

use crate::diag::Problem;

/// A writer that drops everything once its reader has gone (`BrokenPipe`).
pub struct Quiet<W: Write> {
    inner: W,
    closed: bool,
}

impl<W: Write> Quiet<W> {
    pub fn new(inner: W) -> Self {
        Quiet {
            inner,
            closed: false,
        }
    }

    /// Whether the reader closed the pipe (everything since was dropped).
    pub fn closed(&self) -> bool {
        self.closed
    }

    fn quiet<T>(&mut self, r: io::Result<T>, dropped: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(dropped)
            }
            r => r,
        }
    }
}

impl<W: Write> Write for Quiet<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.quiet(r, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.quiet(r, ())
    }
}

/// Buffered standard output that ends quietly on a closed pipe. Call [`finish`] when done, so a
/// write error other than a closed pipe is reported.
pub type Stdout = io::BufWriter<Quiet<io::StdoutLock<'static>>>;

/// Lock standard output for a command's whole output.
pub fn lock() -> Stdout {
    io::BufWriter::new(Quiet::new(io::stdout().lock()))
}

/// Flush `out`, mapping a write error (never a closed pipe) to a problem about `what`.
pub fn finish(mut out: Stdout, what: &str) -> Result<(), Problem> {
    out.flush().map_err(|e| write_problem(what, &e))
}

/// Write `text` to standard output at once.
pub fn print(text: &str, what: &str) -> Result<(), Problem> {
    let mut out = lock();
    out.write_all(text.as_bytes())
        .map_err(|e| write_problem(what, &e))?;
    finish(out, what)
}

/// The problem of a failed write to standard output.
pub fn write_problem(what: &str, e: &io::Error) -> Problem {
    Problem::error("io", format!("cannot write {what}: {e}"))
        .with_help("check where standard output goes (a full disk, a closed terminal)")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader went away after `left` bytes.
    struct Pipe {
        left: usize,
        got: Vec<u8>,
        kind: io::ErrorKind,
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::from(self.kind));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_drops_the_rest_without_an_error() {
        let mut q = Quiet::new(Pipe {
            left: 3,
            got: Vec::new(),
            kind: io::ErrorKind::BrokenPipe,
        });
        q.write_all(b"hello world").unwrap();
        writeln!(q, "more").unwrap();
        q.flush().unwrap();
        assert!(q.closed());
        assert_eq!(q.inner.got, b"hel");
    }

    #[test]
    fn other_write_errors_are_still_errors() {
        let mut q = Quiet::new(Pipe {
            left: 0,
            got: Vec::new(),
            kind: io::ErrorKind::StorageFull,
        });
        let e = q.write_all(b"x").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert!(!q.closed());
    }
}
