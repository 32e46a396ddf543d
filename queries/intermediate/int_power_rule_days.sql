-- The days on which a power rule holds for a meter, as of each date: every meter as of the run's
-- as-of; for the earlier dates of the weekly series only the meters a field check dated on or before
-- that date visited (only checked alerts become violations). Only days ≤ the as-of count.
--   night_over_day: operating day X (X night_end_hour … X+1 night_end_hour) is flagged when night
--     kWh/h ≥ night_ratio × day kWh/h and night kWh ≥ night_min_kwh; it holds on a flagged day with
--     ≥ night_min_days flagged days among the night_window_days days ending on it or starting on it.
--     amount = the night's kWh.
--   surge: the window of day Y is Y−(surge_window_days−1) … Y; its baseline is the median daily kWh of
--     the surge_baseline_days before the window, all with readings; the window is high when its mean
--     daily kWh ≥ surge_ratio × baseline and ≥ baseline + surge_min_increase_kwh. Day X holds when it
--     lies in a high window whose baseline b has kWh(X) ≥ surge_ratio × b. amount = kWh(X) − b.
--   closed_mine: a meter of type 关闭矿井 uses more than closed_mine_min_kwh on the day. amount = kWh.
-- unique: as_of, meter_id, rule, day
-- not_null: as_of, meter_id, rule, day, amount
-- accepted_values: rule = night_over_day, surge, closed_mine
WITH p AS (
    SELECT * FROM stg_config__parameters
),
past AS (
    SELECT DISTINCT a.as_of, c.meter_id
    FROM int_as_of_dates a
    JOIN stg_power__checks c ON c.checked_on <= a.as_of
    WHERE NOT a.is_run
),
days AS (
    SELECT p.as_of, d.meter_id, d.day, d.kwh, d.day_part_kwh, d.night_early_kwh, d.night_late_kwh
    FROM int_power_meter_days d CROSS JOIN p
    UNION ALL
    SELECT s.as_of, d.meter_id, d.day, d.kwh, d.day_part_kwh, d.night_early_kwh, d.night_late_kwh
    FROM past s
    JOIN int_power_meter_days d ON d.meter_id = s.meter_id AND d.day <= s.as_of
),
op_days AS (
    SELECT as_of, meter_id, op_day, sum(day_kwh) AS day_kwh, sum(night_kwh) AS night_kwh
    FROM (
        SELECT as_of, meter_id, day AS op_day, day_part_kwh AS day_kwh, night_early_kwh AS night_kwh FROM days
        UNION ALL
        SELECT as_of, meter_id, day - 1, 0, night_late_kwh FROM days WHERE night_late_kwh IS NOT NULL
    )
    GROUP BY as_of, meter_id, op_day
),
flagged AS (
    SELECT o.*,
        CASE WHEN o.night_kwh * p.day_hours >= p.night_ratio * o.day_kwh * p.night_hours
                  AND o.night_kwh >= p.night_min_kwh THEN 1 ELSE 0 END AS flagged
    FROM op_days o CROSS JOIN p
),
night AS (
    SELECT as_of, meter_id, op_day, night_kwh, flagged,
        sum(flagged) OVER (PARTITION BY as_of, meter_id ORDER BY op_day
            RANGE BETWEEN (SELECT night_window_days - 1 FROM p) * INTERVAL 1 DAY PRECEDING AND CURRENT ROW) AS back,
        sum(flagged) OVER (PARTITION BY as_of, meter_id ORDER BY op_day
            RANGE BETWEEN CURRENT ROW AND (SELECT night_window_days - 1 FROM p) * INTERVAL 1 DAY FOLLOWING) AS fwd
    FROM flagged
),
windows AS (
    SELECT as_of, meter_id, day, kwh,
        avg(kwh) OVER (PARTITION BY as_of, meter_id ORDER BY day
            RANGE BETWEEN (SELECT surge_window_days - 1 FROM p) * INTERVAL 1 DAY PRECEDING AND CURRENT ROW) AS window_mean,
        median(kwh) OVER base AS baseline,
        count(*) OVER base AS baseline_days
    FROM days
    WINDOW base AS (PARTITION BY as_of, meter_id ORDER BY day
        RANGE BETWEEN (SELECT surge_window_days + surge_baseline_days - 1 FROM p) * INTERVAL 1 DAY PRECEDING
              AND (SELECT surge_window_days FROM p) * INTERVAL 1 DAY PRECEDING)
),
high AS (
    SELECT w.as_of, w.meter_id, w.day, w.kwh,
        CASE WHEN w.baseline_days = p.surge_baseline_days
                  AND w.window_mean >= p.surge_ratio * w.baseline
                  AND w.window_mean >= w.baseline + p.surge_min_increase_kwh
             THEN w.baseline END AS high_baseline
    FROM windows w CROSS JOIN p
),
surge AS (
    SELECT as_of, meter_id, day, kwh,
        -- the smallest baseline among the high windows holding this day (those ending on it or
        -- in the following surge_window_days − 1 days)
        min(high_baseline) OVER (PARTITION BY as_of, meter_id ORDER BY day
            RANGE BETWEEN CURRENT ROW AND (SELECT surge_window_days - 1 FROM p) * INTERVAL 1 DAY FOLLOWING) AS b
    FROM high
)
SELECT n.as_of, n.meter_id, 'night_over_day' AS rule, n.op_day AS day, n.night_kwh AS amount
FROM night n CROSS JOIN p
WHERE n.flagged = 1 AND (n.back >= p.night_min_days OR n.fwd >= p.night_min_days)
UNION ALL
SELECT s.as_of, s.meter_id, 'surge', s.day, s.kwh - s.b
FROM surge s CROSS JOIN p
WHERE s.b IS NOT NULL AND s.kwh >= p.surge_ratio * s.b
UNION ALL
SELECT d.as_of, d.meter_id, 'closed_mine', d.day, d.kwh
FROM days d
JOIN stg_power__meters m ON m.meter_id = d.meter_id AND m.customer_type = '关闭矿井'
CROSS JOIN p
WHERE d.kwh > p.closed_mine_min_kwh
