use super::Outcome;
use crate::diag::{Error, Problem};
use crate::lint::registry;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A rule code (ETCD003) or name (client-cert-auth-disabled).
    pub rule: String,
}

pub fn run(args: Args) -> Result<Outcome, Error> {
    let Some(rule) = registry::find(&args.rule) else {
        let help = match registry::suggest(&args.rule) {
            Some(s) => format!("did you mean `{s}`? `tlsgen rules` lists every rule"),
            None => "`tlsgen rules` lists every rule".to_string(),
        };
        return Err(Problem::error(
            "lint::unknown-rule",
            format!("`{}` is not a rule code or name", args.rule),
        )
        .with_help(help)
        .into());
    };
    let text = format!(
        "# {} {}\n\nTarget: {}. Default severity: {}.\n\n{}",
        rule.code,
        rule.name,
        rule.target.as_str(),
        rule.severity,
        rule.doc_text()
    );
    super::stdout::print(&text, "the rule's documentation")?;
    Ok(Outcome::Success)
}
