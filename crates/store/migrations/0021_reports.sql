-- Reports: a local user's report of an account (and some of its posts), or a Flag from
-- another server; moderators assign and resolve them. Reports forwarded to another
-- server are delivered as the instance actor, so deliveries may be signed by it.

CREATE TABLE reports (
    id BIGINT PRIMARY KEY,
    -- Who reported: a local account, or the remote actor whose Flag it was.
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Comma-separated ids.
    status_ids TEXT NOT NULL DEFAULT '',
    rule_ids TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    -- 'spam', 'legal', 'violation' or 'other'.
    category TEXT NOT NULL DEFAULT 'other',
    forwarded BIGINT NOT NULL DEFAULT 0,
    -- The Flag activity's id, received or sent.
    uri TEXT,
    assigned_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    action_taken_by_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    action_taken_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reports_target ON reports (target_account_id);
CREATE UNIQUE INDEX reports_uri_key ON reports (uri);

ALTER TABLE deliveries ADD COLUMN by_instance_actor BIGINT NOT NULL DEFAULT 0;
