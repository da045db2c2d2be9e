//! The etcd view: every setting keyed by its flag name (`client-cert-auth`), whatever form it was
//! written in, built from systemd units (base unit and drop-ins merged in lexical order, later
//! wins, `ExecStart=` reset), environment files, etcd YAML config files and Kubernetes static pods.
//!
//! Precedence follows etcd: a command-line flag wins over an `ETCD_*` variable (F-E2); every
//! flag `--some-flag` is the variable `ETCD_SOME_FLAG` (F-E1).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Form, Setting, UrlParts};
use crate::lint::parse::systemd::{self as unitparse, SpannedWord};
use crate::lint::parse::yaml::YNode;
use crate::lint::parse::ParseError;
use crate::lint::placeholder::is_placeholder;
use crate::lint::source::{FileId, SourceFile, Span};
use crate::systemd::Unit;

/// etcd flags that are booleans (given bare, they mean `true`).
const BOOL_FLAGS: &[&str] = &[
    "auto-tls",
    "client-cert-auth",
    "debug",
    "enable-grpc-gateway",
    "enable-pprof",
    "enable-v2",
    "experimental-peer-skip-client-san-verification",
    "force-new-cluster",
    "peer-auto-tls",
    "peer-client-cert-auth",
    "pre-vote",
    "strict-reconfig-check",
];

/// `ETCD_*` variables that configure the CoreOS/Flatcar wrapper, not etcd (F-E19, F-E22).
const WRAPPER_VARS: &[&str] = &[
    "ETCD_IMAGE",
    "ETCD_IMAGE_TAG",
    "ETCD_IMAGE_URL",
    "ETCD_USER",
    "ETCD_SSL_DIR",
    "ETCD_OPTS",
];

/// The flag name of an `ETCD_*` variable (F-E1), or `None` for other variables.
pub fn env_to_flag(name: &str) -> Option<String> {
    let rest = name.strip_prefix("ETCD_")?;
    if rest.is_empty() || WRAPPER_VARS.contains(&name) {
        return None;
    }
    Some(rest.to_ascii_lowercase().replace('_', "-"))
}

/// The merged etcd configuration of one unit (with drop-ins), env file, YAML config or pod.
#[derive(Debug, Clone)]
pub struct EtcdConfig {
    /// The effective setting of each flag name: its index in [`Self::all`].
    settings: BTreeMap<String, usize>,
    /// Where to point when a required setting is missing.
    pub anchor: Span,
    /// Settings may come from somewhere lint cannot see (`EnvironmentFile=`, `--config-file`, a
    /// line or an `Environment=` word of template output), so missing settings are not reported.
    pub open: bool,
    /// Every setting as written, in order (flags after variables), including overridden ones.
    pub all: Vec<(String, Setting)>,
    /// Variables that configure the CoreOS/Flatcar wrapper (`ETCD_IMAGE_TAG`, `ETCD_SSL_DIR`, ...).
    pub wrapper_env: Vec<Setting>,
    /// Other variables (not `ETCD_*`): `ETCDCTL_*`, `RKT_RUN_ARGS`, near misses like
    /// `CLIENT_CERT_AUTH`.
    pub other_env: Vec<Setting>,
    /// Every `Exec*=` line of the unit group, in systemd's order.
    pub exec_lines: Vec<ExecLine>,
    /// Built from systemd units (base unit and/or drop-ins).
    pub from_unit: bool,
    /// The group includes the base unit file (`*.service`), not only drop-ins.
    pub has_base_unit: bool,
    /// `ETCD_*` assignments of units that a later `Environment=` of the same variable replaced,
    /// keyed by flag name, in order.
    pub overridden_env: Vec<(String, Setting)>,
    /// [`Self::urls`] of each flag asked for, parsed once (a dozen rules read the same lists).
    url_memo: UrlMemo,
}

/// A URL of a list setting: its text, its span and its parts.
pub type Url = (String, Span, UrlParts);

/// The URL lists a view has parsed, by flag name; emptied whenever a setting is recorded.
#[derive(Debug, Default)]
struct UrlMemo(std::sync::Mutex<Vec<(String, Arc<[Url]>)>>);

impl UrlMemo {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, Arc<[Url]>)>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clone for UrlMemo {
    fn clone(&self) -> Self {
        UrlMemo(std::sync::Mutex::new(self.lock().clone()))
    }
}

