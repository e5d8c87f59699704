-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Ids and times are BIGINT
-- (ids are Mastodon-style, times are Unix milliseconds); flags are BIGINT 0/1.

CREATE TABLE accounts (
    id BIGINT PRIMARY KEY,
    username TEXT NOT NULL,
    -- '' for local accounts, so the unique index below covers them (NULLs never collide).
    domain TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    locked BIGINT NOT NULL DEFAULT 0,
    bot BIGINT NOT NULL DEFAULT 0,
    discoverable BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    followers_count BIGINT NOT NULL DEFAULT 0,
    following_count BIGINT NOT NULL DEFAULT 0,
    statuses_count BIGINT NOT NULL DEFAULT 0,
    last_status_at BIGINT,
    public_key_pem TEXT NOT NULL,
    -- Only local accounts have one.
    private_key_pem TEXT
);

CREATE UNIQUE INDEX accounts_username_domain_key ON accounts (lower(username), domain);

CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'user',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_active_at BIGINT
);

CREATE UNIQUE INDEX users_account_id_key ON users (account_id);
CREATE UNIQUE INDEX users_email_key ON users (email);
