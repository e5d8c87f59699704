-- Invite links: sign-ups through one are let in whatever the registration mode (but
-- closed), without waiting for approval, as long as it has uses left and has not expired.
CREATE TABLE invites (
    id BIGINT PRIMARY KEY,
    code TEXT NOT NULL,
    -- Who made it; NULL for the operator's command line.
    account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    -- NULL: no limit.
    max_uses BIGINT,
    uses BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX invites_code_key ON invites (code);
