-- What moderators did to an account, and when: suspended (gone from the network; a
-- local one cannot sign in), silenced ("limited": off public timelines), sensitized
-- (its media always behind a warning), disabled (a local one cannot sign in).
ALTER TABLE accounts ADD COLUMN suspended_at BIGINT;
ALTER TABLE accounts ADD COLUMN silenced_at BIGINT;
ALTER TABLE accounts ADD COLUMN sensitized_at BIGINT;
ALTER TABLE accounts ADD COLUMN disabled_at BIGINT;
