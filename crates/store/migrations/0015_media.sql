-- Media attachments: uploads of local accounts and the files of remote posts. The
-- files are in the media storage under keys nobody can guess; a row says what a file
-- is and which post shows it. Focus coordinates are thousandths (-1000 to 1000).

CREATE TABLE media_attachments (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
    position BIGINT NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    content_type TEXT NOT NULL,
    file_key TEXT,
    preview_key TEXT,
    file_bytes BIGINT NOT NULL DEFAULT 0,
    width BIGINT,
    height BIGINT,
    preview_width BIGINT,
    preview_height BIGINT,
    description TEXT NOT NULL DEFAULT '',
    focus_x BIGINT NOT NULL DEFAULT 0,
    focus_y BIGINT NOT NULL DEFAULT 0,
    blurhash TEXT,
    remote_url TEXT,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);

CREATE INDEX media_attachments_status_id ON media_attachments (status_id, position);
CREATE INDEX media_attachments_account_id ON media_attachments (account_id, id);
