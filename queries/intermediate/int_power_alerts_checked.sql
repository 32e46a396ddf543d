-- Power alerts with their meter and field check, as of each date (checks and meter versions whose
-- files had arrived by the end of the date). A check dated ≤ the date applies
-- to the alert it names (预警编号; to none when no such alert exists as of the date), or, naming none,
-- to the meter's latest alert whose first_day ≤ the check date (ties: night_over_day, surge,
-- closed_mine). An alert's check_result is its latest applying check.
-- unique: as_of, alert_id
-- not_null: as_of, alert_id, meter_id, rule, first_day, last_day
-- accepted_values: rule = night_over_day, surge, closed_mine, supply_after_cutoff
WITH checks AS (
    SELECT a.as_of, c.*
    FROM int_as_of_dates a
    JOIN stg_power__checks c ON c.checked_on <= a.as_of AND known_at(c.known_from, c.known_until, a.as_of)
),
named AS (
    SELECT c.as_of, c.batch_id, c.source_row, al.alert_id
    FROM checks c
    JOIN int_power_alerts al ON al.as_of = c.as_of AND al.alert_id = c.alert_id
),
latest AS (
    SELECT c.as_of, c.batch_id, c.source_row, al.alert_id
    FROM checks c
    JOIN int_power_alerts al ON al.as_of = c.as_of AND al.meter_id = c.meter_id AND al.first_day <= c.checked_on
    WHERE c.alert_id IS NULL
    QUALIFY row_number() OVER (PARTITION BY c.as_of, c.batch_id, c.source_row ORDER BY al.first_day DESC, al.rule_order) = 1
),
applied AS (
    SELECT ap.as_of, ap.alert_id, c.result, c.checked_on
    FROM (SELECT * FROM named UNION ALL SELECT * FROM latest) ap
    JOIN checks c ON c.as_of = ap.as_of AND c.batch_id = ap.batch_id AND c.source_row = ap.source_row
    QUALIFY row_number() OVER (PARTITION BY ap.as_of, ap.alert_id ORDER BY c.checked_on DESC, c.batch_id DESC, c.source_row DESC) = 1
)
SELECT al.as_of, al.alert_id, al.meter_id, m.township, m.village, m.customer_type, m.lon, m.lat,
       al.rule, al.rule_order, al.first_day, al.last_day, al.days, al.score,
       ap.result AS check_result, ap.checked_on
FROM int_power_alerts al
LEFT JOIN stg_power__meters m ON m.meter_id = al.meter_id AND known_at(m.known_from, m.known_until, al.as_of)
LEFT JOIN applied ap ON ap.as_of = al.as_of AND ap.alert_id = al.alert_id
