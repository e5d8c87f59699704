-- Video, audio and animated GIFs uploaded through /api/v2/media are converted after
-- the answer: NULL when ready, 'pending' while the upload waits (its bytes kept under
-- `upload_key` until then, so a restart resumes it), else why it failed.

ALTER TABLE media_attachments ADD COLUMN processing TEXT;
ALTER TABLE media_attachments ADD COLUMN upload_key TEXT;
CREATE INDEX media_attachments_pending ON media_attachments (id) WHERE processing = 'pending';
