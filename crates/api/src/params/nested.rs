//! Rails' bracket notation into JSON: `a[]=1&a[]=2` is `{"a":["1","2"]}`,
//! `a[b]=1` is `{"a":{"b":"1"}}`, `a[0][b]=1` is `{"a":{"0":{"b":"1"}}}`.

use serde_json::{Map, Value};

/// Deepest nesting accepted; deeper keys are kept flat, as Rack caps depth too.
const MAX_DEPTH: usize = 8;

pub(super) fn insert_pair(root: &mut Map<String, Value>, key: &str, value: Value) {
    let path = split_key(key);
    if path.is_empty() || path.len() > MAX_DEPTH {
        root.insert(key.to_owned(), value);
        return;
    }
    insert_path(root, &path, value);
}

/// `a[b][]` → `["a", "b", ""]`; a malformed key is one segment.
fn split_key(key: &str) -> Vec<&str> {
    let Some(open) = key.find('[') else { return vec![key] };
    let mut path = vec![&key[..open]];
    let mut rest = &key[open..];
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else { return vec![key] };
        path.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    if !rest.is_empty() || path[0].is_empty() {
        return vec![key];
    }
    path
}

fn insert_path(map: &mut Map<String, Value>, path: &[&str], value: Value) {
    let (head, tail) = (path[0], &path[1..]);
    match tail.first() {
        None => {
            map.insert(head.to_owned(), value);
        }
        Some(&"") if tail.len() == 1 => {
            let slot = map.entry(head.to_owned()).or_insert_with(|| Value::Array(Vec::new()));
            match slot {
                Value::Array(items) => items.push(value),
                other => *other = Value::Array(vec![value]),
            }
        }
        Some(_) => {
            let slot = map.entry(head.to_owned()).or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                // `a[][b]` (arrays of objects) is read as `a[b]`; Mastodon uses indexed keys.
                let tail = if tail[0].is_empty() { &tail[1..] } else { tail };
                insert_path(inner, tail, value);
            }
        }
    }
}

/// Deep-merges `from` into `into`; `from` wins where both have a value.
pub(super) fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(Value::Object(existing)), Value::Object(incoming)) => merge(existing, incoming),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}
