//! A value together with where it stood in `cluster.yaml`.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A 1-based line and column (in characters) of a value in the model file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    pub line: usize,
    pub column: usize,
}

/// A deserialized value that remembers its position, so that semantic validation errors can point at
/// the exact value in the YAML file. Serializes (and generates a JSON schema) exactly like `T`.
#[derive(Debug, Clone)]
pub struct Sp<T> {
    pub value: T,
    pub loc: Option<Loc>,
}

impl<T> Sp<T> {
    /// A value with no position (a default filled in by tlsgen, not written by the user).
    pub fn bare(value: T) -> Self {
        Sp { value, loc: None }
    }
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Sp<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: fmt::Display> fmt::Display for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<'de, T: Deserialize<'de> + Clone> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = marked_yaml::Spanned::<T>::deserialize(deserializer)?;
        let loc = spanned.span().start().map(|m| Loc {
            line: m.line(),
            column: m.column(),
        });
        Ok(Sp {
            value: (*spanned).clone(),
            loc,
        })
    }
}

impl<T: Serialize> Serialize for Sp<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> String {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn is_referenceable() -> bool {
        T::is_referenceable()
    }
    fn json_schema(gen: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        T::json_schema(gen)
    }
}
