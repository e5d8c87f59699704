-- OAuth apps, authorization codes, access tokens and web sign-in sessions.
-- Secrets are stored only as SHA-256 hex digests.

CREATE TABLE oauth_applications (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    website TEXT,
    -- One URI per line.
    redirect_uris TEXT NOT NULL,
    -- Space-separated.
    scopes TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX oauth_applications_client_id_key ON oauth_applications (client_id);

CREATE TABLE oauth_authorization_codes (
    code_sha256 TEXT PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT,
    expires_at BIGINT NOT NULL
);

CREATE TABLE oauth_access_tokens (
    id BIGINT PRIMARY KEY,
    token_sha256 TEXT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
    -- NULL for client-credentials tokens, which act for the app alone.
    account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE UNIQUE INDEX oauth_access_tokens_token_key ON oauth_access_tokens (token_sha256);
CREATE INDEX oauth_access_tokens_account_id ON oauth_access_tokens (account_id);

CREATE TABLE web_sessions (
    id_sha256 TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX web_sessions_account_id ON web_sessions (account_id);
