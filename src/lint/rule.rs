//! What a rule is: metadata, its documentation and a `check` over one normalised view, and what
//! a check reports: a [`Finding`] (the one internal diagnostic of lint), through its [`Ctx`].
//! Rule, check, context and finding name each other, so they live in one module.

use serde::Serialize;

use super::fix::{Applicability, Fix};
use super::severity::Severity;
use super::source::{SourceFile, SourceStore, Span};
use super::view::cert::CertView;
use super::view::elastic::ElasticOptions;
use super::view::etcd::EtcdConfig;
use super::view::influxdb::InfluxConfig;
use super::view::kubernetes::EncryptionConfig;
use super::view::project::{Project, ProjectKeys};
use super::view::telegraf::TelegrafConfig;

/// Where the rules are documented on the web (`#<code>` anchors); SARIF `helpUri` points here.
pub const RULES_DOC_URL: &str = "https://github.com/tlsgen/tlsgen/blob/main/docs/rules.md";

/// The product a rule is about (also the folder of its file and of its fixtures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    Etcd,
    Influxdb,
    Telegraf,
    Kubernetes,
    Elastic,
    /// The files a configuration names (certificates, keys, CAs): `CERT` rules.
    Cert,
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
            Target::Cert => "cert",
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
    /// (cross-file rules), with the keys of those views the check reads.
    Project(fn(&Project, &mut Ctx), &'static ProjectKeys),
    /// Run after an etcd, InfluxDB or Telegraf view, over the certificate, key and CA files it
    /// names (read by `view/cert/`).
    Cert(fn(&CertView, &mut Ctx)),
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
            Check::Project(..) => "Project",
            Check::Cert(_) => "Cert",
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
    /// Whether the rule offers fixes, and the applicability its fix fixture needs (`Safe`: some
    /// findings get a safe fix; `Unsafe`: fixes need `--unsafe-fixes`). A rule with a fix must
    /// have a `fix/` fixture case (tests/lint_fix.rs). Set it as the FIRST field of
    /// [`declare_rule!`](crate::declare_rule): `fix: Applicability::Safe,`.
    pub fix: Option<Applicability>,
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
        format!("{}#{}", RULES_DOC_URL, self.code.to_ascii_lowercase())
    }
}

/// Declare a rule: its `///` doc lines become both the doc comment and [`Rule::doc`].
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub static $id:ident = Rule { fix: $fix:expr, $($field:ident : $val:expr),* $(,)? };) => {
        $(#[doc = $doc])*
        pub static $id: $crate::lint::rule::Rule = $crate::lint::rule::Rule {
            doc: concat!($($doc, "\n"),*),
            fix: Some($fix),
            $($field: $val),*
        };
    };
    ($(#[doc = $doc:literal])* pub static $id:ident = Rule { $($field:ident : $val:expr),* $(,)? };) => {
        $(#[doc = $doc])*
        pub static $id: $crate::lint::rule::Rule = $crate::lint::rule::Rule {
            doc: concat!($($doc, "\n"),*),
            fix: None,
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
    pub fn report(
        &mut self,
        span: Span,
        message: impl Into<String>,
        help: impl Into<std::borrow::Cow<'static, str>>,
    ) {
        self.report_as(self.rule.severity, span, message, help);
    }

    /// Report a finding at a given severity (a rule with a lesser form, e.g. a bare boolean flag).
    pub fn report_as(
        &mut self,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
        help: impl Into<std::borrow::Cow<'static, str>>,
    ) {
        self.report_as_with_fix(severity, span, message, help, None);
    }

    /// Report a finding at the rule's default severity, with a fix (see `src/lint/fix.rs`). The
    /// rule must declare `fix:` in its metadata.
    pub fn report_with_fix(
        &mut self,
        span: Span,
        message: impl Into<String>,
        help: impl Into<std::borrow::Cow<'static, str>>,
        fix: Option<Fix>,
    ) {
        self.report_as_with_fix(self.rule.severity, span, message, help, fix);
    }

    /// Report a finding at a given severity, with a fix.
    pub fn report_as_with_fix(
        &mut self,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
        help: impl Into<std::borrow::Cow<'static, str>>,
        fix: Option<Fix>,
    ) {
        debug_assert!(
            fix.is_none() || self.rule.fix.is_some(),
            "{} offers a fix but does not declare `fix:` in its metadata",
            self.rule.code
        );
        self.findings.push(Finding {
            rule: self.rule,
            severity,
            span,
            message: message.into(),
            help: help.into(),
            fix: fix.map(Box::new),
            pos: None,
            related: Box::default(),
        });
    }

    /// Point the finding just reported at a second place that takes part in it (the other
    /// setting of a conflict), with a short message that quotes no value. Outputs show it as a
    /// related location (SARIF `relatedLocations`).
    pub fn related(&mut self, span: Span, message: impl Into<String>) {
        let pos = Pos::of(span, self.sources.get(span.file));
        if let Some(f) = self.findings.last_mut() {
            let mut related = std::mem::take(&mut f.related).into_vec();
            related.push(Related {
                span,
                pos,
                message: message.into(),
            });
            f.related = related.into_boxed_slice();
        }
    }

    /// The file a span points into (to build fix edits).
    pub fn file(&self, span: Span) -> &'a SourceFile {
        self.sources.get(span.file)
    }

    /// The source text a span covers.
    pub fn text(&self, span: Span) -> &str {
        self.sources.text(span)
    }
}

/// One problem found in one place.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub span: Span,
    /// Lowercase, no final period.
    pub message: String,
    /// What to do about it (a rule's fixed help text is not copied into each finding).
    pub help: std::borrow::Cow<'static, str>,
    /// Edits that resolve it, if the rule can offer them (`tlsgen lint --fix`); boxed, as few
    /// findings have one and a run holds every finding until it sorts them.
    pub fix: Option<Box<Fix>>,
    /// Line and column of the span, filled in when the run settles the finding (so outputs need
    /// no text of a file whose text was released).
    pub pos: Option<Pos>,
    /// Other places that take part in the finding ([`Ctx::related`]); empty for most findings, a
    /// boxed slice so that costs no allocation.
    pub related: Box<[Related]>,
}

/// A second place a finding points at (SARIF `relatedLocations`).
#[derive(Debug, Clone)]
pub struct Related {
    pub span: Span,
    /// Its position, taken when the finding is reported (the file's text may be released later).
    pub pos: Pos,
    /// Lowercase, no final period; quotes keys, never values.
    pub message: String,
}

/// 1-based line and character column of a span's start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Pos {
    pub fn of(span: Span, file: &SourceFile) -> Pos {
        let (line, column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end.max(span.start));
        Pos {
            line,
            column,
            end_line,
            end_column,
        }
    }
}
