//! How the `tlsgen` binary is built: a position-independent executable with the toolchain's
//! hardening (read-only relocations, immediate binding, a stack that is not executable), and one
//! allocator chosen at compile time (jemalloc, with its own defaults), whatever the command.
//!
//! The ELF checks read the debug binary the test suite builds; the release binary is linked the
//! same way (no link arguments in the package, `cargo build --release` then
//! `readelf -h target/release/tlsgen` says `DYN`).
#![cfg(target_os = "linux")]

use std::process::Command;

fn tlsgen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tlsgen"))
}

/// The parts of a 64-bit little-endian ELF file's header that say how it was linked.
struct Elf {
    /// `e_type`: 2 for a position-dependent executable, 3 for a position-independent one.
    e_type: u16,
    /// The program headers' `(p_type, p_flags, p_offset, p_filesz)`.
    segments: Vec<(u32, u32, u64, u64)>,
    /// The dynamic section's `(d_tag, d_val)` entries.
    dynamic: Vec<(i64, u64)>,
}

const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PT_GNU_STACK: u32 = 0x6474_e551;
const PT_GNU_RELRO: u32 = 0x6474_e552;
const PF_X: u32 = 1;
const DT_FLAGS: i64 = 30;
const DT_FLAGS_1: i64 = 0x6fff_fffb;
const DF_BIND_NOW: u64 = 0x8;
const DF_1_NOW: u64 = 0x1;
const DF_1_PIE: u64 = 0x0800_0000;

fn read_elf(bytes: &[u8]) -> Elf {
    let u16_at = |at: usize| u16::from_le_bytes(bytes[at..at + 2].try_into().unwrap());
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF file");
    assert_eq!(bytes[4], 2, "not a 64-bit ELF file");
    assert_eq!(bytes[5], 1, "not a little-endian ELF file");
    let e_type = u16_at(16);
    let phoff = usize::try_from(u64_at(32)).unwrap();
    let (phentsize, phnum) = (usize::from(u16_at(54)), usize::from(u16_at(56)));
    let segments: Vec<_> = (0..phnum)
        .map(|i| {
            let ph = phoff + i * phentsize;
            (u32_at(ph), u32_at(ph + 4), u64_at(ph + 8), u64_at(ph + 32))
        })
        .collect();
    let dynamic = segments
        .iter()
        .filter(|s| s.0 == PT_DYNAMIC)
        .flat_map(|&(_, _, offset, size)| {
            let offset = usize::try_from(offset).unwrap();
            (0..usize::try_from(size).unwrap() / 16).map(move |i| offset + i * 16)
        })
        .map(|at| (u64_at(at) as i64, u64_at(at + 8)))
        .take_while(|&(tag, _)| tag != 0)
        .collect();
    Elf {
        e_type,
        segments,
        dynamic,
    }
}

fn binary() -> Elf {
    read_elf(&std::fs::read(env!("CARGO_BIN_EXE_tlsgen")).unwrap())
}

/// A position-independent executable (`ET_DYN`, what `readelf -h` prints as `DYN`), so that its
/// code is placed at a random address: a program of the dynamic loader, marked as a PIE.
#[test]
fn the_binary_is_a_position_independent_executable() {
    let elf = binary();
    assert_eq!(
        elf.e_type, 3,
        "ELF type {}: not linked as a position-independent executable (3, DYN)",
        elf.e_type
    );
    assert!(
        elf.segments.iter().any(|s| s.0 == PT_INTERP),
        "no program interpreter: a shared library, not an executable"
    );
    let flags_1 = elf.dynamic.iter().find(|d| d.0 == DT_FLAGS_1).map(|d| d.1);
    assert!(
        flags_1.is_some_and(|f| f & DF_1_PIE != 0),
        "DT_FLAGS_1 {flags_1:?} without DF_1_PIE"
    );
}

/// The toolchain's defaults, which the package must not weaken: relocations made read-only after
/// start-up, every symbol bound at start-up (full RELRO), and a stack that is not executable.
#[test]
fn the_binary_keeps_full_relro_and_a_stack_that_is_not_executable() {
    let elf = binary();
    assert!(
        elf.segments.iter().any(|s| s.0 == PT_GNU_RELRO),
        "no PT_GNU_RELRO segment"
    );
    let bind_now = elf.dynamic.iter().any(|&(tag, val)| {
        (tag == DT_FLAGS && val & DF_BIND_NOW != 0) || (tag == DT_FLAGS_1 && val & DF_1_NOW != 0)
    });
    assert!(bind_now, "lazy binding: {:x?}", elf.dynamic);
    let stack = elf.segments.iter().find(|s| s.0 == PT_GNU_STACK);
    assert!(
        stack.is_some_and(|s| s.1 & PF_X == 0),
        "executable stack: {stack:?}"
    );
}

/// jemalloc runs with its own defaults: no options compiled into the binary (`malloc_conf`),
/// nothing tuned to the machine it was measured on. jemalloc prints where it looks for options
/// with `confirm_conf`, which the environment turns on.
#[cfg(feature = "jemalloc")]
#[test]
fn jemalloc_has_no_options_compiled_in() {
    let out = tlsgen()
        .arg("--version")
        .env("_RJEM_MALLOC_CONF", "confirm_conf:true")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let compiled_in = stderr
        .lines()
        .find(|l| l.contains("(string pointed to by the global variable malloc_conf)"))
        .unwrap_or_else(|| panic!("jemalloc did not report its options:\n{stderr}"));
    assert!(compiled_in.ends_with(": \"\""), "{compiled_in}");
    assert!(
        stderr.contains("-- Set conf value: confirm_conf:true"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("-- Set conf value:").count(),
        1,
        "options set besides the environment's:\n{stderr}"
    );
}
