//! `plan`: the zero-downtime move of a live etcd cluster from plain HTTP to HTTPS, as files per
//! phase and host, an ordered `RUNBOOK.md` for people and a `migrate.sh` for machines.
//!
//! The order is the CoreOS guide's (FACTS F-E29), made safer where it was measured to be fragile on
//! etcd 3.4.23:
//! - members switch their peer URL one at a time (`member update`, restart with https peer
//!   listeners, health gate), so at most one member is ever out of step; the guide updated every
//!   peer URL before restarting any member;
//! - a member cannot listen http and https on one peer port, and need not: two members talk as long
//!   as one of them listens with the scheme it advertises;
//! - a restarted member serves nobody until it reaches the leader, so every restart is followed by a
//!   bounded health gate before the next step;
//! - keys are `etcd:etcd` 0600 (F-E14): etcd cannot read a root-owned 0600 key;
//! - the plain loopback legacy listener gives full access without a certificate, so the last phase
//!   removes it.
//!
//! Peer URL changes need `member update` before the restart (F-E12); client URL changes need only a
//! restart (F-E13); TLS files on an http listener are ignored (F-E9), which makes `30-certs.conf`
//! safe to install while the cluster is still plain.

// `Problem` (the project's diagnostic, with its source and labels) is returned by value, as in render.

mod phase;
pub mod shell;

pub use phase::{client_url_in, legacy_url, member_flags_in, peer_url_in, MemberState};

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diag::Problem;
use crate::model::{Cluster, Etcd, Member, Release};
use crate::render::etcd::{
    etcdctl_env, member_environment, CERTS_PATH, CLCT_PATH, ETCDCTL_ENV_PATH, WRAPPER,
};
use crate::render::{self, output, Artifact, Selection, Templates, Var};

/// The unit etcd runs as on Container Linux (F-E19).
pub const ETCD_UNIT: &str = "etcd-member.service";
pub const FLANNEL_ENV_PATH: &str = "/etc/flannel/etcd-tls.env";
pub const FLANNEL_DROPIN_PATH: &str = "/etc/systemd/system/flanneld.service.d/40-etcd-tls.conf";
pub const FLEET_DROPIN_PATH: &str = "/etc/systemd/system/fleet.service.d/40-etcd-tls.conf";
pub const LOCKSMITHD_DROPIN_PATH: &str =
    "/etc/systemd/system/locksmithd.service.d/40-etcd-tls.conf";
/// Owner of certificates and keys on the hosts (F-E14).
pub const PKI_OWNER: &str = "etcd:etcd";

/// A generated file of one phase: `OUT/plan/files/<phase>/<host>/<path on host>`.
#[derive(Debug, Clone)]
pub struct PhaseFile {
    pub phase: String,
    pub artifact: Artifact,
}

/// Everything `tlsgen plan` writes.
#[derive(Debug, Clone)]
pub struct Plan {
    pub files: Vec<PhaseFile>,
    pub runbook: String,
    pub script: String,
    pub steps: Vec<Step>,
}

/// One command of a step: the line `migrate.sh` runs and what it means for a person.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub shell: String,
    pub human: String,
}

/// One numbered step of the runbook.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub number: usize,
    pub phase: String,
    pub title: String,
    /// The title as one shell word.
    pub title_sh: String,
    pub why: String,
    pub actions: Vec<Action>,
}

/// A phase heading of the runbook.
#[derive(Debug, Clone, Serialize)]
struct PhaseInfo {
    dir: String,
    /// Whether the phase has files under `files/<dir>/` (certificates come from `TLSGEN_PKI`).
    has_files: bool,
    title: String,
    steps: Vec<Step>,
}

#[derive(Serialize)]
struct DropinContext {
    exec: &'static str,
    environment: Vec<Var>,
    flags: Vec<Var>,
}

#[derive(Serialize)]
struct ClientContext {
    environment: Vec<Var>,
    environment_files: Vec<String>,
}

#[derive(Serialize)]
struct ScriptContext<'a> {
    marker: String,
    model_name: &'a str,
    dialect: &'static str,
    release: &'static str,
    pki_dir: &'a str,
    ca: String,
    client_cert: String,
    client_key: String,
    members: Vec<String>,
    total: usize,
    phases: Vec<PhaseInfo>,
    etcd_unit: &'static str,
    legacy: bool,
}

