-- Civil explosives flows (民用爆炸物品流向, the police's register, kind explosives): every version of
-- every flow. A later file's row is the flow's version from its arrival on (known_until: when the
-- next version arrived). net is what was used: 数量 − 退库数量, in the kind's unit (炸药 千克, 雷管 发,
-- 导爆索 米). township and village are the ones 作业地点 names (etl/explosives.go). category: the
-- violation category a keyword of which (dim_category_keywords, lowest priority first) occurs in the kind — by
-- default M5, 非法买卖运输储存民爆物品及用其采矿.
-- unique: flow_id, batch_id
-- not_null: flow_id, buyer, licence_id, item, quantity, net, drawn_on, site, township, lon, lat, known_from
-- accepted_values: item = 炸药, 雷管, 导爆索
-- in_run: table
SELECT f.flow_id, f.buyer, f.licence_id, f.item, f.quantity, f.unit, f.returned, f.quantity - f.returned AS net,
    f.drawn_on, f.site, f.township, f.village, f.lon, f.lat,
    (SELECT first(k.code ORDER BY k.priority, k.code) FROM dim_category_keywords k
     WHERE contains(f.item, k.keyword)) AS category,
    f.batch_id, f.source_row, b.known_from,
    least(b.known_until, lead(b.known_from) OVER (PARTITION BY f.flow_id ORDER BY b.known_from, f.batch_id, f.source_row)) AS known_until
FROM raw_explosives f
JOIN stg_etl__batches b ON b.batch_id = f.batch_id
