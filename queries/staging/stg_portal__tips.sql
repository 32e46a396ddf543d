-- Public tips (举报) from the portal, without the contact and the receipt fields.
-- unique: tip_id
-- not_null: tip_id, received_on, township, status
SELECT tip_id, received_on, category, township, village, lon, lat, status, verdict, verified_on,
       nullif(trim(duplicate_of), '') AS duplicate_of, nullif(trim(linked_ref), '') AS linked_ref
FROM tips
