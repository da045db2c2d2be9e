//! Run the rules of one view: the rules of its target, then the `CERT` rules over the certificate
//! view of the files it names. The engine calls [`run_rules`] for each view it builds.

use super::rule::{Check, Ctx, Finding};
use super::settings::Settings;
use super::source::SourceStore;
use super::view::cert::{etcd_endpoints, influx_endpoints, telegraf_endpoints, CertView, Resolver};
use super::view::elastic::ElasticOptions;
use super::view::etcd::EtcdConfig;
use super::view::influxdb::InfluxConfig;
use super::view::kubernetes::EncryptionConfig;
use super::view::project::Project;
use super::view::telegraf::TelegrafConfig;

/// A view handed to the rules of its target.
#[derive(Clone, Copy)]
pub enum View<'v> {
    Etcd(&'v EtcdConfig),
    Influxdb(&'v InfluxConfig),
    Telegraf(&'v TelegrafConfig),
    Kubernetes(&'v EncryptionConfig),
    Elastic(&'v ElasticOptions),
    Project(&'v Project),
}

/// Run every enabled rule of the view's target.
pub fn run_rules(
    settings: &Settings,
    sources: &SourceStore,
    findings: &mut Vec<Finding>,
    view: View,
) {
    for &rule in settings.active_rules() {
        let mut ctx = Ctx::new(rule, sources);
        match (rule.check, view) {
            (Check::Etcd(f), View::Etcd(c)) => f(c, &mut ctx),
            (Check::Influxdb(f), View::Influxdb(c)) => f(c, &mut ctx),
            (Check::Telegraf(f), View::Telegraf(c)) => f(c, &mut ctx),
            (Check::Kubernetes(f), View::Kubernetes(c)) => f(c, &mut ctx),
            (Check::Elastic(f), View::Elastic(c)) => f(c, &mut ctx),
            (Check::Project(f, _), View::Project(p)) => f(p, &mut ctx),
            _ => continue,
        }
        findings.extend(ctx.findings);
    }
    check_view(settings, sources, findings, view);
}

/// Run the CERT rules over the files named by one view, after the view's own rules.
fn check_view(settings: &Settings, sources: &SourceStore, findings: &mut Vec<Finding>, view: View) {
    let rules: Vec<_> = settings
        .active_rules()
        .iter()
        .copied()
        .filter(|r| matches!(r.check, Check::Cert(_)))
        .collect();
    if rules.is_empty() {
        return;
    }
    let opts = &settings.certs;
    let mut resolver = Resolver::new(opts, sources);
    let endpoints = match view {
        View::Etcd(c) => etcd_endpoints(c, sources, &mut resolver),
        View::Influxdb(c) => influx_endpoints(c, &mut resolver),
        View::Telegraf(c) => telegraf_endpoints(c, &mut resolver),
        _ => return,
    };
    if endpoints.is_empty() {
        return;
    }
    let view = CertView {
        endpoints,
        check_files: opts.check_files,
        expiry_days: opts.expiry_days,
        now: opts.now,
    };
    for rule in rules {
        if let Check::Cert(f) = rule.check {
            let mut ctx = Ctx::new(rule, sources);
            f(&view, &mut ctx);
            findings.extend(ctx.findings);
        }
    }
}
