-- The check that counts for each clue of channels 民爆流向 and 视频监控 as of each date: of the
-- checks dated on or before the date and entered by its end, the latest by check date (then by
-- entry).
-- unique: as_of, channel, item_id
-- not_null: as_of, channel, item_id, result, checked_on
SELECT a.as_of, c.channel, c.item_id,
    arg_max(c.result, (c.checked_on, c.known_from)) AS result,
    max(c.checked_on) AS checked_on
FROM int_as_of_dates a
JOIN stg_channel__checks c ON c.checked_on <= a.as_of AND known_at(c.known_from, c.known_until, a.as_of)
GROUP BY a.as_of, c.channel, c.item_id
