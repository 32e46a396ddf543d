-- Power alerts as of each date: a run of days on which one rule holds for one meter, consecutive
-- holding days fewer than alert_gap_days (7) apart. alert_id = {meter_id}-{NOD|SRG|CLM|CUT}-{first_day}.
-- score sums the rule's amount over the holding days (kWh: the nights' use, the use above the
-- baseline, or the closed mine's use).
-- reuse: unchanged
-- unique: as_of, alert_id
-- not_null: as_of, alert_id, meter_id, rule, first_day, last_day, days, score
-- accepted_values: rule = night_over_day, surge, closed_mine, supply_after_cutoff
WITH starts AS (
    SELECT d.*,
        CASE WHEN d.day - lag(d.day) OVER w < p.alert_gap_days THEN 0 ELSE 1 END AS starts
    FROM int_power_rule_days d CROSS JOIN stg_config__parameters p
    WINDOW w AS (PARTITION BY d.as_of, d.meter_id, d.rule ORDER BY d.day)
),
runs AS (
    SELECT *, sum(starts) OVER (PARTITION BY as_of, meter_id, rule ORDER BY day ROWS UNBOUNDED PRECEDING) AS run
    FROM starts
)
SELECT
    as_of,
    meter_id || '-' || CASE rule WHEN 'night_over_day' THEN 'NOD' WHEN 'surge' THEN 'SRG' WHEN 'closed_mine' THEN 'CLM' ELSE 'CUT' END
        || '-' || strftime(min(day), '%Y%m%d') AS alert_id,
    meter_id,
    rule,
    CASE rule WHEN 'night_over_day' THEN 1 WHEN 'surge' THEN 2 WHEN 'closed_mine' THEN 3 ELSE 4 END AS rule_order,
    min(day) AS first_day,
    max(day) AS last_day,
    count(*) AS days,
    round(sum(amount), 1) AS score
FROM runs
GROUP BY as_of, meter_id, rule, run
