//! Telegraf rules (FACTS §4 and §8).

pub mod tgf001_plaintext_url;
pub mod tgf002_insecure_skip_verify;
