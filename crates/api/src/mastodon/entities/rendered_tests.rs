use std::path::PathBuf;
use std::sync::Arc;

use app::Config;
use app::statuses::Hydration;
use domain::{Account, Id, MediaAttachment, MediaKind, Role, Status, Visibility};
use serde_json::Value;

use super::{PER_VIEWER, RenderCache};
use crate::mastodon::entities::status::list;

fn config() -> Config {
    Config {
        domain: "social.example".into(),
        protocol: app::config::Protocol::Https,
        allow_private_addresses: false,
        authorized_fetch: false,
        limited_federation: false,
        media_storage: app::media::MediaStorageConfig::Local(PathBuf::from("media")),
        ffmpeg: "ffmpeg".into(),
        ffprobe: "ffprobe".into(),
        remote_media_cache_bytes: 0,
        trusted_proxies: Vec::new(),
        requests_per_five_minutes: 0,
        password_hash_concurrency: 1,
        instance: Default::default(),
    }
}

fn account(id: i64, username: &str, domain: Option<&str>) -> Account {
    Account {
        id: Id::from_i64(id),
        username: username.into(),
        domain: domain.map(Into::into),
        display_name: format!("{username} here"),
        note: "<p>hi</p>".into(),
        locked: false,
        bot: false,
        discoverable: true,
        created_at: 1_700_000_000_000,
        updated_at: 1_700_000_000_000,
        followers_count: 3,
        following_count: 4,
        statuses_count: 5,
        last_status_at: Some(1_700_000_000_000),
        note_source: "hi".into(),
        fields: Vec::new(),
        hide_collections: false,
        indexable: true,
        avatar_file: None,
        header_file: None,
        uri: domain.map(|d| format!("https://{d}/users/{username}")),
        url: None,
        moderation: Default::default(),
    }
}

fn status(id: i64, author: i64) -> Status {
    Status {
        id: Id::from_i64(id),
        account_id: Id::from_i64(author),
        uri: format!("https://social.example/users/alice/statuses/{id}"),
        url: None,
        text: "hello #rust".into(),
        content: "<p>hello #rust</p>".into(),
        spoiler_text: String::new(),
        sensitive: false,
        visibility: Visibility::Public,
        language: Some("en".into()),
        in_reply_to_id: None,
        in_reply_to_account_id: None,
        reblog_of_id: None,
        conversation_id: Id::from_i64(id),
        application_id: Some(Id::from_i64(9)),
        created_at: 1_700_000_000_000,
        edited_at: None,
        replies_count: 1,
        reblogs_count: 2,
        favourites_count: 3,
        local: true,
        mentions: vec![Id::from_i64(2)],
        media: vec![Id::from_i64(50)],
        tags: vec!["rust".into()],
    }
}

/// A post by alice (a moderator) mentioning a remote bob, with a picture and an app,
/// and bob's boost of it; alice has favourited and pinned her post.
fn page() -> (Vec<Arc<Status>>, Hydration) {
    let mut h = Hydration::default();
    h.accounts.insert(Id::from_i64(1), Arc::new((account(1, "alice", None), Some(Role::Moderator))));
    h.accounts.insert(Id::from_i64(2), Arc::new((account(2, "bob", Some("other.example")), None)));
    let mut media = MediaAttachment::new(Id::from_i64(50), Id::from_i64(1), MediaKind::Image, 1_700_000_000_000);
    media.file_key = Some("a/b.png".into());
    media.description = "a cat".into();
    h.media.insert(Id::from_i64(100), vec![media]);
    h.applications.insert(
        Id::from_i64(9),
        domain::Application {
            id: Id::from_i64(9),
            name: "Tusky".into(),
            website: Some("https://tusky.app".into()),
            redirect_uris: Vec::new(),
            scopes: domain::Scopes::parse("read").unwrap_or_default(),
            client_id: "c".into(),
            created_at: 0,
        },
    );
    let original = status(100, 1);
    let mut boost = status(200, 2);
    (boost.reblog_of_id, boost.content, boost.mentions, boost.media, boost.tags) =
        (Some(original.id), String::new(), Vec::new(), Vec::new(), Vec::new());
    h.flags.favourited.insert(original.id);
    h.flags.pinned.insert(original.id);
    let original = Arc::new(original);
    h.originals.insert(original.id, original.clone());
    (vec![original, Arc::new(boost)], h)
}

