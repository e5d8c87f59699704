-- One boost per account and post, even under concurrent requests. Posts that are not
-- boosts have NULL here, and NULLs never collide.
CREATE UNIQUE INDEX statuses_account_reblog_key ON statuses (account_id, reblog_of_id);
