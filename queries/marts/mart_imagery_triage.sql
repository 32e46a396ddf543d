-- Imagery triage (卫片图斑比对矿业权): every imagery patch as known at the run's as-of against the
-- licence register as known then (int_patch_licences: the licensed areas holding the patch's
-- centroid, a point on a boundary counting as inside). licence_status:
--   in_licence       inside a licence valid on the imaging date (valid_from ≤ imaged_on ≤ valid_to);
--                    licence_id is that licence (the smallest id when several are)
--   expired_licence  inside licences only, none valid on the imaging date (expired, or not yet
--                    issued); licence_id is the one whose validity ended last
--   verified_lawful  outside every licence, but the field check found it lawful (核查结果 合法)
--   not_mining       outside every licence, unchecked or not lawful, and no sign of mining: neither
--                    a 挖损 change nor 采矿用地 after it (new construction, dumping … 非采矿变化)
--   no_licence       outside every licence, a mining change not found lawful (无证开采嫌疑);
--                    licence_id NULL (also for the two before)
-- unique: patch_id
-- not_null: patch_id, township, imaged_on, licence_status
-- accepted_values: licence_status = no_licence, in_licence, expired_licence, verified_lawful, not_mining
-- relationships: township -> stg_config__townships.township
-- relationships: licence_id -> stg_licences__licences.licence_id
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
patches AS (
    SELECT pa.* FROM stg_imagery__patches pa CROSS JOIN p
    WHERE known_at(pa.known_from, pa.known_until, p.as_of)
),
hits AS (
    SELECT h.patch_id, h.licence_id, h.holder, h.valid_to,
        h.valid_from <= pa.imaged_on AND pa.imaged_on <= h.valid_to AS valid_then
    FROM int_patch_licences h
    JOIN patches pa ON pa.patch_id = h.patch_id
),
per_patch AS (
    SELECT patch_id,
        bool_or(valid_then) AS any_valid,
        min(licence_id) FILTER (WHERE valid_then) AS valid_licence,
        arg_max(licence_id, strftime(valid_to, '%Y%m%d') || licence_id) FILTER (WHERE NOT valid_then) AS other_licence
    FROM hits
    GROUP BY patch_id
)
SELECT pa.patch_id, pa.township, pa.village, pa.imaged_on, pa.change_type, pa.area_mu, pa.verdict,
    CASE WHEN h.any_valid THEN h.valid_licence ELSE h.other_licence END AS licence_id,
    l.holder,
    CASE WHEN h.patch_id IS NOT NULL THEN CASE WHEN h.any_valid THEN 'in_licence' ELSE 'expired_licence' END
        WHEN pa.verdict = '合法' THEN 'verified_lawful'
        WHEN coalesce(pa.change_type, '') <> '挖损' AND coalesce(pa.land_after, '') <> '采矿用地' THEN 'not_mining'
        ELSE 'no_licence' END AS licence_status
FROM patches pa
LEFT JOIN per_patch h ON h.patch_id = pa.patch_id
LEFT JOIN int_patch_licences l ON l.patch_id = pa.patch_id
    AND l.licence_id = CASE WHEN h.any_valid THEN h.valid_licence ELSE h.other_licence END
ORDER BY pa.township, pa.imaged_on, pa.patch_id
