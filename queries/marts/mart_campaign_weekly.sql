-- The campaign week by week (ISO weeks, Monday–Sunday) from the week of data_from through the week of
-- the run's as-of, everything dated ≤ the as-of and known by then (its file had arrived): new clues by channel (imagery patches, power alerts,
-- other clues; tips separately), violations verified, problems listed, ledger items rectified (已整改:
-- accepted where acceptance is needed, in the week of the declared completion),
-- cases filed and transferred, 罚没款 decided (fines_yuan: 罚款 and 罚金, confiscated_yuan: 没收违法所得 —
-- mart_fines.decided_yuan in the week of its decided_on) and collected (fines_collected_yuan:
-- mart_fine_collections in the week of its 缴款日期; either before the first week counts in the first
-- week, so the weeks add up to mart_fines), tips received and verified
-- 属实, rewards approved and paid (count and yuan), land restored (恢复土地面积, 亩: the area restored
-- and accepted, mart_restoration.accepted_mu, in the week of its 验收日期 — never a patch area).
-- unique: week_start
-- not_null: week_start, week_end, iso_year, iso_week, new_patches, new_power_alerts, new_other_clues
-- not_null: violations_verified, problems_listed, items_rectified, cases_filed, cases_to_police
-- not_null: cases_to_procuratorate, fines_yuan, confiscated_yuan, fines_collected_yuan, tips_received, tips_verified
-- not_null: rewards_approved, rewards_approved_yuan, rewards_paid, rewards_paid_yuan, area_restored_mu
WITH p AS (
    SELECT * FROM stg_config__parameters
),
weeks AS (
    SELECT CAST(unnest(generate_series(CAST(iso_monday(least(data_from, as_of)) AS TIMESTAMP),
        CAST(iso_monday(as_of) AS TIMESTAMP), INTERVAL 7 DAY)) AS DATE) AS week_start
    FROM p
),
events AS MATERIALIZED (
    -- gathered once, then counted in one pass (a branch feeding the week's aggregates straight
    -- would build their hash table once per branch)
    SELECT iso_monday(imaged_on) AS wk, 'new_patches' AS what, 1 AS n, 0 AS yuan
    FROM stg_imagery__patches, p WHERE imaged_on <= p.as_of AND known_at(known_from, known_until, p.as_of)
    UNION ALL
    SELECT iso_monday(a.first_day), 'new_power_alerts', 1, 0 FROM mart_power_alerts a
    UNION ALL
    SELECT iso_monday(found_on), 'new_other_clues', 1, 0 FROM stg_clues__clues, p WHERE found_on <= p.as_of AND known_at(known_from, known_until, p.as_of)
    UNION ALL
    SELECT iso_monday(v.verified_on), 'violations_verified', 1, 0
    FROM int_violations_classified v JOIN p ON p.as_of = v.as_of
    UNION ALL
    SELECT iso_monday(reported_on), 'problems_listed', 1, 0 FROM int_problems_listed, p WHERE known_on = p.as_of
    UNION ALL
    -- rectified as the ledger counts it: a 重点 item awaiting its acceptance (待验收) is not yet
    SELECT iso_monday(rectified_on), 'items_rectified', 1, 0 FROM mart_ledger WHERE status_as_of = '已整改'
    UNION ALL
    SELECT iso_monday(filed_on), 'cases_filed', 1, 0 FROM mart_cases_pipeline WHERE filed_on IS NOT NULL
    UNION ALL
    SELECT iso_monday(to_police_on), 'cases_to_police', 1, 0 FROM mart_cases_pipeline WHERE to_police_on IS NOT NULL
    UNION ALL
    SELECT iso_monday(to_procuratorate_on), 'cases_to_procuratorate', 1, 0 FROM mart_cases_pipeline WHERE to_procuratorate_on IS NOT NULL
    UNION ALL
    SELECT iso_monday(greatest(f.decided_on, least(p.data_from, p.as_of))), CASE WHEN f.fine_kind = '没收违法所得' THEN 'confiscated' ELSE 'fines' END,
        0, f.decided_yuan
    FROM mart_fines f, p WHERE f.decided_yuan > 0
    UNION ALL
    SELECT iso_monday(greatest(c.paid_on, least(p.data_from, p.as_of))), 'fines_collected', 0, c.amount_yuan FROM mart_fine_collections c, p
    UNION ALL
    SELECT iso_monday(received_on), 'tips_received', 1, 0 FROM stg_portal__tips, p WHERE received_on <= p.as_of
    UNION ALL
    SELECT iso_monday(coalesce(verified_on, received_on)), 'tips_verified', 1, 0
    FROM stg_portal__tips, p WHERE verdict = '属实' AND coalesce(verified_on, received_on) <= p.as_of
    UNION ALL
    SELECT iso_monday(approved_on), 'rewards_approved', 1, amount_yuan FROM stg_portal__rewards, p WHERE approved_on <= p.as_of
    UNION ALL
    SELECT iso_monday(paid_on), 'rewards_paid', 1, amount_yuan FROM stg_portal__payouts, p WHERE paid_on <= p.as_of
    UNION ALL
    SELECT iso_monday(accepted_on), 'area_restored', 0, accepted_mu FROM mart_restoration WHERE accepted_on IS NOT NULL
)
SELECT
    w.week_start,
    w.week_start + 6 AS week_end,
    CAST(isoyear(w.week_start) AS INTEGER) AS iso_year,
    CAST(weekofyear(w.week_start) AS INTEGER) AS iso_week,
    count(e.what) FILTER (WHERE e.what = 'new_patches') AS new_patches,
    count(e.what) FILTER (WHERE e.what = 'new_power_alerts') AS new_power_alerts,
    count(e.what) FILTER (WHERE e.what = 'new_other_clues') AS new_other_clues,
    count(e.what) FILTER (WHERE e.what = 'violations_verified') AS violations_verified,
    count(e.what) FILTER (WHERE e.what = 'problems_listed') AS problems_listed,
    count(e.what) FILTER (WHERE e.what = 'items_rectified') AS items_rectified,
    count(e.what) FILTER (WHERE e.what = 'cases_filed') AS cases_filed,
    count(e.what) FILTER (WHERE e.what = 'cases_to_police') AS cases_to_police,
    count(e.what) FILTER (WHERE e.what = 'cases_to_procuratorate') AS cases_to_procuratorate,
    CAST(coalesce(sum(e.yuan) FILTER (WHERE e.what = 'fines'), 0) AS DECIMAL(14, 2)) AS fines_yuan,
    CAST(coalesce(sum(e.yuan) FILTER (WHERE e.what = 'confiscated'), 0) AS DECIMAL(14, 2)) AS confiscated_yuan,
    CAST(coalesce(sum(e.yuan) FILTER (WHERE e.what = 'fines_collected'), 0) AS DECIMAL(14, 2)) AS fines_collected_yuan,
    count(e.what) FILTER (WHERE e.what = 'tips_received') AS tips_received,
    count(e.what) FILTER (WHERE e.what = 'tips_verified') AS tips_verified,
    count(e.what) FILTER (WHERE e.what = 'rewards_approved') AS rewards_approved,
    CAST(coalesce(sum(e.yuan) FILTER (WHERE e.what = 'rewards_approved'), 0) AS DECIMAL(14, 2)) AS rewards_approved_yuan,
    count(e.what) FILTER (WHERE e.what = 'rewards_paid') AS rewards_paid,
    CAST(coalesce(sum(e.yuan) FILTER (WHERE e.what = 'rewards_paid'), 0) AS DECIMAL(14, 2)) AS rewards_paid_yuan,
    CAST(coalesce(sum(e.yuan) FILTER (WHERE e.what = 'area_restored'), 0) AS DECIMAL(12, 2)) AS area_restored_mu
FROM weeks w
LEFT JOIN events e ON e.wk = w.week_start
GROUP BY w.week_start
ORDER BY w.week_start
