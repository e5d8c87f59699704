//! Turns flags, environment variables and the TOML file into one typed configuration,
//! checked once at startup. Precedence: flag, then environment, then file, then default.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail};
use app::media::MediaStorageConfig;
use app::media::s3::S3Config;
use app::media::sigv4::Credentials;
use app::{InstanceConfig, Protocol, RegistrationMode};
use serde::Deserialize;

use crate::cli::SettingsArgs;

/// Everything the binary needs, validated.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database: store::ConnectOptions,
    pub log: LogConfig,
    pub app: app::Config,
}

#[derive(Debug, Clone)]
pub struct LogConfig {
    pub filter: String,
    pub json: bool,
}

/// The TOML file. Every key is optional; an unknown key is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    domain: Option<String>,
    protocol: Option<String>,
    bind: Option<String>,
    database_url: Option<String>,
    database_max_connections: Option<u32>,
    data_dir: Option<PathBuf>,
    allow_private_addresses: Option<bool>,
    authorized_fetch: Option<bool>,
    limited_federation: Option<bool>,
    show_domain_blocks: Option<String>,
    title: Option<String>,
    description: Option<String>,
    contact_email: Option<String>,
    contact_username: Option<String>,
    registrations: Option<String>,
    languages: Option<Vec<String>>,
    source_url: Option<String>,
    terms_of_service: Option<PathBuf>,
    log: Option<String>,
    log_format: Option<String>,
    password_hash_concurrency: Option<usize>,
    rate_limit: Option<u32>,
    trusted_proxies: Option<Vec<String>>,
    remote_media_cache: Option<SizeSetting>,
    ffmpeg: Option<PathBuf>,
    ffprobe: Option<PathBuf>,
    media_storage: Option<String>,
    s3_endpoint: Option<String>,
    s3_bucket: Option<String>,
    s3_region: Option<String>,
    s3_access_key_id: Option<String>,
    s3_secret_access_key: Option<String>,
}

/// A size in the file: a number of bytes, or text with a unit (`"2GiB"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SizeSetting {
    Bytes(u64),
    Text(String),
}

impl ServerConfig {
    pub fn load(args: &SettingsArgs) -> anyhow::Result<ServerConfig> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileSettings::default(),
        };
        resolve(args, file)
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileSettings> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display()))
}

