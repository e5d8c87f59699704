-- Favourites, bookmarks and notifications. Boosts are statuses with reblog_of_id.

CREATE TABLE favourites (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX favourites_account_status_key ON favourites (account_id, status_id);
CREATE INDEX favourites_status_id ON favourites (status_id, id);

CREATE TABLE bookmarks (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX bookmarks_account_status_key ON bookmarks (account_id, status_id);

CREATE TABLE notifications (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    from_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    status_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE INDEX notifications_account_id_id ON notifications (account_id, id);

CREATE TABLE markers (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    timeline TEXT NOT NULL,
    last_read_id BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, timeline)
);
