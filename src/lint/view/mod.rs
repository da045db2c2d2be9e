//! Normalised views, one per target, so a rule is written once for every form a setting comes in
//! (a command-line flag, an `ETCD_*` variable, a YAML key, a static pod argument, a TOML key).

pub mod cert;
pub mod elastic;
pub mod etcd;
pub mod influxdb;
pub mod kubernetes;
pub mod project;
pub mod telegraf;

use super::placeholder::is_placeholder;
use super::source::{SourceFile, Span};

/// Where a setting was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A command-line flag (`ExecStart=`, `$ETCD_OPTS`).
    Flag,
    /// An environment variable (`Environment=`, an environment file, a pod's `env:`).
    Env,
    /// A key of a YAML or JSON file.
    Yaml,
    /// An argument of a Kubernetes static pod's `command`/`args`.
    PodArg,
    /// A key of a TOML file.
    Toml,
}

impl Form {
    pub fn describe(self) -> &'static str {
        match self {
            Form::Flag => "flag",
            Form::Env => "environment variable",
            Form::Yaml => "key",
            Form::PodArg => "pod argument",
            Form::Toml => "key",
        }
    }
}

/// One setting: its value and where its key and value are.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The value, unquoted.
    pub value: String,
    /// The key as written (`--cert-file`, `ETCD_CERT_FILE`, `cert-file`).
    pub key_text: String,
    pub key: Span,
    pub value_span: Span,
    pub form: Form,
    /// A boolean flag given without a value (`--client-cert-auth`).
    pub bare: bool,
    /// The value is (or contains) a template placeholder: unknown, never judged.
    pub placeholder: bool,
}

impl Setting {
    pub fn new(
        file: &SourceFile,
        file_id: usize,
        key_text: &str,
        key: std::ops::Range<usize>,
        value: String,
        value_span: std::ops::Range<usize>,
        form: Form,
    ) -> Self {
        let placeholder =
            is_placeholder(&value) || is_placeholder(file.slice(value_span.start, value_span.end));
        Setting {
            value,
            key_text: key_text.to_string(),
            key: Span::new(file_id, key),
            value_span: Span::new(file_id, value_span),
            form,
            bare: false,
            placeholder,
        }
    }

    /// The span to point at: the value, or the key when the value is empty or bare.
    pub fn span(&self) -> Span {
        if self.bare || self.value_span.is_empty() {
            self.key
        } else {
            self.value_span
        }
    }

    /// Go's `strconv.ParseBool` reading (etcd, flags and env); `None` for placeholders and junk.
    pub fn as_bool(&self) -> Option<bool> {
        if self.placeholder {
            return None;
        }
        parse_bool(&self.value)
    }

    /// Whether the value is a non-empty, known value.
    pub fn is_set(&self) -> bool {
        !self.value.trim().is_empty()
    }

