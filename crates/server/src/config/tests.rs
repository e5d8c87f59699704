use super::*;

fn args() -> SettingsArgs {
    SettingsArgs::default()
}

fn file(text: &str) -> FileSettings {
    toml::from_str(text).unwrap()
}

#[test]
fn defaults_serve_localhost_over_http_from_sqlite_in_data() {
    let c = resolve(&args(), FileSettings::default()).unwrap();
    assert_eq!(c.app.domain, "localhost:8080");
    assert_eq!(c.app.protocol, Protocol::Http);
    assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(c.database.url, "sqlite://./data/rookery.db");
    assert_eq!(c.app.instance.registrations, RegistrationMode::Closed);
    assert!(!c.app.allow_private_addresses);
}

#[test]
fn public_domains_default_to_https() {
    let a = SettingsArgs { domain: Some("social.example".into()), ..args() };
    assert_eq!(resolve(&a, FileSettings::default()).unwrap().app.protocol, Protocol::Https);
    let a = SettingsArgs { domain: Some("127.0.0.12:8080".into()), ..args() };
    assert_eq!(resolve(&a, FileSettings::default()).unwrap().app.protocol, Protocol::Http);
}

#[test]
fn flags_beat_the_file() {
    let f = file("bind = \"127.0.0.1:9000\"\ntitle = \"From file\"\nregistrations = \"open\"");
    let a = SettingsArgs { bind: Some("127.0.0.1:9001".into()), ..args() };
    let c = resolve(&a, f).unwrap();
    assert_eq!(c.bind.port(), 9001);
    assert_eq!(c.app.instance.title, "From file");
    assert_eq!(c.app.instance.registrations, RegistrationMode::Open);
}

#[test]
fn data_dir_moves_the_default_database() {
    let a = SettingsArgs { data_dir: Some("/srv/rookery".into()), ..args() };
    assert_eq!(resolve(&a, FileSettings::default()).unwrap().database.url, "sqlite:///srv/rookery/rookery.db");
}

#[test]
fn unknown_file_keys_are_named() {
    let err = toml::from_str::<FileSettings>("bnd = \"x\"").unwrap_err().to_string();
    assert!(err.contains("bnd"), "{err}");
}

#[test]
fn malformed_values_are_named() {
    let bad = |a: SettingsArgs, f: &str| resolve(&a, file(f)).unwrap_err().to_string();
    assert!(bad(SettingsArgs { bind: Some("nowhere".into()), ..args() }, "").contains("--bind / ROOKERY_BIND"));
    assert!(bad(args(), "bind = \"nowhere\"").contains("`bind` in the config file"));
    assert!(bad(SettingsArgs { protocol: Some("gopher".into()), ..args() }, "").contains("--protocol"));
    assert!(bad(args(), "registrations = \"maybe\"").contains("registrations"));
    assert!(bad(args(), "database_url = \"mysql://x\"").contains("database URL"));
    for domain in ["https://x.example", "a:b:c", "x.example:99999", "X.Example", "x..example", "", "x.example:"] {
        assert!(bad(SettingsArgs { domain: Some(domain.into()), ..args() }, "").contains("domain"), "{domain:?}");
    }
    for domain in ["x.example", "127.0.0.12:8080", "localhost", "[::1]:8080", "xn--bcher-kva.example"] {
        assert!(
            resolve(&SettingsArgs { domain: Some(domain.into()), ..args() }, FileSettings::default()).is_ok(),
            "{domain}"
        );
    }
    assert!(bad(args(), "database_max_connections = 0").contains("at least 1"));
    assert!(bad(SettingsArgs { trusted_proxies: Some("10.0.0.1, nope".into()), ..args() }, "").contains("nope"));
    assert!(bad(SettingsArgs { password_hash_concurrency: Some("0".into()), ..args() }, "").contains("at least 1"));
    assert!(bad(args(), "log_format = \"xml\"").contains("log format"));
    assert!(toml::from_str::<FileSettings>("allow_private_addresses = \"yes\"").is_err());
}

#[test]
fn the_remote_media_cache_takes_sizes_with_units() {
    let budget = |a: SettingsArgs, text: &str| resolve(&a, file(text)).unwrap().app.remote_media_cache_bytes;
    assert_eq!(budget(args(), ""), 1 << 30);
    assert_eq!(budget(SettingsArgs { remote_media_cache: Some("500MB".into()), ..args() }, ""), 500_000_000);
    assert_eq!(budget(SettingsArgs { remote_media_cache: Some("2 GiB".into()), ..args() }, ""), 2 << 30);
    assert_eq!(budget(args(), "remote_media_cache = 20000"), 20_000);
    assert_eq!(budget(args(), "remote_media_cache = \"64kib\""), 65_536);
    let refused = resolve(&SettingsArgs { remote_media_cache: Some("lots".into()), ..args() }, FileSettings::default());
    assert!(refused.unwrap_err().to_string().contains("--remote-media-cache"));
    assert!(resolve(&args(), file("remote_media_cache = \"9 parsecs\"")).is_err());
}

#[test]
fn media_goes_to_the_data_directory_or_a_bucket_with_every_setting() {
    let bad = |a: SettingsArgs, f: &str| resolve(&a, file(f)).unwrap_err().to_string();
    let c = resolve(&SettingsArgs { data_dir: Some("/srv/r".into()), ..args() }, FileSettings::default()).unwrap();
    assert!(matches!(c.app.media_storage, MediaStorageConfig::Local(ref p) if p == Path::new("/srv/r/media")));
    let s3 = file(
        "media_storage = \"s3\"\ns3_endpoint = \"http://127.0.0.1:9000\"\ns3_bucket = \"media\"\n\
         s3_access_key_id = \"id\"\ns3_secret_access_key = \"secret\"",
    );
    let MediaStorageConfig::S3(bucket) = resolve(&args(), s3).unwrap().app.media_storage else { panic!("s3") };
    assert_eq!((bucket.endpoint.as_str(), bucket.bucket.as_str()), ("http://127.0.0.1:9000", "media"));
    assert_eq!(bucket.credentials.region, "us-east-1");
    assert!(!format!("{bucket:?}").contains("secret"), "the secret stays out of logs");
    let missing = bad(SettingsArgs { media_storage: Some("s3".into()), ..args() }, "");
    assert!(missing.contains("s3_endpoint") && missing.contains("ROOKERY_S3_ENDPOINT"), "{missing}");
    let no_url = "media_storage = \"s3\"\ns3_endpoint = \"ftp://x\"\ns3_bucket = \"b\"\n\
                  s3_access_key_id = \"i\"\ns3_secret_access_key = \"s\"";
    assert!(bad(args(), no_url).contains("S3 endpoint"));
    assert!(bad(SettingsArgs { media_storage: Some("floppy".into()), ..args() }, "").contains("local or s3"));
}
