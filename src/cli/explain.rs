//! `tlsgen explain "<error text>"`: the likely causes of a TLS error message, ranked, each with
//! the rule or check that detects it; `--model` and PATHS run those checks.

use std::io::Write;
use std::path::PathBuf;

use super::Outcome;
use crate::diag::{Error, Problem};
use crate::explain::{self, evidence, Explanation};
use crate::lint::redact;
use crate::lint::rule::Target;
use crate::lint::settings::{CliSelection, Settings};
use crate::lint::{self as lint_engine, Input};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The error message or log line (etcd capnslog or zap JSON, etcdctl, curl, Go clients,
    /// influxd, Telegraf); `-` reads it from stdin.
    /// (A message may start with `-`: it is never read as an option.)
    #[arg(value_name = "ERROR", allow_hyphen_values = true)]
    pub error: String,
    /// Files and directories to lint with the rules that detect the candidate causes.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The cluster model: check its facts (is the dialled host in a certificate it issues, is
    /// the dialled port a plain listener).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ExplainFormat,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let text = if args.error == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| {
            Problem::error("io", format!("cannot read stdin: {e}"))
                .with_help("pass UTF-8 text on stdin")
        })?;
        s
    } else {
        args.error.clone()
    };
    if redact::holds_key_material(&text) {
        return Err(Problem::error(
            "explain::key-material",
            "the error text holds private key material",
        )
        .with_help("pass only the error message or log line, never a key")
        .into());
    }
    let mut e = explain::explain(&text);
    if !e.causes.is_empty() {
        if let Some(model) = &args.model {
            let loaded = crate::model::load_file(model).map_err(Error::Problems)?;
            evidence::apply_model(&mut e, &loaded, &crate::model::display_name(model));
        }
        if !args.paths.is_empty() {
            let mut select = evidence::rules_to_run(&e);
            if !select.is_empty() {
                // A file that does not parse checks nothing: its parse error is noted.
                select.push("TLSGEN001".to_string());
                let cwd = std::env::current_dir().map_err(|err| {
                    Problem::error("io", format!("cannot read the working directory: {err}"))
                })?;
                let cli = CliSelection {
                    select: Some(select),
                    ..CliSelection::default()
                };
                let settings = Settings::resolve(&cwd, None, &cli)?;
                let input = Input {
                    paths: args.paths.clone(),
                    ..Input::default()
                };
                let mut report = lint_engine::lint(&input, &settings)?;
                // A path the user named that cannot be read is an error of this run (lint
                // reports it as TLSGEN004 and goes on; explain has nothing to weigh without it).
                let unreadable: Vec<Problem> = report
                    .findings
                    .iter()
                    .filter(|f| f.rule.code == "TLSGEN004")
                    .map(|f| {
                        let l = f.locate(&report.sources);
                        Problem::error("explain::path", format!("{}: {}", l.path, f.message))
                            .with_help("name files or directories that exist and that you may read")
                    })
                    .collect();
                if !unreadable.is_empty() {
                    return Err(Error::Problems(unreadable));
                }
                for note in &report.notes {
                    eprintln!("note: {note}");
                }
                // A path that cannot be read or parsed checks nothing: say so, as lint would.
                for f in report
                    .findings
                    .iter()
                    .filter(|f| f.rule.target == Target::Tlsgen)
                {
                    let l = f.locate(&report.sources);
                    eprintln!(
                        "note: {}:{}:{}: {} {}",
                        l.path,
                        l.line,
                        l.column,
                        f.rule.code,
                        redact::mask(&f.message)
                    );
                }
                evidence::apply_lint(&mut e, &mut report);
            }
        }
        explain::rerank(&mut e);
    }
    let mut out = super::stdout::lock();
    let written = match args.format {
        ExplainFormat::Json => serde_json::to_writer_pretty(&mut out, &e)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out)),
        ExplainFormat::Human => out.write_all(human(&e).as_bytes()),
    };
    written.map_err(|err| super::stdout::write_problem("the explanation", &err))?;
    super::stdout::finish(out, "the explanation")?;
    Ok(if e.causes.is_empty() {
        Outcome::Differences
    } else {
        Outcome::Success
    })
}

/// The human report: what the message means, then the causes, most likely first.
pub fn human(e: &Explanation) -> String {
    let mut s = String::new();
    let p = &e.parsed;
    s.push_str(&format!("error: {}\n", redact::mask(&p.error)));
    if p.format != "client" {
        s.push_str(&format!("logged by: {}", p.format));
        if let Some(a) = &p.remote_addr {
            s.push_str(&format!(", remote {a}"));
        }
        if let Some(n) = &p.server_name {
            s.push_str(&format!(", server name {n}"));
        }
        s.push('\n');
    }
    if let Some(h) = &p.dialled_host {
        s.push_str(&format!("dialled host: {h}"));
        if let Some(port) = p.dialled_port {
            s.push_str(&format!(", port {port}"));
        }
        s.push('\n');
    }
    if !p.valid_for.is_empty() {
        s.push_str(&format!(
            "certificate valid for: {}\n",
            p.valid_for.join(", ")
        ));
    }
    if e.causes.is_empty() {
        s.push_str(
            "\nno known cause: tlsgen knows no TLS message like this one (pass the error \
             itself, e.g. the `error` field of a log line)\n",
        );
        return s;
    }
    for m in &e.matches {
        s.push_str(&format!("\n{}: {}\n", m.id, m.meaning));
        for src in m.sources {
            s.push_str(&format!("  source: {src}\n"));
        }
    }
    s.push_str("\nlikely causes, most likely first:\n");
    for c in &e.causes {
        s.push_str(&format!(
            "\n{}. [{}] {}\n",
            c.rank,
            c.status.as_str(),
            c.title
        ));
        s.push_str(&format!("   why: {}\n", c.why));
        s.push_str(&format!("   check: {}\n", c.check));
        s.push_str(&format!("   fix: {}\n", c.fix));
        let mut by: Vec<String> = c
            .rules
            .iter()
            .map(|r| match crate::lint::registry::find(r) {
                Some(rule) => format!("{} {}", rule.code, rule.name),
                None => r.to_string(),
            })
            .collect();
        if let Some(m) = c.model_check {
            by.push(format!("--model ({m})"));
        }
        if !by.is_empty() {
            s.push_str(&format!("   detected by: {}\n", by.join(", ")));
        }
        for ev in &c.evidence {
            s.push_str(&format!("   seen: {ev}\n"));
        }
    }
    s
}
