//! Editing one's profile and posting defaults (`update_credentials`).

use domain::limits::{MAX_DISPLAY_NAME_CHARACTERS, MAX_NOTE_CHARACTERS, MAX_PROFILE_FIELDS};
use domain::{Account, LocalUser, ProfileField, ValidationError, Visibility};
use store::ProfileUpdate;

use crate::statuses::html;
use crate::{App, AppError, Event, Result, now_millis};

const MAX_FIELD_CHARACTERS: usize = 255;
/// Mastodon's avatar (400 × 400) and header (1500 × 500), as pixel counts.
const AVATAR_PIXELS: u64 = 400 * 400;
const HEADER_PIXELS: u64 = 1500 * 500;

/// An uploaded image; its type is read from its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub bytes: Vec<u8>,
}

/// What changes; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct UpdateProfile {
    pub display_name: Option<String>,
    pub note: Option<String>,
    pub locked: Option<bool>,
    pub bot: Option<bool>,
    pub discoverable: Option<bool>,
    pub hide_collections: Option<bool>,
    pub indexable: Option<bool>,
    pub fields: Option<Vec<(String, String)>>,
    pub default_visibility: Option<String>,
    pub default_sensitive: Option<bool>,
    pub default_language: Option<String>,
    pub avatar: Option<Upload>,
    pub header: Option<Upload>,
}

pub async fn update_profile(
    app: &App,
    account: &Account,
    user: &LocalUser,
    input: UpdateProfile,
) -> Result<(Account, LocalUser)> {
    let mut invalid = ValidationError::default();
    let display_name = input.display_name.map(|d| d.trim().to_owned()).unwrap_or_else(|| account.display_name.clone());
    if display_name.chars().count() > MAX_DISPLAY_NAME_CHARACTERS as usize {
        invalid.push(ValidationError::field("display_name", "ERR_TOO_LONG", "is too long (maximum is 30 characters)"));
    }
    let note_source = input.note.map(|n| n.trim().to_owned()).unwrap_or_else(|| account.note_source.clone());
    if note_source.chars().count() > MAX_NOTE_CHARACTERS as usize {
        invalid.push(ValidationError::field("note", "ERR_TOO_LONG", "is too long (maximum is 500 characters)"));
    }
    let base = app.config().base_url();
    let fields = match input.fields {
        None => account.fields.clone(),
        Some(pairs) => {
            let pairs: Vec<(String, String)> = pairs
                .into_iter()
                .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                .filter(|(n, v)| !(n.is_empty() && v.is_empty()))
                .collect();
            if pairs.len() > MAX_PROFILE_FIELDS as usize {
                invalid.push(ValidationError::field("fields", "ERR_TOO_LONG", "are too many (maximum is 4)"));
            }
            if pairs
                .iter()
                .any(|(n, v)| n.chars().count() > MAX_FIELD_CHARACTERS || v.chars().count() > MAX_FIELD_CHARACTERS)
            {
                invalid.push(ValidationError::field(
                    "fields",
                    "ERR_TOO_LONG",
                    "are too long (maximum is 255 characters)",
                ));
            }
            pairs
                .into_iter()
                .map(|(name, value)| ProfileField { value_html: html::render_inline(&value, &base), name, value })
                .collect()
        }
    };
    let default_visibility = match input.default_visibility.as_deref().filter(|v| !v.is_empty()) {
        None => user.default_visibility,
        Some(v) => match v.parse::<Visibility>() {
            Ok(Visibility::Direct) | Err(_) => {
                invalid.push(ValidationError::field("source.privacy", "ERR_INCLUSION", "is not included in the list"));
                user.default_visibility
            }
            Ok(v) => v,
        },
    };
    if !invalid.is_empty() {
        return Err(invalid.into());
    }
    let avatar_file = match input.avatar {
        Some(upload) => Some(crate::media::store_profile_picture(app, "avatar", upload.bytes, AVATAR_PIXELS).await?),
        None => account.avatar_file.clone(),
    };
    let header_file = match input.header {
        Some(upload) => Some(crate::media::store_profile_picture(app, "header", upload.bytes, HEADER_PIXELS).await?),
        None => account.header_file.clone(),
    };
    let replaced: Vec<String> = [(&account.avatar_file, &avatar_file), (&account.header_file, &header_file)]
        .into_iter()
        .filter_map(|(before, after)| before.clone().filter(|b| Some(b) != after.as_ref()))
        .collect();
    let update = ProfileUpdate {
        display_name,
        note_html: html::render(&note_source, &base, |_, _| None),
        note_source,
        fields,
        locked: input.locked.unwrap_or(account.locked),
        bot: input.bot.unwrap_or(account.bot),
        discoverable: input.discoverable.unwrap_or(account.discoverable),
        hide_collections: input.hide_collections.unwrap_or(account.hide_collections),
        indexable: input.indexable.unwrap_or(account.indexable),
        avatar_file,
        header_file,
        default_visibility,
        default_sensitive: input.default_sensitive.unwrap_or(user.default_sensitive),
        default_language: match input.default_language {
            Some(l) if l.is_empty() => None,
            Some(l) => Some(l),
            None => user.default_language.clone(),
        },
    };
    app.store().update_profile(account.id, &update, now_millis()).await?;
    for key in &replaced {
        crate::media::delete_file(app, key).await;
    }
    app.emit(Event::ProfileUpdated { account_id: account.id }).await?;
    app.store().find_local_user_by_account_id(account.id).await?.ok_or(AppError::NotFound("account"))
}
