-- Satellite-imagery change patches (卫片图斑): every version of every patch. A later export's row
-- (e.g. with the field check's verdict) is the patch's version from its arrival on.
-- unique: patch_id, batch_id
-- not_null: patch_id, imaged_on, township, verdict, lon, lat, known_from
-- in_run: table
SELECT p.patch_id, p.imaging_batch, p.imaged_on, p.township, p.village, p.change_type, p.land_before, p.land_after, p.area_mu,
       p.verdict, p.checked_on, p.lon, p.lat, p.batch_id, p.source_row, b.known_from,
       least(b.known_until, lead(b.known_from) OVER (PARTITION BY p.patch_id ORDER BY b.known_from, p.batch_id, p.source_row)) AS known_until
FROM raw_imagery_patches p
JOIN stg_etl__batches b ON b.batch_id = p.batch_id