/// One `Exec*=` line of a unit: its key, whether it is a reset (empty), and its words.
#[derive(Debug, Clone)]
pub struct ExecLine {
    /// `ExecStart`, `ExecStartPre`, ...
    pub key: String,
    pub key_span: Span,
    /// The line is in a drop-in (`*.service.d/*.conf`), not in the base unit.
    pub dropin: bool,
    /// The words of the command line (empty for a reset line `ExecStart=`).
    pub words: Vec<(String, Span)>,
}

/// The file name of a command word, without systemd's `Exec*=` prefixes (`-@+!:`).
fn program_name(word: &str) -> &str {
    let w = word.trim_start_matches(['-', '@', '+', '!', ':']);
    w.rsplit('/').next().unwrap_or(w)
}

/// Whether a command word runs etcd itself: `etcd`, `etcd2` (CoreOS), `etcd-wrapper`
/// (`/usr/lib/coreos/etcd-wrapper`), by name or path, or an etcd container image
/// (`quay.io/coreos/etcd:v3.5.0`) run by docker/podman; not `etcdctl` or `etcdutl`.
pub fn is_etcd_program(word: &str) -> bool {
    let name = program_name(word);
    matches!(name, "etcd" | "etcd2" | "etcd-wrapper")
        || name.starts_with("etcd:")
        || name.starts_with("etcd@")
}

/// Whether a command word runs one of etcd's client tools (`etcdctl`, `etcdutl`).
fn is_etcd_tool(word: &str) -> bool {
    matches!(program_name(word), "etcdctl" | "etcdutl")
}

impl ExecLine {
    /// The index of the first word whose file name is `name` (`/usr/bin/etcdctl` for `etcdctl`).
    pub fn program_index(&self, name: &str) -> Option<usize> {
        self.words.iter().position(|(w, _)| {
            w.trim_start_matches(['-', '@', '+', '!', ':'])
                .rsplit('/')
                .next()
                == Some(name)
        })
    }
}

impl EtcdConfig {
    fn new(anchor: Span) -> Self {
        EtcdConfig {
            settings: BTreeMap::new(),
            anchor,
            open: false,
            all: Vec::new(),
            wrapper_env: Vec::new(),
            other_env: Vec::new(),
            exec_lines: Vec::new(),
            from_unit: false,
            has_base_unit: false,
            overridden_env: Vec::new(),
            url_memo: UrlMemo::default(),
        }
    }

    /// A wrapper variable (`ETCD_IMAGE_TAG`, `ETCD_SSL_DIR`) as last set.
    pub fn wrapper_var(&self, name: &str) -> Option<&Setting> {
        self.wrapper_env.iter().rev().find(|s| s.key_text == name)
    }

    /// A non-`ETCD_*` variable (`ETCDCTL_API`, `RKT_RUN_ARGS`) as last set.
    pub fn other_var(&self, name: &str) -> Option<&Setting> {
        self.other_env.iter().rev().find(|s| s.key_text == name)
    }

    /// The etcd version pinned by `ETCD_IMAGE_TAG` (`v3.4.23` -> (3, 4, 23)); `None` when absent
    /// or a placeholder. Rules then assume etcd >= 3.4.
    pub fn version(&self) -> Option<(u32, u32, u32)> {
        let s = self.wrapper_var("ETCD_IMAGE_TAG")?;
        if s.placeholder {
            return None;
        }
        parse_version(&s.value)
    }

    /// Whether etcd is (or is assumed to be) 3.4 or newer.
    pub fn at_least_3_4(&self) -> bool {
        self.version().is_none_or(|v| v >= (3, 4, 0))
    }

    /// The effective `ExecStart=` line (the last non-empty one after the last reset).
    pub fn exec_start(&self) -> Option<&ExecLine> {
        let mut current = None;
        for l in self.exec_lines.iter().filter(|l| l.key == "ExecStart") {
            current = if l.words.is_empty() { None } else { Some(l) };
        }
        current
    }

    /// Record a setting; flags win over variables, otherwise the later one wins.
    fn set(&mut self, flag: String, setting: Setting) {
        let overrides = self
            .get(&flag)
            .is_none_or(|old| old.form == Form::Env || setting.form != Form::Env);
        if overrides {
            self.settings.insert(flag.clone(), self.all.len());
        }
        self.all.push((flag, setting));
        self.url_memo.lock().clear();
    }

