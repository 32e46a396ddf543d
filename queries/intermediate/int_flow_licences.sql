-- Which licensed areas hold the point of each explosives flow, as known at the run's as-of: the flow
-- rows of int_point_licences (the point-in-polygon rule is written there; a point on the boundary
-- counts as inside).
-- unique: flow_id, licence_id
-- not_null: flow_id, licence_id, holder, valid_from, valid_to, on_boundary
-- relationships: licence_id -> stg_licences__licences.licence_id
SELECT point_id AS flow_id, licence_id, holder, valid_from, valid_to, on_boundary
FROM int_point_licences
WHERE point_kind = 'flow'
