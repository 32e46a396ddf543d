-- 终止供电 as it stands now, one row per meter with an entry: the latest order (ordered_on) and the
-- latest confirmation that supply ended (done_on), each by when it was entered and, of entries made
-- at the same moment, the latest day — the order int_power_rule_days takes for the confirmation
-- known on a date. awaiting_confirmation: the latest order was entered after every confirmation (or
-- none was entered), so the power company still owes one. A view: it reads the entries live.
-- materialized: view
-- unique: meter_id
-- not_null: meter_id, awaiting_confirmation
SELECT meter_id,
    arg_max(cutoff_on, (known_from, cutoff_on)) FILTER (WHERE kind = 'ordered') AS ordered_on,
    arg_max(cutoff_on, (known_from, cutoff_on)) FILTER (WHERE kind = 'done')    AS done_on,
    coalesce(max(known_from) FILTER (WHERE kind = 'ordered') > coalesce(max(known_from) FILTER (WHERE kind = 'done'),
        TIMESTAMP '0001-01-01'), false) AS awaiting_confirmation
FROM stg_power__cutoffs
WHERE known_until IS NULL
GROUP BY meter_id
