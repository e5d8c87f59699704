//! Exact-JSON snapshots: the whole entity is compared with a committed file, after
//! redacting what changes between runs (ids, times, the server's random port).
//! `ROOKERY_UPDATE_SNAPSHOTS=1` writes the files instead of comparing.

use serde_json::Value;

pub fn assert_json_snapshot(name: &str, base_url: &str, value: &Value) {
    let redacted = redact(value, base_url);
    let text = serde_json::to_string_pretty(&redacted).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots").join(format!("{name}.json"));
    if std::env::var("ROOKERY_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no snapshot {}; run with ROOKERY_UPDATE_SNAPSHOTS=1 to write it", path.display()));
    assert!(expected == text, "snapshot {name} differs.\n--- expected\n{expected}\n--- actual\n{text}");
}

fn redact(value: &Value, base_url: &str) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("created_at" | "updated_at" | "edited_at", Value::String(_)) => {
                            Value::String("<datetime>".into())
                        }
                        ("last_status_at", Value::String(_)) => Value::String("<date>".into()),
                        // Holds a day number for grouped types.
                        ("group_key", Value::String(_)) => Value::String("<group_key>".into()),
                        _ => redact(v, base_url),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| redact(v, base_url)).collect()),
        Value::String(s) => Value::String(redact_text(
            &s.replace(base_url, "http://rookery.test").replace(base_url.trim_start_matches("http://"), "rookery.test"),
        )),
        other => other.clone(),
    }
}

/// Replaces every run of 15 or more digits (a Mastodon-style id) with `<id>`.
fn redact_text(s: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for c in s.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        out.push_str(if digits.len() >= 15 { "<id>" } else { &digits });
        digits.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}
