-- Civil explosives flows (民爆流向) as of the run's as-of, each checked against the licence register
-- and the sites as known then. reasons lists, comma-joined, why a flow is a clue (campaign label
-- table flow_reason):
--   outside_licence   its point lies in no licensed area valid on 领用日期 (int_flow_licences; on the
--                     boundary counts as inside)
--   unknown_licence   its 许可证号 is not in the register
--   expired_licence   its 许可证号 is in the register but not valid on 领用日期 (expired or not yet issued)
--   over_ceiling      with it, the net use (数量 − 退库数量) of its kind at its 作业地点 in its week (Monday
--                     to Sunday), flows in order of 领用日期 then 流向编号, exceeds the weekly ceiling
--                     (explosives.ceiling: 炸药 千克, 雷管 发, 导爆索 米); the flows before the one that
--                     crosses it are not
--   near_closed_mine  within explosives.near_m metres of a closed mine (a meter of type 关闭矿井)
--   near_violation    within explosives.near_m metres of an open violation: one of mart_violations
--                     (not this flow's own) whose ledger item, or the problem that detected it, is
--                     not 已整改 in mart_ledger
-- is_clue when reasons is not empty: a clue of channel 民爆流向 for 公安 to check, due
-- explosives.check_days days after the later of 领用日期 and the day the flow's first version arrived
-- (check_due_on); check_late when checked after that, or unchecked and the as-of is past it. The
-- check (check_result 属实/不属实/无法核实, checked_on) is the latest of int_clue_checks; once 属实 the
-- flow is a violation record (int_violation_records) merged with the other channels.
-- unique: flow_id
-- not_null: flow_id, buyer, licence_id, item, net, drawn_on, site, township, lon, lat, is_clue
-- accepted_values: item = 炸药, 雷管, 导爆索
WITH p AS (
    SELECT p.as_of, c.* FROM stg_config__parameters p CROSS JOIN stg_config__channels c
),
flows AS (
    SELECT f.* FROM stg_explosives__flows f CROSS JOIN p WHERE known_at(f.known_from, f.known_until, p.as_of)
),
first_known AS (
    SELECT flow_id, CAST(min(known_from) AS DATE) AS first_known_on FROM stg_explosives__flows GROUP BY flow_id
),
licences AS (
    SELECT l.licence_id, l.valid_from, l.valid_to FROM stg_licences__licences l CROSS JOIN p
    WHERE known_at(l.known_from, l.known_until, p.as_of)
),
areas AS (
    SELECT h.flow_id, bool_or(h.valid_from <= f.drawn_on AND f.drawn_on <= h.valid_to) AS in_valid_area
    FROM int_flow_licences h JOIN flows f ON f.flow_id = h.flow_id
    GROUP BY h.flow_id
),
weekly AS (
    -- the running net of the flow's kind at its site in its week: the flows of that kind, site and
    -- week up to it (by 领用日期, then 流向编号)
    SELECT f.flow_id, sum(g.net) AS week_net,
        CASE f.item WHEN '炸药' THEN any_value(p.ceiling_explosive) WHEN '雷管' THEN any_value(p.ceiling_detonator)
            ELSE any_value(p.ceiling_cord) END AS ceiling
    FROM flows f CROSS JOIN p
    JOIN flows g ON g.site IS NOT DISTINCT FROM f.site AND g.item IS NOT DISTINCT FROM f.item
        AND iso_monday(g.drawn_on) IS NOT DISTINCT FROM iso_monday(f.drawn_on)
        AND (g.drawn_on < f.drawn_on OR (g.drawn_on = f.drawn_on AND g.flow_id <= f.flow_id))
    GROUP BY f.flow_id, f.item
),
mines AS (
    SELECT m.meter_id, m.lon, m.lat FROM stg_power__meters m CROSS JOIN p
    WHERE m.customer_type = '关闭矿井' AND m.lon IS NOT NULL AND m.lat IS NOT NULL AND known_at(m.known_from, m.known_until, p.as_of)
),
near_mine AS (
    SELECT f.flow_id, min(haversine_m(f.lon, f.lat, m.lon, m.lat)) AS mine_m
    FROM flows f CROSS JOIN p
    JOIN mines m ON abs(m.lat - f.lat) <= p.explosives_near_m * 1.1 / 111000
    WHERE haversine_m(f.lon, f.lat, m.lon, m.lat) <= p.explosives_near_m
    GROUP BY f.flow_id
),
closed_items AS (
    SELECT item_id FROM mart_ledger WHERE status_as_of = '已整改'
),
open_violations AS (
    -- neither the violation's ledger item nor the problem that detected it is 已整改
    SELECT v.violation_id, v.source_refs, v.lon, v.lat
    FROM mart_violations v
    ANTI JOIN closed_items c1 ON c1.item_id = v.violation_id
    ANTI JOIN closed_items c2 ON c2.item_id = v.detected_by
    WHERE v.lon IS NOT NULL AND v.lat IS NOT NULL
),
near_violation AS (
    SELECT f.flow_id, arg_min(v.violation_id, haversine_m(f.lon, f.lat, v.lon, v.lat)) AS violation_id
    FROM flows f CROSS JOIN p
    JOIN open_violations v ON abs(v.lat - f.lat) <= p.explosives_near_m * 1.1 / 111000
    WHERE haversine_m(f.lon, f.lat, v.lon, v.lat) <= p.explosives_near_m
      AND NOT list_contains(string_split(v.source_refs, ','), f.flow_id)
    GROUP BY f.flow_id
),
judged AS (
    SELECT f.*,
        CASE WHEN l.licence_id IS NULL THEN 'unknown'
             WHEN f.drawn_on BETWEEN l.valid_from AND l.valid_to THEN 'valid' ELSE 'expired' END AS licence_state,
        l.valid_to AS licence_valid_to,
        NOT coalesce(a.in_valid_area, false) AS outside_licence,
        w.week_net, w.ceiling, w.week_net > w.ceiling AS over_ceiling,
        nm.mine_m, nv.violation_id AS near_violation_id
    FROM flows f
    LEFT JOIN (SELECT licence_id, any_value(valid_from) AS valid_from, any_value(valid_to) AS valid_to FROM licences GROUP BY licence_id) l
        ON l.licence_id = f.licence_id
    LEFT JOIN areas a ON a.flow_id = f.flow_id
    JOIN weekly w ON w.flow_id = f.flow_id
    LEFT JOIN near_mine nm ON nm.flow_id = f.flow_id
    LEFT JOIN near_violation nv ON nv.flow_id = f.flow_id
),
reasoned AS (
    SELECT j.*,
        concat_ws(',',
            CASE WHEN j.outside_licence THEN 'outside_licence' END,
            CASE WHEN j.licence_state = 'unknown' THEN 'unknown_licence' END,
            CASE WHEN j.licence_state = 'expired' THEN 'expired_licence' END,
            CASE WHEN j.over_ceiling THEN 'over_ceiling' END,
            CASE WHEN j.mine_m IS NOT NULL THEN 'near_closed_mine' END,
            CASE WHEN j.near_violation_id IS NOT NULL THEN 'near_violation' END) AS reasons
    FROM judged j
)
SELECT r.flow_id, r.buyer, r.licence_id, r.item, r.quantity, r.returned, r.net, r.unit, r.drawn_on, r.site, r.township, r.village,
    r.lon, r.lat, r.category, r.licence_state, r.licence_valid_to, CAST(r.week_net AS DOUBLE) AS week_net, r.ceiling, round(r.mine_m, 1) AS closed_mine_m,
    r.near_violation_id, r.reasons, r.reasons <> '' AS is_clue,
    k.result AS check_result, k.checked_on,
    CAST(greatest(r.drawn_on, fk.first_known_on) + p.explosives_check_days AS DATE) AS check_due_on,
    coalesce(k.checked_on, p.as_of) > greatest(r.drawn_on, fk.first_known_on) + p.explosives_check_days AS check_late
FROM reasoned r
CROSS JOIN p
JOIN first_known fk ON fk.flow_id = r.flow_id
LEFT JOIN int_clue_checks k ON k.as_of = p.as_of AND k.channel = '民爆流向' AND k.item_id = r.flow_id
ORDER BY r.reasons = '', r.drawn_on, r.flow_id