/// The plan of `cluster`, or a problem when the model has no etcd cluster to migrate.
pub fn generate(
    cluster: &Cluster,
    model_name: &str,
    templates: &Templates,
) -> Result<Plan, Problem> {
    let Some(etcd) = &cluster.etcd else {
        return Err(Problem::error("plan::no-etcd", "the model has no `etcd` section to migrate")
            .with_help("add an `etcd:` section with the members of the running cluster (see examples/cluster.yaml)"));
    };
    let rendered = render::render(cluster, model_name, templates, &Selection::default())?;
    let mut b = Builder {
        cluster,
        etcd,
        model_name,
        templates,
        rendered,
        states: etcd
            .members
            .iter()
            .map(|m| (m.name.value.clone(), MemberState::BEFORE))
            .collect(),
        files: Vec::new(),
        phases: Vec::new(),
        next: 1,
    };
    b.build()?;
    let Builder { files, phases, .. } = b;
    let steps: Vec<Step> = phases.iter().flat_map(|p| p.steps.clone()).collect();
    let (cert, key) = operator_client_pair(etcd);
    let context = ScriptContext {
        marker: render::header("#", model_name).trim_end().to_string(),
        model_name,
        dialect: dialect(etcd.release.value),
        release: etcd.release.value.as_str(),
        pki_dir: &cluster.pki.dir.value,
        ca: shell::quote(&cluster.pki.ca.value),
        client_cert: shell::quote(&cert),
        client_key: shell::quote(&key),
        members: etcd.members.iter().map(|m| m.name.value.clone()).collect(),
        total: steps.len(),
        phases,
        etcd_unit: ETCD_UNIT,
        legacy: etcd.members.iter().any(|m| legacy_url(etcd, m).is_some()),
    };
    let runbook = templates.render("plan/RUNBOOK.md.tera", &context)?;
    let script = templates.render("plan/migrate.sh.tera", &context)?;
    Ok(Plan {
        files,
        runbook,
        script,
        steps,
    })
}

/// Write the plan under `out/plan/`: the runbook, the script (0755) and the files of each phase.
/// Everything is generated before the first write; each file is written atomically; files that
/// tlsgen did not write are left alone unless `force`.
pub fn write(out: &Path, plan: &Plan, force: bool) -> Result<usize, Vec<Problem>> {
    let top = vec![
        top_artifact("/RUNBOOK.md", 0o644, &plan.runbook),
        top_artifact("/migrate.sh", 0o755, &plan.script),
    ];
    let mut batches: BTreeMap<&str, Vec<Artifact>> = BTreeMap::new();
    for f in &plan.files {
        batches
            .entry(&f.phase)
            .or_default()
            .push(f.artifact.clone());
    }
    let files_dir = out.join("plan").join("files");
    let mut planned = output::plan(out, &top, force)?;
    for (phase, artifacts) in &batches {
        planned.extend(output::plan(&files_dir.join(phase), artifacts, force)?);
    }
    output::apply(&planned).map_err(|p| vec![p])
}

fn top_artifact(path: &str, mode: u32, content: &str) -> Artifact {
    let mut a = Artifact::config("plan", path, content.to_string());
    a.mode = mode;
    a.owner = String::new();
    a
}

fn dialect(release: Release) -> &'static str {
    match release {
        Release::V2_1 => "v2.1",
        Release::V2_2 => "v2",
        Release::V3 => "v3",
    }
}

/// The key pair etcdctl uses on the operator machine: the first proxy's client pair, else the
/// first member's pair (member certificates are also client certificates for peer TLS).
fn operator_client_pair(etcd: &Etcd) -> (String, String) {
    let name = etcd
        .proxies
        .first()
        .map(|p| p.client_cert.value.clone())
        .or_else(|| etcd.members.first().map(|m| m.name.value.clone()))
        .unwrap_or_else(|| "client".to_string());
    (format!("{name}.pem"), format!("{name}-key.pem"))
}

