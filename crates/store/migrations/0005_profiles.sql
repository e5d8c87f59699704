-- Profile fields, the profile's source text, posting defaults, uploaded images,
-- and follow requests for locked accounts.

ALTER TABLE accounts ADD COLUMN note_source TEXT NOT NULL DEFAULT '';
-- JSON array of {"name", "value", "value_html"}.
ALTER TABLE accounts ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE accounts ADD COLUMN hide_collections BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN indexable BIGINT NOT NULL DEFAULT 0;
-- Files under the data directory, kept until media processing serves them.
ALTER TABLE accounts ADD COLUMN avatar_file TEXT;
ALTER TABLE accounts ADD COLUMN header_file TEXT;

ALTER TABLE users ADD COLUMN default_visibility TEXT NOT NULL DEFAULT 'public';
ALTER TABLE users ADD COLUMN default_sensitive BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN default_language TEXT;

CREATE TABLE follow_requests (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX follow_requests_account_target_key ON follow_requests (account_id, target_account_id);
CREATE INDEX follow_requests_target_account_id ON follow_requests (target_account_id, id);
