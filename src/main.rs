use std::process::ExitCode;

#[cfg(all(feature = "jemalloc", target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOC: allocator::Chosen = allocator::Chosen;

/// jemalloc's options, read before `main` (see `tikv_jemalloc_sys::malloc_conf`):
/// - `narenas:2`: one arena per core of the 2-core machines measured, not 4 per core;
/// - `dirty_decay_ms:100,muzzy_decay_ms:0`: freed pages go back to the system after 100 ms.
///   With jemalloc's default (10 s) the peak over 10,000 files was 22 MB; with 0 the system
///   time of that run tripled (a `madvise` per free run). With 100 ms: 18.1 to 19.5 MB, and the
///   run took 19-25% less time than with glibc's malloc (`scripts/bench.sh`, BENCHMARKS.md).
///
/// `tests/allocator.rs` checks that jemalloc reads this string.
#[cfg(all(feature = "jemalloc", target_os = "linux", target_env = "gnu"))]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: Option<&'static std::ffi::c_char> =
    // SAFETY: the pointer is the first byte of a NUL-terminated string literal ('static).
    Some(unsafe { &*c"narenas:2,dirty_decay_ms:100,muzzy_decay_ms:0".as_ptr() });

/// The binary's allocator: jemalloc, except for a `lint` of a few files, which gets the C
/// library's malloc (see `tlsgen::cli::is_small_lint` for the measurements).
///
/// The choice is made once, before `main`, by a constructor that reads the arguments, and never
/// changes after, so memory is always freed by the allocator that gave it. Should anything
/// allocate before the constructor runs, that first allocation fixes the choice to jemalloc and
/// the constructor's answer is dropped.
#[cfg(all(feature = "jemalloc", target_os = "linux", target_env = "gnu"))]
mod allocator {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::ffi::{c_char, c_int, CStr, OsStr};
    use std::os::unix::ffi::OsStrExt;
    use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

    use tikv_jemallocator::Jemalloc;

    const UNSET: u8 = 0;
    const SYSTEM: u8 = 1;
    const JEMALLOC: u8 = 2;

    static CHOICE: AtomicU8 = AtomicU8::new(UNSET);

    /// Whether the C library's malloc was chosen. The first allocation before the constructor's
    /// choice fixes jemalloc.
    #[cold]
    fn system_chosen() -> bool {
        match CHOICE.compare_exchange(UNSET, JEMALLOC, Relaxed, Relaxed) {
            Ok(_) => false,
            Err(chosen) => chosen == SYSTEM,
        }
    }

    pub struct Chosen;

    // The jemalloc branch comes first and the other one is a call out of line, so that the
    // common path stays a load, a compare and jemalloc's own call (no stack frame): over 1,111
    // static pods, 2.1% more instructions than jemalloc alone, against 3.5% with both inline.
    //
    // SAFETY: every call goes to the allocator fixed before the first allocation (the choice
    // never changes once set; freeing and resizing come after an allocation, so they see it),
    // and both allocators uphold `GlobalAlloc`'s contract.
    unsafe impl GlobalAlloc for Chosen {
        #[inline]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            allocate(layout, false)
        }

        #[inline]
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            allocate(layout, true)
        }

        #[inline]
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if CHOICE.load(Relaxed) == JEMALLOC {
                Jemalloc.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }

        #[inline]
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if CHOICE.load(Relaxed) == JEMALLOC {
                Jemalloc.realloc(ptr, layout, new_size)
            } else {
                System.realloc(ptr, layout, new_size)
            }
        }
    }

    /// An allocation, zeroed or not; `zeroed` is a constant at each call.
    #[inline(always)]
    unsafe fn allocate(layout: Layout, zeroed: bool) -> *mut u8 {
        match (CHOICE.load(Relaxed) == JEMALLOC, zeroed) {
            (true, false) => Jemalloc.alloc(layout),
            (true, true) => Jemalloc.alloc_zeroed(layout),
            (false, _) => other_alloc(layout, zeroed),
        }
    }

    /// An allocation when jemalloc is not (yet) the choice.
    #[inline(never)]
    unsafe fn other_alloc(layout: Layout, zeroed: bool) -> *mut u8 {
        let system = CHOICE.load(Relaxed) == SYSTEM || system_chosen();
        match (system, zeroed) {
            (true, false) => System.alloc(layout),
            (true, true) => System.alloc_zeroed(layout),
            (false, false) => Jemalloc.alloc(layout),
            (false, true) => Jemalloc.alloc_zeroed(layout),
        }
    }

    /// Run by glibc before `main`, with the process's arguments (glibc passes `argc`, `argv`
    /// and `envp` to `.init_array` functions, as the Rust standard library relies on too).
    extern "C" fn choose(argc: c_int, argv: *const *const c_char, _envp: *const *const c_char) {
        if argv.is_null() {
            return;
        }
        let args = (1..usize::try_from(argc).unwrap_or(0)).map_while(|i| {
            // SAFETY: glibc's argv holds `argc` pointers to NUL-terminated strings.
            let arg = unsafe { *argv.add(i) };
            // SAFETY: as above; the strings live as long as the process.
            (!arg.is_null()).then(|| OsStr::from_bytes(unsafe { CStr::from_ptr(arg) }.to_bytes()))
        });
        let chosen = if tlsgen::cli::is_small_lint(args) {
            SYSTEM
        } else {
            JEMALLOC
        };
        let _ = CHOICE.compare_exchange(UNSET, chosen, Relaxed, Relaxed);
    }

    #[used]
    #[link_section = ".init_array"]
    static CHOOSE: extern "C" fn(c_int, *const *const c_char, *const *const c_char) = choose;
}

use clap::Parser;
use tlsgen::cli::{self, Cli, Outcome};
use tlsgen::diag::Error;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli::run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Differences) => ExitCode::from(1),
        Err(Error::Problems(problems)) => {
            cli::eprint_problems(&problems);
            ExitCode::from(2)
        }
    }
}
