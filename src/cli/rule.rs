use super::Outcome;
use crate::diag::{Error, Problem};
use crate::lint::registry;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A rule code (ETCD003) or name (client-cert-auth-disabled).
    #[arg(value_parser = RuleKey, hide_possible_values = true)]
    pub rule: String,
}

/// The parser of `tlsgen rule`'s argument: any text (an unknown one gets tlsgen's own diagnostic
/// with a suggestion, in [`run`]), with every rule code and name as its possible values, so shell
/// completion offers them.
#[derive(Debug, Clone, Copy)]
pub struct RuleKey;

impl clap::builder::TypedValueParser for RuleKey {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(registry::RULES.iter().flat_map(|r| {
            [
                clap::builder::PossibleValue::new(r.code).help(r.summary),
                clap::builder::PossibleValue::new(r.name).help(r.summary),
            ]
        })))
    }
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
    let all = crate::lint::registry::severities(rule);
    let severity = if all.len() > 1 {
        format!(
            "Default severity: {}; findings are {}.",
            rule.severity,
            crate::lint::registry::severities_text(rule).replace('/', " or ")
        )
    } else {
        format!("Default severity: {}.", rule.severity)
    };
    let text = format!(
        "# {} {}\n\nTarget: {}. {}\n\n{}",
        rule.code,
        rule.name,
        rule.target.as_str(),
        severity,
        rule.doc_text()
    );
    super::stdout::print(&text, "the rule's documentation")?;
    Ok(Outcome::Success)
}
