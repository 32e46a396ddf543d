-- 终止供电: the office's cut-off orders (kind ordered) and the power company's confirmations of the
-- day supply ended (kind done), entered on the console or with `landwatch power cutoff`
-- (power_cutoffs, append-only). known_from is when the entry was made: the clock, or the end of a
-- day given by hand (given_by names who gave it; audited). The rule supply_after_cutoff
-- (int_power_rule_days) reads the latest confirmation known on a date.
-- not_null: meter_id, kind, cutoff_on, entered_by, known_from
-- accepted_values: kind = ordered, done
SELECT meter_id, kind, cutoff_on, violation, note, entered_by, given_by, recorded_at AS known_from,
    CAST(NULL AS TIMESTAMP) AS known_until
FROM power_cutoffs
