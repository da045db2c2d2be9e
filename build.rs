//! Link the `tlsgen` binary as a position-dependent executable on Linux with glibc.
//!
//! A one-file `tlsgen lint` is mostly process start-up, and page faults cost about 5 µs each on
//! the 2-core VMs measured. As a position-independent executable, the binary starts with
//! 12,000 relative relocations that the dynamic loader writes into 57 pages of
//! `.data.rel.ro`: a copy-on-write fault per page, about 60 in all (perf record). Linked with
//! `-no-pie` the addresses are fixed at link time: 57 fewer faults, 0.3 ms less per process
//! (BENCHMARKS.md).
//!
//! The cost: the executable's own code and data are not placed at a random address
//! (the heap, the stack and the shared libraries still are). Only the binaries get the flag,
//! not the library, the tests' or the fuzz targets' builds of it.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
