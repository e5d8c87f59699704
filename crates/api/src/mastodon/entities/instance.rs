//! Mastodon's Instance entity, v2 (current) and v1 (still read by many apps).

use app::instance::{InstanceInfo, Rule};
use app::{Config, RegistrationMode};
use domain::limits as l;
use serde::Serialize;
use serde_json::{Value, json};

use super::account::AccountEntity;
use crate::assets::THUMBNAIL_PATH;

/// The Mastodon release whose API Rookery implements, and its `api_versions` number.
const MASTODON_VERSION: &str = "4.5.0";
const MASTODON_API_VERSION: u32 = 7;

pub(crate) fn version() -> String {
    format!("{MASTODON_VERSION} (compatible; Rookery {})", env!("CARGO_PKG_VERSION"))
}

#[derive(Debug, Serialize)]
pub(crate) struct InstanceV2 {
    domain: String,
    title: String,
    version: String,
    source_url: String,
    description: String,
    usage: Value,
    thumbnail: Value,
    icon: Vec<Value>,
    languages: Vec<String>,
    configuration: Value,
    registrations: Value,
    api_versions: Value,
    contact: Value,
    rules: Vec<RuleEntity>,
}

#[derive(Debug, Serialize)]
pub(crate) struct RuleEntity {
    id: String,
    text: String,
    hint: String,
    translations: Value,
}

impl From<&Rule> for RuleEntity {
    fn from(r: &Rule) -> Self {
        Self { id: r.id.clone(), text: r.text.clone(), hint: r.hint.clone(), translations: json!({}) }
    }
}

impl InstanceV2 {
    pub(crate) fn new(config: &Config, info: &InstanceInfo) -> Self {
        let base = config.base_url();
        let instance = &config.instance;
        let contact_account = info.contact_account.as_ref().map(|(a, u)| AccountEntity::new(config, a, Some(u.role)));
        InstanceV2 {
            domain: config.domain.clone(),
            title: instance.title.clone(),
            version: version(),
            source_url: instance.source_url.clone(),
            description: instance.description.clone(),
            usage: json!({ "users": { "active_month": info.counts.active_local_users } }),
            thumbnail: json!({ "url": format!("{base}{THUMBNAIL_PATH}") }),
            icon: Vec::new(),
            languages: instance.languages.clone(),
            configuration: json!({
                "urls": {
                    "streaming": config.streaming_url(),
                    "status": null,
                    "about": format!("{base}/about"),
                    "privacy_policy": null,
                    "terms_of_service": (!instance.terms_of_service.trim().is_empty()).then(|| format!("{base}/terms")),
                },
                "vapid": { "public_key": "" },
                "accounts": {
                    "max_featured_tags": l::MAX_FEATURED_TAGS,
                    "max_pinned_statuses": l::MAX_PINNED_STATUSES,
                },
                "statuses": statuses_configuration(),
                "media_attachments": media_configuration(),
                "polls": polls_configuration(),
                "translation": { "enabled": false },
                "timelines_access": {
                    "live_feeds": { "local": "public", "remote": "public" },
                    "hashtag_feeds": { "local": "public", "remote": "public" },
                    "trending_link_feeds": { "local": "public", "remote": "public" },
                },
                "limited_federation": false,
            }),
            registrations: json!({
                "enabled": instance.registrations.open_to_anyone(),
                "approval_required": instance.registrations == RegistrationMode::Approval,
                "reason_required": false,
                "message": null,
                "min_age": null,
                "url": null,
            }),
            api_versions: json!({ "mastodon": MASTODON_API_VERSION }),
            contact: json!({ "email": instance.contact_email, "account": contact_account }),
            rules: info.rules.iter().map(RuleEntity::from).collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct InstanceV1 {
    uri: String,
    title: String,
    short_description: String,
    description: String,
    email: String,
    version: String,
    urls: Value,
    stats: Value,
    thumbnail: String,
    languages: Vec<String>,
    registrations: bool,
    approval_required: bool,
    invites_enabled: bool,
    configuration: Value,
    contact_account: Option<AccountEntity>,
    rules: Vec<RuleEntity>,
}

impl InstanceV1 {
    pub(crate) fn new(config: &Config, info: &InstanceInfo) -> Self {
        let instance = &config.instance;
        InstanceV1 {
            uri: config.domain.clone(),
            title: instance.title.clone(),
            short_description: instance.description.clone(),
            description: instance.description.clone(),
            email: instance.contact_email.clone(),
            version: version(),
            urls: json!({ "streaming_api": config.streaming_url() }),
            stats: json!({
                "user_count": info.counts.local_users,
                "status_count": info.counts.local_statuses,
                "domain_count": info.counts.known_domains,
            }),
            thumbnail: format!("{}{THUMBNAIL_PATH}", config.base_url()),
            languages: instance.languages.clone(),
            registrations: instance.registrations.open_to_anyone(),
            approval_required: instance.registrations == RegistrationMode::Approval,
            invites_enabled: instance.registrations != RegistrationMode::Closed,
            configuration: json!({
                "accounts": { "max_featured_tags": l::MAX_FEATURED_TAGS },
                "statuses": statuses_configuration(),
                "media_attachments": media_configuration(),
                "polls": polls_configuration(),
            }),
            contact_account: info.contact_account.as_ref().map(|(a, u)| AccountEntity::new(config, a, Some(u.role))),
            rules: info.rules.iter().map(RuleEntity::from).collect(),
        }
    }
}

fn statuses_configuration() -> Value {
    json!({
        "max_characters": l::MAX_STATUS_CHARACTERS,
        "max_media_attachments": l::MAX_MEDIA_ATTACHMENTS,
        "characters_reserved_per_url": l::CHARACTERS_RESERVED_PER_URL,
    })
}

fn media_configuration() -> Value {
    json!({
        "description_limit": l::MEDIA_DESCRIPTION_LIMIT,
        "image_matrix_limit": l::IMAGE_MATRIX_LIMIT,
        "image_size_limit": l::IMAGE_SIZE_LIMIT,
        "supported_mime_types": l::SUPPORTED_MEDIA_TYPES,
        "video_frame_rate_limit": l::VIDEO_FRAME_RATE_LIMIT,
        "video_matrix_limit": l::VIDEO_MATRIX_LIMIT,
        "video_size_limit": l::VIDEO_SIZE_LIMIT,
    })
}

fn polls_configuration() -> Value {
    json!({
        "max_options": l::MAX_POLL_OPTIONS,
        "max_characters_per_option": l::MAX_POLL_OPTION_CHARACTERS,
        "min_expiration": l::MIN_POLL_EXPIRATION_SECONDS,
        "max_expiration": l::MAX_POLL_EXPIRATION_SECONDS,
    })
}
