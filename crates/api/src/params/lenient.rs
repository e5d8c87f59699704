//! Deserialisers for form values, which arrive as strings: booleans spelt as Rails
//! accepts them, numbers as text, and an array where a client sent one value.

use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::Value;

/// `true`, `1`, `t`, `on`, `yes` or `false`, `0`, `f`, `off`, `no`; an empty value is none.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::Number(n)) => Ok(Some(n.as_i64() != Some(0))),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "1" | "t" | "on" | "yes" => Ok(Some(true)),
            "false" | "0" | "f" | "off" | "no" => Ok(Some(false)),
            other => Err(de::Error::custom(format!("`{other}` is not a boolean"))),
        },
        Some(other) => Err(de::Error::custom(format!("{other} is not a boolean"))),
    }
}

/// A whole number given as a number or as text; an empty value is none.
pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| de::Error::custom("not a whole number")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => {
            s.trim().parse().map(Some).map_err(|_| de::Error::custom(format!("`{s}` is not a whole number")))
        }
        Some(other) => Err(de::Error::custom(format!("{other} is not a whole number"))),
    }
}

/// A list of strings from `x[]=a&x[]=b`, a JSON array, or a single value.
pub(crate) fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let one = |v: Value| match v {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(de::Error::custom(format!("{other} is not a string"))),
    };
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items.into_iter().map(one).collect(),
        Some(Value::Object(map)) => map.into_iter().map(|(_, v)| one(v)).collect(),
        Some(v) => Ok(vec![one(v)?]),
    }
}

/// [`string_list`], telling a list that was sent (even empty) from none.
pub(crate) fn opt_string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    string_list(d).map(Some)
}

/// A string, also when a JSON client sent a number (ids, for instance).
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(de::Error::custom(format!("{other} is not a string"))),
    }
}
