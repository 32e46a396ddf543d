-- The county's row of the scorecard (全县合计): one row per date of mart_township_scorecard, the
-- townships' counts summed and the county's rates computed from the sums as the township rates are
-- (漏排率 = missed ÷ violations_due, 按期整改率 = rectified_on_time ÷ ledger_due, 巡查到位率 =
-- patrol_weeks_done ÷ patrol_weeks; NULL when nothing is due), with how many townships are at each
-- level. The weekly briefing's 总体情况 and the staff dashboard read it, and exports carry it, so the
-- county's figure is this one. A frozen date sums the frozen township rows the scorecard shows;
-- frozen_at is then when it was frozen.
-- unique: as_of
-- not_null: as_of, townships, violations_due, detected, missed, ledger_due, rectified_on_time, overdue_open
-- not_null: rectification_false, awaiting_acceptance, new_after_rectification, patrol_weeks, patrol_weeks_done, red, yellow, green
WITH s AS (
    SELECT as_of,
        count(*) AS townships,
        CAST(sum(violations_due) AS BIGINT) AS violations_due,
        CAST(sum(detected) AS BIGINT) AS detected,
        CAST(sum(missed) AS BIGINT) AS missed,
        CAST(sum(ledger_due) AS BIGINT) AS ledger_due,
        CAST(sum(rectified_on_time) AS BIGINT) AS rectified_on_time,
        CAST(sum(overdue_open) AS BIGINT) AS overdue_open,
        CAST(sum(rectification_false) AS BIGINT) AS rectification_false,
        CAST(sum(awaiting_acceptance) AS BIGINT) AS awaiting_acceptance,
        CAST(sum(new_after_rectification) AS BIGINT) AS new_after_rectification,
        CAST(sum(patrol_weeks) AS BIGINT) AS patrol_weeks,
        CAST(sum(patrol_weeks_done) AS BIGINT) AS patrol_weeks_done,
        count(*) FILTER (WHERE level = 'red') AS red,
        count(*) FILTER (WHERE level = 'yellow') AS yellow,
        count(*) FILTER (WHERE level = 'green') AS green,
        max(frozen_at) AS frozen_at
    FROM mart_township_scorecard
    GROUP BY as_of
)
SELECT as_of, townships, violations_due, detected, missed,
    CAST(missed AS DOUBLE) / nullif(violations_due, 0) AS missed_detection_rate,
    ledger_due, rectified_on_time,
    CAST(rectified_on_time AS DOUBLE) / nullif(ledger_due, 0) AS rectification_rate,
    overdue_open, rectification_false, awaiting_acceptance, new_after_rectification, patrol_weeks, patrol_weeks_done,
    CAST(patrol_weeks_done AS DOUBLE) / nullif(patrol_weeks, 0) AS patrol_compliance,
    red, yellow, green, frozen_at
FROM s
ORDER BY as_of
