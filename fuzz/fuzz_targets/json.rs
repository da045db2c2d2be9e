//! Fuzz target `json`: see `fuzz/harness.rs` for what it checks. It also checks that the
//! hand-written fast path either gives up or builds the very tree marked-yaml builds.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use tlsgen::lint::parse::yaml::{parse_fast, parse_marked};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::json(data);
    let text = harness::text(data);
    if let Some(fast) = parse_fast(&text, true) {
        assert_eq!(Ok(fast), parse_marked(&text, true), "on {text:?}");
    }
});
