//! Mastodon's Notification entity.

use app::Config;
use app::statuses::Hydration;
use domain::Id;
use serde::Serialize;
use store::Notification;

use super::account::AccountEntity;
use super::status::StatusEntity;
use crate::format;

#[derive(Debug, Serialize)]
pub(crate) struct NotificationEntity {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) group_key: String,
    pub(crate) created_at: String,
    pub(crate) account: AccountEntity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<StatusEntity>,
}

impl NotificationEntity {
    /// `None` when the account or post it is about is gone.
    pub(crate) fn new(config: &Config, n: &Notification, h: &Hydration, reader: Id) -> Option<Self> {
        let (from, role) = &**h.accounts.get(&n.from_account_id)?;
        let status = match n.status_id {
            Some(id) => Some(StatusEntity::new(config, h.originals.get(&id)?, h, Some(reader))?),
            None => None,
        };
        Some(NotificationEntity {
            id: n.id.to_string(),
            kind: n.kind.clone(),
            group_key: app::notifications::group_key(n),
            created_at: format::datetime(n.created_at),
            account: AccountEntity::new(config, from, *role),
            status,
        })
    }
}