fn resolve(args: &SettingsArgs, mut file: FileSettings) -> anyhow::Result<ServerConfig> {
    let storage_file = StorageFile {
        kind: file.media_storage.take(),
        endpoint: file.s3_endpoint.take(),
        bucket: file.s3_bucket.take(),
        region: file.s3_region.take(),
        access_key_id: file.s3_access_key_id.take(),
        secret_access_key: file.s3_secret_access_key.take(),
    };
    let domain = args.domain.clone().or(file.domain).unwrap_or_else(|| "localhost:8080".into());
    check_domain(&domain)?;
    let protocol = match args.protocol.as_deref() {
        Some(p) => parse_flag::<Protocol>("protocol", p)?,
        None => match file.protocol.as_deref() {
            Some(p) => parse_key::<Protocol>("protocol", p)?,
            None if is_local_host(&domain) => Protocol::Http,
            None => Protocol::Https,
        },
    };
    let bind = pick("bind", args.bind.as_deref(), file.bind.as_deref(), "127.0.0.1:8080")?;
    let data_dir = args.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("./data"));
    let database_url = args
        .database_url
        .clone()
        .or(file.database_url)
        .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("rookery.db").display()));
    if store::Dialect::from_url(&database_url).is_none() {
        bail!(
            "invalid database URL `{}` (--database-url, ROOKERY_DATABASE_URL or `database_url`): \
             expected sqlite://PATH or postgres://...",
            store::redact(&database_url)
        );
    }
    let max_connections = match args.database_max_connections.as_deref() {
        Some(n) => parse_flag("database_max_connections", n)?,
        None => file.database_max_connections.unwrap_or(8),
    };
    if max_connections == 0 {
        bail!(
            "database_max_connections (--database-max-connections, ROOKERY_DATABASE_MAX_CONNECTIONS) must be at least 1"
        );
    }
    let registrations = pick::<RegistrationMode>(
        "registrations",
        args.registrations.as_deref(),
        file.registrations.as_deref(),
        "closed",
    )?;
    let show_domain_blocks = pick::<app::config::Audience>(
        "show_domain_blocks",
        args.show_domain_blocks.as_deref(),
        file.show_domain_blocks.as_deref(),
        "disabled",
    )?;
    let (terms_of_service, terms_updated_at) = match args.terms_of_service.clone().or(file.terms_of_service) {
        Some(path) => {
            let read =
                |e: std::io::Error| anyhow::anyhow!("cannot read the terms of service at {}: {e}", path.display());
            let text = std::fs::read_to_string(&path).map_err(read)?;
            let changed = std::fs::metadata(&path).and_then(|m| m.modified()).map_err(read)?;
            let millis = changed.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
            (text, millis)
        }
        None => (String::new(), 0),
    };
    let languages = match &args.languages {
        Some(list) => list.split(',').map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect(),
        None => file.languages.unwrap_or_else(|| vec!["en".into()]),
    };
    let log_format = args.log_format.clone().or(file.log_format).unwrap_or_else(|| "text".into());
    let json = match log_format.as_str() {
        "text" => false,
        "json" => true,
        other => bail!(
            "invalid log format `{other}` (--log-format, ROOKERY_LOG_FORMAT or `log_format`): expected text or json"
        ),
    };
    let cpus = std::thread::available_parallelism().map_or(2, usize::from);
    let password_hash_concurrency = match args.password_hash_concurrency.as_deref() {
        Some(n) => parse_flag("password_hash_concurrency", n)?,
        None => file.password_hash_concurrency.unwrap_or(cpus),
    };
    if password_hash_concurrency == 0 {
        bail!(
            "password_hash_concurrency (--password-hash-concurrency, ROOKERY_PASSWORD_HASH_CONCURRENCY) must be at least 1"
        );
    }
    let media_storage = media_storage(args, storage_file, &data_dir)?;
    let remote_media_cache_bytes = match (args.remote_media_cache.as_deref(), file.remote_media_cache) {
        (Some(text), _) => parse_size(text).ok_or_else(|| {
            anyhow::anyhow!("invalid size `{text}` (--remote-media-cache or ROOKERY_REMOTE_MEDIA_CACHE): expected bytes or a number with KB, MB, GB, KiB, MiB or GiB")
        })?,
        (None, Some(SizeSetting::Bytes(n))) => n,
        (None, Some(SizeSetting::Text(text))) => parse_size(&text)
            .ok_or_else(|| anyhow::anyhow!("invalid size `{text}` for `remote_media_cache` in the config file"))?,
        (None, None) => 1 << 30,
    };
    Ok(ServerConfig {
        bind,
        data_dir,
        database: store::ConnectOptions { url: database_url, max_connections },
        log: LogConfig { filter: args.log.clone().or(file.log).unwrap_or_else(|| "info".into()), json },
        app: app::Config {
            domain,
            protocol,
            allow_private_addresses: args.allow_private_addresses.or(file.allow_private_addresses).unwrap_or(false),
            authorized_fetch: args.authorized_fetch.or(file.authorized_fetch).unwrap_or(false),
            limited_federation: args.limited_federation.or(file.limited_federation).unwrap_or(false),
            media_storage,
            ffmpeg: args.ffmpeg.clone().or(file.ffmpeg).unwrap_or_else(|| "ffmpeg".into()),
            ffprobe: args.ffprobe.clone().or(file.ffprobe).unwrap_or_else(|| "ffprobe".into()),
            remote_media_cache_bytes,
            trusted_proxies: {
                let listed: Vec<String> = match &args.trusted_proxies {
                    Some(list) => list.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
                    None => file.trusted_proxies.clone().unwrap_or_else(|| vec!["127.0.0.1".into(), "::1".into()]),
                };
                listed
                    .iter()
                    .map(|a| a.parse().map_err(|_| anyhow::anyhow!("invalid address `{a}` in --trusted-proxies / ROOKERY_TRUSTED_PROXIES / `trusted_proxies`")))
                    .collect::<anyhow::Result<Vec<_>>>()?
            },
            requests_per_five_minutes: match args.rate_limit.as_deref() {
                Some(n) => parse_flag("rate_limit", n)?,
                None => file.rate_limit.unwrap_or(300),
            },
            password_hash_concurrency,
            instance: InstanceConfig {
                title: args.title.clone().or(file.title).unwrap_or_else(|| "Rookery".into()),
                description: args.description.clone().or(file.description).unwrap_or_default(),
                contact_email: args.contact_email.clone().or(file.contact_email).unwrap_or_default(),
                contact_username: args.contact_username.clone().or(file.contact_username),
                registrations,
                languages,
                source_url: args.source_url.clone().or(file.source_url).unwrap_or_default(),
                show_domain_blocks,
                terms_of_service,
                terms_updated_at,
            },
        },
    })
}

