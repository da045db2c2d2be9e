//! The Telegraf view: every plugin table of `telegraf.conf` / `telegraf.d/*.conf`
//! (`[[outputs.influxdb]]`, `[[inputs.x]]`, …) with its keys as settings.

use toml_edit::{ImDocument, Item};

use super::influxdb::toml_settings;
use super::{KeyMap, Setting};
use crate::lint::source::{FileId, SourceFile, Span};

/// One plugin instance.
#[derive(Debug, Clone)]
pub struct Plugin {
    /// `outputs.influxdb`, `inputs.cpu`, …
    pub kind: String,
    /// The span of its header (`[[outputs.influxdb]]`).
    pub header: Span,
    pub keys: KeyMap<Setting>,
    pub lists: KeyMap<Vec<Setting>>,
}

#[derive(Debug, Clone)]
pub struct TelegrafConfig {
    pub file: FileId,
    pub plugins: Vec<Plugin>,
}

impl TelegrafConfig {
    pub fn from_toml(id: FileId, file: &SourceFile, doc: &ImDocument<String>) -> Self {
        let mut plugins = Vec::new();
        for category in [
            "inputs",
            "outputs",
            "processors",
            "aggregators",
            "secretstores",
        ] {
            let Some(Item::Table(cat)) = doc.as_table().get(category) else {
                continue;
            };
            for (name, item) in cat.iter() {
                let kind = format!("{category}.{name}");
                let tables: Vec<&toml_edit::Table> = match item {
                    Item::ArrayOfTables(a) => a.iter().collect(),
                    Item::Table(t) => vec![t],
                    _ => Vec::new(),
                };
                for t in tables {
                    let (keys, lists) = toml_settings(id, file, t);
                    plugins.push(Plugin {
                        kind: kind.clone(),
                        header: Span::new(id, t.span().unwrap_or(0..0)),
                        keys,
                        lists,
                    });
                }
            }
        }
        TelegrafConfig { file: id, plugins }
    }
}
