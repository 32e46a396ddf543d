-- Which licensed areas hold each point the campaign checks against the licence register, as known
-- at the run's as-of (the point versions and licence versions whose files had arrived by its end):
-- an imagery patch's centroid (lon, lat, computed when the patch was loaded) and an explosives
-- flow's point. Even-odd rule: a ray from the point eastwards crosses the area's edges (every ring,
-- holes included) an odd number of times when the point is inside. A point within
-- boundary_tolerance (1e-9 degrees, about 0.1 mm) of an edge lies on the boundary, and on the
-- boundary counts as inside (on_boundary says so). int_patch_licences and int_flow_licences are
-- this model's rows of each kind.
-- unique: point_kind, point_id, licence_id
-- not_null: point_kind, point_id, licence_id, holder, valid_from, valid_to, on_boundary
-- accepted_values: point_kind = patch, flow
-- relationships: licence_id -> stg_licences__licences.licence_id
WITH p AS (
    SELECT as_of, 1e-9 AS boundary_tolerance FROM stg_config__parameters
),
points AS (
    SELECT 'patch' AS point_kind, pa.patch_id AS point_id, pa.lon, pa.lat
    FROM stg_imagery__patches pa CROSS JOIN p
    WHERE known_at(pa.known_from, pa.known_until, p.as_of)
    UNION ALL
    SELECT 'flow', f.flow_id, f.lon, f.lat
    FROM stg_explosives__flows f CROSS JOIN p
    WHERE known_at(f.known_from, f.known_until, p.as_of)
),
licences AS (
    SELECT l.* FROM stg_licences__licences l CROSS JOIN p
    WHERE known_at(l.known_from, l.known_until, p.as_of)
),
candidates AS (
    -- the licences whose box holds the point
    SELECT pt.point_kind, pt.point_id, pt.lon, pt.lat, l.licence_id, l.batch_id, l.holder, l.valid_from, l.valid_to
    FROM points pt
    CROSS JOIN p
    JOIN licences l ON pt.lon BETWEEN l.min_lon - p.boundary_tolerance AND l.max_lon + p.boundary_tolerance
                   AND pt.lat BETWEEN l.min_lat - p.boundary_tolerance AND l.max_lat + p.boundary_tolerance
),
edges AS (
    SELECT c.*, e.x1, e.y1, e.x2, e.y2,
        -- where along the edge the point's foot lies, clamped to the edge
        greatest(0.0, least(1.0, ((c.lon - e.x1) * (e.x2 - e.x1) + (c.lat - e.y1) * (e.y2 - e.y1))
            / ((e.x2 - e.x1) * (e.x2 - e.x1) + (e.y2 - e.y1) * (e.y2 - e.y1)))) AS t
    FROM candidates c
    JOIN stg_licences__edges e ON e.batch_id = c.batch_id AND e.licence_id = c.licence_id
),
tested AS (
    SELECT e.point_kind, e.point_id, e.licence_id, e.holder, e.valid_from, e.valid_to,
        count(*) FILTER (WHERE (e.y1 > e.lat) <> (e.y2 > e.lat)
            AND e.lon < e.x1 + (e.lat - e.y1) * (e.x2 - e.x1) / (e.y2 - e.y1)) AS crossings,
        bool_or(sqrt(pow(e.lon - (e.x1 + e.t * (e.x2 - e.x1)), 2) + pow(e.lat - (e.y1 + e.t * (e.y2 - e.y1)), 2))
            <= p.boundary_tolerance) AS on_boundary
    FROM edges e CROSS JOIN p
    GROUP BY e.point_kind, e.point_id, e.licence_id, e.holder, e.valid_from, e.valid_to
)
SELECT point_kind, point_id, licence_id, holder, valid_from, valid_to, on_boundary
FROM tested
WHERE on_boundary OR crossings % 2 = 1
