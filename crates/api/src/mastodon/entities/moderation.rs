//! Mastodon's entities for server policy: the public DomainBlock, and the admin API's
//! Admin::DomainBlock and Admin::DomainAllow.

use app::moderation::domain_allows::DomainAllow;
use app::moderation::domain_blocks::domain_digest;
use domain::DomainBlock;
use serde::Serialize;

use crate::format::datetime;

/// A blocked domain as the server publishes it.
#[derive(Debug, Serialize)]
pub(crate) struct DomainBlockEntity {
    domain: String,
    digest: String,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

impl From<&DomainBlock> for DomainBlockEntity {
    fn from(b: &DomainBlock) -> Self {
        DomainBlockEntity {
            domain: b.public_domain(),
            digest: domain_digest(&b.domain),
            severity: b.severity.as_str(),
            comment: Some(b.public_comment.clone()).filter(|c| !c.is_empty()),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct AdminDomainBlockEntity {
    id: String,
    domain: String,
    digest: String,
    created_at: String,
    severity: &'static str,
    reject_media: bool,
    reject_reports: bool,
    private_comment: Option<String>,
    public_comment: Option<String>,
    obfuscate: bool,
}

impl From<&DomainBlock> for AdminDomainBlockEntity {
    fn from(b: &DomainBlock) -> Self {
        let text = |t: &str| Some(t.to_owned()).filter(|t| !t.is_empty());
        AdminDomainBlockEntity {
            id: b.id.to_string(),
            domain: b.domain.clone(),
            digest: domain_digest(&b.domain),
            created_at: datetime(b.created_at),
            severity: b.severity.as_str(),
            reject_media: b.reject_media,
            reject_reports: b.reject_reports,
            private_comment: text(&b.private_comment),
            public_comment: text(&b.public_comment),
            obfuscate: b.obfuscate,
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct AdminDomainAllowEntity {
    id: String,
    domain: String,
    created_at: String,
}

impl From<&DomainAllow> for AdminDomainAllowEntity {
    fn from(a: &DomainAllow) -> Self {
        AdminDomainAllowEntity { id: a.id.to_string(), domain: a.domain.clone(), created_at: datetime(a.created_at) }
    }
}

/// Mastodon's Admin::EmailDomainBlock; its history (sign-up attempts per day) is not
/// kept here, so it lists no days.
#[derive(Debug, Serialize)]
pub(crate) struct AdminEmailDomainBlockEntity {
    id: String,
    domain: String,
    created_at: String,
    history: [(); 0],
}

impl From<&app::moderation::email_domain_blocks::EmailDomainBlock> for AdminEmailDomainBlockEntity {
    fn from(b: &app::moderation::email_domain_blocks::EmailDomainBlock) -> Self {
        AdminEmailDomainBlockEntity {
            id: b.id.to_string(),
            domain: b.domain.clone(),
            created_at: datetime(b.created_at),
            history: [],
        }
    }
}
