//! The project view: every InfluxDB and Telegraf file of one lint run, for rules that compare
//! files with each other (data nodes against meta nodes, Telegraf URLs against the InfluxDB they
//! point at). Built once after every file is parsed.

use super::influxdb::{InfluxConfig, InfluxRole};
use super::telegraf::TelegrafConfig;
use crate::lint::source::SourceStore;

/// What a cross-file rule reads of the project's views, declared next to the rule (the second
/// field of `Check::Project`). The engine keeps these keys of each InfluxDB and Telegraf view once
/// the file's own rules ran and drops the rest, so a run over thousands of files holds a few
/// settings per file, not every file's settings; a rule that reads a key it does not declare
/// misses it (its fixtures fail).
#[derive(Debug, Clone, Copy)]
pub struct ProjectKeys {
    /// InfluxDB keys by section; a section listed with no keys is kept for its presence (an
    /// Enterprise data node has `[meta]` or `[cluster]`).
    pub influxdb: &'static [(&'static str, &'static [&'static str])],
    /// Telegraf keys by plugin kind (`outputs.influxdb`); plugins of other kinds are dropped.
    pub telegraf: &'static [(&'static str, &'static [&'static str])],
}

/// Every file of the run that a cross-file rule may compare.
#[derive(Debug, Default)]
pub struct Project {
    pub influxdb: Vec<InfluxConfig>,
    pub telegraf: Vec<TelegrafConfig>,
}

impl Project {
    /// Whether any cross-file rule has something to look at.
    pub fn is_empty(&self) -> bool {
        self.influxdb.is_empty() && self.telegraf.is_empty()
    }

    /// InfluxDB files of one role, in the order they were linted (sorted by path).
    pub fn influx(&self, role: InfluxRole) -> impl Iterator<Item = &InfluxConfig> {
        self.influxdb.iter().filter(move |c| c.role == role)
    }
}

/// The host a rendered or deployed file belongs to, when its path says so: the directory above
/// `etc/` (`out/<host>/etc/influxdb/influxdb.conf`, the layout `tlsgen render` writes).
pub fn host_of(sources: &SourceStore, file: usize) -> Option<String> {
    // The last component of the host directory the certificate checks use (`host_dir`).
    let dir = crate::lint::view::cert::mount::host_dir(&sources.get(file).path)?;
    let dir = dir.to_string_lossy();
    Some(dir.rsplit('/').next().unwrap_or(&dir).to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_is_the_directory_above_etc() {
        let mut store = SourceStore::default();
        let a = store.add("out/data1/etc/influxdb/influxdb.conf".into(), String::new());
        let b = store.add("influxdb.conf".into(), String::new());
        let c = store.add("./etc/influxdb/influxdb.conf".into(), String::new());
        assert_eq!(host_of(&store, a).as_deref(), Some("data1"));
        assert_eq!(host_of(&store, b), None);
        assert_eq!(host_of(&store, c), None);
        let d = store.add("OUT\\Data2\\etc\\influxdb.conf".into(), String::new());
        assert_eq!(host_of(&store, d).as_deref(), Some("data2"));
    }
}
