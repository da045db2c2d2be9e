//! The configuration of the property tests, included by each with `#[path]` (a module under
//! `tests/common` would be compiled into every test and warn as unused where it is not).

use proptest::test_runner::{Config, RngSeed};

/// `cases` cases from a fixed `seed`, so that `cargo test` is deterministic (exploration is the
/// fuzzer's job, scripts/fuzz.sh); set PROPTEST_RNG_SEED or PROPTEST_CASES to explore further.
pub fn config(cases: u32, seed: u64) -> Config {
    let mut c = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(seed);
    }
    if let Some(n) = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        c.cases = n;
    }
    c
}
