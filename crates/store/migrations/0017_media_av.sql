-- Video and audio: how long an attachment plays and, for video, its frame rate as
-- ffprobe gives it ("30000/1001").

ALTER TABLE media_attachments ADD COLUMN duration_ms BIGINT;
ALTER TABLE media_attachments ADD COLUMN frame_rate TEXT;
