-- Server policy: how this server treats other servers (domain blocks with Mastodon's
-- severities; the allowlist that limited federation mode federates with), the rules
-- people agree to, and a log of every moderator action.

CREATE TABLE domain_blocks (
    id BIGINT PRIMARY KEY,
    -- Lower-cased; covers its subdomains too.
    domain TEXT NOT NULL,
    -- 'noop', 'silence' or 'suspend', as Mastodon names them.
    severity TEXT NOT NULL,
    reject_media BIGINT NOT NULL DEFAULT 0,
    reject_reports BIGINT NOT NULL DEFAULT 0,
    private_comment TEXT NOT NULL DEFAULT '',
    public_comment TEXT NOT NULL DEFAULT '',
    obfuscate BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX domain_blocks_domain_key ON domain_blocks (domain);

CREATE TABLE domain_allows (
    id BIGINT PRIMARY KEY,
    domain TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX domain_allows_domain_key ON domain_allows (domain);

-- Kept when removed (deleted_at), as Mastodon keeps them, so reports can still name them.
CREATE TABLE server_rules (
    id BIGINT PRIMARY KEY,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    hint TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);

-- Who did what: account_id is NULL for the operator's command line.
CREATE TABLE moderation_log (
    id BIGINT PRIMARY KEY,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX moderation_log_created ON moderation_log (created_at);
