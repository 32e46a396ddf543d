-- model: mart_imagery_triage
-- A patch's status agrees with the licence it names, as known at the as-of: in_licence names a
-- licence whose area holds the patch and that was valid on the imaging date; expired_licence one
-- that holds it but was not, and no licence holding it was; no_licence names none and none holds it.
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
held AS (
    SELECT t.patch_id, t.licence_status, t.licence_id, t.imaged_on,
        count(h.licence_id) AS holding,
        count(h.licence_id) FILTER (WHERE h.valid_from <= t.imaged_on AND t.imaged_on <= h.valid_to) AS valid_holding,
        bool_or(h.licence_id = t.licence_id) AS names_holder,
        bool_or(h.licence_id = t.licence_id AND h.valid_from <= t.imaged_on AND t.imaged_on <= h.valid_to) AS named_valid
    FROM mart_imagery_triage t
    LEFT JOIN int_patch_licences h ON h.patch_id = t.patch_id
    GROUP BY t.patch_id, t.licence_status, t.licence_id, t.imaged_on
)
SELECT * FROM held
WHERE (licence_status = 'in_licence' AND NOT coalesce(named_valid, false))
   OR (licence_status = 'expired_licence' AND (NOT coalesce(names_holder, false) OR valid_holding > 0))
   OR (licence_status = 'no_licence' AND (licence_id IS NOT NULL OR holding > 0))
