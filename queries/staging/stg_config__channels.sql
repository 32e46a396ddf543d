-- The parameters of the two clue channels of civil explosives flows and camera events
-- ([explosives] and [video] of the configuration, dim_parameters) as one typed row: the weekly
-- ceiling per site of 炸药 (千克), 雷管 (发) and 导爆索 (米), the check deadlines in days.
-- materialized: table
-- not_null: explosives_near_m, explosives_check_days, video_night_start_hour, video_night_end_hour, video_closed_mine_m
-- not_null: video_repeat_days, video_repeat_count, video_check_days
SELECT
    max(num) FILTER (WHERE key = 'explosives_near_m')                              AS explosives_near_m,
    CAST(max(num) FILTER (WHERE key = 'explosives_check_days') AS INTEGER)         AS explosives_check_days,
    max(num) FILTER (WHERE key = 'explosives_ceiling_explosive')                   AS ceiling_explosive,
    max(num) FILTER (WHERE key = 'explosives_ceiling_detonator')                   AS ceiling_detonator,
    max(num) FILTER (WHERE key = 'explosives_ceiling_cord')                        AS ceiling_cord,
    CAST(max(num) FILTER (WHERE key = 'video_night_start_hour') AS INTEGER)        AS video_night_start_hour,
    CAST(max(num) FILTER (WHERE key = 'video_night_end_hour') AS INTEGER)          AS video_night_end_hour,
    max(num) FILTER (WHERE key = 'video_closed_mine_m')                            AS video_closed_mine_m,
    CAST(max(num) FILTER (WHERE key = 'video_repeat_days') AS INTEGER)             AS video_repeat_days,
    CAST(max(num) FILTER (WHERE key = 'video_repeat_count') AS INTEGER)            AS video_repeat_count,
    CAST(max(num) FILTER (WHERE key = 'video_check_days') AS INTEGER)              AS video_check_days
FROM dim_parameters
