//! TOML (InfluxDB, Telegraf) through `toml_edit::ImDocument`, which keeps the span of every key,
//! value and table header. Template syntax is masked first (same offsets).

use toml_edit::{ImDocument, Item, Table};

use super::ParseError;
use crate::lint::placeholder::mask_templates;

/// Parse TOML text; templated text is masked before parsing.
pub fn parse(text: &str) -> Result<ImDocument<String>, ParseError> {
    let masked = mask_templates(text).into_owned();
    ImDocument::parse(masked).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .trim()
            .to_string();
        ParseError::new(message, span)
    })
}

/// A key of a table with its span and the span of its value.
#[derive(Debug, Clone)]
pub struct KeyValue<'a> {
    pub key: &'a str,
    pub key_span: std::ops::Range<usize>,
    pub item: &'a Item,
    pub value_span: std::ops::Range<usize>,
}

/// Look a key up in a table, with spans (empty ranges when the parser kept none).
pub fn get<'a>(table: &'a Table, key: &str) -> Option<KeyValue<'a>> {
    let (k, item) = table.get_key_value(key)?;
    let key_span = k.span().unwrap_or(0..0);
    let value_span = item.span().unwrap_or(key_span.clone());
    Some(KeyValue {
        key: k.get(),
        key_span,
        item,
        value_span,
    })
}

/// The header span of a table (`[http]`), or the start of the file.
pub fn table_span(table: &Table) -> std::ops::Range<usize> {
    table.span().unwrap_or(0..0)
}