fn written(cache: &RenderCache, statuses: &[Arc<Status>], h: &Hydration, viewer: Option<Id>) -> Value {
    serde_json::from_str(&cache.write_page(&config(), statuses, h, viewer)).expect("valid JSON")
}

fn entities(statuses: &[Arc<Status>], h: &Hydration, viewer: Option<Id>) -> Value {
    serde_json::to_value(list(&config(), statuses, h, viewer)).expect("serialisable")
}

#[test]
fn pages_equal_the_entities_for_every_viewer_fresh_and_from_fragments() {
    let cache = RenderCache::default();
    let (statuses, h) = page();
    for viewer in [Some(Id::from_i64(1)), Some(Id::from_i64(2)), None] {
        for _ in 0..2 {
            assert_eq!(written(&cache, &statuses, &h, viewer), entities(&statuses, &h, viewer));
        }
    }
    let mut private = statuses.clone();
    Arc::make_mut(&mut private[0]).visibility = Visibility::Private;
    for viewer in [Some(Id::from_i64(1)), Some(Id::from_i64(2))] {
        assert_eq!(written(&cache, &private, &h, viewer), entities(&private, &h, viewer));
    }
    let shown = written(&cache, &statuses, &h, Some(Id::from_i64(1)));
    assert_eq!(shown[0]["pinned"], true);
    assert_eq!(shown[0]["favourited"], true);
    assert_eq!(shown[1]["reblog"]["favourited"], true);
    assert_eq!(shown[0]["media_attachments"][0]["description"], "a cat");
}

fn alice(h: &mut Hydration) -> &mut (domain::Account, Option<Role>) {
    Arc::make_mut(h.accounts.get_mut(&Id::from_i64(1)).expect("alice"))
}

#[test]
fn a_change_to_anything_a_fragment_was_made_from_is_shown() {
    let cache = RenderCache::default();
    let (mut statuses, mut h) = page();
    let viewer = Some(Id::from_i64(2));
    written(&cache, &statuses, &h, viewer);
    Arc::make_mut(&mut statuses[0]).favourites_count = 7;
    h.originals.insert(statuses[0].id, statuses[0].clone());
    alice(&mut h).0.display_name = "Alice Renamed".into();
    alice(&mut h).1 = Some(Role::Admin);
    h.media.get_mut(&statuses[0].id).expect("media")[0].description = "a dog".into();
    alice(&mut h).0.moderation.sensitized_at = Some(1);
    let shown = written(&cache, &statuses, &h, viewer);
    assert_eq!(shown, entities(&statuses, &h, viewer));
    assert_eq!(shown[0]["favourites_count"], 7);
    assert_eq!(shown[1]["reblog"]["favourites_count"], 7);
    assert_eq!(shown[0]["account"]["display_name"], "Alice Renamed");
    assert_eq!(shown[0]["media_attachments"][0]["description"], "a dog");
    assert_eq!(shown[0]["sensitive"], true);
}

#[test]
fn posts_of_unknown_authors_are_left_out() {
    let cache = RenderCache::default();
    let (statuses, mut h) = page();
    h.accounts.remove(&Id::from_i64(2));
    let shown = written(&cache, &statuses, &h, None);
    assert_eq!(shown.as_array().map(Vec::len), Some(1));
    assert_eq!(shown, entities(&statuses, &h, None));
}

#[test]
fn the_viewers_fields_are_all_the_shared_part_leaves_out() {
    let (statuses, h) = page();
    let entity = entities(&statuses, &h, Some(Id::from_i64(1)));
    let all: Vec<&String> = entity[0].as_object().expect("object").keys().collect();
    let cache = RenderCache::default();
    cache.write_page(&config(), &statuses, &h, None);
    let fragment = format!("{}}}", cache.status_fragment(&config(), &statuses[0], &h).json);
    let shared: Value = serde_json::from_str(&fragment).expect("valid JSON");
    for key in all {
        assert!(
            shared.get(key).is_some() != PER_VIEWER.contains(&key.as_str()),
            "`{key}` must be in exactly one of the shared fragment and the viewer's fields"
        );
    }
}
