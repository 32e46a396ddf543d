-- The run's as-of date (run_parameters, written by queries.Run) and every campaign parameter
-- (dim_parameters, filled from the configuration) as one typed row.
-- materialized: table
-- unique: as_of
-- not_null: as_of, run_id, data_from, village_list_due, detection_deadline, patrol_from, rectification_end, patrols_per_week, match_radius_m, late_item_days
-- not_null: red_missed_rate, red_new_after, red_rectification_rate, yellow_patrol_compliance
-- not_null: night_start_hour, night_end_hour, night_ratio, night_min_kwh, night_min_days, night_window_days
-- not_null: surge_ratio, surge_window_days, surge_baseline_days, surge_min_increase_kwh, closed_mine_min_kwh, silent_days, power_default_category, price_due_workdays
WITH p AS (
    SELECT
        max(day) FILTER (WHERE key = 'data_from')                AS data_from,
        max(day) FILTER (WHERE key = 'campaign_start')           AS campaign_start,
        max(day) FILTER (WHERE key = 'campaign_end')             AS campaign_end,
        max(day) FILTER (WHERE key = 'village_list_due')         AS village_list_due,
        max(day) FILTER (WHERE key = 'detection_deadline')       AS detection_deadline,
        max(day) FILTER (WHERE key = 'patrol_from')              AS patrol_from,
        max(day) FILTER (WHERE key = 'rectification_end')        AS rectification_end,
        max(day) FILTER (WHERE key = 'lookback_end')             AS lookback_end,
        CAST(max(num) FILTER (WHERE key = 'patrols_per_week') AS INTEGER)    AS patrols_per_week,
        max(num) FILTER (WHERE key = 'match_radius_m')           AS match_radius_m,
        CAST(max(num) FILTER (WHERE key = 'late_item_days') AS INTEGER)      AS late_item_days,
        max(num) FILTER (WHERE key = 'red_missed_rate')          AS red_missed_rate,
        max(num) FILTER (WHERE key = 'red_new_after')            AS red_new_after,
        max(num) FILTER (WHERE key = 'red_rectification_rate')   AS red_rectification_rate,
        max(num) FILTER (WHERE key = 'yellow_patrol_compliance') AS yellow_patrol_compliance,
        CAST(max(num) FILTER (WHERE key = 'night_start_hour') AS INTEGER)    AS night_start_hour,
        CAST(max(num) FILTER (WHERE key = 'night_end_hour') AS INTEGER)      AS night_end_hour,
        max(num) FILTER (WHERE key = 'night_ratio')              AS night_ratio,
        max(num) FILTER (WHERE key = 'night_min_kwh')            AS night_min_kwh,
        CAST(max(num) FILTER (WHERE key = 'night_min_days') AS INTEGER)      AS night_min_days,
        CAST(max(num) FILTER (WHERE key = 'night_window_days') AS INTEGER)   AS night_window_days,
        max(num) FILTER (WHERE key = 'surge_ratio')              AS surge_ratio,
        CAST(max(num) FILTER (WHERE key = 'surge_window_days') AS INTEGER)   AS surge_window_days,
        CAST(max(num) FILTER (WHERE key = 'surge_baseline_days') AS INTEGER) AS surge_baseline_days,
        max(num) FILTER (WHERE key = 'surge_min_increase_kwh')   AS surge_min_increase_kwh,
        max(num) FILTER (WHERE key = 'closed_mine_min_kwh')      AS closed_mine_min_kwh,
        CAST(max(num) FILTER (WHERE key = 'silent_days') AS INTEGER)         AS silent_days,
        max(text) FILTER (WHERE key = 'power_default_category')  AS power_default_category,
        CAST(max(num) FILTER (WHERE key = 'price_due_workdays') AS INTEGER)  AS price_due_workdays,
        -- the power company's field-check deadline in days (power.check_days; a warehouse configured
        -- before the key existed reads the default, 3)
        coalesce(CAST(max(num) FILTER (WHERE key = 'power_check_days') AS INTEGER), 3) AS power_check_days,
        -- the acceptance of rectified items (acceptance.due_workdays, acceptance.all_items; a
        -- warehouse configured before the keys existed reads the defaults, 10 and false)
        coalesce(CAST(max(num) FILTER (WHERE key = 'acceptance_due_workdays') AS INTEGER), 10) AS acceptance_due_workdays,
        coalesce(max(num) FILTER (WHERE key = 'acceptance_all_items') = 1, false) AS acceptance_all_items,
        -- the reward fund (rewards.budget_yuan; NULL when not configured)
        CASE WHEN max(num) FILTER (WHERE key = 'reward_budget_yuan') > 0 THEN CAST(round(max(num) FILTER (WHERE key = 'reward_budget_yuan'), 2) AS DOUBLE) END AS reward_budget_yuan
    FROM dim_parameters
)
SELECT
    r.as_of,
    r.run_id,
    p.*,
    -- hours in the night (night_start_hour … night_end_hour the next morning) and in the day part
    24 - p.night_start_hour + p.night_end_hour AS night_hours,
    p.night_start_hour - p.night_end_hour      AS day_hours,
    -- an alert is a run of holding days fewer than this many days apart (README: fixed at a week;
    -- the configuration has no key for it)
    7                                          AS alert_gap_days
FROM run_parameters r CROSS JOIN p
