-- Which licensed areas hold each imagery patch's centroid, as known at the run's as-of: the patch
-- rows of int_point_licences (the point-in-polygon rule is written there).
-- unique: patch_id, licence_id
-- not_null: patch_id, licence_id, holder, valid_from, valid_to, on_boundary
-- relationships: licence_id -> stg_licences__licences.licence_id
SELECT point_id AS patch_id, licence_id, holder, valid_from, valid_to, on_boundary
FROM int_point_licences
WHERE point_kind = 'patch'
