-- Federation: where remote actors live and their keys, the remote addresses of posts,
-- the ids of Follow activities, received activities waiting to be processed, the
-- delivery queue with per-host health, and the instance actor's keys.

ALTER TABLE accounts ADD COLUMN uri TEXT;
ALTER TABLE accounts ADD COLUMN url TEXT;
ALTER TABLE accounts ADD COLUMN inbox_url TEXT;
ALTER TABLE accounts ADD COLUMN shared_inbox_url TEXT;
ALTER TABLE accounts ADD COLUMN followers_url TEXT;
ALTER TABLE accounts ADD COLUMN key_id TEXT;
ALTER TABLE accounts ADD COLUMN fetched_at BIGINT;
CREATE UNIQUE INDEX accounts_uri_key ON accounts (uri);
CREATE INDEX accounts_key_id ON accounts (key_id);

ALTER TABLE statuses ADD COLUMN url TEXT;
CREATE UNIQUE INDEX statuses_uri_key ON statuses (uri);

ALTER TABLE follows ADD COLUMN uri TEXT;
ALTER TABLE follow_requests ADD COLUMN uri TEXT;

-- Accepted before processing, so an answered activity survives a crash; kept after
-- processing to drop repeats of the same activity id.
CREATE TABLE inbox_activities (
    id BIGINT PRIMARY KEY,
    activity_id TEXT NOT NULL,
    actor_uri TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    done_at BIGINT,
    last_error TEXT
);
CREATE UNIQUE INDEX inbox_activities_activity_id_key ON inbox_activities (activity_id);
CREATE INDEX inbox_activities_due ON inbox_activities (done_at, next_attempt_at);

-- One row per activity per inbox until it is delivered or given up.
CREATE TABLE deliveries (
    id BIGINT PRIMARY KEY,
    inbox_url TEXT NOT NULL,
    host TEXT NOT NULL,
    signer_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id);

CREATE TABLE delivery_hosts (
    host TEXT PRIMARY KEY,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    paused_until BIGINT NOT NULL DEFAULT 0,
    -- Distinct days (Unix day numbers) with failures since the last success.
    failure_days BIGINT NOT NULL DEFAULT 0,
    last_failure_day BIGINT NOT NULL DEFAULT 0,
    unavailable BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE instance_actor (
    id BIGINT PRIMARY KEY,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
