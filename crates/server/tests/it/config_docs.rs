//! Every setting is documented in `rookery serve --help` and docs/configuration.md alike.

use std::collections::BTreeSet;

fn env_names(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_uppercase() || c == '_'))
        .filter(|w| w.starts_with("ROOKERY_") && w.len() > "ROOKERY_".len())
        .map(str::to_owned)
        .collect()
}

#[test]
fn help_and_docs_name_the_same_settings() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rookery")).args(["serve", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/configuration.md")).unwrap();

    let in_help = env_names(&help);
    for required in [
        "ROOKERY_DOMAIN",
        "ROOKERY_PROTOCOL",
        "ROOKERY_BIND",
        "ROOKERY_DATABASE_URL",
        "ROOKERY_DATA_DIR",
        "ROOKERY_ALLOW_PRIVATE_ADDRESSES",
        "ROOKERY_CONFIG",
    ] {
        assert!(in_help.contains(required), "{required} missing from --help");
    }
    // The test database variable is documented for developers, not a server setting.
    let in_docs: BTreeSet<String> = env_names(&docs).into_iter().filter(|n| n != "ROOKERY_TEST_DATABASE_URL").collect();
    assert_eq!(in_help, in_docs, "--help and docs/configuration.md disagree");
    assert!(help.matches("[default: ").count() >= in_help.len() - 1, "every setting but --config shows its default");
}