    /// The effective setting of a flag name.
    pub fn get(&self, flag: &str) -> Option<&Setting> {
        self.settings.get(flag).map(|&i| &self.all[i].1)
    }

    /// The effective setting, when it has a non-empty value.
    pub fn value(&self, flag: &str) -> Option<&Setting> {
        self.get(flag).filter(|s| s.is_set() || s.bare)
    }

    /// Whether anything etcd reads is configured here.
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
    }

    /// Whether a flag is effectively true (`None` when unknown: a placeholder or junk value).
    pub fn flag_true(&self, flag: &str) -> Option<bool> {
        match self.get(flag) {
            None => Some(false),
            Some(s) if !s.is_set() && !s.bare => Some(false),
            Some(s) if s.bare => Some(true),
            Some(s) => s.as_bool(),
        }
    }

    /// The URLs of a list setting, each with its span and parts (parsed on the first call for
    /// `flag`, shared after).
    pub fn urls<'f>(&self, file_of: &dyn Fn(FileId) -> &'f SourceFile, flag: &str) -> Arc<[Url]> {
        if let Some((_, urls)) = self.url_memo.lock().iter().find(|(f, _)| f == flag) {
            return urls.clone();
        }
        let urls: Arc<[Url]> = self.parse_urls(file_of, flag).into();
        self.url_memo.lock().push((flag.to_string(), urls.clone()));
        urls
    }

    fn parse_urls<'f>(&self, file_of: &dyn Fn(FileId) -> &'f SourceFile, flag: &str) -> Vec<Url> {
        let Some(s) = self.get(flag) else {
            return Vec::new();
        };
        if s.placeholder && !s.value.contains("://") {
            return Vec::new();
        }
        s.items(file_of(s.value_span.file))
            .into_iter()
            .map(|(text, span, _)| {
                let url = match text.find('=') {
                    Some(eq) if flag == "initial-cluster" => text[eq + 1..].to_string(),
                    _ => text,
                };
                let parts = UrlParts::parse(&url);
                (url, span, parts)
            })
            .collect()
    }

    /// Whether the explicit URLs of `flag` are all known, plain (`http`, `unix`) and local.
    fn plaintext_local_only<'f>(
        &self,
        file_of: &dyn Fn(FileId) -> &'f SourceFile,
        flag: &str,
    ) -> bool {
        let urls = self.urls(file_of, flag);
        !urls.is_empty()
            && urls.iter().all(|(_, _, u)| {
                matches!(u.scheme.as_deref(), Some("http" | "unix")) && u.is_local() == Some(true)
            })
    }

    /// A proxy, not a member: `proxy=on|readonly` (etcd 2), or no peer listener at all and only
    /// loopback plain client listeners (the CoreOS proxy drop-in, F-E28). A proxy's cert/key pair
    /// is the client certificate it presents to the members, not server TLS.
    pub fn is_proxy<'f>(&self, file_of: &dyn Fn(FileId) -> &'f SourceFile) -> bool {
        if let Some(p) = self.get("proxy") {
            if matches!(p.value.as_str(), "on" | "readonly") {
                return true;
            }
        }
        self.get("listen-peer-urls").is_none()
            && self.get("initial-cluster").is_none()
            && self.get("initial-advertise-peer-urls").is_none()
            && self.plaintext_local_only(file_of, "listen-client-urls")
    }

    /// Whether the client side serves TLS or may (so client TLS settings are required): not a
    /// proxy, and client listeners not known to be loopback-only plain HTTP.
    pub fn client_tls_expected<'f>(&self, file_of: &dyn Fn(FileId) -> &'f SourceFile) -> bool {
        !self.open
            && !self.is_empty()
            && !self.is_proxy(file_of)
            && !self.plaintext_local_only(file_of, "listen-client-urls")
    }

    /// Whether the peer side may serve TLS (so peer TLS settings are required).
    pub fn peer_tls_expected<'f>(&self, file_of: &dyn Fn(FileId) -> &'f SourceFile) -> bool {
        !self.open
            && !self.is_empty()
            && !self.is_proxy(file_of)
            && !self.plaintext_local_only(file_of, "listen-peer-urls")
    }

    /// Build from a systemd unit and its drop-ins, given in systemd's order (base unit first, then
    /// drop-ins by file name).
    pub fn from_units(
        parts: &[(FileId, &SourceFile, &Unit)],
    ) -> Result<EtcdConfig, (FileId, ParseError)> {
        let (last_id, last_file, _) = parts.last().copied().expect("a unit group has a file");
        let mut anchor = Span::new(last_id, 0..last_file.line_end(0));
        // Assignments in order, with an index by name: a later assignment replaces an earlier
        // one (systemd), found in constant time so 100,000 `Environment=` lines stay linear.
        let mut env: Vec<Option<(String, Setting)>> = Vec::new();
        let mut env_index: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        let mut exec: Option<Vec<(SpannedWord, FileId)>> = None;
        let mut open = false;
        let mut exec_lines: Vec<ExecLine> = Vec::new();
        let mut has_base_unit = false;
        let mut overridden: Vec<(String, Setting)> = Vec::new();
        for &(id, file, unit) in parts {
            let dropin = file
                .path
                .rsplit_once('/')
                .is_some_and(|(dir, _)| dir.ends_with(".d"));
            has_base_unit |= !dropin;
            // A line of template output may hold any setting.
            open |= !unit.placeholder_lines.is_empty();
            if let Some(section) = unit.sections.iter().find(|s| s.name == "Service") {
                anchor = Span::new(id, section.name_span.clone());
            }
            for entry in unit
                .sections
                .iter()
                .filter(|s| s.name == "Service")
                .flat_map(|s| s.entries.iter())
            {
                match entry.key.as_str() {
                    "Environment" => {
                        if entry.value.text.is_empty() {
                            env.clear();
                            env_index.clear();
                            continue;
                        }
                        open |= unitparse::sets_unknown_variables(entry);
                        for a in unitparse::assignments(entry).map_err(|e| (id, e))? {
                            if let Some(i) = env_index.remove(&a.name) {
                                if let Some((n, old)) = env[i].take() {
                                    if let Some(flag) = env_to_flag(&n) {
                                        overridden.push((flag, old));
                                    }
                                }
                            }
                            let s = Setting::new(
                                file,
                                id,
                                &a.name,
                                a.name_span,
                                a.value,
                                a.value_span,
                                Form::Env,
                            );
                            env_index.insert(a.name.clone(), env.len());
                            env.push(Some((a.name, s)));
                        }
                    }
                    "EnvironmentFile" => open = open || !entry.value.text.is_empty(),
                    key if key.starts_with("Exec") => {
                        let words: Vec<(String, Span)> = if entry.value.text.is_empty() {
                            Vec::new()
                        } else {
                            match unitparse::words(entry) {
                                Ok(w) => w
                                    .into_iter()
                                    .map(|w| (w.text, Span::new(id, w.span)))
                                    .collect(),
                                Err(e) if key == "ExecStart" => return Err((id, e)),
                                Err(_) => continue,
                            }
                        };
                        if key == "ExecStart" {
                            if entry.value.text.is_empty() {
                                exec = None;
                            } else {
                                let words = unitparse::words(entry).map_err(|e| (id, e))?;
                                exec = Some(words.into_iter().map(|w| (w, id)).collect());
                                anchor = Span::new(id, entry.key_span.clone());
                            }
                        }
                        exec_lines.push(ExecLine {
                            key: key.to_string(),
                            key_span: Span::new(id, entry.key_span.clone()),
                            dropin,
                            words,
                        });
                    }
                    _ => {}
                }
            }
        }
        let mut config = EtcdConfig::new(anchor);
        config.open = open;
        config.exec_lines = exec_lines;
        config.from_unit = true;
        config.has_base_unit = has_base_unit;
        config.overridden_env = overridden;
        let file_of = |id: FileId| {
            parts
                .iter()
                .find(|p| p.0 == id)
                .map(|p| p.1)
                .unwrap_or(last_file)
        };
        let env: Vec<(String, Setting)> = env.into_iter().flatten().collect();
        for (name, setting) in &env {
            if let Some(flag) = env_to_flag(name) {
                config.set(flag, setting.clone());
            } else {
                config.keep_other(name, setting.clone());
            }
        }
        // `$ETCD_OPTS` set in the environment expands to more flags (F-E20).
        if let Some((_, opts)) = env.iter().find(|(n, _)| n == "ETCD_OPTS") {
            let words = crate::systemd::split_words_with(
                &opts.value,
                &crate::lint::placeholder::placeholder_len,
            );
            if let Ok(words) = words {
                let file = file_of(opts.value_span.file);
                let raw = file.slice(opts.value_span.start, opts.value_span.end);
                let words: Vec<(String, Span)> = words
                    .into_iter()
                    .map(|w| {
                        let span = if raw == opts.value {
                            opts.value_span.sub(w.range.clone())
                        } else {
                            opts.value_span
                        };
                        (w.text, span)
                    })
                    .collect();
                config.add_flags(&words, &file_of, Form::Flag);
            }
        }
        if let Some(words) = exec {
            let words: Vec<(String, Span)> = words
                .into_iter()
                .map(|(w, id)| (w.text, Span::new(id, w.span)))
                .collect();
            // Flags follow etcd itself; a line that runs only etcdctl/etcdutl has no etcd flags.
            // Only the program and later non-option words can name a program (not the value of
            // `--backup-dir=/var/backups/etcd`).
            let commands = || {
                words
                    .iter()
                    .enumerate()
                    .filter(|(i, (w, _))| *i == 0 || !w.starts_with('-') && !w.contains('='))
            };
            let start = match commands().find(|(_, (w, _))| is_etcd_program(w)) {
                Some((i, _)) => Some(i + 1),
                None if commands().any(|(_, (w, _))| is_etcd_tool(w)) => None,
                None => Some(0),
            };
            if let Some(start) = start {
                config.add_flags(&words[start..], &file_of, Form::Flag);
            }
        }
        Ok(config)
    }

    /// Keep a variable that is not an etcd flag: a wrapper variable or another one.
    fn keep_other(&mut self, name: &str, setting: Setting) {
        if WRAPPER_VARS.contains(&name) {
            self.wrapper_env.push(setting);
        } else if name != "ETCD_" {
            self.other_env.push(setting);
        }
    }

    /// Read `--flag=value`, `--flag value` and bare boolean flags from words.
    fn add_flags<'f, W: AsRef<str>>(
        &mut self,
        words: &[(W, Span)],
        file_of: &dyn Fn(FileId) -> &'f SourceFile,
        form: Form,
    ) {
        let mut i = 0;
        while i < words.len() {
            let (text, span) = &words[i];
            let text = text.as_ref();
            i += 1;
            let Some(body) = text.strip_prefix("--").or_else(|| text.strip_prefix('-')) else {
                continue;
            };
            if body.is_empty() || is_placeholder(text) && !body.contains('=') {
                continue;
            }
            let file = file_of(span.file);
            let raw = file.slice(span.start, span.end);
            if let Some((name, value)) = body.split_once('=') {
                let (key, value_span) = match raw.find('=') {
                    Some(eq) => {
                        let mut vs = eq + 1;
                        let mut ve = raw.len();
                        let rv = &raw[vs..];
                        if rv.len() >= 2
                            && (rv.starts_with('"') && rv.ends_with('"')
                                || rv.starts_with('\'') && rv.ends_with('\''))
                        {
                            vs += 1;
                            ve -= 1;
                        } else if rv.ends_with('"') && raw.starts_with('"') {
                            ve -= 1;
                        }
                        (span.sub(0..eq), span.sub(vs..ve))
                    }
                    None => (*span, *span),
                };
                // The key as `--name` (a single-dash `-name` is shown with two).
                let dashed;
                let key_text = match text.strip_suffix(value) {
                    Some(k) if text.starts_with("--") => &k[..k.len() - 1],
                    _ => {
                        dashed = format!("--{name}");
                        &dashed
                    }
                };
                let mut s = Setting::new(
                    file,
                    span.file,
                    key_text,
                    key.start..key.end,
                    value.to_string(),
                    value_span.start..value_span.end,
                    form,
                );
                s.key = key;
                s.value_span = value_span;
                self.set(name.to_string(), s);
            } else if BOOL_FLAGS.contains(&body) {
                let mut s = Setting::new(
                    file,
                    span.file,
                    text,
                    span.start..span.end,
                    "true".to_string(),
                    span.start..span.end,
                    form,
                );
                s.bare = true;
                s.placeholder = false;
                self.set(body.to_string(), s);
            } else if let Some((value, vspan)) =
                words.get(i).filter(|(v, _)| !v.as_ref().starts_with('-'))
            {
                i += 1;
                let mut s = Setting::new(
                    file,
                    span.file,
                    text,
                    span.start..span.end,
                    value.as_ref().to_string(),
                    vspan.start..vspan.end,
                    form,
                );
                let vraw = file.slice(vspan.start, vspan.end);
                if vraw.len() >= 2 && vraw.starts_with(['"', '\'']) && vraw.ends_with(['"', '\'']) {
                    s.value_span = vspan.sub(1..vraw.len() - 1);
                }
                self.set(body.to_string(), s);
            }
        }
    }

    /// Build from an environment file's `ETCD_*` assignments.
    pub fn from_env_file(
        id: FileId,
        file: &SourceFile,
        entries: &[crate::lint::parse::envfile::EnvEntry],
    ) -> EtcdConfig {
        let first = entries.first().map(|e| e.name_span.clone()).unwrap_or(0..0);
        let mut config = EtcdConfig::new(Span::new(id, first));
        for e in entries {
            let vs = strip_quotes(file, e.value_span.clone());
            let s = Setting::new(
                file,
                id,
                &e.name,
                e.name_span.clone(),
                e.value.clone(),
                vs,
                Form::Env,
            );
            if let Some(flag) = env_to_flag(&e.name) {
                config.set(flag, s);
            } else {
                config.keep_other(&e.name, s);
            }
        }
        config.open = config.get("config-file").is_some_and(|s| s.is_set())
            || crate::lint::parse::envfile::has_placeholder_lines(&file.text);
        config
    }

    /// Build from an etcd YAML configuration file (`--config-file`): top-level keys are flag
    /// names; `client-transport-security` and `peer-transport-security` hold the TLS settings.
    pub fn from_yaml(id: FileId, file: &SourceFile, doc: &YNode) -> EtcdConfig {
        let first = doc
            .as_map()
            .first()
            .map(|(k, _)| k.span.clone())
            .unwrap_or(0..0);
        let mut config = EtcdConfig::new(Span::new(id, first));
        for (key, node) in doc.as_map() {
            match key.text.as_str() {
                "client-transport-security" | "peer-transport-security" => {
                    let peer = key.text.starts_with("peer");
                    for (k, v) in node.as_map() {
                        let flag = match (peer, k.text.as_str()) {
                            (false, "crl-file") => "client-crl-file".to_string(),
                            (false, "allowed-hostname") => {
                                "client-cert-allowed-hostname".to_string()
                            }
                            (false, other) => other.to_string(),
                            (true, "allowed-cn") => "peer-cert-allowed-cn".to_string(),
                            (true, "allowed-hostname") => "peer-cert-allowed-hostname".to_string(),
                            (true, other) => format!("peer-{other}"),
                        };
                        if let Some(s) =
                            yaml_setting(id, file, &k.text, k.span.clone(), v, Form::Yaml)
                        {
                            config.set(flag, s);
                        }
                    }
                }
                other => {
                    if let Some(s) =
                        yaml_setting(id, file, other, key.span.clone(), node, Form::Yaml)
                    {
                        config.set(other.to_string(), s);
                    }
                }
            }
        }
        config
    }

    /// Build from a Kubernetes static pod whose container runs etcd (`command`/`args`, `env`).
    pub fn from_pod(id: FileId, file: &SourceFile, doc: &YNode) -> Option<EtcdConfig> {
        let spec = doc.get("spec")?;
        for container in spec.get("containers")?.as_seq() {
            let mut words: Vec<(&str, Span)> = Vec::new();
            for list in ["command", "args"] {
                for item in container.get(list).map(|n| n.as_seq()).unwrap_or(&[]) {
                    if let Some(text) = item.as_str() {
                        words.push((text, strip_quote_span(id, file, item.span.clone())));
                    }
                }
            }
            let is_etcd = words
                .iter()
                .take(3)
                .any(|(w, _)| w.rsplit('/').next().unwrap_or(w) == "etcd");
            if !is_etcd {
                continue;
            }
            let anchor = container
                .entry("command")
                .or_else(|| container.entry("args"))
                .map(|(k, _)| k.span.clone())
                .unwrap_or(0..0);
            let mut config = EtcdConfig::new(Span::new(id, anchor));
            for env in container.get("env").map(|n| n.as_seq()).unwrap_or(&[]) {
                let (Some(name), Some(value)) =
                    (env.get("name").and_then(|n| n.as_str()), env.entry("value"))
                else {
                    continue;
                };
                let key = env
                    .entry("name")
                    .map(|(_, n)| n.span.clone())
                    .unwrap_or(0..0);
                if let Some(s) = yaml_setting(id, file, name, key, value.1, Form::Env) {
                    match env_to_flag(name) {
                        Some(flag) => config.set(flag, s),
                        None => config.keep_other(name, s),
                    }
                }
            }
            let file_of = |_: FileId| file;
            let start = words
                .iter()
                .position(|(w, _)| w.rsplit('/').next().unwrap_or(w) == "etcd")
                .map(|i| i + 1)
                .unwrap_or(0);
            config.add_flags(&words[start..], &file_of, Form::PodArg);
            return Some(config);
        }
        None
    }
}

