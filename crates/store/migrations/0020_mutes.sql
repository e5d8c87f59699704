-- What each person chose not to see: muted accounts (for a while or for good, with or
-- without their notifications) and whole domains they block.

CREATE TABLE mutes (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Whether their notifications are muted too.
    notifications BIGINT NOT NULL DEFAULT 1,
    -- NULL: until unmuted.
    expires_at BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (account_id, target_account_id)
);

CREATE TABLE account_domain_blocks (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (account_id, domain)
);
