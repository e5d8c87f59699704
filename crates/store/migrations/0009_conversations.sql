-- Threads: every post belongs to the conversation of the post it answers (its own for a
-- new thread). Direct-message conversations and muted threads hang off it.

ALTER TABLE statuses ADD COLUMN conversation_id BIGINT;
UPDATE statuses SET conversation_id = COALESCE(in_reply_to_id, id);
CREATE INDEX statuses_conversation_id ON statuses (conversation_id, id);

CREATE TABLE conversation_mutes (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    conversation_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, conversation_id)
);

-- Per reader: the last direct message read, and the last one hidden ("deleted").
CREATE TABLE conversation_reads (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    conversation_id BIGINT NOT NULL,
    last_read_id BIGINT NOT NULL DEFAULT 0,
    hidden_before_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, conversation_id)
);
