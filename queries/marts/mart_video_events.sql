-- Camera events (视频监控) as of the run's as-of. reasons lists, comma-joined, why an event is a clue
-- (campaign label table video_reason):
--   night        its time lies in the night (video.night_start_hour … video.night_end_hour the next
--                morning; the start hour counts, the end hour does not)
--   closed_mine  within video.closed_mine_m metres of a closed mine (a meter of type 关闭矿井 known then)
--   repeated     its camera saw at least video.repeat_count events (this one included) within the
--                video.repeat_days days ending at its time
-- is_clue when reasons is not empty: a clue of channel 视频监控 that its township checks, due
-- video.check_days days after the later of the event's day and the day its first version arrived
-- (check_due_on); check_late when checked after that, or unchecked and the as-of is past it. The
-- check is the latest of int_clue_checks; once 属实 the event is a violation record
-- (int_violation_records) merged with the other channels.
-- unique: event_id
-- not_null: event_id, camera_id, township, seen_at, event_type, screenshot, is_clue
WITH p AS (
    SELECT p.as_of, c.* FROM stg_config__parameters p CROSS JOIN stg_config__channels c
),
events AS (
    SELECT e.* FROM stg_video__events e CROSS JOIN p WHERE known_at(e.known_from, e.known_until, p.as_of)
),
first_known AS (
    SELECT event_id, CAST(min(known_from) AS DATE) AS first_known_on FROM stg_video__events GROUP BY event_id
),
mines AS (
    SELECT m.meter_id, m.lon, m.lat FROM stg_power__meters m CROSS JOIN p
    WHERE m.customer_type = '关闭矿井' AND m.lon IS NOT NULL AND m.lat IS NOT NULL AND known_at(m.known_from, m.known_until, p.as_of)
),
near_mine AS (
    SELECT e.event_id, arg_min(m.meter_id, haversine_m(e.lon, e.lat, m.lon, m.lat)) AS mine_meter,
        min(haversine_m(e.lon, e.lat, m.lon, m.lat)) AS mine_m
    FROM events e CROSS JOIN p
    JOIN mines m ON abs(m.lat - e.lat) <= p.video_closed_mine_m * 1.1 / 111000
    WHERE haversine_m(e.lon, e.lat, m.lon, m.lat) <= p.video_closed_mine_m
    GROUP BY e.event_id
),
repeats AS (
    SELECT e.event_id, count(*) AS window_events
    FROM events e CROSS JOIN p
    JOIN events o ON o.camera_id = e.camera_id AND o.seen_at <= e.seen_at
        AND o.seen_at > e.seen_at - to_days(p.video_repeat_days)
    GROUP BY e.event_id
),
judged AS (
    SELECT e.*, nm.mine_meter, nm.mine_m, r.window_events,
        CASE WHEN p.video_night_start_hour > p.video_night_end_hour
             THEN hour(e.seen_at) >= p.video_night_start_hour OR hour(e.seen_at) < p.video_night_end_hour
             ELSE hour(e.seen_at) >= p.video_night_start_hour AND hour(e.seen_at) < p.video_night_end_hour END AS at_night,
        r.window_events >= p.video_repeat_count AS repeated
    FROM events e CROSS JOIN p
    LEFT JOIN near_mine nm ON nm.event_id = e.event_id
    JOIN repeats r ON r.event_id = e.event_id
),
reasoned AS (
    SELECT j.*, concat_ws(',',
            CASE WHEN j.at_night THEN 'night' END,
            CASE WHEN j.mine_m IS NOT NULL THEN 'closed_mine' END,
            CASE WHEN j.repeated THEN 'repeated' END) AS reasons
    FROM judged j
)
SELECT r.event_id, r.camera_id, r.township, r.village, r.lon, r.lat, r.seen_at, r.seen_on, r.event_type, r.screenshot,
    r.screenshot_sha256, r.note, r.category, r.mine_meter AS closed_mine_meter, round(r.mine_m, 1) AS closed_mine_m,
    r.window_events, r.reasons, r.reasons <> '' AS is_clue,
    k.result AS check_result, k.checked_on,
    CAST(greatest(r.seen_on, fk.first_known_on) + p.video_check_days AS DATE) AS check_due_on,
    coalesce(k.checked_on, p.as_of) > greatest(r.seen_on, fk.first_known_on) + p.video_check_days AS check_late
FROM reasoned r
CROSS JOIN p
JOIN first_known fk ON fk.event_id = r.event_id
LEFT JOIN int_clue_checks k ON k.as_of = p.as_of AND k.channel = '视频监控' AND k.item_id = r.event_id
ORDER BY r.reasons = '', r.seen_at, r.event_id
