-- Posts, who they mention and tag, follows, and each local account's home feed
-- (fan-out on write: a row per post per local reader, written when the post is).

CREATE TABLE statuses (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    uri TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    spoiler_text TEXT NOT NULL DEFAULT '',
    sensitive BIGINT NOT NULL DEFAULT 0,
    visibility TEXT NOT NULL,
    language TEXT,
    in_reply_to_id BIGINT,
    in_reply_to_account_id BIGINT,
    reblog_of_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
    application_id BIGINT,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    replies_count BIGINT NOT NULL DEFAULT 0,
    reblogs_count BIGINT NOT NULL DEFAULT 0,
    favourites_count BIGINT NOT NULL DEFAULT 0,
    local BIGINT NOT NULL
);

CREATE INDEX statuses_account_id_id ON statuses (account_id, id);
CREATE INDEX statuses_in_reply_to_id ON statuses (in_reply_to_id);
CREATE INDEX statuses_reblog_of_id ON statuses (reblog_of_id);
CREATE INDEX statuses_visibility_id ON statuses (visibility, id);

CREATE TABLE status_mentions (
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (status_id, account_id)
);

CREATE INDEX status_mentions_account_id ON status_mentions (account_id, status_id);

CREATE TABLE status_tags (
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (status_id, name)
);

CREATE INDEX status_tags_name ON status_tags (name, status_id);

CREATE TABLE follows (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    show_reblogs BIGINT NOT NULL DEFAULT 1,
    notify BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX follows_account_target_key ON follows (account_id, target_account_id);
CREATE INDEX follows_target_account_id ON follows (target_account_id, id);

CREATE TABLE home_feed (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    -- Whose post put it here (the author, or the booster), to remove on unfollow.
    via_account_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, status_id)
);

CREATE INDEX home_feed_status_id ON home_feed (status_id);

CREATE TABLE idempotency_keys (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    status_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, key)
);
