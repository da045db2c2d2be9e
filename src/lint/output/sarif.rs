//! SARIF 2.1.0: every rule with its full description and help URI, every finding as a result
//! with a physical location (1-based lines; columns count Unicode code points), a
//! `partialFingerprints` entry that code hosts use to follow a result across commits, and
//! `relatedLocations` for the other places a finding points at.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use crate::lint::registry::RULES;
use crate::lint::severity::Severity;
use crate::lint::Report;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF log of a report.
pub fn log(report: &Report) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let doc = r.doc_text();
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.doc_section("What it does").unwrap_or_else(|| r.summary.to_string()), "markdown": doc },
                "help": { "text": doc, "markdown": doc },
                "helpUri": r.help_uri(),
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "target": r.target.as_str() },
            })
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut results: Vec<Value> = report
        .findings
        .iter()
        .chain(&report.baselined_findings)
        .chain(report.suppressed.iter().map(|s| &s.finding))
        .map(|f| {
            let l = f.locate(&report.sources);
            let identity = identity(l.code, l.path, l.message);
            let occurrence = seen.entry(identity.clone()).or_default();
            let print = fingerprint(&identity, *occurrence);
            *occurrence += 1;
            let index = RULES
                .iter()
                .position(|r| std::ptr::eq(*r, f.rule))
                .unwrap_or(0);
            let mut result = json!({
                "ruleId": l.code,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": format!("{} ({})", l.message, l.help) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(l.path) },
                        "region": {
                            "startLine": l.line,
                            "startColumn": l.column,
                            "endLine": l.end_line,
                            "endColumn": l.end_column,
                        }
                    }
                }],
                "partialFingerprints": { FINGERPRINT_KEY: print },
            });
            if !f.related.is_empty() {
                result["relatedLocations"] = f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        json!({
                            "id": i,
                            "physicalLocation": {
                                "artifactLocation": { "uri": uri(&report.sources.get(r.span.file).path) },
                                "region": {
                                    "startLine": r.pos.line,
                                    "startColumn": r.pos.column,
                                    "endLine": r.pos.end_line,
                                    "endColumn": r.pos.end_column,
                                }
                            },
                            "message": { "text": r.message },
                        })
                    })
                    .collect();
            }
            result
        })
        .collect();
    mark_held(report, &mut results);
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tlsgen",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::lint::rule::RULES_DOC_URL,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// Mark the results of findings the baseline held or a directive suppressed, which follow the
/// reported ones in that order (SARIF 2.1.0 §3.27.24 `baselineState`: `new` or `unchanged`
/// when the run had a baseline; §3.27.23 `suppressions`, `inSource` with the directive's reason
/// as `justification`). They are kept in the report only when SARIF is written, and do not
/// fail the run.
fn mark_held(report: &Report, results: &mut [Value]) {
    let (reported, held) = (report.findings.len(), report.baselined_findings.len());
    for (i, r) in results.iter_mut().enumerate() {
        if i < reported + held && report.baseline_active {
            r["baselineState"] = json!(if i < reported { "new" } else { "unchanged" });
        }
    }
    for (r, s) in results[reported + held..]
        .iter_mut()
        .zip(&report.suppressed)
    {
        let mut suppression = json!({ "kind": "inSource" });
        if let Some(reason) = &s.reason {
            suppression["justification"] = json!(reason);
        }
        r["suppressions"] = json!([suppression]);
    }
}

/// The key of tlsgen's entry in a result's `partialFingerprints` (versioned: a change of what the
/// hash covers gets a new key, so a code host does not match old results against new ones).
pub const FINGERPRINT_KEY: &str = "tlsgenFinding/v1";

/// What makes two findings the same result: the rule, the file, and the finding's message with
/// its whitespace collapsed. The message names the setting and quotes its (already masked) value;
/// no message carries a line number, so lines inserted above a finding leave it unchanged.
fn identity(code: &str, path: &str, message: &str) -> String {
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{code}\0{path}\0{message}")
}

/// The SHA-256 of a finding's identity and its occurrence index among findings of the same
/// identity (in report order: by line), as hex. Hashed, so no value of the file reaches the log.
fn fingerprint(identity: &str, occurrence: usize) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(identity.as_bytes());
    ctx.update(&[0]);
    ctx.update(occurrence.to_string().as_bytes());
    ctx.finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A relative path as a URI reference (percent-encode what a URI cannot hold).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)
}
