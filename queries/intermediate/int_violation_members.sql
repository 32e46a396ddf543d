-- Channel records merged into violations, as of each date. Two records merge when one names the
-- other's id (ref, ref2), or both have coordinates, the same township and village and lie at most
-- match_radius_m apart; merging is transitive. violation_id is the id of the member first seen
-- (ties: channel order 卫片 用电 举报 案件 线索, then the smaller id).
-- unique: as_of, record_id
-- not_null: as_of, record_id, violation_id, channel, first_seen
-- relationships: violation_id -> int_violation_records.record_id
WITH RECURSIVE
r AS (
    SELECT * FROM int_violation_records
),
edges AS (
    SELECT a.as_of, a.record_id AS x, b.record_id AS y
    FROM r a
    JOIN r b ON b.as_of = a.as_of AND b.record_id <> a.record_id AND (b.record_id = a.ref OR b.record_id = a.ref2)
    UNION
    SELECT a.as_of, a.record_id, b.record_id
    FROM r a
    JOIN r b ON b.as_of = a.as_of AND b.township = a.township AND b.village = a.village AND b.record_id > a.record_id
    CROSS JOIN stg_config__parameters p
    WHERE a.lon IS NOT NULL AND a.lat IS NOT NULL AND b.lon IS NOT NULL AND b.lat IS NOT NULL
      AND haversine_m(a.lon, a.lat, b.lon, b.lat) <= p.match_radius_m
),
links AS (
    SELECT as_of, x, y FROM edges
    UNION
    SELECT as_of, y, x FROM edges
),
reach(as_of, node, other) AS (
    SELECT as_of, record_id, record_id FROM r
    UNION
    SELECT reach.as_of, reach.node, links.y
    FROM reach JOIN links ON links.as_of = reach.as_of AND links.x = reach.other
),
rep AS (
    SELECT reach.as_of, reach.node,
        first(o.record_id ORDER BY o.first_seen, o.channel_order, o.record_id) AS violation_id
    FROM reach
    JOIN r o ON o.as_of = reach.as_of AND o.record_id = reach.other
    GROUP BY reach.as_of, reach.node
)
SELECT r.as_of, rep.violation_id, r.record_id, r.channel, r.channel_order, r.township, r.village,
       r.lon, r.lat, r.category, r.first_seen, r.verified_on, r.ref, r.ref2
FROM r
JOIN rep ON rep.as_of = r.as_of AND rep.node = r.record_id
