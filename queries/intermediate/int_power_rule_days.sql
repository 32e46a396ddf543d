-- The days on which a power rule holds for a meter, as of each date: every meter as of the run's
-- as-of; for the earlier dates of the weekly series only the meters a field check dated on or before
-- that date visited (only checked alerts become violations). Only days ≤ the as-of count, and only
-- readings, checks and meter versions whose files had arrived by the end of the date.
--   night_over_day: operating day X (X night_end_hour … X+1 night_end_hour) is flagged when night
--     kWh/h ≥ night_ratio × day kWh/h and night kWh ≥ night_min_kwh; it holds on a flagged day with
--     ≥ night_min_days flagged days in some window of night_window_days consecutive days holding it.
--     amount = the night's kWh.
--   surge: the window of day Y is Y−(surge_window_days−1) … Y; its baseline is the median daily kWh of
--     the surge_baseline_days before the window, all with readings; the window is high when its mean
--     daily kWh ≥ surge_ratio × baseline and ≥ baseline + surge_min_increase_kwh. Day X holds when
--     kWh(X) ≥ surge_ratio × the baseline of X's own window and X lies in some high window (one
--     ending on X … X + surge_window_days − 1). amount = kWh(X) − X's baseline.
--   closed_mine: a meter of type 关闭矿井 uses more than closed_mine_min_kwh on the day. amount = kWh.
-- night_ratio, night_min_kwh, surge_ratio and surge_min_increase_kwh are those of the meter's customer
-- type as known on the date (stg_config__customer_types: a configured type such as 非煤矿山 has its
-- own; the others take the [power] ones).
--   supply_after_cutoff: the power company confirmed supply to the meter ended on day C (终止供电,
--     stg_power__cutoffs: the latest confirmation known by the end of the date, dated ≤ it; of
--     confirmations entered at the same moment, the latest day); any consumption on a day after C
--     holds (C itself does not: supply may end during it). amount = kWh.
-- The earlier dates, once per input (CTE past_inputs): every rule works on one meter and date at a
-- time and reads an earlier date A only through what is known for meter M on A, so two dates with
-- the same input have the same rule days for M. They are evaluated for the input's earliest date
-- only, and its rows given to every date with that input (once readings come in monthly files, many
-- Sundays share one); the run's date is evaluated on its own, for every meter. The input of (A, M):
--   the readings: M's meter-days from the batches that had arrived by the end of A, days ≤ A. Those
--     batches of M are the ones up to the latest arrival among them (known_to); with the same
--     batches, the days ≤ A are the same when least(A, M's last day in them) (last_day) is;
--   the customer type of M's version known on A (stg_power__meters), which decides the thresholds
--     and closed_mine (a version ends when the next arrives, so at most one is known on a date; were
--     there more, the date would be an input of its own);
--   the cut-off in effect on A (cutoff_on, read as supply_after_cutoff reads it);
--   the run's parameters, the same for every date.
-- reuse: unchanged
-- threads: all
-- unique: as_of, meter_id, rule, day
-- not_null: as_of, meter_id, rule, day, amount
-- accepted_values: rule = night_over_day, surge, closed_mine, supply_after_cutoff
WITH p AS (
    SELECT * FROM stg_config__parameters
),
thresholds AS (
    -- meters of a configured customer type, as known on each date, with that type's thresholds
    SELECT a.as_of, m.meter_id, t.night_ratio, t.night_min_kwh, t.surge_ratio, t.surge_min_increase_kwh
    FROM int_as_of_dates a
    JOIN stg_power__meters m ON known_at(m.known_from, m.known_until, a.as_of)
    JOIN stg_config__customer_types t ON t.customer_type = m.customer_type AND NOT t.builtin
),
past AS (
    SELECT DISTINCT a.as_of, c.meter_id
    FROM int_as_of_dates a
    JOIN stg_power__checks c ON c.checked_on <= a.as_of AND known_at(c.known_from, c.known_until, a.as_of)
    WHERE NOT a.is_run
),
checked_days AS (
    -- the checked meters' meter-days by batch, with the batch's arrival
    SELECT d.meter_id, d.day, b.known_from, d.kwh, d.day_part_kwh, d.night_early_kwh, d.night_late_kwh
    FROM agg_power_meter_days d
    JOIN stg_etl__batches b ON b.batch_id = d.batch_id
    WHERE d.meter_id IN (SELECT meter_id FROM past)
),
past_batches AS (
    -- each checked meter's readings batches by arrival, with the meter's last day in them
    SELECT meter_id, known_from, max(day) AS last_day
    FROM checked_days
    GROUP BY meter_id, known_from
),
past_readings AS (
    -- known_to, last_day: NULL for a meter none of whose batches had arrived (no readings)
    SELECT s.as_of, s.meter_id, max(pb.known_from) AS known_to,
        CASE WHEN max(pb.last_day) > s.as_of THEN s.as_of ELSE max(pb.last_day) END AS last_day
    FROM past s
    LEFT JOIN past_batches pb ON pb.meter_id = s.meter_id AND pb.known_from < CAST(s.as_of AS TIMESTAMP) + INTERVAL 1 DAY
    GROUP BY s.as_of, s.meter_id
),
past_versions AS (
    SELECT s.as_of, s.meter_id, count(*) AS versions, min(m.customer_type) AS customer_type
    FROM past s
    JOIN stg_power__meters m ON m.meter_id = s.meter_id AND known_at(m.known_from, m.known_until, s.as_of)
    GROUP BY s.as_of, s.meter_id
),
past_cutoffs AS (
    SELECT s.as_of, s.meter_id, arg_max(c.cutoff_on, (c.known_from, c.cutoff_on)) AS cutoff_on
    FROM past s
    JOIN stg_power__cutoffs c ON c.meter_id = s.meter_id AND c.kind = 'done' AND c.cutoff_on <= s.as_of
        AND known_at(c.known_from, c.known_until, s.as_of)
    GROUP BY s.as_of, s.meter_id
),
past_inputs AS (
    -- each earlier date and checked meter with the earliest date of the same meter and input (rep)
    SELECT r.as_of, r.meter_id,
        min(r.as_of) OVER (PARTITION BY r.meter_id, r.known_to, r.last_day,
            CASE WHEN v.versions = 1 THEN v.customer_type END, CASE WHEN v.versions > 1 THEN r.as_of END,
            c.cutoff_on) AS rep
    FROM past_readings r
    LEFT JOIN past_versions v ON v.as_of = r.as_of AND v.meter_id = r.meter_id
    LEFT JOIN past_cutoffs c ON c.as_of = r.as_of AND c.meter_id = r.meter_id
),
days AS (
    -- a day's readings as known on the date: of the files that had arrived by its end. They are added
    -- up here from the batches' meter-days (agg_power_meter_days, kept since each batch loaded), as
    -- int_power_meter_days adds them up by arrival: the same sums, read from a table the run did not
    -- just write (DuckDB plans a query over a table written earlier in the same transaction as if
    -- it were empty, and built its joins the wrong way round: 0.2–0.3 s more on `county`)
    SELECT p.as_of, d.meter_id, d.day, sum(d.kwh) AS kwh, sum(d.day_part_kwh) AS day_part_kwh,
        sum(d.night_early_kwh) AS night_early_kwh, sum(d.night_late_kwh) AS night_late_kwh
    FROM agg_power_meter_days d
    JOIN stg_etl__batches b ON b.batch_id = d.batch_id
    CROSS JOIN p
    WHERE d.day <= p.as_of AND b.known_from < CAST(p.as_of AS TIMESTAMP) + INTERVAL 1 DAY
    GROUP BY p.as_of, d.meter_id, d.day
    UNION ALL
    -- the earlier dates: only the first date of each input (past_inputs), given to the others at the end
    SELECT s.as_of, d.meter_id, d.day, sum(d.kwh), sum(d.day_part_kwh), sum(d.night_early_kwh), sum(d.night_late_kwh)
    FROM past_inputs s
    JOIN checked_days d ON d.meter_id = s.meter_id AND d.day <= s.as_of
        AND d.known_from < CAST(s.as_of AS TIMESTAMP) + INTERVAL 1 DAY
    WHERE s.as_of = s.rep
    GROUP BY s.as_of, d.meter_id, d.day
),
-- Each rule below is evaluated only for the meters that can meet it. What decides that is read in one
-- pass over the days (a meter's largest and smallest values and its number of days as of each date)
-- and joined to the meter's thresholds once per meter and date, not once per day.
meter_stats AS (
    SELECT s.*, th.night_min_kwh AS th_night_min_kwh, th.surge_ratio AS th_surge_ratio,
        th.surge_min_increase_kwh AS th_surge_min_increase_kwh
    FROM (
        SELECT as_of, meter_id, max(night_early_kwh) AS max_early, max(night_late_kwh) AS max_late,
            max(kwh) AS max_kwh, min(kwh) AS min_kwh, count(*) AS n
        FROM days
        GROUP BY as_of, meter_id
    ) s
    LEFT JOIN thresholds th ON th.as_of = s.as_of AND th.meter_id = s.meter_id
),
-- night_over_day. A night reaches night_min_kwh only on a meter whose largest evening and largest
-- early morning add up to it; the other meters (most of them) are skipped before any window.
night_meters AS (
    SELECT s.as_of, s.meter_id
    FROM meter_stats s CROSS JOIN p
    WHERE s.max_early + coalesce(s.max_late, 0) >= coalesce(s.th_night_min_kwh, p.night_min_kwh)
),
night_days AS (
    SELECT d.*,
        lead(d.day) OVER w AS next_day,
        lead(d.night_late_kwh) OVER w AS next_late,
        lag(d.day) OVER w AS prev_day
    FROM days d
    JOIN night_meters m ON m.as_of = d.as_of AND m.meter_id = d.meter_id
    WINDOW w AS (PARTITION BY d.as_of, d.meter_id ORDER BY d.day)
),
op_days AS (
    -- operating day X: X's day part, X's evening and X+1's early morning
    SELECT as_of, meter_id, day AS op_day, day_part_kwh AS day_kwh,
        night_early_kwh + CASE WHEN next_day = day + 1 THEN coalesce(next_late, 0) ELSE 0 END AS night_kwh
    FROM night_days
    UNION ALL
    -- the operating day before a day with readings whose previous day has none: its early morning only
    SELECT as_of, meter_id, day - 1, 0, night_late_kwh
    FROM night_days
    WHERE night_late_kwh IS NOT NULL AND (prev_day IS NULL OR prev_day <> day - 1)
),
flagged AS (
    SELECT o.as_of, o.meter_id, o.op_day, o.night_kwh,
        CASE WHEN o.night_kwh * p.day_hours >= coalesce(th.night_ratio, p.night_ratio) * o.day_kwh * p.night_hours
                  AND o.night_kwh >= coalesce(th.night_min_kwh, p.night_min_kwh) THEN 1 ELSE 0 END AS flagged
    FROM op_days o CROSS JOIN p
    LEFT JOIN thresholds th ON th.as_of = o.as_of AND th.meter_id = o.meter_id
),
flagged_meters AS (
    SELECT as_of, meter_id
    FROM flagged
    GROUP BY as_of, meter_id
    HAVING sum(flagged) >= (SELECT night_min_days FROM p)
),
windows7 AS (
    -- flagged days in the night_window_days days starting on each operating day
    SELECT f.*,
        sum(f.flagged) OVER (PARTITION BY f.as_of, f.meter_id ORDER BY f.op_day
            RANGE BETWEEN CURRENT ROW AND (SELECT night_window_days - 1 FROM p) * INTERVAL 1 DAY FOLLOWING) AS in_window
    FROM flagged f
    JOIN flagged_meters m ON m.as_of = f.as_of AND m.meter_id = f.meter_id
),
night AS (
    -- a flagged day holds when a window starting on it or in the days before it (and so holding
    -- it) has night_min_days flagged days; windows starting on a day without readings hold no more
    -- flagged days than the one starting on the next day with readings
    SELECT w.as_of, w.meter_id, w.op_day, w.night_kwh, w.flagged,
        max(CASE WHEN w.in_window >= p.night_min_days THEN 1 ELSE 0 END) OVER (PARTITION BY w.as_of, w.meter_id ORDER BY w.op_day
            RANGE BETWEEN (SELECT night_window_days - 1 FROM p) * INTERVAL 1 DAY PRECEDING AND CURRENT ROW) AS in_good_window
    FROM windows7 w CROSS JOIN p
),
-- surge. A high window has mean ≥ surge_ratio × its baseline median and ≥ the median +
-- surge_min_increase_kwh, so its meter's highest day is ≥ surge_ratio × and ≥ surge_min_increase_kwh
-- above its lowest day: only those meters need the (costly) moving median.
surge_meters AS (
    SELECT s.as_of, s.meter_id
    FROM meter_stats s CROSS JOIN p
    WHERE s.max_kwh >= coalesce(s.th_surge_ratio, p.surge_ratio) * s.min_kwh
       AND s.max_kwh >= s.min_kwh + coalesce(s.th_surge_min_increase_kwh, p.surge_min_increase_kwh)
       AND s.n > p.surge_baseline_days
),
windows AS (
    SELECT d.as_of, d.meter_id, d.day, d.kwh,
        avg(d.kwh) OVER (PARTITION BY d.as_of, d.meter_id ORDER BY d.day
            RANGE BETWEEN (SELECT surge_window_days - 1 FROM p) * INTERVAL 1 DAY PRECEDING AND CURRENT ROW) AS window_mean,
        median(d.kwh) OVER base AS baseline,
        count(*) OVER base AS baseline_days
    FROM days d
    JOIN surge_meters m ON m.as_of = d.as_of AND m.meter_id = d.meter_id
    WINDOW base AS (PARTITION BY d.as_of, d.meter_id ORDER BY d.day
        RANGE BETWEEN (SELECT surge_window_days + surge_baseline_days - 1 FROM p) * INTERVAL 1 DAY PRECEDING
              AND (SELECT surge_window_days FROM p) * INTERVAL 1 DAY PRECEDING)
),
high AS (
    SELECT w.as_of, w.meter_id, w.day, w.kwh,
        CASE WHEN w.baseline_days = p.surge_baseline_days THEN w.baseline END AS baseline,
        CASE WHEN w.baseline_days = p.surge_baseline_days
                  AND w.window_mean >= coalesce(th.surge_ratio, p.surge_ratio) * w.baseline
                  AND w.window_mean >= w.baseline + coalesce(th.surge_min_increase_kwh, p.surge_min_increase_kwh)
             THEN 1 ELSE 0 END AS high
    FROM windows w CROSS JOIN p
    LEFT JOIN thresholds th ON th.as_of = w.as_of AND th.meter_id = w.meter_id
),
surge AS (
    SELECT as_of, meter_id, day, kwh, baseline,
        -- a high window holds this day: one ending on it or in the following surge_window_days − 1 days
        max(high) OVER (PARTITION BY as_of, meter_id ORDER BY day
            RANGE BETWEEN CURRENT ROW AND (SELECT surge_window_days - 1 FROM p) * INTERVAL 1 DAY FOLLOWING) AS in_high
    FROM high
),
rule_days AS (
    SELECT n.as_of, n.meter_id, 'night_over_day' AS rule, n.op_day AS day, n.night_kwh AS amount
    FROM night n CROSS JOIN p
    WHERE n.flagged = 1 AND n.in_good_window = 1
    UNION ALL
    SELECT s.as_of, s.meter_id, 'surge', s.day, s.kwh - s.baseline
    FROM surge s CROSS JOIN p
    LEFT JOIN thresholds th ON th.as_of = s.as_of AND th.meter_id = s.meter_id
    WHERE s.in_high = 1 AND s.baseline IS NOT NULL AND s.kwh >= coalesce(th.surge_ratio, p.surge_ratio) * s.baseline
    UNION ALL
    SELECT d.as_of, d.meter_id, 'closed_mine', d.day, d.kwh
    FROM days d
    JOIN stg_power__meters m ON m.meter_id = d.meter_id AND m.customer_type = '关闭矿井'
        AND known_at(m.known_from, m.known_until, d.as_of)
    CROSS JOIN p
    WHERE d.kwh > p.closed_mine_min_kwh
    UNION ALL
    SELECT d.as_of, d.meter_id, 'supply_after_cutoff', d.day, d.kwh
    FROM days d
    JOIN (
        SELECT a.as_of, c.meter_id, arg_max(c.cutoff_on, (c.known_from, c.cutoff_on)) AS cutoff_on
        FROM (SELECT DISTINCT as_of FROM days) a
        JOIN stg_power__cutoffs c ON c.kind = 'done' AND c.cutoff_on <= a.as_of AND known_at(c.known_from, c.known_until, a.as_of)
        GROUP BY a.as_of, c.meter_id
    ) x ON x.as_of = d.as_of AND x.meter_id = d.meter_id
    WHERE d.day > x.cutoff_on AND d.kwh > 0
)
-- the run's date as evaluated; an earlier date gets the rule days of the first date with its input
SELECT r.* FROM rule_days r CROSS JOIN p WHERE r.as_of = p.as_of
UNION ALL
SELECT s.as_of, r.meter_id, r.rule, r.day, r.amount
FROM rule_days r
JOIN past_inputs s ON s.rep = r.as_of AND s.meter_id = r.meter_id
