//! `lint`: read configuration files of etcd, InfluxDB, Telegraf, Kubernetes and DC/OS Elastic,
//! keep spans, normalise each into a view per target, run the rules of that target, and report
//! [`Finding`]s. See `src/lint/README.md` for how to add a rule.
//!
//! ```text
//! paths ─discover─▶ files ─detect─▶ Kind ─parse─▶ view (EtcdConfig, InfluxConfig, …)
//!       ─rules─▶ findings ─suppress, settings, baseline─▶ output (human, short, json, sarif, github)
//! ```

pub mod baseline;
pub mod check;
pub mod detect;
pub mod diagnostic;
pub mod discover;
mod engine;
pub mod fix;
pub mod output;
pub mod parse;
pub mod placeholder;
pub mod redact;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod settings;
pub mod severity;
pub mod source;
pub mod suppress;
pub mod view;

pub use detect::Kind;
pub use engine::{lint, Input, Report, Suppressed};
pub use rule::{Check, Ctx, Finding, Rule, Target};
pub use settings::Settings;
pub use severity::Severity;
pub use source::{FileId, SourceStore, Span};
