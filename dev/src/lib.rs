//! Tools for tlsgen's developers (not published): the seeded benchmark corpus ([`corpus`]),
//! written to disk by the `tlsgen-corpus` binary (`cargo corpus --out DIR --count N`), and
//! `file-len`, the one-file reference program of `scripts/bench.sh`.

pub mod corpus;
