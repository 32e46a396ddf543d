-- 终止供电 as it stands now, one row per meter with an entry: the latest order (ordered_on) and the
-- latest confirmation that supply ended (done_on), each by when it was entered and, of entries made
-- at the same moment, the latest day — the order int_power_rule_days takes for the confirmation
-- known on a date. A view: it reads the entries live.
-- materialized: view
-- unique: meter_id
-- not_null: meter_id
SELECT meter_id,
    arg_max(cutoff_on, (known_from, cutoff_on)) FILTER (WHERE kind = 'ordered') AS ordered_on,
    arg_max(cutoff_on, (known_from, cutoff_on)) FILTER (WHERE kind = 'done')    AS done_on
FROM stg_power__cutoffs
WHERE known_until IS NULL
GROUP BY meter_id
