//! What a rule is: metadata, its documentation and a `check` over one normalised view.

use serde::Serialize;

use super::diagnostic::{Finding, Severity};
use super::source::{SourceStore, Span};
use super::view::elastic::ElasticOptions;
use super::view::etcd::EtcdConfig;
use super::view::influxdb::InfluxConfig;
use super::view::kubernetes::EncryptionConfig;
use super::view::project::Project;
use super::view::telegraf::TelegrafConfig;

/// The product a rule is about (also the folder of its file and of its fixtures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    Etcd,
    Influxdb,
    Telegraf,
    Kubernetes,
    Elastic,
    /// Findings about the lint run itself: parse errors and suppressions.
    Tlsgen,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Etcd => "etcd",
            Target::Influxdb => "influxdb",
            Target::Telegraf => "telegraf",
            Target::Kubernetes => "kubernetes",
            Target::Elastic => "elastic",
            Target::Tlsgen => "tlsgen",
        }
    }
}

/// The check of a rule, typed by the view it reads.
#[derive(Clone, Copy)]
pub enum Check {
    /// Emitted by the engine itself (parse errors, suppressions).
    Engine,
    Etcd(fn(&EtcdConfig, &mut Ctx)),
    Influxdb(fn(&InfluxConfig, &mut Ctx)),
    Telegraf(fn(&TelegrafConfig, &mut Ctx)),
    Kubernetes(fn(&EncryptionConfig, &mut Ctx)),
    Elastic(fn(&ElasticOptions, &mut Ctx)),
    /// Run once after every file, over all the InfluxDB and Telegraf views of the run
    /// (cross-file rules).
    Project(fn(&Project, &mut Ctx)),
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Check::Engine => "Engine",
            Check::Etcd(_) => "Etcd",
            Check::Influxdb(_) => "Influxdb",
            Check::Telegraf(_) => "Telegraf",
            Check::Kubernetes(_) => "Kubernetes",
            Check::Elastic(_) => "Elastic",
            Check::Project(_) => "Project",
        })
    }
}

/// One rule. Declare it with [`declare_rule!`](crate::declare_rule) so its `///` doc is also its
/// `doc` text (shown by `tlsgen rule`, and SARIF's `fullDescription`).
#[derive(Debug)]
pub struct Rule {
    /// Target prefix and digits, e.g. `ETCD003`.
    pub code: &'static str,
    /// Kebab-case, reads as "allow …", e.g. `client-cert-auth-disabled`.
    pub name: &'static str,
    pub target: Target,
    pub severity: Severity,
    /// One line: what the rule detects.
    pub summary: &'static str,
    /// The rule's documentation (markdown with the fixed headings of STYLE.md).
    pub doc: &'static str,
    pub check: Check,
}

impl Rule {
    /// The documentation with the one leading space of `///` lines removed.
    pub fn doc_text(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }

    /// The text of one `## Heading` section of the doc.
    pub fn doc_section(&self, heading: &str) -> Option<String> {
        let doc = self.doc_text();
        let marker = format!("## {heading}\n");
        let start = doc.find(&marker)? + marker.len();
        let rest = &doc[start..];
        let end = rest.find("\n## ").map(|i| i + 1).unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    }

    /// Where the rule's documentation lives on the web.
    pub fn help_uri(&self) -> String {
        format!(
            "{}#{}",
            super::registry::RULES_DOC_URL,
            self.code.to_ascii_lowercase()
        )
    }
}

/// Declare a rule: its `///` doc lines become both the doc comment and [`Rule::doc`].
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub static $id:ident = Rule { $($field:ident : $val:expr),* $(,)? };) => {
        $(#[doc = $doc])*
        pub static $id: $crate::lint::rule::Rule = $crate::lint::rule::Rule {
            doc: concat!($($doc, "\n"),*),
            $($field: $val),*
        };
    };
}

/// What a check gets besides its view: where to put findings.
pub struct Ctx<'a> {
    pub rule: &'static Rule,
    pub sources: &'a SourceStore,
    pub findings: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    pub fn new(rule: &'static Rule, sources: &'a SourceStore) -> Self {
        Ctx {
            rule,
            sources,
            findings: Vec::new(),
        }
    }

    /// Report a finding at the rule's default severity.
    pub fn report(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.report_as(self.rule.severity, span, message, help);
    }

    /// Report a finding at a given severity (a rule with a lesser form, e.g. a bare boolean flag).
    pub fn report_as(
        &mut self,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.findings.push(Finding {
            rule: self.rule,
            severity,
            span,
            message: message.into(),
            help: help.into(),
        });
    }

    /// The source text a span covers.
    pub fn text(&self, span: Span) -> &str {
        self.sources.text(span)
    }
}
