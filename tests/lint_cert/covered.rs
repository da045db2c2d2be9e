//! The CERT rules that `tests/lint_cert.rs` covers with certificates made at run time (a failing
//! and a passing case each) instead of checked-in fixtures, which would expire. Shared with the
//! meta-test of `tests/lint_fixtures.rs`.

pub const COVERED: &[&str] = &[
    "CERT001", "CERT002", "CERT003", "CERT004", "CERT005", "CERT006", "CERT007", "CERT008",
    "CERT009", "CERT010",
];
