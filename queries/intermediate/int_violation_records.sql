-- One row per channel record that is a violation as of each date (README "Violations"), each record
-- in the version known then (its file had arrived by the end of the date):
-- 卫片 patches verified 违法, 用电 alerts checked 非法采矿, 举报 tips verified 属实, 案件 cases, 线索
-- clues verified 属实. A power record's category follows from where the power went: the category
-- whose power_types list its meter's customer type (by default a closed mine is M4, 关闭矿井盗采, and a
-- washery, coking plant, small factory, farm or home M3, 掩护盗采), else power_default_category (M1).
-- verified_on is the day the record became a violation; ref and ref2 are the
-- ids it names (a case's 来源编号; a tip's linked_ref and duplicate_of); area_mu a patch's area.
-- 复查 records are 回头看 re-inspections that found 复发 (README "Recurrences"): record_id
-- {item}-复发-{YYYYMMDD}, first seen on the re-inspection date, at the item's township, village and
-- point (a problem's, or the named source record's; a power alert or an item without a township
-- gives none), naming the item (ref); int_violation_members makes it a recurrence of the item's site.
-- 民爆流向 records are explosives flows and 视频监控 records camera events whose field check
-- (int_clue_checks) found 属实 by the date: first seen on 领用日期 / the event's day, at the township
-- and village the flow's 作业地点 names / the event's, verified on the check's day.
-- unique: as_of, record_id
-- not_null: as_of, record_id, channel, channel_order, township, first_seen, verified_on
-- accepted_values: channel = 卫片, 用电, 举报, 案件, 线索, 复查, 民爆流向, 视频监控
SELECT a.as_of, p.patch_id AS record_id, '卫片' AS channel, 1 AS channel_order, p.township, p.village,
       p.lon, p.lat,
       -- a patch's category from its change and land classes (queries/README.md "Imagery categories")
       CASE WHEN p.land_after = '农村宅基地' THEN 'L1'
            WHEN p.land_after = '设施农用地' THEN 'L2'
            WHEN p.change_type = '堆放' THEN 'L3'
            WHEN p.change_type = '挖损' AND p.land_after = '裸地' THEN 'L4'
            WHEN p.land_after = '采矿用地' THEN 'M1'
       END AS category, p.imaged_on AS first_seen,
       greatest(p.imaged_on, coalesce(p.checked_on, p.imaged_on)) AS verified_on,
       CAST(NULL AS VARCHAR) AS ref, CAST(NULL AS VARCHAR) AS ref2, p.area_mu
FROM int_as_of_dates a
JOIN stg_imagery__patches p
  ON known_at(p.known_from, p.known_until, a.as_of) AND p.verdict = '违法' AND p.imaged_on <= a.as_of AND coalesce(p.checked_on, p.imaged_on) <= a.as_of
UNION ALL
SELECT al.as_of, al.alert_id, '用电', 2, al.township, al.village, al.lon, al.lat,
       coalesce(pc.code, p.power_default_category),
       al.first_day,
       greatest(al.first_day, al.checked_on), NULL, NULL, NULL
FROM int_power_alerts_checked al
CROSS JOIN stg_config__parameters p
LEFT JOIN stg_config__power_categories pc ON pc.customer_type = al.customer_type
WHERE al.check_result = '非法采矿' AND al.township IS NOT NULL
UNION ALL
SELECT a.as_of, t.tip_id, '举报', 3, t.township, t.village, t.lon, t.lat, t.category, t.received_on,
       greatest(t.received_on, coalesce(t.verified_on, t.received_on)), t.linked_ref, t.duplicate_of, NULL
FROM int_as_of_dates a
JOIN stg_portal__tips t
  ON t.verdict = '属实' AND t.received_on <= a.as_of AND coalesce(t.verified_on, t.received_on) <= a.as_of
UNION ALL
SELECT a.as_of, c.case_id, '案件', 4, c.township, c.village, c.lon, c.lat, c.category, c.found_on,
       c.found_on, c.source_ref, NULL, NULL
FROM int_as_of_dates a
JOIN stg_enforcement__cases c ON known_at(c.known_from, c.known_until, a.as_of) AND c.found_on <= a.as_of
UNION ALL
SELECT a.as_of, c.clue_id, '线索', 5, c.township, c.village, c.lon, c.lat, c.category, c.found_on,
       c.found_on, NULL, NULL, NULL
FROM int_as_of_dates a
JOIN stg_clues__clues c ON known_at(c.known_from, c.known_until, a.as_of) AND c.verdict = '属实' AND c.found_on <= a.as_of AND coalesce(c.verdict_on, c.found_on) <= a.as_of
UNION ALL
SELECT k.as_of, f.flow_id, '民爆流向', 7, f.township, f.village, f.lon, f.lat, f.category, f.drawn_on,
       greatest(f.drawn_on, k.checked_on), NULL, NULL, NULL
FROM int_clue_checks k
JOIN stg_explosives__flows f ON k.channel = '民爆流向' AND k.result = '属实' AND f.flow_id = k.item_id
    AND known_at(f.known_from, f.known_until, k.as_of) AND f.drawn_on <= k.as_of
UNION ALL
SELECT k.as_of, e.event_id, '视频监控', 8, e.township, e.village, e.lon, e.lat, e.category, e.seen_on,
       greatest(e.seen_on, k.checked_on), NULL, NULL, NULL
FROM int_clue_checks k
JOIN stg_video__events e ON k.channel = '视频监控' AND k.result = '属实' AND e.event_id = k.item_id
    AND known_at(e.known_from, e.known_until, k.as_of) AND e.seen_on <= k.as_of
UNION ALL
SELECT a.as_of, x.item_id || '-复发-' || strftime(x.rechecked_on, '%Y%m%d'), '复查', 6, s.township, s.village,
       s.lon, s.lat, s.category, x.rechecked_on, x.rechecked_on, x.item_id, NULL, NULL
FROM int_as_of_dates a
JOIN stg_forms__rechecks x ON known_at(x.known_from, x.known_until, a.as_of) AND x.result = '复发' AND x.rechecked_on <= a.as_of
JOIN (
    -- where each nameable item lies: a problem's first listing, or the source record's latest version
    SELECT item_id, first(township ORDER BY o) AS township, first(village ORDER BY o) AS village,
           first(lon ORDER BY o) AS lon, first(lat ORDER BY o) AS lat, first(category ORDER BY o) AS category
    FROM (
        SELECT problem_id AS item_id, township, village, lon, lat, category, 1 AS o FROM stg_forms__inspections
        UNION ALL SELECT patch_id, township, village, lon, lat, NULL, 2 FROM stg_imagery__patches
        UNION ALL SELECT case_id, township, village, lon, lat, category, 3 FROM stg_enforcement__cases
        UNION ALL SELECT clue_id, township, village, lon, lat, category, 4 FROM stg_clues__clues
        UNION ALL SELECT tip_id, township, village, lon, lat, category, 5 FROM stg_portal__tips
    )
    WHERE township IS NOT NULL
    GROUP BY item_id
) s ON s.item_id = x.item_id