/// A value from the flag or environment, else the file, else the default; errors name
/// every place the value could have come from.
fn pick<T: FromStr>(key: &str, arg: Option<&str>, file: Option<&str>, default: &str) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    match (arg, file) {
        (Some(v), _) => parse_flag(key, v),
        (None, Some(v)) => parse_key(key, v),
        (None, None) => parse_key(key, default),
    }
}

fn parse_flag<T: FromStr>(key: &str, value: &str) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    let flag = key.replace('_', "-");
    let env = format!("ROOKERY_{}", key.to_uppercase());
    value.parse().map_err(|e| anyhow::anyhow!("invalid value `{value}` for --{flag} / {env}: {e}"))
}

/// The file's media storage settings.
struct StorageFile {
    kind: Option<String>,
    endpoint: Option<String>,
    bucket: Option<String>,
    region: Option<String>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
}

/// Local files under the data directory, or an S3-compatible bucket (every S3 setting
/// then required but the region).
fn media_storage(args: &SettingsArgs, file: StorageFile, data_dir: &Path) -> anyhow::Result<MediaStorageConfig> {
    let kind = args.media_storage.clone().or(file.kind.clone()).unwrap_or_else(|| "local".into());
    match kind.as_str() {
        "local" => Ok(MediaStorageConfig::Local(data_dir.join("media"))),
        "s3" => {
            let setting = |flag: &Option<String>, key: &Option<String>, name: &str| {
                flag.clone().or(key.clone()).filter(|v| !v.is_empty()).ok_or_else(|| {
                    anyhow::anyhow!(
                        "media_storage = s3 needs {name} (--{}, ROOKERY_{} or `{name}`)",
                        name.replace('_', "-"),
                        name.to_ascii_uppercase()
                    )
                })
            };
            let endpoint = setting(&args.s3_endpoint, &file.endpoint, "s3_endpoint")?;
            let config = MediaStorageConfig::S3(S3Config {
                endpoint,
                bucket: setting(&args.s3_bucket, &file.bucket, "s3_bucket")?,
                credentials: Credentials {
                    access_key_id: setting(&args.s3_access_key_id, &file.access_key_id, "s3_access_key_id")?,
                    secret_access_key: setting(
                        &args.s3_secret_access_key,
                        &file.secret_access_key,
                        "s3_secret_access_key",
                    )?,
                    region: args.s3_region.clone().or(file.region.clone()).unwrap_or_else(|| "us-east-1".into()),
                },
            });
            // Checks the endpoint, as the server will use it.
            app::media::MediaStorage::new(&config)
                .map_err(|e| anyhow::anyhow!("{e} (--s3-endpoint, ROOKERY_S3_ENDPOINT or `s3_endpoint`)"))?;
            Ok(config)
        }
        other => bail!(
            "invalid media storage `{other}` (--media-storage, ROOKERY_MEDIA_STORAGE or `media_storage`): expected local or s3"
        ),
    }
}

/// `500MB`, `2GiB`, `20000` (bytes): units of 1000 or 1024, any case.
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let number: u64 = text[..digits].parse().ok()?;
    let unit: u64 = match text[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => return None,
    };
    number.checked_mul(unit)
}

fn parse_key<T: FromStr>(key: &str, value: &str) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e| anyhow::anyhow!("invalid value `{value}` for `{key}` in the config file: {e}"))
}

fn check_domain(domain: &str) -> anyhow::Result<()> {
    let (host, port) = match domain.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && (host.starts_with('[') == host.ends_with(']')) => {
            (host, Some(port))
        }
        _ => (domain, None),
    };
    let host_ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        v6.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && label.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
    };
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    if !host_ok || !port_ok {
        bail!(
            "invalid domain `{domain}` (--domain, ROOKERY_DOMAIN or `domain`): expected a lower-case host with an optional port, like social.example or 127.0.0.12:8080"
        );
    }
    Ok(())
}

/// Plain http is the default only where https cannot be: localhost and loopback addresses.
fn is_local_host(domain: &str) -> bool {
    let host = match domain.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => domain,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost" || host.ends_with(".localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests;
