//! Mastodon's Relationship entity.

use domain::Id;
use serde::Serialize;
use store::Relationship;

#[derive(Debug, Serialize)]
pub(crate) struct RelationshipEntity {
    id: String,
    following: bool,
    showing_reblogs: bool,
    notifying: bool,
    languages: Option<Vec<String>>,
    followed_by: bool,
    blocking: bool,
    blocked_by: bool,
    muting: bool,
    muting_notifications: bool,
    requested: bool,
    requested_by: bool,
    domain_blocking: bool,
    endorsed: bool,
    note: String,
}

impl RelationshipEntity {
    pub(crate) fn new(id: Id, r: Relationship) -> Self {
        RelationshipEntity {
            id: id.to_string(),
            following: r.following,
            showing_reblogs: r.following,
            notifying: false,
            languages: None,
            followed_by: r.followed_by,
            blocking: r.blocking,
            blocked_by: r.blocked_by,
            muting: r.muting,
            muting_notifications: r.muting_notifications,
            requested: r.requested,
            requested_by: r.requested_by,
            domain_blocking: r.domain_blocking,
            endorsed: false,
            note: r.note,
        }
    }
}