struct Builder<'a> {
    cluster: &'a Cluster,
    etcd: &'a Etcd,
    model_name: &'a str,
    templates: &'a Templates,
    rendered: Vec<Artifact>,
    states: BTreeMap<String, MemberState>,
    files: Vec<PhaseFile>,
    phases: Vec<PhaseInfo>,
    next: usize,
}

impl Builder<'_> {
    fn build(&mut self) -> Result<(), Problem> {
        let etcd = self.etcd;
        let has_legacy = etcd.members.iter().any(|m| legacy_url(etcd, m).is_some());

        // 0: the state the plan starts from, for reference (and for tests that start a cluster).
        for m in &etcd.members {
            self.member_dropin("0-before", m)?;
        }

        if has_legacy {
            self.phase("1-legacy", "Open the loopback legacy listener");
            for m in &etcd.members {
                let Some(legacy) = legacy_url(etcd, m) else {
                    continue;
                };
                self.set(m, |s| s.legacy = true);
                let src = self.member_dropin("1-legacy", m)?;
                let mut actions =
                    vec![self.push(&m.name.value, &src, CLCT_PATH, 0o644, "root:root")];
                actions.extend(self.restart_and_gate(&m.name.value, ETCD_UNIT));
                self.step(
                    format!("{}: add the plain listener {legacy} on loopback", m.name.value),
                    "Local clients move to this port now, whose scheme never changes, so they keep working \
                     through every later restart. One member at a time: a restarted member serves no client, \
                     not even on loopback, until it reaches the leader, hence the health gate.",
                    actions,
                );
            }
        }

        self.phase("2-certs", "Put certificates and keys in place");
        for (host, pair) in self.hosts() {
            let dir = self.cluster.pki.dir.value.trim_end_matches('/').to_string();
            let ca = self.cluster.pki.ca.value.clone();
            let actions = vec![
                self.push_pki(&host, &ca, &format!("{dir}/{ca}"), 0o644),
                self.push_pki(&host, &pair.0, &format!("{dir}/{}", pair.0), 0o644),
                self.push_pki(&host, &pair.1, &format!("{dir}/{}", pair.1), 0o600),
            ];
            self.step(
                format!("{host}: certificates into {dir}, owner {PKI_OWNER}, key mode 0600"),
                "Files before the configuration that names them. etcd runs as user etcd and refuses a key \
                 it cannot read (a root-owned 0600 key), so keys are etcd:etcd 0600 (F-E14). Nothing restarts.",
                actions,
            );
        }

        self.phase("3-certs-conf", "Install 30-certs.conf and load it");
        for m in &etcd.members {
            // 30-certs.conf names the files inside the wrapper's container, which sees pki.dir only
            // through the ETCD_SSL_DIR of 20-clct-etcd-member.conf (F-E22, F-E23): both go together.
            let dropin = self.member_dropin("3-certs-conf", m)?;
            let src = self.copy_rendered("3-certs-conf", &m.name.value, CERTS_PATH)?;
            let mut actions = vec![
                self.push(&m.name.value, &dropin, CLCT_PATH, 0o644, "root:root"),
                self.push(&m.name.value, &src, CERTS_PATH, 0o644, "root:root"),
            ];
            actions.extend(self.restart_and_gate(&m.name.value, ETCD_UNIT));
            self.step(
                format!("{}: install 30-certs.conf and restart", m.name.value),
                "TLS files and client-cert-auth on an http listener are ignored (F-E9), so this changes no \
                 listener; after this restart the member dials https peers with its certificate, and a key \
                 etcd cannot use stops the plan here while the cluster is still plain. 30-certs.conf names \
                 the files at /etc/ssl/certs/, where the etcd-wrapper's container sees the host directory \
                 ETCD_SSL_DIR (F-E22, F-E23), so the member drop-in that sets it, URLs unchanged, comes \
                 with it.",
                actions,
            );
        }

        self.phase("4-peers", "Move peer URLs to https, one member at a time");
        let last = etcd.members.len().saturating_sub(1);
        for (i, m) in etcd.members.iter().enumerate() {
            if i == last && !etcd.proxies.is_empty() {
                self.proxy_step("4-peers", false)?;
            }
            let endpoints = self.client_endpoints();
            self.set(m, |s| s.peer_tls = true);
            let url = peer_url_in(etcd, m, self.state(m));
            let src = self.member_dropin("4-peers", m)?;
            let mut actions = vec![self.member_update(m, &url, &endpoints)];
            actions.push(self.push(&m.name.value, &src, CLCT_PATH, 0o644, "root:root"));
            actions.extend(self.restart_and_gate(&m.name.value, ETCD_UNIT));
            self.step(
                format!("{}: peer URL to {url}", m.name.value),
                "member update first (peer URLs of a running member change only through the cluster, F-E12), \
                 then restart with https peer listeners: one member out of step at a time, and two members \
                 talk as long as one listens with the scheme it advertises. The guide updated every member \
                 before restarting any and survived only on open connections.",
                actions,
            );
        }

        self.phase("5-client-urls", "Move client URLs to https");
        for m in &etcd.members {
            self.set(m, |s| s.client_tls = true);
            let src = self.member_dropin("5-client-urls", m)?;
            let mut actions = vec![self.push(&m.name.value, &src, CLCT_PATH, 0o644, "root:root")];
            actions.extend(self.restart_and_gate(&m.name.value, ETCD_UNIT));
            self.step(
                format!("{}: client URL to {}", m.name.value, client_url_in(etcd, m, self.state(m))),
                "A client URL changes with a restart alone (F-E13); the loopback legacy listener keeps local \
                 clients served while remote clients move to https with a client certificate.",
                actions,
            );
        }

        self.phase("6-clients", "Point clients at https");
        for (host, _) in self.hosts() {
            let mut actions = Vec::new();
            let src = self.copy_rendered("6-clients", &host, ETCDCTL_ENV_PATH)?;
            actions.push(self.push(&host, &src, ETCDCTL_ENV_PATH, 0o644, "root:root"));
            for (path, content) in self.client_files(&host)? {
                let src = self.add_file("6-clients", &host, path, content);
                actions.push(self.push(&host, &src, path, 0o644, "root:root"));
            }
            for unit in ["flanneld.service", "fleet.service", "locksmithd.service"] {
                actions.push(self.restart(&host, unit, "try-restart"));
            }
            actions.push(self.gate());
            self.step(
                format!("{host}: etcdctl, flannel, fleet and locksmithd to https"),
                "Clients move while the legacy listener still serves them (F-E32 for the variables); \
                 components that are not running are left stopped (try-restart).",
                actions,
            );
        }

        if has_legacy {
            self.phase("7-legacy-removed", "Close the legacy listener");
            for m in &etcd.members {
                self.set(m, |s| s.legacy = false);
                let src = self.member_dropin("7-legacy-removed", m)?;
                let mut actions =
                    vec![self.push(&m.name.value, &src, CLCT_PATH, 0o644, "root:root")];
                actions.extend(self.restart_and_gate(&m.name.value, ETCD_UNIT));
                self.step(
                    format!("{}: remove the plain loopback listener", m.name.value),
                    "The legacy listener gives full key-value access without a client certificate, even with \
                     client-cert-auth on; it was a migration aid and goes last, once every client speaks https.",
                    actions,
                );
            }
            if !etcd.proxies.is_empty() {
                self.proxy_step("7-legacy-removed", true)?;
            }
        }
        Ok(())
    }

    fn phase(&mut self, dir: &str, title: &str) {
        self.phases.push(PhaseInfo {
            dir: dir.to_string(),
            has_files: false,
            title: title.to_string(),
            steps: Vec::new(),
        });
    }

    fn step(&mut self, title: String, why: &str, actions: Vec<Action>) {
        let phase = self.phases.last_mut().expect("a step belongs to a phase");
        phase.steps.push(Step {
            number: self.next,
            phase: phase.dir.clone(),
            title_sh: shell::quote(&title),
            title,
            why: why.split_whitespace().collect::<Vec<_>>().join(" "),
            actions,
        });
        self.next += 1;
    }

    fn state(&self, m: &Member) -> MemberState {
        self.states[&m.name.value]
    }

    fn set(&mut self, m: &Member, f: impl FnOnce(&mut MemberState)) {
        if let Some(s) = self.states.get_mut(&m.name.value) {
            f(s);
        }
    }

    /// Every host with its key pair file names: members, then proxies.
    fn hosts(&self) -> Vec<(String, (String, String))> {
        let mut out: Vec<(String, (String, String))> = self
            .etcd
            .members
            .iter()
            .map(|m| {
                let n = &m.name.value;
                (n.clone(), (format!("{n}.pem"), format!("{n}-key.pem")))
            })
            .collect();
        for p in &self.etcd.proxies {
            let c = &p.client_cert.value;
            out.push((
                p.name.value.clone(),
                (format!("{c}.pem"), format!("{c}-key.pem")),
            ));
        }
        out
    }

    fn client_endpoints(&self) -> String {
        self.etcd
            .members
            .iter()
            .map(|m| client_url_in(self.etcd, m, self.state(m)))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn add_file(&mut self, phase: &str, host: &str, path: &str, content: String) -> String {
        if let Some(p) = self.phases.iter_mut().find(|p| p.dir == phase) {
            p.has_files = true;
        }
        self.files.push(PhaseFile {
            phase: phase.to_string(),
            artifact: Artifact::config(host, path, content),
        });
        format!("{phase}/{host}{path}")
    }

    /// `m`'s `20-clct-etcd-member.conf` in the current states, as a file of `phase`.
    fn member_dropin(&mut self, phase: &str, m: &Member) -> Result<String, Problem> {
        let states = self.states.clone();
        let lookup = move |x: &Member| states[&x.name.value];
        let context = DropinContext {
            exec: WRAPPER,
            // ETCD_NAME as Environment, never --name: the base unit exports ETCD_NAME=%m and etcd >= 3.4
            // exits on a shadowed variable (F-E3, F-E19); ETCD_SSL_DIR, the host directory the
            // wrapper's container sees at /etc/ssl/certs (F-E22, F-E23), as render writes it.
            environment: member_environment(self.cluster, m),
            flags: member_flags_in(self.etcd, m, &lookup),
        };
        let body = self
            .templates
            .render("etcd/20-clct-etcd-member.conf.tera", &context)?;
        let content = format!("{}{body}", render::header("#", self.model_name));
        Ok(self.add_file(phase, &m.name.value, CLCT_PATH, content))
    }

    /// A file exactly as `tlsgen render` writes it, as a file of `phase`.
    fn copy_rendered(&mut self, phase: &str, host: &str, path: &str) -> Result<String, Problem> {
        let content = self
            .rendered
            .iter()
            .find(|a| a.host == host && a.path == path)
            .map(|a| a.content.clone())
            .ok_or_else(|| {
                Problem::error(
                    "plan::missing-artifact",
                    format!("render made no {path} for {host}"),
                )
                .with_help(
                    "this is a bug in tlsgen: render and plan disagree on the hosts of the model",
                )
            })?;
        Ok(self.add_file(phase, host, path, content))
    }

    /// A proxy's `30-certs.conf` (the rendered one, or without the legacy listener) and its restart.
    fn proxy_step(&mut self, phase: &str, drop_legacy: bool) -> Result<(), Problem> {
        let mut actions = Vec::new();
        let proxies: Vec<String> = self
            .etcd
            .proxies
            .iter()
            .map(|p| p.name.value.clone())
            .collect();
        for host in &proxies {
            let src = if drop_legacy {
                let rendered = self
                    .rendered
                    .iter()
                    .find(|a| &a.host == host && a.path == CERTS_PATH)
                    .map(|a| a.content.clone())
                    .unwrap_or_default();
                let content = rendered
                    .lines()
                    .map(|l| drop_loopback_legacy(l, self.etcd, host))
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n";
                self.add_file(phase, host, CERTS_PATH, content)
            } else {
                self.copy_rendered(phase, host, CERTS_PATH)?
            };
            actions.push(self.push(host, &src, CERTS_PATH, 0o644, "root:root"));
            actions.push(self.restart(host, ETCD_UNIT, "restart"));
        }
        actions.push(self.gate());
        let (title, why) = if drop_legacy {
            (
                format!("proxies {}: remove the plain legacy listener", proxies.join(", ")),
                "Same reason as for the members: a plain listener without a certificate is the last \
                 migration aid to go.",
            )
        } else {
            (
                format!("proxies {}: client certificate and restart", proxies.join(", ")),
                "The CoreOS guide moves proxies before the last member (F-E29): when the last member \
                 switches, every proxy already reaches the members with its client certificate.",
            )
        };
        self.step(title, why, actions);
        Ok(())
    }

    /// The client component files of `host` (F-E32): flannel's environment file and drop-in,
    /// fleet's and locksmithd's drop-ins, with the https endpoints and the host's key pair.
    fn client_files(&self, host: &str) -> Result<Vec<(&'static str, String)>, Problem> {
        let pair = self
            .hosts()
            .into_iter()
            .find(|(h, _)| h == host)
            .map(|(_, p)| p)
            .unwrap_or_default();
        // etcdctl_env lists endpoints, CA, certificate and key in this order in every dialect.
        let env = etcdctl_env(self.cluster, self.etcd, &pair.0, &pair.1);
        let [endpoints, ca, cert, key] =
            [1, 2, 3, 4].map(|i| env.get(i).map(|v| v.value.clone()).unwrap_or_default());
        let v = |name: &str, value: &str| Var {
            name: name.to_string(),
            value: value.to_string(),
        };
        let header = render::header("#", self.model_name);
        let env_file = |vars: Vec<Var>| -> Result<String, Problem> {
            let ctx = ClientContext {
                environment: vars,
                environment_files: Vec::new(),
            };
            Ok(format!(
                "{header}{}",
                self.templates.render("plan/client.env.tera", &ctx)?
            ))
        };
        let dropin = |vars: Vec<Var>, files: Vec<String>| -> Result<String, Problem> {
            let ctx = ClientContext {
                environment: vars,
                environment_files: files,
            };
            Ok(format!(
                "{header}{}",
                self.templates
                    .render("plan/client-dropin.conf.tera", &ctx)?
            ))
        };
        let pki_dir = self.cluster.pki.dir.value.trim_end_matches('/');
        Ok(vec![
            (
                FLANNEL_ENV_PATH,
                env_file(vec![
                    v("FLANNELD_ETCD_ENDPOINTS", &endpoints),
                    v("FLANNELD_ETCD_CAFILE", &ca),
                    v("FLANNELD_ETCD_CERTFILE", &cert),
                    v("FLANNELD_ETCD_KEYFILE", &key),
                ])?,
            ),
            (
                // flanneld runs in a container that mounts ETCD_SSL_DIR; its options.env is an
                // EnvironmentFile, which overrides Environment= (F-E21), so ours is a later EnvironmentFile.
                FLANNEL_DROPIN_PATH,
                dropin(
                    vec![v("ETCD_SSL_DIR", pki_dir)],
                    vec![FLANNEL_ENV_PATH.to_string()],
                )?,
            ),
            (
                FLEET_DROPIN_PATH,
                dropin(
                    vec![
                        v("FLEET_ETCD_SERVERS", &endpoints),
                        v("FLEET_ETCD_CAFILE", &ca),
                        v("FLEET_ETCD_CERTFILE", &cert),
                        v("FLEET_ETCD_KEYFILE", &key),
                    ],
                    Vec::new(),
                )?,
            ),
            (
                LOCKSMITHD_DROPIN_PATH,
                dropin(
                    vec![
                        v("LOCKSMITHD_ENDPOINT", &endpoints),
                        v("LOCKSMITHD_ETCD_CAFILE", &ca),
                        v("LOCKSMITHD_ETCD_CERTFILE", &cert),
                        v("LOCKSMITHD_ETCD_KEYFILE", &key),
                    ],
                    Vec::new(),
                )?,
            ),
        ])
    }

    fn push(&self, host: &str, src: &str, dest: &str, mode: u32, owner: &str) -> Action {
        let mode = format!("{mode:04o}");
        Action {
            shell: shell::line(&["push", host, src, dest, &mode, owner]),
            human: format!("copy `files/{src}` to `{host}:{dest}` (mode {mode}, owner {owner})"),
        }
    }

    fn push_pki(&self, host: &str, file: &str, dest: &str, mode: u32) -> Action {
        let mode = format!("{mode:04o}");
        Action {
            shell: shell::line(&["push_pki", host, file, dest, &mode, PKI_OWNER]),
            human: format!(
                "copy `$TLSGEN_PKI/{file}` to `{host}:{dest}` (mode {mode}, owner {PKI_OWNER})"
            ),
        }
    }

    fn restart(&self, host: &str, unit: &str, how: &str) -> Action {
        Action {
            shell: shell::line(&["restart", host, unit, how]),
            human: format!("on `{host}`: `systemctl daemon-reload && systemctl {how} {unit}`"),
        }
    }

    fn restart_and_gate(&self, host: &str, unit: &str) -> Vec<Action> {
        vec![self.restart(host, unit, "restart"), self.gate()]
    }

    /// A health gate on every member at its current client URL.
    fn gate(&self) -> Action {
        let pairs: Vec<String> = self
            .etcd
            .members
            .iter()
            .map(|m| {
                format!(
                    "{}={}",
                    m.name.value,
                    client_url_in(self.etcd, m, self.state(m))
                )
            })
            .collect();
        let mut words = vec!["gate".to_string()];
        words.extend(pairs.iter().cloned());
        let check = if self.etcd.release.value.is_v2() {
            "etcdctl cluster-health"
        } else {
            "etcdctl endpoint health"
        };
        Action {
            shell: shell::line(&words),
            human: format!("health gate: `{check}` passes on {}", pairs.join(", ")),
        }
    }

    /// `member update` of `m` to `url` in the release's dialect (F-E34, F-E36; curl for 2.1).
    fn member_update(&self, m: &Member, url: &str, endpoints: &str) -> Action {
        let name = &m.name.value;
        let id = m.id.as_ref().map(|i| i.value.clone());
        let shown_id = id.clone().unwrap_or_else(|| format!("<id of {name}>"));
        let first = endpoints.split(',').next().unwrap_or_default();
        let tls = if endpoints.starts_with("https://") {
            match self.etcd.release.value {
                Release::V3 => " --cacert ca.pem --cert client.pem --key client-key.pem",
                Release::V2_2 => {
                    " --ca-file ca.pem --cert-file client.pem --key-file client-key.pem"
                }
                Release::V2_1 => " --cacert ca.pem --cert client.pem --key client-key.pem",
            }
        } else {
            ""
        };
        let command = match self.etcd.release.value {
            Release::V3 => format!(
                "ETCDCTL_API=3 etcdctl --endpoints={endpoints}{tls} member update {shown_id} --peer-urls={url}"
            ),
            Release::V2_2 => format!("ETCDCTL_API=2 etcdctl --peers {endpoints}{tls} member update {shown_id} {url}"),
            Release::V2_1 => format!(
                "curl -fsS{tls} -XPUT {first}/v2/members/{shown_id} -H 'Content-Type: application/json' \
                 -d '{{\"peerURLs\":[\"{url}\"]}}'"
            ),
        };
        let lookup = if id.is_some() {
            "id from the model, checked against the member list"
        } else {
            "id looked up by name in the member list"
        };
        Action {
            shell: shell::line(&[
                "member_update",
                name,
                id.as_deref().unwrap_or("-"),
                url,
                endpoints,
            ]),
            human: format!(
                "`{command}` ({lookup}; skipped when the member already has this peer URL)"
            ),
        }
    }
}

/// A proxy's `ETCD_LISTEN_CLIENT_URLS` line without the legacy loopback URL; other lines unchanged.
fn drop_loopback_legacy(line: &str, etcd: &Etcd, host: &str) -> String {
    let legacy = etcd
        .proxies
        .iter()
        .find(|p| p.name.value == host)
        .and_then(|p| p.legacy_port.as_ref().or(etcd.legacy_port.as_ref()))
        .map(|p| format!(",http://127.0.0.1:{}", p.value));
    match legacy {
        Some(l) if line.starts_with("Environment=\"ETCD_LISTEN_CLIENT_URLS=") => {
            line.replace(&l, "")
        }
        _ => line.to_string(),
    }
}
