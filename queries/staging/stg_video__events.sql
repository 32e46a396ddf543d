-- Camera events (视频监控, kind video): every version of every event, with its screenshot's name and
-- fingerprint (raw_video_screenshots: the bytes sanitised at load). A later file's row is the
-- event's version from its arrival on. category: the violation category a keyword of which
-- (dim_category_keywords, lowest priority first) occurs in the note (说明), else none.
-- unique: event_id, batch_id
-- not_null: event_id, camera_id, township, lon, lat, seen_at, event_type, screenshot, known_from
-- accepted_values: event_type = 夜间作业, 车辆进出, 机械作业, 其他
-- in_run: table
SELECT e.event_id, e.camera_id, e.township, e.village, e.lon, e.lat, e.seen_at, CAST(e.seen_at AS DATE) AS seen_on,
    e.event_type, e.screenshot, s.sha256 AS screenshot_sha256, e.note,
    (SELECT first(k.code ORDER BY k.priority, k.code) FROM dim_category_keywords k
     WHERE contains(coalesce(e.note, ''), k.keyword)) AS category,
    e.batch_id, e.source_row, b.known_from,
    least(b.known_until, lead(b.known_from) OVER (PARTITION BY e.event_id ORDER BY b.known_from, e.batch_id, e.source_row)) AS known_until
FROM raw_video_events e
JOIN stg_etl__batches b ON b.batch_id = e.batch_id
LEFT JOIN raw_video_screenshots s ON s.batch_id = e.batch_id AND s.event_id = e.event_id
