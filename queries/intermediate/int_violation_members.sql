-- Channel records merged into violations, as of each date. Two records merge when one names the
-- other's id (ref, ref2), or both have coordinates, the same township and village and lie at most
-- match_radius_m apart; merging is transitive. violation_id is the id of the member first seen
-- (ties: channel order 卫片 用电 举报 案件 线索 复查 民爆流向 视频监控, then the smaller id).
-- Recurrences (README "Recurrences"): a record joins a violation only while its site is not
-- rectified. The site of a first-pass violation is rectified on fixed_on, the earliest 已整改 dated
-- ≤ the date (as known then) naming any member or a problem that matches a member (by reference, or
-- by distance in the member's township). A member first seen after fixed_on that names no older
-- member and is named by none (by reference) is recurrent: recurrent members merge only among
-- themselves, into a new violation whose recurrence_of names the old violation — or, when every
-- member is recurrent (the site was a problem fixed before any record was seen), the rectified item.
-- A 复查 record (a 回头看 re-inspection that found 复发) names the item it re-inspected, yet is
-- recurrent whenever it comes after the site's fix: the re-inspection saw the site come back.
-- unique: as_of, record_id
-- not_null: as_of, record_id, violation_id, channel, first_seen
-- relationships: violation_id -> int_violation_records.record_id
WITH RECURSIVE
r AS (
    SELECT * FROM int_violation_records
),
edges AS (
    -- by reference: b is a's ref, or a's ref2 (and not its ref: the pair once), two equality joins
    SELECT a.as_of, a.record_id AS x, b.record_id AS y, true AS by_ref
    FROM r a
    JOIN r b ON b.as_of = a.as_of AND b.record_id <> a.record_id AND b.record_id = a.ref
    UNION ALL
    SELECT a.as_of, a.record_id, b.record_id, true
    FROM r a
    JOIN r b ON b.as_of = a.as_of AND b.record_id <> a.record_id AND b.record_id = a.ref2
    WHERE a.ref IS NULL OR a.ref <> a.ref2
    UNION ALL
    SELECT a.as_of, a.record_id, b.record_id, false
    FROM r a
    JOIN r b ON b.as_of = a.as_of AND b.township = a.township AND b.village = a.village AND b.record_id > a.record_id
    CROSS JOIN stg_config__parameters p
    WHERE a.lon IS NOT NULL AND a.lat IS NOT NULL AND b.lon IS NOT NULL AND b.lat IS NOT NULL
      AND haversine_m(a.lon, a.lat, b.lon, b.lat) <= p.match_radius_m
),
links AS (
    SELECT as_of, x, y, bool_or(by_ref) AS by_ref
    FROM (SELECT as_of, x, y, by_ref FROM edges UNION ALL SELECT as_of, y, x, by_ref FROM edges)
    GROUP BY as_of, x, y
),
reach1(as_of, node, other) AS (
    SELECT as_of, record_id, record_id FROM r
    UNION
    SELECT reach1.as_of, reach1.node, links.y
    FROM reach1 JOIN links ON links.as_of = reach1.as_of AND links.x = reach1.other
),
base AS (
    SELECT reach1.as_of, reach1.node AS record_id,
        first(o.record_id ORDER BY o.first_seen, o.channel_order, o.record_id) AS base_id
    FROM reach1
    JOIN r o ON o.as_of = reach1.as_of AND o.record_id = reach1.other
    GROUP BY reach1.as_of, reach1.node
),
names AS (
    -- what a rectification row may name for a record's site: the record, or a problem matching it
    -- (each once: the problems distinct, and other than the record's own id)
    SELECT as_of, record_id, record_id AS name FROM r
    UNION ALL
    SELECT DISTINCT r.as_of, r.record_id, pl.problem_id
    FROM r
    JOIN int_problem_matches pm ON pm.record_id = r.record_id
    JOIN int_problems_listed pl ON pl.known_on = r.as_of AND pl.batch_id = pm.batch_id AND pl.source_row = pm.source_row
    WHERE (pm.by_reference OR pl.township = r.township) AND pl.problem_id IS DISTINCT FROM r.record_id
),
fixed AS (
    SELECT b.as_of, b.base_id, min(x.rectified_on) AS fixed_on,
        arg_min(n.name, x.rectified_on) AS fixed_item
    FROM base b
    JOIN names n ON n.as_of = b.as_of AND n.record_id = b.record_id
    JOIN stg_forms__rectifications x ON x.item_id = n.name AND x.status = '已整改' AND x.rectified_on <= b.as_of
        AND known_at(x.known_from, x.known_until, b.as_of)
    GROUP BY b.as_of, b.base_id
),
late AS (
    SELECT r.as_of, r.record_id, b.base_id, f.fixed_on, f.fixed_item,
        f.fixed_on IS NOT NULL AND r.first_seen > f.fixed_on AS after_fix
    FROM r
    JOIN base b ON b.as_of = r.as_of AND b.record_id = r.record_id
    LEFT JOIN fixed f ON f.as_of = b.as_of AND f.base_id = b.base_id
),
held AS MATERIALIZED (
    -- the records that name, or are named by, a member not after the fix (by reference)
    SELECT DISTINCT k.as_of, k.x
    FROM links k JOIN late o ON o.as_of = k.as_of AND o.record_id = k.y
    WHERE k.by_ref AND NOT o.after_fix
),
marked AS (
    -- recurrent: after the fix, and a 复查 record or one not held (held is distinct: the LEFT JOINs
    -- find at most one row each)
    SELECT l.*,
        l.after_fix AND (q.record_id IS NOT NULL OR h.x IS NULL) AS recurrent
    FROM late l
    LEFT JOIN (SELECT DISTINCT record_id FROM r WHERE channel = '复查') q ON q.record_id = l.record_id
    LEFT JOIN held h ON h.as_of = l.as_of AND h.x = l.record_id
),
-- the links between two records both recurrent or both not, joined one end at a time and
-- materialized (so that DuckDB neither pairs marked records by date and flag first, nor computes
-- them again in each step of reach2)
links_x AS MATERIALIZED (
    SELECT k.as_of, k.x, k.y, mx.recurrent AS x_recurrent
    FROM links k
    JOIN marked mx ON mx.as_of = k.as_of AND mx.record_id = k.x
),
links2 AS MATERIALIZED (
    SELECT k.as_of, k.x, k.y
    FROM links_x k
    JOIN marked my ON my.as_of = k.as_of AND my.record_id = k.y AND my.recurrent = k.x_recurrent
),
reach2(as_of, node, other) AS (
    SELECT as_of, record_id, record_id FROM r
    UNION
    SELECT reach2.as_of, reach2.node, links2.y
    FROM reach2 JOIN links2 ON links2.as_of = reach2.as_of AND links2.x = reach2.other
),
rep AS (
    SELECT reach2.as_of, reach2.node,
        first(o.record_id ORDER BY o.first_seen, o.channel_order, o.record_id) AS violation_id
    FROM reach2
    JOIN r o ON o.as_of = reach2.as_of AND o.record_id = reach2.other
    GROUP BY reach2.as_of, reach2.node
)
SELECT r.as_of, rep.violation_id, r.record_id, r.channel, r.channel_order, r.township, r.village,
       r.lon, r.lat, r.category, r.first_seen, r.verified_on, r.ref, r.ref2, r.area_mu,
       CASE WHEN m.recurrent THEN
           CASE WHEN bm.recurrent THEN m.fixed_item ELSE m.base_id END
       END AS recurrence_of,
       CASE WHEN m.recurrent THEN m.fixed_on END AS fixed_before
FROM r
JOIN rep ON rep.as_of = r.as_of AND rep.node = r.record_id
JOIN marked m ON m.as_of = r.as_of AND m.record_id = r.record_id
-- every record's base is a record of the same date, which is marked: a LEFT JOIN finds the same one
-- row, and keeps DuckDB from joining the records to the marked ones by date alone first
LEFT JOIN marked bm ON bm.as_of = m.as_of AND bm.record_id = m.base_id
