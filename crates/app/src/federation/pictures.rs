//! Remote accounts' avatars and headers, served from here like their posts' pictures:
//! each is a media row of the account's with a cache folder, fetched when first shown
//! and evicted like the rest of the cache. A changed address gets a fresh row; the old
//! one goes, with its files.

use domain::{Account, MediaAttachment, MediaKind};
use serde_json::Value;

use crate::media::MediaStorage;
use crate::media::cache::{Style, cache_key, cache_request};
use crate::{App, Result, now_millis};

const MAX_URL_BYTES: usize = 2048;

/// Records the avatar (`icon`) and header (`image`) an actor document names.
pub async fn remember(app: &App, account: &Account, document: &Value) -> Result<()> {
    let avatar =
        kept_or_replaced(app, account, account.avatar_file.as_deref(), image_url(document.get("icon"))).await?;
    let header =
        kept_or_replaced(app, account, account.header_file.as_deref(), image_url(document.get("image"))).await?;
    if avatar != account.avatar_file || header != account.header_file {
        app.store().update_account_pictures(account.id, avatar.as_deref(), header.as_deref()).await?;
    }
    Ok(())
}

/// The key to keep for one picture: the current one if its address is unchanged.
async fn kept_or_replaced(
    app: &App,
    account: &Account,
    current: Option<&str>,
    url: Option<String>,
) -> Result<Option<String>> {
    let known = match current.and_then(cache_request) {
        Some((folder, _)) => app.store().find_media_by_cache_folder(folder).await?.map(|(media, _)| media),
        None => None,
    };
    if let Some(known) = known {
        if known.remote_url == url {
            return Ok(current.map(str::to_owned));
        }
        app.store().delete_unattached_media(known.id).await?;
        crate::media::delete_files_of(app, std::slice::from_ref(&known)).await;
    }
    let Some(url) = url else { return Ok(None) };
    let folder = MediaStorage::new_folder("cache")?;
    let picture = MediaAttachment {
        remote_url: Some(url),
        cache_folder: Some(folder.clone()),
        ..MediaAttachment::new(app.ids().next(), account.id, MediaKind::Image, now_millis())
    };
    app.store().insert_media(&picture).await?;
    Ok(Some(cache_key(&folder, Style::Original)))
}

/// An Image's address: its `url` (a string or a Link), of the first of a list.
fn image_url(value: Option<&Value>) -> Option<String> {
    let url = match value? {
        Value::Array(items) => return items.iter().find_map(|i| image_url(Some(i))),
        Value::String(s) => s.as_str(),
        Value::Object(o) => match o.get("url")? {
            Value::String(s) => s.as_str(),
            Value::Object(link) => link.get("href")?.as_str()?,
            Value::Array(links) => links.iter().find_map(|l| l.get("href").and_then(Value::as_str).or(l.as_str()))?,
            _ => return None,
        },
        _ => return None,
    };
    let https = url.starts_with("https://") || url.starts_with("http://");
    (https && url.len() <= MAX_URL_BYTES).then(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::image_url;

    #[test]
    fn images_are_read_in_every_shape_servers_send() {
        let want = Some("https://remote.example/a.png".to_owned());
        assert_eq!(image_url(Some(&json!({"type": "Image", "url": "https://remote.example/a.png"}))), want);
        assert_eq!(image_url(Some(&json!({"url": {"href": "https://remote.example/a.png"}}))), want);
        assert_eq!(image_url(Some(&json!([{"url": "https://remote.example/a.png"}, {"url": "https://x/b"}]))), want);
        assert_eq!(image_url(Some(&json!("https://remote.example/a.png"))), want);
        assert_eq!(image_url(Some(&json!({"url": "javascript:alert(1)"}))), None);
        assert_eq!(image_url(None), None);
    }
}
