-- Sign-ups that wait for a moderator (registrations in approval mode).
ALTER TABLE users ADD COLUMN approved BIGINT NOT NULL DEFAULT 1;
-- Why they want to join, shown to moderators.
ALTER TABLE users ADD COLUMN reason TEXT;
