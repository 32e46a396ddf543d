-- The screenshot of every version of every camera event, as the loader kept it: read from beside
-- the event list and stripped of its metadata (internal/sanitize); the portal serves these bytes.
-- unique: event_id, batch_id
-- not_null: event_id, batch_id, name, mime, sha256, data
SELECT s.event_id, s.batch_id, s.name, s.mime, s.sha256, s.data
FROM raw_video_screenshots s
