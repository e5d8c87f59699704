-- Remote pictures are cached here under a random folder of their own, fixed when the
-- post arrives, so their addresses on this server stay the same whether the files
-- are cached, evicted or fetched again. Local uploads have none.

ALTER TABLE media_attachments ADD COLUMN cache_folder TEXT;
CREATE UNIQUE INDEX media_attachments_cache_folder ON media_attachments (cache_folder);
CREATE INDEX media_attachments_cached_lru ON media_attachments (last_used_at) WHERE cache_folder IS NOT NULL AND file_key IS NOT NULL;

-- Avatars and headers kept before media processing existed were stored as uploaded
-- (metadata included) under names of another shape; they are dropped, not served.
UPDATE accounts SET avatar_file = NULL WHERE avatar_file LIKE '%-%';
UPDATE accounts SET header_file = NULL WHERE header_file LIKE '%-%';
