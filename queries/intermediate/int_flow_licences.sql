-- Which licensed areas hold the point of each explosives flow, as known at the run's as-of (the flow
-- versions and licence versions whose files had arrived by its end); the point-in-polygon test of
-- int_patch_licences (even-odd rule over every ring's edges, a point within 1e-9 degrees of an
-- edge on the boundary, which counts as inside).
-- unique: flow_id, licence_id
-- not_null: flow_id, licence_id, holder, valid_from, valid_to, on_boundary
-- relationships: licence_id -> stg_licences__licences.licence_id
WITH p AS (
    SELECT as_of, 1e-9 AS boundary_tolerance FROM stg_config__parameters
),
flows AS (
    SELECT f.flow_id, f.lon, f.lat
    FROM stg_explosives__flows f CROSS JOIN p
    WHERE known_at(f.known_from, f.known_until, p.as_of)
),
licences AS (
    SELECT l.* FROM stg_licences__licences l CROSS JOIN p
    WHERE known_at(l.known_from, l.known_until, p.as_of)
),
candidates AS (
    SELECT f.flow_id, f.lon, f.lat, l.licence_id, l.batch_id, l.holder, l.valid_from, l.valid_to
    FROM flows f
    CROSS JOIN p
    JOIN licences l ON f.lon BETWEEN l.min_lon - p.boundary_tolerance AND l.max_lon + p.boundary_tolerance
                   AND f.lat BETWEEN l.min_lat - p.boundary_tolerance AND l.max_lat + p.boundary_tolerance
),
edges AS (
    SELECT c.*, e.x1, e.y1, e.x2, e.y2,
        greatest(0.0, least(1.0, ((c.lon - e.x1) * (e.x2 - e.x1) + (c.lat - e.y1) * (e.y2 - e.y1))
            / ((e.x2 - e.x1) * (e.x2 - e.x1) + (e.y2 - e.y1) * (e.y2 - e.y1)))) AS t
    FROM candidates c
    JOIN stg_licences__edges e ON e.batch_id = c.batch_id AND e.licence_id = c.licence_id
),
tested AS (
    SELECT e.flow_id, e.licence_id, e.holder, e.valid_from, e.valid_to,
        count(*) FILTER (WHERE (e.y1 > e.lat) <> (e.y2 > e.lat)
            AND e.lon < e.x1 + (e.lat - e.y1) * (e.x2 - e.x1) / (e.y2 - e.y1)) AS crossings,
        bool_or(sqrt(pow(e.lon - (e.x1 + e.t * (e.x2 - e.x1)), 2) + pow(e.lat - (e.y1 + e.t * (e.y2 - e.y1)), 2))
            <= p.boundary_tolerance) AS on_boundary
    FROM edges e CROSS JOIN p
    GROUP BY e.flow_id, e.licence_id, e.holder, e.valid_from, e.valid_to
)
SELECT flow_id, licence_id, holder, valid_from, valid_to, on_boundary
FROM tested
WHERE on_boundary OR crossings % 2 = 1