/// `v3.4.23`, `3.5`, `v3.3.1-arm64` -> (major, minor, patch); a missing patch is 0.
pub fn parse_version(tag: &str) -> Option<(u32, u32, u32)> {
    let t = tag.trim().trim_start_matches(['v', 'V']);
    let core = t.split(['-', '+', '_']).next()?;
    let mut it = core.split('.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    let patch = match it.next() {
        Some(p) => p.parse().ok()?,
        None => 0,
    };
    Some((major, minor, patch))
}

fn strip_quotes(file: &SourceFile, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let raw = file.slice(span.start, span.end);
    if raw.len() >= 2
        && (raw.starts_with('"') && raw.ends_with('"')
            || raw.starts_with('\'') && raw.ends_with('\''))
    {
        span.start + 1..span.end - 1
    } else {
        span
    }
}

fn strip_quote_span(id: FileId, file: &SourceFile, span: std::ops::Range<usize>) -> Span {
    Span::new(id, strip_quotes(file, span))
}

/// A setting from a YAML scalar (a sequence of scalars is joined with commas).
pub fn yaml_setting(
    id: FileId,
    file: &SourceFile,
    key: &str,
    key_span: std::ops::Range<usize>,
    node: &YNode,
    form: Form,
) -> Option<Setting> {
    let value = match node.as_str() {
        Some(v) => v.to_string(),
        None => {
            let items: Vec<&str> = node.as_seq().iter().filter_map(|n| n.as_str()).collect();
            if items.is_empty() {
                return None;
            }
            items.join(",")
        }
    };
    Some(Setting::new(
        file,
        id,
        key,
        key_span,
        value,
        strip_quotes(file, node.span.clone()),
        form,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::parse::systemd::parse;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("x".into(), text.into())
    }

    #[test]
    fn etcdctl_and_etcdutl_lines_are_not_read_as_etcd_flags() {
        for (exec, tls) in [
            (
                "/usr/bin/etcdctl --client-cert-auth=true --cacert=/c.pem get /",
                Some(false),
            ),
            (
                "-/usr/bin/etcdutl snapshot restore /s.db --data-dir=/d",
                Some(false),
            ),
            (
                "/usr/bin/env ETCDCTL_API=3 etcdctl --cert-file=/x endpoint health",
                Some(false),
            ),
            ("/usr/bin/etcd --client-cert-auth=true", Some(true)),
            ("etcd2 --client-cert-auth=true", Some(true)),
            (
                "/usr/lib/coreos/etcd-wrapper --client-cert-auth=true",
                Some(true),
            ),
            ("etcd-wrapper --client-cert-auth=true", Some(true)),
            (
                "/usr/bin/docker run --rm quay.io/coreos/etcd:v3.5.0 --client-cert-auth=true",
                Some(true),
            ),
            (
                "/usr/bin/etcdctl backup --data-dir=/var/lib/etcd --backup-dir=/var/backups/etcd",
                Some(false),
            ),
        ] {
            let a = file(&format!("[Service]\nExecStart={exec}\n"));
            let ua = parse(&a.text);
            let c = EtcdConfig::from_units(&[(0, &a, &ua)]).unwrap();
            assert_eq!(c.flag_true("client-cert-auth"), tls, "{exec}");
            if tls == Some(false) {
                assert!(
                    c.get("cert-file").is_none() && c.get("data-dir").is_none(),
                    "{exec}"
                );
            }
        }
        for w in [
            "etcd",
            "/usr/bin/etcd",
            "etcd2",
            "-/usr/lib/coreos/etcd-wrapper",
        ] {
            assert!(is_etcd_program(w), "{w}");
        }
        for w in ["etcdctl", "/usr/bin/etcdutl", "etcd-backup", "etcdmain"] {
            assert!(!is_etcd_program(w), "{w}");
        }
    }

    #[test]
    fn drop_ins_merge_and_flags_win_over_env() {
        let a = file("[Service]\nEnvironment=\"ETCD_CLIENT_CERT_AUTH=false\"\nExecStart=\nExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \\\n  --client-cert-auth=\"true\" \\\n  --listen-client-urls=\"https://10.0.0.1:2379,http://127.0.0.1:4001\"\n");
        let b = file("[Service]\nEnvironment=\"ETCD_CERT_FILE=/etc/ssl/etcd/s.pem\"\n");
        let (ua, ub) = (parse(&a.text), parse(&b.text));
        let c = EtcdConfig::from_units(&[(0, &a, &ua), (1, &b, &ub)]).unwrap();
        assert_eq!(c.flag_true("client-cert-auth"), Some(true));
        assert_eq!(c.get("client-cert-auth").unwrap().form, Form::Flag);
        let cert = c.get("cert-file").unwrap();
        assert_eq!(
            b.slice(cert.value_span.start, cert.value_span.end),
            "/etc/ssl/etcd/s.pem"
        );
        let files = [&a, &b];
        let urls = c.urls(&|id| files[id], "listen-client-urls");
        assert_eq!(
            a.slice(urls[1].1.start, urls[1].1.end),
            "http://127.0.0.1:4001"
        );
    }

    #[test]
    fn proxy_is_recognised_by_its_loopback_only_plain_listeners() {
        let a = file("[Service]\nEnvironment=\"ETCD_CERT_FILE=/c.pem\"\nEnvironment=\"ETCD_LISTEN_CLIENT_URLS=http://127.0.0.1:2379,http://127.0.0.1:4001\"\n");
        let u = parse(&a.text);
        let c = EtcdConfig::from_units(&[(0, &a, &u)]).unwrap();
        assert!(c.is_proxy(&|_| &a));
        assert!(!c.client_tls_expected(&|_| &a));
    }
    #[test]
    fn keeps_exec_lines_wrapper_and_other_variables_and_overridden_assignments() {
        let base = SourceFile::new(
            "etcd-member.service".into(),
            "[Service]\nEnvironment=\"ETCD_IMAGE_TAG=v3.3.25\"\nEnvironment=\"ETCD_NAME=%m\"\nExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS\n".into(),
        );
        let dropin = SourceFile::new(
            "etcd-member.service.d/40.conf".into(),
            "[Service]\nEnvironment=\"ETCD_NAME=s1\" \"ETCDCTL_API=2\"\nExecStartPre=/usr/bin/etcdctl member list\nExecStart=\nExecStart=/usr/lib/coreos/etcd-wrapper --debug\n".into(),
        );
        let (ub, ud) = (parse(&base.text), parse(&dropin.text));
        let c = EtcdConfig::from_units(&[(0, &base, &ub), (1, &dropin, &ud)]).unwrap();
        assert!(c.from_unit && c.has_base_unit);
        assert_eq!(c.version(), Some((3, 3, 25)));
        assert!(!c.at_least_3_4());
        assert_eq!(
            c.other_var("ETCDCTL_API").map(|s| s.value.as_str()),
            Some("2")
        );
        assert_eq!(c.overridden_env.len(), 1);
        assert_eq!(c.overridden_env[0].1.value, "%m");
        let keys: Vec<(&str, bool, usize)> = c
            .exec_lines
            .iter()
            .map(|l| (l.key.as_str(), l.dropin, l.words.len()))
            .collect();
        assert_eq!(
            keys,
            [
                ("ExecStart", false, 2),
                ("ExecStartPre", true, 3),
                ("ExecStart", true, 0),
                ("ExecStart", true, 2)
            ]
        );
        let start = c.exec_start().unwrap();
        assert!(start.dropin && start.program_index("etcd-wrapper") == Some(0));
        assert_eq!(c.exec_lines[1].program_index("etcdctl"), Some(0));
    }

    #[test]
    fn versions_parse_from_image_tags() {
        assert_eq!(parse_version("v3.4.23"), Some((3, 4, 23)));
        assert_eq!(parse_version("3.5"), Some((3, 5, 0)));
        assert_eq!(parse_version("v3.3.1-arm64"), Some((3, 3, 1)));
        assert_eq!(parse_version("latest"), None);
    }
}
