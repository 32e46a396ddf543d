-- Satellite-imagery change patches (卫片图斑) of active batches; the latest row per patch.
-- unique: patch_id
-- not_null: patch_id, imaged_on, township, verdict, lon, lat
SELECT p.patch_id, p.imaging_batch, p.imaged_on, p.township, p.village, p.change_type, p.area_mu,
       p.verdict, p.checked_on, p.lon, p.lat, p.batch_id, p.source_row
FROM raw_imagery_patches p
JOIN load_batches b ON b.batch_id = p.batch_id AND b.replaced_by IS NULL
QUALIFY row_number() OVER (PARTITION BY p.patch_id ORDER BY p.batch_id DESC, p.source_row DESC) = 1