    /// The comma-separated items of the value, each with its span (inside the value when the
    /// item can be found in the written text, else the whole value).
    pub fn items(&self, file: &SourceFile) -> Vec<(String, Span, bool)> {
        let raw = file.slice(self.value_span.start, self.value_span.end);
        let mut out = Vec::new();
        let mut search_from = 0;
        for item in crate::lint::placeholder::split_list(&self.value) {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            // Where the item is written: most often right after the commas and spaces that
            // end the previous one (no substring search then; the item starts with neither).
            let rest = &raw[search_from.min(raw.len())..];
            let gap = rest.len() - rest.trim_start_matches([',', ' ']).len();
            let found = if rest[gap..].starts_with(item) {
                Some(gap)
            } else {
                rest.find(item)
            };
            let span = match found {
                Some(i) => {
                    let s = search_from + i;
                    search_from = s + item.len();
                    self.value_span.sub(s..s + item.len())
                }
                None => self.value_span,
            };
            let placeholder =
                is_placeholder(item) || is_placeholder(file.slice(span.start, span.end));
            out.push((item.to_string(), span, placeholder));
        }
        out
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// A URL as lint needs it: its scheme and host; `None` where a placeholder makes it unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    pub scheme: Option<String>,
    pub host: Option<String>,
}

impl UrlParts {
    pub fn parse(url: &str) -> UrlParts {
        let url = url.trim();
        let Some((scheme, rest)) = url.split_once("://") else {
            // No scheme: etcd reads a bare `host:port` as http; mark the scheme unknown.
            return UrlParts {
                scheme: None,
                host: None,
            };
        };
        let scheme = if is_placeholder(scheme) {
            None
        } else {
            Some(scheme.to_ascii_lowercase())
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let authority = authority
            .rsplit_once('@')
            .map(|(_, h)| h)
            .unwrap_or(authority);
        let host = if let Some(stripped) = authority.strip_prefix('[') {
            stripped.split(']').next().unwrap_or("").to_string()
        } else {
            authority
                .rsplit_once(':')
                .map(|(h, _)| h)
                .unwrap_or(authority)
                .to_string()
        };
        let host = if is_placeholder(&host) || host.contains('{') || host.contains('<') {
            None
        } else {
            Some(host)
        };
        UrlParts { scheme, host }
    }

    pub fn is_plain_http(&self) -> bool {
        self.scheme.as_deref() == Some("http")
    }

    pub fn is_tls(&self) -> bool {
        matches!(self.scheme.as_deref(), Some("https" | "unixs"))
    }

    /// Whether the URL is a local socket or a loopback host (`localhost`, `127.0.0.0/8`, `::1`).
    pub fn is_local(&self) -> Option<bool> {
        if matches!(self.scheme.as_deref(), Some("unix" | "unixs")) {
            return Some(true);
        }
        let host = self.host.as_deref()?;
        Some(is_loopback_host(host))
    }
}

pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "localhost"
        || h.ends_with(".localhost")
        || h == "::1"
        || h.starts_with("127.")
        || h == "0:0:0:0:0:0:0:1"
}

/// A small map of settings by key, sorted, in one allocation: the InfluxDB and Telegraf views
/// hold one per section and plugin, and the project view keeps thousands of them for the
/// cross-file rules (a `BTreeMap` costs a node of eleven slots even for one key). Built from a
/// `BTreeMap` (no quadratic insert for a table of many keys); read-only afterwards except
/// [`KeyMap::retain`].
#[derive(Debug, Clone)]
pub struct KeyMap<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for KeyMap<V> {
    fn default() -> Self {
        KeyMap {
            entries: Vec::new(),
        }
    }
}

impl<V> From<std::collections::BTreeMap<String, V>> for KeyMap<V> {
    fn from(map: std::collections::BTreeMap<String, V>) -> Self {
        KeyMap {
            entries: map.into_iter().collect(),
        }
    }
}

impl<V> KeyMap<V> {
    fn index(&self, key: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.index(key).map(|i| &self.entries[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.index(key).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Keep the entries `keep` says yes to, and give back the memory of the others.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
        self.entries.shrink_to_fit();
    }
}

impl<'a, V> IntoIterator for &'a KeyMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, V)>,
        fn(&'a (String, V)) -> (&'a String, &'a V),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_parts_know_loopback_and_placeholders() {
        let u = UrlParts::parse("http://127.0.0.1:4001");
        assert!(u.is_plain_http() && u.is_local() == Some(true));
        assert_eq!(UrlParts::parse("https://[::1]:2379").is_local(), Some(true));
        assert_eq!(
            UrlParts::parse("http://0.0.0.0:2379").is_local(),
            Some(false)
        );
        assert_eq!(
            UrlParts::parse("http://${COREOS_EC2_IPV4_LOCAL}:2380").is_local(),
            None
        );
        assert!(UrlParts::parse("http://${IP}:2380").is_plain_http());
        assert_eq!(UrlParts::parse("{{ scheme }}://a:1").scheme, None);
    }
}
